#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod catalog_file;
#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryTile {
    pub slug: String,
    pub name: String,
    pub models: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelCard {
    pub slug: String,
    pub name: String,
    pub brand: String,
    pub brand_slug: String,
    pub category_slug: String,
    pub release_year: i64,
}

impl ModelCard {
    /// The model's page in the market, where its storage and condition
    /// are chosen.
    pub fn href(&self, market: crate::domain::market::Market) -> String {
        market.path(&format!(
            "/sell/{}/{}/{}",
            self.category_slug, self.brand_slug, self.slug
        ))
    }

    /// The brand to print before the name, unless the name starts with it.
    pub fn brand_prefix(&self) -> Option<String> {
        (crate::domain::catalog::full_name(&self.brand, &self.name) != self.name)
            .then(|| self.brand.clone())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub categories: Vec<CategoryTile>,
    pub newest: Vec<ModelCard>,
    pub models: i64,
    pub variants: i64,
}

/// The market of a catalog page's server function (the page's): only the
/// models sold there are listed.
#[cfg(feature = "ssr")]
fn market_of(code: &str) -> Result<crate::domain::market::Market, AppError> {
    crate::domain::market::Market::parse(code).ok_or(AppError::NotFound)
}

#[server(prefix = "/api", endpoint = "home")]
pub async fn load_home(market: String) -> Result<HomeData, AppError> {
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Public).await?;
    let market = market_of(&market)?;
    let home = g
        .state
        .feature::<crate::features::catalog::cache::CatalogCache>()
        .home(&g.state.db, market)
        .await
        .or_internal(&g)?;
    Ok(HomeData {
        categories: home
            .categories
            .iter()
            .map(|c| CategoryTile {
                slug: c.slug.clone(),
                name: c.name.clone(),
                models: c.models,
            })
            .collect(),
        newest: home.newest.iter().map(card).collect(),
        models: home.size.models,
        variants: home.size.variants,
    })
}

pub const MAX_QUERY_CHARS: usize = 100;

/// The search page's query: the words typed and, optionally, a category's
/// slug.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelSearchForm {
    /// The page's market: only its models are found.
    pub market: String,
    pub q: String,
    pub category: Option<String>,
}

#[server(prefix = "/api", endpoint = "search_models")]
pub async fn search_models(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: ModelSearchForm,
) -> Result<Vec<ModelCard>, AppError> {
    use crate::domain::catalog::Category;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Public).await?;
    let ModelSearchForm {
        market,
        q,
        category,
    } = form;
    let market = market_of(&market)?;
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid(
            "q",
            format!("use at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let category = match category.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(slug) => Some(
            Category::from_slug(slug)
                .ok_or_else(|| AppError::invalid("category", "unknown category"))?,
        ),
    };
    let models = g
        .state
        .feature::<crate::features::catalog::cache::CatalogCache>()
        .all_models(&g.state.db, market)
        .await
        .or_internal(&g)?;
    let in_category: Vec<_> = models
        .iter()
        .filter(|m| category.is_none_or(|c| c.slug() == m.category_slug))
        .collect();
    if q.trim().is_empty() {
        // A category without words: all its models, newest first.
        let mut all: Vec<ModelCard> = in_category.iter().map(|m| card(m)).collect();
        all.sort_by(|a, b| {
            b.release_year
                .cmp(&a.release_year)
                .then(a.name.cmp(&b.name))
        });
        return Ok(all);
    }
    Ok(rank_cards(&q, &in_category, 60))
}

#[cfg(feature = "ssr")]
pub fn card(m: &crate::features::catalog::service::ModelSummary) -> ModelCard {
    ModelCard {
        slug: m.slug.clone(),
        name: m.name.clone(),
        brand: m.brand_name.clone(),
        brand_slug: m.brand_slug.clone(),
        category_slug: m.category_slug.clone(),
        release_year: m.release_year,
    }
}

