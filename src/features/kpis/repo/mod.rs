pub mod ops_kpis;
pub mod queues;
pub mod rollup;
pub mod seller_kpis;
pub mod targets;
