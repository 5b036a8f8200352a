//! Accepting an offer: who you are, the device's identifier, where to send
//! the label, where to pay you. The server recomputes the offer; the price
//! the page showed only serves to notice that it changed.

use super::super::*;

use crate::domain::market::{Market, PayoutRail};
use crate::features::sell::views::offer_page::AnswerFields;
use crate::features::sell::{OfferKind, OfferQuery, OfferView};
use crate::i18n::{use_texts, Msg, Texts};
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
    let t = use_texts();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t.get(Msg::CommonLoading)}</p> }>
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
    let t = use_texts();
    let here = format!("{}?{}", location.pathname.get_untracked(), q.to_query());
    let offer = data.offer.clone();
    let device = format!("{} ({})", offer.model.full_name(), offer.variant_label);
    let summary = match &offer.offer {
        OfferKind::Buy {
            price, seller_name, ..
        } => t.fill(
            Msg::AcceptPriceFrom,
            &[("price", &t.money(*price)), ("buyer", seller_name)],
        ),
        OfferKind::Recycle => t.get(Msg::OfferFreeRecycling).to_string(),
    };
    let head = view! {
        <Title text=t.get(Msg::AcceptTitle)/>
        <h1>{t.get(Msg::AcceptTitle)}</h1>
        <p class="lead-dark">{t.fill(Msg::AcceptSummary, &[("device", &device), ("grade", &t.grade(offer.grade))])}" "<strong>{summary}</strong></p>
    };
    let body = match data.viewer {
        Viewer::SignedOut => {
            use crate::ui::return_to::with_next;
            view! {
                <section class="card narrow">
                    <h2>{t.get(Msg::AcceptSignInHeading)}</h2>
                    <p>{t.get(Msg::AcceptSignInText)}</p>
                    <p class="actions">
                        <a class="button primary" href=with_next("/signup", &here)>{t.get(Msg::NavCreateAccount)}</a>
                        <a class="button" href=with_next("/login", &here)>{t.get(Msg::NavSignIn)}</a>
                    </p>
                </section>
            }
            .into_any()
        }
        Viewer::NotACustomer => view! {
            <div class="notice warning" role="status"><p>{t.get(Msg::AcceptNotACustomer)}</p></div>
        }
        .into_any(),
        Viewer::Customer { .. } => {
            view! { <DetailsForm offer=offer q=q idempotency_key=data.idempotency_key/> }.into_any()
        }
    };
    view! { {head} {body} }
}

#[component]
fn DetailsForm(offer: OfferView, q: OfferQuery, idempotency_key: String) -> impl IntoView {
    let action = ServerAction::<ConfirmTradeIn>::new();
    let recycling = matches!(offer.offer, OfferKind::Recycle);
    let m = offer.model.clone();
    let t = use_texts();
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
                <legend>{t.get(Msg::AcceptYourDevice)}</legend>
                {if offer.has_imei {
                    view! { <TextField label="IMEI" name="imei" autocomplete="off" hint=t.get(Msg::AcceptImeiHint)/> }.into_any()
                } else {
                    view! { <TextField label=t.get(Msg::AcceptSerial) name="serial_number" autocomplete="off" hint=t.get(Msg::AcceptSerialHint)/> }.into_any()
                }}
            </fieldset>

            <fieldset class="group">
                <legend>{t.get(Msg::AcceptLabelFrom)}</legend>
                <TextField label=t.get(Msg::AcceptFullName) name="address_name" autocomplete="name"/>
                <MarketAddressFields market=offer.market t=t/>
            </fieldset>

            {(!recycling).then(|| view! {
                <fieldset class="group">
                    <legend>{t.get(Msg::AcceptPayTo)}</legend>
                    <TextField label=t.get(Msg::AcceptAccountHolder) name="account_holder" autocomplete="name"/>
                    <AccountFields rail=offer.market.payout_rail() t=t/>
                </fieldset>
            })}

            <fieldset class="group">
                <legend>{t.get(Msg::AcceptAboutYou)}</legend>
                <TextField label=t.get(Msg::AcceptBirthDate) name="date_of_birth" kind="date" autocomplete="bday" hint=t.fill(Msg::AcceptBirthDateHint, &[("age", &crate::domain::account::MIN_SELLER_AGE)])/>
            </fieldset>

            <fieldset class="group">
                <legend>{t.get(Msg::AcceptBeforeYouShip)}</legend>
                <Checkbox name="activation_lock_off" label=t.get(Msg::AcceptActivationLockOff)/>
                <Checkbox name="device_reset" label=t.get(Msg::AcceptDeviceReset)/>
            </fieldset>

            <button type="submit" class="button primary large" disabled=move || action.pending().get()>{t.get(Msg::AcceptConfirm)}</button>
        </PageForm>
    }
}

