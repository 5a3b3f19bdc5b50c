//! One method per endpoint of the API.
//!
//! To add an endpoint, write a method that builds its path from segments with
//! `Client::request` (or `Client::authorized` when it needs the access token), attaches the
//! body with `.json(..)` and finishes with `send_json` or `send_empty`.

use incert_contract::account::{
    Billing, EmailChangeConfirmation, EmailChangeRequest, EmailChangeStarted, Me, MeUpdate,
    SessionSummary,
};
use incert_contract::auth::{
    LoginChallenge, LoginCodeRequest, LoginRequest, OtherRegistrationRequest,
    PasswordChangeRequest, PasswordResetAccepted, PasswordResetConfirmation, PasswordResetRequest,
    RefreshRequest, RegistrationAccepted, TokenResponse,
};
use incert_contract::bankid::{
    BankIdLoginRequest, BankIdOrderStarted, BankIdOrderState, BankIdTokenRequest,
    SwedishRegistrationRequest,
};
use incert_contract::certification::{
    Application, ApplicationRequest, CertificateGrouping, CertificateList, CertificateQuery,
    PriceList, TechnicalArea,
};
use incert_contract::health::{Liveness, Readiness};
use incert_contract::password::{PasswordCheckRequest, PasswordCheckResponse, PasswordPolicyRules};
use reqwest::{Method, StatusCode};

use crate::client::{Client, ReceivedResponse, send_bytes, send_empty, send_json};
use crate::error::{self, ClientError};

impl Client {
    /// Calls `GET /healthz`: whether the server process is up.
    pub async fn liveness(&self) -> Result<Liveness, ClientError> {
        send_json(self.request(Method::GET, &["healthz"])?).await
    }

    /// Calls `GET /readyz`: whether the server can reach its database.
    ///
    /// A `503` with a readiness body is returned as `Ok`, with `database` set to `down`,
    /// because it reports on the server and is not a failed call.
    pub async fn readiness(&self) -> Result<Readiness, ClientError> {
        let response = ReceivedResponse::fetch(self.request(Method::GET, &["readyz"])?).await?;
        if response.status == StatusCode::SERVICE_UNAVAILABLE
            && let Ok(readiness) = error::decode_success(response.status, &response.body)
        {
            return Ok(readiness);
        }
        response.json()
    }

    /// Calls `GET /api/v1/password-policy`: the rules every new password must meet.
    pub async fn password_policy(&self) -> Result<PasswordPolicyRules, ClientError> {
        send_json(self.request(Method::GET, &["api", "v1", "password-policy"])?).await
    }

    /// Calls `POST /api/v1/password-checks`: checks a candidate password against the policy
    /// and estimates its strength. The server neither stores nor logs it.
    pub async fn check_password(
        &self,
        request: &PasswordCheckRequest,
    ) -> Result<PasswordCheckResponse, ClientError> {
        let builder = self.request(Method::POST, &["api", "v1", "password-checks"])?;
        send_json(builder.json(request)).await
    }

    /// Calls `POST /api/v1/registrations/other`: registers a person without a Swedish
    /// personnummer. The server emails a first-time password, and responds the same when the
    /// email already has an account.
    pub async fn register_other(
        &self,
        request: &OtherRegistrationRequest,
    ) -> Result<RegistrationAccepted, ClientError> {
        let builder = self.request(Method::POST, &["api", "v1", "registrations", "other"])?;
        send_json(builder.json(request)).await
    }

    /// Calls `POST /api/v1/auth/login`: checks email and password, and has the server email a
    /// one-time code.
    pub async fn login(&self, request: &LoginRequest) -> Result<LoginChallenge, ClientError> {
        let builder = self.request(Method::POST, &["api", "v1", "auth", "login"])?;
        send_json(builder.json(request)).await
    }

