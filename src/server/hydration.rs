//! Leptos's `HydrationScripts`, rendered once per process.
//!
//! With hashed file names it reads the hash file from disk on every page
//! (seven system calls and a dozen allocations, 3 % of a loaded server's
//! time: perf and strace, scripts/bench.sh). What it renders differs from
//! page to page only by the response's CSP nonce, so the first rendering is
//! kept and later pages get a copy carrying their own nonce.

use leptos::prelude::*;
use leptos::tachys::html::InertElement;
use std::sync::{Arc, OnceLock};

/// What of the options changes the rendering: output name, hashed names,
/// pkg dir (shared strings, so a page compares them without copying).
type Key = (Arc<str>, bool, Arc<str>);

fn key(options: &LeptosOptions) -> Key {
    (options.output_name.clone(), options.hash_files, options.site_pkg_dir.clone())
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
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string()).unwrap_or_default();
    if let Some(kept) = RENDERED.get().filter(|r| r.key == key(&options) && !nonce.is_empty()) {
        if let Some(manifest) = &kept.manifest {
            provide_context(manifest.clone());
        }
        return InertElement::new(kept.html.replace(&kept.nonce, &nonce));
    }
    let rendered_for = key(&options);
    let html = view! { <HydrationScripts options defer=true/> }.to_html();
    if !nonce.is_empty() && html.contains(&nonce) {
        let manifest = use_context::<leptos::WasmSplitManifest>();
        let _ = RENDERED.set(Rendered { key: rendered_for, html: html.clone(), nonce, manifest });
    }
    InertElement::new(html)
}
