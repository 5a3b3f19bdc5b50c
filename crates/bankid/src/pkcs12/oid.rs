//! Object identifiers of PKCS#7 (RFC 2315), PKCS#5 (RFC 8018), PKCS#9 (RFC 2985), PKCS#12
//! (RFC 7292) and the hash and cipher algorithms they refer to, in dotted decimal.

// Content types (PKCS#7).
pub(super) const DATA: &str = "1.2.840.113549.1.7.1";
pub(super) const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
pub(super) const ENVELOPED_DATA: &str = "1.2.840.113549.1.7.3";
pub(super) const ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";

// Bag types (PKCS#12).
pub(super) const KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
pub(super) const PKCS8_SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
pub(super) const CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
pub(super) const SAFE_CONTENTS_BAG: &str = "1.2.840.113549.1.12.10.1.6";
pub(super) const X509_CERTIFICATE: &str = "1.2.840.113549.1.9.22.1";

// Bag attributes (PKCS#9).
pub(super) const FRIENDLY_NAME: &str = "1.2.840.113549.1.9.20";
pub(super) const LOCAL_KEY_ID: &str = "1.2.840.113549.1.9.21";

// Password-based encryption (PKCS#5 and PKCS#12).
pub(super) const PBES2: &str = "1.2.840.113549.1.5.13";
pub(super) const PBKDF2: &str = "1.2.840.113549.1.5.12";
pub(super) const PBE_SHA1_RC4_128: &str = "1.2.840.113549.1.12.1.1";
pub(super) const PBE_SHA1_RC4_40: &str = "1.2.840.113549.1.12.1.2";
pub(super) const PBE_SHA1_3DES: &str = "1.2.840.113549.1.12.1.3";
pub(super) const PBE_SHA1_2DES: &str = "1.2.840.113549.1.12.1.4";
pub(super) const PBE_SHA1_RC2_128: &str = "1.2.840.113549.1.12.1.5";
pub(super) const PBE_SHA1_RC2_40: &str = "1.2.840.113549.1.12.1.6";

// Pseudorandom functions of PBKDF2.
pub(super) const HMAC_WITH_SHA1: &str = "1.2.840.113549.2.7";
pub(super) const HMAC_WITH_SHA256: &str = "1.2.840.113549.2.9";
pub(super) const HMAC_WITH_SHA384: &str = "1.2.840.113549.2.10";
pub(super) const HMAC_WITH_SHA512: &str = "1.2.840.113549.2.11";

// Hash functions.
pub(super) const SHA1: &str = "1.3.14.3.2.26";
pub(super) const SHA224: &str = "2.16.840.1.101.3.4.2.4";
pub(super) const SHA256: &str = "2.16.840.1.101.3.4.2.1";
pub(super) const SHA384: &str = "2.16.840.1.101.3.4.2.2";
pub(super) const SHA512: &str = "2.16.840.1.101.3.4.2.3";

// Block ciphers in CBC mode.
pub(super) const AES_128_CBC: &str = "2.16.840.1.101.3.4.1.2";
pub(super) const AES_192_CBC: &str = "2.16.840.1.101.3.4.1.22";
pub(super) const AES_256_CBC: &str = "2.16.840.1.101.3.4.1.42";
pub(super) const DES_EDE3_CBC: &str = "1.2.840.113549.3.7";

/// Names of the identifiers above and of unsupported ones that files are known to contain.
const NAMES: &[(&str, &str)] = &[
    (DATA, "data"),
    (SIGNED_DATA, "signedData"),
    (ENVELOPED_DATA, "envelopedData"),
    (ENCRYPTED_DATA, "encryptedData"),
    (PBES2, "PBES2"),
    (PBKDF2, "PBKDF2"),
    ("1.2.840.113549.1.5.14", "PBMAC1"),
    ("1.2.840.113549.1.5.3", "pbeWithMD5AndDES-CBC"),
    ("1.2.840.113549.1.5.10", "pbeWithSHA1AndDES-CBC"),
    ("1.3.6.1.4.1.11591.4.11", "scrypt"),
    (PBE_SHA1_RC4_128, "pbeWithSHAAnd128BitRC4"),
    (PBE_SHA1_RC4_40, "pbeWithSHAAnd40BitRC4"),
    (PBE_SHA1_3DES, "pbeWithSHAAnd3-KeyTripleDES-CBC"),
    (PBE_SHA1_2DES, "pbeWithSHAAnd2-KeyTripleDES-CBC"),
    (PBE_SHA1_RC2_128, "pbeWithSHAAnd128BitRC2-CBC"),
    (PBE_SHA1_RC2_40, "pbeWithSHAAnd40BitRC2-CBC"),
    (HMAC_WITH_SHA1, "hmacWithSHA1"),
    ("1.2.840.113549.2.8", "hmacWithSHA224"),
    (HMAC_WITH_SHA256, "hmacWithSHA256"),
    (HMAC_WITH_SHA384, "hmacWithSHA384"),
    (HMAC_WITH_SHA512, "hmacWithSHA512"),
    ("1.2.840.113549.2.5", "md5"),
    (SHA1, "sha1"),
    (SHA224, "sha224"),
    (SHA256, "sha256"),
    (SHA384, "sha384"),
    (SHA512, "sha512"),
    (AES_128_CBC, "aes128-CBC"),
    (AES_192_CBC, "aes192-CBC"),
    (AES_256_CBC, "aes256-CBC"),
    (DES_EDE3_CBC, "des-ede3-cbc"),
    ("1.3.14.3.2.7", "desCBC"),
    ("1.2.840.113549.3.2", "rc2CBC"),
];

/// Returns the ASN.1 name of a known object identifier.
pub(super) fn name(oid: &str) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(known, _)| *known == oid)
        .map(|(_, name)| *name)
}
