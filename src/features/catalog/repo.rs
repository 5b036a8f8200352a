use super::cache::changed;
use crate::domain::ids::VariantId;
use crate::domain::market::{Market, SoldIn};
use crate::domain::money::Money;
use crate::platform::db::DbResult;
use sqlx::{Any, AnyConnection, Executor, Row};

pub async fn upsert_category(
    conn: &mut AnyConnection,
    slug: &str,
    name: &str,
    position: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO categories (slug, name, position) VALUES ($1, $2, $3) \
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name, position = excluded.position RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(position)
    .fetch_one(conn)
    .await
    .inspect(changed)
}

pub async fn upsert_brand(conn: &mut AnyConnection, slug: &str, name: &str) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO brands (slug, name) VALUES ($1, $2) \
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .fetch_one(conn)
    .await
    .inspect(changed)
}

pub struct ModelRow<'a> {
    pub category_id: i64,
    pub brand_id: i64,
    pub slug: &'a str,
    pub name: &'a str,
    pub release_year: i64,
    pub launch_price: Money,
}

pub async fn upsert_model(conn: &mut AnyConnection, m: &ModelRow<'_>) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO models (category_id, brand_id, slug, name, release_year, launch_price_minor) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (slug) DO UPDATE SET category_id = excluded.category_id, brand_id = excluded.brand_id, \
           name = excluded.name, release_year = excluded.release_year, launch_price_minor = excluded.launch_price_minor \
         RETURNING id",
    )
    .bind(m.category_id)
    .bind(m.brand_id)
    .bind(m.slug)
    .bind(m.name)
    .bind(m.release_year)
    .bind(m.launch_price.minor())
    .fetch_one(conn)
    .await
    .inspect(changed)
}

pub async fn upsert_variant(
    conn: &mut AnyConnection,
    model_id: i64,
    sku: &str,
    storage_gb: i64,
    connectivity: &str,
    position: i64,
    sold_in: SoldIn,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO variants (model_id, sku, storage_gb, connectivity, position, sold_in) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (sku) DO UPDATE SET model_id = excluded.model_id, storage_gb = excluded.storage_gb, \
           connectivity = excluded.connectivity, position = excluded.position, sold_in = excluded.sold_in \
         RETURNING id",
    )
    .bind(model_id)
    .bind(sku)
    .bind(storage_gb)
    .bind(connectivity)
    .bind(position)
    .bind(sold_in.code())
    .fetch_one(conn)
    .await
    .inspect(changed)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryCount {
    pub slug: String,
    pub name: String,
    pub models: i64,
}

/// Every category with its number of models: those sold in `market`, or
/// all of them.
pub async fn categories_with_counts<'c>(
    ex: impl Executor<'c, Database = Any>,
    market: Option<Market>,
) -> DbResult<Vec<CategoryCount>> {
    let sql = format!(
        "SELECT c.slug, c.name, COUNT(m.id) AS models FROM categories c \
         LEFT JOIN models m ON m.category_id = c.id AND ($1 = '' OR {}) \
         GROUP BY c.id, c.slug, c.name, c.position ORDER BY c.position",
        model_sold_in("$1")
    );
    let rows = sqlx::query(&sql)
        .bind(market.map_or("", Market::code))
        .fetch_all(ex)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(CategoryCount {
                slug: r.try_get("slug")?,
                name: r.try_get("name")?,
                models: r.try_get("models")?,
            })
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelSummary {
    pub slug: String,
    pub name: String,
    pub brand_slug: String,
    pub brand_name: String,
    pub category_slug: String,
    pub release_year: i64,
}

fn model_from_row(r: &sqlx::any::AnyRow) -> DbResult<ModelSummary> {
    Ok(ModelSummary {
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        brand_slug: r.try_get("brand_slug")?,
        brand_name: r.try_get("brand_name")?,
        category_slug: r.try_get("category_slug")?,
        release_year: r.try_get("release_year")?,
    })
}

/// The newest models of a category (or all), for the home page.
pub async fn newest_models<'c>(
    ex: impl Executor<'c, Database = Any>,
    market: Market,
    limit: i64,
) -> DbResult<Vec<ModelSummary>> {
    let sql = format!(
        "{SELECT_MODEL} WHERE {} ORDER BY m.release_year DESC, m.launch_price_minor DESC, m.id LIMIT $2",
        model_sold_in("$1")
    );
    let rows = sqlx::query(&sql)
        .bind(market.code())
        .bind(limit)
        .fetch_all(ex)
        .await?;
    rows.iter().map(model_from_row).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogSize {
    pub models: i64,
    pub variants: i64,
}

/// How many models and variants are sold in `market`.
pub async fn size<'c>(
    ex: impl Executor<'c, Database = Any>,
    market: Market,
) -> DbResult<CatalogSize> {
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM models m WHERE {}) AS models, \
         (SELECT COUNT(*) FROM variants v WHERE {}) AS variants",
        model_sold_in("$1"),
        sold_in_condition("$1")
    );
    let row = sqlx::query(&sql).bind(market.code()).fetch_one(ex).await?;
    Ok(CatalogSize {
        models: row.try_get("models")?,
        variants: row.try_get("variants")?,
    })
}

