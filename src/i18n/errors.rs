//! What the domain's parsers refuse, in the visitor's language. The
//! parsers stay free of languages (their `Display` is the English the logs
//! and the refurbisher and operations areas use); a consumer's form shows
//! these texts next to its fields.

use super::{Msg, Texts};
use crate::domain::account::{BirthDateError, NameError, MIN_SELLER_AGE};
use crate::domain::address::AddressError;
use crate::domain::bank_account::BankAccountError;
use crate::domain::dates::DateError;
use crate::domain::grading::AnswerError;
use crate::domain::iban::IbanError;
use crate::domain::identifiers::{ImeiError, SerialError};
use crate::domain::postcode::PostcodeError;

/// An error a consumer can read in their own language.
pub trait Localized {
    fn text(&self, t: Texts) -> String;
}

/// A country's name in the page's language, from its ISO code; None for a
/// country the catalog does not name.
pub fn country(t: Texts, code: &str) -> Option<&'static str> {
    let msg = match code {
        "AT" => Msg::CountryAt,
        "BE" => Msg::CountryBe,
        "DE" => Msg::CountryDe,
        "ES" => Msg::CountryEs,
        "FR" => Msg::CountryFr,
        "GB" => Msg::CountryGb,
        "IE" => Msg::CountryIe,
        "IT" => Msg::CountryIt,
        "LU" => Msg::CountryLu,
        "NL" => Msg::CountryNl,
        "PT" => Msg::CountryPt,
        "US" => Msg::CountryUs,
        _ => return None,
    };
    Some(t.get(msg))
}

/// The page's name of a country the parsers name in English.
pub fn country_named(t: Texts, english: &str) -> String {
    crate::domain::address::COUNTRIES
        .iter()
        .copied()
        .chain([("GB", "United Kingdom"), ("US", "United States")])
        .find(|(_, name)| *name == english)
        .and_then(|(code, _)| country(t, code))
        .unwrap_or(english)
        .to_string()
}

/// A server function's refusal as a notice on the page. Field errors and
/// conflicts carry texts their service already wrote in the reader's
/// language; the rest are the same few sentences everywhere.
impl Localized for crate::error::AppError {
    fn text(&self, t: Texts) -> String {
        use crate::error::AppError as E;
        match self {
            E::Unauthenticated => t.get(Msg::AppErrorUnauthenticated).to_string(),
            E::Forbidden => t.get(Msg::AppErrorForbidden).to_string(),
            E::TwoFactorRequired => t.get(Msg::AppErrorTwoFactorRequired).to_string(),
            E::NotFound => t.get(Msg::AppErrorNotFound).to_string(),
            E::Invalid(_) => t.get(Msg::AppErrorInvalid).to_string(),
            E::RateLimited {
                retry_after_minutes,
            } => t.fill(
                Msg::AppErrorRateLimited,
                &[("minutes", retry_after_minutes)],
            ),
            E::Conflict(message) => message.clone(),
            E::BadRequest(detail) => t.fill(Msg::AppErrorBadRequest, &[("detail", detail)]),
            E::Internal { reference } => t.fill(Msg::AppErrorInternal, &[("reference", reference)]),
        }
    }
}

/// A server function's refusal in the page's language.
pub fn said(e: &crate::error::AppError) -> String {
    e.text(super::use_texts())
}

impl Localized for AddressError {
    fn text(&self, t: Texts) -> String {
        match self {
            AddressError::Missing(what) => t
                .get(match *what {
                    "your name" | "the warehouse's name" => Msg::ErrorEnterName,
                    "the street and number" => Msg::ErrorEnterStreet,
                    "the city" => Msg::ErrorEnterCity,
                    "the postcode" => Msg::ErrorEnterPostcode,
                    _ => Msg::ErrorEnterField,
                })
                .to_string(),
            AddressError::TooLong(_, max) => t.fill(Msg::ErrorTooLong, &[("max", max)]),
            AddressError::BadCharacters => t.get(Msg::ErrorSpecialCharacters).to_string(),
            AddressError::UnsupportedCountry => t.get(Msg::ErrorCountryNotShipped).to_string(),
            AddressError::BadPostcode(country, example) => t.fill(
                Msg::ErrorPostcodeOf,
                &[
                    ("country", &country_named(t, country)),
                    ("example", example),
                ],
            ),
            AddressError::Market(e) => e.text(t),
            AddressError::OutsideCustomsArea(country) => t.fill(
                Msg::ErrorOutsideCustomsArea,
                &[("country", &country_named(t, country))],
            ),
        }
    }
}

