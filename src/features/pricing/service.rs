//! A refurbisher's prices as a service: the grid with each cell's market
//! position, saving cells with their versions, "match price to win", and
//! CSV imports (dry run, then all-or-nothing apply). Callers are the server
//! functions, the CSV routes and the benchmark.

use crate::domain::catalog::{full_name, storage_label};
use crate::domain::dates::{previous_month_ms, week_start_ms};
use crate::domain::grade::Grade;
use crate::domain::ids::{SellerId, UserId, VariantId};
use crate::domain::listing_price::{far_above_market, market_position};
use crate::domain::market::Market;
use crate::domain::money::Money;
use crate::domain::offer::{Candidate, Ineligible};
use crate::domain::price_csv;
use crate::domain::price_import::{fingerprint, plan};
use crate::domain::seller::SellerStatus;
use crate::error::AppError;
use crate::features::offers::cache::OfferCache;
use crate::i18n::staff::{use_staff, Staff, StaffTexts};

use crate::features::pricing::*;
use crate::platform::db::db_error;
use crate::platform::state::AppState;
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::sync::Arc;

// What other features run on their own connection, inside their own transaction.
pub use super::repo::api::{one as api_listing, page as api_listings, ListingRecord};
pub use super::repo::{
    history, lock_grid, save, Cell, CellKey, CellWrite, GridQuery, Only, Saved, Sort, Source,
};

/// The signed-in refurbisher.
#[derive(Clone, Debug)]
pub struct SellerCtx {
    pub seller_id: SellerId,
    pub user_id: UserId,
    pub company: String,
    pub status: SellerStatus,
    pub paused: bool,
    pub weekly_cap: Option<i64>,
    /// Where it signed up: a price file without a market column is this
    /// market's.
    pub home_market: Market,
    /// The markets it buys in (never empty: the home market at least).
    pub markets: Vec<Market>,
}

impl SellerCtx {
    /// `asked` if this seller buys there, the home market when nothing is
    /// asked; a market it does not buy in is refused next to the field.
    pub fn market(&self, asked: Option<&str>) -> Result<Market, AppError> {
        let Some(code) = asked.map(str::trim).filter(|c| !c.is_empty()) else {
            return Ok(self.home_market);
        };
        Market::parse(code)
            .filter(|m| self.markets.contains(m))
            .ok_or_else(|| AppError::invalid("market", use_staff().get(Staff::GridNotYourMarket)))
    }

    fn cell(&self, market: Market, variant_id: VariantId, grade: Grade) -> CellKey {
        CellKey {
            seller_id: self.seller_id,
            market,
            variant_id,
            grade,
        }
    }
}

/// The seller account of a user, or Forbidden (a seller user always has one).
pub async fn seller_ctx(state: &AppState, user_id: UserId) -> Result<SellerCtx, AppError> {
    let s = crate::features::sellers::service::overview_for_user(state.db.pool(), user_id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::Forbidden)?;
    let (home_market, mut markets) =
        crate::features::sellers::service::markets(state.db.pool(), s.id)
            .await
            .map_err(db_error)?
            .ok_or(AppError::Forbidden)?;
    if markets.is_empty() {
        markets.push(home_market);
    }
    Ok(SellerCtx {
        seller_id: s.id,
        user_id,
        company: s.company,
        status: s.status,
        paused: s.paused,
        weekly_cap: s.weekly_cap,
        home_market,
        markets,
    })
}

pub fn variant_name(v: &crate::features::catalog::service::VariantInfo) -> String {
    let mut name = format!(
        "{} · {}",
        full_name(&v.brand_name, &v.model_name),
        storage_label(v.storage_gb as u32)
    );
    if !v.connectivity.is_empty() {
        name.push_str(&format!(" · {}", v.connectivity));
    }
    name
}

