//! Verified addresses, password resets, address changes and the sessions
//! page, on both databases, through the HTTP endpoints and the mail that
//! is really sent (the .eml files of the mail folder).

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use tradein::domain::dates::DAY_MS;

const PASSWORD: &str = "correct horse battery";

async fn verified(app: &TestApp, email: &str) -> bool {
    sqlx::query_scalar::<_, Option<i64>>("SELECT email_verified_at FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
        .is_some()
}

both_backends!(
    a_new_address_is_confirmed_by_its_link_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        let res = app
            .signup(&client, "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        assert_eq!(res.status(), 200);
        assert!(
            !verified(&app, "jane@example.com").await,
            "not before the link"
        );
        let mail = app.sent_mail("jane@example.com", "verify_email").await;
        let token = mailed_token(&mail, "/account/verify");

        // A tampered token changes nothing.
        let wrong = format!("{}x", &token[..token.len() - 1]);
        let res = app
            .call(&app.client(), "verify_email", &[("token", &wrong)])
            .await;
        assert_eq!(res.status(), 422);
        assert!(!verified(&app, "jane@example.com").await);

        // Anyone holding the link may use it (the token proves the mailbox).
        let res = app
            .call(&app.client(), "verify_email", &[("token", &token)])
            .await;
        assert_eq!(res.status(), 200);
        assert!(verified(&app, "jane@example.com").await);
        let res = app
            .call(&app.client(), "verify_email", &[("token", &token)])
            .await;
        assert_eq!(res.status(), 422, "a link works once");

        // Asking again once verified sends nothing.
        let res = app.call(&client, "resend_verification", &[]).await;
        assert_eq!(res.text().await.unwrap(), "false");
        app.stop().await;
    }
);

both_backends!(
    a_verification_link_expires_after_seven_days,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        app.signup(&client, "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        let first = mailed_token(
            &app.sent_mail("jane@example.com", "verify_email").await,
            "/account/verify",
        );
        app.clock.advance_ms(7 * DAY_MS + 1);
        let res = app
            .call(&app.client(), "verify_email", &[("token", &first)])
            .await;
        assert_eq!(res.status(), 422);
        // A new one replaces it.
        let res = app.call(&client, "resend_verification", &[]).await;
        assert_eq!(res.text().await.unwrap(), "true");
        let second = mailed_token(
            &app.sent_mail_after("jane@example.com", "verify_email", 1)
                .await,
            "/account/verify",
        );
        assert_ne!(first, second);
        let res = app
            .call(&app.client(), "verify_email", &[("token", &second)])
            .await;
        assert_eq!(res.status(), 200);
        app.stop().await;
    }
);

both_backends!(
    a_reset_answers_the_same_for_any_address_and_its_link_ends_every_session,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let first = app.client();
        app.signup(&first, "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        let second = app.client();
        assert_eq!(
            app.login(&second, "jane@example.com", PASSWORD)
                .await
                .status(),
            200
        );

        let ask = |email: &'static str| {
            let app = &app;
            async move {
                let res = app
                    .call(&app.client(), "request_password_reset", &[("email", email)])
                    .await;
                (
                    res.status(),
                    res.headers()
                        .get("location")
                        .map(|l| l.to_str().unwrap().to_string()),
                    res.text().await.unwrap(),
                )
            }
        };
        let known = ask("jane@example.com").await;
        let unknown = ask("nobody@example.com").await;
        assert_eq!(
            known, unknown,
            "nothing tells which addresses have accounts"
        );
        let mail = app.sent_mail("jane@example.com", "password_reset").await;
        let token = mailed_token(&mail, "/login/reset/new");
        let outbox: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE to_email = 'nobody@example.com'")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(outbox, 0);
        let stored: String = sqlx::query_scalar(
            "SELECT token_hash FROM account_links WHERE purpose = 'reset_password'",
        )
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_ne!(stored, token, "only a hash of the token is kept");

        // Too short a password: refused, and the link still works.
        let third = app.client();
        let res = app
            .call(
                &third,
                "reset_password",
                &[("token", &token), ("password", "short")],
            )
            .await;
        assert_eq!(res.status(), 422);
        let res = app
            .call(
                &third,
                "reset_password",
                &[("token", &token), ("password", "a brand new passphrase")],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            app.whoami(&third).await.as_deref(),
            Some("jane@example.com")
        );
        assert_eq!(app.whoami(&first).await, None, "every other session ended");
        assert_eq!(app.whoami(&second).await, None);
        assert_eq!(
            app.login(&app.client(), "jane@example.com", PASSWORD)
                .await
                .status(),
            422
        );
        assert_eq!(
            app.login(&app.client(), "jane@example.com", "a brand new passphrase")
                .await
                .status(),
            200
        );
        let res = app
            .call(
                &app.client(),
                "reset_password",
                &[("token", &token), ("password", "yet another passphrase")],
            )
            .await;
        assert_eq!(res.status(), 422, "a link works once");
        app.sent_mail("jane@example.com", "password_changed").await;
        app.stop().await;
    }
);

both_backends!(
    a_reset_link_expires_after_thirty_minutes,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signup(&app.client(), "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        app.call(
            &app.client(),
            "request_password_reset",
            &[("email", "jane@example.com")],
        )
        .await;
        let token = mailed_token(
            &app.sent_mail("jane@example.com", "password_reset").await,
            "/login/reset/new",
        );
        app.clock.advance_ms(30 * 60 * 1000 + 1);
        let res = app
            .call(
                &app.client(),
                "reset_password",
                &[("token", &token), ("password", "a brand new passphrase")],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            app.login(&app.client(), "jane@example.com", PASSWORD)
                .await
                .status(),
            200
        );
        app.stop().await;
    }
);

