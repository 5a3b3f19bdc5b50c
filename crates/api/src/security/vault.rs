//! Encryption of personnummer at rest, with a keyed hash for lookups and uniqueness.
//!
//! A personnummer is sealed with AES-256-GCM under a key derived from the master secret, with
//! a random 96-bit nonce per value, so equal numbers give different ciphertexts. Finding an
//! account by personnummer uses an HMAC-SHA256 of the number under a second derived key; the
//! database alone reveals neither.

use std::sync::Arc;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{KeyInit, Mac};

/// Prefix of a sealed value, naming the format so it can change later.
const FORMAT: &str = "v1:";
/// Bound into every ciphertext, so a sealed personnummer cannot pass for another field.
const ASSOCIATED_DATA: &[u8] = b"incert personnummer";

/// Sealing failed; the cause is internal (a key of the wrong size or no randomness).
#[derive(Debug, thiserror::Error)]
#[error("personnummer encryption failed: {0}")]
pub struct VaultError(&'static str);

/// Seals and opens personnummer and computes their lookup hashes.
#[derive(Clone)]
pub struct PersonnummerVault {
    key: Arc<LessSafeKey>,
    lookup_key: Vec<u8>,
}

impl std::fmt::Debug for PersonnummerVault {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("PersonnummerVault { .. }")
    }
}

impl PersonnummerVault {
    /// Builds a vault from a 32-byte encryption key and a lookup key of any length.
    pub fn new(encryption_key: &[u8], lookup_key: &[u8]) -> Result<Self, VaultError> {
        let unbound = UnboundKey::new(&AES_256_GCM, encryption_key)
            .map_err(|_| VaultError("the encryption key must be 32 bytes"))?;
        Ok(Self {
            key: Arc::new(LessSafeKey::new(unbound)),
            lookup_key: lookup_key.to_vec(),
        })
    }

    /// Encrypts a personnummer in its 12-digit form for storage.
    pub fn seal(&self, personnummer: &str) -> Result<String, VaultError> {
        let mut nonce_bytes = [0_u8; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce_bytes)
            .map_err(|_| VaultError("no randomness for the nonce"))?;
        let mut in_out = personnummer.as_bytes().to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce_bytes),
                Aad::from(ASSOCIATED_DATA),
                &mut in_out,
            )
            .map_err(|_| VaultError("sealing failed"))?;
        let mut sealed = nonce_bytes.to_vec();
        sealed.extend_from_slice(&in_out);
        Ok(format!("{FORMAT}{}", URL_SAFE_NO_PAD.encode(sealed)))
    }

    /// Decrypts a stored value; None when it was not sealed with this vault's key or was
    /// altered.
    pub fn open(&self, sealed: &str) -> Option<String> {
        let encoded = sealed.strip_prefix(FORMAT)?;
        let bytes = URL_SAFE_NO_PAD.decode(encoded).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce_bytes, ciphertext) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce_bytes).ok()?;
        let mut in_out = ciphertext.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(ASSOCIATED_DATA), &mut in_out)
            .ok()?;
        String::from_utf8(plain.to_vec()).ok()
    }

    /// Computes the lookup hash of a personnummer in its 12-digit form, hex encoded.
    pub fn lookup_hash(&self, personnummer: &str) -> String {
        let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&self.lookup_key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(personnummer.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::panic, reason = "a test fails by panicking")]
mod tests {
    use super::*;

    fn vault(seed: u8) -> PersonnummerVault {
        PersonnummerVault::new(&[seed; 32], &[seed.wrapping_add(1); 32])
            .unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn seal_and_open_round_trip() {
        let vault = vault(7);
        let sealed = vault.seal("198112189876").unwrap_or_default();
        assert!(sealed.starts_with("v1:"), "{sealed}");
        assert!(!sealed.contains("198112189876"));
        assert_eq!(vault.open(&sealed).as_deref(), Some("198112189876"));
    }

    #[test]
    fn equal_numbers_seal_differently() {
        let vault = vault(7);
        let first = vault.seal("198112189876").unwrap_or_default();
        let second = vault.seal("198112189876").unwrap_or_default();
        assert_ne!(first, second);
        assert_eq!(
            vault.lookup_hash("198112189876"),
            vault.lookup_hash("198112189876")
        );
        assert_ne!(
            vault.lookup_hash("198112189876"),
            vault.lookup_hash("198112189884")
        );
    }

    #[test]
    fn altered_or_foreign_values_do_not_open() {
        let vault = vault(7);
        let sealed = vault.seal("198112189876").unwrap_or_default();
        let mut altered = sealed.clone().into_bytes();
        if let Some(last) = altered.last_mut() {
            *last = if *last == b'A' { b'B' } else { b'A' };
        }
        assert_eq!(
            vault.open(&String::from_utf8(altered).unwrap_or_default()),
            None
        );
        assert_eq!(self::vault(8).open(&sealed), None);
        assert_eq!(vault.open("198112189876"), None);
        assert_eq!(vault.open("v1:"), None);
    }

    #[test]
    fn short_key_is_rejected() {
        assert!(PersonnummerVault::new(&[1; 16], &[2; 32]).is_err());
    }
}
