//! Password hashing, access tokens, one-time codes and the server's key material.
//!
//! Nothing in this module logs or `Debug`-prints a password, code, token or key: the types
//! that hold one implement `Debug` by hand and print a placeholder instead.

pub mod passwords;
pub mod pending;
pub mod secrets;
pub mod tokens;
pub mod vault;

pub use passwords::{HashError, HashParams, PasswordHasher, Verification};
pub use secrets::{CodeHasher, KeyError, MasterKey};
pub use tokens::{AccessClaims, IssuedToken, TokenError, TokenIssuer, TokenScope};

/// Encodes bytes as lower-case hexadecimal.
fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;

    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        // Writing into a `String` cannot fail.
        let _ = write!(text, "{byte:02x}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::to_hex;

    #[test]
    fn to_hex_lower_case_pairs() {
        assert_eq!(to_hex(&[]), "");
        assert_eq!(to_hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }
}
