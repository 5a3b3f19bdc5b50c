//! Resetting a forgotten password with a code sent by email.

use chrono::TimeDelta;
use incert_contract::auth::PasswordResetConfirmation;
use incert_domain::Email;
use incert_domain::password::{PasswordViolation, contains_personal_data};

use super::login::{PASSWORD_THROTTLE, ThrottlePolicy};
use super::{Validation, stored_language};
use crate::http::AppState;
use crate::http::error::{ApiError, FieldIssue};
use crate::mail::templates;
use crate::security::secrets::generate_confirmation_code;
use crate::storage::audit::{self, Origin, event};
use crate::storage::codes::{self, OneTimeCode, Purpose, end_reason};
use crate::storage::sessions::{self, revoke_reason};
use crate::storage::{StorageError, accounts, outbox, throttle};

/// Minutes a reset code stays valid.
pub const RESET_CODE_MINUTES: u32 = 30;
/// Wrong codes after which a reset ends.
const MAX_RESET_ATTEMPTS: i32 = 5;

/// Reset emails per address and client IP address before requests are ignored until an hour
/// passes without one.
const REQUESTS_PER_HOUR: i32 = 5;
const REQUEST_SCOPE: &str = "password_reset_requests";

/// Wrong reset codes per address and client IP address, across its resets.
// NOTE: five wrong codes end the open reset from any sender, so a stranger who knows
// the address can make the owner request a new code.
const CODE_THROTTLE: ThrottlePolicy = ThrottlePolicy {
    scope: "password_reset_code",
    ..PASSWORD_THROTTLE
};

/// Emails a reset code when the address has an account. The caller always gets the same
/// answer; beyond the hourly cap of emails per address, requests are dropped silently so
/// nobody can flood a mailbox.
pub async fn request(state: &AppState, email: &str, origin: Origin) -> Result<(), ApiError> {
    let mut validation = Validation::default();
    let email = validation.check("email", Email::parse(email), |error| error.code());
    validation.finish()?;
    let Some(email) = email else {
        return Err(ApiError::Validation(Vec::new()));
    };
    let now = state.clock.naive_now();
    let reset_id = uuid::Uuid::new_v4().simple().to_string();
    let code = generate_confirmation_code();
    let code_hash = state
        .code_hasher
        .hash(Purpose::PasswordReset.as_str(), &reset_id, &code);
    let mailer = state.mailer.clone();
    let subject = super::throttle_subject(&email, origin.ip_address.as_deref());
    let email_key = email.normalized_key();

    let sent = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let Some(account) = accounts::find_by_email_key(transaction, &email_key)? else {
                    return Ok(false);
                };
                let forget_before = now - TimeDelta::hours(1);
                let requests = throttle::record_failure(
                    transaction,
                    REQUEST_SCOPE,
                    &subject,
                    now,
                    forget_before,
                )?;
                if requests > REQUESTS_PER_HOUR {
                    return Ok(false);
                }
                let reset = OneTimeCode::new(
                    Purpose::PasswordReset,
                    reset_id,
                    account.id,
                    code_hash,
                    now,
                    TimeDelta::minutes(i64::from(RESET_CODE_MINUTES)),
                );
                codes::start(transaction, &reset)?;
                let letter = templates::reset_code(
                    stored_language(&account.language),
                    &account.email,
                    &code,
                    RESET_CODE_MINUTES,
                );
                outbox::enqueue(
                    transaction,
                    &mailer.compose(&account.email, &letter.subject, letter.body, None),
                )?;
                audit::record(
                    transaction,
                    event::PASSWORD_RESET_REQUESTED,
                    Some(account.id),
                    &origin,
                    None,
                    now,
                )?;
                Ok::<_, StorageError>(true)
            })
        })
        .await?;

    if sent {
        state.mailer.wake_worker();
    }
    Ok(())
}

