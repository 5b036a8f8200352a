//! Trade-in KPIs as operations read them: periods (day, ISO week, month)
//! and the one before, each KPI's value from raw counts, the change, how
//! it stands against a target, and which segment explains a move.

use super::dates::{Date, DAY_MS};
use super::money::{Currency, Money};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum PeriodKind {
    Day,
    Week,
    Month,
}

crate::domain::codes::codes!(PeriodKind);

impl PeriodKind {
    pub const ALL: [PeriodKind; 3] = [PeriodKind::Day, PeriodKind::Week, PeriodKind::Month];
}

/// A half-open span of time [start, end) in Unix ms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub start_ms: i64,
    pub end_ms: i64,
}

fn month_start(d: Date) -> Date {
    Date {
        year: d.year,
        month: d.month,
        day: 1,
    }
}

fn next_month(d: Date) -> Date {
    if d.month == 12 {
        Date {
            year: d.year + 1,
            month: 1,
            day: 1,
        }
    } else {
        Date {
            year: d.year,
            month: d.month + 1,
            day: 1,
        }
    }
}

impl Period {
    /// The period of this kind that contains `ms`.
    pub fn containing(kind: PeriodKind, ms: i64) -> Period {
        let d = Date::from_unix_ms(ms);
        let (start, end) = match kind {
            PeriodKind::Day => (d, d.add_days(1)),
            PeriodKind::Week => (d.week_start(), d.week_start().add_days(7)),
            PeriodKind::Month => (month_start(d), next_month(d)),
        };
        Period {
            kind,
            start_ms: start.start_unix_ms(),
            end_ms: end.start_unix_ms(),
        }
    }

    pub fn previous(self) -> Period {
        Period::containing(self.kind, self.start_ms - 1)
    }

    pub fn next(self) -> Period {
        Period::containing(self.kind, self.end_ms)
    }

    /// "2026-03-02", "2026-W10", "2026-03".
    pub fn label(self) -> String {
        let d = Date::from_unix_ms(self.start_ms);
        match self.kind {
            PeriodKind::Day => d.to_string(),
            PeriodKind::Week => {
                let (y, w) = d.iso_week();
                format!("{y}-W{w:02}")
            }
            PeriodKind::Month => format!("{:04}-{:02}", d.year, d.month),
        }
    }

    /// Reads a label back (see `label`); None when it names no period.
    pub fn parse(kind: PeriodKind, text: &str) -> Option<Period> {
        let t = text.trim();
        let start = match kind {
            PeriodKind::Day => Date::parse(t).ok()?,
            PeriodKind::Week => {
                let (y, w) = t.split_once("-W")?;
                let (y, w): (i32, u32) = (y.parse().ok()?, w.parse().ok()?);
                // Week 1 is the week with 4 January in it.
                let jan4 = Date::new(y, 1, 4)?;
                let start = jan4.week_start().add_days(7 * (i64::from(w) - 1));
                (w >= 1 && start.iso_week() == (y, w)).then_some(start)?
            }
            PeriodKind::Month => {
                let (y, m) = t.split_once('-')?;
                Date::new(y.parse().ok()?, m.parse().ok()?, 1)?
            }
        };
        Some(Period::containing(kind, start.start_unix_ms()))
    }

    /// The `n` periods ending with this one, oldest first.
    pub fn last_n(self, n: usize) -> Vec<Period> {
        let mut out = vec![self];
        while out.len() < n {
            let p = out[0].previous();
            out.insert(0, p);
        }
        out
    }
}

/// A half-open span of time [start, end) in Unix ms: what one column of
/// the dashboard counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Span {
    pub fn len_ms(self) -> i64 {
        self.end_ms - self.start_ms
    }

    /// "Mon 30 Nov 2026 00:00 – Fri 4 Dec 2026 10:00 UTC" (the end is the
    /// first instant not counted).
    pub fn label(self) -> String {
        format!(
            "{} – {} UTC",
            super::dates::utc_minute_label(self.start_ms),
            super::dates::utc_minute_label(self.end_ms)
        )
    }
}

/// What the dashboard sets side by side for a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub current: Span,
    pub previous: Span,
    /// The period is still running: `current` ends now.
    pub partial: bool,
    /// `previous` is cut to the part of its period that has elapsed of this
    /// one (false: it is whole).
    pub like_for_like: bool,
}

impl Period {
    pub fn span(self) -> Span {
        Span {
            start_ms: self.start_ms,
            end_ms: self.end_ms,
        }
    }

