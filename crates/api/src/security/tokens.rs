//! Short-lived access tokens: JWTs signed with HS256 (RFC 7519, with the `at+jwt` type of
//! RFC 9068).
//!
//! Verification accepts only HS256 with this server's key id and checks `typ`, `iss`, `aud`
//! and `exp`. The expiry is compared with a `now` that the caller passes, so tests can set
//! the time.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::to_hex;

/// Header `typ` of an access token (RFC 9068).
const ACCESS_TOKEN_TYPE: &str = "at+jwt";

/// The same type as a full media type, which RFC 9068 also allows.
const ACCESS_TOKEN_MEDIA_TYPE: &str = "application/at+jwt";

/// Minimum signing key length: HS256 needs a key of at least the hash output size (RFC 7518).
const MIN_SIGNING_KEY_BYTES: usize = 32;

/// Hex characters of the key id: the start of the SHA-256 of the signing key.
const KEY_ID_HEX_CHARS: usize = 16;

/// Permission level of an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Every endpoint that the role allows.
    Full,
    /// Only replacing the first-time password, which the account must do before anything else.
    PasswordChange,
}

/// Claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer: this server's configured name.
    pub iss: String,
    /// Audience: the configured API name.
    pub aud: String,
    /// Subject: the account's public id.
    pub sub: String,
    /// Id of the login session that the token belongs to.
    pub sid: String,
    /// Role of the account when the token was issued.
    pub role: String,
    /// Permission level of the token.
    pub scope: TokenScope,
    /// Issue time, in seconds since the Unix epoch.
    pub iat: i64,
    /// Expiry time, in seconds since the Unix epoch. The token is valid while `now < exp`.
    pub exp: i64,
    /// Random token id (UUID v4).
    pub jti: String,
}

/// Error from issuing or verifying an access token.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The token was valid but its `exp` is at or before the current time.
    #[error("access token expired")]
    Expired,
    /// Every other verification failure: malformed token, bad signature, an algorithm other
    /// than HS256, or a wrong `typ`, `kid`, `iss` or `aud`.
    #[error("invalid access token")]
    Invalid,
    /// Creating the issuer or signing a token failed. The message contains no key material.
    #[error("failed to sign access token: {0}")]
    Signing(String),
}

/// A signed access token and its expiry time.
#[derive(Clone)]
pub struct IssuedToken {
    /// The compact JWT.
    pub token: String,
    /// The `exp` claim as a time; whole seconds.
    pub expires_at: DateTime<Utc>,
}

impl fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedToken")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Issues and verifies access tokens with one HMAC key. Cheap to clone.
#[derive(Clone)]
pub struct TokenIssuer {
    inner: Arc<IssuerInner>,
}

struct IssuerInner {
    encoding_key: EncodingKey,
    decoding_key: DecodingKey,
    key_id: String,
    issuer: String,
    audience: String,
    lifetime: Duration,
    chrono_lifetime: chrono::Duration,
    validation: Validation,
}

