//! Files people download: shipping labels and CSV exports. Plain axum
//! routes (a file is not a page), with the same session and ownership rules
//! as the pages.

use crate::domain::dates::Date;
use crate::domain::ids::TradeInId;
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

async fn label(state: AppState, headers: HeaderMap, id: String, direction: Direction) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "No such label.").into_response();
    let Ok(id) = id.parse::<TradeInId>() else {
        return not_found();
    };
    let user = match auth::current_user(&state, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return (
                StatusCode::UNAUTHORIZED,
                "Please sign in to download this label.",
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "label: session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let (trade_in, shipment) = match (
        crate::features::trade_ins::service::find(state.db.pool(), id).await,
        crate::features::trade_ins::service::shipment(state.db.pool(), id, direction).await,
    ) {
        (Ok(Some(t)), Ok(Some(s))) => (t, s),
        (Ok(_), Ok(_)) => return not_found(),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "label: lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // The consumer, the refurbisher handling it, and operations may see it;
    // anyone else learns nothing, not even that it exists.
    if !crate::features::orders::service::may_view(&state, &user, &trade_in).await {
        return not_found();
    }
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