fn not_competing(st: StaffTexts, why: Ineligible, status: SellerStatus) -> String {
    let text = match why {
        Ineligible::SellerNotApproved if status == SellerStatus::Pending => {
            Staff::GridWhyAwaitingApproval
        }
        Ineligible::SellerNotApproved => {
            return st.fill(
                Staff::GridWhyAccount,
                &[("status", &st.seller_status(status))],
            )
        }
        Ineligible::SellerPaused => Staff::GridWhyPaused,
        Ineligible::ListingInactive => Staff::GridNotBuying,
        Ineligible::ListingCapReached => Staff::GridWhyCapReached,
        Ineligible::SellerCapReached => Staff::GridWhySellerCapReached,
    };
    st.get(text).to_string()
}

/// Everything the grid shows for one cell. `competitors`: the other
/// refurbishers' live prices.
#[allow(clippy::too_many_arguments)]
fn cell_view(
    st: StaffTexts,
    ctx: &SellerCtx,
    variant_id: VariantId,
    grade: Grade,
    own: Option<crate::features::pricing::repo::Cell>,
    mine: Option<&Candidate>,
    competitors: &[i64],
    paid: Option<i64>,
) -> GridCell {
    // The grid's wire form: minor units of the listing's currency.
    let price = own.and_then(|c| c.price).map(Money::minor);
    let sees_market = ctx.status.sees_market();
    GridCell {
        variant_id,
        grade,
        price_minor: price,
        version: own.map(|c| c.version),
        weekly_cap: own.and_then(|c| c.weekly_cap),
        competitors: competitors.len(),
        best_competitor_minor: competitors.iter().copied().max(),
        position: price
            .filter(|_| sees_market)
            .map(|p| market_position(p, competitors)),
        not_competing: price
            .and(mine)
            .and_then(Candidate::ineligibility)
            .map(|why| not_competing(st, why, ctx.status)),
        far_above_market: price.is_some_and(|p| far_above_market(p, competitors)),
        market_hidden: !sees_market,
        below_paid_minor: match (price, paid) {
            (Some(p), Some(avg)) if p < avg => Some(avg),
            _ => None,
        },
    }
}

/// The cells of the given variants in one market, every grade, with their
/// market position: read now, or for a page of the grid as the offer step
/// keeps it (`kept`: a moment old at most, and re-read after any price
/// change in this process).
pub async fn cells(
    conn: &mut AnyConnection,
    ctx: &SellerCtx,
    market: Market,
    variant_ids: &[VariantId],
    now: i64,
    kept: Option<&OfferCache>,
) -> Result<HashMap<(VariantId, Grade), GridCell>, sqlx::Error> {
    let own: HashMap<(VariantId, Grade), crate::features::pricing::repo::Cell> =
        crate::features::pricing::repo::own_cells(conn, ctx.seller_id, market, variant_ids)
            .await?
            .into_iter()
            .map(|(v, g, c)| ((v, g), c))
            .collect();
    let week = week_start_ms(now);
    let listings_of: HashMap<(VariantId, Grade), Arc<Vec<Candidate>>> = match kept {
        Some(cache) => {
            cache
                .candidates_for_variants(&mut *conn, market, variant_ids, week)
                .await?
        }
        None => crate::features::offers::service::candidates_for_variants(
            &mut *conn,
            market,
            variant_ids,
            week,
        )
        .await?
        .into_iter()
        .map(|(k, c)| (k, Arc::new(c)))
        .collect(),
    };
    let (from, to) = previous_month_ms(now);
    let paid: HashMap<(VariantId, Grade), i64> = crate::features::pricing::repo::average_paid(
        conn,
        ctx.seller_id,
        market,
        variant_ids,
        from,
        to,
    )
    .await?
    .into_iter()
    .map(|(v, g, a)| ((v, g), a))
    .collect();
    let st = use_staff();
    let mut out = HashMap::new();
    let mut competitors = Vec::new();
    for &v in variant_ids {
        for g in Grade::ALL {
            let key = (v, g);
            let listings = listings_of
                .get(&key)
                .map(|c| c.as_slice())
                .unwrap_or_default();
            let mine = listings.iter().find(|c| c.seller_id == ctx.seller_id);
            competitors.clear();
            if ctx.status.sees_market() {
                competitors.extend(
                    listings
                        .iter()
                        .filter(|c| c.seller_id != ctx.seller_id && c.is_eligible())
                        .map(|c| c.price.minor()),
                );
            }
            out.insert(
                key,
                cell_view(
                    st,
                    ctx,
                    v,
                    g,
                    own.get(&key).copied(),
                    mine,
                    &competitors,
                    paid.get(&key).copied(),
                ),
            );
        }
    }
    Ok(out)
}

