//! How the API reads JSON values whose meaning serde's defaults get wrong
//! for it. JSON Schema counts `3.0` as an integer, so a whole number
//! written with a fraction part is one; and a field that is present but
//! `null` differs from one left out.

use serde::{Deserialize, Deserializer};

fn whole<E: serde::de::Error>(n: serde_json::Number) -> Result<i64, E> {
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 => Ok(f as i64),
        _ => Err(E::custom(format!("{n} is not a whole number"))),
    }
}

/// A whole number, `3` or `3.0`.
pub fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    whole(serde_json::Number::deserialize(d)?)
}

/// A whole number or `null`; `None` only when `null`.
pub fn optional_integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Option::<serde_json::Number>::deserialize(d)?
        .map(whole)
        .transpose()
}

/// Present, even as `null`: `Some(None)`; left out (with
/// `#[serde(default)]`): `None`.
pub fn present_integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    optional_integer(d).map(Some)
}

/// A string that, when present, must be one (not `null`).
pub fn present_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}
