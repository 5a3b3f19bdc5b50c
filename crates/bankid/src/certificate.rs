//! Validity period of the client certificate, and the names and public key that the PKCS#12
//! reader matches, read with a minimal DER reader.
//!
//! Only `tbsCertificate` of RFC 5280 up to `subjectPublicKeyInfo` is walked, which avoids a
//! full X.509 parser. reqwest and rustls parse and check the certificate fully when the client
//! is built.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::der::{
    self, DerError, Reader, TAG_BIT_STRING, TAG_INTEGER, TAG_SEQUENCE, Tlv, bit_string_bytes,
};
use crate::error::ConfigError;

/// A client certificate that expires within this many days is logged as a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

const PEM_CERTIFICATE_BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const PEM_CERTIFICATE_END: &str = "-----END CERTIFICATE-----";

const TAG_UTC_TIME: u8 = 0x17;
const TAG_GENERALIZED_TIME: u8 = 0x18;
/// `[0] EXPLICIT Version` in `TBSCertificate`.
const TAG_VERSION: u8 = 0xA0;

/// `notBefore` and `notAfter` of a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

/// State of a certificate's validity period at a point in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryStatus {
    Valid,
    /// Valid now, but it expires within [`EXPIRY_WARNING_DAYS`] days.
    ExpiresSoon {
        days_left: i64,
    },
    Expired,
    NotYetValid,
}

impl Validity {
    /// Classifies the validity at `now`.
    pub fn status_at(&self, now: DateTime<Utc>) -> ExpiryStatus {
        if now < self.not_before {
            return ExpiryStatus::NotYetValid;
        }
        if now > self.not_after {
            return ExpiryStatus::Expired;
        }
        let left = self.not_after - now;
        if left < TimeDelta::days(EXPIRY_WARNING_DAYS) {
            return ExpiryStatus::ExpiresSoon {
                days_left: left.num_days(),
            };
        }
        ExpiryStatus::Valid
    }
}

/// Reads the validity of the first certificate in `pem`, which for a client identity is the
/// leaf certificate.
pub fn first_certificate_validity(pem: &[u8]) -> Result<Validity, ConfigError> {
    let der = first_certificate_der(pem)?;
    certificate_validity(&der).map_err(|reason| ConfigError::InvalidPem {
        what: "client certificate",
        reason: reason.to_owned(),
    })
}

/// Checks the client certificate at `now`: an error when it is expired or not yet valid, a
/// `tracing` warning when it expires within [`EXPIRY_WARNING_DAYS`] days.
pub fn check_client_certificate(
    pem: &[u8],
    now: DateTime<Utc>,
) -> Result<ExpiryStatus, ConfigError> {
    let validity = first_certificate_validity(pem)?;
    let status = validity.status_at(now);
    match status {
        ExpiryStatus::Expired => Err(ConfigError::CertificateExpired {
            not_after: validity.not_after,
        }),
        ExpiryStatus::NotYetValid => Err(ConfigError::CertificateNotYetValid {
            not_before: validity.not_before,
        }),
        ExpiryStatus::ExpiresSoon { days_left } => {
            tracing::warn!(
                not_after = %validity.not_after,
                days_left,
                "the BankID client certificate expires soon; order a new one from the bank"
            );
            Ok(status)
        }
        ExpiryStatus::Valid => Ok(status),
    }
}

/// Decodes the first `CERTIFICATE` block of a PEM text.
fn first_certificate_der(pem: &[u8]) -> Result<Vec<u8>, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidPem {
        what: "client certificate",
        reason: reason.to_owned(),
    };
    let text = std::str::from_utf8(pem).map_err(|_| invalid("the PEM text is not UTF-8"))?;
    let start = text
        .find(PEM_CERTIFICATE_BEGIN)
        .ok_or_else(|| invalid("no \"-----BEGIN CERTIFICATE-----\" block found"))?;
    let body_and_rest = text
        .get(start + PEM_CERTIFICATE_BEGIN.len()..)
        .unwrap_or_default();
    let end = body_and_rest
        .find(PEM_CERTIFICATE_END)
        .ok_or_else(|| invalid("the certificate block has no END line"))?;
    let body: String = body_and_rest
        .get(..end)
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    STANDARD
        .decode(body)
        .map_err(|_| invalid("the certificate block is not valid base64"))
}

/// Fields of a certificate that the PKCS#12 reader uses to pick the leaf and order the chain.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CertificateNames<'a> {
    /// DER encoding of the issuer `Name`.
    pub issuer: &'a [u8],
    /// DER encoding of the subject `Name`.
    pub subject: &'a [u8],
    /// The `subjectPublicKey` bits of `SubjectPublicKeyInfo`.
    pub public_key: &'a [u8],
}