    /// This period against the one before. A period that is still running
    /// is counted up to `now_ms`, and by default compared with the same
    /// elapsed part of the previous one: Monday to Friday 10:00 against
    /// Monday to Friday 10:00, the 1st to the 10th of a month against the
    /// 1st to the 10th of the month before (a month's last days against the
    /// whole of a shorter month before it). `full` compares it with the
    /// whole previous period instead. A finished period is compared whole.
    pub fn compare(self, now_ms: i64, full: bool) -> Comparison {
        let previous = self.previous();
        let partial = self.start_ms <= now_ms && now_ms < self.end_ms;
        if !partial {
            return Comparison {
                current: self.span(),
                previous: previous.span(),
                partial: false,
                like_for_like: false,
            };
        }
        let elapsed = now_ms - self.start_ms;
        Comparison {
            current: Span {
                start_ms: self.start_ms,
                end_ms: now_ms,
            },
            previous: if full {
                previous.span()
            } else {
                Span {
                    start_ms: previous.start_ms,
                    end_ms: (previous.start_ms + elapsed).min(previous.end_ms),
                }
            },
            partial: true,
            like_for_like: !full,
        }
    }
}

/// Amounts of one currency summed, and how many they are (an average's
/// base).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sum {
    pub minor: i64,
    pub n: i64,
}

/// Money of several markets, one `Sum` per currency: two currencies are
/// never added, so a period that spans markets keeps them apart and a
/// figure is read per currency (`Counts::only`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sums(BTreeMap<Currency, Sum>);

impl Sums {
    /// Adds `n` amounts totalling `minor`; nothing added leaves no entry,
    /// so the currencies present are the ones with money.
    pub fn add(&mut self, currency: Currency, minor: i64, n: i64) {
        if minor == 0 && n == 0 {
            return;
        }
        let s = self.0.entry(currency).or_default();
        s.minor += minor;
        s.n += n;
    }

    pub fn merge(&mut self, other: &Sums) {
        for (c, s) in &other.0 {
            self.add(*c, s.minor, s.n);
        }
    }

    /// The sum in `currency` (zero when there is none).
    pub fn get(&self, currency: Currency) -> Sum {
        self.0.get(&currency).copied().unwrap_or_default()
    }

    pub fn currencies(&self) -> impl Iterator<Item = Currency> + '_ {
        self.0.keys().copied()
    }

    fn only(&self, currency: Currency) -> Sums {
        Sums(
            self.0
                .get_key_value(&currency)
                .map(|(c, s)| (*c, *s))
                .into_iter()
                .collect(),
        )
    }

    /// The sum when at most one currency is present; None when there are
    /// several, which no figure adds.
    fn single(&self) -> Option<Sum> {
        match self.0.len() {
            0 => Some(Sum::default()),
            1 => self.0.values().next().copied(),
            _ => None,
        }
    }
}

/// What happened in one period (for one segment, or all), straight from
/// the database; every KPI is computed from these. The counts add up across
/// days, segments and markets; money is kept per currency (`Sums`). The
/// daily rollup stores one market per row, so one currency
/// (`stored`, `from_stored`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub offers_shown: i64,
    /// The best prices shown, per currency (an offer shown with no price
    /// has none): the average offer's parts.
    pub offered: Sums,
    pub accepted: i64,
    pub shipped: i64,
    pub received: i64,
    pub validated: i64,
    /// Inspected devices (validated or counter-offered), the counter-offer rate's base.
    pub inspected: i64,
    pub counter_offered: i64,
    pub counter_answered: i64,
    pub counter_accepted: i64,
    pub returned: i64,
    pub expired: i64,
    pub paid: i64,
    /// The amounts paid, per currency.
    pub paid_amounts: Sums,
    /// Median time from acceptance to payment of the trade-ins paid.
    pub median_ms_to_pay: Option<i64>,
    pub inspected_within_sla: i64,
    pub paid_within_sla: i64,
    pub recycled: i64,
}

impl Counts {
    /// One market's counts as the daily rollup stores them, in a fixed
    /// order, with the money of `currency` (the market's); everything but
    /// the median.
    pub fn stored(&self, currency: Currency) -> [i64; 18] {
        let (offered, paid) = (self.offered.get(currency), self.paid_amounts.get(currency));
        [
            self.offers_shown,
            offered.minor,
            offered.n,
            self.accepted,
            self.recycled,
            self.shipped,
            self.returned,
            self.expired,
            self.received,
            self.validated,
            self.inspected,
            self.inspected_within_sla,
            self.counter_offered,
            self.counter_answered,
            self.counter_accepted,
            self.paid,
            paid.minor,
            self.paid_within_sla,
        ]
    }

