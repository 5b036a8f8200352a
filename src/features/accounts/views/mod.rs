pub mod login;
pub mod sign_in_link;
pub mod signup;
