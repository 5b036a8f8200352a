//! What the price grid, its detail panel and the CSV import send to the
//! browser. Shared by the server functions and the pages.

#[cfg(feature = "ssr")]
pub mod files;
/// The repository's packed-text reader alone, for the fuzz target
/// `grid_unpack` (the `fuzzing` feature builds no server; the repository
/// itself stays private).
#[cfg(all(feature = "fuzzing", not(feature = "ssr")))]
#[path = "repo/packed.rs"]
pub mod packed;
#[cfg(feature = "ssr")]
mod repo;

#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::domain::grade::Grade;
use crate::domain::ids::VariantId;
use crate::domain::listing_price::MarketPosition;
use crate::domain::market::Market;
use crate::domain::money::{Currency, Money};
use crate::domain::price_import::Counts;
use crate::error::AppError;
use crate::i18n::staff::{use_staff, Staff, StaffTexts};
use crate::i18n::Texts;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One cell (variant x grade) of a refurbisher's grid in one market, with
/// where it stands there. Its amounts (`*_minor`, and the position's) are
/// minor units of the page's market's currency (`GridPage::market`): a
/// page holds hundreds of cells, and one currency for all of them keeps
/// its hydration data small. The server's own types carry Money.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridCell {
    pub variant_id: VariantId,
    pub grade: Grade,
    /// None: not buying.
    pub price_minor: Option<i64>,
    /// None: no listing yet. Saving names the version it started from.
    pub version: Option<i64>,
    pub weekly_cap: Option<i64>,
    /// Other refurbishers whose offer for this cell is live now.
    pub competitors: usize,
    pub best_competitor_minor: Option<i64>,
    /// Rank, buyers and price to win; only when buying.
    pub position: Option<MarketPosition>,
    /// Why this listing is not in the offers right now, if it is not.
    pub not_competing: Option<String>,
    /// More than 30% over the second-best price.
    pub far_above_market: bool,
    /// The market is not shown to this refurbisher (not vetted yet): no
    /// competitor, position or curve.
    pub market_hidden: bool,
    /// What the refurbisher paid on average last month for this variant
    /// and grade, when the price is now below it.
    pub below_paid_minor: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridRow {
    pub variant_id: VariantId,
    pub sku: String,
    /// "Apple iPhone 13 · 128 GB"
    pub name: String,
    pub cells: Vec<GridCell>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridPage {
    /// The market whose prices these are.
    pub market: Market,
    /// Every market this refurbisher buys in (the market selector).
    pub markets: Vec<Market>,
    pub rows: Vec<GridRow>,
    /// Variants matching the filters, on all pages.
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    pub status: crate::domain::seller::SellerStatus,
    pub paused: bool,
    pub weekly_cap: Option<i64>,
    pub units_this_week: i64,
    pub categories: Vec<(String, String)>,
    pub brands: Vec<(String, String)>,
}

/// The result of saving one cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CellOutcome {
    Saved(GridCell),
    Unchanged(GridCell),
    /// Someone changed it first (another tab, an import): nothing was
    /// written; this is the cell as it is now.
    Stale(GridCell),
}

/// One price a "match price to win" would set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchLine {
    pub market: Market,
    pub variant_id: VariantId,
    pub grade: Grade,
    pub name: String,
    pub current: Money,
    pub new: Money,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: usize,
    pub reason: String,
}

/// A CSV import's dry run, or what it applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: usize,
    /// The markets the file prices.
    pub markets: Vec<Market>,
    /// The file has no market column: its rows are the home market's.
    pub without_market: bool,
    pub counts: Counts,
    /// The first bad rows (all of them up to a limit), by line.
    pub errors: Vec<RowProblem>,
    pub error_count: usize,
    /// Names the grid the preview was made against; applying needs it.
    /// Empty once applied (the next import previews again).
    pub base: String,
    pub applied: bool,
}

/// How many bad rows a report lists (all are counted).
pub const MAX_LISTED_ERRORS: usize = crate::domain::price_csv::KEPT_ERRORS;

/// A price history entry, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: crate::domain::dates::Moment,
    pub old: Option<Money>,
    pub new: Option<Money>,
    pub source: String,
    pub by: String,
}

