//! Accounts: sign-up, sign-in, sign-out and the session the pages see.

#[cfg(feature = "ssr")]
mod emails;
#[cfg(feature = "ssr")]
mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod two_factor;
pub mod views;

use crate::domain::user::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the accounts' forms refuse, in the language of the page that
/// posted (the visitor's: `i18n::document_texts`). The domain's errors keep
/// their English `Display` for the logs.
#[cfg(feature = "ssr")]
pub(crate) mod refused {
    use crate::domain::account::{
        EmailError, NameError, PasswordError, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS,
    };
    use crate::domain::two_factor::CodeError;
    use crate::error::AppError;
    use crate::i18n::{document_texts, Msg, Texts};

    /// A text of the request's language.
    pub fn text(msg: Msg) -> String {
        document_texts().get(msg).to_string()
    }

    /// `field` refused with `msg`.
    pub fn invalid(field: &str, msg: Msg) -> AppError {
        AppError::invalid(field, text(msg))
    }

    pub fn email(e: &EmailError) -> String {
        email_in(document_texts(), e)
    }

    pub fn password(e: &PasswordError) -> String {
        password_in(document_texts(), e)
    }

    pub fn code(e: &CodeError) -> String {
        code_in(document_texts(), e)
    }

    pub fn name(e: &NameError) -> String {
        use crate::i18n::errors::Localized;
        e.text(document_texts())
    }

    fn email_in(t: Texts, e: &EmailError) -> String {
        t.get(match e {
            EmailError::Empty => Msg::ErrorEmailEmpty,
            EmailError::Invalid => Msg::ErrorEmailInvalid,
            EmailError::TooLong => Msg::ErrorEmailTooLong,
        })
        .to_string()
    }

    fn password_in(t: Texts, e: &PasswordError) -> String {
        match e {
            PasswordError::TooShort => {
                t.fill(Msg::ErrorPasswordShort, &[("min", &PASSWORD_MIN_CHARS)])
            }
            PasswordError::TooLong => t.fill(Msg::ErrorTooLong, &[("max", &PASSWORD_MAX_CHARS)]),
            PasswordError::TooCommon => t.get(Msg::ErrorPasswordCommon).to_string(),
        }
    }

    fn code_in(t: Texts, e: &CodeError) -> String {
        t.get(match e {
            CodeError::Empty => Msg::ErrorCodeEmpty,
            CodeError::Shape => Msg::ErrorCodeShape,
        })
        .to_string()
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::market::Market;

        #[test]
        fn english_says_what_the_domain_says() {
            let en = Texts::of(Market::EnGb);
            for e in [EmailError::Empty, EmailError::Invalid, EmailError::TooLong] {
                assert_eq!(email_in(en, &e), e.to_string());
            }
            for e in [
                PasswordError::TooShort,
                PasswordError::TooLong,
                PasswordError::TooCommon,
            ] {
                assert_eq!(password_in(en, &e), e.to_string());
            }
            for e in [CodeError::Empty, CodeError::Shape] {
                assert_eq!(code_in(en, &e), e.to_string());
            }
            let de = Texts::of(Market::DeDe);
            assert!(password_in(de, &PasswordError::TooShort).contains("10"));
            assert_ne!(code_in(de, &CodeError::Empty), CodeError::Empty.to_string());
        }
    }
}

/// Where to go after signing in: only paths on this site, so a crafted link
/// cannot bounce a person to another site ("open redirect"). Browsers drop
/// tabs and newlines anywhere in an address and read `\\` as `/`, so
/// `/<TAB>/evil.example` is `//evil.example` to them: only visible ASCII
/// without a backslash is taken, which is all a path of ours ever holds
/// (anything else arrives percent-encoded).
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && p.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
                && !p.contains("://")
                && p.len() <= 512 =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/seller")), "/seller");
        assert_eq!(safe_next(Some("/sell/x?y=1")), "/sell/x?y=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{a0}/evil.example",
            "/a\\evil",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}

