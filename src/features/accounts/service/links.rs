//! What the emailed one-use links do: verify an address, reset a forgotten
//! password, move an account to a new address; and changing a password
//! while signed in. Each is one transaction. A link's token is random and
//! only its keyed hash is stored; a link works once, until it expires.

use super::held_back;
use crate::domain::account::{check_new_password, Email, LinkPurpose};
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::features::accounts::emails;
use crate::features::accounts::refused;
use crate::features::accounts::repo::{account_links, users};
use crate::i18n::Msg;
use crate::platform::clock::HOUR_MS;
use crate::platform::db::db_error;
use crate::platform::mail::{enqueue, Mail};
use crate::platform::rate_limit::{self, Limit};
use crate::platform::session;
use crate::platform::state::AppState;
use sqlx::AnyConnection;

/// Links of one purpose mailed to one account per hour.
const LINKS_PER_ACCOUNT: Limit = Limit {
    bucket: "account_link",
    max: 3,
    window_ms: HOUR_MS,
};

/// Reset requests from one client address per hour, whatever the address.
const RESETS_PER_CLIENT: Limit = Limit {
    bucket: "password_reset_from",
    max: 10,
    window_ms: HOUR_MS,
};

fn expired() -> AppError {
    refused::invalid("token", Msg::ErrorLinkExpired)
}

/// Creates a link for `purpose` and queues its mail to `to`, in the
/// caller's transaction. Past the account's limit it sends nothing, and the
/// caller answers the same.
#[allow(clippy::too_many_arguments)]
async fn mail_link(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: UserId,
    purpose: LinkPurpose,
    to: &str,
    new_email: Option<&str>,
    page: &str,
    mail: impl FnOnce(crate::i18n::Texts, &str, &str) -> Mail,
) -> Result<bool, AppError> {
    let now = state.clock.now_ms();
    let key = format!("{}:{}", purpose.code(), user_id);
    if rate_limit::take(conn, &LINKS_PER_ACCOUNT, &key, now)
        .await
        .map_err(db_error)?
        .is_err()
    {
        tracing::info!(
            user_id = user_id.get(),
            purpose = purpose.code(),
            "link not sent: enough went out this hour"
        );
        return Ok(false);
    }
    account_links::retire(&mut *conn, user_id, purpose, now)
        .await
        .map_err(db_error)?;
    let token = session::new_session_token();
    account_links::insert(
        &mut *conn,
        user_id,
        purpose,
        &state.secret.session_token_hash(&token),
        new_email,
        now,
    )
    .await
    .map_err(db_error)?;
    let public_url = &state.config.public_url;
    let link = format!("{public_url}{page}?token={token}");
    enqueue(
        conn,
        to,
        &mail(crate::i18n::document_texts(), public_url, &link),
        None,
        now,
    )
    .await
    .map_err(db_error)?;
    Ok(true)
}

/// Uses a link of `purpose`, trying the token's hash under each accepted
/// secret; its user and new address.
async fn use_link(
    conn: &mut AnyConnection,
    state: &AppState,
    purpose: LinkPurpose,
    token: &str,
) -> Result<(UserId, Option<String>), AppError> {
    let now = state.clock.now_ms();
    for hash in state.secret.session_token_hashes(token) {
        if let Some(found) = account_links::use_once(&mut *conn, purpose, &hash, now)
            .await
            .map_err(db_error)?
        {
            return Ok(found);
        }
    }
    Err(expired())
}

/// Mails the link that verifies a new account's address (in the sign-up's
/// own transaction).
pub async fn send_verification(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: UserId,
    email: &str,
) -> Result<bool, AppError> {
    mail_link(
        conn,
        state,
        user_id,
        LinkPurpose::VerifyEmail,
        email,
        None,
        "/account/verify",
        emails::verify_email,
    )
    .await
}

/// Mails the verification link again to a signed-in person whose address
/// is not verified; false when nothing was sent (verified, or the hour's
/// links are used up).
pub async fn resend_verification(state: &AppState, user_id: UserId) -> Result<bool, AppError> {
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let user = users::find(&mut *tx, user_id.get())
        .await
        .map_err(db_error)?
        .ok_or(AppError::Unauthenticated)?;
    if user.email_verified_at.is_some() {
        return Ok(false);
    }
    let sent = send_verification(&mut tx, state, user.id, &user.email).await?;
    tx.commit().await.map_err(db_error)?;
    Ok(sent)
}

