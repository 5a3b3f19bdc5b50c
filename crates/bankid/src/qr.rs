//! Animated QR codes.
//!
//! The QR code shown on another device than the BankID app changes every second. Its content
//! is `bankid.{qrStartToken}.{seconds}.{hmac}`, where `seconds` is the whole number of seconds
//! since the order was created and `hmac` is HMAC-SHA256 keyed with `qrStartSecret` over the
//! decimal `seconds`, written as lower-case hex.

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;

use crate::model::{OrderResponse, QrStartSecret};

type HmacSha256 = Hmac<Sha256>;

/// Computes the QR code content `seconds` after the order was created.
pub fn qr_code_data(qr_start_token: &str, qr_start_secret: &QrStartSecret, seconds: u64) -> String {
    let auth_code = qr_auth_code(qr_start_secret.expose(), seconds);
    format!("bankid.{qr_start_token}.{seconds}.{auth_code}")
}

/// Computes the lower-case hex HMAC-SHA256 of the decimal `seconds`, keyed with the secret.
pub(crate) fn qr_auth_code(qr_start_secret: &str, seconds: u64) -> String {
    let mut mac = match HmacSha256::new_from_slice(qr_start_secret.as_bytes()) {
        Ok(mac) => mac,
        // hmac 0.13 hashes long keys and pads short ones, so every key length is accepted.
        Err(_) => unreachable!("HMAC-SHA256 accepts keys of any length"),
    };
    mac.update(seconds.to_string().as_bytes());
    to_lower_hex(&mac.finalize().into_bytes())
}

fn to_lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The animated QR code of one order: token, secret and the time the order was created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnimatedQr {
    pub qr_start_token: String,
    pub qr_start_secret: QrStartSecret,
    /// When the relying party received the `auth` or `sign` response.
    pub order_created_at: DateTime<Utc>,
}

impl AnimatedQr {
    /// Creates the QR code of an order created at `created_at`.
    pub fn new(order: &OrderResponse, created_at: DateTime<Utc>) -> Self {
        Self {
            qr_start_token: order.qr_start_token.clone(),
            qr_start_secret: order.qr_start_secret.clone(),
            order_created_at: created_at,
        }
    }

    /// Computes the QR code content to show at `now`. A `now` before the creation time counts
    /// as zero seconds.
    pub fn data_at(&self, now: DateTime<Utc>) -> String {
        let seconds = u64::try_from((now - self.order_created_at).num_seconds()).unwrap_or(0);
        qr_code_data(&self.qr_start_token, &self.qr_start_secret, seconds)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

    use chrono::TimeDelta;

    use super::*;

    const TOKEN: &str = "67df3917-fa0d-44e5-b327-edcc928297f8";
    const SECRET: &str = "d28db9a7-4cde-429e-a983-359be676944c";

    #[test]
    fn qr_matches_published_vector() {
        let secret = QrStartSecret::new(SECRET);
        assert_eq!(
            qr_code_data(TOKEN, &secret, 0),
            format!(
                "bankid.{TOKEN}.0.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"
            )
        );
        assert_eq!(
            qr_code_data(TOKEN, &secret, 1),
            format!(
                "bankid.{TOKEN}.1.949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2"
            )
        );
    }

    #[test]
    fn animated_qr_counts_whole_seconds() {
        let created = DateTime::parse_from_rfc3339("2025-01-01T10:00:00Z")
            .unwrap()
            .to_utc();
        let qr = AnimatedQr {
            qr_start_token: TOKEN.to_owned(),
            qr_start_secret: QrStartSecret::new(SECRET),
            order_created_at: created,
        };
        let secret = QrStartSecret::new(SECRET);
        assert_eq!(qr.data_at(created), qr_code_data(TOKEN, &secret, 0));
        assert_eq!(
            qr.data_at(created + TimeDelta::milliseconds(1_999)),
            qr_code_data(TOKEN, &secret, 1)
        );
        assert_eq!(
            qr.data_at(created - TimeDelta::seconds(5)),
            qr_code_data(TOKEN, &secret, 0)
        );
    }

    #[test]
    fn secret_is_redacted_in_debug() {
        let qr = AnimatedQr {
            qr_start_token: TOKEN.to_owned(),
            qr_start_secret: QrStartSecret::new(SECRET),
            order_created_at: Utc::now(),
        };
        assert!(!format!("{qr:?}").contains(SECRET));
    }
}
