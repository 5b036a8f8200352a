//! The visitor's time zone, for the dates and deadlines the server writes
//! into pages: the browser names its zone in a cookie on its first visit
//! (`ui::zone`), and until then, or for a name the time zone database does
//! not know, dates are in UTC. Every date says which zone it is in. The
//! rules are jiff's copy of the IANA database, bundled, so a server without
//! tzdata knows every zone too.

use http::HeaderMap;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::domain::market::Market;
use crate::i18n::{Msg, Texts};

/// The cookie the browser sets (not `HttpOnly`: the page writes it).
pub use crate::domain::dates::ZONE_COOKIE as COOKIE;

#[derive(Clone, Debug)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    pub fn utc() -> Zone {
        Zone {
            name: "UTC".into(),
            tz: TimeZone::UTC,
        }
    }

    /// A zone by its IANA name ("Europe/Paris"); None when unknown.
    pub fn named(name: &str) -> Option<Zone> {
        if !crate::domain::dates::is_zone_name(name) {
            return None;
        }
        let tz = TimeZone::get(name).ok()?;
        Some(Zone {
            name: name.to_string(),
            tz,
        })
    }

    /// The zone the request's cookie names, or UTC.
    pub fn of_request(headers: &HeaderMap) -> Zone {
        crate::platform::http::request_cookies(headers)
            .find(|c| c.name() == COOKIE)
            .and_then(|c| Zone::named(c.value()))
            .unwrap_or_else(Zone::utc)
    }

    /// The IANA name ("Europe/Paris", "UTC").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How a date names its zone: "Paris time", "New York time", "UTC".
    pub fn says(&self) -> String {
        match self.name.as_str() {
            "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT" | "Etc/Universal" | "Universal" | "Zulu" => {
                "UTC".into()
            }
            name => match name.rsplit_once('/') {
                Some((_, city)) => format!("{} time", city.replace('_', " ")),
                None => name.to_string(),
            },
        }
    }

    /// The instant with its text, for a page (`Moment`).
    pub fn moment(&self, ms: i64) -> crate::domain::dates::Moment {
        crate::domain::dates::Moment {
            ms,
            text: self.when(ms),
        }
    }

    /// The day of an instant, for a deadline given as a day: "Fri 11 Dec
    /// 2026 (Paris time)".
    pub fn day(&self, ms: i64) -> crate::domain::dates::Moment {
        let text = self
            .local(ms, "%a %-d %b %Y")
            .map(|d| format!("{d} ({})", self.says()))
            .unwrap_or_default();
        crate::domain::dates::Moment { ms, text }
    }

    /// The day of an instant in a market's language, from CLDR (ICU4X):
    /// "Fr., 04.12.2026 (Ortszeit Berlin)", "ven. 4 déc. 2026 (heure de Paris)".
    pub fn day_in(&self, ms: i64, market: Market) -> crate::domain::dates::Moment {
        self.written_in(ms, market, local_date)
    }

    /// An instant to the minute in a market's language, from CLDR (ICU4X):
    /// "Fr., 04.12.2026, 11:00 (Ortszeit Berlin)", "Dec 4, 2026, 5:00 AM".
    pub fn moment_in(&self, ms: i64, market: Market) -> crate::domain::dates::Moment {
        self.written_in(ms, market, local_date_time)
    }

    /// `ms` in this zone as `format` writes it in `market`'s language,
    /// followed by the zone's name in that language.
    fn written_in(
        &self,
        ms: i64,
        market: Market,
        format: fn(Market, jiff::civil::DateTime) -> Option<String>,
    ) -> crate::domain::dates::Moment {
        let texts = Texts::of(market);
        let text = self
            .civil(ms)
            .and_then(|dt| format(market, dt))
            .map(|d| {
                texts.fill(
                    Msg::DateInZone,
                    &[("date", &d), ("zone", &self.says_in(texts))],
                )
            })
            .unwrap_or_default();
        crate::domain::dates::Moment { ms, text }
    }

    /// The zone as a market's language names it: "Berlin time" as
    /// "Zeit Berlin"; UTC everywhere.
    fn says_in(&self, texts: Texts) -> String {
        match self.says().strip_suffix(" time") {
            Some(city) => texts.fill(Msg::DateZoneTime, &[("city", &city)]),
            None => self.says(),
        }
    }

    fn civil(&self, ms: i64) -> Option<jiff::civil::DateTime> {
        let t = Timestamp::from_millisecond(ms).ok()?;
        Some(t.to_zoned(self.tz.clone()).datetime())
    }

    /// "Fri 11 Dec 2026, 20:44 Paris time": an instant to the minute.
    pub fn when(&self, ms: i64) -> String {
        self.local(ms, "%a %-d %b %Y, %H:%M")
            .map(|t| format!("{t} {}", self.says()))
            .unwrap_or_default()
    }

    /// `ms` in this zone, as `pattern` (strftime) writes it; None outside
    /// the range of instants jiff knows.
    fn local(&self, ms: i64, pattern: &str) -> Option<String> {
        let t = Timestamp::from_millisecond(ms).ok()?;
        Some(t.to_zoned(self.tz.clone()).strftime(pattern).to_string())
    }
}

