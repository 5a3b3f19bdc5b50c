//! Examination centres, their client credentials, exam sessions, enrolments and results.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{
    accounts, applications, centre_clients, enrolments, exam_results, exam_sessions,
    examination_centres,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = examination_centres)]
pub struct Centre {
    pub id: i64,
    pub public_id: String,
    pub name: String,
    pub contact_email: Option<String>,
    pub created_at: NaiveDateTime,
    pub retired_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = examination_centres)]
pub struct NewCentre {
    pub public_id: String,
    pub name: String,
    pub contact_email: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Stored client credentials. `secret_hash` is a keyed hash of the secret, never the secret.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = centre_clients)]
pub struct CentreClient {
    pub id: i64,
    pub client_id: String,
    pub centre_id: i64,
    pub secret_hash: String,
    pub label: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = centre_clients)]
pub struct NewCentreClient {
    pub client_id: String,
    pub centre_id: i64,
    pub secret_hash: String,
    pub label: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = exam_sessions)]
pub struct ExamSession {
    pub id: i64,
    pub public_id: String,
    pub centre_id: i64,
    pub certificate_type_id: i64,
    pub starts_at: NaiveDateTime,
    pub place: String,
    pub seats: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = exam_sessions)]
pub struct NewExamSession {
    pub public_id: String,
    pub centre_id: i64,
    pub certificate_type_id: i64,
    pub starts_at: NaiveDateTime,
    pub place: String,
    pub seats: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = enrolments)]
pub struct Enrolment {
    pub id: i64,
    pub public_id: String,
    pub exam_session_id: i64,
    pub account_id: i64,
    pub application_id: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = enrolments)]
pub struct NewEnrolment {
    pub public_id: String,
    pub exam_session_id: i64,
    pub account_id: i64,
    pub application_id: i64,
    pub created_at: NaiveDateTime,
}

/// An enrolment with the candidate and application details that centres receive.
#[derive(Debug, Clone)]
pub struct EnrolmentRow {
    pub enrolment: Enrolment,
    pub first_name: String,
    pub last_name: String,
    /// The candidate's sealed personnummer, if the account has one.
    pub sealed_personnummer: Option<String>,
    pub application_public_id: String,
    pub application_state: String,
}

/// The result of one exam part of an enrolment. `part`, `outcome` and `deviation` hold the
/// snake_case codes of the contract's enums.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = exam_results)]
#[diesel(treat_none_as_null = true)]
pub struct ExamResult {
    pub enrolment_id: i64,
    pub part: String,
    pub outcome: String,
    pub score: Option<i32>,
    pub max_score: Option<i32>,
    pub taken_on: NaiveDate,
    pub examiner: String,
    pub deviation: Option<String>,
    pub reported_at: NaiveDateTime,
}

// Centres and client credentials.

pub fn insert_centre(connection: &mut DbConnection, centre: &NewCentre) -> QueryResult<i64> {
    diesel::insert_into(examination_centres::table)
        .values(centre)
        .returning(examination_centres::id)
        .get_result(connection)
}

pub fn find_centre_by_name(
    connection: &mut DbConnection,
    name: &str,
) -> QueryResult<Option<Centre>> {
    examination_centres::table
        .filter(examination_centres::name.eq(name))
        .select(Centre::as_select())
        .first(connection)
        .optional()
}

pub fn find_centre_by_public_id(
    connection: &mut DbConnection,
    public_id: &str,
) -> QueryResult<Option<Centre>> {
    examination_centres::table
        .filter(examination_centres::public_id.eq(public_id))
        .select(Centre::as_select())
        .first(connection)
        .optional()
}

/// Lists every centre by name.
pub fn centres(connection: &mut DbConnection) -> QueryResult<Vec<Centre>> {
    examination_centres::table
        .order((examination_centres::name, examination_centres::id))
        .select(Centre::as_select())
        .load(connection)
}

/// Lists the client credentials of the given centres, oldest first.
pub fn clients_of_centres(
    connection: &mut DbConnection,
    centre_ids: &[i64],
) -> QueryResult<Vec<CentreClient>> {
    centre_clients::table
        .filter(centre_clients::centre_id.eq_any(centre_ids))
        .order((centre_clients::created_at, centre_clients::id))
        .select(CentreClient::as_select())
        .load(connection)
}

pub fn insert_client(connection: &mut DbConnection, client: &NewCentreClient) -> QueryResult<i64> {
    diesel::insert_into(centre_clients::table)
        .values(client)
        .returning(centre_clients::id)
        .get_result(connection)
}

/// Returns the credentials with this client id and their centre.
pub fn find_client(
    connection: &mut DbConnection,
    client_id: &str,
) -> QueryResult<Option<(CentreClient, Centre)>> {
    centre_clients::table
        .inner_join(examination_centres::table)
        .filter(centre_clients::client_id.eq(client_id))
        .select((CentreClient::as_select(), Centre::as_select()))
        .first(connection)
        .optional()
}

