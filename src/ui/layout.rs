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
                                        // The refurbisher and operations areas load whole:
                                        // their texts come with their pages (`i18n::staff`).
                                        let (href, name, rel) = match user.role {
                                            Role::Seller => ("/seller", Msg::NavSellerArea, Some("external")),
                                            Role::Ops => ("/ops", Msg::NavOperations, Some("external")),
                                            Role::Customer => ("/trade-ins", Msg::NavMyTradeIns, None),
                                        };
                                        let area = view! { <li><a href=href rel=rel>{t.get(name)}</a></li> };
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

/// The refurbisher and operations areas' languages, each named in itself;
/// the other one a link that keeps the page (`i18n::staff`). A full load:
/// the page's texts come with the page.
#[component]
fn StaffLanguages() -> impl IntoView {
    use crate::i18n::{staff, Lang};
    let t = crate::i18n::use_texts();
    let here = crate::ui::return_to::here();
    let now = staff::use_staff().lang();
    let item = move |lang: Lang, name: &'static str| {
        let href = move || {
            crate::ui::return_to::with_next(&format!("/language/{}", lang.code()), &here.get())
        };
        if lang == now {
            view! { <li lang=lang.code()><strong aria-current="true">{name}</strong></li> }
                .into_any()
        } else {
            view! { <li lang=lang.code()><a href=href rel="external" hreflang=lang.code()>{name}</a></li> }.into_any()
        }
    };
    view! {
        <ul aria-label=t.get(Msg::FooterLanguage)>
            {item(Lang::En, "English")}
            {item(Lang::Fr, "Français")}
        </ul>
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
                    <li><a href="/seller" rel="external">{t.get(Msg::FooterForRefurbishers)}</a></li>
                    <li><a href="/ops" rel="external">{t.get(Msg::NavOperations)}</a></li>
                </ul>
                {crate::i18n::staff::in_areas().then(|| view! { <StaffLanguages/> })}
            </div>
        </footer>
    }
}
