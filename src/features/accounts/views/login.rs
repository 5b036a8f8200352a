use crate::error::AppError;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::domain::account::{Email, Role};
    use crate::error::FieldErrors;
    use crate::platform::session::guard::{append_header, guard, Access};

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

    let signed_in = crate::features::accounts::service::sign_in(
        &g.state,
        &g.parts.headers,
        &email,
        password,
        &g.client_ip(),
    )
    .await?;
    append_header(http::header::SET_COOKIE, &signed_in.set_cookie);
    let next = next.filter(|n| !n.trim().is_empty());
    let landing = match (next.as_deref(), signed_in.role) {
        (Some(n), _) => crate::features::accounts::safe_next(Some(n)),
        (None, Role::Seller) => "/seller".into(),
        (None, Role::Ops) => "/ops".into(),
        (None, Role::Customer) => "/".into(),
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
