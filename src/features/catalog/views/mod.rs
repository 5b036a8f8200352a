pub mod browse;
pub mod home;
pub mod search;
pub mod suggest;
