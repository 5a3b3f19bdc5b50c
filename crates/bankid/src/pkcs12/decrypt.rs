//! Password-based decryption: PBES2 with PBKDF2 (RFC 8018) and the PKCS#12 PBE schemes
//! (RFC 7292, appendix C).

use std::num::NonZeroU32;

use aws_lc_rs::cipher::{
    AES_128, AES_192, AES_256, DecryptionContext, PaddedBlockDecryptingKey, UnboundCipherKey,
};
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::{digest, pbkdf2};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt as _, InnerIvInit as _, KeyIvInit as _};
use zeroize::Zeroizing;

use super::kdf::{self, Purpose};
use super::{Passwords, malformed, oid, read_iterations, unsupported_algorithm};
use crate::der::{Reader, TAG_INTEGER, TAG_NULL, TAG_OCTET_STRING, TAG_SEQUENCE};
use crate::error::Pkcs12Error;

/// Block ciphers in CBC mode with PKCS#7 padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cipher {
    Aes128,
    Aes192,
    Aes256,
    TripleDes,
    TwoKeyTripleDes,
    /// RC2 with an effective key length of 40 or 128 bits.
    Rc2 {
        effective_bits: usize,
    },
}

impl Cipher {
    fn key_length(self) -> usize {
        match self {
            Self::Aes128 | Self::TwoKeyTripleDes => 16,
            Self::Aes192 | Self::TripleDes => 24,
            Self::Aes256 => 32,
            Self::Rc2 { effective_bits } => effective_bits / 8,
        }
    }

    fn iv_length(self) -> usize {
        match self {
            Self::Aes128 | Self::Aes192 | Self::Aes256 => 16,
            Self::TripleDes | Self::TwoKeyTripleDes | Self::Rc2 { .. } => 8,
        }
    }

    /// Decrypts and removes the padding. Returns `None` when the key or IV has the wrong
    /// length, the ciphertext is not a whole number of blocks, or the padding is invalid, which
    /// is what a wrong key usually produces.
    fn decrypt(self, key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        let plaintext_length = match self {
            Self::Aes128 | Self::Aes192 | Self::Aes256 => {
                let algorithm = match self {
                    Self::Aes128 => &AES_128,
                    Self::Aes192 => &AES_192,
                    _ => &AES_256,
                };
                let key = UnboundCipherKey::new(algorithm, key).ok()?;
                let iv = FixedLength::<16>::try_from(iv).ok()?;
                PaddedBlockDecryptingKey::cbc_pkcs7(key)
                    .ok()?
                    .decrypt(&mut buffer, DecryptionContext::Iv128(iv))
                    .ok()?
                    .len()
            }
            Self::TripleDes => cbc::Decryptor::<des::TdesEde3>::new_from_slices(key, iv)
                .ok()?
                .decrypt_padded::<Pkcs7>(&mut buffer)
                .ok()?
                .len(),
            Self::TwoKeyTripleDes => cbc::Decryptor::<des::TdesEde2>::new_from_slices(key, iv)
                .ok()?
                .decrypt_padded::<Pkcs7>(&mut buffer)
                .ok()?
                .len(),
            Self::Rc2 { effective_bits } => {
                if key.len() != self.key_length() {
                    return None;
                }
                let rc2 = rc2::Rc2::new_with_eff_key_len(key, effective_bits);
                cbc::Decryptor::inner_iv_slice_init(rc2, iv)
                    .ok()?
                    .decrypt_padded::<Pkcs7>(&mut buffer)
                    .ok()?
                    .len()
            }
        };
        buffer.truncate(plaintext_length);
        Some(buffer)
    }
}

/// Decrypts `ciphertext` with the algorithm of an `AlgorithmIdentifier` (its content, without
/// the SEQUENCE header). `content` names what is decrypted in error messages.
pub(super) fn decrypt(
    algorithm_identifier: &[u8],
    ciphertext: &[u8],
    passwords: &Passwords<'_>,
    content: &'static str,
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    const STRUCTURE: &str = "encryption AlgorithmIdentifier";
    let mut reader = Reader::new(algorithm_identifier);
    let algorithm = reader.read_oid().map_err(malformed(STRUCTURE))?;
    let parameters = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;

    let pkcs12_cipher = match algorithm.as_str() {
        oid::PBES2 => return decrypt_pbes2(parameters, ciphertext, passwords, content),
        oid::PBE_SHA1_3DES => Cipher::TripleDes,
        oid::PBE_SHA1_2DES => Cipher::TwoKeyTripleDes,
        oid::PBE_SHA1_RC2_128 => Cipher::Rc2 {
            effective_bits: 128,
        },
        oid::PBE_SHA1_RC2_40 => Cipher::Rc2 { effective_bits: 40 },
        _ => return Err(unsupported_algorithm("encryption", algorithm)),
    };
    decrypt_pkcs12_pbe(pkcs12_cipher, parameters, ciphertext, passwords, content)
}

