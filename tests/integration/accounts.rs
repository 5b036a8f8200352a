use crate::both_backends;
use crate::harness::TestApp;
use reqwest::header::SET_COOKIE;
use tradein::platform::clock::DAY_MS;

const PASSWORD: &str = "correct horse battery";

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tradein_session="))
        .map(str::to_string)
}

both_backends!(sign_up_sign_out_sign_in, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let client = app.client();
    let res = app
        .signup(&client, "Jane Doe", "Jane@Example.com", PASSWORD)
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let cookie = session_cookie(&res).expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    assert!(!cookie.contains("Secure"), "plain http in tests");
    assert_eq!(
        app.whoami(&client).await.as_deref(),
        Some("jane@example.com")
    );

    // Sign-out really ends the session: the old cookie is dead server-side.
    let old_token = cookie.split(';').next().unwrap().to_string();
    let res = app.call(&client, "logout", &[]).await;
    assert_eq!(res.status(), 200);
    assert!(session_cookie(&res).unwrap().contains("Max-Age=0"));
    assert_eq!(app.whoami(&client).await, None);
    let replay = reqwest::Client::new();
    let res = replay
        .post(app.url("/api/current_user"))
        .header("cookie", &old_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "null");

    let res = app.login(&client, "jane@example.com", PASSWORD).await;
    assert_eq!(res.status(), 200);
    let new_token = session_cookie(&res)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(new_token, old_token, "a new session id at every sign-in");
    assert_eq!(
        app.whoami(&client).await.as_deref(),
        Some("jane@example.com")
    );
    assert_eq!(app.count("sessions").await, 1);

    // The header's "Sign out" is a plain form post from a page: it ends on a
    // freshly loaded home page, signed out.
    let res = client
        .post(app.url("/api/logout"))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", app.url("/trade-ins"))
        .form(&[] as &[(&str, &str)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers().get("location").unwrap(), "/");
    assert!(session_cookie(&res).unwrap().contains("Max-Age=0"));
    assert_eq!(app.whoami(&client).await, None);
    assert_eq!(app.count("sessions").await, 0);
    app.stop().await;
});

both_backends!(
    wrong_credentials_get_one_generic_message,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        app.signup(&client, "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        let anon = app.client();
        let wrong_password = app
            .login(&anon, "jane@example.com", "not the password")
            .await;
        assert_eq!(wrong_password.status(), 422);
        let a = wrong_password.text().await.unwrap();
        let unknown_email = app.login(&anon, "nobody@example.com", PASSWORD).await;
        assert_eq!(unknown_email.status(), 422);
        let b = unknown_email.text().await.unwrap();
        assert_eq!(a, b, "the two failures must look identical");
        // In French: the test client is a visitor in France.
        assert!(
            a.contains(
                tradein::i18n::Texts::of(tradein::domain::market::Market::FrFr)
                    .get(tradein::i18n::Msg::ErrorWrongCredentials)
            ),
            "{a}"
        );
        assert_eq!(app.whoami(&anon).await, None);
        app.stop().await;
    }
);

/// A sign-in from `client_ip`, as a trusted load balancer forwards it.
async fn login_from(
    app: &TestApp,
    client: &reqwest::Client,
    client_ip: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/login"))
        .header("x-forwarded-for", client_ip)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

fn behind_a_proxy() -> crate::harness::Options {
    crate::harness::Options {
        trusted_proxies: Some("127.0.0.1".into()),
        ..Default::default()
    }
}

both_backends!(
    a_guesser_waits_longer_each_time_and_the_owner_not_at_all,
    |backend| async move {
        let app = TestApp::spawn_with(backend, behind_a_proxy()).await;
        app.signup(&app.client(), "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        let (attacker, guesser_ip) = (app.client(), "203.0.113.7");
        for _ in 0..5 {
            assert_eq!(
                login_from(
                    &app,
                    &attacker,
                    guesser_ip,
                    "jane@example.com",
                    "guess guess"
                )
                .await
                .status(),
                422
            );
        }
        // Even the right password waits, from the guesser's address.
        let res = login_from(&app, &attacker, guesser_ip, "jane@example.com", PASSWORD).await;
        assert_eq!(res.status(), 429);
        assert!(res.headers().get("retry-after").is_some());
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["RateLimited"]["retry_after_minutes"], 1, "{body}");

        // The owner, elsewhere, is not kept out.
        let owner = app.client();
        let res = login_from(&app, &owner, "198.51.100.2", "jane@example.com", PASSWORD).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert_eq!(
            app.whoami(&owner).await.as_deref(),
            Some("jane@example.com")
        );

        // After the wait, one more try; a wrong one doubles the wait.
        app.clock.advance_ms(61_000);
        assert_eq!(
            login_from(
                &app,
                &attacker,
                guesser_ip,
                "jane@example.com",
                "guess again"
            )
            .await
            .status(),
            422
        );
        let res = login_from(&app, &attacker, guesser_ip, "jane@example.com", PASSWORD).await;
        assert_eq!(res.status(), 429);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["RateLimited"]["retry_after_minutes"], 2, "{body}");
        app.clock.advance_ms(2 * 60_000);
        assert_eq!(
            login_from(&app, &attacker, guesser_ip, "jane@example.com", PASSWORD)
                .await
                .status(),
            200,
            "a wait, not a lock: the right password gets in once it has passed"
        );
        app.stop().await;
    }
);