/// The sign-in form as it was typed; `next` is where the page wants to go
/// afterwards (checked by `safe_next`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: Option<String>,
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: LoginForm,
) -> Result<(), AppError> {
    use crate::domain::account::Email;
    use crate::error::FieldErrors;
    use crate::i18n::Msg;
    use crate::platform::session::guard::{append_header, guard, Access};

    let g = guard(Access::Public).await?;
    let LoginForm {
        email,
        password,
        next,
    } = form;
    let mut errors = FieldErrors::new();
    let email = errors.check(
        "email",
        Email::parse(&email).map_err(|e| refused::email(&e)),
    );
    if password.is_empty() {
        errors.add("password", refused::text(Msg::ErrorEnterPassword));
    } else if password.len() > 1024 {
        errors.add("password", refused::text(Msg::ErrorPasswordTooLong));
    }
    errors.into_result()?;
    let email = email.expect("checked above");

    let signed_in = crate::features::accounts::service::sign_in(
        &g.state,
        &g.parts.headers,
        &email,
        password,
        &g.client_ip(),
    )
    .await?;
    append_header(http::header::SET_COOKIE, &signed_in.set_cookie);
    leptos_axum::redirect(&two_factor::after_first_factor(&signed_in, next.as_deref()));
    Ok(())
}

/// The consumer sign-up form as it was typed; `next` as for `LoginForm`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupForm {
    pub name: String,
    pub email: String,
    pub password: String,
    pub next: Option<String>,
}

#[server(prefix = "/api", endpoint = "signup")]
pub async fn signup(
    // Flattened: the form's fields keep their names on the wire.
    #[server(flatten)] form: SignupForm,
) -> Result<(), AppError> {
    use crate::domain::account::{check_new_password, parse_display_name, Email};
    use crate::error::FieldErrors;
    use crate::features::accounts::service::NewAccount;

    use crate::platform::session::guard::{append_header, guard, Access};

    let g = guard(Access::Public).await?;
    let SignupForm {
        name,
        email,
        password,
        next,
    } = form;
    let mut errors = FieldErrors::new();
    let name = errors.check(
        "name",
        parse_display_name(&name).map_err(|e| refused::name(&e)),
    );
    let email = errors.check(
        "email",
        Email::parse(&email).map_err(|e| refused::email(&e)),
    );
    errors.check(
        "password",
        check_new_password(
            &password,
            email.as_ref().map(|e| e.as_str()).unwrap_or_default(),
        )
        .map_err(|e| refused::password(&e)),
    );
    errors.into_result()?;
    let (name, email) = (name.expect("checked"), email.expect("checked"));

    match crate::features::accounts::service::sign_up(
        &g.state,
        &g.parts.headers,
        &name,
        &email,
        password,
        &g.client_ip(),
    )
    .await?
    {
        NewAccount::Created(cookie) => {
            append_header(http::header::SET_COOKIE, &cookie);
            leptos_axum::redirect(&crate::features::accounts::safe_next(
                next.as_deref().filter(|n| !n.trim().is_empty()),
            ));
        }
        NewAccount::Known => leptos_axum::redirect(LINK_SENT_PATH),
    }
    Ok(())
}

/// Where a sign-in link request, and a sign-up with a known address, end:
/// the same page, whether or not the address has an account.
pub const LINK_SENT_PATH: &str = "/login/link/sent";

/// Asks for a sign-in link by email.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInLinkRequest {
    pub email: String,
}

#[server(prefix = "/api", endpoint = "request_sign_in_link")]
pub async fn request_sign_in_link(
    #[server(flatten)] form: SignInLinkRequest,
) -> Result<(), AppError> {
    use crate::domain::account::Email;
    use crate::platform::session::guard::{guard, Access};

    let g = guard(Access::Public).await?;
    let email =
        Email::parse(&form.email).map_err(|e| AppError::invalid("email", refused::email(&e)))?;
    crate::features::accounts::service::request_sign_in_link(&g.state, &email, &g.client_ip())
        .await?;
    leptos_axum::redirect(LINK_SENT_PATH);
    Ok(())
}

/// The token of an emailed sign-in link, posted from the page the link
/// opens (a link itself only shows that page: mail scanners that follow
/// links must not use it up).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInLinkForm {
    pub token: String,
}