/// Sets a new password with a reset code. Ends every other open reset and every session of
/// the account, and emails a notice.
pub async fn confirm(
    state: &AppState,
    confirmation: PasswordResetConfirmation,
    origin: Origin,
) -> Result<(), ApiError> {
    let mut validation = Validation::default();
    let email = validation.check("email", Email::parse(&confirmation.email), |error| {
        error.code()
    });
    let code = confirmation.code.trim().to_owned();
    if code.len() != 8 || !code.bytes().all(|byte| byte.is_ascii_digit()) {
        validation.add("code", "reset_code_format");
    }
    let new_password = match state.password_policy.accept(confirmation.new_password) {
        Ok(password) => Some(password),
        Err(rejected) => {
            for violation in rejected.violations() {
                validation.add("new_password", violation.code());
            }
            None
        }
    };
    validation.finish()?;
    let (Some(email), Some(new_password)) = (email, new_password) else {
        return Err(ApiError::Validation(Vec::new()));
    };
    let now = state.clock.now();
    let naive_now = now.naive_utc();
    let subject = super::throttle_subject(&email, origin.ip_address.as_deref());
    let email_key = email.normalized_key();

    let throttle_subject = subject.clone();
    let found = state
        .database
        .run(move |connection| {
            if let Some((failures, last)) =
                throttle::current(connection, CODE_THROTTLE.scope, &throttle_subject)?
                && let Some(retry_after) = CODE_THROTTLE.wait(failures, last, naive_now)
            {
                return Err(ApiError::RateLimited { retry_after });
            }
            let Some(account) = accounts::find_by_email_key(connection, &email_key)? else {
                return Ok(None);
            };
            let reset =
                codes::open_for_account(connection, account.id, Purpose::PasswordReset, naive_now)?;
            Ok(reset.map(|reset| (account, reset)))
        })
        .await?;

    let matched = found.filter(|(_, reset)| {
        state.code_hasher.verify(
            Purpose::PasswordReset.as_str(),
            &reset.id,
            &code,
            &reset.code_hash,
        )
    });
    let Some((account, reset)) = matched else {
        return Err(
            record_wrong_code(state, subject, email.normalized_key(), origin, naive_now).await,
        );
    };
    // Checked once the account is known; the code stays open for another try.
    let personal = [
        account.email.as_str(),
        account.first_name.as_str(),
        account.last_name.as_str(),
    ];
    if contains_personal_data(new_password.expose_secret(), &personal) {
        return Err(ApiError::Validation(vec![FieldIssue::new(
            "new_password",
            PasswordViolation::ContainsPersonalData.code(),
        )]));
    }

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
    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                if !codes::end(transaction, &reset.id, end_reason::USED, naive_now)? {
                    return Err(invalid_code());
                }
                codes::end_open(
                    transaction,
                    account.id,
                    Purpose::PasswordReset,
                    end_reason::SUPERSEDED,
                    naive_now,
                )?;
                accounts::set_password(transaction, account.id, &new_hash, naive_now)?;
                sessions::revoke_other_sessions(
                    transaction,
                    account.id,
                    None,
                    revoke_reason::PASSWORD_CHANGED,
                    naive_now,
                )?;
                throttle::reset(transaction, CODE_THROTTLE.scope, &subject)?;
                outbox::enqueue(transaction, &mail)?;
                audit::record(
                    transaction,
                    event::PASSWORD_RESET,
                    Some(account.id),
                    &origin,
                    None,
                    naive_now,
                )?;
                Ok(())
            })
        })
        .await?;
    state.mailer.wake_worker();
    Ok(())
}

fn invalid_code() -> ApiError {
    ApiError::Validation(vec![FieldIssue::new("code", "reset_code_invalid")])
}

/// Counts a wrong or unknown code against the address and its open reset, and ends the reset
/// after too many wrong codes.
async fn record_wrong_code(
    state: &AppState,
    subject: String,
    email_key: String,
    origin: Origin,
    now: chrono::NaiveDateTime,
) -> ApiError {
    let outcome = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let forget_before = now
                    - TimeDelta::from_std(CODE_THROTTLE.forget_after)
                        .unwrap_or(TimeDelta::hours(1));
                throttle::record_failure(
                    transaction,
                    CODE_THROTTLE.scope,
                    &subject,
                    now,
                    forget_before,
                )?;
                let Some(account) = accounts::find_by_email_key(transaction, &email_key)? else {
                    return Ok::<_, StorageError>(());
                };
                audit::record(
                    transaction,
                    event::PASSWORD_RESET_FAILED,
                    Some(account.id),
                    &origin,
                    None,
                    now,
                )?;
                if let Some(reset) =
                    codes::open_for_account(transaction, account.id, Purpose::PasswordReset, now)?
                {
                    codes::record_wrong_attempt(transaction, &reset.id, MAX_RESET_ATTEMPTS, now)?;
                }
                Ok(())
            })
        })
        .await;
    match outcome {
        Ok(()) => invalid_code(),
        Err(error) => error.into(),
    }
}
