//! Photos kept from a refused counter-offer form.
//!
//! A browser cannot fill a file input again, so the photos of a refused
//! form that passed their checks are stored here under a random token. The
//! page sent back shows them as thumbnails with the token in the form, and
//! the form sent again uses them without asking for them. They belong to
//! one person and one form; housekeeping removes those unused after a day.

use super::ProofPhoto;
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::features::orders::repo::{self, PendingUpload};
use crate::platform::images::ImageKind;
use crate::platform::state::AppState;
use std::path::PathBuf;

/// How long an unused pending upload is kept.
pub const KEEP_MS: i64 = crate::platform::clock::DAY_MS;

fn dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("pending")
}

fn failed(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "pending uploads");
    AppError::Internal {
        reference: "pending uploads".into(),
    }
}

/// Stores photos for `form`, returning their tokens in the same order.
pub async fn keep(
    state: &AppState,
    user_id: UserId,
    form: &str,
    photos: &[ProofPhoto],
) -> Result<Vec<String>, AppError> {
    let dir = dir(state);
    tokio::fs::create_dir_all(&dir).await.map_err(failed)?;
    let now = state.clock.now_ms();
    let mut tokens = Vec::with_capacity(photos.len());
    for p in photos {
        let token = crate::platform::session::new_session_token();
        let upload = PendingUpload {
            file_name: format!("{token}.{}", p.extension),
            content_type: p.content_type.to_string(),
            token,
        };
        tokio::fs::write(dir.join(&upload.file_name), &p.bytes)
            .await
            .map_err(failed)?;
        repo::insert_pending_upload(state.db.pool(), user_id, form, &upload, now)
            .await
            .map_err(failed)?;
        tokens.push(upload.token);
    }
    Ok(tokens)
}

/// The photos `tokens` name that are this person's for this form, with
/// their tokens. One gone meanwhile (removed after a day) is left out, and
/// the form then asks for a photo again.
pub async fn load(
    state: &AppState,
    user_id: UserId,
    form: &str,
    tokens: &[String],
) -> Result<Vec<(String, ProofPhoto)>, AppError> {
    let mut found = Vec::new();
    for token in tokens {
        let Some(upload) = repo::pending_upload(state.db.pool(), user_id, form, token)
            .await
            .map_err(failed)?
        else {
            continue;
        };
        let Some(kind) = ImageKind::of_content_type(&upload.content_type) else {
            continue;
        };
        let Ok(bytes) = tokio::fs::read(dir(state).join(&upload.file_name)).await else {
            continue;
        };
        found.push((
            upload.token,
            ProofPhoto {
                bytes,
                content_type: kind.content_type(),
                extension: kind.extension(),
            },
        ));
    }
    Ok(found)
}

/// A pending photo's bytes and content type, for its thumbnail: only to the
/// person who sent it.
pub async fn thumbnail(
    state: &AppState,
    user_id: UserId,
    token: &str,
) -> Result<Option<(Vec<u8>, String)>, AppError> {
    let Some(upload) = repo::own_pending_upload(state.db.pool(), user_id, token)
        .await
        .map_err(failed)?
    else {
        return Ok(None);
    };
    Ok(tokio::fs::read(dir(state).join(&upload.file_name))
        .await
        .ok()
        .map(|bytes| (bytes, upload.content_type)))
}

async fn remove(state: &AppState, upload: &PendingUpload) -> Result<bool, sqlx::Error> {
    let gone = repo::delete_pending_upload(state.db.pool(), &upload.token).await?;
    if gone {
        let _ = tokio::fs::remove_file(dir(state).join(&upload.file_name)).await;
    }
    Ok(gone)
}

/// Forgets the pending uploads a form used once it went through (the
/// counter-offer keeps copies of its own).
pub async fn release(state: &AppState, user_id: UserId, tokens: &[String]) {
    for token in tokens {
        if let Ok(Some(upload)) = repo::own_pending_upload(state.db.pool(), user_id, token).await {
            if let Err(e) = remove(state, &upload).await {
                tracing::warn!(error = %e, "a used pending upload stays until housekeeping");
            }
        }
    }
}

/// Removes the pending uploads created before `cutoff`, returning how many.
pub async fn forget_before(state: &AppState, cutoff: i64) -> Result<u64, sqlx::Error> {
    let mut removed = 0;
    loop {
        let batch = repo::pending_uploads_before(state.db.pool(), cutoff).await?;
        if batch.is_empty() {
            return Ok(removed);
        }
        for upload in &batch {
            if remove(state, upload).await? {
                removed += 1;
            }
        }
    }
}
