//! The consumer trade-in flow: find the device, answer the questionnaire,
//! see the best offer, accept it. Every step is a real page with a real
//! form, so it works before (or without) the wasm; hydrated, it navigates
//! without reloading.

pub mod views;

use crate::domain::grade::Grade;
use crate::domain::money::Money;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where the questionnaire's answers travel: in the query string, so a
/// sign-in on the way (or a reload, or a shared link) keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferQuery {
    pub variant: String,
    pub works: String,
    pub screen: String,
    pub body: String,
}

/// The (category, brand, model, answers) an offer or accept page is about,
/// read from its URL.
pub fn offer_route_key(
) -> impl Fn() -> (String, String, String, OfferQuery) + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    let query = leptos_router::hooks::use_query_map();
    move || {
        use leptos::prelude::Read;
        let p = params.read();
        (
            p.get("category").unwrap_or_default(),
            p.get("brand").unwrap_or_default(),
            p.get("model").unwrap_or_default(),
            OfferQuery::from_map(&query.read()),
        )
    }
}

impl OfferQuery {
    pub fn from_map(q: &leptos_router::params::ParamsMap) -> OfferQuery {
        OfferQuery {
            variant: q.get("variant").unwrap_or_default(),
            works: q.get("works").unwrap_or_default(),
            screen: q.get("screen").unwrap_or_default(),
            body: q.get("body").unwrap_or_default(),
        }
    }

    pub fn to_query(&self) -> String {
        use crate::ui::url_encode as e;
        format!(
            "variant={}&works={}&screen={}&body={}",
            e(&self.variant),
            e(&self.works),
            e(&self.screen),
            e(&self.body)
        )
    }
}

/// The model a page is about, as named by its URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelRef {
    pub category_slug: String,
    pub category_name: String,
    pub brand_slug: String,
    pub brand_name: String,
    pub model_slug: String,
    pub model_name: String,
}

impl ModelRef {
    pub fn full_name(&self) -> String {
        crate::domain::catalog::full_name(&self.brand_name, &self.model_name)
    }

    /// The model's page in the market.
    /// The category's name in the page's language.
    pub fn category_label(&self, t: crate::i18n::Texts) -> String {
        crate::domain::catalog::Category::from_slug(&self.category_slug)
            .map_or_else(|| self.category_name.clone(), |c| t.category(c).to_string())
    }

