//! Files people download: shipping labels and CSV exports. Plain axum
//! routes (a file is not a page), with the same session and ownership rules
//! as the pages.

use crate::domain::dates::Date;
use crate::domain::ids::TradeInId;
use crate::features::trade_ins::certificate::{render_certificate_pdf, CertificateData};
use crate::features::trade_ins::label::{render_label_pdf, Captions, LabelData};
use crate::features::trade_ins::service::Direction;
use crate::i18n::{Msg, Texts};
use crate::platform::session as auth;
use crate::platform::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

const PACKING: [Msg; 4] = [
    Msg::LabelPackingReset,
    Msg::LabelPackingBox,
    Msg::LabelPackingDrop,
    Msg::LabelPackingReceipt,
];

pub async fn inbound_label(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    label(state, headers, id, Direction::Inbound).await
}

pub async fn return_label(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    label(state, headers, id, Direction::Return).await
}

/// The trade-in `id` names, when the request's user may see it: its
/// consumer, the refurbisher handling it, and operations. Anyone else
/// learns nothing, not even that it exists.
async fn viewable(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
    what: &str,
) -> Result<crate::features::trade_ins::service::TradeInRecord, Response> {
    let not_found = || (StatusCode::NOT_FOUND, format!("No such {what}.")).into_response();
    let Ok(id) = id.parse::<TradeInId>() else {
        return Err(not_found());
    };
    let user = match auth::current_user(state, headers).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return Err((
                StatusCode::UNAUTHORIZED,
                format!("Please sign in to download this {what}."),
            )
                .into_response())
        }
        Err(e) => {
            tracing::error!(error = %e, "{what}: session lookup failed");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    let trade_in = match crate::features::trade_ins::service::find(state.db.pool(), id).await {
        Ok(Some(t)) => t,
        Ok(None) => return Err(not_found()),
        Err(e) => {
            tracing::error!(error = %e, "{what}: lookup failed");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    if !crate::features::orders::service::may_view(state, &user, &trade_in).await {
        return Err(not_found());
    }
    Ok(trade_in)
}

async fn label(state: AppState, headers: HeaderMap, id: String, direction: Direction) -> Response {
    let trade_in = match viewable(&state, &headers, &id, "label").await {
        Ok(t) => t,
        Err(refused) => return refused,
    };
    let shipment = match crate::features::trade_ins::service::shipment(
        state.db.pool(),
        trade_in.id,
        direction,
    )
    .await
    {
        Ok(Some(s)) => s,
        Ok(None) => return (StatusCode::NOT_FOUND, "No such label.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "label: lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if shipment.cancelled_at.is_some() {
        return (
            StatusCode::GONE,
            "This label was cancelled and must not be used.",
        )
            .into_response();
    }
    // In the consumer's language: they print it and pack the parcel.
    let t = Texts::of(trade_in.market);
    let (from, to, title) = match direction {
        Direction::Inbound => (
            trade_in.address.lines(),
            trade_in.seller_address.lines(),
            t.get(Msg::LabelTitle),
        ),
        Direction::Return => (
            trade_in.seller_address.lines(),
            trade_in.address.lines(),
            t.get(Msg::LabelReturnTitle),
        ),
    };
    let pdf = render_label_pdf(&LabelData {
        carrier_name: shipment.carrier.clone(),
        tracking_number: shipment.tracking_number.clone(),
        reference: trade_in.reference.clone(),
        from_lines: from,
        to_lines: to,
        instructions: PACKING.iter().map(|m| t.get(*m).to_string()).collect(),
        title: title.to_string(),
        created_on: Date::from_unix_ms(shipment.created_at).to_string(),
        captions: Captions::of(t),
    });
    let filename = format!(
        "{}-{}.pdf",
        if direction == Direction::Inbound {
            "label"
        } else {
            "return-label"
        },
        trade_in.reference
    );
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        pdf,
    )
        .into_response()
}

/// `GET /trade-ins/{id}/certificate.pdf`: the certificate of sale of a paid
/// trade-in, in its consumer's language (`certificate`). Before the payment
/// there is no sale to certify: 409.
pub async fn certificate_of_sale(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    use crate::domain::tradein::State as TradeInState;
    let t = match viewable(&state, &headers, &id, "certificate").await {
        Ok(t) => t,
        Err(refused) => return refused,
    };
    let failed = |e: sqlx::Error| {
        tracing::error!(error = %e, "certificate: lookup failed");
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    };
    let paid_at = match crate::features::trade_ins::service::events(state.db.pool(), t.id).await {
        Ok(events) => events
            .iter()
            .rev()
            .find(|e| e.to_state == TradeInState::Paid)
            .map(|e| e.at),
        Err(e) => return failed(e),
    };
    let (Some(paid_at), TradeInState::Paid, false) = (paid_at, t.state, t.recycling) else {
        return (
            StatusCode::CONFLICT,
            "This trade-in is not paid yet: its certificate of sale comes with the payment.",
        )
            .into_response();
    };
    let (buyer, vat) =
        match crate::features::sellers::service::legal_identity(state.db.pool(), t.seller_id).await
        {
            Ok(Some(found)) => found,
            Ok(None) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            Err(e) => return failed(e),
        };
    let texts = Texts::of(t.market);
    let day = Date::from_unix_ms(paid_at);
    let pdf = render_certificate_pdf(&CertificateData {
        texts,
        reference: t.reference.clone(),
        seller_lines: t.address.lines(),
        buyer_lines: buyer.lines(),
        buyer_vat: vat,
        device: [
            crate::domain::catalog::full_name(&t.brand_name, &t.model_name),
            crate::domain::catalog::storage_label(t.storage_gb as u32),
            t.connectivity.clone(),
        ]
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", "),
        imei: t.imei.clone(),
        serial_number: t.serial_number.clone(),
        grade: t.grade,
        price: t.final_price.unwrap_or(t.price),
        sold_on: crate::platform::zone::local_day(paid_at, t.market),
        sold_on_ymd: Some((day.year as u16, day.month as u8, day.day as u8)),
    });
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"certificate-of-sale-{}.pdf\"",
                    t.reference
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        pdf,
    )
        .into_response()
}
