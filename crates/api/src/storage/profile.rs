//! Billing details and pending email changes of an account.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{billing_details, email_changes};

/// Stored billing details of one account.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = billing_details)]
#[diesel(treat_none_as_null = true)]
pub struct BillingDetails {
    pub account_id: i64,
    pub invoice_by_email: bool,
    pub billing_email: Option<String>,
    pub organisation_name: Option<String>,
    pub organisation_number: Option<String>,
    pub reference: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub updated_at: NaiveDateTime,
}

pub fn billing(
    connection: &mut DbConnection,
    account_id: i64,
) -> QueryResult<Option<BillingDetails>> {
    billing_details::table
        .find(account_id)
        .select(BillingDetails::as_select())
        .first(connection)
        .optional()
}

/// Replaces the billing details of an account, creating them on first use.
pub fn replace_billing(connection: &mut DbConnection, details: &BillingDetails) -> QueryResult<()> {
    let updated = diesel::update(billing_details::table.find(details.account_id))
        .set(details)
        .execute(connection)?;
    if updated == 0 {
        diesel::insert_into(billing_details::table)
            .values(details)
            .execute(connection)?;
    }
    Ok(())
}

/// Why an email change ended.
pub mod end_reason {
    pub const CONFIRMED: &str = "confirmed";
    pub const SUPERSEDED: &str = "superseded";
    pub const TOO_MANY_ATTEMPTS: &str = "too_many_attempts";
}

#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = email_changes)]
pub struct EmailChange {
    pub id: String,
    pub account_id: i64,
    pub new_email: String,
    pub new_email_key: String,
    pub code_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub failed_attempts: i32,
    pub ended_at: Option<NaiveDateTime>,
    pub end_reason: Option<String>,
}

impl std::fmt::Debug for EmailChange {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("EmailChange")
            .field("id", &self.id)
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}

/// Ends the account's open email changes and stores the new one.
pub fn start_email_change(connection: &mut DbConnection, change: &EmailChange) -> QueryResult<()> {
    diesel::update(
        email_changes::table
            .filter(email_changes::account_id.eq(change.account_id))
            .filter(email_changes::ended_at.is_null()),
    )
    .set((
        email_changes::ended_at.eq(Some(change.created_at)),
        email_changes::end_reason.eq(Some(end_reason::SUPERSEDED)),
    ))
    .execute(connection)?;
    diesel::insert_into(email_changes::table)
        .values(change)
        .execute(connection)?;
    Ok(())
}

/// Returns the account's open, unexpired email change, if any.
pub fn open_email_change(
    connection: &mut DbConnection,
    account_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<EmailChange>> {
    email_changes::table
        .filter(email_changes::account_id.eq(account_id))
        .filter(email_changes::ended_at.is_null())
        .filter(email_changes::expires_at.gt(now))
        .order(email_changes::created_at.desc())
        .select(EmailChange::as_select())
        .first(connection)
        .optional()
}

/// Counts a wrong code and returns the new count, or None when the change had ended.
pub fn record_wrong_email_code(
    connection: &mut DbConnection,
    id: &str,
) -> QueryResult<Option<i32>> {
    diesel::update(
        email_changes::table
            .find(id)
            .filter(email_changes::ended_at.is_null()),
    )
    .set(email_changes::failed_attempts.eq(email_changes::failed_attempts + 1))
    .returning(email_changes::failed_attempts)
    .get_result(connection)
    .optional()
}

/// Ends one open email change. Returns false when it had already ended.
pub fn end_email_change(
    connection: &mut DbConnection,
    id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        email_changes::table
            .find(id)
            .filter(email_changes::ended_at.is_null()),
    )
    .set((
        email_changes::ended_at.eq(Some(now)),
        email_changes::end_reason.eq(Some(reason)),
    ))
    .execute(connection)?;
    Ok(updated == 1)
}