/// Records a successful token request, unless one was recorded after `stale_before`: this
/// keeps `last_used_at` correct to that precision without a write per token.
pub fn touch_client(
    connection: &mut DbConnection,
    id: i64,
    now: NaiveDateTime,
    stale_before: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        centre_clients::table.find(id).filter(
            centre_clients::last_used_at
                .is_null()
                .or(centre_clients::last_used_at.lt(stale_before)),
        ),
    )
    .set(centre_clients::last_used_at.eq(Some(now)))
    .execute(connection)?;
    Ok(())
}

/// Revokes credentials that are not yet revoked. Returns them as stored afterwards, and
/// whether this call revoked them.
pub fn revoke_client(
    connection: &mut DbConnection,
    client_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(CentreClient, bool)>> {
    let changed = diesel::update(
        centre_clients::table
            .filter(centre_clients::client_id.eq(client_id))
            .filter(centre_clients::revoked_at.is_null()),
    )
    .set(centre_clients::revoked_at.eq(Some(now)))
    .execute(connection)?;
    let client = centre_clients::table
        .filter(centre_clients::client_id.eq(client_id))
        .select(CentreClient::as_select())
        .first(connection)
        .optional()?;
    Ok(client.map(|client| (client, changed == 1)))
}

// Exam sessions.

pub fn insert_session(
    connection: &mut DbConnection,
    session: &NewExamSession,
) -> QueryResult<ExamSession> {
    let id: i64 = diesel::insert_into(exam_sessions::table)
        .values(session)
        .returning(exam_sessions::id)
        .get_result(connection)?;
    exam_sessions::table
        .find(id)
        .select(ExamSession::as_select())
        .first(connection)
}

/// Returns a session of the given centre; another centre's session is not found.
pub fn find_session(
    connection: &mut DbConnection,
    centre_id: i64,
    public_id: &str,
) -> QueryResult<Option<ExamSession>> {
    exam_sessions::table
        .filter(exam_sessions::public_id.eq(public_id))
        .filter(exam_sessions::centre_id.eq(centre_id))
        .select(ExamSession::as_select())
        .first(connection)
        .optional()
}

/// Locks a session row until the transaction ends, so concurrent enrolments count its seats
/// one after another. On SQLite the pool's single connection already runs one transaction at
/// a time, so nothing is locked there.
pub fn lock_session(connection: &mut DbConnection, id: i64) -> QueryResult<()> {
    match connection {
        DbConnection::Postgresql(pg) => {
            exam_sessions::table
                .find(id)
                .select(exam_sessions::id)
                .for_update()
                .first::<i64>(pg)?;
        }
        DbConnection::Sqlite(_) => {}
    }
    Ok(())
}

/// Filter and page of the session list. Times are UTC; `starts_from` is inclusive and
/// `starts_before` exclusive.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    pub starts_from: Option<NaiveDateTime>,
    pub starts_before: Option<NaiveDateTime>,
    pub offset: i64,
    pub limit: i64,
}

/// Lists a centre's sessions by start time, with the total count before paging.
pub fn sessions(
    connection: &mut DbConnection,
    centre_id: i64,
    filter: &SessionFilter,
) -> QueryResult<(Vec<ExamSession>, i64)> {
    let build = || {
        let mut query = exam_sessions::table
            .filter(exam_sessions::centre_id.eq(centre_id))
            .into_boxed();
        if let Some(from) = filter.starts_from {
            query = query.filter(exam_sessions::starts_at.ge(from));
        }
        if let Some(before) = filter.starts_before {
            query = query.filter(exam_sessions::starts_at.lt(before));
        }
        query
    };
    let total = build().count().get_result(connection)?;
    let rows = build()
        .order((exam_sessions::starts_at, exam_sessions::id))
        .offset(filter.offset)
        .limit(filter.limit)
        .select(ExamSession::as_select())
        .load(connection)?;
    Ok((rows, total))
}

/// State of an application whose candidate gave the exam seat back.
const WITHDRAWN: &str = "withdrawn";

/// Returns the number of seats taken in each given session that has any: enrolments whose
/// application is not withdrawn.
pub fn seats_taken(
    connection: &mut DbConnection,
    session_ids: &[i64],
) -> QueryResult<Vec<(i64, i64)>> {
    enrolments::table
        .inner_join(applications::table)
        .filter(enrolments::exam_session_id.eq_any(session_ids))
        .filter(applications::state.ne(WITHDRAWN))
        .group_by(enrolments::exam_session_id)
        .select((enrolments::exam_session_id, diesel::dsl::count_star()))
        .load(connection)
}

// Enrolments.

pub fn insert_enrolment(
    connection: &mut DbConnection,
    enrolment: &NewEnrolment,
) -> QueryResult<Enrolment> {
    let id: i64 = diesel::insert_into(enrolments::table)
        .values(enrolment)
        .returning(enrolments::id)
        .get_result(connection)?;
    enrolments::table
        .find(id)
        .select(Enrolment::as_select())
        .first(connection)
}

pub fn is_enrolled(
    connection: &mut DbConnection,
    session_id: i64,
    account_id: i64,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        enrolments::table
            .filter(enrolments::exam_session_id.eq(session_id))
            .filter(enrolments::account_id.eq(account_id)),
    ))
    .get_result(connection)
}

