//! Seller API tokens: what a token may do (its scopes), its name and its
//! lifetime. Making and hashing a token is the server's (`features::
//! api_tokens`); these are the rules both the form and the API apply.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a token may do. A route names the one scope it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    ListingsRead,
    ListingsWrite,
    OrdersRead,
    OrdersWrite,
    WebhooksManage,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::ListingsRead,
        Scope::ListingsWrite,
        Scope::OrdersRead,
        Scope::OrdersWrite,
        Scope::WebhooksManage,
    ];

    /// As OAuth writes scopes, and as the API's documentation names them.
    pub fn code(self) -> &'static str {
        match self {
            Scope::ListingsRead => "listings:read",
            Scope::ListingsWrite => "listings:write",
            Scope::OrdersRead => "orders:read",
            Scope::OrdersWrite => "orders:write",
            Scope::WebhooksManage => "webhooks:manage",
        }
    }

    pub fn parse(code: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A token's scopes, at least one, each once, in `Scope::ALL`'s order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scopes(Vec<Scope>);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("choose at least one scope")]
    NoScope,
    #[error("\"{0}\" is not a scope")]
    UnknownScope(String),
    #[error("give the token a name, so you can tell it from the others")]
    NameEmpty,
    #[error("use at most {MAX_NAME} characters")]
    NameTooLong,
    #[error("a token lasts from 1 to {MAX_DAYS} days, or leave it empty for no expiry")]
    Lifetime,
}

pub const MAX_NAME: usize = 80;
/// Two years: a token that must outlive this is better replaced.
pub const MAX_DAYS: i64 = 730;

impl Scopes {
    pub fn new(chosen: impl IntoIterator<Item = Scope>) -> Result<Scopes, TokenError> {
        let mut scopes: Vec<Scope> = chosen.into_iter().collect();
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            return Err(TokenError::NoScope);
        }
        Ok(Scopes(scopes))
    }

    /// The stored form: codes separated by spaces.
    pub fn parse(stored: &str) -> Result<Scopes, TokenError> {
        let scopes = stored
            .split_whitespace()
            .map(|c| {
                Scope::parse(c)
                    .ok_or_else(|| TokenError::UnknownScope(c.chars().take(40).collect()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Scopes::new(scopes)
    }

    pub fn allows(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes: Vec<&str> = self.0.iter().map(|s| s.code()).collect();
        f.write_str(&codes.join(" "))
    }
}

/// A token's name as typed: trimmed, not empty, not too long.
pub fn token_name(typed: &str) -> Result<String, TokenError> {
    let name = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        Err(TokenError::NameEmpty)
    } else if name.chars().count() > MAX_NAME {
        Err(TokenError::NameTooLong)
    } else {
        Ok(name)
    }
}

/// The lifetime typed in days; None (empty) for a token that does not
/// expire.
pub fn lifetime_days(typed: &str) -> Result<Option<i64>, TokenError> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(d) if (1..=MAX_DAYS).contains(&d) => Ok(Some(d)),
        _ => Err(TokenError::Lifetime),
    }
}

/// Why a token is refused when it is presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unusable {
    Revoked,
    Expired,
}

/// Whether a stored token still works at `now`.
pub fn usable(revoked_at: Option<i64>, expires_at: Option<i64>, now: i64) -> Result<(), Unusable> {
    if revoked_at.is_some() {
        Err(Unusable::Revoked)
    } else if expires_at.is_some_and(|at| at <= now) {
        Err(Unusable::Expired)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_back_what_is_stored_and_refuse_the_rest() {
        let s = Scopes::new([Scope::OrdersWrite, Scope::ListingsRead, Scope::OrdersWrite]).unwrap();
        assert_eq!(s.to_string(), "listings:read orders:write");
        assert_eq!(Scopes::parse(&s.to_string()), Ok(s.clone()));
        assert!(s.allows(Scope::ListingsRead) && !s.allows(Scope::ListingsWrite));
        assert_eq!(Scopes::new([]), Err(TokenError::NoScope));
        assert_eq!(
            Scopes::parse("listings:read admin"),
            Err(TokenError::UnknownScope("admin".into()))
        );
    }

    #[test]
    fn names_and_lifetimes_are_checked() {
        assert_eq!(token_name("  ERP   sync "), Ok("ERP sync".into()));
        assert_eq!(token_name("   "), Err(TokenError::NameEmpty));
        assert_eq!(token_name(&"x".repeat(81)), Err(TokenError::NameTooLong));
        assert_eq!(lifetime_days(""), Ok(None));
        assert_eq!(lifetime_days(" 90 "), Ok(Some(90)));
        for bad in ["0", "731", "-3", "ninety", "1.5"] {
            assert_eq!(lifetime_days(bad), Err(TokenError::Lifetime), "{bad}");
        }
    }

    #[test]
    fn a_revoked_or_expired_token_does_not_work() {
        assert_eq!(usable(None, None, 10), Ok(()));
        assert_eq!(usable(None, Some(11), 10), Ok(()));
        assert_eq!(usable(None, Some(10), 10), Err(Unusable::Expired));
        assert_eq!(usable(Some(5), Some(100), 10), Err(Unusable::Revoked));
    }
}
