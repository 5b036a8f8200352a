//! Markets (issue 25): a refurbisher prices each variant and grade per
//! market in that market's currency, each market's offer comes from its
//! own listings, a warehouse must be in its market's customs area, the CSV
//! carries a market column, and the database refuses a price in another
//! market's currency. Every test runs on SQLite and Postgres.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use serde_json::Value;
use tradein::domain::address::AddressInput;
use tradein::domain::grade::Grade;
use tradein::domain::market::Market;
use tradein::domain::offer::Decision;
use tradein::domain::seller::SellerStatus;
use tradein::features::sellers::service::buy_in;
use tradein::platform::clock::Clock;

const SKU: &str = "iphone-13-128gb";
const GOOD: &str = "functional_good";

fn lyon() -> AddressInput<'static> {
    AddressInput {
        name: "Alpha Lyon",
        line1: "3 quai Perrache",
        postcode: "69002",
        city: "Lyon",
        country: "FR",
        ..AddressInput::default()
    }
}

fn leeds() -> AddressInput<'static> {
    AddressInput {
        name: "Alpha UK",
        line1: "1 Dock Road",
        postcode: "LS1 4AP",
        city: "Leeds",
        country: "GB",
        ..AddressInput::default()
    }
}

fn austin() -> AddressInput<'static> {
    AddressInput {
        name: "Alpha US",
        line1: "500 Congress Ave",
        postcode: "78701",
        city: "Austin",
        region: "TX",
        country: "US",
        ..AddressInput::default()
    }
}

async fn decision(app: &TestApp, market: Market, sku: &str) -> Decision {
    let v = variant_id(app, sku).await;
    let mut conn = app.state.db.pool().acquire().await.unwrap();
    tradein::features::trade_ins::service::current_decision(
        &mut conn,
        market,
        v,
        Grade::FunctionalGood,
        app.clock.now_ms(),
    )
    .await
    .unwrap()
}

fn price_of(d: &Decision) -> Option<(i64, &'static str)> {
    match d {
        Decision::Buy(c) => Some((c.price.minor(), c.price.currency().code())),
        Decision::Recycle => None,
    }
}

async fn save(
    app: &TestApp,
    client: &reqwest::Client,
    market: &str,
    price: &str,
) -> reqwest::Response {
    let v = variant_id(app, SKU).await.to_string();
    app.call(
        client,
        "price_cell",
        &[
            ("market", market),
            ("variant_id", &v),
            ("grade", GOOD),
            ("price", price),
        ],
    )
    .await
}

/// A listing written straight into the database, past every check the
/// app makes: what the database itself accepts.
async fn raw_listing(
    app: &TestApp,
    seller: tradein::domain::ids::SellerId,
    variant: tradein::domain::ids::VariantId,
    market: &str,
    currency: &str,
) -> Result<sqlx::any::AnyQueryResult, sqlx::Error> {
    sqlx::query(
        "INSERT INTO listings (seller_id, variant_id, grade, market, currency, price_minor, price_set_at, created_at) \
         VALUES ($1, $2, 'functional_good', $3, $4, 100, 0, 0)",
    )
    .bind(seller)
    .bind(variant)
    .bind(market)
    .bind(currency)
    .execute(app.state.db.pool())
    .await
}

async fn listings(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM listings")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

both_backends!(
    each_market_gets_its_own_price_in_its_own_currency,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        buy_in(&app.state, alpha_id, Market::EsEs, &lyon())
            .await
            .unwrap();
        buy_in(&app.state, alpha_id, Market::EnGb, &leeds())
            .await
            .unwrap();

        for (market, price) in [("fr-fr", "300"), ("es-es", "280"), ("en-gb", "250")] {
            let res = save(&app, &alpha, market, price).await;
            assert_eq!(res.status(), 200, "{market}: {:?}", res.text().await);
        }
        assert_eq!(
            price_of(&decision(&app, Market::FrFr, SKU).await),
            Some((30_000, "EUR"))
        );
        assert_eq!(
            price_of(&decision(&app, Market::EsEs, SKU).await),
            Some((28_000, "EUR"))
        );
        assert_eq!(
            price_of(&decision(&app, Market::EnGb, SKU).await),
            Some((25_000, "GBP"))
        );
        assert_eq!(
            price_of(&decision(&app, Market::DeDe, SKU).await),
            None,
            "nobody buys in Germany: the device goes to recycling"
        );

        // The grid shows one market at a time, with the markets to choose from.
        let page: Value = app
            .call(
                &alpha,
                "price_grid",
                &[("market", "es-es"), ("q", "iphone 13")],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["market"], "es-es");
        assert_eq!(
            page["markets"],
            serde_json::json!(["fr-fr", "es-es", "en-gb"])
        );
        let row = page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["sku"] == SKU)
            .unwrap();
        assert_eq!(row["cells"][1]["price_minor"], 28_000);
        let history: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM price_history WHERE market = 'es-es'")
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        assert_eq!(history, 1, "each market's change is recorded as its own");

        // A market this refurbisher does not buy in: refused next to the
        // field, nothing written.
        let before = listings(&app).await;
        let res = save(&app, &alpha, "en-us", "300").await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("market"), "{body}");
        assert!(body.contains("You do not buy in this market"), "{body}");
        assert_eq!(
            app.call(&alpha, "price_grid", &[("market", "xx-yy")])
                .await
                .status(),
            422
        );
        assert_eq!(listings(&app).await, before);
    }
);

