//! Mail transports: delivery to an SMTP server, or `.eml` files for local use.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailTransportKind, Settings};
use crate::storage::outbox::ClaimedMail;

/// A delivery failure, split by whether trying again can help.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The message can never be delivered as it is, such as an invalid recipient address or
    /// a permanent SMTP rejection.
    #[error("permanent failure: {0}")]
    Permanent(String),
    /// The server could not be reached or deferred the message.
    #[error("temporary failure: {0}")]
    Temporary(String),
}

/// The transport could not be set up from the settings.
#[derive(Debug, thiserror::Error)]
#[error("invalid SMTP settings: {0}")]
pub struct TransportSetupError(String);

/// A configured way to deliver mail.
#[derive(Clone)]
pub enum Transport {
    File {
        directory: PathBuf,
    },
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// Time limit of one whole delivery, from connecting to the server's last reply.
        timeout: Duration,
    },
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File { directory } => formatter
                .debug_struct("File")
                .field("directory", directory)
                .finish(),
            Self::Smtp { timeout, .. } => formatter
                .debug_struct("Smtp")
                .field("timeout", timeout)
                .finish_non_exhaustive(),
        }
    }
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Self, TransportSetupError> {
        match settings.mail_transport {
            MailTransportKind::File => Ok(Self::File {
                directory: settings.mail_dir(),
            }),
            MailTransportKind::Smtp => {
                let url = settings
                    .smtp_url
                    .as_ref()
                    .ok_or_else(|| TransportSetupError("INCERT_SMTP_URL is not set".to_owned()))?;
                Self::smtp(
                    url.expose(),
                    Duration::from_secs(settings.smtp_timeout_seconds),
                )
            }
        }
    }

    /// An SMTP transport for a URL such as `smtp://127.0.0.1:2525`.
    pub fn smtp(url: &str, timeout: Duration) -> Result<Self, TransportSetupError> {
        // lettre's error text can repeat the URL, which may hold a password.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| TransportSetupError("INCERT_SMTP_URL could not be parsed".to_owned()))?
            .timeout(Some(timeout))
            .build();
        Ok(Self::Smtp { transport, timeout })
    }

    /// Delivers one message. The body is never logged, because it may hold a one-time code.
    pub async fn deliver(&self, from: &Mailbox, mail: &ClaimedMail) -> Result<(), DeliveryError> {
        // Files are read by people in a text editor, so their text stays unencoded UTF-8;
        // SMTP gets lettre's 7-bit-safe encoding.
        let readable = matches!(self, Self::File { .. });
        let message = build_message(from, mail, readable)?;
        match self {
            Self::Smtp { transport, timeout } => {
                // lettre's own timeout covers each command but not the wait for the server's
                // greeting, so a server that accepts and stays silent would hold the worker.
                let sent = tokio::time::timeout(*timeout, transport.send(message))
                    .await
                    .map_err(|_| {
                        DeliveryError::Temporary(format!(
                            "SMTP delivery timed out after {} s",
                            timeout.as_secs()
                        ))
                    })?;
                sent.map(|_| ()).map_err(|error| {
                    if error.is_permanent() {
                        DeliveryError::Permanent(error.to_string())
                    } else {
                        DeliveryError::Temporary(error.to_string())
                    }
                })
            }
            Self::File { directory } => write_file(directory, mail, &message.formatted()).await,
        }
    }
}

fn build_message(
    from: &Mailbox,
    mail: &ClaimedMail,
    eight_bit: bool,
) -> Result<Message, DeliveryError> {
    // A domain such as "företag.se" goes out in punycode, so servers without SMTPUTF8 take it.
    let address = incert_domain::Email::parse(&mail.recipient)
        .ok()
        .filter(|email| !email.requires_smtputf8())
        .map_or_else(|| mail.recipient.clone(), |email| email.to_ascii());
    let recipient = address
        .parse::<Mailbox>()
        .map_err(|error| DeliveryError::Permanent(format!("invalid recipient: {error}")))?;
    let builder = Message::builder()
        .from(from.clone())
        .to(recipient)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()))
        .date_now();
    let built = match &mail.body_html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            mail.body_text.clone(),
            html.clone(),
        )),
        None => {
            // lettre refuses 8bit for lines of 76 bytes or more; such a body falls back to
            // its automatic encoding instead of failing. A single part also gets the
            // MIME-Version header that readers need before they decode the body.
            let body = if eight_bit {
                Body::new_with_encoding(mail.body_text.clone(), ContentTransferEncoding::EightBit)
                    .unwrap_or_else(Body::new)
            } else {
                Body::new(mail.body_text.clone())
            };
            builder.singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(body),
            )
        }
    };
    built.map_err(|error| DeliveryError::Permanent(format!("message could not be built: {error}")))
}

/// Writes `<directory>/<outbox id>.eml` through a temporary file, so a reader never sees half
/// a message.
async fn write_file(
    directory: &std::path::Path,
    mail: &ClaimedMail,
    content: &[u8],
) -> Result<(), DeliveryError> {
    let temporary_error = |error: std::io::Error| {
        DeliveryError::Temporary(format!("{}: {error}", directory.display()))
    };
    tokio::fs::create_dir_all(directory)
        .await
        .map_err(temporary_error)?;
    let name = format!("{:08}.eml", mail.id);
    let partial = directory.join(format!(".{name}.partial"));
    let path = directory.join(&name);
    tokio::fs::write(&partial, content)
        .await
        .map_err(temporary_error)?;
    tokio::fs::rename(&partial, &path)
        .await
        .map_err(temporary_error)?;
    tracing::info!(
        outbox_id = mail.id,
        recipient = %crate::telemetry::mask_email(&mail.recipient),
        path = %path.display(),
        "mail written to file",
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claimed(recipient: &str) -> ClaimedMail {
        ClaimedMail {
            id: 1,
            message_id: "<1@incert.test>".to_owned(),
            recipient: recipient.to_owned(),
            subject: "Engångskod".to_owned(),
            body_text: "Din engångskod är 123456.".to_owned(),
            body_html: None,
            attempts: 0,
        }
    }

    fn formatted(recipient: &str, eight_bit: bool) -> String {
        let from: Mailbox = "IncertOnline <noreply@incert.test>"
            .parse()
            .unwrap_or_else(|_| unreachable!("a valid sender"));
        let message = build_message(&from, &claimed(recipient), eight_bit);
        assert!(message.is_ok(), "{:?}", message.err());
        message
            .map(|message| String::from_utf8_lossy(&message.formatted()).into_owned())
            .unwrap_or_default()
    }

    #[test]
    fn smtp_message_declares_mime() {
        for eight_bit in [false, true] {
            let text = formatted("anna@example.se", eight_bit);
            assert!(text.contains("MIME-Version: 1.0"), "{text}");
            assert!(text.contains("Content-Type: text/plain"), "{text}");
        }
    }

    #[test]
    fn unicode_domain_goes_out_in_punycode() {
        let text = formatted("anna@exämple.se", false);
        assert!(text.contains("To: anna@xn--exmple-cua.se"), "{text}");
    }
}