    pub fn path(&self, market: crate::domain::market::Market) -> String {
        market.path(&format!(
            "/sell/{}/{}/{}",
            self.category_slug, self.brand_slug, self.model_slug
        ))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfferKind {
    Buy {
        price: Money,
        seller_name: String,
        competing_offers: usize,
    },
    Recycle,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferView {
    /// Whose refurbishers compete, in which currency, shipped within how long.
    pub market: crate::domain::market::Market,
    pub model: ModelRef,
    pub sku: String,
    pub variant_label: String,
    pub grade: Grade,
    pub offer: OfferKind,
    pub has_imei: bool,
    /// The day a label issued now must be used by, in the visitor's zone.
    pub ship_by: crate::domain::dates::Moment,
}

impl OfferView {
    /// What the consumer is paid: nothing when the device is recycled.
    pub fn price(&self) -> Money {
        match &self.offer {
            OfferKind::Buy { price, .. } => *price,
            OfferKind::Recycle => Money::zero(self.market.currency()),
        }
    }
}

/// Loads the model named by a URL and checks that `sku` is one of its
/// variants and the answers are complete; shared by the offer and accept
/// steps.
#[cfg(feature = "ssr")]
pub async fn resolve_offer(
    g: &crate::platform::session::guard::Guarded,
    market: crate::domain::market::Market,
    category: &str,
    brand: &str,
    model: &str,
    q: &OfferQuery,
    record_view: bool,
) -> Result<(OfferView, crate::domain::grading::Answers), crate::error::AppError> {
    use crate::domain::catalog::{storage_label, Category};
    use crate::domain::grading::parse_answers;
    use crate::domain::offer::{decide, Decision};
    use crate::error::{AppError, FieldErrors};
    use crate::platform::session::guard::OrInternal;

    let variants = g
        .state
        .feature::<crate::features::catalog::cache::CatalogCache>()
        .variants_of_model(&g.state.db, market, category, brand, model)
        .await
        .or_internal(g)?;
    let first = variants.first().ok_or(AppError::NotFound)?;
    let t = crate::i18n::Texts::of(market);
    let mut errors = FieldErrors::new();
    let variant = variants.iter().find(|v| v.sku == q.variant);
    if variant.is_none() {
        errors.add("variant", t.get(crate::i18n::Msg::ErrorChooseVariant));
    }
    let answers = match parse_answers(&q.works, &q.screen, &q.body) {
        Ok(a) => Some(a),
        Err(problems) => {
            use crate::i18n::errors::Localized;
            for (field, e) in problems {
                errors.add(field, e.text(t));
            }
            None
        }
    };
    errors.into_result()?;
    let (variant, answers) = (variant.expect("checked"), answers.expect("checked"));
    let grade = crate::domain::grading::grade(answers);
    let now = g.now_ms();
    // What is shown may be a moment old (offer_cache); confirming decides
    // again on fresh rows.
    let candidates = g
        .state
        .feature::<crate::features::offers::cache::OfferCache>()
        .candidates(
            &g.state.db,
            market,
            variant.variant_id,
            grade,
            crate::domain::dates::week_start_ms(now),
        )
        .await
        .or_internal(g)?;
    let competing = candidates.iter().filter(|c| c.is_eligible()).count();
    let (offer, buyer) = match decide(&candidates) {
        Decision::Buy(c) => (
            OfferKind::Buy {
                price: c.price,
                seller_name: c.seller_name,
                competing_offers: competing,
            },
            Some((c.seller_id, c.price)),
        ),
        Decision::Recycle => (OfferKind::Recycle, None),
    };
    if record_view {
        let shown = crate::features::offers::service::ShownOffer {
            market,
            variant_id: variant.variant_id,
            grade,
            seller_id: buyer.map(|b| b.0),
            price: buyer.map(|b| b.1),
            at_ms: now,
        };
        // A page served again from the page cache records its view too.
        crate::platform::session::guard::append_header(
            http::HeaderName::from_static(crate::platform::http::page_cache::REPLAY_HEADER),
            &crate::features::offers::shown::replay_value(&shown),
        );
        g.state
            .feature::<crate::features::offers::shown::OfferViewLog>()
            .record(shown)
            .await;
    }
    let category_enum = Category::from_slug(&first.category_slug).ok_or(AppError::NotFound)?;
    let mut variant_label = storage_label(variant.storage_gb as u32);
    if !variant.connectivity.is_empty() {
        variant_label = format!("{variant_label}, {}", variant.connectivity);
    }
    Ok((
        OfferView {
            market,
            model: ModelRef {
                category_slug: first.category_slug.clone(),
                category_name: category_enum.name().to_string(),
                brand_slug: first.brand_slug.clone(),
                brand_name: first.brand_name.clone(),
                model_slug: first.model_slug.clone(),
                model_name: first.model_name.clone(),
            },
            sku: variant.sku.clone(),
            variant_label,
            grade,
            offer,
            has_imei: category_enum.has_imei(),
            ship_by: g.zone().day_in(
                g.now_ms() + market.ship_within_days() * crate::domain::dates::DAY_MS,
                market,
            ),
        },
        answers,
    ))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantChoice {
    pub sku: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelDetail {
    pub model: ModelRef,
    pub release_year: i64,
    pub variants: Vec<VariantChoice>,
}

/// A model's place in the catalog, as its page's path holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelPath {
    pub category: String,
    pub brand: String,
    pub model: String,
    /// The page's market, whose variants are shown; none: the visitor's.
    pub market: Option<crate::domain::market::Market>,
}

#[server(prefix = "/api", endpoint = "model_detail")]
pub async fn load_model_detail(
    #[server(flatten)] path: ModelPath,
) -> Result<ModelDetail, AppError> {
    use crate::domain::catalog::{storage_label, Category};
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Public).await?;
    let ModelPath {
        category,
        brand,
        model,
        market,
    } = path;
    let market = market.unwrap_or_else(crate::platform::http::markets::of_request);
    let variants = g
        .state
        .feature::<crate::features::catalog::cache::CatalogCache>()
        .variants_of_model(&g.state.db, market, &category, &brand, &model)
        .await
        .or_internal(&g)?;
    // A model none of whose variants is sold in the market is not there.
    let first = variants.first().ok_or(AppError::NotFound)?;
    let c = Category::from_slug(&first.category_slug).ok_or(AppError::NotFound)?;
    Ok(ModelDetail {
        model: ModelRef {
            category_slug: first.category_slug.clone(),
            category_name: c.name().into(),
            brand_slug: first.brand_slug.clone(),
            brand_name: first.brand_name.clone(),
            model_slug: first.model_slug.clone(),
            model_name: first.model_name.clone(),
        },
        release_year: first.release_year,
        variants: variants
            .iter()
            .map(|v| VariantChoice {
                sku: v.sku.clone(),
                label: if v.connectivity.is_empty() {
                    storage_label(v.storage_gb as u32)
                } else {
                    format!("{}, {}", storage_label(v.storage_gb as u32), v.connectivity)
                },
            })
            .collect(),
    })
}

#[server(prefix = "/api", endpoint = "get_offer")]
pub async fn get_offer(
    category: String,
    brand: String,
    model: String,
    q: OfferQuery,
    /// The page's market; none: the visitor's (`markets::of_request`).
    market: Option<crate::domain::market::Market>,
) -> Result<OfferView, AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Public).await?;
    // Every offer shown is recorded, so conversion can be measured.
    Ok(crate::features::sell::resolve_offer(
        &g,
        market.unwrap_or_else(crate::platform::http::markets::of_request),
        &category,
        &brand,
        &model,
        &q,
        true,
    )
    .await?
    .0)
}

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
    /// The page's market; none: the visitor's (`markets::of_request`).
    market: Option<crate::domain::market::Market>,
) -> Result<AcceptPageData, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Public).await?;
    let (offer, _) = crate::features::sell::resolve_offer(
        &g,
        market.unwrap_or_else(crate::platform::http::markets::of_request),
        &category,
        &brand,
        &model,
        &q,
        false,
    )
    .await?;
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

