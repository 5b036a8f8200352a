//! Two-factor sign-in as the pages use it: the code step of signing in,
//! and setting up an authenticator app from the account.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a right password leads when the account needs a code too.
pub const CODE_PATH: &str = "/login/code";

/// Where a first factor leads: the code step, or the person's landing page.
#[cfg(feature = "ssr")]
pub(super) fn after_first_factor(
    signed_in: &crate::features::accounts::service::SignedIn,
    next: Option<&str>,
) -> String {
    if signed_in.needs_code {
        crate::ui::return_to::with_next(CODE_PATH, next.unwrap_or_default())
    } else {
        super::landing(next, signed_in.role)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeForm {
    pub code: String,
    pub next: Option<String>,
}

/// The second step of signing in.
#[server(prefix = "/api", endpoint = "sign_in_code")]
pub async fn sign_in_code(#[server(flatten)] form: CodeForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{append_header, guard, Access};
    let g = guard(Access::Public).await?;
    if form.code.len() > 64 {
        return Err(super::refused::invalid(
            "code",
            crate::i18n::Msg::ErrorCodeTooLong,
        ));
    }
    let done = crate::features::accounts::service::two_factor::sign_in_with_code(
        &g.state,
        &g.parts.headers,
        &g.client_ip(),
        &form.code,
    )
    .await?;
    for cookie in &done.set_cookies {
        append_header(http::header::SET_COOKIE, cookie);
    }
    leptos_axum::redirect(&super::landing(form.next.as_deref(), done.role));
    Ok(())
}

/// An app being set up, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingApp {
    /// The secret in groups of four, to type by hand.
    pub secret: String,
    pub otpauth_url: String,
    /// The QR code of `otpauth_url`, as SVG made on the server.
    pub qr_svg: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorView {
    pub enabled: bool,
    /// Refurbisher and operations accounts cannot do without it.
    pub required: bool,
    pub codes_left: i64,
    pub pending: Option<PendingApp>,
    pub fresh_codes: Option<Vec<String>>,
}

#[server(prefix = "/api", endpoint = "two_factor")]
pub async fn load_two_factor() -> Result<TwoFactorView, AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user()?;
    let status =
        crate::features::accounts::service::two_factor::status(&g.state, user.id, &user.email)
            .await?;
    Ok(TwoFactorView {
        enabled: status.enabled,
        required: user.role.requires_two_factor(),
        codes_left: status.codes_left,
        pending: status.pending.map(|p| PendingApp {
            secret: crate::domain::two_factor::grouped(&p.secret),
            otpauth_url: p.otpauth_url,
            qr_svg: p.qr_svg,
        }),
        fresh_codes: status.fresh_codes.map(|codes| {
            codes
                .iter()
                .map(|c| crate::domain::two_factor::printed(c))
                .collect()
        }),
    })
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordForm {
    pub current_password: String,
}

/// Starts setting up an authenticator app (or replacing one).
#[server(prefix = "/api", endpoint = "start_two_factor")]
pub async fn start_two_factor(#[server(flatten)] form: PasswordForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user()?;
    crate::features::accounts::service::two_factor::start(
        &g.state,
        user.id,
        &g.client_ip(),
        form.current_password,
    )
    .await
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmForm {
    pub code: String,
}

/// Confirms the app being set up with a code it shows.
#[server(prefix = "/api", endpoint = "confirm_two_factor")]
pub async fn confirm_two_factor(#[server(flatten)] form: ConfirmForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user()?;
    if form.code.len() > 64 {
        return Err(super::refused::invalid(
            "code",
            crate::i18n::Msg::ErrorCodeTooLong,
        ));
    }
    crate::features::accounts::service::two_factor::confirm(
        &g.state,
        &g.parts.headers,
        user.id,
        &user.email,
        &form.code,
    )
    .await
}

/// Ten new recovery codes; the old ones stop working.
#[server(prefix = "/api", endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes(#[server(flatten)] form: PasswordForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user()?;
    crate::features::accounts::service::two_factor::renew_codes(
        &g.state,
        user.id,
        &g.client_ip(),
        form.current_password,
    )
    .await
}

/// The recovery codes shown are saved: the page stops showing them.
#[server(prefix = "/api", endpoint = "recovery_codes_saved")]
pub async fn recovery_codes_saved() -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user()?;
    crate::features::accounts::service::two_factor::codes_saved(&g.state, user.id).await
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnOffForm {
    pub current_password: String,
    pub code: String,
}

/// A consumer goes back to signing in with a password alone.
#[server(prefix = "/api", endpoint = "turn_off_two_factor")]
pub async fn turn_off_two_factor(#[server(flatten)] form: TurnOffForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user()?;
    if form.code.len() > 64 {
        return Err(super::refused::invalid(
            "code",
            crate::i18n::Msg::ErrorCodeTooLong,
        ));
    }
    crate::features::accounts::service::two_factor::turn_off(
        &g.state,
        user.id,
        &g.client_ip(),
        form.current_password,
        &form.code,
    )
    .await
}
