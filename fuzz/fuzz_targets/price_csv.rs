//! The price grid's CSV reader on any text: it never panics, keeps at most
//! `KEPT_ERRORS` reasons whatever the file, and reads no more rows and
//! errors than the file has lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradein::domain::market::Market;
use tradein::domain::price_csv::{parse, KEPT_ERRORS};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A home market outside the euro refuses files without a market column.
    let home = if text.len() % 2 == 0 { Market::FrFr } else { Market::EnGb };
    if let Ok(parsed) = parse(text, home) {
        assert!(parsed.errors.first().len() <= KEPT_ERRORS);
        assert!(parsed.errors.first().len() <= parsed.errors.count());
        assert!(parsed.rows.len() + parsed.errors.count() <= text.lines().count());
    }
});
