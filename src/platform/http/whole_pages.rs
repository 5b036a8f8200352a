//! Sends a rendered page as one body with its length instead of a stream.
//!
//! Leptos streams a page in pieces: the head, then the rest once the
//! page's data resolved, then the chunked encoding's terminator, three
//! writes and three TCP segments for an 8 KB page. The consumer pages' data
//! comes from memory (the catalog and offer caches), so every piece is ready
//! within microseconds of the first and streaming gains a browser nothing,
//! while the extra writes cost the server and every client a third of their
//! network work per page (perf and strace under load, scripts/bench.sh).
//! A page that grows past `LIMIT` goes on streaming from where it got to.
//!
//! It also mends two things of Leptos 0.8's markup that are not valid
//! HTML, so the pages pass the Nu checker (end2end/tests/html.spec.ts):
//! - it writes the page's data scripts after the shell, so after
//!   `</html>` ("stray start tag script", where validators give up); the
//!   closing `</body></html>` is held back and sent after them;
//! - it gives the wasm preload links the CSP nonce as their `crossorigin`,
//!   which is no value of that attribute (browsers read it as
//!   `anonymous`); the bare attribute says `anonymous` validly, so the
//!   requests stay the same.

use axum::body::{Body, BodyDataStream, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;

/// Larger pages (a long list) keep streaming, so memory stays bounded.
pub const LIMIT: usize = 512 * 1024;

pub async fn buffer(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if !crate::platform::http::security::is_page(res.headers())
        || res.headers().contains_key(http::header::CONTENT_LENGTH)
    {
        return res;
    }
    let nonce = res
        .headers()
        .get(http::header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::platform::http::security::page_nonce)
        .map(str::to_string);
    let (parts, body) = res.into_parts();
    let mut rest = body.into_data_stream();
    let mut whole: Vec<u8> = Vec::new();
    while let Some(chunk) = rest.next().await {
        match chunk {
            Ok(data) => {
                whole.extend_from_slice(&data);
                if whole.len() > LIMIT {
                    let mut whole = valid_crossorigin(whole, nonce.as_deref());
                    let end = take_document_end(&mut whole);
                    return Response::from_parts(parts, streaming(whole, rest, end));
                }
            }
            Err(e) => {
                // The client gets what was rendered, then the same broken body
                // it would have had unbuffered.
                tracing::warn!(error = %e, "page body failed while buffering");
                let failed = futures_util::stream::iter([Ok(Bytes::from(whole)), Err(e)]);
                return Response::from_parts(parts, Body::from_stream(failed));
            }
        }
    }
    let mut whole = valid_crossorigin(whole, nonce.as_deref());
    if let Some(end) = take_document_end(&mut whole) {
        whole.extend_from_slice(end);
    }
    Response::from_parts(parts, Body::from(whole))
}

/// `crossorigin="<nonce>"` becomes `crossorigin`.
fn valid_crossorigin(page: Vec<u8>, nonce: Option<&str>) -> Vec<u8> {
    let Some(nonce) = nonce.filter(|n| !n.is_empty()) else {
        return page;
    };
    let wrong = format!("crossorigin=\"{nonce}\"");
    let wrong = wrong.as_bytes();
    let find = |s: &[u8]| s.windows(wrong.len()).position(|w| w == wrong);
    // Most pages' bodies pass through untouched, without a copy.
    if find(&page).is_none() {
        return page;
    }
    let mut out = Vec::with_capacity(page.len());
    let mut rest = page.as_slice();
    while let Some(at) = find(rest) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(b"crossorigin");
        rest = &rest[at + wrong.len()..];
    }
    out.extend_from_slice(rest);
    out
}

const DOCUMENT_END: &[&[u8]] = &[b"</body></html>", b"</html>"];

/// Takes the document's closing tags out of `page` when something follows
/// them, and says which they were.
fn take_document_end(page: &mut Vec<u8>) -> Option<&'static [u8]> {
    for end in DOCUMENT_END {
        let Some(at) = page.windows(end.len()).rposition(|w| w == *end) else {
            continue;
        };
        if page[at + end.len()..].iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        page.drain(at..at + end.len());
        return Some(end);
    }
    None
}

/// What was buffered, then the rest of the body as it comes, then the
/// document's end if it was held back.
fn streaming(head: Vec<u8>, rest: BodyDataStream, end: Option<&'static [u8]>) -> Body {
    let head = futures_util::stream::once(async move { Ok::<_, axum::Error>(Bytes::from(head)) });
    let end = futures_util::stream::iter(end.map(|e| Ok(Bytes::from_static(e))));
    Body::from_stream(head.chain(rest).chain(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preload_links_say_crossorigin_without_the_nonce() {
        let page = br#"<link rel="modulepreload" href="/pkg/t.js" crossorigin="n0nce-0123456789ab"><link rel="preload" crossorigin="n0nce-0123456789ab"><script type="module" nonce="n0nce-0123456789ab">x</script>"#;
        assert_eq!(
            String::from_utf8(valid_crossorigin(
                page.to_vec(),
                crate::platform::http::security::page_nonce(
                    "script-src 'nonce-n0nce-0123456789ab' 'self'"
                )
            ))
            .unwrap(),
            r#"<link rel="modulepreload" href="/pkg/t.js" crossorigin><link rel="preload" crossorigin><script type="module" nonce="n0nce-0123456789ab">x</script>"#
        );
        assert_eq!(valid_crossorigin(page.to_vec(), None), page.to_vec());
    }

    #[test]
    fn the_document_ends_after_the_data_scripts() {
        let mut page =
            b"<html><body><main></main></body></html><script>__RESOLVED_RESOURCES=[];</script>"
                .to_vec();
        let end = take_document_end(&mut page).unwrap();
        page.extend_from_slice(end);
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><body><main></main><script>__RESOLVED_RESOURCES=[];</script></body></html>"
        );
        let mut ended = b"<html><body></body></html>\n".to_vec();
        assert_eq!(take_document_end(&mut ended), None, "already last");
        let mut fragment = b"<p>not a document</p>".to_vec();
        assert_eq!(take_document_end(&mut fragment), None);
        assert_eq!(fragment, b"<p>not a document</p>");
    }
}
