//! Counter-offers with proof photos arrive as a multipart form posted to
//! the order page (the browser posts it itself, with or without
//! JavaScript); photos are served back only to the consumer, the
//! refurbisher of that trade-in, and operations. A refused form comes back
//! with its photos kept (`service::pending`).

use crate::domain::account::Role;
use crate::domain::ids::TradeInId;
use crate::domain::money::{parse_amount, AmountError};
use crate::domain::sla::CounterReason;
use crate::error::{AppError, FieldErrors};
use crate::features::orders::counter_offer_form;
use crate::features::orders::service as order_flow;
use crate::features::orders::service::{pending, ProofPhoto};
use crate::i18n::staff::{Staff, StaffTexts};
use crate::platform::images::{sanitize, PhotoError, MAX_PHOTO_BYTES};
use crate::platform::session as auth;
use crate::platform::state::AppState;
use crate::ui::refused::RefusedForm;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

pub const MAX_PHOTOS: usize = 6;
/// The upload route's own body limit: the photos and a little form text.
pub const MAX_UPLOAD_BYTES: usize = MAX_PHOTOS * MAX_PHOTO_BYTES + 64 * 1024;

/// The order page, where the form is and where an accepted one returns.
fn order_page(id: TradeInId) -> Response {
    Redirect::to(&format!("/seller/orders/{id}")).into_response()
}

/// Answers a refused form: the order page is rendered again around it by
/// `platform::http::forms`, with what was entered and the photos kept.
fn refused(form: String, values: Vec<(String, String)>, error: AppError) -> Response {
    crate::platform::http::forms::send_back(RefusedForm::new(form, values, error))
}

/// What the form sent, as read so far.
#[derive(Default)]
struct Sent {
    values: Vec<(String, String)>,
    price: String,
    reasons: Vec<CounterReason>,
    note: String,
    kept: Vec<String>,
    fresh: Vec<ProofPhoto>,
    errors: FieldErrors,
}

/// Reads every field, checking each photo as it comes: one that fails is
/// reported beside the photo field, and the others are still kept.
async fn read(st: StaffTexts, form: &mut Multipart) -> Result<Sent, TooLarge> {
    let mut sent = Sent::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(sent),
            Err(e) => return upload_failed(st, e, sent),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "photos" {
            let file_name = field.file_name().unwrap_or("photo").to_string();
            let bytes = match field.bytes().await {
                Ok(b) => b,
                Err(e) => return upload_failed(st, e, sent),
            };
            if bytes.is_empty() && file_name.is_empty() {
                continue;
            }
            match sanitize(&bytes) {
                Ok(clean) => sent.fresh.push(ProofPhoto {
                    content_type: clean.kind.content_type(),
                    extension: clean.kind.extension(),
                    bytes: clean.bytes,
                }),
                Err(e) => sent.errors.add(
                    "photos",
                    st.fill(
                        Staff::OrdersErrorPhotoOfFile,
                        &[("file", &file_name), ("problem", &photo_problem(st, &e))],
                    ),
                ),
            }
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "price" => sent.price = text.clone(),
            "note" => sent.note = text.clone(),
            "reasons" => match CounterReason::parse(text.trim()) {
                Some(r) if !sent.reasons.contains(&r) => sent.reasons.push(r),
                Some(_) => {}
                None => sent
                    .errors
                    .add("reasons", st.get(Staff::OrdersErrorReasonsFromList)),
            },
            // Tokens go back in the form only once checked to be this
            // person's (see `counter_offer`).
            "pending_photo" => {
                sent.kept.push(text);
                continue;
            }
            _ => {}
        }
        sent.values.push((name, text));
    }
}

fn limit(st: StaffTexts) -> String {
    st.fill(
        Staff::OrdersErrorPhotoLimit,
        &[
            ("count", &MAX_PHOTOS),
            ("size", &(MAX_PHOTO_BYTES / (1024 * 1024))),
        ],
    )
}

/// What is wrong with a photo, in the areas' language.
fn photo_problem(st: StaffTexts, e: &PhotoError) -> String {
    match e {
        PhotoError::Empty => st.get(Staff::OrdersErrorPhotoEmpty).to_string(),
        PhotoError::TooLarge { bytes } => st.fill(
            Staff::OrdersErrorPhotoTooLarge,
            &[
                ("max", &megabytes(st, MAX_PHOTO_BYTES)),
                ("size", &megabytes(st, *bytes)),
            ],
        ),
        PhotoError::NotAnImage => st.get(Staff::OrdersErrorPhotoNotImage).to_string(),
        PhotoError::Malformed(detail) => {
            st.fill(Staff::OrdersErrorPhotoDamaged, &[("detail", detail)])
        }
    }
}

/// Megabytes to a tenth, rounded up as `PhotoError` writes them, so a file
/// just over the limit never reads as "5.0 MB"; "5,1" in French.
fn megabytes(st: StaffTexts, bytes: usize) -> String {
    const MIB: u128 = 1024 * 1024;
    let tenths = (bytes as u128 * 10).div_ceil(MIB);
    let decimal = if st.lang() == crate::i18n::Lang::Fr {
        ','
    } else {
        '.'
    };
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}{decimal}{}", tenths / 10, tenths % 10)
    }
}

/// A body past the route's limit, refused as such (413).
struct TooLarge(StaffTexts);

impl IntoResponse for TooLarge {
    fn into_response(self) -> Response {
        let st = self.0;
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            st.fill(Staff::OrdersErrorUploadTooLarge, &[("limit", &limit(st))]),
        )
            .into_response()
    }
}

