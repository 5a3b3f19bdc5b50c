//! Random one-time codes, bearer tokens and first-time passwords, keyed hashing of codes, and
//! the server's master key.
//!
//! Every random value here comes straight from the operating system's random number
//! generator (`getrandom`). The functions that return a value without a `Result` panic if
//! that generator fails, because the server cannot do anything safe without randomness.

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::{
    STANDARD_PAD_INDIFFERENT, URL_SAFE_NO_PAD, URL_SAFE_PAD_INDIFFERENT,
};
use hmac::{Hmac, KeyInit as _, Mac as _};
use incert_domain::PasswordPolicy;
use rand::Rng as _;
use rand::rand_core::UnwrapErr;
use rand::rngs::SysRng;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use super::to_hex;

type HmacSha256 = Hmac<Sha256>;

/// Number of possible six-digit login codes.
const LOGIN_CODE_SPACE: u32 = 1_000_000;

/// Random bytes in a bearer token from [`generate_token`].
const TOKEN_BYTES: usize = 32;

/// Length of a password from [`generate_initial_password`], in characters.
const INITIAL_PASSWORD_CHARS: usize = 16;

/// Characters of first-time passwords: ASCII letters and digits without the look-alikes
/// `0`, `O`, `o`, `1`, `l` and `I`. 56 characters give about 5.8 bits each, 93 bits for 16.
const INITIAL_PASSWORD_ALPHABET: &[u8] =
    b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Minimum length of the master key, in bytes.
const MASTER_KEY_MIN_BYTES: usize = 32;

/// Length of a generated master key, in bytes.
const MASTER_KEY_GENERATED_BYTES: usize = 64;

/// File name of the generated master key inside the data directory.
const MASTER_KEY_FILE: &str = "secret.key";

/// Fills `buffer` from the operating system's random number generator.
///
/// # Panics
///
/// Panics if the operating system's random number generator returns an error.
fn fill_random(buffer: &mut [u8]) {
    UnwrapErr(SysRng).fill_bytes(buffer);
}

/// Returns a uniformly distributed number in `0..bound` from the operating system's random
/// number generator. A `bound` of zero is treated as one.
///
/// Rejection sampling removes the modulo bias: a draw at or above the largest multiple of
/// `bound` that fits in 2^32 is discarded and drawn again, which happens with a probability
/// below `bound / 2^32`.
fn random_below(bound: u32) -> u32 {
    let bound = u64::from(bound.max(1));
    let accepted_limit = (1_u64 << 32) / bound * bound;
    let mut rng = UnwrapErr(SysRng);
    loop {
        let draw = u64::from(rng.next_u32());
        if draw < accepted_limit {
            // `draw % bound` is below `bound`, which came from a `u32`.
            return u32::try_from(draw % bound).unwrap_or_default();
        }
    }
}

/// Generates a login code: 6 decimal digits from the OS CSPRNG, uniformly distributed (no
/// modulo bias), leading zeros kept.
///
/// # Panics
///
/// Panics if the operating system's random number generator fails.
pub fn generate_login_code() -> String {
    format!("{:06}", random_below(LOGIN_CODE_SPACE))
}

/// Generates a confirmation code for a password reset or an email change: 8 decimal digits
/// from the OS CSPRNG, uniformly distributed, leading zeros kept. It is longer than a login
/// code because no password stands before a reset.
///
/// # Panics
///
/// Panics if the operating system's random number generator fails.
pub fn generate_confirmation_code() -> String {
    format!("{:08}", random_below(100_000_000))
}

