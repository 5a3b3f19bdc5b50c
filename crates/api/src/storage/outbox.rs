//! The mail outbox table: messages waiting to be sent, claimed by one worker at a time.
//!
//! A worker claims due rows by writing its id and a lease end into them. On PostgreSQL the
//! claim skips rows another transaction has locked (`FOR UPDATE SKIP LOCKED`); SQLite runs one
//! writer at a time, so the same statement cannot hand a row to two workers there either.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::DbConnection;
use super::prepared::KeepPrepared;
use super::schema::mail_outbox;

/// A message to put in the outbox.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = mail_outbox)]
pub struct NewMail {
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub created_at: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
}

/// A message claimed by a worker for delivery.
#[derive(Clone, QueryableByName, Queryable)]
#[diesel(table_name = mail_outbox)]
pub struct ClaimedMail {
    pub id: i64,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// Attempts made before this one.
    pub attempts: i32,
}

impl std::fmt::Debug for ClaimedMail {
    // The body may hold a one-time code or password, so only identifiers are printed.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ClaimedMail")
            .field("id", &self.id)
            .field("message_id", &self.message_id)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// Delivery state of one message, for status reports and tests.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct MailState {
    pub id: i64,
    pub message_id: String,
    pub attempts: i32,
    pub sent_at: Option<NaiveDateTime>,
    pub failed_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

/// Puts a message in the outbox and returns its row id. Call it inside the transaction of
/// the change that causes the message, so both are stored or neither.
pub fn enqueue(connection: &mut DbConnection, mail: &NewMail) -> QueryResult<i64> {
    diesel::insert_into(mail_outbox::table)
        .values(mail)
        .returning(mail_outbox::id)
        .keep_prepared()
        .get_result(connection)
}

const CLAIM_POSTGRES: &str = "\
    UPDATE mail_outbox SET locked_by = $1, locked_until = $2 \
    WHERE id IN (\
        SELECT id FROM mail_outbox \
        WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3 \
          AND (locked_until IS NULL OR locked_until < $3) \
        ORDER BY next_attempt_at, id LIMIT $4 \
        FOR UPDATE SKIP LOCKED) \
    RETURNING id, message_id, recipient, subject, body_text, body_html, attempts";

const CLAIM_SQLITE: &str = "\
    UPDATE mail_outbox SET locked_by = ?, locked_until = ? \
    WHERE id IN (\
        SELECT id FROM mail_outbox \
        WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? \
          AND (locked_until IS NULL OR locked_until < ?) \
        ORDER BY next_attempt_at, id LIMIT ?) \
    RETURNING id, message_id, recipient, subject, body_text, body_html, attempts";

/// Claims up to `limit` due messages for `worker` until `lease_until`, earliest due first. A
/// message whose lease ran out (its worker died) becomes due again.
pub fn claim_due(
    connection: &mut DbConnection,
    worker: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<ClaimedMail>> {
    let mut claimed: Vec<ClaimedMail> = match connection {
        DbConnection::Postgresql(pg) => diesel::sql_query(CLAIM_POSTGRES)
            .bind::<Text, _>(worker)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .keep_prepared()
            .load(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(CLAIM_SQLITE)
            .bind::<Text, _>(worker)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .keep_prepared()
            .load(sqlite)?,
    };
    // RETURNING gives no order guarantee.
    claimed.sort_by_key(|mail| mail.id);
    Ok(claimed)
}

/// Marks a claimed message as sent and erases its body, which may hold a one-time code or
/// password. Returns false when `worker` no longer holds the claim.
pub fn mark_sent(
    connection: &mut DbConnection,
    id: i64,
    worker: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        mail_outbox::table
            .filter(mail_outbox::id.eq(id))
            .filter(mail_outbox::locked_by.eq(worker))
            .filter(mail_outbox::sent_at.is_null()),
    )
    .set((
        mail_outbox::sent_at.eq(Some(now)),
        mail_outbox::attempts.eq(mail_outbox::attempts + 1),
        mail_outbox::locked_by.eq(None::<String>),
        mail_outbox::locked_until.eq(None::<NaiveDateTime>),
        mail_outbox::body_text.eq(""),
        mail_outbox::body_html.eq(None::<String>),
        mail_outbox::last_error.eq(None::<String>),
    ))
    .returning(mail_outbox::id)
    .keep_prepared()
    .get_result::<i64>(connection)
    .optional()?;
    Ok(updated.is_some())
}

/// What to do with a message whose delivery failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Try again at this time.
    At(NaiveDateTime),
    /// Stop trying; the body is erased and the message stays as a record of the failure.
    GiveUp,
}

/// Records a failed delivery attempt and releases the claim.
pub fn mark_failed(
    connection: &mut DbConnection,
    id: i64,
    worker: &str,
    error: &str,
    retry: Retry,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = mail_outbox::table
        .filter(mail_outbox::id.eq(id))
        .filter(mail_outbox::locked_by.eq(worker))
        .filter(mail_outbox::sent_at.is_null());
    let release = (
        mail_outbox::attempts.eq(mail_outbox::attempts + 1),
        mail_outbox::locked_by.eq(None::<String>),
        mail_outbox::locked_until.eq(None::<NaiveDateTime>),
        mail_outbox::last_error.eq(Some(error)),
    );
    let updated = match retry {
        Retry::At(next_attempt_at) => diesel::update(target)
            .set((release, mail_outbox::next_attempt_at.eq(next_attempt_at)))
            .execute(connection)?,
        Retry::GiveUp => diesel::update(target)
            .set((
                release,
                mail_outbox::failed_at.eq(Some(now)),
                mail_outbox::body_text.eq(""),
                mail_outbox::body_html.eq(None::<String>),
            ))
            .execute(connection)?,
    };
    Ok(updated == 1)
}

/// Returns the delivery state of every message to `recipient`, oldest first.
pub fn states_for_recipient(
    connection: &mut DbConnection,
    recipient: &str,
) -> QueryResult<Vec<MailState>> {
    mail_outbox::table
        .filter(mail_outbox::recipient.eq(recipient))
        .order(mail_outbox::id)
        .select((
            mail_outbox::id,
            mail_outbox::message_id,
            mail_outbox::attempts,
            mail_outbox::sent_at,
            mail_outbox::failed_at,
            mail_outbox::last_error,
        ))
        .load(connection)
}

/// Tells whether the stored body of a message is empty, as it is once the message is sent or
/// given up.
pub fn body_is_erased(connection: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let (text, html): (String, Option<String>) = mail_outbox::table
        .find(id)
        .select((mail_outbox::body_text, mail_outbox::body_html))
        .first(connection)?;
    Ok(text.is_empty() && html.is_none())
}

/// Counts messages neither sent nor given up.
pub fn count_pending(connection: &mut DbConnection) -> QueryResult<i64> {
    mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        .filter(mail_outbox::failed_at.is_null())
        .count()
        .get_result(connection)
}
