use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use incert_api::mail::Mailer;
use incert_api::mail::transport::Transport;
use incert_api::mail::worker::{MailWorker, WorkerSettings};
use incert_api::storage::outbox::{self, MailState};
use incert_api::storage::{Database, StorageError};

use crate::helpers::{Backend, TestApp, free_port, required_env, wait_until};
use crate::on_both_backends;

fn unique_recipient(label: &str) -> String {
    format!("{label}.{}@example.se", uuid::Uuid::new_v4().simple())
}

fn worker_settings() -> WorkerSettings {
    WorkerSettings {
        poll_interval: Duration::from_millis(50),
        retry_base: Duration::from_millis(50),
        retry_max: Duration::from_millis(200),
        max_attempts: 50,
        lease: Duration::from_secs(60),
    }
}

async fn enqueue(database: &Database, mailer: &Mailer, recipient: &str, body: &str) -> i64 {
    let mail = mailer.compose(recipient, "Testmeddelande", body.to_owned(), None);
    database
        .run(move |connection| outbox::enqueue(connection, &mail).map_err(StorageError::from))
        .await
        .expect("enqueue")
}

async fn states(database: &Database, recipient: &str) -> Vec<MailState> {
    let recipient = recipient.to_owned();
    database
        .run(move |connection| {
            outbox::states_for_recipient(connection, &recipient).map_err(StorageError::from)
        })
        .await
        .expect("states")
}

async fn body_is_erased(database: &Database, id: i64) -> bool {
    database
        .run(move |connection| outbox::body_is_erased(connection, id).map_err(StorageError::from))
        .await
        .expect("body state")
}

fn files_containing(directory: &Path, needle: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .filter(|path| std::fs::read_to_string(path).is_ok_and(|text| text.contains(needle)))
        .collect()
}

/// The SMTP server that `make test` started stores each message as a file in this Maildir.
fn shared_smtp() -> (u16, PathBuf) {
    let port = required_env("INCERT_TEST_SMTP_PORT")
        .parse()
        .expect("INCERT_TEST_SMTP_PORT");
    let maildir = PathBuf::from(required_env("INCERT_TEST_MAILDIR"));
    (port, maildir.join("new"))
}

async fn file_transport_writes_eml_and_erases_body(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mailer = &app.state.mailer;
    let recipient = unique_recipient("file");
    let worker = MailWorker::new(
        app.database().clone(),
        Transport::File {
            directory: app.mail_dir(),
        },
        mailer,
        worker_settings(),
    );
    enqueue(
        app.database(),
        mailer,
        &recipient,
        "Din engångskod är 123456.",
    )
    .await;

    let delivered = worker.deliver_due().await.expect("deliver");

    assert_eq!(delivered, 1);
    let files = files_containing(&app.mail_dir(), &recipient);
    assert_eq!(files.len(), 1, "{files:?}");
    let content = std::fs::read_to_string(&files[0]).expect("read eml");
    assert!(content.contains("Subject: Testmeddelande"), "{content}");
    assert!(
        content.contains("Din engångskod är 123456."),
        "the text must be readable as is: {content}"
    );
    let state = states(app.database(), &recipient).await;
    assert_eq!(state.len(), 1);
    assert!(state[0].sent_at.is_some());
    assert_eq!(state[0].attempts, 1);
    assert!(body_is_erased(app.database(), state[0].id).await);
    assert_eq!(worker.deliver_due().await.expect("second round"), 0);
}

async fn smtp_server_receives_message(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (port, maildir) = shared_smtp();
    let recipient = unique_recipient("smtp");
    let transport = Transport::smtp(&format!("smtp://127.0.0.1:{port}"), Duration::from_secs(5))
        .expect("transport");
    let worker = MailWorker::new(
        app.database().clone(),
        transport,
        &app.state.mailer,
        worker_settings(),
    );
    enqueue(
        app.database(),
        &app.state.mailer,
        &recipient,
        "Hej från IncertOnline.",
    )
    .await;

    assert_eq!(worker.deliver_due().await.expect("deliver"), 1);

    let received = wait_until(Duration::from_secs(5), || async {
        files_containing(&maildir, &recipient).len() == 1
    })
    .await;
    assert!(
        received,
        "the SMTP server did not store the message for {recipient}"
    );
    let state = states(app.database(), &recipient).await;
    assert!(state[0].sent_at.is_some());
    let message =
        std::fs::read_to_string(&files_containing(&maildir, &recipient)[0]).expect("read");
    assert!(
        message.contains(&state[0].message_id),
        "Message-ID missing: {message}"
    );
}

