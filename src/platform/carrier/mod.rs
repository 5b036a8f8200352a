//! Carriers issue tracking numbers for parcels. The built-in local carrier
//! numbers parcels itself (S10 layout with a check digit) and its tracking
//! events are recorded by the app as things happen; a real carrier is a new
//! implementation of `Carrier`, with its events fed to the same repository.

mod repo;

use crate::domain::address::PostalAddress;
use crate::domain::tracking::tracking_number;
use crate::platform::db::Db;
use crate::platform::BoxFuture;

pub struct ShipmentRequest<'a> {
    pub reference: &'a str,
    pub from: &'a PostalAddress,
    pub to: &'a PostalAddress,
}

#[derive(Debug, thiserror::Error)]
#[error("the carrier could not issue a label: {0}")]
pub struct CarrierError(pub String);

pub trait Carrier: Send + Sync + std::fmt::Debug {
    /// Printed on labels and shown to people.
    fn name(&self) -> &'static str;
    /// Registers a parcel and returns its tracking number.
    fn create_shipment<'a>(
        &'a self,
        request: &'a ShipmentRequest<'a>,
    ) -> BoxFuture<'a, Result<String, CarrierError>>;
}

#[derive(Debug, Clone)]
pub struct LocalCarrier {
    db: Db,
}

impl LocalCarrier {
    pub const CODE: &'static str = "local";

    pub fn new(db: Db) -> LocalCarrier {
        LocalCarrier { db }
    }
}

impl Carrier for LocalCarrier {
    fn name(&self) -> &'static str {
        "TradeIn Post"
    }

    fn create_shipment<'a>(
        &'a self,
        _request: &'a ShipmentRequest<'a>,
    ) -> BoxFuture<'a, Result<String, CarrierError>> {
        Box::pin(async move {
            // Its own statement, outside any caller's transaction: callers
            // ask for the number before taking the write lock.
            let serial = repo::next_serial(self.db.pool(), Self::CODE)
                .await
                .map_err(|e| CarrierError(e.to_string()))?;
            Ok(tracking_number("TI", (serial % 100_000_000) as u32))
        })
    }
}
