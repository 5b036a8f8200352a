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
    // The document's market, fixed for its life (`i18n`): on a page
    // outside the markets it is the one `/` would send the visitor to.
    let home = t.market().path("");
    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href=home.clone()>
                    <span class="brand-mark" aria-hidden="true">"↻"</span>
                    "TradeIn"
                </a>
                <nav aria-label=t.get(Msg::NavMain)>
                    <ul>
                        <li><a href=home>{t.get(Msg::NavSell)}</a></li>
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
    let t = crate::i18n::use_texts();
    // The document's market (`i18n`), on every page: the market the
    // visitor is in, whether or not this page is one of its pages.
    let market = t.market();
    let about = format!(
        "{} {}",
        t.get(Msg::FooterAbout),
        t.fill(
            Msg::FooterPricesIn,
            &[
                ("market", &market.native_name()),
                ("currency", &market.currency().code())
            ]
        )
    );
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
                    <li><a href=change>{t.fill(Msg::FooterCountry, &[("market", &market.native_name())])}</a></li>
                    <li><a href="/seller">{t.get(Msg::FooterForRefurbishers)}</a></li>
                    <li><a href="/ops">{t.get(Msg::NavOperations)}</a></li>
                </ul>
            </div>
        </footer>
    }
}
