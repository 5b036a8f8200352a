//! CSV import (`/seller/prices/import`): upload a file for a dry run that
//! counts what it would change and lists every bad row, then apply it all
//! at once. The upload goes through XMLHttpRequest so a large file shows
//! its progress.

use super::super::*;
use crate::i18n::staff::{use_staff, Staff};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn Counts(r: ImportReport) -> impl IntoView {
    let st = use_staff();
    let c = r.counts;
    view! {
        <dl class="stats import-counts">
            <div><dt>{st.get(Staff::ImportCountNew)}</dt><dd>{c.new}</dd></div>
            <div><dt>{st.get(Staff::ImportCountChanged)}</dt><dd>{c.changed}</dd></div>
            <div><dt>{st.get(Staff::ImportCountRemoved)}</dt><dd>{c.removed}</dd></div>
            <div><dt>{st.get(Staff::ImportCountUnchanged)}</dt><dd>{c.unchanged}</dd></div>
            <div><dt>{st.get(Staff::ImportProblemRows)}</dt><dd>{r.error_count}</dd></div>
        </dl>
    }
}

/// Which markets the file prices, and where a file without a market
/// column goes.
#[component]
fn Markets(r: ImportReport) -> impl IntoView {
    let st = use_staff();
    let t = crate::i18n::use_texts();
    let names: Vec<String> = r
        .markets
        .iter()
        .map(|m| format!("{} ({})", market_name(t, *m), m.currency().code()))
        .collect();
    let text = match (r.without_market, names.is_empty()) {
        (_, true) => return ().into_any(),
        (true, false) => st.fill(
            Staff::ImportWithoutMarket,
            &[("markets", &names.join(", "))],
        ),
        (false, false) => st.fill(Staff::ImportMarkets, &[("markets", &names.join(", "))]),
    };
    view! { <p class="import-markets">{text}</p> }.into_any()
}

#[component]
pub fn PriceImportPage() -> impl IntoView {
    let context = crate::ui::data::load(|| (), |_| load_import_context());
    let st = use_staff();
    view! {
        <Title text=st.get(Staff::ImportTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::CommonLoading)}</p> }>
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
    let st = use_staff();
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
            <p><a href="/seller/prices">{st.get(Staff::GridBack)}</a></p>
            <h1>{st.get(Staff::ImportHeading)}</h1>
            <p class="muted">{st.fill(Staff::ImportCompany, &[("company", &company)])}</p>
            // Sentences around the formats' column names, which stay as the
            // file has them.
            <p>{st.get(Staff::ImportHelpColumns)} <code>"market,variant_sku,grade,price,currency,weekly_cap"</code> {st.get(Staff::ImportHelpEachPrice)} <code>"variant_sku,grade,price_eur,weekly_cap"</code> {st.get(Staff::ImportHelpOldFormat)}
               <a href="/seller/prices.csv" rel="external" download="">{st.get(Staff::ImportHelpExport)}</a> {st.get(Staff::ImportHelpStartFromIt)}</p>
            <noscript><p class="notice warning">{st.get(Staff::ImportNoscript)}</p></noscript>
            <form node_ref=form_ref class="form" on:submit=on_submit>
                <div class="field">
                    <label for="import-file">{st.get(Staff::ImportFile)}</label>
                    <input id="import-file" type="file" name="file" accept=".csv,text/csv" required=true
                        on:change=move |_| step.set(Step::Choose)/>
                </div>
                <label class="check">
                    <input type="checkbox" name="replace" value="on" on:change=move |_| step.set(Step::Choose)/>
                    {format!(" {}", st.get(Staff::ImportReplace))}
                </label>
                <button type="submit" class="button primary">{st.get(Staff::ImportPreview)}</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
            {move || match step.get() {
                Step::Choose => ().into_any(),
                Step::Uploading { mode, sent, total } => {
                    let pct = if total > 0.0 { (sent * 100.0 / total).round() as i64 } else { 0 };
                    let text = if pct < 100 {
                        st.fill(Staff::ImportUploading, &[("pct", &pct)])
                    } else {
                        st.get(if mode == "apply" { Staff::ImportApplying } else { Staff::ImportChecking }).to_string()
                    };
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
                            <h2 id="preview-heading">{st.fill(Staff::ImportRowsRead, &[("n", &r.rows)])}</h2>
                            <Markets r=r.clone()/>
                            <Counts r=r.clone()/>
                            {if r.error_count > 0 {
                                view! {
                                    <p class="notice error" role="alert">{st.fill(Staff::ImportRowsHaveProblems, &[("n", &r.error_count)])}</p>
                                    <table class="table">
                                        <caption>{st.get(Staff::ImportProblemRows)}</caption>
                                        <thead><tr><th scope="col">{st.get(Staff::ImportLine)}</th><th scope="col">{st.get(Staff::ImportProblem)}</th></tr></thead>
                                        <tbody>
                                            {r.errors.iter().map(|e| view! { <tr><td>{e.line}</td><td>{e.reason.clone()}</td></tr> }).collect_view()}
                                        </tbody>
                                    </table>
                                    {(r.error_count > r.errors.len()).then(|| view! { <p class="muted">{st.fill(Staff::ImportFirstListed, &[("n", &r.errors.len())])}</p> })}
                                }.into_any()
                            } else if writes == 0 {
                                view! { <p role="status">{st.get(Staff::ImportChangesNothing)}</p> }.into_any()
                            } else {
                                view! {
                                    <p class="actions">
                                        <button type="button" class="button primary" on:click=move |_| start("apply", Some(base.clone()))>
                                            {st.fill(Staff::ImportApply, &[("n", &writes)])}
                                        </button>
                                    </p>
                                }.into_any()
                            }}
                        </section>
                    }.into_any()
                }
                Step::Applied(r) => view! {
                    <section class="notice success" role="status">
                        <h2>{st.get(Staff::ImportApplied)}</h2>
                        <Markets r=r.clone()/>
                        <Counts r=r/>
                        <p><a href="/seller/prices">{st.get(Staff::ImportSeeGrid)}</a></p>
                    </section>
                }.into_any(),
            }}
        </section>
    }
}
