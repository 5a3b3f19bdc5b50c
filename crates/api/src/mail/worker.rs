//! The background worker that delivers outbox messages with retries and backoff.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use lettre::message::Mailbox;
use tokio::sync::{Notify, watch};

use super::transport::{DeliveryError, Transport};
use super::{Mailer, now};
use crate::config::Settings;
use crate::storage::outbox::{self, ClaimedMail, Retry};
use crate::storage::{Database, StorageError};
use crate::telemetry::RepeatLimit;

/// Messages claimed in one round.
const BATCH_SIZE: i64 = 10;

/// Retry and timing settings of a worker.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    pub poll_interval: Duration,
    pub retry_base: Duration,
    pub retry_max: Duration,
    pub max_attempts: u32,
    /// How long a claim lasts. It must outlast the delivery of a whole batch, or another
    /// worker could claim a message that is still being sent.
    pub lease: Duration,
}

impl WorkerSettings {
    pub fn from_settings(settings: &Settings) -> Self {
        let smtp_timeout = Duration::from_secs(settings.smtp_timeout_seconds);
        Self {
            poll_interval: Duration::from_millis(settings.mail_poll_interval_ms),
            retry_base: Duration::from_millis(settings.mail_retry_base_ms),
            retry_max: Duration::from_millis(settings.mail_retry_max_ms),
            max_attempts: settings.mail_max_attempts.max(1),
            lease: smtp_timeout * u32::try_from(BATCH_SIZE).unwrap_or(10) + Duration::from_secs(60),
        }
    }

    /// Delay before the next attempt after `attempts` failed ones: the base delay doubled for
    /// each earlier failure, capped at the maximum.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(31);
        self.retry_base
            .checked_mul(1_u32 << doublings)
            .unwrap_or(self.retry_max)
            .min(self.retry_max)
    }
}

/// Delivers due outbox messages. Several workers, in one process or many, may run against
/// one database: each message is claimed by one worker at a time.
#[derive(Debug)]
pub struct MailWorker {
    id: String,
    database: Database,
    transport: Transport,
    from: Mailbox,
    settings: WorkerSettings,
    wake: Arc<Notify>,
}

impl MailWorker {
    pub fn new(
        database: Database,
        transport: Transport,
        mailer: &Mailer,
        settings: WorkerSettings,
    ) -> Self {
        Self {
            id: format!("worker-{}", uuid::Uuid::new_v4().simple()),
            database,
            transport,
            from: mailer.from().clone(),
            settings,
            wake: mailer.wake_signal(),
        }
    }

