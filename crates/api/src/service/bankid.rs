//! Registration with a Swedish personnummer, confirmed by a BankID signature: starting the
//! sign order, collecting it at most once at a time, and creating the account once signed.
//! Login with BankID, in [`login`], shares the polling and cancelling of orders.

mod login;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use incert_bankid::launch::{DeviceKind, launch_link};
use incert_bankid::messages::{Language as RfaLanguage, Rfa, StartMethod};
use incert_bankid::qr::AnimatedQr;
use incert_bankid::simulator::{Simulator, SimulatorConfig};
use incert_bankid::{
    BankIdClient, BankIdError, ClientConfig, CollectStatus, CompletionData, ErrorCode, HintCode,
    PRODUCTION_BASE_URL, QrStartSecret, Requirement, SignRequest, TEST_BASE_URL, TlsConfig,
};
use incert_contract::bankid::{
    BankIdDevice, BankIdOrderStarted, BankIdOrderState, BankIdOrderStatus,
    SwedishRegistrationRequest,
};
use incert_domain::personnummer::ParseOptions;
use incert_domain::{Email, MobileNumber, PersonName, Personnummer};

use super::registration::{NewPerson, register_person};
use super::{Validation, language_of, stored_language};
use crate::config::{BankIdMode, Settings};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::i18n::Language;
use crate::storage::audit::Origin;
use crate::storage::bankid_orders::{self, BankIdOrder, FinalStatus};

/// Path under which the server mounts the simulator in `simulator` mode.
pub const SIMULATOR_PATH: &str = "/bankid-sim";

/// How long one request may hold the collect lease of an order. A request that dies while
/// collecting blocks other collects of the order for at most this long.
const COLLECT_LEASE: TimeDelta = TimeDelta::seconds(30);

pub use login::{fetch_login_tokens, start_login};

/// Purpose of a BankID order, stored in its `purpose` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderPurpose {
    /// A sign order that registers a new account.
    Registration,
    /// An auth order that logs in to an account with a personnummer.
    Login,
}

impl OrderPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::Login => "login",
        }
    }
}

/// `failure_code` of a signed order whose signer has another personnummer than the entered one.
pub const PERSONNUMMER_MISMATCH: &str = "bankid_personnummer_mismatch";

/// The BankID client of the server and, in `simulator` mode, the simulator it calls.
#[derive(Debug)]
pub struct BankId {
    client: BankIdClient,
    simulator: Option<Simulator>,
}

/// The server's clock as the simulator's time source.
#[derive(Debug)]
struct SimulatorClock(crate::clock::Clock);

impl incert_bankid::simulator::Clock for SimulatorClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
}

/// BankID could not be set up from the settings.
#[derive(Debug, thiserror::Error)]
#[error("cannot set up the BankID client: {0}")]
pub struct BankIdSetupError(#[from] incert_bankid::ConfigError);

impl BankId {
    /// Builds the client for the configured mode. In `simulator` mode the client calls the
    /// simulator over loopback HTTP at `local_address`, the address the server is bound to.
    pub fn from_settings(
        settings: &Settings,
        local_address: SocketAddr,
        clock: &crate::clock::Clock,
    ) -> Result<Self, BankIdSetupError> {
        let (base_url, simulator) = match (settings.bankid_mode, &settings.bankid_url) {
            // A simulator of its own, shared by several API nodes: orders live in its memory.
            (BankIdMode::Simulator, Some(url)) => (url.clone(), None),
            (BankIdMode::Simulator, None) => {
                let mut address = local_address;
                if address.ip().is_unspecified() {
                    address.set_ip(match address.ip() {
                        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
                        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
                    });
                }
                // The simulator shares the server's clock, so tests can let orders expire.
                let simulator = Simulator::with_clock(
                    SimulatorConfig::default(),
                    std::sync::Arc::new(SimulatorClock(clock.clone())),
                );
                (format!("http://{address}{SIMULATOR_PATH}"), Some(simulator))
            }
            (BankIdMode::Test, _) => (TEST_BASE_URL.to_owned(), None),
            (BankIdMode::Production, _) => (PRODUCTION_BASE_URL.to_owned(), None),
        };
        let mut config = ClientConfig::new(base_url);
        if let (Some(certificate), Some(root)) =
            (&settings.bankid_certificate, &settings.bankid_root_ca)
            && settings.bankid_mode != BankIdMode::Simulator
        {
            config.tls = Some(tls_config(
                certificate,
                settings.bankid_certificate_password.as_ref(),
                root,
            )?);
        }
        let client = BankIdClient::new(&config)?;
        Ok(Self { client, simulator })
    }

    /// Returns the simulator the client calls, in `simulator` mode.
    pub fn simulator(&self) -> Option<&Simulator> {
        self.simulator.as_ref()
    }
}

/// Reads the relying party's identity: PKCS#12 for `.p12` and `.pfx` files, otherwise PEM
/// with the certificate chain and the private key in the same file.
fn tls_config(
    certificate: &std::path::Path,
    password: Option<&crate::config::Secret>,
    root: &std::path::Path,
) -> Result<TlsConfig, incert_bankid::ConfigError> {
    let is_pkcs12 = certificate
        .extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extension.eq_ignore_ascii_case("p12") || extension.eq_ignore_ascii_case("pfx")
        });
    if is_pkcs12 {
        let password = password.map(|secret| secret.expose()).unwrap_or_default();
        TlsConfig::from_pkcs12_file(certificate, password, root)
    } else {
        TlsConfig::from_files(certificate, certificate, root)
    }
}

