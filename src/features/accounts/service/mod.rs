//! Accounts: what signing up and signing in do, one transaction each.

use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::features::accounts::emails;
use crate::features::accounts::repo::users;
use crate::platform::clock::HOUR_MS;
use crate::platform::db::{db_error, lock};
use crate::platform::rate_limit::{self, Limit};
use crate::platform::state::AppState;

pub mod links;
pub mod sessions;

pub use links::reauthenticate;
pub mod two_factor;

// What other features run on their own connection, inside their own transaction.

pub use super::repo::users::find_by_email as find_user_by_email;
pub use super::repo::users::insert as insert_user;
pub use super::repo::users::is_deleted;

/// Forgets sign-in attempts, limited actions, expired emailed links and
/// half-done sign-ins older than `before`, and recovery codes left on
/// show (housekeeping); the number of attempts forgotten.
pub async fn forget_attempts_before(state: &AppState, before: i64) -> Result<u64, sqlx::Error> {
    let mut conn = state.db.pool().acquire().await?;
    rate_limit::forget_before(&mut conn, before).await?;
    crate::features::accounts::repo::sign_in_links::delete_expired_before(&mut *conn, before)
        .await?;
    crate::features::accounts::repo::account_links::delete_expired_before(&mut *conn, before)
        .await?;
    crate::features::accounts::repo::two_factor::delete_expired_challenges_before(
        &mut *conn, before,
    )
    .await?;
    crate::features::accounts::repo::two_factor::forget_fresh_codes_before(
        &mut *conn,
        state.clock.now_ms() - two_factor::FRESH_CODES_MS,
    )
    .await?;

    crate::features::accounts::repo::login_attempts::delete_older_than(&mut *conn, before).await
}

/// Who signed in, and the cookie of their new session; or, when
/// `needs_code`, the cookie of a sign-in waiting for its second factor.
pub struct SignedIn {
    pub user_id: UserId,
    pub role: crate::domain::account::Role,
    pub set_cookie: String,
    pub needs_code: bool,
}

/// Checks an email and password from `client`, under the limits of
/// `domain::account::lockout`. The failures are counted and this attempt
/// recorded as one in a transaction that attempts on the same account or
/// client wait for, so a burst in parallel cannot pass a limit: the attempt
/// past it is refused before its password is checked. A correct password
/// then turns the attempt into a success (which clears this client's waits
/// on this account), ends any session this browser had and starts a new one
/// (a session id from before sign-in is never reused); with two-factor
/// sign-in on, a half-done sign-in waits for its code instead
/// (`two_factor::enter`).
/// Keeps a refurbisher's or operations user's choice of the areas'
/// language on their account, for the mails they are sent. A consumer's
/// language is their market's: nothing to keep.
pub async fn remember_language(
    state: &AppState,
    user: &crate::domain::user::CurrentUser,
    lang: crate::i18n::Lang,
) -> Result<(), sqlx::Error> {
    use crate::domain::account::Role;
    if matches!(user.role, Role::Seller | Role::Ops) {
        users::set_lang(state.db.pool(), user.id, lang.code()).await?;
    }
    Ok(())
}

pub async fn sign_in(
    state: &AppState,
    headers: &http::HeaderMap,
    email: &crate::domain::account::Email,
    password: String,
    client: &str,
) -> Result<SignedIn, AppError> {
    use crate::platform::session;

    let attempt = admit_attempt(state, email.as_str(), client, "password").await?;

    let user = users::find_by_email(state.db.pool(), email)
        .await
        .map_err(db_error)?;
    // Unknown emails cost the same hashing time as wrong passwords.
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => session::decoy_hash().await,
    };
    let verified = session::verify_password(password, hash).await;
    let known_id = user.as_ref().map(|u| u.id);
    let Some(user) = user.filter(|_| verified) else {
        // Who (when the account exists) and from where: the trail a
        // guessing campaign leaves. Never the password, nor an unknown
        // address someone typed.
        tracing::warn!(
            client,
            user_id = known_id.map(UserId::get),
            "sign-in failed"
        );
        return Err(super::refused::invalid(
            "form",
            crate::i18n::Msg::ErrorWrongCredentials,
        ));
    };
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    // A language chosen before signing in is the account's from now on.
    if let Some(lang) = crate::i18n::staff::chosen_lang(headers).filter(|_| {
        matches!(
            user.role,
            crate::domain::account::Role::Seller | crate::domain::account::Role::Ops
        )
    }) {
        users::set_lang(&mut *tx, user.id, lang.code())
            .await
            .map_err(db_error)?;
    }
    let entry = two_factor::enter(&mut tx, state, headers, client, user.id, attempt).await?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(user_id = user.id.get(), "password accepted");
    Ok(SignedIn::new(&user, entry))
}

