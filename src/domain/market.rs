//! The markets the marketplace buys in (issue 25): each has its country,
//! currency, language, postcode and payout rules, and how long a consumer
//! has to ship. The URL prefix (`/fr-fr/…`) names the market.

use crate::domain::money::Currency;
use serde::{Deserialize, Serialize};

/// The EU's member states (ISO 3166-1 alpha-2; Greece as `GR`).
pub const EU_COUNTRIES: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum Market {
    FrFr,
    DeDe,
    EsEs,
    ItIt,
    EnGb,
    EnUs,
}

crate::domain::codes::codes!(Market);

/// How a market's consumers are paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayoutRail {
    /// An IBAN, paid by SEPA credit transfer.
    Sepa,
    /// A sort code and account number, paid by Faster Payments.
    UkAccount,
    /// An ABA routing number and account number, paid by ACH.
    UsAccount,
}

impl Market {
    pub const ALL: [Market; 6] = [
        Market::FrFr,
        Market::DeDe,
        Market::EsEs,
        Market::ItIt,
        Market::EnGb,
        Market::EnUs,
    ];

    /// The ISO 3166-1 country the market serves.
    pub fn country(self) -> &'static str {
        match self {
            Market::FrFr => "FR",
            Market::DeDe => "DE",
            Market::EsEs => "ES",
            Market::ItIt => "IT",
            Market::EnGb => "GB",
            Market::EnUs => "US",
        }
    }

    /// The market of a country (ISO 3166-1 alpha-2), if we have one there.
    pub fn of_country(country: &str) -> Option<Market> {
        Market::ALL
            .into_iter()
            .find(|m| m.country().eq_ignore_ascii_case(country.trim()))
    }

    /// The market a path names by its first segment (`/de-de/sell/…`).
    pub fn of_path(path: &str) -> Option<Market> {
        Market::split_path(path).map(|(m, _)| m)
    }

    /// A market page's path as its market and the rest after it
    /// (`/de-de/sell/x` → (Germany, `/sell/x`); `/en-gb` → (UK, "")).
    pub fn split_path(path: &str) -> Option<(Market, &str)> {
        let after = path.strip_prefix('/')?;
        let (first, rest) = after.split_at(after.find('/').unwrap_or(after.len()));
        Some((Market::parse(first)?, rest))
    }

    /// `/{market}{rest}`: a consumer page of this market; `rest` empty or
    /// starting with `/`.
    pub fn path(self, rest: &str) -> String {
        format!("/{}{rest}", self.code())
    }

    /// The market of a visitor who names none in the address: the one
    /// they chose last (`cookie`), else the best match for their
    /// browser's languages, else France, where the marketplace began.
    pub fn for_visitor(cookie: Option<&str>, accept_language: Option<&str>) -> Market {
        cookie
            .and_then(Market::parse)
            .or_else(|| accept_language.and_then(Market::from_accept_language))
            .unwrap_or(Market::FrFr)
    }

    /// The country's name in its own language, for the market chooser.
    pub fn native_name(self) -> &'static str {
        match self {
            Market::FrFr => "France",
            Market::DeDe => "Deutschland",
            Market::EsEs => "España",
            Market::ItIt => "Italia",
            Market::EnGb => "United Kingdom",
            Market::EnUs => "United States",
        }
    }

    /// The country's name in English (the refurbisher and operations
    /// areas' language).
    pub fn name(self) -> &'static str {
        match self {
            Market::FrFr => "France",
            Market::DeDe => "Germany",
            Market::EsEs => "Spain",
            Market::ItIt => "Italy",
            Market::EnGb => "United Kingdom",
            Market::EnUs => "United States",
        }
    }

    pub fn currency(self) -> Currency {
        match self {
            Market::FrFr | Market::DeDe | Market::EsEs | Market::ItIt => Currency::Eur,
            Market::EnGb => Currency::Gbp,
            Market::EnUs => Currency::Usd,
        }
    }

    /// The BCP 47 language of its pages (`<html lang>`, `hreflang`).
    pub fn language(self) -> &'static str {
        match self {
            Market::FrFr => "fr-FR",
            Market::DeDe => "de-DE",
            Market::EsEs => "es-ES",
            Market::ItIt => "it-IT",
            Market::EnGb => "en-GB",
            Market::EnUs => "en-US",
        }
    }

    pub fn payout_rail(self) -> PayoutRail {
        match self {
            Market::FrFr | Market::DeDe | Market::EsEs | Market::ItIt => PayoutRail::Sepa,
            Market::EnGb => PayoutRail::UkAccount,
            Market::EnUs => PayoutRail::UsAccount,
        }
    }

    /// Days a consumer has to ship once a trade-in is confirmed: carriers
    /// across the United States take longer.
    pub fn ship_within_days(self) -> i64 {
        match self {
            Market::EnUs => 21,
            _ => 14,
        }
    }

    /// Age of majority, below which a consumer cannot sell.
    pub fn age_of_majority(self) -> i32 {
        18
    }

    /// Whether a refurbisher buying in `self` may have devices shipped
    /// from `other`'s consumers to one warehouse: within the EU yes; the
    /// United Kingdom and the United States each stand alone (customs).
    pub fn shares_customs_area(self, other: Market) -> bool {
        self.in_eu() && other.in_eu() || self == other
    }

    /// Whether this market's consumers may send parcels to a warehouse in
    /// `country` (ISO 3166-1 alpha-2): anywhere in the EU from an EU
    /// market; only within the country for the United Kingdom and the
    /// United States (customs).
    pub fn may_ship_to(self, country: &str) -> bool {
        let country = country.trim().to_ascii_uppercase();
        if self.in_eu() {
            EU_COUNTRIES.contains(&country.as_str())
        } else {
            country == self.country()
        }
    }

    pub fn in_eu(self) -> bool {
        matches!(
            self,
            Market::FrFr | Market::DeDe | Market::EsEs | Market::ItIt
        )
    }

    /// The market a visitor most likely wants from their browser's
    /// `Accept-Language` (RFC 9110: tags with optional `q` weights), or
    /// None when nothing matches. An exact language-region match wins
    /// over a bare language (`de` picks Germany, `en` the United States
    /// unless `en-GB` is asked for).
    pub fn from_accept_language(header: &str) -> Option<Market> {
        let mut asked: Vec<(f32, usize, String)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut bits = part.trim().split(';');
                let tag = bits.next()?.trim().to_ascii_lowercase();
                if tag.is_empty() || tag == "*" {
                    return None;
                }
                let q = bits
                    .filter_map(|b| b.trim().strip_prefix("q="))
                    .filter_map(|q| q.parse::<f32>().ok())
                    .next()
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, i, tag))
            })
            .collect();
        asked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        asked.iter().find_map(|(_, _, tag)| {
            Market::ALL
                .into_iter()
                .find(|m| m.code() == tag.as_str())
                .or_else(|| {
                    let language = tag.split('-').next()?;
                    match language {
                        "fr" => Some(Market::FrFr),
                        "de" => Some(Market::DeDe),
                        "es" => Some(Market::EsEs),
                        "it" => Some(Market::ItIt),
                        "en" => Some(Market::EnUs),
                        _ => None,
                    }
                })
        })
    }
}

