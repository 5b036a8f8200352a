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
