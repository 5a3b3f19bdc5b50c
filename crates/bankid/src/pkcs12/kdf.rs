//! Key derivation of RFC 7292, appendix B, used for the MAC and for the PKCS#12 PBE schemes.

use std::num::NonZeroU32;

use aws_lc_rs::digest;
use zeroize::Zeroizing;

/// Purpose byte `ID` of RFC 7292, appendix B.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    EncryptionKey = 1,
    Iv = 2,
    MacKey = 3,
}

/// Encodes a password as RFC 7292, appendix B.1 requires: a big-endian UTF-16 (BMPString) with
/// two trailing zero bytes. Characters outside the BMP become surrogate pairs, as OpenSSL 3
/// encodes them.
pub(super) fn bmp_password(password: &str) -> Zeroizing<Vec<u8>> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(2 * password.len() + 2));
    for unit in password.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    bytes.extend_from_slice(&[0, 0]);
    bytes
}

/// Derives `length` bytes from an encoded password (see [`bmp_password`]) and a salt.
pub(super) fn derive(
    hash: &'static digest::Algorithm,
    purpose: Purpose,
    password: &[u8],
    salt: &[u8],
    iterations: NonZeroU32,
    length: usize,
) -> Zeroizing<Vec<u8>> {
    // `v` is the block size of the hash in bytes, `u` its output size.
    let v = hash.block_len();
    let u = hash.output_len();
    let diversifier = vec![purpose as u8; v];

    // I = S || P, each the input repeated to a whole number of v-byte blocks.
    let mut input = Zeroizing::new(Vec::new());
    input.extend(repeat_to_blocks(salt, v));
    input.extend(repeat_to_blocks(password, v));

    let mut output = Zeroizing::new(Vec::with_capacity(length + u));
    loop {
        let mut context = digest::Context::new(hash);
        context.update(&diversifier);
        context.update(&input);
        let mut block = context.finish();
        for _ in 1..iterations.get() {
            block = digest::digest(hash, block.as_ref());
        }
        output.extend_from_slice(block.as_ref());
        if output.len() >= length {
            output.truncate(length);
            return output;
        }

        // Each v-byte block I_j of I becomes (I_j + B + 1) mod 2^(8v), where B is the hash
        // output repeated to v bytes.
        let addend: Zeroizing<Vec<u8>> =
            Zeroizing::new(block.as_ref().iter().copied().cycle().take(v).collect());
        for chunk in input.chunks_exact_mut(v) {
            add_big_endian_plus_one(chunk, &addend);
        }
    }
}

/// Repeats `input` to fill `v * ceil(len / v)` bytes, and returns nothing for empty input.
fn repeat_to_blocks(input: &[u8], v: usize) -> impl Iterator<Item = u8> + '_ {
    let length = input.len().div_ceil(v) * v;
    input.iter().copied().cycle().take(length)
}

/// Computes `target = target + addend + 1` on equal-length big-endian numbers, dropping the
/// final carry.
fn add_big_endian_plus_one(target: &mut [u8], addend: &[u8]) {
    let mut carry = true;
    for (byte, &add) in target.iter_mut().rev().zip(addend.iter().rev()) {
        let (sum, first_overflow) = byte.overflowing_add(add);
        let (sum, second_overflow) = sum.overflowing_add(u8::from(carry));
        *byte = sum;
        carry = first_overflow || second_overflow;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    fn iterations(count: u32) -> NonZeroU32 {
        NonZeroU32::new(count).unwrap()
    }

    // The expected values below are from OpenSSL 3.0.19, with the password given as its BMP
    // encoding, for example:
    // `openssl kdf -keylen 24 -kdfopt digest:SHA1 -kdfopt hexpass:0074...0000
    //  -kdfopt hexsalt:0102030405060708 -kdfopt iter:2048 -kdfopt id:1 PKCS12KDF`

    #[test]
    fn bmp_password_appends_two_zero_bytes() {
        assert_eq!(hex(&bmp_password("")), "0000");
        assert_eq!(hex(&bmp_password("ab")), "006100620000");
        assert_eq!(hex(&bmp_password("å")), "00e50000");
        assert_eq!(hex(&bmp_password("𝄞")), "d834dd1e0000");
    }

    #[test]
    fn sha1_encryption_key_and_iv_match_openssl() {
        let password = bmp_password("test-password");
        let salt = [1, 2, 3, 4, 5, 6, 7, 8];
        let key = derive(
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            Purpose::EncryptionKey,
            &password,
            &salt,
            iterations(2048),
            24,
        );
        assert_eq!(
            hex(&key),
            "13a7c6beb4d45b522e38b07ddf63dfe2c7fd45474ab99b69"
        );
        let iv = derive(
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            Purpose::Iv,
            &password,
            &salt,
            iterations(2048),
            8,
        );
        assert_eq!(hex(&iv), "358f6e5db0c3eaa1");
    }

    #[test]
    fn long_password_and_output_match_openssl() {
        // The 108-byte password and the 17-byte salt span several blocks, and 45 bytes of output
        // need three SHA-1 rounds, so the block addition with carry runs.
        let password = bmp_password("a password that is longer than one 64-byte block, åäö");
        let salt = [
            0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22,
            0x11, 0x00, 0xff,
        ];
        let key = derive(
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            Purpose::EncryptionKey,
            &password,
            &salt,
            iterations(3),
            45,
        );
        assert_eq!(
            hex(&key),
            "ef068676354e764686e8b5cfa3d28c5859c0f10f1e949f1b7dea495bd4a98001e01bcd4f917ac356c9beb8d3c5"
        );
    }

    #[test]
    fn sha256_and_sha512_mac_keys_match_openssl() {
        let salt = [1, 2, 3, 4, 5, 6, 7, 8];
        let key = derive(
            &digest::SHA256,
            Purpose::MacKey,
            &bmp_password("test-password"),
            &salt,
            iterations(2048),
            32,
        );
        assert_eq!(
            hex(&key),
            "b5735bc5a8a86926ee5b74d9dda4096080528d3ed619318a45984e96e28f1153"
        );

        // SHA-512 has 128-byte blocks.
        let key = derive(
            &digest::SHA512,
            Purpose::MacKey,
            &bmp_password("a password that is longer than one 64-byte block, åäö"),
            &salt,
            iterations(1),
            64,
        );
        assert_eq!(
            hex(&key),
            "e740d7d7b6abe471a017a398ff5dc7c048334768d473ee01dd0554b24248bf22e6a11cc973d4323f88e5f99f05dd49f6483ad3554ee35363ee27aba43a4583dc"
        );
    }

    #[test]
    fn empty_password_matches_openssl() {
        let key = derive(
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            Purpose::MacKey,
            &bmp_password(""),
            &[1, 2, 3, 4, 5, 6, 7, 8],
            iterations(1),
            20,
        );
        assert_eq!(hex(&key), "b73b61d3a22867cf1922c1d70e96c7567ff156bd");
    }

    #[test]
    fn addition_carries_across_bytes() {
        let mut target = [0x00, 0xFF, 0xFF];
        add_big_endian_plus_one(&mut target, &[0x00, 0x00, 0x00]);
        assert_eq!(target, [0x01, 0x00, 0x00]);

        let mut target = [0xFF, 0xFF];
        add_big_endian_plus_one(&mut target, &[0x00, 0x01]);
        assert_eq!(target, [0x00, 0x01]);
    }
}
