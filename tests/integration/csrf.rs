//! Cross-site request forgery: every state-changing endpoint (each server
//! function, each non-GET plain route, the multipart uploads included)
//! refuses what another site's page could make a browser send with the
//! person's cookies, and writes nothing; the same request from this site
//! goes through. The endpoints are the access table's, checked against
//! what the app serves, so a new one is swept without being named here.

use crate::both_backends;
use crate::endpoints::{
    check_coverage, let_through, same_site, send, setup, table, Actor, Expect, Store,
};
use crate::harness::{Options, TestApp};

const REFUSAL: &str = "Cross-site requests are not allowed.";

/// Whose cookies a forged request rides on: the first who may make it.
const RIDERS: [Actor; 7] = [
    Actor::ConsumerA,
    Actor::SellerA,
    Actor::Ops,
    Actor::ConsumerB,
    Actor::SellerB,
    Actor::PendingSeller,
    Actor::Anonymous,
];

/// What a page elsewhere can make a browser send, for a site whose public
/// origin is `public` (`scheme://host[:port]`).
fn forgeries(public: &str) -> Vec<(String, Vec<(&'static str, String)>)> {
    let (scheme, authority) = public.split_once("://").expect("an origin");
    let other_scheme = if scheme == "https" { "http" } else { "https" };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().unwrap()),
        None if scheme == "https" => (authority, 443),
        None => (authority, 80),
    };
    vec![
        (
            "another site's Origin".into(),
            vec![("origin", "https://evil.example".into())],
        ),
        (
            "Sec-Fetch-Site: cross-site".into(),
            vec![("sec-fetch-site", "cross-site".into())],
        ),
        (
            "a sibling subdomain (Sec-Fetch-Site: same-site)".into(),
            vec![("sec-fetch-site", "same-site".into())],
        ),
        ("Origin: null".into(), vec![("origin", "null".into())]),
        (
            format!("this host over {other_scheme}"),
            vec![("origin", format!("{other_scheme}://{authority}"))],
        ),
        (
            "this host on another port".into(),
            vec![("origin", format!("{scheme}://{host}:{}", port + 1))],
        ),
        (
            "this site's Origin with Sec-Fetch-Site: cross-site".into(),
            vec![
                ("origin", public.to_string()),
                ("sec-fetch-site", "cross-site".into()),
            ],
        ),
    ]
}

async fn sweep(app: TestApp) {
    let rows = table();
    check_coverage(&rows);
    let (mut people, objects) = setup(&app).await;
    let forged = forgeries(app.public_origin());
    let changing: Vec<_> = rows.iter().filter(|r| r.endpoint.changes_state()).collect();
    let rider = |row: &crate::endpoints::Row| {
        RIDERS
            .into_iter()
            .find(|a| row.expect(*a) == Expect::Allowed)
            .unwrap_or_else(|| panic!("{}: nobody may call it", row.endpoint))
    };
    let mut wrong = Vec::new();
    let mut store = Store::watch(&app).await;
    for row in &changing {
        let actor = rider(row);
        let call = (row.call)(&objects, actor);
        for (what, headers) in &forged {
            let (status, answer) =
                send(&app, people.client(actor), &row.endpoint, &call, headers).await;
            if status != 403 || !answer.contains(REFUSAL) {
                wrong.push(format!(
                    "{} as {actor:?} with {what}: {status} {answer}",
                    row.endpoint
                ));
            }
        }
        let written = store.written(&app).await;
        if !written.is_empty() {
            wrong.push(format!(
                "{}: forged requests wrote to {written:?}",
                row.endpoint
            ));
        }
    }
    let site = same_site(&app);
    for row in &changing {
        let actor = rider(row);
        let call = (row.call)(&objects, actor);
        let (status, answer) = send(&app, people.client(actor), &row.endpoint, &call, &site).await;
        if !let_through(&row.endpoint, status) {
            wrong.push(format!(
                "{} as {actor:?} from this site: {status} {answer}",
                row.endpoint
            ));
        }
        people.keep_signed_in(&app, actor).await;
    }
    assert!(
        wrong.is_empty(),
        "{} of {} requests were not answered as they should be:\n{}",
        wrong.len(),
        changing.len() * (forged.len() + 1),
        wrong.join("\n")
    );
    assert!(
        changing.len() >= 50,
        "only {} state-changing endpoints",
        changing.len()
    );
    app.stop().await;
}

both_backends!(
    forged_requests_are_refused_over_http,
    |backend| async move {
        sweep(TestApp::spawn_with_demo(backend).await).await;
    }
);

// Behind https (`PUBLIC_URL=https://trade.example`), the same host over
// plain http is another origin: a network attacker's page there must not
// act for the person.
both_backends!(
    forged_requests_are_refused_over_https,
    |backend| async move {
        sweep(
            TestApp::spawn_with(
                backend,
                Options {
                    production: true,
                    seed_demo: true,
                    ..Options::default()
                },
            )
            .await,
        )
        .await;
    }
);