    /// Calls `POST /api/v1/auth/login/{challenge_id}/code`: submits the emailed code and opens
    /// a session.
    ///
    /// Native programs set `include_refresh_token: true` and keep the refresh token from the
    /// body. The web app sets it to `false` and relies on the HttpOnly cookie that the browser
    /// stores. The returned access token is not stored in the client; pass it to
    /// [`Client::set_access_token`].
    pub async fn submit_login_code(
        &self,
        challenge_id: &str,
        request: &LoginCodeRequest,
    ) -> Result<TokenResponse, ClientError> {
        let segments = ["api", "v1", "auth", "login", challenge_id, "code"];
        let builder = self.request(Method::POST, &segments)?;
        send_json(builder.json(request)).await
    }

    /// Calls `POST /api/v1/auth/login/{challenge_id}/resend`: emails a new code, which
    /// replaces the old one. Too early a call fails with `resend_too_early` and
    /// [`ClientError::retry_after`] set.
    pub async fn resend_login_code(
        &self,
        challenge_id: &str,
    ) -> Result<LoginChallenge, ClientError> {
        let segments = ["api", "v1", "auth", "login", challenge_id, "resend"];
        send_json(self.request(Method::POST, &segments)?).await
    }

    /// Calls `POST /api/v1/auth/token/refresh`: exchanges the refresh token for new tokens.
    /// The old refresh token stops working, and presenting it again ends the session.
    ///
    /// Native programs put the refresh token in `refresh_token` and set
    /// `include_refresh_token: true` to receive its replacement. The web app sends
    /// `RefreshRequest::default()` and the browser sends the cookie.
    pub async fn refresh_tokens(
        &self,
        request: &RefreshRequest,
    ) -> Result<TokenResponse, ClientError> {
        let builder = self.request(Method::POST, &["api", "v1", "auth", "token", "refresh"])?;
        send_json(builder.json(request)).await
    }

    /// Calls `POST /api/v1/auth/logout`: ends the session of the refresh token, which native
    /// programs put in `refresh_token` and the browser sends as a cookie. It succeeds also
    /// when the session had already ended. The access token stays set in the client; call
    /// [`Client::clear_access_token`].
    pub async fn logout(&self, request: &RefreshRequest) -> Result<(), ClientError> {
        let builder = self.request(Method::POST, &["api", "v1", "auth", "logout"])?;
        send_empty(builder.json(request)).await
    }

    /// Calls `GET /api/v1/me` with the access token: the caller's account. The restricted
    /// token of a first login may call it too.
    pub async fn me(&self) -> Result<Me, ClientError> {
        send_json(self.authorized(Method::GET, &["api", "v1", "me"])?).await
    }

    /// Calls `PUT /api/v1/me/password` with the access token: replaces the password and ends
    /// every other session. Returns a full access token for this session, which replaces the
    /// restricted token of a first login; pass it to [`Client::set_access_token`]. The
    /// session's refresh token stays valid.
    pub async fn change_password(
        &self,
        request: &PasswordChangeRequest,
    ) -> Result<TokenResponse, ClientError> {
        let builder = self.authorized(Method::PUT, &["api", "v1", "me", "password"])?;
        send_json(builder.json(request)).await
    }

    /// Calls `GET /api/v1/me/sessions` with the access token: the caller's open sessions,
    /// newest first.
    pub async fn sessions(&self) -> Result<Vec<SessionSummary>, ClientError> {
        send_json(self.authorized(Method::GET, &["api", "v1", "me", "sessions"])?).await
    }

    /// Calls `DELETE /api/v1/me/sessions/{session_id}` with the access token: ends one of the
    /// caller's sessions, whose tokens stop working at once.
    pub async fn revoke_session(&self, session_id: &str) -> Result<(), ClientError> {
        let segments = ["api", "v1", "me", "sessions", session_id];
        send_empty(self.authorized(Method::DELETE, &segments)?).await
    }

    /// Calls `POST /api/v1/auth/password-reset`: has the server email a reset code when the
    /// address has an account. The answer is the same either way.
    pub async fn request_password_reset(
        &self,
        request: &PasswordResetRequest,
    ) -> Result<PasswordResetAccepted, ClientError> {
        let builder = self.request(Method::POST, &["api", "v1", "auth", "password-reset"])?;
        send_json(builder.json(request)).await
    }

