//! A person's sessions: where they are signed in, and ending them.

use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::platform::db::db_error;
use crate::platform::session::{self, repo};
use crate::platform::state::AppState;

/// One live session as its owner sees it.
pub struct SessionView {
    pub handle: String,
    /// "Chrome on Linux", from the browser's user agent.
    pub device: String,
    /// The browser's user agent, to name it in the page's language
    /// (`device_in`).
    pub user_agent: String,
    /// The client address it started from.
    pub client: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The session of the browser asking.
    pub current: bool,
}

/// Names a browser and system from a user agent (woothee's tables), in
/// English (the data export's).
pub fn device(user_agent: &str) -> String {
    device_in(
        crate::i18n::Texts::of(crate::domain::market::Market::EnGb),
        user_agent,
    )
}

/// `device` in a page's language.
pub fn device_in(t: crate::i18n::Texts, user_agent: &str) -> String {
    use crate::i18n::Msg;
    let parser = woothee::parser::Parser::new();
    match parser.parse(user_agent) {
        Some(r) if r.name != "UNKNOWN" && r.os != "UNKNOWN" => t.fill(
            Msg::SessionsBrowserOn,
            &[("browser", &r.name), ("system", &r.os)],
        ),
        Some(r) if r.name != "UNKNOWN" => r.name.to_string(),
        _ => t.get(Msg::SessionsUnknownBrowser).to_string(),
    }
}

pub async fn list(
    state: &AppState,
    headers: &http::HeaderMap,
    user_id: UserId,
) -> Result<Vec<SessionView>, AppError> {
    let this = session::this_session(state, headers);
    let rows = repo::list(state.db.pool(), user_id, state.clock.now_ms())
        .await
        .map_err(db_error)?;
    Ok(rows
        .into_iter()
        .map(|r| SessionView {
            current: this.contains(&r.token_hash),
            device: device(&r.user_agent),
            user_agent: r.user_agent,
            handle: r.handle,
            client: r.client,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
        })
        .collect())
}

/// Ends one of the person's own sessions by its handle.
pub async fn end(state: &AppState, user_id: UserId, handle: &str) -> Result<(), AppError> {
    if repo::delete_by_handle(state.db.pool(), user_id, handle)
        .await
        .map_err(db_error)?
    {
        tracing::info!(user_id = user_id.get(), "a session was ended by its owner");
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Ends every session of the person but this browser's; how many.
pub async fn end_others(
    state: &AppState,
    headers: &http::HeaderMap,
    user_id: UserId,
) -> Result<u64, AppError> {
    let this = session::this_session(state, headers);
    let ended = repo::delete_all_but(state.db.pool(), user_id, this.first().map(String::as_str))
        .await
        .map_err(db_error)?;
    tracing::info!(
        user_id = user_id.get(),
        ended,
        "other sessions ended by their owner"
    );
    Ok(ended)
}

#[cfg(test)]
mod tests {
    #[test]
    fn devices_are_named_from_the_user_agent() {
        assert_eq!(
            super::device("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"),
            "Chrome on Linux"
        );
        assert_eq!(super::device(""), "Unknown browser");
        assert_eq!(super::device("reqwest"), "Unknown browser");
    }
}