both_backends!(
    the_database_refuses_a_price_in_another_markets_currency,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        let v = variant_id(&app, SKU).await;
        for (market, currency, ok) in [
            ("en-gb", "EUR", false),
            ("en-us", "GBP", false),
            ("de-de", "USD", false),
            ("en-gb", "GBP", true),
        ] {
            let r = raw_listing(&app, s, v, market, currency).await;
            assert_eq!(r.is_ok(), ok, "{market} in {currency}: {r:?}");
        }
        let r = sqlx::query("UPDATE trade_ins SET currency = 'USD' WHERE market = 'fr-fr'")
            .execute(app.state.db.pool())
            .await;
        assert!(r.is_ok(), "no trade-in yet: {r:?}");
    }
);

both_backends!(
    a_warehouse_is_in_its_markets_customs_area,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        let err = buy_in(
            &app.state,
            s,
            Market::EnGb,
            &AddressInput {
                postcode: "69002",
                ..lyon()
            },
        )
        .await
        .unwrap_err();
        assert!(err.field("country").is_some(), "{err:?}");
        let err = buy_in(
            &app.state,
            s,
            Market::EnGb,
            &AddressInput {
                postcode: "LS14",
                ..leeds()
            },
        )
        .await
        .unwrap_err();
        assert!(err.field("postcode").is_some(), "{err:?}");
        let (_, markets) = tradein::features::sellers::service::markets(app.state.db.pool(), s)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(markets, [Market::FrFr], "nothing written");

        buy_in(&app.state, s, Market::EnGb, &leeds()).await.unwrap();
        buy_in(&app.state, s, Market::DeDe, &lyon()).await.unwrap();
        let pool = app.state.db.pool();
        let to = |m| tradein::features::sellers::service::warehouse_address(pool, s, m);
        assert_eq!(to(Market::EnGb).await.unwrap().unwrap().postcode, "LS1 4AP");
        assert_eq!(
            to(Market::DeDe).await.unwrap().unwrap().city,
            "Lyon",
            "German parcels cross into France"
        );
        assert_eq!(
            to(Market::FrFr).await.unwrap().unwrap().city,
            "Paris",
            "the home market's warehouse is the company's address"
        );
        assert_eq!(
            to(Market::EnUs).await.unwrap().unwrap().city,
            "Paris",
            "a market without a warehouse falls back to the company (the recycling partner)"
        );
        // Moving a warehouse replaces it.
        buy_in(
            &app.state,
            s,
            Market::EnGb,
            &AddressInput {
                city: "York",
                postcode: "YO1 7HH",
                ..leeds()
            },
        )
        .await
        .unwrap();
        assert_eq!(to(Market::EnGb).await.unwrap().unwrap().city, "York");
    }
);

both_backends!(
    a_price_file_names_its_markets_and_an_old_file_goes_home,
    |backend| async move {
        use tradein::features::pricing::service::{apply_import, preview_import, seller_ctx};
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        buy_in(&app.state, s, Market::EsEs, &lyon()).await.unwrap();
        let user: tradein::domain::ids::UserId =
            sqlx::query_scalar("SELECT user_id FROM sellers WHERE id = $1")
                .bind(s)
                .fetch_one(app.state.db.pool())
                .await
                .unwrap();
        let ctx = seller_ctx(&app.state, user).await.unwrap();
        assert_eq!(ctx.markets, [Market::FrFr, Market::EsEs]);

        let file = format!(
            "market;variant_sku;grade;price;currency;weekly_cap\n\
             fr-fr;{SKU};{GOOD};300,00;EUR;\n\
             es-es;{SKU};{GOOD};280,00;;5\n\
             en-us;{SKU};{GOOD};320,00;USD;\n\
             en-gb;{SKU};{GOOD};250,00;EUR;\n"
        );
        let report = preview_import(&app.state, &ctx, &file, false)
            .await
            .unwrap();
        let lines: Vec<(usize, &str)> = report
            .errors
            .iter()
            .map(|e| (e.line, e.reason.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (4, "you do not buy in en-us: add it to your markets first"),
                (5, "prices in en-gb are in GBP, not \"EUR\"")
            ]
        );
        let apply = apply_import(&app.state, &ctx, &file, false, &report.base).await;
        assert!(apply.is_err(), "a file with bad rows changes nothing");
        assert_eq!(listings(&app).await, 0);

        let good: String = file.lines().take(3).map(|l| format!("{l}\n")).collect();
        let report = preview_import(&app.state, &ctx, &good, false)
            .await
            .unwrap();
        assert_eq!(report.markets, [Market::FrFr, Market::EsEs]);
        assert!(!report.without_market);
        assert_eq!(report.counts.new, 2);
        apply_import(&app.state, &ctx, &good, false, &report.base)
            .await
            .unwrap();
        assert_eq!(
            price_of(&decision(&app, Market::EsEs, SKU).await),
            Some((28_000, "EUR"))
        );
        let cap: Option<i64> = sqlx::query_scalar(
            "SELECT weekly_cap FROM listings WHERE seller_id = $1 AND market = 'es-es'",
        )
        .bind(s)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(cap, Some(5));

        // The first format: every row is the home market's, and replacing
        // "the whole grid" leaves Spain alone.
        let old = format!("variant_sku,grade,price_eur,weekly_cap\n{SKU},{GOOD},310,\n");
        let report = preview_import(&app.state, &ctx, &old, true).await.unwrap();
        assert!(report.without_market);
        assert_eq!(report.markets, [Market::FrFr]);
        assert_eq!((report.counts.changed, report.counts.removed), (1, 0));
        apply_import(&app.state, &ctx, &old, true, &report.base)
            .await
            .unwrap();
        assert_eq!(
            price_of(&decision(&app, Market::FrFr, SKU).await),
            Some((31_000, "EUR"))
        );
        assert_eq!(
            price_of(&decision(&app, Market::EsEs, SKU).await),
            Some((28_000, "EUR"))
        );

        // The export holds every market, and reads back unchanged.
        let export = tradein::features::pricing::service::export_csv(&app.state, &ctx)
            .await
            .unwrap();
        assert_eq!(
            export.lines().collect::<Vec<_>>(),
            [
                "market,variant_sku,grade,price,currency,weekly_cap",
                "es-es,iphone-13-128gb,functional_good,280.00,EUR,5",
                "fr-fr,iphone-13-128gb,functional_good,310.00,EUR,",
            ]
        );
        let report = preview_import(&app.state, &ctx, &export, false)
            .await
            .unwrap();
        assert_eq!(report.counts.unchanged, 2);
        assert!(report.errors.is_empty());
    }
);