/// An aiosmtpd server started for one test, stopped when dropped.
pub struct SmtpServer {
    child: Child,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start(port: u16) -> Self {
        let maildir = tempfile::tempdir().expect("maildir");
        let child = Command::new(required_env("INCERT_TEST_PYTHON"))
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            // aiosmtpd creates the Maildir only when its folder does not exist yet.
            .arg(maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        Self { child, maildir }
    }

    pub fn received(&self) -> PathBuf {
        self.maildir.path().join("box").join("new")
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn message_waits_while_smtp_is_down(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let port = free_port();
    let recipient = unique_recipient("retry");
    let transport = Transport::smtp(&format!("smtp://127.0.0.1:{port}"), Duration::from_secs(2))
        .expect("transport");
    let worker = MailWorker::new(
        app.database().clone(),
        transport,
        &app.state.mailer,
        worker_settings(),
    );
    enqueue(app.database(), &app.state.mailer, &recipient, "Kod 654321").await;

    assert_eq!(worker.deliver_due().await.expect("first round"), 1);
    let state = states(app.database(), &recipient).await;
    assert!(state[0].sent_at.is_none());
    assert!(state[0].failed_at.is_none());
    assert_eq!(state[0].attempts, 1);
    assert!(state[0].last_error.is_some());

    let server = SmtpServer::start(port);
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(worker.run(shutdown));
    let received = wait_until(Duration::from_secs(20), || async {
        files_containing(&server.received(), &recipient).len() == 1
    })
    .await;
    stop.send(true).expect("stop worker");
    running.await.expect("worker task");

    assert!(
        received,
        "the message was not delivered after the SMTP server came back"
    );
    let state = states(app.database(), &recipient).await;
    assert!(state[0].sent_at.is_some());
    assert!(state[0].attempts >= 2);
    assert_eq!(files_containing(&server.received(), &recipient).len(), 1);
}

async fn silent_smtp_server_times_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Accepts connections and never sends the greeting, as a hung server would.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    let port = listener.local_addr().expect("address").port();
    let held = std::thread::spawn(move || {
        let mut connections = Vec::new();
        for connection in listener.incoming().take(2) {
            connections.push(connection);
        }
        std::thread::sleep(Duration::from_secs(30));
    });
    let transport = Transport::smtp(&format!("smtp://127.0.0.1:{port}"), Duration::from_secs(1))
        .expect("transport");
    let worker = MailWorker::new(
        app.database().clone(),
        transport,
        &app.state.mailer,
        worker_settings(),
    );
    let recipient = unique_recipient("silent");
    enqueue(app.database(), &app.state.mailer, &recipient, "Kod 112233").await;

    let round = tokio::time::timeout(Duration::from_secs(20), worker.deliver_due()).await;

    assert!(round.is_ok(), "the delivery round did not end");
    let state = states(app.database(), &recipient).await;
    assert!(state[0].sent_at.is_none());
    assert_eq!(state[0].attempts, 1);
    let error = state[0].last_error.clone().unwrap_or_default();
    assert!(error.contains("timed out"), "{error}");
    drop(held);
}

async fn invalid_recipient_is_given_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let recipient = "not an address".to_owned();
    let worker = MailWorker::new(
        app.database().clone(),
        Transport::File {
            directory: app.mail_dir(),
        },
        &app.state.mailer,
        worker_settings(),
    );
    enqueue(app.database(), &app.state.mailer, &recipient, "x").await;

    worker.deliver_due().await.expect("deliver");

    let state = states(app.database(), &recipient).await;
    assert!(state[0].failed_at.is_some());
    assert!(state[0].sent_at.is_none());
    assert!(body_is_erased(app.database(), state[0].id).await);
    assert_eq!(worker.deliver_due().await.expect("second round"), 0);
}

async fn rolled_back_change_leaves_no_mail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let recipient = unique_recipient("rollback");
    let mail = app
        .state
        .mailer
        .compose(&recipient, "Rollback", "x".to_owned(), None);

    let outcome: Result<(), StorageError> = app
        .database()
        .run(move |connection| {
            let result =
                connection.write_transaction::<(), diesel::result::Error, _>(|transaction| {
                    outbox::enqueue(transaction, &mail)?;
                    Err(diesel::result::Error::RollbackTransaction)
                });
            assert!(result.is_err());
            Ok(())
        })
        .await;

    outcome.expect("transaction ran");
    assert!(states(app.database(), &recipient).await.is_empty());
}

async fn two_workers_send_each_message_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (port, maildir) = shared_smtp();
    let batch = uuid::Uuid::new_v4().simple().to_string();
    let recipients: Vec<String> = (0..30)
        .map(|index| format!("pair{index}.{batch}@example.se"))
        .collect();
    for recipient in &recipients {
        enqueue(
            app.database(),
            &app.state.mailer,
            recipient,
            "Samma meddelande en gång",
        )
        .await;
    }
    let new_worker = || {
        let transport =
            Transport::smtp(&format!("smtp://127.0.0.1:{port}"), Duration::from_secs(5))
                .expect("transport");
        MailWorker::new(
            app.database().clone(),
            transport,
            &app.state.mailer,
            worker_settings(),
        )
    };
    let (first, second) = (new_worker(), new_worker());

    let drain = |worker: MailWorker| async move {
        let mut claimed = 0;
        loop {
            match worker.deliver_due().await.expect("deliver") {
                0 => return claimed,
                count => claimed += count,
            }
        }
    };
    let (claimed_first, claimed_second) = tokio::join!(drain(first), drain(second));

    assert_eq!(claimed_first + claimed_second, recipients.len());
    let all_received = wait_until(Duration::from_secs(10), || async {
        files_containing(&maildir, &batch).len() >= recipients.len()
    })
    .await;
    assert!(all_received);
    for recipient in &recipients {
        let copies = files_containing(&maildir, recipient).len();
        assert_eq!(copies, 1, "{recipient} received {copies} copies");
        let state = states(app.database(), recipient).await;
        assert_eq!(state[0].attempts, 1, "{recipient}");
    }
}

on_both_backends!(
    file_transport_writes_eml_and_erases_body,
    smtp_server_receives_message,
    message_waits_while_smtp_is_down,
    silent_smtp_server_times_out,
    invalid_recipient_is_given_up,
    rolled_back_change_leaves_no_mail,
    two_workers_send_each_message_once,
);
