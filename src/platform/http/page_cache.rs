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
//! A page is kept while what it was rendered from stands: until a write in
//! this process to the catalog or to what the offer rule reads (the same
//! generation counters the caches below it use), and at most `TTL`, the
//! offer cache's own limit, so a page is never older than the market it
//! would be rendered from. A signed-in visitor's pages are never kept or
//! served from here. An offer served from here is recorded as shown, as a
//! rendered one is (`SHOWN_HEADER`).

use crate::domain::grade::Grade;
use crate::features::offers::repo::ShownOffer;
use crate::platform::cache::{read, write};
use crate::platform::state::AppState;
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

/// The offer cache's limit: a kept offer page is as fresh as a rendered one.
pub const TTL: Duration = crate::features::offers::cache::TTL;
/// Pages kept at most; past it, out-of-date ones go first, then all.
pub const MAX_PAGES: usize = 2_000;
/// Larger pages (none of the consumer pages is) are not kept.
const MAX_BYTES: usize = 128 * 1024;
/// Longer addresses are not kept (nobody's link is that long).
const MAX_KEY: usize = 512;

/// Set by the offer step on its response, one per offer shown
/// (`variant grade seller|- price|-`), so a page served from here records
/// its view too. Never leaves the server: removed here from every response.
pub const SHOWN_HEADER: &str = "x-tradein-offer-shown";

/// The text of `SHOWN_HEADER` for an offer shown.
pub fn shown_value(v: &ShownOffer) -> String {
    let opt = |n: Option<i64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
    format!(
        "{} {} {} {}",
        v.variant_id,
        v.grade.code(),
        opt(v.seller_id),
        opt(v.price_minor)
    )
}

fn parse_shown(text: &str) -> Option<ShownOffer> {
    let parts: Vec<&str> = text.split(' ').collect();
    let [variant, grade, seller, price] = parts[..] else {
        return None;
    };
    let opt = |s: &str| {
        if s == "-" {
            Some(None)
        } else {
            s.parse().ok().map(Some)
        }
    };
    Some(ShownOffer {
        variant_id: variant.parse().ok()?,
        grade: Grade::parse(grade).ok()?,
        seller_id: opt(seller)?,
        price_minor: opt(price)?,
        at_ms: 0,
    })
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
    views: Vec<ShownOffer>,
    generations: (u64, u64),
    at: Instant,
}

impl Page {
    fn fresh(&self, generations: (u64, u64)) -> bool {
        self.generations == generations && self.at.elapsed() < TTL
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

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, Page>>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("pages", &self.pages.read().map(|p| p.len()).unwrap_or(0))
            .finish()
    }
}

