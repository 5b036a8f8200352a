//! The trail from the home page to the page shown (catalog and sell pages).

use leptos::prelude::*;

#[component]
pub fn Breadcrumbs(items: Vec<(String, String)>, current: String) -> impl IntoView {
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumbs">
            <ol>
                <li><a href=crate::ui::market::of_page().path("")>"Home"</a></li>
                {items.into_iter().map(|(href, label)| view! { <li><a href=href>{label}</a></li> }).collect_view()}
                <li aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}
