//! Changing the password of a signed-in account.

use incert_contract::auth::PasswordChangeRequest;
use incert_domain::password::{PasswordViolation, contains_personal_data};

use super::login::{ThrottlePolicy, Tokens, issue};
use super::stored_language;
use crate::http::AppState;
use crate::http::authentication::Authenticated;
use crate::http::error::{ApiError, FieldIssue};
use crate::mail::templates;
use crate::security::passwords::Verification;
use crate::storage::accounts;
use crate::storage::audit::{self, Origin, event};
use crate::storage::sessions::{self, revoke_reason};
use crate::storage::{StorageError, throttle};

/// Wrong current passwords per account when changing the password.
const CHANGE_THROTTLE: ThrottlePolicy = ThrottlePolicy {
    scope: "password_change",
    free_failures: 5,
    first_delay: std::time::Duration::from_secs(1),
    max_delay: std::time::Duration::from_secs(15 * 60),
    forget_after: std::time::Duration::from_secs(60 * 60),
};

/// Replaces the password after checking the current one and the policy. Ends every other
/// session of the account, lifts the first-time restriction from this one, emails a notice
/// and returns a new access token for this session.
pub async fn change(
    state: &AppState,
    caller: &Authenticated,
    request: PasswordChangeRequest,
    origin: Origin,
) -> Result<Tokens, ApiError> {
    let mut issues = Vec::new();
    if request.current_password.is_empty() {
        issues.push(FieldIssue::new("current_password", "required"));
    }
    let new_password = match state.password_policy.accept(request.new_password) {
        Ok(password) => Some(password),
        Err(rejected) => {
            issues.extend(
                rejected
                    .violations()
                    .iter()
                    .map(|violation| FieldIssue::new("new_password", violation.code())),
            );
            None
        }
    };
    let now = state.clock.now();
    let naive_now = now.naive_utc();

    let public_id = caller.public_id.clone();
    let account = state
        .database
        .run(move |connection| {
            let account = accounts::find_by_public_id(connection, &public_id)?
                .ok_or(ApiError::AuthenticationRequired)?;
            if let Some((failures, last)) =
                throttle::current(connection, CHANGE_THROTTLE.scope, &public_id)?
                && let Some(retry_after) = CHANGE_THROTTLE.wait(failures, last, naive_now)
            {
                return Err(ApiError::RateLimited { retry_after });
            }
            Ok(account)
        })
        .await?;

    let verification = state
        .password_hasher
        .verify(
            request.current_password.clone(),
            Some(account.password_hash.clone()),
        )
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    if matches!(verification, Verification::Mismatch) && !request.current_password.is_empty() {
        let (account_id, public_id) = (account.id, account.public_id.clone());
        let failure_origin = origin.clone();
        state
            .database
            .run(move |connection| {
                let forget_before = naive_now - chrono::TimeDelta::hours(1);
                throttle::record_failure(
                    connection,
                    CHANGE_THROTTLE.scope,
                    &public_id,
                    naive_now,
                    forget_before,
                )?;
                audit::record(
                    connection,
                    event::PASSWORD_CHANGE_FAILED,
                    Some(account_id),
                    &failure_origin,
                    None,
                    naive_now,
                )?;
                Ok::<_, StorageError>(())
            })
            .await?;
        issues.push(FieldIssue::new(
            "current_password",
            "current_password_incorrect",
        ));
    }
    if let Some(password) = &new_password
        && password.expose_secret() == request.current_password
    {
        issues.push(FieldIssue::new("new_password", "password_unchanged"));
    }
    let personal = [
        account.email.as_str(),
        account.first_name.as_str(),
        account.last_name.as_str(),
    ];
    if let Some(password) = &new_password
        && contains_personal_data(password.expose_secret(), &personal)
    {
        issues.push(FieldIssue::new(
            "new_password",
            PasswordViolation::ContainsPersonalData.code(),
        ));
    }
    let Some(new_password) = new_password.filter(|_| issues.is_empty()) else {
        return Err(ApiError::Validation(issues));
    };

    let new_hash = state
        .password_hasher
        .hash(new_password.expose_secret().to_owned())
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let letter = templates::password_changed(
        stored_language(&account.language),
        &account.email,
        now,
        &state.settings.public_url,
    );
    let mail = state
        .mailer
        .compose(&account.email, &letter.subject, letter.body, None);
    let session_id = caller.session_id.clone();
    let account_id = account.id;
    let session = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                accounts::set_password(transaction, account_id, &new_hash, naive_now)?;
                sessions::revoke_other_sessions(
                    transaction,
                    account_id,
                    Some(&session_id),
                    revoke_reason::PASSWORD_CHANGED,
                    naive_now,
                )?;
                sessions::lift_restriction(transaction, &session_id)?;
                outbox::enqueue(transaction, &mail)?;
                audit::record(
                    transaction,
                    event::PASSWORD_CHANGED,
                    Some(account_id),
                    &origin,
                    None,
                    naive_now,
                )?;
                sessions::find_session(transaction, &session_id)?
                    .ok_or(ApiError::AuthenticationRequired)
            })
        })
        .await?;
    state.mailer.wake_worker();

    // The refresh token stays the one the session already holds; only the access token changes.
    issue(state, &account, &session, String::new(), now)
}

use crate::storage::outbox;