    /// The reverse of `stored`, with no median.
    pub fn from_stored(v: [i64; 18], currency: Currency) -> Counts {
        let [offers_shown, offered_total_minor, offers_with_price, accepted, recycled, shipped, returned, expired, received, validated, inspected, inspected_within_sla, counter_offered, counter_answered, counter_accepted, paid, paid_total_minor, paid_within_sla] =
            v;
        let mut c = Counts {
            offers_shown,
            accepted,
            shipped,
            received,
            validated,
            inspected,
            counter_offered,
            counter_answered,
            counter_accepted,
            returned,
            expired,
            paid,
            inspected_within_sla,
            paid_within_sla,
            recycled,
            ..Counts::default()
        };
        c.offered
            .add(currency, offered_total_minor, offers_with_price);
        c.paid_amounts.add(currency, paid_total_minor, paid);
        c
    }

    /// Adds another span's counts (a period is stored days plus a live
    /// tail). The median is not additive: the caller sets it from the
    /// period's own durations.
    pub fn add(&mut self, o: &Counts) {
        self.offers_shown += o.offers_shown;
        self.offered.merge(&o.offered);
        self.accepted += o.accepted;
        self.shipped += o.shipped;
        self.received += o.received;
        self.validated += o.validated;
        self.inspected += o.inspected;
        self.counter_offered += o.counter_offered;
        self.counter_answered += o.counter_answered;
        self.counter_accepted += o.counter_accepted;
        self.returned += o.returned;
        self.expired += o.expired;
        self.paid += o.paid;
        self.paid_amounts.merge(&o.paid_amounts);
        self.inspected_within_sla += o.inspected_within_sla;
        self.paid_within_sla += o.paid_within_sla;
        self.recycled += o.recycled;
    }

    /// The same counts with the money of `currency` only: what a money
    /// KPI is read from when several markets meet.
    pub fn only(&self, currency: Currency) -> Counts {
        Counts {
            offered: self.offered.only(currency),
            paid_amounts: self.paid_amounts.only(currency),
            ..self.clone()
        }
    }

    /// The currencies with money in these counts.
    pub fn currencies(&self) -> BTreeSet<Currency> {
        self.offered
            .currencies()
            .chain(self.paid_amounts.currencies())
            .collect()
    }

    /// The average best price shown, when one currency's offers had prices.
    pub fn average_offer(&self, currency: Currency) -> Option<i64> {
        let s = self.offered.get(currency);
        (s.n > 0).then(|| s.minor / s.n)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Count,
    /// Hundredths of a percent (basis points): 1234 = 12.34%.
    Percent,
    Money,
    /// Tenths of a day.
    Days,
}

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum Kpi {
    OffersShown,
    OffersAccepted,
    Conversion,
    Shipped,
    Received,
    Validated,
    CounterOffered,
    CounterOfferRate,
    CounterAccepted,
    CounterAcceptRate,
    Returned,
    Expired,
    PaidTotal,
    PaidAverage,
    MedianDaysToPay,
    InspectionSla,
    PaymentSla,
    Recycled,
}

fn ratio_bp(num: i64, den: i64) -> Option<i64> {
    (den > 0).then(|| (num * 10_000 + den / 2) / den)
}

crate::domain::codes::codes!(Kpi);

impl Kpi {
    pub const ALL: [Kpi; 18] = [
        Kpi::OffersShown,
        Kpi::OffersAccepted,
        Kpi::Conversion,
        Kpi::Shipped,
        Kpi::Received,
        Kpi::Validated,
        Kpi::CounterOffered,
        Kpi::CounterOfferRate,
        Kpi::CounterAccepted,
        Kpi::CounterAcceptRate,
        Kpi::Returned,
        Kpi::Expired,
        Kpi::PaidTotal,
        Kpi::PaidAverage,
        Kpi::MedianDaysToPay,
        Kpi::InspectionSla,
        Kpi::PaymentSla,
        Kpi::Recycled,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kpi::OffersShown => "Offers shown",
            Kpi::OffersAccepted => "Offers accepted",
            Kpi::Conversion => "Conversion",
            Kpi::Shipped => "Trade-ins shipped",
            Kpi::Received => "Received",
            Kpi::Validated => "Validated",
            Kpi::CounterOffered => "Counter-offered",
            Kpi::CounterOfferRate => "Counter-offer rate",
            Kpi::CounterAccepted => "Counter-offers accepted",
            Kpi::CounterAcceptRate => "Counter-offer acceptance",
            Kpi::Returned => "Returned",
            Kpi::Expired => "Expired",
            Kpi::PaidTotal => "Total paid",
            Kpi::PaidAverage => "Average paid",
            Kpi::MedianDaysToPay => "Median days, acceptance to payment",
            Kpi::InspectionSla => "Inspection SLA met",
            Kpi::PaymentSla => "Payment SLA met",
            Kpi::Recycled => "Recycled",
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Kpi::Conversion
            | Kpi::CounterOfferRate
            | Kpi::CounterAcceptRate
            | Kpi::InspectionSla
            | Kpi::PaymentSla => Unit::Percent,
            Kpi::PaidTotal | Kpi::PaidAverage => Unit::Money,
            Kpi::MedianDaysToPay => Unit::Days,
            _ => Unit::Count,
        }
    }

