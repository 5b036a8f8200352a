//! The moves on an order over the API: receive, inspect, validate,
//! counter-offer, suspend and confirm payment. Each calls the same service
//! as the order page, so each is one guarded transition of the state
//! machine, recorded as made by the token's refurbisher account; each
//! answers the order as it then is. Repeating a move already made changes
//! nothing, as a double click on the page does.

use super::auth::Caller;
use super::orders::{detail, owned, OrderDetailOut};
use super::problem::{FieldProblem, Problem};
use super::resources::Amount;
use crate::domain::api_token::Scope;
use crate::domain::grading::parse_answers;
use crate::domain::identifiers::Imei;
use crate::domain::money::parse_amount;
use crate::domain::sla::{CounterReason, SuspendReason};
use crate::domain::tradein::check_counter_offer;
use crate::features::orders::service::{self as orders, InspectionOutcome, ProofPhoto};
use crate::features::orders::uploads::MAX_PHOTOS;
use crate::i18n::staff::StaffTexts;
use crate::platform::images::sanitize;
use crate::platform::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Multipart, Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

async fn answer(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Json<OrderDetailOut>, Problem> {
    Ok(Json(detail(state, owned(state, caller, id).await?).await?))
}

/// Marks the parcel received: the order moves from `label_issued` or
/// `shipped` to `received`.
#[utoipa::path(post, path = "/orders/{id}/receive", tag = "orders",
    params(("id" = i64, Path, description = "The order's id")),
    responses(
        (status = 200, body = OrderDetailOut, description = "The order, received"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The order cannot be received in its state"),
    ),
    security(("bearer" = ["orders:write"])))]
pub async fn receive(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<OrderDetailOut>, Problem> {
    caller.needs(Scope::OrdersWrite)?;
    let t = owned(&state, &caller, &id).await?;
    orders::receive(&state, caller.0.seller_id, caller.0.user_id, &t.reference).await?;
    answer(&state, &caller, &id).await
}

/// What was found on the device: the questionnaire's answers, and the IMEI
/// read off it when the consumer declared one.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// 15 digits; required when the consumer declared an IMEI.
    #[serde(default, deserialize_with = "super::json::present_string")]
    #[schema(value_type = String, pattern = "^[0-9]{15}$")]
    pub imei_found: Option<String>,
    pub works: bool,
    /// `flawless`, `light_scratches`, `visible_wear` or `cracked`.
    #[schema(pattern = "^(flawless|light_scratches|visible_wear|cracked)$")]
    pub screen: String,
    #[schema(pattern = "^(flawless|light_scratches|visible_wear|cracked)$")]
    pub body: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InspectionOut {
    /// `validated` (as declared or better: payable at the accepted price),
    /// `worse` (you may counter-offer or validate anyway) or `suspended`
    /// (the IMEI differs or is blocklisted).
    pub outcome: String,
    /// The grade the answers make, when worse than declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_grade: Option<String>,
    /// Your own price for the found grade, when you have one below the
    /// accepted price: a fair counter-offer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_price: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspension_reason: Option<String>,
    pub order: OrderDetailOut,
}

/// Records the inspection. As declared or better validates the order; worse
/// leaves it `inspecting` for a counter-offer or a validation; an IMEI that
/// differs or is blocklisted suspends it.
#[utoipa::path(post, path = "/orders/{id}/inspect", tag = "orders",
    params(("id" = i64, Path, description = "The order's id")),
    request_body = Inspection,
    responses(
        (status = 200, body = InspectionOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The order is not waiting for an inspection"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["orders:write"])))]
pub async fn inspect(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<Inspection>, JsonRejection>,
) -> Result<Json<InspectionOut>, Problem> {
    caller.needs(Scope::OrdersWrite)?;
    let t = owned(&state, &caller, &id).await?;
    let Json(found) = body.map_err(|e| Problem::field("body", e.body_text()))?;
    let mut errors = Vec::new();
    let imei = match found.imei_found.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => match Imei::parse(text) {
            Ok(i) => Some(i),
            Err(e) => {
                errors.push(field("imei_found", e.to_string()));
                None
            }
        },
    };
    let works = if found.works { "yes" } else { "no" };
    let answers = match parse_answers(works, &found.screen, &found.body) {
        Ok(a) => Some(a),
        Err(problems) => {
            errors.extend(problems.into_iter().map(|(f, e)| field(f, e.to_string())));
            None
        }
    };
    let Some(answers) = answers.filter(|_| errors.is_empty()) else {
        return Err(Problem::invalid(errors));
    };
    let outcome = orders::inspect(
        &state,
        caller.0.seller_id,
        caller.0.user_id,
        t.id,
        imei,
        answers,
    )
    .await?;
    let order = detail(&state, owned(&state, &caller, &id).await?).await?;
    Ok(Json(match outcome {
        InspectionOutcome::Validated => InspectionOut {
            outcome: "validated".into(),
            found_grade: None,
            suggested_price: None,
            suspension_reason: None,
            order,
        },
        InspectionOutcome::Worse {
            found,
            suggested_price,
        } => InspectionOut {
            outcome: "worse".into(),
            found_grade: Some(found.code().into()),
            suggested_price: suggested_price.map(Amount::from),
            suspension_reason: None,
            order,
        },
        InspectionOutcome::Suspended(reason) => InspectionOut {
            outcome: "suspended".into(),
            found_grade: None,
            suggested_price: None,
            suspension_reason: Some(reason.code().into()),
            order,
        },
    }))
}

fn field(name: &str, detail: String) -> FieldProblem {
    FieldProblem {
        field: name.into(),
        code: None,
        detail,
    }
}

/// Validates at the accepted price, even after an inspection found worse
/// (goodwill): the order becomes payable.
#[utoipa::path(post, path = "/orders/{id}/validate", tag = "orders",
    params(("id" = i64, Path, description = "The order's id")),
    responses(
        (status = 200, body = OrderDetailOut, description = "The order, validated"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The order cannot be validated in its state"),
    ),
    security(("bearer" = ["orders:write"])))]
pub async fn validate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<OrderDetailOut>, Problem> {
    caller.needs(Scope::OrdersWrite)?;
    let t = owned(&state, &caller, &id).await?;
    orders::validate(&state, caller.0.seller_id, caller.0.user_id, t.id).await?;
    answer(&state, &caller, &id).await
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    /// An id from `GET /reasons/suspension`.
    #[schema(
        pattern = "^(parcel_empty|parcel_damaged|wrong_device|activation_lock_on|imei_blocklisted|imei_mismatch)$"
    )]
    pub reason: String,
}