#[server(prefix = "/api", endpoint = "sign_in_with_link")]
pub async fn sign_in_with_link(#[server(flatten)] form: SignInLinkForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{append_header, guard, Access};

    let g = guard(Access::Public).await?;
    let token = checked_token(&form.token)?;
    let signed_in = crate::features::accounts::service::sign_in_with_link(
        &g.state,
        &g.parts.headers,
        token,
        &g.client_ip(),
    )
    .await?;
    append_header(http::header::SET_COOKIE, &signed_in.set_cookie);
    leptos_axum::redirect(&two_factor::after_first_factor(&signed_in, None));
    Ok(())
}

/// Where a person lands after signing in: the page they came from, or
/// their role's home.
#[cfg(feature = "ssr")]
fn landing(next: Option<&str>, role: crate::domain::account::Role) -> String {
    use crate::domain::account::Role;
    let page = match (next.filter(|n| !n.trim().is_empty()), role) {
        (Some(n), _) => safe_next(Some(n)),
        (None, Role::Seller) => "/seller".into(),
        (None, Role::Ops) => "/ops".into(),
        (None, Role::Customer) => "/".into(),
    };
    // `/` is no page of the browser's router (the server picks a market
    // for it): a redirect followed in the browser goes to the market home.
    if page == "/" {
        crate::platform::http::markets::of_request().path("")
    } else {
        page
    }
}

#[server(prefix = "/api", endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Public).await?;
    Ok(g.user)
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::platform::session::guard::{append_header, guard, Access};
    let g = guard(Access::Public).await?;
    let cleared = crate::features::accounts::service::sign_out(&g.state, &g.parts.headers).await?;
    append_header(http::header::SET_COOKIE, &cleared);
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

/// A token from an emailed link, posted from the page the link opens (a
/// link itself only shows that page: mail scanners that follow links must
/// not use it up).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenForm {
    pub token: String,
}

#[cfg(feature = "ssr")]
fn checked_token(token: &str) -> Result<&str, AppError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(refused::invalid(
            "token",
            crate::i18n::Msg::ErrorLinkIncomplete,
        ));
    }
    Ok(token)
}

/// Confirms the address of the link's account (whoever is signed in here).
#[server(prefix = "/api", endpoint = "verify_email")]
pub async fn verify_email(#[server(flatten)] form: TokenForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Public).await?;
    crate::features::accounts::service::links::verify_email(&g.state, checked_token(&form.token)?)
        .await?;
    leptos_axum::redirect("/account?verified=1");
    Ok(())
}

/// Mails the verification link again; false when nothing was sent.
#[server(prefix = "/api", endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<bool, AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user.as_ref().ok_or(AppError::Unauthenticated)?;
    crate::features::accounts::service::links::resend_verification(&g.state, user.id).await
}

/// Where a reset request ends: the same words whether or not the address
/// has an account.
pub const RESET_SENT_PATH: &str = "/login/reset/sent";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetRequest {
    pub email: String,
}

#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(#[server(flatten)] form: ResetRequest) -> Result<(), AppError> {
    use crate::domain::account::Email;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Public).await?;
    let email =
        Email::parse(&form.email).map_err(|e| AppError::invalid("email", refused::email(&e)))?;
    crate::features::accounts::service::links::request_password_reset(
        &g.state,
        &email,
        &g.client_ip(),
    )
    .await?;
    leptos_axum::redirect(RESET_SENT_PATH);
    Ok(())
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPasswordForm {
    pub token: String,
    pub password: String,
}

