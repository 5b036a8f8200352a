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
    let (parts, body) = res.into_parts();
    let mut rest = body.into_data_stream();
    let mut whole: Vec<u8> = Vec::new();
    while let Some(chunk) = rest.next().await {
        match chunk {
            Ok(data) => {
                whole.extend_from_slice(&data);
                if whole.len() > LIMIT {
                    return Response::from_parts(parts, streaming(whole, rest));
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
    Response::from_parts(parts, Body::from(whole))
}

/// What was buffered, then the rest of the body as it comes.
fn streaming(head: Vec<u8>, rest: BodyDataStream) -> Body {
    let head = futures_util::stream::once(async move { Ok::<_, axum::Error>(Bytes::from(head)) });
    Body::from_stream(head.chain(rest))
}
