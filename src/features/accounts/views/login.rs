use super::super::*;
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = crate::ui::form::action_error(action);
    let signup_href = move || crate::ui::return_to::with_next("/signup", &next());
    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <PageForm action=action class="form" novalidate=true>
                <FormError error=error/>
                <TextField label="Email" name="email" kind="email" autocomplete="email"/>
                <TextField label="Password" name="password" kind="password" autocomplete="current-password"/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Sign in"</button>
            </PageForm>
            <p class="muted">"New here? " <a href=signup_href>"Create an account"</a></p>
            <p class="muted">"Forgot your password? " <a href="/login/reset">"Reset it"</a>" · Asked to wait? " <a href="/login/link">"Email me a sign-in link"</a></p>

        </section>
    }
}
