//! The price grid repository's packed-cell reader on any text: no panic,
//! and no more cells than the text has.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradein::features::pricing::packed::unpack_cells;

fuzz_target!(|packed: &str| {
    if let Ok(cells) = unpack_cells(packed) {
        assert!(cells.len() <= packed.matches(',').count() + 1);
    }
});
