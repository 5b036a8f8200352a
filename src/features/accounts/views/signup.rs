use crate::error::AppError;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/api", endpoint = "signup")]
pub async fn signup(
    name: String,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::account::{check_new_password, parse_display_name, Email, Role};
    use crate::error::FieldErrors;
    use crate::platform::db::is_unique_violation;
    use crate::platform::session as auth;
    use crate::platform::session::guard::{append_header, guard, Access, OrInternal};

    let g = guard(Access::Public).await?;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", parse_display_name(&name));
    let email = errors.check("email", Email::parse(&email));
    errors.check(
        "password",
        check_new_password(
            &password,
            email.as_ref().map(|e| e.as_str()).unwrap_or_default(),
        ),
    );
    errors.into_result()?;
    let (name, email) = (name.expect("checked"), email.expect("checked"));

    // Hash before taking the write lock: the CPU work does not block writers.
    let hash = auth::hash_password(password).await;
    let mut tx = g.state.db.write_tx().await.or_internal(&g)?;
    let inserted = crate::features::accounts::repo::users::insert(
        &mut *tx,
        crate::features::accounts::repo::users::NewUser {
            email: &email,
            password_hash: &hash,
            role: Role::Customer,
            display_name: &name,
        },
        g.now_ms(),
    )
    .await;
    let user_id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::invalid(
                "email",
                "An account with this email already exists. Sign in instead.",
            ));
        }
        Err(e) => return Err(g.internal(e)),
    };
    auth::end_session(&mut *tx, &g.state, &g.parts.headers)
        .await
        .or_internal(&g)?;
    let cookie = auth::start_session(&mut *tx, &g.state, user_id)
        .await
        .or_internal(&g)?;
    tx.commit().await.or_internal(&g)?;
    append_header(http::header::SET_COOKIE, &cookie);
    tracing::info!(user_id, "account created");
    leptos_axum::redirect(&crate::features::accounts::safe_next(
        next.as_deref().filter(|n| !n.trim().is_empty()),
    ));
    Ok(())
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = ServerAction::<Signup>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field =
        move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    view! {
        <Title text="Create an account"/>
        <section class="card narrow">
            <h1>"Create an account"</h1>
            <p class="muted">"To sell a device and get paid. Refurbishers have their own sign-up."</p>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error=error/>
                <TextField label="Full name" name="name" autocomplete="name" error=field("name")/>
                <TextField label="Email" name="email" kind="email" autocomplete="email" error=field("email")/>
                <TextField
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 10 characters. A short sentence is easy to remember."
                    error=field("password")
                />
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Create account"</button>
            </ActionForm>
            <p class="muted">"Already have an account? " <a href="/login">"Sign in"</a></p>
        </section>
    }
}