impl Localized for PostcodeError {
    fn text(&self, t: Texts) -> String {
        t.get(match self {
            PostcodeError::Empty => Msg::ErrorEnterPostcode,
            PostcodeError::FiveDigits => Msg::ErrorPostcodeFiveDigits,
            PostcodeError::SpanishProvince => Msg::ErrorPostcodeSpanishProvince,
            PostcodeError::Uk => Msg::ErrorPostcodeUk,
            PostcodeError::Zip => Msg::ErrorPostcodeZip,
            PostcodeError::ItalianProvince => Msg::ErrorProvince,
            PostcodeError::UsState => Msg::ErrorState,
        })
        .to_string()
    }
}

impl Localized for ImeiError {
    fn text(&self, t: Texts) -> String {
        t.get(match self {
            ImeiError::Empty => Msg::ErrorImeiEmpty,
            ImeiError::WrongLength => Msg::ErrorImeiLength,
            ImeiError::BadCheckDigit => Msg::ErrorImeiCheckDigit,
        })
        .to_string()
    }
}

impl Localized for SerialError {
    fn text(&self, t: Texts) -> String {
        t.get(match self {
            SerialError::Empty => Msg::ErrorSerialEmpty,
            SerialError::Malformed => Msg::ErrorSerialMalformed,
        })
        .to_string()
    }
}

impl Localized for IbanError {
    fn text(&self, t: Texts) -> String {
        match self {
            IbanError::Empty => t.get(Msg::ErrorIbanEmpty).to_string(),
            IbanError::Malformed => t.get(Msg::ErrorIbanMalformed).to_string(),
            IbanError::UnsupportedCountry(code) => t.fill(
                Msg::ErrorIbanCountry,
                &[("country", &country(t, code).unwrap_or(code.as_str()))],
            ),
            IbanError::WrongLength {
                country: code,
                expected,
                found,
            } => t.fill(
                Msg::ErrorIbanLength,
                &[
                    ("country", &country(t, code).unwrap_or(code.as_str())),
                    ("expected", expected),
                    ("found", found),
                ],
            ),
            IbanError::BadChecksum => t.get(Msg::ErrorIbanChecksum).to_string(),
        }
    }
}

impl Localized for BankAccountError {
    fn text(&self, t: Texts) -> String {
        t.get(match self {
            BankAccountError::SortCode => Msg::ErrorSortCode,
            BankAccountError::UkAccountNumber => Msg::ErrorUkAccountNumber,
            BankAccountError::RoutingShape => Msg::ErrorRoutingShape,
            BankAccountError::RoutingChecksum => Msg::ErrorRoutingChecksum,
            BankAccountError::UsAccountNumber => Msg::ErrorUsAccountNumber,
        })
        .to_string()
    }
}

impl Localized for DateError {
    fn text(&self, t: Texts) -> String {
        t.get(match self {
            DateError::Empty => Msg::ErrorDateEmpty,
            DateError::Malformed => Msg::ErrorDateMalformed,
            DateError::NoSuchDate => Msg::ErrorDateMissing,
        })
        .to_string()
    }
}

impl Localized for BirthDateError {
    fn text(&self, t: Texts) -> String {
        match self {
            BirthDateError::Future => t.get(Msg::ErrorBirthFuture).to_string(),
            BirthDateError::TooYoung => {
                t.fill(Msg::ErrorBirthTooYoung, &[("age", &MIN_SELLER_AGE)])
            }
            BirthDateError::Implausible => t.get(Msg::ErrorBirthImplausible).to_string(),
        }
    }
}

impl Localized for NameError {
    fn text(&self, t: Texts) -> String {
        t.get(match self {
            NameError::Empty => Msg::ErrorNameEmpty,
            NameError::TooLong => Msg::ErrorNameTooLong,
            NameError::ControlCharacters => Msg::ErrorSpecialCharacters,
        })
        .to_string()
    }
}

impl Localized for AnswerError {
    fn text(&self, t: Texts) -> String {
        t.get(match self {
            AnswerError::MissingWorks => Msg::ErrorAnswerWorks,
            AnswerError::MissingScreen => Msg::ErrorAnswerScreen,
            AnswerError::MissingBody => Msg::ErrorAnswerBody,
        })
        .to_string()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::market::Market;

    #[test]
    fn errors_speak_the_pages_language() {
        let de = Texts::of(Market::DeDe);
        let en = Texts::of(Market::EnGb);
        let e = BankAccountError::SortCode;
        assert_eq!(e.text(en), e.to_string());
        assert_ne!(e.text(de), e.to_string());
        let outside = AddressError::OutsideCustomsArea("Germany");
        assert!(
            outside.text(de).contains("Deutschland"),
            "{}",
            outside.text(de)
        );
        let long = AddressError::TooLong("the city", 60);
        assert!(long.text(de).contains("60"));
    }
}
