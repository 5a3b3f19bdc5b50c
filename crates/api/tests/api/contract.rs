//! Contract fuzzing: schemathesis generates requests from the served OpenAPI document and
//! checks that no answer is a 5xx and every answer matches the document, for anonymous
//! callers, a person, an administrator and an examination centre.

use std::process::Command;

use crate::helpers::{Backend, TestApp, json_body, required_env};
use crate::people::{signed_in_person, signed_in_staff};

/// Examples per operation and phase: enough to reach every documented error path while the
/// whole run stays around a minute.
const MAX_EXAMPLES: &str = "10";

/// Runs schemathesis against the test server with an optional bearer token and fails the
/// test with its report when a check fails.
fn schemathesis(app: &TestApp, label: &str, token: Option<&str>, extra: &[&str]) {
    let python = required_env("INCERT_TEST_PYTHON");
    let executable = std::path::Path::new(&python).with_file_name("schemathesis");
    let mut command = Command::new(executable);
    command
        .arg("run")
        .arg(app.url("/api/v1/openapi.json"))
        .args([
            "--checks",
            "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
            "--max-examples",
            MAX_EXAMPLES,
            "--seed",
            "20261204",
            "--no-color",
            "--request-timeout",
            "20",
        ])
        .args(extra)
        .env("NO_COLOR", "1");
    if let Some(token) = token {
        command.args(["--header", &format!("Authorization: Bearer {token}")]);
    }
    let output = command.output().expect("run schemathesis");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found failures as {label}:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("passed"), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_document_holds_for_every_caller() {
    let app = TestApp::spawn_with_mail(Backend::Postgres).await;
    let person = signed_in_person(&app, "fuzzed").await;
    let administrator = signed_in_staff(&app, "administrator").await;
    let centre = app
        .client
        .post(app.url("/api/v1/admin/examination-centres"))
        .bearer_auth(&administrator.token)
        .json(&serde_json::json!({"name": "Fuzz Provcenter"}))
        .send()
        .await
        .expect("request");
    let centre_id = json_body(centre).await["id"]
        .as_str()
        .expect("centre id")
        .to_owned();
    let credentials = json_body(
        app.client
            .post(app.url(&format!(
                "/api/v1/admin/examination-centres/{centre_id}/clients"
            )))
            .bearer_auth(&administrator.token)
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("request"),
    )
    .await;
    let granted = app
        .client
        .post(app.url("/api/v1/oauth/token"))
        .basic_auth(
            credentials["client_id"].as_str().expect("client_id"),
            credentials["client_secret"].as_str(),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("request");
    let centre_token = json_body(granted).await["access_token"]
        .as_str()
        .expect("centre token")
        .to_owned();

    // schemathesis blocks, so it runs off the runtime that serves the requests.
    let app = std::sync::Arc::new(app);
    let runner = std::sync::Arc::clone(&app);
    tokio::task::spawn_blocking(move || {
        schemathesis(&runner, "anonymous", None, &[]);
        schemathesis(
            &runner,
            "a person",
            Some(&person.token),
            &[
                "--exclude-path-regex",
                "/(admin|centre)/|/logout|/sessions/",
            ],
        );
        schemathesis(
            &runner,
            "an administrator",
            Some(&administrator.token),
            &["--include-path-regex", "/admin/"],
        );
        schemathesis(
            &runner,
            "a centre",
            Some(&centre_token),
            &["--include-path-regex", "/centre/"],
        );
    })
    .await
    .expect("schemathesis runs");
}
