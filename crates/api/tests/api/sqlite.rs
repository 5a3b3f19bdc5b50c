//! SQLite-only behaviour: another process holding the database's write lock, and the database
//! file deleted or replaced under the running server.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use serde_json::json;

use crate::auth::{registration, unique_email};
use crate::health::assert_not_ready;
use crate::helpers::{Backend, TestApp, json_body};
use crate::profile::full_token;

/// How long the outside connection keeps the write lock, well below SQLite's busy timeout.
const LOCK_HOLD: Duration = Duration::from_secs(1);

fn database_path(app: &TestApp) -> PathBuf {
    let url = app.state.settings.database_url().expose().to_owned();
    PathBuf::from(url.strip_prefix("sqlite://").expect("a sqlite:// URL"))
}

/// Takes the write lock of the database at `path` from a connection of its own, the way another
/// process would, and releases it after [`LOCK_HOLD`]. Returns once the lock is held.
fn hold_write_lock(path: PathBuf) -> std::thread::JoinHandle<()> {
    let (locked, is_locked) = mpsc::channel();
    let holder = std::thread::spawn(move || {
        let mut outside =
            SqliteConnection::establish(path.to_str().expect("UTF-8 path")).expect("open");
        outside
            .batch_execute("PRAGMA busy_timeout = 5000; BEGIN EXCLUSIVE;")
            .expect("take the write lock");
        locked.send(()).expect("signal");
        std::thread::sleep(LOCK_HOLD);
        outside.batch_execute("COMMIT").expect("release the lock");
    });
    is_locked
        .recv_timeout(Duration::from_secs(10))
        .expect("the outside connection took the write lock");
    holder
}

/// `PATCH /me` reads the account before it writes. Started as a deferred transaction it would
/// fail at once when it needs the write lock, instead of waiting for the busy timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_update_waits_for_outside_write_lock() {
    let app = TestApp::spawn_with_mail(Backend::Sqlite).await;
    let token = full_token(&app, &unique_email("locked")).await;

    let holder = hold_write_lock(database_path(&app));
    let started = Instant::now();
    let response = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&json!({"first_name": "Låst"}))
        .send()
        .await
        .expect("request");
    let waited = started.elapsed();
    holder.join().expect("lock holder");

    let status = response.status();
    let body = json_body(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["first_name"], "Låst");
    assert!(
        waited >= LOCK_HOLD - Duration::from_millis(100),
        "the update returned after {waited:?}, before the lock was released"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_file_fails_readiness_and_writes() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let path = database_path(&app);
    assert_eq!(app.get("/readyz").await.status(), 200);

    std::fs::remove_file(&path).expect("delete the database file");

    assert_not_ready(&app).await;
    let write = app
        .post_json(
            "/api/v1/registrations/other",
            &registration(&unique_email("lost")),
        )
        .await;
    assert_eq!(write.status(), 503);
    assert!(
        !path.exists(),
        "a new database file was created at {}",
        path.display()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replaced_file_fails_readiness() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let path = database_path(&app);
    assert_eq!(app.get("/readyz").await.status(), 200);

    let copy = path.with_extension("copy");
    std::fs::copy(&path, &copy).expect("copy the database file");
    std::fs::rename(&copy, &path).expect("put the copy in place");

    assert_not_ready(&app).await;
}
