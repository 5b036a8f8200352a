//! A demo consumer in every market besides France's (Dana, `demo@…`, is
//! French): each with a trade-in confirmed in their own market, with the
//! address their postal service writes and the account their payment
//! scheme pays, so each market's pages, label and certificate can be seen
//! signed in as someone who lives there.

use super::marketplace::DEMO_PASSWORD;
use crate::domain::account::{Email, Role};
use crate::domain::address::PostalAddress;
use crate::domain::bank_account::{PayoutAccount, UkAccount, UsAccount};
use crate::domain::dates::Date;
use crate::domain::grading::{Answers, Wear};
use crate::domain::iban::Iban;
use crate::domain::identifiers::Imei;
use crate::domain::market::Market;
use crate::features::demo::SeedError;
use crate::features::trade_ins::service::{confirm, current_decision, ConfirmRequest, DeviceId};

/// One market's demo consumer.
pub struct MarketConsumer {
    pub market: Market,
    pub email: &'static str,
    pub name: &'static str,
    address: [&'static str; 5],
    account: Account,
    imei: &'static str,
}

enum Account {
    Iban(&'static str),
    Uk(&'static str, &'static str),
    Us(&'static str, &'static str),
}

/// Line 1, postcode, city, region (a US state, an Italian province),
/// country.
pub const CONSUMERS: [MarketConsumer; 5] = [
    MarketConsumer {
        market: Market::DeDe,
        email: "demo-de@tradein.example",
        name: "Jonas Becker",
        address: ["Oranienstraße 25", "10999", "Berlin", "", "DE"],
        account: Account::Iban("DE89370400440532013000"),
        imei: "353325111234567",
    },
    MarketConsumer {
        market: Market::EsEs,
        email: "demo-es@tradein.example",
        name: "Lucía García",
        address: ["Calle de Atocha 34", "28012", "Madrid", "", "ES"],
        account: Account::Iban("ES9121000418450200051332"),
        imei: "353325112234574",
    },
    MarketConsumer {
        market: Market::ItIt,
        email: "demo-it@tradein.example",
        name: "Giulia Rossi",
        address: ["Via Torino 12", "20123", "Milano", "MI", "IT"],
        account: Account::Iban("IT60X0542811101000000123456"),
        imei: "353325113234581",
    },
    MarketConsumer {
        market: Market::EnGb,
        email: "demo-uk@tradein.example",
        name: "Oliver Smith",
        address: ["221B Baker Street", "NW1 6XE", "London", "", "GB"],
        account: Account::Uk("20-00-00", "55779911"),
        imei: "353325114234598",
    },
    MarketConsumer {
        market: Market::EnUs,
        email: "demo-us@tradein.example",
        name: "Emma Johnson",
        address: ["1 Market Street", "94105", "San Francisco", "CA", "US"],
        account: Account::Us("011000015", "000123456789"),
        imei: "353325115234506",
    },
];

/// The device every one of them sells: a phone each market buys.
const SKU: &str = "iphone-12-128gb";

pub async fn seed(state: &crate::platform::state::AppState) -> Result<(), SeedError> {
    let db = &state.db;
    let now = state.clock.now_ms();
    let invalid = |what: &str, e: &dyn std::fmt::Display| SeedError::Demo(format!("{what}: {e}"));
    let answers = Answers {
        works: true,
        screen: Wear::LightScratches,
        body: Wear::Flawless,
    };
    let variant = crate::features::catalog::service::variant_by_sku(db.pool(), SKU)
        .await?
        .ok_or_else(|| SeedError::Demo(format!("{SKU} missing")))?;
    let hash = crate::platform::session::hash_password(DEMO_PASSWORD.to_string()).await;
    for (n, c) in CONSUMERS.iter().enumerate() {
        let customer = crate::features::accounts::service::insert_user(
            db.pool(),
            crate::features::accounts::service::NewUser {
                email: &Email::parse(c.email).map_err(|e| invalid(c.email, &e))?,
                password_hash: &hash,
                role: Role::Customer,
                display_name: c.name,
                email_verified: true,
            },
            now,
        )
        .await?;
        let mut conn = db.pool().acquire().await?;
        let price = match current_decision(
            &mut conn,
            c.market,
            variant.variant_id,
            crate::domain::grading::grade(answers),
            now,
        )
        .await?
        {
            crate::domain::offer::Decision::Buy(offer) => offer.price,
            crate::domain::offer::Decision::Recycle => {
                return Err(SeedError::Demo(format!(
                    "nobody buys {SKU} in {:?}",
                    c.market
                )))
            }
        };
        drop(conn);
        let payout = match c.account {
            Account::Iban(iban) => {
                PayoutAccount::Sepa(Iban::parse(iban).map_err(|e| invalid(iban, &e))?)
            }
            Account::Uk(sort, number) => {
                PayoutAccount::Uk(UkAccount::parse(sort, number).map_err(|e| invalid(sort, &e))?)
            }
            Account::Us(routing, number) => PayoutAccount::Us(
                UsAccount::parse(routing, number).map_err(|e| invalid(routing, &e))?,
            ),
        };
        let [line1, postcode, city, region, country] = c.address;
        confirm(
            state,
            ConfirmRequest {
                market: c.market,
                customer_id: customer,
                customer_email: c.email.to_string(),
                sku: SKU.to_string(),
                answers,
                device: DeviceId::Imei(Imei::parse(c.imei).map_err(|e| invalid(c.imei, &e))?),
                address: PostalAddress {
                    name: c.name.into(),
                    line1: line1.into(),
                    line2: String::new(),
                    postcode: postcode.into(),
                    city: city.into(),
                    country: country.into(),
                    region: region.into(),
                },
                payout: Some((c.name.into(), payout)),
                date_of_birth: Date::new(1990, 3, 1 + n as u32).expect("valid"),
                idempotency_key: format!("demo-market-consumer-{}", c.market.code()),
                shown_price: price,
            },
        )
        .await
        .map_err(|e| SeedError::Demo(format!("demo consumer in {:?}: {e}", c.market)))?;
    }
    Ok(())
}
