//! Refurbishers joining the marketplace: an application waits as `pending`
//! until operations approve or reject it, recorded with who, when and why.

use crate::domain::ids::{SellerId, UserId};
use crate::domain::seller::SellerStatus;
use crate::error::AppError;
use crate::i18n::staff::{use_staff, Staff, StaffTexts};
use crate::platform::db::db_error;
use crate::platform::mail::enqueue;
use crate::platform::state::AppState;

// What other features run on their own connection, inside their own transaction.
pub use super::repo::applications;
pub use super::repo::{
    add_market, change_status, contact, insert as insert_seller, insert_listings, legal_identity,
    markets, overview_for_user, recycler, refurbisher_scores, refurbishers, set_buying,
    set_quality_score, units_in_week, warehouse_address, warehouses, withdraw_unsold_listings,
    NewListing, NewSeller,
};

/// The refurbisher the signed-in account works for, or Forbidden.
pub async fn signed_in(g: &crate::platform::session::guard::Guarded) -> Result<SellerId, AppError> {
    use crate::platform::session::guard::OrInternal;
    Ok(
        super::repo::overview_for_user(g.state.db.pool(), g.user()?.id)
            .await
            .or_internal(g)?
            .ok_or(AppError::Forbidden)?
            .id,
    )
}

/// The texts a mail to this refurbisher is written with
/// (`i18n::staff::mail_lang`).
pub async fn mail_texts(
    conn: &mut sqlx::AnyConnection,
    seller_id: SellerId,
) -> Result<StaffTexts, sqlx::Error> {
    let (chosen, home) = super::repo::mail_language(conn, seller_id).await?;
    Ok(StaffTexts::of(crate::i18n::staff::mail_lang(
        chosen.as_deref(),
        home,
    )))
}

/// A country named in English by the domain, in the areas' language.
fn country_named(st: StaffTexts, english: &str) -> String {
    crate::i18n::errors::country_named(st.vocabulary(), english)
}

/// What is wrong with a company's or a warehouse's address field, in the
/// areas' language (the consumer's wording differs in English).
pub(crate) fn address_problem(st: StaffTexts, e: &crate::domain::address::AddressError) -> String {
    use crate::domain::address::AddressError;
    use crate::i18n::errors::Localized;
    let what = |what: &str| match what {
        "your name" => Some(Staff::MarketsWhatName),
        "the warehouse's name" => Some(Staff::MarketsWhatWarehouseName),
        "the street and number" => Some(Staff::MarketsWhatStreet),
        "the address line 2" => Some(Staff::MarketsWhatLine2),
        "the city" => Some(Staff::MarketsWhatCity),
        "the postcode" => Some(Staff::MarketsWhatPostcode),
        _ => None,
    };
    match e {
        AddressError::Missing(w) => match what(w) {
            Some(w) => st.fill(Staff::MarketsErrorEnter, &[("what", &st.get(w))]),
            None => e.to_string(),
        },
        AddressError::TooLong(w, max) => match what(w) {
            Some(w) => st.fill(
                Staff::MarketsErrorTooLong,
                &[("max", max), ("what", &st.get(w))],
            ),
            None => e.to_string(),
        },
        AddressError::BadCharacters => st.get(Staff::MarketsErrorSpecialCharacters).to_string(),
        AddressError::UnsupportedCountry => {
            st.get(Staff::MarketsErrorUnsupportedCountry).to_string()
        }
        AddressError::BadPostcode(country, example) => st.fill(
            Staff::MarketsErrorBadPostcode,
            &[
                ("country", &country_named(st, country)),
                ("example", example),
            ],
        ),
        // The consumer's words, which the English shares.
        AddressError::Market(e) => e.text(st.vocabulary()),
        AddressError::OutsideCustomsArea(country) => st.fill(
            Staff::MarketsErrorOutsideCustomsArea,
            &[("country", &country_named(st, country))],
        ),
    }
}

/// A market's country, in the areas' language.
pub(crate) fn market_name(st: StaffTexts, market: crate::domain::market::Market) -> &'static str {
    crate::i18n::errors::country(st.vocabulary(), market.country()).unwrap_or(market.name())
}

/// Starts buying in `market` with the warehouse its parcels go to (or
/// moves that warehouse), checked field by field: it must be in the
/// market's customs area.
pub async fn buy_in(
    state: &AppState,
    seller_id: SellerId,
    market: crate::domain::market::Market,
    warehouse: &crate::domain::address::AddressInput<'_>,
) -> Result<(), AppError> {
    let address = crate::domain::address::parse_address(
        warehouse,
        crate::domain::address::AddressRules::Warehouse(market),
    )
    .map_err(|problems| {
        let st = use_staff();
        let mut errors = crate::error::FieldErrors::new();
        for (field, e) in problems {
            errors.add(field, address_problem(st, &e));
        }
        AppError::Invalid(errors)
    })?;
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    super::repo::add_market(&mut tx, seller_id, market, &address, state.clock.now_ms())
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        seller_id = seller_id.get(),
        market = market.code(),
        "refurbisher buys in a market"
    );
    Ok(())
}

/// Stops buying in `market`: its warehouse and its prices go. The home
/// market stays (an old four-column price file imports into it), so a
/// refurbisher always buys somewhere.
pub async fn stop_buying_in(
    state: &AppState,
    seller_id: SellerId,
    market: crate::domain::market::Market,
) -> Result<(), AppError> {
    let (home, _) = super::repo::markets(state.db.pool(), seller_id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::Forbidden)?;
    let st = use_staff();
    if market == home {
        return Err(AppError::invalid(
            "market",
            st.fill(
                Staff::MarketsErrorHomeMarket,
                &[("market", &market_name(st, market))],
            ),
        ));
    }
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    if !super::repo::remove_market(&mut tx, seller_id, market)
        .await
        .map_err(db_error)?
    {
        return Err(AppError::invalid(
            "market",
            st.fill(
                Staff::MarketsErrorNotBuying,
                &[("market", &market_name(st, market))],
            ),
        ));
    }
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        seller_id = seller_id.get(),
        market = market.code(),
        "refurbisher stops buying in a market"
    );
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

