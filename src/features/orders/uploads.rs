//! Counter-offers with proof photos arrive as a multipart form (a plain
//! HTML form, so it works without JavaScript); photos are served back only
//! to the consumer, the refurbisher of that trade-in, and operations.

use crate::domain::account::Role;
use crate::domain::ids::TradeInId;
use crate::domain::money::{parse_amount, Currency};
use crate::domain::sla::CounterReason;
use crate::error::AppError;
use crate::features::orders::service as order_flow;
use crate::features::orders::service::ProofPhoto;
use crate::platform::images::{sanitize, MAX_PHOTO_BYTES};
use crate::platform::session as auth;
use crate::platform::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

pub const MAX_PHOTOS: usize = 6;
/// The upload route's own body limit: the photos and a little form text.
pub const MAX_UPLOAD_BYTES: usize = MAX_PHOTOS * MAX_PHOTO_BYTES + 64 * 1024;

fn back(id: TradeInId, error: Option<String>) -> Response {
    match error {
        None => Redirect::to(&format!("/seller/orders/{id}")).into_response(),
        Some(e) => Redirect::to(&format!(
            "/seller/orders/{id}?error={}",
            crate::ui::url_encode(&e)
        ))
        .into_response(),
    }
}

/// A body past the route's limit is refused as such (413); any other
/// broken upload goes back to the order page with the reason.
fn upload_failed(id: TradeInId, e: axum::extract::multipart::MultipartError) -> Response {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "This upload is larger than a counter-offer may be: at most {MAX_PHOTOS} photos of {} MB each.",
                MAX_PHOTO_BYTES / (1024 * 1024)
            ),
        )
            .into_response();
    }
    back(
        id,
        Some(format!(
            "The upload failed ({}). Photos are limited to {} MB each.",
            e.body_text(),
            MAX_PHOTO_BYTES / (1024 * 1024)
        )),
    )
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
    let user = match auth::current_user(&state, &headers).await {
        Ok(Some(u)) if u.role == Role::Seller => u,
        Ok(Some(_)) => {
            return (
                StatusCode::FORBIDDEN,
                "Only refurbishers make counter-offers.",
            )
                .into_response()
        }
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "upload: session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let seller_id = match order_flow::seller_of(&state, user.id).await {
        Ok((s, _)) => s,
        Err(e) => {
            return (
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN),
                e.to_string(),
            )
                .into_response()
        }
    };
    // Refuse other sellers' orders before reading any photo.
    if let Err(e) = order_flow::owned_by_seller(&state, seller_id, id).await {
        return (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND),
            e.to_string(),
        )
            .into_response();
    }

    let (mut price, mut reasons, mut note, mut photos) =
        (String::new(), Vec::new(), String::new(), Vec::new());
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return upload_failed(id, e),
        };
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "price" => price = field.text().await.unwrap_or_default(),
            "note" => note = field.text().await.unwrap_or_default(),
            "reasons" => {
                match CounterReason::parse(field.text().await.unwrap_or_default().trim()) {
                    Some(r) if !reasons.contains(&r) => reasons.push(r),
                    Some(_) => {}
                    None => return back(id, Some("Unknown reason.".into())),
                }
            }
            "photos" => {
                let file_name = field.file_name().unwrap_or("photo").to_string();
                let bytes = match field.bytes().await {
                    Ok(b) => b,
                    Err(e) => return upload_failed(id, e),
                };
                if bytes.is_empty() && file_name.is_empty() {
                    continue;
                }
                if photos.len() == MAX_PHOTOS {
                    return back(id, Some(format!("Send at most {MAX_PHOTOS} photos.")));
                }
                match sanitize(&bytes) {
                    Ok(clean) => photos.push(ProofPhoto {
                        content_type: clean.kind.content_type(),
                        extension: clean.kind.extension(),
                        bytes: clean.bytes,
                    }),
                    Err(e) => return back(id, Some(format!("{file_name}: {e}"))),
                }
            }
            _ => {}
        }
    }
    let price = match parse_amount(&price, Currency::Eur) {
        Ok(p) => p,
        Err(e) => return back(id, Some(format!("New price: {e}"))),
    };
    match order_flow::counter_offer(
        &state,
        seller_id,
        user.id,
        id,
        price,
        &reasons,
        note.trim(),
        photos,
    )
    .await
    {
        Ok(()) => back(id, None),
        Err(AppError::Invalid(fields)) => back(
            id,
            Some(
                fields
                    .0
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ),
        Err(e) => back(id, Some(e.to_string())),
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
        crate::features::orders::service::photo(state.db.pool(), id).await
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
    // File names are random tokens chosen by the server, never user input.
    match tokio::fs::read(state.config.data_dir.join("photos").join(&file_name)).await {
        Ok(bytes) => (
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
            .into_response(),
        Err(_) => not_found(),
    }
}
