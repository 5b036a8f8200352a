//! The export itself, and its routes; the erasure (`erase`).

pub mod erase;

use crate::error::AppError;
use crate::features::privacy::repo;
use crate::platform::db::db_error;
use crate::platform::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Everything held about one person. Times are Unix milliseconds (UTC).
#[derive(Debug, Serialize)]
pub struct Export {
    pub exported_at: i64,
    pub account: repo::Account,
    pub sessions: Vec<Session>,
    pub trade_ins: Vec<repo::TradeIn>,
    pub trade_in_events: Vec<repo::Event>,
    pub claims: Vec<repo::Claim>,
    pub claim_messages: Vec<repo::Message>,
    pub mail: Vec<repo::Mail>,
    /// What the file leaves out, and why.
    pub notes: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct Session {
    pub device: String,
    pub client: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// The export; with `full_ibans` (after the password) each trade-in's IBAN
/// in full.
pub async fn export(
    state: &AppState,
    headers: &HeaderMap,
    user_id: crate::domain::ids::UserId,
    full_ibans: bool,
) -> Result<Export, AppError> {
    let pool = state.db.pool();
    let account = repo::account(pool, user_id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::Unauthenticated)?;
    let sessions = crate::features::accounts::service::sessions::list(state, headers, user_id)
        .await?
        .into_iter()
        .map(|s| Session {
            device: s.device,
            client: s.client,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
        })
        .collect();
    let mut trade_ins = repo::trade_ins(pool, user_id).await.map_err(db_error)?;
    if full_ibans {
        for t in &mut trade_ins {
            t.iban = state.secret.decrypt_iban(&t.iban_encrypted);
        }
    }
    Ok(Export {
        exported_at: state.clock.now_ms(),
        sessions,
        trade_ins,
        trade_in_events: repo::events(pool, user_id).await.map_err(db_error)?,
        claims: repo::claims(pool, user_id).await.map_err(db_error)?,
        claim_messages: repo::claim_messages(pool, user_id).await.map_err(db_error)?,
        mail: repo::mail(pool, &account.email).await.map_err(db_error)?,
        account,
        notes: vec![
            if full_ibans {
                "IBANs are shown in full, as asked with the account's password; they are kept encrypted and only used to pay you."
            } else {
                "IBANs are shown masked: the full number is kept encrypted and only used to pay you. Give your password on your account page for a file with them in full."
            },
            "Passwords are kept only as a one-way hash, and sign-in tokens only as keyed hashes: neither can be exported.",
            "Mail is listed by kind, subject and date, without its text: links in it may still work.",
        ],
    })
}

/// `GET /account/data.json`: the signed-in person's export, as a download.
pub async fn download(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match crate::platform::session::current_user(&state, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => return crate::platform::http::refused(AppError::Unauthenticated),
        Err(e) => {
            return crate::platform::http::refused(crate::platform::session::guard::internal_error(
                &headers, e,
            ))
        }
    };
    match export(&state, &headers, user.id, false).await {
        Ok(data) => as_download(&data, &headers),
        Err(e) => crate::platform::http::refused(e),
    }
}

/// `POST /account/data`, the data page's full-export form (multipart, so
/// that its page comes back with the error when the password is wrong):
/// the export with every IBAN in full.
pub async fn download_full(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    let refused = |error: AppError| {
        crate::platform::http::forms::send_back(crate::ui::refused::RefusedForm::new(
            crate::features::privacy::views::FULL_EXPORT_FORM,
            [],
            error,
        ))
    };
    let user = match crate::platform::session::current_user(&state, &headers).await {
        Ok(Some(u)) => u,
        Ok(None) => return crate::platform::http::refused(AppError::Unauthenticated),
        Err(e) => {
            return crate::platform::http::refused(crate::platform::session::guard::internal_error(
                &headers, e,
            ))
        }
    };
    let mut password = String::new();
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("current_password") {
            password = field.text().await.unwrap_or_default();
        }
    }
    let client =
        crate::platform::http::client::client(&state.config.trusted_proxies, peer.ip(), &headers)
            .ip
            .to_string();
    // A plain route: the page's language comes from the request itself.
    let texts = crate::i18n::Texts::of(crate::platform::http::markets::of_headers(&headers));
    if let Err(e) = crate::features::accounts::service::links::reauthenticate_in(
        texts, &state, user.id, &client, password,
    )
    .await
    {
        return refused(e);
    }
    match export(&state, &headers, user.id, true).await {
        Ok(data) => as_download(&data, &headers),
        Err(e) => crate::platform::http::refused(e),
    }
}

fn as_download(data: &Export, headers: &HeaderMap) -> Response {
    let date = crate::domain::dates::Date::from_unix_ms(data.exported_at);
    let body = match serde_json::to_vec_pretty(data) {
        Ok(b) => b,
        Err(e) => {
            return crate::platform::http::refused(crate::platform::session::guard::internal_error(
                headers, e,
            ))
        }
    };
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"tradein-my-data-{date}.json\""),
            ),
        ],
        body,
    )
        .into_response()
}
