//! The public catalogue and price list, and the staff's changes to certificate types.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel::Connection;
use incert_contract::admin::{
    CertificateAdministratorRequest, CertificateTypeUpdate,
    NewCertificateType as NewCertificateTypeRequest,
};
use incert_contract::certification::{
    CertificateType, ExamPart, HolderKind, Price, PriceItem, PriceList, TechnicalArea,
};
use incert_domain::CertificateRules;

use super::{exam_parts, localized, rules};
use crate::config::Settings;
use crate::http::AppState;
use crate::http::authentication::Authenticated;
use crate::http::error::{ApiError, FieldIssue};
use crate::service::Validation;
use crate::storage::StorageError;
use crate::storage::audit::{self, Origin, event};
use crate::storage::catalogue::{self, CertificateType as StoredType, TechnicalArea as StoredArea};

/// VAT on every fee, in percent.
const VAT_PERCENT: u32 = 25;

/// Example fees, shown marked as examples until the certification body configures its own.
const DEMO_APPLICATION_SEK: u32 = 1_900;
const DEMO_ANNUAL_RENEWAL_SEK: u32 = 450;
const DEMO_RECERTIFICATION_SEK: u32 = 1_400;
const DEMO_DUPLICATE_SEK: u32 = 250;

/// Converts a stored type for the API.
pub(crate) fn to_contract(
    stored: &StoredType,
    technical_area: &str,
) -> Result<CertificateType, ApiError> {
    let rules = rules(stored)?;
    Ok(CertificateType {
        code: stored.code.clone(),
        name: localized(&stored.name_sv, &stored.name_en),
        technical_area: technical_area.to_owned(),
        holder_kind: if stored.holder_kind == "company" {
            HolderKind::Company
        } else {
            HolderKind::Person
        },
        exam_parts: exam_parts(stored),
        validity_years: rules.validity_years(),
        annual_renewal: rules.annual_renewal(),
        recertification_years: rules.recertification_years(),
        price: Price {
            amount_sek: u32::try_from(stored.price_sek).unwrap_or(0),
            demo: stored.price_is_demo,
        },
        retired: stored.retired_at.is_some(),
    })
}

/// Lists the technical areas with their certificate types in catalogue order. Retired types
/// are left out unless `include_retired`; areas without types are left out of the public
/// list.
pub async fn technical_areas(
    state: &AppState,
    include_retired: bool,
) -> Result<Vec<TechnicalArea>, ApiError> {
    let (areas, types) = state
        .database
        .run(move |connection| {
            #[expect(
                clippy::disallowed_methods,
                reason = "one snapshot for two reads; it writes nothing, so it takes no write lock"
            )]
            connection.transaction(|transaction| {
                let areas = catalogue::technical_areas(transaction)?;
                let types = catalogue::certificate_types(transaction, include_retired)?;
                Ok::<_, StorageError>((areas, types))
            })
        })
        .await?;

    let mut listed = Vec::with_capacity(areas.len());
    for area in areas {
        let certificate_types = types
            .iter()
            .filter(|stored| stored.technical_area_id == area.id)
            .map(|stored| to_contract(stored, &area.code))
            .collect::<Result<Vec<_>, _>>()?;
        if certificate_types.is_empty() && !include_retired {
            continue;
        }
        listed.push(TechnicalArea {
            code: area.code,
            name: localized(&area.name_sv, &area.name_en),
            certificate_types,
        });
    }
    Ok(listed)
}

fn fee(code: &str, sv: &str, en: &str, configured: Option<u32>, example: u32) -> PriceItem {
    PriceItem {
        code: code.to_owned(),
        name: localized(sv, en),
        price: Price {
            amount_sek: configured.unwrap_or(example),
            demo: configured.is_none(),
        },
    }
}

