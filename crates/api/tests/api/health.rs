use std::time::Duration;

use diesel::{Connection, RunQueryDsl};

use crate::helpers::{Backend, TestApp, header, json_body, required_env};
use crate::on_both_backends;

#[tokio::test]
async fn liveness_reports_ok_and_version() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app.get("/healthz").await;

    assert_eq!(response.status(), 200);
    assert!(header(&response, "x-request-id").is_some_and(|id| id.len() == 32));
    let body = json_body(response).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

async fn readiness_reports_database_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let response = app.get("/readyz").await;

    assert_eq!(response.status(), 200);
    let body = json_body(response).await;
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database"], "up");
}

async fn migrations_apply_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let applied_again = app.database().migrate().await.expect("migrate");

    assert!(applied_again.is_empty(), "{applied_again:?}");
}

on_both_backends!(readiness_reports_database_up, migrations_apply_once);

/// Stops a PostgreSQL database from taking connections and ends the open ones, the way a
/// database outage looks to the server.
fn cut_off_database(database_url: &str) {
    let admin_url = required_env("INCERT_TEST_POSTGRES_URL");
    let name = database_url.rsplit('/').next().expect("database name");
    let mut admin = diesel::PgConnection::establish(&admin_url).expect("admin connection");
    diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
        .execute(&mut admin)
        .expect("block connections");
    diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ))
    .execute(&mut admin)
    .expect("end connections");
}

fn restore_database(database_url: &str) {
    let admin_url = required_env("INCERT_TEST_POSTGRES_URL");
    let name = database_url.rsplit('/').next().expect("database name");
    let mut admin = diesel::PgConnection::establish(&admin_url).expect("admin connection");
    diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .execute(&mut admin)
        .expect("allow connections");
}

// NOTE: only PostgreSQL can be made unreachable while the server runs; a SQLite file opened
// by the server stays readable to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_while_postgres_is_unreachable() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let database_url = app.state.settings.database_url().expose().to_owned();
    assert_eq!(app.get("/readyz").await.status(), 200);

    cut_off_database(&database_url);

    assert_not_ready(&app).await;

    restore_database(&database_url);
    let recovered = crate::helpers::wait_until(Duration::from_secs(10), || async {
        app.get("/readyz").await.status() == 200
    })
    .await;
    assert!(
        recovered,
        "readiness did not recover after the database came back"
    );
}

/// Connections that PostgreSQL ended while the database stayed up fail one request each at
/// most, because a connection that failed that way is dropped rather than pooled again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ended_connections_fail_once_each() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let database_url = app.state.settings.database_url().expose().to_owned();
    let pool_size = app.state.settings.database_pool_size as usize;
    for _ in 0..pool_size {
        assert_eq!(app.get("/readyz").await.status(), 200);
    }

    cut_off_database(&database_url);
    restore_database(&database_url);
    let mut statuses = Vec::new();
    for _ in 0..3 * pool_size {
        statuses.push(app.get("/readyz").await.status().as_u16());
    }

    let failed = statuses.iter().filter(|status| **status != 200).count();
    assert!(failed <= pool_size, "{statuses:?}");
    assert!(
        statuses[pool_size..].iter().all(|status| *status == 200),
        "{statuses:?}"
    );
}

/// Asserts that `/readyz` reports the database as down.
pub async fn assert_not_ready(app: &TestApp) {
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert_eq!(header(&response, "retry-after").as_deref(), Some("5"));
    let body = json_body(response).await;
    assert_eq!(body["status"], "not_ready");
    assert_eq!(body["database"], "down");
}
