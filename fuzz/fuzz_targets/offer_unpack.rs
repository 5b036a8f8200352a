//! The offers repository's packed-candidate reader on any text: no panic,
//! and no more candidates than the text has.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradein::domain::money::Currency;
use tradein::features::offers::packed::unpack_candidates;

fuzz_target!(|packed: &str| {
    if let Ok(candidates) = unpack_candidates(packed, Currency::Gbp) {
        assert!(candidates.len() <= packed.matches(',').count() + 1);
    }
});