/// The markets a catalog variant is sold in: every market, or only some
/// (an eSIM-only iPhone is an American model). Written as the markets'
/// codes separated by spaces, empty for every market, in the catalog file
/// and the database alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SoldIn(u8);

impl SoldIn {
    pub const EVERYWHERE: SoldIn = SoldIn(0);

    fn bit(market: Market) -> u8 {
        1 << Market::ALL.iter().position(|m| *m == market).unwrap_or(0)
    }

    /// Sold in these markets alone; every market when the list is empty or
    /// names them all.
    pub fn only(markets: &[Market]) -> SoldIn {
        let bits = markets.iter().fold(0, |b, m| b | SoldIn::bit(*m));
        if bits == (1 << Market::ALL.len()) - 1 {
            SoldIn::EVERYWHERE
        } else {
            SoldIn(bits)
        }
    }

    pub fn contains(self, market: Market) -> bool {
        self.0 == 0 || self.0 & SoldIn::bit(market) != 0
    }

    pub fn is_everywhere(self) -> bool {
        self.0 == 0
    }

    /// The markets' codes separated by spaces; None when one is unknown.
    pub fn parse(text: &str) -> Option<SoldIn> {
        let markets = text
            .split_whitespace()
            .map(Market::parse)
            .collect::<Option<Vec<_>>>()?;
        Some(SoldIn::only(&markets))
    }

