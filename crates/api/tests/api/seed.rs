//! `incert seed-benchmark`: set-based benchmark data that the server accepts, on both backends.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};

use diesel::prelude::*;
use incert_api::config::Secret;
use incert_api::storage::StorageError;
use incert_api::storage::schema::{
    accounts, applications, certificate_number_sequences, certificates,
};
use incert_domain::CertificateNumber;
use serde_json::json;

use crate::helpers::{Backend, TestApp, fresh_database_url, json_body};
use crate::on_both_backends;

const PASSWORD: &str = "Bänkprov-lösenord 2026";
const SECRET_KEY: &str = "4f1c9e7a2b3d5c6e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";

/// Runs `incert seed-benchmark` with test-sized hashing parameters and the given arguments.
/// The password goes through the environment, as `scripts/bench.sh` passes it.
fn run_seed(database_url: &str, data_dir: &Path, arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_incert"))
        .arg("seed-benchmark")
        .args(arguments)
        .env("INCERT_DATABASE_URL", database_url)
        .env("INCERT_DATA_DIR", data_dir)
        .env("INCERT_SECRET_KEY", SECRET_KEY)
        .env("BENCH_PASSWORD", PASSWORD)
        .env("INCERT_LOG_FILTER", "warn")
        .env("INCERT_PASSWORD_HASH_MEMORY_KIB", "4096")
        .env("INCERT_PASSWORD_HASH_ITERATIONS", "1")
        .output()
        .expect("run incert")
}

/// Rows of the seeded tables, read back for the checks.
struct Seeded {
    accounts: i64,
    approved_applications: i64,
    numbers: Vec<String>,
    certificate_owners: Vec<(i64, i64, i64)>,
    application_owners: Vec<(i64, i64, i64)>,
    sequences: Vec<(i32, i32)>,
}

async fn read_seeded(app: &TestApp) -> Seeded {
    app.database()
        .run(|connection| {
            let seeded_accounts = accounts::table
                .filter(accounts::email_key.like("bench.%@example.se"))
                .count()
                .get_result(connection)?;
            let approved_applications = applications::table
                .filter(applications::state.eq("approved"))
                .count()
                .get_result(connection)?;
            let numbers = certificates::table
                .select(certificates::number)
                .load(connection)?;
            let certificate_owners = certificates::table
                .select((
                    certificates::application_id,
                    certificates::account_id,
                    certificates::certificate_type_id,
                ))
                .load(connection)?;
            let application_owners = applications::table
                .select((
                    applications::id,
                    applications::account_id,
                    applications::certificate_type_id,
                ))
                .load(connection)?;
            let sequences = certificate_number_sequences::table
                .select((
                    certificate_number_sequences::year,
                    certificate_number_sequences::last_value,
                ))
                .order(certificate_number_sequences::year)
                .load(connection)?;
            Ok::<_, StorageError>(Seeded {
                accounts: seeded_accounts,
                approved_applications,
                numbers,
                certificate_owners,
                application_owners,
                sequences,
            })
        })
        .await
        .expect("read the seeded rows")
}

async fn seed_benchmark(backend: Backend) {
    let directory = tempfile::tempdir().expect("tempdir");
    let database_url = fresh_database_url(backend, directory.path());
    let challenges_file = directory.path().join("challenges.txt");
    let tokens_file = directory.path().join("refresh-tokens.txt");

    // Batches of 20 accounts, so 50 accounts take three batches.
    let output = run_seed(
        &database_url,
        directory.path(),
        &[
            "--accounts=50",
            "--certificates-per-account=3",
            "--batch-size=20",
            "--login-challenges=2",
            &format!("--challenges-file={}", challenges_file.display()),
            "--refresh-tokens=2",
            &format!("--refresh-tokens-file={}", tokens_file.display()),
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("accounts=50\n"), "{stdout}");
    assert!(stdout.contains("certificates=150\n"), "{stdout}");
    assert!(
        !stdout.contains("password="),
        "a given password is not printed: {stdout}"
    );

    let app = TestApp::spawn_with(backend, |settings| {
        settings.database_url = Some(Secret::new(database_url.clone()));
        settings.secret_key = Some(Secret::new(SECRET_KEY));
    })
    .await;
    let seeded = read_seeded(&app).await;
    assert_eq!(seeded.accounts, 50);
    assert_eq!(seeded.approved_applications, 150);
    assert_eq!(seeded.numbers.len(), 150);
    let distinct: HashSet<&str> = seeded.numbers.iter().map(String::as_str).collect();
    assert_eq!(distinct.len(), 150, "certificate numbers are unique");
    for number in &seeded.numbers {
        assert!(CertificateNumber::parse(number).is_ok(), "{number}");
    }

    let applications: HashSet<(i64, i64, i64)> = seeded.application_owners.into_iter().collect();
    for owner in &seeded.certificate_owners {
        assert!(
            applications.contains(owner),
            "certificate of application {} matches its account and type",
            owner.0
        );
    }
    let mut per_account = std::collections::HashMap::<i64, usize>::new();
    for (_, account_id, _) in &seeded.certificate_owners {
        *per_account.entry(*account_id).or_default() += 1;
    }
    assert_eq!(per_account.len(), 50);
    assert!(per_account.values().all(|count| *count == 3));

    assert_eq!(
        seeded.sequences.len(),
        10,
        "certificates spread over ten years"
    );
    for (year, last_value) in &seeded.sequences {
        let highest = format!("INC-{year}-{last_value:06}");
        let next = format!("INC-{year}-{:06}", last_value + 1);
        assert!(distinct.contains(highest.as_str()), "{highest} was issued");
        assert!(!distinct.contains(next.as_str()), "{next} is still free");
    }

    let login = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "bench.7@example.se", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status(), 200, "the seeded password is accepted");
    assert!(json_body(login).await["challenge_id"].is_string());

    let challenges = std::fs::read_to_string(&challenges_file).expect("challenges file");
    assert_eq!(challenges.lines().count(), 2);
    let (challenge_id, code) = challenges
        .lines()
        .next()
        .and_then(|line| line.split_once(' '))
        .expect("challenge line");
    let verified = app
        .post_json(
            &format!("/api/v1/auth/login/{challenge_id}/code"),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(verified.status(), 200, "a seeded login code is accepted");

    let tokens = std::fs::read_to_string(&tokens_file).expect("refresh token file");
    assert_eq!(tokens.lines().count(), 2);
    let token = tokens.lines().next().expect("token line");
    let refreshed = app
        .post_json(
            "/api/v1/auth/token/refresh",
            &json!({"refresh_token": token}),
        )
        .await;
    assert_eq!(
        refreshed.status(),
        200,
        "a seeded refresh token is accepted"
    );
    let access_token = json_body(refreshed).await["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let listed = app
        .client
        .get(app.url("/api/v1/me/certificates"))
        .bearer_auth(&access_token)
        .send()
        .await
        .expect("certificate list");
    assert_eq!(listed.status(), 200, "Min Sida lists seeded certificates");
    let listed = json_body(listed).await;
    assert_eq!(listed["total"], 3);
    let name = &listed["groups"][0]["certificates"][0]["certificate"];
    assert!(
        name.as_str().is_some_and(|name| !name.is_empty()),
        "seeded certificates carry their type's name: {listed}"
    );

    let again = run_seed(&database_url, directory.path(), &["--accounts=1"]);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("already has 50 seeded accounts"),
        "{stderr}"
    );
}

on_both_backends!(seed_benchmark);
