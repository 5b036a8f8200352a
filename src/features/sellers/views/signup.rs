//! Refurbisher sign-up (`/seller/signup`): the company, its EU VAT number,
//! the warehouse address printed on labels, and a contact. The account
//! starts `pending`: prices can be prepared, and compete once operations
//! approve (see `server::onboarding`).

use crate::error::AppError;
use crate::ui::form::{FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "seller_signup")]
#[allow(clippy::too_many_arguments)]
pub async fn seller_signup(
    company: String,
    vat_number: String,
    address_line1: String,
    address_line2: String,
    postcode: String,
    city: String,
    country: String,
    contact_name: String,
    email: String,
    phone: String,
    password: String,
) -> Result<(), AppError> {
    use crate::domain::account::{
        check_new_password, parse_display_name, parse_phone, Email, Role,
    };
    use crate::domain::address::parse_address;
    use crate::domain::vat::parse_vat;
    use crate::error::FieldErrors;
    use crate::platform::db::is_unique_violation;
    use crate::platform::session as auth;
    use crate::platform::session::guard::{append_header, guard, Access, OrInternal};

    let g = guard(Access::Public).await?;
    let mut errors = FieldErrors::new();
    let company = errors.check("company", parse_display_name(&company));
    let vat = errors.check("vat_number", parse_vat(&vat_number));
    let address = match parse_address(
        company.as_deref().unwrap_or("-"),
        &address_line1,
        &address_line2,
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
    let contact = errors.check("contact_name", parse_display_name(&contact_name));
    let email = errors.check("email", Email::parse(&email));
    let phone = errors.check("phone", parse_phone(&phone));
    errors.check(
        "password",
        check_new_password(
            &password,
            email.as_ref().map(|e| e.as_str()).unwrap_or_default(),
        ),
    );
    errors.into_result()?;
    let (company, vat, address, contact, email, phone) = (
        company.expect("checked"),
        vat.expect("checked"),
        address.expect("checked"),
        contact.expect("checked"),
        email.expect("checked"),
        phone.expect("checked"),
    );

    let hash = auth::hash_password(password).await;
    let now = g.now_ms();
    let mut tx = g.state.db.write_tx().await.or_internal(&g)?;
    let user_id = match crate::features::accounts::repo::users::insert(
        &mut *tx,
        crate::features::accounts::repo::users::NewUser {
            email: &email,
            password_hash: &hash,
            role: Role::Seller,
            display_name: &contact,
        },
        now,
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::invalid(
                "email",
                "An account with this email already exists. Sign in instead.",
            ))
        }
        Err(e) => return Err(g.internal(e)),
    };
    let seller = crate::features::sellers::repo::NewSeller {
        user_id,
        company_name: &company,
        vat_number: &vat,
        address_line1: &address.line1,
        address_line2: &address.line2,
        postcode: &address.postcode,
        city: &address.city,
        country: &address.country,
        contact_name: &contact,
        contact_email: email.as_str(),
        contact_phone: &phone,
        status: "pending",
        weekly_cap: None,
        quality_score: 500,
        kind: "refurbisher",
    };
    let seller_id = crate::features::sellers::repo::insert(&mut *tx, &seller, now)
        .await
        .or_internal(&g)?;
    auth::end_session(&mut *tx, &g.state, &g.parts.headers)
        .await
        .or_internal(&g)?;
    let cookie = auth::start_session(&mut *tx, &g.state, user_id)
        .await
        .or_internal(&g)?;
    tx.commit().await.or_internal(&g)?;
    append_header(http::header::SET_COOKIE, &cookie);
    tracing::info!(
        user_id,
        seller_id,
        "refurbisher signed up, awaiting approval"
    );
    leptos_axum::redirect("/seller/prices");
    Ok(())
}

#[component]
pub fn SellerSignupPage() -> impl IntoView {
    let action = ServerAction::<SellerSignup>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field =
        move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    view! {
        <Title text="Become a buyer"/>
        <section class="card narrow">
            <h1>"Buy devices as a refurbisher"</h1>
            <p class="muted">"Set your buyback prices per model and grade; consumers get the best offer. Our operations team checks every company before its prices compete."</p>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error=error/>
                <fieldset class="group">
                    <legend>"Company"</legend>
                    <TextField label="Company name" name="company" autocomplete="organization" error=field("company")/>
                    <TextField label="EU VAT number" name="vat_number" hint="With its country prefix, e.g. FR40303265045." error=field("vat_number")/>
                </fieldset>
                <fieldset class="group">
                    <legend>"Warehouse (printed on shipping labels)"</legend>
                    <crate::ui::form::AddressFields error=error/>
                </fieldset>
                <fieldset class="group">
                    <legend>"Contact and sign-in"</legend>
                    <TextField label="Contact name" name="contact_name" autocomplete="name" error=field("contact_name")/>
                    <TextField label="Work email" name="email" kind="email" autocomplete="email" error=field("email")/>
                    <TextField label="Phone (optional)" name="phone" kind="tel" autocomplete="tel" error=field("phone")/>
                    <TextField label="Password" name="password" kind="password" autocomplete="new-password"
                        hint="At least 10 characters." error=field("password")/>
                </fieldset>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>"Apply as a refurbisher"</button>
            </ActionForm>
            <p class="muted">"Already buying with us? " <a href="/login?next=/seller/prices">"Sign in"</a></p>
        </section>
    }
}
