//! Set-based inserts of benchmark data: person accounts with one known password, approved
//! applications with issued certificates, open login challenges and sessions with refresh
//! tokens. PostgreSQL inserts a batch of accounts with everything that belongs to them in one
//! statement (`generate_series`, data-modifying `WITH` queries and arrays); SQLite has none of
//! these and takes three statements per batch (a recursive `WITH` query and JSON arrays).

use chrono::NaiveDateTime;
use diesel::dsl::max;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Text, Timestamp};
use diesel::sqlite::SqliteConnection;

use super::DbConnection;
use super::codes::OneTimeCode;
use super::schema::{
    accounts, applications, certificate_number_sequences, certificate_types, one_time_codes,
    refresh_tokens, sessions,
};
use super::sessions::{Session, insert_session};

/// Domain of every seeded email address. Seeded addresses are `bench.{i}@example.se`.
pub const EMAIL_DOMAIN: &str = "example.se";

/// Prefix of the local part of every seeded email address.
pub const EMAIL_PREFIX: &str = "bench.";

/// Rows per multi-row `INSERT` of challenges and sessions on PostgreSQL, which accepts at most
/// 65,535 bind parameters per statement, and a challenge row has 12 columns.
const ROWS_PER_INSERT: usize = 4_000;

/// Counts the accounts whose address has the seeded form.
pub fn count_seeded_accounts(connection: &mut DbConnection) -> QueryResult<i64> {
    accounts::table
        .filter(accounts::email_key.like(format!("{EMAIL_PREFIX}%@{EMAIL_DOMAIN}")))
        .count()
        .get_result(connection)
}

/// Returns the ids of the certificate types that persons can hold and that are not retired,
/// in catalogue order.
pub fn person_certificate_type_ids(connection: &mut DbConnection) -> QueryResult<Vec<i64>> {
    certificate_types::table
        .filter(certificate_types::holder_kind.eq("person"))
        .filter(certificate_types::retired_at.is_null())
        .order((certificate_types::position, certificate_types::id))
        .select(certificate_types::id)
        .load(connection)
}

/// Returns the last certificate sequence number given out in each year from `first_year`
/// through `last_year`, 0 for a year without certificates.
pub fn last_sequences(
    connection: &mut DbConnection,
    first_year: i32,
    last_year: i32,
) -> QueryResult<Vec<i32>> {
    let stored: Vec<(i32, i32)> = certificate_number_sequences::table
        .filter(certificate_number_sequences::year.between(first_year, last_year))
        .select((
            certificate_number_sequences::year,
            certificate_number_sequences::last_value,
        ))
        .load(connection)?;
    let last_value = |year: i32| {
        stored
            .iter()
            .find(|(stored_year, _)| *stored_year == year)
            .map_or(0, |(_, value)| *value)
    };
    Ok((first_year..=last_year).map(last_value).collect())
}

/// One batch of [`insert_accounts_with_certificates`].
#[derive(Clone)]
pub struct AccountBatch<'a> {
    /// Number of the first account of the batch (1-based), which gives its address.
    pub first_index: i64,
    /// Number of the last account of the batch, inclusive.
    pub last_index: i64,
    /// PHC string of the password every seeded account gets.
    pub password_hash: &'a str,
    pub now: NaiveDateTime,
    /// Certificate types handed out in turn, one per certificate of an account.
    pub certificate_type_ids: &'a [i64],
    pub certificates_per_account: i32,
    /// 0-based position of the batch's first certificate among all seeded certificates.
    pub first_ordinal: i64,
    /// Certificates are issued in the years `first_year` through
    /// `first_year + years - 1`, in turn.
    pub first_year: i32,
    pub years: i32,
    /// Last sequence number already given out in each of those years, from
    /// [`last_sequences`]; seeded numbers continue after it.
    pub sequence_offsets: &'a [i32],
}

impl std::fmt::Debug for AccountBatch<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("AccountBatch")
            .field("first_index", &self.first_index)
            .field("last_index", &self.last_index)
            .field("certificates_per_account", &self.certificates_per_account)
            .field("first_ordinal", &self.first_ordinal)
            .finish_non_exhaustive()
    }
}

