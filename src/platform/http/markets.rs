//! Which market a visitor is in when the address names none: `/` and the
//! addresses from before markets (`/sell/…`, `/search`) are sent on to the
//! visitor's market (`Market::for_visitor`: the market they last visited,
//! kept in a cookie, else their browser's languages), and every market
//! page a visitor opens becomes the one they last visited.

use crate::domain::market::Market;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::header::{ACCEPT_LANGUAGE, SET_COOKIE, VARY};
use http::{HeaderMap, HeaderValue, Method};

pub const COOKIE: &str = "tradein_market";

/// A year: a visitor keeps their country.
const KEPT_FOR_DAYS: i64 = 365;

fn chosen(headers: &HeaderMap) -> Option<String> {
    crate::platform::http::request_cookies(headers)
        .find(|c| c.name() == COOKIE)
        .map(|c| c.value().to_string())
}

/// The market of a request that names none in its address.
pub fn of_headers(headers: &HeaderMap) -> Market {
    Market::for_visitor(
        chosen(headers).as_deref(),
        headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()),
    )
}

/// The visitor's market, for a server function called without one.
pub fn of_request() -> Market {
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|parts| of_headers(&parts.headers))
        .unwrap_or(Market::FrFr)
}

/// `GET /`: the visitor's market's home page. Not permanent, and varying
/// with what decided it, so no cache keeps one visitor's answer for
/// another.
pub async fn home(headers: HeaderMap) -> Response {
    to_market(&headers, "")
}

/// `GET /sell/…` and `GET /search`, addresses from before markets (old
/// links and bookmarks): the same page in the visitor's market.
pub async fn moved(headers: HeaderMap, req: Request) -> Response {
    let rest = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    to_market(&headers, &rest)
}

fn to_market(headers: &HeaderMap, rest: &str) -> Response {
    let mut res = Redirect::to(&of_headers(headers).path(rest)).into_response();
    res.headers_mut()
        .insert(VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    res
}

/// Remembers the market of every market page a visitor opens, so `/` and
/// old addresses take them back to it (and a choice made in the chooser,
/// which links to the market's pages, sticks).
pub async fn remember(State(secure): State<bool>, req: Request, next: Next) -> Response {
    let market = (req.method() == Method::GET)
        .then(|| Market::of_path(req.uri().path()))
        .flatten()
        .filter(|m| chosen(req.headers()).as_deref() != Some(m.code()));
    let mut res = next.run(req).await;
    if let Some(m) = market.filter(|_| res.status().is_success()) {
        let cookie = cookie::Cookie::build((COOKIE, m.code()))
            .path("/")
            .same_site(cookie::SameSite::Lax)
            .secure(secure)
            .http_only(true)
            .max_age(cookie::time::Duration::days(KEPT_FOR_DAYS))
            .build()
            .to_string();
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie: Option<&str>, languages: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(c) = cookie {
            h.insert(http::header::COOKIE, HeaderValue::from_str(c).unwrap());
        }
        if let Some(l) = languages {
            h.insert(ACCEPT_LANGUAGE, HeaderValue::from_str(l).unwrap());
        }
        h
    }

    #[test]
    fn the_cookie_wins_over_the_browser() {
        assert_eq!(
            of_headers(&headers(Some("a=1; tradein_market=en-gb"), Some("de"))),
            Market::EnGb
        );
        assert_eq!(
            of_headers(&headers(None, Some("de-AT,de;q=0.9"))),
            Market::DeDe
        );
        assert_eq!(of_headers(&headers(None, None)), Market::FrFr);
    }

    #[tokio::test]
    async fn old_addresses_keep_their_page_and_query() {
        let req = Request::builder()
            .uri("/sell/smartphones/apple?x=1")
            .body(axum::body::Body::empty())
            .unwrap();
        let res = moved(headers(None, Some("es-ES")), req).await;
        assert_eq!(
            res.headers().get(http::header::LOCATION).unwrap(),
            "/es-es/sell/smartphones/apple?x=1"
        );
        assert_eq!(res.headers().get(VARY).unwrap(), "Cookie, Accept-Language");
    }
}
