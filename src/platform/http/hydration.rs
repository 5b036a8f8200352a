//! Leptos's `HydrationScripts`, rendered once per process, and what makes
//! each lazy page name its wasm chunks in its head.
//!
//! With hashed file names it reads the hash file from disk on every page
//! (seven system calls and a dozen allocations, 3 % of a loaded server's
//! time: perf and strace, scripts/bench.sh). What it renders differs from
//! page to page only by the response's CSP nonce, so the first rendering is
//! kept and later pages get a copy carrying their own nonce.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::*;
use leptos::reactive::owner::Owner;
use leptos::tachys::html::InertElement;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

/// What of the options changes the rendering: output name, hashed names,
/// pkg dir (shared strings, so a page compares them without copying).
type Key = (Arc<str>, bool, Arc<str>);

fn key(options: &LeptosOptions) -> Key {
    (
        options.output_name.clone(),
        options.hash_files,
        options.site_pkg_dir.clone(),
    )
}

struct Rendered {
    /// The options it was rendered for: tests run apps with other options
    /// in the same process, and those render their own.
    key: Key,
    html: String,
    nonce: String,
    /// What Leptos's component provides for lazy routes' preload links.
    manifest: Option<leptos::WasmSplitManifest>,
}

static RENDERED: OnceLock<Rendered> = OnceLock::new();

pub fn scripts(options: LeptosOptions) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce()
        .map(|n| n.to_string())
        .unwrap_or_default();
    if let Some(kept) = RENDERED
        .get()
        .filter(|r| r.key == key(&options) && !nonce.is_empty())
    {
        if let Some(manifest) = &kept.manifest {
            provide_context(manifest.clone());
        }
        return InertElement::new(kept.html.replace(&kept.nonce, &nonce));
    }
    let rendered_for = key(&options);
    let html = view! { <HydrationScripts options defer=true/> }.to_html();
    if !nonce.is_empty() && html.contains(&nonce) {
        let manifest = use_context::<leptos::WasmSplitManifest>();
        let _ = RENDERED.set(Rendered {
            key: rendered_for,
            html: html.clone(),
            nonce,
            manifest,
        });
    }
    InertElement::new(html)
}

/// Polls each request with the reactive owner it last left current.
///
/// Leptos keeps the current owner per thread, and parts of it look there
/// without setting it first. A page's rendering does: a lazy route records
/// which wasm chunks it needs in a context found through it, and the
/// rendered page looks the split manifest up through it. A server function
/// makes its owner a child of it. That works while one request has the
/// thread to itself. Under a multi-threaded server a page whose data took
/// an `.await` resumed on a thread another request had left its own owner
/// on, so a third of the seller pages named none of their chunks, and the
/// browser fetched them one after another once the main module ran instead
/// of beside it. A request starts with no owner current, resumes with its
/// own, and the thread's owner from outside is put back after each poll.
pub async fn keep_request_owner(req: Request, next: Next) -> Response {
    keep_owner(next.run(req)).await
}

fn keep_owner<F: Future>(fut: F) -> KeepOwner<F> {
    KeepOwner {
        fut: Box::pin(fut),
        owner: None,
    }
}

struct KeepOwner<F> {
    fut: Pin<Box<F>>,
    /// The owner the request left current when it last yielded (the page's
    /// root, once Leptos made it).
    owner: Option<Owner>,
}

/// Makes `owner` the thread's current one, or none.
fn make_current(owner: Option<Owner>) {
    match owner {
        Some(o) => o.set(),
        None => {
            if let Some(current) = Owner::current() {
                current.unset();
            }
        }
    }
}

impl<F: Future> Future for KeepOwner<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let outside = Owner::current();
        make_current(this.owner.clone());
        let polled = this.fut.as_mut().poll(cx);
        this.owner = if polled.is_ready() {
            None
        } else {
            Owner::current()
        };
        make_current(outside);
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request that makes its root owner, yields while another request
    /// makes its own on the same thread, then looks up a context it provided.
    async fn request(name: &'static str) -> Option<&'static str> {
        let root = Owner::new_root(None);
        root.with(|| provide_context(name));
        tokio::task::yield_now().await;
        let found = use_context::<&'static str>();
        drop(root);
        found
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_request_resumes_with_its_own_owner() {
        // Unwrapped, one of them resumes with the other's owner, or with
        // none once that one is gone: the test can fail.
        let (a, b) = tokio::join!(request("a"), request("b"));
        assert!(a != Some("a") || b != Some("b"), "unwrapped: {a:?} {b:?}");

        let (a, b) = tokio::join!(keep_owner(request("a")), keep_owner(request("b")));
        assert_eq!((a, b), (Some("a"), Some("b")));
        assert!(
            Owner::current().is_none(),
            "nothing is left current after the requests"
        );
    }
}
