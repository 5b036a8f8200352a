//! CSV files people download and open in a spreadsheet, written with the
//! `csv` crate (quoting, line ends) and made safe to open.
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
//! is read as a formula by Excel, LibreOffice and Google Sheets, so text a
//! refurbisher or a consumer typed (a company name, a note) could run one
//! on an operator's machine (OWASP "CSV injection"). Such cells get a
//! leading `'`, which spreadsheets show as text. A plain number ("-12",
//! "+3.5") is left as it is, so it stays a number.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A CSV file being written, one row at a time.
pub struct CsvFile {
    writer: ::csv::Writer<Vec<u8>>,
}

impl CsvFile {
    pub fn new() -> Self {
        CsvFile {
            writer: ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new()),
        }
    }

    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells.into_iter().map(|c| neutralised(c.as_ref())).collect();
        // Writing into memory cannot fail.
        self.writer
            .write_record(&cells)
            .expect("CSV row into memory");
    }

    pub fn finish(self) -> String {
        let bytes = self.writer.into_inner().expect("CSV into memory");
        String::from_utf8(bytes).expect("CSV of UTF-8 cells")
    }
}

impl Default for CsvFile {
    fn default() -> Self {
        Self::new()
    }
}

/// The cell as a spreadsheet should show it: as text, never as a formula.
pub fn neutralised(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A CSV file to save, never cached (it is someone's own data).
pub fn attachment(file_name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        assert_eq!(
            neutralised("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralised("+5.0 pts"), "'+5.0 pts");
        assert_eq!(neutralised("-2+3"), "'-2+3");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("\tcmd"), "'\tcmd");
        assert_eq!(neutralised("-12"), "-12");
        assert_eq!(neutralised("+3.5"), "+3.5");
        assert_eq!(neutralised("Alpha Refurb"), "Alpha Refurb");
        assert_eq!(neutralised(""), "");
    }

    #[test]
    fn cells_are_quoted_where_they_must_be() {
        let mut f = CsvFile::new();
        f.row(["name", "note"]);
        f.row(["Dupont, Fils", "said \"no\"\nthen yes"]);
        f.row(["=1+1", "-7"]);
        assert_eq!(
            f.finish(),
            "name,note\n\"Dupont, Fils\",\"said \"\"no\"\"\nthen yes\"\n'=1+1,-7\n"
        );
    }
}