/// A validated registration with a Swedish personnummer.
#[derive(Debug)]
pub struct SwedishRegistration {
    pub personnummer: Personnummer,
    pub email: Email,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub mobile: Option<MobileNumber>,
    pub language: Language,
    pub device: BankIdDevice,
}

/// Checks every field and names each invalid one. Personnummer errors carry the code of the
/// rule that failed, such as `personnummer_invalid_checksum`.
pub fn validate_swedish(
    request: SwedishRegistrationRequest,
    today: chrono::NaiveDate,
) -> Result<SwedishRegistration, ApiError> {
    let mut validation = Validation::default();
    let personnummer = validation.check(
        "personnummer",
        Personnummer::parse(&request.personnummer, today, ParseOptions::default()),
        |error| error.code(),
    );
    let email = validation.check("email", Email::parse(&request.email), |error| error.code());
    let first_name = validation.check(
        "first_name",
        PersonName::parse(&request.first_name),
        |error| error.code(),
    );
    let last_name = validation.check(
        "last_name",
        PersonName::parse(&request.last_name),
        |error| error.code(),
    );
    let mobile = match request.mobile.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => validation.check("mobile", MobileNumber::parse(raw), |error| error.code()),
    };

    match (personnummer, email, first_name, last_name) {
        (Some(personnummer), Some(email), Some(first_name), Some(last_name))
            if validation.is_valid() =>
        {
            Ok(SwedishRegistration {
                personnummer,
                email,
                first_name,
                last_name,
                mobile,
                language: language_of(request.language.unwrap_or_default()),
                device: request.device,
            })
        }
        _ => Err(validation
            .finish()
            .err()
            .unwrap_or(ApiError::Validation(Vec::new()))),
    }
}

/// Builds the text the BankID app shows for the registration, in the person's language.
fn registration_text(registration: &SwedishRegistration) -> String {
    let name = format!(
        "{} {}",
        registration.first_name.as_str(),
        registration.last_name.as_str()
    );
    let masked = registration.personnummer.masked();
    let email = registration.email.as_str();
    match registration.language {
        Language::Swedish => format!(
            "Jag registrerar ett personkonto i IncertOnline för {name} ({masked}) med e-postadressen {email}."
        ),
        Language::English => format!(
            "I am registering a personal account in IncertOnline for {name} ({masked}) with the email address {email}."
        ),
    }
}

