//! The certificate catalogue: technical areas and certificate types, edited by staff.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{certificate_types, technical_areas};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = technical_areas)]
pub struct TechnicalArea {
    pub id: i64,
    pub code: String,
    pub name_sv: String,
    pub name_en: String,
    pub position: i32,
}

/// A stored certificate type. `exam_parts` is a comma-separated list of exam part codes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = certificate_types)]
pub struct CertificateType {
    pub id: i64,
    pub code: String,
    pub technical_area_id: i64,
    pub name_sv: String,
    pub name_en: String,
    pub holder_kind: String,
    pub exam_parts: String,
    pub validity_years: i32,
    pub annual_renewal: bool,
    pub recertification_years: Option<i32>,
    pub price_sek: i32,
    pub price_is_demo: bool,
    pub position: i32,
    pub retired_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = certificate_types)]
pub struct NewCertificateType {
    pub code: String,
    pub technical_area_id: i64,
    pub name_sv: String,
    pub name_en: String,
    pub holder_kind: String,
    pub exam_parts: String,
    pub validity_years: i32,
    pub annual_renewal: bool,
    pub recertification_years: Option<i32>,
    pub price_sek: i32,
    pub price_is_demo: bool,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Changes to a certificate type; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = certificate_types)]
pub struct CertificateTypeChanges {
    pub name_sv: Option<String>,
    pub name_en: Option<String>,
    pub technical_area_id: Option<i64>,
    pub exam_parts: Option<String>,
    pub validity_years: Option<i32>,
    pub annual_renewal: Option<bool>,
    pub recertification_years: Option<Option<i32>>,
    pub price_sek: Option<i32>,
    pub price_is_demo: Option<bool>,
    pub retired_at: Option<Option<NaiveDateTime>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn technical_areas(connection: &mut DbConnection) -> QueryResult<Vec<TechnicalArea>> {
    technical_areas::table
        .order((technical_areas::position, technical_areas::id))
        .select(TechnicalArea::as_select())
        .load(connection)
}

pub fn find_technical_area(
    connection: &mut DbConnection,
    code: &str,
) -> QueryResult<Option<TechnicalArea>> {
    technical_areas::table
        .filter(technical_areas::code.eq(code))
        .select(TechnicalArea::as_select())
        .first(connection)
        .optional()
}

/// Lists certificate types in catalogue order, retired ones only when asked.
pub fn certificate_types(
    connection: &mut DbConnection,
    include_retired: bool,
) -> QueryResult<Vec<CertificateType>> {
    let mut query = certificate_types::table
        .order((certificate_types::position, certificate_types::id))
        .select(CertificateType::as_select())
        .into_boxed();
    if !include_retired {
        query = query.filter(certificate_types::retired_at.is_null());
    }
    query.load(connection)
}

pub fn find_type_by_code(
    connection: &mut DbConnection,
    code: &str,
) -> QueryResult<Option<CertificateType>> {
    certificate_types::table
        .filter(certificate_types::code.eq(code))
        .select(CertificateType::as_select())
        .first(connection)
        .optional()
}

pub fn find_type(connection: &mut DbConnection, id: i64) -> QueryResult<CertificateType> {
    certificate_types::table
        .find(id)
        .select(CertificateType::as_select())
        .first(connection)
}

/// Loads the certificate types with the given ids, in no particular order.
pub fn find_types(connection: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<CertificateType>> {
    certificate_types::table
        .filter(certificate_types::id.eq_any(ids))
        .select(CertificateType::as_select())
        .load(connection)
}

pub fn insert_type(
    connection: &mut DbConnection,
    certificate_type: &NewCertificateType,
) -> QueryResult<i64> {
    diesel::insert_into(certificate_types::table)
        .values(certificate_type)
        .returning(certificate_types::id)
        .get_result(connection)
}

pub fn update_type(
    connection: &mut DbConnection,
    id: i64,
    changes: &CertificateTypeChanges,
) -> QueryResult<()> {
    diesel::update(certificate_types::table.find(id))
        .set(changes)
        .execute(connection)?;
    Ok(())
}

/// Returns the position after the last certificate type, for a new type.
pub fn next_type_position(connection: &mut DbConnection) -> QueryResult<i32> {
    let last: Option<i32> = certificate_types::table
        .select(diesel::dsl::max(certificate_types::position))
        .first(connection)?;
    Ok(last.unwrap_or(0).saturating_add(1))
}
