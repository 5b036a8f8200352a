//! Accounts: what signing up and signing in do, one transaction each.

use crate::error::AppError;
use crate::platform::db::{db_error, lock};
use crate::platform::state::AppState;

// What other features run on their own connection, inside their own transaction.
pub use super::repo::users::insert as insert_user;

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

pub use crate::features::accounts::repo::users::{NewUser, UserRecord};

/// Creates an account in the caller's transaction; a taken email is an
/// error on the email field.
pub async fn create_user(
    conn: &mut sqlx::AnyConnection,
    user: NewUser<'_>,
    now: i64,
) -> Result<i64, AppError> {
    crate::features::accounts::repo::users::insert(&mut *conn, user, now)
        .await
        .map_err(|e| {
            if crate::platform::db::is_unique_violation(&e) {
                AppError::invalid(
                    "email",
                    "An account with this email already exists. Sign in instead.",
                )
            } else {
                db_error(e)
            }
        })
}

/// The session this browser had ends and a new one starts for `user_id`,
/// in the caller's transaction; returns the Set-Cookie value.
pub async fn new_session(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    headers: &http::HeaderMap,
    user_id: i64,
) -> Result<String, AppError> {
    crate::platform::session::end_session(&mut *conn, state, headers)
        .await
        .map_err(db_error)?;
    crate::platform::session::start_session(&mut *conn, state, user_id)
        .await
        .map_err(db_error)
}

/// A consumer's new account, signed in at once; returns the Set-Cookie value.
pub async fn sign_up(
    state: &AppState,
    headers: &http::HeaderMap,
    name: &str,
    email: &crate::domain::account::Email,
    password: String,
) -> Result<String, AppError> {
    // Hash before taking the write lock: the CPU work does not block writers.
    let hash = crate::platform::session::hash_password(password).await;
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let user_id = create_user(
        &mut tx,
        NewUser {
            email,
            password_hash: &hash,
            role: crate::domain::account::Role::Customer,
            display_name: name,
        },
        state.clock.now_ms(),
    )
    .await?;
    let cookie = new_session(&mut tx, state, headers, user_id).await?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(user_id, "account created");
    Ok(cookie)
}

/// Ends this browser's session; returns the Set-Cookie value that clears it.
pub async fn sign_out(state: &AppState, headers: &http::HeaderMap) -> Result<String, AppError> {
    crate::platform::session::end_session(state.db.pool(), state, headers)
        .await
        .map_err(db_error)?;
    Ok(crate::platform::session::expired_session_cookie(
        state.config.cookies_secure(),
    ))
}

pub async fn find_by_email(
    state: &AppState,
    email: &crate::domain::account::Email,
) -> Result<Option<UserRecord>, AppError> {
    crate::features::accounts::repo::users::find_by_email(state.db.pool(), email)
        .await
        .map_err(db_error)
}
