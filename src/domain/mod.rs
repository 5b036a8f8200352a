//! Pure business rules shared by the server and the browser: no I/O, no sqlx.
//! Everything here compiles for wasm too, so a rule is written once.

pub mod account;
pub mod address;
pub mod catalog;
pub mod dates;
pub mod grade;
pub mod grading;
pub mod iban;
pub mod identifiers;
pub mod listing_price;
pub mod money;
pub mod price_csv;
pub mod offer;
pub mod search;
pub mod sla;
pub mod tracking;
pub mod tradein;
pub mod vat;