/// Every variant's id by SKU, with the markets it is sold in, for loaders
/// that refer to variants by SKU.
pub async fn variant_ids_by_sku(
    conn: &mut AnyConnection,
) -> DbResult<crate::domain::price_import::SkuIndex> {
    let rows: Vec<(String, VariantId, String)> =
        sqlx::query_as("SELECT sku, id, sold_in FROM variants")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(sku, id, sold_in)| (sku, (id, SoldIn::parse(&sold_in).unwrap_or_default())))
        .collect())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantInfo {
    pub variant_id: VariantId,
    pub sku: String,
    pub storage_gb: i64,
    pub connectivity: String,
    pub model_slug: String,
    pub model_name: String,
    pub brand_slug: String,
    pub brand_name: String,
    pub category_slug: String,
    pub release_year: i64,
    pub sold_in: SoldIn,
}

pub const SELECT_VARIANT: &str = "SELECT v.id, v.sku, v.storage_gb, v.connectivity, v.sold_in, m.slug AS model_slug, m.name AS model_name, \
    b.slug AS brand_slug, b.name AS brand_name, c.slug AS category_slug, m.release_year \
    FROM variants v JOIN models m ON m.id = v.model_id JOIN brands b ON b.id = m.brand_id JOIN categories c ON c.id = m.category_id";

/// The SQL condition "variant `v` is sold in `market`" (`variants.sold_in`:
/// the markets' codes separated by spaces, empty for every market), for
/// repositories that filter variants by market. `market` is SQL: a quoted
/// code or a column.
pub fn sold_in_condition(market: &str) -> String {
    format!("(v.sold_in = '' OR ' ' || v.sold_in || ' ' LIKE '% ' || {market} || ' %')")
}

/// The SQL condition "model `m` has a variant sold in `market`": a model
/// none of whose variants is sold in a market is not shown there.
fn model_sold_in(market: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM variants v WHERE v.model_id = m.id AND {})",
        sold_in_condition(market)
    )
}

const SELECT_MODEL: &str = "SELECT m.slug, m.name, b.slug AS brand_slug, b.name AS brand_name, c.slug AS category_slug, m.release_year \
    FROM models m JOIN brands b ON b.id = m.brand_id JOIN categories c ON c.id = m.category_id";

pub fn variant_from_row(r: &sqlx::any::AnyRow) -> DbResult<VariantInfo> {
    Ok(VariantInfo {
        variant_id: r.try_get("id")?,
        sku: r.try_get("sku")?,
        storage_gb: r.try_get("storage_gb")?,
        connectivity: r.try_get("connectivity")?,
        model_slug: r.try_get("model_slug")?,
        model_name: r.try_get("model_name")?,
        brand_slug: r.try_get("brand_slug")?,
        brand_name: r.try_get("brand_name")?,
        category_slug: r.try_get("category_slug")?,
        release_year: r.try_get("release_year")?,
        sold_in: SoldIn::parse(r.try_get("sold_in")?).unwrap_or_default(),
    })
}

