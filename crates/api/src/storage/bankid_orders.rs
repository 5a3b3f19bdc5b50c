//! BankID orders started by the portal, and the lease that lets one request at a time collect
//! an order.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::accounts::Account;
use super::schema::{accounts, bankid_orders};

/// A stored BankID order. `qr_start_secret` is left out of `Debug` and never sent to clients.
#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bankid_orders)]
pub struct BankIdOrder {
    pub id: String,
    /// `registration` or `login`.
    pub purpose: String,
    /// `this_device` or `other_device`.
    pub device: String,
    pub order_ref: String,
    pub qr_start_token: String,
    pub qr_start_secret: String,
    pub auto_start_token: String,
    pub created_at: NaiveDateTime,
    /// `pending`, `complete`, `failed` or `cancelled`.
    pub status: String,
    /// The last hint code BankID returned.
    pub hint_code: Option<String>,
    /// Reason code of a completed order that the portal failed, such as
    /// `bankid_personnummer_mismatch`.
    pub failure_code: Option<String>,
    /// Set with the final status; a final order is never collected again.
    pub is_final: bool,
    pub completed_at: Option<NaiveDateTime>,
    /// End of the lease of the request collecting the order, if a request has one.
    pub collecting_until: Option<NaiveDateTime>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub language: String,
    /// The personnummer the person entered, sealed like an account's (see
    /// [`crate::security::vault::PersonnummerVault`]).
    pub personnummer: Option<String>,
    /// Account of the person who completed a login order.
    pub account_id: Option<i64>,
    /// When the tokens of a completed login order were fetched.
    pub tokens_issued_at: Option<NaiveDateTime>,
}

impl std::fmt::Debug for BankIdOrder {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("BankIdOrder")
            .field("id", &self.id)
            .field("purpose", &self.purpose)
            .field("status", &self.status)
            .field("hint_code", &self.hint_code)
            .finish_non_exhaustive()
    }
}

pub fn insert(connection: &mut DbConnection, order: &BankIdOrder) -> QueryResult<usize> {
    diesel::insert_into(bankid_orders::table)
        .values(order)
        .execute(connection)
}

pub fn find(connection: &mut DbConnection, id: &str) -> QueryResult<Option<BankIdOrder>> {
    bankid_orders::table
        .find(id)
        .select(BankIdOrder::as_select())
        .first(connection)
        .optional()
}

/// Takes the collect lease of a non-final order until `until`, unless another request holds
/// an unexpired lease. The single UPDATE makes the claim atomic across server processes.
/// Returns whether this caller got the lease.
pub fn claim_collect(
    connection: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        bankid_orders::table
            .find(id)
            .filter(bankid_orders::is_final.eq(false))
            .filter(
                bankid_orders::collecting_until
                    .is_null()
                    .or(bankid_orders::collecting_until.lt(now)),
            ),
    )
    .set(bankid_orders::collecting_until.eq(Some(until)))
    .execute(connection)?;
    Ok(updated == 1)
}

/// Stores a pending collect result and releases the lease.
pub fn record_pending(
    connection: &mut DbConnection,
    id: &str,
    hint_code: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(
        bankid_orders::table
            .find(id)
            .filter(bankid_orders::is_final.eq(false)),
    )
    .set((
        bankid_orders::hint_code.eq(hint_code),
        bankid_orders::collecting_until.eq(None::<NaiveDateTime>),
    ))
    .execute(connection)
}

/// Releases the lease without storing a result.
pub fn release(connection: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::update(bankid_orders::table.find(id))
        .set(bankid_orders::collecting_until.eq(None::<NaiveDateTime>))
        .execute(connection)
}

/// A final status to store.
#[derive(Debug, Clone, Copy)]
pub struct FinalStatus<'a> {
    pub status: &'a str,
    pub hint_code: Option<&'a str>,
    pub failure_code: Option<&'a str>,
    pub at: NaiveDateTime,
}

/// Stores a final status unless the order already has one, releases the lease and erases
/// the registration data, which the account now holds or which is no longer needed.
/// Returns whether this call ended the order.
pub fn finish(
    connection: &mut DbConnection,
    id: &str,
    status: FinalStatus<'_>,
) -> QueryResult<bool> {
    let updated = diesel::update(
        bankid_orders::table
            .find(id)
            .filter(bankid_orders::is_final.eq(false)),
    )
    .set((
        bankid_orders::status.eq(status.status),
        bankid_orders::hint_code.eq(status.hint_code),
        bankid_orders::failure_code.eq(status.failure_code),
        bankid_orders::is_final.eq(true),
        bankid_orders::completed_at.eq(Some(status.at)),
        bankid_orders::collecting_until.eq(None::<NaiveDateTime>),
        bankid_orders::first_name.eq(None::<String>),
        bankid_orders::last_name.eq(None::<String>),
        bankid_orders::email.eq(None::<String>),
        bankid_orders::mobile.eq(None::<String>),
        bankid_orders::personnummer.eq(None::<String>),
    ))
    .execute(connection)?;
    Ok(updated == 1)
}

/// Marks a login order complete for the account of the person who signed in, unless the
/// order already has a final status. Returns whether this call ended the order.
pub fn complete_login(
    connection: &mut DbConnection,
    id: &str,
    account_id: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        bankid_orders::table
            .find(id)
            .filter(bankid_orders::is_final.eq(false)),
    )
    .set((
        bankid_orders::status.eq("complete"),
        bankid_orders::hint_code.eq(None::<String>),
        bankid_orders::failure_code.eq(None::<String>),
        bankid_orders::is_final.eq(true),
        bankid_orders::completed_at.eq(Some(at)),
        bankid_orders::collecting_until.eq(None::<NaiveDateTime>),
        bankid_orders::account_id.eq(Some(account_id)),
    ))
    .execute(connection)?;
    Ok(updated == 1)
}

/// Marks the tokens of a completed login order as fetched and returns the order's account id.
/// Returns `None` when the order is not a login order completed at or after
/// `completed_after`, or its tokens were already fetched. The single UPDATE makes the claim
/// atomic, so each order opens at most one session.
pub fn claim_login_tokens(
    connection: &mut DbConnection,
    id: &str,
    completed_after: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let updated = diesel::update(
        bankid_orders::table
            .find(id)
            .filter(bankid_orders::purpose.eq("login"))
            .filter(bankid_orders::status.eq("complete"))
            .filter(bankid_orders::account_id.is_not_null())
            .filter(bankid_orders::tokens_issued_at.is_null())
            .filter(bankid_orders::completed_at.ge(completed_after)),
    )
    .set(bankid_orders::tokens_issued_at.eq(Some(now)))
    .execute(connection)?;
    if updated != 1 {
        return Ok(None);
    }
    bankid_orders::table
        .find(id)
        .select(bankid_orders::account_id)
        .first(connection)
}

/// Finds the account registered with a personnummer, by the number's lookup hash from
/// [`crate::security::vault::PersonnummerVault::lookup_hash`].
pub fn find_account_by_personnummer(
    connection: &mut DbConnection,
    personnummer_hash: &str,
) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::personnummer_hash.eq(personnummer_hash))
        .select(Account::as_select())
        .first(connection)
        .optional()
}
