//! The price grid as CSV: `market,variant_sku,grade,price,currency,weekly_cap`,
//! each price in its market's currency (the currency column says which,
//! and may be left empty). The first format, `variant_sku,grade,price_eur,
//! weekly_cap`, still reads: its rows are the refurbisher's home market.
//! Reading accepts what spreadsheets write: `;` separators with decimal
//! commas (French and German Excel), quoted fields, a byte-order mark, CRLF.
//! Every bad row is reported with its line number and reason; nothing is
//! applied here (the caller previews, then applies all-or-nothing).
//!
//! Fields are read by `csv_core` one line at a time rather than by a reader
//! of the whole file: a stray quote from a spreadsheet then spoils its own
//! line, reported with its number, where a whole-file reader would carry the
//! quoted field on through every line after it and report one bad row.

use super::catalog::is_slug;
use super::grade::Grade;
use super::listing_price::{parse_price, PriceError};
use super::market::Market;
use super::money::{Currency, Money};

pub const HEADER: [&str; 6] = [
    "market",
    "variant_sku",
    "grade",
    "price",
    "currency",
    "weekly_cap",
];
/// The first format, one market in euros.
pub const HEADER_WITHOUT_MARKET: [&str; 4] = ["variant_sku", "grade", "price_eur", "weekly_cap"];
pub const MAX_WEEKLY_CAP: i64 = 100_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceRow {
    pub line: usize,
    pub market: Market,
    pub sku: String,
    pub grade: Grade,
    /// None: the row asks to stop buying (remove the listing). In the
    /// market's currency.
    pub price: Option<Money>,
    pub weekly_cap: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct RowError {
    pub line: usize,
    pub problem: RowProblem,
}

/// Why one row of a price file is refused. A value, not a sentence: the
/// areas write it in their reader's language and the API gives its `code`.
/// `Display` is the English sentence, for logs and tests.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RowProblem {
    #[error("a quote is not closed")]
    QuoteNotClosed,
    #[error("expected {expected} fields separated by '{separator}', found {found}")]
    FieldCount {
        expected: usize,
        separator: char,
        found: usize,
    },
    #[error("\"{0}\" is not a market; use one of {markets}", markets = Market::ALL.map(Market::code).join(", "))]
    UnknownMarket(String),
    #[error("prices in {} are in {}, not \"{found}\"", market.code(), market.currency().code())]
    WrongCurrency { market: Market, found: String },
    #[error("\"{0}\" is not a variant SKU")]
    NotASku(String),
    #[error("unknown grade \"{0}\"")]
    UnknownGrade(String),
    #[error("price: {}", .0.in_currency(*.1))]
    Price(PriceError, Currency),
    #[error("weekly cap: a whole number from 0 to {MAX_WEEKLY_CAP}, or empty for no cap")]
    WeeklyCap,
    #[error("you do not buy in {}: add it to your markets first", .0.code())]
    NotBuyingIn(Market),
    #[error("unknown variant SKU \"{0}\"")]
    UnknownSku(String),
    #[error("{sku} is not sold in {} ({}): no consumer there can sell it", market.name(), market.code())]
    NotSoldIn { sku: String, market: Market },
    #[error("{sku} {} in {} is already on line {first_line}", grade.code(), market.code())]
    Duplicate {
        sku: String,
        grade: Grade,
        market: Market,
        first_line: usize,
    },
}

impl RowProblem {
    /// A stable machine name, for the API's per-row errors.
    pub fn code(&self) -> &'static str {
        match self {
            RowProblem::QuoteNotClosed => "quote_not_closed",
            RowProblem::FieldCount { .. } => "field_count",
            RowProblem::UnknownMarket(_) => "unknown_market",
            RowProblem::WrongCurrency { .. } => "wrong_currency",
            RowProblem::NotASku(_) => "not_a_sku",
            RowProblem::UnknownGrade(_) => "unknown_grade",
            RowProblem::Price(..) => "price",
            RowProblem::WeeklyCap => "weekly_cap",
            RowProblem::NotBuyingIn(_) => "market_not_bought_in",
            RowProblem::UnknownSku(_) => "unknown_sku",
            RowProblem::NotSoldIn { .. } => "not_sold_in_market",
            RowProblem::Duplicate { .. } => "duplicate_row",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "the first line must be the header market,variant_sku,grade,price,currency,weekly_cap (found \"{0}\")"
    )]
    BadHeader(String),
    /// A file without a market column in a home market that does not pay
    /// in euros: its `price_eur` cannot be that market's price.
    #[error("this file has no market column and its prices are in EUR, but your home market pays in {}: add the market and currency columns (export your prices to see them)", .0.code())]
    EurosOutsideTheEuro(Currency),
    #[error("the header mixes ',' and ';' separators; use one of them")]
    MixedSeparators,
}

