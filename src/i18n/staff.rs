//! The refurbisher and operations areas' texts, in English or French.
//!
//! Their language is the user's choice (the language links in those areas'
//! footer keep it in a cookie, `COOKIE`), else their browser's first
//! language when it is one of these, else English: the areas' users are
//! companies' staff, whose shared language is more often English than their
//! country's.
//!
//! The texts are `locales/staff/{area}.{lang}.json`, one pair of files per
//! area, keys prefixed with the area (`build.rs`); the build fails when
//! French lacks a key. A page in these areas carries its language's texts
//! as a second data block (`STAFF_CATALOG_ID`) next to the consumer one.
//! Links into the areas from other pages load the page whole
//! (`rel="external"`), so a page of the areas always finds its block.

use super::Lang;
use crate::domain::market::Market;
use crate::domain::money::Money;
use std::fmt::Display;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/staff_texts.rs"));
}
pub use generated::Staff;
#[cfg(any(feature = "hydrate", test))]
use generated::STAFF_COUNT;

/// The cookie keeping the chosen language.
pub const COOKIE: &str = "tradein_lang";

/// The areas' languages, in the catalogs' order.
pub const LANGUAGES: [Lang; 2] = [Lang::En, Lang::Fr];

/// The id of the page's block of these texts.
pub const STAFF_CATALOG_ID: &str = "staff-texts";

/// Whether an address is a page of the refurbisher or operations area.
pub fn is_staff_path(path: &str) -> bool {
    ["/seller", "/ops"].iter().any(|area| {
        path.strip_prefix(area)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// The areas' texts in one language.
#[derive(Clone, Copy, Debug)]
pub struct StaffTexts {
    lang: Lang,
    strings: &'static [&'static str],
}

impl StaffTexts {
    #[cfg(feature = "ssr")]
    pub fn of(lang: Lang) -> StaffTexts {
        let index = LANGUAGES.iter().position(|l| *l == lang).unwrap_or(0);
        StaffTexts {
            lang: LANGUAGES[index],
            strings: &generated::STAFF_TABLES[index],
        }
    }

    pub fn lang(self) -> Lang {
        self.lang
    }

    pub fn get(self, msg: Staff) -> &'static str {
        self.strings.get(msg as usize).copied().unwrap_or_default()
    }

    /// A text with its `{placeholders}` replaced by `args`' values.
    pub fn fill(self, msg: Staff, args: &[(&str, &dyn Display)]) -> String {
        #[cfg(debug_assertions)]
        super::check_placeholders(msg, generated::STAFF_PLACEHOLDERS[msg as usize], args);
        super::fill_template(self.get(msg), args)
    }

    /// An amount as the language writes it, in the amount's own currency:
    /// `1 234,50 £` in French, `£1,234.50` in English.
    pub fn money(self, amount: Money) -> String {
        amount.local(match self.lang {
            Lang::Fr => Market::FrFr,
            _ => Market::EnGb,
        })
    }

    /// Amounts in several currencies, never added: `€1,200.00 + £80.00`.
    pub fn totals(self, totals: &crate::domain::money::Totals) -> String {
        if totals.amounts().is_empty() {
            return if self.lang == Lang::Fr {
                "0,00"
            } else {
                "0.00"
            }
            .to_string();
        }
        totals
            .amounts()
            .iter()
            .map(|m| self.money(*m))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// An instant to the minute in UTC, "Mon 30 Nov 2026 00:00" or "lun.
    /// 30 nov. 2026 00:00": from the catalog's names, so the browser writes
    /// what the server did.
    pub fn utc_minute(self, ms: i64) -> String {
        let d = crate::domain::dates::Date::from_unix_ms(ms);
        let minutes = ms.rem_euclid(86_400_000) / 60_000;
        let nth = |msg, i: u32| self.get(msg).split(' ').nth(i as usize).unwrap_or_default();
        self.fill(
            Staff::CommonUtcMinute,
            &[
                ("weekday", &nth(Staff::CommonWeekdays, d.weekday() - 1)),
                ("day", &d.day),
                ("month", &nth(Staff::CommonMonths, d.month - 1)),
                ("year", &d.year),
                ("time", &format!("{:02}:{:02}", minutes / 60, minutes % 60)),
            ],
        )
    }

    /// A share in percent, or a dash when there is none.
    pub fn percent(self, value: Option<i64>) -> String {
        value.map_or_else(
            || self.get(Staff::CommonNone).to_string(),
            |n| self.fill(Staff::CommonPercent, &[("n", &n)]),
        )
    }

    /// A duration given in tenths of an hour (53 is 5.3 h; 5,3 h in French).
    pub fn tenths_of_hours(self, value: Option<i64>) -> String {
        let Some(t) = value else {
            return self.get(Staff::CommonNone).to_string();
        };
        let decimal = if self.lang == Lang::Fr { ',' } else { '.' };
        let n = format!("{}{decimal}{}", t / 10, t % 10);
        self.fill(Staff::CommonHours, &[("n", &n)])
    }

    pub fn seller_status(self, status: crate::domain::seller::SellerStatus) -> &'static str {
        use crate::domain::seller::SellerStatus;
        self.get(match status {
            SellerStatus::Pending => Staff::CommonSellerStatusPending,
            SellerStatus::Approved => Staff::CommonSellerStatusApproved,
            SellerStatus::Rejected => Staff::CommonSellerStatusRejected,
            SellerStatus::Suspended => Staff::CommonSellerStatusSuspended,
        })
    }

    pub fn yes_no(self, yes: bool) -> &'static str {
        self.get(if yes {
            Staff::CommonYes
        } else {
            Staff::CommonNo
        })
    }

    /// The consumer vocabulary (states, grades, countries, reasons) in
    /// this language; in English, the domain's own words.
    #[cfg(feature = "ssr")]
    pub fn vocabulary(self) -> super::Texts {
        super::Texts::speaking(Market::EnGb, self.lang)
    }

    /// An instant on the areas' pages: in English as the zone writes it,
    /// in French as CLDR does.
    #[cfg(feature = "ssr")]
    pub fn moment(
        self,
        zone: &crate::platform::zone::Zone,
        ms: i64,
    ) -> crate::domain::dates::Moment {
        match self.lang {
            Lang::Fr => zone.moment_in(ms, Market::FrFr),
            _ => zone.moment(ms),
        }
    }

    /// The block the browser reads back (`from_page`), written once per
    /// language, with `<` escaped so no text can end its element.
    #[cfg(feature = "ssr")]
    pub fn catalog_json(self) -> &'static str {
        use std::sync::OnceLock;
        static WRITTEN: [OnceLock<String>; 2] = [const { OnceLock::new() }; 2];
        let index = LANGUAGES.iter().position(|l| *l == self.lang).unwrap_or(0);
        WRITTEN[index].get_or_init(|| {
            let block = Block {
                lang: self.lang.code().to_string(),
                texts: self.strings.iter().map(|s| s.to_string()).collect(),
            };
            super::data_block(&block)
        })
    }

    #[cfg(feature = "hydrate")]
    fn from_page() -> Option<StaffTexts> {
        let element = leptos::prelude::document().get_element_by_id(STAFF_CATALOG_ID)?;
        let block: Block = serde_json::from_str(&element.text_content()?).ok()?;
        let lang = Lang::parse(&block.lang)?;
        if block.texts.len() != STAFF_COUNT {
            return None;
        }
        Some(StaffTexts {
            lang,
            strings: super::kept_for_good(block.texts),
        })
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Block {
    lang: String,
    texts: Vec<String>,
}

/// The areas' language a request asks for: its cookie, else its
/// browser's first language if the areas have it, else English.
#[cfg(feature = "ssr")]
pub fn lang_of_headers(headers: &http::HeaderMap) -> Lang {
    let chosen = chosen_lang(headers);
    let browser = || {
        headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Market::from_accept_language)
            .map(Lang::of)
    };
    chosen
        .or_else(browser)
        .filter(|l| LANGUAGES.contains(l))
        .unwrap_or(Lang::En)
}

