//! `POST /listings/bulk`: up to 100,000 price rows in one call, checked as
//! a price file's rows are (the same checks, the same per-row problems and
//! their codes) and applied all or nothing.

use super::auth::Caller;
use super::problem::{FieldProblem, Problem};
use crate::domain::api_token::Scope;
use crate::domain::listing_price::PriceError;
use crate::domain::money::AmountError;
use crate::domain::price_csv::{read_row, Parsed, RowError, RowFields, RowProblem};
use crate::features::pricing::service as pricing;
use crate::platform::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MAX_ROWS: usize = 100_000;
/// Problems listed in a refusal (all are counted).
const LISTED: usize = 500;

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRow {
    #[schema(
        example = "fr-fr",
        pattern = "^(?:fr-fr|de-de|es-es|it-it|en-gb|en-us)$"
    )]
    pub market: String,
    #[schema(
        example = "iphone-13-128gb",
        pattern = "^[a-z0-9]+(?:-[a-z0-9]+)*$",
        max_length = 80
    )]
    pub sku: String,
    #[schema(
        example = "functional_good",
        pattern = "^(?:functional_flawless|functional_good|functional_used|functional_cracked|not_functional_used|not_functional_cracked)$"
    )]
    pub grade: String,
    /// A decimal in the market's currency from 1 to 5000; `null` stops
    /// buying this cell.
    #[schema(
        example = "312.00",
        pattern = "^(?:[1-9][0-9]{0,2}|[1-4][0-9]{3})(?:\\.[0-9]{1,2})?$|^5000(?:\\.0{1,2})?$"
    )]
    pub price: Option<String>,
    /// Devices per week at most; `null` or absent for no cap.
    #[serde(default, deserialize_with = "super::json::optional_integer")]
    #[schema(minimum = 0, maximum = 100000)]
    pub weekly_cap: Option<i64>,
    /// The market's currency, checked when given (as a price file's
    /// currency column is).
    #[serde(default, deserialize_with = "super::json::present_string")]
    #[schema(value_type = String, example = "EUR", pattern = "^(?:EUR|GBP|USD)$")]
    pub currency: Option<String>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    #[schema(min_items = 1, max_items = 100000)]
    pub rows: Vec<BulkRow>,
    /// The rows are your whole grid in their markets: every cell they leave
    /// out there stops buying.
    #[serde(default)]
    pub replace_all: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BulkResult {
    pub new: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
}

/// Sets many prices at once, all or nothing.
#[utoipa::path(post, path = "/listings/bulk", tag = "listings",
    request_body = BulkRequest,
    responses(
        (status = 200, body = BulkResult, description = "Every row applied"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Nothing applied; `errors` names each bad row as `/rows/{index}` with its code"),
    ),
    security(("bearer" = ["listings:write"])))]
pub async fn bulk(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<BulkRequest>, JsonRejection>,
) -> Result<Json<BulkResult>, Problem> {
    caller.needs(Scope::ListingsWrite)?;
    let Json(req) = body.map_err(|e| Problem::field("body", e.body_text()))?;
    if req.rows.is_empty() || req.rows.len() > MAX_ROWS {
        return Err(Problem::field("rows", format!("send 1 to {MAX_ROWS} rows")));
    }
    let ctx = pricing::seller_ctx(&state, caller.0.user_id).await?;
    let mut parsed = Parsed::default();
    for (index, row) in req.rows.iter().enumerate() {
        let cap = row.weekly_cap.map(|c| c.to_string()).unwrap_or_default();
        let fields = RowFields {
            market: Some(&row.market),
            currency: row.currency.as_deref().unwrap_or_default(),
            sku: &row.sku,
            grade: &row.grade,
            price: row.price.as_deref().unwrap_or_default(),
            weekly_cap: &cap,
        };
        match read_row(index, fields, ctx.home_market) {
            // A file's empty cell stops buying; here that is `null`, and an
            // empty string is no price.
            Ok(r) if row.currency.as_deref().is_some_and(|c| c.trim().is_empty()) => {
                parsed.errors.push(RowError {
                    line: index,
                    problem: RowProblem::WrongCurrency {
                        market: r.market,
                        found: String::new(),
                    },
                })
            }
            Ok(r) if row.price.as_deref().is_some_and(|p| p.trim().is_empty()) => {
                parsed.errors.push(RowError {
                    line: index,
                    problem: RowProblem::Price(
                        PriceError::Amount(AmountError::Empty),
                        r.market.currency(),
                    ),
                })
            }
            Ok(r) => parsed.rows.push(r),
            Err(problem) => parsed.errors.push(RowError {
                line: index,
                problem,
            }),
        }
    }
    match pricing::apply_rows(&state, &ctx, parsed, req.replace_all).await? {
        Ok(c) => Ok(Json(BulkResult {
            new: c.new,
            changed: c.changed,
            removed: c.removed,
            unchanged: c.unchanged,
        })),
        Err(errors) => {
            let count = errors.count();
            let mut problem = Problem::invalid(
                errors
                    .first()
                    .iter()
                    .take(LISTED)
                    .map(|e| FieldProblem {
                        field: format!("/rows/{}", e.line),
                        code: Some(e.problem.code().to_string()),
                        detail: e.problem.to_string(),
                    })
                    .collect(),
            );
            problem.detail = Some(format!("{count} rows have problems; nothing was applied"));
            Err(problem)
        }
    }
}
