//! Choice of the leaf certificate for the private key, and the order of the chain.

use super::bags::{CertificateEntry, KeyEntry};
use crate::certificate::certificate_names;
use crate::error::Pkcs12Error;

/// Returns the index of the certificate that belongs to `key`.
pub(super) fn find_leaf(
    key: &KeyEntry,
    certificates: &[CertificateEntry],
) -> Result<usize, Pkcs12Error> {
    if let Some(key_id) = &key.attributes.local_key_id
        && let Some(index) = certificates
            .iter()
            .position(|certificate| certificate.attributes.local_key_id.as_ref() == Some(key_id))
    {
        return Ok(index);
    }

    let Some(public_key) = public_key_of(&key.pkcs8_der) else {
        // NOTE: a key that aws-lc-rs cannot load (such as DSA, or RSA outside 2048 to 8192
        // bits) is paired with a certificate only when the file has exactly one.
        return if certificates.len() == 1 {
            Ok(0)
        } else {
            Err(Pkcs12Error::NoMatchingCertificate)
        };
    };
    for (index, certificate) in certificates.iter().enumerate() {
        let names = certificate_names(&certificate.der).map_err(invalid_certificate)?;
        if names.public_key == public_key.as_slice() {
            return Ok(index);
        }
    }
    Err(Pkcs12Error::NoMatchingCertificate)
}

/// Computes the public key of a PKCS#8 private key in the form of a certificate's
/// `subjectPublicKey`: an `RSAPublicKey` for RSA, the uncompressed point for ECDSA, and the
/// 32 key bytes for Ed25519.
fn public_key_of(pkcs8_der: &[u8]) -> Option<Vec<u8>> {
    use aws_lc_rs::signature::{
        ECDSA_P256_SHA256_ASN1_SIGNING, ECDSA_P384_SHA384_ASN1_SIGNING,
        ECDSA_P521_SHA512_ASN1_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, RsaKeyPair,
    };
    if let Ok(pair) = RsaKeyPair::from_pkcs8(pkcs8_der) {
        return Some(pair.public_key().as_ref().to_vec());
    }
    for algorithm in [
        &ECDSA_P256_SHA256_ASN1_SIGNING,
        &ECDSA_P384_SHA384_ASN1_SIGNING,
        &ECDSA_P521_SHA512_ASN1_SIGNING,
    ] {
        if let Ok(pair) = EcdsaKeyPair::from_pkcs8(algorithm, pkcs8_der) {
            return Some(pair.public_key().as_ref().to_vec());
        }
    }
    if let Ok(pair) = Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8_der) {
        return Some(pair.public_key().as_ref().to_vec());
    }
    None
}

/// Puts the leaf first, then each issuer found among `others` (matching the issuer name to
/// the subject name) up to a self-signed certificate, then the remaining certificates.
pub(super) fn order_chain(
    leaf: Vec<u8>,
    mut others: Vec<Vec<u8>>,
) -> Result<Vec<Vec<u8>>, Pkcs12Error> {
    let mut chain = vec![leaf];
    while let Some(last) = chain.last() {
        let last = certificate_names(last).map_err(invalid_certificate)?;
        if last.issuer == last.subject {
            break;
        }
        let mut issuer_index = None;
        for (index, candidate) in others.iter().enumerate() {
            let candidate = certificate_names(candidate).map_err(invalid_certificate)?;
            if candidate.subject == last.issuer {
                issuer_index = Some(index);
                break;
            }
        }
        let Some(index) = issuer_index else {
            break;
        };
        chain.push(others.remove(index));
    }
    chain.append(&mut others);
    Ok(chain)
}

fn invalid_certificate(reason: &str) -> Pkcs12Error {
    Pkcs12Error::Malformed {
        structure: "X.509 certificate",
        reason: reason.to_owned(),
    }
}
