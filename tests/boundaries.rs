//! The layout's rules (ARCHITECTURE.md), checked over the source text:
//! `domain/` is pure, `platform/` knows no feature, a feature's repository
//! and views are its own, and its repository is reached only through its
//! service (and the service's read-through caches). Each rule names the file and line that breaks it.
//!
//! Paths are read as Rust resolves them: `crate::`, `tradein::` and chains
//! of `super::` from the file's own module, including grouped imports
//! (`features::{a::repo, b}`), so a rule cannot be stepped around by
//! spelling a path another way.

use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A source file and the module path it defines (`["features", "sell", "views"]`).
struct Source {
    path: PathBuf,
    module: Vec<String>,
    text: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn sources(dir: &str) -> Vec<Source> {
    let base = Path::new(ROOT).join(dir);
    let mut files = Vec::new();
    rust_files(&base, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(Path::new(ROOT).join("src"))
                .unwrap_or(&path);
            let mut module: Vec<String> = rel
                .iter()
                .map(|c| c.to_string_lossy().into_owned())
                .collect();
            let last = module.pop().unwrap_or_default();
            let stem = last.trim_end_matches(".rs");
            if !matches!(stem, "mod" | "lib" | "main") {
                module.push(stem.to_string());
            }
            let text = std::fs::read_to_string(&path).unwrap();
            Source { path, module, text }
        })
        .collect()
}

/// The code of a line, without its `//` comment (doc comments included).
fn code(line: &str) -> &str {
    match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    }
}

/// Every path a file names, resolved to an absolute module path, with its line.
fn paths(src: &Source) -> Vec<(usize, Vec<String>)> {
    static PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:crate|tradein|super)(?:::(?:[A-Za-z_][A-Za-z0-9_]*|\{[^}]*\}))+").unwrap()
    });
    let mut out = Vec::new();
    // Grouped imports may span lines: join each `use` statement first.
    let mut joined: Vec<(usize, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (n, line) in src.text.lines().enumerate() {
        let c = code(line);
        match open.as_mut() {
            Some((_, acc)) => {
                acc.push(' ');
                acc.push_str(c.trim());
            }
            None => open = Some((n + 1, c.trim().to_string())),
        }
        let (_, acc) = open.as_ref().unwrap();
        let depth = acc.matches('{').count() as i64 - acc.matches('}').count() as i64;
        if !acc.trim_start().starts_with("use ") && !acc.trim_start().starts_with("pub use ")
            || depth <= 0
        {
            joined.push(open.take().unwrap());
        }
    }
    joined.extend(open);
    for (line, text) in joined {
        for m in PATH.find_iter(&text) {
            for p in expand(m.as_str()) {
                if let Some(abs) = resolve(&src.module, &p) {
                    out.push((line, abs));
                }
            }
        }
    }
    out
}

/// `a::{b::c, d}` -> `a::b::c`, `a::d` (one level of nesting is all the code uses).
fn expand(path: &str) -> Vec<String> {
    let compact: String = path.chars().filter(|c| !c.is_whitespace()).collect();
    match compact.find('{') {
        None => vec![compact],
        Some(i) => {
            let head = &compact[..i];
            let inner = compact[i + 1..].trim_end_matches('}');
            let mut items = Vec::new();
            let mut depth = 0;
            let mut start = 0;
            for (j, ch) in inner.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(&inner[start..j]);
                        start = j + 1;
                    }
                    _ => {}
                }
            }
            items.push(&inner[start..]);
            items
                .into_iter()
                .filter(|s| !s.is_empty())
                .flat_map(|s| expand(&format!("{head}{s}")))
                .collect()
        }
    }
}

fn resolve(module: &[String], path: &str) -> Option<Vec<String>> {
    let mut parts = path
        .split("::")
        .map(|s| s.split(" as ").next().unwrap_or(s).to_string());
    let first = parts.next()?;
    let mut abs: Vec<String> = match first.as_str() {
        "crate" | "tradein" => Vec::new(),
        "super" => {
            let mut m = module.to_vec();
            m.pop()?;
            m
        }
        _ => return None,
    };
    for p in parts {
        if p == "super" {
            abs.pop()?;
        } else if p != "self" {
            abs.push(p);
        }
    }
    Some(abs)
}

fn feature_of(module: &[String]) -> Option<&str> {
    match module {
        [top, name, ..] if top == "features" => Some(name),
        _ => None,
    }
}

fn at(src: &Source, line: usize) -> String {
    format!(
        "{}:{line}",
        src.path.strip_prefix(ROOT).unwrap_or(&src.path).display()
    )
}

/// What every rule below is checked over: the app, its tests and the bench.
fn everything() -> Vec<Source> {
    let mut all = sources("src");
    all.extend(sources("tests"));
    all.extend(sources("bench/src"));
    // This file's own examples of breaches are checked by the last test.
    all.retain(|s| !s.path.ends_with("tests/boundaries.rs"));
    all
}