/// The day of an instant in UTC as `market`'s language writes it, without
/// naming a zone: for documents, whose reader's zone is not known.
pub fn local_day(ms: i64, market: Market) -> String {
    Zone::utc()
        .civil(ms)
        .and_then(|dt| local_date(market, dt))
        .unwrap_or_default()
}

/// A civil date as `market`'s locale writes it: weekday, day, month and
/// year, medium length. The formatters are built once per market and
/// thread, and kept: building one looks up its data, and offer pages show a
/// date. (ICU4X's data is not `Sync` without its `sync` feature, so each
/// worker thread keeps its own.)
fn local_date(market: Market, dt: jiff::civil::DateTime) -> Option<String> {
    use icu_datetime::fieldsets::YMDE;
    use icu_datetime::input::Date;
    use icu_datetime::DateTimeFormatter;
    thread_local! {
        static FORMATTERS: Vec<Option<DateTimeFormatter<YMDE>>> = Market::ALL
            .iter()
            .map(|m| {
                let locale: icu_locale_core::Locale = m.language().parse().ok()?;
                DateTimeFormatter::try_new(locale.into(), YMDE::medium()).ok()
            })
            .collect();
    }
    let index = Market::ALL.iter().position(|m| *m == market)?;
    let date = Date::try_new_iso(i32::from(dt.year()), dt.month() as u8, dt.day() as u8).ok()?;
    FORMATTERS.with(|all| Some(all.get(index)?.as_ref()?.format(&date).to_string()))
}

/// A civil date and time to the minute as `market`'s locale writes it;
/// its formatters are kept like `local_date`'s.
fn local_date_time(market: Market, dt: jiff::civil::DateTime) -> Option<String> {
    use icu_datetime::fieldsets::YMDET;
    use icu_datetime::input::{Date, DateTime, Time};
    use icu_datetime::options::TimePrecision;
    use icu_datetime::DateTimeFormatter;
    thread_local! {
        static FORMATTERS: Vec<Option<DateTimeFormatter<YMDET>>> = Market::ALL
            .iter()
            .map(|m| {
                let locale: icu_locale_core::Locale = m.language().parse().ok()?;
                DateTimeFormatter::try_new(
                    locale.into(),
                    YMDET::medium().with_time_precision(TimePrecision::Minute),
                )
                .ok()
            })
            .collect();
    }
    let index = Market::ALL.iter().position(|m| *m == market)?;
    let at = DateTime {
        date: Date::try_new_iso(i32::from(dt.year()), dt.month() as u8, dt.day() as u8).ok()?,
        time: Time::try_new(dt.hour() as u8, dt.minute() as u8, 0, 0).ok()?,
    };
    FORMATTERS.with(|all| Some(all.get(index)?.as_ref()?.format(&at).to_string()))
}

