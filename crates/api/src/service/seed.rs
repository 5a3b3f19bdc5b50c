//! Benchmark data for `incert seed-benchmark`: many person accounts with one known password,
//! certificates for each, and optionally open login challenges and refresh tokens whose
//! secrets are written to files for a load generator. Runs on both backends; the benchmark
//! itself uses PostgreSQL.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Datelike as _, NaiveDateTime, TimeDelta, Utc};
use incert_domain::certificate::MAX_CERTIFICATE_SEQUENCE;

use crate::security::secrets::{generate_login_code, generate_token, hash_token};
use crate::security::{CodeHasher, HashError, PasswordHasher};
use crate::storage::codes::{OneTimeCode, Purpose};
use crate::storage::sessions::Session;
use crate::storage::{Database, StorageError, seed};

/// Number of past calendar years the seeded certificates are spread over, ending with last
/// year, so no issue date lies in the future.
pub const ISSUE_YEARS: i32 = 10;

/// Lifetime of a seeded login challenge. It is longer than the 10 minutes of an emailed
/// code so that a benchmark run has time to use them all.
const SEEDED_CHALLENGE_LIFETIME: TimeDelta = TimeDelta::hours(2);

/// Lifetime of a seeded session.
const SEEDED_SESSION_LIFETIME: TimeDelta = TimeDelta::days(1);

/// Sizes and output files of a benchmark seed.
#[derive(Clone)]
pub struct SeedOptions {
    pub accounts: i64,
    pub certificates_per_account: i32,
    /// The password of every seeded account.
    pub password: String,
    /// Accounts per batch: one SQL statement on PostgreSQL, three on SQLite.
    pub batch_size: i64,
    /// Open login challenges to create, with `challenge_id code` lines written to
    /// `challenges_file`.
    pub login_challenges: usize,
    pub challenges_file: Option<PathBuf>,
    /// Sessions to create, each with one refresh token written as a line to
    /// `refresh_tokens_file`.
    pub refresh_tokens: usize,
    pub refresh_tokens_file: Option<PathBuf>,
}

impl std::fmt::Debug for SeedOptions {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SeedOptions")
            .field("accounts", &self.accounts)
            .field("certificates_per_account", &self.certificates_per_account)
            .field("batch_size", &self.batch_size)
            .field("login_challenges", &self.login_challenges)
            .field("refresh_tokens", &self.refresh_tokens)
            .finish_non_exhaustive()
    }
}

/// Counts of the rows a seed inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedSummary {
    pub accounts: i64,
    pub certificates: u64,
    pub login_challenges: usize,
    pub refresh_tokens: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("invalid option: {0}")]
    InvalidOption(String),
    #[error(
        "the database already has {0} seeded accounts (bench.N@example.se); seed an empty database"
    )]
    AlreadySeeded(i64),
    #[error("the catalogue has no certificate type for persons that is not retired")]
    NoCertificateTypes,
    #[error(
        "{needed} certificates per year are needed, but year {year} has only {left} numbers left \
         (at most {MAX_CERTIFICATE_SEQUENCE} per year); seed fewer certificates"
    )]
    NumbersExhausted { year: i32, needed: i64, left: i64 },
    #[error("password hashing failed: {0}")]
    Hashing(#[from] HashError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("cannot write {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

impl From<diesel::result::Error> for SeedError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Storage(StorageError::Query(error))
    }
}

