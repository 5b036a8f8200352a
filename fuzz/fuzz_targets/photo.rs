//! Photo sanitising on any bytes: it never panics, and what it accepts is
//! a clean photo of the same kind that sanitises again to itself (nothing
//! left to strip, nothing it would now refuse).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradein::platform::images::sanitize;

fuzz_target!(|data: &[u8]| {
    if let Ok(clean) = sanitize(data) {
        let again = sanitize(&clean.bytes).expect("a sanitised photo is accepted again");
        assert_eq!(again, clean);
    }
});
