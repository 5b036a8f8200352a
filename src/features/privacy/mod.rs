//! My data (GDPR articles 15, 17 and 20): everything the marketplace
//! holds about the person asking, as one JSON file downloaded from their
//! data page (`GET /account/data.json`, or with full IBANs after the
//! password: `POST /account/data`), and deleting the account.

#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteAccountForm {
    pub current_password: String,
    /// The "I understand" box: absent when not ticked.
    #[serde(default)]
    pub confirm: Option<String>,
}

/// Deletes the signed-in consumer's account and signs them out everywhere.
#[server(prefix = "/api", endpoint = "delete_account")]
pub async fn delete_account(#[server(flatten)] form: DeleteAccountForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{append_header, guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user()?;
    if form.confirm.as_deref() != Some("yes") {
        return Err(AppError::invalid(
            "confirm",
            crate::i18n::document_texts().get(crate::i18n::Msg::EraseErrorConfirm),
        ));
    }
    let cleared =
        service::erase::delete_account(&g.state, user.id, &g.client_ip(), form.current_password)
            .await?;
    append_header(http::header::SET_COOKIE, &cleared);
    leptos_axum::redirect("/account/deleted");
    Ok(())
}
