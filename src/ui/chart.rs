//! Small bar charts as server-rendered SVG: readable without JavaScript,
//! with a native tooltip per bar and a text alternative.

use leptos::prelude::*;

#[component]
pub fn BarChart(
    /// Accessible name of the chart.
    title: String,
    /// (label under the bar, value, tooltip text)
    bars: Vec<(String, i64, String)>,
) -> impl IntoView {
    const W: i64 = 480;
    const H: i64 = 160;
    const PAD: i64 = 24;
    let max = bars.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1);
    let n = bars.len().max(1) as i64;
    let slot = (W - 2 * PAD) / n;
    let summary = bars.iter().map(|(l, v, _)| format!("{l}: {v}")).collect::<Vec<_>>().join(", ");
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=format!("{title}. {summary}") width="100%">
                <title>{title.clone()}</title>
                <line x1=PAD y1=H - PAD x2=W - PAD y2=H - PAD class="axis"/>
                {bars.into_iter().enumerate().map(|(i, (label, value, tip))| {
                    let h = (value * (H - 2 * PAD)) / max;
                    let x = PAD + i as i64 * slot + slot / 6;
                    let w = slot * 2 / 3;
                    view! {
                        <g class="bar">
                            <rect x=x y=H - PAD - h width=w height=h.max(1)><title>{tip}</title></rect>
                            <text x=x + w / 2 y=H - PAD + 14 text-anchor="middle">{label}</text>
                            <text x=x + w / 2 y=H - PAD - h - 4 text-anchor="middle" class="value">{value}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{title}</figcaption>
        </figure>
    }
}
