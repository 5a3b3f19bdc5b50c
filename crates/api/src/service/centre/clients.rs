//! Examination centres and their OAuth2 client credentials, managed by administrators and by
//! the `incert create-centre-client` command.

use chrono::NaiveDateTime;
use incert_contract::centre::{CentreClient, CentreClientCredentials, ExaminationCentre};
use rand::Rng as _;
use rand::rand_core::UnwrapErr;
use rand::rngs::SysRng;

use super::{optional_text, required_text, utc};
use crate::http::error::{ApiError, FieldIssue};
use crate::security::secrets::{CodeHasher, generate_token};
use crate::service::{Validation, deliverable_email};
use crate::storage::audit::{self, Origin, event};
use crate::storage::centres::{self, Centre, NewCentre, NewCentreClient};
use crate::storage::{Database, DbConnection, accounts};

/// Purpose under which [`CodeHasher`] hashes client secrets, bound to the client id.
pub const CLIENT_SECRET_PURPOSE: &str = "centre_client_secret";

/// Prefix of every client id, so a client id is recognisable in logs and support requests.
const CLIENT_ID_PREFIX: &str = "centre_";

/// Random bytes after the prefix of a client id, written as 16 hex characters.
const CLIENT_ID_RANDOM_BYTES: usize = 8;

/// Staff member or command line behind a change, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    /// Public id of the staff account; None for the command line.
    pub account: Option<String>,
    pub origin: Origin,
}

/// Validated details of a new centre.
#[derive(Debug, Clone)]
pub struct CentreDetails {
    pub name: String,
    pub contact_email: Option<String>,
}

/// Checks the name (1–200 characters) and the optional contact address of a new centre.
pub fn validate_centre(name: &str, contact_email: Option<&str>) -> Result<CentreDetails, ApiError> {
    let mut validation = Validation::default();
    let name = required_text(&mut validation, "name", name);
    let contact_email = match contact_email
        .map(str::trim)
        .filter(|email| !email.is_empty())
    {
        Some(raw) => deliverable_email(&mut validation, "contact_email", raw)
            .map(|email| Some(email.as_str().to_owned())),
        None => Some(None),
    };
    validation.finish()?;
    match (name, contact_email) {
        (Some(name), Some(contact_email)) => Ok(CentreDetails {
            name,
            contact_email,
        }),
        _ => Err(ApiError::Validation(Vec::new())),
    }
}

/// Generates a client id: `centre_` and 16 random hex characters.
///
/// # Panics
///
/// Panics if the operating system's random number generator fails.
fn generate_client_id() -> String {
    let mut bytes = [0_u8; CLIENT_ID_RANDOM_BYTES];
    UnwrapErr(SysRng).fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{CLIENT_ID_PREFIX}{hex}")
}

/// Returns the row id of the acting staff account, if any.
fn actor_account_id(connection: &mut DbConnection, actor: &Actor) -> Result<Option<i64>, ApiError> {
    match &actor.account {
        Some(public_id) => Ok(Some(
            accounts::find_by_public_id(connection, public_id)?
                .ok_or(ApiError::AuthenticationRequired)?
                .id,
        )),
        None => Ok(None),
    }
}

fn to_contract_client(client: &centres::CentreClient) -> CentreClient {
    CentreClient {
        client_id: client.client_id.clone(),
        label: client.label.clone(),
        created_at: utc(client.created_at),
        last_used_at: client.last_used_at.map(utc),
        revoked_at: client.revoked_at.map(utc),
    }
}

fn to_contract_centre(centre: Centre, clients: &[centres::CentreClient]) -> ExaminationCentre {
    ExaminationCentre {
        clients: clients
            .iter()
            .filter(|client| client.centre_id == centre.id)
            .map(to_contract_client)
            .collect(),
        id: centre.public_id,
        name: centre.name,
        contact_email: centre.contact_email,
        created_at: utc(centre.created_at),
    }
}