/// Marks the address of the link's account verified.
pub async fn verify_email(state: &AppState, token: &str) -> Result<UserId, AppError> {
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let (user_id, _) = use_link(&mut tx, state, LinkPurpose::VerifyEmail, token).await?;
    users::mark_verified(&mut *tx, user_id, state.clock.now_ms())
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(user_id = user_id.get(), "email verified");
    Ok(user_id)
}

/// Whether a person's address is verified (payouts wait until it is).
pub async fn is_verified(conn: &mut AnyConnection, user_id: UserId) -> Result<bool, AppError> {
    Ok(users::find(&mut *conn, user_id.get())
        .await
        .map_err(db_error)?
        .is_some_and(|u| u.email_verified_at.is_some()))
}

/// Mails a reset link to the account with this address, if there is one.
/// The answer is the same either way, and takes about as long.
pub async fn request_password_reset(
    state: &AppState,
    email: &Email,
    client: &str,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    if let Err(until) = rate_limit::take(&mut tx, &RESETS_PER_CLIENT, client, now)
        .await
        .map_err(db_error)?
    {
        return Err(held_back(until, now));
    }
    if let Some(user) = users::find_by_email(&mut *tx, email)
        .await
        .map_err(db_error)?
    {
        mail_link(
            &mut tx,
            state,
            user.id,
            LinkPurpose::ResetPassword,
            &user.email,
            None,
            "/login/reset/new",
            emails::password_reset,
        )
        .await?;
    }
    tx.commit().await.map_err(db_error)
}

/// Sets a new password from a reset link: every session of the account
/// ends, and this browser gets a new one (after a code, for an account
/// with two-factor sign-in: a mailbox alone does not open it). Opening the link proves the
/// address, so it counts as verified too.
pub async fn reset_password(
    state: &AppState,
    headers: &http::HeaderMap,
    client: &str,
    token: &str,
    password: String,
) -> Result<super::SignedIn, AppError> {
    // The link and the password are checked before the slow hashing and
    // outside the write; the link is used in the write.
    let now = state.clock.now_ms();
    let mut owner = None;
    for hash in state.secret.session_token_hashes(token) {
        owner = account_links::peek(state.db.pool(), LinkPurpose::ResetPassword, &hash, now)
            .await
            .map_err(db_error)?;
        if owner.is_some() {
            break;
        }
    }
    let user = users::find(state.db.pool(), owner.ok_or_else(expired)?.get())
        .await
        .map_err(db_error)?
        .ok_or_else(expired)?;
    check_new_password(&password, &user.email)
        .map_err(|e| AppError::invalid("password", refused::password(&e)))?;
    let hash = session::hash_password(password).await;
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let (used_by, _) = use_link(&mut tx, state, LinkPurpose::ResetPassword, token).await?;
    if used_by != user.id {
        return Err(expired());
    }
    replace_password(&mut tx, state, &user, &hash, None, now).await?;
    users::mark_verified(&mut *tx, user.id, now)
        .await
        .map_err(db_error)?;
    let attempt = crate::features::accounts::repo::login_attempts::record_failure(
        &mut *tx,
        &user.email,
        client,
        now,
    )
    .await
    .map_err(db_error)?;
    let entry = super::two_factor::enter(&mut tx, state, headers, client, user.id, attempt).await?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        user_id = user.id.get(),
        "password reset; every other session ended"
    );
    Ok(super::SignedIn::new(&user, entry))
}