fn fees(settings: &Settings) -> Vec<PriceItem> {
    vec![
        fee(
            "application",
            "Ansökan och första utfärdande av personcertifikat",
            "Application and first issue of a person certificate",
            settings.fee_application_sek,
            DEMO_APPLICATION_SEK,
        ),
        fee(
            "annual_renewal",
            "Årlig förlängning",
            "Annual renewal",
            settings.fee_annual_renewal_sek,
            DEMO_ANNUAL_RENEWAL_SEK,
        ),
        fee(
            "recertification",
            "Ansökan om omcertifiering",
            "Recertification application",
            settings.fee_recertification_sek,
            DEMO_RECERTIFICATION_SEK,
        ),
        fee(
            "duplicate",
            "Duplikat av certifikat",
            "Duplicate certificate",
            settings.fee_duplicate_sek,
            DEMO_DUPLICATE_SEK,
        ),
    ]
}

/// Builds the public price list: the configured fees and the price of each certificate type
/// that takes applications.
pub async fn price_list(state: &AppState) -> Result<PriceList, ApiError> {
    let types = state
        .database
        .run(|connection| Ok::<_, StorageError>(catalogue::certificate_types(connection, false)?))
        .await?;

    let certificate_types = types
        .iter()
        .map(|stored| PriceItem {
            code: stored.code.clone(),
            name: localized(&stored.name_sv, &stored.name_en),
            price: Price {
                amount_sek: u32::try_from(stored.price_sek).unwrap_or(0),
                demo: stored.price_is_demo,
            },
        })
        .collect();
    Ok(PriceList {
        currency: "SEK".to_owned(),
        vat_percent: VAT_PERCENT,
        fees: fees(&state.settings),
        certificate_types,
    })
}

/// Longest accepted certificate type name, in characters.
const MAX_NAME_CHARS: usize = 200;

fn invalid(field: &str, code: &str) -> ApiError {
    ApiError::Validation(vec![FieldIssue::new(field, code)])
}

/// Checks a type code: 2 to 20 upper-case ASCII letters, digits and hyphens.
fn valid_code(code: &str) -> bool {
    (2..=20).contains(&code.len())
        && code
            .bytes()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b'-')
}

fn name(validation: &mut Validation, field: &str, text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        validation.add(field, "required");
    } else if trimmed.chars().count() > MAX_NAME_CHARS
        || trimmed.chars().any(|character| {
            character.is_control() || crate::service::is_invisible_format(character)
        })
    {
        validation.add(field, "name_invalid");
    }
    trimmed.to_owned()
}

fn parts_text(validation: &mut Validation, parts: &[ExamPart]) -> String {
    if parts.is_empty() {
        validation.add("exam_parts", "required");
    }
    let mut unique: Vec<&str> = Vec::new();
    for part in parts {
        if !unique.contains(&part.as_str()) {
            unique.push(part.as_str());
        }
    }
    unique.join(",")
}

fn checked_rules(
    validation: &mut Validation,
    validity_years: u32,
    annual_renewal: bool,
    recertification_years: Option<u32>,
) {
    if let Err(error) = CertificateRules::new(validity_years, annual_renewal, recertification_years)
    {
        let field = match error {
            incert_domain::CertificateRulesError::ValidityOutOfRange(_) => "validity_years",
            incert_domain::CertificateRulesError::RecertificationOutOfRange { .. } => {
                "recertification_years"
            }
        };
        validation.add(field, error.code());
    }
}

fn price(validation: &mut Validation, amount: u32) -> i32 {
    i32::try_from(amount).unwrap_or_else(|_| {
        validation.add("price_sek", "price_out_of_range");
        0
    })
}

