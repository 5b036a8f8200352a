//! `/api/v1/docs`: the API's reference, written from the OpenAPI document
//! as plain HTML, so it needs no script (and so fits the site's CSP).

use axum::response::Html;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::RefOr;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn operation(method: &str, path: &str, op: &Operation) -> String {
    let mut out = format!(
        "<section><h3><code>{method} {}{}</code></h3>",
        super::PREFIX,
        escape(path)
    );
    if let Some(summary) = &op.summary {
        out.push_str(&format!("<p>{}</p>", escape(summary)));
    }
    if let Some(description) = op
        .description
        .as_ref()
        .filter(|d| Some(*d) != op.summary.as_ref())
    {
        out.push_str(&format!("<p>{}</p>", escape(description)));
    }
    let scopes: Vec<String> = op
        .security
        .iter()
        .flatten()
        .filter_map(|s| serde_json::to_value(s).ok())
        .filter_map(|v| v.get("bearer").cloned())
        .filter_map(|v| v.as_array().cloned())
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect();
    if !scopes.is_empty() {
        out.push_str(&format!(
            "<p>Scope: <code>{}</code></p>",
            escape(&scopes.join(" "))
        ));
    }
    let params: Vec<String> = op
        .parameters
        .iter()
        .flatten()
        .map(|p| {
            let place = match p.parameter_in {
                ParameterIn::Query => "query",
                ParameterIn::Path => "path",
                ParameterIn::Header => "header",
                ParameterIn::Cookie => "cookie",
            };
            format!(
                "<li><code>{}</code> ({place}){}</li>",
                escape(&p.name),
                p.description
                    .as_deref()
                    .map(|d| format!(": {}", escape(d)))
                    .unwrap_or_default()
            )
        })
        .collect();
    if !params.is_empty() {
        out.push_str(&format!("<h4>Parameters</h4><ul>{}</ul>", params.join("")));
    }
    let responses: Vec<String> = op
        .responses
        .responses
        .iter()
        .map(|(status, r)| {
            let what = match r {
                RefOr::T(r) => r.description.clone(),
                RefOr::Ref(r) => r.ref_location.clone(),
            };
            format!("<li><code>{}</code> {}</li>", escape(status), escape(&what))
        })
        .collect();
    out.push_str(&format!(
        "<h4>Responses</h4><ul>{}</ul></section>",
        responses.join("")
    ));
    out
}

pub async fn page() -> Html<String> {
    let doc = super::openapi();
    let mut body = String::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ] {
            if let Some(op) = op {
                body.push_str(&operation(method, path, op));
            }
        }
    }
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} reference</title></head><body><main>\
         <h1>{title} {version}</h1><p>{description}</p>\
         <p>The machine-readable document: <a href=\"{prefix}/openapi.json\">OpenAPI 3.1 (JSON)</a>.</p>\
         <h2>Endpoints</h2>{body}</main></body></html>",
        title = escape(&doc.info.title),
        version = escape(&doc.info.version),
        description = escape(doc.info.description.as_deref().unwrap_or_default()),
        prefix = super::PREFIX,
    ))
}
