//! Emailed one-time codes: login challenges, password resets and email changes share one
//! table and one life cycle. A code is open until it is used, replaced by a newer code of the
//! same purpose, or has had too many wrong attempts; it also stops working at `expires_at`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::accounts::Account;
use super::prepared::KeepPrepared;
use super::schema::{accounts, one_time_codes, throttle_counters};

/// Purpose of a code. The value also binds the code hash, so a code of one purpose never
/// matches another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Login,
    PasswordReset,
    EmailChange,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::PasswordReset => "password_reset",
            Self::EmailChange => "email_change",
        }
    }
}

/// Reasons a code stopped being open.
pub mod end_reason {
    pub const USED: &str = "used";
    pub const SUPERSEDED: &str = "superseded";
    pub const TOO_MANY_ATTEMPTS: &str = "too_many_attempts";
}

#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = one_time_codes)]
pub struct OneTimeCode {
    pub id: String,
    pub purpose: String,
    pub account_id: i64,
    pub code_hash: String,
    pub created_at: NaiveDateTime,
    pub sent_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub failed_attempts: i32,
    pub ended_at: Option<NaiveDateTime>,
    pub end_reason: Option<String>,
    /// The address an email change moves to.
    pub new_email: Option<String>,
    pub new_email_key: Option<String>,
}

impl std::fmt::Debug for OneTimeCode {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("OneTimeCode")
            .field("id", &self.id)
            .field("purpose", &self.purpose)
            .field("account_id", &self.account_id)
            .field("failed_attempts", &self.failed_attempts)
            .finish_non_exhaustive()
    }
}

impl OneTimeCode {
    /// Creates an open code of `purpose`, sent now and valid for `lifetime`.
    pub fn new(
        purpose: Purpose,
        id: String,
        account_id: i64,
        code_hash: String,
        now: NaiveDateTime,
        lifetime: chrono::TimeDelta,
    ) -> Self {
        Self {
            id,
            purpose: purpose.as_str().to_owned(),
            account_id,
            code_hash,
            created_at: now,
            sent_at: now,
            expires_at: now + lifetime,
            failed_attempts: 0,
            ended_at: None,
            end_reason: None,
            new_email: None,
            new_email_key: None,
        }
    }

    /// Tells whether the code can still be used at `now`.
    pub fn is_open(&self, now: NaiveDateTime) -> bool {
        self.ended_at.is_none() && now < self.expires_at
    }
}

/// Ends the account's open codes of the same purpose, then stores the new one.
pub fn start(connection: &mut DbConnection, code: &OneTimeCode) -> QueryResult<()> {
    diesel::update(
        one_time_codes::table
            .filter(one_time_codes::account_id.eq(code.account_id))
            .filter(one_time_codes::purpose.eq(&code.purpose))
            .filter(one_time_codes::ended_at.is_null()),
    )
    .set((
        one_time_codes::ended_at.eq(Some(code.created_at)),
        one_time_codes::end_reason.eq(Some(end_reason::SUPERSEDED)),
    ))
    .returning(one_time_codes::id)
    .keep_prepared()
    .load::<String>(connection)?;
    diesel::insert_into(one_time_codes::table)
        .values(code)
        .returning(one_time_codes::id)
        .keep_prepared()
        .get_result::<String>(connection)?;
    Ok(())
}

/// Finds a code of `purpose` by id, open or not.
pub fn find(
    connection: &mut DbConnection,
    purpose: Purpose,
    id: &str,
) -> QueryResult<Option<OneTimeCode>> {
    one_time_codes::table
        .find(id)
        .filter(one_time_codes::purpose.eq(purpose.as_str()))
        .select(OneTimeCode::as_select())
        .first(connection)
        .optional()
}

/// A code with its account and the account's failure counter of one throttle scope.
#[derive(Debug)]
pub struct CodeWithAccount {
    pub code: OneTimeCode,
    pub account: Account,
    /// Failures and the time of the last one, when the account has a counter in the scope.
    pub failures: Option<Counter>,
}

/// A throttle counter: failures and the time of the last one.
pub type Counter = (i32, NaiveDateTime);

