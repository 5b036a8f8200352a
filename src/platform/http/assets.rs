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
    let Some(hash_file) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
    else {
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
        let mut immutable = content_addressed(&pkg);
        // The main JS, wasm and split loader share one hash (see `bundle_hash`).
        let (j, w, split) = (hash_of("js"), hash_of("wasm"), hash_of("split"));
        if let Some(bundle) = split.filter(|b| j.as_ref() == Some(b) && w.as_ref() == Some(b)) {
            immutable.extend(whole_bundle(&pkg, output_name, &bundle));
        }
        BuiltFiles {
            hashed_css: css,
            content_addressed: Arc::new(immutable),
        }
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
            let actual =
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Md5::digest(&bytes));
            (actual == claimed).then_some(name)
        })
        .collect()
}

/// The names of the main JS, the main wasm and the split step's loader
/// under one hash, in the order `bundle_hash` reads them.
fn bundle_names(output_name: &str, hash: &str) -> [String; 3] {
    [
        format!("{output_name}.{hash}.js"),
        format!("{output_name}.{hash}.wasm"),
        format!("__wasm_split.{hash}.js"),
    ]
}

/// The hash the main JS, main wasm and loader are named with after a
/// release build (scripts/content-names.mjs, which must keep to the same
/// recipe): the three name each other, so none can carry the hash of its
/// own bytes; all three carry the MD5 of the three files, in that order,
/// as they read with those names written with 22 underscores for the hash.
/// A change to any of them renames all three.
pub fn bundle_hash(output_name: &str, named: &str, files: [&[u8]; 3]) -> String {
    let names = bundle_names(output_name, named);
    let blanks = bundle_names(output_name, &"_".repeat(22));
    let mut md5 = Md5::new();
    for bytes in files {
        let mut bytes = bytes.to_vec();
        for (name, blank) in names.iter().zip(&blanks) {
            replace_same_length(&mut bytes, name.as_bytes(), blank.as_bytes());
        }
        md5.update(&bytes);
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(md5.finalize())
}

fn replace_same_length(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    debug_assert_eq!(from.len(), to.len());
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(from.len()).position(|w| w == from) {
        bytes[at + found..at + found + to.len()].copy_from_slice(to);
        at += found + to.len();
    }
}

/// The three bundle files' names when their bytes still give the hash they
/// are named with; none otherwise.
fn whole_bundle(pkg: &Path, output_name: &str, hash: &str) -> Vec<String> {
    let names = bundle_names(output_name, hash);
    let Ok(files) = names
        .iter()
        .map(|n| std::fs::read(pkg.join(n)))
        .collect::<std::io::Result<Vec<_>>>()
    else {
        return Vec::new();
    };
    if bundle_hash(output_name, hash, [&files[0], &files[1], &files[2]]) == hash {
        names.to_vec()
    } else {
        Vec::new()
    }
}

/// The 22-character hash just before a file name's extension, if it has
/// one (so the `.br`/`.gz` copies, which never match, are not read).
fn name_hash(file_name: &str) -> Option<&str> {
    let (stem, _ext) = file_name.rsplit_once('.')?;
    let hash = stem.rsplit('.').next()?;
    (hash.len() == 22
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(hash)
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
    matches!(
        res.status(),
        StatusCode::OK | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT
    )
}

/// For the `/pkg` service (which sees paths without the `/pkg` prefix).
pub async fn pkg_cache(State(built): State<BuiltFiles>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    if served(&res) {
        let h = res.headers_mut();
        h.insert(
            CACHE_CONTROL,
            HeaderValue::from_static(cache_for_pkg(&path, &built)),
        );
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

/// Pages link the stylesheet by its hashed name when the build hashed it
/// (`app::stylesheet`); the plain `/pkg/<name>.css` is still answered with
/// the hashed file (revalidated each time, as the name is stable) for a
/// page rendered by an earlier build.
pub fn css_alias(
    files: &BuiltFiles,
    output_name: &str,
) -> impl Fn(Request) -> Request + Clone + Send + Sync + 'static {
    let alias = format!("/{output_name}.css");
    let target = files
        .hashed_css
        .as_ref()
        .and_then(|h| format!("/{h}").parse::<http::Uri>().ok());
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
        assert_eq!(
            name_hash("tradein.Zk3v0yq1p0w2bQ8GmB2nTA.wasm"),
            Some("Zk3v0yq1p0w2bQ8GmB2nTA")
        );
        assert_eq!(
            name_hash("Zk3v0yq1p0w2bQ8GmB2n_-.wasm"),
            Some("Zk3v0yq1p0w2bQ8GmB2n_-")
        );
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
        let built = BuiltFiles {
            hashed_css: None,
            content_addressed: Arc::new(content_addressed(&dir)),
        };
        assert_eq!(cache_for_pkg(&format!("/{good}"), &built), IMMUTABLE);
        assert_eq!(cache_for_pkg(&format!("/{patched}"), &built), REVALIDATE);
        assert_eq!(cache_for_pkg("/tradein.css", &built), REVALIDATE);
        assert_eq!(
            cache_for_pkg(&format!("/snippets/x/{good}"), &built),
            REVALIDATE
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A split build's three main files as cargo-leptos leaves them: each
    /// named with a hash of its own, naming the others.
    fn split_build(dir: &Path) -> std::path::PathBuf {
        let pkg = dir.join("site/pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        let (j, w, s, c) = (
            "J".repeat(22),
            "W".repeat(22),
            "S".repeat(22),
            "C".repeat(22),
        );
        std::fs::write(
            pkg.join(format!("tradein.{j}.js")),
            format!("import * from './__wasm_split.{s}.js'; // main"),
        )
        .unwrap();
        std::fs::write(
            pkg.join(format!("tradein.{w}.wasm")),
            format!("\0asm imports ./__wasm_split.{s}.js twice: ./__wasm_split.{s}.js"),
        )
        .unwrap();
        std::fs::write(
            pkg.join(format!("__wasm_split.{s}.js")),
            format!("import {{ initSync }} from './tradein.{j}.js';"),
        )
        .unwrap();
        std::fs::write(pkg.join(format!("tradein.{c}.css")), "body{}").unwrap();
        let hash_file = dir.join("hash.txt");
        std::fs::write(
            &hash_file,
            format!("js: {j}\nwasm: {w}\ncss: {c}\nsplit: {s}\n"),
        )
        .unwrap();
        hash_file
    }

    #[test]
    fn a_bundle_named_by_its_whole_bytes_is_cached_for_a_year() {
        let dir =
            std::env::temp_dir().join(format!("tradein-assets-bundle-{}", std::process::id()));
        let hash_file = split_build(&dir);
        let pkg = dir.join("site/pkg");
        // As the release build renames them (scripts/content-names.mjs does
        // this with the same recipe; the test below runs it).
        let old = bundle_names("tradein", &"J".repeat(22));
        let blank = |n: &str| {
            n.replace(&"J".repeat(22), &"_".repeat(22))
                .replace(&"W".repeat(22), &"_".repeat(22))
                .replace(&"S".repeat(22), &"_".repeat(22))
        };
        let originals = [
            old[0].clone(),
            format!("tradein.{}.wasm", "W".repeat(22)),
            format!("__wasm_split.{}.js", "S".repeat(22)),
        ];
        let blanked: Vec<String> = originals
            .iter()
            .map(|n| blank(&std::fs::read_to_string(pkg.join(n)).unwrap()))
            .collect();
        let hash = bundle_hash(
            "tradein",
            &"_".repeat(22),
            [
                blanked[0].as_bytes(),
                blanked[1].as_bytes(),
                blanked[2].as_bytes(),
            ],
        );
        let names = bundle_names("tradein", &hash);
        for (original, (name, text)) in originals.iter().zip(names.iter().zip(&blanked)) {
            std::fs::remove_file(pkg.join(original)).unwrap();
            std::fs::write(pkg.join(name), text.replace(&"_".repeat(22), &hash)).unwrap();
        }
        std::fs::write(
            &hash_file,
            format!(
                "js: {hash}\nwasm: {hash}\ncss: {}\nsplit: {hash}\n",
                "C".repeat(22)
            ),
        )
        .unwrap();
        let built = built_files_from(&hash_file, &dir.join("site"), "tradein");
        for name in &names {
            assert_eq!(
                cache_for_pkg(&format!("/{name}"), &built),
                IMMUTABLE,
                "{name}"
            );
        }
        // One byte changed under the same names: revalidated, all three.
        std::fs::write(pkg.join(&names[1]), "\0asm changed").unwrap();
        let built = built_files_from(&hash_file, &dir.join("site"), "tradein");
        for name in &names {
            assert_eq!(
                cache_for_pkg(&format!("/{name}"), &built),
                REVALIDATE,
                "{name}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The build step that renames the bundle and the server's check agree
    /// (node is what every build here already runs the npm tools with).
    #[test]
    fn the_build_step_names_the_bundle_as_the_server_checks_it() {
        let dir = std::env::temp_dir().join(format!("tradein-assets-node-{}", std::process::id()));
        let hash_file = split_build(&dir);
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/content-names.mjs");
        let ran = std::process::Command::new("node")
            .arg(&script)
            .arg(dir.join("site"))
            .arg(&hash_file)
            .arg("tradein")
            .output()
            .expect("node runs (scripts/setup.sh)");
        assert!(
            ran.status.success(),
            "{}",
            String::from_utf8_lossy(&ran.stderr)
        );
        let built = built_files_from(&hash_file, &dir.join("site"), "tradein");
        let text = std::fs::read_to_string(&hash_file).unwrap();
        let hash = text
            .lines()
            .find_map(|l| l.strip_prefix("js: "))
            .unwrap()
            .to_string();
        assert_ne!(hash, "J".repeat(22));
        for name in bundle_names("tradein", &hash) {
            assert!(dir.join("site/pkg").join(&name).is_file(), "{name} written");
            assert_eq!(
                cache_for_pkg(&format!("/{name}"), &built),
                IMMUTABLE,
                "{name}"
            );
        }
        let loader =
            std::fs::read_to_string(dir.join(format!("site/pkg/__wasm_split.{hash}.js"))).unwrap();
        assert!(
            loader.contains(&format!("./tradein.{hash}.js")),
            "the loader names the renamed main JS: {loader}"
        );
        assert!(
            !dir.join(format!("site/pkg/tradein.{}.js", "J".repeat(22)))
                .exists(),
            "the old name is gone"
        );
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
        for f in [
            "tradein.AAAAAAAAAAAAAAAAAAAAAA.js",
            "tradein.BBBBBBBBBBBBBBBBBBBBBB.wasm",
            "tradein.CCCCCCCCCCCCCCCCCCCCCC.css",
        ] {
            std::fs::write(pkg.join(f), "x").unwrap();
        }
        let files = built_files_from(&hash_file, &dir.join("site"), "tradein");
        assert_eq!(
            files.hashed_css.as_deref(),
            Some("tradein.CCCCCCCCCCCCCCCCCCCCCC.css")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
