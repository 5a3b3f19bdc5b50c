//! A browsable API reference rendered on the server from the OpenAPI document, so it works
//! without JavaScript and without fetching anything from the internet.

#![allow(
    clippy::indexing_slicing,
    reason = "indexing a serde_json::Value by key returns Null for a missing key; it never panics"
)]

use std::fmt::Write;
use std::sync::OnceLock;

use actix_web::HttpResponse;
use serde_json::Value;

use super::openapi;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Serves the reference page.
pub async fn reference() -> HttpResponse {
    static PAGE: OnceLock<String> = OnceLock::new();
    let page = PAGE.get_or_init(|| {
        let document: Value = serde_json::from_str(&openapi::to_json()).unwrap_or(Value::Null);
        render(&document)
    });
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.clone())
}

/// Renders the whole document as one HTML page.
pub fn render(document: &Value) -> String {
    let title = text(&document["info"]["title"]);
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body><main>\
         <h1>{title}</h1><p>{}</p><p><a href=\"/api/v1/openapi.json\">OpenAPI 3.1 document (JSON)</a></p>",
        text(&document["info"]["description"]),
    );

    html.push_str("<h2>Operations</h2>");
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    render_operation(&mut html, method, path, operation);
                }
            }
        }
    }

    html.push_str("<h2>Schemas</h2>");
    if let Some(schemas) = document["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            render_schema(&mut html, name, schema);
        }
    }

    html.push_str("</main></body></html>");
    html
}

fn render_operation(html: &mut String, method: &str, path: &str, operation: &Value) {
    let _ = write!(
        html,
        "<section class=\"operation\" id=\"{id}\"><h3><span class=\"method {method}\">{upper}</span> \
         <code>{path}</code></h3><p>{summary}</p>",
        id = escape(operation["operationId"].as_str().unwrap_or(path)),
        upper = method.to_ascii_uppercase(),
        path = escape(path),
        summary = text(&operation["summary"]),
    );
    if let Some(body) = operation["requestBody"]["content"].as_object() {
        for (media_type, content) in body {
            let _ = write!(
                html,
                "<p>Request body (<code>{}</code>): {}</p>",
                escape(media_type),
                schema_link(&content["schema"]),
            );
        }
    }
    html.push_str("<table><tr><th>Status</th><th>Meaning</th><th>Body</th></tr>");
    if let Some(responses) = operation["responses"].as_object() {
        for (status, response) in responses {
            let body = response["content"]
                .as_object()
                .map(|content| {
                    content
                        .iter()
                        .map(|(media_type, value)| {
                            format!(
                                "<code>{}</code> {}",
                                escape(media_type),
                                schema_link(&value["schema"])
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("<br>")
                })
                .unwrap_or_default();
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{body}</td></tr>",
                escape(status),
                text(&response["description"]),
            );
        }
    }
    html.push_str("</table></section>");
}

fn render_schema(html: &mut String, name: &str, schema: &Value) {
    let _ = write!(
        html,
        "<section class=\"schema\" id=\"schema-{id}\"><h3>{id}</h3><p>{}</p>",
        text(&schema["description"]),
        id = escape(name),
    );
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values
            .iter()
            .map(|value| {
                format!(
                    "<code>{}</code>",
                    escape(value.as_str().unwrap_or_default())
                )
            })
            .collect();
        let _ = write!(html, "<p>One of: {}</p>", values.join(", "));
    }
    if let Some(properties) = schema["properties"].as_object() {
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        html.push_str(
            "<table><tr><th>Field</th><th>Type</th><th>Required</th><th>Description</th></tr>",
        );
        for (field, property) in properties {
            let _ = write!(
                html,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(field),
                schema_link(property),
                if required.contains(&field.as_str()) {
                    "yes"
                } else {
                    "no"
                },
                text(&property["description"]),
            );
        }
        html.push_str("</table>");
    }
    html.push_str("</section>");
}

/// Describes a schema in a few words, linking to named schemas.
fn schema_link(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return format!("<a href=\"#schema-{0}\">{0}</a>", escape(name));
    }
    if let Some(items) = schema.get("items") {
        return format!("array of {}", schema_link(items));
    }
    if let Some(variants) = schema["oneOf"]
        .as_array()
        .or_else(|| schema["anyOf"].as_array())
    {
        let names: Vec<String> = variants.iter().map(schema_link).collect();
        return names.join(" or ");
    }
    match &schema["type"] {
        Value::String(kind) => escape(kind),
        Value::Array(kinds) => {
            let kinds: Vec<String> = kinds
                .iter()
                .map(|kind| escape(kind.as_str().unwrap_or_default()))
                .collect();
            kinds.join(" or ")
        }
        _ => "any".to_owned(),
    }
}

fn text(value: &Value) -> String {
    escape(value.as_str().unwrap_or_default())
}

fn escape(raw: &str) -> String {
    let mut escaped = String::with_capacity(raw.len());
    for character in raw.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b}\
main{max-width:60rem;margin:auto;padding:1rem 2rem}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}\
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}\
.operation,.schema{border-top:1px solid #ddd;padding-top:.5rem}\
.method{display:inline-block;min-width:4rem;padding:.1rem .4rem;border-radius:.2rem;color:#fff;background:#555;font-size:.9rem}\
.get{background:#1f6f43}.post{background:#1c4f8a}.put,.patch{background:#8a5a00}.delete{background:#9b1c1c}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn render_lists_every_operation() {
        let document: Value = serde_json::from_str(&openapi::to_json()).unwrap_or(Value::Null);
        let page = render(&document);
        let paths = document["paths"]
            .as_object()
            .map(|paths| paths.len())
            .unwrap_or_default();
        assert!(paths > 0);
        for path in document["paths"]
            .as_object()
            .into_iter()
            .flat_map(|paths| paths.keys())
        {
            assert!(
                page.contains(&format!("<code>{}</code>", escape(path))),
                "{path}"
            );
        }
    }
}
