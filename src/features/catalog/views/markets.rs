//! The market chooser (`/markets`): every country we buy in, each named in
//! its own language, linking to the same page in that market (`next`).

use crate::domain::market::Market;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The page in market `m` that the chooser was opened from: `next` is a
/// consumer page's path after its market (`/sell/…`), anything else goes
/// to the market's home page.
fn target(m: Market, next: &str) -> String {
    let safe = next.starts_with("/sell/") || next == "/search";
    m.path(if safe { next } else { "" })
}

#[component]
pub fn MarketsPage() -> impl IntoView {
    let query = use_query_map();
    let next = query.read_untracked().get("next").unwrap_or_default();
    view! {
        <Title text="Choose your country"/>
        <section class="card narrow markets">
            <h1>"Choose your country"</h1>
            <p>"Offers, prices, shipping and payment follow the country you sell from."</p>
            <ul class="market-list">
                {Market::ALL.into_iter().map(|m| {
                    let language = m.language();
                    view! {
                        <li>
                            <a href=target(m, &next) hreflang=language lang=language rel="external">
                                {m.native_name()}
                            </a>
                            <span class="muted">{format!(" · {}", m.currency().code())}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chooser_keeps_only_consumer_pages() {
        assert_eq!(
            target(Market::DeDe, "/sell/smartphones/apple"),
            "/de-de/sell/smartphones/apple"
        );
        assert_eq!(target(Market::EnUs, ""), "/en-us");
        assert_eq!(target(Market::EnUs, "//evil.example"), "/en-us");
        assert_eq!(target(Market::EnGb, "/account"), "/en-gb");
    }
}