both_backends!(
    a_uk_refurbisher_cannot_import_euros_without_a_market_column,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let user_id = tradein::features::accounts::service::insert_user(
            app.state.db.pool(),
            tradein::features::accounts::service::NewUser {
                email: &tradein::domain::account::Email::parse("uk@sellers.example").unwrap(),
                password_hash: "!",
                role: tradein::domain::account::Role::Seller,
                display_name: "Renew UK",
                email_verified: true,
            },
            0,
        )
        .await
        .unwrap();
        let mut conn = app.state.db.pool().acquire().await.unwrap();
        tradein::features::sellers::service::insert_seller(
            &mut conn,
            &tradein::features::sellers::service::NewSeller {
                user_id,
                company_name: "Renew UK",
                vat_number: "GB123456789",
                address_line1: "1 Dock Road",
                address_line2: "",
                postcode: "LS1 4AP",
                city: "Leeds",
                country: "GB",
                contact_name: "",
                contact_email: "uk@sellers.example",
                contact_phone: "",
                status: SellerStatus::Approved,
                weekly_cap: None,
                quality_score: 500,
                kind: "refurbisher",
                home_market: Market::EnGb,
            },
            0,
        )
        .await
        .unwrap();
        drop(conn);
        let ctx = tradein::features::pricing::service::seller_ctx(&app.state, user_id)
            .await
            .unwrap();
        assert_eq!(
            (ctx.home_market, ctx.markets.clone()),
            (Market::EnGb, vec![Market::EnGb])
        );
        let old = format!("variant_sku,grade,price_eur,weekly_cap\n{SKU},{GOOD},310,\n");
        let err =
            tradein::features::pricing::service::preview_import(&app.state, &ctx, &old, false)
                .await
                .unwrap_err();
        assert!(
            err.field("file").is_some_and(|m| m.contains("pays in GBP")),
            "{err:?}"
        );
        let file = format!(
            "market,variant_sku,grade,price,currency,weekly_cap\nen-gb,{SKU},{GOOD},310,GBP,\n"
        );
        let report =
            tradein::features::pricing::service::preview_import(&app.state, &ctx, &file, false)
                .await
                .unwrap();
        assert_eq!(report.counts.new, 1);
    }
);

