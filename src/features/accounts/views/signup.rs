use super::super::*;
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = ServerAction::<Signup>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = crate::ui::form::action_error(action);
    view! {
        <Title text="Create an account"/>
        <section class="card narrow">
            <h1>"Create an account"</h1>
            <p class="muted">"To sell a device and get paid. Refurbishers have their own sign-up."</p>
            <PageForm action=action class="form" novalidate=true>
                <FormError error=error/>
                <TextField label="Full name" name="name" autocomplete="name"/>
                <TextField label="Email" name="email" kind="email" autocomplete="email"/>
                <TextField
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 10 characters. A short sentence is easy to remember."

                />
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Create account"</button>
            </PageForm>
            <p class="muted">"Already have an account? " <a href=move || crate::ui::return_to::with_next("/login", &next())>"Sign in"</a></p>
        </section>
    }
}
