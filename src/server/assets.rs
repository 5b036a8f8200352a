//! Static files: the built front end under `/pkg` (wasm, JS, CSS) and the
//! `public/` files at the site root (favicon...), with caching rules that
//! follow from their names and contents.
//!
//! A release build made with cargo-leptos `hash-files` puts a content hash
//! in each front-end file name and lists the hashes in `hash.txt` next to
//! the server binary (where Leptos's `HydrationScripts` reads them). A file
//! whose bytes still hash to the name it carries never changes under that
//! name, so browsers may keep it for a year without asking again.
//!
//! With `--split`, cargo-leptos hashes the files first and then patches the
//! wasm files and the main JS to name the chunk loader, whose own name
//! depends on every chunk. Such a file can change under its name when only
//! a chunk changed, and a browser holding the old one would mix two builds.
//! So the server checks each name against the file's bytes at start-up and
//! promises a year only where they agree; the rest are revalidated (a 304
//! when unchanged: a round trip, not the bytes).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use http::header::{HeaderValue, CACHE_CONTROL, VARY};
use http::StatusCode;
use md5::{Digest, Md5};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unhashed build output (debug builds, or hashing off): the JS, the wasm and
/// the page that names them must come from the same build, so the browser
/// asks every time (a 304 when nothing changed).
pub const REVALIDATE: &str = "no-cache";
/// `public/` files keep their names across deploys; an hour of staleness
/// after a change is harmless for a favicon.
pub const SHORT: &str = "public, max-age=3600";

/// The front-end files of one build, as cargo-leptos named them.
#[derive(Clone, Debug, Default)]
pub struct BuiltFiles {
    /// `tradein.<hash>.css` when the build hashed its files.
    pub hashed_css: Option<String>,
    /// Files directly in `pkg/` whose name carries the hash of their bytes.
    pub content_addressed: Arc<HashSet<String>>,
}

impl BuiltFiles {
    pub fn hashed(&self) -> bool {
        self.hashed_css.is_some()
    }
}

/// What cargo-leptos wrote: hashes are in use only if `hash.txt` sits next
/// to this binary *and* the files it names are in this site root. A
/// `hash.txt` left behind by an earlier hashed build of the same profile
/// would otherwise send browsers to files that are gone.
pub fn built_files(site_root: &Path, output_name: &str) -> BuiltFiles {
    let Some(hash_file) = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt"))) else {
        return BuiltFiles::default();
    };
    built_files_from(&hash_file, site_root, output_name)
}

fn built_files_from(hash_file: &Path, site_root: &Path, output_name: &str) -> BuiltFiles {
    let Ok(text) = std::fs::read_to_string(hash_file) else {
        return BuiltFiles::default();
    };
    let hash_of = |kind: &str| {
        text.lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim() == kind)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let pkg = site_root.join("pkg");
    let named = |kind: &str| hash_of(kind).map(|h| format!("{output_name}.{h}.{kind}"));
    let present = |name: &Option<String>| name.as_ref().is_some_and(|n| pkg.join(n).is_file());
    let (js, wasm, css) = (named("js"), named("wasm"), named("css"));
    if present(&js) && present(&wasm) && present(&css) {
        BuiltFiles { hashed_css: css, content_addressed: Arc::new(content_addressed(&pkg)) }
    } else {
        BuiltFiles::default()
    }
}

/// The names in `dir` that end in the MD5 of the file's bytes, in the
/// unpadded base64url cargo-leptos writes (`name.<hash>.ext` or `<hash>.ext`).
fn content_addressed(dir: &Path) -> HashSet<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return HashSet::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let claimed = name_hash(&name)?;
            let bytes = std::fs::read(entry.path()).ok()?;
            let actual = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Md5::digest(&bytes));
            (actual == claimed).then_some(name)
        })
        .collect()
}

