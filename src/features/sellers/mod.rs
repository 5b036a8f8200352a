#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::domain::ids::SellerId;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::staff::{use_staff, Staff};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The refurbisher application as it was typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SellerApplicationForm {
    pub company: String,
    pub vat_number: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub password: String,
}

#[server(prefix = "/api", endpoint = "seller_signup")]
pub async fn seller_signup(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: SellerApplicationForm,
) -> Result<(), AppError> {
    use crate::domain::account::{check_new_password, parse_display_name, parse_phone, Email};
    use crate::domain::account::{EmailError, PasswordError};
    use crate::domain::address::{parse_address, AddressInput, AddressRules};
    use crate::domain::vat::{parse_vat, VatError};
    use crate::error::FieldErrors;
    use crate::i18n::errors::Localized;

    use crate::features::accounts::service::NewAccount;
    use crate::platform::session::guard::{append_header, guard, Access};

    let g = guard(Access::Public).await?;
    let st = use_staff();
    let texts = st.vocabulary();
    let SellerApplicationForm {
        company,
        vat_number,
        address_line1,
        address_line2,
        postcode,
        city,
        country,
        contact_name,
        email,
        phone,
        password,
    } = form;
    let mut errors = FieldErrors::new();
    let company = errors.check(
        "company",
        parse_display_name(&company).map_err(|e| e.text(texts)),
    );
    let vat = errors.check(
        "vat_number",
        parse_vat(&vat_number).map_err(|e| match e {
            VatError::Empty => st.get(Staff::SellerSignupErrorVatEmpty).to_string(),
            VatError::NoCountry => st.get(Staff::SellerSignupErrorVatNoCountry).to_string(),
            VatError::UnknownCountry(code) => st.fill(
                Staff::SellerSignupErrorVatUnknownCountry,
                &[("code", &code)],
            ),
            VatError::BadFormat { country, example } => st.fill(
                Staff::SellerSignupErrorVatFormat,
                &[("country", &country), ("example", &example)],
            ),
        }),
    );
    let address = match parse_address(
        &AddressInput {
            name: company.as_deref().unwrap_or("-"),
            line1: &address_line1,
            line2: &address_line2,
            postcode: &postcode,
            city: &city,
            region: "",
            country: &country,
        },
        AddressRules::Company,
    ) {
        Ok(a) => Some(a),
        Err(problems) => {
            for (field, e) in problems {
                errors.add(
                    field,
                    crate::features::sellers::service::address_problem(st, &e),
                );
            }
            None
        }
    };
    let contact = errors.check(
        "contact_name",
        parse_display_name(&contact_name).map_err(|e| e.text(texts)),
    );
    let email = errors.check(
        "email",
        Email::parse(&email).map_err(|e| {
            st.get(match e {
                EmailError::Empty => Staff::SellerSignupErrorEmailEmpty,
                EmailError::Invalid => Staff::SellerSignupErrorEmailInvalid,
                EmailError::TooLong => Staff::SellerSignupErrorEmailTooLong,
            })
        }),
    );
    let phone = errors.check(
        "phone",
        parse_phone(&phone).map_err(|_| st.get(Staff::SellerSignupErrorPhone)),
    );
    errors.check(
        "password",
        check_new_password(
            &password,
            email.as_ref().map(|e| e.as_str()).unwrap_or_default(),
        )
        .map_err(|e| match e {
            PasswordError::TooShort => st.fill(
                Staff::SellerSignupErrorPasswordTooShort,
                &[("n", &crate::domain::account::PASSWORD_MIN_CHARS)],
            ),
            PasswordError::TooLong => st.fill(
                Staff::SellerSignupErrorPasswordTooLong,
                &[("n", &crate::domain::account::PASSWORD_MAX_CHARS)],
            ),
            PasswordError::TooCommon => st
                .get(Staff::SellerSignupErrorPasswordTooCommon)
                .to_string(),
        }),
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

    let application = crate::features::sellers::service::Application {
        company: &company,
        vat_number: &vat,
        address: &address,
        contact_name: &contact,
        email: &email,
        phone: &phone,
    };
    match crate::features::sellers::service::apply(
        &g.state,
        &g.parts.headers,
        &application,
        password,
        &g.client_ip(),
    )
    .await?
    {
        NewAccount::Created(cookie) => {
            append_header(http::header::SET_COOKIE, &cookie);
            // The area opens once two-factor sign-in is set up.
            leptos_axum::redirect(&crate::ui::return_to::with_next(
                "/account/two-factor",
                "/seller/prices",
            ));
        }
        NewAccount::Known => leptos_axum::redirect(crate::features::accounts::LINK_SENT_PATH),
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub seller_id: SellerId,
    pub company: String,
    pub vat_number: String,
    pub address: Vec<String>,
    pub contact: String,
    pub status: crate::domain::seller::SellerStatus,
    pub reason: String,
    pub decided: Option<String>,
    pub applied: crate::domain::dates::Moment,
    /// Reviewed only once the applicant confirmed its address.
    pub email_confirmed: bool,
}

#[server(prefix = "/api", endpoint = "seller_applications")]
pub async fn load_seller_applications() -> Result<Vec<ApplicationView>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Ops)).await?;
    let st = use_staff();
    let zone = g.zone();
    let apps = crate::features::sellers::service::applications(g.state.db.pool(), 100)
        .await
        .or_internal(&g)?;
    Ok(apps
        .into_iter()
        .map(|a| ApplicationView {
            seller_id: a.seller_id,
            company: a.company,
            vat_number: a.vat_number,
            address: a.address.lines().into_iter().skip(1).collect(),
            contact: [a.contact_name, a.contact_email, a.contact_phone]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            decided: a.decided_at.map(|at| {
                st.fill(
                    Staff::ApplicationsDecidedBy,
                    &[
                        ("when", &st.moment(&zone, at).text),
                        ("who", &a.decided_by.unwrap_or_else(|| "—".into())),
                    ],
                )
            }),
            status: a.status,
            reason: a.status_reason,
            applied: st.moment(&zone, a.created_at),
            email_confirmed: a.email_verified_at.is_some(),
        })
        .collect())
}