/// Generates a bearer secret such as a refresh token: 32 random bytes, base64url without
/// padding (43 characters).
///
/// # Panics
///
/// Panics if the operating system's random number generator fails.
pub fn generate_token() -> String {
    let mut bytes = [0_u8; TOKEN_BYTES];
    fill_random(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Hashes a high-entropy token such as a refresh token with SHA-256, as lower-case hex, for
/// storage in the database. Use [`CodeHasher`] for low-entropy codes instead.
pub fn hash_token(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

/// Keyed hashing of low-entropy one-time codes with HMAC-SHA256 and a server key, so that a
/// database leak alone does not reveal the codes by brute force.
#[derive(Clone)]
pub struct CodeHasher {
    keyed_mac: HmacSha256,
}

impl CodeHasher {
    /// Creates a hasher keyed with `key`, such as `MasterKey::derive("code-hashing")`.
    pub fn new(key: &[u8]) -> Self {
        Self {
            keyed_mac: new_hmac(key),
        }
    }

    /// Hashes `code` for one purpose (such as `"login"` or `"password_reset"`) and one binding
    /// (such as the challenge id), as lower-case hex. The same code gives a different hash for
    /// another purpose or binding, so a stored hash is valid only for its own challenge.
    pub fn hash(&self, purpose: &str, binding: &str, code: &str) -> String {
        let mut mac = self.keyed_mac.clone();
        // Each field is prefixed with its length, so that ("ab", "c") and ("a", "bc") differ.
        for field in [purpose, binding, code] {
            mac.update(&(field.len() as u64).to_be_bytes());
            mac.update(field.as_bytes());
        }
        to_hex(&mac.finalize().into_bytes())
    }

    /// Checks `code` against `expected_hex` from [`CodeHasher::hash`] in constant time. A value
    /// of another length, or in upper-case hex, never matches.
    pub fn verify(&self, purpose: &str, binding: &str, code: &str, expected_hex: &str) -> bool {
        let actual_hex = self.hash(purpose, binding, code);
        actual_hex.as_bytes().ct_eq(expected_hex.as_bytes()).into()
    }
}

impl fmt::Debug for CodeHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeHasher { key: <redacted> }")
    }
}

/// Creates an HMAC-SHA256 instance keyed with `key`.
fn new_hmac(key: &[u8]) -> HmacSha256 {
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        // hmac 0.13 hashes keys longer than the block size and pads shorter ones, so it
        // returns `Ok` for every key length.
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    }
}

/// Generates a first-time password: 16 characters from an alphabet without look-alike
/// characters (no `0`/`O`/`o`, `1`/`l`/`I`), with at least one letter and one digit, that
/// `PasswordPolicy::default()` accepts.
///
/// # Panics
///
/// Panics if the operating system's random number generator fails.
pub fn generate_initial_password() -> String {
    let policy = PasswordPolicy::default();
    let alphabet_len = u32::try_from(INITIAL_PASSWORD_ALPHABET.len()).unwrap_or(u32::MAX);
    loop {
        let candidate: String = (0..INITIAL_PASSWORD_CHARS)
            .filter_map(|_| {
                let index = usize::try_from(random_below(alphabet_len)).ok()?;
                INITIAL_PASSWORD_ALPHABET
                    .get(index)
                    .copied()
                    .map(char::from)
            })
            .collect();

        let has_letter = candidate.chars().any(|c| c.is_ascii_alphabetic());
        let has_digit = candidate.chars().any(|c| c.is_ascii_digit());
        if candidate.len() != INITIAL_PASSWORD_CHARS || !has_letter || !has_digit {
            continue;
        }
        if let Ok(password) = policy.accept(candidate) {
            return password.expose_secret().to_owned();
        }
    }
}

/// Error from [`load_or_create_master_key`]. No variant contains key material.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The configured secret key is not hex or base64, or is shorter than 32 bytes.
    #[error("invalid configured secret key: {reason}")]
    InvalidConfigured { reason: String },
    /// The key file exists but does not contain a valid key.
    #[error("invalid secret key in {}: {reason}", .path.display())]
    InvalidFile { path: PathBuf, reason: String },
    /// Reading or writing the key file failed.
    #[error("failed to {action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// The server's master secret, from which purpose-specific keys are derived.
#[derive(Clone)]
pub struct MasterKey(Vec<u8>);

