//! A PostgreSQL restart under load, on a cluster of the test's own: requests during the
//! outage get 503 with `Retry-After`, the server recovers without a restart, and no
//! registration is half written.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use incert_api::config::Secret;
use incert_api::storage::StorageError;
use incert_api::storage::schema::{accounts, mail_outbox};
use serde_json::json;
use tokio::sync::Mutex;

use crate::helpers::{Backend, TestApp, free_port, header};

/// A PostgreSQL cluster in a temporary directory, stopped when dropped.
struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _directory: tempfile::TempDir,
}

/// Runs a PostgreSQL program as the `postgres` user when the tests run as root, because
/// PostgreSQL refuses to run as root.
fn postgres_command(program: &Path) -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.starts_with(b"0\n"));
    if root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn newest_postgres_bin() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL server binaries under /usr/lib/postgresql")
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().expect("an initdb")
}

impl Cluster {
    fn start() -> Self {
        let directory = tempfile::tempdir().expect("tempdir");
        let status = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(directory.path())
            .status();
        assert!(status.is_ok(), "chown of the cluster directory failed");
        let bin = newest_postgres_bin();
        let data = directory.path().join("data");
        let initialised = postgres_command(&bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])
            .output()
            .expect("run initdb");
        assert!(
            initialised.status.success(),
            "{}",
            String::from_utf8_lossy(&initialised.stderr)
        );
        let cluster = Self {
            bin,
            data,
            port: free_port(),
            _directory: directory,
        };
        cluster.resume();
        cluster
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn pg_ctl(&self, arguments: &[&str]) {
        let log = self.data.with_file_name("server.log");
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off",
            self.port,
            self.data.with_file_name("").display()
        );
        let output = postgres_command(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(&log)
            .args(["-o", &options, "-w"])
            .args(arguments)
            .output()
            .expect("run pg_ctl");
        assert!(
            output.status.success(),
            "pg_ctl {arguments:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn pause(&self) {
        self.pg_ctl(&["-m", "fast", "stop"]);
    }

    fn resume(&self) {
        self.pg_ctl(&["start"]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = postgres_command(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

/// Outcome of one registration sent during the test.
#[derive(Debug, Clone)]
struct Sent {
    email: String,
    status: u16,
    retry_after: Option<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_restart_under_load() {
    let cluster = Cluster::start();
    let url = cluster.url();
    let app = Arc::new(
        TestApp::spawn_with(Backend::Postgres, move |settings| {
            settings.database_url = Some(Secret::new(url));
            settings.database_timeout_seconds = 1;
        })
        .await,
    );
    let sent = Arc::new(Mutex::new(Vec::<Sent>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));

    // Two clients register new people without pause until the stop signal.
    let mut clients = Vec::new();
    for client in 0..2 {
        let app = Arc::clone(&app);
        let sent = Arc::clone(&sent);
        let stop = Arc::clone(&stop);
        clients.push(tokio::spawn(async move {
            let mut count = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                count += 1;
                let email = format!("outage.{client}.{count}@example.se");
                let response = app
                    .post_json(
                        "/api/v1/registrations/other",
                        &json!({
                            "email": email,
                            "birth_date": "1980-01-01",
                            "first_name": "Test",
                            "last_name": "Person",
                        }),
                    )
                    .await;
                let outcome = Sent {
                    email,
                    status: response.status().as_u16(),
                    retry_after: header(&response, "retry-after"),
                };
                sent.lock().await.push(outcome);
            }
        }));
    }

    tokio::time::sleep(Duration::from_secs(1)).await;
    cluster.pause();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let during = app.get("/readyz").await;
    assert_eq!(during.status(), 503);
    cluster.resume();

    // The server finds the database again by itself.
    let recovered = crate::helpers::wait_until(Duration::from_secs(20), || async {
        app.get("/readyz").await.status() == 200
    })
    .await;
    assert!(
        recovered,
        "the server did not recover after the database restart"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for client in clients {
        client.await.expect("client task");
    }

    let sent = sent.lock().await.clone();
    let statuses: Vec<u16> = sent.iter().map(|outcome| outcome.status).collect();
    assert!(statuses.contains(&202), "{statuses:?}");
    assert!(
        statuses.contains(&503),
        "no request met the outage: {statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|status| *status == 202 || *status == 503),
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&202), "{statuses:?}");
    for outcome in sent.iter().filter(|outcome| outcome.status == 503) {
        assert!(outcome.retry_after.is_some(), "{outcome:?}");
    }

    // Every account has its welcome mail queued and every queued mail has its account: a
    // registration was written whole or not at all.
    let accepted: Vec<String> = sent
        .iter()
        .filter(|outcome| outcome.status == 202)
        .map(|outcome| outcome.email.clone())
        .collect();
    let (stored_accounts, queued_mail) = app
        .database()
        .run(|connection| {
            let stored: Vec<String> = accounts::table.select(accounts::email).load(connection)?;
            let queued: Vec<String> = mail_outbox::table
                .select(mail_outbox::recipient)
                .load(connection)?;
            Ok::<_, StorageError>((stored, queued))
        })
        .await
        .expect("read accounts and outbox");
    for email in &accepted {
        assert!(
            stored_accounts.contains(email),
            "{email} accepted but not stored"
        );
    }
    let mut accounts_sorted = stored_accounts.clone();
    accounts_sorted.sort();
    let mut mail_sorted = queued_mail.clone();
    mail_sorted.sort();
    assert_eq!(accounts_sorted, mail_sorted);
}

/// Another process with SQLite's write lock, such as a command run next to the server,
/// makes the writes it blocks fail with 503 and `Retry-After` after SQLite's busy timeout,
/// and nothing is written.
#[tokio::test]
async fn sqlite_write_lock_answers_503() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let path = app.directory.path().join("incert.db");
    let mut holder =
        SqliteConnection::establish(&path.display().to_string()).expect("second connection");
    let registration = json!({
        "email": "locked@example.se",
        "birth_date": "1980-01-01",
        "first_name": "Test",
        "last_name": "Person",
    });

    diesel::sql_query("BEGIN IMMEDIATE")
        .execute(&mut holder)
        .expect("write lock");
    let blocked = app
        .post_json("/api/v1/registrations/other", &registration)
        .await;
    diesel::sql_query("ROLLBACK")
        .execute(&mut holder)
        .expect("release");

    assert_eq!(blocked.status(), 503);
    assert!(header(&blocked, "retry-after").is_some());
    let stored: i64 = app
        .database()
        .run(|connection| Ok::<_, StorageError>(accounts::table.count().get_result(connection)?))
        .await
        .expect("count accounts");
    assert_eq!(stored, 0);
    let retried = app
        .post_json("/api/v1/registrations/other", &registration)
        .await;
    assert_eq!(retried.status(), 202);
}

/// A PostgreSQL lock taken elsewhere, such as by a stalled maintenance transaction, makes the
/// requests it blocks fail with 503 after the database timeout instead of waiting for it.
#[tokio::test]
async fn postgres_lock_wait_answers_503() {
    let app = TestApp::spawn_with(Backend::Postgres, |settings| {
        settings.database_timeout_seconds = 1;
    })
    .await;
    let url = app
        .state
        .settings
        .database_url
        .as_ref()
        .map(|url| url.expose().to_owned())
        .expect("database URL");
    let mut holder = PgConnection::establish(&url).expect("second connection");

    holder
        .batch_execute("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        .expect("table lock");
    let blocked = app
        .post_json(
            "/api/v1/registrations/other",
            &json!({
                "email": "blocked@example.se",
                "birth_date": "1980-01-01",
                "first_name": "Test",
                "last_name": "Person",
            }),
        )
        .await;
    holder.batch_execute("ROLLBACK").expect("release");

    assert_eq!(blocked.status(), 503);
    assert!(header(&blocked, "retry-after").is_some());
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
}
