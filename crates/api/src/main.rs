//! `incert`: the IncertOnline server and its administration commands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use incert_api::config::Settings;
use incert_api::mail::Mailer;
use incert_api::security::passwords;
use incert_api::server::{self, Security, Server};
use incert_api::service::centre::clients;
use incert_api::service::registration;
use incert_api::service::seed::{self, SeedOptions};
use incert_api::storage::outbox;
use incert_api::storage::{Database, StorageError};
use incert_api::{http, telemetry};

/// IncertOnline server. Settings come from `incert.toml` (or the file in `INCERT_CONFIG`) and
/// `INCERT_*` environment variables; see docs/configuration.md.
#[derive(Debug, Parser)]
#[command(name = "incert", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply pending migrations, then serve the API and deliver mail until stopped.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Write the OpenAPI document.
    Openapi {
        /// File to write; `-` for standard output.
        #[arg(long, default_value = "openapi/openapi.json")]
        output: PathBuf,
    },
    /// Create a staff account. Its first-time password is emailed; a running server delivers
    /// the email (with the default file transport it lands in <data dir>/mail/).
    CreateStaff {
        /// Email address, also the username.
        #[arg(long)]
        email: String,
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        last_name: String,
        /// `case_officer` or `administrator`.
        #[arg(long, default_value = "case_officer")]
        role: String,
    },
    /// Create OAuth2 client credentials for an examination centre, and the centre itself when
    /// no centre has the name. Prints the client id and secret; the secret cannot be shown
    /// again.
    CreateCentreClient {
        /// Name of the centre, 1–200 characters.
        #[arg(long)]
        centre_name: String,
        /// Contact address of a new centre; ignored when the centre exists.
        #[arg(long)]
        contact_email: Option<String>,
        /// Label that distinguishes this centre's credentials, such as the system using them.
        #[arg(long)]
        label: Option<String>,
    },
    /// Fill the database with benchmark data: person accounts
    /// bench.1@example.se … bench.N@example.se sharing one password, and certificates for
    /// each. Prints the password unless --password is given. Refuses a database that already
    /// has such accounts.
    SeedBenchmark {
        /// Number of person accounts.
        #[arg(long)]
        accounts: i64,
        /// Certificates per account, each with its approved application.
        #[arg(long, default_value_t = 3)]
        certificates_per_account: i32,
        /// Password of every seeded account; a random one is generated and printed when
        /// unset. The variable lacks the INCERT_ prefix because the configuration rejects
        /// unknown INCERT_ variables.
        #[arg(long, env = "BENCH_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Accounts per batch: one SQL statement on PostgreSQL, three on SQLite.
        #[arg(long, default_value_t = 50_000)]
        batch_size: i64,
        /// Open login challenges to create for the seeded accounts (valid for 2 hours).
        #[arg(long, default_value_t = 0)]
        login_challenges: usize,
        /// File that receives one `challenge_id code` line per login challenge (mode 0600).
        #[arg(long)]
        challenges_file: Option<PathBuf>,
        /// Sessions to create for the seeded accounts, each with one refresh token (valid
        /// for 1 day).
        #[arg(long, default_value_t = 0)]
        refresh_tokens: usize,
        /// File that receives one refresh token per line (mode 0600).
        #[arg(long)]
        refresh_tokens_file: Option<PathBuf>,
    },
    /// Queue a test email, to check the mail settings. A running server delivers it.
    SendTestMail {
        /// Recipient address.
        #[arg(long)]
        to: String,
    },
    /// Compute password hashes for a running server over standard input and output. The
    /// server starts this itself.
    #[command(name = "hash-worker", hide = true)]
    HashWorker,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A helper reads no settings, because the server starts it with an empty environment,
    // and needs no async runtime.
    if let Command::HashWorker = cli.command {
        return match passwords::helper::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("incert hash-worker: {message}");
                ExitCode::FAILURE
            }
        };
    }
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(error) => {
            eprintln!("incert: cannot start the async runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> ExitCode {
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("incert: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings);

    let outcome = match cli.command {
        Command::Serve => serve(settings).await,
        Command::HashWorker => Ok(()),
        Command::Migrate => migrate(&settings).await,
        Command::Openapi { output } => write_openapi(&output),
        Command::SendTestMail { to } => send_test_mail(&settings, &to).await,
        Command::CreateStaff {
            email,
            first_name,
            last_name,
            role,
        } => create_staff(&settings, &email, &first_name, &last_name, &role).await,
        Command::CreateCentreClient {
            centre_name,
            contact_email,
            label,
        } => {
            create_centre_client(
                &settings,
                &centre_name,
                contact_email.as_deref(),
                label.as_deref(),
            )
            .await
        }
        Command::SeedBenchmark {
            accounts,
            certificates_per_account,
            password,
            batch_size,
            login_challenges,
            challenges_file,
            refresh_tokens,
            refresh_tokens_file,
        } => {
            let options = SeedOptions {
                accounts,
                certificates_per_account,
                password: password.unwrap_or_default(),
                batch_size,
                login_challenges,
                challenges_file,
                refresh_tokens,
                refresh_tokens_file,
            };
            seed_benchmark(&settings, options).await
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!(error = %message, "command failed");
            eprintln!("incert: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(mut settings: Settings) -> Result<(), String> {
    if settings.password_hash_processes {
        settings.password_hash_program = Some(own_program()?);
    }
    let server = Server::build(settings, true)
        .await
        .map_err(|error| error.to_string())?;
    server.run().await.map_err(|error| error.to_string())
}

async fn migrate(settings: &Settings) -> Result<(), String> {
    let database = server::open_database(settings).map_err(|error| error.to_string())?;
    let applied = database
        .migrate()
        .await
        .map_err(|error| error.to_string())?;
    tracing::info!(count = applied.len(), migrations = ?applied, "database migrations applied");
    Ok(())
}

fn write_openapi(output: &PathBuf) -> Result<(), String> {
    let document = http::openapi::to_json() + "\n";
    if output.as_os_str() == "-" {
        use std::io::Write;
        return std::io::stdout()
            .write_all(document.as_bytes())
            .map_err(|error| error.to_string());
    }
    std::fs::write(output, document).map_err(|error| format!("{}: {error}", output.display()))
}

async fn send_test_mail(settings: &Settings, recipient: &str) -> Result<(), String> {
    let address = incert_domain::Email::parse(recipient).map_err(|error| error.to_string())?;
    let mailer = Mailer::new(&settings.mail_from).map_err(|error| error.to_string())?;
    let mail = mailer.compose(
        address.as_str(),
        "IncertOnline: testmeddelande / test message",
        "Det här är ett testmeddelande från IncertOnline. Inställningarna för e-post fungerar.\n\n\
         This is a test message from IncertOnline. The mail settings work.\n"
            .to_owned(),
        None,
    );

    let database = server::open_database(settings).map_err(|error| error.to_string())?;
    database
        .migrate()
        .await
        .map_err(|error| error.to_string())?;
    let id = database
        .run(move |connection| outbox::enqueue(connection, &mail).map_err(StorageError::from))
        .await
        .map_err(|error| error.to_string())?;

    tracing::info!(outbox_id = id, recipient = %address.masked(), "test mail queued; a running server delivers it");
    Ok(())
}

/// Prepares the data directory, loads the keys and opens the database with every migration
/// applied, as the commands that write accounts or credentials need.
async fn open_migrated(settings: &Settings) -> Result<(Security, Database), String> {
    server::prepare_data_dir(&settings.data_dir)
        .map_err(|error| format!("{}: {error}", settings.data_dir.display()))?;
    let security = Security::from_settings(settings).map_err(|error| error.to_string())?;
    let database = server::open_database(settings).map_err(|error| error.to_string())?;
    database
        .migrate()
        .await
        .map_err(|error| error.to_string())?;
    Ok((security, database))
}

async fn create_staff(
    settings: &Settings,
    email: &str,
    first_name: &str,
    last_name: &str,
    role: &str,
) -> Result<(), String> {
    let (security, database) = open_migrated(settings).await?;
    let mailer = Mailer::new(&settings.mail_from).map_err(|error| error.to_string())?;

    let staff = registration::NewStaff {
        email,
        first_name,
        last_name,
        role,
    };
    let public_id = registration::create_staff(&security, &database, &mailer, settings, &staff)
        .await
        .map_err(|error| error.to_string())?;

    tracing::info!(account = %public_id, role, "staff account created; its first-time password is queued for email");
    Ok(())
}

async fn create_centre_client(
    settings: &Settings,
    centre_name: &str,
    contact_email: Option<&str>,
    label: Option<&str>,
) -> Result<(), String> {
    use std::io::Write;

    let details = clients::validate_centre(centre_name, contact_email)
        .map_err(|error| describe_validation(&error))?;
    let (security, database) = open_migrated(settings).await?;

    let credentials = clients::create_client(
        &database,
        &security.code_hasher,
        clients::CentreChoice::NameOrNew(details),
        label,
        clients::Actor::default(),
        chrono::Utc::now().naive_utc(),
    )
    .await
    .map_err(|error| describe_validation(&error))?;

    tracing::info!(centre = %credentials.centre_id, client_id = %credentials.client_id, "centre client credentials created");
    let mut output = std::io::stdout();
    writeln!(
        output,
        "centre_id={}\nclient_id={}\nclient_secret={}\n\
         Store the secret now: it is kept only as a hash and cannot be shown again.",
        credentials.centre_id, credentials.client_id, credentials.client_secret
    )
    .map_err(|error| error.to_string())
}

async fn seed_benchmark(settings: &Settings, mut options: SeedOptions) -> Result<(), String> {
    use std::io::Write;

    let generated = options.password.is_empty();
    if generated {
        options.password = incert_api::security::secrets::generate_initial_password();
    }
    let (security, database) = open_migrated(settings).await?;

    let summary = seed::seed_benchmark(
        &database,
        &security.password_hasher,
        &security.code_hasher,
        &options,
    )
    .await
    .map_err(|error| error.to_string())?;

    tracing::info!(
        accounts = summary.accounts,
        certificates = summary.certificates,
        login_challenges = summary.login_challenges,
        refresh_tokens = summary.refresh_tokens,
        "benchmark data seeded"
    );
    let mut output = std::io::stdout();
    let mut lines = format!(
        "accounts={}\ncertificates={}\n",
        summary.accounts, summary.certificates
    );
    if generated {
        lines.push_str(&format!("password={}\n", options.password));
    }
    output
        .write_all(lines.as_bytes())
        .map_err(|error| error.to_string())
}

/// Describes an API error for the command line, naming each invalid field.
fn describe_validation(error: &http::error::ApiError) -> String {
    match error {
        http::error::ApiError::Validation(issues) => issues
            .iter()
            .map(|issue| format!("invalid {}: {}", issue.field, issue.code))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// Returns the program that runs password hashing helpers: this binary. On Linux that is its
/// `/proc` link, which still names this binary after an upgrade has replaced the file on
/// disk, so helpers always speak the server's own protocol.
fn own_program() -> Result<PathBuf, String> {
    if cfg!(target_os = "linux") {
        return Ok(PathBuf::from("/proc/self/exe"));
    }
    std::env::current_exe().map_err(|error| format!("cannot find the incert program: {error}"))
}
