//! Starting and stopping the server with its background worker.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use incert_domain::PasswordPolicy;
use tokio::sync::watch;

use crate::clock::Clock;
use crate::config::{Secret, Settings};
use crate::http::{self, AppState};
use crate::mail::transport::Transport;
use crate::mail::worker::{MailWorker, WorkerSettings};
use crate::mail::{InvalidSender, Mailer};
use crate::security::passwords::{HashParams, PasswordHasher};
use crate::security::secrets::{CodeHasher, load_or_create_master_key};
use crate::security::tokens::TokenIssuer;
use crate::security::vault::PersonnummerVault;
use crate::storage::{Database, StorageError};

/// A failure to start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Sender(#[from] InvalidSender),
    #[error(transparent)]
    Transport(#[from] crate::mail::transport::TransportSetupError),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
    #[error("cannot set up keys: {0}")]
    Keys(String),
    #[error(transparent)]
    BankId(#[from] crate::service::bankid::BankIdSetupError),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
}

/// Creates the data directory, readable by the server's user alone, because it contains the database,
/// the secret key and mail files with first-time passwords and codes.
pub fn prepare_data_dir(path: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Opens the database pool named by the settings.
pub fn open_database(settings: &Settings) -> Result<Database, StorageError> {
    Database::connect(
        &settings.database_url(),
        settings.database_pool_size,
        Duration::from_secs(settings.database_timeout_seconds),
    )
}

/// Hashing and signing set up from the settings and the master key.
#[derive(Debug)]
pub struct Security {
    pub password_hasher: PasswordHasher,
    pub token_issuer: TokenIssuer,
    pub code_hasher: CodeHasher,
    pub personnummer_vault: PersonnummerVault,
}

impl Security {
    pub fn from_settings(settings: &Settings) -> Result<Self, StartError> {
        let configured = settings.secret_key.as_ref().map(Secret::expose);
        let master = load_or_create_master_key(configured, &settings.data_dir)
            .map_err(|error| StartError::Keys(error.to_string()))?;
        let concurrency = match settings.password_hash_concurrency {
            0 => std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            configured => configured,
        };
        let params = HashParams {
            memory_kib: settings.password_hash_memory_kib,
            iterations: settings.password_hash_iterations,
            parallelism: settings.password_hash_parallelism,
        };
        let password_hasher = match &settings.password_hash_program {
            Some(program) if settings.password_hash_processes => {
                PasswordHasher::with_helper_processes(
                    params,
                    concurrency,
                    program.clone(),
                    crate::security::passwords::helper::REPLY_TIMEOUT,
                )
            }
            _ => PasswordHasher::new(params, concurrency),
        }
        .map_err(|error| StartError::Keys(error.to_string()))?;
        let token_issuer = TokenIssuer::new(
            &master.derive("jwt-signing"),
            settings.public_url.clone(),
            format!("{}/api", settings.public_url),
            Duration::from_secs(settings.access_token_seconds),
        )
        .map_err(|error| StartError::Keys(error.to_string()))?;
        let code_hasher = CodeHasher::new(&master.derive("code-hashing"));
        let personnummer_vault = PersonnummerVault::new(
            &master.derive("personnummer-encryption"),
            &master.derive("personnummer-lookup"),
        )
        .map_err(|error| StartError::Keys(error.to_string()))?;
        Ok(Self {
            password_hasher,
            token_issuer,
            code_hasher,
            personnummer_vault,
        })
    }
}

/// A server bound to its port, not yet running.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: web::Data<AppState>,
    worker: Option<MailWorker>,
}

impl Server {
    /// Prepares the data directory, applies pending migrations and binds the listener.
    /// Pass `with_worker = false` to run without the mail worker.
    pub async fn build(settings: Settings, with_worker: bool) -> Result<Self, StartError> {
        prepare_data_dir(&settings.data_dir).map_err(|source| StartError::DataDir {
            path: settings.data_dir.display().to_string(),
            source,
        })?;
        let database = open_database(&settings)?;
        let applied = database.migrate().await?;
        if !applied.is_empty() {
            tracing::info!(count = applied.len(), "database migrations applied");
        }
        let mailer = Mailer::new(&settings.mail_from)?;
        let worker = if with_worker {
            let transport = Transport::from_settings(&settings)?;
            Some(MailWorker::new(
                database.clone(),
                transport,
                &mailer,
                WorkerSettings::from_settings(&settings),
            ))
        } else {
            None
        };
        let listener = TcpListener::bind(settings.listen).map_err(|source| StartError::Listen {
            address: settings.listen.to_string(),
            source,
        })?;
        let security = Security::from_settings(&settings)?;
        let local_address = listener.local_addr().map_err(|source| StartError::Listen {
            address: settings.listen.to_string(),
            source,
        })?;
        let clock = Clock::default();
        let bankid =
            crate::service::bankid::BankId::from_settings(&settings, local_address, &clock)?;
        let pending_password_checks =
            crate::security::pending::PendingChecks::new(settings.password_checks_per_address);
        let state = web::Data::new(AppState {
            settings: Arc::new(settings),
            database,
            mailer,
            password_policy: PasswordPolicy::default(),
            clock,
            password_hasher: security.password_hasher,
            pending_password_checks,
            catalogue_cache: Default::default(),
            token_issuer: security.token_issuer,
            code_hasher: security.code_hasher,
            personnummer_vault: security.personnummer_vault,
            bankid,
        });
        Ok(Self {
            listener,
            state,
            worker,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves requests until the process receives Ctrl-C or SIGTERM, then stops the worker.
    pub async fn run(self) -> std::io::Result<()> {
        let (stop_worker, shutdown) = watch::channel(false);
        let with_jobs = self.worker.is_some();
        let worker = self
            .worker
            .map(|worker| tokio::spawn(worker.run(shutdown.clone())));
        let state = self.state;
        let simulator_mode = state.settings.bankid_mode == crate::config::BankIdMode::Simulator;
        // The reminder job runs where the mail worker does, so a server started without
        // background work (as some tests do) sends nothing by itself.
        let reminders = with_jobs.then(|| {
            tokio::spawn(crate::service::certification::reminders::run(
                state.clone(),
                shutdown,
            ))
        });
        let address = self.listener.local_addr()?;
        let simulator = state.bankid.simulator().cloned();
        let server = HttpServer::new(move || {
            let mut app = App::new();
            if let Some(simulator) = &simulator {
                app = app.service(simulator.scope(crate::service::bankid::SIMULATOR_PATH));
            }
            app.configure(http::configure(state.clone()))
                .wrap(from_fn(http::middleware::reject_null_characters))
                .wrap(from_fn(http::middleware::localize_problems))
                .wrap(from_fn(http::middleware::no_store_with_credentials))
                .wrap(from_fn(http::middleware::trace_requests))
        })
        .listen(self.listener)?
        .shutdown_timeout(10)
        .run();
        tracing::info!(%address, "server listening");
        if simulator_mode {
            tracing::warn!(
                "BankID runs in simulator mode: anyone who reaches the server can sign in as any personnummer, so it is not for production"
            );
        }
        let outcome = server.await;
        let _ = stop_worker.send(true);
        if let Some(worker) = worker {
            let _ = worker.await;
        }
        if let Some(reminders) = reminders {
            let _ = reminders.await;
        }
        tracing::info!("server stopped");
        outcome
    }
}
