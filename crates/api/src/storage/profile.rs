//! Billing details of an account.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::billing_details;

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
