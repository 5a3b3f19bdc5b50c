//! Reading the messages the test SMTP server stored, decoded to plain text.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use base64::Engine;

use crate::helpers::{required_env, wait_until};

/// Returns the Maildir folder where the shared SMTP server puts new messages.
pub fn shared_inbox() -> PathBuf {
    PathBuf::from(required_env("INCERT_TEST_MAILDIR")).join("new")
}

/// A received message, decoded.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub received_at: SystemTime,
    pub headers: String,
    pub body: String,
}

impl ReceivedMail {
    /// Returns the body with line breaks and runs of spaces folded to single spaces, so a
    /// phrase matches wherever the mail text was wrapped.
    pub fn text(&self) -> String {
        self.body.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Returns every message in `inbox` addressed to `recipient`, oldest first.
pub fn messages_to(inbox: &Path, recipient: &str) -> Vec<ReceivedMail> {
    let Ok(entries) = std::fs::read_dir(inbox) else {
        return Vec::new();
    };
    let mut messages: Vec<ReceivedMail> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let raw = std::fs::read_to_string(entry.path()).ok()?;
            let received_at = entry.metadata().and_then(|meta| meta.modified()).ok()?;
            let mail = decode(&raw, received_at);
            let to_recipient = mail.headers.lines().any(|line| {
                line.to_ascii_lowercase().starts_with("x-rcptto:") && line.contains(recipient)
            });
            to_recipient.then_some(mail)
        })
        .collect();
    messages.sort_by_key(|mail| mail.received_at);
    messages
}

/// Waits until `recipient` has received at least `count` messages whose body contains
/// `marker`, and returns those messages.
pub async fn wait_for_messages(
    inbox: &Path,
    recipient: &str,
    marker: &str,
    count: usize,
) -> Vec<ReceivedMail> {
    let matching = || {
        messages_to(inbox, recipient)
            .into_iter()
            .filter(|mail| mail.text().contains(marker))
            .collect::<Vec<_>>()
    };
    let arrived = wait_until(Duration::from_secs(15), || async {
        matching().len() >= count
    })
    .await;
    assert!(
        arrived,
        "{recipient} did not receive {count} message(s) containing {marker:?}"
    );
    matching()
}

fn decode(raw: &str, received_at: SystemTime) -> ReceivedMail {
    let normalized = raw.replace("\r\n", "\n");
    let (headers, body) = normalized.split_once("\n\n").unwrap_or((&normalized, ""));
    let encoding = headers
        .lines()
        .find_map(|line| {
            let lower = line.to_ascii_lowercase();
            lower
                .strip_prefix("content-transfer-encoding:")
                .map(|value| value.trim().to_owned())
        })
        .unwrap_or_default();
    let body = match encoding.as_str() {
        "base64" => {
            let compact: String = body.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        "quoted-printable" => decode_quoted_printable(body),
        _ => body.to_owned(),
    };
    ReceivedMail {
        received_at,
        headers: headers.to_owned(),
        body,
    }
}

fn decode_quoted_printable(encoded: &str) -> String {
    let joined = encoded.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'=' && index + 2 < bytes.len() + 1 {
            let hex = joined
                .get(index + 1..index + 3)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok());
            if let Some(value) = hex {
                decoded.push(value);
                index += 3;
                continue;
            }
        }
        decoded.push(byte);
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// Returns the six-digit code on a line of its own in a login-code email.
pub fn login_code(mail: &ReceivedMail) -> String {
    mail.body
        .lines()
        .map(str::trim)
        .find(|line| line.len() == 6 && line.bytes().all(|byte| byte.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in: {}", mail.body))
        .to_owned()
}

/// Returns the first-time password from a welcome email.
pub fn initial_password(mail: &ReceivedMail) -> String {
    mail.body
        .lines()
        .find_map(|line| {
            line.split_once("engångslösenord är: ")
                .or_else(|| line.split_once("one-time password is: "))
                .map(|(_, password)| password.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no password in: {}", mail.body))
}

/// Returns the eight-digit code on a line of its own in a password-reset email.
pub fn reset_code(mail: &ReceivedMail) -> String {
    mail.body
        .lines()
        .map(str::trim)
        .find(|line| line.len() == 8 && line.bytes().all(|byte| byte.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no reset code in: {}", mail.body))
        .to_owned()
}
