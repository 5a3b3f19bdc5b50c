//! Login with password and emailed one-time code, and the sessions it opens.

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use incert_contract::auth::{AccessScope, LoginChallenge};
use incert_domain::Email;

use super::{Validation, stored_language};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::mail::templates;
use crate::security::passwords::Verification;
use crate::security::secrets::{generate_login_code, generate_token, hash_token};
use crate::security::tokens::{IssuedToken, TokenScope};
use crate::storage::accounts::{self, Account};
use crate::storage::audit::{self, Origin, event};
use crate::storage::codes::{self, OneTimeCode, Purpose};
use crate::storage::login_challenges::{self, CappedCounter, Opening, SpentCounter};
use crate::storage::sessions::{self, Rotation, Session};
use crate::storage::{DbConnection, StorageError, outbox, throttle};

/// Minutes a login code stays valid after it is sent.
pub const CODE_VALIDITY_MINUTES: i64 = 10;
/// Wrong codes after which a challenge ends.
pub const MAX_CODE_ATTEMPTS: i32 = 5;

/// Growing delays after repeated failures: free attempts first, then a delay that doubles
/// with each failure up to a cap, so nobody can lock an account for longer than the cap.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    pub scope: &'static str,
    pub free_failures: i32,
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// A counter whose last failure is older than this starts again from zero.
    pub forget_after: Duration,
}

/// Wrong passwords per email address.
pub const PASSWORD_THROTTLE: ThrottlePolicy = ThrottlePolicy {
    scope: "login_password",
    free_failures: 5,
    first_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(15 * 60),
    forget_after: Duration::from_secs(60 * 60),
};

/// Wrong codes per account, across all its challenges.
pub const CODE_THROTTLE: ThrottlePolicy = ThrottlePolicy {
    scope: "login_code",
    free_failures: 5,
    first_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(15 * 60),
    forget_after: Duration::from_secs(60 * 60),
};

/// Scope of the counters of codes sent per account and clock hour.
pub(crate) const CODES_SENT_SCOPE: &str = "login_codes_sent";