/// The 22-character hash just before a file name's extension, if it has
/// one (so the `.br`/`.gz` copies, which never match, are not read).
fn name_hash(file_name: &str) -> Option<&str> {
    let (stem, _ext) = file_name.rsplit_once('.')?;
    let hash = stem.rsplit('.').next()?;
    (hash.len() == 22 && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')).then_some(hash)
}

/// A year for a file whose name is its content's hash; otherwise ask again.
/// Files below `pkg/` (wasm-bindgen's snippets) carry a hash of the crate,
/// not of the file, and are never in the set.
fn cache_for_pkg(path: &str, built: &BuiltFiles) -> &'static str {
    let name = path.trim_start_matches('/');
    if built.content_addressed.contains(name) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

fn served(res: &Response) -> bool {
    matches!(res.status(), StatusCode::OK | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT)
}

/// For the `/pkg` service (which sees paths without the `/pkg` prefix).
pub async fn pkg_cache(State(built): State<BuiltFiles>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    if served(&res) {
        let h = res.headers_mut();
        h.insert(CACHE_CONTROL, HeaderValue::from_static(cache_for_pkg(&path, &built)));
        // The same URL answers brotli, gzip or plain bytes.
        h.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// Leptos's page renders at the fallback too, but only as a 404 (or an
/// error); a success there is a file from the site root.
pub async fn root_file_cache(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if served(&res) && !res.headers().contains_key(CACHE_CONTROL) {
        let h = res.headers_mut();
        h.insert(CACHE_CONTROL, HeaderValue::from_static(SHORT));
        h.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// The app links its stylesheet as `/pkg/<name>.css`, a name that cannot
/// carry the hash; when the build hashed the file, that name is answered
/// with the hashed one (revalidated each time, as the name is stable).
pub fn css_alias(files: &BuiltFiles, output_name: &str) -> impl Fn(Request) -> Request + Clone + Send + Sync + 'static {
    let alias = format!("/{output_name}.css");
    let target = files.hashed_css.as_ref().and_then(|h| format!("/{h}").parse::<http::Uri>().ok());
    move |mut req: Request| {
        if let Some(uri) = &target {
            if req.uri().path() == alias {
                *req.uri_mut() = uri.clone();
            }
        }
        req
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md5_name(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Md5::digest(bytes))
    }

    #[test]
    fn hashes_are_found_in_names() {
        assert_eq!(name_hash("tradein.Zk3v0yq1p0w2bQ8GmB2nTA.wasm"), Some("Zk3v0yq1p0w2bQ8GmB2nTA"));
        assert_eq!(name_hash("Zk3v0yq1p0w2bQ8GmB2n_-.wasm"), Some("Zk3v0yq1p0w2bQ8GmB2n_-"));
        assert_eq!(name_hash("tradein.wasm"), None);
        assert_eq!(name_hash("favicon.svg"), None);
        assert_eq!(name_hash("Zk3v0yq1p0w2bQ8GmB2nTA"), None);
        assert_eq!(name_hash("tradein.Zk3v0yq1p0w2bQ8GmB2nTA.wasm.br"), None);
    }

    #[test]
    fn only_names_that_match_their_bytes_are_cached_for_a_year() {
        let dir = std::env::temp_dir().join(format!("tradein-assets-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = format!("tradein.{}.wasm", md5_name(b"wasm bytes"));
        std::fs::write(dir.join(&good), b"wasm bytes").unwrap();
        // Hashed, then patched by the split step: the name no longer holds.
        let patched = format!("tradein.{}.js", md5_name(b"before the patch"));
        std::fs::write(dir.join(&patched), b"after the patch").unwrap();
        std::fs::write(dir.join("tradein.css"), b"body{}").unwrap();
        let built = BuiltFiles { hashed_css: None, content_addressed: Arc::new(content_addressed(&dir)) };
        assert_eq!(cache_for_pkg(&format!("/{good}"), &built), IMMUTABLE);
        assert_eq!(cache_for_pkg(&format!("/{patched}"), &built), REVALIDATE);
        assert_eq!(cache_for_pkg("/tradein.css", &built), REVALIDATE);
        assert_eq!(cache_for_pkg(&format!("/snippets/x/{good}"), &built), REVALIDATE);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_stale_hash_file_is_ignored() {
        let dir = std::env::temp_dir().join(format!("tradein-assets-{}", std::process::id()));
        let pkg = dir.join("site/pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        let hash_file = dir.join("hash.txt");
        std::fs::write(&hash_file, "js: AAAAAAAAAAAAAAAAAAAAAA\nwasm: BBBBBBBBBBBBBBBBBBBBBB\ncss: CCCCCCCCCCCCCCCCCCCCCC\n").unwrap();
        assert!(!built_files_from(&hash_file, &dir.join("site"), "tradein").hashed());
        for f in ["tradein.AAAAAAAAAAAAAAAAAAAAAA.js", "tradein.BBBBBBBBBBBBBBBBBBBBBB.wasm", "tradein.CCCCCCCCCCCCCCCCCCCCCC.css"] {
            std::fs::write(pkg.join(f), "x").unwrap();
        }
        let files = built_files_from(&hash_file, &dir.join("site"), "tradein");
        assert_eq!(files.hashed_css.as_deref(), Some("tradein.CCCCCCCCCCCCCCCCCCCCCC.css"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