    pub fn code(self) -> String {
        if self.is_everywhere() {
            return String::new();
        }
        Market::ALL
            .into_iter()
            .filter(|m| self.contains(*m))
            .map(Market::code)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_is_sold_everywhere_or_in_the_markets_it_names() {
        assert!(SoldIn::EVERYWHERE.contains(Market::EnUs));
        let us = SoldIn::parse("en-us").unwrap();
        assert!(us.contains(Market::EnUs) && !us.contains(Market::FrFr));
        assert_eq!(us.code(), "en-us");
        let not_us = SoldIn::parse("fr-fr de-de es-es it-it en-gb").unwrap();
        assert!(!not_us.contains(Market::EnUs) && not_us.contains(Market::EnGb));
        assert_eq!(SoldIn::parse(""), Some(SoldIn::EVERYWHERE));
        assert_eq!(
            SoldIn::parse("fr-fr de-de es-es it-it en-gb en-us"),
            Some(SoldIn::EVERYWHERE)
        );
        assert_eq!(SoldIn::parse("fr-fr xx-yy"), None);
        for s in [us, not_us, SoldIn::EVERYWHERE] {
            assert_eq!(SoldIn::parse(&s.code()), Some(s));
        }
    }

    #[test]
    fn codes_read_back() {
        for m in Market::ALL {
            assert_eq!(Market::parse(m.code()), Some(m));
        }
        assert_eq!(Market::FrFr.code(), "fr-fr");
        assert_eq!(Market::EnUs.code(), "en-us");
        assert_eq!(Market::parse("xx-yy"), None);
    }

    #[test]
    fn each_market_has_its_rules() {
        assert_eq!(Market::EnGb.currency(), Currency::Gbp);
        assert_eq!(Market::EnUs.currency(), Currency::Usd);
        assert_eq!(Market::ItIt.currency(), Currency::Eur);
        assert_eq!(Market::EnUs.ship_within_days(), 21);
        assert_eq!(Market::DeDe.ship_within_days(), 14);
        assert_eq!(Market::EnGb.payout_rail(), PayoutRail::UkAccount);
        assert!(Market::FrFr.shares_customs_area(Market::EsEs));
        assert!(!Market::FrFr.shares_customs_area(Market::EnGb));
        assert!(!Market::EnGb.shares_customs_area(Market::EnUs));
        assert_eq!(Market::of_country("gb"), Some(Market::EnGb));
        assert_eq!(Market::of_country("BE"), None);
    }

    #[test]
    fn a_visitor_gets_the_market_of_the_address_the_cookie_or_the_browser() {
        assert_eq!(Market::of_path("/de-de/sell/phones"), Some(Market::DeDe));
        assert_eq!(Market::of_path("/en-gb"), Some(Market::EnGb));
        assert_eq!(Market::of_path("/seller/prices"), None);
        assert_eq!(Market::of_path("/"), None);
        assert_eq!(
            Market::split_path("/de-de/sell/phones"),
            Some((Market::DeDe, "/sell/phones"))
        );
        assert_eq!(Market::split_path("/en-gb"), Some((Market::EnGb, "")));
        assert_eq!(Market::split_path("/en-gbx/sell"), None);
        assert_eq!(Market::EsEs.path("/sell/x"), "/es-es/sell/x");
        assert_eq!(Market::for_visitor(Some("it-it"), Some("de")), Market::ItIt);
        assert_eq!(
            Market::for_visitor(Some("nonsense"), Some("en-GB,en;q=0.8")),
            Market::EnGb
        );
        assert_eq!(Market::for_visitor(None, Some("ja")), Market::FrFr);
        assert_eq!(Market::for_visitor(None, None), Market::FrFr);
    }

    #[test]
    fn parcels_cross_borders_only_within_the_eu() {
        assert!(Market::EsEs.may_ship_to("FR"));
        assert!(Market::FrFr.may_ship_to(" be "));
        assert!(!Market::FrFr.may_ship_to("GB"));
        assert!(Market::EnGb.may_ship_to("GB"));
        assert!(!Market::EnGb.may_ship_to("IE"));
        assert!(!Market::EnUs.may_ship_to("GB"));
        assert!(Market::EnUs.may_ship_to("us"));
    }

    #[test]
    fn picks_a_market_from_the_browser_languages() {
        let pick = Market::from_accept_language;
        assert_eq!(pick("de-DE,de;q=0.9,en;q=0.8"), Some(Market::DeDe));
        assert_eq!(pick("en-GB,en;q=0.9"), Some(Market::EnGb));
        assert_eq!(pick("en"), Some(Market::EnUs));
        assert_eq!(pick("fr-CA,fr;q=0.8"), Some(Market::FrFr));
        assert_eq!(pick("nl-NL,es;q=0.5,it;q=0.7"), Some(Market::ItIt));
        assert_eq!(pick("ja, *;q=0.1"), None);
        assert_eq!(pick("es;q=0, it"), Some(Market::ItIt));
        assert_eq!(pick(""), None);
    }
}