/// Suspends the order for operations to decide (an empty or damaged
/// parcel, another device, an activation lock …); the consumer is told why.
#[utoipa::path(post, path = "/orders/{id}/suspend", tag = "orders",
    params(("id" = i64, Path, description = "The order's id")),
    request_body = Suspension,
    responses(
        (status = 200, body = OrderDetailOut, description = "The order, suspended"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The order cannot be suspended in its state"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["orders:write"])))]
pub async fn suspend(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<Suspension>, JsonRejection>,
) -> Result<Json<OrderDetailOut>, Problem> {
    caller.needs(Scope::OrdersWrite)?;
    let t = owned(&state, &caller, &id).await?;
    let Json(s) = body.map_err(|e| Problem::field("body", e.body_text()))?;
    let reason = SuspendReason::parse(s.reason.trim())
        .ok_or_else(|| Problem::field("reason", "an id from GET /api/v1/reasons/suspension"))?;
    orders::suspend(&state, caller.0.seller_id, caller.0.user_id, t.id, reason).await?;
    answer(&state, &caller, &id).await
}

/// Confirms you paid the consumer: the payout is sent through the payment
/// provider once, whatever the retries, and the order becomes `paid`.
#[utoipa::path(post, path = "/orders/{id}/confirm-payment", tag = "orders",
    params(("id" = i64, Path, description = "The order's id")),
    responses(
        (status = 200, body = OrderDetailOut, description = "The order, paid"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Not validated, held for review, or the provider refused"),
    ),
    security(("bearer" = ["orders:write"])))]
pub async fn confirm_payment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<OrderDetailOut>, Problem> {
    caller.needs(Scope::OrdersWrite)?;
    let t = owned(&state, &caller, &id).await?;
    orders::confirm_payment(&state, caller.0.seller_id, caller.0.user_id, t.id).await?;
    answer(&state, &caller, &id).await
}

/// The counter-offer's multipart form, as the OpenAPI document shows it.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CounterOfferForm {
    /// The new price, a decimal in the order's currency, below the
    /// accepted price: `"189.00"`.
    price: String,
    /// Ids from `GET /reasons/counter-offer`; repeat the field for each.
    reasons: Vec<String>,
    /// What you found, for the consumer (up to 1000 characters).
    note: Option<String>,
    /// 1 to 6 photos (JPEG, PNG or WebP, 5 MB each); repeat the field.
    #[schema(value_type = Vec<String>, format = Binary)]
    photos: Vec<Vec<u8>>,
}

