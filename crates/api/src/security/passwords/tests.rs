use std::io;
use std::time::{Duration, Instant};

use argon2::PasswordHasher as _;
use argon2::PasswordVerifier as _;

use super::*;

/// Small parameters that keep most tests fast.
const FAST: HashParams = HashParams {
    memory_kib: 1024,
    iterations: 1,
    parallelism: 1,
};

fn hasher(params: HashParams, max_concurrent: usize) -> PasswordHasher {
    PasswordHasher::new(params, max_concurrent).unwrap()
}

fn argon2_runs(hasher: &PasswordHasher) -> u64 {
    hasher.inner.activity.argon2_runs.load(Ordering::SeqCst)
}

fn peak_running(hasher: &PasswordHasher) -> usize {
    hasher.inner.activity.peak_running.load(Ordering::SeqCst)
}

/// Hashes `password` with the `argon2` crate's own API instead of this module's.
fn library_phc(algorithm: Algorithm, params: HashParams, password: &str) -> String {
    let params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        None,
    )
    .unwrap();
    Argon2::new(algorithm, Version::V0x13, params)
        .hash_password(password.as_bytes())
        .unwrap()
        .to_string()
}

#[test]
fn default_params_are_owasp_minimum() {
    assert_eq!(
        HashParams::default(),
        HashParams {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    );
}

#[tokio::test]
async fn default_params_in_phc_string() {
    let hasher = hasher(HashParams::default(), 1);
    let phc = hasher.hash("kanelbulle7".to_owned()).await.unwrap();
    assert!(
        phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "unexpected PHC prefix"
    );
    assert_eq!(
        hasher
            .verify("kanelbulle7".to_owned(), Some(phc))
            .await
            .unwrap(),
        Verification::Match { rehash: None }
    );
}

#[tokio::test]
async fn hash_then_verify_matches() {
    let hasher = hasher(FAST, 2);
    let phc = hasher.hash("kanelbulle7".to_owned()).await.unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));

    // 16 salt bytes and 32 output bytes in unpadded base64: 22 and 43 characters.
    let parts: Vec<&str> = phc.split('$').collect();
    assert_eq!(parts.len(), 6);
    assert_eq!(parts[4].len(), 22);
    assert_eq!(parts[5].len(), 43);

    let verification = hasher
        .verify("kanelbulle7".to_owned(), Some(phc))
        .await
        .unwrap();
    assert_eq!(verification, Verification::Match { rehash: None });
}

#[tokio::test]
async fn hashes_use_fresh_salts() {
    let hasher = hasher(FAST, 2);
    let first = hasher.hash("kanelbulle7".to_owned()).await.unwrap();
    let second = hasher.hash("kanelbulle7".to_owned()).await.unwrap();
    assert_ne!(first, second);
}

#[tokio::test]
async fn wrong_password_mismatch() {
    let hasher = hasher(FAST, 2);
    let phc = hasher.hash("kanelbulle7".to_owned()).await.unwrap();
    for wrong in ["kanelbulle8", "Kanelbulle7", "kanelbulle7 ", ""] {
        let verification = hasher
            .verify(wrong.to_owned(), Some(phc.clone()))
            .await
            .unwrap();
        assert_eq!(verification, Verification::Mismatch, "password {wrong:?}");
    }
}

#[tokio::test]
async fn unknown_account_runs_argon2() {
    let hasher = hasher(FAST, 2);

    // The first call creates the dummy hash, which is its one Argon2 computation.
    let before = argon2_runs(&hasher);
    let verification = hasher.verify("kanelbulle7".to_owned(), None).await.unwrap();
    assert_eq!(verification, Verification::Mismatch);
    assert_eq!(argon2_runs(&hasher) - before, 1);
    assert!(hasher.inner.dummy_hash.initialized());

    // Later calls verify against the dummy hash.
    let before = argon2_runs(&hasher);
    let verification = hasher.verify("kanelbulle7".to_owned(), None).await.unwrap();
    assert_eq!(verification, Verification::Mismatch);
    assert_eq!(argon2_runs(&hasher) - before, 1);
}

#[tokio::test]
async fn unknown_account_takes_similar_time() {
    // Large enough for the timing to be dominated by Argon2 (several milliseconds).
    let params = HashParams {
        memory_kib: 8192,
        iterations: 2,
        parallelism: 1,
    };
    let hasher = hasher(params, 1);
    let phc = hasher.hash("kanelbulle7".to_owned()).await.unwrap();
    hasher.verify("warm-up".to_owned(), None).await.unwrap();

    let mut known = Duration::MAX;
    let mut unknown = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        hasher
            .verify("kanelbulle8".to_owned(), Some(phc.clone()))
            .await
            .unwrap();
        known = known.min(start.elapsed());

        let start = Instant::now();
        hasher.verify("kanelbulle8".to_owned(), None).await.unwrap();
        unknown = unknown.min(start.elapsed());
    }
    assert!(
        unknown.as_secs_f64() >= 0.3 * known.as_secs_f64(),
        "unknown account took {unknown:?}, known account {known:?}"
    );
}

