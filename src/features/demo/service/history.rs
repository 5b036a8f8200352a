//! A past of trade-ins for the demo and the benchmark: consumers, offers
//! shown, and trade-ins spread over a number of weeks in every outcome
//! (paid, counter-offered and accepted or returned, expired, cancelled, in
//! progress), with the events, inspections, counter-offers and payouts the
//! KPI queries read. Written many rows per statement; deterministic for a
//! given seed.

use crate::domain::dates::{add_business_days_ms, DAY_MS};
use crate::domain::grade::Grade;
use crate::domain::grading::{grade, Answers, Wear};
use crate::domain::market::Market;
use crate::features::demo::repo::{self, Batch, Value};
use crate::platform::db::Db;

pub struct Spec {
    pub consumers: usize,
    pub trade_ins: usize,
    pub weeks: i64,
    pub seed: u64,
    /// Offers shown per trade-in accepted (conversion is about 1 / this).
    pub views_per_trade_in: usize,
    /// This refurbisher counter-offers far more often than the others.
    pub heavy_counter_offerer: Option<i64>,
}

/// xorshift64: small, fast, and the same sequence on every machine.
pub struct Rng(pub u64);
impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn answers_for(g: Grade) -> Answers {
    let wears = Wear::ALL;
    for works in [true, false] {
        for screen in wears {
            for body in wears {
                let a = Answers {
                    works,
                    screen,
                    body,
                };
                if grade(a) == g {
                    return a;
                }
            }
        }
    }
    Answers {
        works: true,
        screen: Wear::Flawless,
        body: Wear::Flawless,
    }
}

