//! Reader for PKCS#12 files (RFC 7292), the `.p12`/`.pfx` format in which banks deliver BankID
//! relying-party certificates. It returns the certificate chain and the private key as PEM for
//! rustls, which cannot read PKCS#12 itself.
//!
//! Supported are:
//! - password integrity with an HMAC over SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512, checked
//!   before anything is decrypted, and files without a MAC;
//! - `data` and `encryptedData` contents with key, shrouded key, certificate and nested
//!   safe-contents bags, and their `localKeyId` and `friendlyName` attributes;
//! - PBES2 with PBKDF2 (HMAC-SHA-1, -SHA-256, -SHA-384 or -SHA-512) and AES-128, AES-192,
//!   AES-256 or 3DES in CBC mode, as OpenSSL 3 writes by default;
//! - the PKCS#12 PBE schemes with SHA-1 and 3-key 3DES, 2-key 3DES, 128-bit RC2 or 40-bit RC2,
//!   as older files and `openssl pkcs12 -legacy` use;
//! - the BER forms that some producers write instead of DER (indefinite lengths, segmented
//!   OCTET STRINGs).
//!
//! Not supported are the public-key integrity and privacy modes (`signedData`,
//! `envelopedData`), PBMAC1 (RFC 9579), RC4, single DES, and files with more than one private
//! key. They fail with an error that names the object identifier or the structure.

mod bags;
mod chain;
mod decrypt;
mod kdf;
mod mac;
mod oid;

use std::fmt;
use std::num::NonZeroU32;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::der::{
    self, DerError, Reader, TAG_CONTEXT_0, TAG_CONTEXT_0_PRIMITIVE, TAG_INTEGER, TAG_OCTET_STRING,
    TAG_SEQUENCE,
};
use crate::error::Pkcs12Error;
use bags::{CertificateEntry, Entries};

/// Maximum iteration count accepted for the MAC and the key derivations. OpenSSL 3 writes 2048.
/// Without a limit, a crafted file could request 2^32 - 1 iterations and stall the process.
const MAX_ITERATIONS: u32 = 10_000_000;

/// Client certificate chain and private key read from a PKCS#12 file.
///
/// `Debug` output contains the number of certificates and the friendly name, never the key.
#[derive(Clone)]
pub struct Pkcs12Identity {
    /// DER certificates: the leaf first, then its issuers in chain order, then the rest in
    /// file order.
    certificates: Vec<Vec<u8>>,
    private_key_pkcs8_der: Zeroizing<Vec<u8>>,
    friendly_name: Option<String>,
}

