//! Accepting an offer: who you are, the device's identifier, where to send
//! the label, where to pay you. The server recomputes the offer; the price
//! the page showed only serves to notice that it changed.

use crate::domain::money::Money;
use crate::error::AppError;
use crate::features::sell::views::offer_page::AnswerFields;
use crate::features::sell::{OfferKind, OfferQuery, OfferView};
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    SignedOut,
    NotACustomer,
    Customer { name: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptPageData {
    pub offer: OfferView,
    pub viewer: Viewer,
    /// One per rendered form: submitting it twice makes one trade-in.
    pub idempotency_key: String,
}

#[server(prefix = "/api", endpoint = "accept_page")]
pub async fn accept_page(
    category: String,
    brand: String,
    model: String,
    q: OfferQuery,
) -> Result<AcceptPageData, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Public).await?;
    let (offer, _) =
        crate::features::sell::resolve_offer(&g, &category, &brand, &model, &q, false).await?;
    let viewer = match &g.user {
        None => Viewer::SignedOut,
        Some(u) if u.role == Role::Customer => Viewer::Customer {
            name: u.name.clone(),
        },
        Some(_) => Viewer::NotACustomer,
    };
    Ok(AcceptPageData {
        offer,
        viewer,
        idempotency_key: crate::platform::session::new_session_token(),
    })
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "confirm_trade_in")]
pub async fn confirm_trade_in(
    category: String,
    brand: String,
    model: String,
    variant: String,
    works: String,
    screen: String,
    body: String,
    shown_price_minor: i64,
    idempotency_key: String,
    imei: Option<String>,
    serial_number: Option<String>,
    address_name: String,
    address_line1: String,
    address_line2: Option<String>,
    postcode: String,
    city: String,
    country: String,
    account_holder: Option<String>,
    iban: Option<String>,
    date_of_birth: String,
    activation_lock_off: Option<String>,
    device_reset: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::account::{parse_display_name, Role};
    use crate::domain::address::parse_address;
    use crate::domain::dates::Date;
    use crate::domain::iban::Iban;
    use crate::domain::identifiers::{Imei, SerialNumber};
    use crate::error::FieldErrors;
    use crate::features::trade_ins::service as trade_in_flow;
    use crate::features::trade_ins::service::{ConfirmRequest, DeviceId};
    use crate::platform::session::guard::{guard, Access};

    let g = guard(Access::Role(Role::Customer)).await?;
    let user = g.user()?.clone();
    let q = OfferQuery {
        variant,
        works,
        screen,
        body,
    };
    let (offer, answers) =
        crate::features::sell::resolve_offer(&g, &category, &brand, &model, &q, false).await?;

    let mut errors = FieldErrors::new();
    let device = if offer.has_imei {
        errors
            .check("imei", Imei::parse(imei.as_deref().unwrap_or_default()))
            .map(DeviceId::Imei)
    } else {
        errors
            .check(
                "serial_number",
                SerialNumber::parse(serial_number.as_deref().unwrap_or_default()),
            )
            .map(DeviceId::Serial)
    };
    let address = match parse_address(
        &address_name,
        &address_line1,
        address_line2.as_deref().unwrap_or_default(),
        &postcode,
        &city,
        &country,
    ) {
        Ok(a) => Some(a),
        Err(problems) => {
            for (field, e) in problems {
                errors.add(field, e);
            }
            None
        }
    };
    let recycling = matches!(offer.offer, OfferKind::Recycle);
    let payout = if recycling {
        None
    } else {
        let holder = errors.check(
            "account_holder",
            parse_display_name(account_holder.as_deref().unwrap_or_default()),
        );
        let iban = errors.check("iban", Iban::parse(iban.as_deref().unwrap_or_default()));
        holder.zip(iban)
    };
    let today = Date::from_unix_ms(g.now_ms());
    let dob = match Date::parse(&date_of_birth) {
        Ok(d) if d > today => {
            errors.add("date_of_birth", "this date is in the future");
            None
        }
        Ok(d) if d.age_on(today) < 18 => {
            errors.add(
                "date_of_birth",
                "you must be 18 or older to sell a device; ask a parent or guardian to do it",
            );
            None
        }
        Ok(d) if d.age_on(today) > 120 => {
            errors.add("date_of_birth", "check the year");
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.add("date_of_birth", e);
            None
        }
    };
    if activation_lock_off.as_deref() != Some("yes") {
        errors.add("activation_lock_off", "turn off Find My (Apple) or remove your Google account first: a locked device cannot be reused");
    }
    if device_reset.as_deref() != Some("yes") {
        errors.add(
            "device_reset",
            "reset the device to factory settings to erase your data",
        );
    }
    if idempotency_key.len() < 16 || idempotency_key.len() > 64 {
        errors.add("form", "this form has expired; please reload the page");
    }
    errors.into_result()?;

    let id = trade_in_flow::confirm(
        &g.state,
        ConfirmRequest {
            customer_id: user.id,
            customer_email: user.email.clone(),
            sku: offer.sku.clone(),
            answers,
            device: device.expect("checked"),
            address: address.expect("checked"),
            payout,
            date_of_birth: dob.expect("checked"),
            idempotency_key,
            shown_price_minor,
        },
    )
    .await?;
    leptos_axum::redirect(&format!("/trade-ins/{id}"));
    Ok(())
}

