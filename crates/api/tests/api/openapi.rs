use crate::helpers::{Backend, TestApp, header, json_body};

const COMMITTED: &str = include_str!("../../../../openapi/openapi.json");

#[test]
fn committed_document_is_current() {
    let generated = incert_api::http::openapi::to_json() + "\n";

    assert!(
        generated == COMMITTED,
        "openapi/openapi.json is stale: run `cargo run -p incert-api -- openapi` and commit it"
    );
}

#[tokio::test]
async fn served_document_is_openapi_3_1() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app.get("/api/v1/openapi.json").await;

    assert_eq!(response.status(), 200);
    let document = json_body(response).await;
    assert_eq!(document["openapi"], "3.1.0");
    assert!(document["paths"]["/api/v1/password-checks"]["post"].is_object());
    assert!(document["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn reference_page_lists_operations() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app.get("/api/docs").await;

    assert_eq!(response.status(), 200);
    let content_type = header(&response, "content-type").unwrap_or_default();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let page = response.text().await.expect("body");
    assert!(page.contains("<code>/api/v1/password-checks</code>"));
    assert!(page.contains("id=\"schema-Problem\""));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "the page must not load remote assets"
    );
}
