//! Typed settings, layered from built-in defaults, an optional TOML file and `INCERT_*`
//! environment variables (later layers win). Every key is documented in
//! `docs/configuration.md`.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Name of the TOML file read from the working directory when `INCERT_CONFIG` is not set.
pub const DEFAULT_CONFIG_FILE: &str = "incert.toml";

/// A value that must never appear in logs or debug output, such as a URL with a password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("[redacted]")
    }
}

/// How outgoing mail leaves the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailTransportKind {
    /// One `.eml` file per message under `<data_dir>/mail/`, and one log line.
    File,
    /// Delivery to the SMTP server at `smtp_url`.
    Smtp,
}

/// Output format of the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// BankID service the server uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BankIdMode {
    /// The built-in simulator, mounted under `/bankid-sim` on the server's own address.
    Simulator,
    /// BankID's test environment; needs `bankid_certificate` and `bankid_root_ca`.
    Test,
    /// BankID's production service; needs `bankid_certificate` and `bankid_root_ca`.
    Production,
}

/// All settings of the server and the command-line tool.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `sqlite://PATH` or `postgres://…`; unset means `sqlite://<data_dir>/incert.db`.
    pub database_url: Option<Secret>,
    /// Maximum number of open database connections.
    pub database_pool_size: u32,
    /// Seconds a request waits for a free database connection before it fails with 503.
    pub database_timeout_seconds: u64,
    /// Address and port the HTTP server listens on.
    pub listen: SocketAddr,
    /// Directory for the SQLite database, generated keys and mail files.
    pub data_dir: PathBuf,
    /// Base URL people use to reach the portal, used for links in emails.
    pub public_url: String,
    /// `file` or `smtp`.
    pub mail_transport: MailTransportKind,
    /// `smtp://host:port`, `smtps://user:password@host:465` or with `?tls=required`.
    pub smtp_url: Option<Secret>,
    /// Sender of every email, as `Name <address>` or a bare address.
    pub mail_from: String,
    /// Milliseconds the mail worker sleeps when the outbox has nothing due.
    pub mail_poll_interval_ms: u64,
    /// Delay before the first retry of a failed message, in milliseconds; it doubles with
    /// every failed attempt up to `mail_retry_max_ms`.
    pub mail_retry_base_ms: u64,
    /// Upper bound of the retry delay, in milliseconds.
    pub mail_retry_max_ms: u64,
    /// Attempts after which a message is marked as failed and no longer retried.
    pub mail_max_attempts: u32,
    /// Seconds an SMTP delivery may take before it counts as failed.
    pub smtp_timeout_seconds: u64,
    /// `text` or `json`.
    pub log_format: LogFormat,
    /// Log filter in `tracing_subscriber::EnvFilter` syntax, such as `info` or
    /// `incert_api=debug,info`.
    pub log_filter: String,
    /// Largest accepted JSON request body, in bytes.
    pub max_body_bytes: usize,
    /// Addresses of reverse proxies whose `X-Forwarded-For` header names the client, such
    /// as `["10.0.0.5"]`. Empty means the peer address is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Master secret (hex or base64, at least 32 bytes) from which the token signing key and
    /// the code hashing key are derived. Unset means a key generated once in
    /// `<data_dir>/secret.key`; servers sharing one database must share this value.
    pub secret_key: Option<Secret>,
    /// Lifetime of an access token, in seconds.
    pub access_token_seconds: u64,
    /// Lifetime of a login session and its refresh tokens, in days.
    pub session_days: u64,
    /// Days the emailed first-time password stays valid.
    pub initial_password_days: u64,
    /// Seconds before another login code can be requested for the same login.
    pub login_code_resend_seconds: u64,
    /// Login codes one account can be sent per clock hour (UTC).
    pub login_codes_per_hour: u32,
    /// Mark the refresh-token cookie `Secure`. Browsers still send it to `http://localhost`.
    pub cookie_secure: bool,
    /// Argon2id memory cost in KiB.
    pub password_hash_memory_kib: u32,
    /// Argon2id iterations.
    pub password_hash_iterations: u32,
    /// Argon2id lanes.
    pub password_hash_parallelism: u32,
    /// Password hashes computed at once; more requests wait. 0 means the number of CPU cores.
    pub password_hash_concurrency: usize,
    /// Compute password hashes in helper processes at the lowest priority, so that a login
    /// flood leaves the CPU to other requests. Only `incert serve` starts helpers; with
    /// `false`, or in other programs, hashes are computed in threads of the server.
    pub password_hash_processes: bool,
    /// Logins from one client address whose password check may be in progress at once; more
    /// get 429. 0 means no limit.
    pub password_checks_per_address: usize,
    /// The program that runs the helpers, set by `incert serve` to its own binary when
    /// `password_hash_processes` is on. Not a setting.
    #[serde(skip)]
    pub password_hash_program: Option<PathBuf>,
    /// `simulator`, `test` or `production`.
    pub bankid_mode: BankIdMode,
    /// Base URL of a BankID simulator run as its own service (the `bankid-simulator`
    /// program), for `simulator` mode with several API nodes. Unset mounts the simulator in
    /// this server. Ignored in `test` and `production` mode.
    pub bankid_url: Option<String>,
    /// Allows `simulator` mode on a listen address other than loopback, for a demonstration.
    /// The simulator lets anyone who reaches it sign as any personnummer.
    pub bankid_simulator_on_network: bool,
    /// The relying party's client certificate with its private key, required in `test` and
    /// `production` mode: a PKCS#12 file (`.p12` or `.pfx`, as BankID delivers it) or a PEM
    /// file with the certificate chain followed by the key.
    pub bankid_certificate: Option<PathBuf>,
    /// Password of a PKCS#12 `bankid_certificate`; BankID's test certificates use
    /// `qwerty123`.
    pub bankid_certificate_password: Option<Secret>,
    /// PEM file with BankID's root certificate of the chosen environment; required in `test`
    /// and `production` mode.
    pub bankid_root_ca: Option<PathBuf>,
    /// Name of the certification body, printed on certificates.
    pub certification_body_name: String,
    /// Accreditation body and number of the certification body, printed on certificates.
    pub accreditation: String,
    /// Days before an annual renewal or recertification date that the holder is reminded.
    pub reminder_lead_days: u32,
    /// Seconds between two runs of the reminder job.
    pub reminder_interval_seconds: u64,
    /// Public certificate checks one client address may make per minute.
    pub public_checks_per_minute: u32,
    /// Fee for an application and first issue of a person certificate, in SEK excluding VAT.
    /// Unset shows the example value, marked as such.
    pub fee_application_sek: Option<u32>,
    /// Fee for the annual renewal, in SEK excluding VAT; unset shows the example value.
    pub fee_annual_renewal_sek: Option<u32>,
    /// Fee for a recertification application, in SEK excluding VAT; unset shows the example
    /// value.
    pub fee_recertification_sek: Option<u32>,
    /// Fee for a duplicate certificate, in SEK excluding VAT; unset shows the example value.
    pub fee_duplicate_sek: Option<u32>,
    /// Directory of the built web app, served for GET paths outside `/api`; unset serves no
    /// web app. A relative path is taken from the working directory.
    pub web_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: None,
            database_pool_size: 8,
            database_timeout_seconds: 5,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("var"),
            public_url: "http://127.0.0.1:8080".to_owned(),
            mail_transport: MailTransportKind::File,
            smtp_url: None,
            mail_from: "IncertOnline <no-reply@incert.localhost>".to_owned(),
            mail_poll_interval_ms: 1_000,
            mail_retry_base_ms: 5_000,
            mail_retry_max_ms: 3_600_000,
            mail_max_attempts: 20,
            smtp_timeout_seconds: 30,
            log_format: LogFormat::Text,
            log_filter: "info".to_owned(),
            max_body_bytes: 64 * 1024,
            trusted_proxies: Vec::new(),
            secret_key: None,
            access_token_seconds: 900,
            session_days: 30,
            initial_password_days: 7,
            login_code_resend_seconds: 60,
            login_codes_per_hour: 10,
            cookie_secure: true,
            password_hash_memory_kib: 19_456,
            password_hash_iterations: 2,
            password_hash_parallelism: 1,
            password_hash_concurrency: 0,
            password_hash_processes: true,
            password_checks_per_address: 16,
            password_hash_program: None,
            bankid_mode: BankIdMode::Simulator,
            bankid_simulator_on_network: false,
            bankid_url: None,
            bankid_certificate: None,
            bankid_certificate_password: None,
            bankid_root_ca: None,
            certification_body_name: "INCERT AB".to_owned(),
            accreditation: "SWEDAC 1343".to_owned(),
            reminder_lead_days: 60,
            reminder_interval_seconds: 3_600,
            public_checks_per_minute: 30,
            fee_application_sek: None,
            fee_annual_renewal_sek: None,
            fee_recertification_sek: None,
            fee_duplicate_sek: None,
            web_dir: Some(PathBuf::from("frontend/dist")),
        }
    }
}