/// Inserts a centre and records who created it, in the caller's transaction.
fn insert_centre(
    connection: &mut DbConnection,
    details: &CentreDetails,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Centre, ApiError> {
    let centre = NewCentre {
        public_id: uuid::Uuid::new_v4().to_string(),
        name: details.name.clone(),
        contact_email: details.contact_email.clone(),
        created_at: now,
    };
    let id = centres::insert_centre(connection, &centre)?;
    let actor_id = actor_account_id(connection, actor)?;
    let detail = format!("centre {}", centre.public_id);
    audit::record(
        connection,
        event::CENTRE_CREATED,
        actor_id,
        &actor.origin,
        Some(&detail),
        now,
    )?;
    Ok(Centre {
        id,
        public_id: centre.public_id,
        name: centre.name,
        contact_email: centre.contact_email,
        created_at: now,
        retired_at: None,
    })
}

/// Creates a centre. Names are unique, so staff cannot mix two centres up.
// NOTE: no database constraint backs the unique name, so two concurrent requests with the
// same name can both succeed.
pub async fn create_centre(
    database: &Database,
    details: CentreDetails,
    actor: Actor,
    now: NaiveDateTime,
) -> Result<ExaminationCentre, ApiError> {
    let centre = database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                if centres::find_centre_by_name(transaction, &details.name)?.is_some() {
                    return Err(ApiError::Validation(vec![FieldIssue::new(
                        "name",
                        "centre_name_taken",
                    )]));
                }
                insert_centre(transaction, &details, &actor, now)
            })
        })
        .await?;
    Ok(to_contract_centre(centre, &[]))
}

/// Lists every centre with its client credentials.
pub async fn list_centres(database: &Database) -> Result<Vec<ExaminationCentre>, ApiError> {
    let (centres, clients) = database
        .run(|connection| {
            let centres = centres::centres(connection)?;
            let ids: Vec<i64> = centres.iter().map(|centre| centre.id).collect();
            let clients = centres::clients_of_centres(connection, &ids)?;
            Ok::<_, ApiError>((centres, clients))
        })
        .await?;
    Ok(centres
        .into_iter()
        .map(|centre| to_contract_centre(centre, &clients))
        .collect())
}

/// Centre of new credentials: an existing centre, or one found or created by name.
#[derive(Debug, Clone)]
pub enum CentreChoice {
    PublicId(String),
    /// The command line's choice: the centre of this name, created when none exists.
    NameOrNew(CentreDetails),
}

/// Creates client credentials for a centre and returns the secret, which is stored only as a
/// keyed hash and cannot be shown again.
pub async fn create_client(
    database: &Database,
    hasher: &CodeHasher,
    choice: CentreChoice,
    label: Option<&str>,
    actor: Actor,
    now: NaiveDateTime,
) -> Result<CentreClientCredentials, ApiError> {
    let mut validation = Validation::default();
    let label = optional_text(&mut validation, "label", label.unwrap_or_default());
    validation.finish()?;
    let label = label.unwrap_or_default();
    let client_id = generate_client_id();
    let client_secret = generate_token();
    let secret_hash = hasher.hash(CLIENT_SECRET_PURPOSE, &client_id, &client_secret);
    let client = NewCentreClient {
        client_id,
        centre_id: 0,
        secret_hash,
        label,
        created_at: now,
    };

    let (client, centre) = database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let centre = match &choice {
                    CentreChoice::PublicId(public_id) => {
                        centres::find_centre_by_public_id(transaction, public_id)?
                            .ok_or(ApiError::NotFound)?
                    }
                    CentreChoice::NameOrNew(details) => {
                        match centres::find_centre_by_name(transaction, &details.name)? {
                            Some(centre) => centre,
                            None => insert_centre(transaction, details, &actor, now)?,
                        }
                    }
                };
                let client = NewCentreClient {
                    centre_id: centre.id,
                    ..client
                };
                centres::insert_client(transaction, &client)?;
                let actor_id = actor_account_id(transaction, &actor)?;
                let detail = format!("centre {} client {}", centre.public_id, client.client_id);
                audit::record(
                    transaction,
                    event::CENTRE_CLIENT_CREATED,
                    actor_id,
                    &actor.origin,
                    Some(&detail),
                    now,
                )?;
                Ok::<_, ApiError>((client, centre))
            })
        })
        .await?;

    Ok(CentreClientCredentials {
        client_id: client.client_id,
        client_secret,
        centre_id: centre.public_id,
        label: client.label,
        created_at: utc(now),
    })
}

/// Revokes client credentials; their tokens stop working at once. Revoking again changes
/// nothing and returns the credentials as they are.
pub async fn revoke_client(
    database: &Database,
    client_id: String,
    actor: Actor,
    now: NaiveDateTime,
) -> Result<CentreClient, ApiError> {
    let client = database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let (client, revoked_now) = centres::revoke_client(transaction, &client_id, now)?
                    .ok_or(ApiError::NotFound)?;
                if revoked_now {
                    let actor_id = actor_account_id(transaction, &actor)?;
                    let detail = format!("client {client_id}");
                    audit::record(
                        transaction,
                        event::CENTRE_CLIENT_REVOKED,
                        actor_id,
                        &actor.origin,
                        Some(&detail),
                        now,
                    )?;
                }
                Ok::<_, ApiError>(client)
            })
        })
        .await?;
    Ok(to_contract_client(&client))
}