/// `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`. The key and IV
/// come from the KDF of RFC 7292, appendix B, with SHA-1.
fn decrypt_pkcs12_pbe(
    cipher: Cipher,
    parameters: &[u8],
    ciphertext: &[u8],
    passwords: &Passwords<'_>,
    content: &'static str,
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    const STRUCTURE: &str = "pkcs-12PbeParams";
    let mut reader = Reader::new(parameters);
    let salt = reader
        .read(TAG_OCTET_STRING)
        .map_err(malformed(STRUCTURE))?;
    let iterations = read_iterations(&mut reader, STRUCTURE)?;
    reader.finish().map_err(malformed(STRUCTURE))?;

    let hash = &digest::SHA1_FOR_LEGACY_USE_ONLY;
    let password = passwords.bmp.as_slice();
    let key = kdf::derive(
        hash,
        Purpose::EncryptionKey,
        password,
        salt,
        iterations,
        cipher.key_length(),
    );
    let iv = kdf::derive(
        hash,
        Purpose::Iv,
        password,
        salt,
        iterations,
        cipher.iv_length(),
    );
    cipher
        .decrypt(&key, &iv, ciphertext)
        .ok_or(Pkcs12Error::DecryptionFailed { content })
}

/// `PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme
/// AlgorithmIdentifier }`, with PBKDF2 as the key derivation function. The password goes into
/// PBKDF2 as UTF-8, as OpenSSL and RFC 9579 do, not as a BMPString.
fn decrypt_pbes2(
    parameters: &[u8],
    ciphertext: &[u8],
    passwords: &Passwords<'_>,
    content: &'static str,
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    const STRUCTURE: &str = "PBES2-params";
    let mut reader = Reader::new(parameters);
    let kdf = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    let scheme = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;

    let (cipher, iv) = read_encryption_scheme(scheme)?;
    let pbkdf2 = read_pbkdf2_parameters(kdf)?;
    if let Some(key_length) = pbkdf2.key_length
        && key_length != cipher.key_length()
    {
        return Err(Pkcs12Error::Malformed {
            structure: "PBKDF2-params",
            reason: format!(
                "keyLength is {key_length} bytes, but the cipher takes {}",
                cipher.key_length()
            ),
        });
    }

    let mut key = Zeroizing::new(vec![0; cipher.key_length()]);
    pbkdf2::derive(
        pbkdf2.prf,
        pbkdf2.iterations,
        pbkdf2.salt,
        passwords.utf8,
        &mut key,
    );
    cipher
        .decrypt(&key, iv, ciphertext)
        .ok_or(Pkcs12Error::DecryptionFailed { content })
}

struct Pbkdf2Parameters<'a> {
    salt: &'a [u8],
    iterations: NonZeroU32,
    key_length: Option<usize>,
    prf: pbkdf2::Algorithm,
}

/// Reads the `keyDerivationFunc` of PBES2: `PBKDF2-params ::= SEQUENCE { salt OCTET STRING,
/// iterationCount INTEGER, keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT
/// hmacWithSHA1 }`. A salt given as `otherSource` is not supported.
fn read_pbkdf2_parameters(kdf: &[u8]) -> Result<Pbkdf2Parameters<'_>, Pkcs12Error> {
    const STRUCTURE: &str = "PBKDF2-params";
    let mut reader = Reader::new(kdf);
    let algorithm = reader.read_oid().map_err(malformed(STRUCTURE))?;
    if algorithm != oid::PBKDF2 {
        return Err(unsupported_algorithm("key derivation", algorithm));
    }
    let parameters = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;

    let mut reader = Reader::new(parameters);
    let salt = reader.read(TAG_OCTET_STRING).map_err(malformed(
        "PBKDF2-params salt (only a specified salt is supported)",
    ))?;
    let iterations = read_iterations(&mut reader, STRUCTURE)?;
    let key_length = reader
        .read_optional(TAG_INTEGER)
        .map_err(malformed(STRUCTURE))?
        .map(|content| crate::der::parse_u32(content).map_err(malformed(STRUCTURE)))
        .transpose()?
        .map(|length| usize::try_from(length).unwrap_or(usize::MAX));
    let prf = match reader
        .read_optional(TAG_SEQUENCE)
        .map_err(malformed(STRUCTURE))?
    {
        None => pbkdf2::PBKDF2_HMAC_SHA1,
        Some(prf) => read_prf(prf)?,
    };
    reader.finish().map_err(malformed(STRUCTURE))?;
    Ok(Pbkdf2Parameters {
        salt,
        iterations,
        key_length,
        prf,
    })
}

