//! Small bar charts as server-rendered SVG: readable without JavaScript,
//! with a native tooltip per bar and a text alternative.

use leptos::prelude::*;

#[component]
pub fn BarChart(
    /// Accessible name of the chart.
    title: String,
    /// (label under the bar, value, tooltip text)
    bars: Vec<(String, i64, String)>,
    /// Text above each bar instead of the raw value (e.g. "15.0%").
    #[prop(optional)]
    shown: Option<Vec<String>>,
) -> impl IntoView {
    const W: i64 = 480;
    const H: i64 = 160;
    const PAD: i64 = 24;
    let max = bars.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1);
    let n = bars.len().max(1) as i64;
    let slot = (W - 2 * PAD) / n;
    let summary = bars
        .iter()
        .map(|(l, v, _)| format!("{l}: {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=format!("{title}. {summary}") width="100%">
                <title>{title.clone()}</title>
                <line x1=PAD y1=H - PAD x2=W - PAD y2=H - PAD class="axis"/>
                {bars.into_iter().enumerate().map(|(i, (label, value, tip))| {
                    let text = shown.as_ref().and_then(|s| s.get(i).cloned()).unwrap_or_else(|| value.to_string());
                    let h = (value * (H - 2 * PAD)) / max;
                    let x = PAD + i as i64 * slot + slot / 6;
                    let w = slot * 2 / 3;
                    view! {
                        <g class="bar">
                            <rect x=x y=H - PAD - h width=w height=h.max(1)><title>{tip}</title></rect>
                            <text x=x + w / 2 y=H - PAD + 14 text-anchor="middle">{label}</text>
                            <text x=x + w / 2 y=H - PAD - h - 4 text-anchor="middle" class="value">{text}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{title}</figcaption>
        </figure>
    }
}

/// A price over time as a step line (a price holds until the next change),
/// server-rendered SVG with a text alternative. `points`: (time in ms,
/// value; None while not buying), oldest first; the line runs to `until_ms`.
#[component]
pub fn StepChart(
    title: String,
    points: Vec<(i64, Option<i64>)>,
    until_ms: i64,
    unit: &'static str,
) -> impl IntoView {
    const W: i64 = 480;
    const H: i64 = 140;
    const PAD: i64 = 20;
    let first = points.first().map(|p| p.0).unwrap_or(until_ms);
    let span = (until_ms - first).max(1);
    let max = points.iter().filter_map(|p| p.1).max().unwrap_or(1).max(1);
    let x = move |t: i64| PAD + (t - first) * (W - 2 * PAD) / span;
    let y = move |v: i64| H - PAD - v * (H - 2 * PAD) / max;
    // One segment per period the price held; gaps while not buying.
    let segments: Vec<(i64, i64, i64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, (t, v))| {
            let end = points.get(i + 1).map(|p| p.0).unwrap_or(until_ms);
            v.map(|v| (x(*t), x(end).max(x(*t) + 2), y(v)))
        })
        .collect();
    let summary = points
        .iter()
        .map(|(t, v)| {
            format!(
                "{}: {}",
                crate::domain::dates::Date::from_unix_ms(*t),
                v.map(|v| format!("{}.{:02} {unit}", v / 100, v % 100))
                    .unwrap_or_else(|| "not buying".into())
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=format!("{title}. {summary}") width="100%">
                <title>{title.clone()}</title>
                <line x1=PAD y1=H - PAD x2=W - PAD y2=H - PAD class="axis"/>
                {segments.into_iter().map(|(x1, x2, yy)| view! {
                    <line x1=x1 y1=yy x2=x2 y2=yy class="step"/>
                }).collect_view()}
            </svg>
            <figcaption>{title}</figcaption>
        </figure>
    }
}