pub const PER_PAGE: i64 = 50;

pub async fn grid_page(
    state: &AppState,
    ctx: &SellerCtx,
    q: crate::features::pricing::repo::GridQuery,
    page: i64,
) -> Result<GridPage, AppError> {
    let now = state.clock.now_ms();
    let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
    let (total, variants) =
        crate::features::pricing::repo::grid(&mut conn, state.db.backend(), ctx.seller_id, &q)
            .await
            .map_err(db_error)?;
    let ids: Vec<VariantId> = variants.iter().map(|v| v.variant_id).collect();
    let mut cells = cells(
        &mut conn,
        ctx,
        q.market,
        &ids,
        now,
        Some(state.feature::<crate::features::offers::cache::OfferCache>()),
    )
    .await
    .map_err(db_error)?;
    let rows = variants
        .iter()
        .map(|v| GridRow {
            variant_id: v.variant_id,
            sku: v.sku.clone(),
            name: variant_name(v),
            cells: Grade::ALL
                .iter()
                .filter_map(|g| cells.remove(&(v.variant_id, *g)))
                .collect(),
        })
        .collect();
    let categories = crate::features::catalog::service::categories_with_counts(&mut *conn, None)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|c| (c.slug, c.name))
        .collect();
    let brands = crate::features::catalog::service::all_brands(&mut *conn)
        .await
        .map_err(db_error)?;
    let units_this_week = crate::features::sellers::service::units_in_week(
        &mut *conn,
        ctx.seller_id,
        week_start_ms(now),
    )
    .await
    .map_err(db_error)?;
    Ok(GridPage {
        market: q.market,
        markets: ctx.markets.clone(),
        rows,
        total,
        page,
        pages: ((total + q.limit - 1) / q.limit).max(1),
        status: ctx.status,
        paused: ctx.paused,
        weekly_cap: ctx.weekly_cap,
        units_this_week,
        categories,
        brands,
    })
}

/// One cell of the seller's grid as the grid shows it, its market
/// position included (hidden while operations have not approved it).
pub async fn one_cell(
    state: &AppState,
    ctx: &SellerCtx,
    market: Market,
    variant_id: VariantId,
    grade: Grade,
) -> Result<GridCell, AppError> {
    let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
    let mut cells = cells(
        &mut conn,
        ctx,
        market,
        &[variant_id],
        state.clock.now_ms(),
        None,
    )
    .await
    .map_err(db_error)?;
    cells.remove(&(variant_id, grade)).ok_or(AppError::NotFound)
}

async fn known_variant(
    state: &AppState,
    variant_id: VariantId,
) -> Result<crate::features::catalog::service::VariantInfo, AppError> {
    crate::features::catalog::service::variant_by_id(state.db.pool(), variant_id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::NotFound)
}