/// Starts a BankID sign order that only the holder of the entered personnummer can sign, and
/// stores it with the registration data.
pub async fn start_registration(
    state: &AppState,
    registration: SwedishRegistration,
    end_user_ip: IpAddr,
) -> Result<BankIdOrderStarted, ApiError> {
    let mut request = SignRequest::new(end_user_ip, registration_text(&registration));
    request.requirement = Some(Requirement {
        personal_number: Some(registration.personnummer),
        ..Requirement::default()
    });
    let response = state
        .bankid
        .client
        .sign(&request)
        .await
        .map_err(|error| unavailable("sign", &error))?;

    let sealed_personnummer = state
        .personnummer_vault
        .seal(&registration.personnummer.to_long())
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let now = state.clock.now().naive_utc();
    let order = BankIdOrder {
        id: uuid::Uuid::new_v4().to_string(),
        purpose: OrderPurpose::Registration.as_str().to_owned(),
        device: device_name(registration.device).to_owned(),
        order_ref: response.order_ref,
        qr_start_token: response.qr_start_token,
        qr_start_secret: response.qr_start_secret.expose().to_owned(),
        auto_start_token: response.auto_start_token,
        created_at: now,
        status: status_name(BankIdOrderStatus::Pending).to_owned(),
        hint_code: None,
        failure_code: None,
        is_final: false,
        completed_at: None,
        collecting_until: None,
        first_name: Some(registration.first_name.as_str().to_owned()),
        last_name: Some(registration.last_name.as_str().to_owned()),
        email: Some(registration.email.as_str().to_owned()),
        mobile: registration
            .mobile
            .as_ref()
            .map(|mobile| mobile.as_e164().to_owned()),
        language: registration.language.tag().to_owned(),
        personnummer: Some(sealed_personnummer),
        account_id: None,
        tokens_issued_at: None,
    };
    let id = order.id.clone();
    state
        .database
        .run(move |connection| bankid_orders::insert(connection, &order).map_err(super::storage))
        .await?;
    tracing::info!(
        order_id = %id,
        personnummer = %registration.personnummer.masked(),
        "BankID registration order started"
    );
    Ok(BankIdOrderStarted {
        id,
        status: BankIdOrderStatus::Pending,
    })
}

/// Kind of browser the person uses, for choosing launch links and messages.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub language: Language,
    pub device: DeviceKind,
}

/// Returns the order's current state, collecting it from BankID first unless it is final or
/// another request is collecting it; then the last stored result is returned.
pub async fn poll_order(
    state: &AppState,
    purpose: OrderPurpose,
    id: &str,
    viewer: Viewer,
    origin: Origin,
) -> Result<BankIdOrderState, ApiError> {
    let order = load_order(state, purpose, id).await?;
    if order.is_final {
        return Ok(order_state(&order, viewer, state.clock.now(), None));
    }
    let now = state.clock.now();
    let claimed = {
        let id = order.id.clone();
        let now = now.naive_utc();
        state
            .database
            .run(move |connection| {
                bankid_orders::claim_collect(connection, &id, now, now + COLLECT_LEASE)
                    .map_err(super::storage)
            })
            .await?
    };
    if !claimed {
        let order = load_order(state, purpose, id).await?;
        return Ok(order_state(&order, viewer, state.clock.now(), None));
    }

    let error_message = match collect(state, &order, origin).await {
        Ok(()) => None,
        Err(CollectFailure::BankId(error)) => {
            tracing::warn!(order_id = %order.id, %error, "BankID collect failed");
            release(state, &order.id).await?;
            Some(Rfa::for_error(&error))
        }
        Err(CollectFailure::Api(error)) => {
            release(state, &order.id).await?;
            return Err(error);
        }
    };
    let order = load_order(state, purpose, id).await?;
    Ok(order_state(
        &order,
        viewer,
        state.clock.now(),
        error_message,
    ))
}

enum CollectFailure {
    BankId(BankIdError),
    Api(ApiError),
}

impl From<ApiError> for CollectFailure {
    fn from(error: ApiError) -> Self {
        Self::Api(error)
    }
}

