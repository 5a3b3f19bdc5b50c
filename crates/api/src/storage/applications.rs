//! Certification applications and their state.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{applications, certificate_types, certificates};

/// State codes of applications that still await a decision or a withdrawal. The partial
/// unique index `applications_one_open_per_type` lists the same codes.
pub const OPEN_STATES: [&str; 3] = ["received", "in_review", "awaiting_exam"];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = applications)]
pub struct Application {
    pub id: i64,
    pub public_id: String,
    pub account_id: i64,
    pub certificate_type_id: i64,
    pub kind: String,
    pub renews_certificate_id: Option<i64>,
    pub state: String,
    pub source: String,
    pub decision_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = applications)]
pub struct NewApplication {
    pub public_id: String,
    pub account_id: i64,
    pub certificate_type_id: i64,
    pub kind: String,
    pub renews_certificate_id: Option<i64>,
    pub state: String,
    pub source: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Inserts an application. A second open application of the same person and type violates
/// the unique index, which the caller maps to `application_already_open`.
pub fn insert(connection: &mut DbConnection, application: &NewApplication) -> QueryResult<i64> {
    diesel::insert_into(applications::table)
        .values(application)
        .returning(applications::id)
        .get_result(connection)
}

pub fn find(connection: &mut DbConnection, id: i64) -> QueryResult<Application> {
    applications::table
        .find(id)
        .select(Application::as_select())
        .first(connection)
}

pub fn find_by_public_id(
    connection: &mut DbConnection,
    public_id: &str,
) -> QueryResult<Option<Application>> {
    applications::table
        .filter(applications::public_id.eq(public_id))
        .select(Application::as_select())
        .first(connection)
        .optional()
}

/// Returns the person's open application for a certificate type, if any.
pub fn find_open(
    connection: &mut DbConnection,
    account_id: i64,
    certificate_type_id: i64,
) -> QueryResult<Option<Application>> {
    applications::table
        .filter(applications::account_id.eq(account_id))
        .filter(applications::certificate_type_id.eq(certificate_type_id))
        .filter(applications::state.eq_any(OPEN_STATES))
        .select(Application::as_select())
        .first(connection)
        .optional()
}

/// Lists a person's applications, newest first.
pub fn for_account(
    connection: &mut DbConnection,
    account_id: i64,
) -> QueryResult<Vec<Application>> {
    applications::table
        .filter(applications::account_id.eq(account_id))
        .order((applications::created_at.desc(), applications::id.desc()))
        .select(Application::as_select())
        .load(connection)
}

/// Moves an application to `state` if it is still in `expected`, so two concurrent
/// decisions cannot both apply. Returns whether the row changed.
pub fn set_state(
    connection: &mut DbConnection,
    id: i64,
    expected: &str,
    state: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        applications::table
            .find(id)
            .filter(applications::state.eq(expected)),
    )
    .set((
        applications::state.eq(state),
        applications::updated_at.eq(now),
    ))
    .execute(connection)?;
    Ok(changed == 1)
}

/// Records a staff decision (approved or rejected) on an application in review.
pub fn decide(
    connection: &mut DbConnection,
    id: i64,
    state: &str,
    reason: Option<&str>,
    decided_by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        applications::table
            .find(id)
            .filter(applications::state.eq("in_review")),
    )
    .set((
        applications::state.eq(state),
        applications::decision_reason.eq(reason),
        applications::decided_by.eq(Some(decided_by)),
        applications::decided_at.eq(Some(now)),
        applications::updated_at.eq(now),
    ))
    .execute(connection)?;
    Ok(changed == 1)
}

/// Filter of the staff application list.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub state: Option<String>,
    pub certificate_type_id: Option<i64>,
    pub account_ids: Option<Vec<i64>>,
}

/// Lists applications for staff, oldest first so the queue is worked in order, with the
/// total count before paging.
pub fn search(
    connection: &mut DbConnection,
    filter: &ApplicationFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Application>, i64)> {
    let build = || {
        let mut query = applications::table.into_boxed();
        if let Some(state) = &filter.state {
            query = query.filter(applications::state.eq(state.clone()));
        }
        if let Some(type_id) = filter.certificate_type_id {
            query = query.filter(applications::certificate_type_id.eq(type_id));
        }
        if let Some(account_ids) = &filter.account_ids {
            query = query.filter(applications::account_id.eq_any(account_ids.clone()));
        }
        query
    };
    let total = build().count().get_result(connection)?;
    let rows = build()
        .order((applications::created_at, applications::id))
        .offset(offset)
        .limit(limit)
        .select(Application::as_select())
        .load(connection)?;
    Ok((rows, total))
}

/// Returns the certificate type codes and names of the given type ids.
pub fn type_names(
    connection: &mut DbConnection,
    type_ids: &[i64],
) -> QueryResult<Vec<(i64, String, String, String)>> {
    certificate_types::table
        .filter(certificate_types::id.eq_any(type_ids))
        .select((
            certificate_types::id,
            certificate_types::code,
            certificate_types::name_sv,
            certificate_types::name_en,
        ))
        .load(connection)
}

/// Returns the numbers of the certificates issued on the given applications, as pairs of
/// application id and certificate number.
pub fn certificate_numbers(
    connection: &mut DbConnection,
    application_ids: &[i64],
) -> QueryResult<Vec<(i64, String)>> {
    certificates::table
        .filter(certificates::application_id.eq_any(application_ids))
        .select((certificates::application_id, certificates::number))
        .load(connection)
}
