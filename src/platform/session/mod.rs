//! Passwords, session cookies and the signed-in user.

pub mod guard;
pub mod repo;

use crate::domain::ids::UserId;
use crate::domain::user::CurrentUser;
use crate::platform::clock::{DAY_MS, HOUR_MS, MINUTE_MS};
use crate::platform::state::AppState;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use http::HeaderMap;
use rand::RngCore;
use std::sync::OnceLock;

/// Sessions last 30 days from signing in, however much they are used.
pub const SESSION_TTL_MS: i64 = 30 * DAY_MS;
/// An operations session unused for 12 hours ends: it can move money and
/// see every account.
pub const OPS_IDLE_MS: i64 = 12 * HOUR_MS;
/// Last use is written at most every five minutes, not on every request.
const TOUCH_EVERY_MS: i64 = 5 * MINUTE_MS;

/// Where a session starts from, for the sessions page.
#[derive(Clone, Copy, Debug)]
pub struct Origin<'a> {
    pub user_agent: &'a str,
    pub client: &'a str,
}

impl<'a> Origin<'a> {
    pub fn of(headers: &'a HeaderMap, client: &'a str) -> Origin<'a> {
        Origin {
            user_agent: headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default(),
            client,
        }
    }
}

/// argon2id with OWASP's recommended minimum: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How many argon2 runs may be under way at once. Each holds 19 MiB, and the
/// blocking pool would start hundreds of them for a burst of sign-ups or
/// sign-in attempts; hashing is CPU-bound, so more than one per core gains
/// nothing. The rest wait their turn without holding memory.
fn hashing_turns() -> &'static tokio::sync::Semaphore {
    static TURNS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    TURNS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores.clamp(2, 8))
    })
}

/// Runs `work` on the blocking pool, so the async workers keep serving other
/// requests, once `turns` gives it a turn.
async fn in_turn<T: Send + 'static>(
    turns: &tokio::sync::Semaphore,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let _turn = turns
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(work)
        .await
        .expect("password hashing task panicked")
}

/// Hashing takes tens of milliseconds of CPU and 19 MiB (`hashing_turns`).
pub async fn hash_password(password: String) -> String {
    in_turn(hashing_turns(), move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .expect("argon2 hashing cannot fail with valid params")
            .to_string()
    })
    .await
}

pub async fn verify_password(password: String, hash: String) -> bool {
    in_turn(hashing_turns(), move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
}

/// A hash to verify against when the email is unknown, so that a wrong email
/// takes as long as a wrong password and does not reveal who has an account.
pub async fn decoy_hash() -> String {
    static DECOY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DECOY.get() {
        return h.clone();
    }
    let h = hash_password("decoy password that matches nothing".into()).await;
    DECOY.get_or_init(|| h).clone()
}

pub fn new_session_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// `__Host-` cookies are bound to this exact host and must be Secure, so the
/// prefix is used whenever the site is served over https.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tradein_session"
    } else {
        "tradein_session"
    }
}

/// The session cookie: sent only with this site's own navigations and
/// requests (`SameSite=Lax`), never readable by scripts, and over https
/// only when the site is served that way. Built and read by the `cookie`
/// crate, which quotes and splits as RFC 6265 says.
pub fn session_cookie(token: &str, secure: bool) -> String {
    private_cookie(cookie_name(secure), token, SESSION_TTL_MS, secure)
}

/// Tells the browser to drop its session cookie.
pub fn expired_session_cookie(secure: bool) -> String {
    private_cookie(cookie_name(secure), "", 0, secure)
}

/// A cookie holding a token, with the session cookie's attributes, for
/// `max_age_ms` (0 drops it).
pub fn private_cookie(name: &'static str, value: &str, max_age_ms: i64, secure: bool) -> String {
    cookie::Cookie::build((name, value.to_string()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::milliseconds(max_age_ms))
        .build()
        .to_string()
}

/// The token a `private_cookie` named `name` holds, if the request sent one
/// of a token's length.
pub fn cookie_token(headers: &HeaderMap, name: &str) -> Option<String> {
    crate::platform::http::request_cookies(headers)
        .find(|c| c.name() == name && !c.value().is_empty() && c.value().len() <= 64)
        .map(|c| c.value().to_string())
}

pub fn session_token(headers: &HeaderMap, secure: bool) -> Option<String> {
    cookie_token(headers, cookie_name(secure))
}

/// Starts a session for `user_id`; returns the Set-Cookie header value.
/// A fresh token every time: a session id fixed before login is never reused.
pub async fn start_session<'c>(
    ex: impl sqlx::Executor<'c, Database = sqlx::Any>,
    state: &AppState,
    origin: Origin<'_>,
    user_id: UserId,
) -> Result<String, sqlx::Error> {
    let token = new_session_token();
    let now = state.clock.now_ms();
    let mut handle = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut handle);
    crate::platform::session::repo::insert(
        ex,
        &repo::NewSession {
            token_hash: &state.secret.session_token_hash(&token),
            handle: &hex::encode(handle),
            user_agent: &origin.user_agent.chars().take(300).collect::<String>(),
            client: origin.client,
        },
        user_id,
        now,
        now + SESSION_TTL_MS,
    )
    .await?;
    Ok(session_cookie(&token, state.config.cookies_secure()))
}

