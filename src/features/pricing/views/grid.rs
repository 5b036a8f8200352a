//! The price grid (`/seller/prices`): one row per variant, one column per
//! grade, each cell this refurbisher's buyback price with its market
//! position. Cells save one by one with their version; filters, sorting and
//! paging run on the server.

use super::super::*;
use crate::domain::grade::Grade;
use crate::domain::ids::VariantId;
use crate::domain::market::Market;
use crate::domain::seller::SellerStatus;
use crate::error::AppError;
use crate::ui::form::PageForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// One editable cell. Enter moves down the column, as in a spreadsheet;
/// Tab moves along the row; Escape puts the saved value back.
#[component]
fn PriceCell(
    market: Market,
    cell: GridCell,
    row_name: String,
    row: usize,
    col: usize,
) -> impl IntoView {
    let currency = market.currency();
    let initial = cell.price_minor.map(plain_amount).unwrap_or_default();
    let current = RwSignal::new(cell.clone());
    let text = RwSignal::new(initial.clone());
    let state = RwSignal::new(CellState::Idle);
    let label = format!(
        "{row_name}, {}: price in {}",
        cell.grade.label(),
        currency.code()
    );
    let id = format!("cell-{row}-{col}");
    let save = move || {
        let c = current.get_untracked();
        let typed = text.get_untracked();
        let shown = c.price_minor.map(plain_amount).unwrap_or_default();
        if typed.trim() == shown {
            return;
        }
        state.set(CellState::Saving);
        leptos::task::spawn_local(async move {
            match save_price_cell(PriceCellForm {
                market: Some(market.code().to_string()),
                variant_id: c.variant_id.to_string(),
                grade: c.grade.code().to_string(),
                price: typed.clone(),
                version: c.version.map(|v| v.to_string()),
            })
            .await
            {
                Ok(CellOutcome::Saved(now)) | Ok(CellOutcome::Unchanged(now)) => {
                    text.set(now.price_minor.map(plain_amount).unwrap_or_default());
                    current.set(now);
                    state.set(CellState::Saved);
                }
                Ok(CellOutcome::Stale(now)) => {
                    let value = now
                        .price_minor
                        .map(|p| money(p, currency))
                        .unwrap_or_else(|| "not buying".into());
                    text.set(now.price_minor.map(plain_amount).unwrap_or_default());
                    current.set(now);
                    state.set(CellState::Failed(format!(
                        "Changed elsewhere: now {value}. Your {typed} was not saved."
                    )));
                }
                Err(e) => state.set(CellState::Failed(
                    e.field("price").unwrap_or_else(|| e.to_string()),
                )),
            }
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            // Moving focus fires `change`, which saves.
            let next = document().get_element_by_id(&format!("cell-{}-{col}", row + 1));
            match next.and_then(|el| {
                leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(el).ok()
            }) {
                Some(el) => {
                    let _ = el.focus();
                }
                None => save(),
            }
        }
        "Escape" => {
            text.set(
                current
                    .get_untracked()
                    .price_minor
                    .map(plain_amount)
                    .unwrap_or_default(),
            );
            state.set(CellState::Idle);
        }
        _ => {}
    };
    let detail = detail_href(market, cell.variant_id, cell.grade);
    view! {
        <td class=move || match state.get() { CellState::Failed(_) => "cell failed", CellState::Saved => "cell saved", _ => "cell" }>
            <input
                id=id
                class="price-input"
                type="text"
                inputmode="decimal"
                autocomplete="off"
                aria-label=label
                value=initial
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:change=move |_| save()
                on:keydown=on_key
            />
            <span class="cell-status" role="status">
                {move || match state.get() {
                    CellState::Idle => String::new(),
                    CellState::Saving => "Saving…".into(),
                    CellState::Saved => "Saved".into(),
                    CellState::Failed(why) => format!("Not saved: {why}"),
                }}
            </span>
            <span class="market">{move || market_line(&current.get(), currency)}</span>
            {move || flags(&current.get(), currency).into_iter().map(|f| view! { <span class="flag">{f}</span> }).collect_view()}
            <a class="cell-detail" href=detail>"Details"<span class="visually-hidden">{format!(" for {row_name}, {}", cell.grade.label())}</span></a>
        </td>
    }
}

#[component]
fn BuyingSettings(page: GridPage, on_saved: Callback<()>) -> impl IntoView {
    let action = ServerAction::<SaveBuyingSettings>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_saved.run(());
        }
    });
    let error = crate::ui::form::action_error(action);
    let cap_error = Signal::derive(move || error.get().and_then(|e| e.field("weekly_cap")));
    let usage = match page.weekly_cap {
        Some(cap) => format!(
            "This week: {} of {cap} devices bought.",
            page.units_this_week
        ),
        None => format!(
            "This week: {} devices bought, no cap.",
            page.units_this_week
        ),
    };
    view! {
        <section class="card buying" aria-labelledby="buying-heading">
            <h2 id="buying-heading">"Buying"</h2>
            <p>{if page.paused { "Buying is paused: your prices are out of the offers until you resume." } else { "Buying is on." }}</p>
            <p class="muted">{usage}</p>
            <PageForm action=action class="form inline">
                <crate::ui::form::FormError error=error/>
                <label class="check">
                    <input type="checkbox" name="paused" value="true" checked=page.paused/>
                    " Pause buying (holidays, full warehouse)"
                </label>
                <crate::ui::form::TextField
                    label="Weekly cap for all listings (devices)"
                    name="weekly_cap"
                    value=page.weekly_cap.map(|c| c.to_string()).unwrap_or_default()
                    hint="Empty: no cap. Capped listings leave the offers until next Monday."
                    error=cap_error
                />
                <button type="submit" class="button">"Save buying settings"</button>
            </PageForm>
        </section>
    }
}

