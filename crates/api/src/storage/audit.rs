//! The append-only log of security events. It never contains a password, code or token.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::prepared::KeepPrepared;
use super::schema::audit_events;

/// Names of the recorded events.
pub mod event {
    pub const REGISTERED: &str = "registered";
    pub const REGISTRATION_FOR_EXISTING_EMAIL: &str = "registration_for_existing_email";
    pub const LOGIN_PASSWORD_FAILED: &str = "login_password_failed";
    pub const LOGIN_CODE_SENT: &str = "login_code_sent";
    pub const LOGIN_CODE_FAILED: &str = "login_code_failed";
    pub const LOGIN_SUCCEEDED: &str = "login_succeeded";
    pub const PASSWORD_CHANGED: &str = "password_changed";
    pub const PASSWORD_CHANGE_FAILED: &str = "password_change_failed";
    pub const SESSION_REVOKED: &str = "session_revoked";
    pub const PASSWORD_RESET_REQUESTED: &str = "password_reset_requested";
    pub const PASSWORD_RESET_FAILED: &str = "password_reset_failed";
    pub const PASSWORD_RESET: &str = "password_reset";
    pub const DETAILS_CHANGED: &str = "details_changed";
    pub const BILLING_CHANGED: &str = "billing_changed";
    pub const EMAIL_CHANGE_REQUESTED: &str = "email_change_requested";
    pub const EMAIL_CHANGE_FAILED: &str = "email_change_failed";
    pub const EMAIL_CHANGED: &str = "email_changed";
    pub const REFRESH_TOKEN_REUSED: &str = "refresh_token_reused";
    pub const APPLICATION_SUBMITTED: &str = "application_submitted";
    pub const APPLICATION_WITHDRAWN: &str = "application_withdrawn";
    pub const APPLICATION_APPROVED: &str = "application_approved";
    pub const APPLICATION_REJECTED: &str = "application_rejected";
    pub const CERTIFICATE_ISSUED: &str = "certificate_issued";
    pub const CERTIFICATE_WITHDRAWN: &str = "certificate_withdrawn";
    pub const ATTESTATION_RECORDED: &str = "attestation_recorded";
    pub const CATALOGUE_CHANGED: &str = "catalogue_changed";
    pub const CERTIFICATE_ADMINISTRATOR_ADDED: &str = "certificate_administrator_added";

    // Examination centres. The staff member who acted, if any, is the event's account; the
    // detail names the centre, its client id or the exam session.
    pub const CENTRE_CREATED: &str = "centre_created";
    pub const CENTRE_CLIENT_CREATED: &str = "centre_client_created";
    pub const CENTRE_CLIENT_REVOKED: &str = "centre_client_revoked";
    pub const EXAM_SESSION_CREATED: &str = "exam_session_created";
    /// A centre enrolled the event's account on an exam session.
    pub const CENTRE_ENROLMENT_CREATED: &str = "centre_enrolment_created";
    /// A centre reported exam results of the event's account.
    pub const EXAM_RESULTS_REPORTED: &str = "exam_results_reported";
}

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_events)]
struct NewEvent<'a> {
    occurred_at: NaiveDateTime,
    event: &'a str,
    account_id: Option<i64>,
    ip_address: Option<&'a str>,
    user_agent: Option<&'a str>,
    detail: Option<&'a str>,
}

/// Appends one event.
pub fn record(
    connection: &mut DbConnection,
    event: &str,
    account_id: Option<i64>,
    origin: &Origin,
    detail: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values(NewEvent {
            occurred_at: now,
            event,
            account_id,
            ip_address: origin.ip_address.as_deref(),
            user_agent: origin.user_agent.as_deref(),
            detail,
        })
        .returning(audit_events::id)
        .keep_prepared()
        .get_result::<i64>(connection)?;
    Ok(())
}

/// Returns the event names recorded for an account, oldest first.
pub fn events_for_account(
    connection: &mut DbConnection,
    account_id: i64,
) -> QueryResult<Vec<String>> {
    audit_events::table
        .filter(audit_events::account_id.eq(account_id))
        .order(audit_events::id)
        .select(audit_events::event)
        .load(connection)
}