/// The language of a mail to a refurbisher or an operations user: the one
/// they chose (`users.lang`), else French for a refurbisher whose home
/// market is France, else English.
pub fn mail_lang(chosen: Option<&str>, home: Option<Market>) -> Lang {
    chosen
        .and_then(Lang::parse)
        .filter(|l| LANGUAGES.contains(l))
        .unwrap_or(if home == Some(Market::FrFr) {
            Lang::Fr
        } else {
            Lang::En
        })
}

/// The language the footer's links chose, kept in the request's cookie.
#[cfg(feature = "ssr")]
pub fn chosen_lang(headers: &http::HeaderMap) -> Option<Lang> {
    crate::platform::http::request_cookies(headers)
        .find(|c| c.name() == COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .filter(|l| LANGUAGES.contains(l))
}

/// The document's language when the page is in these areas.
#[cfg(feature = "ssr")]
pub fn document_lang() -> Option<Lang> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    is_staff_path(parts.uri.path()).then(|| lang_of_headers(&parts.headers))
}

/// Whether this document is a page of the areas (its language is theirs).
/// Fixed for the document's life, as its texts are.
pub fn in_areas() -> bool {
    #[cfg(feature = "ssr")]
    {
        document_lang().is_some()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        leptos::prelude::document()
            .get_element_by_id(STAFF_CATALOG_ID)
            .is_some()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        false
    }
}

/// The areas' texts: on the server the request's language (in a page and
/// in a server function alike), in the browser the page's block.
pub fn use_staff() -> StaffTexts {
    #[cfg(feature = "ssr")]
    {
        let lang = leptos::prelude::use_context::<http::request::Parts>()
            .map(|p| lang_of_headers(&p.headers))
            .unwrap_or(Lang::En);
        StaffTexts::of(lang)
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        thread_local! {
            static PAGE: std::cell::OnceCell<Option<StaffTexts>> = const { std::cell::OnceCell::new() };
        }
        PAGE.with(|p| *p.get_or_init(StaffTexts::from_page))
            .unwrap_or(StaffTexts {
                lang: Lang::En,
                strings: &[],
            })
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        StaffTexts {
            lang: Lang::En,
            strings: &[],
        }
    }
}

