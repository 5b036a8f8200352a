pub mod ops_dashboard;
pub mod seller_home;
