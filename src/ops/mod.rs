//! The operations console (role `ops` only): the KPI dashboard, refurbisher
//! applications and quality, fraud review, alerts, claims and the audit log.

pub mod alerts;
pub mod audit;
pub mod claims;
pub mod dashboard;
pub mod fraud;
pub mod kpi_types;
pub mod quality;
pub mod quality_types;
pub mod sellers;
pub mod suspended;


