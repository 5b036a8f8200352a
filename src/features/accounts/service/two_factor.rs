//! Two-factor sign-in (RFC 6238): setting up an authenticator app, the
//! second step of signing in, and recovery codes.
//!
//! The secret is 160 random bits (RFC 4226's recommendation), sealed with
//! the application secret (`rotate-secrets` seals it again under a new
//! one). A code is accepted within one 30-second step either side of now,
//! for phones whose clock drifts, and each step's code once only. Recovery
//! codes are hashed as passwords are (argon2id): at about 49 bits each, a
//! fast hash of a stolen database would give them up. A wrong code counts
//! as a failed sign-in, so the password limits (`domain::account::lockout`)
//! hold back a guesser who knows the password, and a half-done sign-in
//! ends after five wrong codes.

use crate::domain::account::Role;
use crate::domain::ids::UserId;
use crate::domain::two_factor::{self, TypedCode};
use crate::error::AppError;
use crate::features::accounts::emails;
use crate::features::accounts::refused;
use crate::features::accounts::repo::{login_attempts as attempts, two_factor as repo, users};
use crate::i18n::Msg;
use crate::platform::clock::MINUTE_MS;
use crate::platform::db::db_error;
use crate::platform::mail::enqueue;
use crate::platform::session;
use crate::platform::state::AppState;
use rand::Rng;
use sqlx::AnyConnection;

const STEP_SECONDS: u64 = 30;
/// How long the code step of a sign-in waits.
const CHALLENGE_MS: i64 = 10 * MINUTE_MS;
/// Wrong codes one half-done sign-in takes before it ends.
const CHALLENGE_MAX_FAILURES: i64 = 5;
/// How long new recovery codes stay on the page if their owner never says
/// they are saved.
pub const FRESH_CODES_MS: i64 = 15 * MINUTE_MS;
/// Whom authenticator apps show the codes as coming from.
const ISSUER: &str = "TradeIn";

fn totp(secret: Vec<u8>, account: &str) -> Result<totp_rs::TOTP, AppError> {
    totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        0,
        STEP_SECONDS,
        secret,
        Some(ISSUER.into()),
        account.replace(':', " "),
    )
    .map_err(|e| AppError::Internal {
        reference: format!("two-factor secret: {e}"),
    })
}

fn decode(base32: &str) -> Option<Vec<u8>> {
    totp_rs::Secret::Encoded(base32.to_string()).to_bytes().ok()
}

fn encode(bytes: &[u8]) -> String {
    totp_rs::Secret::Raw(bytes.to_vec())
        .to_encoded()
        .to_string()
}

/// The step (of 30 s since the epoch) whose code `code` is, within one
/// step of `now_ms`; the comparison is constant-time (`TOTP::check`).
fn matching_step(totp: &totp_rs::TOTP, code: &str, now_ms: i64) -> Option<i64> {
    let now = step_of(now_ms);
    (now.saturating_sub(1).max(0)..=now + 1)
        .find(|step| totp.check(code, *step as u64 * STEP_SECONDS))
}

/// The code an app shows at `now_ms` for a base32 secret: for the
/// `demo-code` command and for tests, which sign in as a person would.
pub fn code_at(secret_base32: &str, now_ms: i64) -> Option<String> {
    let totp = totp(decode(secret_base32)?, "x").ok()?;
    Some(totp.generate(now_ms.max(0) as u64 / 1000))
}

/// The 30-second step `now_ms` falls in.
pub fn step_of(now_ms: i64) -> i64 {
    now_ms.max(0) / 1000 / STEP_SECONDS as i64
}

fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    let alphabet = two_factor::RECOVERY_ALPHABET;
    (0..two_factor::RECOVERY_CODES)
        .map(|_| {
            (0..two_factor::RECOVERY_LEN)
                .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
                .collect()
        })
        .collect()
}

/// Ten new recovery codes and their hashes, made before the transaction
/// that stores them (hashing is slow on purpose).
struct NewCodes {
    codes: Vec<String>,
    hashes: Vec<String>,
}

async fn new_codes() -> NewCodes {
    let codes = new_recovery_codes();
    let mut hashes = Vec::with_capacity(codes.len());
    for code in &codes {
        hashes.push(session::hash_password(code.clone()).await);
    }
    NewCodes { codes, hashes }
}

