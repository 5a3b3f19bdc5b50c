//! Password hashing in helper processes (`incert hash-worker`), as `incert serve` runs it.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use incert_api::security::{HashParams, PasswordHasher, Verification};
use tokio::sync::Mutex;

/// Cheap parameters, so that the tests spend their time on the helpers, not on Argon2.
const FAST: HashParams = HashParams {
    memory_kib: 1_024,
    iterations: 1,
    parallelism: 1,
};

/// The tests that look for helper processes of this test program run one at a time, so
/// that each finds only its own.
static HELPER_TESTS: Mutex<()> = Mutex::const_new(());

fn program() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_incert"))
}

fn with_helpers(max_concurrent: usize) -> PasswordHasher {
    PasswordHasher::with_helper_processes(FAST, max_concurrent, program(), Duration::from_secs(60))
        .expect("hasher")
}

/// Process ids of the helpers that this test program has started and not yet reaped.
fn helper_ids() -> Vec<u32> {
    let own = std::process::id();
    let mut ids = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("read /proc") {
        let Ok(id) = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .parse::<u32>()
        else {
            continue;
        };
        let (Ok(stat), Ok(command)) = (
            std::fs::read_to_string(format!("/proc/{id}/stat")),
            std::fs::read(format!("/proc/{id}/cmdline")),
        ) else {
            continue;
        };
        let parent = stat_field(&stat, 4);
        let arguments: Vec<&[u8]> = command.split(|byte| *byte == 0).collect();
        if parent == Some(own) && arguments.get(1) == Some(&b"hash-worker".as_slice()) {
            ids.push(id);
        }
    }
    ids
}

/// Field `number` (1-based, as in proc(5)) of a `/proc/<id>/stat` line, for the numeric
/// fields after the command name.
fn stat_field(stat: &str, number: usize) -> Option<u32> {
    let after_name = &stat[stat.rfind(')')? + 2..];
    after_name.split(' ').nth(number - 3)?.parse().ok()
}

/// Sends `signal` to the process `id`.
#[cfg(target_os = "linux")]
fn signal(id: u32, signal: rustix::process::Signal) {
    let process = rustix::process::Pid::from_raw(i32::try_from(id).unwrap()).unwrap();
    rustix::process::kill_process(process, signal).unwrap();
}

