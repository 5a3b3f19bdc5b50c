//! Reader for ASN.1 values in DER (ITU-T X.690), used for certificates and PKCS#12 files.
//!
//! Besides DER it accepts the two BER forms that some PKCS#12 producers write: indefinite
//! lengths ending in an end-of-contents marker, and constructed OCTET STRINGs split into
//! segments. Tag numbers above 30 and lengths of more than 4 bytes are rejected, because no
//! structure read here uses them.

use std::borrow::Cow;

pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_BIT_STRING: u8 = 0x03;
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
pub(crate) const TAG_NULL: u8 = 0x05;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_BMP_STRING: u8 = 0x1E;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;
pub(crate) const TAG_SET: u8 = 0x31;
/// `[0]` in constructed form, the tag of `[0] EXPLICIT` values.
pub(crate) const TAG_CONTEXT_0: u8 = 0xA0;
/// `[0]` in primitive form, the tag of an `[0] IMPLICIT OCTET STRING`.
pub(crate) const TAG_CONTEXT_0_PRIMITIVE: u8 = 0x80;

/// Bit 6 of the identifier octet marks a constructed encoding.
const CONSTRUCTED: u8 = 0x20;

/// Maximum nesting of indefinite-length values and OCTET STRING segments. Real files nest a
/// few levels, and the limit keeps hostile input from exhausting the stack.
const MAX_NESTING: usize = 32;

/// A malformed or unsupported encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DerError {
    #[error("the data is truncated")]
    Truncated,
    #[error("a length field is longer than 4 bytes")]
    LengthTooLong,
    #[error("a primitive value has an indefinite length")]
    IndefinitePrimitive,
    #[error("a tag number above 30 is not supported")]
    HighTagNumber,
    #[error("values are nested more than {MAX_NESTING} levels deep")]
    TooDeep,
    #[error("expected tag 0x{expected:02X}, found 0x{found:02X}")]
    UnexpectedTag { expected: u8, found: u8 },
    #[error("unexpected data after the value")]
    TrailingData,
    #[error("invalid INTEGER")]
    InvalidInteger,
    #[error("INTEGER larger than 4294967295")]
    IntegerTooLarge,
    #[error("invalid OBJECT IDENTIFIER")]
    InvalidOid,
    #[error("invalid BIT STRING")]
    InvalidBitString,
}

/// One tag-length-value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    /// The content octets. For an indefinite length they exclude the end-of-contents marker.
    pub content: &'a [u8],
    /// The whole encoding: identifier, length, content and any end-of-contents marker.
    pub encoding: &'a [u8],
}

/// Reads one value from the start of `input` and returns it with the bytes after it.
pub(crate) fn read_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), DerError> {
    read_tlv_nested(input, 0)
}

fn read_tlv_nested(input: &[u8], depth: usize) -> Result<(Tlv<'_>, &[u8]), DerError> {
    if depth > MAX_NESTING {
        return Err(DerError::TooDeep);
    }
    let (&tag, rest) = input.split_first().ok_or(DerError::Truncated)?;
    if tag & 0x1F == 0x1F {
        return Err(DerError::HighTagNumber);
    }
    let (&first_length_byte, rest) = rest.split_first().ok_or(DerError::Truncated)?;

    let (content, after) = match first_length_byte {
        0x00..=0x7F => rest
            .split_at_checked(usize::from(first_length_byte))
            .ok_or(DerError::Truncated)?,
        0x80 => {
            if tag & CONSTRUCTED == 0 {
                return Err(DerError::IndefinitePrimitive);
            }
            split_indefinite(rest, depth)?
        }
        0x81..=0x84 => {
            let count = usize::from(first_length_byte & 0x7F);
            let (length_bytes, rest) = rest.split_at_checked(count).ok_or(DerError::Truncated)?;
            let length = length_bytes
                .iter()
                .fold(0u32, |length, &byte| (length << 8) | u32::from(byte));
            let length = usize::try_from(length).map_err(|_| DerError::Truncated)?;
            rest.split_at_checked(length).ok_or(DerError::Truncated)?
        }
        _ => return Err(DerError::LengthTooLong),
    };

    let encoding_length = input.len() - after.len();
    let encoding = input.get(..encoding_length).ok_or(DerError::Truncated)?;
    Ok((
        Tlv {
            tag,
            content,
            encoding,
        },
        after,
    ))
}