pub async fn variant_by_sku<'c>(
    ex: impl Executor<'c, Database = Any>,
    sku: &str,
) -> DbResult<Option<VariantInfo>> {
    let row = sqlx::query(&format!("{SELECT_VARIANT} WHERE v.sku = $1"))
        .bind(sku)
        .fetch_optional(ex)
        .await?;
    row.as_ref().map(variant_from_row).transpose()
}

/// Up to `limit` variants with an id above `after`, by id: the seller API's
/// catalog, paged by cursor.
pub async fn variants_after<'c>(
    ex: impl Executor<'c, Database = Any>,
    after: i64,
    limit: i64,
) -> DbResult<Vec<VariantInfo>> {
    let rows = sqlx::query(&format!(
        "{SELECT_VARIANT} WHERE v.id > $1 ORDER BY v.id LIMIT $2"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(ex)
    .await?;
    rows.iter().map(variant_from_row).collect()
}

/// A model's variants, found by its category, brand and model slugs (the
/// model page's URL); empty when the URL does not name a model.
pub async fn variants_of_model<'c>(
    ex: impl Executor<'c, Database = Any>,
    category: &str,
    brand: &str,
    model: &str,
) -> DbResult<Vec<VariantInfo>> {
    let rows = sqlx::query(&format!(
        "{SELECT_VARIANT} WHERE c.slug = $1 AND b.slug = $2 AND m.slug = $3 ORDER BY v.position"
    ))
    .bind(category)
    .bind(brand)
    .bind(model)
    .fetch_all(ex)
    .await?;
    rows.iter().map(variant_from_row).collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrandCount {
    pub slug: String,
    pub name: String,
    pub models: i64,
}

/// A category's brands with their number of models sold in `market`.
pub async fn brands_in_category<'c>(
    ex: impl Executor<'c, Database = Any>,
    market: Market,
    category: &str,
) -> DbResult<Vec<BrandCount>> {
    let sql = format!(
        "SELECT b.slug, b.name, COUNT(m.id) AS models FROM models m JOIN brands b ON b.id = m.brand_id \
         JOIN categories c ON c.id = m.category_id WHERE c.slug = $2 AND {} \
         GROUP BY b.slug, b.name ORDER BY COUNT(m.id) DESC, b.name",
        model_sold_in("$1")
    );
    let rows = sqlx::query(&sql)
        .bind(market.code())
        .bind(category)
        .fetch_all(ex)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(BrandCount {
                slug: r.try_get("slug")?,
                name: r.try_get("name")?,
                models: r.try_get("models")?,
            })
        })
        .collect()
}

/// A brand's models in a category sold in `market`, newest first.
pub async fn models_of_brand<'c>(
    ex: impl Executor<'c, Database = Any>,
    market: Market,
    category: &str,
    brand: &str,
) -> DbResult<Vec<ModelSummary>> {
    let sql = format!(
        "{SELECT_MODEL} WHERE c.slug = $2 AND b.slug = $3 AND {} ORDER BY m.release_year DESC, m.name",
        model_sold_in("$1")
    );
    let rows = sqlx::query(&sql)
        .bind(market.code())
        .bind(category)
        .bind(brand)
        .fetch_all(ex)
        .await?;
    rows.iter().map(model_from_row).collect()
}

/// Every model sold in `market` with its brand and category, for the
/// in-memory search.
pub async fn all_models<'c>(
    ex: impl Executor<'c, Database = Any>,
    market: Market,
) -> DbResult<Vec<ModelSummary>> {
    let sql = format!("{SELECT_MODEL} WHERE {} ORDER BY m.id", model_sold_in("$1"));
    let rows = sqlx::query(&sql).bind(market.code()).fetch_all(ex).await?;
    rows.iter().map(model_from_row).collect()
}

/// Every brand (slug, name), for filters.
pub async fn all_brands<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> DbResult<Vec<(String, String)>> {
    sqlx::query_as("SELECT slug, name FROM brands ORDER BY name")
        .fetch_all(ex)
        .await
}

pub async fn variant_by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: VariantId,
) -> DbResult<Option<VariantInfo>> {
    let row = sqlx::query(&format!("{SELECT_VARIANT} WHERE v.id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?;
    row.as_ref().map(variant_from_row).transpose()
}