/// The decision on an application: the refurbisher, "approve" or "reject"
/// (the button pressed) and the reason or note. Text as posted: a flattened
/// form's fields reach serde as strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerDecisionForm {
    pub seller_id: String,
    pub decision: String,
    pub reason: String,
}

#[server(prefix = "/api", endpoint = "decide_seller")]
pub async fn decide_seller(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: SellerDecisionForm,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::features::sellers::service::{decide, Decision};
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Ops)).await?;
    let seller_id: SellerId = AppError::posted_id(&form.seller_id, "a refurbisher")?;
    let decision = match form.decision.as_str() {
        "approve" => Decision::Approve,
        "reject" => Decision::Reject,
        _ => {
            return Err(AppError::invalid(
                "decision",
                use_staff().get(Staff::ApplicationsErrorApproveOrReject),
            ))
        }
    };
    decide(&g.state, g.user()?.id, seller_id, decision, &form.reason).await
}

/// One market a refurbisher buys in, with the warehouse its parcels go to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketWarehouse {
    pub market: crate::domain::market::Market,
    pub home: bool,
    /// As printed on labels, after the name.
    pub address: Vec<String>,
    pub name: String,
}

/// The seller of the signed-in refurbisher (a seller user always has one).
#[cfg(feature = "ssr")]
async fn seller_of(g: &crate::platform::session::guard::Guarded) -> Result<SellerId, AppError> {
    use crate::platform::session::guard::OrInternal;
    let seller =
        crate::features::sellers::service::overview_for_user(g.state.db.pool(), g.user()?.id)
            .await
            .or_internal(g)?
            .ok_or(AppError::Forbidden)?;
    Ok(seller.id)
}

/// The markets the signed-in refurbisher buys in.
#[server(prefix = "/api", endpoint = "seller_markets")]
pub async fn load_seller_markets() -> Result<Vec<MarketWarehouse>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = seller_of(&g).await?;
    let (home, _) = crate::features::sellers::service::markets(g.state.db.pool(), seller)
        .await
        .or_internal(&g)?
        .ok_or(AppError::Forbidden)?;
    Ok(
        crate::features::sellers::service::warehouses(g.state.db.pool(), seller)
            .await
            .or_internal(&g)?
            .into_iter()
            .map(|(market, a)| MarketWarehouse {
                market,
                home: market == home,
                name: a.name.clone(),
                address: a.lines().into_iter().skip(1).collect(),
            })
            .collect(),
    )
}

/// Stops buying in a market (not the home market): its warehouse and its
/// prices go; trade-ins on their way keep their warehouse.
#[server(prefix = "/api", endpoint = "stop_seller_market")]
pub async fn stop_seller_market(market: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = seller_of(&g).await?;
    let market = crate::domain::market::Market::parse(market.trim()).ok_or_else(|| {
        AppError::invalid("market", use_staff().get(Staff::MarketsErrorChooseMarket))
    })?;
    crate::features::sellers::service::stop_buying_in(&g.state, seller, market).await
}

/// A market to buy in and its warehouse, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerMarketForm {
    pub market: String,
    pub warehouse_name: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postcode: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
}

/// Starts buying in a market, or moves its warehouse.
#[server(prefix = "/api", endpoint = "save_seller_market")]
pub async fn save_seller_market(#[server(flatten)] form: SellerMarketForm) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let seller = seller_of(&g).await?;
    let market = crate::domain::market::Market::parse(form.market.trim()).ok_or_else(|| {
        AppError::invalid("market", use_staff().get(Staff::MarketsErrorChooseMarket))
    })?;
    crate::features::sellers::service::buy_in(
        &g.state,
        seller,
        market,
        &crate::domain::address::AddressInput {
            name: &form.warehouse_name,
            line1: &form.address_line1,
            line2: form.address_line2.as_deref().unwrap_or_default(),
            postcode: &form.postcode,
            city: &form.city,
            region: form.region.as_deref().unwrap_or_default(),
            country: &form.country,
        },
    )
    .await
}