both_backends!(
    an_account_guessed_from_everywhere_still_lets_its_owner_in_by_link,
    |backend| async move {
        let app = TestApp::spawn_with(backend, behind_a_proxy()).await;
        app.signup(&app.client(), "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        // A botnet: one guess from each of fifty addresses.
        for i in 0..50 {
            let res = login_from(
                &app,
                &app.client(),
                &format!("203.0.113.{i}"),
                "jane@example.com",
                "guess guess",
            )
            .await;
            assert_eq!(res.status(), 422, "guess {i}");
        }
        let owner = app.client();
        let res = login_from(&app, &owner, "198.51.100.2", "jane@example.com", PASSWORD).await;
        assert_eq!(
            res.status(),
            429,
            "the account takes no more passwords for a while"
        );

        // The owner asks for a link: the answer is the same for any address.
        let asked = app
            .call(
                &owner,
                "request_sign_in_link",
                &[("email", "jane@example.com")],
            )
            .await;
        let unknown = app
            .call(
                &app.client(),
                "request_sign_in_link",
                &[("email", "nobody@example.com")],
            )
            .await;
        assert_eq!(asked.status(), 200);
        assert_eq!(asked.headers()["location"], "/login/link/sent");
        assert_eq!(unknown.status(), 200);
        assert_eq!(unknown.headers()["location"], "/login/link/sent");
        assert_eq!(asked.text().await.unwrap(), unknown.text().await.unwrap());

        let mail = app.sent_mail("jane@example.com", "sign_in_link").await;
        let token = link_token(&mail);
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_links WHERE token_hash = $1")
                .bind(&token)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(stored, 0, "only a hash of the token is kept");
        let body: String =
            sqlx::query_scalar("SELECT body FROM outbox WHERE kind = 'sign_in_link'")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(body, "", "the outbox forgets the link once it is sent");

        let res = app
            .call(&owner, "sign_in_with_link", &[("token", token.as_str())])
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert!(session_cookie(&res).is_some());
        assert_eq!(
            app.whoami(&owner).await.as_deref(),
            Some("jane@example.com")
        );
        let again = app
            .call(
                &app.client(),
                "sign_in_with_link",
                &[("token", token.as_str())],
            )
            .await;
        assert_eq!(again.status(), 422, "a link works once");

        // A link not used in time does not work.
        app.clock.advance_ms(2 * 60 * 60_000);
        app.call(
            &owner,
            "request_sign_in_link",
            &[("email", "jane@example.com")],
        )
        .await;
        let mail = app
            .sent_mail_after("jane@example.com", "sign_in_link", 1)
            .await;
        let late = link_token(&mail);
        app.clock.advance_ms(31 * 60_000);
        assert_eq!(
            app.call(
                &app.client(),
                "sign_in_with_link",
                &[("token", late.as_str())]
            )
            .await
            .status(),
            422
        );
        app.stop().await;
    }
);

/// The token of the sign-in link in a mail's text.
fn link_token(mail: &str) -> String {
    crate::fixtures::mailed_token(mail, "/login/link")
}

both_backends!(
    sign_ups_from_one_address_are_limited,
    |backend| async move {
        let app = TestApp::spawn_with(
            backend,
            crate::harness::Options {
                sign_ups_per_hour: Some(3),
                ..Default::default()
            },
        )
        .await;
        for i in 0..3 {
            assert_eq!(
                app.signup(
                    &app.client(),
                    "Many People",
                    &format!("p{i}@example.com"),
                    PASSWORD
                )
                .await
                .status(),
                200
            );
        }
        let res = app
            .signup(&app.client(), "Many People", "p3@example.com", PASSWORD)
            .await;
        assert_eq!(res.status(), 429);
        let res = app
            .call(
                &app.client(),
                "seller_signup",
                &[
                    ("company", "Gamma Phones SAS"),
                    ("vat_number", "fr 40 303 265 045"),
                    ("address_line1", "12 rue de la Paix"),
                    ("address_line2", ""),
                    ("postcode", "75002"),
                    ("city", "Paris"),
                    ("country", "FR"),
                    ("contact_name", "Camille Martin"),
                    ("email", "camille@gamma.example"),
                    ("phone", "+33 1 23 45 67 89"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), 429, "a refurbisher application counts too");
        assert_eq!(app.customers().await, 3);
        assert_eq!(app.count("sellers").await, 1, "only the recycling partner");
        app.clock.advance_ms(61 * 60_000);
        assert_eq!(
            app.signup(&app.client(), "Many People", "p3@example.com", PASSWORD)
                .await
                .status(),
            200,
            "the limit is per hour"
        );
        app.stop().await;
    }
);

both_backends!(sign_in_is_rate_limited_per_address, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let client = app.client();
    for i in 0..30 {
        let res = app
            .login(
                &client,
                &format!("user{i}@example.com"),
                "guess guess guess",
            )
            .await;
        assert_eq!(res.status(), 422);
    }
    assert_eq!(
        app.login(&client, "user99@example.com", "guess guess guess")
            .await
            .status(),
        429
    );
    app.stop().await;
});

both_backends!(
    sessions_end_thirty_days_after_signing_in_and_ops_after_twelve_idle_hours,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        app.signup(&client, "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        let ops = crate::fixtures::ops_client(&app).await;
        app.clock.advance_ms(11 * 60 * 60 * 1000);
        assert!(
            app.whoami(&ops).await.is_some(),
            "ops, used within 12 hours"
        );
        app.clock.advance_ms(11 * 60 * 60 * 1000);
        assert!(app.whoami(&ops).await.is_some(), "and again");
        app.clock.advance_ms(12 * 60 * 60 * 1000 + 1);
        assert_eq!(app.whoami(&ops).await, None, "12 idle hours end it");
        app.clock.advance_ms(28 * DAY_MS);
        assert!(
            app.whoami(&client).await.is_some(),
            "a consumer's lasts past a day, however used"
        );
        app.clock.advance_ms(DAY_MS);
        assert_eq!(
            app.whoami(&client).await,
            None,
            "30 days after signing in it ends, used or not"
        );

        let done = tradein::startup::jobs::housekeeping(&app.state)
            .await
            .unwrap();
        assert_eq!(done.sessions, 2, "housekeeping removes both ended sessions");
        app.stop().await;
    }
);

both_backends!(
    a_known_address_gets_the_answer_a_link_request_gets,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        assert_eq!(
            app.signup(&client, "Jane Doe", "jane@example.com", PASSWORD)
                .await
                .status(),
            200
        );
        let someone = app.client();
        let known = app
            .signup(
                &someone,
                "Jane Two",
                "JANE@example.com",
                "another password here",
            )
            .await;
        let unknown = app
            .call(
                &app.client(),
                "request_sign_in_link",
                &[("email", "nobody@example.com")],
            )
            .await;
        assert_eq!(known.status(), 200);
        assert_eq!(known.headers()["location"], "/login/link/sent");
        assert!(session_cookie(&known).is_none(), "nobody is signed in");
        assert_eq!(known.headers()["location"], unknown.headers()["location"]);
        let known = known.text().await.unwrap();
        assert!(!known.contains("exists"), "{known}");
        assert_eq!(known, unknown.text().await.unwrap());
        assert_eq!(app.customers().await, 1);
        assert_eq!(app.whoami(&someone).await, None);
        // The owner hears of it, with a way in.
        let mail = app.sent_mail("jane@example.com", "account_exists").await;
        // In the language of the page it came from: the test client is a
        // visitor in France.
        let fr = tradein::i18n::Texts::of(tradein::domain::market::Market::FrFr);
        let first = fr
            .get(tradein::i18n::Msg::AccountMailAccountExistsBody)
            .split("\n\n")
            .next()
            .unwrap();
        assert!(mail.contains(first), "{mail}");
        let token = link_token(&mail);
        assert_eq!(
            app.call(&client, "sign_in_with_link", &[("token", token.as_str())])
                .await
                .status(),
            200
        );
        app.stop().await;
    }
);

