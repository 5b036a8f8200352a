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
use crate::i18n::staff::{use_staff, Staff};
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
    let st = use_staff();
    let grade = crate::i18n::use_texts().grade(cell.grade);
    let currency = market.currency();
    let initial = cell.price_minor.map(plain_amount).unwrap_or_default();
    let current = RwSignal::new(cell.clone());
    let text = RwSignal::new(initial.clone());
    let state = RwSignal::new(CellState::Idle);
    let label = st.fill(
        Staff::GridCellLabel,
        &[
            ("variant", &row_name),
            ("grade", &grade),
            ("currency", &currency.code()),
        ],
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
                        .map(|p| money(st, p, currency))
                        .unwrap_or_else(|| st.get(Staff::GridNotBuying).into());
                    text.set(now.price_minor.map(plain_amount).unwrap_or_default());
                    current.set(now);
                    state.set(CellState::Failed(st.fill(
                        Staff::GridChangedElsewhere,
                        &[("value", &value), ("typed", &typed)],
                    )));
                }
                Err(e) => state.set(CellState::Failed(
                    e.field("price")
                        .unwrap_or_else(|| crate::i18n::errors::said(&e)),
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
                    CellState::Saving => st.get(Staff::GridSaving).into(),
                    CellState::Saved => st.get(Staff::GridSaved).into(),
                    CellState::Failed(why) => st.fill(Staff::GridNotSaved, &[("why", &why)]),
                }}
            </span>
            <span class="market">{move || market_line(st, &current.get(), currency)}</span>
            {move || flags(st, &current.get(), currency).into_iter().map(|f| view! { <span class="flag">{f}</span> }).collect_view()}
            <a class="cell-detail" href=detail>{st.get(Staff::GridDetails)}<span class="visually-hidden">{format!(" {}", st.fill(Staff::GridDetailsFor, &[("variant", &row_name), ("grade", &grade)]))}</span></a>
        </td>
    }
}

#[component]
fn BuyingSettings(page: GridPage, on_saved: Callback<()>) -> impl IntoView {
    let st = use_staff();
    let action = ServerAction::<SaveBuyingSettings>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            on_saved.run(());
        }
    });
    let error = crate::ui::form::action_error(action);
    let cap_error = Signal::derive(move || error.get().and_then(|e| e.field("weekly_cap")));
    let usage = match page.weekly_cap {
        Some(cap) => st.fill(
            Staff::GridThisWeekOfCap,
            &[("n", &page.units_this_week), ("cap", &cap)],
        ),
        None => st.fill(Staff::GridThisWeekNoCap, &[("n", &page.units_this_week)]),
    };
    view! {
        <section class="card buying" aria-labelledby="buying-heading">
            <h2 id="buying-heading">{st.get(Staff::GridBuying)}</h2>
            <p>{st.get(if page.paused { Staff::GridBuyingPaused } else { Staff::GridBuyingOn })}</p>
            <p class="muted">{usage}</p>
            <PageForm action=action class="form inline">
                <crate::ui::form::FormError error=error/>
                <label class="check">
                    <input type="checkbox" name="paused" value="true" checked=page.paused/>
                    {format!(" {}", st.get(Staff::GridPause))}
                </label>
                <crate::ui::form::TextField
                    label=st.get(Staff::GridWeeklyCap)
                    name="weekly_cap"
                    value=page.weekly_cap.map(|c| c.to_string()).unwrap_or_default()
                    hint=st.get(Staff::GridWeeklyCapHint)
                    error=cap_error
                />
                <button type="submit" class="button">{st.get(Staff::GridSaveBuying)}</button>
            </PageForm>
        </section>
    }
}