/// The accept step's form as it was typed: text, parsed by
/// `confirm_trade_in` into domain types, each refusal tied to its field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfirmForm {
    /// The accept page's market; none: the visitor's.
    pub market: Option<String>,
    pub category: String,
    pub brand: String,
    pub model: String,
    pub variant: String,
    pub works: String,
    pub screen: String,
    pub body: String,
    pub shown_price_minor: String,
    pub idempotency_key: String,
    pub imei: Option<String>,
    pub serial_number: Option<String>,
    pub address_name: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postcode: String,
    pub city: String,
    /// A US state, an Italian province.
    pub region: Option<String>,
    pub country: String,
    pub account_holder: Option<String>,
    /// SEPA markets.
    pub iban: Option<String>,
    /// The United Kingdom.
    pub sort_code: Option<String>,
    /// The United Kingdom and the United States.
    pub account_number: Option<String>,
    /// The United States.
    pub routing_number: Option<String>,
    pub date_of_birth: String,
    pub activation_lock_off: Option<String>,
    pub device_reset: Option<String>,
}

#[server(prefix = "/api", endpoint = "confirm_trade_in")]
pub async fn confirm_trade_in(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: ConfirmForm,
) -> Result<(), AppError> {
    use crate::domain::account::{check_seller_birth_date, parse_display_name, Role};
    use crate::domain::address::{parse_address, AddressInput, AddressRules};
    use crate::domain::bank_account::{PayoutAccount, UkAccount, UsAccount};
    use crate::domain::dates::Date;
    use crate::domain::iban::Iban;
    use crate::domain::identifiers::{Imei, SerialNumber};
    use crate::domain::market::PayoutRail;
    use crate::error::FieldErrors;
    use crate::features::trade_ins::service as trade_in_flow;
    use crate::features::trade_ins::service::{ConfirmRequest, DeviceId};
    use crate::i18n::errors::Localized;
    use crate::i18n::{Msg, Texts};
    use crate::platform::session::guard::{guard, Access};

    let g = guard(Access::Role(Role::Customer)).await?;
    let user = g.user()?.clone();
    let ConfirmForm {
        market,
        category,
        brand,
        model,
        variant,
        works,
        screen,
        body,
        shown_price_minor,
        idempotency_key,
        imei,
        serial_number,
        address_name,
        address_line1,
        address_line2,
        postcode,
        city,
        region,
        country,
        account_holder,
        iban,
        sort_code,
        account_number,
        routing_number,
        date_of_birth,
        activation_lock_off,
        device_reset,
    } = form;
    let q = OfferQuery {
        variant,
        works,
        screen,
        body,
    };
    // A market the form names must exist: a forged one is no market.
    let market = match market.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(code) => crate::domain::market::Market::parse(code).ok_or(AppError::NotFound)?,
        None => crate::platform::http::markets::of_request(),
    };
    let (offer, answers) =
        crate::features::sell::resolve_offer(&g, market, &category, &brand, &model, &q, false)
            .await?;

    // Every problem is told in the market's language, next to its field.
    let t = Texts::of(offer.market);
    let mut errors = FieldErrors::new();
    let device = if offer.has_imei {
        errors
            .check(
                "imei",
                Imei::parse(imei.as_deref().unwrap_or_default()).map_err(|e| e.text(t)),
            )
            .map(DeviceId::Imei)
    } else {
        errors
            .check(
                "serial_number",
                SerialNumber::parse(serial_number.as_deref().unwrap_or_default())
                    .map_err(|e| e.text(t)),
            )
            .map(DeviceId::Serial)
    };
    let address = match parse_address(
        &AddressInput {
            name: &address_name,
            line1: &address_line1,
            line2: address_line2.as_deref().unwrap_or_default(),
            postcode: &postcode,
            city: &city,
            region: region.as_deref().unwrap_or_default(),
            country: &country,
        },
        AddressRules::Consumer(offer.market),
    ) {
        Ok(a) => Some(a),
        Err(problems) => {
            for (field, e) in problems {
                errors.add(field, e.text(t));
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
            parse_display_name(account_holder.as_deref().unwrap_or_default())
                .map_err(|e| e.text(t)),
        );
        let text = |f: &Option<String>| f.as_deref().unwrap_or_default().to_string();
        // Each rail's fields; a problem is told next to the field it is in.
        let account = match offer.market.payout_rail() {
            PayoutRail::Sepa => errors
                .check("iban", Iban::parse(&text(&iban)).map_err(|e| e.text(t)))
                .map(PayoutAccount::Sepa),
            PayoutRail::UkAccount => {
                match UkAccount::parse(&text(&sort_code), &text(&account_number)) {
                    Ok(a) => Some(PayoutAccount::Uk(a)),
                    Err(e) => {
                        errors.add(e.field(), e.text(t));
                        None
                    }
                }
            }
            PayoutRail::UsAccount => {
                match UsAccount::parse(&text(&routing_number), &text(&account_number)) {
                    Ok(a) => Some(PayoutAccount::Us(a)),
                    Err(e) => {
                        errors.add(e.field(), e.text(t));
                        None
                    }
                }
            }
        };
        holder.zip(account)
    };
    let today = Date::from_unix_ms(g.now_ms());
    let dob = match Date::parse(&date_of_birth) {
        Ok(born) => errors.check(
            "date_of_birth",
            check_seller_birth_date(born, today).map_err(|e| e.text(t)),
        ),
        Err(e) => {
            errors.add("date_of_birth", e.text(t));
            None
        }
    };
    if activation_lock_off.as_deref() != Some("yes") {
        errors.add("activation_lock_off", t.get(Msg::ErrorActivationLock));
    }
    if device_reset.as_deref() != Some("yes") {
        errors.add("device_reset", t.get(Msg::ErrorDeviceReset));
    }
    let shown_price = shown_price_minor
        .parse::<i64>()
        .ok()
        .map(|minor| Money::new(minor, offer.market.currency()));
    if idempotency_key.len() < 16 || idempotency_key.len() > 64 || shown_price.is_none() {
        errors.add("form", t.get(Msg::ErrorFormExpired));
    }
    errors.into_result()?;

    let id = trade_in_flow::confirm(
        &g.state,
        ConfirmRequest {
            market: offer.market,
            customer_id: user.id,
            customer_email: user.email.clone(),
            sku: offer.sku.clone(),
            answers,
            device: device.expect("checked"),
            address: address.expect("checked"),
            payout,
            date_of_birth: dob.expect("checked"),
            idempotency_key,
            shown_price: shown_price.expect("checked"),
        },
    )
    .await?;
    leptos_axum::redirect(&format!("/trade-ins/{id}"));
    Ok(())
}
