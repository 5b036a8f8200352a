//! What other features read from the catalog and what the demo seeding
//! writes to it, on the caller's connection. `SELECT_VARIANT` and its row
//! reader are for repositories that list variants under their own filters
//! (the price grid), so a variant is read one way everywhere.

pub use super::repo::{
    all_brands, categories_with_counts, sold_in_condition, upsert_brand, upsert_category,
    upsert_model, upsert_variant, variant_by_id, variant_by_sku, variant_from_row,
    variant_ids_by_sku, variants_after, ModelRow, VariantInfo, SELECT_VARIANT,
};
pub use super::repo::{
    brands_in_category, models_of_brand, CatalogSize, CategoryCount, ModelSummary,
};