/// Replaces the account's recovery codes with `fresh`, kept sealed for the
/// page to show once.
async fn issue_codes(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: UserId,
    NewCodes { codes, hashes }: NewCodes,
    now: i64,
) -> Result<(), AppError> {
    repo::replace_codes(&mut *conn, user_id, &hashes)
        .await
        .map_err(db_error)?;
    repo::set_fresh_codes(
        &mut *conn,
        user_id,
        Some(&state.secret.seal_two_factor(&codes.join(" "))),
        now,
    )
    .await
    .map_err(db_error)
}

/// An authenticator app being set up: what the page shows to scan or type.
#[derive(Clone, Debug)]
pub struct Pending {
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

/// Where an account stands with two-factor sign-in.
#[derive(Clone, Debug, Default)]
pub struct Status {
    pub enabled: bool,
    pub codes_left: i64,
    pub pending: Option<Pending>,
    /// New recovery codes not yet marked as saved.
    pub fresh_codes: Option<Vec<String>>,
}

pub async fn status(state: &AppState, user_id: UserId, email: &str) -> Result<Status, AppError> {
    let pool = state.db.pool();
    let Some(row) = repo::find(pool, user_id).await.map_err(db_error)? else {
        return Ok(Status::default());
    };
    let now = state.clock.now_ms();
    let pending = match row.pending_secret.as_deref() {
        Some(sealed) => {
            let secret =
                state
                    .secret
                    .open_two_factor(sealed)
                    .ok_or_else(|| AppError::Internal {
                        reference: "a two-factor secret does not open".into(),
                    })?;
            let url = totp(decode(&secret).unwrap_or_default(), email)?.get_url();
            let qr = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::Internal {
                reference: format!("QR code: {e}"),
            })?;
            let qr_svg = qr
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .dark_color(qrcode::render::svg::Color("#000000"))
                .light_color(qrcode::render::svg::Color("#ffffff"))
                .build();
            Some(Pending {
                secret,
                otpauth_url: url,
                qr_svg,
            })
        }
        None => None,
    };
    let fresh_codes = row
        .fresh_codes
        .as_deref()
        .filter(|_| {
            row.fresh_codes_at
                .is_some_and(|at| now - at < FRESH_CODES_MS)
        })
        .and_then(|sealed| state.secret.open_two_factor(sealed))
        .map(|codes| codes.split(' ').map(str::to_string).collect());
    Ok(Status {
        enabled: row.enabled_at.is_some(),
        codes_left: repo::codes_left(pool, user_id).await.map_err(db_error)?,
        pending,
        fresh_codes,
    })
}

/// Starts setting up an app, after the current password: a new secret
/// waits for its first code. Replacing an app works the same way; the old
/// one keeps working until the new one is confirmed.
pub async fn start(
    state: &AppState,
    user_id: UserId,
    client: &str,
    current_password: String,
) -> Result<(), AppError> {
    super::links::reauthenticate(state, user_id, client, current_password).await?;
    let mut secret = [0u8; 20];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
    repo::set_pending(
        state.db.pool(),
        user_id,
        &state.secret.seal_two_factor(&encode(&secret)),
        state.clock.now_ms(),
    )
    .await
    .map_err(db_error)
}

fn wrong_code() -> AppError {
    refused::invalid("code", Msg::ErrorCodeWrong)
}

/// What was typed is no code.
fn not_a_code(e: two_factor::CodeError) -> AppError {
    AppError::invalid("code", refused::code(&e))
}

/// A step of setting up an app, out of turn.
fn conflict(msg: Msg) -> AppError {
    AppError::Conflict(refused::text(msg))
}