/// Saves one cell if it still has `version` (None: the editor saw no
/// listing). `price` None stops buying. Only ever this seller's cell, in a
/// market it buys in (`SellerCtx::market`).
#[allow(clippy::too_many_arguments)]
pub async fn save_cell(
    state: &AppState,
    ctx: &SellerCtx,
    market: Market,
    variant_id: VariantId,
    grade: Grade,
    price: Option<Money>,
    version: Option<i64>,
    source: Source,
) -> Result<CellOutcome, AppError> {
    let variant = known_variant(state, variant_id).await?;
    if price.is_some() && !variant.sold_in.contains(market) {
        let st = use_staff();
        let vocabulary = crate::i18n::Texts::speaking(market, st.lang());
        return Err(AppError::invalid(
            "price",
            st.fill(
                Staff::GridNotSoldIn,
                &[
                    ("sku", &variant.sku),
                    ("market", &market_name(vocabulary, market)),
                ],
            ),
        ));
    }
    let now = state.clock.now_ms();
    let mut tx = grid_tx(state, ctx.seller_id).await?;
    let saved = crate::features::pricing::repo::save(
        &mut tx,
        CellWrite {
            key: ctx.cell(market, variant_id, grade),
            price,
            expected_version: version,
            changed_by: ctx.user_id,
            source,
        },
        now,
    )
    .await
    .map_err(db_error)?;
    listing_changed(&mut tx, ctx, &saved, now).await?;
    tx.commit().await.map_err(db_error)?;
    let cell = one_cell(state, ctx, market, variant_id, grade).await?;
    Ok(match saved {
        crate::features::pricing::repo::Saved::Saved { .. } => {
            tracing::info!(
                seller_id = ctx.seller_id.get(),
                market = market.code(),
                variant_id = variant_id.get(),
                grade = grade.code(),
                price = ?price.map(Money::minor),
                "price saved"
            );
            CellOutcome::Saved(cell)
        }
        crate::features::pricing::repo::Saved::Unchanged
        | crate::features::pricing::repo::Saved::Missing => CellOutcome::Unchanged(cell),
        crate::features::pricing::repo::Saved::Stale { .. } => CellOutcome::Stale(cell),
    })
}

/// A saved cell's `listing.updated` event, in the save's transaction.
async fn listing_changed(
    tx: &mut sqlx::AnyConnection,
    ctx: &SellerCtx,
    saved: &crate::features::pricing::repo::Saved,
    now: i64,
) -> Result<(), AppError> {
    let crate::features::pricing::repo::Saved::Saved {
        listing_id,
        version,
    } = saved
    else {
        return Ok(());
    };
    crate::features::seller_events::service::record_listing_updated(
        tx,
        ctx.seller_id,
        *listing_id,
        *version,
        now,
    )
    .await
    .map_err(db_error)
}

pub async fn set_listing_cap(
    state: &AppState,
    ctx: &SellerCtx,
    market: Market,
    variant_id: VariantId,
    grade: Grade,
    cap: Option<i64>,
    version: i64,
) -> Result<CellOutcome, AppError> {
    known_variant(state, variant_id).await?;
    let mut tx = grid_tx(state, ctx.seller_id).await?;
    let saved = crate::features::pricing::repo::set_listing_cap(
        &mut tx,
        ctx.cell(market, variant_id, grade),
        cap,
        version,
        state.clock.now_ms(),
    )
    .await
    .map_err(db_error)?;
    listing_changed(&mut tx, ctx, &saved, state.clock.now_ms()).await?;
    tx.commit().await.map_err(db_error)?;
    let cell = one_cell(state, ctx, market, variant_id, grade).await?;
    match saved {
        crate::features::pricing::repo::Saved::Saved { .. } => Ok(CellOutcome::Saved(cell)),
        crate::features::pricing::repo::Saved::Unchanged => Ok(CellOutcome::Unchanged(cell)),
        crate::features::pricing::repo::Saved::Stale { .. } => Ok(CellOutcome::Stale(cell)),
        crate::features::pricing::repo::Saved::Missing => Err(AppError::invalid(
            "cap",
            use_staff().get(Staff::GridSetPriceFirst),
        )),
    }
}

pub const MAX_MATCH_ROWS: usize = 200;

