//! The price grid as a file: CSV export, and the import's upload (dry run
//! or apply). Plain axum routes: a download is not a page, and an upload of
//! up to 10 MB needs its own body limit. Answers are JSON (`ImportReport`,
//! or the `AppError` with its status) for the import page's script.

use crate::domain::account::Role;
use crate::error::AppError;
use crate::features::pricing::service as pricing;
use crate::features::pricing::service::SellerCtx;
use crate::i18n::staff::{use_staff, Staff};
use crate::platform::csv::attachment as csv_attachment;
use crate::platform::http::refused;
use crate::platform::session as auth;
use crate::platform::state::AppState;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The largest CSV accepted: 100,000 rows take about 4 MB.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;
/// The route's body limit: the file and a little form text.
pub const MAX_IMPORT_BODY: usize = MAX_IMPORT_BYTES + 64 * 1024;

fn error(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(e)).into_response()
}

async fn signed_in_seller(state: &AppState, headers: &HeaderMap) -> Result<SellerCtx, AppError> {
    let user = auth::user_with_role(state, headers, Role::Seller).await?;
    pricing::seller_ctx(state, user.id).await
}

pub async fn export(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ctx = match signed_in_seller(&state, &headers).await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    match pricing::export_csv(&state, &ctx).await {
        Ok(csv) => {
            let date = crate::domain::dates::Date::from_unix_ms(state.clock.now_ms());
            csv_attachment(
                &format!(
                    "prices-{}-{date}.csv",
                    crate::domain::catalog::slugify(&ctx.company)
                ),
                csv,
            )
        }
        Err(e) => refused(e),
    }
}

/// Form fields: `file`, `mode` (`preview` or `apply`), `replace` (present:
/// the file is the whole grid), `base` (the preview's token, to apply).
pub async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    import_file(state, &headers, form).await
}

async fn import_file(state: AppState, headers: &HeaderMap, mut form: Multipart) -> Response {
    let ctx = match signed_in_seller(&state, headers).await {
        Ok(c) => c,
        Err(e) => return error(e),
    };
    let st = use_staff();
    let too_big = || error(AppError::invalid("file", st.get(Staff::ImportTooBig)));
    let (mut file, mut mode, mut replace, mut base) = (None, String::new(), false, String::new());
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_big(),
            Err(e) => return error(AppError::BadRequest(e.body_text())),
        };
        match field.name().unwrap_or_default() {
            "file" => match field.bytes().await {
                Ok(b) if b.len() > MAX_IMPORT_BYTES => return too_big(),
                Ok(b) => file = Some(b),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_big(),
                Err(e) => return error(AppError::BadRequest(e.body_text())),
            },
            "mode" => mode = field.text().await.unwrap_or_default(),
            "replace" => replace = true,
            "base" => base = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return error(AppError::invalid("file", st.get(Staff::ImportChooseFile)));
    };
    // Spreadsheets sometimes save Latin-1; SKUs, grades and prices are
    // ASCII, so a lossy read only garbles text that is wrong anyway.
    let text = String::from_utf8_lossy(&bytes);
    let result = match mode.as_str() {
        "preview" => pricing::preview_import(&state, &ctx, &text, replace).await,
        "apply" if !base.is_empty() => {
            pricing::apply_import(&state, &ctx, &text, replace, base.trim()).await
        }
        "apply" => Err(AppError::invalid("file", st.get(Staff::ImportPreviewFirst))),
        _ => Err(AppError::BadRequest("mode must be preview or apply".into())),
    };
    match result {
        Ok(report) => axum::Json(report).into_response(),
        Err(e) => error(e),
    }
}
