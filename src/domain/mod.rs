//! Pure business rules shared by the server and the browser: no I/O, no sqlx.
//! Everything here compiles for wasm too, so a rule is written once.

pub mod account;
pub mod address;
pub mod alerts;
pub mod api_token;
pub mod audit;
pub mod bank_account;
pub mod catalog;
pub mod claims;
pub(crate) mod codes;
pub mod dates;
pub mod fraud;
pub mod grade;
pub mod grading;
pub mod iban;
pub mod identifiers;
pub mod ids;
pub mod kpi;
pub mod listing_price;
pub mod mail;
pub mod market;
pub mod money;
pub mod offer;
pub mod payout;
pub mod postcode;
pub mod price_csv;
pub mod price_import;
pub mod quality;
pub mod search;
pub mod seller;
pub mod seller_event;
pub mod sla;
pub mod tracking;
pub mod tradein;
pub mod two_factor;
pub mod user;
pub mod vat;

#[cfg(test)]
mod codes_test;