/// `GET /language/{code}?next=…`: the areas in that language from now on,
/// back on the page the link was on (a page of the areas, else the
/// refurbisher area's home). A year, like the market.
#[cfg(feature = "ssr")]
pub async fn choose(
    axum::extract::State(state): axum::extract::State<crate::platform::state::AppState>,
    headers: http::HeaderMap,
    axum::extract::Path(code): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let Some(lang) = Lang::parse(&code).filter(|l| LANGUAGES.contains(l)) else {
        return http::StatusCode::NOT_FOUND.into_response();
    };
    let next = query
        .get("next")
        .filter(|n| {
            is_staff_path(n.split(['?', '#']).next().unwrap_or_default())
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
        })
        .map_or("/seller", String::as_str);
    let cookie = cookie::Cookie::build((COOKIE, lang.code()))
        .path("/")
        .same_site(cookie::SameSite::Lax)
        .secure(state.config.cookies_secure())
        .http_only(true)
        .max_age(cookie::time::Duration::days(365))
        .build()
        .to_string();
    // Signed in, the account keeps the choice too: its mails follow it.
    if let Ok(Some(user)) = crate::platform::session::current_user(&state, &headers).await {
        if let Err(e) =
            crate::features::accounts::service::remember_language(&state, &user, lang).await
        {
            tracing::warn!(error = %e, "language choice not kept on the account");
        }
    }
    let mut res = axum::response::Redirect::to(next).into_response();
    if let Ok(v) = http::HeaderValue::from_str(&cookie) {
        res.headers_mut().append(http::header::SET_COOKIE, v);
    }
    res
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_mail_is_in_the_chosen_language_else_the_home_markets() {
        assert_eq!(mail_lang(Some("en"), Some(Market::FrFr)), Lang::En);
        assert_eq!(mail_lang(Some("fr"), None), Lang::Fr);
        assert_eq!(mail_lang(None, Some(Market::FrFr)), Lang::Fr);
        assert_eq!(mail_lang(None, Some(Market::DeDe)), Lang::En);
        assert_eq!(
            mail_lang(Some("de"), None),
            Lang::En,
            "not a language of the areas"
        );
    }

    #[test]
    fn both_languages_have_every_text() {
        for lang in LANGUAGES {
            let t = StaffTexts::of(lang);
            assert_eq!(t.strings.len(), STAFF_COUNT);
            assert!(t.strings.iter().all(|s| !s.trim().is_empty()), "{lang:?}");
        }
        assert_eq!(generated::STAFF_KEYS.len(), STAFF_COUNT);
    }

    #[test]
    fn the_areas_are_told_apart() {
        for yes in ["/seller", "/seller/prices", "/ops", "/ops/audit"] {
            assert!(is_staff_path(yes), "{yes}");
        }
        for no in ["/sellers", "/", "/fr-fr/sell/x", "/operations", "/account"] {
            assert!(!is_staff_path(no), "{no}");
        }
    }

    fn headers(cookie: Option<&str>, languages: Option<&str>) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        if let Some(c) = cookie {
            h.insert(http::header::COOKIE, c.parse().unwrap());
        }
        if let Some(l) = languages {
            h.insert(http::header::ACCEPT_LANGUAGE, l.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_choice_wins_then_the_browser_then_english() {
        assert_eq!(
            lang_of_headers(&headers(Some("tradein_lang=fr"), Some("en"))),
            Lang::Fr
        );
        assert_eq!(
            lang_of_headers(&headers(Some("tradein_lang=en"), Some("fr"))),
            Lang::En
        );
        assert_eq!(
            lang_of_headers(&headers(None, Some("fr-CA,fr;q=0.9"))),
            Lang::Fr
        );
        assert_eq!(lang_of_headers(&headers(None, Some("de-DE"))), Lang::En);
        assert_eq!(
            lang_of_headers(&headers(Some("tradein_lang=de"), None)),
            Lang::En
        );
        assert_eq!(lang_of_headers(&headers(None, None)), Lang::En);
    }

    #[test]
    fn utc_minutes_are_written_in_the_language() {
        use crate::domain::dates::utc_minute_label;
        // A Saturday in December at midnight and a Sunday in March at 11:51.
        for ms in [1_796_428_800_000_i64, 1_773_575_460_000] {
            assert_eq!(
                StaffTexts::of(Lang::En).utc_minute(ms),
                utc_minute_label(ms)
            );
        }
        assert_eq!(
            StaffTexts::of(Lang::Fr).utc_minute(1_796_428_800_000),
            "sam. 5 déc. 2026 00:00"
        );
    }

    #[test]
    fn amounts_follow_the_language_in_their_own_currency() {
        use crate::domain::money::Currency;
        let amount = Money::new(123_450, Currency::Gbp);
        assert_eq!(StaffTexts::of(Lang::En).money(amount), "£1,234.50");
        assert_eq!(
            StaffTexts::of(Lang::Fr).money(amount),
            "1\u{202f}234,50\u{a0}£"
        );
    }
}