/// Which rule a reference to `target` from `src` breaks, if any.
fn broken(src: &Source, target: &[String]) -> Option<String> {
    let from = feature_of(&src.module);
    let in_src = src.path.starts_with(Path::new(ROOT).join("src"));
    if in_src && src.module.first().is_some_and(|m| m == "domain") {
        if let Some(top) = target
            .first()
            .filter(|t| matches!(t.as_str(), "platform" | "features" | "startup"))
        {
            return Some(format!("domain/ is pure: it may not use crate::{top}"));
        }
    }
    if in_src
        && src.module.first().is_some_and(|m| m == "platform")
        && target.first().is_some_and(|t| t == "features")
    {
        return Some("platform/ knows no feature".into());
    }
    if let [top, owner, part, ..] = target {
        if top == "features" && matches!(part.as_str(), "repo" | "views") {
            let own = from == Some(owner.as_str());
            if part == "repo" && !own {
                return Some(format!(
                    "the {owner} repository is private to features/{owner}: call its service"
                ));
            }
            let layer = src.module.get(2).map(String::as_str);
            // A read-through cache sits between the service and the repository.
            if part == "repo" && !matches!(layer, Some("service" | "cache" | "repo")) {
                return Some(format!(
                    "one door to the data: features/{owner} reaches its repository through its service"
                ));
            }
            if part == "views" && from.is_some() && !own {
                return Some(format!(
                    "features/{owner}'s views are its own: shared components go in ui/"
                ));
            }
        }
    }
    None
}

fn breaches(all: &[Source]) -> Vec<String> {
    let mut found = Vec::new();
    for src in all {
        for (line, target) in paths(src) {
            if let Some(rule) = broken(src, &target) {
                found.push(format!("{}: {} ({rule})", at(src, line), target.join("::")));
            }
        }
    }
    found
}

#[test]
fn domain_uses_neither_the_database_nor_the_web_server() {
    static CRATES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(sqlx|axum|leptos_axum|tokio|tower|tower_http)::").unwrap()
    });
    let mut found = Vec::new();
    for src in sources("src/domain") {
        for (n, line) in src.text.lines().enumerate() {
            if let Some(m) = CRATES.find(code(line)) {
                found.push(format!("{}: {}", at(&src, n + 1), m.as_str()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "domain/ must stay pure:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_module_keeps_to_the_layout() {
    let found = breaches(&everything());
    assert!(
        found.is_empty(),
        "layout rules broken:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_feature_declares_its_repository_private() {
    let mut found = Vec::new();
    for src in sources("src/features") {
        if src.module.len() != 2 {
            continue;
        }
        for (n, line) in src.text.lines().enumerate() {
            if code(line).trim_start().starts_with("pub") && code(line).contains("mod repo") {
                found.push(at(&src, n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "`mod repo` without `pub`:\n{}",
        found.join("\n")
    );
}

/// The checker itself: each rule catches what it is for, however the path is spelt.
#[test]
fn the_checker_sees_each_kind_of_breach() {
    let file = |rel: &str, text: &str| {
        let module: Vec<String> = {
            let mut m: Vec<String> = rel
                .trim_end_matches(".rs")
                .split('/')
                .map(String::from)
                .collect();
            if m.last().is_some_and(|l| l == "mod") {
                m.pop();
            }
            m
        };
        Source {
            path: Path::new(ROOT).join("src").join(rel),
            module,
            text: text.to_string(),
        }
    };
    let cases = [
        ("domain/money.rs", "use crate::platform::db::Db;", 1),
        (
            "domain/money.rs",
            "fn f() { crate::features::sell::x() }",
            1,
        ),
        (
            "platform/mail/mod.rs",
            "use crate::features::alerts::service::run;",
            1,
        ),
        (
            "features/claims/service.rs",
            "crate::features::orders::repo::stamp(&mut tx)",
            1,
        ),
        (
            "features/claims/service.rs",
            "use super::super::orders::repo::stamp;",
            1,
        ),
        (
            "features/claims/service.rs",
            "use crate::features::{\n    orders::repo::stamp,\n    audit::service::record,\n};",
            1,
        ),
        (
            "features/orders/views/queue.rs",
            "use crate::features::sell::views::model_page::Question;",
            1,
        ),
        (
            "features/orders/views/queue.rs",
            "use super::super::super::sell::views::X;",
            1,
        ),
        // Allowed: a feature's own repo, another's service, the app's routes naming views.
        (
            "features/orders/service.rs",
            "use super::repo::stamp; crate::features::trade_ins::service::find(p)",
            0,
        ),
        (
            "features/orders/views/queue.rs",
            "use super::super::repo::Tab;",
            1,
        ),
        (
            "features/orders/mod.rs",
            "crate::features::orders::repo::suspended(pool)",
            1,
        ),
        (
            "features/trade_ins/repo/shipments.rs",
            "use super::trade_ins::find; use crate::features::trade_ins::repo::trade_ins::X;",
            0,
        ),
        ("app.rs", "use crate::features::sell::views::ModelPage;", 0),
        (
            "platform/db.rs",
            "// crate::features::x::repo in a comment",
            0,
        ),
    ];
    for (rel, text, expected) in cases {
        let found = breaches(&[file(rel, text)]);
        assert_eq!(found.len(), expected, "{rel}: {text:?} -> {found:?}");
    }
}
