//! `SafeContents` and the bags in it (RFC 7292, section 4.2).

use zeroize::Zeroizing;

use super::{Passwords, decrypt, malformed, oid};
use crate::der::{
    self, Reader, TAG_BMP_STRING, TAG_CONTEXT_0, TAG_INTEGER, TAG_OCTET_STRING, TAG_SEQUENCE,
    TAG_SET,
};
use crate::error::Pkcs12Error;

/// Maximum nesting of `safeContentsBag`s, which OpenSSL does not write at all.
const MAX_NESTED_SAFE_CONTENTS: usize = 4;

/// The `localKeyId` and `friendlyName` attributes of a bag.
#[derive(Debug, Default, Clone)]
pub(super) struct BagAttributes {
    pub local_key_id: Option<Vec<u8>>,
    pub friendly_name: Option<String>,
}

/// A PKCS#8 `PrivateKeyInfo`, decrypted if it came from a `pkcs8ShroudedKeyBag`.
pub(super) struct KeyEntry {
    pub pkcs8_der: Zeroizing<Vec<u8>>,
    pub attributes: BagAttributes,
}

pub(super) struct CertificateEntry {
    pub der: Vec<u8>,
    pub attributes: BagAttributes,
}

/// Keys and certificates found so far, in file order.
#[derive(Default)]
pub(super) struct Entries {
    pub keys: Vec<KeyEntry>,
    pub certificates: Vec<CertificateEntry>,
}