/// Seeds the database. Accounts and certificates go in batches of `batch_size` accounts, each
/// batch in one transaction and with a progress log line.
pub async fn seed_benchmark(
    database: &Database,
    password_hasher: &PasswordHasher,
    code_hasher: &CodeHasher,
    options: &SeedOptions,
) -> Result<SeedSummary, SeedError> {
    check_options(options)?;
    let now = Utc::now().naive_utc();
    let last_year = Utc::now().year() - 1;
    let first_year = last_year - ISSUE_YEARS + 1;

    let (existing, type_ids, offsets) = database
        .run(move |connection| {
            let existing = seed::count_seeded_accounts(connection)?;
            let type_ids = seed::person_certificate_type_ids(connection)?;
            let offsets = seed::last_sequences(connection, first_year, last_year)?;
            Ok::<_, SeedError>((existing, type_ids, offsets))
        })
        .await?;
    if existing > 0 {
        return Err(SeedError::AlreadySeeded(existing));
    }
    if type_ids.is_empty() && options.certificates_per_account > 0 {
        return Err(SeedError::NoCertificateTypes);
    }
    let total_certificates = options.accounts * i64::from(options.certificates_per_account);
    check_numbers_left(total_certificates, first_year, &offsets)?;

    tracing::info!(
        accounts = options.accounts,
        certificates_per_account = options.certificates_per_account,
        "hashing the seeded password once"
    );
    let password_hash = password_hasher.hash(options.password.clone()).await?;

    let started = Instant::now();
    let mut certificates: u64 = 0;
    let mut first_index: i64 = 1;
    while first_index <= options.accounts {
        let last_index = (first_index + options.batch_size - 1).min(options.accounts);
        let batch = OwnedBatch {
            first_index,
            last_index,
            password_hash: password_hash.clone(),
            now,
            certificate_type_ids: type_ids.clone(),
            certificates_per_account: options.certificates_per_account,
            first_ordinal: (first_index - 1) * i64::from(options.certificates_per_account),
            first_year,
            sequence_offsets: offsets.clone(),
        };
        let inserted = database
            .run(move |connection| {
                Ok::<_, SeedError>(seed::insert_accounts_with_certificates(
                    connection,
                    &batch.borrowed(),
                )?)
            })
            .await?;
        certificates += u64::try_from(inserted).unwrap_or_default();
        let seconds = started.elapsed().as_secs_f64();
        tracing::info!(
            accounts = last_index,
            of = options.accounts,
            certificates,
            seconds = format!("{seconds:.1}"),
            "seeded accounts and certificates"
        );
        first_index = last_index + 1;
    }

    database
        .run(|connection| {
            seed::raise_number_sequences(connection)?;
            seed::analyze(connection)?;
            Ok::<_, SeedError>(())
        })
        .await?;
    tracing::info!("certificate number sequences raised and tables analysed");

    let login_challenges = match &options.challenges_file {
        Some(path) if options.login_challenges > 0 => {
            seed_challenges(database, code_hasher, options.login_challenges, path, now).await?
        }
        _ => 0,
    };
    let refresh_tokens = match &options.refresh_tokens_file {
        Some(path) if options.refresh_tokens > 0 => {
            seed_refresh_tokens(database, options.refresh_tokens, path, now).await?
        }
        _ => 0,
    };

    Ok(SeedSummary {
        accounts: options.accounts,
        certificates,
        login_challenges,
        refresh_tokens,
    })
}

fn check_options(options: &SeedOptions) -> Result<(), SeedError> {
    if options.accounts < 1 {
        return Err(SeedError::InvalidOption(format!(
            "--accounts must be at least 1, got {}",
            options.accounts
        )));
    }
    if options.certificates_per_account < 0 {
        return Err(SeedError::InvalidOption(format!(
            "--certificates-per-account must be 0 or more, got {}",
            options.certificates_per_account
        )));
    }
    if options.batch_size < 1 {
        return Err(SeedError::InvalidOption(format!(
            "--batch-size must be at least 1, got {}",
            options.batch_size
        )));
    }
    if options.login_challenges > 0 && options.challenges_file.is_none() {
        return Err(SeedError::InvalidOption(
            "--login-challenges needs --challenges-file".to_owned(),
        ));
    }
    if options.refresh_tokens > 0 && options.refresh_tokens_file.is_none() {
        return Err(SeedError::InvalidOption(
            "--refresh-tokens needs --refresh-tokens-file".to_owned(),
        ));
    }
    Ok(())
}

/// Fails when some issue year would need a sequence number above the maximum.
fn check_numbers_left(total: i64, first_year: i32, offsets: &[i32]) -> Result<(), SeedError> {
    let years = i64::from(ISSUE_YEARS);
    let needed = (total + years - 1) / years;
    for (year, offset) in (first_year..).zip(offsets) {
        let left = i64::from(MAX_CERTIFICATE_SEQUENCE) - i64::from(*offset);
        if needed > left {
            return Err(SeedError::NumbersExhausted { year, needed, left });
        }
    }
    Ok(())
}

