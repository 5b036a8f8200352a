//! Seeding: the catalog file, the recycling partner every installation
//! needs, and (in `marketplace` and `history`) the demo marketplace.

pub mod history;
pub mod market_consumers;
pub mod marketplace;
pub mod pricing;

use crate::features::catalog::catalog_file;
use crate::features::demo::repo::{meta_get, meta_set};
use crate::platform::db::Db;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the shipped catalog is invalid: {0}")]
    Catalog(String),
    #[error("database error while seeding: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Demo(String),
}

/// The recycling partner that receives devices nobody buys. Platform data,
/// not demo data: every installation needs it. Its account cannot sign in
/// (its password hash is not a valid hash).
pub async fn ensure_recycling_partner(db: &Db, now_ms: i64) -> Result<(), SeedError> {
    if crate::features::sellers::service::recycler(db.pool())
        .await?
        .is_some()
    {
        return Ok(());
    }
    let email = crate::domain::account::Email::parse("recycling@tradein.example").expect("valid");
    let mut tx = db.write_tx().await?;
    let user_id = crate::features::accounts::service::insert_user(
        &mut *tx,
        crate::features::accounts::service::NewUser {
            email: &email,
            password_hash: "!no-login",
            role: crate::domain::account::Role::Seller,
            display_name: "EcoCycle Recycling",
            email_verified: true,
        },
        now_ms,
    )
    .await?;
    let recycler = crate::features::sellers::service::insert_seller(
        &mut tx,
        &crate::features::sellers::service::NewSeller {
            user_id,
            company_name: "EcoCycle Recycling",
            vat_number: "FR55123456789",
            address_line1: "8 rue de l'Industrie",
            postcode: "93200",
            city: "Saint-Denis",
            country: "FR",
            address_line2: "",
            contact_name: "",
            contact_email: "recycling@tradein.example",
            contact_phone: "",
            status: crate::domain::seller::SellerStatus::Approved,
            weekly_cap: None,
            quality_score: 500,
            kind: "recycler",
            home_market: crate::domain::market::Market::FrFr,
        },
        now_ms,
    )
    .await?;
    // Devices from the UK and the US are recycled in their own country
    // (customs): the partner's sites there.
    let sites = [
        (
            crate::domain::market::Market::EnGb,
            (
                "EcoCycle UK",
                "2 Recycling Way",
                "M1 1AA",
                "Manchester",
                "",
                "GB",
            ),
        ),
        (
            crate::domain::market::Market::EnUs,
            (
                "EcoCycle US",
                "100 Green Street",
                "07102",
                "Newark",
                "NJ",
                "US",
            ),
        ),
    ];
    for (market, (name, line1, postcode, city, region, country)) in sites {
        let site = crate::domain::address::PostalAddress {
            name: name.into(),
            line1: line1.into(),
            line2: String::new(),
            postcode: postcode.into(),
            city: city.into(),
            country: country.into(),
            region: region.into(),
        };
        crate::features::sellers::service::add_market(&mut tx, recycler, market, &site, now_ms)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Loads `seed/catalog.csv` into the catalog tables, in one transaction,
/// unless this exact file is already loaded. Returns whether it loaded.
pub async fn load_catalog(db: &Db) -> Result<bool, SeedError> {
    let fingerprint = catalog_file::fingerprint(catalog_file::CATALOG_CSV);
    if meta_get(db, "catalog_fingerprint").await?.as_deref() == Some(fingerprint.as_str()) {
        return Ok(false);
    }
    let models = catalog_file::parse(catalog_file::CATALOG_CSV).map_err(SeedError::Catalog)?;
    let mut tx = db.write_tx().await?;
    let mut category_ids = std::collections::HashMap::new();
    for (position, category) in crate::domain::catalog::Category::ALL
        .into_iter()
        .enumerate()
    {
        let id = crate::features::catalog::service::upsert_category(
            &mut tx,
            category.slug(),
            category.name(),
            position as i64,
        )
        .await?;
        category_ids.insert(category, id);
    }
    let mut brand_ids = std::collections::HashMap::new();
    for m in &models {
        let brand_id = match brand_ids.get(&m.brand) {
            Some(id) => *id,
            None => {
                let id = crate::features::catalog::service::upsert_brand(
                    &mut tx,
                    &m.brand_slug(),
                    &m.brand,
                )
                .await?;
                brand_ids.insert(m.brand.clone(), id);
                id
            }
        };
        let model_id = crate::features::catalog::service::upsert_model(
            &mut tx,
            &crate::features::catalog::service::ModelRow {
                category_id: category_ids[&m.category],
                brand_id,
                slug: &m.slug,
                name: &m.name,
                release_year: m.release_year,
                launch_price: crate::domain::money::Money::eur(m.launch_price_eur * 100),
            },
        )
        .await?;
        for (position, v) in m.variants().iter().enumerate() {
            crate::features::catalog::service::upsert_variant(
                &mut tx,
                model_id,
                &v.sku,
                v.storage_gb as i64,
                &v.connectivity,
                position as i64,
                v.sold_in,
            )
            .await?;
        }
    }
    // A variant a new catalog takes out of a market leaves it for good.
    crate::features::sellers::service::withdraw_unsold_listings(&mut tx).await?;
    meta_set(&mut tx, "catalog_fingerprint", &fingerprint).await?;
    tx.commit().await?;
    tracing::info!(models = models.len(), "catalog loaded");
    Ok(true)
}