/// Collects the order once and stores the result. The caller holds the lease.
async fn collect(
    state: &AppState,
    order: &BankIdOrder,
    origin: Origin,
) -> Result<(), CollectFailure> {
    let response = match state.bankid.client.collect(&order.order_ref).await {
        Ok(response) => response,
        // BankID no longer has the order, for example because it ended long ago.
        Err(error) if error.error_code() == Some(&ErrorCode::NotFound) => {
            tracing::warn!(order_id = %order.id, "BankID does not know the order; it is marked as failed");
            finish(state, &order.id, BankIdOrderStatus::Failed, None, None).await?;
            return Ok(());
        }
        Err(error) => return Err(CollectFailure::BankId(error)),
    };
    let hint = response
        .hint_code
        .as_ref()
        .map(|hint| hint.as_str().to_owned());
    match response.status {
        CollectStatus::Pending => {
            let id = order.id.clone();
            state
                .database
                .run(move |connection| {
                    bankid_orders::record_pending(connection, &id, hint.as_deref())
                        .map_err(super::storage)
                })
                .await
                .map_err(ApiError::from)?;
        }
        CollectStatus::Failed => {
            tracing::info!(order_id = %order.id, hint_code = ?hint, "BankID order failed");
            finish(state, &order.id, BankIdOrderStatus::Failed, hint, None).await?;
        }
        CollectStatus::Complete => match response.completion_data {
            Some(completion) if order.purpose == OrderPurpose::Login.as_str() => {
                login::complete(state, order, &completion).await?;
            }
            Some(completion) => complete(state, order, &completion, origin).await?,
            None => {
                tracing::warn!(order_id = %order.id, "BankID order complete without completion data");
                finish(state, &order.id, BankIdOrderStatus::Failed, None, None).await?;
            }
        },
    }
    Ok(())
}

/// Checks that the signer is the person who entered the personnummer, then registers them
/// and ends the order in the same transaction.
async fn complete(
    state: &AppState,
    order: &BankIdOrder,
    completion: &CompletionData,
    origin: Origin,
) -> Result<(), ApiError> {
    let signed = completion.user.personal_number;
    let entered = order
        .personnummer
        .as_deref()
        .and_then(|sealed| state.personnummer_vault.open(sealed));
    if entered.as_deref() != Some(signed.to_long().as_str()) {
        tracing::warn!(
            order_id = %order.id,
            signed = %signed.masked(),
            "BankID signer differs from the entered personnummer; no account is created"
        );
        return finish(
            state,
            &order.id,
            BankIdOrderStatus::Failed,
            None,
            Some(PERSONNUMMER_MISMATCH),
        )
        .await;
    }

    let person = stored_person(order, signed)?;
    let id = order.id.clone();
    let now = state.clock.now().naive_utc();
    let outcome = register_person(state, person, origin, "bankid", move |connection| {
        let status = FinalStatus {
            status: status_name(BankIdOrderStatus::Complete),
            hint_code: None,
            failure_code: None,
            at: now,
        };
        if bankid_orders::finish(connection, &id, status)? {
            Ok(())
        } else {
            // The order was cancelled while it was collected, so nothing is registered.
            Err(diesel::result::Error::RollbackTransaction)
        }
    })
    .await;
    match outcome {
        Ok(created) => {
            tracing::info!(order_id = %order.id, created, "BankID registration handled");
            Ok(())
        }
        Err(error) => {
            let reloaded = load_order(state, OrderPurpose::Registration, &order.id).await?;
            if reloaded.is_final {
                Ok(())
            } else {
                Err(error)
            }
        }
    }
}

/// Rebuilds the validated registration from the stored order.
fn stored_person(order: &BankIdOrder, personnummer: Personnummer) -> Result<NewPerson, ApiError> {
    let invalid =
        |field: &str| ApiError::Internal(format!("stored BankID order has an invalid {field}"));
    let email =
        Email::parse(order.email.as_deref().unwrap_or_default()).map_err(|_| invalid("email"))?;
    let first_name = PersonName::parse(order.first_name.as_deref().unwrap_or_default())
        .map_err(|_| invalid("first name"))?;
    let last_name = PersonName::parse(order.last_name.as_deref().unwrap_or_default())
        .map_err(|_| invalid("last name"))?;
    let mobile = match order.mobile.as_deref() {
        Some(raw) => Some(MobileNumber::parse(raw).map_err(|_| invalid("mobile"))?),
        None => None,
    };
    Ok(NewPerson {
        email,
        first_name,
        last_name,
        birth_date: personnummer.birth_date().known(),
        personnummer: Some(personnummer.to_long()),
        mobile,
        language: stored_language(&order.language),
    })
}

