//! Calendar dates without a date library: parsing, ages, ISO weeks and
//! business days. Days are counted from 1970-01-01 (UTC).

use serde::{Deserialize, Serialize};
use std::fmt;

pub const DAY_MS: i64 = 86_400_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("enter a date")]
    Empty,
    #[error("enter the date as YYYY-MM-DD, e.g. 1990-04-23")]
    Malformed,
    #[error("this date does not exist")]
    NoSuchDate,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        (1..=12).contains(&month).then_some(())?;
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// `YYYY-MM-DD`, the value of an HTML date input.
    pub fn parse(input: &str) -> Result<Date, DateError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DateError::Empty);
        }
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(DateError::Malformed);
        }
        let num = |p: &str| p.parse::<u32>().map_err(|_| DateError::Malformed);
        let (y, m, d) = (num(parts[0])? as i32, num(parts[1])?, num(parts[2])?);
        Date::new(y, m, d).ok_or(DateError::NoSuchDate)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn to_days(self) -> i64 {
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400 + if m <= 2 { 1 } else { 0 }) as i32;
        Date {
            year: y,
            month: m,
            day: d,
        }
    }

    pub fn from_unix_ms(ms: i64) -> Date {
        Date::from_days(ms.div_euclid(DAY_MS))
    }

    pub fn start_unix_ms(self) -> i64 {
        self.to_days() * DAY_MS
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// 1 = Monday ... 7 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.to_days().rem_euclid(7) + 3) % 7 + 1) as u32
    }

    /// Whole years of age on `today`.
    pub fn age_on(self, today: Date) -> i32 {
        let mut age = today.year - self.year;
        if (today.month, today.day) < (self.month, self.day) {
            age -= 1;
        }
        age
    }

    /// ISO 8601 week: (week-based year, week number 1..=53).
    pub fn iso_week(self) -> (i32, u32) {
        let thursday = self.add_days(4 - self.weekday() as i64);
        let jan1 = Date {
            year: thursday.year,
            month: 1,
            day: 1,
        };
        let week = ((thursday.to_days() - jan1.to_days()) / 7 + 1) as u32;
        (thursday.year, week)
    }

    /// The Monday that starts this date's ISO week.
    pub fn week_start(self) -> Date {
        self.add_days(1 - self.weekday() as i64)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An instant and how the server wrote it for the visitor: in their time
/// zone, naming it ("Fri 11 Dec 2026, 20:44 Paris time"). Pages show
/// `text`, which hydration finds as the server rendered it, and compute
/// with `ms`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    pub ms: i64,
    pub text: String,
}

/// The cookie in which the browser names its time zone for the server.
pub const ZONE_COOKIE: &str = "tz";

/// An IANA zone name as browsers give it ("Europe/Paris", "Etc/GMT+5"),
/// with nothing a cookie could not hold.
pub fn is_zone_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b))
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "Fri 4 Dec 2026 10:00": an instant to the minute, in UTC.
pub fn utc_minute_label(ms: i64) -> String {
    let d = Date::from_unix_ms(ms);
    let minutes = ms.rem_euclid(DAY_MS) / 60_000;
    format!(
        "{} {} {} {} {:02}:{:02}",
        WEEKDAYS[(d.weekday() - 1) as usize],
        d.day,
        MONTHS[(d.month - 1) as usize],
        d.year,
        minutes / 60,
        minutes % 60
    )
}

/// "2026-12-04T10:00Z": the same instant for a `<time datetime>`.
pub fn utc_iso_minute(ms: i64) -> String {
    let minutes = ms.rem_euclid(DAY_MS) / 60_000;
    format!(
        "{}T{:02}:{:02}Z",
        Date::from_unix_ms(ms),
        minutes / 60,
        minutes % 60
    )
}

/// Start (Monday 00:00 UTC) of the ISO week containing `ms`, in Unix ms.
pub fn week_start_ms(ms: i64) -> i64 {
    Date::from_unix_ms(ms).week_start().start_unix_ms()
}

/// The previous calendar month of the day containing `ms`, as a half-open
/// range of Unix ms: (first instant, first instant of the current month).
pub fn previous_month_ms(ms: i64) -> (i64, i64) {
    let d = Date::from_unix_ms(ms);
    let this = Date {
        year: d.year,
        month: d.month,
        day: 1,
    };
    let prev = if d.month == 1 {
        Date {
            year: d.year - 1,
            month: 12,
            day: 1,
        }
    } else {
        Date {
            year: d.year,
            month: d.month - 1,
            day: 1,
        }
    };
    (prev.start_unix_ms(), this.start_unix_ms())
}