/// Reads the PRF `AlgorithmIdentifier`, whose parameters are NULL or absent.
fn read_prf(prf: &[u8]) -> Result<pbkdf2::Algorithm, Pkcs12Error> {
    const STRUCTURE: &str = "PBKDF2 prf AlgorithmIdentifier";
    let mut reader = Reader::new(prf);
    let algorithm = reader.read_oid().map_err(malformed(STRUCTURE))?;
    reader
        .read_optional(TAG_NULL)
        .map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;
    match algorithm.as_str() {
        oid::HMAC_WITH_SHA1 => Ok(pbkdf2::PBKDF2_HMAC_SHA1),
        oid::HMAC_WITH_SHA256 => Ok(pbkdf2::PBKDF2_HMAC_SHA256),
        oid::HMAC_WITH_SHA384 => Ok(pbkdf2::PBKDF2_HMAC_SHA384),
        oid::HMAC_WITH_SHA512 => Ok(pbkdf2::PBKDF2_HMAC_SHA512),
        _ => Err(unsupported_algorithm(
            "PBKDF2 pseudorandom function",
            algorithm,
        )),
    }
}

/// Reads the `encryptionScheme` of PBES2, whose parameter is the IV as an OCTET STRING.
fn read_encryption_scheme(scheme: &[u8]) -> Result<(Cipher, &[u8]), Pkcs12Error> {
    const STRUCTURE: &str = "PBES2 encryptionScheme";
    let mut reader = Reader::new(scheme);
    let algorithm = reader.read_oid().map_err(malformed(STRUCTURE))?;
    let cipher = match algorithm.as_str() {
        oid::AES_128_CBC => Cipher::Aes128,
        oid::AES_192_CBC => Cipher::Aes192,
        oid::AES_256_CBC => Cipher::Aes256,
        oid::DES_EDE3_CBC => Cipher::TripleDes,
        _ => return Err(unsupported_algorithm("encryption", algorithm)),
    };
    let iv = reader
        .read(TAG_OCTET_STRING)
        .map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;
    if iv.len() != cipher.iv_length() {
        return Err(Pkcs12Error::Malformed {
            structure: STRUCTURE,
            reason: format!(
                "the IV is {} bytes, but the cipher takes {}",
                iv.len(),
                cipher.iv_length()
            ),
        });
    }
    Ok((cipher, iv))
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "a test fails by panicking"
    )]

    use super::*;

    #[test]
    fn wrong_lengths_fail_without_panic() {
        let ciphertext = [0u8; 16];
        for cipher in [
            Cipher::Aes128,
            Cipher::Aes192,
            Cipher::Aes256,
            Cipher::TripleDes,
            Cipher::TwoKeyTripleDes,
            Cipher::Rc2 { effective_bits: 40 },
            Cipher::Rc2 {
                effective_bits: 128,
            },
        ] {
            assert!(cipher.decrypt(&[1; 3], &[0; 16], &ciphertext).is_none());
            let key = vec![1; cipher.key_length()];
            assert!(cipher.decrypt(&key, &[0; 3], &ciphertext).is_none());
            let iv = vec![0; cipher.iv_length()];
            assert!(cipher.decrypt(&key, &iv, &ciphertext[..5]).is_none());
            assert!(cipher.decrypt(&key, &iv, &[]).is_none());
        }
    }

    #[test]
    fn three_key_des_round_trip() {
        use cbc::cipher::BlockModeEncrypt as _;
        let key: Vec<u8> = (1..=24).collect();
        let iv = [9u8; 8];
        let mut buffer = [0u8; 16];
        buffer[..11].copy_from_slice(b"hello world");
        let ciphertext = cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .unwrap()
            .encrypt_padded::<Pkcs7>(&mut buffer, 11)
            .unwrap()
            .to_vec();
        let plaintext = Cipher::TripleDes.decrypt(&key, &iv, &ciphertext).unwrap();
        assert_eq!(plaintext.as_slice(), b"hello world");
    }
}
