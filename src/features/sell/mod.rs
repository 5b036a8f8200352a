//! The consumer trade-in flow: find the device, answer the questionnaire,
//! see the best offer, accept it. Every step is a real page with a real
//! form, so it works before (or without) the wasm; hydrated, it navigates
//! without reloading.

pub mod views;

use crate::domain::grade::Grade;
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

    pub fn path(&self) -> String {
        format!(
            "/sell/{}/{}/{}",
            self.category_slug, self.brand_slug, self.model_slug
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfferKind {
    Buy {
        price_minor: i64,
        seller_name: String,
        competing_offers: usize,
    },
    Recycle,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferView {
    pub model: ModelRef,
    pub sku: String,
    pub variant_label: String,
    pub grade: Grade,
    pub offer: OfferKind,
    pub has_imei: bool,
}

impl OfferView {
    pub fn price_minor(&self) -> i64 {
        match &self.offer {
            OfferKind::Buy { price_minor, .. } => *price_minor,
            OfferKind::Recycle => 0,
        }
    }
}

/// Loads the model named by a URL and checks that `sku` is one of its
/// variants and the answers are complete; shared by the offer and accept
/// steps.
#[cfg(feature = "ssr")]
pub async fn resolve_offer(
    g: &crate::platform::session::guard::Guarded,
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
        .variants_of_model(&g.state.db, category, brand, model)
        .await
        .or_internal(g)?;
    let first = variants.first().ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let variant = variants.iter().find(|v| v.sku == q.variant);
    if variant.is_none() {
        errors.add("variant", "choose the storage of your device");
    }
    let answers = match parse_answers(&q.works, &q.screen, &q.body) {
        Ok(a) => Some(a),
        Err(problems) => {
            for (field, e) in problems {
                errors.add(field, e);
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
                price_minor: c.price_minor,
                seller_name: c.seller_name,
                competing_offers: competing,
            },
            Some((c.seller_id, c.price_minor)),
        ),
        Decision::Recycle => (OfferKind::Recycle, None),
    };
    if record_view {
        let shown = crate::features::offers::repo::ShownOffer {
            variant_id: variant.variant_id,
            grade,
            seller_id: buyer.map(|b| b.0),
            price_minor: buyer.map(|b| b.1),
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
        },
        answers,
    ))
}
