//! The consumer pages a visitor who is not signed in sees (home, a category,
//! a brand, a model, an offer), kept as rendered for a moment.
//!
//! Such a page is the same for everyone who asks for the same address at
//! the same time: it depends on the catalog and the market, both kept in
//! memory already (`catalog_cache`, `offer_cache`), and on nothing of the
//! person. What differs between two responses is only the CSP nonce and
//! the request id the page carries, so a kept page is sent again with a
//! fresh nonce and the new request's id written in, instead of being
//! rendered again: rendering was most of the offer step's and the model
//! page's time under load (perf, scripts/bench.sh).
//!
//! A page is kept while what it was rendered from stands: until a write to
//! the data it depends on (the generation counters the caches below it
//! use, named by the composition root in `PageRules`), and at most
//! `PageRules::ttl`, so a page is never older than the data it would be
//! rendered from. A signed-in visitor's pages are never kept or served
//! from here. What a response asks to be done each time it is sent (an
//! offer recorded as shown) travels in `REPLAY_HEADER` and is done again,
//! through `PageRules::replay`, each time the kept page is sent.

use crate::platform::cache::{read, write, Generation};
use crate::platform::state::AppState;
use crate::platform::BoxFuture;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::header::{
    HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, COOKIE, SET_COOKIE,
};
use http::{Method, StatusCode};
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// Pages kept at most; past it, out-of-date ones go first, then all.
pub const MAX_PAGES: usize = 2_000;
/// Larger pages (none of the consumer pages is) are not kept.
const MAX_BYTES: usize = 128 * 1024;
/// Longer addresses are not kept (nobody's link is that long).
const MAX_KEY: usize = 512;

/// Set by a page on its response, once per thing to be done again each
/// time the page is sent (`PageRules::replay` reads it). Never leaves the
/// server: removed here from every response.
pub const REPLAY_HEADER: &str = "x-tradein-replay";

/// What the composition root decides about kept pages.
pub struct PageRules {
    /// The paths whose pages anyone may be sent (no person's data on them).
    pub is_public: fn(&str) -> bool,
    /// A kept page is dropped when any of these moves.
    pub depends_on: Vec<&'static Generation>,
    pub ttl: Duration,
    /// Done with a kept page's `REPLAY_HEADER` values each time it is sent.
    pub replay: fn(AppState, Vec<String>) -> BoxFuture<'static, ()>,
}

/// One piece of a kept page: its own bytes, or a place for what each
/// response gets anew.
#[derive(Debug)]
enum Piece {
    Bytes(Bytes),
    Nonce,
    RequestId,
}

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<Piece>,
    /// The CSP as sent, and where its nonce was.
    csp: (String, String),
    replay: Vec<String>,
    generations: Vec<u64>,
    at: Instant,
}

impl Page {
    fn fresh(&self, generations: &[u64], ttl: Duration) -> bool {
        self.generations == generations && self.at.elapsed() < ttl
    }

    fn respond(&self, nonce: &str, request_id: &str) -> Response {
        let mut body = Vec::with_capacity(
            self.body
                .iter()
                .map(|p| if let Piece::Bytes(b) = p { b.len() } else { 40 })
                .sum(),
        );
        for piece in &self.body {
            match piece {
                Piece::Bytes(b) => body.extend_from_slice(b),
                Piece::Nonce => body.extend_from_slice(nonce.as_bytes()),
                Piece::RequestId => body.extend_from_slice(request_id.as_bytes()),
            }
        }
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = self.status;
        *res.headers_mut() = self.headers.clone();
        if let Ok(v) = HeaderValue::from_str(&self.csp.0.replace(&self.csp.1, nonce)) {
            res.headers_mut().insert(CONTENT_SECURITY_POLICY, v);
        }
        res
    }
}

/// Splits `body` around every occurrence of the two per-response values.
fn pieces(body: &Bytes, nonce: &str, request_id: &str) -> Vec<Piece> {
    let mut places: Vec<(usize, usize, bool)> = memchr::memmem::find_iter(body, nonce.as_bytes())
        .map(|at| (at, nonce.len(), true))
        .chain(
            memchr::memmem::find_iter(body, request_id.as_bytes())
                .map(|at| (at, request_id.len(), false)),
        )
        .collect();
    places.sort_unstable();
    let mut out = Vec::with_capacity(places.len() * 2 + 1);
    let mut start = 0;
    for (at, len, is_nonce) in places {
        if at < start {
            continue;
        }
        if start < at {
            out.push(Piece::Bytes(body.slice(start..at)));
        }
        out.push(if is_nonce {
            Piece::Nonce
        } else {
            Piece::RequestId
        });
        start = at + len;
    }
    if start < body.len() {
        out.push(Piece::Bytes(body.slice(start..)));
    }
    out
}