impl Pkcs12Identity {
    /// Parses a PKCS#12 file and decrypts it with `password`.
    ///
    /// The MAC, when the file has one, is checked before anything is decrypted, so a wrong
    /// password fails with [`Pkcs12Error::WrongPassword`]. The leaf certificate is the one whose
    /// `localKeyId` attribute equals the key's, or else the one whose public key matches the
    /// private key (RSA, ECDSA P-256/P-384/P-521 or Ed25519), or else the only certificate.
    pub fn from_der(pfx: &[u8], password: &str) -> Result<Self, Pkcs12Error> {
        const STRUCTURE: &str = "PFX";
        if pfx.trim_ascii_start().starts_with(b"-----BEGIN") {
            return Err(Pkcs12Error::PemInput);
        }
        if pfx.first() != Some(&TAG_SEQUENCE) {
            return Err(Pkcs12Error::Malformed {
                structure: STRUCTURE,
                reason: "the data does not start with a DER SEQUENCE, so it is not a PKCS#12 file"
                    .to_owned(),
            });
        }

        // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo,
        //                    macData MacData OPTIONAL }
        let content = der::read_single(pfx, TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
        let mut reader = Reader::new(content);
        let version = reader.read(TAG_INTEGER).map_err(malformed(STRUCTURE))?;
        let version = der::parse_u32(version).map_err(malformed(STRUCTURE))?;
        if version != 3 {
            return Err(Pkcs12Error::Unsupported(format!(
                "PFX version {version}; RFC 7292 defines only version 3"
            )));
        }
        let auth_safe = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
        let mac_data = reader
            .read_optional(TAG_SEQUENCE)
            .map_err(malformed(STRUCTURE))?;
        reader.finish().map_err(malformed(STRUCTURE))?;

        let authenticated_safe = read_auth_safe(auth_safe)?;
        let bmp = match mac_data {
            Some(mac_data) => mac::verify(mac_data, &authenticated_safe, password)?,
            None => {
                tracing::warn!("the PKCS#12 file has no MAC, so its integrity is not checked");
                kdf::bmp_password(password)
            }
        };
        let passwords = Passwords {
            utf8: password.as_bytes(),
            bmp,
        };

        // AuthenticatedSafe ::= SEQUENCE OF ContentInfo
        let mut entries = Entries::default();
        let content_infos = der::read_single(&authenticated_safe, TAG_SEQUENCE)
            .map_err(malformed("AuthenticatedSafe"))?;
        let mut reader = Reader::new(content_infos);
        while !reader.is_empty() {
            let content_info = reader
                .read(TAG_SEQUENCE)
                .map_err(malformed("AuthenticatedSafe"))?;
            read_content_info(content_info, &passwords, &mut entries)?;
        }
        Self::from_entries(entries)
    }

    /// Returns the certificates as DER, the leaf first.
    pub fn certificate_chain_der(&self) -> &[Vec<u8>] {
        &self.certificates
    }

    /// Encodes the certificates as PEM `CERTIFICATE` blocks, the leaf first.
    pub fn certificate_chain_pem(&self) -> String {
        let mut pem = String::new();
        for certificate in &self.certificates {
            pem.push_str(&pem_block("CERTIFICATE", certificate));
        }
        pem
    }

    /// Returns the private key as a PKCS#8 `PrivateKeyInfo` in DER.
    pub fn private_key_pkcs8_der(&self) -> &[u8] {
        &self.private_key_pkcs8_der
    }

    /// Encodes the private key as a PEM `PRIVATE KEY` block (PKCS#8).
    pub fn private_key_pem(&self) -> Zeroizing<String> {
        Zeroizing::new(pem_block("PRIVATE KEY", &self.private_key_pkcs8_der))
    }

    /// Returns the `friendlyName` attribute of the key or, if it has none, of the leaf
    /// certificate.
    pub fn friendly_name(&self) -> Option<&str> {
        self.friendly_name.as_deref()
    }

    /// Picks the one private key and its certificate, and orders the chain.
    fn from_entries(entries: Entries) -> Result<Self, Pkcs12Error> {
        let key_count = entries.keys.len();
        let mut keys = entries.keys.into_iter();
        let key = keys.next().ok_or(Pkcs12Error::NoPrivateKey)?;
        if key_count > 1 {
            return Err(Pkcs12Error::MultiplePrivateKeys { count: key_count });
        }

        let mut certificates: Vec<CertificateEntry> = Vec::new();
        for certificate in entries.certificates {
            if !certificates
                .iter()
                .any(|known| known.der == certificate.der)
            {
                certificates.push(certificate);
            }
        }
        if certificates.is_empty() {
            return Err(Pkcs12Error::NoCertificate);
        }

        let leaf_index = chain::find_leaf(&key, &certificates)?;
        let mut leaf = None;
        let mut others = Vec::new();
        for (index, certificate) in certificates.into_iter().enumerate() {
            if index == leaf_index {
                leaf = Some(certificate);
            } else {
                others.push(certificate.der);
            }
        }
        let leaf = leaf.ok_or(Pkcs12Error::NoMatchingCertificate)?;
        let friendly_name = key
            .attributes
            .friendly_name
            .or(leaf.attributes.friendly_name);
        Ok(Self {
            certificates: chain::order_chain(leaf.der, others)?,
            private_key_pkcs8_der: key.pkcs8_der,
            friendly_name,
        })
    }
}

impl fmt::Debug for Pkcs12Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs12Identity")
            .field("certificates", &self.certificates.len())
            .field("friendly_name", &self.friendly_name)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

/// The password in the two encodings that PKCS#12 uses.
struct Passwords<'a> {
    /// UTF-8, the input of PBKDF2.
    utf8: &'a [u8],
    /// BMPString, the input of the KDF of RFC 7292, appendix B, in the form the MAC matched.
    bmp: Zeroizing<Vec<u8>>,
}

