//! The refurbisher and operations areas in English or French (issue 25):
//! the footer's language links keep the choice in a cookie, the areas'
//! pages (their header and footer too) follow it, and each page carries
//! the areas' texts for the browser. Other pages keep the visitor's
//! market's language and carry no such texts.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let res = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

fn title(html: &str) -> &str {
    let start = html.find("<title>").expect("a title") + "<title>".len();
    &html[start..start + html[start..].find("</title>").expect("closed")]
}

/// Every page of the areas a signed-in refurbisher or ops user opens.
const SELLER_PAGES: [&str; 4] = [
    "/seller",
    "/seller/orders",
    "/seller/prices",
    "/seller/markets",
];
const OPS_PAGES: [&str; 9] = [
    "/ops",
    "/ops/suspended",
    "/ops/sellers",
    "/ops/fraud",
    "/ops/alerts",
    "/ops/claims",
    "/ops/refurbishers",
    "/ops/audit",
    "/ops/blocklist",
];

both_backends!(
    the_areas_speak_the_language_their_user_chose,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, _) = seller_with_login(&app, "Atelier Lumière").await;
        let ops = ops_client(&app).await;

        // English unless asked otherwise (the test client sends no
        // Accept-Language).
        let mut english = Vec::new();
        for (client, path) in SELLER_PAGES
            .iter()
            .map(|p| (&seller, *p))
            .chain(OPS_PAGES.iter().map(|p| (&ops, *p)))
        {
            let html = page(&app, client, path).await;
            assert!(html.contains(r#"<html lang="en""#), "{path}");
            assert!(
                html.contains(r#"<script type="application/json" id="staff-texts">"#),
                "{path}"
            );
            english.push(title(&html).to_string());
        }
        assert_eq!(english[0], "Refurbisher area · TradeIn");

        // The footer's link: French from now on, back on the same page.
        for client in [&seller, &ops] {
            let res = client
                .get(app.url("/language/fr?next=%2Fseller%2Fprices%3Fmarket%3Des-es"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 303);
            assert_eq!(res.headers()["location"], "/seller/prices?market=es-es");
            let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
            assert!(cookie.starts_with("tradein_lang=fr;"), "{cookie}");
        }
        for (i, (client, path)) in SELLER_PAGES
            .iter()
            .map(|p| (&seller, *p))
            .chain(OPS_PAGES.iter().map(|p| (&ops, *p)))
            .enumerate()
        {
            let html = page(&app, client, path).await;
            assert!(html.contains(r#"<html lang="fr""#), "{path}");
            assert_ne!(title(&html), english[i], "{path}'s title is not translated");
            assert!(
                html.contains(r#""lang":"fr""#),
                "{path} carries the French texts"
            );
        }
        let home = page(&app, &seller, "/seller").await;
        assert_eq!(title(&home), "Espace reconditionneur · TradeIn");
        // The header and footer are the areas' language too, with English
        // offered back as a link.
        assert!(
            home.contains(r#"<a href="/seller" rel="external">Espace reconditionneur</a>"#),
            "{home}"
        );
        assert!(home.contains(r#"hreflang="en">English</a>"#), "{home}");

        // Outside the areas, the visitor's market decides and no areas' texts
        // are sent.
        let market_page = page(&app, &seller, "/de-de").await;
        assert!(market_page.contains(r#"<html lang="de-DE""#));
        assert!(!market_page.contains("staff-texts"));

        // A browser asking for French gets French without choosing; one
        // asking for German gets English, which the areas have.
        let asks = |language: &'static str| {
            let app = &app;
            async move {
                let res = app
                    .client()
                    .get(app.url("/seller/signup"))
                    .header("accept-language", language)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
                res.text().await.unwrap()
            }
        };
        assert!(asks("fr-BE,fr;q=0.9,en;q=0.5")
            .await
            .contains(r#"<html lang="fr""#));
        assert!(asks("de-DE,de;q=0.9").await.contains(r#"<html lang="en""#));

        // Only the areas' languages, and only back to this site.
        let res = seller.get(app.url("/language/de")).send().await.unwrap();
        assert_eq!(res.status(), 404);
        for next in [
            "https%3A%2F%2Fevil.example",
            "%2F%2Fevil.example",
            "%2Faccount",
        ] {
            let res = seller
                .get(app.url(&format!("/language/fr?next={next}")))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 303);
            assert_eq!(res.headers()["location"], "/seller", "{next}");
        }
    }
);

const SKU: &str = "iphone-13-128gb";

both_backends!(
    a_price_files_rows_are_refused_in_the_areas_language,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, _) = seller_with_login(&app, "Atelier Lumière").await;
        let file = format!(
            "market;variant_sku;grade;price;currency;weekly_cap\n\
             xx-yy;{SKU};functional_good;300;;\n\
             fr-fr;{SKU};functional_good;0,50;;\n\
             fr-fr;{SKU};functional_good;300;;\n\
             fr-fr;{SKU};functional_good;310;;\n"
        );
        let reasons = |report: serde_json::Value| -> Vec<String> {
            report["errors"]
                .as_array()
                .expect("row errors")
                .iter()
                .map(|e| e["reason"].as_str().unwrap().to_string())
                .collect()
        };
        let english = crate::prices::upload(&app, &seller, file.clone(), "preview", None, false)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            reasons(english),
            [
                "\"xx-yy\" is not a market; use one of fr-fr, de-de, es-es, it-it, en-gb, en-us",
                "price: the lowest price is 1 EUR",
                format!("{SKU} functional_good in fr-fr is already on line 4").as_str(),
            ]
        );

        seller.get(app.url("/language/fr")).send().await.unwrap();
        let french = crate::prices::upload(&app, &seller, file, "preview", None, false)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            reasons(french),
            [
                "« xx-yy » n’est pas un marché ; utilisez l’un de ceux-ci : fr-fr, de-de, es-es, it-it, en-gb, en-us",
                "prix : le prix minimum est de 1 EUR",
                format!("{SKU} functional_good sur le marché fr-fr figure déjà à la ligne 4").as_str(),
            ]
        );
    }
);

both_backends!(
    mails_to_refurbishers_and_operations_are_in_their_language,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, seller_id) = seller_with_login(&app, "Alpha Refurb").await;
        listing(
            &app,
            seller_id,
            SKU,
            tradein::domain::grade::Grade::FunctionalGood,
            31_200,
            1_000,
        )
        .await;
        let ops = ops_client(&app).await;
        // Operations chooses French from the footer, signed in: the account
        // keeps it. The refurbisher chooses English, though its home market
        // is France (which it would otherwise be written to in).
        ops.get(app.url("/language/fr")).send().await.unwrap();
        seller.get(app.url("/language/en")).send().await.unwrap();
        let lang: Option<String> = sqlx::query_scalar("SELECT lang FROM users WHERE email = $1")
            .bind("olga@ops.example")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(lang.as_deref(), Some("fr"));

        let consumer = customer(&app, "jane@example.com").await;
        let res = confirm(
            &app,
            &consumer,
            &confirm_form(&imei(3), 31_200, "key-claim-mail-0001"),
        )
        .await;
        let ids = redirected_id(&res).to_string();
        app.call(&consumer, "mark_shipped", &[("id", &ids)]).await;
        let res = app
            .call(
                &consumer,
                "open_claim",
                &[
                    ("trade_in_id", &ids),
                    ("kind", "parcel_lost"),
                    ("message", "Posted 10 days ago, tracking has not moved."),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);

        let to_ops = app.sent_mail("olga@ops.example", "claim_opened").await;
        assert!(
            to_ops.contains("Un consommateur a ouvert une réclamation sur la reprise")
                && to_ops.contains("Mon colis a été perdu"),
            "{to_ops}"
        );
        let seller_email: String =
            sqlx::query_scalar("SELECT contact_email FROM sellers WHERE id = $1")
                .bind(seller_id)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        let to_seller = app.sent_mail(&seller_email, "claim_opened").await;
        assert!(
            to_seller.contains("A consumer opened a claim on trade-in"),
            "{to_seller}"
        );
    }
);
