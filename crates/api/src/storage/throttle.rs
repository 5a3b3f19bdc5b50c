//! Failure counters for throttling, counted atomically in the database so every node sees
//! the same numbers and parallel failures are never lost.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use super::DbConnection;
use super::prepared::KeepPrepared;
use super::schema::throttle_counters;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    failures: i32,
}

const RECORD_POSTGRES: &str = "\
    INSERT INTO throttle_counters (scope, subject, failures, last_failure_at) VALUES ($1, $2, 1, $3) \
    ON CONFLICT (scope, subject) DO UPDATE SET \
        failures = CASE WHEN throttle_counters.last_failure_at < $4 THEN 1 \
                        ELSE throttle_counters.failures + 1 END, \
        last_failure_at = $3 \
    WHERE throttle_counters.last_failure_at < $4 OR throttle_counters.failures < $5 \
    RETURNING failures";

const RECORD_SQLITE: &str = "\
    INSERT INTO throttle_counters (scope, subject, failures, last_failure_at) VALUES (?1, ?2, 1, ?3) \
    ON CONFLICT (scope, subject) DO UPDATE SET \
        failures = CASE WHEN throttle_counters.last_failure_at < ?4 THEN 1 \
                        ELSE throttle_counters.failures + 1 END, \
        last_failure_at = ?3 \
    WHERE throttle_counters.last_failure_at < ?4 OR throttle_counters.failures < ?5 \
    RETURNING failures";

/// Counts one failure and returns the count. A counter whose last failure is older than
/// `forget_before` starts again at 1.
pub fn record_failure(
    connection: &mut DbConnection,
    scope: &str,
    subject: &str,
    now: NaiveDateTime,
    forget_before: NaiveDateTime,
) -> QueryResult<i32> {
    let counted = record_below_cap(connection, scope, subject, now, forget_before, i32::MAX)?;
    Ok(counted.unwrap_or(i32::MAX))
}

/// Counts one event, such as a sent code, unless the counter has reached `cap` events since
/// `forget_before`. Returns the new count, or None when the cap was reached and nothing was
/// counted. A counter whose last event is older than `forget_before` starts again at 1.
pub fn record_below_cap(
    connection: &mut DbConnection,
    scope: &str,
    subject: &str,
    now: NaiveDateTime,
    forget_before: NaiveDateTime,
    cap: i32,
) -> QueryResult<Option<i32>> {
    let count: Option<Count> = match connection {
        DbConnection::Postgresql(pg) => diesel::sql_query(RECORD_POSTGRES)
            .bind::<Text, _>(scope)
            .bind::<Text, _>(subject)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(forget_before)
            .bind::<Integer, _>(cap)
            .keep_prepared()
            .get_result(pg)
            .optional()?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(RECORD_SQLITE)
            .bind::<Text, _>(scope)
            .bind::<Text, _>(subject)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(forget_before)
            .bind::<Integer, _>(cap)
            .keep_prepared()
            .get_result(sqlite)
            .optional()?,
    };
    Ok(count.map(|count| count.failures))
}

/// Returns the failure count and the time of the last failure, if any.
pub fn current(
    connection: &mut DbConnection,
    scope: &str,
    subject: &str,
) -> QueryResult<Option<(i32, NaiveDateTime)>> {
    throttle_counters::table
        .find((scope, subject))
        .select((
            throttle_counters::failures,
            throttle_counters::last_failure_at,
        ))
        .first(connection)
        .optional()
}

/// Forgets the failures of a subject, after it succeeded.
pub fn reset(connection: &mut DbConnection, scope: &str, subject: &str) -> QueryResult<usize> {
    diesel::delete(throttle_counters::table.find((scope, subject))).execute(connection)
}

/// Deletes the counters of `scope` whose last failure is older than `before`, for scopes
/// that make a new counter per time window.
pub fn purge(
    connection: &mut DbConnection,
    scope: &str,
    before: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        throttle_counters::table
            .filter(throttle_counters::scope.eq(scope))
            .filter(throttle_counters::last_failure_at.lt(before)),
    )
    .execute(connection)
}