/// The detail panel of one listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingDetail {
    pub market: Market,
    pub name: String,
    pub sku: String,
    pub cell: GridCell,
    /// Every live competing price, best first (anonymised).
    pub curve: Vec<i64>,
    pub history: Vec<HistoryLine>,
}

/// The grid's filters as the page's query string holds them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridFilter {
    /// A market code; none: the home market.
    pub market: Option<String>,
    pub category: Option<String>,
    pub brand: Option<String>,
    pub q: Option<String>,
    pub only: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

#[server(prefix = "/api", endpoint = "price_grid")]
pub async fn load_price_grid(#[server(flatten)] filter: GridFilter) -> Result<GridPage, AppError> {
    use crate::domain::account::Role;
    use crate::features::pricing::service::{grid_page, seller_ctx, PER_PAGE};
    use crate::features::pricing::service::{GridQuery, Only, Sort};
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let ctx = seller_ctx(&g.state, g.user()?.id).await?;
    let GridFilter {
        market,
        category,
        brand,
        q,
        only,
        sort,
        page,
    } = filter;
    let text = q.unwrap_or_default();
    if text.chars().count() > 60 {
        return Err(AppError::invalid(
            "q",
            use_staff().get(Staff::GridSearchTooLong),
        ));
    }
    let slug = |s: Option<String>| {
        s.filter(|s| crate::domain::catalog::is_slug(s))
            .unwrap_or_default()
    };
    let only = match only.as_deref() {
        Some("buying") => Only::Buying,
        Some("not_winning") => Only::NotWinning,
        _ => Only::All,
    };
    let sort = match sort.as_deref() {
        Some("name") => Sort::Name,
        Some("newest") => Sort::Newest,
        Some("my_price") => Sort::MyPrice,
        _ => Sort::Catalog,
    };
    let page = page
        .and_then(|p| p.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000);
    let query = GridQuery {
        market: ctx.market(market.as_deref())?,
        category: slug(category),
        brand: slug(brand),
        text,
        only,
        sort,
        offset: (page - 1) * PER_PAGE,
        limit: PER_PAGE,
    };
    grid_page(&g.state, &ctx, query, page).await
}

/// Saves one cell. `price` empty: stop buying. `version`: the one the
/// editor started from (absent: there was no listing).
/// A grid cell as posted (text: a flattened form reaches serde as strings).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceCellForm {
    /// The market's code; none: the home market.
    pub market: Option<String>,
    pub variant_id: String,
    pub grade: String,
    pub price: String,
    pub version: Option<String>,
}

/// The listing a cell form names: its variant, and the version the editor
/// started from (absent or empty: there was no listing).
#[cfg(feature = "ssr")]
fn cell_key(variant_id: &str, version: Option<&str>) -> Result<(VariantId, Option<i64>), AppError> {
    let bad = || AppError::BadRequest("not a listing".into());
    let variant_id = variant_id.trim().parse().map_err(|_| bad())?;
    let version = match version.map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(v.parse().map_err(|_| bad())?),
    };
    Ok((variant_id, version))
}

#[server(prefix = "/api", endpoint = "price_cell")]
pub async fn save_price_cell(
    #[server(flatten)] form: PriceCellForm,
) -> Result<CellOutcome, AppError> {
    use crate::domain::account::Role;
    use crate::domain::listing_price::parse_price;
    use crate::features::pricing::service::Source;
    use crate::features::pricing::service::{save_cell, seller_ctx};
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let ctx = seller_ctx(&g.state, g.user()?.id).await?;
    let market = ctx.market(form.market.as_deref())?;
    let (variant_id, version) = cell_key(&form.variant_id, form.version.as_deref())?;
    let grade = Grade::parse(&form.grade).map_err(|e| AppError::invalid("grade", e))?;
    let price = form.price.trim();
    let price = if price.is_empty() {
        None
    } else {
        let st = use_staff();
        Some(Money::new(
            parse_price(price)
                .map_err(|e| AppError::invalid("price", price_error(st, &e, market.currency())))?,
            market.currency(),
        ))
    };
    save_cell(
        &g.state,
        &ctx,
        market,
        variant_id,
        grade,
        price,
        version,
        Source::Grid,
    )
    .await
}