/// The prices "match price to win" would set for these rows: every cell
/// this seller buys and does not win, raised to the price to win.
pub async fn match_preview(
    state: &AppState,
    ctx: &SellerCtx,
    market: Market,
    variant_ids: &[VariantId],
) -> Result<Vec<MatchLine>, AppError> {
    let st = use_staff();
    if !ctx.status.sees_market() {
        return Err(AppError::Conflict(
            st.get(Staff::GridMatchNeedsMarket).into(),
        ));
    }
    if variant_ids.is_empty() || variant_ids.len() > MAX_MATCH_ROWS {
        return Err(AppError::invalid(
            "rows",
            st.fill(Staff::GridMatchSelectRows, &[("max", &MAX_MATCH_ROWS)]),
        ));
    }
    let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
    let cells = cells(
        &mut conn,
        ctx,
        market,
        variant_ids,
        state.clock.now_ms(),
        None,
    )
    .await
    .map_err(db_error)?;
    let mut lines = Vec::new();
    for &v in variant_ids {
        let Some(info) = crate::features::catalog::service::variant_by_id(&mut *conn, v)
            .await
            .map_err(db_error)?
        else {
            return Err(AppError::NotFound);
        };
        for g in Grade::ALL {
            let Some(c) = cells.get(&(v, g)) else {
                continue;
            };
            if let (Some(current), Some(version), Some(new)) = (
                c.price_minor,
                c.version,
                c.position.as_ref().and_then(|p| p.price_to_win_minor),
            ) {
                lines.push(MatchLine {
                    market,
                    variant_id: v,
                    grade: g,
                    name: variant_name(&info),
                    current: Money::new(current, market.currency()),
                    new: Money::new(new, market.currency()),
                    version,
                });
            }
        }
    }
    Ok(lines)
}

/// Saves a previewed "match price to win", all or nothing: if any cell
/// changed since the preview, nothing is saved.
pub async fn apply_match(
    state: &AppState,
    ctx: &SellerCtx,
    lines: &[MatchLine],
) -> Result<usize, AppError> {
    let st = use_staff();
    if lines.is_empty() || lines.len() > MAX_MATCH_ROWS * Grade::ALL.len() {
        return Err(AppError::invalid("rows", st.get(Staff::GridMatchNothing)));
    }
    for l in lines {
        if !ctx.markets.contains(&l.market) {
            return Err(AppError::invalid("rows", st.get(Staff::GridNotYourMarket)));
        }
        if l.new.currency() != l.market.currency() {
            return Err(AppError::invalid(
                "rows",
                st.fill(
                    Staff::GridMatchCurrency,
                    &[
                        ("market", &l.market.code()),
                        ("currency", &l.market.currency().code()),
                    ],
                ),
            ));
        }
        crate::domain::listing_price::check_price(l.new.minor())
            .map_err(|e| AppError::invalid("rows", price_error(st, &e, l.market.currency())))?;
    }
    let now = state.clock.now_ms();
    let mut tx = grid_tx(state, ctx.seller_id).await?;
    let mut saved = 0;
    for l in lines {
        match crate::features::pricing::repo::save(
            &mut tx,
            CellWrite {
                key: ctx.cell(l.market, l.variant_id, l.grade),
                price: Some(l.new),
                expected_version: Some(l.version),
                changed_by: ctx.user_id,
                source: Source::Recommendation,
            },
            now,
        )
        .await
        .map_err(db_error)?
        {
            crate::features::pricing::repo::Saved::Saved { .. } => saved += 1,
            crate::features::pricing::repo::Saved::Unchanged => {}
            crate::features::pricing::repo::Saved::Stale { .. }
            | crate::features::pricing::repo::Saved::Missing => {
                let vocabulary = crate::i18n::Texts::speaking(l.market, st.lang());
                return Err(AppError::Conflict(st.fill(
                    Staff::GridMatchChanged,
                    &[("variant", &l.name), ("grade", &vocabulary.grade(l.grade))],
                )));
            }
        }
    }
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        seller_id = ctx.seller_id.get(),
        saved,
        "matched prices to win"
    );
    Ok(saved)
}

/// Parses the file on the blocking pool while the caller reads the
/// database: for 100,000 rows each takes a good part of the time, and the
/// async workers stay free for other requests.
fn parse_in_background(
    text: &str,
    home: Market,
) -> tokio::task::JoinHandle<Result<price_csv::Parsed, price_csv::FileError>> {
    let text = text.to_owned();
    tokio::task::spawn_blocking(move || price_csv::parse(&text, home))
}

async fn parsed_file(
    parsing: tokio::task::JoinHandle<Result<price_csv::Parsed, price_csv::FileError>>,
) -> Result<price_csv::Parsed, AppError> {
    parsing
        .await
        .expect("CSV parsing task panicked")
        .map_err(|e| AppError::invalid("file", file_error(use_staff(), &e)))
}