/// Inserts the accounts of a batch and, for each, `certificates_per_account` approved
/// applications and the certificates issued for them, in one PostgreSQL statement.
///
/// Certificate number `k` of the whole seed (its ordinal) is issued in year
/// `first_year + k % years` with sequence `offset + k / years + 1`, so numbers never repeat as
/// long as the caller keeps every year's sequence at or below 999,999. Issue dates fall on day
/// 1–28 of a month, and the other dates follow the type's rules as approval computes them.
const INSERT_ACCOUNTS_WITH_CERTIFICATES: &str = "\
WITH new_accounts AS (
    INSERT INTO accounts (public_id, email, email_key, first_name, last_name, birth_date,
        language, role, password_hash, must_change_password, created_at, updated_at)
    SELECT replace(gen_random_uuid()::text, '-', ''),
        $10 || g.i || '@' || $11, $10 || g.i || '@' || $11,
        (ARRAY['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Eva', 'Per'])[1 + g.i % 8],
        'Bench' || g.i,
        DATE '1950-01-01' + (g.i % 18000)::int,
        'sv', 'person', $3, FALSE, $4, $4
    FROM generate_series($1::bigint, $2::bigint) AS g(i)
    RETURNING id, first_name, last_name
), new_applications AS (
    INSERT INTO applications (public_id, account_id, certificate_type_id, kind, state, source,
        decided_at, created_at, updated_at)
    SELECT gen_random_uuid()::text, a.id,
        ($5::bigint[])[1 + k.n % cardinality($5::bigint[])],
        'new', 'approved', 'person', $4, $4, $4
    FROM new_accounts AS a CROSS JOIN generate_series(0, $6 - 1) AS k(n)
    RETURNING id, account_id, certificate_type_id
), numbered AS (
    SELECT p.id, p.account_id, p.certificate_type_id,
        $7::bigint + row_number() OVER (ORDER BY p.id) - 1 AS ordinal
    FROM new_applications AS p
), dated AS (
    SELECT n.id, n.account_id, n.certificate_type_id,
        ($8 + n.ordinal % $9)::int AS year,
        (n.ordinal / $9 + 1)::int AS sequence_in_year,
        make_date(($8 + n.ordinal % $9)::int, (1 + (n.ordinal / $9) % 12)::int,
            (1 + (n.ordinal / ($9 * 12)) % 28)::int) AS issued_on
    FROM numbered AS n
)
INSERT INTO certificates (number, account_id, certificate_type_id, application_id, issued_on,
    valid_until, annual_renewal_due, recertification_due, created_at, updated_at,
    holder_name, type_name_sv, type_name_en)
SELECT 'INC-' || d.year || '-'
        || lpad((($12::int[])[1 + d.year - $8] + d.sequence_in_year)::text, 6, '0'),
    d.account_id, d.certificate_type_id, d.id, d.issued_on,
    (d.issued_on + make_interval(years => t.validity_years))::date,
    CASE WHEN t.annual_renewal THEN (d.issued_on + make_interval(years => 1))::date END,
    (d.issued_on + make_interval(years => coalesce(t.recertification_years, t.validity_years)))::date,
    $4, $4,
    a.first_name || ' ' || a.last_name, t.name_sv, t.name_en
FROM dated AS d
JOIN new_accounts AS a ON a.id = d.account_id
JOIN certificate_types AS t ON t.id = d.certificate_type_id";

/// The SQLite version of [`INSERT_ACCOUNTS_WITH_CERTIFICATES`], first statement: the accounts
/// of the batch, with the same names, dates and addresses.
const SQLITE_INSERT_ACCOUNTS: &str = "\
WITH RECURSIVE g(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM g WHERE i < ?2)
INSERT INTO accounts (public_id, email, email_key, first_name, last_name, birth_date,
    language, role, password_hash, must_change_password, created_at, updated_at)
SELECT lower(hex(randomblob(16))),
    ?5 || g.i || '@' || ?6, ?5 || g.i || '@' || ?6,
    CASE g.i % 8 WHEN 0 THEN 'Anna' WHEN 1 THEN 'Erik' WHEN 2 THEN 'Maria' WHEN 3 THEN 'Lars'
        WHEN 4 THEN 'Karin' WHEN 5 THEN 'Johan' WHEN 6 THEN 'Eva' ELSE 'Per' END,
    'Bench' || g.i,
    date('1950-01-01', '+' || (g.i % 18000) || ' days'),
    'sv', 'person', ?3, 0, ?4, ?4
FROM g";

/// Second SQLite statement: `certificates_per_account` approved applications for each account
/// with an id above `?1`, the types taken in turn from the JSON array `?2`.
const SQLITE_INSERT_APPLICATIONS: &str = "\
WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n + 1 < ?4)
INSERT INTO applications (public_id, account_id, certificate_type_id, kind, state, source,
    decided_at, created_at, updated_at)
SELECT lower(hex(randomblob(16))), a.id,
    json_extract(?2, '$[' || (k.n % json_array_length(?2)) || ']'),
    'new', 'approved', 'person', ?3, ?3, ?3
FROM accounts AS a CROSS JOIN k
WHERE a.id > ?1
ORDER BY a.id, k.n";

