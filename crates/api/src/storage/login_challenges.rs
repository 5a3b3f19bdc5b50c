//! Opening a login challenge: everything a right password leads to, stored together.
//!
//! The code counts against the account's cap of codes per hour, the account's open login
//! challenges end, the new challenge and its email are stored, the event is audited and the
//! wrong-password counter is reset. The count comes first in its own statement, because
//! its row lock makes parallel logins of one account wait for each other. On PostgreSQL
//! the rest is one more statement, so a login takes four round trips where it took nine.
//! SQLite has no data-modifying `WITH` clauses, so there the parts run one by one.

use chrono::NaiveDateTime;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

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

/// The rows that opening one login challenge stores.
#[derive(Debug, Clone, Copy)]
pub struct Opening<'a> {
    pub challenge: &'a OneTimeCode,
    pub mail: &'a NewMail,
    pub sent_codes: CappedCounter<'a>,
    pub reset: Option<SpentCounter<'a>>,
    pub event: &'a str,
    pub origin: &'a Origin,
}

/// The row the statement returns, so that it runs through diesel's load path and stays
/// prepared.
#[derive(QueryableByName)]
struct Stored {
    #[expect(dead_code, reason = "the row only confirms that the statement ran")]
    #[diesel(sql_type = Integer)]
    stored: i32,
}

/// The statement after the count on PostgreSQL. It starts after the count took the counter's
/// row lock, so its snapshot includes the challenge of a parallel login that held the lock
/// before, and ends it. The parts share that snapshot, so the new challenge stays open.
const OPEN_POSTGRES: &str = "\
WITH ended AS (
    UPDATE one_time_codes SET ended_at = $1, end_reason = $2
    WHERE account_id = $3 AND purpose = $4 AND ended_at IS NULL
), started AS (
    INSERT INTO one_time_codes (id, purpose, account_id, code_hash, created_at, sent_at,
        expires_at, failed_attempts)
    VALUES ($5, $4, $3, $6, $1, $7, $8, 0)
), queued AS (
    INSERT INTO mail_outbox (message_id, recipient, subject, body_text, body_html, created_at,
        next_attempt_at)
    VALUES ($9, $10, $11, $12, $13, $14, $15)
), audited AS (
    INSERT INTO audit_events (occurred_at, event, account_id, ip_address, user_agent)
    VALUES ($1, $16, $3, $17, $18)
), reset AS (
    DELETE FROM throttle_counters WHERE scope = $19 AND subject = $20
)
SELECT 1 AS stored";

/// Stores what [`Opening`] describes and returns the new count of `sent_codes`, or None when
/// its cap was reached and nothing was stored.
pub fn open(connection: &mut DbConnection, opening: &Opening<'_>) -> QueryResult<Option<i32>> {
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

        match transaction {
            DbConnection::Postgresql(pg) => store_postgres(pg, opening)?,
            DbConnection::Sqlite(_) => store_step_by_step(transaction, opening)?,
        }
        Ok(counted)
    })
}

fn store_postgres(pg: &mut PgConnection, opening: &Opening<'_>) -> QueryResult<()> {
    let Opening {
        challenge,
        mail,
        reset,
        event,
        origin,
        ..
    } = *opening;
    diesel::sql_query(OPEN_POSTGRES)
        .bind::<Timestamp, _>(challenge.created_at)
        .bind::<Text, _>(end_reason::SUPERSEDED)
        .bind::<BigInt, _>(challenge.account_id)
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
        .get_result::<Stored>(pg)?;
    Ok(())
}

fn store_step_by_step(connection: &mut DbConnection, opening: &Opening<'_>) -> QueryResult<()> {
    let challenge = opening.challenge;
    if let Some(counter) = opening.reset {
        throttle::reset(connection, counter.scope, counter.subject)?;
    }
    codes::start(connection, challenge)?;
    outbox::enqueue(connection, opening.mail)?;
    audit::record(
        connection,
        opening.event,
        Some(challenge.account_id),
        opening.origin,
        None,
        challenge.created_at,
    )?;
    Ok(())
}