#[component]
fn Filters(page: GridPage) -> impl IntoView {
    let st = use_staff();
    let t = crate::i18n::use_texts();
    let query = use_query_map();
    let get = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let option = move |value: String, label: String, selected: String| {
        let is = value == selected;
        view! { <option value=value selected=is>{label}</option> }
    };
    view! {
        <form method="get" action="/seller/prices" class="filters" role="search" aria-label=st.get(Staff::GridFilter)>
            <label>{st.get(Staff::GridMarket)}
                <select name="market">
                    {page.markets.iter().map(|m| {
                        let is = *m == page.market;
                        view! { <option value=m.code() selected=is>{format!("{} ({})", market_name(t, *m), m.currency().code())}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{st.get(Staff::GridCategory)}
                <select name="category">
                    <option value="">{st.get(Staff::GridAllCategories)}</option>
                    {page.categories.iter().map(|(s, n)| {
                        let name = crate::domain::catalog::Category::from_slug(s).map_or_else(|| n.clone(), |c| t.category(c).to_string());
                        option(s.clone(), name, get("category"))
                    }).collect_view()}
                </select>
            </label>
            <label>{st.get(Staff::GridBrand)}
                <select name="brand">
                    <option value="">{st.get(Staff::GridAllBrands)}</option>
                    {page.brands.iter().map(|(s, n)| option(s.clone(), n.clone(), get("brand"))).collect_view()}
                </select>
            </label>
            <label>{st.get(Staff::GridSearch)} <input type="search" name="q" value=get("q") placeholder=st.get(Staff::GridSearchPlaceholder)/></label>
            <label>{st.get(Staff::GridShow)}
                <select name="only">
                    {[("", Staff::GridShowAll), ("buying", Staff::GridShowBuying), ("not_winning", Staff::GridShowNotWinning)]
                        .into_iter().map(|(v, l)| option(v.into(), st.get(l).into(), get("only"))).collect_view()}
                </select>
            </label>
            <label>{st.get(Staff::GridSort)}
                <select name="sort">
                    {[("", Staff::GridSortCatalog), ("name", Staff::GridSortName), ("newest", Staff::GridSortNewest), ("my_price", Staff::GridSortMyPrice)]
                        .into_iter().map(|(v, l)| option(v.into(), st.get(l).into(), get("sort"))).collect_view()}
                </select>
            </label>
            <button type="submit" class="button">{st.get(Staff::GridApplyFilters)}</button>
        </form>
    }
}

#[component]
fn MatchPanel(
    market: Market,
    selected: RwSignal<Vec<VariantId>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let st = use_staff();
    let t = crate::i18n::use_texts();
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
            <h2 id="match-heading" class="visually-hidden">{st.get(Staff::GridMatch)}</h2>
            <button type="button" class="button" on:click=ask disabled=move || selected.get().is_empty()>
                {move || st.fill(Staff::GridMatchRows, &[("n", &selected.get().len())])}
            </button>
            {move || outcome.get().map(|r| match r {
                Ok(n) => view! { <p class="notice success" role="status">{st.fill(Staff::GridMatchSaved, &[("n", &n)])}</p> }.into_any(),
                Err(e) => view! { <p class="notice error" role="alert">{crate::i18n::errors::said(&e)}</p> }.into_any(),
            })}
            {move || preview.get().map(|r| match r {
                Ok(lines) if lines.is_empty() => view! { <p role="status">{st.get(Staff::GridMatchNone)}</p> }.into_any(),
                Ok(lines) => {
                    let n = lines.len();
                    view! {
                        <div class="card" role="region" aria-label=st.get(Staff::GridMatchPreview)>
                            <table class="table">
                                <caption>{st.fill(Staff::GridMatchWouldChange, &[("n", &n)])}</caption>
                                <thead><tr><th scope="col">{st.get(Staff::GridVariant)}</th><th scope="col">{st.get(Staff::GridGrade)}</th><th scope="col">{st.get(Staff::GridNow)}</th><th scope="col">{st.get(Staff::GridNew)}</th></tr></thead>
                                <tbody>
                                    {lines.into_iter().map(|l| view! {
                                        <tr><td>{l.name}</td><td>{t.grade(l.grade)}</td><td>{st.money(l.current)}</td><td>{st.money(l.new)}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <p class="actions">
                                <button type="button" class="button primary" on:click=confirm>{st.fill(Staff::GridMatchSave, &[("n", &n)])}</button>
                                <button type="button" class="button" on:click=move |_| preview.set(None)>{st.get(Staff::GridCancel)}</button>
                            </p>
                        </div>
                    }.into_any()
                }
                Err(e) => view! { <p class="notice error" role="alert">{crate::i18n::errors::said(&e)}</p> }.into_any(),
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
    let st = use_staff();
    let t = crate::i18n::use_texts();
    view! {
        <Title text=st.get(Staff::GridTitle)/>
        <Suspense fallback=move || view! { <p class="muted">{st.get(Staff::GridLoading)}</p> }>
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
                                <h1>{st.fill(Staff::GridHeading, &[("market", &market_name(t, market)), ("currency", &market.currency().code())])}</h1>
                                {(page.status == SellerStatus::Pending).then(|| view! {
                                    <div class="notice warning" role="status">
                                        <p>{st.get(Staff::GridAwaitingApproval)}</p>
                                    </div>
                                })}
                                {matches!(page.status, SellerStatus::Rejected | SellerStatus::Suspended).then(|| view! {
                                    <div class="notice error" role="status"><p>{st.fill(Staff::GridNotInOffers, &[("status", &st.seller_status(page.status))])}</p></div>
                                })}
                                <p class="actions">
                                    <a class="button" href="/seller/prices.csv" rel="external" download="">{st.get(Staff::GridExportCsv)}</a>
                                    <a class="button" href="/seller/prices/import">{st.get(Staff::GridImportCsv)}</a>
                                    <a class="button" href="/seller/markets">{st.get(Staff::GridMarkets)}</a>
                                    <a class="button" href="/seller">{st.get(Staff::GridRefurbisherArea)}</a>
                                </p>
                                <BuyingSettings page=page.clone() on_saved=refresh/>
                                <Filters page=page.clone()/>
                                <p class="muted" role="status">{st.fill(Staff::GridSummary, &[("total", &page.total), ("page", &page.page), ("pages", &page.pages)])}</p>
                                <div class="grid-scroll">
                                    <table class="table price-grid">
                                        <caption class="visually-hidden">{st.get(Staff::GridCaption)}</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col"><span class="visually-hidden">{st.get(Staff::GridSelect)}</span></th>
                                                <th scope="col">{st.get(Staff::GridVariant)}</th>
                                                {Grade::ALL.into_iter().map(|g| view! { <th scope="col">{t.grade(g)}</th> }).collect_view()}
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
                                                                aria-label=st.fill(Staff::GridSelectRow, &[("variant", &row.name)])
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
                                <nav class="pager" aria-label=st.get(Staff::GridPages)>
                                    {(page.page > 1).then(|| view! { <a href=prev rel="prev">{st.get(Staff::GridPreviousPage)}</a> })}
                                    {(page.page < page.pages).then(|| view! { <a href=next rel="next">{st.get(Staff::GridNextPage)}</a> })}
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