    /// Whether a rise is good news (colours and target checks follow it).
    pub fn higher_is_better(self) -> bool {
        !matches!(
            self,
            Kpi::CounterOffered
                | Kpi::CounterOfferRate
                | Kpi::Returned
                | Kpi::Expired
                | Kpi::MedianDaysToPay
        )
    }

    /// The value in the KPI's unit; None when its base is empty (a rate
    /// with nothing to divide, a median of nothing).
    pub fn value(self, c: &Counts) -> Option<i64> {
        match self {
            Kpi::OffersShown => Some(c.offers_shown),
            Kpi::OffersAccepted => Some(c.accepted),
            Kpi::Conversion => ratio_bp(c.accepted, c.offers_shown),
            Kpi::Shipped => Some(c.shipped),
            Kpi::Received => Some(c.received),
            Kpi::Validated => Some(c.validated),
            Kpi::CounterOffered => Some(c.counter_offered),
            Kpi::CounterOfferRate => ratio_bp(c.counter_offered, c.inspected),
            Kpi::CounterAccepted => Some(c.counter_accepted),
            Kpi::CounterAcceptRate => ratio_bp(c.counter_accepted, c.counter_answered),
            Kpi::Returned => Some(c.returned),
            Kpi::Expired => Some(c.expired),
            // Money of several currencies has no one value: see `Counts::only`.
            Kpi::PaidTotal => c.paid_amounts.single().map(|s| s.minor),
            Kpi::PaidAverage => c
                .paid_amounts
                .single()
                .filter(|s| s.n > 0)
                .map(|s| (s.minor + s.n / 2) / s.n),
            Kpi::MedianDaysToPay => c.median_ms_to_pay.map(|ms| (ms * 10 + DAY_MS / 2) / DAY_MS),
            Kpi::InspectionSla => ratio_bp(c.inspected_within_sla, c.inspected),
            Kpi::PaymentSla => ratio_bp(c.paid_within_sla, c.paid),
            Kpi::Recycled => Some(c.recycled),
        }
    }

    /// Whether the value grows with the time counted (counts and the total
    /// paid), so a target for a whole period is prorated for a part of it;
    /// rates, averages and medians are not.
    pub fn accumulates(self) -> bool {
        self.unit() == Unit::Count || self == Kpi::PaidTotal
    }

    /// For a rate: (numerator, denominator) of the counts, so a change can
    /// be split between segments exactly.
    pub fn fraction(self, c: &Counts) -> Option<(i64, i64)> {
        match self {
            Kpi::Conversion => Some((c.accepted, c.offers_shown)),
            Kpi::CounterOfferRate => Some((c.counter_offered, c.inspected)),
            Kpi::CounterAcceptRate => Some((c.counter_accepted, c.counter_answered)),
            Kpi::InspectionSla => Some((c.inspected_within_sla, c.inspected)),
            Kpi::PaymentSla => Some((c.paid_within_sla, c.paid)),
            Kpi::PaidAverage => c.paid_amounts.single().map(|s| (s.minor, s.n)),
            _ => None,
        }
    }

