//! The interface's texts in the visitor's language, and its amounts in
//! their market's format.
//!
//! Every text is a key of `locales/en.json`, turned into a `Msg` variant at
//! build time (`build.rs`, which also fails the build when a language lacks
//! a key or a placeholder). The server holds every language. The browser
//! holds only its page's, written into the page by the server-only shell
//! as a JSON data block (`catalog_json`): the bundle carries no language's
//! texts at all, and a page and its hydration read the same strings.
//!
//! A document's language is fixed when it loads: its market's (the first
//! segment of a consumer page's address), else the visitor's market, as `/`
//! picks it. Moving to another market is a full page load (the chooser's
//! links), so the texts the browser holds always are the page's.

use crate::domain::market::Market;
use crate::domain::money::Money;
use std::fmt::Display;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/texts.rs"));
}
pub use generated::Msg;
#[cfg(any(feature = "hydrate", test))]
use generated::COUNT;

pub mod errors;
pub mod staff;
mod vocabulary;

/// The languages with a catalog, in `build.rs`'s order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Fr,
    De,
    Es,
    It,
}

impl Lang {
    pub fn of(market: Market) -> Lang {
        match market {
            Market::FrFr => Lang::Fr,
            Market::DeDe => Lang::De,
            Market::EsEs => Lang::Es,
            Market::ItIt => Lang::It,
            Market::EnGb | Market::EnUs => Lang::En,
        }
    }

    #[cfg(feature = "ssr")]
    fn index(self) -> usize {
        self as usize
    }

    /// Its code in the page (`<html lang>`) and in the catalogs' names.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::It => "it",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        [Lang::En, Lang::Fr, Lang::De, Lang::Es, Lang::It]
            .into_iter()
            .find(|l| l.code() == code)
    }
}

/// The texts of one market's language, and its formats.
#[derive(Clone, Copy, Debug)]
pub struct Texts {
    market: Market,
    lang: Lang,
    strings: &'static [&'static str],
}

impl Texts {
    /// A market's texts (the server holds every language).
    #[cfg(feature = "ssr")]
    pub fn of(market: Market) -> Texts {
        Texts::speaking(market, Lang::of(market))
    }

    /// A market's links and formats with another language's texts: the
    /// refurbisher and operations areas, in their user's language.
    #[cfg(feature = "ssr")]
    pub fn speaking(market: Market, lang: Lang) -> Texts {
        Texts {
            market,
            lang,
            strings: &generated::TABLES[lang.index()],
        }
    }

    pub fn market(self) -> Market {
        self.market
    }

    pub fn lang(self) -> Lang {
        self.lang
    }

    pub fn get(self, msg: Msg) -> &'static str {
        self.strings.get(msg as usize).copied().unwrap_or_default()
    }

    /// A text with its `{placeholders}` replaced by `args`' values.
    pub fn fill(self, msg: Msg, args: &[(&str, &dyn Display)]) -> String {
        #[cfg(debug_assertions)]
        check_placeholders(msg, generated::PLACEHOLDERS[msg as usize], args);
        fill_template(self.get(msg), args)
    }

    /// An amount as this market writes it: `142,00 €`, `£142.00`.
    pub fn money(self, amount: Money) -> String {
        amount.local(self.market)
    }

    /// The catalog the browser reads back (`from_page`): this language's
    /// texts in `Msg` order, with `<` escaped so no text can end the
    /// `<script>` element holding it.
    /// Written once per market and language and kept: every page
    /// carries it.
    #[cfg(feature = "ssr")]
    pub fn catalog_json(self) -> &'static str {
        use std::sync::OnceLock;
        static WRITTEN: [OnceLock<String>; 30] = [const { OnceLock::new() }; 30];
        let index = Market::ALL
            .iter()
            .position(|m| *m == self.market)
            .expect("every market is in ALL");
        WRITTEN[index * 5 + self.lang.index()].get_or_init(|| {
            let page = PageCatalog {
                market: self.market.code().to_string(),
                lang: self.lang.code().to_string(),
                texts: self.strings.iter().map(|s| s.to_string()).collect(),
            };
            data_block(&page)
        })
    }

    /// The texts the server wrote into the page (`catalog_json`), kept for
    /// the document's life: a page never changes language without a load.
    #[cfg(feature = "hydrate")]
    fn from_page() -> Option<Texts> {
        let block = leptos::prelude::document().get_element_by_id(CATALOG_ID)?;
        let page: PageCatalog = serde_json::from_str(&block.text_content()?).ok()?;
        let market = Market::parse(&page.market)?;
        let lang = Lang::parse(&page.lang)?;
        if page.texts.len() != COUNT {
            return None;
        }
        Some(Texts {
            market,
            lang,
            strings: kept_for_good(page.texts),
        })
    }
}