/// Adds a certificate type to the catalogue.
pub async fn create_type(
    state: &AppState,
    administrator: &Authenticated,
    request: NewCertificateTypeRequest,
    origin: Origin,
) -> Result<CertificateType, ApiError> {
    let mut validation = Validation::default();
    let code = request.code.trim().to_owned();
    if !valid_code(&code) {
        validation.add("code", "certificate_type_code_invalid");
    }
    let name_sv = name(&mut validation, "name_sv", &request.name_sv);
    let name_en = name(&mut validation, "name_en", &request.name_en);
    let exam_parts = parts_text(&mut validation, &request.exam_parts);
    checked_rules(
        &mut validation,
        request.validity_years,
        request.annual_renewal,
        request.recertification_years,
    );
    let price_sek = price(&mut validation, request.price_sek);
    validation.finish()?;
    let now = state.clock.naive_now();
    let administrator_id = administrator.public_id.clone();
    let area_code = request.technical_area.trim().to_owned();

    let created = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let administrator = super::caller_account(transaction, &administrator_id)?;
                let area = catalogue::find_technical_area(transaction, &area_code)?
                    .ok_or_else(|| invalid("technical_area", "technical_area_unknown"))?;
                if catalogue::find_type_by_code(transaction, &code)?.is_some() {
                    return Err(invalid("code", "certificate_type_code_taken"));
                }
                let position = catalogue::next_type_position(transaction)?;
                let id = catalogue::insert_type(
                    transaction,
                    &catalogue::NewCertificateType {
                        code: code.clone(),
                        technical_area_id: area.id,
                        name_sv,
                        name_en,
                        holder_kind: match request.holder_kind {
                            HolderKind::Person => "person",
                            HolderKind::Company => "company",
                        }
                        .to_owned(),
                        exam_parts,
                        validity_years: i32::try_from(request.validity_years).unwrap_or(0),
                        annual_renewal: request.annual_renewal,
                        recertification_years: request
                            .recertification_years
                            .and_then(|years| i32::try_from(years).ok()),
                        price_sek,
                        price_is_demo: false,
                        position,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                audit::record(
                    transaction,
                    event::CATALOGUE_CHANGED,
                    Some(administrator.id),
                    &origin,
                    Some(&format!("created {code}")),
                    now,
                )?;
                let stored = catalogue::find_type(transaction, id)?;
                to_contract(&stored, &area.code)
            })
        })
        .await;
    state.catalogue_cache.clear();
    created
}

/// Renames, re-rules, re-prices, retires or reinstates a certificate type. Certificates
/// already issued keep their dates.
pub async fn update_type(
    state: &AppState,
    administrator: &Authenticated,
    code: String,
    update: CertificateTypeUpdate,
    origin: Origin,
) -> Result<CertificateType, ApiError> {
    let mut validation = Validation::default();
    let name_sv = update
        .name_sv
        .as_deref()
        .map(|text| name(&mut validation, "name_sv", text));
    let name_en = update
        .name_en
        .as_deref()
        .map(|text| name(&mut validation, "name_en", text));
    let exam_parts = update
        .exam_parts
        .as_deref()
        .map(|parts| parts_text(&mut validation, parts));
    let price_sek = update
        .price_sek
        .map(|amount| price(&mut validation, amount));
    validation.finish()?;
    let now = state.clock.naive_now();
    let administrator_id = administrator.public_id.clone();

    let updated = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let administrator = super::caller_account(transaction, &administrator_id)?;
                let stored =
                    catalogue::find_type_by_code(transaction, &code)?.ok_or(ApiError::NotFound)?;
                let area = match update.technical_area.as_deref().map(str::trim) {
                    Some(area_code) => Some(
                        catalogue::find_technical_area(transaction, area_code)?
                            .ok_or_else(|| invalid("technical_area", "technical_area_unknown"))?,
                    ),
                    None => None,
                };

                // The rules are checked as a whole, with stored values for fields left out.
                let current = rules(&stored)?;
                let validity_years = update.validity_years.unwrap_or(current.validity_years());
                let annual_renewal = update.annual_renewal.unwrap_or(current.annual_renewal());
                let recertification_years = update.recertification_years.or_else(|| {
                    stored
                        .recertification_years
                        .and_then(|years| u32::try_from(years).ok())
                });
                let mut validation = Validation::default();
                checked_rules(
                    &mut validation,
                    validity_years,
                    annual_renewal,
                    recertification_years,
                );
                validation.finish()?;

                let changes = catalogue::CertificateTypeChanges {
                    name_sv,
                    name_en,
                    technical_area_id: area.as_ref().map(|area| area.id),
                    exam_parts,
                    validity_years: Some(i32::try_from(validity_years).unwrap_or(0)),
                    annual_renewal: Some(annual_renewal),
                    recertification_years: Some(
                        recertification_years.and_then(|years| i32::try_from(years).ok()),
                    ),
                    price_sek,
                    price_is_demo: price_sek.map(|_| false),
                    retired_at: update
                        .retired
                        .map(|retired| retired.then(|| stored.retired_at.unwrap_or(now))),
                    updated_at: Some(now),
                };
                catalogue::update_type(transaction, stored.id, &changes)?;
                audit::record(
                    transaction,
                    event::CATALOGUE_CHANGED,
                    Some(administrator.id),
                    &origin,
                    Some(&format!("updated {code}")),
                    now,
                )?;
                let updated = catalogue::find_type(transaction, stored.id)?;
                let area_code = catalogue::technical_areas(transaction)?
                    .into_iter()
                    .find(|area| area.id == updated.technical_area_id)
                    .map(|area| area.code)
                    .unwrap_or_default();
                to_contract(&updated, &area_code)
            })
        })
        .await;
    state.catalogue_cache.clear();
    updated
}