/// The instant `n` business days (Monday to Friday) after `from_ms`, at the
/// same time of day. Weekends do not count; public holidays are not modelled.
pub fn add_business_days_ms(from_ms: i64, n: u32) -> i64 {
    let mut date = Date::from_unix_ms(from_ms);
    let time_of_day = from_ms.rem_euclid(DAY_MS);
    let mut left = n;
    while left > 0 {
        date = date.add_days(1);
        if date.weekday() <= 5 {
            left -= 1;
        }
    }
    date.start_unix_ms() + time_of_day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_zone_names_are_taken() {
        assert!(is_zone_name("America/Argentina/Buenos_Aires"));
        assert!(is_zone_name("Etc/GMT+5"));
        assert!(!is_zone_name("Europe/Paris; Domain=evil.example"));
        assert!(!is_zone_name(""));
        assert!(!is_zone_name(&"A".repeat(65)));
    }

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(
            Date::parse("1990-04-23"),
            Ok(Date {
                year: 1990,
                month: 4,
                day: 23
            })
        );
        assert_eq!(Date::parse("2024-02-29").unwrap().day, 29);
        assert_eq!(Date::parse("2023-02-29"), Err(DateError::NoSuchDate));
        assert_eq!(Date::parse("1990-13-01"), Err(DateError::NoSuchDate));
        assert_eq!(Date::parse("23/04/1990"), Err(DateError::Malformed));
        assert_eq!(Date::parse(""), Err(DateError::Empty));
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(Date::parse("1970-01-01").unwrap().to_days(), 0);
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        for days in (-800_000..800_000).step_by(997) {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
        assert_eq!(
            Date::from_unix_ms(1_772_442_000_000).to_string(),
            "2026-03-02"
        );
    }

    #[test]
    fn weekdays_and_iso_weeks() {
        assert_eq!(Date::parse("2026-03-02").unwrap().weekday(), 1, "a Monday");
        assert_eq!(
            Date::parse("2026-11-21").unwrap().weekday(),
            6,
            "a Saturday"
        );
        assert_eq!(Date::parse("2021-01-03").unwrap().iso_week(), (2020, 53));
        assert_eq!(Date::parse("2021-01-04").unwrap().iso_week(), (2021, 1));
        assert_eq!(Date::parse("2026-11-21").unwrap().iso_week(), (2026, 47));
        assert_eq!(
            Date::parse("2026-11-21").unwrap().week_start().to_string(),
            "2026-11-16"
        );
    }

    #[test]
    fn ages_count_birthdays() {
        let dob = Date::parse("2008-11-22").unwrap();
        assert_eq!(dob.age_on(Date::parse("2026-11-21").unwrap()), 17);
        assert_eq!(dob.age_on(Date::parse("2026-11-22").unwrap()), 18);
    }

    #[test]
    fn business_days_skip_weekends() {
        let friday_noon = Date::parse("2026-03-06").unwrap().start_unix_ms() + 12 * 3_600_000;
        let due = add_business_days_ms(friday_noon, 2);
        assert_eq!(
            Date::from_unix_ms(due).to_string(),
            "2026-03-10",
            "Friday + 2 business days = Tuesday"
        );
        assert_eq!(due % DAY_MS, 12 * 3_600_000);
        let monday = Date::parse("2026-03-02").unwrap().start_unix_ms();
        assert_eq!(
            Date::from_unix_ms(add_business_days_ms(monday, 1)).to_string(),
            "2026-03-03"
        );
    }

    #[test]
    fn previous_month_wraps_the_year() {
        let (from, to) = previous_month_ms(Date::new(2026, 1, 15).unwrap().start_unix_ms() + 5);
        assert_eq!(
            (Date::from_unix_ms(from), Date::from_unix_ms(to)),
            (
                Date::new(2025, 12, 1).unwrap(),
                Date::new(2026, 1, 1).unwrap()
            )
        );
        let (from, _) = previous_month_ms(Date::new(2026, 3, 31).unwrap().start_unix_ms());
        assert_eq!(Date::from_unix_ms(from), Date::new(2026, 2, 1).unwrap());
    }
}
