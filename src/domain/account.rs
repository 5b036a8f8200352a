//! Account rules: who can sign up with what.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    Customer,
    Seller,
    Ops,
}

crate::domain::codes::codes!(Role);

impl Role {
    /// Refurbishers and operations move money and see other people's
    /// details: a stolen password alone must not open their accounts.
    pub fn requires_two_factor(self) -> bool {
        matches!(self, Role::Seller | Role::Ops)
    }
}

/// An email address that has passed a sanity check, lower-cased so that one
/// person cannot hold two accounts by changing the case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("enter your email address")]
    Empty,
    #[error("enter an email address like name@example.com")]
    Invalid,
    #[error("this email address is too long")]
    TooLong,
}

impl Email {
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = email.split_once('@').ok_or(EmailError::Invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        if domain_ok && local_ok {
            Ok(Email(email))
        } else {
            Err(EmailError::Invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// NIST SP 800-63B: at least 8 characters (we ask 10), no composition rules,
/// and an upper bound so that hashing cost stays bounded.
pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("use at least {PASSWORD_MIN_CHARS} characters")]
    TooShort,
    #[error("use at most {PASSWORD_MAX_CHARS} characters")]
    TooLong,
    #[error("this password is too common; choose another")]
    TooCommon,
}

pub fn check_new_password(password: &str, email: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(PasswordError::TooLong);
    }
    let lowered = password.to_lowercase();
    const COMMON: [&str; 8] = [
        "1234567890",
        "0123456789",
        "password12",
        "password123",
        "qwertyuiop",
        "azertyuiop",
        "iloveyou12",
        "1111111111",
    ];
    let local = email.split('@').next().unwrap_or_default();
    if COMMON.contains(&lowered.as_str())
        || lowered.chars().all(|c| lowered.starts_with(c))
        || (!local.is_empty() && lowered == local.to_lowercase())
    {
        return Err(PasswordError::TooCommon);
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("enter your name")]
    Empty,
    #[error("use at most 80 characters")]
    TooLong,
    #[error("remove the special characters")]
    ControlCharacters,
}

/// A person's or company's name as shown on screens, labels and emails.
pub fn parse_display_name(input: &str) -> Result<String, NameError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > 80 {
        return Err(NameError::TooLong);
    }
    if name.chars().any(|c| c.is_control() || c == '<' || c == '>') {
        return Err(NameError::ControlCharacters);
    }
    Ok(name)
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("enter a phone number with its country code, e.g. +33 1 23 45 67 89")]
pub struct PhoneError;

/// An optional contact phone: digits with an optional leading +, spaces,
/// dots, dashes and brackets allowed; 6 to 15 digits (E.164's limit).
pub fn parse_phone(input: &str) -> Result<String, PhoneError> {
    let t = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Ok(t);
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let allowed = t.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')') || (c == '+' && i == 0)
    });
    if allowed && (6..=15).contains(&digits) {
        Ok(t)
    } else {
        Err(PhoneError)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("give the reason for this decision (5 to 500 characters of plain text); the people concerned read it")]
pub struct ReasonError;

/// The reason an operations decision carries (suspension, fraud review,
/// rejection): 5 to 500 characters of plain text, spaces collapsed.
pub fn parse_reason(input: &str) -> Result<String, ReasonError> {
    let r = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = r.chars().count();
    if !(5..=500).contains(&n) || r.chars().any(char::is_control) {
        return Err(ReasonError);
    }
    Ok(r)
}

/// When sign-in stops checking passwords for a while: too many failures
/// on one account, or from one client address, within the window.
/// How failed sign-ins slow down whoever makes them, without letting them
/// keep the owner out:
///
/// - an account and a client (its address) together get a few free tries,
///   then a growing wait between tries: a guesser on one address slows to
///   a crawl, while the owner, on another, is not touched;
/// - one client failing on many accounts (credential stuffing) is stopped
///   across all of them for a while;
/// - one account failing from many clients (a botnet) stops taking
///   passwords for a while. The owner still gets in by an emailed sign-in
///   link, which none of these limits touch.
pub mod lockout {
    const MINUTE_MS: i64 = 60_000;

