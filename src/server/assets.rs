//! Static files: the built front end under `/pkg` (wasm, JS, CSS) and the
//! `public/` files at the site root (favicon...), with caching rules that
//! follow from their names.
//!
//! A release build made with cargo-leptos `hash-files` puts a content hash
//! in each front-end file name and lists the hashes in `hash.txt` next to
//! the server binary (where Leptos's `HydrationScripts` reads them). Such a
//! file never changes under its name, so browsers may keep it for a year
//! without asking again. Names without a hash can change content at the next
//! deploy, so browsers keep them only briefly.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::{HeaderValue, CACHE_CONTROL, VARY};
use http::StatusCode;
use std::path::Path;

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
        BuiltFiles { hashed_css: css }
    } else {
        BuiltFiles::default()
    }
}

/// cargo-leptos names hashed files `name.<hash>.ext`, or `<hash>.wasm` for
/// split chunks, the hash being 22 characters of unpadded base64url (an MD5).
pub fn is_content_hashed(file_name: &str) -> bool {
    let mut parts: Vec<&str> = file_name.split('.').collect();
    if parts.len() < 2 {
        return false;
    }
    parts.pop();
    parts.iter().any(|p| p.len() == 22 && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

fn cache_for_pkg(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    // wasm-bindgen's snippet folders carry a hash of the crate, not of the
    // file, so their files do not count as hashed.
    if !path.contains("/snippets/") && is_content_hashed(name) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

fn served(res: &Response) -> bool {
    matches!(res.status(), StatusCode::OK | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT)
}

/// For the `/pkg` service (which sees paths without the `/pkg` prefix).
pub async fn pkg_cache(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    if served(&res) {
        let h = res.headers_mut();
        h.insert(CACHE_CONTROL, HeaderValue::from_static(cache_for_pkg(&path)));
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

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_content_hashed("tradein.Zk3v0yq1p0w2bQ8GmB2nTA.wasm"));
        assert!(is_content_hashed("tradein.Zk3v0yq1p0w2bQ8GmB2n_-.js"));
        assert!(is_content_hashed("Zk3v0yq1p0w2bQ8GmB2nTA.wasm"));
        assert!(!is_content_hashed("tradein.wasm"));
        assert!(!is_content_hashed("tradein.js"));
        assert!(!is_content_hashed("favicon.svg"));
        assert!(!is_content_hashed("Zk3v0yq1p0w2bQ8GmB2nTA"));
    }

    #[test]
    fn pkg_cache_depends_on_the_name() {
        assert_eq!(cache_for_pkg("/tradein.Zk3v0yq1p0w2bQ8GmB2nTA.wasm"), IMMUTABLE);
        assert_eq!(cache_for_pkg("/tradein.wasm"), REVALIDATE);
        assert_eq!(cache_for_pkg("/snippets/tradein-Zk3v0yq1p0w2bQ8GmB2nTA/inline0.js"), REVALIDATE);
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
