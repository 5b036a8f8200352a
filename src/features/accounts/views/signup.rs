use super::super::*;
use crate::domain::account::PASSWORD_MIN_CHARS;
use crate::i18n::{use_texts, Msg};
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignupPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<Signup>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = crate::ui::form::action_error(action);
    view! {
        <Title text=t.get(Msg::SignupTitle)/>
        <section class="card narrow">
            <h1>{t.get(Msg::SignupTitle)}</h1>
            <p class="muted">{t.get(Msg::SignupIntro)}</p>
            <PageForm action=action class="form" novalidate=true>
                <FormError error=error/>
                <TextField label=t.get(Msg::SignupFullName) name="name" autocomplete="name"/>
                <TextField label=t.get(Msg::AccountEmail) name="email" kind="email" autocomplete="email"/>
                <TextField
                    label=t.get(Msg::AccountPassword)
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint=t.fill(Msg::SignupPasswordHint, &[("min", &PASSWORD_MIN_CHARS)])

                />
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{t.get(Msg::SignupSubmit)}</button>
            </PageForm>
            <p class="muted">{t.get(Msg::SignupHaveAccount)}" " <a href=move || crate::ui::return_to::with_next("/login", &next())>{t.get(Msg::NavSignIn)}</a></p>
        </section>
    }
}