/// A consumer's address and payout account in a market, as the generated
/// history writes them: (line 1, postcode, city, region, account masked).
fn consumer_place(
    m: Market,
) -> (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
) {
    match m {
        Market::FrFr => ("1 rue de l'Exemple", "75011", "Paris", "", "FR76 •••• 0000"),
        Market::DeDe => ("Beispielstraße 1", "10115", "Berlin", "", "DE89 •••• 0000"),
        Market::EsEs => ("Calle Ejemplo 1", "28001", "Madrid", "", "ES91 •••• 0000"),
        Market::ItIt => ("Via Esempio 1", "20121", "Milano", "MI", "IT60 •••• 0000"),
        Market::EnGb => (
            "1 Example Street",
            "LS1 4AP",
            "Leeds",
            "",
            "20-00-00 •••• 0000",
        ),
        Market::EnUs => (
            "1 Example Avenue",
            "10001",
            "New York",
            "NY",
            "021000021 •••• 0000",
        ),
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub consumers: usize,
    pub trade_ins: usize,
    pub offer_views: usize,
}

/// Generates the past up to `now`. Returns what was written.
pub async fn generate(db: &Db, spec: &Spec, now: i64) -> Result<Summary, sqlx::Error> {
    let mut rng = Rng(spec.seed | 1);
    let mut conn = db.pool().acquire().await?;
    let listings = repo::live_listings(&mut conn).await?;
    let inspector: std::collections::HashMap<i64, i64> =
        repo::seller_users(&mut conn).await?.into_iter().collect();
    drop(conn);
    if listings.is_empty() {
        return Ok(Summary::default());
    }
    let mut tx = db.write_tx().await?;
    let first_user = repo::last_user_id(&mut tx).await?;
    let mut users = Batch::new(
        "users",
        "email, password_hash, role, display_name, created_at",
    );
    for i in 0..spec.consumers {
        users.rows.push(vec![
            Value::S(format!("consumer{i}.{}@history.example", spec.seed)),
            Value::S("!".into()),
            Value::S("customer".into()),
            Value::S(format!("Consumer {i}")),
            Value::I(now - spec.weeks * 7 * DAY_MS),
        ]);
    }
    users.flush(db, &mut tx).await?;
    let consumers = repo::consumers_after(&mut tx, first_user).await?;

    let first_trade_in = repo::last_trade_in_id(&mut tx).await?;
    let mut trade_ins = Batch::new(
        "trade_ins",
        "id, reference, customer_id, seller_id, listing_id, variant_id, grade, answer_works, answer_screen, answer_body, price_minor, final_price_minor, \
         state, imei, address_name, address_line1, postcode, city, country, account_holder, iban_masked, iban_fingerprint, date_of_birth, \
         idempotency_key, ship_by_at, created_at, updated_at, received_at, validated_at, paid_at, market, currency, address_region",
    );
    let mut events = Batch::new(
        "trade_in_events",
        "trade_in_id, action, from_state, to_state, actor_role, actor_user_id, reason, at",
    );
    let mut inspections = Batch::new("inspections", "trade_in_id, inspector_id, imei_found, answer_works, answer_screen, answer_body, grade, at");
    let mut counters = Batch::new("counter_offers", "trade_in_id, price_minor, reasons, note, created_by, created_at, expires_at, answer, answered_at");
    let mut payouts = Batch::new("payouts", "trade_in_id, amount_minor, iban_masked, state, provider_ref, created_at, sent_at, settled_at");
    let mut views = Batch::new(
        "offer_views",
        "variant_id, grade, seller_id, price_minor, at, market",
    );
    let span = spec.weeks * 7 * DAY_MS;
    let ev =
        |id: i64, action: &str, from: &str, to: &str, role: &str, user: Option<i64>, at: i64| {
            vec![
                Value::I(id),
                Value::S(action.into()),
                Value::T((!from.is_empty()).then(|| from.to_string())),
                Value::S(to.into()),
                Value::S(role.into()),
                Value::N(user),
                Value::S(String::new()),
                Value::I(at),
            ]
        };
    for i in 0..spec.trade_ins {
        let id = first_trade_in + 1 + i as i64;
        let (listing, seller, variant, grade_code, price, market) =
            listings[rng.below(listings.len() as u64) as usize].clone();
        let m = Market::parse(&market).unwrap_or(Market::FrFr);
        let (line1, postcode, city, region, account) = consumer_place(m);
        let customer = consumers[rng.below(consumers.len() as u64) as usize];
        let created = now - 1 - rng.below(span as u64) as i64;
        let age = now - created;
        let g = Grade::parse(&grade_code).unwrap_or(Grade::FunctionalGood);
        let a = answers_for(g);
        let seller_user = inspector.get(&seller).copied();
        for _ in 0..spec.views_per_trade_in {
            let at = created - rng.below(3 * DAY_MS as u64) as i64;
            views.rows.push(vec![
                Value::I(variant),
                Value::S(grade_code.clone()),
                Value::N(Some(seller)),
                Value::N(Some(price)),
                Value::I(at),
                Value::S(market.clone()),
            ]);
        }
        // What happened, decided by the dice and by how long ago it began.
        let shipped = created + DAY_MS / 2 + rng.below(3 * DAY_MS as u64) as i64;
        let received = shipped + 2 * DAY_MS + rng.below(DAY_MS as u64) as i64;
        let days_to_inspect = if rng.chance(90) { 2 } else { 6 };
        let inspected = received + rng.below(days_to_inspect * DAY_MS as u64) as i64;
        let heavy = spec.heavy_counter_offerer == Some(seller);
        let roll = rng.below(100);
        let mut state = "label_issued";
        let (mut received_at, mut validated_at, mut paid_at, mut final_price) =
            (None, None, None, None);
        events.rows.push(ev(
            id,
            "Create",
            "",
            "created",
            "customer",
            Some(customer),
            created,
        ));
        events.rows.push(ev(
            id,
            "IssueLabel",
            "created",
            "label_issued",
            "system",
            None,
            created,
        ));
        if roll < 6 {
            state = "cancelled";
            events.rows.push(ev(
                id,
                "Cancel",
                "label_issued",
                "cancelled",
                "customer",
                Some(customer),
                created + DAY_MS,
            ));
        } else if roll < 14 {
            if age > 14 * DAY_MS {
                state = "expired";
                events.rows.push(ev(
                    id,
                    "Expire",
                    "label_issued",
                    "expired",
                    "system",
                    None,
                    created + 14 * DAY_MS,
                ));
            }
        } else if shipped < now {
            state = "shipped";
            events.rows.push(ev(
                id,
                "MarkShipped",
                "label_issued",
                "shipped",
                "customer",
                Some(customer),
                shipped,
            ));
            if received < now {
                state = "received";
                received_at = Some(received);
                events.rows.push(ev(
                    id,
                    "Receive",
                    "shipped",
                    "received",
                    "seller",
                    seller_user,
                    received,
                ));
                if inspected < now {
                    let counter = rng.chance(if heavy { 45 } else { 8 });
                    inspections.rows.push(vec![
                        Value::I(id),
                        Value::I(seller_user.unwrap_or(1)),
                        Value::S(String::new()),
                        Value::I(i64::from(a.works)),
                        Value::S(a.screen.code().into()),
                        Value::S(a.body.code().into()),
                        Value::S(grade_code.clone()),
                        Value::I(inspected),
                    ]);
                    let validated = if counter {
                        let offer = price * 7 / 10;
                        let answered = inspected + rng.below(3 * DAY_MS as u64) as i64;
                        let accepted = rng.chance(60);
                        let answered_in_time = answered < now;
                        counters.rows.push(vec![
                            Value::I(id),
                            Value::I(offer),
                            Value::S("screen_worse".into()),
                            Value::S(String::new()),
                            Value::I(seller_user.unwrap_or(1)),
                            Value::I(inspected),
                            Value::I(inspected + 7 * DAY_MS),
                            if answered_in_time {
                                Value::S(if accepted { "accepted" } else { "declined" }.into())
                            } else {
                                Value::T(None)
                            },
                            Value::N(answered_in_time.then_some(answered)),
                        ]);
                        state = "counter_offered";
                        events.rows.push(ev(
                            id,
                            "CounterOffer",
                            "inspecting",
                            "counter_offered",
                            "seller",
                            seller_user,
                            inspected,
                        ));
                        if !answered_in_time {
                            None
                        } else if accepted {
                            final_price = Some(offer);
                            events.rows.push(ev(
                                id,
                                "AcceptCounterOffer",
                                "counter_offered",
                                "validated",
                                "customer",
                                Some(customer),
                                answered,
                            ));
                            Some(answered)
                        } else {
                            state = "returned";
                            events.rows.push(ev(
                                id,
                                "DeclineCounterOffer",
                                "counter_offered",
                                "return_requested",
                                "customer",
                                Some(customer),
                                answered,
                            ));
                            events.rows.push(ev(
                                id,
                                "ReturnShipped",
                                "return_requested",
                                "returned",
                                "seller",
                                seller_user,
                                answered + DAY_MS,
                            ));
                            None
                        }
                    } else {
                        events.rows.push(ev(
                            id,
                            "Validate",
                            "inspecting",
                            "validated",
                            "seller",
                            seller_user,
                            inspected,
                        ));
                        Some(inspected)
                    };
                    if let Some(v) = validated {
                        state = "validated";
                        validated_at = Some(v);
                        let pay = if rng.chance(92) {
                            add_business_days_ms(v, 1)
                        } else {
                            add_business_days_ms(v, 4)
                        } - rng.below(DAY_MS as u64 / 2) as i64;
                        if pay < now {
                            state = "paid";
                            paid_at = Some(pay);
                            events.rows.push(ev(
                                id,
                                "ConfirmPayment",
                                "validated",
                                "paid",
                                "seller",
                                seller_user,
                                pay,
                            ));
                            let amount = final_price.unwrap_or(price);
                            payouts.rows.push(vec![
                                Value::I(id),
                                Value::I(amount),
                                Value::S(account.into()),
                                Value::S("settled".into()),
                                Value::S(format!("HIST-{id}")),
                                Value::I(pay),
                                Value::N(Some(pay)),
                                Value::N(Some(pay + DAY_MS)),
                            ]);
                        }
                    }
                }
            }
        }
        let imei = format!("35{:013}", id);
        trade_ins.rows.push(vec![
            Value::I(id),
            Value::S(format!("TI-H{id:07}")),
            Value::I(customer),
            Value::I(seller),
            Value::N(Some(listing)),
            Value::I(variant),
            Value::S(grade_code),
            Value::I(i64::from(a.works)),
            Value::S(a.screen.code().into()),
            Value::S(a.body.code().into()),
            Value::I(price),
            Value::N(final_price),
            Value::S(state.into()),
            Value::S(imei),
            Value::S("Consumer".into()),
            Value::S(line1.into()),
            Value::S(postcode.into()),
            Value::S(city.into()),
            Value::S(m.country().into()),
            Value::S("Consumer".into()),
            Value::S(account.into()),
            Value::S(format!("hist-{customer}")),
            Value::S("1990-01-01".into()),
            Value::S(format!("history-{id}")),
            Value::I(created + m.ship_within_days() * DAY_MS),
            Value::I(created),
            Value::I(created),
            Value::N(received_at),
            Value::N(validated_at),
            Value::N(paid_at),
            Value::S(market),
            Value::S(m.currency().code().into()),
            Value::S(region.into()),
        ]);
        if trade_ins.rows.len() >= 5_000 {
            trade_ins.flush(db, &mut tx).await?;
            for b in [
                &mut events,
                &mut inspections,
                &mut counters,
                &mut payouts,
                &mut views,
            ] {
                b.flush(db, &mut tx).await?;
            }
        }
    }
    trade_ins.flush(db, &mut tx).await?;
    for b in [
        &mut events,
        &mut inspections,
        &mut counters,
        &mut payouts,
        &mut views,
    ] {
        b.flush(db, &mut tx).await?;
    }
    repo::move_trade_in_identity(db, &mut tx).await?;
    tx.commit().await?;
    // This history is written into the past, where the KPI rollup never
    // looks again by itself.
    crate::features::kpis::service::rebuild_rollup(db, now).await?;
    Ok(Summary {
        consumers: consumers.len(),
        trade_ins: spec.trade_ins,
        offer_views: spec.trade_ins * spec.views_per_trade_in,
    })
}
