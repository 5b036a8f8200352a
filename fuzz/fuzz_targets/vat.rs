//! The VAT number parser on any text: no panic, and a number it accepts
//! is stored in a form it accepts again unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradein::domain::vat::parse_vat;

fuzz_target!(|input: &str| {
    if let Ok(vat) = parse_vat(input) {
        assert_eq!(parse_vat(&vat).as_deref(), Ok(vat.as_str()));
    }
});