    /// A typed target read in the KPI's unit ("12.5" for 12.5%, "300" EUR,
    /// "4.5" days, "120" units).
    pub fn parse_target(self, text: &str) -> Result<i64, String> {
        let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
        let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
        let scale: i64 = match self.unit() {
            Unit::Count => 1,
            Unit::Percent | Unit::Money => 100,
            Unit::Days => 10,
        };
        let digits = scale.to_string().len() - 1;
        let ok = !whole.is_empty()
            && whole.len() <= 12
            && whole.chars().all(|c| c.is_ascii_digit())
            && frac.len() <= digits
            && frac.chars().all(|c| c.is_ascii_digit());
        let err = || match self.unit() {
            Unit::Count => "a whole number, e.g. 120".to_string(),
            Unit::Percent => {
                "a percentage from 0 to 100 with at most 2 decimals, e.g. 12.5".to_string()
            }
            Unit::Money => "an amount in EUR with at most 2 decimals, e.g. 250".to_string(),
            Unit::Days => "a number of days with at most 1 decimal, e.g. 4.5".to_string(),
        };
        if !ok {
            return Err(err());
        }
        let frac_value: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<digits$}").parse().map_err(|_| err())?
        };
        let v = whole.parse::<i64>().map_err(|_| err())? * scale + frac_value;
        if self.unit() == Unit::Percent && v > 10_000 {
            return Err(err());
        }
        Ok(v)
    }

    /// A value in the KPI's unit, for people; money in EUR, the currency
    /// targets are set in.
    pub fn format(self, v: i64) -> String {
        self.format_in(v, Currency::Eur)
    }

    /// A value in the KPI's unit, money in `currency`.
    pub fn format_in(self, v: i64, currency: Currency) -> String {
        match self.unit() {
            Unit::Count => group(v),
            Unit::Percent => format!("{}.{}%", v / 100, (v % 100).abs() / 10),
            Unit::Money => Money::new(v, currency).to_string(),
            Unit::Days => format!("{}.{} d", v / 10, (v % 10).abs()),
        }
    }

    /// A change in the KPI's unit: "+3", "-3.1 pts", "+€1,200.00", "+0.5 d".
    pub fn format_delta(self, d: i64) -> String {
        self.format_delta_in(d, Currency::Eur)
    }

    /// A change, money in `currency`.
    pub fn format_delta_in(self, d: i64, currency: Currency) -> String {
        let sign = if d < 0 { "-" } else { "+" };
        let a = d.abs();
        match self.unit() {
            Unit::Count => format!("{sign}{}", group(a)),
            Unit::Percent => format!("{sign}{}.{} pts", a / 100, (a % 100) / 10),
            Unit::Money => format!("{sign}{}", Money::new(a, currency)),
            Unit::Days => format!("{sign}{}.{} d", a / 10, a % 10),
        }
    }
}

fn group(v: i64) -> String {
    let s = v.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A target set for a whole period, for the part `span_ms` of its
/// `period_ms` (rounded to the nearest unit): see `Kpi::accumulates`.
pub fn prorated_target(kpi: Kpi, target: i64, span_ms: i64, period_ms: i64) -> i64 {
    if !kpi.accumulates() || period_ms <= 0 || span_ms >= period_ms {
        return target;
    }
    let scaled = i128::from(target) * i128::from(span_ms.max(0));
    let period = i128::from(period_ms);
    i64::try_from((scaled + period / 2) / period).unwrap_or(target)
}

/// How a value stands against its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum TargetStatus {
    Met,
    /// Within 5% of the target.
    Close,
    Missed,
}

crate::domain::codes::code!(TargetStatus);

pub fn against_target(kpi: Kpi, value: i64, target: i64) -> TargetStatus {
    let better = if kpi.higher_is_better() {
        value >= target
    } else {
        value <= target
    };
    if better {
        return TargetStatus::Met;
    }
    let gap = (value - target).abs();
    if gap * 20 <= target.abs().max(1) {
        TargetStatus::Close
    } else {
        TargetStatus::Missed
    }
}

/// One segment's share of a KPI's change between two periods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub segment: String,
    /// In the KPI's unit (basis points for rates, minor units for money).
    pub delta: i64,
}