/// Lets an account attest the certificates of holders whose billing organisation number is
/// `organisation_number`.
pub async fn add_administrator(
    state: &AppState,
    administrator: &Authenticated,
    request: CertificateAdministratorRequest,
    origin: Origin,
) -> Result<(), ApiError> {
    let organisation_number =
        incert_domain::OrganisationNumber::parse(&request.organisation_number)
            .map_err(|error| invalid("organisation_number", error.code()))?;
    let stored_number = organisation_number.as_str().to_owned();
    let now = state.clock.naive_now();
    let administrator_id = administrator.public_id.clone();

    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let administrator = super::caller_account(transaction, &administrator_id)?;
                let account =
                    crate::storage::accounts::find_by_public_id(transaction, &request.account_id)?
                        .ok_or_else(|| invalid("account_id", "account_not_found"))?;
                crate::storage::certificates::add_administrator(
                    transaction,
                    account.id,
                    &stored_number,
                    now,
                )?;
                audit::record(
                    transaction,
                    event::CERTIFICATE_ADMINISTRATOR_ADDED,
                    Some(account.id),
                    &origin,
                    Some(&format!("{stored_number} by {}", administrator.public_id)),
                    now,
                )?;
                Ok(())
            })
        })
        .await
}

/// How long a server reuses the catalogue it read for certificate lists. Changes made through
/// another server of the same database show in its lists after at most this long.
pub const CATALOGUE_CACHE_SECONDS: u64 = 5;

/// The certificate types and technical areas, as certificate lists last read them.
///
/// Every certificate list needs the whole catalogue, which staff change seldom, so reusing it
/// for a few seconds saves two of the list's database round trips. A change made through this
/// server clears it at once.
#[derive(Debug, Default)]
pub struct CatalogueCache {
    entry: Mutex<Option<(Instant, Catalogue)>>,
}

/// Certificate types, retired ones included, and technical areas.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub types: Arc<Vec<StoredType>>,
    pub areas: Arc<Vec<StoredArea>>,
}

impl Catalogue {
    /// Reads the catalogue from the database.
    pub fn load(connection: &mut crate::storage::DbConnection) -> Result<Self, StorageError> {
        Ok(Self {
            types: Arc::new(catalogue::certificate_types(connection, true)?),
            areas: Arc::new(catalogue::technical_areas(connection)?),
        })
    }
}

impl CatalogueCache {
    /// Returns the kept catalogue unless it is older than [`CATALOGUE_CACHE_SECONDS`].
    pub fn fresh(&self) -> Option<Catalogue> {
        let entry = self.entry.lock().unwrap_or_else(PoisonError::into_inner);
        entry
            .as_ref()
            .filter(|(loaded, _)| loaded.elapsed() < Duration::from_secs(CATALOGUE_CACHE_SECONDS))
            .map(|(_, catalogue)| catalogue.clone())
    }

    /// Keeps `catalogue`, read just now.
    pub fn store(&self, catalogue: Catalogue) {
        *self.entry.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((Instant::now(), catalogue));
    }

    /// Forgets the kept catalogue, after a change.
    pub fn clear(&self) {
        *self.entry.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}