/// What a counter-offer's form holds once read.
#[derive(Default)]
struct Read {
    price: Option<String>,
    reasons: Vec<CounterReason>,
    note: String,
    photos: Vec<ProofPhoto>,
    errors: Vec<FieldProblem>,
}

async fn read(mut form: Multipart) -> Result<Read, Problem> {
    let mut read = Read::default();
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
            Problem::of(
                http::StatusCode::PAYLOAD_TOO_LARGE,
                "",
                format!("at most {MAX_PHOTOS} photos of 5 MB each"),
            )
        } else {
            Problem::field("body", e.body_text())
        }
    };
    while let Some(part) = form.next_field().await.map_err(broken)? {
        let name = part.name().unwrap_or_default().to_string();
        match name.as_str() {
            "photos" => {
                let file = part.file_name().unwrap_or("photo").to_string();
                let bytes = part.bytes().await.map_err(broken)?;
                if read.photos.len() == MAX_PHOTOS {
                    read.errors
                        .push(field("photos", format!("at most {MAX_PHOTOS} photos")));
                    continue;
                }
                match sanitize(&bytes) {
                    Ok(clean) => read.photos.push(ProofPhoto {
                        content_type: clean.kind.content_type(),
                        extension: clean.kind.extension(),
                        bytes: clean.bytes,
                    }),
                    Err(e) => read.errors.push(field("photos", format!("{file}: {e}"))),
                }
            }
            "price" | "note" | "reasons" => {
                let text = part.text().await.map_err(broken)?;
                match name.as_str() {
                    "price" => read.price = Some(text),
                    "note" => read.note = text,
                    _ => match CounterReason::parse(text.trim()) {
                        Some(r) if !read.reasons.contains(&r) => read.reasons.push(r),
                        Some(_) => {}
                        None => read.errors.push(field(
                            "reasons",
                            format!("{text:?} is not an id from GET /api/v1/reasons/counter-offer"),
                        )),
                    },
                }
            }
            other => read
                .errors
                .push(field(other, "not a field of a counter-offer".into())),
        }
    }
    Ok(read)
}

/// Proposes a lower price to the consumer, with reasons and 1 to 6 photos
/// as proof (`multipart/form-data`). The consumer has 7 days to accept
/// (payable at the new price) or decline (the device comes back free).
#[utoipa::path(post, path = "/orders/{id}/counter-offer", tag = "orders",
    params(("id" = i64, Path, description = "The order's id")),
    request_body(content = CounterOfferForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = OrderDetailOut, description = "The order, counter-offered"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The order is not being inspected"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["orders:write"])))]
pub async fn counter_offer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<OrderDetailOut>, Problem> {
    caller.needs(Scope::OrdersWrite)?;
    let t = owned(&state, &caller, &id).await?;
    let form = form.map_err(|e| Problem::field("body", e.body_text()))?;
    let mut sent = read(form).await?;
    let currency = t.price.currency();
    let price = match sent.price.as_deref().map(|p| parse_amount(p, currency)) {
        Some(Ok(p)) => match check_counter_offer(t.price, p) {
            Ok(()) => Some(p),
            Err(e) => {
                sent.errors.push(field("price", e.to_string()));
                None
            }
        },
        Some(Err(e)) => {
            sent.errors.push(field("price", e.to_string()));
            None
        }
        None => {
            sent.errors.push(field(
                "price",
                format!("the new price in {}", currency.code()),
            ));
            None
        }
    };
    if !sent.errors.is_empty() {
        return Err(Problem::invalid(sent.errors));
    }
    orders::counter_offer(
        StaffTexts::of(crate::i18n::Lang::En),
        &state,
        caller.0.seller_id,
        caller.0.user_id,
        t.id,
        price.expect("checked"),
        &sent.reasons,
        sent.note.trim(),
        &sent.photos,
    )
    .await?;
    answer(&state, &caller, &id).await
}
