//! The device catalog shipped in `seed/catalog.csv`, compiled into the binary.
//!
//! Format (no quoting, `|` separates options, smallest storage first):
//! `category,brand,model,slug,year,launch_price_eur,storages,connectivity`
//!
//! A connectivity option may name the markets it is sold in, in brackets:
//! `[fr-fr de-de es-es it-it en-gb]|eSIM only[en-us]` is an iPhone whose
//! SIM-tray models are sold everywhere but the United States, and whose
//! eSIM-only models only there. An option with no label keeps the model's
//! plain SKUs (`iphone-14-128gb`).

use crate::domain::catalog::{is_slug, parse_storage_gb, slugify, variant_sku, Category};
use crate::domain::market::SoldIn;

pub const CATALOG_CSV: &str = include_str!("../../../seed/catalog.csv");

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogModel {
    pub category: Category,
    pub brand: String,
    pub name: String,
    pub slug: String,
    pub release_year: i64,
    pub launch_price_eur: i64,
    pub storages_gb: Vec<u32>,
    /// Empty when connectivity does not distinguish variants.
    pub connectivity: Vec<Connectivity>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connectivity {
    /// Empty for the model's plain variants.
    pub label: String,
    pub sold_in: SoldIn,
}

impl Connectivity {
    fn parse(option: &str) -> Option<Connectivity> {
        let option = option.trim();
        let Some(open) = option.find('[') else {
            return Some(Connectivity {
                label: option.to_string(),
                sold_in: SoldIn::EVERYWHERE,
            });
        };
        let markets = option[open + 1..].strip_suffix(']')?;
        let sold_in = SoldIn::parse(markets).filter(|s| !s.is_everywhere())?;
        Some(Connectivity {
            label: option[..open].trim().to_string(),
            sold_in,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogVariant {
    pub sku: String,
    pub storage_gb: u32,
    pub connectivity: String,
    /// 0 for the smallest storage, 1 for the next...
    pub storage_step: u32,
    /// 0 for the base connectivity (Wi-Fi, GPS), 1 for the cellular one.
    pub connectivity_step: u32,
    pub sold_in: SoldIn,
}

impl CatalogModel {
    pub fn brand_slug(&self) -> String {
        slugify(&self.brand)
    }

    pub fn variants(&self) -> Vec<CatalogVariant> {
        let plain = [Connectivity {
            label: String::new(),
            sold_in: SoldIn::EVERYWHERE,
        }];
        let connectivity: &[Connectivity] = if self.connectivity.is_empty() {
            &plain
        } else {
            &self.connectivity
        };
        let mut out = Vec::new();
        for (s, &gb) in self.storages_gb.iter().enumerate() {
            for (c, conn) in connectivity.iter().enumerate() {
                out.push(CatalogVariant {
                    sku: variant_sku(&self.slug, gb, &conn.label),
                    storage_gb: gb,
                    connectivity: conn.label.clone(),
                    storage_step: s as u32,
                    connectivity_step: c as u32,
                    sold_in: conn.sold_in,
                });
            }
        }
        out
    }
}

pub fn parse(text: &str) -> Result<Vec<CatalogModel>, String> {
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, l)| l.trim()).unwrap_or_default();
    if header != "category,brand,model,slug,year,launch_price_eur,storages,connectivity" {
        return Err(format!("catalog line 1: unexpected header \"{header}\""));
    }
    let mut models = Vec::new();
    let mut slugs = std::collections::HashSet::new();
    for (index, line) in lines {
        let n = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != 8 {
            return Err(format!(
                "catalog line {n}: expected 8 fields, found {}",
                f.len()
            ));
        }
        let category = Category::from_slug(f[0])
            .ok_or_else(|| format!("catalog line {n}: unknown category \"{}\"", f[0]))?;
        if f[1].is_empty() || f[2].is_empty() {
            return Err(format!("catalog line {n}: brand and model are required"));
        }
        if !is_slug(f[3]) || !slugs.insert(f[3].to_string()) {
            return Err(format!(
                "catalog line {n}: slug \"{}\" is malformed or repeated",
                f[3]
            ));
        }
        let release_year = f[4]
            .parse::<i64>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| format!("catalog line {n}: bad year"))?;
        let launch_price_eur = f[5]
            .parse::<i64>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("catalog line {n}: bad launch price"))?;
        let storages_gb = f[6]
            .split('|')
            .map(|s| {
                parse_storage_gb(s).ok_or_else(|| format!("catalog line {n}: bad storage \"{s}\""))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if storages_gb.windows(2).any(|w| w[0] >= w[1]) {
            return Err(format!(
                "catalog line {n}: storages must grow from smallest to largest"
            ));
        }
        let connectivity: Vec<Connectivity> = if f[7].is_empty() {
            Vec::new()
        } else {
            f[7].split('|')
                .map(|c| {
                    Connectivity::parse(c).ok_or_else(|| {
                        format!("catalog line {n}: bad connectivity \"{c}\" (markets go in brackets: eSIM only[en-us])")
                    })
                })
                .collect::<Result<_, _>>()?
        };
        let labels: std::collections::HashSet<&str> =
            connectivity.iter().map(|c| c.label.as_str()).collect();
        if labels.len() != connectivity.len() {
            return Err(format!("catalog line {n}: a connectivity option repeats"));
        }
        models.push(CatalogModel {
            category,
            brand: f[1].to_string(),
            name: f[2].to_string(),
            slug: f[3].to_string(),
            release_year,
            launch_price_eur,
            storages_gb,
            connectivity,
        });
    }
    Ok(models)
}

/// A short fingerprint of the catalog text: start-up reloads the catalog
/// only when the shipped file changed.
pub fn fingerprint(text: &str) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(text.as_bytes())[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalog_is_complete_and_well_formed() {
        let models = parse(CATALOG_CSV).expect("catalog parses");
        assert!(models.len() >= 150, "{} models", models.len());
        for category in Category::ALL {
            assert!(
                models.iter().any(|m| m.category == category),
                "{category:?} missing"
            );
        }
        let names: Vec<&str> = models.iter().map(|m| m.name.as_str()).collect();
        for must in [
            "iPhone 8",
            "iPhone 13",
            "iPhone 16 Pro Max",
            "PlayStation 5",
            "Switch OLED",
            "Xbox Series X",
        ] {
            assert!(names.iter().any(|n| n.contains(must)), "{must} missing");
        }
        let mut skus = std::collections::HashSet::new();
        for m in &models {
            for v in m.variants() {
                assert!(skus.insert(v.sku.clone()), "duplicate sku {}", v.sku);
            }
        }
        assert!(skus.len() > models.len());
    }

    #[test]
    fn rejects_malformed_rows_with_their_line() {
        let head = "category,brand,model,slug,year,launch_price_eur,storages,connectivity\n";
        let err = parse(&format!(
            "{head}phones,Apple,iPhone,iphone,2020,500,64GB,\n"
        ))
        .unwrap_err();
        assert!(err.starts_with("catalog line 2: unknown category"), "{err}");
        let err = parse(&format!(
            "{head}smartphones,Apple,iPhone,iphone,2020,500,256GB|64GB,\n"
        ))
        .unwrap_err();
        assert!(err.contains("smallest to largest"), "{err}");
        assert!(parse("wrong header\n").is_err());
        let err = parse(&format!(
            "{head}smartphones,Apple,iPhone,iphone,2020,500,64GB,eSIM only[us]\n"
        ))
        .unwrap_err();
        assert!(err.contains("bad connectivity"), "{err}");
    }

    #[test]
    fn esim_only_iphones_are_american_and_the_others_are_not() {
        use crate::domain::market::Market;
        let models = parse(CATALOG_CSV).unwrap();
        let iphone = models.iter().find(|m| m.slug == "iphone-15").unwrap();
        let variants = iphone.variants();
        let plain = variants
            .iter()
            .find(|v| v.sku == "iphone-15-128gb")
            .unwrap();
        let esim = variants
            .iter()
            .find(|v| v.sku == "iphone-15-128gb-esim-only")
            .unwrap();
        assert!(plain.sold_in.contains(Market::FrFr) && !plain.sold_in.contains(Market::EnUs));
        assert!(esim.sold_in.contains(Market::EnUs) && !esim.sold_in.contains(Market::EnGb));
        let old = models.iter().find(|m| m.slug == "iphone-13").unwrap();
        assert!(old.variants().iter().all(|v| v.sold_in.is_everywhere()));
    }

    #[test]
    fn ipads_have_wifi_and_cellular_variants() {
        let models = parse(CATALOG_CSV).unwrap();
        let ipad = models
            .iter()
            .find(|m| m.slug.starts_with("ipad-air"))
            .expect("an iPad Air");
        let variants = ipad.variants();
        assert_eq!(variants.len(), ipad.storages_gb.len() * 2);
        assert!(variants
            .iter()
            .any(|v| v.connectivity_step == 1 && v.sku.ends_with("cellular")));
    }
}