/// The "pause buying" switch and the weekly cap for all listings.
/// The buying settings form: a checked "pause" box posts `paused`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyingSettingsForm {
    pub paused: Option<String>,
    pub weekly_cap: String,
}

#[server(prefix = "/api", endpoint = "buying_settings")]
pub async fn save_buying_settings(
    #[server(flatten)] form: BuyingSettingsForm,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::features::pricing::service::seller_ctx;
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Seller)).await?;
    let ctx = seller_ctx(&g.state, g.user()?.id).await?;
    let cap = parse_cap(&form.weekly_cap).map_err(|e| AppError::invalid("weekly_cap", e))?;
    let paused = form.paused.is_some_and(|p| p == "true" || p == "on");
    crate::features::sellers::service::set_buying(g.state.db.pool(), ctx.seller_id, paused, cap)
        .await
        .or_internal(&g)?;
    tracing::info!(
        seller_id = ctx.seller_id.get(),
        paused,
        ?cap,
        "buying settings saved"
    );
    Ok(())
}

/// A weekly unit cap typed by a person: empty for none.
pub fn parse_cap(text: &str) -> Result<Option<i64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (0..=crate::domain::price_csv::MAX_WEEKLY_CAP).contains(&n) => Ok(Some(n)),
        _ => Err(use_staff().fill(
            Staff::GridCapInvalid,
            &[("max", &crate::domain::price_csv::MAX_WEEKLY_CAP)],
        )),
    }
}

/// Why a typed price is refused, in the areas' language. Its limits are
/// the same number of units in every currency, named after `currency`.
pub fn price_error(
    st: StaffTexts,
    e: &crate::domain::listing_price::PriceError,
    currency: Currency,
) -> String {
    use crate::domain::listing_price::PriceError;
    use crate::domain::money::AmountError;
    match e {
        PriceError::TooLow => st.fill(Staff::GridPriceTooLow, &[("currency", &currency.code())]),
        PriceError::TooHigh => st.fill(Staff::GridPriceTooHigh, &[("currency", &currency.code())]),
        PriceError::Amount(AmountError::Empty) => st.get(Staff::GridPriceEmpty).to_string(),
        PriceError::Amount(AmountError::NotANumber(input)) => {
            st.fill(Staff::GridPriceNotANumber, &[("input", input)])
        }
        PriceError::Amount(AmountError::FractionalCents) => {
            st.get(Staff::GridPriceFractional).to_string()
        }
        PriceError::Amount(AmountError::TooLarge) => st.get(Staff::GridPriceTooLarge).to_string(),
    }
}

/// Why a row of a price file is refused, in the areas' language.
#[cfg(feature = "ssr")]
pub fn row_problem(st: StaffTexts, problem: &crate::domain::price_csv::RowProblem) -> String {
    use crate::domain::price_csv::{RowProblem as P, MAX_WEEKLY_CAP};
    match problem {
        P::QuoteNotClosed => st.get(Staff::ImportRowQuoteNotClosed).to_string(),
        P::FieldCount {
            expected,
            separator,
            found,
        } => st.fill(
            Staff::ImportRowFieldCount,
            &[
                ("expected", expected),
                ("separator", separator),
                ("found", found),
            ],
        ),
        P::UnknownMarket(code) => st.fill(
            Staff::ImportRowUnknownMarket,
            &[
                ("market", code),
                ("markets", &Market::ALL.map(Market::code).join(", ")),
            ],
        ),
        P::WrongCurrency { market, found } => st.fill(
            Staff::ImportRowWrongCurrency,
            &[
                ("market", &market.code()),
                ("currency", &market.currency().code()),
                ("found", found),
            ],
        ),
        P::NotASku(sku) => st.fill(Staff::ImportRowNotASku, &[("sku", sku)]),
        P::UnknownGrade(grade) => st.fill(Staff::ImportRowUnknownGrade, &[("grade", grade)]),
        P::Price(e, currency) => st.fill(
            Staff::ImportRowPrice,
            &[("reason", &price_error(st, e, *currency))],
        ),
        P::WeeklyCap => st.fill(Staff::ImportRowWeeklyCap, &[("max", &MAX_WEEKLY_CAP)]),
        P::NotBuyingIn(market) => {
            st.fill(Staff::ImportRowNotBuyingIn, &[("market", &market.code())])
        }
        P::UnknownSku(sku) => st.fill(Staff::ImportRowUnknownSku, &[("sku", sku)]),
        P::NotSoldIn { sku, market } => st.fill(
            Staff::ImportRowNotSoldIn,
            &[
                ("sku", sku),
                ("country", &market_name(st.vocabulary(), *market)),
                ("market", &market.code()),
            ],
        ),
        P::Duplicate {
            sku,
            grade,
            market,
            first_line,
        } => st.fill(
            Staff::ImportRowDuplicate,
            &[
                ("sku", sku),
                ("grade", &grade.code()),
                ("market", &market.code()),
                ("line", first_line),
            ],
        ),
    }
}

