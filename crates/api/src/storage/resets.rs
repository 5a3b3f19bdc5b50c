//! Password-reset codes: one open reset per account at a time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::password_resets;

/// Why a reset ended.
pub mod end_reason {
    pub const USED: &str = "used";
    pub const SUPERSEDED: &str = "superseded";
    pub const TOO_MANY_ATTEMPTS: &str = "too_many_attempts";
}

#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = password_resets)]
pub struct PasswordReset {
    pub id: String,
    pub account_id: i64,
    pub code_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub failed_attempts: i32,
    pub ended_at: Option<NaiveDateTime>,
    pub end_reason: Option<String>,
}

impl std::fmt::Debug for PasswordReset {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("PasswordReset")
            .field("id", &self.id)
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}

/// Ends the account's open resets and stores the new one.
pub fn start(connection: &mut DbConnection, reset: &PasswordReset) -> QueryResult<()> {
    end_open(
        connection,
        reset.account_id,
        end_reason::SUPERSEDED,
        reset.created_at,
    )?;
    diesel::insert_into(password_resets::table)
        .values(reset)
        .execute(connection)?;
    Ok(())
}

/// Ends every open reset of the account.
pub fn end_open(
    connection: &mut DbConnection,
    account_id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        password_resets::table
            .filter(password_resets::account_id.eq(account_id))
            .filter(password_resets::ended_at.is_null()),
    )
    .set((
        password_resets::ended_at.eq(Some(now)),
        password_resets::end_reason.eq(Some(reason)),
    ))
    .execute(connection)
}

/// Returns the account's open, unexpired reset, if any.
pub fn open_reset(
    connection: &mut DbConnection,
    account_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<PasswordReset>> {
    password_resets::table
        .filter(password_resets::account_id.eq(account_id))
        .filter(password_resets::ended_at.is_null())
        .filter(password_resets::expires_at.gt(now))
        .order(password_resets::created_at.desc())
        .select(PasswordReset::as_select())
        .first(connection)
        .optional()
}

/// Counts a wrong code and returns the new count, or None when the reset had ended.
pub fn record_wrong_code(connection: &mut DbConnection, id: &str) -> QueryResult<Option<i32>> {
    diesel::update(
        password_resets::table
            .find(id)
            .filter(password_resets::ended_at.is_null()),
    )
    .set(password_resets::failed_attempts.eq(password_resets::failed_attempts + 1))
    .returning(password_resets::failed_attempts)
    .get_result(connection)
    .optional()
}

/// Ends one open reset. Returns false when it had already ended.
pub fn end(
    connection: &mut DbConnection,
    id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        password_resets::table
            .find(id)
            .filter(password_resets::ended_at.is_null()),
    )
    .set((
        password_resets::ended_at.eq(Some(now)),
        password_resets::end_reason.eq(Some(reason)),
    ))
    .execute(connection)?;
    Ok(updated == 1)
}