/// Splits the content of an indefinite-length value from the bytes after its end-of-contents
/// marker (`00 00`), skipping over the nested values in between.
fn split_indefinite(input: &[u8], depth: usize) -> Result<(&[u8], &[u8]), DerError> {
    let mut cursor = input;
    loop {
        if let Some(after) = cursor.strip_prefix(&[0x00, 0x00]) {
            let content = input
                .get(..input.len() - cursor.len())
                .ok_or(DerError::Truncated)?;
            return Ok((content, after));
        }
        let (_, after) = read_tlv_nested(cursor, depth + 1)?;
        cursor = after;
    }
}

/// Sequential reader over the values inside a constructed value.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self { rest: input }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    pub(crate) fn read_any(&mut self) -> Result<Tlv<'a>, DerError> {
        let (tlv, rest) = read_tlv(self.rest)?;
        self.rest = rest;
        Ok(tlv)
    }

    /// Reads a value with tag `expected` and returns its content.
    pub(crate) fn read(&mut self, expected: u8) -> Result<&'a [u8], DerError> {
        Ok(self.read_tlv(expected)?.content)
    }

    /// Reads a value with tag `expected`.
    pub(crate) fn read_tlv(&mut self, expected: u8) -> Result<Tlv<'a>, DerError> {
        let (tlv, rest) = read_tlv(self.rest)?;
        if tlv.tag != expected {
            return Err(DerError::UnexpectedTag {
                expected,
                found: tlv.tag,
            });
        }
        self.rest = rest;
        Ok(tlv)
    }

    /// Reads the next value if its tag is `expected`.
    pub(crate) fn read_optional(&mut self, expected: u8) -> Result<Option<&'a [u8]>, DerError> {
        if self.peek_tag() == Some(expected) {
            self.read(expected).map(Some)
        } else {
            Ok(None)
        }
    }

    pub(crate) fn read_oid(&mut self) -> Result<String, DerError> {
        oid_to_string(self.read(TAG_OID)?)
    }

    /// Checks that every value was read.
    pub(crate) fn finish(self) -> Result<(), DerError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DerError::TrailingData)
        }
    }
}

/// Reads the content of a value that must be the only one in `input`.
pub(crate) fn read_single(input: &[u8], expected: u8) -> Result<&[u8], DerError> {
    let mut reader = Reader::new(input);
    let content = reader.read(expected)?;
    reader.finish()?;
    Ok(content)
}