/// The address fields a market's postal service asks for: its postcode
/// format, a US state or an Italian province, and the countries its
/// parcels may come from (`Market::may_ship_to`).
#[component]
fn MarketAddressFields(market: Market, t: Texts) -> impl IntoView {
    let name = |code: &str, english: &str| {
        crate::i18n::errors::country(t, code)
            .unwrap_or(english)
            .to_string()
    };
    let countries: Vec<(String, String)> = if market.in_eu() {
        crate::domain::address::COUNTRIES
            .iter()
            .map(|(code, english)| (code.to_string(), name(code, english)))
            .collect()
    } else {
        vec![(
            market.country().to_string(),
            name(market.country(), market.name()),
        )]
    };
    let (postcode_label, postcode_hint) = match market {
        Market::FrFr => (Msg::AddressPostcode, Msg::AddressPostcodeHintFr),
        Market::DeDe => (Msg::AddressPostcode, Msg::AddressPostcodeHintDe),
        Market::EsEs => (Msg::AddressPostcode, Msg::AddressPostcodeHintEs),
        Market::ItIt => (Msg::AddressPostcode, Msg::AddressPostcodeHintIt),
        Market::EnGb => (Msg::AddressPostcode, Msg::AddressPostcodeHintGb),
        Market::EnUs => (Msg::AddressZip, Msg::AddressPostcodeHintUs),
    };
    let region = match market {
        Market::ItIt => Some((Msg::AddressProvince, Msg::AddressProvinceHint)),
        Market::EnUs => Some((Msg::AddressState, Msg::AddressStateHint)),
        _ => None,
    };
    view! {
        <TextField label=t.get(Msg::AddressStreet) name="address_line1" autocomplete="address-line1"/>
        <TextField label=t.get(Msg::AddressLine2) name="address_line2" autocomplete="address-line2"/>
        <div class="row">
            <TextField label=t.get(postcode_label) name="postcode" autocomplete="postal-code" hint=t.get(postcode_hint)/>
            <TextField label=t.get(Msg::AddressCity) name="city" autocomplete="address-level2"/>
        </div>
        {region.map(|(label, hint)| view! {
            <TextField label=t.get(label) name="region" autocomplete="address-level1" hint=t.get(hint)/>
        })}
        <Select label=t.get(Msg::AddressCountry) name="country" options=countries selected=market.country() autocomplete="country"/>
    }
}

/// The account fields of a market's payout rail. A refused form never
/// comes back with an account number in it.
#[component]
fn AccountFields(rail: PayoutRail, t: Texts) -> impl IntoView {
    match rail {
        PayoutRail::Sepa => view! {
            <TextField label="IBAN" name="iban" autocomplete="off" hint=t.get(Msg::PayoutIbanHint)/>
        }
        .into_any(),
        PayoutRail::UkAccount => view! {
            <div class="row">
                <TextField label=t.get(Msg::PayoutSortCode) name="sort_code" autocomplete="off" inputmode="numeric" hint=t.get(Msg::PayoutSortCodeHint)/>
                <TextField label=t.get(Msg::PayoutAccountNumber) name="account_number" autocomplete="off" inputmode="numeric" hint=t.get(Msg::PayoutUkAccountHint)/>
            </div>
        }
        .into_any(),
        PayoutRail::UsAccount => view! {
            <div class="row">
                <TextField label=t.get(Msg::PayoutRoutingNumber) name="routing_number" autocomplete="off" inputmode="numeric" hint=t.get(Msg::PayoutRoutingHint)/>
                <TextField label=t.get(Msg::PayoutAccountNumber) name="account_number" autocomplete="off" inputmode="numeric" hint=t.get(Msg::PayoutUsAccountHint)/>
            </div>
        }
        .into_any(),
    }
}
