pub mod browse;
pub mod home;
pub mod markets;
pub mod search;
pub mod suggest;
