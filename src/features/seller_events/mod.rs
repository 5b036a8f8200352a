//! What a refurbisher's systems hear about: events on its orders and
//! listings, read from the seller API's feed or pushed to its webhook
//! endpoints, signed per Standard Webhooks; and the area's webhooks page
//! (`/seller/api`), with each endpoint's delivery log and "send again".

#[cfg(feature = "ssr")]
mod emails;
#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An endpoint as the webhooks page lists it, with its latest deliveries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointView {
    pub id: i64,
    pub url: String,
    pub kinds: Vec<String>,
    /// Why it was disabled; None while it is on.
    pub disabled: Option<String>,
    pub created: String,
    pub deliveries: Vec<DeliveryView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: i64,
    pub event: String,
    pub kind: String,
    pub state: String,
    pub attempts: i64,
    /// The last answer's status code, or why there was none.
    pub last: Option<String>,
    pub next: Option<String>,
    pub created: String,
}

/// `webhook_form!(field => "code", …)`: the new-endpoint form, a box per
/// event kind named after its code (dots do not travel in field names).
macro_rules! webhook_form {
    ($($field:ident => $code:literal),+ $(,)?) => {
        /// The new-endpoint form, as posted: the address and a box per kind.
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct WebhookForm {
            pub url: String,
            $(pub $field: Option<String>,)+
        }

        impl WebhookForm {
            /// The codes of the kinds ticked.
            pub fn ticked(&self) -> Vec<&'static str> {
                let mut codes = Vec::new();
                $(if self.$field.is_some() { codes.push($code); })+
                codes
            }
        }

        /// (box name, kind code) of every kind, in the form's order.
        pub const KIND_BOXES: &[(&str, &str)] = &[$((stringify!($field), $code)),+];
    };
}

webhook_form! {
    order_created => "order.created",
    order_shipped => "order.shipped",
    order_received => "order.received",
    order_inspecting => "order.inspecting",
    order_counter_offered => "order.counter_offered",
    order_counter_offer_accepted => "order.counter_offer_accepted",
    order_counter_offer_declined => "order.counter_offer_declined",
    order_validated => "order.validated",
    order_paid => "order.paid",
    order_suspended => "order.suspended",
    order_return_requested => "order.return_requested",
    order_returned => "order.returned",
    order_expired => "order.expired",
    order_cancelled => "order.cancelled",
    order_lost => "order.lost",
    claim_opened => "claim.opened",
    payout_settled => "payout.settled",
    listing_capped => "listing.capped",
    listing_updated => "listing.updated",
    listings_imported => "listings.imported",
}

#[server(prefix = "/api", endpoint = "webhook_endpoints")]
pub async fn load_webhook_endpoints() -> Result<Vec<EndpointView>, AppError> {
    use crate::domain::account::Role;
    use crate::i18n::staff::Staff;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = crate::features::sellers::service::signed_in(&g).await?;
    let st = crate::i18n::staff::use_staff();
    let zone = g.zone();
    let mut out = Vec::new();
    for e in service::endpoints(&g.state, seller).await? {
        let deliveries = service::deliveries(&g.state, seller, e.id).await?;
        out.push(EndpointView {
            id: e.id,
            url: e.url.clone(),
            kinds: e.kinds.split(',').map(str::to_string).collect(),
            disabled: e.disabled_at.map(|_| e.disabled_reason.clone()),
            created: st.moment(&zone, e.created_at).text,
            deliveries: deliveries
                .into_iter()
                .map(|d| DeliveryView {
                    id: d.id,
                    event: service::event_id(d.event_id),
                    kind: d.event_kind,
                    state: st
                        .get(match d.state.as_str() {
                            "delivered" => Staff::WebhooksStateDelivered,
                            "failed" => Staff::WebhooksStateFailed,
                            _ => Staff::WebhooksStatePending,
                        })
                        .into(),
                    attempts: d.attempts,
                    last: match (d.last_status, d.last_error.is_empty()) {
                        (Some(code), _) => Some(code.to_string()),
                        (None, false) => Some(d.last_error),
                        (None, true) => None,
                    },
                    next: d
                        .next_at
                        .filter(|_| d.state == "pending")
                        .map(|at| st.moment(&zone, at).text),
                    created: st.moment(&zone, d.created_at).text,
                })
                .collect(),
        });
    }
    Ok(out)
}

/// Adds an endpoint; the answer is its signing secret, shown this once.
#[server(prefix = "/api", endpoint = "create_webhook_endpoint")]
pub async fn create_webhook_endpoint(
    #[server(flatten)] form: WebhookForm,
) -> Result<String, AppError> {
    use crate::domain::account::Role;
    use crate::domain::seller_event::EventKind;
    use crate::error::FieldErrors;
    use crate::i18n::staff::Staff;
    use crate::platform::session::guard::{guard, Access};
    use service::EndpointProblem;
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = crate::features::sellers::service::signed_in(&g).await?;
    let st = crate::i18n::staff::use_staff();
    let kinds: Vec<EventKind> = form
        .ticked()
        .into_iter()
        .filter_map(EventKind::parse)
        .collect();
    let mut errors = FieldErrors::new();
    if service::check_url(&form.url, g.state.config.production).is_err() {
        errors.add("url", st.get(Staff::WebhooksErrorUrl));
    }
    if kinds.is_empty() {
        errors.add("kinds", st.get(Staff::WebhooksErrorKinds));
    }
    errors.into_result()?;
    match service::create_endpoint(&g.state, seller, g.user()?.id, &form.url, &kinds).await? {
        Ok((_, secret)) => Ok(secret),
        Err(EndpointProblem::Url(_)) => {
            Err(AppError::invalid("url", st.get(Staff::WebhooksErrorUrl)))
        }
        Err(EndpointProblem::Kinds) => Err(AppError::invalid(
            "kinds",
            st.get(Staff::WebhooksErrorKinds),
        )),
        Err(EndpointProblem::TooMany) => Err(AppError::Conflict(st.fill(
            Staff::WebhooksErrorTooMany,
            &[("max", &service::MAX_ENDPOINTS)],
        ))),
    }
}

#[server(prefix = "/api", endpoint = "delete_webhook_endpoint")]
pub async fn delete_webhook_endpoint(id: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = crate::features::sellers::service::signed_in(&g).await?;
    let id: i64 = AppError::posted_id(&id, "an endpoint")?;
    service::delete_endpoint(&g.state, seller, id).await
}

#[server(prefix = "/api", endpoint = "enable_webhook_endpoint")]
pub async fn enable_webhook_endpoint(id: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = crate::features::sellers::service::signed_in(&g).await?;
    let id: i64 = AppError::posted_id(&id, "an endpoint")?;
    service::enable_endpoint(&g.state, seller, id).await
}

/// "Send again" on a delivery of the log.
#[server(prefix = "/api", endpoint = "send_webhook_again")]
pub async fn send_webhook_again(endpoint: String, delivery: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = crate::features::sellers::service::signed_in(&g).await?;
    let endpoint: i64 = AppError::posted_id(&endpoint, "an endpoint")?;
    let delivery: i64 = AppError::posted_id(&delivery, "a delivery")?;
    service::send_again(&g.state, seller, endpoint, delivery)
        .await
        .map(|_| ())
}
