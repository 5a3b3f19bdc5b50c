//! Personal and staff accounts.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::accounts;

/// A stored account. The password hash never leaves the storage and service layers.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub public_id: String,
    pub email: String,
    pub email_key: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<NaiveDate>,
    /// Sealed with [`crate::security::vault::PersonnummerVault`], never the plain number.
    pub personnummer: Option<String>,
    /// Keyed hash of the plain number, for lookups and uniqueness.
    pub personnummer_hash: Option<String>,
    pub mobile: Option<String>,
    pub language: String,
    pub role: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub initial_password_expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Account")
            .field("id", &self.id)
            .field("public_id", &self.public_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// A new account.
#[derive(Clone, Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount {
    pub public_id: String,
    pub email: String,
    pub email_key: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<NaiveDate>,
    /// Sealed with [`crate::security::vault::PersonnummerVault`], never the plain number.
    pub personnummer: Option<String>,
    /// Keyed hash of the plain number, for lookups and uniqueness.
    pub personnummer_hash: Option<String>,
    pub mobile: Option<String>,
    pub language: String,
    pub role: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub initial_password_expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("NewAccount")
            .field("public_id", &self.public_id)
            .finish_non_exhaustive()
    }
}

/// Inserts an account and returns its row id.
pub fn insert(connection: &mut DbConnection, account: &NewAccount) -> QueryResult<i64> {
    diesel::insert_into(accounts::table)
        .values(account)
        .returning(accounts::id)
        .get_result(connection)
}

pub fn find_by_email_key(
    connection: &mut DbConnection,
    email_key: &str,
) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::email_key.eq(email_key))
        .select(Account::as_select())
        .first(connection)
        .optional()
}

pub fn find_by_public_id(
    connection: &mut DbConnection,
    public_id: &str,
) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::public_id.eq(public_id))
        .select(Account::as_select())
        .first(connection)
        .optional()
}

/// Loads the accounts with the given ids, in no particular order.
pub fn find_many(connection: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Account>> {
    accounts::table
        .filter(accounts::id.eq_any(ids))
        .select(Account::as_select())
        .load(connection)
}

pub fn find(connection: &mut DbConnection, id: i64) -> QueryResult<Account> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(connection)
}

/// Stores a new password chosen by the person, which ends the first-time password.
pub fn set_password(
    connection: &mut DbConnection,
    id: i64,
    password_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::password_hash.eq(password_hash),
            accounts::must_change_password.eq(false),
            accounts::initial_password_expires_at.eq(None::<NaiveDateTime>),
            accounts::updated_at.eq(now),
        ))
        .execute(connection)
}

/// Replaces the stored hash of the same password, after the hashing parameters changed.
pub fn upgrade_password_hash(
    connection: &mut DbConnection,
    id: i64,
    old_hash: &str,
    new_hash: &str,
) -> QueryResult<usize> {
    diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::password_hash.eq(old_hash)),
    )
    .set(accounts::password_hash.eq(new_hash))
    .execute(connection)
}

/// Changes of the personal details a person edits on Min Sida; None leaves a field as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = accounts)]
pub struct DetailsChange {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// `Some(None)` removes the mobile number.
    pub mobile: Option<Option<String>>,
    pub language: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn update_details(
    connection: &mut DbConnection,
    id: i64,
    change: &DetailsChange,
) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set(change)
        .execute(connection)
}

/// Moves the account to a new login email address.
pub fn set_email(
    connection: &mut DbConnection,
    id: i64,
    email: &str,
    email_key: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::email.eq(email),
            accounts::email_key.eq(email_key),
            accounts::updated_at.eq(now),
        ))
        .execute(connection)
}

diesel::define_sql_function!(fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Returns the ids of accounts whose email address or first or last name contains `text`,
/// compared in lower case. `text` must already be lower case.
pub fn search_ids(connection: &mut DbConnection, text: &str) -> QueryResult<Vec<i64>> {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    accounts::table
        .filter(
            accounts::email_key
                .like(pattern.clone())
                .escape('\\')
                .or(lower(accounts::first_name)
                    .like(pattern.clone())
                    .escape('\\'))
                .or(lower(accounts::last_name).like(pattern).escape('\\')),
        )
        .select(accounts::id)
        .limit(1_000)
        .load(connection)
}
