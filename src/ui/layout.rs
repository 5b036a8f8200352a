use crate::domain::account::Role;
use crate::domain::market::Market;
use crate::features::accounts::use_session;
use crate::i18n::Msg;
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let t = crate::i18n::use_texts();
    let here = crate::ui::return_to::here();
    let sign_in = move || crate::ui::return_to::with_next("/login", &here.get());
    let sign_up = move || crate::ui::return_to::with_next("/signup", &here.get());
    let market = crate::ui::market::watch();
    let home = move || crate::ui::market::home_href(market.get());
    // `/` is no page of the router: the server picks the visitor's market.
    let external = move || market.get().is_none().then_some("external");
    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href=home rel=external>
                    <span class="brand-mark" aria-hidden="true">"↻"</span>
                    "TradeIn"
                </a>
                <nav aria-label=t.get(Msg::NavMain)>
                    <ul>
                        <li><a href=home rel=external>{t.get(Msg::NavSell)}</a></li>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                match session.user.await.ok().flatten() {
                                    Some(user) => {
                                        let area = match user.role {
                                            Role::Seller => Some(view! { <li><a href="/seller">{t.get(Msg::NavSellerArea)}</a></li> }),
                                            Role::Ops => Some(view! { <li><a href="/ops">{t.get(Msg::NavOperations)}</a></li> }),
                                            Role::Customer => Some(view! { <li><a href="/trade-ins">{t.get(Msg::NavMyTradeIns)}</a></li> }),
                                        };
                                        view! {
                                            {area}
                                            <li class="who"><a href="/account" title=t.fill(Msg::NavYourAccount, &[("email", &user.email)])>{user.name.clone()}</a></li>

                                            <li>
                                                <SignOutButton/>
                                            </li>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        view! {
                                            <li><a href=sign_in>{t.get(Msg::NavSignIn)}</a></li>
                                            <li><a class="button small" href=sign_up>{t.get(Msg::NavCreateAccount)}</a></li>
                                        }
                                            .into_any()
                                    }
                                }
                            })}
                        </Transition>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

/// A plain form post, not a hydrated action: the server ends the session
/// and answers with a redirect to the home page, so the browser drops
/// everything the page held for the signed-in user, and the first visit's
/// bundle carries no form machinery (every other form is on a lazy page).
#[component]
fn SignOutButton() -> impl IntoView {
    view! {
        <form method="post" action="/api/logout" class="inline">
            <button type="submit" class="link-button">{crate::i18n::use_texts().get(Msg::NavSignOut)}</button>
        </form>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let market = crate::ui::market::watch();
    let t = crate::i18n::use_texts();
    let about = move || match market.get() {
        Some(m) => format!(
            "{} {}",
            t.get(Msg::FooterAbout),
            t.fill(
                Msg::FooterPricesIn,
                &[
                    ("market", &m.native_name()),
                    ("currency", &m.currency().code())
                ]
            )
        ),
        None => t.get(Msg::FooterAbout).to_string(),
    };
    let location = leptos_router::hooks::use_location();
    // The chooser offers this same page in the other markets.
    let change = move || {
        let here = location.pathname.get();
        let rest = Market::split_path(&here).map_or("", |(_, rest)| rest);
        crate::ui::return_to::with_next("/markets", rest)
    };
    view! {
        <footer class="site-footer">
            <div class="bar">
                <p>{about}</p>
                <ul>
                    <li><a href=change>{move || match market.get() {
                        Some(m) => t.fill(Msg::FooterCountry, &[("market", &m.native_name())]),
                        None => t.get(Msg::FooterChooseCountry).to_string(),
                    }}</a></li>
                    <li><a href="/seller">{t.get(Msg::FooterForRefurbishers)}</a></li>
                    <li><a href="/ops">{t.get(Msg::NavOperations)}</a></li>
                </ul>
            </div>
        </footer>
    }
}