/// Third SQLite statement: a certificate for each application with an id above `?1`,
/// numbered and dated as on PostgreSQL.
const SQLITE_INSERT_CERTIFICATES: &str = "\
WITH numbered AS (
    SELECT p.id, p.account_id, p.certificate_type_id,
        ?2 + row_number() OVER (ORDER BY p.id) - 1 AS ordinal
    FROM applications AS p
    WHERE p.id > ?1
), dated AS (
    SELECT n.id, n.account_id, n.certificate_type_id,
        ?3 + n.ordinal % ?4 AS year,
        n.ordinal / ?4 + 1 AS sequence_in_year,
        printf('%04d-%02d-%02d', ?3 + n.ordinal % ?4, 1 + (n.ordinal / ?4) % 12,
            1 + (n.ordinal / (?4 * 12)) % 28) AS issued_on
    FROM numbered AS n
)
INSERT INTO certificates (number, account_id, certificate_type_id, application_id, issued_on,
    valid_until, annual_renewal_due, recertification_due, created_at, updated_at,
    holder_name, type_name_sv, type_name_en)
SELECT 'INC-' || d.year || '-'
        || printf('%06d', json_extract(?5, '$[' || (d.year - ?3) || ']') + d.sequence_in_year),
    d.account_id, d.certificate_type_id, d.id, d.issued_on,
    date(d.issued_on, '+' || t.validity_years || ' years'),
    CASE WHEN t.annual_renewal THEN date(d.issued_on, '+1 years') END,
    date(d.issued_on, '+' || coalesce(t.recertification_years, t.validity_years) || ' years'),
    ?6, ?6,
    a.first_name || ' ' || a.last_name, t.name_sv, t.name_en
FROM dated AS d
JOIN accounts AS a ON a.id = d.account_id
JOIN certificate_types AS t ON t.id = d.certificate_type_id";

/// Inserts one batch of accounts with their applications and certificates. With
/// `certificates_per_account` 0 it inserts the accounts alone. Returns the number of
/// certificates inserted.
pub fn insert_accounts_with_certificates(
    connection: &mut DbConnection,
    batch: &AccountBatch<'_>,
) -> QueryResult<usize> {
    match connection {
        DbConnection::Postgresql(pg) => insert_batch_postgres(pg, batch),
        DbConnection::Sqlite(sqlite) => {
            sqlite.immediate_transaction(|sqlite| insert_batch_sqlite(sqlite, batch))
        }
    }
}

fn insert_batch_postgres(pg: &mut PgConnection, batch: &AccountBatch<'_>) -> QueryResult<usize> {
    diesel::sql_query(INSERT_ACCOUNTS_WITH_CERTIFICATES)
        .bind::<BigInt, _>(batch.first_index)
        .bind::<BigInt, _>(batch.last_index)
        .bind::<Text, _>(batch.password_hash)
        .bind::<Timestamp, _>(batch.now)
        .bind::<Array<BigInt>, _>(batch.certificate_type_ids)
        .bind::<Integer, _>(batch.certificates_per_account)
        .bind::<BigInt, _>(batch.first_ordinal)
        .bind::<Integer, _>(batch.first_year)
        .bind::<Integer, _>(batch.years)
        .bind::<Text, _>(EMAIL_PREFIX)
        .bind::<Text, _>(EMAIL_DOMAIN)
        .bind::<Array<Integer>, _>(batch.sequence_offsets)
        .execute(pg)
}

/// Runs the three SQLite statements. The caller has a transaction open, so the rows above the
/// highest ids read first are this batch's own.
fn insert_batch_sqlite(
    sqlite: &mut SqliteConnection,
    batch: &AccountBatch<'_>,
) -> QueryResult<usize> {
    let last_account_before: Option<i64> = accounts::table
        .select(max(accounts::id))
        .get_result(sqlite)?;
    let last_application_before: Option<i64> = applications::table
        .select(max(applications::id))
        .get_result(sqlite)?;

    diesel::sql_query(SQLITE_INSERT_ACCOUNTS)
        .bind::<BigInt, _>(batch.first_index)
        .bind::<BigInt, _>(batch.last_index)
        .bind::<Text, _>(batch.password_hash)
        .bind::<Timestamp, _>(batch.now)
        .bind::<Text, _>(EMAIL_PREFIX)
        .bind::<Text, _>(EMAIL_DOMAIN)
        .execute(sqlite)?;
    if batch.certificates_per_account < 1 || batch.certificate_type_ids.is_empty() {
        return Ok(0);
    }

    diesel::sql_query(SQLITE_INSERT_APPLICATIONS)
        .bind::<BigInt, _>(last_account_before.unwrap_or(0))
        .bind::<Text, _>(json_array(batch.certificate_type_ids))
        .bind::<Timestamp, _>(batch.now)
        .bind::<Integer, _>(batch.certificates_per_account)
        .execute(sqlite)?;
    diesel::sql_query(SQLITE_INSERT_CERTIFICATES)
        .bind::<BigInt, _>(last_application_before.unwrap_or(0))
        .bind::<BigInt, _>(batch.first_ordinal)
        .bind::<Integer, _>(batch.first_year)
        .bind::<Integer, _>(batch.years)
        .bind::<Text, _>(json_array(batch.sequence_offsets))
        .bind::<Timestamp, _>(batch.now)
        .execute(sqlite)
}

