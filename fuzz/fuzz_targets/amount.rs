//! The amount parser on any text: no panic (nor overflow: the script
//! builds with debug assertions), never a negative amount, and an amount
//! reads back from its form-field text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradein::domain::money::{parse_amount_minor, Money};

fuzz_target!(|input: &str| {
    if let Ok(minor) = parse_amount_minor(input) {
        assert!(minor >= 0);
        assert_eq!(
            parse_amount_minor(&Money::eur(minor).field_text()),
            Ok(minor)
        );
    }
});