#[tokio::test]
async fn params_change_gives_rehash() {
    let old = hasher(FAST, 2);
    let new_params = HashParams {
        memory_kib: 2048,
        iterations: 2,
        parallelism: 1,
    };
    let new = hasher(new_params, 2);
    let old_phc = old.hash("kanelbulle7".to_owned()).await.unwrap();

    let verification = new
        .verify("kanelbulle7".to_owned(), Some(old_phc.clone()))
        .await
        .unwrap();
    let Verification::Match {
        rehash: Some(rehashed),
    } = verification
    else {
        panic!("expected a match with a rehash, got {verification:?}");
    };
    assert!(rehashed.starts_with("$argon2id$v=19$m=2048,t=2,p=1$"));

    let verification = new
        .verify("kanelbulle7".to_owned(), Some(rehashed))
        .await
        .unwrap();
    assert_eq!(verification, Verification::Match { rehash: None });

    // A wrong password never yields a rehash.
    let verification = new
        .verify("kanelbulle8".to_owned(), Some(old_phc))
        .await
        .unwrap();
    assert_eq!(verification, Verification::Mismatch);
}

#[tokio::test]
async fn other_argon2_variant_rehashed() {
    let hasher = hasher(FAST, 2);
    for algorithm in [Algorithm::Argon2i, Algorithm::Argon2d] {
        let legacy = library_phc(algorithm, FAST, "kanelbulle7");
        let verification = hasher
            .verify("kanelbulle7".to_owned(), Some(legacy))
            .await
            .unwrap();
        let Verification::Match {
            rehash: Some(rehashed),
        } = verification
        else {
            panic!("expected a match with a rehash for {algorithm:?}, got {verification:?}");
        };
        assert!(rehashed.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
    }
}

#[tokio::test]
async fn matches_argon2_crate_both_ways() {
    let hasher = hasher(FAST, 1);
    // Leave data of other passwords in the pooled buffer first, so that the checks below
    // also cover reuse of a dirty buffer.
    for password in ["first", "second"] {
        hasher.hash(password.to_owned()).await.unwrap();
    }

    let ours = hasher.hash("kanelbulle7".to_owned()).await.unwrap();
    let parsed = PasswordHash::new(&ours).unwrap();
    assert!(
        Argon2::default()
            .verify_password(b"kanelbulle7", &parsed)
            .is_ok()
    );
    assert!(
        Argon2::default()
            .verify_password(b"kanelbulle8", &parsed)
            .is_err()
    );

    let theirs = library_phc(Algorithm::Argon2id, FAST, "kanelbulle7");
    let verification = hasher
        .verify("kanelbulle7".to_owned(), Some(theirs.clone()))
        .await
        .unwrap();
    assert_eq!(verification, Verification::Match { rehash: None });
    let verification = hasher
        .verify("kanelbulle8".to_owned(), Some(theirs))
        .await
        .unwrap();
    assert_eq!(verification, Verification::Mismatch);
}

#[tokio::test]
async fn malformed_phc_mismatch() {
    let hasher = hasher(FAST, 2);
    let valid = hasher.hash("kanelbulle7".to_owned()).await.unwrap();
    let (prefix, _hash) = valid.rsplit_once('$').unwrap();
    let salt = prefix.rsplit_once('$').unwrap().1;

    let cases = [
        String::new(),
        "not a hash".to_owned(),
        "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234".to_owned(),
        format!("$pbkdf2-sha256$i=1000${salt}$AAAAAAAAAAAAAAAAAAAAAA"),
        // Salt present, hash missing.
        prefix.to_owned(),
        // Version 153 (0x99) does not exist.
        valid.replace("v=19", "v=153"),
        // Below the minimum memory cost of 8 KiB per lane.
        valid.replace("m=1024", "m=1"),
        // Hash output shortened to 3 bytes.
        format!("{prefix}$AAAA"),
        // Not base64.
        format!("{prefix}$!!!!"),
    ];
    for stored in cases {
        let verification = hasher
            .verify("kanelbulle7".to_owned(), Some(stored.clone()))
            .await
            .unwrap();
        assert_eq!(verification, Verification::Mismatch, "stored {stored:?}");
    }
}

/// Log output collected by a test subscriber.
#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn malformed_phc_logged_once_without_string() {
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);

    let hasher = hasher(FAST, 1);
    let stored = "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$MALFORMED-secret-looking-hash";
    let verification = hasher
        .verify("kanelbulle7".to_owned(), Some(stored.to_owned()))
        .await
        .unwrap();
    assert_eq!(verification, Verification::Mismatch);

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let warnings: Vec<&str> = text.lines().filter(|line| line.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "log: {text}");
    assert!(!text.contains("MALFORMED"), "log: {text}");
    assert!(!text.contains("c29tZXNhbHQ"), "log: {text}");
    assert!(!text.contains("kanelbulle7"), "log: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_bound_respected() {
    for max_concurrent in [1, 2] {
        let params = HashParams {
            memory_kib: 4096,
            iterations: 1,
            parallelism: 1,
        };
        let hasher = hasher(params, max_concurrent);
        let phc = hasher.hash("kanelbulle7".to_owned()).await.unwrap();

        let tasks: Vec<_> = (0..6)
            .map(|i| {
                let hasher = hasher.clone();
                let phc = phc.clone();
                tokio::spawn(async move {
                    if i % 2 == 0 {
                        hasher.verify("kanelbulle7".to_owned(), Some(phc)).await
                    } else {
                        hasher.verify("kanelbulle7".to_owned(), None).await
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }

        assert!(peak_running(&hasher) >= 1);
        assert!(
            peak_running(&hasher) <= max_concurrent,
            "peak {} with max_concurrent {max_concurrent}",
            peak_running(&hasher)
        );
        assert_eq!(
            hasher.inner.permits.available_permits(),
            max_concurrent,
            "a permit leaked"
        );
        let pooled = hasher.inner.memory.idle.lock().unwrap().len();
        assert!(
            (1..=max_concurrent).contains(&pooled),
            "{pooled} pooled buffers"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_call_keeps_slot() {
    let hasher = hasher(HashParams::default(), 1);

    let background = hasher.clone();
    let task = tokio::spawn(async move { background.hash("kanelbulle7".to_owned()).await });
    let deadline = Instant::now() + Duration::from_secs(10);
    while hasher.inner.activity.running.load(Ordering::SeqCst) == 0 {
        assert!(Instant::now() < deadline, "the first hash never started");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    task.abort();

    // The aborted call's computation still keeps the only slot, so this one waits for it.
    hasher.hash("kanelbulle8".to_owned()).await.unwrap();
    assert_eq!(peak_running(&hasher), 1);
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn hashing_threads_run_at_lower_priority() {
    let hasher = hasher(FAST, 2);
    let own = rustix::process::getpriority_process(None).unwrap();

    let (name, niceness) = hasher
        .run_blocking(|_| {
            let thread = rustix::thread::gettid();
            (
                std::thread::current().name().map(str::to_owned),
                rustix::process::getpriority_process(Some(thread)).unwrap(),
            )
        })
        .await
        .unwrap();

    assert_eq!(
        name.as_deref().map(|name| name.starts_with("argon2-")),
        Some(true)
    );
    assert_eq!(niceness, HASH_THREAD_NICENESS.max(own));
}

#[cfg(target_os = "linux")]
#[test]
fn lower_priority_keeps_higher_niceness() {
    let niceness_after = |start: i32| {
        std::thread::spawn(move || {
            let thread = rustix::thread::gettid();
            rustix::process::setpriority_process(Some(thread), start).unwrap();
            lower_priority();
            rustix::process::getpriority_process(Some(thread)).unwrap()
        })
        .join()
        .unwrap()
    };

    assert_eq!(
        niceness_after(HASH_THREAD_NICENESS + 5),
        HASH_THREAD_NICENESS + 5
    );
}

#[test]
fn new_rejects_bad_config() {
    assert!(matches!(
        PasswordHasher::new(FAST, 0),
        Err(HashError::InvalidConcurrency(0))
    ));
    for params in [
        HashParams {
            memory_kib: 1,
            ..FAST
        },
        HashParams {
            iterations: 0,
            ..FAST
        },
        HashParams {
            parallelism: 0,
            ..FAST
        },
    ] {
        assert!(
            matches!(
                PasswordHasher::new(params, 1),
                Err(HashError::InvalidParams(_))
            ),
            "params {params:?}"
        );
    }
}

#[tokio::test]
async fn larger_stored_memory_not_pooled() {
    let hasher = hasher(FAST, 1);
    let bigger = HashParams {
        memory_kib: 4096,
        ..FAST
    };
    let stored = library_phc(Algorithm::Argon2id, bigger, "kanelbulle7");
    let verification = hasher
        .verify("kanelbulle7".to_owned(), Some(stored))
        .await
        .unwrap();
    assert!(matches!(
        verification,
        Verification::Match { rehash: Some(_) }
    ));

    let idle = hasher.inner.memory.idle.lock().unwrap();
    assert_eq!(idle.len(), 1);
    assert_eq!(idle[0].len(), 1024, "pooled buffer has another size");
}

#[test]
fn debug_hides_hashes() {
    let verification = Verification::Match {
        rehash: Some("$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA".to_owned()),
    };
    let printed = format!("{verification:?}");
    assert!(!printed.contains("argon2id"), "{printed}");
    assert_eq!(printed, "Match { rehash: Some(<redacted>) }");

    let printed = format!("{:?}", hasher(FAST, 3));
    assert!(printed.contains("max_concurrent: 3"), "{printed}");
}

/// Prints the time of one verification with the default parameters. Run with
/// `cargo test --release -p incert-api --lib default_params_timing -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "measurement, not a check"]
async fn default_params_timing() {
    let hasher = hasher(HashParams::default(), 1);
    let phc = hasher.hash("kanelbulle7".to_owned()).await.unwrap();
    let mut times = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        hasher
            .verify("kanelbulle7".to_owned(), Some(phc.clone()))
            .await
            .unwrap();
        times.push(start.elapsed());
    }
    times.sort();
    eprintln!(
        "verify with default params: min {:?}, median {:?}, max {:?}",
        times[0], times[7], times[14]
    );
}
