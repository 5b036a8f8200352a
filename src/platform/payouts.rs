//! Paying consumers. The built-in provider is a ledger: each payout gets a
//! reference derived from its id (so a retried call gets the same one and
//! nothing is paid twice), moves pending -> sent when the refurbisher
//! confirms payment, and settled one business day later. A bank or payment
//! service is a new implementation of `PayoutProvider`.

use crate::domain::ids::PayoutId;
use crate::platform::BoxFuture;

pub struct PayoutOrder<'a> {
    /// Doubles as the idempotency key a real provider would receive.
    pub payout_id: PayoutId,
    pub amount: crate::domain::money::Money,
    pub trade_in_reference: &'a str,
}

pub trait PayoutProvider: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, order: &'a PayoutOrder<'a>) -> BoxFuture<'a, Result<String, String>>;
}

#[derive(Debug, Default)]
pub struct LedgerPayouts;

impl PayoutProvider for LedgerPayouts {
    fn send<'a>(&'a self, order: &'a PayoutOrder<'a>) -> BoxFuture<'a, Result<String, String>> {
        Box::pin(async move { Ok(format!("LEDGER-{:08}", order.payout_id.get())) })
    }
}
