//! Stored responses of requests that carried an `Idempotency-Key`.
//!
//! NOTE: stored responses are never deleted. A purge of rows older than a retry window,
//! such as a day, is still missing.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::idempotent_requests;

/// The first response to a request with a key, kept so that retries receive it again.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotent_requests)]
pub struct StoredRequest {
    /// The caller and operation the key belongs to, such as `<centre id> <route>`.
    pub scope: String,
    pub idempotency_key: String,
    /// HMAC-SHA256 of the canonical request under a server key, as lower-case hex.
    pub request_hash: String,
    pub response_status: i32,
    /// The response body as sent.
    pub response_body: String,
    pub created_at: NaiveDateTime,
}

pub fn find(
    connection: &mut DbConnection,
    scope: &str,
    key: &str,
) -> QueryResult<Option<StoredRequest>> {
    idempotent_requests::table
        .find((scope, key))
        .select(StoredRequest::as_select())
        .first(connection)
        .optional()
}

/// Stores a response. Returns false, and stores nothing, when the scope already has the key:
/// a concurrent request with the same key committed first.
pub fn insert(connection: &mut DbConnection, request: &StoredRequest) -> QueryResult<bool> {
    // The multi-backend connection has no ON CONFLICT, so each backend runs its own.
    let insert = diesel::insert_into(idempotent_requests::table)
        .values(request)
        .on_conflict((
            idempotent_requests::scope,
            idempotent_requests::idempotency_key,
        ))
        .do_nothing();
    let inserted = match connection {
        DbConnection::Postgresql(pg) => insert.execute(pg)?,
        DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
    };
    Ok(inserted == 1)
}