/// Cancels the order at BankID and marks it cancelled. An order that has already ended is
/// returned as it is.
pub async fn cancel_order(
    state: &AppState,
    purpose: OrderPurpose,
    id: &str,
    viewer: Viewer,
) -> Result<BankIdOrderState, ApiError> {
    let order = load_order(state, purpose, id).await?;
    if !order.is_final {
        match state.bankid.client.cancel(&order.order_ref).await {
            Ok(()) => {}
            // BankID returns this error for an order that has already ended.
            Err(error)
                if matches!(
                    error.error_code(),
                    Some(ErrorCode::NotFound | ErrorCode::InvalidParameters)
                ) => {}
            Err(error) => return Err(unavailable("cancel", &error)),
        }
        finish(state, &order.id, BankIdOrderStatus::Cancelled, None, None).await?;
        tracing::info!(order_id = %order.id, purpose = purpose.as_str(), "BankID order cancelled");
    }
    let order = load_order(state, purpose, id).await?;
    Ok(order_state(&order, viewer, state.clock.now(), None))
}

async fn load_order(
    state: &AppState,
    purpose: OrderPurpose,
    id: &str,
) -> Result<BankIdOrder, ApiError> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(ApiError::NotFound);
    }
    let id = id.to_owned();
    let order = state
        .database
        .run(move |connection| bankid_orders::find(connection, &id).map_err(super::storage))
        .await?;
    order
        .filter(|order| order.purpose == purpose.as_str())
        .ok_or(ApiError::NotFound)
}

async fn release(state: &AppState, id: &str) -> Result<(), ApiError> {
    let id = id.to_owned();
    state
        .database
        .run(move |connection| bankid_orders::release(connection, &id).map_err(super::storage))
        .await?;
    Ok(())
}

async fn finish(
    state: &AppState,
    id: &str,
    status: BankIdOrderStatus,
    hint_code: Option<String>,
    failure_code: Option<&'static str>,
) -> Result<(), ApiError> {
    let id = id.to_owned();
    let at = state.clock.now().naive_utc();
    state
        .database
        .run(move |connection| {
            let status = FinalStatus {
                status: status_name(status),
                hint_code: hint_code.as_deref(),
                failure_code,
                at,
            };
            bankid_orders::finish(connection, &id, status).map_err(super::storage)
        })
        .await?;
    Ok(())
}

/// Turns a failed BankID call into a problem response: 409 when BankID already has an order
/// in progress for the person, otherwise 503. The error is logged when the response is
/// rendered and never sent to the client.
fn unavailable(endpoint: &str, error: &BankIdError) -> ApiError {
    if matches!(error.error_code(), Some(ErrorCode::AlreadyInProgress)) {
        return ApiError::BankIdAlreadyInProgress;
    }
    ApiError::Unavailable(format!("BankID {endpoint} failed: {error}"))
}