/// Splits the change of `kpi` between `segments` (name, this period,
/// previous period) so the parts add up to the total change: for a count
/// each segment's own change; for a ratio each segment's numerator over
/// the whole denominator, now minus before (so a segment that grows in
/// volume at a low rate shows as pulling the rate down). Largest first.
pub fn decompose(kpi: Kpi, segments: &[(String, Counts, Counts)]) -> Vec<Contribution> {
    let mut out: Vec<Contribution> = match kpi.fraction(&Counts::default()) {
        None => segments
            .iter()
            .map(|(name, now, before)| Contribution {
                segment: name.clone(),
                delta: kpi.value(now).unwrap_or(0) - kpi.value(before).unwrap_or(0),
            })
            .collect(),
        Some(_) => {
            let scale = if kpi.unit() == Unit::Percent {
                10_000
            } else {
                1
            };
            let den = |pick: fn(&(String, Counts, Counts)) -> &Counts| {
                segments
                    .iter()
                    .map(|s| kpi.fraction(pick(s)).map(|f| f.1).unwrap_or(0))
                    .sum::<i64>()
            };
            let (den_now, den_before) = (den(|s| &s.1), den(|s| &s.2));
            let share = |c: &Counts, total: i64| -> i64 {
                let (num, _) = kpi.fraction(c).unwrap_or((0, 0));
                if total > 0 {
                    (num * scale + total / 2) / total
                } else {
                    0
                }
            };
            segments
                .iter()
                .map(|(name, now, before)| Contribution {
                    segment: name.clone(),
                    delta: share(now, den_now) - share(before, den_before),
                })
                .collect()
        }
    };
    out.sort_by_key(|c| std::cmp::Reverse(c.delta.abs()));
    out
}