/// Settings that could not be read or that contradict each other.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    #[error("INCERT_SMTP_URL must be set when INCERT_MAIL_TRANSPORT is smtp")]
    MissingSmtpUrl,
    #[error("INCERT_DATABASE_URL must start with sqlite:// or postgres://")]
    UnsupportedDatabaseUrl,
    #[error("INCERT_DATABASE_POOL_SIZE must be at least 1")]
    EmptyPool,
    #[error(
        "INCERT_BANKID_CERTIFICATE and INCERT_BANKID_ROOT_CA must be set when INCERT_BANKID_MODE is test or production"
    )]
    MissingBankIdCertificate,
    #[error(
        "INCERT_BANKID_MODE is simulator, in which anyone can sign in as any personnummer, but INCERT_LISTEN is not a loopback address; set INCERT_BANKID_MODE to test or production, listen on 127.0.0.1, or set INCERT_BANKID_SIMULATOR_ON_NETWORK=true for a demonstration"
    )]
    SimulatorOnNetwork,
    #[error("{name} must be between {min} and {max}")]
    OutOfRange {
        name: &'static str,
        min: u64,
        max: u64,
    },
}

impl Settings {
    /// Loads the settings: defaults, then the TOML file named by `INCERT_CONFIG` (or
    /// `incert.toml` in the working directory when it exists), then `INCERT_*` variables.
    /// `INCERT_CONFIG` itself and the `INCERT_TEST_*` variables of the test suite are not
    /// settings.
    pub fn load() -> Result<Self, ConfigError> {
        let file = std::env::var_os("INCERT_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE));
        Self::from_figment(Self::figment(&file))
    }

    /// Builds the layered source without reading it, so tests can add layers.
    pub fn figment(file: &Path) -> Figment {
        Figment::from(Serialized::defaults(Self::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("INCERT_").filter(|key| {
                key != "config" && !key.as_str().to_ascii_lowercase().starts_with("test_")
            }))
    }

    /// Extracts and checks the settings from a layered source.
    pub fn from_figment(figment: Figment) -> Result<Self, ConfigError> {
        let settings: Self = figment.extract().map_err(Box::new)?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.mail_transport == MailTransportKind::Smtp && self.smtp_url.is_none() {
            return Err(ConfigError::MissingSmtpUrl);
        }
        if self.database_pool_size == 0 {
            return Err(ConfigError::EmptyPool);
        }
        // Values outside these bounds make timers or date arithmetic fail at run time.
        let bounded = [
            (
                "INCERT_DATABASE_TIMEOUT_SECONDS",
                self.database_timeout_seconds,
                1,
                600,
            ),
            (
                "INCERT_SMTP_TIMEOUT_SECONDS",
                self.smtp_timeout_seconds,
                1,
                600,
            ),
            (
                "INCERT_MAIL_POLL_INTERVAL_MS",
                self.mail_poll_interval_ms,
                10,
                3_600_000,
            ),
            (
                "INCERT_ACCESS_TOKEN_SECONDS",
                self.access_token_seconds,
                30,
                86_400,
            ),
            ("INCERT_SESSION_DAYS", self.session_days, 1, 3_650),
            (
                "INCERT_INITIAL_PASSWORD_DAYS",
                self.initial_password_days,
                1,
                365,
            ),
            (
                "INCERT_REMINDER_INTERVAL_SECONDS",
                self.reminder_interval_seconds,
                1,
                86_400,
            ),
            // Each hash needs a thread, a helper process and its Argon2 memory.
            (
                "INCERT_PASSWORD_HASH_CONCURRENCY",
                u64::try_from(self.password_hash_concurrency).unwrap_or(u64::MAX),
                0,
                256,
            ),
        ];
        for (name, value, min, max) in bounded {
            if !(min..=max).contains(&value) {
                return Err(ConfigError::OutOfRange { name, min, max });
            }
        }
        if self.bankid_mode == BankIdMode::Simulator
            && !self.listen.ip().is_loopback()
            && !self.bankid_simulator_on_network
        {
            return Err(ConfigError::SimulatorOnNetwork);
        }
        if self.bankid_mode != BankIdMode::Simulator
            && (self.bankid_certificate.is_none() || self.bankid_root_ca.is_none())
        {
            return Err(ConfigError::MissingBankIdCertificate);
        }
        if let Some(url) = &self.database_url {
            let url = url.expose();
            if !(url.starts_with("sqlite://")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://"))
            {
                return Err(ConfigError::UnsupportedDatabaseUrl);
            }
        }
        Ok(())
    }

    /// Returns the database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> Secret {
        match &self.database_url {
            Some(url) => url.clone(),
            None => Secret::new(format!(
                "sqlite://{}",
                self.data_dir.join("incert.db").display()
            )),
        }
    }

    /// Directory the file mail transport writes to.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::providers::Serialized;

    fn settings_with(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        for (key, value) in pairs {
            figment = figment.merge(Serialized::default(key, value));
        }
        Settings::from_figment(figment)
    }

    #[test]
    fn defaults_need_no_configuration() {
        let settings = settings_with(&[]).ok();
        let url = settings
            .as_ref()
            .map(|s| s.database_url().expose().to_owned());
        assert_eq!(url.as_deref(), Some("sqlite://var/incert.db"));
        let transport = settings.map(|s| s.mail_transport);
        assert_eq!(transport, Some(MailTransportKind::File));
    }

    #[test]
    fn smtp_transport_requires_url() {
        let result = settings_with(&[("mail_transport", "smtp")]);
        assert!(matches!(result, Err(ConfigError::MissingSmtpUrl)));
    }

    #[test]
    fn durations_are_bounded() {
        let zero = Settings::from_figment(
            Figment::from(Serialized::defaults(Settings::default()))
                .merge(Serialized::default("database_timeout_seconds", 0)),
        );
        assert!(matches!(
            zero,
            Err(ConfigError::OutOfRange {
                name: "INCERT_DATABASE_TIMEOUT_SECONDS",
                ..
            })
        ));
    }

    #[test]
    fn hash_concurrency_is_bounded() {
        let huge = Settings::from_figment(
            Figment::from(Serialized::defaults(Settings::default()))
                .merge(Serialized::default("password_hash_concurrency", 100_000)),
        );
        assert!(matches!(
            huge,
            Err(ConfigError::OutOfRange {
                name: "INCERT_PASSWORD_HASH_CONCURRENCY",
                ..
            })
        ));
    }

    #[test]
    fn simulator_stays_on_loopback() {
        let exposed = settings_with(&[("listen", "0.0.0.0:8080")]);
        assert!(matches!(exposed, Err(ConfigError::SimulatorOnNetwork)));
        let allowed = Settings::from_figment(
            Figment::from(Serialized::defaults(Settings::default()))
                .merge(Serialized::default("listen", "0.0.0.0:8080"))
                .merge(Serialized::default("bankid_simulator_on_network", true)),
        );
        assert!(allowed.is_ok(), "{:?}", allowed.err());
        let loopback = settings_with(&[("listen", "[::1]:8080")]);
        assert!(loopback.is_ok());
    }

    #[test]
    fn database_url_scheme_is_checked() {
        let result = settings_with(&[("database_url", "mysql://localhost/incert")]);
        assert!(matches!(result, Err(ConfigError::UnsupportedDatabaseUrl)));
    }

    #[test]
    fn secret_debug_is_redacted() {
        let secret = Secret::new("smtp://user:hunter2@mail.example.se");
        assert_eq!(format!("{secret:?}"), "[redacted]");
    }
}