    /// Calls `POST /api/v1/auth/password-reset/confirm`: sets a new password with the emailed
    /// reset code and ends every session of the account.
    pub async fn confirm_password_reset(
        &self,
        request: &PasswordResetConfirmation,
    ) -> Result<(), ClientError> {
        let segments = ["api", "v1", "auth", "password-reset", "confirm"];
        send_empty(self.request(Method::POST, &segments)?.json(request)).await
    }

    /// Calls `PATCH /api/v1/me` with the access token: changes the fields present in `update`
    /// and returns the account.
    pub async fn update_me(&self, update: &MeUpdate) -> Result<Me, ClientError> {
        send_json(
            self.authorized(Method::PATCH, &["api", "v1", "me"])?
                .json(update),
        )
        .await
    }

    /// Calls `GET /api/v1/me/billing` with the access token: the billing details.
    pub async fn billing(&self) -> Result<Billing, ClientError> {
        send_json(self.authorized(Method::GET, &["api", "v1", "me", "billing"])?).await
    }

    /// Calls `PUT /api/v1/me/billing` with the access token: replaces the billing details and
    /// returns them as stored (postal code and organisation number normalised).
    pub async fn replace_billing(&self, billing: &Billing) -> Result<Billing, ClientError> {
        send_json(
            self.authorized(Method::PUT, &["api", "v1", "me", "billing"])?
                .json(billing),
        )
        .await
    }

    /// Calls `POST /api/v1/me/email` with the access token: emails a confirmation code to a
    /// new login address. The address changes only after [`Client::confirm_email_change`].
    pub async fn start_email_change(
        &self,
        request: &EmailChangeRequest,
    ) -> Result<EmailChangeStarted, ClientError> {
        send_json(
            self.authorized(Method::POST, &["api", "v1", "me", "email"])?
                .json(request),
        )
        .await
    }

    /// Calls `POST /api/v1/me/email/confirm` with the access token: moves the login to the new
    /// address with the code sent there.
    pub async fn confirm_email_change(
        &self,
        confirmation: &EmailChangeConfirmation,
    ) -> Result<(), ClientError> {
        let segments = ["api", "v1", "me", "email", "confirm"];
        send_empty(self.authorized(Method::POST, &segments)?.json(confirmation)).await
    }

    /// Calls `POST /api/v1/registrations/swedish`: registers a person with a personnummer and
    /// starts the BankID order that confirms it. Poll the order with
    /// [`Client::registration_status`].
    pub async fn register_swedish(
        &self,
        request: &SwedishRegistrationRequest,
    ) -> Result<BankIdOrderStarted, ClientError> {
        let builder = self.request(Method::POST, &["api", "v1", "registrations", "swedish"])?;
        send_json(builder.json(request)).await
    }

    /// Calls `GET /api/v1/registrations/swedish/{id}`: the state of a registration's BankID
    /// order, with the message to show and, while pending, the launch link or QR code data.
    pub async fn registration_status(&self, id: &str) -> Result<BankIdOrderState, ClientError> {
        let segments = ["api", "v1", "registrations", "swedish", id];
        send_json(self.request(Method::GET, &segments)?).await
    }

    /// Calls `POST /api/v1/registrations/swedish/{id}/cancel`: cancels a registration's BankID
    /// order, or returns the final state it had already reached.
    pub async fn cancel_registration(&self, id: &str) -> Result<BankIdOrderState, ClientError> {
        let segments = ["api", "v1", "registrations", "swedish", id, "cancel"];
        send_json(self.request(Method::POST, &segments)?).await
    }

    /// Calls `POST /api/v1/auth/bankid`: starts a BankID login order. Poll it with
    /// [`Client::bankid_login_status`].
    pub async fn start_bankid_login(
        &self,
        request: &BankIdLoginRequest,
    ) -> Result<BankIdOrderStarted, ClientError> {
        let builder = self.request(Method::POST, &["api", "v1", "auth", "bankid"])?;
        send_json(builder.json(request)).await
    }