    /// Failures of one account from one client before the first wait.
    pub const FREE_FAILURES: i64 = 5;
    /// The first wait; each further failure doubles it, up to the last.
    pub const FIRST_WAIT_MS: i64 = MINUTE_MS;
    pub const LONGEST_WAIT_MS: i64 = 60 * MINUTE_MS;
    /// An account and client's failures are remembered this long, or until
    /// that client signs in to it.
    pub const PAIR_MEMORY_MS: i64 = 24 * 60 * MINUTE_MS;

    /// Failures from one client, on any accounts, within `CLIENT_WINDOW_MS`.
    pub const MAX_FAILURES_PER_CLIENT: i64 = 30;
    pub const CLIENT_WINDOW_MS: i64 = 15 * MINUTE_MS;

    /// Failures on one account, from any clients, within `ACCOUNT_WINDOW_MS`.
    pub const MAX_FAILURES_PER_ACCOUNT: i64 = 50;
    pub const ACCOUNT_WINDOW_MS: i64 = 60 * MINUTE_MS;

    /// What the database counted before an attempt: each count with the
    /// time that decides when its limit lifts.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Failures {
        /// This account from this client, since it last signed in from there.
        pub pair: i64,
        pub pair_latest_at: Option<i64>,
        pub client: i64,
        pub client_oldest_at: Option<i64>,
        pub account: i64,
        pub account_oldest_at: Option<i64>,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Locked {
        /// This account from this client: wait between tries.
        Pair,
        /// This client, on every account.
        Client,
        /// This account, from every client: passwords wait, links do not.
        Account,
    }

    /// The wait after `failures` of one account from one client.
    pub fn pair_wait_ms(failures: i64) -> i64 {
        if failures < FREE_FAILURES {
            return 0;
        }
        let doublings = (failures - FREE_FAILURES).min(16) as u32;
        FIRST_WAIT_MS
            .saturating_mul(1 << doublings)
            .min(LONGEST_WAIT_MS)
    }

    /// Whether another password may be checked now; if not, which limit
    /// holds and until when.
    pub fn check(f: &Failures, now_ms: i64) -> Result<(), (Locked, i64)> {
        let mut until = None;
        let mut hold = |which: Locked, at: i64| {
            if at > now_ms && until.is_none_or(|(_, u)| at > u) {
                until = Some((which, at));
            }
        };
        if f.pair >= FREE_FAILURES {
            let since = f.pair_latest_at.unwrap_or(now_ms);
            hold(Locked::Pair, since + pair_wait_ms(f.pair));
        }
        if f.client >= MAX_FAILURES_PER_CLIENT {
            let since = f.client_oldest_at.unwrap_or(now_ms);
            hold(Locked::Client, since + CLIENT_WINDOW_MS);
        }
        if f.account >= MAX_FAILURES_PER_ACCOUNT {
            let since = f.account_oldest_at.unwrap_or(now_ms);
            hold(Locked::Account, since + ACCOUNT_WINDOW_MS);
        }
        match until {
            Some(locked) => Err(locked),
            None => Ok(()),
        }
    }

