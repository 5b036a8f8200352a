pub mod account;
pub mod login;
pub mod reset;
pub mod sign_in_link;
pub mod signup;
pub mod two_factor;
