//! Password integrity mode of RFC 7292: an HMAC over the `AuthenticatedSafe`, keyed with the
//! KDF of appendix B.

use aws_lc_rs::{digest, hmac};
use zeroize::Zeroizing;

use super::kdf::{self, Purpose};
use super::{malformed, read_iterations_or_default, unsupported_algorithm};
use crate::der::{Reader, TAG_NULL, TAG_OCTET_STRING, TAG_SEQUENCE};
use crate::error::Pkcs12Error;
use crate::pkcs12::oid;

/// Checks `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER
/// DEFAULT 1 }` over `authenticated_safe` and returns the encoded password that matched.
///
/// An empty password is tried in two encodings, because producers differ: as the BMPString
/// `00 00` that RFC 7292 prescribes, and as no bytes at all, which is what a NULL password in
/// OpenSSL's `PKCS12_create` gives. The `openssl pkcs12` command tries both as well.
pub(super) fn verify(
    mac_data: &[u8],
    authenticated_safe: &[u8],
    password: &str,
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    const STRUCTURE: &str = "MacData";
    let mut reader = Reader::new(mac_data);
    let digest_info = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    let salt = reader
        .read(TAG_OCTET_STRING)
        .map_err(malformed(STRUCTURE))?;
    let iterations = read_iterations_or_default(&mut reader, STRUCTURE)?;
    reader.finish().map_err(malformed(STRUCTURE))?;

    // DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }
    let mut reader = Reader::new(digest_info);
    let algorithm_identifier = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    let expected = reader
        .read(TAG_OCTET_STRING)
        .map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;

    let mut reader = Reader::new(algorithm_identifier);
    let algorithm = reader.read_oid().map_err(malformed(STRUCTURE))?;
    reader
        .read_optional(TAG_NULL)
        .map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;
    let (hash, hmac_algorithm) = match algorithm.as_str() {
        oid::SHA1 => (
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        ),
        oid::SHA224 => (&digest::SHA224, hmac::HMAC_SHA224),
        oid::SHA256 => (&digest::SHA256, hmac::HMAC_SHA256),
        oid::SHA384 => (&digest::SHA384, hmac::HMAC_SHA384),
        oid::SHA512 => (&digest::SHA512, hmac::HMAC_SHA512),
        _ => return Err(unsupported_algorithm("MAC", algorithm)),
    };
    if expected.len() != hash.output_len() {
        return Err(Pkcs12Error::Malformed {
            structure: STRUCTURE,
            reason: format!(
                "the MAC is {} bytes, but {} produces {}",
                expected.len(),
                oid::name(&algorithm).unwrap_or("the hash"),
                hash.output_len()
            ),
        });
    }

    let mut candidates = vec![kdf::bmp_password(password)];
    if password.is_empty() {
        candidates.push(Zeroizing::new(Vec::new()));
    }
    for candidate in candidates {
        let key = kdf::derive(
            hash,
            Purpose::MacKey,
            &candidate,
            salt,
            iterations,
            hash.output_len(),
        );
        let key = hmac::Key::new(hmac_algorithm, &key);
        if hmac::verify(&key, authenticated_safe, expected).is_ok() {
            return Ok(candidate);
        }
    }
    Err(Pkcs12Error::WrongPassword {
        empty_password: password.is_empty(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

    use std::num::NonZeroU32;

    use super::*;

    const SALT: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
    const CONTENT: &[u8] = b"authenticated safe";

    /// Encodes `MacData` with HMAC-SHA-256 over [`CONTENT`], keyed with `password` as given
    /// (already BMP-encoded, or empty), and the DEFAULT of one iteration.
    fn mac_data(password: &[u8]) -> Vec<u8> {
        let key = kdf::derive(
            &digest::SHA256,
            Purpose::MacKey,
            password,
            &SALT,
            NonZeroU32::MIN,
            32,
        );
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), CONTENT);

        let sha256 = [
            0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
        ];
        let mut digest_info = vec![0x30, 13];
        digest_info.extend_from_slice(&sha256);
        digest_info.extend_from_slice(&[0x04, 32]);
        digest_info.extend_from_slice(tag.as_ref());
        let mut content = vec![0x30, u8::try_from(digest_info.len()).unwrap()];
        content.extend_from_slice(&digest_info);
        content.extend_from_slice(&[0x04, 8]);
        content.extend_from_slice(&SALT);
        content
    }

    #[test]
    fn empty_password_matches_either_encoding() {
        let rfc_form = verify(&mac_data(&[0, 0]), CONTENT, "").unwrap();
        assert_eq!(rfc_form.as_slice(), &[0, 0]);

        // OpenSSL's PKCS12_create with a NULL password keys the MAC with no bytes at all.
        let null_form = verify(&mac_data(&[]), CONTENT, "").unwrap();
        assert!(null_form.is_empty());
    }

    #[test]
    fn null_form_is_tried_only_for_empty_password() {
        let error = verify(&mac_data(&[]), CONTENT, "password").unwrap_err();
        assert_eq!(
            error,
            Pkcs12Error::WrongPassword {
                empty_password: false
            }
        );
    }

    #[test]
    fn changed_content_fails_verification() {
        let error = verify(&mac_data(&[0, 0]), b"authenticated safE", "").unwrap_err();
        assert_eq!(
            error,
            Pkcs12Error::WrongPassword {
                empty_password: true
            }
        );
    }
}