impl ThrottlePolicy {
    /// How long the subject must still wait, given its failures so far.
    pub fn wait(
        &self,
        failures: i32,
        last_failure_at: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Option<Duration> {
        if failures < self.free_failures {
            return None;
        }
        let doublings = u32::try_from(failures - self.free_failures)
            .unwrap_or(0)
            .min(20);
        let delay = self
            .first_delay
            .checked_mul(1_u32 << doublings)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let until = last_failure_at + TimeDelta::from_std(delay).unwrap_or(TimeDelta::MAX);
        (until > now).then(|| (until - now).to_std().unwrap_or(delay))
    }

    fn forget_before(&self, now: NaiveDateTime) -> NaiveDateTime {
        now - TimeDelta::from_std(self.forget_after).unwrap_or(TimeDelta::hours(1))
    }
}

/// Reads the subject's counter and fails with 429 while the subject must wait. Returns the
/// counter, so that the caller can tell whether there is one to reset.
fn check_throttle(
    connection: &mut DbConnection,
    policy: &ThrottlePolicy,
    subject: &str,
    now: NaiveDateTime,
) -> Result<Option<(i32, NaiveDateTime)>, ApiError> {
    let current = throttle::current(connection, policy.scope, subject)?;
    enforce_throttle(policy, current, now)?;
    Ok(current)
}

/// Fails with 429 while a subject with the counter `current` must wait.
fn enforce_throttle(
    policy: &ThrottlePolicy,
    current: Option<(i32, NaiveDateTime)>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    if let Some((failures, last_failure_at)) = current
        && last_failure_at >= policy.forget_before(now)
        && let Some(retry_after) = policy.wait(failures, last_failure_at, now)
    {
        return Err(ApiError::RateLimited { retry_after });
    }
    Ok(())
}

fn record_failure(
    connection: &mut DbConnection,
    policy: &ThrottlePolicy,
    subject: &str,
    now: NaiveDateTime,
) -> Result<i32, StorageError> {
    Ok(throttle::record_failure(
        connection,
        policy.scope,
        subject,
        now,
        policy.forget_before(now),
    )?)
}

/// Checks the password and emails a one-time code. Unknown addresses and wrong passwords get
/// the same response after the same amount of hashing work.
pub async fn start(
    state: &AppState,
    email: &str,
    password: String,
    origin: Origin,
) -> Result<LoginChallenge, ApiError> {
    let mut validation = Validation::default();
    let email = validation.check("email", Email::parse(email), |error| error.code());
    if password.is_empty() {
        validation.add("password", "required");
    }
    validation.finish()?;
    let Some(email) = email else {
        return Err(ApiError::Validation(Vec::new()));
    };
    let Some(_pending) = state
        .pending_password_checks
        .enter(origin.ip_address.as_deref())
    else {
        // Debug level, because a flood from one address would otherwise fill the log.
        tracing::debug!(
            client = origin.ip_address.as_deref().unwrap_or("unknown"),
            "login rejected: the client address has too many password checks in progress"
        );
        return Err(ApiError::RateLimited {
            retry_after: Duration::from_secs(1),
        });
    };
    let now = state.clock.naive_now();
    let subject = super::throttle_subject(&email, origin.ip_address.as_deref());

    let lookup_subject = subject.clone();
    let email_key = email.normalized_key();
    let (account, failures) = state
        .database
        .run(move |connection| {
            let failures = check_throttle(connection, &PASSWORD_THROTTLE, &lookup_subject, now)?;
            let account = accounts::find_by_email_key(connection, &email_key)?;
            Ok::<_, ApiError>((account, failures))
        })
        .await?;

    let stored = account
        .as_ref()
        .map(|account| account.password_hash.clone());
    let verification = state
        .password_hasher
        .verify(password, stored)
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let initial_expired = account.as_ref().is_some_and(|account| {
        account.must_change_password
            && account
                .initial_password_expires_at
                .is_some_and(|expiry| expiry <= now)
    });

    let matched = matches!(verification, Verification::Match { .. });
    match (account, verification) {
        (Some(account), Verification::Match { rehash }) if !initial_expired => {
            let password_subject = failures.is_some().then_some(subject);
            send_code(state, account, rehash, password_subject, origin).await
        }
        (account, _) => {
            let account_id = account.map(|account| account.id);
            state
                .database
                .run(move |connection| {
                    connection.write_transaction(|transaction| {
                        record_failure(transaction, &PASSWORD_THROTTLE, &subject, now)?;
                        let detail = if initial_expired && matched {
                            Some("initial_password_expired")
                        } else {
                            None
                        };
                        audit::record(
                            transaction,
                            event::LOGIN_PASSWORD_FAILED,
                            account_id,
                            &origin,
                            detail,
                            now,
                        )?;
                        Ok::<_, StorageError>(())
                    })
                })
                .await?;
            // The expiry is revealed only to a caller who has the right password.
            if initial_expired && matched {
                Err(ApiError::InitialPasswordExpired)
            } else {
                Err(ApiError::InvalidCredentials)
            }
        }
    }
}

/// Opens a challenge, ending the account's older ones, and queues the code email. A
/// `password_subject` names a counter of wrong passwords, which the right password resets.
async fn send_code(
    state: &AppState,
    account: Account,
    rehash: Option<String>,
    password_subject: Option<String>,
    origin: Origin,
) -> Result<LoginChallenge, ApiError> {
    let now = state.clock.now();
    let challenge_id = uuid::Uuid::new_v4().simple().to_string();
    let code = generate_login_code();
    let code_hash = state
        .code_hasher
        .hash(Purpose::Login.as_str(), &challenge_id, &code);
    let expires_at = now + TimeDelta::minutes(CODE_VALIDITY_MINUTES);
    let letter = templates::login_code(stored_language(&account.language), &account.email, &code);
    let mail = state
        .mailer
        .compose(&account.email, &letter.subject, letter.body, None);
    let codes_per_hour = i32::try_from(state.settings.login_codes_per_hour).unwrap_or(i32::MAX);
    let challenge = OneTimeCode::new(
        Purpose::Login,
        challenge_id.clone(),
        account.id,
        code_hash,
        now.naive_utc(),
        TimeDelta::minutes(CODE_VALIDITY_MINUTES),
    );

    let (sent_subject, hour_start) = sent_codes_hour(&account.public_id, challenge.created_at);
    let counted = state
        .database
        .run(move |connection| {
            // The upgraded hash belongs to the right password whatever becomes of the code,
            // so it is stored on its own.
            if let Some(new_hash) = rehash {
                accounts::upgrade_password_hash(
                    connection,
                    account.id,
                    &account.password_hash,
                    &new_hash,
                )?;
            }
            login_challenges::open(
                connection,
                &Opening {
                    challenge: &challenge,
                    mail: &mail,
                    sent_codes: CappedCounter {
                        scope: CODES_SENT_SCOPE,
                        subject: &sent_subject,
                        window_start: hour_start,
                        cap: codes_per_hour,
                    },
                    reset: password_subject.as_deref().map(|subject| SpentCounter {
                        scope: PASSWORD_THROTTLE.scope,
                        subject,
                    }),
                    event: event::LOGIN_CODE_SENT,
                    origin: &origin,
                },
            )
            .map_err(StorageError::from)
        })
        .await?;
    if counted.is_none() {
        return Err(codes_cap_reached(hour_start, now.naive_utc()));
    }
    state.mailer.wake_worker();

    Ok(LoginChallenge {
        challenge_id,
        code_expires_at: expires_at,
        resend_available_at: now + resend_cooldown(state),
    })
}

fn resend_cooldown(state: &AppState) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(state.settings.login_code_resend_seconds).unwrap_or(60))
}