/// Why a whole file is refused, in the areas' language.
fn file_error(st: StaffTexts, e: &price_csv::FileError) -> String {
    use price_csv::FileError;
    match e {
        FileError::Empty => st.get(Staff::ImportFileEmpty).to_string(),
        FileError::BadHeader(found) => st.fill(Staff::ImportFileBadHeader, &[("found", found)]),
        FileError::EurosOutsideTheEuro(currency) => st.fill(
            Staff::ImportFileEurosOutsideTheEuro,
            &[("currency", &currency.code())],
        ),
        FileError::MixedSeparators => st.get(Staff::ImportFileMixedSeparators).to_string(),
    }
}

fn report(
    p: &crate::domain::price_import::Plan,
    rows: usize,
    without_market: bool,
    base: String,
    applied: bool,
) -> ImportReport {
    let st = use_staff();
    ImportReport {
        rows,
        markets: p.markets.iter().copied().collect(),
        without_market,
        counts: p.counts,
        errors: p
            .errors
            .first()
            .iter()
            .take(MAX_LISTED_ERRORS)
            .map(|e| RowProblem {
                line: e.line,
                reason: row_problem(st, &e.problem),
            })
            .collect(),
        error_count: p.errors.count(),
        base,
        applied,
    }
}

/// A write transaction on one seller's grid. Every writer takes the
/// seller's row first, so an import's check of the grid it previewed and
/// its writes see no cell save in between (Postgres runs plain `BEGIN`;
/// SQLite's write transaction is already exclusive).
async fn grid_tx(
    state: &AppState,
    seller_id: SellerId,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, AppError> {
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    crate::features::pricing::repo::lock_grid(&mut tx, seller_id)
        .await
        .map_err(db_error)?;
    Ok(tx)
}

/// The dry run: what the file would change, and every bad row.
pub async fn preview_import(
    state: &AppState,
    ctx: &SellerCtx,
    text: &str,
    replace_all: bool,
) -> Result<ImportReport, AppError> {
    let parsing = parse_in_background(text, ctx.home_market);
    let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
    let ids = crate::features::catalog::service::variant_ids_by_sku(&mut conn)
        .await
        .map_err(db_error)?;
    let existing = crate::features::pricing::repo::existing(&mut conn, ctx.seller_id)
        .await
        .map_err(db_error)?;
    let parsed = parsed_file(parsing).await?;
    let rows = parsed.rows.len() + parsed.errors.count();
    let without_market = parsed.without_market;
    let p = plan(parsed, &ids, &existing, &ctx.markets, replace_all);
    Ok(report(
        &p,
        rows,
        without_market,
        fingerprint(&existing),
        false,
    ))
}

/// Applies the file in one transaction if the grid is still the one the
/// preview saw (`base`) and no row is bad; otherwise changes nothing.
pub async fn apply_import(
    state: &AppState,
    ctx: &SellerCtx,
    text: &str,
    replace_all: bool,
    base: &str,
) -> Result<ImportReport, AppError> {
    let parsing = parse_in_background(text, ctx.home_market);
    let ids = {
        let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
        crate::features::catalog::service::variant_ids_by_sku(&mut conn)
            .await
            .map_err(db_error)?
    };
    let st = use_staff();
    let stale = || AppError::Conflict(st.get(Staff::ImportStale).into());
    // Judged first on a plain read: a bad file or a stale preview is refused
    // without taking the write lock, which on SQLite is every writer's one
    // turn (a loop of bogus applies would stall them all).
    let parsed = parsed_file(parsing).await?;
    let rows = parsed.rows.len() + parsed.errors.count();
    let without_market = parsed.without_market;
    let p = {
        let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
        let existing = crate::features::pricing::repo::existing(&mut conn, ctx.seller_id)
            .await
            .map_err(db_error)?;
        if fingerprint(&existing) != base {
            return Err(stale());
        }
        plan(parsed, &ids, &existing, &ctx.markets, replace_all)
    };
    if !p.errors.is_empty() {
        return Err(AppError::invalid(
            "file",
            st.fill(Staff::ImportNotApplied, &[("n", &p.errors.count())]),
        ));
    }
    let now = state.clock.now_ms();
    let mut tx = grid_tx(state, ctx.seller_id).await?;
    // The plan holds while the grid is the one it was made against: the
    // fingerprint names every cell's listing and version, which each write
    // moves.
    let existing = crate::features::pricing::repo::existing(&mut tx, ctx.seller_id)
        .await
        .map_err(db_error)?;
    if fingerprint(&existing) != base {
        return Err(stale());
    }
    write_plan(state, tx, ctx, &p, Source::Csv, now).await?;
    // No base: a further import starts with a new preview.
    Ok(report(&p, rows, without_market, String::new(), true))
}

/// Applies rows sent through the seller API, all or nothing: the same
/// checks and plan as a price file's, decided and written in one
/// transaction on the seller's grid. The rows' problems, when any, and
/// nothing written.
pub async fn apply_rows(
    state: &AppState,
    ctx: &SellerCtx,
    parsed: price_csv::Parsed,
    replace_all: bool,
) -> Result<Result<crate::domain::price_import::Counts, price_csv::RowErrors>, AppError> {
    let ids = {
        let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
        crate::features::catalog::service::variant_ids_by_sku(&mut conn)
            .await
            .map_err(db_error)?
    };
    // Judged first on a plain read, as a file's apply is: bad rows are
    // refused without taking the write lock (on SQLite every writer's turn).
    {
        let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
        let existing = crate::features::pricing::repo::existing(&mut conn, ctx.seller_id)
            .await
            .map_err(db_error)?;
        let p = plan(parsed.clone(), &ids, &existing, &ctx.markets, replace_all);
        if !p.errors.is_empty() {
            return Ok(Err(p.errors));
        }
    }
    let now = state.clock.now_ms();
    // Planned again inside the write, against the cells it changes.
    let mut tx = grid_tx(state, ctx.seller_id).await?;
    let existing = crate::features::pricing::repo::existing(&mut tx, ctx.seller_id)
        .await
        .map_err(db_error)?;
    let p = plan(parsed, &ids, &existing, &ctx.markets, replace_all);
    if !p.errors.is_empty() {
        return Ok(Err(p.errors));
    }
    write_plan(state, tx, ctx, &p, Source::Api, now).await?;
    Ok(Ok(p.counts))
}

/// Writes a checked plan of a file or of API rows and commits.
async fn write_plan(
    state: &AppState,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    ctx: &SellerCtx,
    p: &crate::domain::price_import::Plan,
    source: Source,
    now: i64,
) -> Result<(), AppError> {
    crate::features::pricing::repo::apply(
        &state.db,
        &mut tx,
        ctx.seller_id,
        ctx.user_id,
        &p.writes,
        source,
        now,
    )
    .await
    .map_err(db_error)?;
    if p.counts.new + p.counts.changed + p.counts.removed > 0 {
        crate::features::seller_events::service::record_listings_imported(
            &mut tx,
            ctx.seller_id,
            p.counts.new,
            p.counts.changed,
            p.counts.removed,
            source.code(),
            now,
        )
        .await
        .map_err(db_error)?;
    }
    tx.commit().await.map_err(db_error)?;
    tracing::info!(
        seller_id = ctx.seller_id.get(),
        source = source.code(),
        new = p.counts.new,
        changed = p.counts.changed,
        removed = p.counts.removed,
        "price rows applied"
    );
    Ok(())
}

/// The grid as CSV text, header included.
pub async fn export_csv(state: &AppState, ctx: &SellerCtx) -> Result<String, AppError> {
    let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
    let rows = crate::features::pricing::repo::export(&mut conn, ctx.seller_id)
        .await
        .map_err(db_error)?;
    let mut file = crate::platform::csv::CsvFile::new();
    file.row(price_csv::HEADER);
    for (market, sku, grade, price, cap) in rows {
        file.row(price_csv::export_row(market, &sku, grade, price, cap));
    }
    Ok(file.finish())
}