#[component]
pub fn AcceptPage() -> impl IntoView {
    let query = use_query_map();
    let key = crate::features::sell::offer_route_key();
    let data = crate::ui::data::load(key, |(c, b, m, q)| accept_page(c, b, m, q));
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
            price_minor,
            seller_name,
            ..
        } => format!("{} from {seller_name}", Money::eur(*price_minor)),
        OfferKind::Recycle => "Free recycling".to_string(),
    };
    let head = view! {
        <Title text="Confirm your trade-in"/>
        <h1>"Confirm your trade-in"</h1>
        <p class="lead-dark">{format!("{device}, {}: ", offer.grade.label().to_lowercase())}<strong>{summary}</strong></p>
    };
    let body = match data.viewer {
        Viewer::SignedOut => {
            let enc = crate::ui::url_encode(&here);
            view! {
                <section class="card narrow">
                    <h2>"Sign in to continue"</h2>
                    <p>"We need an account to send your label and pay you. Your answers are kept."</p>
                    <p class="actions">
                        <a class="button primary" href=format!("/signup?next={enc}")>"Create an account"</a>
                        <a class="button" href=format!("/login?next={enc}")>"Sign in"</a>
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
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field =
        move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    let recycling = matches!(offer.offer, OfferKind::Recycle);
    let m = offer.model.clone();
    view! {
        <ActionForm action=action attr:class="form details" attr:novalidate=true>
            <FormError error=error/>
            <input type="hidden" name="category" value=m.category_slug/>
            <input type="hidden" name="brand" value=m.brand_slug/>
            <input type="hidden" name="model" value=m.model_slug/>
            <AnswerFields q=q/>
            <input type="hidden" name="shown_price_minor" value=offer.price_minor().to_string()/>
            <input type="hidden" name="idempotency_key" value=idempotency_key/>

            <fieldset class="group">
                <legend>"Your device"</legend>
                {if offer.has_imei {
                    view! { <TextField label="IMEI" name="imei" autocomplete="off" hint="15 digits: dial *#06# or look in Settings > General > About." error=field("imei")/> }.into_any()
                } else {
                    view! { <TextField label="Serial number" name="serial_number" autocomplete="off" hint="In the settings, on the box, or under the device." error=field("serial_number")/> }.into_any()
                }}
            </fieldset>

            <fieldset class="group">
                <legend>"Where we send your label from"</legend>
                <TextField label="Full name" name="address_name" autocomplete="name" error=field("address_name")/>
                <crate::ui::form::AddressFields error=error/>
            </fieldset>

            {(!recycling).then(|| view! {
                <fieldset class="group">
                    <legend>"Where we pay you"</legend>
                    <TextField label="Account holder" name="account_holder" autocomplete="name" error=field("account_holder")/>
                    <TextField label="IBAN" name="iban" autocomplete="off" hint="From your banking app, e.g. FR76 3000 6000 0112 3456 7890 189." error=field("iban")/>
                </fieldset>
            })}

            <fieldset class="group">
                <legend>"About you"</legend>
                <TextField label="Date of birth" name="date_of_birth" kind="date" autocomplete="bday" hint="You must be 18 or older." error=field("date_of_birth")/>
            </fieldset>

            <fieldset class="group">
                <legend>"Before you ship"</legend>
                <Checkbox name="activation_lock_off" label="Find My (Apple) or my Google account is turned off on this device" error=field("activation_lock_off")/>
                <Checkbox name="device_reset" label="I have reset the device to factory settings" error=field("device_reset")/>
            </fieldset>

            <button type="submit" class="button primary large" disabled=move || action.pending().get()>"Confirm trade-in"</button>
        </ActionForm>
    }
}

#[component]
fn Checkbox(
    name: &'static str,
    label: &'static str,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field checkbox" class:invalid=move || error.get().is_some()>
            <input type="checkbox" id=id.clone() name=name value="yes" aria-describedby=error_id.clone()/>
            <label for=id>{label}</label>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