    /// Whole minutes until `until` (at least one).
    pub fn minutes_until(until_ms: i64, now_ms: i64) -> i64 {
        let wait = (until_ms - now_ms).max(MINUTE_MS);
        (wait + MINUTE_MS - 1) / MINUTE_MS
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_wait_starts_after_the_free_tries_and_doubles() {
            assert_eq!(pair_wait_ms(4), 0);
            assert_eq!(pair_wait_ms(5), MINUTE_MS);
            assert_eq!(pair_wait_ms(6), 2 * MINUTE_MS);
            assert_eq!(pair_wait_ms(7), 4 * MINUTE_MS);
            assert_eq!(pair_wait_ms(11), LONGEST_WAIT_MS);
            assert_eq!(pair_wait_ms(1_000_000), LONGEST_WAIT_MS);
        }

        #[test]
        fn each_limit_holds_until_its_own_time() {
            let now = 10 * ACCOUNT_WINDOW_MS;
            assert_eq!(check(&Failures::default(), now), Ok(()));
            let pair = Failures {
                pair: 5,
                pair_latest_at: Some(now - 30_000),
                ..Failures::default()
            };
            assert_eq!(check(&pair, now), Err((Locked::Pair, now + 30_000)));
            assert_eq!(
                check(&pair, now + 30_000),
                Ok(()),
                "a wait, not a lock: once it has passed, one more try"
            );
            let client = Failures {
                client: 30,
                client_oldest_at: Some(now - 60_000),
                ..Failures::default()
            };
            assert_eq!(
                check(&client, now),
                Err((Locked::Client, now - 60_000 + CLIENT_WINDOW_MS))
            );
            let account = Failures {
                account: 50,
                account_oldest_at: Some(now),
                ..Failures::default()
            };
            assert_eq!(
                check(&account, now),
                Err((Locked::Account, now + ACCOUNT_WINDOW_MS))
            );
            let all = Failures {
                pair: 5,
                pair_latest_at: Some(now),
                ..account
            };
            assert_eq!(
                check(&all, now),
                Err((Locked::Account, now + ACCOUNT_WINDOW_MS)),
                "the latest lift is the one named"
            );
        }

        #[test]
        fn below_every_limit_nothing_waits() {
            let f = Failures {
                pair: 4,
                pair_latest_at: Some(0),
                client: 29,
                client_oldest_at: Some(0),
                account: 49,
                account_oldest_at: Some(0),
            };
            assert_eq!(check(&f, 1), Ok(()));
        }

        #[test]
        fn a_wait_is_shown_in_whole_minutes() {
            assert_eq!(minutes_until(60_000, 0), 1);
            assert_eq!(minutes_until(60_001, 0), 2);
            assert_eq!(minutes_until(0, 0), 1, "at least a minute");
        }
    }
}

/// How long an emailed sign-in link works (once).
pub const SIGN_IN_LINK_MINUTES: i64 = 30;
/// How long a password reset link works (once).
pub const RESET_LINK_MINUTES: i64 = 30;
/// How long the link that verifies an address works (once): long enough
/// for a person who reads their mail at the weekend.
pub const VERIFY_LINK_DAYS: i64 = 7;
/// How long the link that confirms a new address works (once).
pub const NEW_EMAIL_LINK_HOURS: i64 = 24;

/// What an emailed one-use link is for (besides signing in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
}

impl LinkPurpose {
    pub fn code(self) -> &'static str {
        match self {
            LinkPurpose::VerifyEmail => "verify_email",
            LinkPurpose::ResetPassword => "reset_password",
            LinkPurpose::ChangeEmail => "change_email",
        }
    }

    /// How long a link works, in milliseconds.
    pub fn lifetime_ms(self) -> i64 {
        const MINUTE_MS: i64 = 60_000;
        match self {
            LinkPurpose::VerifyEmail => VERIFY_LINK_DAYS * 24 * 60 * MINUTE_MS,
            LinkPurpose::ResetPassword => RESET_LINK_MINUTES * MINUTE_MS,
            LinkPurpose::ChangeEmail => NEW_EMAIL_LINK_HOURS * 60 * MINUTE_MS,
        }
    }
}

/// A trade-in is a contract of sale: the consumer must be of age.
pub const MIN_SELLER_AGE: i32 = 18;
/// Past this a date of birth is a typing mistake.
pub const MAX_PLAUSIBLE_AGE: i32 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthDateError {
    Future,
    TooYoung,
    Implausible,
}