/// Parts of `TBSCertificate` up to the subject public key.
struct TbsCertificate<'a> {
    issuer: Tlv<'a>,
    validity: &'a [u8],
    subject: Tlv<'a>,
    subject_public_key_info: &'a [u8],
}

/// Walks `Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL,
/// serialNumber INTEGER, signature SEQUENCE, issuer SEQUENCE, validity SEQUENCE,
/// subject SEQUENCE, subjectPublicKeyInfo SEQUENCE, ... } ... }`.
fn tbs_certificate(der: &[u8]) -> Result<TbsCertificate<'_>, &'static str> {
    let (certificate, _) = read_tlv(der)?;
    if certificate.tag != TAG_SEQUENCE {
        return Err("the data is not a DER certificate");
    }
    let mut reader = Reader::new(certificate.content);
    let tbs = read_expected(&mut reader, TAG_SEQUENCE)?;

    let mut reader = Reader::new(tbs.content);
    if reader.peek_tag() == Some(TAG_VERSION) {
        reader.read_any().map_err(der_reason)?;
    }
    read_expected(&mut reader, TAG_INTEGER)?;
    read_expected(&mut reader, TAG_SEQUENCE)?;
    let issuer = read_expected(&mut reader, TAG_SEQUENCE)?;
    let validity = read_expected(&mut reader, TAG_SEQUENCE)?;
    let subject = read_expected(&mut reader, TAG_SEQUENCE)?;
    let subject_public_key_info = read_expected(&mut reader, TAG_SEQUENCE)?;
    Ok(TbsCertificate {
        issuer,
        validity: validity.content,
        subject,
        subject_public_key_info: subject_public_key_info.content,
    })
}

fn certificate_validity(der: &[u8]) -> Result<Validity, &'static str> {
    let validity = tbs_certificate(der)?.validity;
    let (not_before, rest) = read_tlv(validity)?;
    let (not_after, _) = read_tlv(rest)?;
    Ok(Validity {
        not_before: parse_time(not_before.tag, not_before.content)?,
        not_after: parse_time(not_after.tag, not_after.content)?,
    })
}

/// Reads the issuer, subject and public key of a DER certificate.
pub(crate) fn certificate_names(der: &[u8]) -> Result<CertificateNames<'_>, &'static str> {
    let tbs = tbs_certificate(der)?;
    let mut reader = Reader::new(tbs.subject_public_key_info);
    read_expected(&mut reader, TAG_SEQUENCE)?;
    let bits = read_expected(&mut reader, TAG_BIT_STRING)?;
    let public_key = bit_string_bytes(bits.content)
        .map_err(|_| "invalid subject public key in the certificate")?;
    Ok(CertificateNames {
        issuer: tbs.issuer.encoding,
        subject: tbs.subject.encoding,
        public_key,
    })
}

fn read_expected<'a>(reader: &mut Reader<'a>, expected: u8) -> Result<Tlv<'a>, &'static str> {
    reader.read_tlv(expected).map_err(der_reason)
}

/// Reads one DER tag-length-value and returns it with the bytes after it.
fn read_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), &'static str> {
    der::read_tlv(input).map_err(der_reason)
}

fn der_reason(error: DerError) -> &'static str {
    match error {
        DerError::Truncated => "the certificate DER is truncated",
        DerError::LengthTooLong => "unsupported DER length in the certificate",
        _ => "unexpected DER structure in the certificate",
    }
}

/// Parses `UTCTime` (`YYMMDDHHMMSSZ`, years 50–99 mean 19xx as RFC 5280 specifies) or
/// `GeneralizedTime` (`YYYYMMDDHHMMSSZ`).
fn parse_time(tag: u8, content: &[u8]) -> Result<DateTime<Utc>, &'static str> {
    const INVALID: &str = "invalid time in the certificate validity";
    let text = std::str::from_utf8(content).map_err(|_| INVALID)?;
    let digits = text.strip_suffix('Z').ok_or(INVALID)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(INVALID);
    }
    let (year, rest) = match tag {
        TAG_UTC_TIME if digits.len() == 12 => {
            let short: i32 = number(digits, 0, 2)?;
            let year = if short >= 50 {
                1900 + short
            } else {
                2000 + short
            };
            (year, digits.get(2..).ok_or(INVALID)?)
        }
        TAG_GENERALIZED_TIME if digits.len() == 14 => {
            (number(digits, 0, 4)?, digits.get(4..).ok_or(INVALID)?)
        }
        _ => return Err(INVALID),
    };
    let date =
        NaiveDate::from_ymd_opt(year, number(rest, 0, 2)?, number(rest, 2, 4)?).ok_or(INVALID)?;
    let time = date
        .and_hms_opt(
            number(rest, 4, 6)?,
            number(rest, 6, 8)?,
            number(rest, 8, 10)?,
        )
        .ok_or(INVALID)?;
    Ok(time.and_utc())
}