impl TokenIssuer {
    /// Creates an issuer that signs with `signing_key`, such as
    /// `MasterKey::derive("jwt-signing")`.
    ///
    /// Fails with [`TokenError::Signing`] when the key is shorter than 32 bytes or the
    /// lifetime is shorter than one second or too large for a date.
    pub fn new(
        signing_key: &[u8],
        issuer: impl Into<String>,
        audience: impl Into<String>,
        lifetime: Duration,
    ) -> Result<Self, TokenError> {
        if signing_key.len() < MIN_SIGNING_KEY_BYTES {
            return Err(TokenError::Signing(format!(
                "the signing key has {} bytes but at least {MIN_SIGNING_KEY_BYTES} are required",
                signing_key.len()
            )));
        }
        if lifetime < Duration::from_secs(1) {
            return Err(TokenError::Signing(
                "the token lifetime must be at least one second".to_owned(),
            ));
        }
        let chrono_lifetime = chrono::Duration::from_std(lifetime).map_err(|_| {
            TokenError::Signing(format!(
                "the token lifetime of {} seconds is too large",
                lifetime.as_secs()
            ))
        })?;

        let encoding_key = EncodingKey::from_secret(signing_key)
            .map_err(|error| TokenError::Signing(error.to_string()))?;
        let decoding_key = DecodingKey::from_secret(signing_key)
            .map_err(|error| TokenError::Signing(error.to_string()))?;
        let key_id = key_id(signing_key);
        let issuer = issuer.into();
        let audience = audience.into();

        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&issuer]);
        validation.set_audience(&[&audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // `verify` checks `exp` against the caller's `now` instead of the system clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = 0;

        Ok(Self {
            inner: Arc::new(IssuerInner {
                encoding_key,
                decoding_key,
                key_id,
                issuer,
                audience,
                lifetime,
                chrono_lifetime,
                validation,
            }),
        })
    }

    /// Signs an access token for `subject` (the account's public id) in session `session_id`,
    /// valid from `now` for [`TokenIssuer::lifetime`], rounded down to whole seconds.
    pub fn issue(
        &self,
        subject: &str,
        session_id: &str,
        role: &str,
        scope: TokenScope,
        now: DateTime<Utc>,
    ) -> Result<IssuedToken, TokenError> {
        let inner = &self.inner;
        let exp = now
            .checked_add_signed(inner.chrono_lifetime)
            .ok_or_else(|| TokenError::Signing("the expiry time is out of range".to_owned()))?
            .timestamp();
        let expires_at = DateTime::from_timestamp(exp, 0)
            .ok_or_else(|| TokenError::Signing("the expiry time is out of range".to_owned()))?;

        let claims = AccessClaims {
            iss: inner.issuer.clone(),
            aud: inner.audience.clone(),
            sub: subject.to_owned(),
            sid: session_id.to_owned(),
            role: role.to_owned(),
            scope,
            iat: now.timestamp(),
            exp,
            jti: uuid::Uuid::new_v4().to_string(),
        };

        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(ACCESS_TOKEN_TYPE.to_owned());
        header.kid = Some(inner.key_id.clone());

        let token = jsonwebtoken::encode(&header, &claims, &inner.encoding_key)
            .map_err(|error| TokenError::Signing(error.to_string()))?;
        Ok(IssuedToken { token, expires_at })
    }

    /// Verifies `token` and returns its claims.
    ///
    /// Returns [`TokenError::Expired`] only for an otherwise valid token whose `exp` is at or
    /// before `now` (no leeway), and [`TokenError::Invalid`] for every other failure.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, TokenError> {
        let inner = &self.inner;
        let data =
            jsonwebtoken::decode::<AccessClaims>(token, &inner.decoding_key, &inner.validation)
                .map_err(|error| {
                    tracing::debug!(
                        reason = rejection_reason(&error),
                        "rejected an access token"
                    );
                    TokenError::Invalid
                })?;

        let header = &data.header;
        if header.alg != Algorithm::HS256 {
            return Err(TokenError::Invalid);
        }
        let type_accepted = header.typ.as_deref().is_some_and(|typ| {
            typ.eq_ignore_ascii_case(ACCESS_TOKEN_TYPE)
                || typ.eq_ignore_ascii_case(ACCESS_TOKEN_MEDIA_TYPE)
        });
        if !type_accepted {
            tracing::debug!("rejected an access token with another typ");
            return Err(TokenError::Invalid);
        }
        if header.kid.as_deref() != Some(inner.key_id.as_str()) {
            tracing::debug!("rejected an access token with another kid");
            return Err(TokenError::Invalid);
        }
        // RFC 7515 requires rejecting a token whose `crit` header lists extensions that the
        // recipient does not implement, and this code implements none.
        if header.crit.is_some() {
            return Err(TokenError::Invalid);
        }

        if data.claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(data.claims)
    }

    /// Returns the lifetime of issued tokens.
    pub fn lifetime(&self) -> Duration {
        self.inner.lifetime
    }
}

impl fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenIssuer")
            .field("issuer", &self.inner.issuer)
            .field("audience", &self.inner.audience)
            .field("key_id", &self.inner.key_id)
            .field("lifetime", &self.inner.lifetime)
            .finish_non_exhaustive()
    }
}

/// Names the reason why jsonwebtoken rejected a token, for debug logs. Unlike the error's
/// own message, the name never contains parts of the token.
fn rejection_reason(error: &jsonwebtoken::errors::Error) -> &'static str {
    use jsonwebtoken::errors::ErrorKind;

    match error.kind() {
        ErrorKind::InvalidSignature => "invalid signature",
        ErrorKind::InvalidAlgorithm => "algorithm not allowed",
        ErrorKind::InvalidIssuer => "wrong issuer",
        ErrorKind::InvalidAudience => "wrong audience",
        ErrorKind::MissingRequiredClaim(_) => "missing claim",
        _ => "malformed token",
    }
}

/// Returns the key id of `signing_key`: the first 16 hex characters of its SHA-256. It names
/// the key in token headers without revealing it.
fn key_id(signing_key: &[u8]) -> String {
    let mut id = to_hex(&Sha256::digest(signing_key));
    id.truncate(KEY_ID_HEX_CHARS);
    id
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]
mod tests;
