//! A production install: what `LEPTOS_ENV=PROD` behind https gives people
//! that development does not.

use crate::both_backends;
use crate::harness::{Options, TestApp};
use tradein::features::demo::marketplace::{DEMO_OPS_EMAIL, DEMO_PASSWORD};

fn production() -> Options {
    Options {
        production: true,
        ..Options::default()
    }
}

both_backends!(
    production_never_loads_the_demo_accounts_unasked,
    |backend| async move {
        // A brand-new embedded database is where development seeds the demo.
        let app = TestApp::spawn_with(backend, production()).await;
        let ops = app.client();
        let res = app.login(&ops, DEMO_OPS_EMAIL, DEMO_PASSWORD).await;
        assert_ne!(
            res.status(),
            200,
            "the published ops password signs nobody in"
        );
        assert_eq!(app.whoami(&ops).await, None);
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
            .bind(DEMO_OPS_EMAIL)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(users, 0);
    }
);

both_backends!(
    production_pins_https_and_secure_cookies,
    |backend| async move {
        let app = TestApp::spawn_with(backend, production()).await;
        let client = app.client();
        let home = client.get(app.url("/fr-fr")).send().await.unwrap();
        assert_eq!(
            home.headers()
                .get("strict-transport-security")
                .and_then(|v| v.to_str().ok()),
            Some("max-age=63072000; includeSubDomains")
        );
        let res = app
            .signup(
                &client,
                "Ada",
                "ada@people.example",
                "correct horse battery",
            )
            .await;
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.contains("tradein_session="))
            .unwrap_or_else(|| panic!("no session cookie: {:?}", res.headers()))
            .to_string();
        assert!(cookie.starts_with("__Host-tradein_session="), "{cookie}");
        assert!(cookie.split(';').any(|a| a.trim() == "Secure"), "{cookie}");

        // Development over plain http says nothing about https.
        let dev = TestApp::spawn(backend).await;
        let home = dev.client().get(dev.url("/fr-fr")).send().await.unwrap();
        assert!(home.headers().get("strict-transport-security").is_none());
    }
);
