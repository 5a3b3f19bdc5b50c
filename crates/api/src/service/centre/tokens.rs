//! Access tokens for examination centres by the OAuth2 client credentials grant (RFC 6749
//! section 4.4), and the check of those tokens on every centre request.
//!
//! A centre's access token is a JWT from the same [`crate::security::tokens::TokenIssuer`] as
//! people's tokens, with role `centre`, `sub` set to the centre's public id and `sid` set to
//! the client id. People's extractors look `sid` up as a login session and find none, so a
//! centre token opens nothing outside the centre API.

use std::time::Duration;

use chrono::TimeDelta;

use super::clients::CLIENT_SECRET_PURPOSE;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::oauth::CentreClient;
use crate::security::tokens::{IssuedToken, TokenScope};
use crate::storage::{StorageError, centres, throttle};

/// Role claim of a centre's access token.
pub const CENTRE_ROLE: &str = "centre";

/// The only OAuth2 scope a centre can request, and the one every centre token has.
pub const CENTRE_SCOPE: &str = "centre";

/// Throttle counter of failed client authentications, per client IP address.
const FAILURE_SCOPE: &str = "centre_token_failures";

/// Failed client authentications from one address before further requests are rejected.
const MAX_FAILURES: i32 = 20;

/// Minutes after the last failure when an address's failures are forgotten.
const FAILURE_WINDOW_MINUTES: i64 = 15;

/// `last_used_at` is written at most once per this many seconds per client, so a busy
/// client does not cause a write per token.
const LAST_USED_PRECISION_SECONDS: i64 = 60;

/// Compared against when the client id is unknown, so an unknown client costs the same HMAC
/// as a wrong secret. No real hash equals it, because hashes are lower-case hex.
const UNKNOWN_CLIENT_HASH: &str = "unknown";

/// Failure of a client credentials grant.
#[derive(Debug)]
pub enum GrantError {
    /// Unknown client, wrong secret, or revoked credentials or centre; the caller cannot
    /// tell which.
    InvalidClient,
    /// Too many failures from the caller's address.
    RateLimited {
        retry_after: Duration,
    },
    Failed(ApiError),
}

impl From<StorageError> for GrantError {
    fn from(error: StorageError) -> Self {
        Self::Failed(error.into())
    }
}

impl From<diesel::result::Error> for GrantError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Failed(error.into())
    }
}

/// Checks client credentials and issues an access token for the client's centre.
///
/// The secret is compared with a keyed hash in constant time. Failures are counted per
/// `client_ip`. After [`MAX_FAILURES`] within the window, every request from that address is
/// rejected until the window has passed since the last failure.
pub async fn grant(
    state: &AppState,
    client_id: String,
    client_secret: String,
    client_ip: Option<String>,
) -> Result<IssuedToken, GrantError> {
    let now = state.clock.now();
    let naive_now = now.naive_utc();
    let forget_before = naive_now - TimeDelta::minutes(FAILURE_WINDOW_MINUTES);
    let throttle_subject = client_ip.unwrap_or_else(|| "unknown".to_owned());
    let hasher = state.code_hasher.clone();

    let (centre_public_id, client_id) = state
        .database
        .run(move |connection| {
            let failures = throttle::current(connection, FAILURE_SCOPE, &throttle_subject)?
                .filter(|(_, last_failure_at)| *last_failure_at >= forget_before);
            if let Some((count, last_failure_at)) = failures
                && count >= MAX_FAILURES
            {
                let wait = last_failure_at - forget_before;
                return Err(GrantError::RateLimited {
                    retry_after: wait.to_std().unwrap_or(Duration::from_secs(1)),
                });
            }

            let found = centres::find_client(connection, &client_id)?;
            let expected_hash = found.as_ref().map_or(UNKNOWN_CLIENT_HASH, |(client, _)| {
                client.secret_hash.as_str()
            });
            let secret_matches = hasher.verify(
                CLIENT_SECRET_PURPOSE,
                &client_id,
                &client_secret,
                expected_hash,
            );
            let active = found.filter(|(client, centre)| {
                secret_matches && client.revoked_at.is_none() && centre.retired_at.is_none()
            });
            let Some((client, centre)) = active else {
                let shown_id: String = client_id.chars().take(64).collect();
                tracing::info!(client_id = %shown_id, "rejected centre client credentials");
                throttle::record_failure(
                    connection,
                    FAILURE_SCOPE,
                    &throttle_subject,
                    naive_now,
                    forget_before,
                )?;
                return Err(GrantError::InvalidClient);
            };

            let stale_before = naive_now - TimeDelta::seconds(LAST_USED_PRECISION_SECONDS);
            centres::touch_client(connection, client.id, naive_now, stale_before)?;
            if failures.is_some() {
                throttle::reset(connection, FAILURE_SCOPE, &throttle_subject)?;
            }
            Ok((centre.public_id, client.client_id))
        })
        .await?;

    state
        .token_issuer
        .issue(
            &centre_public_id,
            &client_id,
            CENTRE_ROLE,
            TokenScope::Full,
            now,
        )
        .map_err(|error| GrantError::Failed(ApiError::Internal(error.to_string())))
}

/// Returns the client of a verified token's `sid` if it still belongs to the token's centre
/// and neither is revoked or retired, so revocation takes effect at once.
pub async fn active_client(
    state: &AppState,
    centre_public_id: String,
    client_id: String,
) -> Result<Option<CentreClient>, ApiError> {
    state
        .database
        .run(move |connection| {
            let found = centres::find_client(connection, &client_id)?;
            Ok::<_, ApiError>(found.and_then(|(client, centre)| {
                let active = client.revoked_at.is_none()
                    && centre.retired_at.is_none()
                    && centre.public_id == centre_public_id;
                active.then_some(CentreClient {
                    centre_id: centre.id,
                    centre_public_id: centre.public_id,
                    client_id: client.client_id,
                })
            }))
        })
        .await
}
