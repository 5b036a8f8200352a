//! Accounts: what signing up and signing in do, one transaction each.

use crate::platform::state::AppState;

/// Forgets sign-in attempts older than `before` (housekeeping).
pub async fn forget_attempts_before(state: &AppState, before: i64) -> Result<u64, sqlx::Error> {
    crate::features::accounts::repo::login_attempts::delete_older_than(state.db.pool(), before)
        .await
}