pub async fn end_session<'c>(
    ex: impl sqlx::Executor<'c, Database = sqlx::Any>,
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(), sqlx::Error> {
    if let Some(token) = session_token(headers, state.config.cookies_secure()) {
        crate::platform::session::repo::delete(ex, &state.secret.session_token_hashes(&token))
            .await?;
    }
    Ok(())
}

/// The hashes this browser's session token may be stored under.
pub fn this_session(state: &AppState, headers: &HeaderMap) -> Vec<String> {
    session_token(headers, state.config.cookies_secure())
        .map(|t| state.secret.session_token_hashes(&t))
        .unwrap_or_default()
}

/// For plain axum routes (downloads, uploads) what `guard` is for server
/// functions: the signed-in user if they have `role`, else 401 or 403.
pub async fn user_with_role(
    state: &AppState,
    headers: &HeaderMap,
    role: crate::domain::account::Role,
) -> Result<CurrentUser, crate::error::AppError> {
    use crate::error::AppError;
    match current_user(state, headers).await {
        Ok(Some(u)) if u.role == role && u.needs_two_factor() => Err(AppError::TwoFactorRequired),
        Ok(Some(u)) if u.role == role => Ok(u),
        Ok(Some(_)) => Err(AppError::Forbidden),
        Ok(None) => Err(AppError::Unauthenticated),
        Err(e) => Err(crate::platform::session::guard::internal_error(headers, e)),
    }
}

/// Deletes sessions past their expiry (housekeeping).
pub async fn forget_expired(state: &AppState) -> Result<u64, sqlx::Error> {
    repo::delete_expired(state.db.pool(), state.clock.now_ms()).await
}

pub async fn current_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let Some(token) = session_token(headers, state.config.cookies_secure()) else {
        return Ok(None);
    };
    let now = state.clock.now_ms();
    // Under the current secret first; a session made before a rotation is
    // stored under a previous one.
    let mut found = None;
    for hash in state.secret.session_token_hashes(&token) {
        if let Some(user) =
            crate::platform::session::repo::find_user(state.db.pool(), &hash, now, OPS_IDLE_MS)
                .await?
        {
            found = Some((hash, user));
            break;
        }
    }
    let Some((hash, found)) = found else {
        return Ok(None);
    };
    if now - found.last_seen_at > TOUCH_EVERY_MS {
        crate::platform::session::repo::touch(state.db.pool(), &hash, now).await?;
    }
    Ok(Some(CurrentUser {
        id: found.user_id,
        email: found.email,
        name: found.display_name,
        role: found.role,
        two_factor: found.two_factor,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_hashes_run_at_once_than_there_are_turns() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let turns = Arc::new(tokio::sync::Semaphore::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..24)
            .map(|_| {
                let (turns, running, peak) = (turns.clone(), running.clone(), peak.clone());
                tokio::spawn(async move {
                    in_turn(&turns, move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            peak.load(Ordering::SeqCst),
            2,
            "two at a time, and both used"
        );
    }

    #[test]
    fn cookie_attributes() {
        let attributes = |c: &str| -> Vec<String> {
            let mut a: Vec<String> = c.split("; ").skip(1).map(String::from).collect();
            a.sort();
            a
        };
        let c = session_cookie("abc", false);
        assert!(c.starts_with("tradein_session=abc;"));
        let max_age = format!("Max-Age={}", SESSION_TTL_MS / 1000);
        assert_eq!(
            attributes(&c),
            ["HttpOnly", max_age.as_str(), "Path=/", "SameSite=Lax"]
        );
        let s = session_cookie("abc", true);
        assert!(s.starts_with("__Host-tradein_session=abc;"));
        assert_eq!(
            attributes(&s),
            [
                "HttpOnly",
                max_age.as_str(),
                "Path=/",
                "SameSite=Lax",
                "Secure"
            ]
        );
        let gone = expired_session_cookie(true);
        assert!(gone.starts_with("__Host-tradein_session=;"));
        assert_eq!(
            attributes(&gone),
            ["HttpOnly", "Max-Age=0", "Path=/", "SameSite=Lax", "Secure"]
        );
    }

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; tradein_session=tok; b=2".parse().unwrap(),
        );
        assert_eq!(session_token(&h, false).as_deref(), Some("tok"));
        assert_eq!(session_token(&h, true), None);
    }

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = hash_password("correct horse battery".into()).await;
        let b = hash_password("correct horse battery".into()).await;
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery".into(), a.clone()).await);
        assert!(!verify_password("wrong".into(), a).await);
        assert!(!verify_password("x".into(), "not a hash".into()).await);
    }
}
