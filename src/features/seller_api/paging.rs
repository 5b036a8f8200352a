//! How list endpoints read their query string: a cursor, a page size and an
//! `updated_since` moment, each refused beside its name when it does not
//! read; and how the API writes moments (RFC 3339, UTC).

use super::problem::{FieldProblem, Problem};
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1_000;

/// A query string's parameters, or 422 naming what did not read.
pub fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, Problem> {
    q.map(|Query(t)| t)
        .map_err(|e| Problem::field("query", e.body_text()))
}

/// (after which id, how many), or 422 naming each parameter that is wrong.
pub fn paging(cursor: Option<&str>, limit: Option<i64>) -> Result<(i64, i64), Problem> {
    let mut errors = Vec::new();
    let after = match cursor {
        None => 0,
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .unwrap_or_else(|| {
                errors.push(FieldProblem {
                    field: "cursor".into(),
                    code: None,
                    detail: "not a cursor this API gave".into(),
                });
                0
            }),
    };
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(FieldProblem {
            field: "limit".into(),
            code: None,
            detail: format!("from 1 to {MAX_LIMIT}"),
        });
    }
    if errors.is_empty() {
        Ok((after, limit))
    } else {
        Err(Problem::invalid(errors))
    }
}

/// The cursor after this page, when it was full.
pub fn next(last: Option<i64>, got: usize, limit: i64) -> Option<String> {
    (got as i64 == limit)
        .then_some(last)
        .flatten()
        .map(|id| id.to_string())
}

/// A moment as the API writes it: `2026-12-08T09:30:00.25Z`.
pub use crate::platform::zone::rfc3339 as moment;

/// `updated_since` as milliseconds: an RFC 3339 moment with its offset
/// (`2026-12-08T09:30:00Z`); 0 when absent.
pub fn since(text: Option<&str>) -> Result<i64, Problem> {
    match text {
        None => Ok(0),
        Some(t) => t
            .parse::<jiff::Timestamp>()
            .map(|t| t.as_millisecond())
            .map_err(|_| {
                Problem::field(
                    "updated_since",
                    "an RFC 3339 moment with its offset, such as 2026-12-08T09:30:00Z",
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_written_and_read_in_utc() {
        assert_eq!(moment(1_796_724_000_250), "2026-12-08T10:00:00.25Z");
        assert_eq!(
            since(Some("2026-12-08T11:00:00.25+01:00")).unwrap(),
            1_796_724_000_250
        );
        assert_eq!(since(None).unwrap(), 0);
        assert_eq!(since(Some("2026-12-08")).unwrap_err().status, 422);
    }
}
