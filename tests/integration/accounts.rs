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
        assert!(a.contains("The email or password is incorrect."));
        assert_eq!(app.whoami(&anon).await, None);
        app.stop().await;
    }
);

both_backends!(sign_in_is_rate_limited_per_account, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let client = app.client();
    app.signup(&client, "Jane Doe", "jane@example.com", PASSWORD)
        .await;
    let attacker = app.client();
    for _ in 0..5 {
        assert_eq!(
            app.login(&attacker, "jane@example.com", "guess guess guess")
                .await
                .status(),
            422
        );
    }
    // Even the right password is refused while the account is locked.
    let res = app.login(&attacker, "jane@example.com", PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["RateLimited"]["retry_after_minutes"].as_i64().unwrap() >= 1,
        "{body}"
    );
    // The lock lifts once the window has passed.
    app.clock.advance_ms(16 * 60 * 1000);
    assert_eq!(
        app.login(&attacker, "jane@example.com", PASSWORD)
            .await
            .status(),
        200
    );
    app.stop().await;
});

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
    sessions_expire_after_thirty_idle_days,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        app.signup(&client, "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        app.clock.advance_ms(29 * DAY_MS);
        assert!(
            app.whoami(&client).await.is_some(),
            "a visit within 30 days keeps it alive"
        );
        app.clock.advance_ms(29 * DAY_MS);
        assert!(app.whoami(&client).await.is_some(), "sliding expiry");
        app.clock.advance_ms(31 * DAY_MS);
        assert_eq!(app.whoami(&client).await, None);
        let done = tradein::startup::jobs::housekeeping(&app.state)
            .await
            .unwrap();
        assert_eq!(done.sessions, 1, "housekeeping removes the expired session");
        app.stop().await;
    }
);

both_backends!(
    duplicate_email_is_refused_next_to_the_field,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        assert_eq!(
            app.signup(&client, "Jane Doe", "jane@example.com", PASSWORD)
                .await
                .status(),
            200
        );
        let res = app
            .signup(&app.client(), "Jane Two", "JANE@example.com", PASSWORD)
            .await;
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["Invalid"][0]["field"], "email");
        assert_eq!(app.customers().await, 1);
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