/// Finds a code of `purpose` by id, open or not, with its account and the account's counter
/// in `throttle_scope`, whose subject is the account's public id. It is one query because
/// every code check makes it.
pub fn find_with_account(
    connection: &mut DbConnection,
    purpose: Purpose,
    id: &str,
    throttle_scope: &str,
) -> QueryResult<Option<CodeWithAccount>> {
    let found: Option<(OneTimeCode, Account, Option<Counter>)> = one_time_codes::table
        .inner_join(accounts::table)
        .left_join(
            throttle_counters::table.on(throttle_counters::scope
                .eq(throttle_scope)
                .and(throttle_counters::subject.eq(accounts::public_id))),
        )
        .filter(one_time_codes::id.eq(id))
        .filter(one_time_codes::purpose.eq(purpose.as_str()))
        .select((
            OneTimeCode::as_select(),
            Account::as_select(),
            (
                throttle_counters::failures,
                throttle_counters::last_failure_at,
            )
                .nullable(),
        ))
        .first(connection)
        .optional()?;
    Ok(found.map(|(code, account, failures)| CodeWithAccount {
        code,
        account,
        failures,
    }))
}

/// Returns the account's newest open code of `purpose`, if any.
pub fn open_for_account(
    connection: &mut DbConnection,
    account_id: i64,
    purpose: Purpose,
    now: NaiveDateTime,
) -> QueryResult<Option<OneTimeCode>> {
    one_time_codes::table
        .filter(one_time_codes::account_id.eq(account_id))
        .filter(one_time_codes::purpose.eq(purpose.as_str()))
        .filter(one_time_codes::ended_at.is_null())
        .filter(one_time_codes::expires_at.gt(now))
        .order(one_time_codes::created_at.desc())
        .select(OneTimeCode::as_select())
        .first(connection)
        .optional()
}

/// Ends an open code. Returns false when it had already ended, so two requests with the same
/// code cannot both succeed.
pub fn end(
    connection: &mut DbConnection,
    id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        one_time_codes::table
            .find(id)
            .filter(one_time_codes::ended_at.is_null()),
    )
    .set((
        one_time_codes::ended_at.eq(Some(now)),
        one_time_codes::end_reason.eq(Some(reason)),
    ))
    .returning(one_time_codes::id)
    .keep_prepared()
    .get_result::<String>(connection)
    .optional()?;
    Ok(updated.is_some())
}

/// Ends every open code of the account with this purpose.
pub fn end_open(
    connection: &mut DbConnection,
    account_id: i64,
    purpose: Purpose,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        one_time_codes::table
            .filter(one_time_codes::account_id.eq(account_id))
            .filter(one_time_codes::purpose.eq(purpose.as_str()))
            .filter(one_time_codes::ended_at.is_null()),
    )
    .set((
        one_time_codes::ended_at.eq(Some(now)),
        one_time_codes::end_reason.eq(Some(reason)),
    ))
    .returning(one_time_codes::id)
    .keep_prepared()
    .load::<String>(connection)
    .map(|ended| ended.len())
}

/// Counts one wrong code atomically and ends the code once `max_attempts` is reached.
/// Returns the new count, or None when the code had already ended.
pub fn record_wrong_attempt(
    connection: &mut DbConnection,
    id: &str,
    max_attempts: i32,
    now: NaiveDateTime,
) -> QueryResult<Option<i32>> {
    let attempts: Option<i32> = diesel::update(
        one_time_codes::table
            .find(id)
            .filter(one_time_codes::ended_at.is_null()),
    )
    .set(one_time_codes::failed_attempts.eq(one_time_codes::failed_attempts + 1))
    .returning(one_time_codes::failed_attempts)
    .keep_prepared()
    .get_result(connection)
    .optional()?;
    if attempts.is_some_and(|attempts| attempts >= max_attempts) {
        end(connection, id, end_reason::TOO_MANY_ATTEMPTS, now)?;
    }
    Ok(attempts)
}

/// Stores a resent code on an open code row; wrong attempts already made still count.
pub fn replace_code(
    connection: &mut DbConnection,
    id: &str,
    code_hash: &str,
    sent_at: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        one_time_codes::table
            .find(id)
            .filter(one_time_codes::ended_at.is_null()),
    )
    .set((
        one_time_codes::code_hash.eq(code_hash),
        one_time_codes::sent_at.eq(sent_at),
        one_time_codes::expires_at.eq(expires_at),
    ))
    .returning(one_time_codes::id)
    .keep_prepared()
    .get_result::<String>(connection)
    .optional()?;
    Ok(updated.is_some())
}
