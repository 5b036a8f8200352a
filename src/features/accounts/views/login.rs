use crate::error::AppError;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Failed sign-ins allowed per account, and per client address, in the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 30;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::domain::account::Email;
    use crate::error::FieldErrors;
    use crate::platform::clock::MINUTE_MS;
    use crate::platform::session as auth;
    use crate::platform::session::guard::{append_header, guard, Access, OrInternal};

    let g = guard(Access::Public).await?;
    let mut errors = FieldErrors::new();
    let email = errors.check("email", Email::parse(&email));
    if password.is_empty() {
        errors.add("password", "enter your password");
    } else if password.len() > 1024 {
        errors.add("password", "this password is too long");
    }
    errors.into_result()?;
    let email = email.expect("checked above");

    let pool = g.state.db.pool();
    let now = g.now_ms();
    let window_start = now - FAILURE_WINDOW_MINUTES * MINUTE_MS;
    let ip = g.client_ip();
    let by_account = crate::features::accounts::repo::login_attempts::recent_failures_for_email(
        pool,
        email.as_str(),
        window_start,
    )
    .await
    .or_internal(&g)?;
    let by_ip = crate::features::accounts::repo::login_attempts::recent_failures_for_ip(
        pool,
        &ip,
        window_start,
    )
    .await
    .or_internal(&g)?;
    if by_account >= MAX_FAILURES_PER_ACCOUNT || by_ip >= MAX_FAILURES_PER_IP {
        let (is_email, key) = if by_account >= MAX_FAILURES_PER_ACCOUNT {
            (true, email.as_str())
        } else {
            (false, ip.as_str())
        };
        let oldest = crate::features::accounts::repo::login_attempts::oldest_failure_since(
            pool,
            is_email,
            key,
            window_start,
        )
        .await
        .or_internal(&g)?
        .unwrap_or(now);
        let wait_ms = (oldest + FAILURE_WINDOW_MINUTES * MINUTE_MS - now).max(MINUTE_MS);
        tracing::warn!(ip = %ip, per_account = by_account, per_ip = by_ip, "sign-in rate limited");
        return Err(AppError::RateLimited {
            retry_after_minutes: (wait_ms + MINUTE_MS - 1) / MINUTE_MS,
        });
    }

    let user = crate::features::accounts::repo::users::find_by_email(pool, &email)
        .await
        .or_internal(&g)?;
    // Unknown emails cost the same hashing time as wrong passwords.
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => auth::decoy_hash().await,
    };
    let verified = auth::verify_password(password, hash).await;
    let Some(user) = user.filter(|_| verified) else {
        crate::features::accounts::repo::login_attempts::record(
            pool,
            email.as_str(),
            &ip,
            false,
            now,
        )
        .await
        .or_internal(&g)?;
        return Err(AppError::invalid(
            "form",
            "The email or password is incorrect.",
        ));
    };

    // One transaction: the attempt is recorded, any session this browser
    // had ends, and a new session id is issued (never reuse one from before
    // sign-in).
    let mut tx = g.state.db.write_tx().await.or_internal(&g)?;
    crate::features::accounts::repo::login_attempts::record(
        &mut *tx,
        email.as_str(),
        &ip,
        true,
        now,
    )
    .await
    .or_internal(&g)?;
    auth::end_session(&mut *tx, &g.state, &g.parts.headers)
        .await
        .or_internal(&g)?;
    let cookie = auth::start_session(&mut *tx, &g.state, user.id)
        .await
        .or_internal(&g)?;
    tx.commit().await.or_internal(&g)?;
    append_header(http::header::SET_COOKIE, &cookie);
    tracing::info!(user_id = user.id, "signed in");
    let next = next.filter(|n| !n.trim().is_empty());
    let landing = match (next.as_deref(), user.role) {
        (Some(n), _) => crate::features::accounts::safe_next(Some(n)),
        (None, crate::domain::account::Role::Seller) => "/seller".into(),
        (None, crate::domain::account::Role::Ops) => "/ops".into(),
        (None, crate::domain::account::Role::Customer) => "/".into(),
    };
    leptos_axum::redirect(&landing);
    Ok(())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field =
        move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    let signup_href = move || {
        let n = next();
        if n.is_empty() {
            "/signup".to_string()
        } else {
            format!("/signup?next={}", crate::ui::url_encode(&n))
        }
    };
    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error=error/>
                <TextField label="Email" name="email" kind="email" autocomplete="email" error=field("email")/>
                <TextField label="Password" name="password" kind="password" autocomplete="current-password" error=field("password")/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            <p class="muted">"New here? " <a href=signup_href>"Create an account"</a></p>
        </section>
    }
}