/// Returns whether the account has an enrolment for an exam of the type, in any session,
/// whose application is still open and whose results are not reported yet.
pub fn is_awaiting_results(
    connection: &mut DbConnection,
    account_id: i64,
    certificate_type_id: i64,
) -> QueryResult<bool> {
    let reported = exam_results::table.select(exam_results::enrolment_id);
    diesel::select(diesel::dsl::exists(
        enrolments::table
            .inner_join(applications::table)
            .filter(enrolments::account_id.eq(account_id))
            .filter(applications::certificate_type_id.eq(certificate_type_id))
            .filter(applications::state.eq_any(["received", "in_review", "awaiting_exam"]))
            .filter(enrolments::id.ne_all(reported)),
    ))
    .get_result(connection)
}

/// Returns the number of seats taken in a session; see [`seats_taken`].
pub fn count_enrolments(connection: &mut DbConnection, session_id: i64) -> QueryResult<i64> {
    enrolments::table
        .inner_join(applications::table)
        .filter(enrolments::exam_session_id.eq(session_id))
        .filter(applications::state.ne(WITHDRAWN))
        .count()
        .get_result(connection)
}

type EnrolmentColumns = (Enrolment, String, String, Option<String>, String, String);

fn to_row(
    (
        enrolment,
        first_name,
        last_name,
        sealed_personnummer,
        application_public_id,
        application_state,
    ): EnrolmentColumns,
) -> EnrolmentRow {
    EnrolmentRow {
        enrolment,
        first_name,
        last_name,
        sealed_personnummer,
        application_public_id,
        application_state,
    }
}

/// Lists the enrolments of a session in the order they were made.
pub fn enrolments_of_session(
    connection: &mut DbConnection,
    session_id: i64,
) -> QueryResult<Vec<EnrolmentRow>> {
    let rows: Vec<EnrolmentColumns> = enrolments::table
        .inner_join(accounts::table)
        .inner_join(applications::table)
        .filter(enrolments::exam_session_id.eq(session_id))
        .order((enrolments::created_at, enrolments::id))
        .select((
            Enrolment::as_select(),
            accounts::first_name,
            accounts::last_name,
            accounts::personnummer,
            applications::public_id,
            applications::state,
        ))
        .load(connection)?;
    Ok(rows.into_iter().map(to_row).collect())
}

/// Returns one enrolment with its candidate and application.
pub fn enrolment_row(connection: &mut DbConnection, id: i64) -> QueryResult<EnrolmentRow> {
    let row: EnrolmentColumns = enrolments::table
        .inner_join(accounts::table)
        .inner_join(applications::table)
        .filter(enrolments::id.eq(id))
        .select((
            Enrolment::as_select(),
            accounts::first_name,
            accounts::last_name,
            accounts::personnummer,
            applications::public_id,
            applications::state,
        ))
        .first(connection)?;
    Ok(to_row(row))
}

/// Returns an enrolment on one of the centre's sessions, with the session; an enrolment of
/// another centre is not found.
pub fn find_enrolment(
    connection: &mut DbConnection,
    centre_id: i64,
    public_id: &str,
) -> QueryResult<Option<(Enrolment, ExamSession)>> {
    enrolments::table
        .inner_join(exam_sessions::table)
        .filter(enrolments::public_id.eq(public_id))
        .filter(exam_sessions::centre_id.eq(centre_id))
        .select((Enrolment::as_select(), ExamSession::as_select()))
        .first(connection)
        .optional()
}

// Results.

/// Stores a result, replacing an earlier one of the same enrolment and part.
pub fn upsert_result(connection: &mut DbConnection, result: &ExamResult) -> QueryResult<()> {
    // The multi-backend connection has no upsert, so each backend runs its own.
    let upsert = diesel::insert_into(exam_results::table)
        .values(result)
        .on_conflict((exam_results::enrolment_id, exam_results::part))
        .do_update()
        .set(result);
    match connection {
        DbConnection::Postgresql(pg) => upsert.execute(pg)?,
        DbConnection::Sqlite(sqlite) => upsert.execute(sqlite)?,
    };
    Ok(())
}

/// Lists the results of the given enrolments.
pub fn results_of_enrolments(
    connection: &mut DbConnection,
    enrolment_ids: &[i64],
) -> QueryResult<Vec<ExamResult>> {
    exam_results::table
        .filter(exam_results::enrolment_id.eq_any(enrolment_ids))
        .order((exam_results::enrolment_id, exam_results::part))
        .select(ExamResult::as_select())
        .load(connection)
}

/// Lists the parts that have a result on any enrolment of an application.
pub fn reported_parts_of_application(
    connection: &mut DbConnection,
    application_id: i64,
) -> QueryResult<Vec<String>> {
    exam_results::table
        .inner_join(enrolments::table)
        .filter(enrolments::application_id.eq(application_id))
        .select(exam_results::part)
        .distinct()
        .load(connection)
}
