use std::path::PathBuf;

use crate::helpers::{Backend, TestApp, header, json_body};

/// Starts a server whose web directory contains an `index.html` and an `app.js`.
async fn spawn_with_web_dir() -> (TestApp, tempfile::TempDir) {
    let web_dir = tempfile::tempdir().expect("web directory");
    std::fs::write(
        web_dir.path().join("index.html"),
        "<!doctype html><p>app</p>",
    )
    .expect("write index.html");
    std::fs::write(web_dir.path().join("app.js"), "export {};").expect("write app.js");
    let path: PathBuf = web_dir.path().to_path_buf();
    let app = TestApp::spawn_with(Backend::Sqlite, move |settings| {
        settings.web_dir = Some(path);
    })
    .await;
    (app, web_dir)
}

#[tokio::test]
async fn web_root_serves_index() {
    let (app, _web_dir) = spawn_with_web_dir().await;

    let response = app.get("/").await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        header(&response, "x-frame-options").as_deref(),
        Some("DENY")
    );
    assert!(response.text().await.unwrap().contains("<p>app</p>"));
}

#[tokio::test]
async fn web_app_route_falls_back_to_index() {
    let (app, _web_dir) = spawn_with_web_dir().await;

    let response = app.get("/me/apply").await;

    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("<p>app</p>"));
}

#[tokio::test]
async fn web_asset_has_its_media_type() {
    let (app, _web_dir) = spawn_with_web_dir().await;

    let response = app.get("/app.js").await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        header(&response, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
}

#[tokio::test]
async fn web_missing_asset_is_problem_404() {
    let (app, _web_dir) = spawn_with_web_dir().await;

    let response = app.get("/stale-build_bg.wasm").await;

    assert_eq!(response.status(), 404);
    assert_eq!(json_body(response).await["code"], "not_found");
}

#[tokio::test]
async fn web_unknown_api_path_stays_problem_404() {
    let (app, _web_dir) = spawn_with_web_dir().await;

    for path in ["/api/v1/no-such-endpoint", "/api"] {
        let response = app.get(path).await;

        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(
            header(&response, "content-type").as_deref(),
            Some("application/problem+json"),
            "{path}"
        );
        assert_eq!(json_body(response).await["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn web_parent_path_is_rejected() {
    let (app, _web_dir) = spawn_with_web_dir().await;

    let response = app.get("/%2e%2e/Cargo.toml").await;

    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn web_post_is_not_served() {
    let (app, _web_dir) = spawn_with_web_dir().await;

    let response = app
        .client
        .post(app.url("/me"))
        .body("x")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 404);
    assert_eq!(json_body(response).await["code"], "not_found");
}

#[tokio::test]
async fn web_without_directory_is_problem_404() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| settings.web_dir = None).await;

    let response = app.get("/me").await;

    assert_eq!(response.status(), 404);
    assert_eq!(json_body(response).await["code"], "not_found");
}