/// Returns the subject of the account's counter of codes sent in the clock hour (UTC) of
/// `now`, and the start of that hour. Each hour has a counter of its own, so the count does
/// not carry over from one hour to the next.
fn sent_codes_hour(account_public_id: &str, now: NaiveDateTime) -> (String, NaiveDateTime) {
    let hour = now.and_utc().timestamp().div_euclid(3600);
    let hour_start =
        DateTime::from_timestamp(hour * 3600, 0).map_or(now, |start| start.naive_utc());
    (format!("{account_public_id}@{hour}"), hour_start)
}

/// Builds the 429 error for an account past its cap of codes per hour, with a wait until
/// the next hour begins.
fn codes_cap_reached(hour_start: NaiveDateTime, now: NaiveDateTime) -> ApiError {
    let retry_after = (hour_start + TimeDelta::hours(1) - now)
        .to_std()
        .unwrap_or(Duration::from_secs(3600));
    ApiError::RateLimited { retry_after }
}

/// Counts a sent code against the account's cap per clock hour, failing with 429 past the
/// cap until the next hour begins.
fn count_code_sent(
    connection: &mut DbConnection,
    account_public_id: &str,
    cap: i32,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let (subject, hour_start) = sent_codes_hour(account_public_id, now);
    let counted =
        throttle::record_below_cap(connection, CODES_SENT_SCOPE, &subject, now, hour_start, cap)?;
    match counted {
        Some(_) => Ok(()),
        None => Err(codes_cap_reached(hour_start, now)),
    }
}

/// Sends a new code for an open challenge once the cooldown has passed. Wrong codes already
/// entered still count against the challenge.
pub async fn resend(
    state: &AppState,
    challenge_id: String,
    origin: Origin,
) -> Result<LoginChallenge, ApiError> {
    let now = state.clock.now();
    let cooldown = resend_cooldown(state);
    let codes_per_hour = i32::try_from(state.settings.login_codes_per_hour).unwrap_or(i32::MAX);
    let code = generate_login_code();
    let code_hash = state
        .code_hasher
        .hash(Purpose::Login.as_str(), &challenge_id, &code);
    let expires_at = now + TimeDelta::minutes(CODE_VALIDITY_MINUTES);
    let mailer = state.mailer.clone();

    let id = challenge_id.clone();
    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let challenge = live_challenge(transaction, &id, now.naive_utc())?;
                let available_at = challenge.sent_at + cooldown;
                if now.naive_utc() < available_at {
                    let retry_after = (available_at - now.naive_utc())
                        .to_std()
                        .unwrap_or(Duration::from_secs(1));
                    return Err(ApiError::ResendTooEarly { retry_after });
                }
                let account = accounts::find(transaction, challenge.account_id)?;
                count_code_sent(
                    transaction,
                    &account.public_id,
                    codes_per_hour,
                    now.naive_utc(),
                )?;
                if !codes::replace_code(
                    transaction,
                    &id,
                    &code_hash,
                    now.naive_utc(),
                    expires_at.naive_utc(),
                )? {
                    return Err(ApiError::LoginChallengeEnded);
                }
                let letter = templates::login_code(
                    stored_language(&account.language),
                    &account.email,
                    &code,
                );
                outbox::enqueue(
                    transaction,
                    &mailer.compose(&account.email, &letter.subject, letter.body, None),
                )?;
                audit::record(
                    transaction,
                    event::LOGIN_CODE_SENT,
                    Some(account.id),
                    &origin,
                    Some("resend"),
                    now.naive_utc(),
                )?;
                Ok(())
            })
        })
        .await?;
    state.mailer.wake_worker();

    Ok(LoginChallenge {
        challenge_id,
        code_expires_at: expires_at,
        resend_available_at: now + cooldown,
    })
}

