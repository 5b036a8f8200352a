//! The KPI dashboard: every KPI for a period against the one before and
//! its target, which segments explain the move, 12 weeks of history and a
//! breakdown. Also the CSV exports of the same tables.
//!
//! Money is never added across currencies: a money KPI is read once per
//! currency in view (`Lane`), the market's one when a market is chosen,
//! else each currency with money in either period, and shown side by side
//! ("€12,400.00 + £800.00"). Counts and rates add up across markets. A
//! money target is in EUR and is compared with the EUR figure only.

use crate::domain::catalog::Category;
use crate::domain::ids::{SellerId, UserId};
use crate::domain::kpi::{
    against_target, decompose, prorated_target, Comparison, Counts, Kpi, Period, PeriodKind, Unit,
};
use crate::domain::market::Market;
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::features::kpis::*;
use crate::i18n::staff::{Staff, StaffTexts};
use crate::i18n::Lang;
use crate::platform::csv::{attachment as csv_attachment, CsvFile};
use crate::platform::db::db_error;
use crate::platform::http::refused;
use crate::platform::state::AppState;
use std::collections::BTreeMap;

// What other features run on their own connection, inside their own transaction.
pub use super::repo::ops_kpis::{breakdown, counts, totals, weekly, Filter, Group};
pub use super::repo::rollup::{
    built_until as rollup_built_until, rebuild as rebuild_rollup, refresh as refresh_rollup_until,
};
pub use super::repo::seller_kpis::{self, WeekFigures};

pub struct Request {
    pub kind: PeriodKind,
    pub period: Period,
    pub filter: Filter,
    pub focus: Kpi,
    /// The whole previous period, not the same part of it.
    pub full: bool,
}

/// Reads the dashboard's query; a bad value is a field error.
pub fn request(st: StaffTexts, now: i64, q: &OpsDashboardQuery) -> Result<Request, AppError> {
    let market = match q.market.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => None,
        Some(m) => Some(Market::parse(m).ok_or_else(|| {
            AppError::invalid(
                "market",
                st.fill(
                    Staff::OpsDashboardNotAMarket,
                    &[("market", &m.chars().take(20).collect::<String>())],
                ),
            )
        })?),
    };
    let (kind, at, category, brand, focus) = (
        q.period.as_deref(),
        q.at.as_deref(),
        q.category.as_deref(),
        q.brand.as_deref(),
        q.kpi.as_deref(),
    );

    // An empty `seller=` is no filter, as it was when serde_qs read the
    // argument itself.
    let seller = match q.seller.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(AppError::posted_id::<i64>(s, "a refurbisher")?),
    };
    let kind = match kind.filter(|k| !k.is_empty()) {
        None => PeriodKind::Week,
        Some(k) => PeriodKind::parse(k)
            .ok_or_else(|| AppError::invalid("period", st.get(Staff::OpsDashboardChoosePeriod)))?,
    };
    let period = match at.map(str::trim).filter(|a| !a.is_empty()) {
        None => Period::containing(kind, now),
        Some(a) => Period::parse(kind, a).ok_or_else(|| {
            let not_a = per_kind(
                kind,
                [
                    Staff::OpsDashboardNotADay,
                    Staff::OpsDashboardNotAWeek,
                    Staff::OpsDashboardNotAMonth,
                ],
            );
            AppError::invalid(
                "at",
                st.fill(
                    not_a,
                    &[
                        ("text", &a.chars().take(20).collect::<String>()),
                        ("example", &Period::containing(kind, now).label()),
                    ],
                ),
            )
        })?,
    };
    let slug = |s: Option<&str>| {
        s.filter(|s| crate::domain::catalog::is_slug(s))
            .unwrap_or_default()
            .to_string()
    };
    let focus = match focus.filter(|f| !f.is_empty()) {
        None => Kpi::Conversion,
        Some(f) => Kpi::parse(f)
            .ok_or_else(|| AppError::invalid("kpi", st.get(Staff::OpsDashboardUnknownKpi)))?,
    };
    Ok(Request {
        kind,
        period,
        filter: Filter {
            market,
            category: slug(category),
            brand: slug(brand),
            seller_id: seller.filter(|s| *s > 0).map(SellerId),
        },
        focus,
        full: q.full.as_deref() == Some("1"),
    })
}

