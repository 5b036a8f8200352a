//! Pure business rules shared by the server and the browser: no I/O, no sqlx.
//! Everything here compiles for wasm too, so a rule is written once.

pub mod account;
pub mod catalog;
pub mod grade;
pub mod money;
