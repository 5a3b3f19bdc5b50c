//! The web app's built files (`make web` writes them to `frontend/dist`), served for GET and
//! HEAD requests outside `/api`. A path without a file gets `index.html`, so the app's own
//! routes such as `/me` work on reload and from bookmarks.

use std::path::{Path, PathBuf};

use actix_web::http::Method;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, X_CONTENT_TYPE_OPTIONS};
use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;
use super::error::ApiError;

const INDEX: &str = "index.html";

/// Serves a file of `web_dir`, or `index.html` for an app route. API paths, other methods, a
/// missing file name with an extension (such as a stale `.wasm`) and a server without
/// `web_dir` get the problem+json 404.
pub async fn serve(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let path = request.path();
    let readable = matches!(*request.method(), Method::GET | Method::HEAD);
    let api = path == "/api" || path.starts_with("/api/");
    let Some(web_dir) = state.settings.web_dir.as_deref() else {
        return Err(ApiError::NotFound);
    };
    if !readable || api {
        return Err(ApiError::NotFound);
    }
    let Some(relative) = relative_path(path) else {
        return Err(ApiError::NotFound);
    };

    if relative.as_os_str().is_empty() {
        return send_file(web_dir, Path::new(INDEX)).await;
    }
    match send_file(web_dir, &relative).await {
        Ok(response) => Ok(response),
        Err(_) if relative.extension().is_none() => send_file(web_dir, Path::new(INDEX)).await,
        Err(error) => Err(error),
    }
}

/// Returns the request path as a path below the web directory, or `None` when a segment is
/// `.`, `..` or contains a backslash or NUL, which could leave the directory.
fn relative_path(path: &str) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        if segment == "." || segment == ".." || segment.contains(['\\', '\0']) {
            return None;
        }
        relative.push(segment);
    }
    Some(relative)
}

async fn send_file(web_dir: &Path, relative: &Path) -> Result<HttpResponse, ApiError> {
    let bytes = tokio::fs::read(web_dir.join(relative))
        .await
        .map_err(|_| ApiError::NotFound)?;
    let content_type = content_type(relative);
    let mut response = HttpResponse::Ok();
    response
        .insert_header((CONTENT_TYPE, HeaderValue::from_static(content_type)))
        .insert_header((X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        // NOTE: every file is downloaded again on each visit, because no ETag is sent and not
        // every file name carries a content hash. Caching the hashed assets would save that.
        .insert_header((CACHE_CONTROL, HeaderValue::from_static("no-cache")));
    if content_type.starts_with("text/html") {
        response
            .insert_header(("x-frame-options", "DENY"))
            .insert_header(("referrer-policy", "no-referrer"));
    }
    Ok(response.body(bytes))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_path_rejects_parent_segments() {
        for path in ["/..", "/a/../b", "/./index.html", "/a\\b", "/a\0b"] {
            assert_eq!(relative_path(path), None, "{path}");
        }
    }

    #[test]
    fn relative_path_keeps_plain_segments() {
        assert_eq!(
            relative_path("/me//apply/"),
            Some(PathBuf::from("me").join("apply"))
        );
        assert_eq!(relative_path("/"), Some(PathBuf::new()));
    }

    #[test]
    fn wasm_gets_its_media_type() {
        assert_eq!(
            content_type(Path::new("incert-web-1a2b_bg.wasm")),
            "application/wasm"
        );
        assert_eq!(
            content_type(Path::new("unknown.bin")),
            "application/octet-stream"
        );
    }
}