impl PageCache {
    fn keep(&self, key: String, page: Page) {
        write(&self.pages, |pages| {
            if pages.len() >= MAX_PAGES {
                let now = generations();
                pages.retain(|_, p| p.fresh(now));
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

/// What a kept page was rendered from, as the counters stand now.
fn generations() -> (u64, u64) {
    (
        crate::features::catalog::repo::generation(),
        crate::features::offers::repo::generation(),
    )
}

/// The consumer pages anyone may see, by address: home and everything
/// under `/sell/` but accepting an offer (which needs a signed-in person).
fn is_public_page(path: &str) -> bool {
    path == "/" || (path.starts_with("/sell/") && !path.ends_with("/accept"))
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
/// its request id (written into the page it gets).
fn key(req: &Request) -> Option<(String, String)> {
    let uri = req.uri();
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let ok = req.method() == Method::GET
        && is_public_page(uri.path())
        && !signed_in(req.headers())
        && is_uuid(id);
    let key = uri.path_and_query().map(|p| p.as_str().to_string())?;
    (ok && key.len() <= MAX_KEY).then(|| (key, id.to_string()))
}

fn nonce_of(csp: &str) -> Option<&str> {
    csp.split("'nonce-")
        .nth(1)?
        .split('\'')
        .next()
        .filter(|n| n.len() >= 16)
}

/// Removes the offer-shown headers from a response, returning what they said.
fn take_shown(headers: &mut HeaderMap) -> Vec<ShownOffer> {
    let name = HeaderName::from_static(SHOWN_HEADER);
    let shown = headers
        .get_all(&name)
        .iter()
        .filter_map(|v| parse_shown(v.to_str().ok()?))
        .collect();
    headers.remove(&name);
    shown
}

pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let key = key(&req);
    if let Some((key, request_id)) = &key {
        let now = generations();
        let kept = read(&state.pages.pages, |pages| {
            let page = pages.get(key).filter(|p| p.fresh(now))?;
            let nonce = leptos::nonce::Nonce::new().to_string();
            Some((page.respond(&nonce, request_id), page.views.clone()))
        });
        if let Some((res, views)) = kept {
            let at_ms = state.clock.now_ms();
            for v in views {
                state.offer_views.record(ShownOffer { at_ms, ..v }).await;
            }
            return res;
        }
    }
    let before = generations();
    let mut res = next.run(req).await;
    let views = take_shown(res.headers_mut());
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
    let Some((csp, nonce)) = csp.and_then(|c| Some((c.clone(), nonce_of(&c)?.to_string()))) else {
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
        views,
        generations: before,
        at: Instant::now(),
    };
    state.pages.keep(key, page);
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
            views: Vec::new(),
            generations: (1, 1),
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
        assert!(page.fresh((1, 1)));
        assert!(!page.fresh((2, 1)), "a catalog write makes it out of date");
        assert!(!page.fresh((1, 2)), "a market write makes it out of date");
    }

    #[test]
    fn only_anonymous_public_pages_are_kept() {
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
        let offer = "/sell/smartphones/apple/iphone-13/offer?variant=iphone-13-128gb&works=yes&screen=flawless&body=flawless";
        assert_eq!(
            key(&req(Method::GET, offer, None, id)),
            Some((offer.to_string(), id.to_string()))
        );
        assert!(
            key(&req(Method::GET, "/", Some("theme=dark"), id)).is_some(),
            "another cookie is no session"
        );
        assert!(
            key(&req(
                Method::GET,
                offer,
                Some("a=1; tradein_session=tok"),
                id
            ))
            .is_none(),
            "signed in"
        );
        assert!(
            key(&req(
                Method::GET,
                offer,
                Some("__Host-tradein_session=tok"),
                id
            ))
            .is_none(),
            "signed in over https"
        );
        assert!(key(&req(Method::POST, offer, None, id)).is_none());
        assert!(key(&req(Method::HEAD, "/", None, id)).is_none());
        assert!(key(&req(
            Method::GET,
            "/sell/smartphones/apple/iphone-13/accept?variant=x",
            None,
            id
        ))
        .is_none());
        assert!(key(&req(Method::GET, "/seller/prices", None, id)).is_none());
        assert!(key(&req(Method::GET, "/trade-ins", None, id)).is_none());
        assert!(
            key(&req(Method::GET, "/", None, "<script>")).is_none(),
            "a request id this server did not make"
        );
        assert!(key(&req(
            Method::GET,
            &format!("/sell/x?q={}", "a".repeat(600)),
            None,
            id
        ))
        .is_none());
    }

    #[test]
    fn offers_shown_travel_in_a_header_and_back() {
        let v = ShownOffer {
            variant_id: 12,
            grade: Grade::FunctionalGood,
            seller_id: Some(3),
            price_minor: Some(45_000),
            at_ms: 0,
        };
        let none = ShownOffer {
            variant_id: 12,
            grade: Grade::NotFunctionalCracked,
            seller_id: None,
            price_minor: None,
            at_ms: 0,
        };
        let mut h = HeaderMap::new();
        h.append(
            SHOWN_HEADER,
            HeaderValue::from_str(&shown_value(&v)).unwrap(),
        );
        h.append(
            SHOWN_HEADER,
            HeaderValue::from_str(&shown_value(&none)).unwrap(),
        );
        assert_eq!(take_shown(&mut h), [v, none]);
        assert!(!h.contains_key(SHOWN_HEADER), "removed from the response");
        assert_eq!(parse_shown("12 bogus - -"), None);
    }
}
