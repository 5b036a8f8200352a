//! CSV import (`/seller/prices/import`): upload a file for a dry run that
//! counts what it would change and lists every bad row, then apply it all
//! at once. The upload goes through XMLHttpRequest so a large file shows
//! its progress.

use super::super::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn Counts(r: ImportReport) -> impl IntoView {
    let c = r.counts;
    view! {
        <dl class="stats import-counts">
            <div><dt>"New"</dt><dd>{c.new}</dd></div>
            <div><dt>"Changed"</dt><dd>{c.changed}</dd></div>
            <div><dt>"Removed"</dt><dd>{c.removed}</dd></div>
            <div><dt>"Unchanged"</dt><dd>{c.unchanged}</dd></div>
            <div><dt>"Rows with problems"</dt><dd>{r.error_count}</dd></div>
        </dl>
    }
}

/// Which markets the file prices, and where a file without a market
/// column goes.
#[component]
fn Markets(r: ImportReport) -> impl IntoView {
    let names: Vec<String> = r
        .markets
        .iter()
        .map(|m| format!("{} ({})", m.name(), m.currency().code()))
        .collect();
    let text = match (r.without_market, names.is_empty()) {
        (_, true) => return ().into_any(),
        (true, false) => format!(
            "This file has no market column: its prices go to your home market, {}.",
            names.join(", ")
        ),
        (false, false) => format!("Markets in this file: {}.", names.join(", ")),
    };
    view! { <p class="import-markets">{text}</p> }.into_any()
}

#[component]
pub fn PriceImportPage() -> impl IntoView {
    let context = crate::ui::data::load(|| (), |_| load_import_context());
    view! {
        <Title text="Import prices"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match context.await {
                    Ok(company) => view! { <ImportForm company=company/> }.into_any(),
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller/prices/import"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ImportForm(company: String) -> impl IntoView {
    let step = RwSignal::new(Step::Choose);
    let problem = RwSignal::new(None::<String>);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let start = move |mode: &'static str, base: Option<String>| {
        problem.set(None);
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get_untracked() {
            send(
                &form,
                mode,
                base,
                step,
                move |status, body| match read_answer(status, &body) {
                    Ok(r) if r.applied => step.set(Step::Applied(r)),
                    Ok(r) => step.set(Step::Previewed(r)),
                    Err(why) => {
                        problem.set(Some(why));
                        step.set(Step::Choose);
                    }
                },
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (mode, base, form_ref);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        start("preview", None);
    };
    view! {
        <section class="card">
            <p><a href="/seller/prices">"← Back to the price grid"</a></p>
            <h1>"Import prices from a CSV file"</h1>
            <p class="muted">{format!("Prices of {company}.")}</p>
            <p>"Columns: " <code>"market,variant_sku,grade,price,currency,weekly_cap"</code> ", each price in its market's currency (the currency column may be left empty). A file with the columns " <code>"variant_sku,grade,price_eur,weekly_cap"</code> " goes to your home market. Semicolons and decimal commas (as French spreadsheets write them) work too. An empty price stops buying that cell. "
               <a href="/seller/prices.csv" rel="external" download="">"Export your current grid"</a> " to start from it."</p>
            <noscript><p class="notice warning">"The import needs JavaScript to show the preview."</p></noscript>
            <form node_ref=form_ref class="form" on:submit=on_submit>
                <div class="field">
                    <label for="import-file">"CSV file (up to 10 MB)"</label>
                    <input id="import-file" type="file" name="file" accept=".csv,text/csv" required=true
                        on:change=move |_| step.set(Step::Choose)/>
                </div>
                <label class="check">
                    <input type="checkbox" name="replace" value="on" on:change=move |_| step.set(Step::Choose)/>
                    " This file is my whole grid in its markets: stop buying every cell it leaves out there"
                </label>
                <button type="submit" class="button primary">"Preview import"</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            {move || match step.get() {
                Step::Choose => ().into_any(),
                Step::Uploading { mode, sent, total } => {
                    let pct = if total > 0.0 { (sent * 100.0 / total).round() as i64 } else { 0 };
                    let what = if mode == "apply" { "Applying" } else { "Checking" };
                    let text = if pct < 100 { format!("Uploading… {pct}%") } else { format!("{what} every row…") };
                    view! {
                        <div role="status" class="progress">
                            <label>{text.clone()} <progress max="100" value=pct.to_string()>{text}</progress></label>
                        </div>
                    }.into_any()
                }
                Step::Previewed(r) => {
                    let writes = r.counts.new + r.counts.changed + r.counts.removed;
                    let base = r.base.clone();
                    view! {
                        <section aria-labelledby="preview-heading">
                            <h2 id="preview-heading">{format!("Preview: {} rows read", r.rows)}</h2>
                            <Markets r=r.clone()/>
                            <Counts r=r.clone()/>
                            {if r.error_count > 0 {
                                view! {
                                    <p class="notice error" role="alert">{format!("{} rows have problems. Nothing can be applied until they are fixed.", r.error_count)}</p>
                                    <table class="table">
                                        <caption>"Rows with problems"</caption>
                                        <thead><tr><th scope="col">"Line"</th><th scope="col">"Problem"</th></tr></thead>
                                        <tbody>
                                            {r.errors.iter().map(|e| view! { <tr><td>{e.line}</td><td>{e.reason.clone()}</td></tr> }).collect_view()}
                                        </tbody>
                                    </table>
                                    {(r.error_count > r.errors.len()).then(|| view! { <p class="muted">{format!("The first {} are listed.", r.errors.len())}</p> })}
                                }.into_any()
                            } else if writes == 0 {
                                view! { <p role="status">"This file changes nothing."</p> }.into_any()
                            } else {
                                view! {
                                    <p class="actions">
                                        <button type="button" class="button primary" on:click=move |_| start("apply", Some(base.clone()))>
                                            {format!("Apply {writes} changes")}
                                        </button>
                                    </p>
                                }.into_any()
                            }}
                        </section>
                    }.into_any()
                }
                Step::Applied(r) => view! {
                    <section class="notice success" role="status">
                        <h2>"Import applied"</h2>
                        <Markets r=r.clone()/>
                        <Counts r=r/>
                        <p><a href="/seller/prices">"See your price grid"</a></p>
                    </section>
                }.into_any(),
            }}
        </section>
    }
}