/// Reads the outer `ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }`,
/// which must be `data` in password integrity mode, and returns the `AuthenticatedSafe` DER.
fn read_auth_safe(content_info: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, Pkcs12Error> {
    const STRUCTURE: &str = "authSafe ContentInfo";
    let mut reader = Reader::new(content_info);
    let content_type = reader.read_oid().map_err(malformed(STRUCTURE))?;
    let content = reader.read(TAG_CONTEXT_0).map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;
    match content_type.as_str() {
        oid::DATA => read_octet_string(content, STRUCTURE),
        oid::SIGNED_DATA => Err(Pkcs12Error::Unsupported(
            "public-key integrity mode (signedData); only password integrity is supported"
                .to_owned(),
        )),
        _ => Err(unsupported_content_type(content_type)),
    }
}

/// Reads one `ContentInfo` of the `AuthenticatedSafe`, which is `data` or `encryptedData`
/// holding a `SafeContents`.
fn read_content_info(
    content_info: &[u8],
    passwords: &Passwords<'_>,
    entries: &mut Entries,
) -> Result<(), Pkcs12Error> {
    const STRUCTURE: &str = "ContentInfo";
    let mut reader = Reader::new(content_info);
    let content_type = reader.read_oid().map_err(malformed(STRUCTURE))?;
    let content = reader.read(TAG_CONTEXT_0).map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;
    match content_type.as_str() {
        oid::DATA => {
            let safe_contents = read_octet_string(content, STRUCTURE)?;
            bags::read_safe_contents(&safe_contents, passwords, entries, 0)
        }
        oid::ENCRYPTED_DATA => {
            let safe_contents = read_encrypted_data(content, passwords)?;
            bags::read_safe_contents(&safe_contents, passwords, entries, 0)
        }
        oid::ENVELOPED_DATA => Err(Pkcs12Error::Unsupported(
            "public-key privacy mode (envelopedData); only password privacy is supported"
                .to_owned(),
        )),
        _ => Err(unsupported_content_type(content_type)),
    }
}

/// Decrypts `EncryptedData ::= SEQUENCE { version INTEGER, encryptedContentInfo SEQUENCE {
/// contentType OID, contentEncryptionAlgorithm AlgorithmIdentifier, encryptedContent [0]
/// IMPLICIT OCTET STRING OPTIONAL }, unprotectedAttrs [1] IMPLICIT OPTIONAL }`.
fn read_encrypted_data(
    content: &[u8],
    passwords: &Passwords<'_>,
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    const STRUCTURE: &str = "EncryptedData";
    const CONTENT: &str = "encryptedData contents";
    let encrypted_data = der::read_single(content, TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    let mut reader = Reader::new(encrypted_data);
    reader.read(TAG_INTEGER).map_err(malformed(STRUCTURE))?;
    let info = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;

    let mut reader = Reader::new(info);
    reader.read_oid().map_err(malformed(STRUCTURE))?;
    let algorithm = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    if reader.is_empty() {
        return Err(Pkcs12Error::Malformed {
            structure: STRUCTURE,
            reason: "encryptedContent is missing".to_owned(),
        });
    }
    let encrypted = reader.read_any().map_err(malformed(STRUCTURE))?;
    let encrypted =
        der::octet_string(encrypted, TAG_CONTEXT_0_PRIMITIVE).map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;

    let plaintext = decrypt::decrypt(algorithm, &encrypted, passwords, CONTENT)?;
    // A wrong key that happens to yield valid padding is caught here.
    der::read_single(&plaintext, TAG_SEQUENCE)
        .map_err(|_| Pkcs12Error::DecryptionFailed { content: CONTENT })?;
    Ok(plaintext)
}

/// Reads the `[0] EXPLICIT` content of a `data` ContentInfo: one OCTET STRING.
fn read_octet_string<'a>(
    content: &'a [u8],
    structure: &'static str,
) -> Result<std::borrow::Cow<'a, [u8]>, Pkcs12Error> {
    let mut reader = Reader::new(content);
    let octets = reader.read_any().map_err(malformed(structure))?;
    reader.finish().map_err(malformed(structure))?;
    der::octet_string(octets, TAG_OCTET_STRING).map_err(malformed(structure))
}