/// The text of a kind of period among a day's, a week's and a month's.
fn per_kind(kind: PeriodKind, [day, week, month]: [Staff; 3]) -> Staff {
    match kind {
        PeriodKind::Day => day,
        PeriodKind::Week => week,
        PeriodKind::Month => month,
    }
}

/// A KPI's name in the user's language (`Kpi::label` in English).
pub fn kpi_label(st: StaffTexts, k: Kpi) -> &'static str {
    st.get(match k {
        Kpi::OffersShown => Staff::OpsDashboardKpiOffersShown,
        Kpi::OffersAccepted => Staff::OpsDashboardKpiOffersAccepted,
        Kpi::Conversion => Staff::OpsDashboardKpiConversion,
        Kpi::Shipped => Staff::OpsDashboardKpiShipped,
        Kpi::Received => Staff::OpsDashboardKpiReceived,
        Kpi::Validated => Staff::OpsDashboardKpiValidated,
        Kpi::CounterOffered => Staff::OpsDashboardKpiCounterOffered,
        Kpi::CounterOfferRate => Staff::OpsDashboardKpiCounterOfferRate,
        Kpi::CounterAccepted => Staff::OpsDashboardKpiCounterAccepted,
        Kpi::CounterAcceptRate => Staff::OpsDashboardKpiCounterAcceptRate,
        Kpi::Returned => Staff::OpsDashboardKpiReturned,
        Kpi::Expired => Staff::OpsDashboardKpiExpired,
        Kpi::PaidTotal => Staff::OpsDashboardKpiPaidTotal,
        Kpi::PaidAverage => Staff::OpsDashboardKpiPaidAverage,
        Kpi::MedianDaysToPay => Staff::OpsDashboardKpiMedianDaysToPay,
        Kpi::InspectionSla => Staff::OpsDashboardKpiInspectionSla,
        Kpi::PaymentSla => Staff::OpsDashboardKpiPaymentSla,
        Kpi::Recycled => Staff::OpsDashboardKpiRecycled,
    })
}