impl SignedIn {
    pub(super) fn new(user: &UserRecord, entry: two_factor::Entry) -> SignedIn {
        let (set_cookie, needs_code) = match entry {
            two_factor::Entry::Session(c) => (c, false),
            two_factor::Entry::Code(c) => (c, true),
        };
        SignedIn {
            user_id: user.id,
            role: user.role,
            set_cookie,
            needs_code,
        }
    }
}

pub use crate::features::accounts::repo::users::{NewUser, UserRecord};

/// Creates an account in the caller's transaction; None when the address
/// already has one (a sign-up at the same moment may have taken it).
pub async fn create_user(
    conn: &mut sqlx::AnyConnection,
    user: NewUser<'_>,
    now: i64,
) -> Result<Option<UserId>, AppError> {
    match crate::features::accounts::repo::users::insert(&mut *conn, user, now).await {
        Ok(id) => Ok(Some(id)),
        Err(e) if crate::platform::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(db_error(e)),
    }
}

/// The session this browser had ends and a new one starts for `user_id`,
/// in the caller's transaction; returns the Set-Cookie value.
pub async fn new_session(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    headers: &http::HeaderMap,
    client: &str,
    user_id: UserId,
) -> Result<String, AppError> {
    use crate::platform::session::{end_session, start_session, Origin};
    end_session(&mut *conn, state, headers)
        .await
        .map_err(db_error)?;
    start_session(&mut *conn, state, Origin::of(headers, client), user_id)
        .await
        .map_err(db_error)
}

/// What asking for a new account with an address came to.
#[derive(Debug)]
pub enum NewAccount<T> {
    Created(T),
    /// The address has an account: its owner was mailed a sign-in link,
    /// and the answer must be the one a link request gets, so that nobody
    /// learns which addresses have accounts.
    Known,
}

/// Sign-ups from one client address per hour, before any password is
/// hashed (`SIGN_UPS_PER_HOUR`).
fn sign_ups(state: &AppState) -> Limit {
    Limit {
        bucket: "sign_up",
        max: state.config.sign_ups_per_hour,
        window_ms: HOUR_MS,
    }
}

/// Sign-in links mailed to one account per hour: enough for a person who
/// mistyped or lost one, too few to flood a mailbox.
const LINKS_PER_ACCOUNT: Limit = Limit {
    bucket: "sign_in_link",
    max: 3,
    window_ms: HOUR_MS,
};

/// Link requests from one client address per hour, whatever the address.
const LINK_REQUESTS_PER_CLIENT: Limit = Limit {
    bucket: "sign_in_link_from",
    max: 10,
    window_ms: HOUR_MS,
};

pub(super) fn held_back(until: i64, now: i64) -> AppError {
    AppError::RateLimited {
        retry_after_minutes: crate::domain::account::lockout::minutes_until(until, now),
    }
}

/// Refuses with the wait when the failures of `client` on the account at
/// `email` have reached a limit of `domain::account::lockout`. `what` names
/// the secret about to be checked, for the log.
pub(super) async fn within_limits<'c>(
    ex: impl sqlx::Executor<'c, Database = sqlx::Any>,
    email: &str,
    client: &str,
    now: i64,
    what: &str,
) -> Result<(), AppError> {
    use crate::features::accounts::repo::login_attempts as attempts;
    let failures = attempts::failures(ex, email, client, now)
        .await
        .map_err(db_error)?;
    if let Err((limit, until)) = crate::domain::account::lockout::check(&failures, now) {
        tracing::warn!(
            client,
            what,
            ?limit,
            pair = failures.pair,
            per_client = failures.client,
            per_account = failures.account,
            "sign-in held back"
        );
        return Err(held_back(until, now));
    }
    Ok(())
}

/// Records an attempt on the account at `email` from `client` as failed
/// before its password or code is checked, unless a limit holds it back.
/// Attempts on the same account or from the same client take turns (the
/// locks), so a burst in parallel cannot pass a limit. The attempt's id,
/// to turn into a success once checked.
pub(super) async fn admit_attempt(
    state: &AppState,
    email: &str,
    client: &str,
    what: &str,
) -> Result<i64, AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    lock(&mut tx, &format!("sign-in:{email}"))
        .await
        .map_err(db_error)?;
    lock(&mut tx, &format!("sign-in-from:{client}"))
        .await
        .map_err(db_error)?;
    within_limits(&mut *tx, email, client, now, what).await?;
    let attempt = crate::features::accounts::repo::login_attempts::record_failure(
        &mut *tx, email, client, now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(attempt)
}

/// Takes one of `client`'s sign-up places, or refuses with the wait.
/// Called before the password is hashed, so a flood of sign-ups costs no
/// hashing past the limit.
pub async fn admit_sign_up(state: &AppState, client: &str) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let taken = rate_limit::take(&mut tx, &sign_ups(state), client, now)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    match taken {
        Ok(()) => Ok(()),
        Err(until) => {
            tracing::warn!(client, "sign-up held back");
            Err(held_back(until, now))
        }
    }
}

