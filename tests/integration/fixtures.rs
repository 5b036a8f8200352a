//! Small marketplaces built directly through the repositories, so each test
//! knows exactly which offers exist.

use crate::harness::TestApp;
use tradein::domain::account::{Email, Role};
use tradein::domain::grade::Grade;
use tradein::domain::ids::SellerId;

pub struct SellerSpec<'a> {
    pub name: &'a str,
    pub status: tradein::domain::seller::SellerStatus,
    pub quality: i64,
    pub weekly_cap: Option<i64>,
}

impl<'a> SellerSpec<'a> {
    pub fn approved(name: &'a str) -> SellerSpec<'a> {
        SellerSpec {
            name,
            status: tradein::domain::seller::SellerStatus::Approved,
            quality: 500,
            weekly_cap: None,
        }
    }
}

pub async fn seller(app: &TestApp, spec: SellerSpec<'_>) -> SellerId {
    let pool = app.state.db.pool();
    let email = Email::parse(&format!(
        "{}@sellers.example",
        tradein::domain::catalog::slugify(spec.name)
    ))
    .unwrap();
    let user_id = tradein::features::accounts::service::insert_user(
        pool,
        tradein::features::accounts::service::NewUser {
            email: &email,
            password_hash: "!",
            role: Role::Seller,
            display_name: spec.name,
            email_verified: true,
        },
        0,
    )
    .await
    .unwrap();
    tradein::features::sellers::service::insert_seller(
        &mut pool.acquire().await.unwrap(),
        &tradein::features::sellers::service::NewSeller {
            user_id,
            company_name: spec.name,
            vat_number: "FR00000000000",
            address_line1: "1 rue du Test",
            postcode: "75001",
            city: "Paris",
            country: "FR",
            address_line2: "",
            contact_name: "",
            contact_email: email.as_str(),
            contact_phone: "",
            status: spec.status,
            weekly_cap: spec.weekly_cap,
            quality_score: spec.quality,
            kind: "refurbisher",
            home_market: tradein::domain::market::Market::FrFr,
        },
        0,
    )
    .await
    .unwrap()
}

pub async fn variant_id(app: &TestApp, sku: &str) -> tradein::domain::ids::VariantId {
    tradein::features::catalog::service::variant_by_sku(app.state.db.pool(), sku)
        .await
        .unwrap()
        .unwrap()
        .variant_id
}

pub async fn listing(
    app: &TestApp,
    seller_id: SellerId,
    sku: &str,
    grade: Grade,
    price_minor: i64,
    set_at: i64,
) -> i64 {
    let variant_id = variant_id(app, sku).await;
    let mut conn = app.state.db.pool().acquire().await.unwrap();
    tradein::features::sellers::service::insert_listings(
        &app.state.db,
        &mut conn,
        &[tradein::features::sellers::service::NewListing {
            market: tradein::domain::market::Market::FrFr,
            seller_id,
            variant_id,
            grade,
            price: tradein::domain::money::Money::eur(price_minor),
        }],
        set_at,
    )
    .await
    .unwrap();
    sqlx::query_scalar(
        "SELECT id FROM listings WHERE seller_id = $1 AND variant_id = $2 AND grade = $3",
    )
    .bind(seller_id)
    .bind(variant_id)
    .bind(grade.code())
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

pub async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(app.state.db.pool()).await.unwrap();
}

/// A Luhn-valid IMEI built from a 14-digit body.
pub fn imei(n: u64) -> String {
    let body = format!("{:014}", 35_000_000_000_000u64 + n);
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    let check = (0..10u8).find(|c| {
        let mut all = digits.clone();
        all.push(*c);
        tradein::domain::identifiers::luhn_valid(&all)
    });
    format!("{body}{}", check.unwrap())
}

pub const IBAN: &str = "FR1420041010050500013M02606";

/// The fields of the confirmation form for an iPhone 13 128 GB that works
/// and has light scratches (grade FunctionalGood).
pub fn confirm_form(imei: &str, shown_price_minor: i64, key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("category", "smartphones".into()),
        ("brand", "apple".into()),
        ("model", "iphone-13".into()),
        ("variant", "iphone-13-128gb".into()),
        ("works", "yes".into()),
        ("screen", "light_scratches".into()),
        ("body", "flawless".into()),
        ("shown_price_minor", shown_price_minor.to_string()),
        ("idempotency_key", key.into()),
        ("imei", imei.into()),
        ("address_name", "Jane Doe".into()),
        ("address_line1", "12 rue de la Paix".into()),
        ("address_line2", "".into()),
        ("postcode", "75002".into()),
        ("city", "Paris".into()),
        ("country", "FR".into()),
        ("account_holder", "Jane Doe".into()),
        ("iban", IBAN.into()),
        ("date_of_birth", "1990-04-23".into()),
        ("activation_lock_off", "yes".into()),
        ("device_reset", "yes".into()),
    ]
}

pub fn with(
    mut form: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    form.retain(|(k, _)| *k != key);
    if !value.is_empty() || key == "address_line2" {
        form.push((key, value.to_string()));
    }
    form
}