both_backends!(concurrent_sign_ups_all_succeed, |backend| async move {
    // Many writers at once: SQLite must queue them (BEGIN IMMEDIATE, busy
    // timeout, WAL), not fail with "database is locked".
    let app = std::sync::Arc::new(TestApp::spawn(backend).await);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let res = app
                .signup(
                    &app.client(),
                    "Many People",
                    &format!("p{i}@example.com"),
                    PASSWORD,
                )
                .await;
            res.status().as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    assert_eq!(app.customers().await, 16);
    assert_eq!(app.count("sessions").await, 16);
});

/// Behind a trusted load balancer, each person behind it is limited on
/// their own (the limit per address counts the address it forwarded);
/// without the setting the forwarded header is not believed.
async fn failures_from(app: &TestApp, client_ip: &str, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for i in 0..n {
        let res = app
            .client()
            .post(app.url("/api/login"))
            .header("x-forwarded-for", client_ip)
            .form(&[
                ("email", format!("nobody{i}@{client_ip}.example")),
                ("password", "wrong".into()),
            ])
            .send()
            .await
            .unwrap();
        out.push(res.status().as_u16());
    }
    out
}

both_backends!(
    rate_limits_count_the_client_behind_a_trusted_proxy,
    |backend| async move {
        let app = TestApp::spawn_with(
            backend,
            crate::harness::Options {
                trusted_proxies: Some("127.0.0.1".into()),
                ..Default::default()
            },
        )
        .await;
        let first = failures_from(&app, "198.51.100.1", 31).await;
        assert!(first[..30].iter().all(|s| *s == 422), "{first:?}");
        assert_eq!(
            first[30], 429,
            "the 31st failure from one address is refused"
        );
        assert_eq!(
            failures_from(&app, "198.51.100.2", 1).await,
            [422],
            "another person behind the proxy is not"
        );
        app.stop().await;

        let direct = TestApp::spawn(backend).await;
        failures_from(&direct, "198.51.100.1", 30).await;
        assert_eq!(
            failures_from(&direct, "198.51.100.2", 1).await,
            [429],
            "untrusted, the header is ignored: every attempt came from the same peer"
        );
        direct.stop().await;
    }
);

