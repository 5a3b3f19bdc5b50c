//! Certificates as their holder, the public and attesters see them.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeDelta};
use diesel::QueryResult;
use incert_contract::ErrorCode;
use incert_contract::certification::{
    Attestation, AttestationRequest, CertificateGroup, CertificateGrouping, CertificateList,
    CertificateRow, PublicCertificate,
};
use incert_domain::{CertificateNumber, CertificateStatus};

use super::catalogue::Catalogue;
use super::{caller_account, contract_status, dates, localized, status_on};
use crate::http::AppState;
use crate::http::authentication::{Authenticated, CASE_OFFICER_ROLES};
use crate::http::error::{ApiError, FieldIssue};
use crate::i18n::Language;
use crate::service::today_in_sweden;
use crate::storage::audit::{self, Origin, event};
use crate::storage::catalogue::{self, CertificateType, TechnicalArea};
use crate::storage::certificates::{self, Certificate, NewAttestation};
use crate::storage::{DbConnection, StorageError, profile, throttle};

/// Throttle scope of public checks; one counter per client address and minute.
pub(crate) const PUBLIC_CHECK_SCOPE: &str = "public_certificate_checks";

/// Longest accepted search text, in characters.
const MAX_SEARCH_CHARS: usize = 100;

/// Statuses in the order their groups are listed.
const STATUS_ORDER: [CertificateStatus; 5] = [
    CertificateStatus::Valid,
    CertificateStatus::RenewalRequired,
    CertificateStatus::Replaced,
    CertificateStatus::Expired,
    CertificateStatus::Withdrawn,
];

/// One of the caller's certificates with its type and technical area.
struct Listed {
    certificate: Certificate,
    certificate_type: CertificateType,
    status: CertificateStatus,
    /// Number of the certificate that replaced this one.
    replaced_by_number: Option<String>,
}

fn status_label(status: CertificateStatus, language: Language) -> &'static str {
    match language {
        Language::Swedish => status.label_sv(),
        Language::English => status.label_en(),
    }
}

/// Returns the type's name as it was when the certificate was issued.
fn type_name(certificate: &Certificate, language: Language) -> &str {
    match language {
        Language::Swedish => &certificate.type_name_sv,
        Language::English => &certificate.type_name_en,
    }
}

/// Tells whether a listed certificate matches every word of the search text, in its number,
/// type code, type name in either language or status label in either language.
fn matches(listed: &Listed, words: &[String]) -> bool {
    let haystack = [
        listed.certificate.number.as_str(),
        listed.certificate_type.code.as_str(),
        listed.certificate.type_name_sv.as_str(),
        listed.certificate.type_name_en.as_str(),
        listed.status.label_sv(),
        listed.status.label_en(),
    ]
    .join(" ")
    .to_lowercase();
    words.iter().all(|word| haystack.contains(word.as_str()))
}

fn row(listed: &Listed, language: Language) -> CertificateRow {
    CertificateRow {
        number: listed.certificate.number.clone(),
        certificate: type_name(&listed.certificate, language).to_owned(),
        status: contract_status(listed.status),
        annual_renewal: next_renewal_due(&listed.certificate, listed.status),
        recertification: listed.certificate.recertification_due,
        replaced_by_certificate: listed.replaced_by_number.clone(),
        replaced_on: listed.certificate.replaced_on,
    }
}

/// Returns the last day for the certificate's next attestation of professional activity. A
/// certificate of a type without annual renewal has none, and neither has a withdrawn or
/// replaced one, because it takes no more attestations.
pub(crate) fn next_renewal_due(
    certificate: &Certificate,
    status: CertificateStatus,
) -> Option<NaiveDate> {
    if matches!(
        status,
        CertificateStatus::Withdrawn | CertificateStatus::Replaced
    ) {
        return None;
    }
    certificate.annual_renewal_due
}

