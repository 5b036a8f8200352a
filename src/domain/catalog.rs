//! Catalog vocabulary: categories, storage sizes, variant SKUs and slugs.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    Smartphones,
    Tablets,
    Consoles,
    Laptops,
    Smartwatches,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Smartphones,
        Category::Tablets,
        Category::Consoles,
        Category::Laptops,
        Category::Smartwatches,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Category::Smartphones => "smartphones",
            Category::Tablets => "tablets",
            Category::Consoles => "consoles",
            Category::Laptops => "laptops",
            Category::Smartwatches => "smartwatches",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Category::Smartphones => "Smartphones",
            Category::Tablets => "Tablets",
            Category::Consoles => "Game consoles",
            Category::Laptops => "Laptops",
            Category::Smartwatches => "Smartwatches",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// Devices of these categories carry an IMEI; the others a serial number.
    pub fn has_imei(self) -> bool {
        matches!(self, Category::Smartphones)
    }
}

/// Storage size in gigabytes, parsed from catalog text like "128GB" or "1TB".
pub fn parse_storage_gb(text: &str) -> Option<u32> {
    let t = text.trim().to_ascii_uppercase();
    if let Some(n) = t.strip_suffix("TB") {
        n.parse::<u32>().ok().filter(|n| *n > 0).map(|n| n * 1024)
    } else if let Some(n) = t.strip_suffix("GB") {
        n.parse::<u32>().ok().filter(|n| *n > 0)
    } else {
        None
    }
}

pub fn storage_label(gb: u32) -> String {
    if gb >= 1024 && gb.is_multiple_of(1024) {
        format!("{} TB", gb / 1024)
    } else {
        format!("{gb} GB")
    }
}

/// Lower-case ASCII words joined by hyphens: the shape of every slug and SKU.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '+' {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            out.push_str("plus");
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 120
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A variant's SKU: model slug, storage and connectivity, e.g.
/// `ipad-air-5-256gb-wi-fi-plus-cellular`. Stable: CSV files refer to it.
pub fn variant_sku(model_slug: &str, storage_gb: u32, connectivity: &str) -> String {
    let storage = if storage_gb >= 1024 && storage_gb.is_multiple_of(1024) {
        format!("{}tb", storage_gb / 1024)
    } else {
        format!("{storage_gb}gb")
    };
    if connectivity.is_empty() {
        format!("{model_slug}-{storage}")
    } else {
        format!("{model_slug}-{storage}-{}", slugify(connectivity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_parses_and_prints() {
        assert_eq!(parse_storage_gb("128GB"), Some(128));
        assert_eq!(parse_storage_gb("1TB"), Some(1024));
        assert_eq!(parse_storage_gb("0GB"), None);
        assert_eq!(parse_storage_gb("12"), None);
        assert_eq!(storage_label(2048), "2 TB");
        assert_eq!(storage_label(64), "64 GB");
    }

    #[test]
    fn slugs_and_skus() {
        assert_eq!(slugify("iPhone 13 Pro Max"), "iphone-13-pro-max");
        assert_eq!(slugify("Wi-Fi + Cellular"), "wi-fi-plus-cellular");
        assert_eq!(slugify("  Galaxy Z Fold5!! "), "galaxy-z-fold5");
        assert!(is_slug("iphone-13"));
        assert!(!is_slug("iPhone 13"));
        assert!(!is_slug("-x"));
        assert_eq!(variant_sku("iphone-13", 128, ""), "iphone-13-128gb");
        assert_eq!(
            variant_sku("ipad-air-5", 1024, "Wi-Fi + Cellular"),
            "ipad-air-5-1tb-wi-fi-plus-cellular"
        );
    }

    #[test]
    fn categories_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::from_slug(c.slug()), Some(c));
        }
        assert_eq!(Category::from_slug("cars"), None);
    }
}

/// How a model is named in sentences: "Apple iPhone 13", but "Apple Watch
/// SE" and "OnePlus 12", not "Apple Apple Watch SE".
pub fn full_name(brand: &str, model: &str) -> String {
    if model.to_lowercase().starts_with(&brand.to_lowercase()) {
        model.to_string()
    } else {
        format!("{brand} {model}")
    }
}

#[cfg(test)]
mod full_name_tests {
    #[test]
    fn brand_is_not_repeated() {
        assert_eq!(super::full_name("Apple", "iPhone 13"), "Apple iPhone 13");
        assert_eq!(
            super::full_name("Apple", "Apple Watch SE"),
            "Apple Watch SE"
        );
        assert_eq!(super::full_name("OnePlus", "OnePlus 12"), "OnePlus 12");
    }
}