/// Confirms the app being set up with a code it shows: two-factor sign-in
/// is on, ten recovery codes are made, every other session ends (it was
/// opened with the password alone) and the owner is told by mail.
pub async fn confirm(
    state: &AppState,
    headers: &http::HeaderMap,
    user_id: UserId,
    email: &str,
    code: &str,
) -> Result<(), AppError> {
    let code = match two_factor::parse_code(code).map_err(not_a_code)? {
        TypedCode::App(c) => c,
        TypedCode::Recovery(_) => return Err(not_a_code(two_factor::CodeError::Empty)),
    };
    let now = state.clock.now_ms();
    let row = repo::find(state.db.pool(), user_id)
        .await
        .map_err(db_error)?
        .unwrap_or_default();
    let sealed = row
        .pending_secret
        .ok_or_else(|| conflict(Msg::ErrorTwoFactorNotStarted))?;
    let secret = state
        .secret
        .open_two_factor(&sealed)
        .and_then(|s| decode(&s))
        .ok_or_else(|| conflict(Msg::ErrorTwoFactorStartAgain))?;
    let step = matching_step(&totp(secret, email)?, &code, now).ok_or_else(wrong_code)?;
    let codes = new_codes().await;
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    if !repo::enable(&mut *tx, user_id, &sealed, step, now)
        .await
        .map_err(db_error)?
    {
        return Err(conflict(Msg::ErrorTwoFactorReplaced));
    }
    issue_codes(&mut tx, state, user_id, codes, now).await?;
    let this = session::this_session(state, headers);
    session::repo::delete_all_but(&mut *tx, user_id, this.first().map(String::as_str))
        .await
        .map_err(db_error)?;
    enqueue(
        &mut tx,
        email,
        &emails::two_factor_on(crate::i18n::document_texts(), &state.config.public_url),
        None,
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(user_id = user_id.get(), "two-factor sign-in turned on");
    Ok(())
}

/// Ten new recovery codes after the current password; the old ones stop
/// working.
pub async fn renew_codes(
    state: &AppState,
    user_id: UserId,
    client: &str,
    current_password: String,
) -> Result<(), AppError> {
    let user = super::links::reauthenticate(state, user_id, client, current_password).await?;
    let codes = new_codes().await;
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let enabled = repo::find(&mut *tx, user_id)
        .await
        .map_err(db_error)?
        .is_some_and(|r| r.enabled_at.is_some());
    if !enabled {
        return Err(conflict(Msg::ErrorTwoFactorOff));
    }
    issue_codes(&mut tx, state, user_id, codes, now).await?;
    enqueue(
        &mut tx,
        &user.email,
        &emails::recovery_codes_renewed(crate::i18n::document_texts(), &state.config.public_url),
        None,
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// The owner has saved the codes shown: they are not shown again.
pub async fn codes_saved(state: &AppState, user_id: UserId) -> Result<(), AppError> {
    repo::set_fresh_codes(state.db.pool(), user_id, None, 0)
        .await
        .map_err(db_error)
}

/// Turns two-factor sign-in off for a consumer who gives their password
/// and a code; refurbishers and operations must keep it.
pub async fn turn_off(
    state: &AppState,
    user_id: UserId,
    client: &str,
    current_password: String,
    code: &str,
) -> Result<(), AppError> {
    let user = super::links::reauthenticate(state, user_id, client, current_password).await?;
    if user.role.requires_two_factor() {
        return Err(conflict(Msg::ErrorTwoFactorRequired));
    }
    let typed = two_factor::parse_code(code).map_err(not_a_code)?;
    let now = state.clock.now_ms();
    let proof = check_code(state, &user, &typed, now)
        .await?
        .ok_or_else(wrong_code)?;
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    if !consume(&mut tx, user.id, proof, now).await? {
        return Err(wrong_code());
    }
    repo::remove(&mut tx, user_id).await.map_err(db_error)?;
    enqueue(
        &mut tx,
        &user.email,
        &emails::two_factor_off(crate::i18n::document_texts(), &state.config.public_url),
        None,
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(user_id = user_id.get(), "two-factor sign-in turned off");
    Ok(())
}

/// What a right code proves, to be used up (`consume`).
#[derive(Clone, Copy, Debug)]
enum Proof {
    /// The app's code of this step.
    Step(i64),
    /// This recovery code (its row).
    RecoveryCode(i64),
}

/// Checks a typed code of `user`, reading only (a recovery code's hash
/// takes tens of milliseconds, kept out of any write): the app's code of a
/// step within one of now, or one of the account's unused recovery codes.
async fn check_code(
    state: &AppState,
    user: &users::UserRecord,
    typed: &TypedCode,
    now: i64,
) -> Result<Option<Proof>, AppError> {
    let pool = state.db.pool();
    match typed {
        TypedCode::App(code) => {
            let Some(row) = repo::find(pool, user.id).await.map_err(db_error)? else {
                return Ok(None);
            };
            let Some(secret) = row
                .secret
                .as_deref()
                .filter(|_| row.enabled_at.is_some())
                .and_then(|s| state.secret.open_two_factor(s))
                .and_then(|s| decode(&s))
            else {
                return Ok(None);
            };
            Ok(matching_step(&totp(secret, &user.email)?, code, now).map(Proof::Step))
        }
        TypedCode::Recovery(code) => {
            for (id, hash) in repo::unused_codes(pool, user.id).await.map_err(db_error)? {
                if session::verify_password(code.clone(), hash).await {
                    return Ok(Some(Proof::RecoveryCode(id)));
                }
            }
            Ok(None)
        }
    }
}

/// Uses up a checked code in the caller's transaction; false when it was
/// used meanwhile (the same code typed twice, or two sign-ins racing with
/// one code: guarded updates let one of them through).
async fn consume(
    conn: &mut AnyConnection,
    user_id: UserId,
    proof: Proof,
    now: i64,
) -> Result<bool, AppError> {
    match proof {
        Proof::Step(step) => repo::use_step(&mut *conn, user_id, step).await,
        Proof::RecoveryCode(id) => repo::use_code(&mut *conn, user_id, id, now).await,
    }
    .map_err(db_error)
}

/// Gives an account that has no two-factor sign-in a known secret: the
/// demo accounts, whose secret is published (README) so that anyone trying
/// the app can sign in with a code, and test accounts.
pub async fn set_known_secret<'c>(
    ex: impl sqlx::Executor<'c, Database = sqlx::Any>,
    secret: &crate::platform::secret::Secret,
    user_id: UserId,
    secret_base32: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    repo::insert_secret(ex, user_id, &secret.seal_two_factor(secret_base32), now).await
}

/// What `reseal` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resealed {
    pub resealed: u64,
    pub already_current: u64,
    pub unreadable: u64,
}

/// Seals every two-factor secret again under the current application
/// secret (`tradein rotate-secrets`), so the previous ones can go.
pub async fn reseal(
    db: &crate::platform::db::Db,
    secret: &crate::platform::secret::Secret,
) -> Result<Resealed, sqlx::Error> {
    let mut done = Resealed::default();
    for (user_id, a, b, c) in repo::all_sealed(db.pool()).await? {
        let old = [a.as_deref(), b.as_deref(), c.as_deref()];
        if old.iter().flatten().all(|v| secret.is_current(v)) {
            done.already_current += 1;
            continue;
        }
        let new: Vec<Option<String>> = old
            .iter()
            .map(|v| {
                v.map(|v| {
                    secret
                        .open_two_factor(v)
                        .map(|p| secret.seal_two_factor(&p))
                })
            })
            .map(|v| v.flatten())
            .collect();
        if old
            .iter()
            .zip(&new)
            .any(|(o, n)| o.is_some() && n.is_none())
        {
            tracing::warn!(
                user_id = user_id.get(),
                "two-factor secret sealed under a secret no longer listed"
            );
            done.unreadable += 1;
            continue;
        }
        if repo::reseal(
            db.pool(),
            user_id,
            old,
            [new[0].as_deref(), new[1].as_deref(), new[2].as_deref()],
        )
        .await?
        {
            done.resealed += 1;
        }
    }
    Ok(done)
}

/// The cookie holding a half-done sign-in's token (`session::private_cookie`:
/// this site's requests only, never readable by scripts), for `CHALLENGE_MS`.
fn challenge_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tradein_sign_in"
    } else {
        "tradein_sign_in"
    }
}