/// Sets a new password from a reset link, ends every other session and
/// signs this browser in.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(#[server(flatten)] form: NewPasswordForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{append_header, guard, Access};
    let g = guard(Access::Public).await?;
    let token = checked_token(&form.token)?;
    if form.password.len() > 1024 {
        return Err(refused::invalid(
            "password",
            crate::i18n::Msg::ErrorPasswordTooLong,
        ));
    }
    let done = crate::features::accounts::service::links::reset_password(
        &g.state,
        &g.parts.headers,
        &g.client_ip(),
        token,
        form.password,
    )
    .await?;
    append_header(http::header::SET_COOKIE, &done.set_cookie);
    leptos_axum::redirect(&two_factor::after_first_factor(&done, None));
    Ok(())
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePasswordForm {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the password of the person signed in, who gives the current
/// one; every other session ends.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(#[server(flatten)] form: ChangePasswordForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user.as_ref().ok_or(AppError::Unauthenticated)?;
    if form.new_password.len() > 1024 {
        return Err(refused::invalid(
            "new_password",
            crate::i18n::Msg::ErrorPasswordTooLong,
        ));
    }
    crate::features::accounts::service::links::change_password(
        &g.state,
        &g.parts.headers,
        user.id,
        &g.client_ip(),
        form.current_password,
        form.new_password,
    )
    .await
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEmailForm {
    pub current_password: String,
    pub new_email: String,
}

/// Asks to move the account to a new address, confirmed from that address.
#[server(prefix = "/api", endpoint = "change_email")]
pub async fn change_email(#[server(flatten)] form: ChangeEmailForm) -> Result<(), AppError> {
    use crate::domain::account::Email;
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user.as_ref().ok_or(AppError::Unauthenticated)?;
    let email = Email::parse(&form.new_email)
        .map_err(|e| AppError::invalid("new_email", refused::email(&e)))?;
    crate::features::accounts::service::links::request_email_change(
        &g.state,
        user.id,
        &g.client_ip(),
        form.current_password,
        &email,
    )
    .await
}

/// Moves the link's account to its new address.
#[server(prefix = "/api", endpoint = "confirm_email_change")]
pub async fn confirm_email_change(#[server(flatten)] form: TokenForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::Public).await?;
    crate::features::accounts::service::links::confirm_email_change(
        &g.state,
        checked_token(&form.token)?,
    )
    .await?;
    leptos_axum::redirect("/account?email_changed=1");
    Ok(())
}

/// One place the person is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionItem {
    pub handle: String,
    pub device: String,
    pub client: String,
    pub started: crate::domain::dates::Moment,
    pub last_seen: crate::domain::dates::Moment,
    /// This browser's.
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub email: String,
    pub email_verified: bool,
    pub two_factor: bool,
    pub sessions: Vec<SessionItem>,
}

#[server(prefix = "/api", endpoint = "account")]
pub async fn load_account() -> Result<AccountView, AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user.clone().ok_or(AppError::Unauthenticated)?;
    let zone = g.zone();
    let t = crate::i18n::document_texts();
    let verified = {
        let mut conn = g
            .state
            .db
            .pool()
            .acquire()
            .await
            .map_err(|e| g.internal(e))?;
        crate::features::accounts::service::links::is_verified(&mut conn, user.id).await?
    };
    let sessions =
        crate::features::accounts::service::sessions::list(&g.state, &g.parts.headers, user.id)
            .await?
            .into_iter()
            .map(|s| SessionItem {
                handle: s.handle,
                device: crate::features::accounts::service::sessions::device_in(t, &s.user_agent),
                client: s.client,
                started: zone.moment(s.created_at),
                last_seen: zone.moment(s.last_seen_at),
                current: s.current,
            })
            .collect();
    Ok(AccountView {
        name: user.name,
        email: user.email,
        email_verified: verified,
        two_factor: user.two_factor,
        sessions,
    })
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndSessionForm {
    pub handle: String,
}

/// Signs out one of the person's own sessions.
#[server(prefix = "/api", endpoint = "end_session")]
pub async fn end_session(#[server(flatten)] form: EndSessionForm) -> Result<(), AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user.as_ref().ok_or(AppError::Unauthenticated)?;
    crate::features::accounts::service::sessions::end(&g.state, user.id, form.handle.trim()).await
}

/// Signs out every session of the person but this browser's.
#[server(prefix = "/api", endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    use crate::platform::session::guard::{guard, Access};
    let g = guard(Access::SignedIn).await?;
    let user = g.user.as_ref().ok_or(AppError::Unauthenticated)?;
    crate::features::accounts::service::sessions::end_others(&g.state, &g.parts.headers, user.id)
        .await
}
