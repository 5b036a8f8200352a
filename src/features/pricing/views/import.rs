//! CSV import (`/seller/prices/import`): upload a file for a dry run that
//! counts what it would change and lists every bad row, then apply it all
//! at once. The upload goes through XMLHttpRequest so a large file shows
//! its progress.

use crate::error::AppError;
use crate::features::pricing::*;
use leptos::prelude::*;
use leptos_meta::Title;

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
    if status == 200 {
        return crate::ui::data::read_json(body)
            .map_err(|_| "The server's answer could not be read. Try again.".to_string());
    }
    match crate::ui::data::read_json::<AppError>(body) {
        Ok(AppError::Invalid(fields)) => Err(fields
            .0
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join(" ")),
        Ok(e) => Err(e.to_string()),
        Err(_) if status == 413 => Err("The file is larger than 10 MB.".into()),
        Err(_) if status == 0 => {
            Err("The upload did not reach the server. Check your connection and try again.".into())
        }
        Err(_) => Err(format!("The import failed (HTTP {status}).")),
    }
}

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
            <p>"Columns: " <code>"variant_sku,grade,price_eur,weekly_cap"</code> ". Semicolons and decimal commas (as French spreadsheets write them) work too. An empty price stops buying that cell. "
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
                    " This file is my whole grid: stop buying every cell it leaves out"
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
                        <Counts r=r/>
                        <p><a href="/seller/prices">"See your price grid"</a></p>
                    </section>
                }.into_any(),
            }}
        </section>
    }
}
