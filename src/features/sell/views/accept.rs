//! Accepting an offer: who you are, the device's identifier, where to send
//! the label, where to pay you. The server recomputes the offer; the price
//! the page showed only serves to notice that it changed.

use super::super::*;

use crate::domain::market::{Market, PayoutRail};
use crate::features::sell::views::offer_page::AnswerFields;
use crate::features::sell::{OfferKind, OfferQuery, OfferView};
use crate::ui::form::{Checkbox, FormError, PageForm, Select, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

#[component]
pub fn AcceptPage() -> impl IntoView {
    let query = use_query_map();
    let key = crate::features::sell::offer_route_key();
    let data = crate::ui::data::load(key, |(c, b, m, q)| {
        accept_page(c, b, m, q, Some(crate::ui::market::of_page()))
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let q = OfferQuery::from_map(&query.read_untracked());
                match data.await {
                    Ok(d) => view! { <AcceptForm data=d q=q/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::PageProblem error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AcceptForm(data: AcceptPageData, q: OfferQuery) -> impl IntoView {
    let location = use_location();
    let here = format!("{}?{}", location.pathname.get_untracked(), q.to_query());
    let offer = data.offer.clone();
    let device = format!("{} ({})", offer.model.full_name(), offer.variant_label);
    let summary = match &offer.offer {
        OfferKind::Buy {
            price, seller_name, ..
        } => format!("{price} from {seller_name}"),
        OfferKind::Recycle => "Free recycling".to_string(),
    };
    let head = view! {
        <Title text="Confirm your trade-in"/>
        <h1>"Confirm your trade-in"</h1>
        <p class="lead-dark">{format!("{device}, {}: ", offer.grade.label().to_lowercase())}<strong>{summary}</strong></p>
    };
    let body = match data.viewer {
        Viewer::SignedOut => {
            use crate::ui::return_to::with_next;
            view! {
                <section class="card narrow">
                    <h2>"Sign in to continue"</h2>
                    <p>"We need an account to send your label and pay you. Your answers are kept."</p>
                    <p class="actions">
                        <a class="button primary" href=with_next("/signup", &here)>"Create an account"</a>
                        <a class="button" href=with_next("/login", &here)>"Sign in"</a>
                    </p>
                </section>
            }
            .into_any()
        }
        Viewer::NotACustomer => view! {
            <div class="notice warning" role="status"><p>"This account is for a refurbisher or the operations team. Sign in with a personal account to sell a device."</p></div>
        }
        .into_any(),
        Viewer::Customer { .. } => view! { <DetailsForm offer=offer q=q idempotency_key=data.idempotency_key/> }.into_any(),
    };
    view! { {head} {body} }
}

#[component]
fn DetailsForm(offer: OfferView, q: OfferQuery, idempotency_key: String) -> impl IntoView {
    let action = ServerAction::<ConfirmTradeIn>::new();
    let recycling = matches!(offer.offer, OfferKind::Recycle);
    let m = offer.model.clone();
    view! {
        <PageForm action=action class="form details" novalidate=true>
            <FormError/>
            <input type="hidden" name="market" value=offer.market.code()/>
            <input type="hidden" name="category" value=m.category_slug/>
            <input type="hidden" name="brand" value=m.brand_slug/>
            <input type="hidden" name="model" value=m.model_slug/>
            <AnswerFields q=q/>
            <input type="hidden" name="shown_price_minor" value=offer.price().minor().to_string()/>
            <input type="hidden" name="idempotency_key" value=idempotency_key/>

            <fieldset class="group">
                <legend>"Your device"</legend>
                {if offer.has_imei {
                    view! { <TextField label="IMEI" name="imei" autocomplete="off" hint="15 digits: dial *#06# or look in Settings > General > About."/> }.into_any()
                } else {
                    view! { <TextField label="Serial number" name="serial_number" autocomplete="off" hint="In the settings, on the box, or under the device."/> }.into_any()
                }}
            </fieldset>

            <fieldset class="group">
                <legend>"Where we send your label from"</legend>
                <TextField label="Full name" name="address_name" autocomplete="name"/>
                <MarketAddressFields market=offer.market/>
            </fieldset>

            {(!recycling).then(|| view! {
                <fieldset class="group">
                    <legend>"Where we pay you"</legend>
                    <TextField label="Account holder" name="account_holder" autocomplete="name"/>
                    <AccountFields rail=offer.market.payout_rail()/>
                </fieldset>
            })}

            <fieldset class="group">
                <legend>"About you"</legend>
                <TextField label="Date of birth" name="date_of_birth" kind="date" autocomplete="bday" hint="You must be 18 or older."/>
            </fieldset>

            <fieldset class="group">
                <legend>"Before you ship"</legend>
                <Checkbox name="activation_lock_off" label="Find My (Apple) or my Google account is turned off on this device"/>
                <Checkbox name="device_reset" label="I have reset the device to factory settings"/>
            </fieldset>

            <button type="submit" class="button primary large" disabled=move || action.pending().get()>"Confirm trade-in"</button>
        </PageForm>
    }
}

/// The address fields a market's postal service asks for: its postcode
/// format, a US state or an Italian province, and the countries its
/// parcels may come from (`Market::may_ship_to`).
#[component]
fn MarketAddressFields(market: Market) -> impl IntoView {
    let countries: Vec<(String, String)> = if market.in_eu() {
        crate::domain::address::COUNTRIES
            .iter()
            .map(|(code, name)| (code.to_string(), name.to_string()))
            .collect()
    } else {
        vec![(market.country().to_string(), market.name().to_string())]
    };
    let (postcode_label, postcode_hint) = match market {
        Market::FrFr => ("Postcode", "5 digits, e.g. 75002."),
        Market::DeDe => ("Postcode", "5 digits, e.g. 10969."),
        Market::EsEs => ("Postcode", "5 digits, e.g. 28013."),
        Market::ItIt => ("Postcode", "CAP, 5 digits, e.g. 20144."),
        Market::EnGb => ("Postcode", "e.g. SW1A 1AA."),
        Market::EnUs => ("ZIP code", "5 digits or ZIP+4, e.g. 94103 or 94103-1234."),
    };
    let region = match market {
        Market::ItIt => Some(("Province", "Its two-letter code, e.g. MI for Milano.")),
        Market::EnUs => Some(("State", "Its two-letter code, e.g. CA.")),
        _ => None,
    };
    view! {
        <TextField label="Street and number" name="address_line1" autocomplete="address-line1"/>
        <TextField label="Address line 2 (optional)" name="address_line2" autocomplete="address-line2"/>
        <div class="row">
            <TextField label=postcode_label name="postcode" autocomplete="postal-code" hint=postcode_hint/>
            <TextField label="City" name="city" autocomplete="address-level2"/>
        </div>
        {region.map(|(label, hint)| view! {
            <TextField label=label name="region" autocomplete="address-level1" hint=hint/>
        })}
        <Select label="Country" name="country" options=countries selected=market.country() autocomplete="country"/>
    }
}

/// The account fields of a market's payout rail. A refused form never
/// comes back with an account number in it.
#[component]
fn AccountFields(rail: PayoutRail) -> impl IntoView {
    match rail {
        PayoutRail::Sepa => view! {
            <TextField label="IBAN" name="iban" autocomplete="off" hint="From your banking app, e.g. FR76 3000 6000 0112 3456 7890 189. For your safety it is not kept when the form needs correcting."/>
        }
        .into_any(),
        PayoutRail::UkAccount => view! {
            <div class="row">
                <TextField label="Sort code" name="sort_code" autocomplete="off" inputmode="numeric" hint="6 digits, e.g. 12-34-56."/>
                <TextField label="Account number" name="account_number" autocomplete="off" inputmode="numeric" hint="8 digits. Not kept when the form needs correcting."/>
            </div>
        }
        .into_any(),
        PayoutRail::UsAccount => view! {
            <div class="row">
                <TextField label="Routing number" name="routing_number" autocomplete="off" inputmode="numeric" hint="9 digits, at the bottom left of a check."/>
                <TextField label="Account number" name="account_number" autocomplete="off" inputmode="numeric" hint="4 to 17 digits. Not kept when the form needs correcting."/>
            </div>
        }
        .into_any(),
    }
}