/// A market's name in the areas' language: its country's.
pub fn market_name(t: Texts, market: Market) -> &'static str {
    crate::i18n::errors::country(t, market.country()).unwrap_or(market.name())
}

#[server(prefix = "/api", endpoint = "price_match_preview", input = leptos::server_fn::codec::Json)]
pub async fn preview_match(
    /// None: the home market.
    market: Option<Market>,
    variant_ids: Vec<VariantId>,
) -> Result<Vec<MatchLine>, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let ctx = crate::features::pricing::service::seller_ctx(&g.state, g.user()?.id).await?;
    let market = ctx.market(market.map(Market::code))?;
    crate::features::pricing::service::match_preview(&g.state, &ctx, market, &variant_ids).await
}

#[server(prefix = "/api", endpoint = "price_match_apply", input = leptos::server_fn::codec::Json)]
pub async fn apply_match(lines: Vec<MatchLine>) -> Result<usize, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let ctx = crate::features::pricing::service::seller_ctx(&g.state, g.user()?.id).await?;
    crate::features::pricing::service::apply_match(&g.state, &ctx, &lines).await
}

/// An amount of the grid's currency, as the page shows it.
fn money(st: StaffTexts, minor: i64, currency: Currency) -> String {
    st.money(Money::new(minor, currency))
}

/// "119.90" for an input (no currency, dot decimals).
pub fn plain_amount(minor: i64) -> String {
    Money::eur(minor).field_text()
}

/// The short market line under a cell; amounts in `currency`, the grid's.
pub fn market_line(st: StaffTexts, c: &GridCell, currency: Currency) -> String {
    if c.market_hidden {
        return st.get(Staff::GridMarketHidden).into();
    }
    match (&c.position, c.price_minor) {
        (Some(p), Some(_)) => match p.price_to_win_minor {
            None => st.fill(Staff::GridWinning, &[("buyers", &p.buyers)]),
            Some(win) => st.fill(
                Staff::GridWinAt,
                &[
                    ("rank", &p.rank),
                    ("buyers", &p.buyers),
                    ("price", &money(st, win, currency)),
                ],
            ),
        },
        _ => match c.best_competitor_minor {
            Some(best) => st.fill(
                Staff::GridOthersBuy,
                &[("n", &c.competitors), ("price", &money(st, best, currency))],
            ),
            None => st.get(Staff::GridNobodyBuys).into(),
        },
    }
}

pub fn flags(st: StaffTexts, c: &GridCell, currency: Currency) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(why) = &c.not_competing {
        out.push(st.fill(Staff::GridNotCompeting, &[("why", why)]));
    }
    if c.far_above_market {
        out.push(st.get(Staff::GridFarAboveMarket).into());
    }
    if let Some(paid) = c.below_paid_minor {
        out.push(st.fill(
            Staff::GridBelowPaid,
            &[("amount", &money(st, paid, currency))],
        ));
    }
    out
}

#[derive(Clone, Debug, PartialEq)]
enum CellState {
    Idle,
    Saving,
    Saved,
    Failed(String),
}

