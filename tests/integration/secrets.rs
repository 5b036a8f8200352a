//! Rotating the application secret: what the old one made still works, a
//! shared IBAN is still seen across the rotation, and `rotate-secrets`
//! moves every stored IBAN to the new one.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::{Options, TestApp};
use tradein::domain::grade::Grade;
use tradein::platform::secret::Secret;

const SKU: &str = "iphone-13-128gb";

both_backends!(
    a_rotated_secret_keeps_everything_working,
    |backend| async move {
        let old = "ab".repeat(32);
        let new = "cd".repeat(32);
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(&app, s, SKU, Grade::FunctionalGood, 31_200, 1_000).await;
        let first = app.client();
        let res = app
            .signup(
                &first,
                "First Person",
                "first@example.com",
                "correct horse battery",
            )
            .await;
        let session = res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let res = confirm(
            &app,
            &first,
            &confirm_form(&imei(1), 31_200, "key-rotate-0000001"),
        )
        .await;
        assert_eq!(res.status(), 200);
        let before = redirected_id(&res);
        let totp_secret = set_up_two_factor(&app, &first, "correct horse battery").await;
        let db = app.stop_keeping_db().await;

        let app = TestApp::spawn_on(
            db,
            Options {
                secret: Some(new.clone()),
                previous_secrets: Some(old.clone()),
                ..Options::default()
            },
        )
        .await;
        let me: serde_json::Value = reqwest::Client::new()
            .post(app.url("/api/current_user"))
            .header("cookie", &session)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            me["email"], "first@example.com",
            "a session from before the rotation still signs its person in"
        );
        // Another consumer paid to the same IBAN, after the rotation: the rule
        // still sees the first one, fingerprinted under the old secret.
        let second = customer(&app, "second@example.com").await;
        let res = confirm(
            &app,
            &second,
            &confirm_form(&imei(2), 31_200, "key-rotate-0000002"),
        )
        .await;
        assert_eq!(res.status(), 200);
        let after = redirected_id(&res);
        let flags: Vec<String> =
            sqlx::query_scalar("SELECT rule FROM fraud_flags WHERE trade_in_id = $1")
                .bind(after)
                .fetch_all(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(flags, ["shared_iban"]);

        let done =
            tradein::features::trade_ins::service::reseal_ibans(&app.state.db, &app.state.secret)
                .await
                .unwrap();
        assert_eq!(
            (done.resealed, done.already_current, done.unreadable),
            (1, 1, 0)
        );
        let again =
            tradein::features::trade_ins::service::reseal_ibans(&app.state.db, &app.state.secret)
                .await
                .unwrap();
        assert_eq!(
            (again.resealed, again.already_current),
            (0, 2),
            "running it again changes nothing"
        );

        let (sealed, fingerprint): (String, String) =
            sqlx::query_as("SELECT iban_encrypted, iban_fingerprint FROM trade_ins WHERE id = $1")
                .bind(before)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        let new_alone = Secret::from_bytes(&hex::decode(&new).unwrap());
        assert_eq!(
            new_alone.decrypt_iban(&sealed).as_deref(),
            Some(IBAN),
            "the old secret is no longer needed to read it"
        );
        assert_eq!(fingerprint, new_alone.iban_fingerprint(IBAN));
        assert_eq!(
            Secret::from_bytes(&hex::decode(&old).unwrap()).decrypt_iban(&sealed),
            None
        );

        // Two-factor secrets too.
        let done = tradein::features::accounts::service::two_factor::reseal(
            &app.state.db,
            &app.state.secret,
        )
        .await
        .unwrap();
        assert_eq!(
            (done.resealed, done.already_current, done.unreadable),
            (1, 0, 0)
        );
        let (sealed, fresh): (String, String) =
            sqlx::query_as("SELECT secret, fresh_codes FROM two_factor")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(
            new_alone.open_two_factor(&sealed).as_deref(),
            Some(totp_secret.as_str())
        );
        assert!(new_alone.open_two_factor(&fresh).is_some());
        let again = tradein::features::accounts::service::two_factor::reseal(
            &app.state.db,
            &app.state.secret,
        )
        .await
        .unwrap();
        assert_eq!((again.resealed, again.already_current), (0, 1));
        app.stop().await;
    }
);
