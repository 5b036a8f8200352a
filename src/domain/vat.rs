//! EU VAT identification numbers: the format of each member state (the
//! country prefix and the shape of what follows). Whether the number is
//! registered is VIES's business, not a format check's.

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VatError {
    #[error("enter the company's VAT number, e.g. FR40303265045")]
    Empty,
    #[error("a VAT number starts with the two-letter country code, e.g. DE123456789")]
    NoCountry,
    #[error("{0} is not an EU country code for VAT (Greece uses EL)")]
    UnknownCountry(String),
    #[error("this is not the format of a {country} VAT number ({example})")]
    BadFormat {
        country: String,
        example: &'static str,
    },
}

/// One token of a format: `9` a digit, `A` a letter, `X` a letter or digit,
/// any other character itself.
struct Format {
    country: &'static str,
    patterns: &'static [&'static str],
    example: &'static str,
}

const FORMATS: [Format; 27] = [
    Format {
        country: "AT",
        patterns: &["U99999999"],
        example: "ATU12345678",
    },
    Format {
        country: "BE",
        patterns: &["0999999999", "1999999999"],
        example: "BE0123456789",
    },
    Format {
        country: "BG",
        patterns: &["999999999", "9999999999"],
        example: "BG123456789",
    },
    Format {
        country: "CY",
        patterns: &["99999999A"],
        example: "CY12345678X",
    },
    Format {
        country: "CZ",
        patterns: &["99999999", "999999999", "9999999999"],
        example: "CZ12345678",
    },
    Format {
        country: "DE",
        patterns: &["999999999"],
        example: "DE123456789",
    },
    Format {
        country: "DK",
        patterns: &["99999999"],
        example: "DK12345678",
    },
    Format {
        country: "EE",
        patterns: &["999999999"],
        example: "EE123456789",
    },
    Format {
        country: "EL",
        patterns: &["999999999"],
        example: "EL123456789",
    },
    Format {
        country: "ES",
        patterns: &["X9999999X"],
        example: "ESB12345678",
    },
    Format {
        country: "FI",
        patterns: &["99999999"],
        example: "FI12345678",
    },
    Format {
        country: "FR",
        patterns: &["XX999999999"],
        example: "FR40303265045",
    },
    Format {
        country: "HR",
        patterns: &["99999999999"],
        example: "HR12345678901",
    },
    Format {
        country: "HU",
        patterns: &["99999999"],
        example: "HU12345678",
    },
    Format {
        country: "IE",
        patterns: &["9999999A", "9999999AA", "9A99999A"],
        example: "IE1234567T",
    },
    Format {
        country: "IT",
        patterns: &["99999999999"],
        example: "IT12345678901",
    },
    Format {
        country: "LT",
        patterns: &["999999999", "999999999999"],
        example: "LT123456789",
    },
    Format {
        country: "LU",
        patterns: &["99999999"],
        example: "LU12345678",
    },
    Format {
        country: "LV",
        patterns: &["99999999999"],
        example: "LV12345678901",
    },
    Format {
        country: "MT",
        patterns: &["99999999"],
        example: "MT12345678",
    },
    Format {
        country: "NL",
        patterns: &["999999999B99"],
        example: "NL123456789B01",
    },
    Format {
        country: "PL",
        patterns: &["9999999999"],
        example: "PL1234567890",
    },
    Format {
        country: "PT",
        patterns: &["999999999"],
        example: "PT123456789",
    },
    Format {
        country: "RO",
        patterns: &[
            "99",
            "999",
            "9999",
            "99999",
            "999999",
            "9999999",
            "99999999",
            "999999999",
            "9999999999",
        ],
        example: "RO1234567",
    },
    Format {
        country: "SE",
        patterns: &["999999999901"],
        example: "SE123456789701",
    },
    Format {
        country: "SI",
        patterns: &["99999999"],
        example: "SI12345678",
    },
    Format {
        country: "SK",
        patterns: &["9999999999"],
        example: "SK1234567890",
    },
];

fn matches(pattern: &str, body: &str) -> bool {
    pattern.len() == body.len()
        && pattern.chars().zip(body.chars()).all(|(p, c)| match p {
            '9' => c.is_ascii_digit(),
            'A' => c.is_ascii_uppercase(),
            'X' => c.is_ascii_uppercase() || c.is_ascii_digit(),
            literal => c == literal,
        })
}

/// Normalises (spaces, dots and dashes removed, upper case) and checks the
/// format; returns the number as stored, e.g. `FR40303265045`.
pub fn parse_vat(input: &str) -> Result<String, VatError> {
    let vat: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect::<String>()
        .to_ascii_uppercase();
    if vat.is_empty() {
        return Err(VatError::Empty);
    }
    // `get`, not slicing: a first character outside ASCII must be refused,
    // not split in the middle.
    if vat.len() < 4
        || !vat
            .get(..2)
            .is_some_and(|c| c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Err(VatError::NoCountry);
    }

    let (country, body) = vat.split_at(2);
    let format = FORMATS
        .iter()
        .find(|f| f.country == country)
        .ok_or_else(|| VatError::UnknownCountry(country.to_string()))?;
    if format.patterns.iter().any(|p| matches(p, body)) {
        Ok(vat)
    } else {
        Err(VatError::BadFormat {
            country: country.to_string(),
            example: format.example,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_country_example_is_valid() {
        for f in &FORMATS {
            assert_eq!(
                parse_vat(f.example).as_deref(),
                Ok(f.example),
                "{}",
                f.country
            );
        }
    }

    #[test]
    fn demo_sellers_vat_numbers_are_valid() {
        for vat in [
            "FR40123456789",
            "DE123456789",
            "NL123456789B01",
            "ESB12345678",
            "IT12345678901",
            "FR83987654321",
            "BE0123456789",
        ] {
            assert!(parse_vat(vat).is_ok(), "{vat}");
        }
    }

    #[test]
    fn people_write_them_with_spaces() {
        assert_eq!(
            parse_vat("fr 40 303 265 045").as_deref(),
            Ok("FR40303265045")
        );
        assert_eq!(
            parse_vat("NL 1234.56789.B01").as_deref(),
            Ok("NL123456789B01")
        );
    }

    #[test]
    fn wrong_formats_are_named() {
        assert_eq!(parse_vat(""), Err(VatError::Empty));
        assert_eq!(parse_vat("123456789"), Err(VatError::NoCountry));
        assert_eq!(
            parse_vat("GR123456789"),
            Err(VatError::UnknownCountry("GR".into()))
        );
        assert_eq!(
            parse_vat("US123456789"),
            Err(VatError::UnknownCountry("US".into()))
        );
        assert!(matches!(
            parse_vat("DE12345678"),
            Err(VatError::BadFormat { .. })
        ));
        assert!(matches!(
            parse_vat("NL123456789X01"),
            Err(VatError::BadFormat { .. })
        ));
        assert!(matches!(
            parse_vat("ATU1234567"),
            Err(VatError::BadFormat { .. })
        ));
    }

    #[test]
    fn letters_outside_ascii_are_refused_not_split() {
        // Found by the fuzz target `vat`: the country check sliced bytes.
        assert_eq!(parse_vat("é123456789"), Err(VatError::NoCountry));
        assert_eq!(parse_vat("Fé123456789"), Err(VatError::NoCountry));
        assert!(matches!(
            parse_vat("FR1234567é9"),
            Err(VatError::BadFormat { .. })
        ));
    }
}
