//! Protections every route inherits: cross-site request refusal, security
//! headers, and real HTTP statuses for server-function errors.

use crate::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{HeaderName, HeaderValue};
use http::{Method, StatusCode};
use leptos::server_fn::error::FromServerFnError;

/// Leptos does no CSRF check for server functions, so this one does: a
/// state-changing request must come from this site. Browsers send
/// `Sec-Fetch-Site` (modern) and `Origin` (on every POST); either one saying
/// "another site" is refused. The Origin must be the public origin itself:
/// scheme, host and port. Its host alone is not enough: behind https, a page
/// on the same host over plain http is another origin, one that anybody on
/// the network can write. Requests without both (curl, server-to-server)
/// carry no ambient browser cookies an attacker could ride on.
pub async fn refuse_cross_site(
    axum::extract::State(public): axum::extract::State<PublicOrigin>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "same-site" is refused too: a sibling subdomain is not us.
        if site != "same-origin" && site != "none" {
            return forbidden_cross_site(site, &public);
        }
    }
    if let Some(origin) = headers.get(http::header::ORIGIN) {
        let from = origin.to_str().unwrap_or("unreadable origin");
        if !origin_of(from).is_some_and(|o| public.accepts(&o)) {
            return forbidden_cross_site(from, &public);
        }
    }
    next.run(req).await
}

/// The origin people reach this server at (`PUBLIC_URL`), as `origin_of`
/// writes it: the state of `refuse_cross_site`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicOrigin(std::sync::Arc<str>);

/// The names of this machine's loopback interface.
const LOOPBACK_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// An origin's scheme and port when its host is a loopback name.
fn loopback_alias(origin: &str) -> Option<(&str, Option<&str>)> {
    let (scheme, rest) = origin.split_once("://")?;
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !p.ends_with(']') => (h, Some(p)),
        _ => (rest, None),
    };
    LOOPBACK_HOSTS.contains(&host).then_some((scheme, port))
}

impl PublicOrigin {
    /// None when `public_url` is not an http(s) URL with a host; the
    /// configuration refuses such a `PUBLIC_URL` at start.
    pub fn of(public_url: &str) -> Option<PublicOrigin> {
        origin_of(public_url).map(|o| PublicOrigin(o.into()))
    }

    /// Whether a request from `origin` comes from this site. A loopback
    /// public address (the local default, `http://127.0.0.1:3000`) also
    /// accepts its other loopback names with the same scheme and port:
    /// `http://localhost:3000` is the same server on the same machine, and
    /// no other site can answer there.
    pub fn accepts(&self, origin: &str) -> bool {
        if origin == &*self.0 {
            return true;
        }
        match (loopback_alias(&self.0), loopback_alias(origin)) {
            (Some(ours), Some(theirs)) => ours == theirs,
            _ => false,
        }
    }
}