/// Approves or rejects a pending application; a reason is required to
/// reject. Deciding twice (two ops at once) gets a conflict, not a second
/// change. The seller is told by email.
pub async fn decide(
    state: &AppState,
    ops_user_id: UserId,
    seller_id: SellerId,
    decision: Decision,
    reason: &str,
) -> Result<(), AppError> {
    let st = use_staff();
    // Approving may say nothing; rejecting must say why.
    let reason = match (decision, reason.trim().is_empty()) {
        (Decision::Approve, true) => String::new(),
        _ => crate::domain::account::parse_reason(reason)
            .map_err(|_| AppError::invalid("reason", st.get(Staff::ApplicationsErrorReason)))?,
    };
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let Some((email, company)) = crate::features::sellers::repo::contact(&mut *tx, seller_id)
        .await
        .map_err(db_error)?
    else {
        return Err(AppError::NotFound);
    };
    // An application is reviewed once its address is confirmed: approval
    // hands out a refurbisher's access to a mailbox that may not be theirs.
    if decision == Decision::Approve
        && crate::features::sellers::repo::owner_verified_at(&mut *tx, seller_id)
            .await
            .map_err(db_error)?
            .flatten()
            .is_none()
    {
        return Err(AppError::Conflict(st.fill(
            Staff::ApplicationsErrorUnconfirmed,
            &[("company", &company)],
        )));
    }
    let to = if decision == Decision::Approve {
        SellerStatus::Approved
    } else {
        SellerStatus::Rejected
    };
    if !crate::features::sellers::repo::change_status(
        &mut *tx,
        seller_id,
        SellerStatus::Pending,
        to,
        ops_user_id,
        &reason,
        now,
    )
    .await
    .map_err(db_error)?
    {
        return Err(AppError::Conflict(
            st.fill(Staff::ApplicationsErrorDecided, &[("company", &company)]),
        ));
    }
    let detail = if reason.is_empty() {
        format!("application {to}")
    } else {
        format!("application {to}: {reason}")
    };
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::SellerApplication,
        &crate::features::audit::service::AuditEntry {
            actor_id: Some(ops_user_id),
            seller_id: Some(seller_id),
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    let mail = crate::features::trade_ins::emails::seller_decision(
        mail_texts(&mut tx, seller_id).await.map_err(db_error)?,
        &state.config.public_url,
        &company,
        decision == Decision::Approve,
        &reason,
    );
    enqueue(&mut tx, &email, &mail, None, now)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        seller_id = seller_id.get(),
        ops_user_id = ops_user_id.get(),
        decision = to.code(),
        "seller application decided"
    );
    Ok(())
}

/// A refurbisher's application, as checked by the sign-up form.
pub struct Application<'a> {
    pub company: &'a str,
    pub vat_number: &'a str,
    pub address: &'a crate::domain::address::PostalAddress,
    pub contact_name: &'a str,
    pub email: &'a crate::domain::account::Email,
    pub phone: &'a str,
}

/// Creates the refurbisher's account and its seller, `pending` until
/// operations decide, and signs it in: one transaction. Returns the
/// Set-Cookie value; an address that has an account gets the answer a
/// consumer sign-up gets (`accounts::service::NewAccount::Known`).
pub async fn apply(
    state: &AppState,
    headers: &http::HeaderMap,
    a: &Application<'_>,
    password: String,
    client: &str,
) -> Result<crate::features::accounts::service::NewAccount<String>, AppError> {
    use crate::features::accounts::service::{self as accounts, NewAccount};
    accounts::admit_sign_up(state, client).await?;
    let hash = crate::platform::session::hash_password(password).await;
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let Some(user_id) = accounts::create_user(
        &mut tx,
        accounts::NewUser {
            email: a.email,
            password_hash: &hash,
            role: crate::domain::account::Role::Seller,
            display_name: a.contact_name,
            email_verified: false,
        },
        now,
    )
    .await?
    else {
        drop(tx);
        accounts::answer_known_address(state, a.email).await?;
        return Ok(NewAccount::Known);
    };
    let seller = crate::features::sellers::repo::NewSeller {
        user_id,
        company_name: a.company,
        vat_number: a.vat_number,
        address_line1: &a.address.line1,
        address_line2: &a.address.line2,
        postcode: &a.address.postcode,
        city: &a.address.city,
        country: &a.address.country,
        contact_name: a.contact_name,
        contact_email: a.email.as_str(),
        contact_phone: a.phone,
        status: SellerStatus::Pending,
        weekly_cap: None,
        quality_score: 500,
        kind: "refurbisher",
        // A company outside our markets (Belgium, say) starts in France's,
        // the largest nearby; it chooses others in its area.
        home_market: crate::domain::market::Market::of_country(&a.address.country)
            .unwrap_or(crate::domain::market::Market::FrFr),
    };
    let seller_id = crate::features::sellers::repo::insert(&mut tx, &seller, now)
        .await
        .map_err(db_error)?;
    accounts::links::send_verification(&mut tx, state, user_id, a.email.as_str()).await?;
    let cookie = accounts::new_session(&mut tx, state, headers, client, user_id).await?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        user_id = user_id.get(),
        seller_id = seller_id.get(),
        "refurbisher signed up, awaiting approval"
    );
    Ok(NewAccount::Created(cookie))
}
