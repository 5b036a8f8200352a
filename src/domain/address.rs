//! Postal addresses for shipping labels, checked per country.

use serde::{Deserialize, Serialize};

/// Countries we collect from and ship labels to, with their names.
pub const COUNTRIES: [(&str, &str); 10] = [
    ("FR", "France"),
    ("DE", "Germany"),
    ("BE", "Belgium"),
    ("NL", "Netherlands"),
    ("LU", "Luxembourg"),
    ("ES", "Spain"),
    ("PT", "Portugal"),
    ("IT", "Italy"),
    ("AT", "Austria"),
    ("IE", "Ireland"),
];

pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress {
    pub name: String,
    pub line1: String,
    pub line2: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    /// The state of a US address, the province of an Italian one when
    /// given; empty elsewhere.
    #[serde(default)]
    pub region: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("enter {0}")]
    Missing(&'static str),
    #[error("use at most {1} characters for {0}")]
    TooLong(&'static str, usize),
    #[error("remove the special characters")]
    BadCharacters,
    #[error("choose a country we ship from")]
    UnsupportedCountry,
    #[error("this is not a valid postcode for {0} (e.g. {1})")]
    BadPostcode(&'static str, &'static str),
    #[error("{0}")]
    Market(#[from] crate::domain::postcode::PostcodeError),
    #[error("this market's parcels cannot go to a warehouse in {0}: within the EU any member state, the UK and the US only within the country (customs)")]
    OutsideCustomsArea(&'static str),
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn checked(
    what: &'static str,
    text: &str,
    max: usize,
    required: bool,
) -> Result<String, AddressError> {
    let t = clean(text);
    if required && t.is_empty() {
        return Err(AddressError::Missing(what));
    }
    if t.chars().count() > max {
        return Err(AddressError::TooLong(what, max));
    }
    if t.chars().any(|c| c.is_control() || c == '<' || c == '>') {
        return Err(AddressError::BadCharacters);
    }
    Ok(t)
}

/// Normalises and checks a postcode for `country`; returns it as printed on labels.
pub fn parse_postcode(country: &str, input: &str) -> Result<String, AddressError> {
    let raw: String = input
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    if raw.is_empty() {
        return Err(AddressError::Missing("the postcode"));
    }
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    let compact: String = raw.chars().filter(|c| *c != ' ').collect();
    // Every format below is ASCII, and the checks slice by byte: anything
    // else is a wrong postcode, not a character boundary to split.
    let ascii = compact.is_ascii();
    let (ok, normal, example) = match country {
        "FR" => (digits(&compact, 5), compact.clone(), "75011"),
        "DE" => (digits(&compact, 5), compact.clone(), "10969"),
        "ES" => (
            digits(&compact, 5) && &compact[..2] <= "52",
            compact.clone(),
            "46004",
        ),
        "IT" => (digits(&compact, 5), compact.clone(), "20144"),
        "BE" | "AT" | "LU" => (digits(&compact, 4), compact.clone(), "1040"),
        "NL" => {
            let ok = ascii
                && compact.len() == 6
                && digits(&compact[..4], 4)
                && compact[4..].chars().all(|c| c.is_ascii_uppercase())
                && !compact.starts_with('0');
            (
                ok,
                if ok {
                    format!("{} {}", &compact[..4], &compact[4..])
                } else {
                    compact.clone()
                },
                "3072 AP",
            )
        }
        "PT" => {
            let ok = ascii
                && compact.len() == 8
                && digits(&compact[..4], 4)
                && &compact[4..5] == "-"
                && digits(&compact[5..], 3);
            (ok, compact.clone(), "1100-148")
        }
        "IE" => {
            let ok = compact.len() == 7 && compact.chars().all(|c| c.is_ascii_alphanumeric());
            (
                ok,
                if ok {
                    format!("{} {}", &compact[..3], &compact[3..])
                } else {
                    compact.clone()
                },
                "D02 X285",
            )
        }
        // Royal Mail's and USPS's formats, as the markets there read them.
        "GB" | "US" => {
            let market = crate::domain::market::Market::of_country(country)
                .expect("the UK and the US are markets");
            return crate::domain::postcode::parse_postcode(market, input)
                .map(|p| p.text)
                .map_err(AddressError::from);
        }
        _ => return Err(AddressError::UnsupportedCountry),
    };
    if ok {
        Ok(normal)
    } else {
        Err(AddressError::BadPostcode(
            country_name(country).unwrap_or("this country"),
            example,
        ))
    }
}

/// An address as typed, field by field.
#[derive(Clone, Copy, Debug, Default)]
pub struct AddressInput<'a> {
    pub name: &'a str,
    pub line1: &'a str,
    pub line2: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    /// A US address's state, an Italian one's province.
    pub region: &'a str,
    pub country: &'a str,
}

/// Which addresses a form takes, and the name of its name field.
#[derive(Clone, Copy, Debug)]
pub enum AddressRules {
    /// A refurbisher's company: one of `COUNTRIES`.
    Company,
    /// A consumer selling in a market: its customs area (any EU country
    /// for an EU market, the country itself for the UK and the US), and
    /// the region its postal service asks for (an Italian province, a US
    /// state).
    Consumer(crate::domain::market::Market),
    /// A refurbisher's warehouse for a market: the market's customs area.
    Warehouse(crate::domain::market::Market),
}

/// Field-by-field result: the address, or each field's problem.
pub fn parse_address(
    input: &AddressInput<'_>,
    rules: AddressRules,
) -> Result<PostalAddress, Vec<(&'static str, AddressError)>> {
    use crate::domain::market::Market;
    use crate::domain::postcode;
    let mut errors = Vec::new();
    let mut take = |field: &'static str, r: Result<String, AddressError>| match r {
        Ok(v) => v,
        Err(e) => {
            errors.push((field, e));
            String::new()
        }
    };
    let code = input.country.trim().to_ascii_uppercase();
    let name = match rules {
        AddressRules::Warehouse(_) => take(
            "warehouse_name",
            checked("the warehouse's name", input.name, 80, true),
        ),
        _ => take("address_name", checked("your name", input.name, 80, true)),
    };
    let line1 = take(
        "address_line1",
        checked("the street and number", input.line1, 100, true),
    );
    let line2 = take(
        "address_line2",
        checked("the address line 2", input.line2, 100, false),
    );
    let city = take("city", checked("the city", input.city, 60, true));
    let market = match rules {
        AddressRules::Company => None,
        AddressRules::Consumer(m) | AddressRules::Warehouse(m) => Some(m),
    };
    let country = take(
        "country",
        match (country_or_market_name(&code), market) {
            (None, _) => Err(AddressError::UnsupportedCountry),
            (Some(_), None) if country_name(&code).is_none() => {
                Err(AddressError::UnsupportedCountry)
            }
            (Some(name), Some(m)) if !m.may_ship_to(&code) => {
                Err(AddressError::OutsideCustomsArea(name))
            }
            _ => Ok(code),
        },
    );
    let postcode = if country.is_empty() {
        String::new()
    } else {
        take("postcode", parse_postcode(&country, input.postcode))
    };
    // Asked where the postal service needs it: a US state always, an
    // Italian province from the Italian market's consumers (Poste Italiane
    // writes it after the town; the other EU markets' forms have no such
    // field).
    let region_of = match (country.as_str(), rules) {
        ("US", _) => Some(Market::EnUs),
        ("IT", AddressRules::Consumer(Market::ItIt)) => Some(Market::ItIt),
        _ => None,
    };
    let region = match region_of {
        Some(m) => take(
            "region",
            postcode::parse_region(m, input.region)
                .map(Option::unwrap_or_default)
                .map_err(AddressError::from),
        ),
        None => String::new(),
    };
    if errors.is_empty() {
        Ok(PostalAddress {
            name,
            line1,
            line2,
            postcode,
            city,
            country,
            region,
        })
    } else {
        Err(errors)
    }
}

/// Countries an address may be in: ours, and the United Kingdom's and
/// the United States' (their markets' consumers and warehouses).
pub fn country_or_market_name(code: &str) -> Option<&'static str> {
    match code {
        "GB" => Some("United Kingdom"),
        "US" => Some("United States"),
        _ => country_name(code),
    }
}

impl PostalAddress {
    /// Lines as printed on a label.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![self.name.clone(), self.line1.clone()];
        if !self.line2.is_empty() {
            lines.push(self.line2.clone());
        }
        // As each postal service writes the town: Royal Mail puts the
        // postcode on a line of its own, USPS writes "CITY ST ZIP".
        match self.country.as_str() {
            "GB" => {
                lines.push(self.city.to_uppercase());
                lines.push(self.postcode.clone());
            }
            "US" => lines.push(format!(
                "{} {} {}",
                self.city.to_uppercase(),
                self.region,
                self.postcode
            )),
            _ => lines.push(format!("{} {}", self.postcode, self.city)),
        }
        lines.push(
            country_or_market_name(&self.country)
                .unwrap_or(&self.country)
                .to_uppercase(),
        );
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_in_its_markets_customs_area() {
        use crate::domain::market::Market;
        let fields = |country, postcode, region| AddressInput {
            name: "Renew Ltd",
            line1: "1 Dock Road",
            postcode,
            city: "Leeds",
            region,
            country,
            ..AddressInput::default()
        };
        let warehouse = |m, f: &AddressInput<'_>| parse_address(f, AddressRules::Warehouse(m));
        let uk = warehouse(Market::EnGb, &fields("gb", "ls1 4ap", "")).unwrap();
        assert_eq!(uk.postcode, "LS1 4AP");
        assert_eq!(uk.lines()[2..], ["LEEDS", "LS1 4AP", "UNITED KINGDOM"]);
        let fr_from_es = warehouse(Market::EsEs, &fields("FR", "69007", "")).unwrap();
        assert_eq!(fr_from_es.country, "FR");
        let fields_of = |r: Result<PostalAddress, Vec<(&'static str, AddressError)>>| {
            r.unwrap_err()
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields_of(warehouse(Market::FrFr, &fields("GB", "LS1 4AP", ""))),
            ["country"],
            "the UK is outside the EU's customs area"
        );
        assert_eq!(
            fields_of(warehouse(Market::EnUs, &fields("US", "7870", "Texas"))),
            ["postcode", "region"]
        );
        let us = warehouse(Market::EnUs, &fields("US", "78701-1234", "tx")).unwrap();
        assert_eq!(us.lines()[2], "LEEDS TX 78701-1234");

        // A consumer: the market's customs area, the province in Italy.
        let consumer = |m, f: &AddressInput<'_>| parse_address(f, AddressRules::Consumer(m));
        assert_eq!(
            fields_of(consumer(Market::EnGb, &fields("GB", "75002", ""))),
            ["postcode"],
            "a French postcode is not a UK one"
        );
        assert_eq!(
            fields_of(consumer(Market::ItIt, &fields("IT", "20144", ""))),
            ["region"]
        );
        let it = consumer(Market::ItIt, &fields("IT", "20144", "mi")).unwrap();
        assert_eq!(it.region, "MI");
        assert!(consumer(Market::FrFr, &fields("BE", "1040", "")).is_ok());
        assert!(
            consumer(Market::FrFr, &fields("IT", "20144", "")).is_ok(),
            "only the Italian market's form asks for the province"
        );
        assert_eq!(
            fields_of(parse_address(
                &fields("GB", "LS1 4AP", ""),
                AddressRules::Company
            )),
            ["country"],
            "a refurbisher signs up with an EU company"
        );
    }

    #[test]
    fn postcodes_per_country() {
        assert_eq!(parse_postcode("FR", " 75011 "), Ok("75011".into()));
        assert_eq!(parse_postcode("NL", "3072ap"), Ok("3072 AP".into()));
        assert_eq!(parse_postcode("IE", "d02x285"), Ok("D02 X285".into()));
        assert_eq!(parse_postcode("PT", "1100-148"), Ok("1100-148".into()));
        assert!(parse_postcode("FR", "7501").is_err());
        assert!(parse_postcode("DE", "ABCDE").is_err());
        assert!(parse_postcode("ES", "99000").is_err());
        assert_eq!(parse_postcode("US", "10001"), Ok("10001".into()));
        assert_eq!(parse_postcode("GB", "sw1a1aa"), Ok("SW1A 1AA".into()));
        assert_eq!(
            parse_postcode("CH", "8001"),
            Err(AddressError::UnsupportedCountry)
        );
    }

    #[test]
    fn characters_outside_ascii_are_a_wrong_postcode() {
        // Found by the fuzz target `postcode`: the Dutch and Portuguese
        // checks sliced inside a multi-byte character.
        for (country, input) in [
            ("NL", "é€1"),
            ("PT", "123€-1"),
            ("PT", "1234€1"),
            ("IE", "D0€X28"),
        ] {
            assert!(
                matches!(
                    parse_postcode(country, input),
                    Err(AddressError::BadPostcode(..))
                ),
                "{country} {input}"
            );
        }
    }

    #[test]
    fn addresses_collect_every_problem() {
        let input = |name, line1, postcode, city, country| AddressInput {
            name,
            line1,
            postcode,
            city,
            country,
            ..AddressInput::default()
        };
        let company = |i: AddressInput<'_>| parse_address(&i, AddressRules::Company);
        let ok = company(input(
            "Jane  Doe",
            "12 rue de la Paix",
            "75002",
            "Paris",
            "fr",
        ))
        .unwrap();
        assert_eq!(ok.name, "Jane Doe");
        assert_eq!(ok.country, "FR");
        assert_eq!(ok.lines().last().unwrap(), "FRANCE");
        let errs = company(input("", "", "1", "", "FR")).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            ["address_name", "address_line1", "city", "postcode"]
        );
        let errs = company(input("A", "B", "1", "C", "XX")).unwrap_err();
        assert_eq!(errs[0].0, "country");
    }
}