/// Reads `SafeContents ::= SEQUENCE OF SafeBag` into `entries`. Bags of other types (CRLs,
/// secrets, SDSI certificates and unknown ones) are skipped.
pub(super) fn read_safe_contents(
    der: &[u8],
    passwords: &Passwords<'_>,
    entries: &mut Entries,
    depth: usize,
) -> Result<(), Pkcs12Error> {
    const STRUCTURE: &str = "SafeContents";
    if depth > MAX_NESTED_SAFE_CONTENTS {
        return Err(Pkcs12Error::Malformed {
            structure: STRUCTURE,
            reason: format!("safe contents are nested more than {MAX_NESTED_SAFE_CONTENTS} deep"),
        });
    }
    let bags = der::read_single(der, TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    let mut reader = Reader::new(bags);
    while !reader.is_empty() {
        let bag = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
        read_safe_bag(bag, passwords, entries, depth)?;
    }
    Ok(())
}

/// Reads `SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF
/// PKCS12Attribute OPTIONAL }`.
fn read_safe_bag(
    bag: &[u8],
    passwords: &Passwords<'_>,
    entries: &mut Entries,
    depth: usize,
) -> Result<(), Pkcs12Error> {
    const STRUCTURE: &str = "SafeBag";
    let mut reader = Reader::new(bag);
    let bag_id = reader.read_oid().map_err(malformed(STRUCTURE))?;
    let value = reader.read(TAG_CONTEXT_0).map_err(malformed(STRUCTURE))?;
    let attributes = match reader
        .read_optional(TAG_SET)
        .map_err(malformed(STRUCTURE))?
    {
        Some(set) => read_attributes(set)?,
        None => BagAttributes::default(),
    };
    reader.finish().map_err(malformed(STRUCTURE))?;

    match bag_id.as_str() {
        oid::KEY_BAG => {
            let key = der::read_single(value, TAG_SEQUENCE).map_err(malformed("keyBag"))?;
            check_private_key_info(key).map_err(|reason| Pkcs12Error::Malformed {
                structure: "keyBag",
                reason: reason.to_owned(),
            })?;
            entries.keys.push(KeyEntry {
                pkcs8_der: Zeroizing::new(value.to_vec()),
                attributes,
            });
        }
        oid::PKCS8_SHROUDED_KEY_BAG => {
            let pkcs8_der = read_shrouded_key(value, passwords)?;
            entries.keys.push(KeyEntry {
                pkcs8_der,
                attributes,
            });
        }
        oid::CERT_BAG => {
            if let Some(der) = read_cert_bag(value)? {
                entries
                    .certificates
                    .push(CertificateEntry { der, attributes });
            }
        }
        oid::SAFE_CONTENTS_BAG => read_safe_contents(value, passwords, entries, depth + 1)?,
        _ => tracing::debug!(bag_id, "skipping a PKCS#12 bag of another type"),
    }
    Ok(())
}

/// Decrypts `EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier,
/// encryptedData OCTET STRING }` and checks that the result is a `PrivateKeyInfo`.
fn read_shrouded_key(
    value: &[u8],
    passwords: &Passwords<'_>,
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    const STRUCTURE: &str = "EncryptedPrivateKeyInfo";
    let info = der::read_single(value, TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    let mut reader = Reader::new(info);
    let algorithm = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    let encrypted = reader.read_any().map_err(malformed(STRUCTURE))?;
    let encrypted = der::octet_string(encrypted, TAG_OCTET_STRING).map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;

    let content = "private key";
    let pkcs8_der = decrypt::decrypt(algorithm, &encrypted, passwords, content)?;
    // Without a MAC, or with content encrypted under another password, a wrong key yields
    // valid padding roughly once in 256 tries, so the structure is checked as well.
    let key = der::read_single(&pkcs8_der, TAG_SEQUENCE)
        .map_err(|_| Pkcs12Error::DecryptionFailed { content })?;
    check_private_key_info(key).map_err(|_| Pkcs12Error::DecryptionFailed { content })?;
    Ok(pkcs8_der)
}

/// Checks the start of `PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm
/// AlgorithmIdentifier, privateKey OCTET STRING, ... }`, given its content.
fn check_private_key_info(content: &[u8]) -> Result<(), &'static str> {
    let invalid = |_| "the private key is not a PKCS#8 PrivateKeyInfo";
    let mut reader = Reader::new(content);
    reader.read(TAG_INTEGER).map_err(invalid)?;
    reader.read(TAG_SEQUENCE).map_err(invalid)?;
    reader.read(TAG_OCTET_STRING).map_err(invalid)?;
    Ok(())
}

/// Reads `CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT ANY }` and returns the DER
/// of an X.509 certificate, or `None` for other certificate types.
fn read_cert_bag(value: &[u8]) -> Result<Option<Vec<u8>>, Pkcs12Error> {
    const STRUCTURE: &str = "CertBag";
    let bag = der::read_single(value, TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
    let mut reader = Reader::new(bag);
    let cert_id = reader.read_oid().map_err(malformed(STRUCTURE))?;
    let cert_value = reader.read(TAG_CONTEXT_0).map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;
    if cert_id != oid::X509_CERTIFICATE {
        tracing::debug!(cert_id, "skipping a PKCS#12 certificate of another type");
        return Ok(None);
    }

    let mut reader = Reader::new(cert_value);
    let octets = reader.read_any().map_err(malformed(STRUCTURE))?;
    let certificate = der::octet_string(octets, TAG_OCTET_STRING).map_err(malformed(STRUCTURE))?;
    reader.finish().map_err(malformed(STRUCTURE))?;
    Ok(Some(certificate.into_owned()))
}

/// Reads `SET OF PKCS12Attribute`, where `PKCS12Attribute ::= SEQUENCE { attrId OID,
/// attrValues SET OF ANY }`. Attributes other than `localKeyId` and `friendlyName` are
/// ignored.
fn read_attributes(set: &[u8]) -> Result<BagAttributes, Pkcs12Error> {
    const STRUCTURE: &str = "bag attributes";
    let mut attributes = BagAttributes::default();
    let mut reader = Reader::new(set);
    while !reader.is_empty() {
        let attribute = reader.read(TAG_SEQUENCE).map_err(malformed(STRUCTURE))?;
        let mut attribute = Reader::new(attribute);
        let id = attribute.read_oid().map_err(malformed(STRUCTURE))?;
        let values = attribute.read(TAG_SET).map_err(malformed(STRUCTURE))?;
        attribute.finish().map_err(malformed(STRUCTURE))?;

        let mut values = Reader::new(values);
        match id.as_str() {
            oid::LOCAL_KEY_ID => {
                let value = values
                    .read(TAG_OCTET_STRING)
                    .map_err(malformed("localKeyId attribute"))?;
                attributes.local_key_id = Some(value.to_vec());
            }
            oid::FRIENDLY_NAME => {
                let value = values
                    .read(TAG_BMP_STRING)
                    .map_err(malformed("friendlyName attribute"))?;
                attributes.friendly_name = Some(decode_bmp_string(value)?);
            }
            _ => {}
        }
    }
    Ok(attributes)
}

fn decode_bmp_string(bytes: &[u8]) -> Result<String, Pkcs12Error> {
    let invalid = || Pkcs12Error::Malformed {
        structure: "friendlyName attribute",
        reason: "the BMPString is not valid UTF-16".to_owned(),
    };
    let (pairs, remainder) = bytes.as_chunks::<2>();
    if !remainder.is_empty() {
        return Err(invalid());
    }
    let units: Vec<u16> = pairs.iter().map(|&pair| u16::from_be_bytes(pair)).collect();
    String::from_utf16(&units).map_err(|_| invalid())
}
