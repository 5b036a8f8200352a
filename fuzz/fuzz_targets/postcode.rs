//! The postcode parser on any text, for every country it knows and one it
//! does not (the first byte picks): no panic, and a postcode it accepts is
//! printed in a form it accepts again unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradein::domain::address::{parse_postcode, COUNTRIES};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    // Ours, then the UK and the US (their markets' formats), then one it
    // does not know.
    let others = ["GB", "US", "CH"];
    let i = usize::from(pick) % (COUNTRIES.len() + others.len());
    let country = match COUNTRIES.get(i) {
        Some((code, _)) => code,
        None => others[i - COUNTRIES.len()],
    };
    if let Ok(postcode) = parse_postcode(country, input) {
        assert_eq!(
            parse_postcode(country, &postcode).as_deref(),
            Ok(postcode.as_str())
        );
    }
});
