//! Issued certificates, their number sequence, attestations and sent reminders.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Integer;
use incert_domain::ReminderKind;

use super::DbConnection;
use super::schema::{
    accounts, attestations, certificate_administrators, certificate_reminders, certificate_types,
    certificates,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = certificates)]
pub struct Certificate {
    pub id: i64,
    pub number: String,
    pub account_id: i64,
    pub certificate_type_id: i64,
    pub application_id: i64,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub annual_renewal_due: Option<NaiveDate>,
    pub recertification_due: NaiveDate,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawal_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The holder's name at issue, as printed on the certificate.
    pub holder_name: String,
    /// The type's Swedish name at issue.
    pub type_name_sv: String,
    /// The type's English name at issue.
    pub type_name_en: String,
    /// The day a recertification's certificate replaced this one.
    pub replaced_on: Option<NaiveDate>,
    /// The certificate that replaced this one.
    pub replaced_by_id: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = certificates)]
pub struct NewCertificate {
    pub number: String,
    pub account_id: i64,
    pub certificate_type_id: i64,
    pub application_id: i64,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub annual_renewal_due: Option<NaiveDate>,
    pub recertification_due: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub holder_name: String,
    pub type_name_sv: String,
    pub type_name_en: String,
}

#[derive(QueryableByName)]
struct Sequence {
    #[diesel(sql_type = Integer)]
    last_value: i32,
}

const NEXT_SEQUENCE_POSTGRES: &str = "\
    INSERT INTO certificate_number_sequences (year, last_value) VALUES ($1, 1) \
    ON CONFLICT (year) DO UPDATE SET last_value = certificate_number_sequences.last_value + 1 \
    RETURNING last_value";

const NEXT_SEQUENCE_SQLITE: &str = "\
    INSERT INTO certificate_number_sequences (year, last_value) VALUES (?1, 1) \
    ON CONFLICT (year) DO UPDATE SET last_value = certificate_number_sequences.last_value + 1 \
    RETURNING last_value";

/// Takes the next sequence number of an issue year, atomically on both backends, so two
/// nodes issuing at once never get the same certificate number.
pub fn next_sequence(connection: &mut DbConnection, year: i32) -> QueryResult<i32> {
    let sequence: Sequence = match connection {
        DbConnection::Postgresql(pg) => diesel::sql_query(NEXT_SEQUENCE_POSTGRES)
            .bind::<Integer, _>(year)
            .get_result(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(NEXT_SEQUENCE_SQLITE)
            .bind::<Integer, _>(year)
            .get_result(sqlite)?,
    };
    Ok(sequence.last_value)
}

pub fn insert(connection: &mut DbConnection, certificate: &NewCertificate) -> QueryResult<i64> {
    diesel::insert_into(certificates::table)
        .values(certificate)
        .returning(certificates::id)
        .get_result(connection)
}

pub fn find_by_number(
    connection: &mut DbConnection,
    number: &str,
) -> QueryResult<Option<Certificate>> {
    certificates::table
        .filter(certificates::number.eq(number))
        .select(Certificate::as_select())
        .first(connection)
        .optional()
}

/// Loads one certificate by its id.
pub fn find(connection: &mut DbConnection, id: i64) -> QueryResult<Certificate> {
    certificates::table
        .find(id)
        .select(Certificate::as_select())
        .first(connection)
}

/// Returns the numbers of the certificates with the given ids, as pairs of id and number.
pub fn numbers(connection: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    certificates::table
        .filter(certificates::id.eq_any(ids))
        .select((certificates::id, certificates::number))
        .load(connection)
}

/// Returns the holder's certificate of the type that is neither withdrawn nor past its end
/// on `today`, the newest first, if any.
pub fn find_current(
    connection: &mut DbConnection,
    account_id: i64,
    certificate_type_id: i64,
    today: NaiveDate,
) -> QueryResult<Option<Certificate>> {
    certificates::table
        .filter(certificates::account_id.eq(account_id))
        .filter(certificates::certificate_type_id.eq(certificate_type_id))
        .filter(certificates::withdrawn_on.is_null())
        .filter(certificates::replaced_on.is_null())
        .filter(certificates::valid_until.ge(today))
        .order(certificates::issued_on.desc())
        .select(Certificate::as_select())
        .first(connection)
        .optional()
}

/// Lists a holder's certificates, newest issue first.
pub fn for_account(
    connection: &mut DbConnection,
    account_id: i64,
) -> QueryResult<Vec<Certificate>> {
    certificates::table
        .filter(certificates::account_id.eq(account_id))
        .order((certificates::issued_on.desc(), certificates::id.desc()))
        .select(Certificate::as_select())
        .load(connection)
}

/// Marks a certificate replaced by `replaced_by_id` from `replaced_on`, unless it is replaced
/// already. Returns whether the row changed.
pub fn replace(
    connection: &mut DbConnection,
    id: i64,
    replaced_by_id: i64,
    replaced_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        certificates::table
            .find(id)
            .filter(certificates::replaced_on.is_null()),
    )
    .set((
        certificates::replaced_on.eq(Some(replaced_on)),
        certificates::replaced_by_id.eq(Some(replaced_by_id)),
        certificates::updated_at.eq(now),
    ))
    .execute(connection)?;
    Ok(changed == 1)
}