/// A URL's origin as a browser writes it in `Origin`: the scheme and the
/// host in lower case, and the port unless it is the scheme's default
/// (`https://Trade.Example:443/x` is `https://trade.example`). None for
/// what is no http(s) origin: `null`, a bare host, userinfo.
pub fn origin_of(url: &str) -> Option<String> {
    let uri: http::Uri = url.trim().parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return None,
    };
    let authority = uri.authority()?;
    if authority.as_str().contains('@') || authority.host().is_empty() {
        return None;
    }
    let host = authority.host().to_ascii_lowercase();
    Some(match authority.port_u16().filter(|p| *p != default_port) {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

fn forbidden_cross_site(from: &str, public: &PublicOrigin) -> Response {
    tracing::warn!(
        from,
        expected = %public.0,
        "refused a cross-site state-changing request"
    );
    (
        StatusCode::FORBIDDEN,
        "Cross-site requests are not allowed.",
    )
        .into_response()
}

/// The nonce a page's policy (`page_csp`) names, read back from it.
pub fn page_nonce(csp: &str) -> Option<&str> {
    csp.split("'nonce-")
        .nth(1)?
        .split('\'')
        .next()
        .filter(|n| n.len() >= 16)
}

/// The policy for rendered pages; Leptos's per-request nonce covers its
/// hydration and streaming scripts. `wasm-unsafe-eval` lets the page compile
/// its own WebAssembly, and nothing else.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Everything that is not a page (files, API answers) gets the strictest
/// policy, since none of it should run or embed anything.
const DEFAULT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// A rendered page (HTML), as opposed to a file, an API answer or a redirect.
pub fn is_page(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"))
}

/// Two years, with subdomains: once a browser has seen the site over https
/// it never tries plain http for it again, so nobody on the way can strip
/// TLS from a later visit.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Whether people reach this server over https (`PUBLIC_URL`), the state of
/// `security_headers`.
#[derive(Clone, Copy, Debug)]
pub struct Https(pub bool);

pub async fn security_headers(
    axum::extract::State(Https(https)): axum::extract::State<Https>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers();
    let set_default = |h: &mut http::HeaderMap, name: HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    if is_page(h) && !h.contains_key(http::header::CONTENT_SECURITY_POLICY) {
        // A page under the default policy cannot run its own scripts: it
        // would stay a dead document, so say so loudly.
        tracing::error!(status = %res.status(), "page rendered without its nonce policy");
    }
    let h = res.headers_mut();
    set_default(h, http::header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    // Pages and answers are per person and carry a per-response nonce:
    // never stored by shared caches, always revalidated by the browser.
    // Files set their own (long-lived for hashed names).
    set_default(h, http::header::CACHE_CONTROL, "private, no-cache");
    set_default(h, http::header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(h, http::header::X_FRAME_OPTIONS, "DENY");
    // Full URL to ourselves (no-JS form errors travel back through the
    // Referer), only the origin to others.
    set_default(
        h,
        http::header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set_default(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(self), microphone=(), geolocation=(), payment=()",
    );
    set_default(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    // Over plain http the header means nothing and browsers ignore it; sent
    // there it would only mislead a reader of the headers.
    if https {
        set_default(h, http::header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    res
}

/// Request ids are this server's own (a fresh UUID each, set next): one
/// taken from the client could forge or collide with another request's
/// reference in the logs.
pub async fn drop_client_request_id(mut req: Request) -> Request {
    req.headers_mut().remove("x-request-id");
    req
}

/// Server functions answer every error with 500; this gives each error the
/// status its meaning deserves (401, 403, 422, 429...). Plain form posts are
/// redirects by then and are left alone.
pub async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(b) => b,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    let err = AppError::de(bytes.clone());
    if let Ok(status) = StatusCode::from_u16(err.status()) {
        parts.status = status;
    }
    if let AppError::RateLimited {
        retry_after_minutes,
    } = &err
    {
        if let Ok(v) = HeaderValue::from_str(&(retry_after_minutes * 60).to_string()) {
            parts.headers.insert(http::header::RETRY_AFTER, v);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loopback_address_accepts_its_other_names_on_the_same_port() {
        let local = PublicOrigin::of("http://127.0.0.1:3000").unwrap();
        assert!(local.accepts("http://127.0.0.1:3000"));
        assert!(local.accepts("http://localhost:3000"));
        assert!(local.accepts("http://[::1]:3000"));
        assert!(!local.accepts("http://localhost:3001"), "another port");
        assert!(!local.accepts("https://localhost:3000"), "another scheme");
        assert!(!local.accepts("http://localhost"));
        assert!(!local.accepts("http://127.0.0.2:3000"));
        assert!(!local.accepts("http://localhost.evil.example:3000"));
        let public = PublicOrigin::of("https://trade.example").unwrap();
        assert!(public.accepts("https://trade.example"));
        assert!(
            !public.accepts("https://localhost"),
            "only a loopback address has aliases"
        );
    }

    #[test]
    fn an_origin_is_its_scheme_host_and_port() {
        assert_eq!(
            origin_of("https://Trade.Example:443/prices?x=1").as_deref(),
            Some("https://trade.example")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:3000").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(
            origin_of("http://trade.example:80").as_deref(),
            Some("http://trade.example")
        );
        assert_eq!(
            origin_of("https://trade.example:8443").as_deref(),
            Some("https://trade.example:8443")
        );
        assert_eq!(
            origin_of("http://[::1]:3000").as_deref(),
            Some("http://[::1]:3000")
        );
        for not_an_origin in [
            "null",
            "",
            "trade.example",
            "ftp://trade.example",
            "https://user@trade.example",
            "https://",
        ] {
            assert_eq!(origin_of(not_an_origin), None, "{not_an_origin}");
        }
        let public = PublicOrigin::of("https://trade.example/").unwrap();
        assert_ne!(
            origin_of("http://trade.example").as_deref(),
            Some(public.0.as_ref()),
            "the same host over plain http is another origin"
        );
    }

    #[test]
    fn page_policy_keeps_framing_and_plugins_out() {
        let csp = page_csp("abc");
        assert!(csp.contains("'nonce-abc'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("object-src 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
