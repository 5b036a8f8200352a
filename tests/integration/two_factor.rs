//! Two-factor sign-in on both databases, through the HTTP endpoints: an
//! authenticator app set up from its QR code's secret, the code step of
//! signing in, recovery codes, the limits wrong codes count toward, and the
//! refurbisher and operations areas that stay closed without it.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use tradein::features::accounts::service::two_factor::{code_at, step_of};
use tradein::platform::clock::Clock;

const PASSWORD: &str = "correct horse battery";

async fn view(app: &TestApp, client: &reqwest::Client) -> serde_json::Value {
    let res = app.call(client, "two_factor", &[]).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// What the person's app shows at the test clock's `step`.
fn code(secret: &str, step: i64) -> String {
    code_at(secret, step * 30_000).unwrap()
}

async fn enrol(app: &TestApp, client: &reqwest::Client) -> String {
    set_up_two_factor(app, client, PASSWORD).await
}

both_backends!(
    an_app_is_set_up_then_asked_for_at_every_sign_in,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = customer(&app, "jane@example.com").await;
        let elsewhere = app.client();
        assert_eq!(
            app.login(&elsewhere, "jane@example.com", PASSWORD)
                .await
                .status(),
            200
        );
        assert_eq!(view(&app, &client).await["enabled"], false);

        // Starting needs the current password.
        let res = app
            .call(
                &client,
                "start_two_factor",
                &[("current_password", "wrong")],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(view(&app, &client).await["pending"].is_null());

        let res = app
            .call(
                &client,
                "start_two_factor",
                &[("current_password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status(), 200);
        let v = view(&app, &client).await;
        let secret = v["pending"]["secret"].as_str().unwrap().replace(' ', "");
        assert_eq!(secret.len(), 32, "160 bits in base32");
        let url = v["pending"]["otpauth_url"].as_str().unwrap();
        assert!(
            url.starts_with("otpauth://totp/TradeIn:jane%40example.com?secret=")
                && url.contains(&secret),
            "{url}"
        );
        assert!(v["pending"]["qr_svg"].as_str().unwrap().contains("<svg"));

        // A wrong code leaves it off.
        let now = step_of(app.clock.now_ms());
        let right = code(&secret, now);
        let wrong = if right == "123456" {
            "654321"
        } else {
            "123456"
        };
        let res = app
            .call(&client, "confirm_two_factor", &[("code", wrong)])
            .await;
        assert_eq!(res.status(), 422);
        assert_eq!(view(&app, &client).await["enabled"], false);

        let res = app
            .call(&client, "confirm_two_factor", &[("code", &right)])
            .await;
        assert_eq!(res.status(), 200);
        let v = view(&app, &client).await;
        assert_eq!(v["enabled"], true);
        assert_eq!(v["codes_left"], 10);
        let codes: Vec<String> = v["fresh_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        assert_eq!(codes.len(), 10);
        assert!(app
            .sent_mail("jane@example.com", "two_factor_on")
            .await
            .contains("/account/two-factor"));
        assert_eq!(
            app.whoami(&elsewhere).await,
            None,
            "a session opened with the password alone ends"
        );
        assert_eq!(
            app.whoami(&client).await.as_deref(),
            Some("jane@example.com")
        );
        // Once saved, the codes are not shown again; only hashes remain.
        app.call(&client, "recovery_codes_saved", &[]).await;
        assert!(view(&app, &client).await["fresh_codes"].is_null());
        let stored: Vec<String> =
            sqlx::query_scalar("SELECT code_hash FROM recovery_codes ORDER BY id")
                .fetch_all(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(stored.len(), 10);
        assert!(stored.iter().all(|h| h.starts_with("$argon2id$")));
        for c in &codes {
            assert!(!stored.iter().any(|h| h.contains(&c.replace('-', ""))));
        }
        let sealed: String = sqlx::query_scalar("SELECT secret FROM two_factor")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert!(!sealed.contains(&secret), "the secret is stored sealed");

        // The password alone now leads to the code step, not to a session.
        let phone = app.client();
        let res = app
            .call(
                &phone,
                "login",
                &[("email", "jane@example.com"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(location(&res), "/login/code");
        assert_eq!(app.whoami(&phone).await, None);
        let res = app.call(&phone, "sign_in_code", &[("code", wrong)]).await;
        assert_eq!(res.status(), 422);
        assert_eq!(app.whoami(&phone).await, None);
        // The code used to turn it on does not work again.
        let res = app.call(&phone, "sign_in_code", &[("code", &right)]).await;
        assert_eq!(res.status(), 422, "a code works once");
        let next = code(&secret, now + 1);
        let res = app.call(&phone, "sign_in_code", &[("code", &next)]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            location(&res),
            "/fr-fr",
            "a consumer lands on its market's home"
        );
        assert_eq!(
            app.whoami(&phone).await.as_deref(),
            Some("jane@example.com")
        );
        // A half-done sign-in waits 10 minutes for its code.
        let slow = app.client();
        app.call(
            &slow,
            "login",
            &[("email", "jane@example.com"), ("password", PASSWORD)],
        )
        .await;
        app.clock.advance_ms(10 * 60_000 + 1);
        let later = code(&secret, step_of(app.clock.now_ms()));
        let res = app.call(&slow, "sign_in_code", &[("code", &later)]).await;
        assert_eq!(res.status(), 422);
        // In French: the test client is a visitor in France.
        let timed_out = tradein::i18n::Texts::of(tradein::domain::market::Market::FrFr)
            .get(tradein::i18n::Msg::ErrorCodeTimedOut);
        assert!(res.text().await.unwrap().contains(timed_out));
        assert_eq!(app.whoami(&slow).await, None);
        // Without the cookie of a half-done sign-in, a code opens nothing.
        let stranger = app.client();
        let res = app
            .call(
                &stranger,
                "sign_in_code",
                &[("code", &code(&secret, now + 1))],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert_eq!(app.whoami(&stranger).await, None);

        // A recovery code works once, and its owner hears of it.
        let laptop = app.client();
        app.call(
            &laptop,
            "login",
            &[("email", "jane@example.com"), ("password", PASSWORD)],
        )
        .await;
        let res = app
            .call(
                &laptop,
                "sign_in_code",
                &[("code", &codes[3].to_uppercase())],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            app.whoami(&laptop).await.as_deref(),
            Some("jane@example.com")
        );
        // In the language of the page it came from: the test client is a
        // visitor in France.
        let fr = tradein::i18n::Texts::of(tradein::domain::market::Market::FrFr);
        let used = fr.fill(
            tradein::i18n::Msg::AccountMailRecoveryCodeUsedBody,
            &[("left", &9), ("not_you", &"")],
        );
        let used = used.split("\n\n").next().unwrap();
        assert!(app
            .sent_mail("jane@example.com", "recovery_code_used")
            .await
            .contains(used));
        assert_eq!(view(&app, &laptop).await["codes_left"], 9);
        let tablet = app.client();
        app.call(
            &tablet,
            "login",
            &[("email", "jane@example.com"), ("password", PASSWORD)],
        )
        .await;
        let res = app
            .call(&tablet, "sign_in_code", &[("code", &codes[3])])
            .await;
        assert_eq!(res.status(), 422);
        assert_eq!(app.whoami(&tablet).await, None);

        // New codes replace the old ones.
        let res = app
            .call(
                &laptop,
                "renew_recovery_codes",
                &[("current_password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status(), 200);
        let renewed = view(&app, &laptop).await;
        assert_eq!(renewed["codes_left"], 10);
        let res = app
            .call(&tablet, "sign_in_code", &[("code", &codes[4])])
            .await;
        assert_eq!(res.status(), 422, "the old codes stopped working");

        // A consumer may turn it off, with a code.
        app.clock.advance_ms(60_000);
        let res = app
            .call(
                &laptop,
                "turn_off_two_factor",
                &[
                    ("current_password", PASSWORD),
                    ("code", &code(&secret, step_of(app.clock.now_ms()))),
                ],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        assert_eq!(view(&app, &laptop).await["enabled"], false);
        assert_eq!(app.count("recovery_codes").await, 0);
        let again = app.client();
        let res = app.login(&again, "jane@example.com", PASSWORD).await;
        assert_eq!(location(&res), "/fr-fr");
        app.stop().await;
    }
);

both_backends!(
    wrong_codes_count_toward_the_sign_in_limits,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = customer(&app, "jane@example.com").await;
        let secret = enrol(&app, &client).await;
        let guesser = app.client();
        let res = app
            .call(
                &guesser,
                "login",
                &[("email", "jane@example.com"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(location(&res), "/login/code");
        let now = step_of(app.clock.now_ms());
        let right: Vec<String> = (now - 1..=now + 1).map(|s| code(&secret, s)).collect();
        let guesses = (0..1_000_000)
            .map(|n| format!("{n:06}"))
            .filter(|g| !right.contains(g))
            .take(5);
        for guess in guesses {
            let res = app
                .call(&guesser, "sign_in_code", &[("code", &guess)])
                .await;
            assert_eq!(res.status(), 422);
        }
        // The half-done sign-in ended after five wrong codes.
        let res = app
            .call(&guesser, "sign_in_code", &[("code", &right[2])])
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains(
            tradein::i18n::Texts::of(tradein::domain::market::Market::FrFr)
                .get(tradein::i18n::Msg::ErrorCodeTimedOut)
        ));
        assert_eq!(app.whoami(&guesser).await, None);
        // And the five wrong codes hold this client back as five wrong
        // passwords would.
        let res = app
            .call(
                &guesser,
                "login",
                &[("email", "jane@example.com"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status(), 429);
        app.stop().await;
    }
);

both_backends!(emailed_links_do_not_skip_the_code, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let client = customer(&app, "jane@example.com").await;
    let secret = enrol(&app, &client).await;
    let anon = app.client();
    let res = app
        .call(
            &anon,
            "request_password_reset",
            &[("email", "jane@example.com")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let mail = app.sent_mail("jane@example.com", "password_reset").await;
    let token = mailed_token(&mail, "/login/reset/new");
    let res = app
        .call(
            &anon,
            "reset_password",
            &[("token", &token), ("password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(location(&res), "/login/code");
    assert_eq!(
        app.whoami(&anon).await,
        None,
        "the mailbox alone opens nothing"
    );
    let code = code(&secret, step_of(app.clock.now_ms()) + 1);
    let res = app.call(&anon, "sign_in_code", &[("code", &code)]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(app.whoami(&anon).await.as_deref(), Some("jane@example.com"));

    let res = app
        .call(
            &app.client(),
            "request_sign_in_link",
            &[("email", "jane@example.com")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let mail = app.sent_mail("jane@example.com", "sign_in_link").await;
    let token = mailed_token(&mail, "/login/link");
    let linked = app.client();
    let res = app
        .call(&linked, "sign_in_with_link", &[("token", &token)])
        .await;
    assert_eq!(location(&res), "/login/code");
    assert_eq!(app.whoami(&linked).await, None);
    app.stop().await;
});

both_backends!(
    refurbisher_and_operations_areas_wait_for_two_factor,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let hash = tradein::platform::session::hash_password(PASSWORD.into()).await;
        let email = tradein::domain::account::Email::parse("otto@ops.example").unwrap();
        tradein::features::accounts::service::insert_user(
            app.state.db.pool(),
            tradein::features::accounts::service::NewUser {
                email: &email,
                password_hash: &hash,
                role: tradein::domain::account::Role::Ops,
                display_name: "Otto Ops",
                email_verified: true,
            },
            0,
        )
        .await
        .unwrap();
        let ops = app.client();
        let res = app.login(&ops, "otto@ops.example", PASSWORD).await;
        assert_eq!(location(&res), "/ops");
        // Signed in, but the area is closed until an app is set up.
        let res = ops.get(app.url("/ops")).send().await.unwrap();
        assert_eq!(res.status(), 403);
        let page = res.text().await.unwrap();
        assert!(page.contains("Set up two-factor sign-in"), "{page}");
        assert!(page.contains("/account/two-factor?next="), "{page}");
        let res = app.call(&ops, "ops_dashboard", &[]).await;
        assert_eq!(res.status(), 403);
        let res = ops
            .get(app.url("/ops/export.csv?table=kpis"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "downloads too");

        let secret = enrol(&app, &ops).await;
        let res = app.call(&ops, "ops_dashboard", &[]).await;
        assert_ne!(res.status(), 403);
        let res = ops.get(app.url("/ops")).send().await.unwrap();
        assert_eq!(res.status(), 200);

        // Operations cannot turn it off.
        app.clock.advance_ms(60_000);
        let res = app
            .call(
                &ops,
                "turn_off_two_factor",
                &[
                    ("current_password", PASSWORD),
                    ("code", &code(&secret, step_of(app.clock.now_ms()))),
                ],
            )
            .await;
        assert_eq!(res.status(), 409);
        assert_eq!(view(&app, &ops).await["enabled"], true);
        app.stop().await;
    }
);
