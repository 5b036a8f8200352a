//! Integration tests: the real app, served on a free port, against a fresh
//! SQLite file and a fresh Postgres database. Run with
//! `cargo test --features ssr --test integration`.

mod endpoints;
mod fixtures;
mod harness;

mod access;
mod access_matrix;
mod account_links;
mod accounts;
mod concurrency;
mod conflict_language;
mod csrf;
mod deletion;
mod forms;
mod hostile_input;
mod instances;
mod kpi_markets;
mod locale_formats;
mod markets;
mod operations;
mod orders;
mod pages;
mod prices;
mod production;
mod resources;
mod secrets;
mod seed_data;
mod seller_api;
mod seller_api_orders;
mod staff_language;
mod startup;
mod trade_in_flow;
mod two_factor;
mod webhooks;
