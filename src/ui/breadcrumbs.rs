//! The trail from the home page to the page shown (catalog and sell pages).

use crate::i18n::Msg;
use leptos::prelude::*;

#[component]
pub fn Breadcrumbs(items: Vec<(String, String)>, current: String) -> impl IntoView {
    let t = crate::i18n::use_texts();
    view! {
        <nav aria-label=t.get(Msg::NavBreadcrumb) class="breadcrumbs">
            <ol>
                <li><a href=crate::ui::market::of_page().path("")>{t.get(Msg::NavHome)}</a></li>
                {items.into_iter().map(|(href, label)| view! { <li><a href=href>{label}</a></li> }).collect_view()}
                <li aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}
