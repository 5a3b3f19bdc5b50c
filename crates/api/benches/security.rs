//! Cost of the server's cryptographic steps, measured with criterion: Argon2id password
//! hashing at the default settings, keyed hashing of login codes, and signing and verifying
//! access tokens. Run with `cargo bench -p incert-api --bench security`.

use std::hint::black_box;
use std::time::Duration;

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use incert_api::config::Settings;
use incert_api::security::{CodeHasher, HashParams, PasswordHasher, TokenIssuer, TokenScope};

/// A password the default password policy accepts. Its value does not change the cost.
const PASSWORD: &str = "correct horse battery staple 42";

fn password_hashing(criterion: &mut Criterion) {
    let settings = Settings::default();
    let params = HashParams {
        memory_kib: settings.password_hash_memory_kib,
        iterations: settings.password_hash_iterations,
        parallelism: settings.password_hash_parallelism,
    };
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    else {
        eprintln!("failed to start a tokio runtime, so password hashing is not measured");
        return;
    };
    let Ok(hasher) = PasswordHasher::new(params, 1) else {
        eprintln!(
            "invalid default Argon2 parameters {params:?}, so password hashing is not measured"
        );
        return;
    };
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let Ok(every_core) = PasswordHasher::new(params, cores) else {
        eprintln!("cannot start {cores} hashing threads, so password hashing is not measured");
        return;
    };
    let Ok(stored) = runtime.block_on(hasher.hash(PASSWORD.to_owned())) else {
        eprintln!("hashing failed, so password hashing is not measured");
        return;
    };

    let name = format!(
        "argon2id m={} KiB t={} p={}",
        params.memory_kib, params.iterations, params.parallelism
    );
    let mut group = criterion.benchmark_group(name);
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("hash", |bench| {
        bench.iter(|| runtime.block_on(hasher.hash(black_box(PASSWORD.to_owned()))));
    });
    group.bench_function("verify", |bench| {
        bench.iter(|| {
            runtime.block_on(hasher.verify(black_box(PASSWORD.to_owned()), Some(stored.clone())))
        });
    });
    // One computation per core at the same time: the time of one round, divided by the
    // cores, is the cost per hash when every core hashes. Each computation uses more memory
    // than the CPU caches hold, so parallel computations may slow each other down.
    group.bench_function(format!("hash on {cores} threads at once"), |bench| {
        bench.iter(|| {
            runtime.block_on(futures_util::future::join_all(
                (0..cores).map(|_| every_core.hash(black_box(PASSWORD.to_owned()))),
            ))
        });
    });
    group.finish();
}

fn login_codes(criterion: &mut Criterion) {
    let hasher = CodeHasher::new(&[7_u8; 32]);
    let challenge = "0f8a1c2e3d4b5a69788796a5b4c3d2e1";
    let stored = hasher.hash("login", challenge, "123456");

    let mut group = criterion.benchmark_group("login code HMAC-SHA256");
    group.bench_function("hash", |bench| {
        bench.iter(|| hasher.hash("login", black_box(challenge), black_box("123456")));
    });
    group.bench_function("verify", |bench| {
        bench.iter(|| hasher.verify("login", black_box(challenge), "123456", black_box(&stored)));
    });
    group.finish();
}

fn access_tokens(criterion: &mut Criterion) {
    let settings = Settings::default();
    let Ok(issuer) = TokenIssuer::new(
        &[9_u8; 32],
        settings.public_url.clone(),
        format!("{}/api", settings.public_url),
        Duration::from_secs(settings.access_token_seconds),
    ) else {
        eprintln!("failed to create the token issuer, so access tokens are not measured");
        return;
    };
    let subject = "5d0c4a1b2e3f40718293a4b5c6d7e8f9";
    let session = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    let mut group = criterion.benchmark_group("access token HS256");
    group.bench_function("issue", |bench| {
        bench.iter(|| {
            issuer.issue(
                black_box(subject),
                session,
                "person",
                TokenScope::Full,
                Utc::now(),
            )
        });
    });
    let Ok(token) = issuer.issue(subject, session, "person", TokenScope::Full, Utc::now()) else {
        eprintln!("signing failed, so token verification is not measured");
        return;
    };
    group.bench_function("verify", |bench| {
        bench.iter(|| issuer.verify(black_box(&token.token), Utc::now()));
    });
    group.bench_function("issue and verify", |bench| {
        bench.iter(|| {
            let issued = issuer.issue(subject, session, "person", TokenScope::Full, Utc::now());
            issued.map(|issued| issuer.verify(&issued.token, Utc::now()))
        });
    });
    group.finish();
}

criterion_group!(benches, password_hashing, login_codes, access_tokens);
criterion_main!(benches);