/// Formats numbers as a JSON array, for SQLite's `json_extract`.
fn json_array<T: std::fmt::Display>(values: &[T]) -> String {
    let items: Vec<String> = values.iter().map(ToString::to_string).collect();
    format!("[{}]", items.join(","))
}

/// Raises each year's certificate sequence to the highest number issued in that year, so
/// certificates issued later continue after the seeded ones. Numbers have the form
/// `INC-YYYY-NNNNNN`; the statement runs on both backends.
pub fn raise_number_sequences(connection: &mut DbConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO certificate_number_sequences (year, last_value) \
         SELECT CAST(substr(number, 5, 4) AS INTEGER), max(CAST(substr(number, 10) AS INTEGER)) \
         FROM certificates WHERE number LIKE 'INC-____-%' GROUP BY 1 \
         ON CONFLICT (year) DO UPDATE SET last_value = CASE \
             WHEN excluded.last_value > certificate_number_sequences.last_value \
             THEN excluded.last_value ELSE certificate_number_sequences.last_value END",
    )
    .execute(connection)
}

/// Refreshes the planner statistics of the seeded tables, so the first queries after seeding
/// get index plans.
pub fn analyze(connection: &mut DbConnection) -> QueryResult<usize> {
    let statement = match connection {
        DbConnection::Postgresql(_) => "ANALYZE accounts, applications, certificates",
        DbConnection::Sqlite(_) => "ANALYZE",
    };
    diesel::sql_query(statement).execute(connection)
}

/// Returns the ids of the first `limit` seeded accounts, oldest first.
pub fn seeded_account_ids(connection: &mut DbConnection, limit: i64) -> QueryResult<Vec<i64>> {
    accounts::table
        .filter(accounts::email_key.like(format!("{EMAIL_PREFIX}%@{EMAIL_DOMAIN}")))
        .order(accounts::id)
        .select(accounts::id)
        .limit(limit)
        .load(connection)
}

/// Inserts open one-time codes: on PostgreSQL a few thousand rows per statement, on SQLite one
/// row per statement in one transaction.
pub fn insert_codes(connection: &mut DbConnection, codes: &[OneTimeCode]) -> QueryResult<()> {
    match connection {
        DbConnection::Postgresql(pg) => {
            for chunk in codes.chunks(ROWS_PER_INSERT) {
                diesel::insert_into(one_time_codes::table)
                    .values(chunk)
                    .execute(pg)?;
            }
            Ok(())
        }
        DbConnection::Sqlite(_) => connection.write_transaction(|connection| {
            for code in codes {
                diesel::insert_into(one_time_codes::table)
                    .values(code)
                    .execute(connection)?;
            }
            Ok(())
        }),
    }
}

/// Inserts sessions, each with one unused refresh token given by its SHA-256 hash
/// (`token_hashes` in the order of `new_sessions`).
pub fn insert_sessions(
    connection: &mut DbConnection,
    new_sessions: &[Session],
    token_hashes: &[String],
) -> QueryResult<()> {
    match connection {
        DbConnection::Postgresql(pg) => insert_sessions_postgres(pg, new_sessions, token_hashes),
        DbConnection::Sqlite(_) => connection.write_transaction(|connection| {
            for (session, hash) in new_sessions.iter().zip(token_hashes) {
                insert_session(connection, session, hash)?;
            }
            Ok(())
        }),
    }
}

fn insert_sessions_postgres(
    pg: &mut PgConnection,
    new_sessions: &[Session],
    token_hashes: &[String],
) -> QueryResult<()> {
    for (session_chunk, hash_chunk) in new_sessions
        .chunks(ROWS_PER_INSERT)
        .zip(token_hashes.chunks(ROWS_PER_INSERT))
    {
        diesel::insert_into(sessions::table)
            .values(session_chunk)
            .execute(pg)?;
        let tokens: Vec<_> = session_chunk
            .iter()
            .zip(hash_chunk)
            .map(|(session, hash)| {
                (
                    refresh_tokens::token_hash.eq(hash),
                    refresh_tokens::session_id.eq(&session.id),
                    refresh_tokens::created_at.eq(session.created_at),
                )
            })
            .collect();
        diesel::insert_into(refresh_tokens::table)
            .values(&tokens)
            .execute(pg)?;
    }
    Ok(())
}
