//! Login with BankID: an auth order that anyone can complete, matched to an account by the
//! personnummer of the person who completed it.

use std::net::IpAddr;

use chrono::TimeDelta;
use incert_bankid::{AuthRequest, CompletionData};
use incert_contract::ErrorCode;
use incert_contract::bankid::{BankIdDevice, BankIdOrderStarted, BankIdOrderStatus};

use super::{OrderPurpose, device_name, finish, status_name, unavailable};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::i18n::Language;
use crate::security::secrets::{generate_token, hash_token};
use crate::service::login::{Tokens, issue, new_session, session_lifetime};
use crate::storage::accounts;
use crate::storage::audit::{self, Origin, event};
use crate::storage::bankid_orders::{self, BankIdOrder};
use crate::storage::{StorageError, sessions};

/// `failure_code` of a completed login order whose personnummer belongs to no account.
pub const NO_ACCOUNT: &str = "bankid_no_account";

/// How long after a login order completes its tokens can be fetched.
const TOKEN_WINDOW: TimeDelta = TimeDelta::minutes(5);

/// Audit detail of a login through BankID.
const AUDIT_DETAIL: &str = "bankid";

/// Starts a BankID auth order for logging in. The order requires no personnummer, because
/// the account is found from the personnummer of the person who completes it.
pub async fn start_login(
    state: &AppState,
    device: BankIdDevice,
    language: Language,
    end_user_ip: IpAddr,
) -> Result<BankIdOrderStarted, ApiError> {
    let response = state
        .bankid
        .client
        .auth(&AuthRequest::new(end_user_ip))
        .await
        .map_err(|error| unavailable("auth", &error))?;

    let order = BankIdOrder {
        id: uuid::Uuid::new_v4().to_string(),
        purpose: OrderPurpose::Login.as_str().to_owned(),
        device: device_name(device).to_owned(),
        order_ref: response.order_ref,
        qr_start_token: response.qr_start_token,
        qr_start_secret: response.qr_start_secret.expose().to_owned(),
        auto_start_token: response.auto_start_token,
        created_at: state.clock.now().naive_utc(),
        status: status_name(BankIdOrderStatus::Pending).to_owned(),
        hint_code: None,
        failure_code: None,
        is_final: false,
        completed_at: None,
        collecting_until: None,
        first_name: None,
        last_name: None,
        email: None,
        mobile: None,
        language: language.tag().to_owned(),
        personnummer: None,
        account_id: None,
        tokens_issued_at: None,
    };
    let id = order.id.clone();
    state
        .database
        .run(move |connection| {
            bankid_orders::insert(connection, &order).map_err(StorageError::from)
        })
        .await?;
    tracing::info!(order_id = %id, "BankID login order started");
    Ok(BankIdOrderStarted {
        id,
        status: BankIdOrderStatus::Pending,
    })
}

/// Ends a completed login order: complete for the account with the signed personnummer, or
/// failed with [`NO_ACCOUNT`] when no account has it.
pub(super) async fn complete(
    state: &AppState,
    order: &BankIdOrder,
    completion: &CompletionData,
) -> Result<(), ApiError> {
    let personnummer = completion.user.personal_number;
    let lookup_hash = state
        .personnummer_vault
        .lookup_hash(&personnummer.to_long());
    let id = order.id.clone();
    let at = state.clock.now().naive_utc();
    let account_id = state
        .database
        .run(move |connection| {
            let account = bankid_orders::find_account_by_personnummer(connection, &lookup_hash)?;
            if let Some(account) = &account {
                bankid_orders::complete_login(connection, &id, account.id, at)?;
            }
            Ok::<_, StorageError>(account.map(|account| account.id))
        })
        .await?;

    if account_id.is_some() {
        tracing::info!(order_id = %order.id, "BankID login order completed");
        return Ok(());
    }
    tracing::info!(
        order_id = %order.id,
        personnummer = %personnummer.masked(),
        "BankID login by a personnummer without account"
    );
    finish(
        state,
        &order.id,
        BankIdOrderStatus::Failed,
        None,
        Some(NO_ACCOUNT),
    )
    .await
}

/// Opens a session for the account of a completed login order, like a login with an emailed
/// code. Each order yields tokens once, within [`TOKEN_WINDOW`] of completing. A call made
/// before a status poll has seen the order end fails with `bankid_order_not_complete`, and
/// any other call with `login_challenge_ended`.
pub async fn fetch_login_tokens(
    state: &AppState,
    id: &str,
    origin: Origin,
) -> Result<Tokens, ApiError> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(ApiError::NotFound);
    }
    let now = state.clock.now();
    let naive_now = now.naive_utc();
    let refresh_token = generate_token();
    let token_hash = hash_token(&refresh_token);
    let lifetime = session_lifetime(state);
    let id = id.to_owned();

    let (account, session) = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let Some(order) = bankid_orders::find(transaction, &id)?
                    .filter(|order| order.purpose == OrderPurpose::Login.as_str())
                else {
                    return Err(ApiError::NotFound);
                };
                let Some(account_id) = bankid_orders::claim_login_tokens(
                    transaction,
                    &order.id,
                    naive_now - TOKEN_WINDOW,
                    naive_now,
                )?
                else {
                    // An order that BankID has completed stays pending here until a status
                    // poll collects it, so the caller may still get tokens after polling.
                    if !order.is_final {
                        return Err(ApiError::Conflict(ErrorCode::BankIdOrderNotComplete));
                    }
                    return Err(ApiError::LoginChallengeEnded);
                };
                let account = accounts::find(transaction, account_id)?;
                // NOTE: unlike the password login, this does not reject an account whose
                // first-time password has expired. Its session is restricted all the same.
                let session = new_session(lifetime, &account, &origin, naive_now);
                sessions::insert_session(transaction, &session, &token_hash)?;
                audit::record(
                    transaction,
                    event::LOGIN_SUCCEEDED,
                    Some(account.id),
                    &origin,
                    Some(AUDIT_DETAIL),
                    naive_now,
                )?;
                Ok((account, session))
            })
        })
        .await?;

    issue(state, &account, &session, refresh_token, now)
}