fn number<T: std::str::FromStr>(text: &str, from: usize, to: usize) -> Result<T, &'static str> {
    text.get(from..to)
        .and_then(|part| part.parse().ok())
        .ok_or("invalid time in the certificate validity")
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "a test fails by panicking"
    )]

    use super::*;

    fn certificate_pem(not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> String {
        let mut params = rcgen::CertificateParams::new(vec!["client.test".to_owned()]).unwrap();
        params.not_before = rcgen::date_time_ymd(not_before.0, not_before.1, not_before.2);
        params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
        let key = rcgen::KeyPair::generate().unwrap();
        params.self_signed(&key).unwrap().pem()
    }

    fn at(year: i32, month: u32, day: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(year, month, day)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc()
    }

    #[test]
    fn validity_reads_utc_and_generalized_times() {
        // rcgen writes UTCTime for years up to 2049 and GeneralizedTime from 2050 on.
        let pem = certificate_pem((2024, 1, 2), (2051, 3, 4));
        let validity = first_certificate_validity(pem.as_bytes()).unwrap();
        assert_eq!(
            validity.not_before,
            at(2024, 1, 2)
                .date_naive()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
        );
        assert_eq!(
            validity.not_after,
            at(2051, 3, 4)
                .date_naive()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
        );
    }

    #[test]
    fn expiry_status_classifies_dates() {
        let pem = certificate_pem((2024, 1, 1), (2025, 1, 1));
        let validity = first_certificate_validity(pem.as_bytes()).unwrap();
        assert_eq!(
            validity.status_at(at(2023, 6, 1)),
            ExpiryStatus::NotYetValid
        );
        assert_eq!(validity.status_at(at(2024, 6, 1)), ExpiryStatus::Valid);
        assert_eq!(
            validity.status_at(at(2024, 12, 22)),
            ExpiryStatus::ExpiresSoon { days_left: 9 }
        );
        assert_eq!(validity.status_at(at(2025, 1, 2)), ExpiryStatus::Expired);
    }

    #[test]
    fn check_rejects_expired_certificate() {
        let pem = certificate_pem((2020, 1, 1), (2021, 1, 1));
        let error = check_client_certificate(pem.as_bytes(), at(2022, 1, 1)).unwrap_err();
        assert!(matches!(error, ConfigError::CertificateExpired { .. }));
        assert!(error.to_string().contains("2021-01-01"));
    }

    #[test]
    fn check_warns_but_accepts_certificate_expiring_soon() {
        let pem = certificate_pem((2020, 1, 1), (2021, 1, 1));
        let status = check_client_certificate(pem.as_bytes(), at(2020, 12, 20)).unwrap();
        assert_eq!(status, ExpiryStatus::ExpiresSoon { days_left: 11 });
    }

    #[test]
    fn check_rejects_certificate_not_yet_valid() {
        let pem = certificate_pem((2030, 1, 1), (2031, 1, 1));
        let error = check_client_certificate(pem.as_bytes(), at(2029, 1, 1)).unwrap_err();
        assert!(matches!(error, ConfigError::CertificateNotYetValid { .. }));
    }

    #[test]
    fn pem_without_certificate_is_rejected() {
        let error = first_certificate_validity(
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        )
        .unwrap_err();
        assert!(error.to_string().contains("BEGIN CERTIFICATE"));
    }

    #[test]
    fn truncated_der_is_rejected() {
        let pem = certificate_pem((2024, 1, 1), (2025, 1, 1));
        let der = first_certificate_der(pem.as_bytes()).unwrap();
        let truncated = der.get(..40).unwrap();
        assert_eq!(
            certificate_validity(truncated).unwrap_err(),
            "the certificate DER is truncated"
        );
    }

    #[test]
    fn utc_time_before_1950_cutoff_maps_to_2000s() {
        assert_eq!(
            parse_time(TAG_UTC_TIME, b"490101000000Z").unwrap(),
            NaiveDate::from_ymd_opt(2049, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
        );
        assert_eq!(
            parse_time(TAG_UTC_TIME, b"500101000000Z").unwrap(),
            NaiveDate::from_ymd_opt(1950, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
        );
        assert!(parse_time(TAG_UTC_TIME, b"5001010000Z").is_err());
    }
}