/// Encodes `der` as a PEM block with 64-character lines. The capacity is computed up front so
/// that no reallocation leaves a copy of key material behind.
fn pem_block(label: &str, der: &[u8]) -> String {
    let encoded = Zeroizing::new(STANDARD.encode(der));
    let lines = encoded.len().div_ceil(64);
    let mut pem = String::with_capacity(2 * label.len() + 32 + encoded.len() + lines);
    pem.push_str("-----BEGIN ");
    pem.push_str(label);
    pem.push_str("-----\n");
    let mut rest = encoded.as_str();
    while !rest.is_empty() {
        let (line, after) = rest.split_at_checked(64).unwrap_or((rest, ""));
        pem.push_str(line);
        pem.push('\n');
        rest = after;
    }
    pem.push_str("-----END ");
    pem.push_str(label);
    pem.push_str("-----\n");
    pem
}

/// Returns a mapper from a DER error to [`Pkcs12Error::Malformed`] for `structure`.
fn malformed(structure: &'static str) -> impl Fn(DerError) -> Pkcs12Error {
    move |error| Pkcs12Error::Malformed {
        structure,
        reason: error.to_string(),
    }
}

fn unsupported_algorithm(purpose: &'static str, algorithm: String) -> Pkcs12Error {
    Pkcs12Error::UnsupportedAlgorithm {
        purpose,
        name: oid::name(&algorithm),
        oid: algorithm,
    }
}

fn unsupported_content_type(content_type: String) -> Pkcs12Error {
    let name = oid::name(&content_type)
        .map(|name| format!(" ({name})"))
        .unwrap_or_default();
    Pkcs12Error::Unsupported(format!("content type {content_type}{name}"))
}

/// Reads an iteration count: a positive INTEGER up to [`MAX_ITERATIONS`].
fn read_iterations(
    reader: &mut Reader<'_>,
    structure: &'static str,
) -> Result<NonZeroU32, Pkcs12Error> {
    let content = reader.read(TAG_INTEGER).map_err(malformed(structure))?;
    let count = der::parse_u32(content).map_err(malformed(structure))?;
    if count > MAX_ITERATIONS {
        return Err(Pkcs12Error::Malformed {
            structure,
            reason: format!("the iteration count {count} is above the maximum {MAX_ITERATIONS}"),
        });
    }
    NonZeroU32::new(count).ok_or_else(|| Pkcs12Error::Malformed {
        structure,
        reason: "the iteration count is 0".to_owned(),
    })
}

/// Reads an optional iteration count whose DEFAULT is 1.
fn read_iterations_or_default(
    reader: &mut Reader<'_>,
    structure: &'static str,
) -> Result<NonZeroU32, Pkcs12Error> {
    if reader.peek_tag() == Some(TAG_INTEGER) {
        read_iterations(reader, structure)
    } else {
        Ok(NonZeroU32::MIN)
    }
}