/// Loads a challenge that has neither ended nor expired; an unknown id looks the same.
fn live_challenge(
    connection: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<OneTimeCode, ApiError> {
    match codes::find(connection, Purpose::Login, id)? {
        Some(challenge) if challenge.is_open(now) => Ok(challenge),
        _ => Err(ApiError::LoginChallengeEnded),
    }
}

/// Tokens handed out when a login or refresh succeeds.
#[derive(Debug)]
pub struct Tokens {
    pub access: IssuedToken,
    pub scope: AccessScope,
    pub refresh_token: String,
    pub session_expires_at: DateTime<Utc>,
}

/// Checks the emailed code and opens a session.
pub async fn verify_code(
    state: &AppState,
    challenge_id: String,
    code: String,
    origin: Origin,
) -> Result<Tokens, ApiError> {
    let code = code.trim().to_owned();
    if code.len() != 6 || !code.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(ApiError::Validation(vec![
            crate::http::error::FieldIssue::new("code", "login_code_format"),
        ]));
    }
    let now = state.clock.now();
    let naive_now = now.naive_utc();

    let id = challenge_id.clone();
    let found = state
        .database
        .run(move |connection| {
            Ok::<_, ApiError>(codes::find_with_account(
                connection,
                Purpose::Login,
                &id,
                CODE_THROTTLE.scope,
            )?)
        })
        .await?;
    let Some(codes::CodeWithAccount {
        code: challenge,
        account,
        failures,
    }) = found.filter(|found| found.code.is_open(naive_now))
    else {
        return Err(ApiError::LoginChallengeEnded);
    };
    enforce_throttle(&CODE_THROTTLE, failures, naive_now)?;

    if !state.code_hasher.verify(
        Purpose::Login.as_str(),
        &challenge_id,
        &code,
        &challenge.code_hash,
    ) {
        return Err(record_wrong_code(state, challenge_id, account, origin, naive_now).await);
    }

    let refresh_token = generate_token();
    let session = new_session(session_lifetime(state), &account, &origin, naive_now);
    let token_hash = hash_token(&refresh_token);
    let stored_session = session.clone();
    let account_public_id = account.public_id.clone();
    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                if !codes::end(
                    transaction,
                    &challenge_id,
                    codes::end_reason::USED,
                    naive_now,
                )? {
                    return Err(ApiError::LoginChallengeEnded);
                }
                if failures.is_some() {
                    throttle::reset(transaction, CODE_THROTTLE.scope, &account_public_id)?;
                }
                sessions::insert_session(transaction, &stored_session, &token_hash)?;
                audit::record(
                    transaction,
                    event::LOGIN_SUCCEEDED,
                    Some(stored_session.account_id),
                    &origin,
                    None,
                    naive_now,
                )?;
                Ok(())
            })
        })
        .await?;

    issue(state, &account, &session, refresh_token, now)
}

async fn record_wrong_code(
    state: &AppState,
    challenge_id: String,
    account: Account,
    origin: Origin,
    now: NaiveDateTime,
) -> ApiError {
    let outcome = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                record_failure(transaction, &CODE_THROTTLE, &account.public_id, now)?;
                audit::record(
                    transaction,
                    event::LOGIN_CODE_FAILED,
                    Some(account.id),
                    &origin,
                    None,
                    now,
                )?;
                let attempts = codes::record_wrong_attempt(
                    transaction,
                    &challenge_id,
                    MAX_CODE_ATTEMPTS,
                    now,
                )?;
                Ok::<_, StorageError>(match attempts {
                    Some(_) => ApiError::InvalidLoginCode,
                    None => ApiError::LoginChallengeEnded,
                })
            })
        })
        .await;
    outcome.unwrap_or_else(ApiError::from)
}