/// Marks a certificate withdrawn unless it already is. Returns whether the row changed.
pub fn withdraw(
    connection: &mut DbConnection,
    id: i64,
    withdrawn_on: NaiveDate,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        certificates::table
            .find(id)
            .filter(certificates::withdrawn_on.is_null()),
    )
    .set((
        certificates::withdrawn_on.eq(Some(withdrawn_on)),
        certificates::withdrawal_reason.eq(Some(reason)),
        certificates::updated_at.eq(now),
    ))
    .execute(connection)?;
    Ok(changed == 1)
}

/// Moves the renewal due date if it is still `previous_due`, so two concurrent attestations
/// cannot both count for the same year. Returns whether the row changed.
pub fn move_renewal_due(
    connection: &mut DbConnection,
    id: i64,
    previous_due: NaiveDate,
    next_due: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        certificates::table
            .find(id)
            .filter(certificates::annual_renewal_due.eq(previous_due)),
    )
    .set((
        certificates::annual_renewal_due.eq(Some(next_due)),
        certificates::updated_at.eq(now),
    ))
    .execute(connection)?;
    Ok(changed == 1)
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = attestations)]
pub struct NewAttestation {
    pub certificate_id: i64,
    pub attested_on: NaiveDate,
    pub attested_by: i64,
    pub previous_due: NaiveDate,
    pub next_due: NaiveDate,
    pub created_at: NaiveDateTime,
}

pub fn insert_attestation(
    connection: &mut DbConnection,
    attestation: &NewAttestation,
) -> QueryResult<()> {
    diesel::insert_into(attestations::table)
        .values(attestation)
        .execute(connection)?;
    Ok(())
}

/// Returns whether an account administers certificates for the organisation number.
pub fn administers(
    connection: &mut DbConnection,
    account_id: i64,
    organisation_number: &str,
) -> QueryResult<bool> {
    let count: i64 = certificate_administrators::table
        .filter(certificate_administrators::account_id.eq(account_id))
        .filter(certificate_administrators::organisation_number.eq(organisation_number))
        .count()
        .get_result(connection)?;
    Ok(count > 0)
}

/// Makes an account a certificate administrator of an organisation; already being one is not
/// an error.
pub fn add_administrator(
    connection: &mut DbConnection,
    account_id: i64,
    organisation_number: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if administers(connection, account_id, organisation_number)? {
        return Ok(());
    }
    diesel::insert_into(certificate_administrators::table)
        .values((
            certificate_administrators::account_id.eq(account_id),
            certificate_administrators::organisation_number.eq(organisation_number),
            certificate_administrators::created_at.eq(now),
        ))
        .execute(connection)?;
    Ok(())
}