/// Returns the bytes of an OCTET STRING that may be sent in segments. `primitive_tag` is
/// [`TAG_OCTET_STRING`], or the tag that replaces it under IMPLICIT tagging.
pub(crate) fn octet_string(tlv: Tlv<'_>, primitive_tag: u8) -> Result<Cow<'_, [u8]>, DerError> {
    if tlv.tag == primitive_tag {
        return Ok(Cow::Borrowed(tlv.content));
    }
    if tlv.tag != primitive_tag | CONSTRUCTED {
        return Err(DerError::UnexpectedTag {
            expected: primitive_tag,
            found: tlv.tag,
        });
    }
    let mut bytes = Vec::with_capacity(tlv.content.len());
    append_segments(tlv.content, &mut bytes, 0)?;
    Ok(Cow::Owned(bytes))
}

/// Appends the segments of a constructed OCTET STRING, which are OCTET STRINGs themselves.
fn append_segments(content: &[u8], bytes: &mut Vec<u8>, depth: usize) -> Result<(), DerError> {
    if depth > MAX_NESTING {
        return Err(DerError::TooDeep);
    }
    let mut reader = Reader::new(content);
    while !reader.is_empty() {
        let segment = reader.read_any()?;
        match segment.tag {
            TAG_OCTET_STRING => bytes.extend_from_slice(segment.content),
            tag if tag == TAG_OCTET_STRING | CONSTRUCTED => {
                append_segments(segment.content, bytes, depth + 1)?;
            }
            found => {
                return Err(DerError::UnexpectedTag {
                    expected: TAG_OCTET_STRING,
                    found,
                });
            }
        }
    }
    Ok(())
}

/// Parses the content of a non-negative INTEGER that fits in 32 bits.
pub(crate) fn parse_u32(content: &[u8]) -> Result<u32, DerError> {
    let (&first, _) = content.split_first().ok_or(DerError::InvalidInteger)?;
    if first & 0x80 != 0 {
        return Err(DerError::InvalidInteger);
    }
    let significant = match content.strip_prefix(&[0x00]) {
        Some(rest) => rest,
        None => content,
    };
    if significant.len() > 4 {
        return Err(DerError::IntegerTooLarge);
    }
    Ok(significant
        .iter()
        .fold(0u32, |value, &byte| (value << 8) | u32::from(byte)))
}

/// Returns the bits of a BIT STRING whose length is a whole number of bytes.
pub(crate) fn bit_string_bytes(content: &[u8]) -> Result<&[u8], DerError> {
    match content.split_first() {
        Some((0, bytes)) => Ok(bytes),
        _ => Err(DerError::InvalidBitString),
    }
}

/// Formats the content of an OBJECT IDENTIFIER in dotted decimal, such as
/// `1.2.840.113549.1.7.1`.
pub(crate) fn oid_to_string(content: &[u8]) -> Result<String, DerError> {
    let mut arcs = Vec::new();
    let mut value: u64 = 0;
    let mut in_arc = false;
    for &byte in content {
        // A subidentifier starting with 0x80 is not minimally encoded.
        if !in_arc && byte == 0x80 {
            return Err(DerError::InvalidOid);
        }
        if value > u64::MAX >> 7 {
            return Err(DerError::InvalidOid);
        }
        value = (value << 7) | u64::from(byte & 0x7F);
        in_arc = byte & 0x80 != 0;
        if !in_arc {
            arcs.push(value);
            value = 0;
        }
    }
    let (&first, rest) = arcs.split_first().ok_or(DerError::InvalidOid)?;
    if in_arc {
        return Err(DerError::InvalidOid);
    }

    // The first subidentifier combines the first two arcs as 40 * X + Y.
    let (x, y) = match first {
        0..40 => (0, first),
        40..80 => (1, first - 40),
        _ => (2, first - 80),
    };
    let mut text = format!("{x}.{y}");
    for arc in rest {
        text.push('.');
        text.push_str(&arc.to_string());
    }
    Ok(text)
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
    fn definite_lengths_are_read() {
        let (tlv, rest) = read_tlv(&[0x04, 0x02, 0xAA, 0xBB, 0xCC]).unwrap();
        assert_eq!(tlv.tag, TAG_OCTET_STRING);
        assert_eq!(tlv.content, &[0xAA, 0xBB]);
        assert_eq!(tlv.encoding, &[0x04, 0x02, 0xAA, 0xBB]);
        assert_eq!(rest, &[0xCC]);

        let mut long = vec![0x04, 0x82, 0x01, 0x00];
        long.extend(std::iter::repeat_n(0x11, 256));
        let (tlv, rest) = read_tlv(&long).unwrap();
        assert_eq!(tlv.content.len(), 256);
        assert!(rest.is_empty());
    }

    #[test]
    fn malformed_lengths_are_rejected() {
        assert_eq!(read_tlv(&[]).unwrap_err(), DerError::Truncated);
        assert_eq!(read_tlv(&[0x30]).unwrap_err(), DerError::Truncated);
        assert_eq!(
            read_tlv(&[0x04, 0x03, 0x00]).unwrap_err(),
            DerError::Truncated
        );
        assert_eq!(
            read_tlv(&[0x04, 0x85, 0, 0, 0, 0, 1]).unwrap_err(),
            DerError::LengthTooLong
        );
        assert_eq!(
            read_tlv(&[0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]).unwrap_err(),
            DerError::Truncated
        );
        assert_eq!(
            read_tlv(&[0x04, 0x80, 0x00, 0x00]).unwrap_err(),
            DerError::IndefinitePrimitive
        );
        assert_eq!(
            read_tlv(&[0x1F, 0x01, 0x00]).unwrap_err(),
            DerError::HighTagNumber
        );
    }

    #[test]
    fn indefinite_length_ends_at_end_of_contents() {
        // SEQUENCE (indefinite) { OCTET STRING 01, SEQUENCE (indefinite) { NULL } } then 0xEE.
        let input = [
            0x30, 0x80, 0x04, 0x01, 0x01, 0x30, 0x80, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0xEE,
        ];
        let (tlv, rest) = read_tlv(&input).unwrap();
        assert_eq!(tlv.tag, TAG_SEQUENCE);
        assert_eq!(tlv.content, &input[2..11]);
        assert_eq!(tlv.encoding, &input[..13]);
        assert_eq!(rest, &[0xEE]);

        let mut reader = Reader::new(tlv.content);
        assert_eq!(reader.read(TAG_OCTET_STRING).unwrap(), &[0x01]);
        assert_eq!(reader.read(TAG_SEQUENCE).unwrap(), &[0x05, 0x00]);
        reader.finish().unwrap();
    }

    #[test]
    fn indefinite_length_without_end_is_truncated() {
        assert_eq!(
            read_tlv(&[0x30, 0x80, 0x05, 0x00]).unwrap_err(),
            DerError::Truncated
        );
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let mut input = Vec::new();
        for _ in 0..=MAX_NESTING + 1 {
            input.extend_from_slice(&[0x30, 0x80]);
        }
        for _ in 0..=MAX_NESTING + 1 {
            input.extend_from_slice(&[0x00, 0x00]);
        }
        assert_eq!(read_tlv(&input).unwrap_err(), DerError::TooDeep);
    }

    #[test]
    fn constructed_octet_string_is_joined() {
        // OCTET STRING (constructed) { 04 02 'ab', OCTET STRING (constructed) { 04 01 'c' } }
        let input = [
            0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x24, 0x03, 0x04, 0x01, b'c', 0x00, 0x00,
        ];
        let (tlv, _) = read_tlv(&input).unwrap();
        assert_eq!(
            octet_string(tlv, TAG_OCTET_STRING).unwrap().as_ref(),
            b"abc"
        );

        let implicit = [0xA0, 0x03, 0x04, 0x01, b'z'];
        let (tlv, _) = read_tlv(&implicit).unwrap();
        assert_eq!(
            octet_string(tlv, TAG_CONTEXT_0_PRIMITIVE).unwrap().as_ref(),
            b"z"
        );

        let wrong_segment = [0x24, 0x02, 0x05, 0x00];
        let (tlv, _) = read_tlv(&wrong_segment).unwrap();
        assert!(octet_string(tlv, TAG_OCTET_STRING).is_err());
    }

    #[test]
    fn integers_are_parsed() {
        assert_eq!(parse_u32(&[0x08, 0x00]).unwrap(), 2048);
        assert_eq!(
            parse_u32(&[0x00, 0xFF, 0xFF, 0xFF, 0xFF]).unwrap(),
            u32::MAX
        );
        assert_eq!(parse_u32(&[]).unwrap_err(), DerError::InvalidInteger);
        assert_eq!(parse_u32(&[0x80]).unwrap_err(), DerError::InvalidInteger);
        assert_eq!(
            parse_u32(&[0x01, 0x00, 0x00, 0x00, 0x00]).unwrap_err(),
            DerError::IntegerTooLarge
        );
    }

    #[test]
    fn oids_are_formatted() {
        assert_eq!(
            oid_to_string(&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01]).unwrap(),
            "1.2.840.113549.1.7.1"
        );
        assert_eq!(
            oid_to_string(&[0x2B, 0x0E, 0x03, 0x02, 0x1A]).unwrap(),
            "1.3.14.3.2.26"
        );
        assert_eq!(
            oid_to_string(&[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]).unwrap(),
            "2.16.840.1.101.3.4.2.1"
        );
        assert_eq!(oid_to_string(&[]).unwrap_err(), DerError::InvalidOid);
        assert_eq!(
            oid_to_string(&[0x2A, 0x86]).unwrap_err(),
            DerError::InvalidOid
        );
        assert_eq!(
            oid_to_string(&[0x2A, 0x80, 0x01]).unwrap_err(),
            DerError::InvalidOid
        );
        assert_eq!(
            oid_to_string(&[0xFF; 12]).unwrap_err(),
            DerError::InvalidOid
        );
    }
}