/// The domain's typo-tolerant ranking over catalog models.
#[cfg(feature = "ssr")]
pub fn rank_cards(
    q: &str,
    models: &[&crate::features::catalog::service::ModelSummary],
    limit: usize,
) -> Vec<ModelCard> {
    use crate::domain::search::{rank, Entry};
    let entries: Vec<Entry> = models
        .iter()
        .enumerate()
        .map(|(id, m)| Entry {
            id,
            brand: m.brand_name.clone(),
            name: m.name.clone(),
            release_year: m.release_year,
        })
        .collect();
    rank(q, &entries, limit)
        .into_iter()
        .filter_map(|i| models.get(i))
        .map(|m| card(m))
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandTile {
    pub slug: String,
    pub name: String,
    pub models: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryListing {
    pub slug: String,
    pub name: String,
    pub brands: Vec<BrandTile>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandListing {
    pub category_slug: String,
    pub category_name: String,
    pub brand_name: String,
    pub models: Vec<ModelCard>,
}

#[server(prefix = "/api", endpoint = "category_listing")]
pub async fn load_category_listing(
    market: String,
    category: String,
) -> Result<CategoryListing, AppError> {
    use crate::domain::catalog::Category;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Public).await?;
    let market = market_of(&market)?;
    let c = Category::from_slug(&category).ok_or(AppError::NotFound)?;
    let brands =
        crate::features::catalog::service::brands_in_category(g.state.db.pool(), market, c.slug())
            .await
            .or_internal(&g)?;
    Ok(CategoryListing {
        slug: c.slug().into(),
        name: c.name().into(),
        brands: brands
            .into_iter()
            .map(|b| BrandTile {
                slug: b.slug,
                name: b.name,
                models: b.models,
            })
            .collect(),
    })
}

/// A brand's page: the category's and the brand's slugs from its path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandListingQuery {
    /// The page's market: only its models are listed.
    pub market: String,
    pub category: String,
    pub brand: String,
}

#[server(prefix = "/api", endpoint = "brand_listing")]
pub async fn load_brand_listing(
    // Flattened: the query's fields keep their names on the wire.
    #[server(flatten)] query: BrandListingQuery,
) -> Result<BrandListing, AppError> {
    use crate::domain::catalog::Category;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Public).await?;
    let market = market_of(&query.market)?;
    let c = Category::from_slug(&query.category).ok_or(AppError::NotFound)?;
    let models = crate::features::catalog::service::models_of_brand(
        g.state.db.pool(),
        market,
        c.slug(),
        &query.brand,
    )
    .await
    .or_internal(&g)?;
    let brand_name = models
        .first()
        .map(|m| m.brand_name.clone())
        .ok_or(AppError::NotFound)?;
    Ok(BrandListing {
        category_slug: c.slug().into(),
        category_name: c.name().into(),
        brand_name,
        models: models
            .into_iter()
            .map(|m| ModelCard {
                slug: m.slug,
                name: m.name,
                brand: m.brand_name,
                brand_slug: m.brand_slug,
                category_slug: m.category_slug,
                release_year: m.release_year,
            })
            .collect(),
    })
}

pub const MAX_SUGGESTIONS: usize = 8;

#[server(prefix = "/api", endpoint = "suggest_models")]
pub async fn suggest_models(market: String, q: String) -> Result<Vec<ModelCard>, AppError> {
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Public).await?;
    let market = market_of(&market)?;
    if q.chars().count() > crate::features::catalog::MAX_QUERY_CHARS {
        return Ok(Vec::new());
    }
    let models = g
        .state
        .feature::<crate::features::catalog::cache::CatalogCache>()
        .all_models(&g.state.db, market)
        .await
        .or_internal(&g)?;
    let all: Vec<_> = models.iter().collect();
    Ok(crate::features::catalog::rank_cards(
        &q,
        &all,
        MAX_SUGGESTIONS,
    ))
}
