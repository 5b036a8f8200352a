pub mod login_attempts;
pub mod users;
