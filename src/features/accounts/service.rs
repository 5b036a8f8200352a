//! Accounts: what signing up and signing in do, one transaction each.

use crate::error::AppError;
use crate::platform::db::{db_error, lock};
use crate::platform::state::AppState;

/// Forgets sign-in attempts older than `before` (housekeeping).
pub async fn forget_attempts_before(state: &AppState, before: i64) -> Result<u64, sqlx::Error> {
    crate::features::accounts::repo::login_attempts::delete_older_than(state.db.pool(), before)
        .await
}

/// Who signed in, and the cookie of their new session.
pub struct SignedIn {
    pub user_id: i64,
    pub role: crate::domain::account::Role,
    pub set_cookie: String,
}

/// Checks an email and password from `client`. Failed attempts are
/// counted per account and per client address (`domain::account::lockout`).
/// The count is taken and this attempt recorded as a failure in one
/// transaction that attempts on the same account or client wait for, so a
/// burst in parallel cannot pass the limit: the attempt past it is refused
/// before its password is checked. A correct password then turns the
/// attempt into a success, ends any session this browser had and starts a
/// new one (a session id from before sign-in is never reused).
pub async fn sign_in(
    state: &AppState,
    headers: &http::HeaderMap,
    email: &crate::domain::account::Email,
    password: String,
    client: &str,
) -> Result<SignedIn, AppError> {
    use crate::domain::account::lockout;
    use crate::features::accounts::repo::{login_attempts as attempts, users};
    use crate::platform::session;

    let now = state.clock.now_ms();
    let window_start = now - lockout::WINDOW_MS;
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    lock(&mut tx, &format!("sign-in:{}", email.as_str()))
        .await
        .map_err(db_error)?;
    lock(&mut tx, &format!("sign-in-from:{client}"))
        .await
        .map_err(db_error)?;
    let by_account = attempts::recent_failures_for_email(&mut *tx, email.as_str(), window_start)
        .await
        .map_err(db_error)?;
    let by_client = attempts::recent_failures_for_ip(&mut *tx, client, window_start)
        .await
        .map_err(db_error)?;
    if let Some(which) = lockout::locked(by_account, by_client) {
        let (is_email, key) = match which {
            lockout::Locked::Account => (true, email.as_str()),
            lockout::Locked::Client => (false, client),
        };
        let oldest = attempts::oldest_failure_since(&mut *tx, is_email, key, window_start)
            .await
            .map_err(db_error)?
            .unwrap_or(now);
        tracing::warn!(
            client,
            per_account = by_account,
            per_client = by_client,
            "sign-in rate limited"
        );
        return Err(AppError::RateLimited {
            retry_after_minutes: lockout::retry_after_minutes(oldest, now),
        });
    }
    let attempt = attempts::record_failure(&mut *tx, email.as_str(), client, now)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;

    let user = users::find_by_email(state.db.pool(), email)
        .await
        .map_err(db_error)?;
    // Unknown emails cost the same hashing time as wrong passwords.
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => session::decoy_hash().await,
    };
    let verified = session::verify_password(password, hash).await;
    let Some(user) = user.filter(|_| verified) else {
        return Err(AppError::invalid(
            "form",
            "The email or password is incorrect.",
        ));
    };
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    attempts::succeeded(&mut *tx, attempt)
        .await
        .map_err(db_error)?;
    session::end_session(&mut *tx, state, headers)
        .await
        .map_err(db_error)?;
    let set_cookie = session::start_session(&mut *tx, state, user.id)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(SignedIn {
        user_id: user.id,
        role: user.role,
        set_cookie,
    })
}