/// A certificate with what the reminder job needs: the holder's address, name and language,
/// and the type's names.
#[derive(Debug, Clone)]
pub struct ReminderCandidate {
    pub certificate: Certificate,
    pub email: String,
    pub first_name: String,
    pub language: String,
    pub type_name_sv: String,
    pub type_name_en: String,
}

/// Number of candidates that [`reminder_candidates`] reads in one query.
pub const REMINDER_BATCH_SIZE: i64 = 500;

/// Lists up to `limit` certificates with an id above `after_id`, in id order, that are not
/// withdrawn and have a renewal or recertification due date from `today` through `last_due`
/// whose reminder has not been recorded: the candidates for reminders.
pub fn reminder_candidates(
    connection: &mut DbConnection,
    today: NaiveDate,
    last_due: NaiveDate,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<ReminderCandidate>> {
    use diesel::dsl::{exists, not};

    let renewal_recorded = exists(
        certificate_reminders::table
            .filter(certificate_reminders::certificate_id.eq(certificates::id))
            .filter(certificate_reminders::kind.eq(ReminderKind::RenewalDue.code()))
            .filter(
                certificate_reminders::due_on
                    .nullable()
                    .eq(certificates::annual_renewal_due),
            ),
    );
    let recertification_recorded = exists(
        certificate_reminders::table
            .filter(certificate_reminders::certificate_id.eq(certificates::id))
            .filter(certificate_reminders::kind.eq(ReminderKind::RecertificationDue.code()))
            .filter(certificate_reminders::due_on.eq(certificates::recertification_due)),
    );
    let rows: Vec<(Certificate, String, String, String, String, String)> = certificates::table
        .inner_join(accounts::table)
        .inner_join(certificate_types::table)
        .filter(certificates::id.gt(after_id))
        .filter(certificates::withdrawn_on.is_null())
        .filter(certificates::replaced_on.is_null())
        .filter(
            certificates::annual_renewal_due
                .between(today, last_due)
                .and(not(renewal_recorded))
                .or(certificates::recertification_due
                    .between(today, last_due)
                    .and(not(recertification_recorded))),
        )
        .order(certificates::id.asc())
        .limit(limit)
        .select((
            Certificate::as_select(),
            accounts::email,
            accounts::first_name,
            accounts::language,
            certificate_types::name_sv,
            certificate_types::name_en,
        ))
        .load(connection)?;
    Ok(rows
        .into_iter()
        .map(
            |(certificate, email, first_name, language, type_name_sv, type_name_en)| {
                ReminderCandidate {
                    certificate,
                    email,
                    first_name,
                    language,
                    type_name_sv,
                    type_name_en,
                }
            },
        )
        .collect())
}

const CLAIM_REMINDER_POSTGRES: &str = "\
    INSERT INTO certificate_reminders (certificate_id, kind, due_on, sent_at) \
    VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

const CLAIM_REMINDER_SQLITE: &str = "\
    INSERT INTO certificate_reminders (certificate_id, kind, due_on, sent_at) \
    VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";

/// Records that a reminder goes out. Returns false when it was already recorded, so each
/// reminder is sent once even when two nodes run the job at the same time.
pub fn claim_reminder(
    connection: &mut DbConnection,
    certificate_id: i64,
    kind: &str,
    due_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    use diesel::sql_types::{BigInt, Date, Text, Timestamp};

    let inserted = match connection {
        DbConnection::Postgresql(pg) => diesel::sql_query(CLAIM_REMINDER_POSTGRES)
            .bind::<BigInt, _>(certificate_id)
            .bind::<Text, _>(kind)
            .bind::<Date, _>(due_on)
            .bind::<Timestamp, _>(now)
            .execute(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(CLAIM_REMINDER_SQLITE)
            .bind::<BigInt, _>(certificate_id)
            .bind::<Text, _>(kind)
            .bind::<Date, _>(due_on)
            .bind::<Timestamp, _>(now)
            .execute(sqlite)?,
    };
    Ok(inserted == 1)
}
