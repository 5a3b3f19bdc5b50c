//! Signed-in people and staff for tests of the certification side.

use diesel::prelude::*;
use incert_api::storage::StorageError;
use incert_api::storage::schema::accounts;
use serde_json::Value;

use crate::auth::{NEW_PASSWORD, first_login, unique_email};
use crate::helpers::{TestApp, json_body};

/// A registered account with a full access token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub email: String,
    /// Public id of the account.
    pub id: String,
    pub token: String,
}

/// Registers a person (other citizenship, born 1980-01-01), logs in and replaces the
/// first-time password. Needs a server with mail delivery ([`TestApp::spawn_with_mail`]).
pub async fn signed_in_person(app: &TestApp, label: &str) -> SignedIn {
    let email = unique_email(label);
    let (initial, restricted) = first_login(app, &email).await;
    let restricted = restricted["access_token"]
        .as_str()
        .expect("restricted token")
        .to_owned();
    let response = app
        .client
        .put(app.url("/api/v1/me/password"))
        .bearer_auth(&restricted)
        .json(&serde_json::json!({"current_password": initial, "new_password": NEW_PASSWORD}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let token = json_body(response).await["access_token"]
        .as_str()
        .expect("full token")
        .to_owned();
    let me: Value = json_body(
        app.client
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("request"),
    )
    .await;
    SignedIn {
        email,
        id: me["id"].as_str().expect("id").to_owned(),
        token,
    }
}

/// Registers an account as [`signed_in_person`] does and gives it a staff role
/// (`case_officer` or `administrator`). The role is in the access token, so the account
/// signs in again afterwards.
pub async fn signed_in_staff(app: &TestApp, role: &str) -> SignedIn {
    let person = signed_in_person(app, role).await;
    let email_key = person.email.to_lowercase();
    let role = role.to_owned();
    app.database()
        .run(move |connection| {
            diesel::update(accounts::table.filter(accounts::email_key.eq(email_key)))
                .set(accounts::role.eq(role))
                .execute(connection)?;
            Ok::<_, StorageError>(())
        })
        .await
        .expect("role set");
    let token = login_again(app, &person.email).await;
    SignedIn { token, ..person }
}

/// Gives an account a personnummer (`YYYYMMDD-NNNN`), sealed as registration through BankID
/// stores it.
pub async fn give_personnummer(app: &TestApp, person: &SignedIn, personnummer: &str) {
    let long_form = personnummer.replace('-', "");
    let sealed = app
        .state
        .personnummer_vault
        .seal(&long_form)
        .expect("sealed personnummer");
    let hash = app.state.personnummer_vault.lookup_hash(&long_form);
    let email_key = person.email.to_lowercase();
    app.database()
        .run(move |connection| {
            diesel::update(accounts::table.filter(accounts::email_key.eq(email_key)))
                .set((
                    accounts::personnummer.eq(Some(sealed)),
                    accounts::personnummer_hash.eq(Some(hash)),
                    accounts::birth_date.eq(None::<chrono::NaiveDate>),
                ))
                .execute(connection)?;
            Ok::<_, StorageError>(())
        })
        .await
        .expect("personnummer set");
}

/// Logs in with the new password and a fresh code and returns the access token.
pub async fn login_again(app: &TestApp, email: &str) -> String {
    let sent_before = crate::mailbox::messages_to(&crate::mailbox::shared_inbox(), email)
        .into_iter()
        .filter(|mail| mail.text().contains("Använd den här koden"))
        .count();
    let challenge = crate::auth::start_login(app, email, NEW_PASSWORD).await;
    let code = crate::auth::code_number(email, sent_before + 1).await;
    let response = crate::auth::submit_code(app, &challenge, &code).await;
    assert_eq!(response.status(), 200);
    json_body(response).await["access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}
