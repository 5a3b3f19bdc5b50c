//! Opening a login challenge: everything a right password leads to, stored together.
//!
//! The code counts against the account's cap of codes per hour, the account's open login
//! challenges end, the new challenge and its email are stored, the event is audited and the
//! wrong-password counter is reset. On PostgreSQL that is one statement whose parts share a
//! snapshot and commit together. As separate statements in a transaction it took nine round
//! trips, which cost the database more CPU than the writes themselves. SQLite has no
//! data-modifying `WITH` clauses, so there the parts run one by one in a write transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text, Timestamp};

use super::audit::{self, Origin};
use super::codes::{self, OneTimeCode, end_reason};
use super::outbox::{self, NewMail};
use super::prepared::KeepPrepared;
use super::{DbConnection, throttle};

/// A counter of events per subject within a window, such as codes sent per account and hour.
#[derive(Debug, Clone, Copy)]
pub struct CappedCounter<'a> {
    pub scope: &'a str,
    pub subject: &'a str,
    /// Events before this time belong to an earlier window and no longer count.
    pub window_start: NaiveDateTime,
    pub cap: i32,
}

/// A counter to delete, such as the wrong passwords of the subject who just got it right.
#[derive(Debug, Clone, Copy)]
pub struct SpentCounter<'a> {
    pub scope: &'a str,
    pub subject: &'a str,
}

/// What opening one login challenge stores.
#[derive(Debug, Clone, Copy)]
pub struct Opening<'a> {
    pub challenge: &'a OneTimeCode,
    pub mail: &'a NewMail,
    pub sent_codes: CappedCounter<'a>,
    pub reset: Option<SpentCounter<'a>>,
    pub event: &'a str,
    pub origin: &'a Origin,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    failures: i32,
}

/// The statement on PostgreSQL. Every part after `counted` writes only when the cap let the
/// code be counted. The parts see the table as it was before the statement, so ending the
/// open challenges leaves the new one alone.
const OPEN_POSTGRES: &str = "\
WITH counted AS (
    INSERT INTO throttle_counters AS counter (scope, subject, failures, last_failure_at)
    VALUES ($1, $2, 1, $3)
    ON CONFLICT (scope, subject) DO UPDATE SET
        failures = CASE WHEN counter.last_failure_at < $4 THEN 1 ELSE counter.failures + 1 END,
        last_failure_at = $3
    WHERE counter.last_failure_at < $4 OR counter.failures < $5
    RETURNING failures
), ended AS (
    UPDATE one_time_codes SET ended_at = $3, end_reason = $6
    WHERE account_id = $7 AND purpose = $8 AND ended_at IS NULL
        AND EXISTS (SELECT 1 FROM counted)
), started AS (
    INSERT INTO one_time_codes (id, purpose, account_id, code_hash, created_at, sent_at,
        expires_at, failed_attempts)
    SELECT $9, $8, $7, $10, $3, $11, $12, 0 FROM counted
), queued AS (
    INSERT INTO mail_outbox (message_id, recipient, subject, body_text, body_html, created_at,
        next_attempt_at)
    SELECT $13, $14, $15, $16, $17, $18, $19 FROM counted
), audited AS (
    INSERT INTO audit_events (occurred_at, event, account_id, ip_address, user_agent)
    SELECT $3, $20, $7, $21, $22 FROM counted
), reset AS (
    DELETE FROM throttle_counters
    WHERE scope = $23 AND subject = $24 AND EXISTS (SELECT 1 FROM counted)
)
SELECT failures FROM counted";

/// Stores what [`Opening`] describes and returns the new count of `sent_codes`, or None when
/// its cap was reached and nothing was stored.
pub fn open(connection: &mut DbConnection, opening: &Opening<'_>) -> QueryResult<Option<i32>> {
    let DbConnection::Postgresql(pg) = connection else {
        return open_step_by_step(connection, opening);
    };
    let Opening {
        challenge,
        mail,
        sent_codes,
        reset,
        event,
        origin,
    } = *opening;
    let counted: Option<Count> = diesel::sql_query(OPEN_POSTGRES)
        .bind::<Text, _>(sent_codes.scope)
        .bind::<Text, _>(sent_codes.subject)
        .bind::<Timestamp, _>(challenge.created_at)
        .bind::<Timestamp, _>(sent_codes.window_start)
        .bind::<Integer, _>(sent_codes.cap)
        .bind::<Text, _>(end_reason::SUPERSEDED)
        .bind::<diesel::sql_types::BigInt, _>(challenge.account_id)
        .bind::<Text, _>(&challenge.purpose)
        .bind::<Text, _>(&challenge.id)
        .bind::<Text, _>(&challenge.code_hash)
        .bind::<Timestamp, _>(challenge.sent_at)
        .bind::<Timestamp, _>(challenge.expires_at)
        .bind::<Text, _>(&mail.message_id)
        .bind::<Text, _>(&mail.recipient)
        .bind::<Text, _>(&mail.subject)
        .bind::<Text, _>(&mail.body_text)
        .bind::<Nullable<Text>, _>(mail.body_html.as_deref())
        .bind::<Timestamp, _>(mail.created_at)
        .bind::<Timestamp, _>(mail.next_attempt_at)
        .bind::<Text, _>(event)
        .bind::<Nullable<Text>, _>(origin.ip_address.as_deref())
        .bind::<Nullable<Text>, _>(origin.user_agent.as_deref())
        .bind::<Nullable<Text>, _>(reset.map(|counter| counter.scope))
        .bind::<Nullable<Text>, _>(reset.map(|counter| counter.subject))
        .keep_prepared()
        .get_result(pg)
        .optional()?;
    Ok(counted.map(|count| count.failures))
}

fn open_step_by_step(
    connection: &mut DbConnection,
    opening: &Opening<'_>,
) -> QueryResult<Option<i32>> {
    let challenge = opening.challenge;
    let sent_codes = opening.sent_codes;
    connection.write_transaction(|transaction| {
        let counted = throttle::record_below_cap(
            transaction,
            sent_codes.scope,
            sent_codes.subject,
            challenge.created_at,
            sent_codes.window_start,
            sent_codes.cap,
        )?;
        if counted.is_none() {
            return Ok(None);
        }
        if let Some(counter) = opening.reset {
            throttle::reset(transaction, counter.scope, counter.subject)?;
        }
        codes::start(transaction, challenge)?;
        outbox::enqueue(transaction, opening.mail)?;
        audit::record(
            transaction,
            opening.event,
            Some(challenge.account_id),
            opening.origin,
            None,
            challenge.created_at,
        )?;
        Ok(counted)
    })
}