pub struct PageCache {
    pages: RwLock<HashMap<String, Page>>,
    rules: PageRules,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("pages", &self.pages.read().map(|p| p.len()).unwrap_or(0))
            .finish()
    }
}

impl PageCache {
    pub fn new(rules: PageRules) -> PageCache {
        PageCache {
            pages: RwLock::default(),
            rules,
        }
    }

    /// What kept pages were rendered from, as the counters stand now.
    fn generations(&self) -> Vec<u64> {
        self.rules.depends_on.iter().map(|g| g.current()).collect()
    }

    fn keep(&self, key: String, page: Page) {
        write(&self.pages, |pages| {
            if pages.len() >= MAX_PAGES {
                let now = self.generations();
                pages.retain(|_, p| p.fresh(&now, self.rules.ttl));
                if pages.len() >= MAX_PAGES {
                    pages.clear();
                }
            }
            pages.insert(key, page);
        });
    }

    /// Forgets every kept page.
    pub fn clear(&self) {
        write(&self.pages, HashMap::clear);
    }
}

/// Any session cookie, valid or not, under either name (`__Host-` over
/// https ends in the plain one): such a visitor's page is rendered for them.
fn signed_in(headers: &HeaderMap) -> bool {
    let cookie = format!("{}=", crate::platform::session::cookie_name(false));
    headers
        .get_all(COOKIE)
        .iter()
        .any(|v| v.to_str().map_or(true, |c| c.contains(&cookie)))
}

/// Request ids this server makes: only those are written into kept pages
/// (one sent by a client could hold anything).
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| {
            if [8, 13, 18, 23].contains(&i) {
                b == b'-'
            } else {
                b.is_ascii_hexdigit()
            }
        })
}

/// The address a request may be answered from here under, if it may, and
/// its request id (written into the page it gets). Pages write dates in
/// the visitor's time zone, so each zone has its own copy.
fn key(is_public: fn(&str) -> bool, req: &Request) -> Option<(String, String)> {
    let uri = req.uri();
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // A page rendered again with a refused form is that visitor's own.
    let ok = req.method() == Method::GET
        && req
            .extensions()
            .get::<crate::ui::refused::RefusedForm>()
            .is_none()
        && is_public(uri.path())
        && !signed_in(req.headers())
        && is_uuid(id);
    let zone = crate::platform::zone::Zone::of_request(req.headers());
    let key = format!("{} {}", uri.path_and_query()?.as_str(), zone.name());
    (ok && key.len() <= MAX_KEY).then(|| (key, id.to_string()))
}

/// Removes the replay headers from a response, returning what they said.
fn take_replay(headers: &mut HeaderMap) -> Vec<String> {
    let name = HeaderName::from_static(REPLAY_HEADER);
    let replay = headers
        .get_all(&name)
        .iter()
        .filter_map(|v| Some(v.to_str().ok()?.to_string()))
        .collect();
    headers.remove(&name);
    replay
}

pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let cache = &state.pages;
    let key = key(cache.rules.is_public, &req);
    if let Some((key, request_id)) = &key {
        let now = cache.generations();
        let kept = read(&cache.pages, |pages| {
            let page = pages.get(key).filter(|p| p.fresh(&now, cache.rules.ttl))?;
            let nonce = leptos::nonce::Nonce::new().to_string();
            Some((page.respond(&nonce, request_id), page.replay.clone()))
        });
        if let Some((res, replay)) = kept {
            if !replay.is_empty() {
                (cache.rules.replay)(state.clone(), replay).await;
            }
            return res;
        }
    }
    let before = cache.generations();
    let mut res = next.run(req).await;
    let replay = take_replay(res.headers_mut());
    let Some((key, request_id)) = key else {
        return res;
    };
    let csp = res
        .headers()
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // Sent whole by `whole_pages` (its length is known), not streaming.
    let whole = axum::body::HttpBody::size_hint(res.body())
        .exact()
        .is_some_and(|n| n as usize <= MAX_BYTES);
    let Some((csp, nonce)) = csp.and_then(|c| {
        Some((
            c.clone(),
            crate::platform::http::security::page_nonce(&c)?.to_string(),
        ))
    }) else {
        return res;
    };
    if res.status() != StatusCode::OK
        || !whole
        || res.headers().contains_key(SET_COOKIE)
        || !crate::platform::http::security::is_page(res.headers())
    {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let mut headers = parts.headers.clone();
    headers.remove(CONTENT_LENGTH);
    let page = Page {
        status: parts.status,
        headers,
        body: pieces(&bytes, &nonce, &request_id),
        csp: (csp, nonce),
        replay,
        generations: before,
        at: Instant::now(),
    };
    cache.keep(key, page);
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_kept_in_pieces_around_its_nonce_and_request_id() {
        let id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let body = Bytes::from(format!("<script nonce=\"NONCE-0123456789abc\">x</script><code>{id}</code><script nonce=\"NONCE-0123456789abc\"></script>"));
        let page = Page {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: pieces(&body, "NONCE-0123456789abc", id),
            csp: (
                "script-src 'nonce-NONCE-0123456789abc'".into(),
                "NONCE-0123456789abc".into(),
            ),
            replay: Vec::new(),
            generations: vec![1, 1],
            at: Instant::now(),
        };
        let other_id = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        let res = page.respond("fresh-nonce-abcdefgh", other_id);
        assert_eq!(
            res.headers()[CONTENT_SECURITY_POLICY],
            "script-src 'nonce-fresh-nonce-abcdefgh'"
        );
        let body = futures_util::FutureExt::now_or_never(axum::body::to_bytes(
            res.into_body(),
            usize::MAX,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            format!("<script nonce=\"fresh-nonce-abcdefgh\">x</script><code>{other_id}</code><script nonce=\"fresh-nonce-abcdefgh\"></script>")
        );
        let ttl = Duration::from_secs(2);
        assert!(page.fresh(&[1, 1], ttl));
        assert!(
            !page.fresh(&[2, 1], ttl),
            "a write to its first source makes it out of date"
        );
        assert!(
            !page.fresh(&[1, 2], ttl),
            "a write to its second source makes it out of date"
        );
    }

    #[test]
    fn only_anonymous_public_pages_are_kept() {
        fn public(path: &str) -> bool {
            path == "/fr-fr" || path.starts_with("/fr-fr/sell/")
        }
        let req = |method: Method, uri: &str, cookie: Option<&str>, id: &str| {
            let mut r = Request::builder()
                .method(method)
                .uri(uri)
                .header("x-request-id", id);
            if let Some(c) = cookie {
                r = r.header(COOKIE, c);
            }
            r.body(Body::empty()).unwrap()
        };
        let id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let offer = "/fr-fr/sell/smartphones/apple/iphone-13/offer?variant=iphone-13-128gb&works=yes&screen=flawless&body=flawless";
        assert_eq!(
            key(public, &req(Method::GET, offer, None, id)),
            Some((format!("{offer} UTC"), id.to_string()))
        );
        assert_eq!(
            key(
                public,
                &req(Method::GET, offer, Some("tz=Europe/Paris"), id)
            ),
            Some((format!("{offer} Europe/Paris"), id.to_string())),
            "a page per time zone"
        );
        assert_eq!(
            key(
                public,
                &req(Method::GET, offer, Some("tz=Nowhere/Atall"), id)
            ),
            Some((format!("{offer} UTC"), id.to_string())),
            "an unknown zone is UTC's page"
        );
        assert!(
            key(public, &req(Method::GET, "/fr-fr", Some("theme=dark"), id)).is_some(),
            "another cookie is no session"
        );
        assert!(
            key(
                public,
                &req(Method::GET, offer, Some("a=1; tradein_session=tok"), id)
            )
            .is_none(),
            "signed in"
        );
        assert!(
            key(
                public,
                &req(Method::GET, offer, Some("__Host-tradein_session=tok"), id)
            )
            .is_none(),
            "signed in over https"
        );
        assert!(key(public, &req(Method::POST, offer, None, id)).is_none());
        assert!(key(public, &req(Method::HEAD, "/fr-fr", None, id)).is_none());
        assert!(
            key(public, &req(Method::GET, "/seller/prices", None, id)).is_none(),
            "not a public path"
        );
        assert!(
            key(public, &req(Method::GET, "/fr-fr", None, "<script>")).is_none(),
            "a request id this server did not make"
        );
        assert!(key(
            public,
            &req(
                Method::GET,
                &format!("/fr-fr/sell/x?q={}", "a".repeat(600)),
                None,
                id
            )
        )
        .is_none());
    }
}
