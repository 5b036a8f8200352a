use super::super::*;
use crate::i18n::{use_texts, Msg};
use crate::ui::form::PageForm;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = crate::ui::form::action_error(action);
    let signup_href = move || crate::ui::return_to::with_next("/signup", &next());
    view! {
        <Title text=t.get(Msg::LoginTitle)/>
        <section class="card narrow">
            <h1>{t.get(Msg::LoginTitle)}</h1>
            <PageForm action=action class="form" novalidate=true>
                <FormError error=error/>
                <TextField label=t.get(Msg::AccountEmail) name="email" kind="email" autocomplete="email"/>
                <TextField label=t.get(Msg::AccountPassword) name="password" kind="password" autocomplete="current-password"/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>{t.get(Msg::LoginSubmit)}</button>
            </PageForm>
            <p class="muted">{t.get(Msg::LoginNewHere)}" " <a href=signup_href>{t.get(Msg::SignupTitle)}</a></p>
            <p class="muted">{t.get(Msg::LoginForgot)}" " <a href="/login/reset">{t.get(Msg::LoginResetIt)}</a>" · "{t.get(Msg::LoginAskedToWait)}" " <a href="/login/link">{t.get(Msg::LinkEmailMe)}</a></p>

        </section>
    }
}
