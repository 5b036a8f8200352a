//! The demo marketplace: six approved refurbishers (and one awaiting
//! approval) pricing the catalog with `pricing`, a demo consumer and an
//! operations account. For local use only: the passwords are in the README.

use crate::domain::account::{Email, Role};
use crate::domain::catalog::Category;
use crate::domain::grade::Grade;
use crate::domain::market::Market;
use crate::features::catalog::catalog_file::{parse, CATALOG_CSV};
use crate::features::demo::pricing::{in_market, offer_minor, BuyingProfile};
use crate::features::demo::repo::{self, meta_get, meta_set};
use crate::features::demo::SeedError;
use crate::platform::db::Db;
use crate::platform::session::hash_password;

pub const DEMO_PASSWORD: &str = "demo-password";
pub const DEMO_CONSUMER_EMAIL: &str = "demo@tradein.example";
pub const DEMO_OPS_EMAIL: &str = "ops@tradein.example";
/// The authenticator secret of the demo refurbishers and operations
/// account, published in the README: add it to an app, or run
/// `tradein demo-code`.
pub const DEMO_TOTP_SECRET: &str = "TRADEINDEMOSECRETTWOFACTORSIGNIN";

/// Gives the demo refurbisher and operations accounts the published
/// authenticator secret, where they have none: on every start with the
/// demo, so a demo database made before two-factor sign-in gets it too.
pub async fn ensure_demo_two_factor(
    db: &Db,
    secret: &crate::platform::secret::Secret,
    now_ms: i64,
) -> Result<(), SeedError> {
    let sellers = demo_sellers();
    let emails = std::iter::once(DEMO_OPS_EMAIL).chain(sellers.iter().map(|s| s.email));
    let mut tx = db.write_tx().await?;
    for email in emails {
        let email = Email::parse(email).expect("demo emails are valid");
        if let Some(user) =
            crate::features::accounts::service::find_user_by_email(&mut *tx, &email).await?
        {
            crate::features::accounts::service::two_factor::set_known_secret(
                &mut *tx,
                secret,
                user.id,
                DEMO_TOTP_SECRET,
                now_ms,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The demo refurbisher's seller API token, every scope, published in the
/// README so the example client and the API's contract test can call the
/// demo server. A real install has no demo data, so no such token.
pub const DEMO_API_TOKEN: &str = "tik_DemoTokenOfReNewMobileForTheSellerApi001";

/// Gives the demo refurbisher its published API token, where it lacks it.
pub async fn ensure_demo_api_token(db: &Db, now_ms: i64) -> Result<(), SeedError> {
    let email = Email::parse(demo_sellers()[0].email).expect("demo emails are valid");
    let mut conn = db.pool().acquire().await?;
    let Some(user) =
        crate::features::accounts::service::find_user_by_email(&mut *conn, &email).await?
    else {
        return Ok(());
    };
    drop(conn);
    crate::features::api_tokens::service::ensure_known(
        db,
        user.id,
        "Demo token (README)",
        DEMO_API_TOKEN,
        now_ms,
    )
    .await?;
    Ok(())
}

pub struct DemoSeller {
    pub email: &'static str,
    pub company: &'static str,
    pub vat: &'static str,
    pub street: &'static str,
    pub postcode: &'static str,
    pub city: &'static str,
    pub country: &'static str,
    /// A US address's state, else empty.
    pub region: &'static str,
    pub phone: &'static str,
    pub status: crate::domain::seller::SellerStatus,
    pub quality_score: i64,
    pub weekly_cap: Option<i64>,
    pub profile: BuyingProfile,
    /// The markets it buys in, each with its price offset there (percent,
    /// over its euro price converted: `pricing::in_market`). Its warehouse
    /// in each is the company's address.
    pub markets: &'static [(Market, i64)],
}

const PHONES_AND_TABLETS: &[Category] = &[Category::Smartphones, Category::Tablets];
const GAMING_AND_COMPUTING: &[Category] = &[
    Category::Consoles,
    Category::Laptops,
    Category::Tablets,
    Category::Smartwatches,
];

pub fn demo_sellers() -> Vec<DemoSeller> {
    let profile = |key, offset_percent, categories, buys_faulty, gap_percent| BuyingProfile {
        key,
        offset_percent,
        categories,
        buys_faulty,
        gap_percent,
    };
    vec![
        DemoSeller {
            email: "buyback@renew-mobile.example",
            company: "ReNew Mobile SAS",
            vat: "FR40123456789",
            street: "12 rue des Tanneurs",
            postcode: "69002",
            city: "Lyon",
            country: "FR",
            region: "",
            phone: "+33 4 72 00 00 01",
            status: crate::domain::seller::SellerStatus::Approved,
            quality_score: 820,
            weekly_cap: Some(2_000),
            profile: profile("renew", 3, &[], true, 12),
            markets: &[
                (Market::FrFr, 0),
                (Market::EsEs, -4),
                (Market::DeDe, 0),
                (Market::ItIt, 1),
            ],
        },
        DemoSeller {
            email: "ankauf@second-life.example",
            company: "Second Life Devices GmbH",
            vat: "DE123456789",
            street: "Lindenstraße 40",
            postcode: "10969",
            city: "Berlin",
            country: "DE",
            region: "",
            phone: "+49 30 0000 0002",
            status: crate::domain::seller::SellerStatus::Approved,
            quality_score: 760,
            weekly_cap: Some(1_500),
            profile: profile("secondlife", 5, PHONES_AND_TABLETS, false, 8),
            markets: &[(Market::FrFr, 0), (Market::DeDe, 3)],
        },
        DemoSeller {
            email: "inkoop@circular-tech.example",
            company: "Circular Tech B.V.",
            vat: "NL123456789B01",
            street: "Wilhelminakade 91",
            postcode: "3072 AP",
            city: "Rotterdam",
            country: "NL",
            region: "",
            phone: "+31 10 000 0003",
            status: crate::domain::seller::SellerStatus::Approved,
            quality_score: 700,
            weekly_cap: None,
            profile: profile("circular", 0, &[], true, 20),
            markets: &[(Market::FrFr, 0), (Market::DeDe, -2)],
        },
        DemoSeller {
            email: "compras@greencycle.example",
            company: "GreenCycle Electronics S.L.",
            vat: "ESB12345678",
            street: "Carrer de Colón 18",
            postcode: "46004",
            city: "Valencia",
            country: "ES",
            region: "",
            phone: "+34 960 000 004",
            status: crate::domain::seller::SellerStatus::Approved,
            quality_score: 640,
            weekly_cap: None,
            profile: profile("greencycle", -6, &[], true, 5),
            markets: &[(Market::FrFr, 0), (Market::EsEs, 2)],
        },
        DemoSeller {
            email: "acquisti@phoenix-refurb.example",
            company: "Phoenix Refurb S.r.l.",
            vat: "IT12345678901",
            street: "Via Tortona 27",
            postcode: "20144",
            city: "Milano",
            country: "IT",
            region: "",
            phone: "+39 02 0000 0005",
            status: crate::domain::seller::SellerStatus::Approved,
            quality_score: 780,
            weekly_cap: Some(800),
            profile: profile("phoenix", 6, GAMING_AND_COMPUTING, true, 10),
            markets: &[(Market::FrFr, 0), (Market::ItIt, 2)],
        },
        DemoSeller {
            email: "rachat@atelier-recond.example",
            company: "Atelier Reconditionné SARL",
            vat: "FR83987654321",
            street: "45 quai des Chartrons",
            postcode: "33000",
            city: "Bordeaux",
            country: "FR",
            region: "",
            phone: "+33 5 56 00 00 06",
            status: crate::domain::seller::SellerStatus::Approved,
            quality_score: 880,
            weekly_cap: Some(600),
            profile: profile("atelier", 1, &[Category::Smartphones], false, 15),
            markets: &[(Market::FrFr, 0)],
        },
        DemoSeller {
            email: "hello@refurb-express.example",
            company: "Refurb Express BV",
            vat: "BE0123456789",
            street: "Rue de la Loi 155",
            postcode: "1040",
            city: "Bruxelles",
            country: "BE",
            region: "",
            phone: "+32 2 000 00 07",
            status: crate::domain::seller::SellerStatus::Pending,
            quality_score: 500,
            weekly_cap: None,
            profile: profile("express", 8, PHONES_AND_TABLETS, false, 60),
            markets: &[(Market::FrFr, 0)],
        },
        DemoSeller {
            email: "buying@reboxed-uk.example",
            company: "Reboxed UK Ltd",
            vat: "GB123456789",
            street: "14 Dock Street",
            postcode: "LS10 1JF",
            city: "Leeds",
            country: "GB",
            region: "",
            phone: "+44 113 000 0008",
            status: crate::domain::seller::SellerStatus::Approved,
            quality_score: 790,
            weekly_cap: None,
            profile: profile("reboxed", 2, &[], true, 0),
            markets: &[(Market::EnGb, 0)],
        },
        DemoSeller {
            email: "trade@second-wave.example",
            company: "Second Wave Devices Inc.",
            vat: "US-EIN 12-3456789",
            street: "500 Congress Avenue",
            postcode: "78701",
            city: "Austin",
            country: "US",
            region: "TX",
            phone: "+1 512 000 0009",
            status: crate::domain::seller::SellerStatus::Approved,
            quality_score: 740,
            weekly_cap: None,
            profile: profile("secondwave", 0, &[], true, 0),
            markets: &[(Market::EnUs, 0)],
        },
    ]
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub accounts: usize,
    pub sellers: usize,
    pub listings: usize,
}

/// Seeds the demo marketplace once; a database that has it is left alone.
pub async fn seed(db: &Db, now_ms: i64) -> Result<Option<DemoSummary>, SeedError> {
    if meta_get(db, "demo_seeded").await?.is_some() {
        return Ok(None);
    }
    let models = parse(CATALOG_CSV).map_err(SeedError::Catalog)?;
    let sellers = demo_sellers();

    // Hash before the transaction: the write lock is not held while the CPU works.
    let mut hashes = Vec::new();
    for _ in 0..sellers.len() + 2 {
        hashes.push(hash_password(DEMO_PASSWORD.to_string()).await);
    }

    let mut tx = db.write_tx().await?;
    let variant_ids = crate::features::catalog::service::variant_ids_by_sku(&mut tx).await?;
    let user = |email: &'static str| Email::parse(email).expect("demo emails are valid");
    let people = [
        (DEMO_CONSUMER_EMAIL, Role::Customer, "Dana Demo"),
        (DEMO_OPS_EMAIL, Role::Ops, "Olivia Ops"),
    ];
    let mut summary = DemoSummary::default();
    for (i, (email, role, name)) in people.into_iter().enumerate() {
        let email = user(email);
        crate::features::accounts::service::insert_user(
            &mut *tx,
            crate::features::accounts::service::NewUser {
                email: &email,
                password_hash: &hashes[i],
                role,
                display_name: name,
                email_verified: true,
            },
            now_ms,
        )
        .await?;
        summary.accounts += 1;
    }
    let mut listings = Vec::new();
    for (i, s) in sellers.iter().enumerate() {
        let email = user(s.email);
        let user_id = crate::features::accounts::service::insert_user(
            &mut *tx,
            crate::features::accounts::service::NewUser {
                email: &email,
                password_hash: &hashes[i + 2],
                role: Role::Seller,
                display_name: s.company,
                email_verified: true,
            },
            now_ms,
        )
        .await?;
        // A company in a country without a market of its own starts in
        // France's, as a refurbisher signing up does.
        let home_market = Market::of_country(s.country).unwrap_or(Market::FrFr);
        let seller_id = crate::features::sellers::service::insert_seller(
            &mut tx,
            &crate::features::sellers::service::NewSeller {
                user_id,
                company_name: s.company,
                vat_number: s.vat,
                address_line1: s.street,
                postcode: s.postcode,
                city: s.city,
                country: s.country,
                address_line2: "",
                contact_name: "",
                contact_email: s.email,
                contact_phone: s.phone,
                status: s.status,
                weekly_cap: s.weekly_cap,
                quality_score: s.quality_score,
                kind: "refurbisher",
                home_market,
            },
            now_ms,
        )
        .await?;
        // Every market it buys in (the home market's row again, with the
        // state a US address needs), from the company's own address.
        for &(market, _) in s.markets {
            let warehouse = crate::domain::address::PostalAddress {
                name: s.company.to_string(),
                line1: s.street.to_string(),
                line2: String::new(),
                postcode: s.postcode.to_string(),
                city: s.city.to_string(),
                country: s.country.to_string(),
                region: s.region.to_string(),
            };
            crate::features::sellers::service::add_market(
                &mut tx, seller_id, market, &warehouse, now_ms,
            )
            .await?;
        }
        summary.accounts += 1;
        summary.sellers += 1;
        for m in &models {
            for v in m.variants() {
                let Some(&(variant_id, _)) = variant_ids.get(&v.sku) else {
                    continue;
                };
                for grade in Grade::ALL {
                    let Some(eur_minor) = offer_minor(&s.profile, m, &v, grade) else {
                        continue;
                    };
                    for &(market, offset) in s.markets {
                        if !v.sold_in.contains(market) {
                            continue;
                        }
                        listings.push(crate::features::sellers::service::NewListing {
                            market,
                            seller_id,
                            variant_id,
                            grade,
                            price: crate::domain::money::Money::new(
                                in_market(eur_minor, market, offset),
                                market.currency(),
                            ),
                        });
                    }
                }
            }
        }
    }
    crate::features::sellers::service::insert_listings(db, &mut tx, &listings, now_ms).await?;
    summary.listings = listings.len();
    meta_set(&mut tx, "demo_seeded", &now_ms.to_string()).await?;
    tx.commit().await?;
    tracing::info!(
        accounts = summary.accounts,
        sellers = summary.sellers,
        listings = summary.listings,
        "demo marketplace seeded"
    );
    Ok(Some(summary))
}

pub const DEMO_SECOND_CONSUMER_EMAIL: &str = "sam@tradein.example";
/// The IBAN both demo consumers gave: the demo's fraud case.
const SHARED_IBAN: &str = "FR1420041010050500013M02606";

/// A past for the dashboards (14 weeks of trade-ins, one refurbisher who
/// counter-offers far too often) and one fraud case made through the real
/// flows: two consumers paid to the same IBAN, the second trade-in
/// inspected and validated, its payout held for review.
pub async fn seed_activity(state: &crate::platform::state::AppState) -> Result<(), SeedError> {
    use crate::domain::account::Email;
    use crate::domain::address::PostalAddress;
    use crate::domain::dates::Date;
    use crate::domain::grading::{Answers, Wear};
    use crate::domain::iban::Iban;
    use crate::domain::identifiers::Imei;
    use crate::features::trade_ins::service::{
        confirm, current_decision, mark_shipped, ConfirmRequest, DeviceId,
    };
    let db = &state.db;
    let now = state.clock.now_ms();
    let heavy = repo::seller_named(db, "GreenCycle Electronics S.L.").await?;
    crate::features::demo::history::generate(
        db,
        &crate::features::demo::history::Spec {
            consumers: 400,
            trade_ins: 3_000,
            weeks: 14,
            seed: 7,
            views_per_trade_in: 5,
            heavy_counter_offerer: heavy,
        },
        now,
    )
    .await?;

    let failed = |e: crate::error::AppError| SeedError::Demo(format!("demo fraud case: {e}"));
    let hash = hash_password(DEMO_PASSWORD.to_string()).await;
    let sam = crate::features::accounts::service::insert_user(
        db.pool(),
        crate::features::accounts::service::NewUser {
            email: &Email::parse(DEMO_SECOND_CONSUMER_EMAIL).expect("valid"),
            password_hash: &hash,
            role: Role::Customer,
            display_name: "Sam Shared",
            email_verified: true,
        },
        now,
    )
    .await?;
    let dana = repo::user_with_email(db, DEMO_CONSUMER_EMAIL).await?;
    let answers = Answers {
        works: true,
        screen: Wear::LightScratches,
        body: Wear::Flawless,
    };
    let mut ids = Vec::new();
    for (n, (customer, email, sku, imei)) in [
        (
            dana,
            DEMO_CONSUMER_EMAIL,
            "iphone-12-128gb",
            "356938035643809",
        ),
        (
            sam,
            DEMO_SECOND_CONSUMER_EMAIL,
            "iphone-13-128gb",
            "490154203237518",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let variant = crate::features::catalog::service::variant_by_sku(db.pool(), sku)
            .await?
            .ok_or_else(|| SeedError::Demo(format!("{sku} missing")))?;
        let mut conn = db.pool().acquire().await?;
        let price = match current_decision(
            &mut conn,
            crate::domain::market::Market::FrFr,
            variant.variant_id,
            crate::domain::grading::grade(answers),
            now,
        )
        .await?
        {
            crate::domain::offer::Decision::Buy(c) => c.price,
            crate::domain::offer::Decision::Recycle => {
                return Err(SeedError::Demo(format!("nobody buys {sku}")))
            }
        };
        drop(conn);
        let id = confirm(
            state,
            ConfirmRequest {
                market: crate::domain::market::Market::FrFr,
                customer_id: customer,
                customer_email: email.to_string(),
                sku: sku.to_string(),
                answers,
                device: DeviceId::Imei(
                    Imei::parse(imei).map_err(|e| SeedError::Demo(e.to_string()))?,
                ),
                address: PostalAddress {
                    name: "Demo Consumer".into(),
                    line1: "8 rue des Lilas".into(),
                    line2: String::new(),
                    postcode: "69003".into(),
                    city: "Lyon".into(),
                    country: "FR".into(),
                    region: String::new(),
                },
                payout: Some((
                    "Dana Demo".into(),
                    crate::domain::bank_account::PayoutAccount::Sepa(
                        Iban::parse(SHARED_IBAN).map_err(|e| SeedError::Demo(e.to_string()))?,
                    ),
                )),
                date_of_birth: Date::new(1988, 5, 17).expect("valid"),
                idempotency_key: format!("demo-fraud-case-{n}"),
                shown_price: price,
            },
        )
        .await
        .map_err(failed)?;
        mark_shipped(state, customer, id).await.map_err(failed)?;
        ids.push((id, imei));
    }
    // The refurbisher receives and inspects Sam's device: validated, but
    // the payout waits for operations.
    let (id, imei) = ids[1];
    let (seller_id, seller_user) = repo::buyer_of(db, id).await?;
    let tracking = repo::inbound_tracking(db, id).await?;
    crate::features::orders::service::receive(state, seller_id, seller_user, &tracking)
        .await
        .map_err(failed)?;
    crate::features::orders::service::inspect(
        state,
        seller_id,
        seller_user,
        id,
        Some(Imei::parse(imei).map_err(|e| SeedError::Demo(e.to_string()))?),
        answers,
    )
    .await
    .map_err(failed)?;
    super::market_consumers::seed(state).await?;
    tracing::info!(
        trade_in_id = id.get(),
        "demo activity seeded (history, a fraud case, a consumer in every market)"
    );
    Ok(())
}
