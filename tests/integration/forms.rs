//! Forms the browser posts itself (no JavaScript): each posts to its own
//! page, names its server function, and a refusal answers with the same
//! page, what was typed kept (secrets excepted) and each error beside its
//! field. Accepted, it redirects where the function says.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use tradein::domain::grade::Grade;

const ACCEPT: &str = "/fr-fr/sell/smartphones/apple/iphone-13/accept?variant=iphone-13-128gb&works=yes&screen=light_scratches&body=flawless";

fn page_form(function: &str, fields: &[(&'static str, String)]) -> Vec<(String, String)> {
    let mut form = vec![
        ("__fn".to_string(), format!("/api/{function}")),
        ("__form".to_string(), format!("/api/{function}")),
    ];
    form.extend(fields.iter().map(|(k, v)| (k.to_string(), v.clone())));
    form
}

both_backends!(
    a_refused_page_form_comes_back_with_what_was_typed,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (_, seller_id) = seller_with_login(&app, "Alpha Refurb").await;
        listing(
            &app,
            seller_id,
            "iphone-13-128gb",
            Grade::FunctionalGood,
            31_200,
            1_000,
        )
        .await;
        let customer = customer(&app, "jane@example.com").await;
        let device = imei(41);
        let bad_iban = "FR14 2004 1010 0505 0001 3M02 607";
        let fields = with(
            confirm_form(&device, 31_200, "key-page-form-0001"),
            "iban",
            bad_iban,
        );
        let res = customer
            .post(app.url(ACCEPT))
            .form(&page_form("confirm_trade_in", &fields))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let page = res.text().await.unwrap();
        for kept in [
            format!(r#"value="{device}""#),
            r#"value="12 rue de la Paix""#.to_string(),
            r#"value="75002""#.to_string(),
            r#"value="1990-04-23""#.to_string(),
            r#"<option value="FR" selected"#.to_string(),
            r#"id="field-activation_lock_off" name="activation_lock_off" value="yes" checked"#
                .to_string(),
            r##"<a href="#field-iban">"##.to_string(),
        ] {
            assert!(page.contains(&kept), "{kept} in the page sent back");
        }
        assert!(
            !page.contains("3M02") && !page.contains("3M02 607"),
            "the IBAN typed is never written back"
        );
        assert!(page.contains("autofocus"), "the summary takes the focus");
        assert_eq!(app.count("trade_ins").await, 0, "nothing changed");

        // Fixed, it goes through: to the new trade-in's page.
        let res = customer
            .post(app.url(ACCEPT))
            .form(&page_form("confirm_trade_in", &with(fields, "iban", IBAN)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/trade-ins/"), "{location}");
        assert_eq!(app.count("trade_ins").await, 1);
        app.stop().await;
    }
);

both_backends!(
    signing_in_without_javascript_sets_the_session_and_returns,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let client = app.client();
        app.signup(
            &client,
            "Jane Doe",
            "jane@example.com",
            "correct horse battery",
        )
        .await;
        let plain = app.client();
        let login = |password: &str| {
            page_form(
                "login",
                &[
                    ("email", "jane@example.com".to_string()),
                    ("password", password.to_string()),
                    ("next", "/trade-ins".to_string()),
                ],
            )
        };
        let res = plain
            .post(app.url("/login?next=/trade-ins"))
            .form(&login("wrong password"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        assert!(page.contains(r#"value="jane@example.com""#));
        assert!(
            !page.contains("wrong password"),
            "a password is never echoed"
        );

        let res = plain
            .post(app.url("/login?next=/trade-ins"))
            .form(&login("correct horse battery"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/trade-ins");
        assert!(res.headers().contains_key("set-cookie"));
        assert!(app.whoami(&plain).await.is_some());

        // Only a registered server function can be named.
        let res = plain
            .post(app.url("/login"))
            .form(&[("__fn", "/api/../healthz")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        app.stop().await;
    }
);