/// A failed sign-in leaves a trail for whoever investigates a guessing
/// campaign: a warning naming the account (when there is one) and the
/// client, never the password tried nor an address that has no account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_are_logged_without_what_was_typed() {
    use crate::harness::{within_limit, Backend, TestDb};
    use crate::instances::{browser, Instance};
    within_limit(async {
        let db = TestDb::create(Backend::Sqlite).await;
        let mut server = Instance::start(&db, "log", &[("LOG_FORMAT", "json")]);
        server.ready().await;
        let signed_up = server
            .call(
                &browser(),
                "signup",
                &[
                    ("name", "Log Person"),
                    ("email", "log@example.com"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(signed_up.status(), 200);
        for (email, password) in [
            ("log@example.com", "first wrong guess"),
            ("nobody-here@example.com", "second wrong guess"),
        ] {
            let res = server
                .call(
                    &browser(),
                    "login",
                    &[("email", email), ("password", password)],
                )
                .await;
            assert_eq!(res.status(), 422, "{email}");
        }
        let log = server.log_text();
        let failures: Vec<serde_json::Value> = log
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["message"] == "sign-in failed")
            .collect();
        assert_eq!(failures.len(), 2, "{log}");
        for f in &failures {
            assert_eq!(f["level"], "WARN", "{f}");
            assert_eq!(f["client"], "127.0.0.1", "{f}");
        }
        assert!(
            failures[0]["user_id"].as_i64().is_some(),
            "the account guessed at is named: {}",
            failures[0]
        );
        assert!(
            failures[1]["user_id"].is_null(),
            "no account, no id: {}",
            failures[1]
        );
        for typed in ["first wrong guess", "second wrong guess", "nobody-here"] {
            assert!(!log.contains(typed), "{typed:?} is in the log");
        }
    })
    .await
}