/// Mails the account with this address a sign-in link saying someone
/// tried to sign up with it (see `NewAccount::Known`).
pub async fn answer_known_address(
    state: &AppState,
    email: &crate::domain::account::Email,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    if let Some(user) = users::find_by_email(&mut *tx, email)
        .await
        .map_err(db_error)?
    {
        mail_link(&mut tx, state, &user, emails::account_exists, now).await?;
    }
    tx.commit().await.map_err(db_error)
}

/// A consumer's new account, signed in at once (the Set-Cookie value).
pub async fn sign_up(
    state: &AppState,
    headers: &http::HeaderMap,
    name: &str,
    email: &crate::domain::account::Email,
    password: String,
    client: &str,
) -> Result<NewAccount<String>, AppError> {
    admit_sign_up(state, client).await?;
    // Hashed whether or not the address is known, before the write lock:
    // the answer takes as long either way, and the CPU work blocks no
    // writer.
    let hash = crate::platform::session::hash_password(password).await;
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let created = create_user(
        &mut tx,
        NewUser {
            email,
            password_hash: &hash,
            role: crate::domain::account::Role::Customer,
            display_name: name,
            email_verified: false,
        },
        state.clock.now_ms(),
    )
    .await?;
    let Some(user_id) = created else {
        drop(tx);
        answer_known_address(state, email).await?;
        return Ok(NewAccount::Known);
    };
    links::send_verification(&mut tx, state, user_id, email.as_str()).await?;
    let cookie = new_session(&mut tx, state, headers, client, user_id).await?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(user_id = user_id.get(), "account created");
    Ok(NewAccount::Created(cookie))
}

/// Creates a sign-in link for `user` and queues `mail` with it, in the
/// caller's transaction; past the account's link limit it does nothing
/// (the caller answers the same either way).
async fn mail_link(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    user: &UserRecord,
    mail: fn(crate::i18n::Texts, &str, &str) -> crate::platform::mail::Mail,
    now: i64,
) -> Result<(), AppError> {
    use crate::domain::account::SIGN_IN_LINK_MINUTES;
    if rate_limit::take(conn, &LINKS_PER_ACCOUNT, &user.id.to_string(), now)
        .await
        .map_err(db_error)?
        .is_err()
    {
        tracing::info!(
            user_id = user.id.get(),
            "sign-in link not sent: enough went out this hour"
        );
        return Ok(());
    }
    let token = crate::platform::session::new_session_token();
    crate::features::accounts::repo::sign_in_links::insert(
        &mut *conn,
        user.id,
        &state.secret.session_token_hash(&token),
        now,
        now + SIGN_IN_LINK_MINUTES * 60_000,
    )
    .await
    .map_err(db_error)?;
    let public_url = &state.config.public_url;
    let link = format!("{public_url}/login/link?token={token}");
    crate::platform::mail::enqueue(
        conn,
        &user.email,
        &mail(crate::i18n::document_texts(), public_url, &link),
        None,
        now,
    )
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Mails a sign-in link to the account with this address, if there is one
/// (and it has not had too many lately). The answer is the same either way.
pub async fn request_sign_in_link(
    state: &AppState,
    email: &crate::domain::account::Email,
    client: &str,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    if let Err(until) = rate_limit::take(&mut tx, &LINK_REQUESTS_PER_CLIENT, client, now)
        .await
        .map_err(db_error)?
    {
        return Err(held_back(until, now));
    }
    if let Some(user) = users::find_by_email(&mut *tx, email)
        .await
        .map_err(db_error)?
    {
        mail_link(&mut tx, state, &user, emails::sign_in_link, now).await?;
    }
    tx.commit().await.map_err(db_error)
}

/// Signs in with an emailed link: it works once, until it expires, and
/// none of the password limits apply to it (it is how the owner gets in
/// while they hold). Counts as this client signing in to the account, so
/// its waits there end.
pub async fn sign_in_with_link(
    state: &AppState,
    headers: &http::HeaderMap,
    token: &str,
    client: &str,
) -> Result<SignedIn, AppError> {
    use crate::features::accounts::repo::{login_attempts as attempts, sign_in_links};
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let mut used = None;
    for hash in state.secret.session_token_hashes(token) {
        used = sign_in_links::use_once(&mut *tx, &hash, now)
            .await
            .map_err(db_error)?;
        if used.is_some() {
            break;
        }
    }
    let user_id =
        used.ok_or_else(|| super::refused::invalid("token", crate::i18n::Msg::ErrorLinkExpired))?;
    let user = users::find(&mut *tx, user_id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::NotFound)?;
    let attempt = attempts::record_failure(&mut *tx, &user.email, client, now)
        .await
        .map_err(db_error)?;
    let entry = two_factor::enter(&mut tx, state, headers, client, user.id, attempt).await?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(user_id = user.id.get(), client, "emailed sign-in link used");
    Ok(SignedIn::new(&user, entry))
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