/// `template` with each `{name}` replaced by its value in `args`.
fn fill_template(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut text = template.to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), &value.to_string());
    }
    text
}

/// In debug builds, that `args` names exactly the text's placeholders.
#[cfg(debug_assertions)]
fn check_placeholders(text: impl std::fmt::Debug, want: &[&str], args: &[(&str, &dyn Display)]) {
    debug_assert!(
        want.len() == args.len() && args.iter().all(|(name, _)| want.contains(name)),
        "{text:?} takes {want:?}"
    );
}

/// A page's texts as a JSON data block, with `<` escaped so no text can
/// end the `<script>` element holding it.
#[cfg(feature = "ssr")]
fn data_block(block: &impl serde::Serialize) -> String {
    serde_json::to_string(block)
        .expect("strings serialise")
        .replace('<', "\\u003c")
}

/// The texts a page brought, kept for the document's life (it never
/// changes language without a load).
#[cfg(feature = "hydrate")]
fn kept_for_good(texts: Vec<String>) -> &'static [&'static str] {
    let strings: Vec<&'static str> = texts
        .into_iter()
        .map(|s| &*Box::leak(s.into_boxed_str()))
        .collect();
    Box::leak(strings.into_boxed_slice())
}

/// The id of the page's catalog element.
pub const CATALOG_ID: &str = "texts";

#[derive(serde::Serialize, serde::Deserialize)]
struct PageCatalog {
    market: String,
    lang: String,
    texts: Vec<String>,
}

/// The market whose language a document is in: its address's, else the
/// visitor's (`platform::http::markets`).
#[cfg(feature = "ssr")]
pub fn document_market() -> Market {
    use leptos::prelude::use_context;
    let parts = use_context::<http::request::Parts>();
    parts
        .as_ref()
        .and_then(|p| Market::of_path(p.uri.path()))
        .or_else(|| {
            parts
                .as_ref()
                .map(|p| crate::platform::http::markets::of_headers(&p.headers))
        })
        .unwrap_or(Market::FrFr)
}

/// The document's texts: its market's language, but the user's language
/// (`staff`) in the refurbisher and operations areas.
#[cfg(feature = "ssr")]
pub fn document_texts() -> Texts {
    let market = document_market();
    match staff::document_lang() {
        Some(lang) => Texts::speaking(market, lang),
        None => Texts::of(market),
    }
}

/// Puts the document's texts in the context, for every component.
pub fn provide() {
    #[cfg(feature = "ssr")]
    leptos::prelude::provide_context(document_texts());
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    if let Some(texts) = Texts::from_page() {
        leptos::prelude::provide_context(texts);
    }
}

/// The document's texts.
pub fn use_texts() -> Texts {
    leptos::prelude::use_context::<Texts>().unwrap_or(Texts {
        market: Market::FrFr,
        lang: Lang::Fr,
        strings: &[],
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_text() {
        for m in Market::ALL {
            let t = Texts::of(m);
            assert_eq!(t.strings.len(), COUNT);
            assert!(t.strings.iter().all(|s| !s.trim().is_empty()), "{m:?}");
        }
        assert_eq!(generated::KEYS.len(), COUNT);
    }

    #[test]
    fn placeholders_are_filled() {
        let t = Texts::of(Market::DeDe);
        let text = t.fill(Msg::OfferFromBuyer, &[("buyer", &"ReNew")]);
        assert!(text.contains("ReNew") && !text.contains('{'), "{text}");
    }

    #[test]
    fn the_page_catalog_cannot_end_its_element() {
        let json = Texts::of(Market::FrFr).catalog_json();
        assert!(!json.contains('<'));
        let back: PageCatalog = serde_json::from_str(json).unwrap();
        assert_eq!(back.texts.len(), COUNT);
        assert_eq!(back.market, "fr-fr");
    }
}
