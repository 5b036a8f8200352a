//! The signed-in user as the whole app sees it, and signing out.

use crate::domain::user::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Public).await?;
    Ok(g.user)
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::platform::session as auth;
    use crate::platform::session::guard::{append_header, guard, Access, OrInternal};
    let g = guard(Access::Public).await?;
    auth::end_session(g.state.db.pool(), &g.state, &g.parts.headers)
        .await
        .or_internal(&g)?;
    append_header(
        http::header::SET_COOKIE,
        &auth::expired_session_cookie(g.state.config.cookies_secure()),
    );
    leptos_axum::redirect("/");
    Ok(())
}

#[derive(Clone, Copy)]
pub struct Session {
    pub user: crate::ui::data::Data<Result<Option<CurrentUser>, AppError>>,
}

/// Re-reads the user after each navigation (sign-in ends in one). Signing
/// out is a plain form post (`SignOutButton`) that ends on a freshly loaded
/// home page.
pub fn provide_session() {
    let location = leptos_router::hooks::use_location();
    let user = crate::ui::data::load(move || location.pathname.get(), |_| get_current_user());
    provide_context(Session { user });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