/// Puts a new password hash on the account, in the caller's transaction:
/// every session but the one stored under `keep` ends (none kept: all
/// end), and the owner is told by mail.
async fn replace_password(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &users::UserRecord,
    hash: &str,
    keep: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    users::set_password_hash(&mut *conn, user.id, hash)
        .await
        .map_err(db_error)?;
    session::repo::delete_all_but(&mut *conn, user.id, keep)
        .await
        .map_err(db_error)?;
    enqueue(
        conn,
        &user.email,
        &emails::password_changed(crate::i18n::document_texts(), &state.config.public_url),
        None,
        now,
    )
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Checks the password of a signed-in person before a sensitive change;
/// a wrong one counts toward the account's sign-in limits, and past them
/// none is checked.
pub async fn reauthenticate(
    state: &AppState,
    user_id: UserId,
    client: &str,
    password: String,
) -> Result<users::UserRecord, AppError> {
    reauthenticate_in(
        crate::i18n::document_texts(),
        state,
        user_id,
        client,
        password,
    )
    .await
}

/// `reauthenticate`, refusing in `t`'s language: for a route outside the
/// app's pages and server functions, which has no document to take it from.
pub async fn reauthenticate_in(
    t: crate::i18n::Texts,
    state: &AppState,
    user_id: UserId,
    client: &str,
    password: String,
) -> Result<users::UserRecord, AppError> {
    let user = users::find(state.db.pool(), user_id.get())
        .await
        .map_err(db_error)?
        .ok_or(AppError::Unauthenticated)?;
    if password.is_empty() || password.len() > 1024 {
        return Err(AppError::invalid(
            "current_password",
            t.get(Msg::ErrorEnterCurrentPassword),
        ));
    }
    super::within_limits(
        state.db.pool(),
        &user.email,
        client,
        state.clock.now_ms(),
        "password re-check",
    )
    .await?;
    let ok = session::verify_password(password, user.password_hash.clone()).await;
    if !ok {
        let mut tx = state.db.write_tx().await.map_err(db_error)?;
        crate::features::accounts::repo::login_attempts::record_failure(
            &mut *tx,
            &user.email,
            client,
            state.clock.now_ms(),
        )
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        return Err(AppError::invalid(
            "current_password",
            t.get(Msg::ErrorNotCurrentPassword),
        ));
    }
    Ok(user)
}

/// Changes the password of a signed-in person who gave the current one;
/// every other session ends.
pub async fn change_password(
    state: &AppState,
    headers: &http::HeaderMap,
    user_id: UserId,
    client: &str,
    current: String,
    new: String,
) -> Result<(), AppError> {
    let user = reauthenticate(state, user_id, client, current).await?;
    check_new_password(&new, &user.email)
        .map_err(|e| AppError::invalid("new_password", refused::password(&e)))?;
    let hash = session::hash_password(new).await;
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let this = session::this_session(state, headers);
    replace_password(
        &mut tx,
        state,
        &user,
        &hash,
        this.first().map(String::as_str),
        now,
    )
    .await?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        user_id = user.id.get(),
        "password changed; other sessions ended"
    );
    Ok(())
}

/// Asks to move a signed-in person's account to `new_email`: a link goes to
/// the new address, and the old one is told. An address that already has
/// an account gets nothing, and the answer is the same.
pub async fn request_email_change(
    state: &AppState,
    user_id: UserId,
    client: &str,
    current: String,
    new_email: &Email,
) -> Result<(), AppError> {
    let user = reauthenticate(state, user_id, client, current).await?;
    if user.email == new_email.as_str() {
        return Err(refused::invalid("new_email", Msg::ErrorSameEmail));
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let taken = users::find_by_email(&mut *tx, new_email)
        .await
        .map_err(db_error)?
        .is_some();
    if !taken {
        mail_link(
            &mut tx,
            state,
            user.id,
            LinkPurpose::ChangeEmail,
            new_email.as_str(),
            Some(new_email.as_str()),
            "/account/email",
            emails::confirm_new_email,
        )
        .await?;
    }
    enqueue(
        &mut tx,
        &user.email,
        &emails::email_change_requested(
            crate::i18n::document_texts(),
            &state.config.public_url,
            new_email.as_str(),
        ),
        None,
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// Moves the link's account to its new address, now verified; the old
/// address is told.
pub async fn confirm_email_change(state: &AppState, token: &str) -> Result<UserId, AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let (user_id, new_email) = use_link(&mut tx, state, LinkPurpose::ChangeEmail, token).await?;
    let new_email = new_email.ok_or_else(expired)?;
    let user = users::find(&mut *tx, user_id.get())
        .await
        .map_err(db_error)?
        .ok_or_else(expired)?;
    match users::set_email(&mut *tx, user_id, &new_email, now).await {
        Ok(()) => {}
        Err(e) if crate::platform::db::is_unique_violation(&e) => {
            return Err(refused::invalid("token", Msg::ErrorEmailTakenMeanwhile))
        }
        Err(e) => return Err(db_error(e)),
    }
    enqueue(
        &mut tx,
        &user.email,
        &emails::email_changed(
            crate::i18n::document_texts(),
            &state.config.public_url,
            &new_email,
        ),
        None,
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(user_id = user_id.get(), "email changed");
    Ok(user_id)
}