/// [`seed::AccountBatch`] with owned data, to move into a database job.
struct OwnedBatch {
    first_index: i64,
    last_index: i64,
    password_hash: String,
    now: NaiveDateTime,
    certificate_type_ids: Vec<i64>,
    certificates_per_account: i32,
    first_ordinal: i64,
    first_year: i32,
    sequence_offsets: Vec<i32>,
}

impl OwnedBatch {
    fn borrowed(&self) -> seed::AccountBatch<'_> {
        seed::AccountBatch {
            first_index: self.first_index,
            last_index: self.last_index,
            password_hash: &self.password_hash,
            now: self.now,
            certificate_type_ids: &self.certificate_type_ids,
            certificates_per_account: self.certificates_per_account,
            first_ordinal: self.first_ordinal,
            first_year: self.first_year,
            years: ISSUE_YEARS,
            sequence_offsets: &self.sequence_offsets,
        }
    }
}

/// Creates `count` open login challenges for the seeded accounts in turn and writes
/// `challenge_id code` lines to `path`.
async fn seed_challenges(
    database: &Database,
    code_hasher: &CodeHasher,
    count: usize,
    path: &Path,
    now: NaiveDateTime,
) -> Result<usize, SeedError> {
    let account_ids = seeded_account_ids(database, count).await?;
    let mut lines = String::with_capacity(count * 40);
    let mut challenges = Vec::with_capacity(count);
    for account_id in account_ids.iter().cycle().take(count) {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let code = generate_login_code();
        let code_hash = code_hasher.hash(Purpose::Login.as_str(), &id, &code);
        lines.push_str(&format!("{id} {code}\n"));
        challenges.push(OneTimeCode::new(
            Purpose::Login,
            id,
            *account_id,
            code_hash,
            now,
            SEEDED_CHALLENGE_LIFETIME,
        ));
    }
    database
        .run(move |connection| Ok::<_, SeedError>(seed::insert_codes(connection, &challenges)?))
        .await?;
    write_private_file(path, &lines)?;
    tracing::info!(count, file = %path.display(), "seeded login challenges");
    Ok(count)
}

/// Creates `count` sessions for the seeded accounts in turn, each with one refresh token,
/// and writes one token per line to `path`.
async fn seed_refresh_tokens(
    database: &Database,
    count: usize,
    path: &Path,
    now: NaiveDateTime,
) -> Result<usize, SeedError> {
    let account_ids = seeded_account_ids(database, count).await?;
    let mut lines = String::with_capacity(count * 44);
    let mut sessions = Vec::with_capacity(count);
    let mut hashes = Vec::with_capacity(count);
    for account_id in account_ids.iter().cycle().take(count) {
        let token = generate_token();
        hashes.push(hash_token(&token));
        lines.push_str(&token);
        lines.push('\n');
        sessions.push(Session {
            id: uuid::Uuid::new_v4().simple().to_string(),
            account_id: *account_id,
            restricted: false,
            created_at: now,
            last_used_at: now,
            expires_at: now + SEEDED_SESSION_LIFETIME,
            revoked_at: None,
            revoke_reason: None,
            user_agent: Some("incert seed-benchmark".to_owned()),
            ip_address: None,
        });
    }
    database
        .run(move |connection| {
            Ok::<_, SeedError>(seed::insert_sessions(connection, &sessions, &hashes)?)
        })
        .await?;
    write_private_file(path, &lines)?;
    tracing::info!(count, file = %path.display(), "seeded sessions with refresh tokens");
    Ok(count)
}

async fn seeded_account_ids(database: &Database, count: usize) -> Result<Vec<i64>, SeedError> {
    let limit = i64::try_from(count).unwrap_or(i64::MAX);
    database
        .run(move |connection| Ok::<_, SeedError>(seed::seeded_account_ids(connection, limit)?))
        .await
}

/// Writes a file readable by its owner alone, because it contains codes or tokens.
fn write_private_file(path: &Path, contents: &str) -> Result<(), SeedError> {
    let failure = |source| SeedError::File {
        path: path.display().to_string(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(failure)?;
    file.write_all(contents.as_bytes()).map_err(failure)
}
