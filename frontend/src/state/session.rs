//! The signed-in session: the access token in memory and its renewal through the refresh
//! cookie.
//!
//! The access token lives only in a signal, so it is gone when the page closes. The refresh
//! token never reaches this code: the API keeps it in an HttpOnly cookie scoped to
//! `/api/v1/auth`, and the browser sends it with the same-origin refresh request that restores
//! the session after a reload.

use std::cell::RefCell;
use std::future::Future;

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use incert_client::contract::account::Me;
use incert_client::contract::auth::{AccessScope, RefreshRequest, TokenResponse};
use incert_client::{Client, ClientError, ErrorCode};
use leptos::prelude::*;

use crate::language::{I18n, preferred_language};

type PendingRefresh = Shared<LocalBoxFuture<'static, Result<TokenResponse, ClientError>>>;

thread_local! {
    /// The refresh in flight. Every caller awaits the same one, because the API rotates the
    /// refresh token on each use and ends the session when a used token comes back.
    static PENDING_REFRESH: RefCell<Option<PendingRefresh>> = const { RefCell::new(None) };
}

/// The session state, shared through the Leptos context.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    access_token: RwSignal<Option<String>>,
    scope: RwSignal<Option<AccessScope>>,
    /// The signed-in person's account, once loaded.
    pub me: RwSignal<Option<Me>>,
    /// True while the start-up refresh runs, so guarded pages wait instead of redirecting.
    pub restoring: RwSignal<bool>,
    i18n: I18n,
}

impl Session {
    /// Creates a signed-out session and provides it as context.
    pub fn provide(i18n: I18n) -> Self {
        let session = Self {
            access_token: RwSignal::new(None),
            scope: RwSignal::new(None),
            me: RwSignal::new(None),
            restoring: RwSignal::new(true),
            i18n,
        };
        provide_context(session);
        session
    }

    /// Returns a client of the page's own origin in the current language, without a token.
    pub fn anonymous_client(&self) -> Result<Client, ClientError> {
        let origin = web_sys::window()
            .and_then(|window| window.location().origin().ok())
            .unwrap_or_default();
        let language = preferred_language(self.i18n.get_locale_untracked());
        Ok(Client::new(&origin)?.with_language(language))
    }

    /// Returns a client that sends the current access token, when there is one.
    pub fn client(&self) -> Result<Client, ClientError> {
        let mut client = self.anonymous_client()?;
        if let Some(token) = self.access_token.get_untracked() {
            client.set_access_token(token);
        }
        Ok(client)
    }

    /// Returns whether a person is signed in, with a full or a password-change token.
    pub fn is_signed_in(&self) -> bool {
        self.scope.get().is_some()
    }

    /// Returns whether the person must replace the first-time password before anything else.
    pub fn must_change_password(&self) -> bool {
        self.scope.get() == Some(AccessScope::PasswordChange)
    }

    /// Stores the tokens of a login, refresh or password change.
    pub fn start(&self, tokens: TokenResponse) {
        self.scope.set(Some(tokens.scope));
        self.access_token.set(Some(tokens.access_token));
    }

    /// Forgets the access token and the account, such as after a logout.
    pub fn clear(&self) {
        self.access_token.set(None);
        self.scope.set(None);
        self.me.set(None);
    }

    /// Calls the API with the access token. When the token has expired or was rejected, renews
    /// it once through the refresh cookie and repeats the call.
    ///
    /// The API rejects the unexpired token of a session that was logged out from another
    /// device. Its refresh cookie is rejected too, which ends the session here, so the page
    /// guard sends the person to the login.
    pub async fn call<T, F, Fut>(&self, call: F) -> Result<T, ClientError>
    where
        F: Fn(Client) -> Fut,
        Fut: Future<Output = Result<T, ClientError>>,
    {
        let result = call(self.client()?).await;
        match result {
            Err(error)
                if matches!(
                    error.code(),
                    Some(ErrorCode::TokenExpired | ErrorCode::AuthenticationRequired)
                ) =>
            {
                self.refresh().await?;
                call(self.client()?).await
            }
            other => other,
        }
    }

    /// Exchanges the refresh cookie for a new access token. A rejected cookie ends the session.
    pub async fn refresh(&self) -> Result<(), ClientError> {
        let pending = PENDING_REFRESH.with(|slot| {
            let mut slot = slot.borrow_mut();
            match slot.as_ref() {
                Some(pending) => pending.clone(),
                None => {
                    let client = self.anonymous_client();
                    let future =
                        async move { client?.refresh_tokens(&RefreshRequest::default()).await }
                            .boxed_local()
                            .shared();
                    *slot = Some(future.clone());
                    future
                }
            }
        });
        let result = pending.await;
        PENDING_REFRESH.with(|slot| slot.borrow_mut().take());

        match result {
            Ok(tokens) => {
                self.start(tokens);
                Ok(())
            }
            Err(error) => {
                if error.code() == Some(ErrorCode::InvalidRefreshToken) {
                    self.clear();
                }
                Err(error)
            }
        }
    }

    /// Loads the signed-in person's account into [`Session::me`].
    pub async fn load_me(&self) -> Result<Me, ClientError> {
        let me = self.call(|client| async move { client.me().await }).await?;
        self.me.set(Some(me.clone()));
        Ok(me)
    }

    /// Restores the session after a page load from the refresh cookie, when the browser has
    /// one. Without a cookie the person stays signed out.
    pub async fn restore(&self) {
        if self.refresh().await.is_ok() {
            // The person counts as signed in even when this fails; pages load what they need.
            let _ = self.load_me().await;
        }
        self.restoring.set(false);
    }

    /// Ends the session on the server, which also clears the refresh cookie, and clears the
    /// access token. The local state is cleared even when the server cannot be reached.
    pub async fn log_out(&self) {
        if let Ok(client) = self.client() {
            let _ = client.logout(&RefreshRequest::default()).await;
        }
        self.clear();
    }
}

/// Returns the session provided by [`Session::provide`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}
