pub mod accept;
pub mod model_page;
pub mod offer_page;