/// Reads the numbers of the certificates that replaced any of `stored`, by the id of the
/// replacing certificate, in one query.
fn replacing_numbers(
    connection: &mut DbConnection,
    stored: &[Certificate],
) -> QueryResult<HashMap<i64, String>> {
    let ids: Vec<i64> = stored
        .iter()
        .filter_map(|certificate| certificate.replaced_by_id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(certificates::numbers(connection, &ids)?
        .into_iter()
        .collect())
}

/// Returns the number of the certificate that replaced `certificate`, if any, from the numbers
/// that [`replacing_numbers`] read.
fn replaced_by_number(certificate: &Certificate, numbers: &HashMap<i64, String>) -> Option<String> {
    certificate
        .replaced_by_id
        .and_then(|id| numbers.get(&id).cloned())
}

/// Lists the caller's certificates with the columns of Min Sida, filtered by a free-text
/// search and grouped by technical area or status.
pub async fn list_own(
    state: &AppState,
    caller: &Authenticated,
    search: Option<String>,
    grouping: CertificateGrouping,
    language: Language,
) -> Result<CertificateList, ApiError> {
    let search = search.unwrap_or_default();
    if search.chars().count() > MAX_SEARCH_CHARS {
        return Err(ApiError::Validation(vec![FieldIssue::new(
            "q",
            "search_too_long",
        )]));
    }
    let words: Vec<String> = search.split_whitespace().map(str::to_lowercase).collect();
    let today = today_in_sweden(state.clock.now());
    let account_id = caller.account.id;

    let cached = state.catalogue_cache.fresh();
    let (owned, replacing, catalogue, read_now) = state
        .database
        .run(move |connection| {
            let owned = certificates::for_account(connection, account_id)?;
            let replacing = replacing_numbers(connection, &owned)?;
            // A certificate of a type newer than the cached catalogue makes it read again.
            let cached = cached.filter(|catalogue| {
                owned.iter().all(|certificate| {
                    catalogue
                        .types
                        .iter()
                        .any(|stored| stored.id == certificate.certificate_type_id)
                })
            });
            match cached {
                Some(catalogue) => Ok::<_, ApiError>((owned, replacing, catalogue, false)),
                None => Ok((owned, replacing, Catalogue::load(connection)?, true)),
            }
        })
        .await?;
    if read_now {
        state.catalogue_cache.store(catalogue.clone());
    }
    let (types, areas) = (&catalogue.types, &catalogue.areas);

    let mut listed = Vec::with_capacity(owned.len());
    for certificate in owned {
        let certificate_type = types
            .iter()
            .find(|stored| stored.id == certificate.certificate_type_id)
            .cloned()
            .ok_or_else(|| ApiError::Internal("certificate of an unknown type".to_owned()))?;
        let status = status_on(&certificate, today)?;
        let replaced_by_number = replaced_by_number(&certificate, &replacing);
        let entry = Listed {
            certificate,
            certificate_type,
            status,
            replaced_by_number,
        };
        if matches(&entry, &words) {
            listed.push(entry);
        }
    }

    let total = u32::try_from(listed.len()).unwrap_or(u32::MAX);
    let groups = group(&listed, grouping, areas, language);
    Ok(CertificateList {
        grouping,
        groups,
        total,
    })
}

fn group(
    listed: &[Listed],
    grouping: CertificateGrouping,
    areas: &[TechnicalArea],
    language: Language,
) -> Vec<CertificateGroup> {
    match grouping {
        CertificateGrouping::None => vec![CertificateGroup {
            key: "all".to_owned(),
            title: language
                .pick("Alla certifikat", "All certificates")
                .to_owned(),
            certificates: listed.iter().map(|entry| row(entry, language)).collect(),
        }],
        CertificateGrouping::TechnicalArea => areas
            .iter()
            .filter_map(|area| {
                let rows: Vec<CertificateRow> = listed
                    .iter()
                    .filter(|entry| entry.certificate_type.technical_area_id == area.id)
                    .map(|entry| row(entry, language))
                    .collect();
                (!rows.is_empty()).then(|| CertificateGroup {
                    key: area.code.clone(),
                    title: match language {
                        Language::Swedish => area.name_sv.clone(),
                        Language::English => area.name_en.clone(),
                    },
                    certificates: rows,
                })
            })
            .collect(),
        CertificateGrouping::Status => STATUS_ORDER
            .iter()
            .filter_map(|status| {
                let rows: Vec<CertificateRow> = listed
                    .iter()
                    .filter(|entry| entry.status == *status)
                    .map(|entry| row(entry, language))
                    .collect();
                (!rows.is_empty()).then(|| CertificateGroup {
                    key: status.code().to_owned(),
                    title: status_label(*status, language).to_owned(),
                    certificates: rows,
                })
            })
            .collect(),
    }
}

/// A certificate with what its PDF shows.
#[derive(Debug, Clone)]
pub struct OwnCertificate {
    pub certificate: Certificate,
    pub certificate_type: CertificateType,
    pub technical_area: TechnicalArea,
    pub holder_name: String,
    pub status: CertificateStatus,
    /// Number of the certificate that replaced this one.
    pub replaced_by_number: Option<String>,
}

/// Returns one of the caller's certificates; another person's number is not found.
pub async fn find_own(
    state: &AppState,
    caller: &Authenticated,
    number: &str,
) -> Result<OwnCertificate, ApiError> {
    let number = CertificateNumber::parse(number).map_err(|_| ApiError::NotFound)?;
    let today = today_in_sweden(state.clock.now());
    let account_id = caller.account.id;

    let (certificate, certificate_type, technical_area, replacing) = state
        .database
        .run(move |connection| {
            let certificate = certificates::find_by_number(connection, number.as_str())?
                .filter(|certificate| certificate.account_id == account_id)
                .ok_or(ApiError::NotFound)?;
            let certificate_type =
                catalogue::find_type(connection, certificate.certificate_type_id)?;
            let technical_area = catalogue::technical_areas(connection)?
                .into_iter()
                .find(|area| area.id == certificate_type.technical_area_id)
                .ok_or_else(|| ApiError::Internal("type of an unknown area".to_owned()))?;
            let replacing = replacing_numbers(connection, std::slice::from_ref(&certificate))?;
            Ok::<_, ApiError>((certificate, certificate_type, technical_area, replacing))
        })
        .await?;

    let status = status_on(&certificate, today)?;
    Ok(OwnCertificate {
        holder_name: certificate.holder_name.clone(),
        replaced_by_number: replaced_by_number(&certificate, &replacing),
        certificate,
        certificate_type,
        technical_area,
        status,
    })
}

/// Counts one public check from `client` and refuses it beyond the configured rate. The
/// window is the current minute, counted in the database so every node shares it.
async fn count_public_check(state: &AppState, client: Option<String>) -> Result<(), ApiError> {
    let now = state.clock.now();
    let minute = now.timestamp().div_euclid(60);
    let subject = format!("{}@{minute}", client.unwrap_or_default());
    let naive_now = now.naive_utc();
    let forget_before = naive_now - TimeDelta::minutes(2);

    let count = state
        .database
        .run(move |connection| {
            Ok::<_, StorageError>(throttle::record_failure(
                connection,
                PUBLIC_CHECK_SCOPE,
                &subject,
                naive_now,
                forget_before,
            )?)
        })
        .await?;

    let limit = i32::try_from(state.settings.public_checks_per_minute).unwrap_or(i32::MAX);
    if count > limit {
        let seconds_left = 60 - u64::try_from(now.timestamp().rem_euclid(60)).unwrap_or(0);
        return Err(ApiError::RateLimited {
            retry_after: std::time::Duration::from_secs(seconds_left),
        });
    }
    Ok(())
}

/// Returns what the public may see of a certificate: never a personnummer or birth date.
/// Every check counts towards the caller's rate limit, found or not, so numbers cannot be
/// enumerated quickly.
pub async fn public_check(
    state: &AppState,
    number: &str,
    client: Option<String>,
) -> Result<PublicCertificate, ApiError> {
    count_public_check(state, client).await?;
    let number = CertificateNumber::parse(number).map_err(|_| ApiError::NotFound)?;
    let today = today_in_sweden(state.clock.now());

    let (certificate, certificate_type, replacing) = state
        .database
        .run(move |connection| {
            let certificate = certificates::find_by_number(connection, number.as_str())?
                .ok_or(ApiError::NotFound)?;
            let certificate_type =
                catalogue::find_type(connection, certificate.certificate_type_id)?;
            let replacing = replacing_numbers(connection, std::slice::from_ref(&certificate))?;
            Ok::<_, ApiError>((certificate, certificate_type, replacing))
        })
        .await?;

    // Names as issued: a later change to the account or catalogue does not rewrite them.
    let status = status_on(&certificate, today)?;
    Ok(PublicCertificate {
        replaced_by_certificate: replaced_by_number(&certificate, &replacing),
        replaced_on: certificate.replaced_on,
        number: certificate.number,
        holder_name: certificate.holder_name,
        certificate_type: certificate_type.code,
        certificate_type_name: localized(&certificate.type_name_sv, &certificate.type_name_en),
        status: contract_status(status),
        valid_until: certificate.valid_until,
    })
}

/// Registers an attestation of the holder's professional activity, which moves the next
/// annual renewal date by one year. Staff may attest any certificate; a certificate
/// administrator only those of holders whose billing organisation number they administer.
/// Nobody attests their own certificate.
pub async fn attest(
    state: &AppState,
    caller: &Authenticated,
    number: String,
    request: AttestationRequest,
    origin: Origin,
) -> Result<Attestation, ApiError> {
    let number = CertificateNumber::parse(&number).map_err(|_| ApiError::NotFound)?;
    let today = today_in_sweden(state.clock.now());
    let attested_on = request.attested_on.unwrap_or(today);
    if attested_on > today {
        return Err(ApiError::Validation(vec![FieldIssue::new(
            "attested_on",
            "date_in_future",
        )]));
    }
    let now = state.clock.naive_now();
    let public_id = caller.public_id.clone();
    let is_staff = CASE_OFFICER_ROLES.contains(&caller.role.as_str());

    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let attester = caller_account(transaction, &public_id)?;
                let certificate = certificates::find_by_number(transaction, number.as_str())?
                    .ok_or(ApiError::NotFound)?;
                if certificate.account_id == attester.id {
                    return Err(ApiError::Unprocessable(
                        ErrorCode::SelfAttestationNotAllowed,
                    ));
                }
                if !is_staff && !administers_holder(transaction, attester.id, &certificate)? {
                    return Err(ApiError::Forbidden);
                }
                if certificate.withdrawn_on.is_some_and(|day| day <= today) {
                    return Err(ApiError::Conflict(ErrorCode::CertificateWithdrawn));
                }
                if certificate.replaced_on.is_some_and(|day| day <= today) {
                    return Err(ApiError::Conflict(ErrorCode::CertificateReplaced));
                }

                let mut dates = dates(&certificate)?;
                let previous_due = dates.annual_renewal_due();
                let next_due = dates.record_attestation(attested_on).map_err(|error| {
                    ApiError::Validation(vec![FieldIssue::new("attested_on", error.code())])
                })?;
                let previous_due = previous_due.unwrap_or(next_due);
                let moved = certificates::move_renewal_due(
                    transaction,
                    certificate.id,
                    previous_due,
                    next_due,
                    now,
                )?;
                if !moved {
                    // Another attestation for the same year was recorded at the same time.
                    return Err(ApiError::Validation(vec![FieldIssue::new(
                        "attested_on",
                        "attestation_already_recorded",
                    )]));
                }
                certificates::insert_attestation(
                    transaction,
                    &NewAttestation {
                        certificate_id: certificate.id,
                        attested_on,
                        attested_by: attester.id,
                        previous_due,
                        next_due,
                        created_at: now,
                    },
                )?;
                audit::record(
                    transaction,
                    event::ATTESTATION_RECORDED,
                    Some(certificate.account_id),
                    &origin,
                    Some(&format!("{} by {}", certificate.number, attester.public_id)),
                    now,
                )?;
                Ok(Attestation {
                    certificate_number: certificate.number.clone(),
                    attested_on,
                    previous_due,
                    next_due,
                    status: contract_status(dates.status(
                        certificate.withdrawn_on,
                        certificate.replaced_on,
                        today,
                    )),
                })
            })
        })
        .await
}

/// Tells whether the attester administers certificates for the holder's employer, which is
/// the organisation number of the holder's billing details.
fn administers_holder(
    connection: &mut DbConnection,
    attester_id: i64,
    certificate: &Certificate,
) -> Result<bool, ApiError> {
    let organisation_number = profile::billing(connection, certificate.account_id)?
        .and_then(|billing| billing.organisation_number);
    match organisation_number {
        Some(number) => Ok(certificates::administers(connection, attester_id, &number)?),
        None => Ok(false),
    }
}
