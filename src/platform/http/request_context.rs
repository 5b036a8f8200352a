//! The request in the reactive context of a plain route's handler, as
//! Leptos puts it there for pages and server functions. Whatever a
//! feature's service reads from it (the areas' language through
//! `use_staff`, a page's texts) then works the same from an upload route
//! as from a server function, with no language passed around.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::provide_context;
use leptos::reactive::{computed::ScopedFuture, owner::Owner};

pub async fn in_request_context(req: Request, next: Next) -> Response {
    // Method, address and headers: what readers of the context look at. The
    // body and extensions stay with the handler.
    let (mut parts, ()) = http::Request::new(()).into_parts();
    parts.method = req.method().clone();
    parts.uri = req.uri().clone();
    parts.headers = req.headers().clone();
    let owner = Owner::new();
    owner.with(|| provide_context(parts));
    owner.with(|| ScopedFuture::new(next.run(req))).await
}