impl MasterKey {
    /// Derives a purpose-specific subkey: HMAC-SHA256(master, label). Labels in use are
    /// `"jwt-signing"` and `"code-hashing"`. The result is 32 bytes long.
    pub fn derive(&self, label: &str) -> Vec<u8> {
        let mut mac = new_hmac(&self.0);
        mac.update(label.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

/// Loads the server's master secret.
///
/// The key comes from `configured` (hex or base64 of at least 32 bytes) when given. Otherwise
/// it is read from `<data_dir>/secret.key`, which contains the key as hex or base64 text. When
/// that file does not exist, 64 random bytes are generated and written there as hex with mode
/// 0600. The new file is written under a temporary name and then hard-linked into place, which
/// fails if the file already exists. So when two processes start at once, one key wins, the
/// other process reads it, and nobody reads a half-written file.
///
/// The directory `data_dir` must exist.
pub fn load_or_create_master_key(
    configured: Option<&str>,
    data_dir: &Path,
) -> Result<MasterKey, KeyError> {
    if let Some(text) = configured {
        return parse_key_text(text)
            .map(MasterKey)
            .map_err(|reason| KeyError::InvalidConfigured { reason });
    }

    let path = data_dir.join(MASTER_KEY_FILE);
    match read_key_file(&path) {
        Err(KeyError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            create_key_file(data_dir, &path)
        }
        result => result,
    }
}

/// Reads and parses an existing key file.
fn read_key_file(path: &Path) -> Result<MasterKey, KeyError> {
    let text = fs::read_to_string(path).map_err(|source| KeyError::Io {
        action: "read the secret key file",
        path: path.to_owned(),
        source,
    })?;
    warn_if_readable_by_others(path);
    parse_key_text(&text)
        .map(MasterKey)
        .map_err(|reason| KeyError::InvalidFile {
            path: path.to_owned(),
            reason,
        })
}

/// Generates a key and publishes it at `path`, or reads the key that another process published
/// there first.
fn create_key_file(data_dir: &Path, path: &Path) -> Result<MasterKey, KeyError> {
    let mut key = vec![0_u8; MASTER_KEY_GENERATED_BYTES];
    fill_random(&mut key);

    let temporary_path = data_dir.join(format!(
        ".{MASTER_KEY_FILE}.{}.tmp",
        uuid::Uuid::new_v4().simple()
    ));
    write_private_file(&temporary_path, format!("{}\n", to_hex(&key)).as_bytes()).map_err(
        |source| KeyError::Io {
            action: "write the new secret key file",
            path: temporary_path.clone(),
            source,
        },
    )?;

    // A hard link never replaces an existing file, so the first process to link wins.
    // NOTE: filesystems without hard links (FAT, some network mounts) fail here. Configure the
    // key instead of generating it on such a filesystem.
    let published = fs::hard_link(&temporary_path, path);
    if let Err(error) = fs::remove_file(&temporary_path) {
        tracing::warn!(
            path = %temporary_path.display(),
            %error,
            "failed to remove the temporary secret key file; delete it by hand"
        );
    }

    match published {
        Ok(()) => {
            tracing::info!(path = %path.display(), "generated a new secret key");
            Ok(MasterKey(key))
        }
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => read_key_file(path),
        Err(source) => Err(KeyError::Io {
            action: "create the secret key file",
            path: path.to_owned(),
            source,
        }),
    }
}

/// Writes `contents` to a new file that only the owner can read and write, and flushes it to
/// disk. Fails if the file exists.
fn write_private_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Logs a warning when the key file can be read by its group or by others.
fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(metadata) = fs::metadata(path)
            && metadata.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                path = %path.display(),
                "the secret key file can be read by other users; restrict it with chmod 600"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Decodes a key written as hex or as base64 (standard or URL-safe alphabet, padding
/// optional), ignoring surrounding whitespace, and checks its length. Text that consists only
/// of hex digits is read as hex. The error message never contains the text.
fn parse_key_text(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("the key is empty".to_owned());
    }

    let bytes = decode_hex(text)
        .or_else(|| STANDARD_PAD_INDIFFERENT.decode(text).ok())
        .or_else(|| URL_SAFE_PAD_INDIFFERENT.decode(text).ok())
        .ok_or_else(|| "the key is neither hex nor base64".to_owned())?;

    if bytes.len() < MASTER_KEY_MIN_BYTES {
        return Err(format!(
            "the key has {} bytes but at least {MASTER_KEY_MIN_BYTES} are required; \
             generate one with `openssl rand -hex 64`",
            bytes.len()
        ));
    }
    Ok(bytes)
}

/// Decodes hex text of even length, or returns `None` when `text` is not hex.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(pair, 16).ok()
        })
        .collect()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]
mod tests;
