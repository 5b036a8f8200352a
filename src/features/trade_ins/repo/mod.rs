pub mod shipments;
pub mod trade_ins;