#[component]
fn Filters(page: GridPage) -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let option = move |value: String, label: String, selected: String| {
        let is = value == selected;
        view! { <option value=value selected=is>{label}</option> }
    };
    view! {
        <form method="get" action="/seller/prices" class="filters" role="search" aria-label="Filter the grid">
            <label>"Market"
                <select name="market">
                    {page.markets.iter().map(|m| {
                        let is = *m == page.market;
                        view! { <option value=m.code() selected=is>{format!("{} ({})", m.name(), m.currency().code())}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Category"
                <select name="category">
                    <option value="">"All categories"</option>
                    {page.categories.iter().map(|(s, n)| option(s.clone(), n.clone(), get("category"))).collect_view()}
                </select>
            </label>
            <label>"Brand"
                <select name="brand">
                    <option value="">"All brands"</option>
                    {page.brands.iter().map(|(s, n)| option(s.clone(), n.clone(), get("brand"))).collect_view()}
                </select>
            </label>
            <label>"Search" <input type="search" name="q" value=get("q") placeholder="model or SKU"/></label>
            <label>"Show"
                <select name="only">
                    {[("", "All variants"), ("buying", "Only where I buy"), ("not_winning", "Only where I am not winning")]
                        .into_iter().map(|(v, l)| option(v.into(), l.into(), get("only"))).collect_view()}
                </select>
            </label>
            <label>"Sort by"
                <select name="sort">
                    {[("", "Catalog order"), ("name", "Name"), ("newest", "Newest models"), ("my_price", "My highest price")]
                        .into_iter().map(|(v, l)| option(v.into(), l.into(), get("sort"))).collect_view()}
                </select>
            </label>
            <button type="submit" class="button">"Apply filters"</button>
        </form>
    }
}

#[component]
fn MatchPanel(
    market: Market,
    selected: RwSignal<Vec<VariantId>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let preview = RwSignal::new(None::<Result<Vec<MatchLine>, AppError>>);
    let outcome = RwSignal::new(None::<Result<usize, AppError>>);
    let ask = move |_| {
        let ids = selected.get_untracked();
        outcome.set(None);
        leptos::task::spawn_local(async move {
            preview.set(Some(preview_match(Some(market), ids).await))
        });
    };
    let confirm = move |_| {
        let Some(Ok(lines)) = preview.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let r = apply_match(lines).await;
            if r.is_ok() {
                preview.set(None);
                selected.set(Vec::new());
                on_saved.run(());
            }
            outcome.set(Some(r));
        });
    };
    view! {
        <section class="match" aria-labelledby="match-heading">
            <h2 id="match-heading" class="visually-hidden">"Match price to win"</h2>
            <button type="button" class="button" on:click=ask disabled=move || selected.get().is_empty()>
                {move || format!("Match price to win for {} selected rows", selected.get().len())}
            </button>
            {move || outcome.get().map(|r| match r {
                Ok(n) => view! { <p class="notice success" role="status">{format!("Saved {n} prices.")}</p> }.into_any(),
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            {move || preview.get().map(|r| match r {
                Ok(lines) if lines.is_empty() => view! { <p role="status">"You already win every cell you buy in these rows."</p> }.into_any(),
                Ok(lines) => {
                    let n = lines.len();
                    view! {
                        <div class="card" role="region" aria-label="Preview of matched prices">
                            <table class="table">
                                <caption>{format!("{n} prices would change")}</caption>
                                <thead><tr><th scope="col">"Variant"</th><th scope="col">"Grade"</th><th scope="col">"Now"</th><th scope="col">"New"</th></tr></thead>
                                <tbody>
                                    {lines.into_iter().map(|l| view! {
                                        <tr><td>{l.name}</td><td>{l.grade.label()}</td><td>{l.current.to_string()}</td><td>{l.new.to_string()}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <p class="actions">
                                <button type="button" class="button primary" on:click=confirm>{format!("Save {n} prices")}</button>
                                <button type="button" class="button" on:click=move |_| preview.set(None)>"Cancel"</button>
                            </p>
                        </div>
                    }.into_any()
                }
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
pub fn PricesPage() -> impl IntoView {
    let query = use_query_map();
    let grid = crate::ui::data::load(
        move || {
            let q = query.read();
            GridFilter {
                market: q.get("market"),
                category: q.get("category"),
                brand: q.get("brand"),
                q: q.get("q"),
                only: q.get("only"),
                sort: q.get("sort"),
                page: q.get("page"),
            }
        },
        load_price_grid,
    );
    let refresh = Callback::new(move |_| grid.refetch());
    let selected = RwSignal::new(Vec::<VariantId>::new());
    view! {
        <Title text="Prices"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading prices…"</p> }>
            {move || Suspend::new(async move {
                match grid.await {
                    Ok(page) => {
                        let pairs: Vec<(String, String)> = {
                            let q = query.read_untracked();
                            ["market", "category", "brand", "q", "only", "sort"].into_iter().filter_map(|k| q.get(k).map(|v| (k.to_string(), v))).collect()
                        };
                        let (prev, next) = (page_href(&pairs, page.page - 1), page_href(&pairs, page.page + 1));
                        let market = page.market;
                        view! {
                            <section class="prices">
                                <h1>{format!("Buyback prices: {} ({})", market.name(), market.currency().code())}</h1>
                                {(page.status == SellerStatus::Pending).then(|| view! {
                                    <div class="notice warning" role="status">
                                        <p>"Your account is awaiting approval by our operations team. Prepare your prices now: they compete for devices once you are approved."</p>
                                    </div>
                                })}
                                {matches!(page.status, SellerStatus::Rejected | SellerStatus::Suspended).then(|| view! {
                                    <div class="notice error" role="status"><p>{format!("Your account is {}: your prices are not in the offers.", page.status)}</p></div>
                                })}
                                <p class="actions">
                                    <a class="button" href="/seller/prices.csv" rel="external" download="">"Export CSV"</a>
                                    <a class="button" href="/seller/prices/import">"Import CSV"</a>
                                    <a class="button" href="/seller/markets">"Markets and warehouses"</a>
                                    <a class="button" href="/seller">"Refurbisher area"</a>
                                </p>
                                <BuyingSettings page=page.clone() on_saved=refresh/>
                                <Filters page=page.clone()/>
                                <p class="muted" role="status">{format!("{} variants · page {} of {}", page.total, page.page, page.pages)}</p>
                                <div class="grid-scroll">
                                    <table class="table price-grid">
                                        <caption class="visually-hidden">"Your buyback price per variant and grade"</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col"><span class="visually-hidden">"Select"</span></th>
                                                <th scope="col">"Variant"</th>
                                                {Grade::ALL.into_iter().map(|g| view! { <th scope="col">{g.label()}</th> }).collect_view()}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {page.rows.iter().enumerate().map(|(r, row)| {
                                                let id = row.variant_id;
                                                view! {
                                                    <tr>
                                                        <td>
                                                            <input
                                                                type="checkbox"
                                                                aria-label=format!("Select {}", row.name)
                                                                prop:checked=move || selected.get().contains(&id)
                                                                on:change=move |ev| {
                                                                    let on = event_target_checked(&ev);
                                                                    selected.update(|s| { s.retain(|x| *x != id); if on { s.push(id); } });
                                                                }
                                                            />
                                                        </td>
                                                        <th scope="row">{row.name.clone()}<br/><small class="muted">{row.sku.clone()}</small></th>
                                                        {row.cells.iter().enumerate().map(|(c, cell)| view! {
                                                            <PriceCell market=market cell=cell.clone() row_name=row.name.clone() row=r col=c/>
                                                        }).collect_view()}
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <MatchPanel market=market selected=selected on_saved=refresh/>
                                <nav class="pager" aria-label="Pages">
                                    {(page.page > 1).then(|| view! { <a href=prev rel="prev">"Previous page"</a> })}
                                    {(page.page < page.pages).then(|| view! { <a href=next rel="next">"Next page"</a> })}
                                </nav>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::ui::errors::AccessProblem error=e here="/seller/prices"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