/// Builds the session a login opens. It is restricted to changing the password while the
/// account still has its first-time password.
pub fn new_session(
    lifetime: TimeDelta,
    account: &Account,
    origin: &Origin,
    now: NaiveDateTime,
) -> Session {
    Session {
        id: uuid::Uuid::new_v4().simple().to_string(),
        account_id: account.id,
        restricted: account.must_change_password,
        created_at: now,
        last_used_at: now,
        expires_at: now + lifetime,
        revoked_at: None,
        revoke_reason: None,
        user_agent: origin.user_agent.clone(),
        ip_address: origin.ip_address.clone(),
    }
}

/// Returns how long a session lasts, from the `session_days` setting.
pub fn session_lifetime(state: &AppState) -> TimeDelta {
    TimeDelta::days(i64::try_from(state.settings.session_days).unwrap_or(30))
}

/// Signs an access token for a session.
pub fn issue(
    state: &AppState,
    account: &Account,
    session: &Session,
    refresh_token: String,
    now: DateTime<Utc>,
) -> Result<Tokens, ApiError> {
    let (scope, token_scope) = if session.restricted {
        (AccessScope::PasswordChange, TokenScope::PasswordChange)
    } else {
        (AccessScope::Full, TokenScope::Full)
    };
    let access = state
        .token_issuer
        .issue(
            &account.public_id,
            &session.id,
            &account.role,
            token_scope,
            now,
        )
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    Ok(Tokens {
        access,
        scope,
        refresh_token,
        session_expires_at: session.expires_at.and_utc(),
    })
}

/// Exchanges a refresh token for a new access token and a new refresh token. Presenting a
/// token that was already exchanged revokes its session, because a copy of it is loose.
pub async fn refresh(
    state: &AppState,
    presented: &str,
    origin: Origin,
) -> Result<Tokens, ApiError> {
    let now = state.clock.now();
    let naive_now = now.naive_utc();
    let token_hash = hash_token(presented);
    let new_token = generate_token();
    let new_hash = hash_token(&new_token);

    let rotation = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let rotation =
                    sessions::rotate_refresh_token(transaction, &token_hash, &new_hash, naive_now)?;
                let account = match &rotation {
                    Rotation::Rotated(session) => {
                        Some(accounts::find(transaction, session.account_id)?)
                    }
                    Rotation::Reused | Rotation::Unknown => None,
                };
                Ok::<_, StorageError>((rotation, account))
            })
        })
        .await?;

    match rotation {
        (Rotation::Rotated(session), Some(account)) => {
            issue(state, &account, &session, new_token, now)
        }
        (Rotation::Reused, _) => {
            tracing::warn!(ip = ?origin.ip_address, "refresh token reused; its session was revoked");
            Err(ApiError::InvalidRefreshToken)
        }
        _ => Err(ApiError::InvalidRefreshToken),
    }
}

/// Ends the session a refresh token belongs to. Unknown tokens end nothing and are no error,
/// so logging out twice is harmless.
pub async fn logout(state: &AppState, presented: &str) -> Result<(), ApiError> {
    let now = state.clock.naive_now();
    let token_hash = hash_token(presented);
    state
        .database
        .run(move |connection| {
            if let Some(session) = sessions::session_of_refresh_token(connection, &token_hash, now)?
            {
                sessions::revoke_session(
                    connection,
                    &session.id,
                    sessions::revoke_reason::LOGOUT,
                    now,
                )?;
            }
            Ok::<_, StorageError>(())
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> NaiveDateTime {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0)
            .map(|time| time.naive_utc())
            .unwrap_or_default()
    }

    #[test]
    fn throttle_waits_grow_and_stop_at_the_cap() {
        let policy = PASSWORD_THROTTLE;
        assert_eq!(policy.wait(4, at(0), at(0)), None);
        assert_eq!(policy.wait(5, at(0), at(0)), Some(Duration::from_secs(1)));
        assert_eq!(policy.wait(6, at(0), at(0)), Some(Duration::from_secs(2)));
        assert_eq!(policy.wait(8, at(0), at(0)), Some(Duration::from_secs(8)));
        assert_eq!(
            policy.wait(1_000, at(0), at(0)),
            Some(Duration::from_secs(15 * 60))
        );
        assert_eq!(policy.wait(6, at(0), at(2)), None);
    }
}
