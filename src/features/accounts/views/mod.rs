pub mod login;
pub mod session;
pub mod signup;