/// An instant as machines exchange it: RFC 3339 in UTC
/// (`2026-12-08T09:30:00.25Z`); empty outside the range jiff knows.
pub fn rfc3339(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_in_the_markets_language() {
        let berlin = Zone::named("Europe/Berlin").unwrap();
        let de = berlin.moment_in(AT, Market::DeDe).text;
        assert!(
            de.starts_with("Fr., 04.12.2026") && de.contains("11:00"),
            "{de}"
        );
        assert!(de.ends_with("(Ortszeit Berlin)"), "{de}");
        let us = Zone::named("America/Chicago")
            .unwrap()
            .moment_in(AT, Market::EnUs)
            .text;
        assert!(us.contains("Dec 4, 2026") && us.contains("4:00"), "{us}");
        assert!(us.contains("AM"), "{us}");
    }

    fn cookie(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            format!("other=1; {COOKIE}={value}").parse().unwrap(),
        );
        h
    }

    // Friday 4 December 2026, 10:00 UTC.
    const AT: i64 = 1_796_378_400_000;

    #[test]
    fn dates_are_in_the_visitors_zone_and_say_so() {
        assert_eq!(Zone::utc().when(AT), "Fri 4 Dec 2026, 10:00 UTC");
        assert_eq!(Zone::utc().day(AT).text, "Fri 4 Dec 2026 (UTC)");
        let paris = Zone::of_request(&cookie("Europe/Paris"));
        assert_eq!(paris.when(AT), "Fri 4 Dec 2026, 11:00 Paris time");
        // Summer time.
        assert_eq!(
            paris.when(AT - 160 * 86_400_000),
            "Sat 27 Jun 2026, 12:00 Paris time"
        );
        // 04:00 UTC on Friday is still Thursday evening in New York.
        let ny = Zone::of_request(&cookie("America/New_York"));
        assert_eq!(
            ny.when(AT - 6 * 3_600_000),
            "Thu 3 Dec 2026, 23:00 New York time"
        );
        assert_eq!(
            Zone::of_request(&cookie("Asia/Kolkata")).when(AT),
            "Fri 4 Dec 2026, 15:30 Kolkata time"
        );
    }

    #[test]
    fn days_are_in_the_markets_language() {
        let berlin = Zone::named("Europe/Berlin").unwrap();
        let de = berlin.day_in(AT, Market::DeDe).text;
        assert_eq!(de, "Fr., 04.12.2026 (Ortszeit Berlin)");
        assert_eq!(
            berlin.day_in(AT, Market::EnGb).text,
            "Fri, 4 Dec 2026 (Berlin time)"
        );
        let fr = Zone::named("Europe/Paris")
            .unwrap()
            .day_in(AT, Market::FrFr)
            .text;
        assert!(fr.contains("déc") && fr.contains("Paris"), "{fr}");
        let us = Zone::named("America/Chicago")
            .unwrap()
            .day_in(AT, Market::EnUs)
            .text;
        assert!(us.contains("Dec 4, 2026"), "{us}");
        assert_eq!(
            Zone::utc()
                .day_in(AT, Market::ItIt)
                .text
                .matches("UTC")
                .count(),
            1
        );
    }

    #[test]
    fn without_a_known_zone_it_is_utc() {
        assert_eq!(Zone::of_request(&HeaderMap::new()).says(), "UTC");
        for bad in [
            "Mars/Olympus",
            "",
            "../../etc/passwd",
            "Europe/Paris%0A",
            &"A".repeat(200),
        ] {
            assert_eq!(Zone::of_request(&cookie(bad)).says(), "UTC", "{bad:?}");
        }
        assert_eq!(Zone::named("Etc/UTC").unwrap().says(), "UTC");
    }
}
