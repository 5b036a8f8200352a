//! Suggestions while typing in the search box (once hydrated). Without
//! JavaScript the same box submits to the search page.

use super::super::*;
use crate::i18n::{use_texts, Msg};
use leptos::prelude::*;

/// The list under the search box, fed by what is typed.
#[component]
pub fn Suggestions(query: ReadSignal<String>) -> impl IntoView {
    let t = use_texts();
    let results = crate::ui::data::load(
        move || query.get(),
        move |q| async move {
            if q.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                suggest_models(t.market().code().to_string(), q).await
            }
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let found = results.await.unwrap_or_default();
                let count = found.len();
                view! {
                    <p class="visually-hidden" aria-live="polite">
                        {if query.get_untracked().trim().chars().count() < 2 { String::new() } else { t.fill(Msg::SearchSuggestionCount, &[("count", &count)]) }}
                    </p>
                    {(!found.is_empty()).then(|| view! {
                        <ul class="suggestions" aria-label=t.get(Msg::SearchSuggestions)>
                            {found.into_iter().map(|m| {
                                let href = m.href(crate::ui::market::of_page());
                                view! {
                                    <li><a href=href>{m.brand_prefix().map(|b| view! { <span class="model-brand">{b}</span>" " })}<span class="model-name">{m.name.clone()}</span></a></li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                }
            })}
        </Transition>
    }
}