/// At most this many bad rows are kept with their reason; all are counted.
/// A file of millions of bad lines then costs a number, not millions of
/// strings.
pub const KEPT_ERRORS: usize = 500;

/// The first `KEPT_ERRORS` bad rows in the order found, and how many there
/// are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowErrors {
    first: Vec<RowError>,
    count: usize,
}

impl RowErrors {
    pub fn push(&mut self, e: RowError) {
        self.count += 1;
        if self.first.len() < KEPT_ERRORS {
            self.first.push(e);
        }
    }

    pub fn first(&self) -> &[RowError] {
        &self.first
    }

    pub fn count(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Both lists, the first `KEPT_ERRORS` by line. Each was found in line
    /// order, so the rows each kept hold every one of the first overall.
    pub fn merge(self, other: RowErrors) -> RowErrors {
        let mut first = self.first;
        first.extend(other.first);
        first.sort_by_key(|e| e.line);
        first.truncate(KEPT_ERRORS);
        RowErrors {
            first,
            count: self.count + other.count,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub rows: Vec<PriceRow>,
    pub errors: RowErrors,
    /// The file had no market column: every row is the home market's.
    pub without_market: bool,
}

/// The fields of one line at a time, trimmed. One parser and its buffers
/// serve every line of a file.
struct Fields {
    reader: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl Fields {
    fn new(sep: u8) -> Fields {
        Fields {
            // Only `\n` ends a record, and lines come without it: a lone
            // `\r` inside a line stays a character of its field.
            reader: csv_core::ReaderBuilder::new()
                .delimiter(sep)
                .terminator(csv_core::Terminator::Any(b'\n'))
                .build(),
            out: vec![0; 256],
            ends: vec![0; 8],
        }
    }

    fn split(&mut self, line: &str) -> Vec<String> {
        use csv_core::ReadRecordResult as Read;
        self.reader.reset();
        let mut input = line.as_bytes();
        let (mut written, mut fields) = (0, 0);
        loop {
            let (read, taken, out, ends) =
                self.reader
                    .read_record(input, &mut self.out[written..], &mut self.ends[fields..]);
            input = &input[taken..];
            written += out;
            fields += ends;
            match read {
                // The next call passes the empty rest, which ends the record.
                Read::InputEmpty => {}
                Read::OutputFull => self.out.resize(self.out.len() * 2, 0),
                Read::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                Read::Record | Read::End => break,
            }
        }
        let mut start = 0;
        self.ends[..fields]
            .iter()
            .map(|&end| {
                let field = String::from_utf8_lossy(&self.out[start..end])
                    .trim()
                    .to_string();
                start = end;
                field
            })
            .collect()
    }
}

/// `home`: the market of rows in a file without a market column.
pub fn parse(text: &str, home: Market) -> Result<Parsed, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or(FileError::Empty)?;
    let header = header.trim();
    let sep = match (header.contains(','), header.contains(';')) {
        (true, true) => return Err(FileError::MixedSeparators),
        (false, true) => ';',
        _ => ',',
    };
    let mut splitter = Fields::new(sep as u8);
    let names: Vec<String> = splitter
        .split(header)
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let without_market = if names == HEADER {
        false
    } else if names == HEADER_WITHOUT_MARKET {
        if home.currency() != Currency::Eur {
            return Err(FileError::EurosOutsideTheEuro(home.currency()));
        }
        true
    } else {
        return Err(FileError::BadHeader(header.chars().take(80).collect()));
    };
    let columns = names.len();
    let mut parsed = Parsed {
        without_market,
        ..Parsed::default()
    };
    for (index, raw) in lines {
        let line = index + 1;
        let mut fail = |problem: RowProblem| parsed.errors.push(RowError { line, problem });
        let fields = splitter.split(raw);
        if fields.len() != columns {
            // An odd number of quotes: one was opened and never closed,
            // which took the rest of the line into one field.
            fail(if raw.matches('"').count() % 2 == 1 {
                RowProblem::QuoteNotClosed
            } else {
                RowProblem::FieldCount {
                    expected: columns,
                    separator: sep,
                    found: fields.len(),
                }
            });
            continue;
        }
        let row = if without_market {
            read_row(
                line,
                RowFields {
                    market: None,
                    currency: "",
                    sku: &fields[0],
                    grade: &fields[1],
                    price: &fields[2],
                    weekly_cap: &fields[3],
                },
                home,
            )
        } else {
            read_row(
                line,
                RowFields {
                    market: Some(&fields[0]),
                    currency: &fields[4],
                    sku: &fields[1],
                    grade: &fields[2],
                    price: &fields[3],
                    weekly_cap: &fields[5],
                },
                home,
            )
        };
        match row {
            Ok(row) => parsed.rows.push(row),
            Err(problem) => fail(problem),
        }
    }
    Ok(parsed)
}

/// One row's fields as text, from a CSV line or an API request.
#[derive(Clone, Copy, Debug)]
pub struct RowFields<'a> {
    /// None: the file has no market column (the home market's row).
    pub market: Option<&'a str>,
    /// May be empty: the market's currency.
    pub currency: &'a str,
    pub sku: &'a str,
    pub grade: &'a str,
    /// Empty: stop buying.
    pub price: &'a str,
    /// Empty: no cap.
    pub weekly_cap: &'a str,
}

/// One row checked as every price file's rows are: the first problem wins.
pub fn read_row(line: usize, f: RowFields<'_>, home: Market) -> Result<PriceRow, RowProblem> {
    let market = match f.market {
        None => home,
        Some(code) => {
            let code = code.trim().to_ascii_lowercase();
            let market = Market::parse(&code)
                .ok_or_else(|| RowProblem::UnknownMarket(code.chars().take(20).collect()))?;
            let currency = f.currency.trim();
            if !currency.is_empty() && !currency.eq_ignore_ascii_case(market.currency().code()) {
                return Err(RowProblem::WrongCurrency {
                    market,
                    found: currency.chars().take(10).collect(),
                });
            }
            market
        }
    };
    let sku = f.sku.trim().to_ascii_lowercase();
    if !is_slug(&sku) {
        return Err(RowProblem::NotASku(f.sku.trim().chars().take(40).collect()));
    }
    let grade = Grade::parse(f.grade).map_err(|e| RowProblem::UnknownGrade(e.0))?;
    let price = match f.price.trim() {
        "" => None,
        text => Some(Money::new(
            parse_price(text).map_err(|e| RowProblem::Price(e, market.currency()))?,
            market.currency(),
        )),
    };
    let weekly_cap = match f.weekly_cap.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(c) if (0..=MAX_WEEKLY_CAP).contains(&c) => Some(c),
            _ => return Err(RowProblem::WeeklyCap),
        },
    };
    Ok(PriceRow {
        line,
        market,
        sku,
        grade,
        price,
        weekly_cap,
    })
}