/// `/seller/prices/{variant}/{grade}?market=..`: one listing's page.
pub fn detail_href(market: Market, variant_id: VariantId, grade: Grade) -> String {
    format!(
        "/seller/prices/{variant_id}/{}?market={}",
        grade.code(),
        market.code()
    )
}

fn page_href(query: &[(String, String)], page: i64) -> String {
    let mut parts: Vec<String> = query
        .iter()
        .filter(|(k, v)| k != "page" && !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::ui::url_encode(v)))
        .collect();
    parts.push(format!("page={page}"));
    format!("/seller/prices?{}", parts.join("&"))
}

#[server(prefix = "/api", endpoint = "listing_detail")]
pub async fn load_listing_detail(
    variant_id: VariantId,
    grade: String,
    market: Option<String>,
) -> Result<ListingDetail, AppError> {
    use crate::domain::account::Role;
    use crate::domain::grade::Grade;
    use crate::features::pricing::service::{cells, seller_ctx, variant_name};
    use crate::platform::session::guard::{guard, Access, OrInternal};
    let g = guard(Access::Role(Role::Seller)).await?;
    let ctx = seller_ctx(&g.state, g.user()?.id).await?;
    let grade = Grade::parse(&grade).map_err(|_| AppError::NotFound)?;
    let market = ctx
        .market(market.as_deref())
        .map_err(|_| AppError::NotFound)?;
    let mut conn = g.state.db.pool().acquire().await.or_internal(&g)?;
    let variant = crate::features::catalog::service::variant_by_id(&mut *conn, variant_id)
        .await
        .or_internal(&g)?
        .ok_or(AppError::NotFound)?;
    let now = g.now_ms();
    let cell = cells(&mut conn, &ctx, market, &[variant_id], now, None)
        .await
        .or_internal(&g)?
        .remove(&(variant_id, grade))
        .ok_or(AppError::NotFound)?;
    let week = crate::domain::dates::week_start_ms(now);
    let mut curve: Vec<i64> = if ctx.status.sees_market() {
        crate::features::offers::service::candidates(&mut *conn, market, variant_id, grade, week)
            .await
            .or_internal(&g)?
            .into_iter()
            .filter(|c| c.seller_id != ctx.seller_id && c.is_eligible())
            .map(|c| c.price.minor())
            .collect()
    } else {
        Vec::new()
    };
    curve.sort_unstable_by(|a, b| b.cmp(a));
    let zone = g.zone();
    let key = crate::features::pricing::service::CellKey {
        seller_id: ctx.seller_id,
        market,
        variant_id,
        grade,
    };
    let history = crate::features::pricing::service::history(&mut conn, key)
        .await
        .or_internal(&g)?
        .into_iter()
        .map(|h| HistoryLine {
            at: zone.moment(h.at),
            old: h.old_price,
            new: h.new_price,
            source: h.source,
            by: h.changed_by.unwrap_or_default(),
        })
        .collect();
    Ok(ListingDetail {
        market,
        name: variant_name(&variant),
        sku: variant.sku,
        cell,
        curve,
        history,
    })
}

/// A listing's own weekly cap, as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingCapForm {
    pub market: Option<String>,
    pub variant_id: String,
    pub grade: String,
    pub weekly_cap: String,
    pub version: String,
}

#[server(prefix = "/api", endpoint = "listing_cap")]
pub async fn save_listing_cap(
    #[server(flatten)] form: ListingCapForm,
) -> Result<CellOutcome, AppError> {
    use crate::domain::account::Role;
    use crate::domain::grade::Grade;
    use crate::features::pricing::parse_cap;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    let ctx = crate::features::pricing::service::seller_ctx(&g.state, g.user()?.id).await?;
    let market = ctx.market(form.market.as_deref())?;
    let (variant_id, version) = cell_key(&form.variant_id, Some(&form.version))?;
    let version = version.ok_or_else(|| AppError::BadRequest("not a listing".into()))?;
    let grade = Grade::parse(&form.grade).map_err(|e| AppError::invalid("grade", e))?;
    let cap = parse_cap(&form.weekly_cap).map_err(|e| AppError::invalid("weekly_cap", e))?;
    crate::features::pricing::service::set_listing_cap(
        &g.state, &ctx, market, variant_id, grade, cap, version,
    )
    .await
}

