//! Reminder emails ahead of annual renewal and recertification dates, sent once per
//! certificate, kind and due date by a job that runs on every node.

use std::time::Duration;

use actix_web::web;
use chrono::Days;
use incert_domain::ReminderKind;
use tokio::sync::watch;

use super::dates;
use crate::http::AppState;
use crate::mail::certification as letters;
use crate::service::{stored_language, today_in_sweden};
use crate::storage::certificates::{self, ReminderCandidate};
use crate::storage::{StorageError, outbox};

/// Queues every reminder due today that was not sent before and returns how many it queued.
/// Two nodes running at once queue each reminder once, because a reminder is recorded in
/// the same transaction as its email.
pub async fn send_due(state: &AppState) -> Result<usize, StorageError> {
    let today = today_in_sweden(state.clock.now());
    let lead = Days::new(u64::from(state.settings.reminder_lead_days));
    let last_due = today.checked_add_days(lead).unwrap_or(today);

    let mut queued = 0;
    let mut after_id = 0;
    loop {
        let batch = state
            .database
            .run(move |connection| {
                Ok::<_, StorageError>(certificates::reminder_candidates(
                    connection,
                    today,
                    last_due,
                    after_id,
                    certificates::REMINDER_BATCH_SIZE,
                )?)
            })
            .await?;
        let Some(last) = batch.last() else {
            break;
        };
        after_id = last.certificate.id;
        let complete =
            batch.len() < usize::try_from(certificates::REMINDER_BATCH_SIZE).unwrap_or(0);

        for candidate in batch {
            let Ok(certificate_dates) = dates(&candidate.certificate) else {
                tracing::error!(certificate = %candidate.certificate.number, "certificate has inconsistent dates; no reminder sent");
                continue;
            };
            for reminder in certificate_dates.due_reminders(lead, today) {
                if queue_one(state, &candidate, reminder.kind, reminder.due_on).await? {
                    queued += 1;
                }
            }
        }
        if complete {
            break;
        }
    }
    if queued > 0 {
        state.mailer.wake_worker();
        tracing::info!(queued, "certificate reminders queued");
    }

    // The public check counts per client address and minute, and sent login codes count per
    // account and hour. The hourly job clears the counters of past windows.
    let before = state.clock.naive_now() - chrono::TimeDelta::hours(1);
    state
        .database
        .run(move |connection| {
            for scope in [
                super::certificates::PUBLIC_CHECK_SCOPE,
                crate::service::login::CODES_SENT_SCOPE,
            ] {
                crate::storage::throttle::purge(connection, scope, before)?;
            }
            Ok::<_, StorageError>(())
        })
        .await?;
    Ok(queued)
}

async fn queue_one(
    state: &AppState,
    candidate: &ReminderCandidate,
    kind: ReminderKind,
    due_on: chrono::NaiveDate,
) -> Result<bool, StorageError> {
    let language = stored_language(&candidate.language);
    let type_name = match language {
        crate::i18n::Language::Swedish => &candidate.type_name_sv,
        crate::i18n::Language::English => &candidate.type_name_en,
    };
    let number = &candidate.certificate.number;
    let letter = match kind {
        ReminderKind::RenewalDue => {
            letters::renewal_reminder(language, &candidate.first_name, type_name, number, due_on)
        }
        ReminderKind::RecertificationDue => letters::recertification_reminder(
            language,
            &candidate.first_name,
            type_name,
            number,
            due_on,
        ),
    };
    let mail = state
        .mailer
        .compose(&candidate.email, &letter.subject, letter.body, None);
    let certificate_id = candidate.certificate.id;
    let now = state.clock.naive_now();

    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let claimed = certificates::claim_reminder(
                    transaction,
                    certificate_id,
                    kind.code(),
                    due_on,
                    now,
                )?;
                if claimed {
                    outbox::enqueue(transaction, &mail)?;
                }
                Ok::<_, StorageError>(claimed)
            })
        })
        .await
}

/// Runs [`send_due`] every `reminder_interval_seconds` until `shutdown` turns true. A failed
/// run is logged and retried at the next interval.
pub async fn run(state: web::Data<AppState>, mut shutdown: watch::Receiver<bool>) {
    let interval = Duration::from_secs(state.settings.reminder_interval_seconds.max(1));
    tracing::info!(
        interval_seconds = interval.as_secs(),
        "reminder job started"
    );
    loop {
        if let Err(error) = send_due(&state).await {
            tracing::warn!(%error, "reminder run failed; retrying at the next interval");
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    break;
                }
            }
        }
    }
    tracing::info!("reminder job stopped");
}