/// What a right password (or an emailed link) leads to.
pub enum Entry {
    /// Signed in: the new session's cookie.
    Session(String),
    /// A code is still needed: the cookie of the half-done sign-in.
    Code(String),
}

/// After the first factor, in the caller's transaction: an account with
/// two-factor sign-in gets a half-done sign-in, and `attempt` is forgotten
/// (`login_attempts::forget`: each code is an attempt of its own); any
/// other account is signed in, `attempt` turned into a success.
pub async fn enter(
    conn: &mut AnyConnection,
    state: &AppState,
    headers: &http::HeaderMap,
    client: &str,
    user_id: UserId,
    attempt: i64,
) -> Result<Entry, AppError> {
    let now = state.clock.now_ms();
    let enabled = repo::find(&mut *conn, user_id)
        .await
        .map_err(db_error)?
        .is_some_and(|r| r.enabled_at.is_some());
    if !enabled {
        attempts::succeeded(&mut *conn, attempt)
            .await
            .map_err(db_error)?;
        return Ok(Entry::Session(
            super::new_session(conn, state, headers, client, user_id).await?,
        ));
    }
    attempts::forget(&mut *conn, attempt)
        .await
        .map_err(db_error)?;
    let token = session::new_session_token();
    repo::insert_challenge(
        &mut *conn,
        &state.secret.session_token_hash(&token),
        user_id,
        now,
        now + CHALLENGE_MS,
    )
    .await
    .map_err(db_error)?;
    let secure = state.config.cookies_secure();
    Ok(Entry::Code(session::private_cookie(
        challenge_cookie_name(secure),
        &token,
        CHALLENGE_MS,
        secure,
    )))
}

