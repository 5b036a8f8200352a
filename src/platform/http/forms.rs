//! Forms the browser posts itself, to the page they are on: every form
//! without JavaScript, and file uploads with it (see `ui::form`).
//!
//! A page's form names its server function in a hidden field. This layer
//! calls that function as the browser app would, then answers:
//! - accepted: a redirect (303) to where the function said, else back to
//!   the page, so reloading does not send the form again;
//! - refused: the same page, rendered again in this answer with what was
//!   entered and why it was refused (`ui::refused`), and the error's status.
//!
//! A plain route that takes a file answers a refusal with a `RefusedForm`
//! in its response's extensions, and this layer renders the page the same
//! way. Rendering in the answer, rather than redirecting to `?error=`,
//! keeps the values without storing them anywhere, and secrets are never
//! written back (`RefusedForm::new`).

use crate::error::AppError;
use crate::ui::refused::{RefusedForm, FN_FIELD, FORM_FIELD};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use leptos::server_fn::error::FromServerFnError;
use tower::ServiceExt;

/// The app's routes and page layers, without this one: where a form's
/// server function is called and its page rendered again.
pub type Pages = axum::Router;

/// The largest form without a file: the general body limit, which this
/// layer meets before the router applies it.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

pub async fn page_post(State(pages): State<Pages>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    if !is_urlencoded(req.headers()) {
        let (uri, headers) = (req.uri().clone(), req.headers().clone());
        let mut res = next.run(req).await;
        return match res.extensions_mut().remove::<RefusedForm>() {
            Some(refused) => render(&pages, uri, headers, refused).await,
            None => res,
        };
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "This form is too large.").into_response();
    };
    let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
    let Some(function) = value(&fields, FN_FIELD).map(str::to_string) else {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    };
    if !is_server_fn(&function) {
        return (StatusCode::NOT_FOUND, "This form no longer exists.").into_response();
    }
    let answer = call(&pages, &parts.headers, &function, bytes).await;
    if answer.headers().contains_key("serverfnerror") {
        let error = error_of(answer).await;
        let form = value(&fields, FORM_FIELD).unwrap_or(&function).to_string();
        let refused = RefusedForm::new(form, fields, error);
        return render(&pages, parts.uri, parts.headers, refused).await;
    }
    accepted(answer, &parts.uri)
}

/// A plain route's answer to a form it refused: 422, carrying the refusal
/// for `page_post` to render the page again around it.
pub fn send_back(refused: RefusedForm) -> Response {
    let mut res = StatusCode::UNPROCESSABLE_ENTITY.into_response();
    res.extensions_mut().insert(refused);
    res
}

fn is_urlencoded(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
}

fn value<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn is_server_fn(path: &str) -> bool {
    leptos::server_fn::axum::server_fn_paths().any(|(p, m)| p == path && m == Method::POST)
}

/// Calls the server function as the browser app does (asking for data, not
/// a page), with the visitor's own headers: cookies, request id, address.
async fn call(pages: &Pages, headers: &HeaderMap, function: &str, body: Bytes) -> Response {
    let mut req = Request::new(Body::from(body));
    *req.method_mut() = Method::POST;
    *req.uri_mut() = function.parse().unwrap_or_default();
    *req.headers_mut() = headers.clone();
    let h = req.headers_mut();
    h.remove(header::CONTENT_LENGTH);
    h.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    match pages.clone().oneshot(req).await {
        Ok(res) => res,
        Err(never) => match never {},
    }
}

async fn error_of(answer: Response) -> AppError {
    match axum::body::to_bytes(answer.into_body(), 64 * 1024).await {
        Ok(bytes) => AppError::de(bytes),
        Err(e) => AppError::BadRequest(e.to_string()),
    }
}

/// Where the browser goes after an accepted form, with the cookies the
/// function set (signing in sets one).
fn accepted(answer: Response, page: &Uri) -> Response {
    let location = answer
        .headers()
        .get(header::LOCATION)
        .cloned()
        .or_else(|| HeaderValue::from_str(&page.to_string()).ok())
        .unwrap_or_else(|| HeaderValue::from_static("/"));
    let mut res = StatusCode::SEE_OTHER.into_response();
    res.headers_mut().insert(header::LOCATION, location);
    for cookie in answer.headers().get_all(header::SET_COOKIE) {
        res.headers_mut().append(header::SET_COOKIE, cookie.clone());
    }
    res
}

/// The page at `uri` as a visit would render it, with the refused form in
/// its request, answered with the refusal's status.
async fn render(pages: &Pages, uri: Uri, headers: HeaderMap, refused: RefusedForm) -> Response {
    let status =
        StatusCode::from_u16(refused.error.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    let mut req = Request::new(Body::empty());
    *req.uri_mut() = uri;
    *req.headers_mut() = headers;
    let h = req.headers_mut();
    h.remove(header::CONTENT_TYPE);
    h.remove(header::CONTENT_LENGTH);
    h.insert(header::ACCEPT, HeaderValue::from_static("text/html"));
    req.extensions_mut().insert(refused);
    let mut res = match pages.clone().oneshot(req).await {
        Ok(res) => res,
        Err(never) => match never {},
    };
    if res.status().is_success() {
        *res.status_mut() = status;
    }
    res
}
