pub mod account_links;
pub mod login_attempts;
pub mod sign_in_links;
pub mod two_factor;
pub mod users;