/// A client that does not follow redirects, with these headers.
fn browser(headers: &[(&'static str, &str)]) -> reqwest::Client {
    let mut h = reqwest::header::HeaderMap::new();
    for (k, v) in headers {
        h.insert(*k, v.parse().unwrap());
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(h)
        .build()
        .unwrap()
}

both_backends!(
    a_visitor_lands_in_their_market_and_keeps_it,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let location = |res: &reqwest::Response| {
            res.headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string())
        };
        let german = browser(&[("accept-language", "de-DE,de;q=0.9,en;q=0.5")]);
        let res = german.get(app.url("/")).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(location(&res).as_deref(), Some("/de-de"));
        let res = browser(&[]).get(app.url("/")).send().await.unwrap();
        assert_eq!(location(&res).as_deref(), Some("/fr-fr"));
        // An old address keeps its page.
        let res = german
            .get(app.url("/sell/smartphones/apple?x=1"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            location(&res).as_deref(),
            Some("/de-de/sell/smartphones/apple?x=1")
        );

        // Opening a market's page remembers it over the browser's languages.
        let res = german.get(app.url("/en-gb")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("tradein_market="))
            .expect("the market is remembered");
        assert!(cookie.starts_with("tradein_market=en-gb;"), "{cookie}");
        let html = res.text().await.unwrap();
        assert!(html.contains("<html lang=\"en-GB\""), "{html}");
        for (lang, path) in [("de-DE", "/de-de"), ("en-US", "/en-us"), ("x-default", "/")] {
            let link = format!(
                "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}{path}\"",
                app.public_origin()
            );
            assert!(html.contains(&link), "{link} in {html}");
        }
        let back = browser(&[
            ("accept-language", "de-DE"),
            ("cookie", "tradein_market=en-gb"),
        ]);
        let res = back.get(app.url("/")).send().await.unwrap();
        assert_eq!(location(&res).as_deref(), Some("/en-gb"));
        let res = back.get(app.url("/en-gb")).send().await.unwrap();
        assert!(
            res.headers().get("set-cookie").is_none(),
            "nothing to remember again"
        );

        // A market that does not exist: 404, with the way to the chooser.
        let res = browser(&[])
            .get(app.url("/xx-yy/sell/smartphones"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let html = res.text().await.unwrap();
        assert!(html.contains("href=\"/markets\""), "{html}");
        let chooser = browser(&[])
            .get(app.url("/markets?next=/sell/smartphones"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            chooser.contains("href=\"/de-de/sell/smartphones\""),
            "{chooser}"
        );
        assert!(chooser.contains(">Deutschland<"), "{chooser}");
    }
);

both_backends!(
    a_us_consumer_gets_dollars_and_three_weeks,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = uk_and_us_buyer(&app).await;
        listing(&app, s, SKU, Grade::FunctionalGood, 30_000, 1_000).await;
        let offer = |market: &'static str| {
            let app = &app;
            async move {
                let html = browser(&[])
                    .get(app.url(&format!(
                        "/{market}/sell/smartphones/apple/iphone-13/offer?variant={SKU}&works=yes&screen=light_scratches&body=flawless"
                    )))
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                html
            }
        };
        let us = offer("en-us").await;
        assert!(us.contains("$320.00"), "{us}");
        assert!(us.contains("within 21 days"), "{us}");
        assert!(us.contains("<html lang=\"en-US\""));
        let fr = offer("fr-fr").await;
        // France in French: its amounts, its shipping window.
        assert!(fr.contains("300,00\u{a0}€"), "{fr}");
        assert!(fr.contains("sous 14 jours"), "{fr}");
        let de = offer("de-de").await;
        assert!(!de.contains("300,00\u{a0}€"), "nobody buys in Germany");
        // The views are logged off the request path.
        app.state
            .feature::<tradein::features::offers::shown::OfferViewLog>()
            .flush()
            .await;
        let shown: Vec<(String, Option<i64>)> =
            sqlx::query_as("SELECT market, price_minor FROM offer_views ORDER BY id")
                .fetch_all(app.state.db.pool())
                .await
                .unwrap();
        let markets: Vec<&str> = shown.iter().map(|(m, _)| m.as_str()).collect();
        assert!(
            markets.contains(&"en-us") && markets.contains(&"fr-fr"),
            "{shown:?}"
        );
    }
);

/// The UK's and the US's own listings for the iPhone 13 128 GB (Works,
/// light wear), bought by Alpha from a warehouse in each country.
async fn uk_and_us_buyer(app: &TestApp) -> tradein::domain::ids::SellerId {
    use tradein::domain::money::{Currency, Money};
    let s = seller(app, SellerSpec::approved("Alpha Refurb")).await;
    buy_in(&app.state, s, Market::EnGb, &leeds()).await.unwrap();
    buy_in(&app.state, s, Market::EnUs, &austin())
        .await
        .unwrap();
    let v = variant_id(app, SKU).await;
    let mut conn = app.state.db.pool().acquire().await.unwrap();
    let listing = |market, price| tradein::features::sellers::service::NewListing {
        market,
        seller_id: s,
        variant_id: v,
        grade: Grade::FunctionalGood,
        price,
    };
    tradein::features::sellers::service::insert_listings(
        &app.state.db,
        &mut conn,
        &[
            listing(Market::EnGb, Money::new(25_000, Currency::Gbp)),
            listing(Market::EnUs, Money::new(32_000, Currency::Usd)),
        ],
        1_000,
    )
    .await
    .unwrap();
    s
}

async fn trade_ins(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM trade_ins")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

both_backends!(
    uk_and_us_consumers_give_their_own_address_and_account,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        uk_and_us_buyer(&app).await;
        let client = customer(&app, "jane@example.com").await;
        let uk = |key: &str| {
            let mut form = confirm_form(&imei(41), 25_000, key);
            for (k, v) in [
                ("market", "en-gb"),
                ("address_line1", "10 Downing Street"),
                ("postcode", "SW1A 2AA"),
                ("city", "London"),
                ("country", "GB"),
                ("sort_code", "12-34-56"),
                ("account_number", "12345678"),
                ("iban", ""),
            ] {
                form = with(form, k, v);
            }
            form
        };
        let refused =
            |field: &'static str, value: &'static str, form: Vec<(&'static str, String)>| {
                let (app, client) = (&app, &client);
                async move {
                    let res = confirm(app, client, &with(form, field, value)).await;
                    assert_eq!(res.status(), 422, "{field} = {value}");
                    let body = res.text().await.unwrap();
                    assert!(
                        body.contains(&format!("\"field\":\"{field}\"")),
                        "{field}: {body}"
                    );
                    body
                }
            };
        let body = refused("sort_code", "12-AB-56", uk("k-uk-0000000000001")).await;
        assert!(body.contains("6 digits"), "{body}");
        let body = refused("postcode", "75002", uk("k-uk-0000000000002")).await;
        assert!(body.contains("UK postcode"), "{body}");
        refused("country", "FR", uk("k-uk-0000000000003")).await;
        assert_eq!(trade_ins(&app).await, 0, "nothing written");

        let res = confirm(&app, &client, &uk("k-uk-0000000000004")).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let id = redirected_id(&res);
        let (market, currency, price, masked, ship_by, created): (String, String, i64, String, i64, i64) =
            sqlx::query_as(
                "SELECT market, currency, price_minor, iban_masked, ship_by_at, created_at FROM trade_ins WHERE id = $1",
            )
            .bind(id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(
            (market.as_str(), currency.as_str(), price),
            ("en-gb", "GBP", 25_000)
        );
        assert_eq!(masked, "12-34-56 ••••5678");
        assert_eq!(ship_by - created, 14 * 86_400_000);
        let record = tradein::features::trade_ins::service::find(
            app.state.db.pool(),
            tradein::domain::ids::TradeInId(id),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(
            record.price.currency(),
            tradein::domain::money::Currency::Gbp
        );
        assert_eq!(
            record.seller_address.postcode, "LS1 4AP",
            "the label goes to the UK warehouse"
        );

        // The United States: ZIP, state and routing number, 21 days.
        let us = |key: &str| {
            let mut form = confirm_form(&imei(42), 32_000, key);
            for (k, v) in [
                ("market", "en-us"),
                ("address_line1", "1 Market St"),
                ("postcode", "94105"),
                ("city", "San Francisco"),
                ("region", "CA"),
                ("country", "US"),
                ("routing_number", "011000015"),
                ("account_number", "000123456789"),
                ("iban", ""),
            ] {
                form = with(form, k, v);
            }
            form
        };
        let body = refused("routing_number", "011000016", us("k-us-0000000000001")).await;
        assert!(body.contains("not valid"), "{body}");
        refused("region", "ZZ", us("k-us-0000000000002")).await;
        refused("postcode", "SW1A 2AA", us("k-us-0000000000003")).await;
        let res = confirm(&app, &client, &us("k-us-0000000000004")).await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let id = redirected_id(&res);
        let (currency, ship_by, created, region): (String, i64, i64, String) = sqlx::query_as(
            "SELECT currency, ship_by_at, created_at, address_region FROM trade_ins WHERE id = $1",
        )
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(currency, "USD");
        assert_eq!(ship_by - created, 21 * 86_400_000);
        assert_eq!(region, "CA");
        assert_eq!(trade_ins(&app).await, 2);
    }
);

both_backends!(the_demo_buys_in_every_market, |backend| async move {
    let app = TestApp::spawn_with_demo(backend).await;
    let gb = decision(&app, Market::EnGb, SKU).await;
    let us = decision(&app, Market::EnUs, SKU).await;
    match (&gb, &us) {
        (Decision::Buy(gb), Decision::Buy(us)) => {
            assert_eq!(gb.seller_name, "Reboxed UK Ltd");
            assert_eq!(gb.price.currency().code(), "GBP");
            assert_eq!(us.seller_name, "Second Wave Devices Inc.");
            assert_eq!(us.price.currency().code(), "USD");
        }
        other => panic!("{other:?}"),
    }
    for m in Market::ALL {
        assert!(
            matches!(decision(&app, m, SKU).await, Decision::Buy(_)),
            "someone buys in {}",
            m.code()
        );
    }
    // ReNew prices the same phone differently in France and Spain.
    let renew: Vec<(String, i64)> = sqlx::query_as(
            "SELECT l.market, l.price_minor FROM listings l JOIN sellers s ON s.id = l.seller_id \
             JOIN variants v ON v.id = l.variant_id \
             WHERE s.company_name = 'ReNew Mobile SAS' AND v.sku = $1 AND l.grade = 'functional_good' ORDER BY l.market",
        )
        .bind(SKU)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    let price = |m: &str| renew.iter().find(|(k, _)| k == m).map(|(_, p)| *p);
    assert!(price("es-es") < price("fr-fr"), "{renew:?}");
    assert!(price("de-de").is_some(), "{renew:?}");
    // Recycling stays in the consumer's customs area; a US warehouse
    // names its state.
    let pool = app.state.db.pool();
    let (recycler, _) = tradein::features::sellers::service::recycler(pool)
        .await
        .unwrap()
        .unwrap();
    let to = |s, m| tradein::features::sellers::service::warehouse_address(pool, s, m);
    assert_eq!(
        to(recycler, Market::EnGb).await.unwrap().unwrap().country,
        "GB"
    );
    assert_eq!(
        to(recycler, Market::EnUs).await.unwrap().unwrap().region,
        "NJ"
    );
    let wave: tradein::domain::ids::SellerId = sqlx::query_scalar(
        "SELECT id FROM sellers WHERE company_name = 'Second Wave Devices Inc.'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(to(wave, Market::EnUs).await.unwrap().unwrap().region, "TX");
    // A consumer in every other market, with a trade-in there in its
    // currency, going to a warehouse in that market's customs area.
    for c in &tradein::features::demo::service::market_consumers::CONSUMERS {
        let (market, currency, country, to_country): (String, String, String, String) =
            sqlx::query_as(
                "SELECT t.market, t.currency, t.country, COALESCE(w.country, s.country) FROM trade_ins t \
                 JOIN users u ON u.id = t.customer_id JOIN sellers s ON s.id = t.seller_id \
                 LEFT JOIN seller_markets w ON w.seller_id = t.seller_id AND w.market = t.market \
                 WHERE u.email = $1",
            )
            .bind(c.email)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(market, c.market.code(), "{}", c.email);
        assert_eq!(currency, c.market.currency().code(), "{}", c.email);
        assert_eq!(country, c.market.country(), "{}", c.email);
        assert!(
            c.market.may_ship_to(&to_country),
            "{}: to {to_country}",
            c.email
        );
    }
    app.stop().await;
});

both_backends!(
    a_refurbisher_chooses_its_markets_in_its_area,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (alpha, _) = seller_with_login(&app, "Alpha Refurb").await;
        let uk_for_france = [
            ("market", "fr-fr"),
            ("warehouse_name", "Alpha UK"),
            ("address_line1", "1 Dock Road"),
            ("postcode", "LS1 4AP"),
            ("city", "Leeds"),
            ("country", "GB"),
        ];
        let res = app.call(&alpha, "save_seller_market", &uk_for_france).await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("\"field\":\"country\""), "{body}");
        let mut uk = uk_for_france.to_vec();
        uk[0] = ("market", "en-gb");
        assert_eq!(
            app.call(&alpha, "save_seller_market", &uk).await.status(),
            200
        );
        let list: Value = app
            .call(&alpha, "seller_markets", &[])
            .await
            .json()
            .await
            .unwrap();
        let markets: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["market"].as_str().unwrap())
            .collect();
        assert_eq!(markets, ["fr-fr", "en-gb"]);
        assert_eq!(list[0]["home"], true);
        assert_eq!(list[1]["address"][2], "LS1 4AP");
        // Its grid now offers the UK, in pounds.
        let page: Value = app
            .call(&alpha, "price_grid", &[("market", "en-gb")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["market"], "en-gb");
    }
);

both_backends!(
    a_consumer_in_germany_reads_german_and_prints_a_german_label,
    |backend| async move {
        use tradein::domain::money::{Currency, Money};
        use tradein::i18n::{Msg, Texts};
        let app = TestApp::spawn(backend).await;
        let de = Texts::of(Market::DeDe);
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        buy_in(
            &app.state,
            s,
            Market::DeDe,
            &AddressInput {
                name: "Alpha Lager",
                line1: "Hafenstraße 3",
                postcode: "20457",
                city: "Hamburg",
                country: "DE",
                ..AddressInput::default()
            },
        )
        .await
        .unwrap();
        let v = variant_id(&app, SKU).await;
        let mut conn = app.state.db.pool().acquire().await.unwrap();
        tradein::features::sellers::service::insert_listings(
            &app.state.db,
            &mut conn,
            &[tradein::features::sellers::service::NewListing {
                market: Market::DeDe,
                seller_id: s,
                variant_id: v,
                grade: Grade::FunctionalGood,
                price: Money::new(123_450, Currency::Eur),
            }],
            1_000,
        )
        .await
        .unwrap();
        drop(conn);

        // The offer page: German words, German amounts, a German date.
        let html = browser(&[])
            .get(app.url(&format!(
                "/de-de/sell/smartphones/apple/iphone-13/offer?variant={SKU}&works=yes&screen=light_scratches&body=flawless"
            )))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("<html lang=\"de-DE\""));
        assert!(html.contains("1.234,50\u{a0}€"), "{html}");
        assert!(html.contains(de.get(Msg::OfferAccept)), "{html}");
        assert!(html.contains("innerhalb von 14 Tagen"), "{html}");
        assert!(!html.contains("Accept offer"), "no English left: {html}");
        // The page carries its language's texts for the browser, and only those.
        assert!(
            html.contains("<script type=\"application/json\" id=\"texts\">{\"market\":\"de-de\"")
        );
        assert!(!html.contains(Texts::of(Market::FrFr).get(Msg::OfferAccept)));

        // A wrong postcode and IBAN are refused in German, next to their fields.
        let client = customer(&app, "jurgen@example.com").await;
        let german = |key: &str, postcode: &str, iban: &str| {
            let mut form = confirm_form(&imei(43), 123_450, key);
            for (k, v) in [
                ("market", "de-de"),
                ("address_line1", "Königstraße 12"),
                ("postcode", postcode),
                ("city", "Stuttgart"),
                ("country", "DE"),
                ("iban", iban),
            ] {
                form = with(form, k, v);
            }
            form
        };
        let res = confirm(
            &app,
            &client,
            &german("k-de-0000000000001", "7017", "DE89 3704 0044 0532 0130 01"),
        )
        .await;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.unwrap();
        let text = body.to_string();
        let postcode = de.fill(
            Msg::ErrorPostcodeOf,
            &[("country", &de.get(Msg::CountryDe)), ("example", &"10969")],
        );
        assert!(text.contains(&postcode), "{postcode} in {text}");
        assert!(text.contains(de.get(Msg::ErrorIbanChecksum)), "{text}");
        assert_eq!(trade_ins(&app).await, 0, "nothing written");

        let res = confirm(
            &app,
            &client,
            &german("k-de-0000000000002", "70173", "DE89 3704 0044 0532 0130 00"),
        )
        .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        let id = redirected_id(&res);
        let label = || async {
            let pdf = client
                .get(app.url(&format!("/trade-ins/{id}/label.pdf")))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            String::from_utf8_lossy(&pdf).into_owned()
        };
        let text = label().await;
        for msg in [
            Msg::LabelTitle,
            Msg::LabelTo,
            Msg::LabelFrom,
            Msg::LabelPacking,
        ] {
            assert!(text.contains(&format!("({})", de.get(msg))), "{msg:?}");
        }
        assert!(text.contains("Hamburg"), "to the German warehouse");

        // The refurbisher moves its German warehouse: the parcel already
        // addressed to Hamburg stays addressed there.
        buy_in(
            &app.state,
            s,
            Market::DeDe,
            &AddressInput {
                name: "Alpha Lager Bremen",
                line1: "Überseetor 1",
                postcode: "28217",
                city: "Bremen",
                country: "DE",
                ..AddressInput::default()
            },
        )
        .await
        .unwrap();
        let again = label().await;
        assert!(again.contains("Hamburg"), "the label it was issued with");
        assert!(!again.contains("Bremen"), "not the new warehouse");

        // And the mail that confirms it is German too.
        let subject: String = sqlx::query_scalar(
            "SELECT subject FROM outbox WHERE trade_in_id = $1 AND kind = 'confirmation'",
        )
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        let reference: String = sqlx::query_scalar("SELECT reference FROM trade_ins WHERE id = $1")
            .bind(id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        assert_eq!(
            subject,
            de.fill(Msg::MailConfirmationSubject, &[("reference", &reference)])
        );
    }
);

both_backends!(
    a_variant_is_offered_and_bought_only_where_it_is_sold,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // The catalog: an iPhone 15 with a SIM tray everywhere but the
        // United States, and eSIM-only there.
        let variants_in = |market: &'static str| {
            let app = &app;
            async move {
                let res = app
                    .client()
                    .post(app.url("/api/model_detail"))
                    .form(&[
                        ("category", "smartphones"),
                        ("brand", "apple"),
                        ("model", "iphone-15"),
                        ("market", market),
                    ])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200, "{market}");
                let detail: Value = res.json().await.unwrap();
                detail["variants"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v["sku"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        let us = variants_in("en-us").await;
        let fr = variants_in("fr-fr").await;
        assert!(
            us.contains(&"iphone-15-128gb-esim-only".to_string()),
            "{us:?}"
        );
        assert!(!us.contains(&"iphone-15-128gb".to_string()), "{us:?}");
        assert!(fr.contains(&"iphone-15-128gb".to_string()), "{fr:?}");
        assert!(!fr.iter().any(|s| s.ends_with("esim-only")), "{fr:?}");

        // A consumer in the US cannot ask for the SIM-tray model's offer.
        let res = app
            .client()
            .post(app.url("/api/get_offer"))
            .form(&[
                ("category", "smartphones"),
                ("brand", "apple"),
                ("model", "iphone-15"),
                ("q[variant]", "iphone-15-128gb"),
                ("q[works]", "yes"),
                ("q[screen]", "light_scratches"),
                ("q[body]", "flawless"),
                ("market", "en-us"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);

        // A refurbisher cannot price it there: refused next to the price,
        // nothing written.
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        buy_in(&app.state, alpha_id, Market::EnUs, &austin())
            .await
            .unwrap();
        let before = listings(&app).await;
        let price = |sku: &'static str, market: &'static str| {
            let (app, alpha) = (&app, &alpha);
            async move {
                let v = variant_id(app, sku).await.to_string();
                app.call(
                    alpha,
                    "price_cell",
                    &[
                        ("market", market),
                        ("variant_id", &v),
                        ("grade", GOOD),
                        ("price", "400"),
                    ],
                )
                .await
            }
        };
        let res = price("iphone-15-128gb", "en-us").await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("not sold in United States"), "{body}");
        assert_eq!(listings(&app).await, before);
        assert_eq!(
            price("iphone-15-128gb-esim-only", "en-us").await.status(),
            200
        );
        assert_eq!(price("iphone-15-128gb", "fr-fr").await.status(), 200);

        // The grid of a market lists only what is sold there.
        let page: Value = app
            .call(
                &alpha,
                "price_grid",
                &[("market", "en-us"), ("q", "iphone-15-128gb")],
            )
            .await
            .json()
            .await
            .unwrap();
        let skus: Vec<&str> = page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["sku"].as_str().unwrap())
            .collect();
        assert!(skus.contains(&"iphone-15-128gb-esim-only"), "{skus:?}");
        assert!(!skus.contains(&"iphone-15-128gb"), "{skus:?}");

        // And the database refuses such a listing, whatever writes it.
        let s = seller(&app, SellerSpec::approved("Beta Refurb")).await;
        for (sku, market, currency, ok) in [
            ("iphone-15-128gb", "en-us", "USD", false),
            ("iphone-15-128gb-esim-only", "fr-fr", "EUR", false),
            ("iphone-15-128gb-esim-only", "en-us", "USD", true),
            ("iphone-15-128gb", "de-de", "EUR", true),
        ] {
            let v = variant_id(&app, sku).await;
            let r = raw_listing(&app, s, v, market, currency).await;
            assert_eq!(r.is_ok(), ok, "{sku} in {market}: {r:?}");
        }
        // A listing withdrawn from the market may stay; putting it back may not.
        let withdrawn =
            sqlx::query("UPDATE listings SET active = 0 WHERE seller_id = $1 AND market = 'de-de'")
                .bind(s)
                .execute(app.state.db.pool())
                .await;
        assert!(withdrawn.is_ok(), "{withdrawn:?}");
        let moved = sqlx::query(
            "UPDATE listings SET active = 1, market = 'en-us', currency = 'USD' WHERE seller_id = $1 AND market = 'de-de'",
        )
        .bind(s)
        .execute(app.state.db.pool())
        .await;
        assert!(moved.is_err(), "{moved:?}");
    }
);

both_backends!(
    a_refurbisher_stops_buying_in_a_market_but_not_its_home_market,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (alpha, alpha_id) = seller_with_login(&app, "Alpha Refurb").await;
        buy_in(&app.state, alpha_id, Market::EsEs, &lyon())
            .await
            .unwrap();
        for (market, price) in [("fr-fr", "300"), ("es-es", "280")] {
            assert_eq!(save(&app, &alpha, market, price).await.status(), 200);
        }
        assert_eq!(
            price_of(&decision(&app, Market::EsEs, SKU).await),
            Some((28_000, "EUR"))
        );
        let stop = |market: &'static str| {
            let (app, alpha) = (&app, &alpha);
            async move {
                app.call(alpha, "stop_seller_market", &[("market", market)])
                    .await
            }
        };

        // Its home market stays, and so does a market it never bought in:
        // refused beside the field, nothing changed.
        for market in ["fr-fr", "de-de"] {
            let res = stop(market).await;
            assert_eq!(res.status(), 422, "{market}");
            assert!(res.text().await.unwrap().contains("market"));
        }

        let res = stop("es-es").await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
        assert_eq!(
            price_of(&decision(&app, Market::EsEs, SKU).await),
            None,
            "its Spanish price is gone"
        );
        assert_eq!(
            price_of(&decision(&app, Market::FrFr, SKU).await),
            Some((30_000, "EUR")),
            "its French one stays"
        );
        let markets: Value = app
            .call(&alpha, "seller_markets", &[])
            .await
            .json()
            .await
            .unwrap();
        let codes: Vec<&str> = markets
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["market"].as_str().unwrap())
            .collect();
        assert_eq!(codes, vec!["fr-fr"]);
        // Pricing there again is refused until it buys there again.
        assert_eq!(save(&app, &alpha, "es-es", "290").await.status(), 422);
    }
);

both_backends!(
    a_model_sold_in_no_variant_of_a_market_is_listed_nowhere_there,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // The iPhone 13 becomes an American model only, before anything
        // is read (the catalog's lists are kept per market).
        sqlx::query(
            "UPDATE variants SET sold_in = 'en-us' \
             WHERE model_id = (SELECT id FROM models WHERE slug = 'iphone-13')",
        )
        .execute(app.state.db.pool())
        .await
        .unwrap();
        let call = |endpoint: &'static str, form: Vec<(&'static str, &'static str)>| {
            let app = &app;
            async move {
                let res = app
                    .client()
                    .post(app.url(&format!("/api/{endpoint}")))
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200, "{endpoint} {form:?}");
                res.json::<Value>().await.unwrap()
            }
        };
        let slugs = |cards: &Value| -> Vec<String> {
            cards
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["slug"].as_str().unwrap().to_string())
                .collect()
        };
        let thirteen = "iphone-13".to_string();
        for (market, listed) in [("fr-fr", false), ("de-de", false), ("en-us", true)] {
            let brand = call(
                "brand_listing",
                vec![
                    ("market", market),
                    ("category", "smartphones"),
                    ("brand", "apple"),
                ],
            )
            .await;
            assert_eq!(
                slugs(&brand["models"]).contains(&thirteen),
                listed,
                "brand page, {market}"
            );
            let found = call(
                "search_models",
                vec![("market", market), ("q", "iphone 13")],
            )
            .await;
            assert_eq!(
                slugs(&found).contains(&thirteen),
                listed,
                "search, {market}"
            );
            let suggested = call(
                "suggest_models",
                vec![("market", market), ("q", "iphone 13")],
            )
            .await;
            assert_eq!(
                slugs(&suggested).contains(&thirteen),
                listed,
                "suggestions, {market}"
            );
        }
        let apple_models = |market: &'static str| {
            let call = &call;
            async move {
                let listing = call(
                    "category_listing",
                    vec![("market", market), ("category", "smartphones")],
                )
                .await;
                listing["brands"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|b| b["slug"] == "apple")
                    .unwrap()["models"]
                    .as_i64()
                    .unwrap()
            }
        };
        assert_eq!(apple_models("fr-fr").await + 1, apple_models("en-us").await);
        let home = |market: &'static str| {
            let call = &call;
            async move {
                call("home", vec![("market", market)]).await["models"]
                    .as_i64()
                    .unwrap()
            }
        };
        assert_eq!(home("fr-fr").await + 1, home("en-us").await);

        // A market that does not exist is no catalog.
        let res = app
            .client()
            .post(app.url("/api/home"))
            .form(&[("market", "xx-xx")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
);
