//! The IMEI parser on any text: no panic, and an accepted IMEI is 15
//! digits that read back as themselves.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradein::domain::identifiers::Imei;

fuzz_target!(|input: &str| {
    if let Ok(imei) = Imei::parse(input) {
        assert!(imei.as_str().len() == 15 && imei.as_str().bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(Imei::parse(imei.as_str()), Ok(imei.clone()));
    }
});