    /// Runs until `shutdown` turns true, finishing the message in hand first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(worker = %self.id, "mail worker started");
        while !*shutdown.borrow() {
            let delivered = match self.deliver_due().await {
                Ok(count) => count,
                Err(error) => {
                    // Each poll fails the same way while the database is down.
                    static REPEATS: RepeatLimit = RepeatLimit::new(Duration::from_secs(60));
                    if let Some(held_back) = REPEATS.admit() {
                        tracing::warn!(worker = %self.id, %error, held_back, "mail worker could not read the outbox; retrying");
                    }
                    0
                }
            };
            if delivered > 0 {
                continue;
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.settings.poll_interval) => {}
                _ = shutdown.changed() => {}
            }
        }
        tracing::info!(worker = %self.id, "mail worker stopped");
    }

    /// Claims one batch of due messages and tries to deliver each. Returns how many were
    /// claimed.
    pub async fn deliver_due(&self) -> Result<usize, StorageError> {
        let worker = self.id.clone();
        let claim_time = now();
        let lease_until =
            claim_time + TimeDelta::from_std(self.settings.lease).unwrap_or(TimeDelta::minutes(10));
        let claimed = self
            .database
            .run(move |connection| {
                outbox::claim_due(connection, &worker, claim_time, lease_until, BATCH_SIZE)
                    .map_err(StorageError::from)
            })
            .await?;

        let count = claimed.len();
        // Each recipient's messages go out one after another, oldest first, so that within a
        // batch a newer code does not arrive before the one it replaced. A retried message
        // or one claimed by another worker can still arrive after a newer one. Different recipients' messages go
        // out at once over the transport's pooled connections, because each message waits
        // for the server's reply to its end, often 40 ms of delayed TCP acknowledgement.
        // One message at a time, that wait capped the worker at about 20 messages a second.
        let deliveries = by_recipient(claimed).into_iter().map(|mails| async move {
            for mail in mails {
                self.deliver_one(mail).await?;
            }
            Ok::<_, StorageError>(())
        });
        for outcome in futures_util::future::join_all(deliveries).await {
            outcome?;
        }
        Ok(count)
    }

    async fn deliver_one(&self, mail: ClaimedMail) -> Result<(), StorageError> {
        // A panic inside the transport must not stop the worker; it ends that message instead.
        let transport = self.transport.clone();
        let from = self.from.clone();
        let claimed = mail.clone();
        let outcome = tokio::spawn(async move { transport.deliver(&from, &claimed).await })
            .await
            .unwrap_or_else(|_| {
                Err(DeliveryError::Permanent(
                    "the transport panicked".to_owned(),
                ))
            });
        let attempts = u32::try_from(mail.attempts).unwrap_or(0).saturating_add(1);
        let worker = self.id.clone();
        let id = mail.id;

        match outcome {
            Ok(()) => {
                let recorded = self
                    .database
                    .run(move |connection| {
                        outbox::mark_sent(connection, id, &worker, now())
                            .map_err(StorageError::from)
                    })
                    .await?;
                if recorded {
                    tracing::info!(outbox_id = id, attempts, "mail delivered");
                } else {
                    tracing::warn!(
                        outbox_id = id,
                        "mail delivered after its claim expired; it may be sent twice"
                    );
                }
            }
            Err(error) => {
                let retry = match &error {
                    DeliveryError::Temporary(_) if attempts < self.settings.max_attempts => {
                        let delay = self.settings.backoff(attempts);
                        Retry::At(now() + TimeDelta::from_std(delay).unwrap_or(TimeDelta::hours(1)))
                    }
                    _ => Retry::GiveUp,
                };
                match retry {
                    Retry::At(at) => {
                        tracing::warn!(outbox_id = id, attempts, %error, next_attempt_at = %at, "mail delivery failed; will retry")
                    }
                    Retry::GiveUp => {
                        tracing::error!(outbox_id = id, attempts, %error, "mail delivery failed; giving up")
                    }
                }
                let message = error.to_string();
                self.database
                    .run(move |connection| {
                        outbox::mark_failed(connection, id, &worker, &message, retry, now())
                            .map_err(StorageError::from)
                    })
                    .await?;
            }
        }
        Ok(())
    }
}

/// Splits claimed messages into one list per recipient, each in the order given.
fn by_recipient(mails: Vec<ClaimedMail>) -> Vec<Vec<ClaimedMail>> {
    let mut lists: Vec<Vec<ClaimedMail>> = Vec::new();
    for mail in mails {
        match lists.iter_mut().find(|list| {
            list.first()
                .is_some_and(|first| first.recipient == mail.recipient)
        }) {
            Some(list) => list.push(mail),
            None => lists.push(vec![mail]),
        }
    }
    lists
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_maximum() {
        let settings = WorkerSettings {
            poll_interval: Duration::from_secs(1),
            retry_base: Duration::from_secs(5),
            retry_max: Duration::from_secs(60),
            max_attempts: 20,
            lease: Duration::from_secs(600),
        };
        let delays: Vec<u64> = (1..=6)
            .map(|attempts| settings.backoff(attempts).as_secs())
            .collect();
        assert_eq!(delays, vec![5, 10, 20, 40, 60, 60]);
        assert_eq!(settings.backoff(u32::MAX).as_secs(), 60);
    }

    fn claimed(id: i64, recipient: &str) -> ClaimedMail {
        ClaimedMail {
            id,
            message_id: format!("<{id}@incert.test>"),
            recipient: recipient.to_owned(),
            subject: "Engångskod".to_owned(),
            body_text: String::new(),
            body_html: None,
            attempts: 0,
        }
    }

    #[test]
    fn each_recipient_keeps_the_order_of_its_messages() {
        let mails = vec![
            claimed(1, "anna@example.se"),
            claimed(2, "bo@example.se"),
            claimed(3, "anna@example.se"),
            claimed(4, "cecilia@example.se"),
            claimed(5, "bo@example.se"),
        ];

        let lists = by_recipient(mails);

        let ids: Vec<Vec<i64>> = lists
            .iter()
            .map(|list| list.iter().map(|mail| mail.id).collect())
            .collect();
        assert_eq!(ids, vec![vec![1, 3], vec![2, 5], vec![4]]);
        let recipients: Vec<Vec<&str>> = lists
            .iter()
            .map(|list| list.iter().map(|mail| mail.recipient.as_str()).collect())
            .collect();
        assert_eq!(
            recipients,
            vec![
                vec!["anna@example.se", "anna@example.se"],
                vec!["bo@example.se", "bo@example.se"],
                vec!["cecilia@example.se"],
            ]
        );
    }
}