fn sign_in_again() -> AppError {
    refused::invalid("code", Msg::ErrorCodeTimedOut)
}

/// A finished sign-in: the session cookie, and the one that clears the
/// half-done sign-in.
pub struct CodeAccepted {
    pub user_id: UserId,
    pub role: Role,
    pub set_cookies: [String; 2],
}

/// The second step of signing in: the code of this browser's half-done
/// sign-in. A wrong code is a failed sign-in for the account's limits.
pub async fn sign_in_with_code(
    state: &AppState,
    headers: &http::HeaderMap,
    client: &str,
    code: &str,
) -> Result<CodeAccepted, AppError> {
    let secure = state.config.cookies_secure();
    let token =
        session::cookie_token(headers, challenge_cookie_name(secure)).ok_or_else(sign_in_again)?;
    let now = state.clock.now_ms();
    let mut challenge = None;
    for hash in state.secret.session_token_hashes(&token) {
        challenge = repo::find_challenge(state.db.pool(), &hash, now)
            .await
            .map_err(db_error)?;
        if challenge.is_some() {
            break;
        }
    }
    let challenge = challenge.ok_or_else(sign_in_again)?;
    let typed = two_factor::parse_code(code).map_err(not_a_code)?;
    let user = users::find(state.db.pool(), challenge.user_id.get())
        .await
        .map_err(db_error)?
        .ok_or_else(sign_in_again)?;

    let attempt = super::admit_attempt(state, &user.email, client, "code").await?;

    let proof = check_code(state, &user, &typed, now).await?;
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let used = match proof {
        Some(proof) => consume(&mut tx, user.id, proof, now).await?,
        None => false,
    };
    if !used {
        let failures = repo::challenge_failed(&mut *tx, challenge.id)
            .await
            .map_err(db_error)?;
        let ended = failures >= CHALLENGE_MAX_FAILURES;
        if ended {
            repo::delete_challenge(&mut *tx, challenge.id)
                .await
                .map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)?;
        tracing::warn!(client, user_id = user.id.get(), "sign-in code refused");
        return Err(if ended { sign_in_again() } else { wrong_code() });
    }
    if !repo::delete_challenge(&mut *tx, challenge.id)
        .await
        .map_err(db_error)?
    {
        return Err(sign_in_again());
    }
    attempts::succeeded(&mut *tx, attempt)
        .await
        .map_err(db_error)?;
    if let TypedCode::Recovery(_) = typed {
        let left = repo::codes_left(&mut *tx, user.id)
            .await
            .map_err(db_error)?;
        enqueue(
            &mut tx,
            &user.email,
            &emails::recovery_code_used(
                crate::i18n::document_texts(),
                &state.config.public_url,
                left,
            ),
            None,
            now,
        )
        .await
        .map_err(db_error)?;
    }
    let session_cookie = super::new_session(&mut tx, state, headers, client, user.id).await?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(user_id = user.id.get(), "signed in with a second factor");
    Ok(CodeAccepted {
        user_id: user.id,
        role: user.role,
        set_cookies: [
            session_cookie,
            session::private_cookie(challenge_cookie_name(secure), "", 0, secure),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_rfc_6238_and_one_step_either_side() {
        // RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" at
        // 59 s gives 94287082 in eight digits, so 287082 in six.
        let secret = encode(b"12345678901234567890");
        assert_eq!(code_at(&secret, 59_000).as_deref(), Some("287082"));
        let totp = totp(b"12345678901234567890".to_vec(), "a@b.example").unwrap();
        let now = 1_111_111_109_000;
        let code = code_at(&secret, now).unwrap();
        assert_eq!(matching_step(&totp, &code, now), Some(step_of(now)));
        assert_eq!(
            matching_step(&totp, &code, now + 30_000),
            Some(step_of(now)),
            "a code just past its step still works"
        );
        assert_eq!(matching_step(&totp, &code, now + 61_000), None);
        assert_eq!(
            matching_step(&totp, "000000", now).filter(|_| code != "000000"),
            None
        );
    }

    #[test]
    fn recovery_codes_are_ten_distinct_codes_that_parse() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), 10);
        for c in &codes {
            assert_eq!(
                two_factor::parse_code(&two_factor::printed(c)),
                Ok(TypedCode::Recovery(c.clone()))
            );
        }
    }
}