/// One row for export, in `HEADER`'s order and the form `parse` reads back.
pub fn export_row(
    market: Market,
    sku: &str,
    grade: Grade,
    price: Money,
    weekly_cap: Option<i64>,
) -> [String; 6] {
    [
        market.code().to_string(),
        sku.to_string(),
        grade.code().to_string(),
        price.field_text(),
        price.currency().code().to_string(),
        weekly_cap.map(|c| c.to_string()).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_export_format_back() {
        let line = export_row(
            Market::EnGb,
            "iphone-13-128gb",
            Grade::FunctionalGood,
            Money::new(31_250, Currency::Gbp),
            Some(20),
        )
        .join(",");
        assert_eq!(line, "en-gb,iphone-13-128gb,functional_good,312.50,GBP,20");
        let parsed = parse(&format!("{}\n{line}\n", HEADER.join(",")), Market::FrFr).unwrap();
        assert!(parsed.errors.is_empty());
        assert!(!parsed.without_market);
        assert_eq!(
            parsed.rows,
            vec![PriceRow {
                line: 2,
                market: Market::EnGb,
                sku: "iphone-13-128gb".into(),
                grade: Grade::FunctionalGood,
                price: Some(Money::new(31_250, Currency::Gbp)),
                weekly_cap: Some(20)
            }]
        );
    }

    #[test]
    fn a_file_without_markets_is_the_home_market_in_euros() {
        let old = "variant_sku,grade,price_eur,weekly_cap\nx-64gb,functional_good,12,\n";
        let parsed = parse(old, Market::DeDe).unwrap();
        assert!(parsed.without_market);
        assert_eq!(parsed.rows[0].market, Market::DeDe);
        assert_eq!(parsed.rows[0].price, Some(Money::eur(1_200)));
        assert_eq!(
            parse(old, Market::EnUs),
            Err(FileError::EurosOutsideTheEuro(Currency::Usd)),
            "dollars are never read from a price_eur column"
        );
    }

    #[test]
    fn a_price_out_of_bounds_names_its_market_currency() {
        let parsed = parse(
            "market,variant_sku,grade,price,currency,weekly_cap\n\
             en-gb,x-64gb,functional_good,0.50,,\n\
             en-us,x-64gb,functional_good,9000,USD,\n",
            Market::FrFr,
        )
        .unwrap();
        let reasons: Vec<String> = parsed
            .errors
            .first()
            .iter()
            .map(|e| e.problem.to_string())
            .collect();
        assert_eq!(
            reasons,
            [
                "price: the lowest price is 1 GBP",
                "price: the highest price is 5,000 USD"
            ]
        );
    }

    #[test]
    fn a_market_or_currency_that_does_not_fit_is_a_row_error() {
        let text = "market;variant_sku;grade;price;currency;weekly_cap\n\
            fr-fr;x-64gb;functional_good;12;;\n\
            en-us;x-64gb;functional_good;12;EUR;\n\
            xx-yy;x-64gb;functional_good;12;;\n\
            ES-ES;x-64gb;functional_good;12,50;eur;3\n";
        let parsed = parse(text, Market::FrFr).unwrap();
        let lines: Vec<usize> = parsed.errors.first().iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4]);
        assert_eq!(
            parsed.errors.first()[0].problem.to_string(),
            "prices in en-us are in USD, not \"EUR\""
        );
        assert!(parsed.errors.first()[1]
            .problem
            .to_string()
            .contains("not a market"));
        assert_eq!(
            parsed
                .rows
                .iter()
                .map(|r| (r.market, r.price))
                .collect::<Vec<_>>(),
            vec![
                (Market::FrFr, Some(Money::eur(1_200))),
                (Market::EsEs, Some(Money::eur(1_250)))
            ]
        );
    }

    #[test]
    fn reads_french_spreadsheets() {
        let text = "\u{feff}variant_sku;grade;price_eur;weekly_cap\r\nIPHONE-13-128GB;FunctionalGood;312,50;\r\n\"ps5-825gb\";functional_used;\"1 199,00\";5\r\n";
        let parsed = parse(text, Market::FrFr).unwrap();
        assert!(parsed.errors.is_empty());
        assert_eq!(parsed.rows[0].sku, "iphone-13-128gb");
        assert_eq!(parsed.rows[0].price, Some(Money::eur(31_250)));
        assert_eq!(parsed.rows[0].weekly_cap, None);
        assert_eq!(parsed.rows[1].price, Some(Money::eur(119_900)));
    }

    #[test]
    fn an_empty_price_stops_buying() {
        let parsed = parse(
            "variant_sku,grade,price_eur,weekly_cap\nx-64gb,functional_good,,\n",
            Market::FrFr,
        )
        .unwrap();
        assert_eq!(parsed.rows[0].price, None);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = "variant_sku,grade,price_eur,weekly_cap\n\
            ok-64gb,functional_good,10,\n\
            bad sku,functional_good,10,\n\
            ok-64gb,like_new,10,\n\
            ok-64gb,functional_good,-3,\n\
            ok-64gb,functional_good,0.5,\n\
            ok-64gb,functional_good,9999,\n\
            ok-64gb,functional_good,10.001,\n\
            ok-64gb,functional_good,ten,\n\
            ok-64gb,functional_good,10,-1\n\
            ok-64gb,functional_good,10\n\
            \"unclosed,functional_good,10,\n";
        let parsed = parse(text, Market::FrFr).unwrap();
        assert_eq!(parsed.rows.len(), 1);
        let lines: Vec<usize> = parsed.errors.first().iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        assert!(parsed.errors.first()[1]
            .problem
            .to_string()
            .contains("unknown grade"));
        assert!(parsed.errors.first()[4]
            .problem
            .to_string()
            .contains("5,000"));
        assert!(parsed.errors.first()[5]
            .problem
            .to_string()
            .contains("whole cents"));
        assert_eq!(
            parsed.errors.first()[9].problem.to_string(),
            "a quote is not closed"
        );
    }

    #[test]
    fn a_stray_quote_spoils_its_own_line_only() {
        let text = "variant_sku,grade,price_eur,weekly_cap\n\
            \"ok-64gb,functional_good,10,\n\
            ok-64gb,functional_good,\"1,5\",\"\"\"\"\n\
            ok-128gb,functional_good,\"12\",\"3\"\n";
        let parsed = parse(text, Market::FrFr).unwrap();
        let lines: Vec<usize> = parsed.errors.first().iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3], "{:?}", parsed.errors);
        assert_eq!(
            parsed.errors.first()[0].problem.to_string(),
            "a quote is not closed"
        );
        assert!(
            parsed.errors.first()[1]
                .problem
                .to_string()
                .starts_with("weekly cap"),
            "a quoted separator stays in its field, and a doubled quote is a quote: {:?}",
            parsed.errors.first()[1]
        );
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].line, 4);
        assert_eq!(parsed.rows[0].price, Some(Money::eur(1_200)));
        assert_eq!(parsed.rows[0].weekly_cap, Some(3));
    }

    #[test]
    fn wrong_files_are_refused_whole() {
        assert_eq!(parse("", Market::FrFr), Err(FileError::Empty));
        assert!(matches!(
            parse("sku,grade,price\nx,y,z", Market::FrFr),
            Err(FileError::BadHeader(_))
        ));
        assert_eq!(
            parse("variant_sku,grade;price_eur,weekly_cap\n", Market::FrFr),
            Err(FileError::MixedSeparators)
        );
        let garbage: String = (0..10_000)
            .map(|i| char::from(b'!' + (i % 90) as u8))
            .collect();
        assert!(parse(&garbage, Market::FrFr).is_err());
    }

    #[test]
    fn a_flood_of_bad_lines_keeps_a_count_not_every_reason() {
        let mut text = String::from("variant_sku,grade,price_eur,weekly_cap\n");
        for _ in 0..20_000 {
            text.push_str("iphone-13-128gb,nonsense,1,\n");
        }
        let parsed = parse(&text, Market::FrFr).unwrap();
        assert_eq!(parsed.errors.count(), 20_000);
        assert_eq!(parsed.errors.first().len(), KEPT_ERRORS);
        assert_eq!(parsed.errors.first()[0].line, 2);
        assert_eq!(parsed.errors.first()[KEPT_ERRORS - 1].line, KEPT_ERRORS + 1);
    }

    #[test]
    fn merged_errors_are_the_first_by_line_of_both() {
        let mut early = RowErrors::default();
        let mut late = RowErrors::default();
        for line in 0..KEPT_ERRORS * 2 {
            let e = RowError {
                line,
                problem: RowProblem::WeeklyCap,
            };
            if line % 2 == 0 {
                early.push(e);
            } else {
                late.push(e);
            }
        }
        let both = early.merge(late);
        assert_eq!(both.count(), KEPT_ERRORS * 2);
        let lines: Vec<usize> = both.first().iter().map(|e| e.line).collect();
        assert_eq!(lines, (0..KEPT_ERRORS).collect::<Vec<_>>());
    }
}
