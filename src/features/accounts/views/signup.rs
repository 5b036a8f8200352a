use super::super::*;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

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
            <p class="muted">"Already have an account? " <a href=move || crate::ui::return_to::with_next("/login", &next())>"Sign in"</a></p>
        </section>
    }
}