    /// Calls `GET /api/v1/auth/bankid/{id}`: the state of a BankID login order.
    pub async fn bankid_login_status(&self, id: &str) -> Result<BankIdOrderState, ClientError> {
        send_json(self.request(Method::GET, &["api", "v1", "auth", "bankid", id])?).await
    }

    /// Calls `POST /api/v1/auth/bankid/{id}/cancel`: cancels a BankID login order, or returns
    /// the final state it had already reached.
    pub async fn cancel_bankid_login(&self, id: &str) -> Result<BankIdOrderState, ClientError> {
        let segments = ["api", "v1", "auth", "bankid", id, "cancel"];
        send_json(self.request(Method::POST, &segments)?).await
    }

    /// Calls `POST /api/v1/auth/bankid/{id}/tokens`: opens a session for a completed BankID
    /// login order. The refresh token arrives as for [`Client::submit_login_code`].
    pub async fn bankid_login_tokens(
        &self,
        id: &str,
        request: &BankIdTokenRequest,
    ) -> Result<TokenResponse, ClientError> {
        let segments = ["api", "v1", "auth", "bankid", id, "tokens"];
        send_json(self.request(Method::POST, &segments)?.json(request)).await
    }

    /// Calls `GET /api/v1/technical-areas`: the technical areas in catalogue order, each with
    /// its current certificate types.
    pub async fn technical_areas(&self) -> Result<Vec<TechnicalArea>, ClientError> {
        send_json(self.request(Method::GET, &["api", "v1", "technical-areas"])?).await
    }

    /// Calls `GET /api/v1/price-list`: the fees and the price of each certificate type.
    pub async fn price_list(&self) -> Result<PriceList, ClientError> {
        send_json(self.request(Method::GET, &["api", "v1", "price-list"])?).await
    }

    /// Calls `GET /api/v1/me/applications` with the access token: the caller's applications.
    pub async fn applications(&self) -> Result<Vec<Application>, ClientError> {
        send_json(self.authorized(Method::GET, &["api", "v1", "me", "applications"])?).await
    }

    /// Calls `POST /api/v1/me/applications` with the access token: applies for a certificate
    /// type and returns the received application.
    pub async fn apply(&self, request: &ApplicationRequest) -> Result<Application, ClientError> {
        let builder = self.authorized(Method::POST, &["api", "v1", "me", "applications"])?;
        send_json(builder.json(request)).await
    }

    /// Calls `POST /api/v1/me/applications/{id}/withdraw` with the access token: withdraws an
    /// undecided application and returns it.
    pub async fn withdraw_application(&self, id: &str) -> Result<Application, ClientError> {
        let segments = ["api", "v1", "me", "applications", id, "withdraw"];
        send_json(self.authorized(Method::POST, &segments)?).await
    }

    /// Calls `GET /api/v1/me/certificates` with the access token: the caller's certificates
    /// that match `query.q`, grouped by `query.group_by`.
    pub async fn certificates(
        &self,
        query: &CertificateQuery,
    ) -> Result<CertificateList, ClientError> {
        let group_by = match query.group_by {
            CertificateGrouping::None => "none",
            CertificateGrouping::TechnicalArea => "technical_area",
            CertificateGrouping::Status => "status",
        };
        let search = query.q.as_deref().filter(|text| !text.trim().is_empty());
        let builder = self.authorized_with_query(
            Method::GET,
            &["api", "v1", "me", "certificates"],
            &[("q", search), ("group_by", Some(group_by))],
        )?;
        send_json(builder).await
    }

    /// Calls `GET /api/v1/me/certificates/{number}/pdf` with the access token: the
    /// certificate as a PDF document in the client's language.
    pub async fn certificate_pdf(&self, number: &str) -> Result<Vec<u8>, ClientError> {
        let segments = ["api", "v1", "me", "certificates", number, "pdf"];
        send_bytes(self.authorized(Method::GET, &segments)?).await
    }
}
