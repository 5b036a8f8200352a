//! What a person types at the second step of signing in: the six digits
//! their authenticator app shows (RFC 6238), or one of their recovery codes.
//! The codes themselves are made and checked on the server
//! (`features::accounts::service::two_factor`).

use serde::{Deserialize, Serialize};

/// How many recovery codes an account holds at a time.
pub const RECOVERY_CODES: usize = 10;
/// Characters of a recovery code: lower-case letters and digits without
/// the ones read alike (0/o, 1/l/i): ten of them hold about 49 bits.
pub const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Characters in a recovery code, written as two groups of five.
pub const RECOVERY_LEN: usize = 10;

/// A code as typed, once its shape is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TypedCode {
    /// Six digits from the app.
    App(String),
    /// A recovery code, lower-cased without its dash or spaces.
    Recovery(String),
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("enter the 6-digit code from your authenticator app")]
    Empty,
    #[error("enter the 6 digits your authenticator app shows, or one of your recovery codes")]
    Shape,
}

/// Reads what was typed: spaces and dashes are ignored (apps show
/// `123 456`, recovery codes are printed `abcde-fghjk`).
pub fn parse_code(input: &str) -> Result<TypedCode, CodeError> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_lowercase();
    if compact.is_empty() {
        return Err(CodeError::Empty);
    }
    if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(TypedCode::App(compact));
    }
    if compact.len() == RECOVERY_LEN && compact.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        return Ok(TypedCode::Recovery(compact));
    }
    Err(CodeError::Shape)
}

/// A recovery code as printed for its owner: `abcde-fghjk`.
pub fn printed(code: &str) -> String {
    if code.len() == RECOVERY_LEN && code.is_ascii() {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_string()
    }
}

/// A base32 secret as an app's "enter a key" screen wants it: groups of
/// four, easier to copy by eye.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_app_codes_and_recovery_codes() {
        assert_eq!(parse_code(" 123 456 "), Ok(TypedCode::App("123456".into())));
        assert_eq!(
            parse_code("ABCDE-FGHJK"),
            Ok(TypedCode::Recovery("abcdefghjk".into()))
        );
        assert_eq!(parse_code(""), Err(CodeError::Empty));
        assert_eq!(parse_code("12345"), Err(CodeError::Shape));
        assert_eq!(parse_code("1234567"), Err(CodeError::Shape));
        // 0, 1, i, l and o are never in a recovery code.
        assert_eq!(parse_code("abcde-fghi0"), Err(CodeError::Shape));
        assert_eq!(parse_code("12345a"), Err(CodeError::Shape));
    }

    #[test]
    fn prints_in_groups() {
        assert_eq!(printed("abcdefghjk"), "abcde-fghjk");
        assert_eq!(grouped("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
    }
}