both_backends!(
    a_password_or_address_changes_only_with_the_current_password,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let me = app.client();
        app.signup(&me, "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        let elsewhere = app.client();
        app.login(&elsewhere, "jane@example.com", PASSWORD).await;

        let res = app
            .call(
                &me,
                "change_password",
                &[
                    ("current_password", "not it at all"),
                    ("new_password", "a brand new passphrase"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("current_password"));
        let res = app
            .call(
                &me,
                "change_password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "a brand new passphrase"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert!(
            app.whoami(&me).await.is_some(),
            "this browser stays signed in"
        );
        assert_eq!(
            app.whoami(&elsewhere).await,
            None,
            "the others are signed out"
        );

        // A new address: confirmed from it; the old one is told.
        let res = app
            .call(
                &me,
                "change_email",
                &[
                    ("current_password", "a brand new passphrase"),
                    ("new_email", "jane@new.example"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            app.whoami(&me).await.as_deref(),
            Some("jane@example.com"),
            "not yet"
        );
        app.sent_mail("jane@example.com", "email_change_requested")
            .await;
        let token = mailed_token(
            &app.sent_mail("jane@new.example", "confirm_new_email").await,
            "/account/email",
        );
        let res = app
            .call(&app.client(), "confirm_email_change", &[("token", &token)])
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.whoami(&me).await.as_deref(), Some("jane@new.example"));
        assert!(verified(&app, "jane@new.example").await);
        app.sent_mail("jane@example.com", "email_changed").await;

        // An address that has an account gets no link, and the answer is the same.
        app.signup(&app.client(), "Sam Doe", "sam@example.com", PASSWORD)
            .await;
        let res = app
            .call(
                &me,
                "change_email",
                &[
                    ("current_password", "a brand new passphrase"),
                    ("new_email", "sam@example.com"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let to_sam: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE to_email = 'sam@example.com' AND kind = 'confirm_new_email'",
        )
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(to_sam, 0);
        app.stop().await;
    }
);

both_backends!(
    the_sessions_page_lists_and_ends_ones_own_sessions,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let me = app.client();
        app.signup(&me, "Jane Doe", "jane@example.com", PASSWORD)
            .await;
        let phone = app.client();
        app.login(&phone, "jane@example.com", PASSWORD).await;
        let laptop = app.client();
        app.login(&laptop, "jane@example.com", PASSWORD).await;
        let other = customer(&app, "sam@example.com").await;

        let account: serde_json::Value = app.call(&me, "account", &[]).await.json().await.unwrap();
        let sessions = account["sessions"].as_array().unwrap();
        assert_eq!(sessions.len(), 3);
        assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
        let phone_handle = {
            let phone_view: serde_json::Value =
                app.call(&phone, "account", &[]).await.json().await.unwrap();
            phone_view["sessions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["current"] == true)
                .unwrap()["handle"]
                .as_str()
                .unwrap()
                .to_string()
        };
        // Someone else cannot end it.
        let res = app
            .call(&other, "end_session", &[("handle", &phone_handle)])
            .await;
        assert_eq!(res.status(), 404);
        assert!(app.whoami(&phone).await.is_some());
        let res = app
            .call(&me, "end_session", &[("handle", &phone_handle)])
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.whoami(&phone).await, None);
        let res = app.call(&me, "end_other_sessions", &[]).await;
        assert_eq!(res.text().await.unwrap(), "1");
        assert_eq!(app.whoami(&laptop).await, None);
        assert!(app.whoami(&me).await.is_some());
        assert!(app.whoami(&other).await.is_some(), "nobody else's");
        app.stop().await;
    }
);

both_backends!(
    my_data_holds_my_trade_ins_masked_and_nobody_elses,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(
            &app,
            s,
            "iphone-13-128gb",
            tradein::domain::grade::Grade::FunctionalGood,
            31_200,
            1_000,
        )
        .await;
        let jane = customer(&app, "jane@example.com").await;
        let sam = customer(&app, "sam@example.com").await;
        for (who, n) in [(&jane, 1), (&sam, 2)] {
            let res = confirm(
                &app,
                who,
                &confirm_form(&imei(n), 31_200, &format!("key-export-{n:08}")),
            )
            .await;
            assert_eq!(res.status(), 200);
        }
        assert_eq!(
            app.client()
                .get(app.url("/account/data.json"))
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
        let res = jane
            .get(app.url("/account/data.json"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"tradein-my-data-"));
        let text = res.text().await.unwrap();
        let data: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(data["account"]["email"], "jane@example.com");
        let trade_ins = data["trade_ins"].as_array().unwrap();
        assert_eq!(trade_ins.len(), 1, "only her own");
        assert_eq!(trade_ins[0]["imei"], imei(1));
        assert_eq!(trade_ins[0]["city"], "Paris");
        assert!(trade_ins[0]["iban_masked"]
            .as_str()
            .unwrap()
            .contains("••••"));
        assert!(
            !text.contains(IBAN) && !text.contains(&IBAN[4..]),
            "never the full IBAN"
        );
        assert!(!text.contains(&imei(2)), "nothing of another consumer's");
        assert!(!data["trade_in_events"].as_array().unwrap().is_empty());
        assert_eq!(data["sessions"].as_array().unwrap().len(), 1);
        assert!(data["mail"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "confirmation"));
        assert!(!text.contains("password_hash") && !text.contains("$argon2"));
        app.stop().await;
    }
);
