//! Pages and notices for when things go wrong. Each shows the request id,
//! which is also in the server log line of that request.

use crate::error::AppError;
use crate::i18n::Msg;
use leptos::prelude::*;
use leptos_meta::Title;

/// The request id of the page being rendered, read once per page at the
/// root and carried to the browser inside the page, so hydration sees the
/// same text. It must not be created where it is shown: a resource created
/// inside a `<Suspense>`'s children makes the server walk them again, and
/// under load such a response can stop half-way and never finish
/// (leptos-rs/leptos#4866; `access::nested_sections_finish_under_load`).
#[derive(Clone, Copy)]
struct RequestReference(OnceResource<Option<String>>);

pub fn provide_request_reference() {
    #[cfg(feature = "ssr")]
    let id = use_context::<http::request::Parts>()
        .map(|p| crate::platform::session::guard::request_id(&p.headers));
    #[cfg(not(feature = "ssr"))]
    let id: Option<String> = None;
    provide_context(RequestReference(OnceResource::new(async move { id })));
}

#[component]
fn Reference() -> impl IntoView {
    let reference = use_context::<RequestReference>();
    let t = crate::i18n::use_texts();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let id = match reference {
                    Some(r) => r.0.await,
                    None => None,
                };
                id.map(|r| view! { <p class="reference">{t.get(Msg::PageReference)}" " <code>{r}</code></p> })
            })}
        </Suspense>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::platform::session::guard::set_status(http::StatusCode::NOT_FOUND);
    let t = crate::i18n::use_texts();
    view! {
        <Title text=t.get(Msg::PageNotFound)/>
        <section class="card narrow">
            <h1>{t.get(Msg::PageNotFound)}</h1>
            <p>{t.get(Msg::PageNotFoundText)}</p>
            <p><a class="button primary" href="/" rel="external">{t.get(Msg::PageGoHome)}</a></p>
            <p><a href="/markets">{t.get(Msg::FooterChooseCountry)}</a></p>
            <Reference/>
        </section>
    }
}

/// What a protected page shows when its access check fails, with the HTTP
/// status set to match (the route must render with `SsrMode::Async`).
#[component]
pub fn AccessProblem(error: AppError, #[prop(into)] here: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Ok(status) = http::StatusCode::from_u16(error.status()) {
        crate::platform::session::guard::set_status(status);
    }
    let t = crate::i18n::use_texts();
    match error {
        AppError::Unauthenticated => view! {
            <Title text=t.get(Msg::NavSignIn)/>
            <section class="card narrow">
                <h1>{t.get(Msg::AccessSignInHeading)}</h1>
                <p>{t.get(Msg::AccessSignInText)}</p>
                <p><a class="button primary" href=crate::ui::return_to::with_next("/login", &here)>{t.get(Msg::NavSignIn)}</a></p>
            </section>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <Title text=t.get(Msg::AccessForbiddenTitle)/>
            <section class="card narrow">
                <h1>{t.get(Msg::AccessForbiddenHeading)}</h1>
                <p>{t.get(Msg::AccessForbiddenText)}</p>
                <p><a class="button" href="/" rel="external">{t.get(Msg::PageGoHome)}</a></p>
                <Reference/>
            </section>
        }
        .into_any(),
        AppError::TwoFactorRequired => view! {
            <Title text=t.get(Msg::AccessTwoFactorTitle)/>
            <section class="card narrow">
                <h1>{t.get(Msg::AccessTwoFactorHeading)}</h1>
                <p>{t.get(Msg::AccessTwoFactorText)}</p>
                <p><a class="button primary" href=crate::ui::return_to::with_next("/account/two-factor", &here)>{t.get(Msg::AccessTwoFactorTitle)}</a></p>
            </section>
        }
        .into_any(),
        other => view! { <ErrorNotice error=other/> }.into_any(),
    }
}

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    view! {
        <div class="notice error" role="alert">
            <p>{crate::i18n::errors::said(&error)}</p>
        </div>
    }
}

/// A public page's failure: 404 for what does not exist, else the notice.
#[component]
pub fn PageProblem(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        other => view! { <ErrorNotice error=other/> }.into_any(),
    }
}