impl fmt::Display for BirthDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BirthDateError::Future => f.write_str("this date is in the future"),
            BirthDateError::TooYoung => write!(
                f,
                "you must be {MIN_SELLER_AGE} or older to sell a device; ask a parent or guardian to do it"
            ),
            BirthDateError::Implausible => f.write_str("check the year"),
        }
    }
}

/// The date of birth of someone selling a device today.
pub fn check_seller_birth_date(
    born: crate::domain::dates::Date,
    today: crate::domain::dates::Date,
) -> Result<crate::domain::dates::Date, BirthDateError> {
    if born > today {
        Err(BirthDateError::Future)
    } else if born.age_on(today) < MIN_SELLER_AGE {
        Err(BirthDateError::TooYoung)
    } else if born.age_on(today) > MAX_PLAUSIBLE_AGE {
        Err(BirthDateError::Implausible)
    } else {
        Ok(born)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_need_a_real_reason() {
        assert_eq!(
            parse_reason("  checked   by phone "),
            Ok("checked by phone".into())
        );
        assert_eq!(parse_reason("ok"), Err(ReasonError));
        assert_eq!(parse_reason(&"x".repeat(501)), Err(ReasonError));
    }

    #[test]
    fn phones_are_optional_and_plausible() {
        assert_eq!(parse_phone("  "), Ok(String::new()));
        assert_eq!(
            parse_phone("+33 1 23 45 67 89").as_deref(),
            Ok("+33 1 23 45 67 89")
        );
        assert_eq!(parse_phone("12345"), Err(PhoneError));
        assert_eq!(parse_phone("call me"), Err(PhoneError));
        assert_eq!(parse_phone("33+1234567"), Err(PhoneError));
    }

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Jane.Doe@Example.COM ").unwrap().as_str(),
            "jane.doe@example.com"
        );
    }

    #[test]
    fn bad_emails_are_refused() {
        for bad in [
            "",
            "plain",
            "a@b",
            "@example.com",
            "a@.com",
            "a b@example.com",
            "a@exa mple.com",
            "a..b@x.com",
            "<script>@x.com",
            "a@x.com'; DROP TABLE users;--",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
        assert_eq!(
            Email::parse(&format!("{}@x.com", "a".repeat(300))),
            Err(EmailError::TooLong)
        );
    }

    #[test]
    fn password_rules() {
        assert_eq!(
            check_new_password("short", "a@x.com"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), "a@x.com"),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            check_new_password("aaaaaaaaaaaa", "a@x.com"),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new_password("Password123", "a@x.com"),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new_password("janedoe1990", "janedoe1990@x.com"),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new_password("correct horse battery", "a@x.com"),
            Ok(())
        );
    }

    #[test]
    fn names_are_normalised_and_checked() {
        assert_eq!(parse_display_name("  Jane   Doe "), Ok("Jane Doe".into()));
        assert_eq!(parse_display_name("   "), Err(NameError::Empty));
        assert_eq!(
            parse_display_name("<b>x</b>"),
            Err(NameError::ControlCharacters)
        );
        assert_eq!(parse_display_name(&"a".repeat(81)), Err(NameError::TooLong));
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::Customer, Role::Seller, Role::Ops] {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn a_seller_is_of_age_and_born_in_the_past() {
        use crate::domain::dates::Date;
        let today = Date::parse("2026-12-04").unwrap();
        let check = |d: &str| check_seller_birth_date(Date::parse(d).unwrap(), today);
        assert_eq!(check("2008-12-04"), Ok(Date::parse("2008-12-04").unwrap()));
        assert_eq!(check("2008-12-05"), Err(BirthDateError::TooYoung));
        assert_eq!(check("2026-12-05"), Err(BirthDateError::Future));
        assert_eq!(check("1905-12-03"), Err(BirthDateError::Implausible));
        assert!(BirthDateError::TooYoung
            .to_string()
            .starts_with("you must be 18 or older"));
    }
}