pub async fn confirm(
    app: &TestApp,
    client: &reqwest::Client,
    form: &[(&'static str, String)],
) -> reqwest::Response {
    client
        .post(app.url("/api/confirm_trade_in"))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The trade-in id a successful confirmation redirects to.
pub fn redirected_id(res: &reqwest::Response) -> i64 {
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no redirect; status {}", res.status()));
    location.trim_start_matches("/trade-ins/").parse().unwrap()
}

pub async fn customer(app: &TestApp, email: &str) -> reqwest::Client {
    let client = app.client();
    let res = app
        .signup(&client, "Jane Doe", email, "correct horse battery")
        .await;
    assert_eq!(res.status(), 200);
    // Most tests follow a consumer who already confirmed their address
    // (payouts wait for it), its confirmation mail long gone;
    // `account_links.rs` follows the link itself.
    let pool = app.state.db.pool();
    sqlx::query("UPDATE users SET email_verified_at = created_at WHERE email = $1")
        .bind(email)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "DELETE FROM jobs WHERE kind = 'mail' AND key IN \
         (SELECT CAST(id AS TEXT) FROM outbox WHERE to_email = $1 AND kind = 'verify_email')",
    )
    .bind(email)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM outbox WHERE to_email = $1 AND kind = 'verify_email'")
        .bind(email)
        .execute(pool)
        .await
        .unwrap();
    client
}

/// A refurbisher that can sign in: (its client, seller id).
pub async fn seller_with_login(app: &TestApp, name: &str) -> (reqwest::Client, SellerId) {
    let id = seller(app, SellerSpec::approved(name)).await;
    let hash = tradein::platform::session::hash_password("correct horse battery".into()).await;
    let email: String = sqlx::query_scalar("SELECT contact_email FROM sellers WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
        .bind(&hash)
        .bind(&email)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    enrol_two_factor(app, &email).await;
    let client = app.client();
    assert_eq!(
        app.login(&client, &email, "correct horse battery")
            .await
            .status(),
        200
    );
    (client, id)
}

/// Gives the account two-factor sign-in with the demo secret, as a
/// refurbisher or operations account must have (`TestApp::login` then
/// types the code).
pub async fn enrol_two_factor(app: &TestApp, email: &str) {
    let user_id: tradein::domain::ids::UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    tradein::features::accounts::service::two_factor::set_known_secret(
        app.state.db.pool(),
        &app.state.secret,
        user_id,
        tradein::features::demo::marketplace::DEMO_TOTP_SECRET,
        0,
    )
    .await
    .unwrap();
}

pub async fn state_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT state FROM trade_ins WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

pub async fn tracking_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar(
        "SELECT tracking_number FROM shipments WHERE trade_in_id = $1 AND direction = 'inbound'",
    )
    .bind(id)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap()
}

/// Posts the counter-offer form as a browser would (multipart).
pub async fn upload_counter_offer(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    price: &str,
    reasons: &[&str],
    photos: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new()
        .text("price", price.to_string())
        .text("note", "Deep scratch on the back, see photo.");
    for r in reasons {
        form = form.text("reasons", r.to_string());
    }
    for (name, bytes) in photos {
        form = form.part(
            "photos",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    client
        .post(app.url(&format!("/seller/orders/{id}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The token of the first link to `path` in a mail's text.
pub fn mailed_token(mail: &str, path: &str) -> String {
    let marker = format!("{path}?token=");
    let at = mail
        .find(&marker)
        .unwrap_or_else(|| panic!("a {path} link in {mail}"))
        + marker.len();
    mail[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

pub fn photo_fixture(name: &str) -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/photos/").to_string() + name)
        .unwrap()
}

/// An operations account, signed in.
pub async fn ops_client(app: &TestApp) -> reqwest::Client {
    let hash = tradein::platform::session::hash_password("correct horse battery".into()).await;
    let email = tradein::domain::account::Email::parse("olga@ops.example").unwrap();
    let _ = tradein::features::accounts::service::insert_user(
        app.state.db.pool(),
        tradein::features::accounts::service::NewUser {
            email: &email,
            password_hash: &hash,
            role: tradein::domain::account::Role::Ops,
            display_name: "Olga Ops",
            email_verified: true,
        },
        0,
    )
    .await;
    enrol_two_factor(app, "olga@ops.example").await;
    let client = app.client();
    assert_eq!(
        app.login(&client, "olga@ops.example", "correct horse battery")
            .await
            .status(),
        200
    );
    client
}

/// Sets up an authenticator app for the signed-in `client`, as its page
/// does (the secret read from the page, the code its app would show now);
/// returns the secret.
pub async fn set_up_two_factor(app: &TestApp, client: &reqwest::Client, password: &str) -> String {
    use tradein::features::accounts::service::two_factor::{code_at, step_of};
    use tradein::platform::clock::Clock;
    let res = app
        .call(
            client,
            "start_two_factor",
            &[("current_password", password)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let view: serde_json::Value = app
        .call(client, "two_factor", &[])
        .await
        .json()
        .await
        .unwrap();
    let secret = view["pending"]["secret"].as_str().unwrap().replace(' ', "");
    let code = code_at(&secret, step_of(app.clock.now_ms()) * 30_000).unwrap();
    let res = app
        .call(client, "confirm_two_factor", &[("code", &code)])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    secret
}