/// The median of some durations.
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_time(y: i32, m: u32, d: u32, h: i64, min: i64) -> i64 {
        at(y, m, d) + h * 3_600_000 + min * 60_000
    }

    fn span(from: i64, to: i64) -> Span {
        Span {
            start_ms: from,
            end_ms: to,
        }
    }

    #[test]
    fn a_running_week_is_compared_with_the_same_hours_of_the_week_before() {
        // Friday 4 December 2026, 10:00.
        let now = at_time(2026, 12, 4, 10, 0);
        let c = Period::containing(PeriodKind::Week, now).compare(now, false);
        assert!(c.partial && c.like_for_like);
        assert_eq!(c.current, span(at(2026, 11, 30), now));
        assert_eq!(
            c.previous,
            span(at(2026, 11, 23), at_time(2026, 11, 27, 10, 0))
        );
        assert_eq!(c.current.len_ms(), c.previous.len_ms());
        assert_eq!(
            c.previous.label(),
            "Mon 23 Nov 2026 00:00 – Fri 27 Nov 2026 10:00 UTC"
        );
        // Across a year and into ISO week 53: Tuesday 5 January 2027 is in
        // 2027-W01, whose previous week is 2026-W53 (28 December on).
        let now = at_time(2027, 1, 5, 9, 30);
        let week = Period::containing(PeriodKind::Week, now);
        assert_eq!(week.label(), "2027-W01");
        let c = week.compare(now, false);
        assert_eq!(week.previous().label(), "2026-W53");
        assert_eq!(c.current, span(at(2027, 1, 4), now));
        assert_eq!(
            c.previous,
            span(at(2026, 12, 28), at_time(2026, 12, 29, 9, 30))
        );
    }

    #[test]
    fn a_running_month_or_day_is_compared_with_the_same_part_before() {
        let now = at_time(2026, 3, 10, 10, 0);
        let c = Period::containing(PeriodKind::Month, now).compare(now, false);
        assert_eq!(
            c.previous,
            span(at(2026, 2, 1), at_time(2026, 2, 10, 10, 0))
        );
        // The 31st against a 28-day February: all of it, no more.
        let now = at_time(2026, 3, 31, 8, 0);
        let c = Period::containing(PeriodKind::Month, now).compare(now, false);
        assert_eq!(c.previous, span(at(2026, 2, 1), at(2026, 3, 1)));
        // Into a leap February: the 29th has its 29th.
        let now = at_time(2028, 3, 29, 12, 0);
        let c = Period::containing(PeriodKind::Month, now).compare(now, false);
        assert_eq!(
            c.previous,
            span(at(2028, 2, 1), at_time(2028, 2, 29, 12, 0))
        );
        // Across a year: January against December.
        let now = at_time(2027, 1, 15, 18, 45);
        let c = Period::containing(PeriodKind::Month, now).compare(now, false);
        assert_eq!(c.current, span(at(2027, 1, 1), now));
        assert_eq!(
            c.previous,
            span(at(2026, 12, 1), at_time(2026, 12, 15, 18, 45))
        );
        // New Year's Day against New Year's Eve, the same hours.
        let now = at_time(2027, 1, 1, 9, 0);
        let c = Period::containing(PeriodKind::Day, now).compare(now, false);
        assert_eq!(c.current, span(at(2027, 1, 1), now));
        assert_eq!(
            c.previous,
            span(at(2026, 12, 31), at_time(2026, 12, 31, 9, 0))
        );
    }

    #[test]
    fn full_periods_on_demand_and_finished_periods_whole() {
        let now = at_time(2026, 12, 4, 10, 0);
        let week = Period::containing(PeriodKind::Week, now);
        let c = week.compare(now, true);
        assert!(c.partial && !c.like_for_like);
        assert_eq!(c.current, span(at(2026, 11, 30), now));
        assert_eq!(c.previous, week.previous().span());
        let last = week.previous();
        let c = last.compare(now, false);
        assert!(!c.partial && !c.like_for_like);
        assert_eq!(
            (c.current, c.previous),
            (last.span(), last.previous().span())
        );
        // The very first instant of a period: nothing elapsed on either side.
        let c = week.compare(week.start_ms, false);
        assert_eq!(c.current.len_ms(), 0);
        assert_eq!(c.previous.len_ms(), 0);
    }

    #[test]
    fn targets_of_counts_and_totals_are_prorated_and_rates_are_not() {
        let week = 7 * DAY_MS;
        let part = 4 * DAY_MS + 10 * 3_600_000;
        // 1,000 offers a week, 4 days 10 hours in: 631.
        assert_eq!(prorated_target(Kpi::OffersShown, 1_000, part, week), 631);
        assert_eq!(
            prorated_target(Kpi::PaidTotal, 700_000, DAY_MS, week),
            100_000
        );
        assert_eq!(prorated_target(Kpi::Conversion, 1_250, part, week), 1_250);
        assert_eq!(
            prorated_target(Kpi::PaidAverage, 30_000, part, week),
            30_000
        );
        assert_eq!(prorated_target(Kpi::MedianDaysToPay, 45, part, week), 45);
        assert_eq!(prorated_target(Kpi::OffersShown, 1_000, week, week), 1_000);
        assert_eq!(prorated_target(Kpi::OffersShown, 1_000, 0, week), 0);
    }

    fn at(y: i32, m: u32, d: u32) -> i64 {
        Date::new(y, m, d).unwrap().start_unix_ms()
    }

    #[test]
    fn periods_and_their_previous() {
        let w = Period::containing(PeriodKind::Week, at(2026, 3, 4) + 5_000);
        assert_eq!(
            (w.start_ms, w.end_ms, w.label()),
            (at(2026, 3, 2), at(2026, 3, 9), "2026-W10".to_string())
        );
        assert_eq!(w.previous().label(), "2026-W09");
        let jan = Period::containing(PeriodKind::Month, at(2026, 1, 31));
        assert_eq!(jan.previous().label(), "2025-12");
        assert_eq!(jan.next().label(), "2026-02");
        assert_eq!(
            Period::containing(PeriodKind::Day, at(2026, 3, 1))
                .previous()
                .label(),
            "2026-02-28"
        );
        for kind in PeriodKind::ALL {
            let p = Period::containing(kind, at(2026, 1, 1));
            assert_eq!(Period::parse(kind, &p.label()), Some(p), "{kind:?}");
        }
        assert_eq!(Period::parse(PeriodKind::Week, "2026-W54"), None);
        assert_eq!(
            Period::parse(PeriodKind::Week, "2020-W53").map(|p| p.label()),
            Some("2020-W53".into())
        );
        assert_eq!(Period::parse(PeriodKind::Month, "2026-13"), None);
        assert_eq!(w.last_n(12).len(), 12);
        assert_eq!(w.last_n(12)[0].label(), "2025-W51");
    }

    #[test]
    fn values_from_counts() {
        let c = Counts {
            offers_shown: 200,
            accepted: 30,
            inspected: 20,
            counter_offered: 3,
            paid: 4,
            paid_amounts: Sums(BTreeMap::from([(
                Currency::Eur,
                Sum {
                    minor: 100_001,
                    n: 4,
                },
            )])),
            median_ms_to_pay: Some(DAY_MS * 9 / 2),
            ..Counts::default()
        };
        assert_eq!(Kpi::Conversion.value(&c), Some(1_500));
        assert_eq!(Kpi::CounterOfferRate.value(&c), Some(1_500));
        assert_eq!(Kpi::PaidAverage.value(&c), Some(25_000));
        assert_eq!(Kpi::MedianDaysToPay.value(&c), Some(45));
        assert_eq!(Kpi::CounterAcceptRate.value(&c), None, "nothing answered");
        assert_eq!(Kpi::Conversion.format(1_500), "15.0%");
        assert_eq!(Kpi::Conversion.format_delta(-310), "-3.1 pts");
        assert_eq!(Kpi::OffersShown.format(1_234_567), "1,234,567");
        assert_eq!(Kpi::MedianDaysToPay.format(45), "4.5 d");
    }

    #[test]
    fn money_of_two_currencies_is_read_per_currency_never_summed() {
        let market = |currency, paid, minor| {
            Counts::from_stored(
                {
                    let mut v = [0; 18];
                    v[15] = paid;
                    v[16] = minor;
                    v
                },
                currency,
            )
        };
        let mut all = market(Currency::Eur, 2, 40_000);
        all.add(&market(Currency::Gbp, 1, 9_000));
        assert_eq!(all.paid, 3, "counts add up across markets");
        assert_eq!(Kpi::PaidTotal.value(&all), None, "no sum of EUR and GBP");
        assert_eq!(Kpi::PaidAverage.value(&all), None);
        assert_eq!(Kpi::PaidTotal.value(&all.only(Currency::Eur)), Some(40_000));
        assert_eq!(
            Kpi::PaidAverage.value(&all.only(Currency::Gbp)),
            Some(9_000)
        );
        assert_eq!(Kpi::PaidTotal.value(&all.only(Currency::Usd)), Some(0));
        assert_eq!(
            all.currencies().into_iter().collect::<Vec<_>>(),
            [Currency::Eur, Currency::Gbp]
        );
        assert_eq!(all.only(Currency::Gbp).stored(Currency::Gbp)[16], 9_000);
        assert_eq!(Kpi::PaidTotal.format_in(9_000, Currency::Gbp), "£90.00");
        assert_eq!(
            Kpi::PaidTotal.format_delta_in(-500, Currency::Usd),
            "-$5.00"
        );
    }

    #[test]
    fn targets_are_read_in_the_kpis_unit() {
        assert_eq!(Kpi::Conversion.parse_target("12.5"), Ok(1_250));
        assert_eq!(Kpi::Conversion.parse_target("12,5 %"), Ok(1_250));
        assert!(Kpi::Conversion.parse_target("101").is_err());
        assert!(Kpi::Conversion.parse_target("-3").is_err());
        assert_eq!(Kpi::PaidTotal.parse_target("250"), Ok(25_000));
        assert_eq!(Kpi::MedianDaysToPay.parse_target("4.5"), Ok(45));
        assert!(Kpi::MedianDaysToPay.parse_target("4.55").is_err());
        assert_eq!(Kpi::Shipped.parse_target("120"), Ok(120));
        assert!(Kpi::Shipped.parse_target("1.5").is_err());
        assert!(Kpi::Shipped.parse_target("lots").is_err());
        assert!(Kpi::Shipped.parse_target("").is_err());
    }

    #[test]
    fn target_status_follows_the_good_direction() {
        assert_eq!(
            against_target(Kpi::Conversion, 1_500, 1_400),
            TargetStatus::Met
        );
        assert_eq!(
            against_target(Kpi::Conversion, 1_350, 1_400),
            TargetStatus::Close
        );
        assert_eq!(
            against_target(Kpi::Conversion, 1_000, 1_400),
            TargetStatus::Missed
        );
        assert_eq!(
            against_target(Kpi::MedianDaysToPay, 30, 40),
            TargetStatus::Met
        );
        assert_eq!(
            against_target(Kpi::CounterOfferRate, 2_000, 1_000),
            TargetStatus::Missed
        );
    }

    #[test]
    fn a_rate_change_splits_exactly_between_segments() {
        let seg = |shown, acc| Counts {
            offers_shown: shown,
            accepted: acc,
            ..Counts::default()
        };
        let segments = vec![
            ("Smartphones/Apple".to_string(), seg(100, 5), seg(100, 10)),
            ("Consoles/Sony".to_string(), seg(100, 10), seg(100, 10)),
        ];
        let parts = decompose(Kpi::Conversion, &segments);
        // Overall: 15/200 = 7.5% now, 20/200 = 10% before: -2.5 pts, all from Apple.
        assert_eq!(
            parts[0],
            Contribution {
                segment: "Smartphones/Apple".into(),
                delta: -250
            }
        );
        assert_eq!(parts[1].delta, 0);
        let counts = decompose(Kpi::OffersAccepted, &segments);
        assert_eq!(counts[0].delta, -5);
        assert_eq!(median(vec![5, 1, 3]), Some(3));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
        assert_eq!(median(vec![]), None);
    }
}