async fn wait_until_gone(ids: &[u32]) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while ids
        .iter()
        .any(|id| std::path::Path::new(&format!("/proc/{id}")).exists())
    {
        assert!(Instant::now() < deadline, "helpers {ids:?} still run");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn helpers_compute_what_threads_compute() {
    let _alone = HELPER_TESTS.lock().await;
    let threads = PasswordHasher::new(FAST, 1).expect("hasher");
    let helpers = with_helpers(2);

    let from_helper = helpers.hash("korrekt häst".to_owned()).await.unwrap();
    let from_thread = threads.hash("korrekt häst".to_owned()).await.unwrap();
    for (hasher, stored) in [(&threads, &from_helper), (&helpers, &from_thread)] {
        assert_eq!(
            hasher
                .verify("korrekt häst".to_owned(), Some(stored.clone()))
                .await
                .unwrap(),
            Verification::Match { rehash: None }
        );
        assert_eq!(
            hasher
                .verify("korrekt hast".to_owned(), Some(stored.clone()))
                .await
                .unwrap(),
            Verification::Mismatch
        );
    }

    // A hash with older parameters is upgraded to the current ones.
    let older = HashParams {
        memory_kib: 2_048,
        ..FAST
    };
    let old_hash = PasswordHasher::new(older, 1)
        .unwrap()
        .hash("gammalt lösen".to_owned())
        .await
        .unwrap();
    let Verification::Match {
        rehash: Some(upgraded),
    } = helpers
        .verify("gammalt lösen".to_owned(), Some(old_hash))
        .await
        .unwrap()
    else {
        panic!("no upgrade");
    };
    assert!(upgraded.contains("m=1024,t=1,p=1"), "{upgraded}");
    assert_eq!(
        threads
            .verify("gammalt lösen".to_owned(), Some(upgraded))
            .await
            .unwrap(),
        Verification::Match { rehash: None }
    );

    // Parameters that Argon2 rejects (a memory cost below its minimum) are a mismatch, not
    // a failure of the helper.
    let unusable = from_helper.replace("m=1024", "m=1");
    assert_eq!(
        helpers
            .verify("korrekt häst".to_owned(), Some(unusable))
            .await
            .unwrap(),
        Verification::Mismatch
    );
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn helpers_run_alone_at_the_lowest_priority() {
    let _alone = HELPER_TESTS.lock().await;
    // The helpers of the test before end shortly after their hasher is dropped.
    wait_until_gone(&helper_ids()).await;
    let hasher = with_helpers(1);
    hasher
        .hash("lösenord i egen process".to_owned())
        .await
        .unwrap();

    let ids = helper_ids();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let id = ids[0];
    let stat = std::fs::read_to_string(format!("/proc/{id}/stat")).unwrap();
    assert_eq!(
        stat_field(&stat, 6),
        Some(id),
        "not a session leader: {stat}"
    );
    let niceness =
        rustix::process::getpriority_process(rustix::process::Pid::from_raw(id as i32)).unwrap();
    assert!(niceness >= 10, "niceness {niceness}");
    if let Ok(autogroup) = std::fs::read_to_string(format!("/proc/{id}/autogroup")) {
        assert!(autogroup.trim_end().ends_with("nice 19"), "{autogroup}");
    }
    // No setting of the server, such as its secret key, reaches a helper.
    let environment = std::fs::read(format!("/proc/{id}/environ")).unwrap();
    assert!(
        environment.is_empty(),
        "{}",
        String::from_utf8_lossy(&environment)
    );

    drop(hasher);
    wait_until_gone(&ids).await;
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn killed_helper_is_replaced_without_a_failed_login() {
    let _alone = HELPER_TESTS.lock().await;
    // The helpers of the test before end shortly after their hasher is dropped.
    wait_until_gone(&helper_ids()).await;
    let hasher = with_helpers(1);
    let stored = hasher.hash("hoppas på omstart".to_owned()).await.unwrap();
    let first = helper_ids();
    assert_eq!(first.len(), 1, "{first:?}");

    signal(first[0], rustix::process::Signal::KILL);
    assert_eq!(
        hasher
            .verify("hoppas på omstart".to_owned(), Some(stored))
            .await
            .unwrap(),
        Verification::Match { rehash: None }
    );
    let second = helper_ids();
    assert_eq!(second.len(), 1, "{second:?}");
    assert_ne!(second, first);

    drop(hasher);
    wait_until_gone(&second).await;
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn stopped_helper_is_replaced_after_timeout() {
    let _alone = HELPER_TESTS.lock().await;
    wait_until_gone(&helper_ids()).await;
    let hasher = PasswordHasher::with_helper_processes(FAST, 1, program(), Duration::from_secs(1))
        .expect("hasher");
    // Longer than a pipe holds, so that sending it to the stopped helper cannot finish either.
    let password = "väntar på svar ".repeat(20_000);
    let stored = hasher.hash(password.clone()).await.unwrap();
    let first = helper_ids();
    assert_eq!(first.len(), 1, "{first:?}");

    signal(first[0], rustix::process::Signal::STOP);
    let started = Instant::now();
    let verification = tokio::time::timeout(
        Duration::from_secs(30),
        hasher.verify(password, Some(stored)),
    )
    .await
    .expect("the stopped helper held the verification")
    .unwrap();
    let waited = started.elapsed();

    assert_eq!(verification, Verification::Match { rehash: None });
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
    assert!(waited < Duration::from_secs(10), "{waited:?}");
    let second = helper_ids();
    assert_eq!(second.len(), 1, "{second:?}");
    assert_ne!(second, first, "the stopped helper was not replaced");

    drop(hasher);
    wait_until_gone(&second).await;
}

/// A helper is killed when the thread that started it ends, even while it is stopped and
/// cannot notice that its input closed, as when the server exits.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn helper_dies_with_its_thread() {
    let _alone = HELPER_TESTS.lock().await;
    let starter = std::thread::spawn(|| {
        let child = Command::new(program())
            .arg("hash-worker")
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the helper");
        // Time for the helper to ask for the signal before this thread ends.
        std::thread::sleep(Duration::from_millis(500));
        signal(child.id(), rustix::process::Signal::STOP);
        child
    });
    let mut child = starter.join().unwrap();

    let status = child.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9),
        "{status:?}"
    );
}

/// Runs `incert hash-worker` with `input` on its standard input.
fn run_helper(input: &[u8]) -> std::process::Output {
    let mut child = Command::new(program())
        .arg("hash-worker")
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the helper");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

fn field(bytes: &[u8]) -> Vec<u8> {
    let mut encoded = u32::try_from(bytes.len()).unwrap().to_le_bytes().to_vec();
    encoded.extend_from_slice(bytes);
    encoded
}

#[tokio::test]
async fn helper_speaks_its_documented_format() {
    let _alone = HELPER_TESTS.lock().await;
    let salt = b"saltsaltsaltsalt";
    let mut request = field(b"argon2id");
    for value in [0x13_u32, 64, 1, 1, 32] {
        request.extend_from_slice(&value.to_le_bytes());
    }
    request.extend(field(b""));
    request.extend(field(salt));
    request.extend(field("lösenord".as_bytes()));
    // The same request twice: a helper handles requests until its input ends.
    let output = run_helper(&[request.clone(), request].concat());
    assert!(output.status.success(), "{output:?}");

    let mut expected = [0_u8; 32];
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(64, 1, 1, Some(32)).unwrap(),
    )
    .hash_password_into("lösenord".as_bytes(), salt, &mut expected)
    .unwrap();
    let reply = [vec![0], field(&expected)].concat();
    assert_eq!(output.stdout, [reply.clone(), reply].concat());
}

#[tokio::test]
async fn helper_refuses_broken_input_without_panicking() {
    let _alone = HELPER_TESTS.lock().await;
    // An algorithm name that claims 4 GiB.
    let output = run_helper(&u32::MAX.to_le_bytes());
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("too long"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty());

    // A request cut off in the middle.
    let output = run_helper(&field(b"argon2id"));
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());

    // Parameters that Argon2 rejects get a rejection, and the helper goes on.
    let mut request = field(b"argon2id");
    for value in [0x13_u32, 1, 1, 1, 32] {
        request.extend_from_slice(&value.to_le_bytes());
    }
    request.extend(field(b""));
    request.extend(field(b"saltsaltsaltsalt"));
    request.extend(field(b"password"));
    let output = run_helper(&request);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(output.stdout.first(), Some(&1), "{:?}", output.stdout);

    // No input at all is a helper whose server stopped before using it.
    let output = run_helper(b"");
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty());
}
