//! The IBAN parser on any text: no panic, an accepted IBAN reads back as
//! itself, and masking it for screens works.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradein::domain::iban::Iban;

fuzz_target!(|input: &str| {
    if let Ok(iban) = Iban::parse(input) {
        assert_eq!(Iban::parse(iban.as_str()).as_ref(), Ok(&iban));
        let _ = (iban.country(), iban.masked());
    }
});