fn source_label(st: StaffTexts, code: &str) -> &'static str {
    st.get(match code {
        "csv" => Staff::ListingSourceCsv,
        "recommendation" => Staff::ListingSourceRecommendation,
        _ => Staff::ListingSourceGrid,
    })
}

fn outcome_note(
    st: StaffTexts,
    r: &Result<CellOutcome, AppError>,
    currency: Currency,
) -> Option<(bool, String)> {
    match r {
        Ok(CellOutcome::Saved(_)) => Some((true, st.get(Staff::ListingSaved).into())),
        Ok(CellOutcome::Unchanged(_)) => Some((true, st.get(Staff::ListingUnchanged).into())),
        Ok(CellOutcome::Stale(now)) => Some((
            false,
            st.fill(
                Staff::ListingStale,
                &[(
                    "price",
                    &now.price_minor
                        .map(|p| money(st, p, currency))
                        .unwrap_or_else(|| st.get(Staff::GridNotBuying).into()),
                )],
            ),
        )),
        Err(AppError::Invalid(_)) => None,
        Err(e) => Some((false, e.to_string())),
    }
}

/// Who is importing: the page opens only for a refurbisher.
#[server(prefix = "/api", endpoint = "import_context")]
pub async fn load_import_context() -> Result<String, AppError> {
    use crate::domain::account::Role;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Role(Role::Seller)).await?;
    Ok(
        crate::features::pricing::service::seller_ctx(&g.state, g.user()?.id)
            .await?
            .company,
    )
}

// Built only by the browser's upload callbacks.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Choose,
    Uploading {
        mode: &'static str,
        sent: f64,
        total: f64,
    },
    Previewed(ImportReport),
    Applied(ImportReport),
}

/// Posts the form to the upload route; `done` gets the status and body.
#[cfg(feature = "hydrate")]
fn send(
    form: &web_sys::HtmlFormElement,
    mode: &'static str,
    base: Option<String>,
    step: RwSignal<Step>,
    done: impl FnOnce(u16, String) + 'static,
) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let (Ok(data), Ok(xhr)) = (
        web_sys::FormData::new_with_form(form),
        web_sys::XmlHttpRequest::new(),
    ) else {
        done(0, String::new());
        return;
    };
    let _ = data.set_with_str("mode", mode);
    if let Some(base) = base {
        let _ = data.set_with_str("base", &base);
    }
    let _ = xhr.open("POST", "/seller/prices/upload");
    if let Ok(upload) = xhr.upload() {
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() {
                    step.set(Step::Uploading {
                        mode,
                        sent: e.loaded(),
                        total: e.total(),
                    });
                }
            });
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let request = xhr.clone();
    let mut done = Some(done);
    let on_end = Closure::<dyn FnMut()>::new(move || {
        if let Some(done) = done.take() {
            done(
                request.status().unwrap_or(0),
                request.response_text().ok().flatten().unwrap_or_default(),
            );
        }
    });
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    on_end.forget();
    step.set(Step::Uploading {
        mode,
        sent: 0.0,
        total: 1.0,
    });
    if xhr.send_with_opt_form_data(Some(&data)).is_err() {
        step.set(Step::Choose);
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn read_answer(status: u16, body: &str) -> Result<ImportReport, String> {
    let st = use_staff();
    if status == 200 {
        return crate::ui::data::read_json(body)
            .map_err(|_| st.get(Staff::ImportUnreadableAnswer).to_string());
    }
    match crate::ui::data::read_json::<AppError>(body) {
        Ok(AppError::Invalid(fields)) => Err(fields
            .0
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join(" ")),
        Ok(e) => Err(e.to_string()),
        Err(_) if status == 413 => Err(st.get(Staff::ImportLargerThanLimit).into()),
        Err(_) if status == 0 => Err(st.get(Staff::ImportNotReached).into()),
        Err(_) => Err(st.fill(Staff::ImportFailed, &[("status", &status)])),
    }
}