/// Any other broken upload is a refusal beside the photo field, with what
/// was read.
fn upload_failed(
    st: StaffTexts,
    e: axum::extract::multipart::MultipartError,
    mut sent: Sent,
) -> Result<Sent, TooLarge> {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Err(TooLarge(st));
    }
    sent.errors.add(
        "photos",
        st.fill(
            Staff::OrdersErrorUploadFailed,
            &[("detail", &e.body_text()), ("limit", &limit(st))],
        ),
    );
    Ok(sent)
}

pub async fn counter_offer(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    mut form: Multipart,
) -> Response {
    let Ok(id) = id.parse::<TradeInId>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let st = crate::i18n::staff::use_staff();
    let user = match auth::current_user(&state, &headers).await {
        Ok(Some(u)) if u.role == Role::Seller => u,
        Ok(Some(_)) => {
            return (
                StatusCode::FORBIDDEN,
                st.get(Staff::OrdersErrorRefurbishersOnly),
            )
                .into_response()
        }
        Ok(None) => {
            return (StatusCode::UNAUTHORIZED, st.get(Staff::OrdersErrorSignIn)).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "upload: session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let seller_id = match order_flow::seller_of(&state, user.id).await {
        Ok((s, _)) => s,
        Err(e) => return crate::platform::http::refused(e),
    };
    // Refuse other sellers' orders before reading any photo.
    let currency = match order_flow::owned_by_seller(&state, seller_id, id).await {
        // A counter-offer is in the trade-in's currency.
        Ok(t) => t.price.currency(),
        Err(e) => return crate::platform::http::refused(e),
    };
    let form_name = counter_offer_form(id);
    let mut sent = match read(st, &mut form).await {
        Ok(sent) => sent,
        Err(too_large) => return too_large.into_response(),
    };
    let kept = match pending::load(&state, user.id, &form_name, &sent.kept).await {
        Ok(k) => k,
        Err(e) => return crate::platform::http::refused(e),
    };
    if kept.len() + sent.fresh.len() > MAX_PHOTOS {
        sent.errors.add(
            "photos",
            st.fill(Staff::OrdersErrorTooManyPhotos, &[("count", &MAX_PHOTOS)]),
        );
        sent.fresh.truncate(MAX_PHOTOS.saturating_sub(kept.len()));
    }
    let price = sent.errors.check(
        "price",
        parse_amount(&sent.price, currency).map_err(|e| amount_problem(st, &e)),
    );
    let kept_count = kept.len();
    let (kept_tokens, mut photos): (Vec<String>, Vec<ProofPhoto>) = kept.into_iter().unzip();
    photos.append(&mut sent.fresh);
    let outcome = match (price, std::mem::take(&mut sent.errors).into_result()) {
        (Some(price), Ok(())) => {
            order_flow::counter_offer(
                st,
                &state,
                seller_id,
                user.id,
                id,
                price,
                &sent.reasons,
                sent.note.trim(),
                &photos,
            )
            .await
        }
        (_, Err(e)) => Err(e),
        (None, Ok(())) => Err(AppError::invalid(
            "price",
            st.get(Staff::OrdersErrorEnterPrice),
        )),
    };
    match outcome {
        Ok(()) => {
            pending::release(&state, user.id, &kept_tokens).await;
            order_page(id)
        }
        Err(error) => {
            // The photos that passed are kept for the form sent back.
            let fresh =
                match pending::keep(&state, user.id, &form_name, &photos[kept_count..]).await {
                    Ok(t) => t,
                    Err(e) => return crate::platform::http::refused(e),
                };
            let mut values = sent.values;
            values.extend(
                kept_tokens
                    .into_iter()
                    .chain(fresh)
                    .map(|t| ("pending_photo".to_string(), t)),
            );
            refused(form_name, values, error)
        }
    }
}

/// What is wrong with a typed amount, in the areas' language.
fn amount_problem(st: StaffTexts, e: &AmountError) -> String {
    match e {
        AmountError::Empty => st.get(Staff::OrdersErrorAmountEmpty).to_string(),
        AmountError::NotANumber(text) => {
            st.fill(Staff::OrdersErrorAmountNotNumber, &[("text", text)])
        }
        AmountError::FractionalCents => st.get(Staff::OrdersErrorAmountCents).to_string(),
        AmountError::TooLarge => st.get(Staff::OrdersErrorAmountTooLarge).to_string(),
    }
}

/// A stored photo as an answer: kept privately by the browser for an hour,
/// and sandboxed, so a crafted file could run nothing if opened directly.
fn image(bytes: Vec<u8>, content_type: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "private, max-age=3600".into()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".into(),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A kept photo's thumbnail on the form sent back, for the person who sent
/// it only.
pub async fn pending_photo(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let Ok(Some(user)) = auth::current_user(&state, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    match pending::thumbnail(&state, user.id, &token).await {
        Ok(Some((bytes, content_type))) => image(bytes, content_type),
        Ok(None) => (StatusCode::NOT_FOUND, "No such photo.").into_response(),
        Err(e) => crate::platform::http::refused(e),
    }
}

pub async fn photo(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "No such photo.").into_response();
    let Ok(id) = id.parse::<crate::domain::ids::PhotoId>() else {
        return not_found();
    };
    let Ok(Some(user)) = auth::current_user(&state, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let Ok(Some((trade_in_id, file_name, content_type))) =
        order_flow::photo(state.db.pool(), id).await
    else {
        return not_found();
    };
    let Ok(Some(t)) = crate::features::trade_ins::service::find(state.db.pool(), trade_in_id).await
    else {
        return not_found();
    };
    if !order_flow::may_view(&state, &user, &t).await {
        return not_found();
    }
    match order_flow::photo_bytes(&state, &file_name).await {
        Some(bytes) => image(bytes, content_type),
        None => not_found(),
    }
}