/// Builds the client's view of an order. The QR start secret stays on the server: only the
/// QR code data of the current second is returned.
fn order_state(
    order: &BankIdOrder,
    viewer: Viewer,
    now: DateTime<Utc>,
    error_message: Option<Rfa>,
) -> BankIdOrderState {
    let status = parse_status(&order.status);
    let hint = order.hint_code.as_deref().map(HintCode::parse);
    let other_device = order.device == device_name(BankIdDevice::OtherDevice);
    let start = if other_device {
        StartMethod::QrCode
    } else {
        StartMethod::AutoStart
    };
    let pending = status == BankIdOrderStatus::Pending;
    let rfa = error_message.or(match status {
        BankIdOrderStatus::Pending => {
            Rfa::for_collect(CollectStatus::Pending, hint.as_ref(), start, viewer.device)
        }
        BankIdOrderStatus::Failed if order.failure_code.is_some() => Some(Rfa::Rfa22),
        BankIdOrderStatus::Failed => {
            Rfa::for_collect(CollectStatus::Failed, hint.as_ref(), start, viewer.device)
        }
        BankIdOrderStatus::Cancelled => Some(Rfa::Rfa3),
        BankIdOrderStatus::Complete => None,
    });
    let language = match viewer.language {
        Language::Swedish => RfaLanguage::Swedish,
        Language::English => RfaLanguage::English,
    };
    let portal_failure = matches!(
        order.failure_code.as_deref(),
        Some(PERSONNUMMER_MISMATCH | login::NO_ACCOUNT)
    );
    let message = match (order.failure_code.as_deref(), viewer.language) {
        (Some(PERSONNUMMER_MISMATCH), Language::Swedish) => Some(
            "Personnumret i BankID stämmer inte med det personnummer du angav. Inget konto har skapats."
                .to_owned(),
        ),
        (Some(PERSONNUMMER_MISMATCH), Language::English) => Some(
            "The personal identity number in BankID differs from the one you entered. No account was created."
                .to_owned(),
        ),
        (Some(login::NO_ACCOUNT), Language::Swedish) => Some(
            "Det finns inget konto med ditt personnummer. Registrera dig först.".to_owned(),
        ),
        (Some(login::NO_ACCOUNT), Language::English) => Some(
            "No account has your personal identity number. Register first.".to_owned(),
        ),
        _ => rfa.map(|rfa| rfa.text(language).to_owned()),
    };
    BankIdOrderState {
        id: order.id.clone(),
        status,
        hint_code: order.hint_code.clone(),
        failure_code: order.failure_code.clone(),
        message,
        message_code: rfa
            .filter(|_| !portal_failure)
            .map(|rfa| rfa.code().to_owned()),
        launch_link: (pending && !other_device)
            .then(|| launch_link(&order.auto_start_token, viewer.device, None)),
        qr_data: (pending && other_device).then(|| qr_data(order, now)),
    }
}

fn qr_data(order: &BankIdOrder, now: DateTime<Utc>) -> String {
    let qr = AnimatedQr {
        qr_start_token: order.qr_start_token.clone(),
        qr_start_secret: QrStartSecret::new(order.qr_start_secret.clone()),
        order_created_at: naive_to_utc(order.created_at),
    };
    qr.data_at(now)
}

fn naive_to_utc(time: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(time, Utc)
}

fn device_name(device: BankIdDevice) -> &'static str {
    match device {
        BankIdDevice::ThisDevice => "this_device",
        BankIdDevice::OtherDevice => "other_device",
    }
}

fn status_name(status: BankIdOrderStatus) -> &'static str {
    match status {
        BankIdOrderStatus::Pending => "pending",
        BankIdOrderStatus::Complete => "complete",
        BankIdOrderStatus::Failed => "failed",
        BankIdOrderStatus::Cancelled => "cancelled",
    }
}

fn parse_status(status: &str) -> BankIdOrderStatus {
    match status {
        "complete" => BankIdOrderStatus::Complete,
        "failed" => BankIdOrderStatus::Failed,
        "cancelled" => BankIdOrderStatus::Cancelled,
        _ => BankIdOrderStatus::Pending,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use incert_bankid::{BankIdClient, ClientConfig, TEST_BASE_URL};

    use super::tls_config;
    use crate::config::Secret;

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../bankid/tests/bankid/fixtures")
            .join(name)
    }

    #[test]
    fn pkcs12_certificate_builds_client() {
        let password = Secret::new("test-password");
        let tls = tls_config(
            &fixture("modern.p12"),
            Some(&password),
            &fixture("root-ca.pem"),
        );
        let mut config = ClientConfig::new(TEST_BASE_URL);
        config.tls = tls.ok();
        assert!(config.tls.is_some());
        assert!(BankIdClient::new(&config).is_ok());
    }

    #[test]
    fn pkcs12_wrong_password_named() {
        let password = Secret::new("not-the-password");
        let error = tls_config(
            &fixture("legacy.p12"),
            Some(&password),
            &fixture("root-ca.pem"),
        )
        .err()
        .map(|error| error.to_string())
        .unwrap_or_default();
        assert!(error.contains("wrong password"), "{error}");
        assert!(!error.contains("not-the-password"), "{error}");
    }

    #[test]
    fn pem_certificate_still_read() {
        let tls = tls_config(&fixture("client.pem"), None, &fixture("root-ca.pem"));
        assert!(tls.is_ok());
    }
}