/// Digits grouped by thousands as the language groups them.
fn grouped(st: StaffTexts, v: i64) -> String {
    let sep = if st.lang() == Lang::Fr {
        '\u{202f}'
    } else {
        ','
    };
    let digits = v.unsigned_abs().to_string();
    let mut out = String::from(if v < 0 { "-" } else { "" });
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A whole part and one decimal digit: "12.5", "12,5" in French.
fn one_decimal(st: StaffTexts, whole: i64, tenth: i64) -> String {
    let sep = if st.lang() == Lang::Fr { ',' } else { '.' };
    format!("{whole}{sep}{tenth}")
}

/// A value in the KPI's unit as the user's language writes it
/// (`Kpi::format_in` in English), money in `currency`.
pub fn format_kpi(st: StaffTexts, k: Kpi, v: i64, currency: Currency) -> String {
    match k.unit() {
        Unit::Count => grouped(st, v),
        Unit::Percent => st.fill(
            Staff::CommonPercent,
            &[("n", &one_decimal(st, v / 100, (v % 100).abs() / 10))],
        ),
        Unit::Money => st.money(Money::new(v, currency)),
        Unit::Days => st.fill(
            Staff::OpsDashboardDays,
            &[("n", &one_decimal(st, v / 10, (v % 10).abs()))],
        ),
    }
}

/// A change in the KPI's unit as the user's language writes it
/// (`Kpi::format_delta_in` in English): "+3", "-3.1 pts".
pub fn format_kpi_delta(st: StaffTexts, k: Kpi, d: i64, currency: Currency) -> String {
    let sign = if d < 0 { "-" } else { "+" };
    let a = d.abs();
    match k.unit() {
        Unit::Count => format!("{sign}{}", grouped(st, a)),
        Unit::Percent => st.fill(
            Staff::OpsDashboardPoints,
            &[(
                "n",
                &format!("{sign}{}", one_decimal(st, a / 100, (a % 100) / 10)),
            )],
        ),
        Unit::Money => format!("{sign}{}", st.money(Money::new(a, currency))),
        Unit::Days => st.fill(
            Staff::OpsDashboardDays,
            &[("n", &format!("{sign}{}", one_decimal(st, a / 10, a % 10)))],
        ),
    }
}

/// One reading of a KPI: counts and rates over every market at once, or
/// a money KPI in one currency.
#[derive(Clone, Copy, Debug)]
struct Lane {
    kpi: Kpi,
    currency: Option<Currency>,
    /// Several currencies are in view: names say which one this is.
    labelled: bool,
}

impl Lane {
    /// The lanes a KPI is read in, for the currencies in view.
    fn of(kpi: Kpi, scope: &[Currency]) -> Vec<Lane> {
        if kpi.unit() != Unit::Money {
            return vec![Lane {
                kpi,
                currency: None,
                labelled: false,
            }];
        }
        scope
            .iter()
            .map(|c| Lane {
                kpi,
                currency: Some(*c),
                labelled: scope.len() > 1,
            })
            .collect()
    }

    fn value(&self, c: &Counts) -> Option<i64> {
        match self.currency {
            None => self.kpi.value(c),
            Some(cur) => self.kpi.value(&c.only(cur)),
        }
    }

    fn money(&self) -> Currency {
        self.currency.unwrap_or(Currency::Eur)
    }

    fn shown(&self, st: StaffTexts, v: Option<i64>) -> String {
        v.map_or_else(
            || st.get(Staff::CommonNone).to_string(),
            |v| format_kpi(st, self.kpi, v, self.money()),
        )
    }

    fn delta(&self, st: StaffTexts, d: i64) -> String {
        format_kpi_delta(st, self.kpi, d, self.money())
    }

    /// " (GBP)" after a segment's name when several currencies are in view.
    fn suffix(&self) -> String {
        match (self.labelled, self.currency) {
            (true, Some(c)) => format!(" ({})", c.code()),
            _ => String::new(),
        }
    }

    /// Whether a money target (EUR) applies to this lane.
    fn takes_target(&self) -> bool {
        self.currency.is_none_or(|c| c == Currency::Eur)
    }
}

/// The currencies a money figure is shown in: the market's, or those with
/// money in either period (EUR when there is none at all).
fn scope(market: Option<Market>, periods: &[&Counts]) -> Vec<Currency> {
    if let Some(m) = market {
        return vec![m.currency()];
    }
    let found: std::collections::BTreeSet<Currency> =
        periods.iter().flat_map(|c| c.currencies()).collect();
    if found.is_empty() {
        vec![Currency::Eur]
    } else {
        found.into_iter().collect()
    }
}

/// "where the average best offer fell 8%", per currency the segment was
/// offered in both periods (only `lane`'s when it has one).
fn offer_note(st: StaffTexts, now: &Counts, before: &Counts, lane: &Lane) -> String {
    let currencies: Vec<Currency> = match lane.currency {
        Some(c) => vec![c],
        None => now
            .currencies()
            .intersection(&before.currencies())
            .copied()
            .collect(),
    };
    let named = currencies.len() > 1;
    let parts: Vec<String> = currencies
        .into_iter()
        .filter_map(|cur| {
            let (n, b) = (now.average_offer(cur)?, before.average_offer(cur)?);
            let pct = if b > 0 { (n - b) * 100 / b } else { 0 };
            (pct != 0).then(|| {
                let n = pct.abs();
                match (pct < 0, named) {
                    (true, false) => st.fill(Staff::OpsDashboardOfferFell, &[("pct", &n)]),
                    (false, false) => st.fill(Staff::OpsDashboardOfferRose, &[("pct", &n)]),
                    (true, true) => st.fill(
                        Staff::OpsDashboardOfferFellIn,
                        &[("pct", &n), ("currency", &cur.code())],
                    ),
                    (false, true) => st.fill(
                        Staff::OpsDashboardOfferRoseIn,
                        &[("pct", &n), ("currency", &cur.code())],
                    ),
                }
            })
        })
        .collect();
    let Some(changes) = parts.into_iter().reduce(|first, second| {
        st.fill(
            Staff::OpsDashboardOfferAnd,
            &[("first", &first), ("second", &second)],
        )
    }) else {
        return String::new();
    };
    st.fill(Staff::OpsDashboardOfferWhere, &[("changes", &changes)])
}

/// A breakdown's segments named in `st`'s language: "Téléphones / Apple"
/// for the key "smartphones / Apple", and recycling for the empty
/// refurbisher.
fn segment_names(
    st: StaffTexts,
    b: crate::features::kpis::repo::ops_kpis::Breakdown,
) -> crate::features::kpis::repo::ops_kpis::Breakdown {
    let words = st.vocabulary();
    let category_brand = |key: String| match key.split_once(" / ") {
        Some((slug, brand)) => match Category::from_slug(slug) {
            Some(c) => format!("{} / {brand}", words.category(c)),
            None => key,
        },
        None => key,
    };
    let seller = |key: String| {
        if key.is_empty() {
            st.get(Staff::OpsDashboardRecycling).to_string()
        } else {
            key
        }
    };
    crate::features::kpis::repo::ops_kpis::Breakdown {
        by_category_brand: b
            .by_category_brand
            .into_iter()
            .map(|(k, c)| (category_brand(k), c))
            .collect(),
        by_seller: b
            .by_seller
            .into_iter()
            .map(|(k, c)| (seller(k), c))
            .collect(),
        ..b
    }
}

/// The segments' parts of the change in one lane, with a note on the best
/// offer.
fn drivers(
    st: StaffTexts,
    lane: &Lane,
    now: &BTreeMap<String, Counts>,
    before: &BTreeMap<String, Counts>,
) -> Vec<Driver> {
    let mut names: Vec<&String> = now.keys().chain(before.keys()).collect();
    names.sort();
    names.dedup();
    let read = |c: Option<&Counts>| {
        let c = c.cloned().unwrap_or_default();
        match lane.currency {
            Some(cur) => c.only(cur),
            None => c,
        }
    };
    let segments: Vec<(String, Counts, Counts)> = names
        .into_iter()
        .map(|n| (n.clone(), read(now.get(n)), read(before.get(n))))
        .collect();
    decompose(lane.kpi, &segments)
        .into_iter()
        .filter(|c| c.delta != 0)
        .take(8)
        .map(|c| {
            let note = match (now.get(&c.segment), before.get(&c.segment)) {
                (Some(n), Some(b)) => offer_note(st, n, b, lane),
                _ => String::new(),
            };
            Driver {
                part: lane.delta(st, c.delta),
                segment: format!("{}{}", c.segment, lane.suffix()),
                delta: c.delta,
                note,
            }
        })
        .collect()
}

/// A figure of every lane side by side: a total per currency is a sum of
/// its own ("€1.00 + £2.00"), other money a list.
fn side_by_side(kpi: Kpi, parts: impl IntoIterator<Item = String>) -> String {
    let sep = if kpi == Kpi::PaidTotal { " + " } else { ", " };
    parts.into_iter().collect::<Vec<_>>().join(sep)
}

/// The dashboard, its names and figures in `st`'s language.
pub async fn dashboard(
    state: &AppState,
    st: StaffTexts,
    r: &Request,
) -> Result<OpsDashboard, AppError> {
    let now_ms = state.clock.now_ms();
    // Finished days are read from the daily rollup; the first view of a
    // day adds yesterday to it.
    // Views shown a moment ago are still on their way to the table.
    state
        .feature::<crate::features::offers::shown::OfferViewLog>()
        .flush()
        .await;
    crate::features::kpis::repo::rollup::refresh(&state.db, now_ms)
        .await
        .map_err(db_error)?;
    let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
    let c = &mut *conn;
    let prev = r.period.previous();
    let cmp: Comparison = r.period.compare(now_ms, r.full);
    let k = r.focus;
    // Segment medians only matter when the median is the KPI explained.
    let medians = k == Kpi::MedianDaysToPay;
    let now_parts = crate::features::kpis::repo::ops_kpis::breakdown(
        c,
        cmp.current.start_ms,
        cmp.current.end_ms,
        &r.filter,
        medians,
    )
    .await
    .map_err(db_error)?;
    let before_parts = crate::features::kpis::repo::ops_kpis::breakdown(
        c,
        cmp.previous.start_ms,
        cmp.previous.end_ms,
        &r.filter,
        medians,
    )
    .await
    .map_err(db_error)?;
    let (now_parts, before_parts) = (
        segment_names(st, now_parts),
        segment_names(st, before_parts),
    );
    let (cur, before) = (&now_parts.total, &before_parts.total);
    let targets: BTreeMap<String, i64> = super::repo::targets::targets(&mut *c)
        .await
        .map_err(db_error)?
        .into_iter()
        .filter(|(_, kind, _)| kind == r.kind.code())
        .map(|(k, _, t)| (k, t))
        .collect();
    let scope = scope(r.filter.market, &[cur, before]);
    let kpis = Kpi::ALL
        .into_iter()
        .map(|k| {
            let lanes = Lane::of(k, &scope);
            let read: Vec<(Lane, Option<i64>, Option<i64>)> = lanes
                .iter()
                .map(|l| (*l, l.value(cur), l.value(before)))
                .collect();
            let deltas: Vec<Option<i64>> = read
                .iter()
                .map(|(_, v, p)| v.zip(*p).map(|(v, p)| v - p))
                .collect();
            let goods: std::collections::BTreeSet<bool> = deltas
                .iter()
                .flatten()
                .filter(|d| **d != 0)
                .map(|d| (*d > 0) == k.higher_is_better())
                .collect();
            // A money target is in EUR: it is compared with the EUR figure.
            let target_value = read.iter().find(|(l, ..)| l.takes_target()).map(|x| x.1);
            let whole = targets.get(k.code()).copied();
            let target = whole
                .map(|t| prorated_target(k, t, cmp.current.len_ms(), r.period.span().len_ms()));
            let eur_only = match (k.unit(), target_value) {
                (Unit::Money, None) => st.get(Staff::OpsDashboardEurOnly),
                (Unit::Money, Some(_)) if read.len() > 1 => st.get(Staff::OpsDashboardEurMarkets),
                _ => "",
            };
            let in_eur = |v: i64| format_kpi(st, k, v, Currency::Eur);
            let target_shown = match (target, whole) {
                (Some(t), Some(w)) if t != w => {
                    let whole_period = per_kind(
                        r.kind,
                        [
                            Staff::OpsDashboardWholeDay,
                            Staff::OpsDashboardWholeWeek,
                            Staff::OpsDashboardWholeMonth,
                        ],
                    );
                    Some(
                        st.fill(
                            whole_period,
                            &[("target", &in_eur(t)), ("whole", &in_eur(w))],
                        ) + eur_only,
                    )
                }
                _ => target.map(|t| in_eur(t) + eur_only),
            };
            KpiRow {
                code: k.code().into(),
                label: kpi_label(st, k).into(),
                value: match read.as_slice() {
                    [(_, v, _)] => *v,
                    _ => None,
                },
                shown: side_by_side(k, read.iter().map(|(l, v, _)| l.shown(st, *v))),
                previous_shown: side_by_side(k, read.iter().map(|(l, _, p)| l.shown(st, *p))),
                change: deltas.iter().any(Option::is_some).then(|| {
                    read.iter()
                        .zip(&deltas)
                        .map(|((l, ..), d)| {
                            d.map_or_else(
                                || st.get(Staff::CommonNone).to_string(),
                                |d| l.delta(st, d),
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
                change_good: (goods.len() == 1).then(|| goods.into_iter().all(|g| g)),
                target_shown,
                target_input: whole.map(|t| target_input(k, t)).unwrap_or_default(),
                status: target
                    .zip(target_value.flatten())
                    .map(|(t, v)| against_target(k, v, t)),
            }
        })
        .collect();
    let (cb_now, rf_now) = (&now_parts.by_category_brand, &now_parts.by_seller);
    let (cb_before, rf_before) = (&before_parts.by_category_brand, &before_parts.by_seller);
    let lanes = Lane::of(k, &scope);
    let mut by_category_brand = Vec::new();
    let mut by_refurbisher = Vec::new();
    let mut summary = Vec::new();
    for lane in &lanes {
        let cb = drivers(st, lane, cb_now, cb_before);
        let rf = drivers(st, lane, rf_now, rf_before);
        let name = format!("{}{}", kpi_label(st, k), lane.suffix());
        summary.push(match lane.value(cur).zip(lane.value(before)) {
            None => st.fill(
                Staff::OpsDashboardNoValue,
                &[
                    ("kpi", &name),
                    ("period", &r.period.label()),
                    ("previous", &prev.label()),
                ],
            ),
            Some((v, p)) => {
                let moved = per_kind(
                    r.kind,
                    [
                        Staff::OpsDashboardMovedDay,
                        Staff::OpsDashboardMovedWeek,
                        Staff::OpsDashboardMovedMonth,
                    ],
                );
                let mut s = st.fill(moved, &[("kpi", &name), ("change", &lane.delta(st, v - p))]);
                if let Some(top) = cb.first() {
                    let (part, segment) = (&top.part, &top.segment);
                    s.push_str(&if top.note.is_empty() {
                        st.fill(
                            Staff::OpsDashboardFrom,
                            &[("part", part), ("segment", segment)],
                        )
                    } else {
                        st.fill(
                            Staff::OpsDashboardFromWhere,
                            &[("part", part), ("segment", segment), ("note", &top.note)],
                        )
                    });
                }
                if let Some(top) = rf.first() {
                    s.push_str(&st.fill(
                        Staff::OpsDashboardAmongRefurbishers,
                        &[("part", &top.part), ("segment", &top.segment)],
                    ));
                }
                s.push('.');
                s
            }
        });
        by_category_brand.extend(cb);
        by_refurbisher.extend(rf);
    }
    let summary = summary.join(" ");
    let weeks = Period::containing(PeriodKind::Week, r.period.end_ms - 1).last_n(12);
    let weekly = crate::features::kpis::repo::ops_kpis::weekly(
        &mut *c,
        weeks[0].start_ms,
        12,
        &r.filter,
        medians,
    )
    .await
    .map_err(db_error)?;
    let series = lanes
        .iter()
        .map(|lane| Series {
            currency: lane.labelled.then(|| lane.money().code().to_string()),
            points: weeks
                .iter()
                .zip(weekly.iter())
                .map(|(w, counts)| {
                    let v = lane.value(counts);
                    (w.label(), v.unwrap_or(0), lane.shown(st, v))
                })
                .collect(),
        })
        .collect();
    let breakdown = lanes
        .iter()
        .map(|lane| {
            let mut points: Vec<(String, i64, String)> = cb_now
                .iter()
                .filter_map(|(name, counts)| {
                    lane.value(counts)
                        .filter(|v| lane.currency.is_none() || *v != 0)
                        .map(|v| {
                            (
                                format!("{name}{}", lane.suffix()),
                                v,
                                lane.shown(st, Some(v)),
                            )
                        })
                })
                .collect();
            points.sort_by_key(|b| std::cmp::Reverse(b.1));
            points.truncate(10);
            Series {
                currency: lane.labelled.then(|| lane.money().code().to_string()),
                points,
            }
        })
        .filter(|s| !s.points.is_empty())
        .collect();
    let categories = crate::features::catalog::service::categories_with_counts(&mut *c, None)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|x| (x.slug, x.name))
        .collect();
    let brands = crate::features::catalog::service::all_brands(&mut *c)
        .await
        .map_err(db_error)?;
    let refurbishers = crate::features::sellers::service::refurbishers(&mut *c)
        .await
        .map_err(db_error)?;
    let inbox = crate::features::kpis::repo::queues::counts(&mut *c)
        .await
        .map_err(db_error)?;
    let current = Period::containing(r.kind, now_ms);
    let prorated = (cmp.partial && !targets.is_empty()).then(|| {
        let pct = cmp.current.len_ms() * 100 / r.period.span().len_ms().max(1);
        let prorated = per_kind(
            r.kind,
            [
                Staff::OpsDashboardProratedDay,
                Staff::OpsDashboardProratedWeek,
                Staff::OpsDashboardProratedMonth,
            ],
        );
        st.fill(prorated, &[("pct", &pct)])
    });
    Ok(OpsDashboard {
        period_kind: r.kind.code().into(),
        market: r
            .filter
            .market
            .map(|m| m.code().to_string())
            .unwrap_or_default(),
        currencies: scope.iter().map(|c| c.code().to_string()).collect(),
        period: r.period.label(),
        previous: prev.label(),
        comparison: cmp,
        prorated,
        next: (r.period.start_ms < current.start_ms).then(|| r.period.next().label()),
        kpis,
        focus: k.code().into(),
        focus_label: kpi_label(st, k).into(),
        summary,
        by_category_brand,
        by_refurbisher,
        series,
        breakdown,
        categories,
        brands,
        refurbishers,
        open_alerts: inbox.open_alerts,
        held_payouts: inbox.held_payouts,
        open_claims: inbox.open_claims,
        pending_sellers: inbox.pending_sellers,
    })
}

/// A target written back in the form's terms ("12.5", "250", "4.5").
pub fn target_input(k: Kpi, t: i64) -> String {
    use crate::domain::kpi::Unit;
    match k.unit() {
        Unit::Count => t.to_string(),
        Unit::Percent | Unit::Money => format!("{}.{:02}", t / 100, t % 100),
        Unit::Days => format!("{}.{}", t / 10, t % 10),
    }
}

pub async fn set_target(
    state: &AppState,
    st: StaffTexts,
    ops_user: UserId,
    kpi: Kpi,
    kind: PeriodKind,
    text: &str,
) -> Result<(), AppError> {
    let target = if text.trim().is_empty() {
        None
    } else {
        // The domain's message is English; its unit says which one it is.
        let refused = st.get(match kpi.unit() {
            Unit::Count => Staff::OpsDashboardTargetErrorCount,
            Unit::Percent => Staff::OpsDashboardTargetErrorPercent,
            Unit::Money => Staff::OpsDashboardTargetErrorMoney,
            Unit::Days => Staff::OpsDashboardTargetErrorDays,
        });
        Some(
            kpi.parse_target(text)
                .map_err(|_| AppError::invalid("target", refused))?,
        )
    };
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    super::repo::targets::set_target(&mut *tx, kpi.code(), kind.code(), target, ops_user, now)
        .await
        .map_err(db_error)?;
    let detail = match target {
        Some(t) => format!(
            "target for {} per {} set to {}",
            kpi.label(),
            kind.code(),
            kpi.format(t)
        ),
        None => format!("target for {} per {} removed", kpi.label(), kind.code()),
    };
    crate::features::audit::service::record(
        &mut *tx,
        crate::domain::audit::AuditAction::KpiTarget,
        &crate::features::audit::service::AuditEntry {
            actor_id: Some(ops_user),
            detail: &detail,
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(())
}

/// The dashboard's tables as CSV: `kpis`, `series` or `breakdown`.
pub fn to_csv(d: &OpsDashboard, table: &str) -> Option<String> {
    let mut out = CsvFile::new();
    match table {
        "kpis" => {
            out.row([
                "kpi",
                &d.period.to_string(),
                &d.previous.to_string(),
                "change",
                "target",
                "status",
            ]);
            for k in &d.kpis {
                let status = k.status.map(|s| s.code().to_string()).unwrap_or_default();
                out.row([
                    k.label.as_str(),
                    &k.shown,
                    &k.previous_shown,
                    k.change.as_deref().unwrap_or(""),
                    k.target_shown.as_deref().unwrap_or(""),
                    &status,
                ]);
            }
        }
        "series" => {
            // One column per currency of a money KPI: never one sum.
            let mut head = vec!["week".to_string()];
            head.extend(d.series.iter().map(|s| match &s.currency {
                Some(c) => format!("{} ({c})", d.focus_label),
                None => d.focus_label.clone(),
            }));
            out.row(head.iter().map(String::as_str));
            let weeks = d.series.first().map(|s| s.points.len()).unwrap_or(0);
            for i in 0..weeks {
                let mut row = vec![d.series[0].points[i].0.clone()];
                row.extend(d.series.iter().map(|s| s.points[i].2.clone()));
                out.row(row.iter().map(String::as_str));
            }
        }
        "breakdown" => {
            let part_of = format!("part of change {} vs {}", d.period, d.previous);
            out.row(["segment", d.focus_label.as_str(), &part_of]);
            for (seg, _, s) in d.breakdown.iter().flat_map(|s| &s.points) {
                let part = d
                    .by_category_brand
                    .iter()
                    .find(|x| &x.segment == seg)
                    .map(|x| x.part.clone())
                    .unwrap_or_default();
                out.row([seg.as_str(), s, &part]);
            }
            for x in &d.by_refurbisher {
                out.row([format!("Refurbisher: {}", x.segment).as_str(), "", &x.part]);
            }
        }
        _ => return None,
    }
    Some(out.finish())
}

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    table: Option<String>,
    #[serde(flatten)]
    dashboard: OpsDashboardQuery,
}

/// `/ops/export.csv?table=kpis|series|breakdown&…`: the dashboard's tables.
pub async fn export(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: http::HeaderMap,
    axum::extract::Query(q): axum::extract::Query<ExportQuery>,
) -> axum::response::Response {
    if let Err(e) = crate::platform::session::user_with_role(
        &state,
        &headers,
        crate::domain::account::Role::Ops,
    )
    .await
    {
        return refused(e);
    }
    // A CSV file is a format: its names and figures stay in English.
    let english = StaffTexts::of(Lang::En);
    let r = match request(english, state.clock.now_ms(), &q.dashboard) {
        Ok(r) => r,
        Err(e) => return refused(e),
    };
    let table = q.table.unwrap_or_else(|| "kpis".into());
    let d = match dashboard(&state, english, &r).await {
        Ok(d) => d,
        Err(e) => return refused(e),
    };
    match to_csv(&d, &table) {
        Some(csv) => csv_attachment(&format!("{table}-{}.csv", d.period), csv),
        None => refused(AppError::BadRequest(
            "table must be kpis, series or breakdown".into(),
        )),
    }
}

/// Writes the finished days not yet in the daily rollup; returns how many.
pub async fn refresh_rollup(state: &AppState) -> Result<i64, sqlx::Error> {
    crate::features::kpis::repo::rollup::refresh(&state.db, state.clock.now_ms()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_figures_are_the_domains_own() {
        let en = StaffTexts::of(Lang::En);
        for k in Kpi::ALL {
            for v in [0, 7, -7, 1_234, -56_789, 1_234_567] {
                for c in [Currency::Eur, Currency::Gbp] {
                    assert_eq!(format_kpi(en, k, v, c), k.format_in(v, c), "{k:?} {v}");
                    assert_eq!(
                        format_kpi_delta(en, k, v, c),
                        k.format_delta_in(v, c),
                        "{k:?} {v}"
                    );
                }
            }
            assert_eq!(kpi_label(en, k), k.label());
        }
    }

    #[test]
    fn french_figures_use_its_separators() {
        let fr = StaffTexts::of(Lang::Fr);
        assert!(format_kpi(fr, Kpi::Conversion, 1_234, Currency::Eur).starts_with("12,3"));
        assert_eq!(
            format_kpi(fr, Kpi::OffersShown, 1_234_567, Currency::Eur),
            "1\u{202f}234\u{202f}567"
        );
        assert!(format_kpi_delta(fr, Kpi::MedianDaysToPay, -45, Currency::Eur).starts_with("-4,5"));
    }
}
