//! Outgoing email: messages are written to the outbox table inside the transaction of the
//! change that causes them, and a [`worker::MailWorker`] delivers them through a
//! [`transport::Transport`].

pub mod certification;
pub mod templates;
pub mod transport;
pub mod worker;

use std::sync::Arc;

use chrono::{NaiveDateTime, Utc};
use lettre::message::Mailbox;
use tokio::sync::Notify;

use crate::storage::outbox::NewMail;

/// The sender address could not be used.
#[derive(Debug, thiserror::Error)]
#[error("INCERT_MAIL_FROM is not a valid mailbox: {0}")]
pub struct InvalidSender(String);

/// Composes outbox rows and wakes the mail worker once they are committed.
#[derive(Debug, Clone)]
pub struct Mailer {
    from: Mailbox,
    wake: Arc<Notify>,
}

impl Mailer {
    pub fn new(mail_from: &str) -> Result<Self, InvalidSender> {
        let from = mail_from
            .parse::<Mailbox>()
            .map_err(|error| InvalidSender(error.to_string()))?;
        Ok(Self {
            from,
            wake: Arc::new(Notify::new()),
        })
    }

    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// Builds an outbox row for `recipient`, due now. Store it with
    /// [`crate::storage::outbox::enqueue`] in the transaction that causes it, then call
    /// [`Mailer::wake_worker`] after the commit.
    pub fn compose(
        &self,
        recipient: &str,
        subject: &str,
        body_text: String,
        body_html: Option<String>,
    ) -> NewMail {
        let now = now();
        NewMail {
            message_id: format!(
                "<{}@{}>",
                uuid::Uuid::new_v4().simple(),
                self.from.email.domain()
            ),
            recipient: recipient.to_owned(),
            subject: subject.to_owned(),
            body_text,
            body_html,
            created_at: now,
            next_attempt_at: now,
        }
    }

    /// Tells the worker in this process that new mail is waiting, so it need not wait for its
    /// next poll. Workers in other processes find it at their next poll.
    pub fn wake_worker(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn wake_signal(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }
}

/// Returns the current time in UTC, truncated to microseconds as both databases store it.
pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond((now.nanosecond() / 1_000) * 1_000)
        .unwrap_or(now)
}

use chrono::Timelike;
