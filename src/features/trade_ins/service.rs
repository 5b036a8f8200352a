//! The consumer's side of a trade-in: confirming it (with its label),
//! shipping, cancelling, and the deadlines that run without anyone asking.
//! Each action is one transaction; each state change goes through
//! `transition` (below) and the domain's table.

use crate::domain::address::PostalAddress;
use crate::domain::bank_account::PayoutAccount;
use crate::domain::dates::{week_start_ms, Date, DAY_MS};
use crate::domain::grading::{grade, Answers};
use crate::domain::identifiers::{Imei, SerialNumber};
use crate::domain::ids::{TradeInId, UserId, VariantId};
use crate::domain::market::Market;
use crate::domain::money::Money;
use crate::domain::offer::{decide, Decision, COUNTER_OFFER_DAYS};
use crate::domain::tradein::{Action, Actor, State};
use crate::error::AppError;
use crate::features::trade_ins::emails;
use crate::i18n::{Msg, Texts};
use crate::platform::carrier::ShipmentRequest;
use crate::platform::db::{db_error, is_unique_violation, lock};
use crate::platform::mail::enqueue;
use crate::platform::state::AppState;
use rand::Rng;
use sqlx::{Any, AnyConnection, Transaction};

// What other features run on their own connection, inside their own transaction.
pub use super::repo::shipments::events_for_trade_in as shipment_events;
pub use super::repo::shipments::{
    add_event as add_shipment_event, cancel_return, find as shipment, Direction,
};
pub use super::repo::trade_ins::{add_to_blocklist, blocklist_reason, find, TradeInRecord};
pub use super::repo::trade_ins::{events, list_for_customer};

#[derive(Debug, thiserror::Error)]
pub enum TransitionFailure {
    #[error(transparent)]
    Refused(#[from] crate::domain::tradein::TransitionError),
    /// Someone else changed the trade-in between reading and writing.
    #[error("the trade-in changed meanwhile; it is now {0:?}")]
    Stale(State),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Moves a trade-in from `from` by `action`, if the domain's table allows
/// it for `actor`: one UPDATE guarded by the expected state, and its event.
/// A trade-in abandoned before shipping gives its weekly cap units back.
/// Every feature that moves a trade-in calls this, inside its own
/// transaction.
#[allow(clippy::too_many_arguments)]
pub async fn transition(
    conn: &mut AnyConnection,
    id: TradeInId,
    from: State,
    action: Action,
    actor: Actor,
    actor_user_id: Option<UserId>,
    reason: &str,
    now_ms: i64,
) -> Result<State, TransitionFailure> {
    use super::repo::trade_ins as repo;
    let to = crate::domain::tradein::next_state(from, action, actor)?;
    if !repo::set_state_if(conn, id, from, to, now_ms).await? {
        let now = repo::current_state(conn, id).await?;
        return Err(TransitionFailure::Stale(now.unwrap_or(from)));
    }
    if from.counts_against_caps() && !to.counts_against_caps() {
        let (listing, seller, created) = repo::cap_holder(conn, id).await?;
        crate::features::offers::service::give_back_unit(
            conn,
            listing,
            seller,
            week_start_ms(created),
        )
        .await?;
    }
    repo::record_event(
        conn,
        id,
        action.code(),
        Some(from),
        to,
        actor,
        actor_user_id,
        reason,
        now_ms,
    )
    .await?;
    crate::features::seller_events::service::record_order_move(conn, id, action, from, to, now_ms)
        .await?;
    Ok(to)
}

pub enum DeviceId {
    Imei(Imei),
    Serial(SerialNumber),
}

pub struct ConfirmRequest {
    /// Where the consumer sells: whose listings compete, the currency,
    /// the shipping window.
    pub market: Market,
    pub customer_id: UserId,
    pub customer_email: String,
    pub sku: String,
    pub answers: Answers,
    pub device: DeviceId,
    pub address: PostalAddress,
    /// Account holder and IBAN; not needed for free recycling.
    /// Account holder and account on the market's payout rail.
    pub payout: Option<(String, PayoutAccount)>,
    pub date_of_birth: Date,
    pub idempotency_key: String,
    /// The price the consumer saw, only to notice that the offer changed;
    /// what is locked is always recomputed here.
    pub shown_price: Money,
}

/// Human-friendly reference: `TI-` and 8 characters without look-alikes.
pub fn new_reference() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::thread_rng();
    let chars: String = (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("TI-{}-{}", &chars[..4], &chars[4..])
}

/// A refused move as its reader reads it. Consumers and the refurbisher
/// and operations areas both move trade-ins, and a server function's
/// request does not say which page it came from, so each caller passes its
/// reader's texts: the consumer's page's, or `StaffTexts::vocabulary`.
pub(crate) fn transition_error(t: Texts) -> impl Fn(TransitionFailure) -> AppError {
    use crate::domain::tradein::TransitionError;
    move |e| match e {
        TransitionFailure::Refused(TransitionError::NotAllowedFrom { action, from }) => {
            AppError::Conflict(t.fill(
                Msg::RefusalNotAllowed,
                &[("state", &t.state(from)), ("action", &t.action(action))],
            ))
        }
        TransitionFailure::Refused(TransitionError::WrongActor { .. }) => {
            AppError::Conflict(t.get(Msg::RefusalWrongActor).into())
        }
        TransitionFailure::Stale(now) => {
            AppError::Conflict(t.fill(Msg::RefusalNow, &[("state", &t.state(now))]))
        }
        TransitionFailure::Db(e) => db_error(e),
    }
}

/// The consumer's page's texts (`i18n::document_market`), for what a
/// consumer does on their trade-in's page.
fn page_texts() -> Texts {
    Texts::of(crate::i18n::document_market())
}

/// The decision for a variant and grade in a market as of `now`: the offer
/// rule applied to what the database says right now.
pub async fn current_decision(
    conn: &mut sqlx::AnyConnection,
    market: Market,
    variant_id: VariantId,
    grade: crate::domain::grade::Grade,
    now_ms: i64,
) -> Result<Decision, sqlx::Error> {
    let candidates = crate::features::offers::service::candidates(
        conn,
        market,
        variant_id,
        grade,
        week_start_ms(now_ms),
    )
    .await?;
    Ok(decide(&candidates))
}

/// Confirms a trade-in and issues its label. Submitting the same form twice
/// (same idempotency key) returns the first trade-in.
pub async fn confirm(state: &AppState, req: ConfirmRequest) -> Result<TradeInId, AppError> {
    let db = &state.db;
    let now = state.clock.now_ms();
    // The sell page's market, as its form's other problems are told.
    let t = Texts::of(req.market);
    let variant = crate::features::catalog::service::variant_by_sku(db.pool(), &req.sku)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::invalid("form", t.get(Msg::ConfirmErrorNotInCatalog)))?;
    let grade = grade(req.answers);

    {
        let mut conn = db.pool().acquire().await.map_err(db_error)?;
        if let Some(existing) =
            crate::features::trade_ins::repo::trade_ins::find_by_idempotency_key(
                &mut conn,
                req.customer_id,
                &req.idempotency_key,
            )
            .await
            .map_err(db_error)?
        {
            return Ok(existing);
        }
    }

    // Who buys it decides where the parcel goes; ask the carrier for a
    // number before taking the write lock (it may be a network call).
    let decision = {
        let mut conn = db.pool().acquire().await.map_err(db_error)?;
        current_decision(&mut conn, req.market, variant.variant_id, grade, now)
            .await
            .map_err(db_error)?
    };
    let (seller_id, listing_id, price, recycling) = match &decision {
        Decision::Buy(c) => (c.seller_id, Some(c.listing_id), c.price, false),
        Decision::Recycle => {
            let (id, _) = crate::features::sellers::service::recycler(db.pool())
                .await
                .map_err(db_error)?
                .ok_or_else(|| db_error("no recycling partner"))?;
            (id, None, Money::zero(req.market.currency()), true)
        }
    };
    if price != req.shown_price {
        return Err(AppError::Conflict(t.fill(
            Msg::ConfirmErrorPriceChanged,
            &[
                ("shown", &t.money(req.shown_price)),
                ("price", &t.money(price)),
            ],
        )));
    }
    let rail = req.market.payout_rail();
    match &req.payout {
        _ if recycling => {}
        None => {
            return Err(AppError::invalid(
                "account_holder",
                t.get(Msg::ConfirmErrorEnterAccount),
            ))
        }
        Some((_, account)) if account.rail() != rail => {
            return Err(AppError::invalid(
                "form",
                t.get(Msg::ConfirmErrorAccountRail),
            ))
        }
        Some(_) => {}
    }
    let reference = new_reference();
    let warehouse =
        crate::features::sellers::service::warehouse_address(db.pool(), seller_id, req.market)
            .await
            .map_err(db_error)?
            .ok_or_else(|| db_error("seller vanished"))?;
    let tracking = state
        .carrier
        .create_shipment(&ShipmentRequest {
            reference: &reference,
            from: &req.address,
            to: &warehouse,
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "carrier failed");
            AppError::Conflict(t.get(Msg::ConfirmErrorLabelFailed).into())
        })?;

    // The rules below count what is already in the database: the same form
    // sent twice, the consumer's trade-ins this year, an IBAN or a device
    // in someone else's trade-in. Transactions that decide on the same
    // consumer, IBAN or device take turns (locks in this order: customer,
    // IBAN, device), so each one counts what the one before it wrote.
    let iban_fingerprint = match &req.payout {
        Some((_, account)) if !recycling => state.secret.iban_fingerprint(&account.text()),
        _ => String::new(),
    };
    let (imei, serial) = match &req.device {
        DeviceId::Imei(i) => (Some(i.as_str().to_string()), None),
        DeviceId::Serial(s) => (None, Some(s.as_str().to_string())),
    };
    let mut tx = db.write_tx().await.map_err(db_error)?;
    lock(&mut tx, &format!("customer:{}", req.customer_id))
        .await
        .map_err(db_error)?;
    // The account may have been deleted while this form was on its way
    // (`privacy::service::erase` takes the same turn).
    if crate::features::accounts::service::is_deleted(&mut *tx, req.customer_id)
        .await
        .map_err(db_error)?
    {
        return Err(AppError::Unauthenticated);
    }
    if !iban_fingerprint.is_empty() {
        lock(&mut tx, &format!("iban:{iban_fingerprint}"))
            .await
            .map_err(db_error)?;
    }
    if let Some(imei) = &imei {
        lock(&mut tx, &format!("imei:{imei}"))
            .await
            .map_err(db_error)?;
    }
    if let Some(existing) = crate::features::trade_ins::repo::trade_ins::find_by_idempotency_key(
        &mut tx,
        req.customer_id,
        &req.idempotency_key,
    )
    .await
    .map_err(db_error)?
    {
        return Ok(existing);
    }

    // Blockers, checked before any label exists for this trade-in.
    if let Some(imei) = &imei {
        if crate::features::trade_ins::repo::trade_ins::blocklist_reason(&mut tx, imei)
            .await
            .map_err(db_error)?
            .is_some()
        {
            tracing::warn!(
                customer_id = req.customer_id.get(),
                "blocklisted IMEI refused"
            );
            return Err(AppError::invalid(
                "imei",
                t.get(Msg::ConfirmErrorBlocklisted),
            ));
        }
        if let Some((_, owner, existing_ref)) =
            crate::features::trade_ins::repo::trade_ins::open_with_imei(&mut tx, imei)
                .await
                .map_err(db_error)?
        {
            let message = if owner == req.customer_id {
                t.fill(
                    Msg::ConfirmErrorYoursAlready,
                    &[("reference", &existing_ref)],
                )
            } else {
                t.get(Msg::ConfirmErrorAlreadyInTradeIn).to_string()
            };
            return Err(AppError::invalid("imei", message));
        }
    }

    // The price locked is the one computed inside the transaction.
    let locked = current_decision(&mut tx, req.market, variant.variant_id, grade, now)
        .await
        .map_err(db_error)?;
    if !locked.same_offer(&decision) {
        return Err(AppError::Conflict(
            t.get(Msg::ConfirmErrorOfferChanged).into(),
        ));
    }
    // The unit of the buyer's weekly caps is taken by a conditional update
    // that only succeeds below the cap: of confirmations racing for the
    // last unit, one gets it.
    if !crate::features::offers::service::take_unit(
        &mut tx,
        listing_id,
        seller_id,
        week_start_ms(now),
    )
    .await
    .map_err(db_error)?
    {
        let buyer = match &decision {
            Decision::Buy(c) => c.seller_name.as_str(),
            Decision::Recycle => t.get(Msg::ConfirmErrorRecyclingPartner),
        };
        return Err(AppError::Conflict(
            t.fill(Msg::ConfirmErrorCapReached, &[("buyer", &buyer)]),
        ));
    }
    // The unit that fills a listing's cap stops it buying until Monday:
    // its refurbisher hears of it.
    if let Some(listing) = listing_id {
        if crate::features::offers::service::listing_full(&mut tx, listing, week_start_ms(now))
            .await
            .map_err(db_error)?
        {
            crate::features::seller_events::service::record_listing_capped(
                &mut tx, seller_id, listing, now,
            )
            .await
            .map_err(db_error)?;
        }
    }

    let (holder, iban_encrypted, iban_masked) = match &req.payout {
        Some((holder, account)) if !recycling => (
            holder.clone(),
            state.secret.encrypt_iban(&account.text()),
            account.masked(),
        ),
        _ => (String::new(), String::new(), String::new()),
    };
    let ship_by = now + req.market.ship_within_days() * DAY_MS;
    let dob = req.date_of_birth.to_string();
    let id = crate::features::trade_ins::repo::trade_ins::insert(
        &mut tx,
        &crate::features::trade_ins::repo::trade_ins::NewTradeIn {
            market: req.market,
            reference: &reference,

            customer_id: req.customer_id,
            seller_id,
            listing_id,
            variant_id: variant.variant_id,
            grade,
            answers: req.answers,
            price,
            recycling,
            imei: imei.as_deref(),
            serial_number: serial.as_deref(),
            address: &req.address,
            account_holder: &holder,
            iban_encrypted: &iban_encrypted,
            iban_masked: &iban_masked,
            iban_fingerprint: &iban_fingerprint,
            date_of_birth: &dob,
            idempotency_key: &req.idempotency_key,
            ship_by_at: ship_by,
        },
        now,
    )
    .await
    .map_err(|e| {
        // The device's open trade-in is unique in the database too.
        if is_unique_violation(&e) && imei.is_some() {
            AppError::invalid("imei", t.get(Msg::ConfirmErrorAlreadyInTradeIn))
        } else {
            db_error(e)
        }
    })?;
    crate::features::trade_ins::repo::trade_ins::record_event(
        &mut tx,
        id,
        "Create",
        None,
        State::Created,
        Actor::Customer,
        Some(req.customer_id),
        "offer accepted",
        now,
    )
    .await
    .map_err(db_error)?;
    transition(
        &mut tx,
        id,
        State::Created,
        Action::IssueLabel,
        Actor::System,
        None,
        "prepaid label issued",
        now,
    )
    .await
    .map_err(transition_error(t))?;
    crate::features::fraud::service::check(&mut tx, &state.secret, id, None, now).await?;
    let shipment = crate::features::trade_ins::repo::shipments::insert(
        &mut tx,
        id,
        Direction::Inbound,
        state.carrier.name(),
        &tracking,
        now,
    )
    .await
    .map_err(db_error)?;
    crate::features::trade_ins::repo::shipments::add_event(
        &mut tx,
        shipment,
        "label_created",
        "Prepaid label created",
        now,
    )
    .await
    .map_err(db_error)?;

    let buyer = match &decision {
        Decision::Buy(c) => c.seller_name.clone(),
        Decision::Recycle => "our recycling partner".to_string(),
    };
    let device = crate::domain::catalog::full_name(&variant.brand_name, &variant.model_name);
    let mail = emails::confirmation(
        crate::i18n::Texts::of(req.market),
        &state.config.public_url,
        id,
        &reference,
        &device,
        price,
        recycling,
        &buyer,
        Date::from_unix_ms(ship_by),
        &tracking,
    );
    enqueue(&mut tx, &req.customer_email, &mail, Some(id), now)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    tracing::info!(trade_in_id = id.get(), reference = %reference, recycling, price_minor = price.minor(), "trade-in confirmed");
    Ok(id)
}

/// The consumer's own trade-in, or NotFound: another person's id reveals
/// nothing, not even that it exists.
pub async fn owned(
    state: &AppState,
    customer_id: UserId,
    id: TradeInId,
) -> Result<crate::features::trade_ins::repo::trade_ins::TradeInRecord, AppError> {
    match crate::features::trade_ins::repo::trade_ins::find(state.db.pool(), id)
        .await
        .map_err(db_error)?
    {
        Some(t) if t.customer_id == customer_id => Ok(t),
        _ => Err(AppError::NotFound),
    }
}

/// "I've shipped it". Repeating it is harmless.
pub async fn mark_shipped(
    state: &AppState,
    customer_id: UserId,
    id: TradeInId,
) -> Result<(), AppError> {
    let t = owned(state, customer_id, id).await?;
    if t.state == State::Shipped {
        return Ok(());
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    transition(
        &mut tx,
        id,
        t.state,
        Action::MarkShipped,
        Actor::Customer,
        Some(customer_id),
        "sender says the parcel left",
        now,
    )
    .await
    .map_err(transition_error(page_texts()))?;
    if let Some(s) =
        crate::features::trade_ins::repo::shipments::find(&mut *tx, id, Direction::Inbound)
            .await
            .map_err(db_error)?
    {
        crate::features::trade_ins::repo::shipments::add_event(
            &mut tx,
            s.id,
            "in_transit",
            "Handed to the carrier (declared by the sender)",
            now,
        )
        .await
        .map_err(db_error)?;
    }
    tx.commit().await.map_err(db_error)
}

/// Cancels before shipping. Repeating it is harmless.
pub async fn cancel(state: &AppState, customer_id: UserId, id: TradeInId) -> Result<(), AppError> {
    let t = owned(state, customer_id, id).await?;
    if t.state == State::Cancelled {
        return Ok(());
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    transition(
        &mut tx,
        id,
        t.state,
        Action::Cancel,
        Actor::Customer,
        Some(customer_id),
        "cancelled by the customer",
        now,
    )
    .await
    .map_err(transition_error(page_texts()))?;
    if let Some(s) =
        crate::features::trade_ins::repo::shipments::find(&mut *tx, id, Direction::Inbound)
            .await
            .map_err(db_error)?
    {
        crate::features::trade_ins::repo::shipments::add_event(
            &mut tx,
            s.id,
            "cancelled",
            "Label cancelled",
            now,
        )
        .await
        .map_err(db_error)?;
    }
    enqueue(
        &mut tx,
        &t.customer_email,
        &emails::cancelled(
            crate::i18n::Texts::of(t.market),
            &state.config.public_url,
            id,
            &t.reference,
        ),
        Some(id),
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DeadlineReport {
    pub warned: usize,
    pub expired: usize,
    pub counter_offers_returned: usize,
}

/// Runs every deadline that has passed at the clock's now. Each trade-in is
/// its own transaction guarded by its state, so running this twice (or two
/// instances at once) changes nothing the second time.
pub async fn run_deadlines(state: &AppState) -> Result<DeadlineReport, AppError> {
    let now = state.clock.now_ms();
    let url = &state.config.public_url;
    let mut report = DeadlineReport::default();

    for id in crate::features::trade_ins::repo::trade_ins::due_for_expiry_warning(
        state.db.pool(),
        now,
        crate::domain::offer::EXPIRY_WARNING_DAYS * DAY_MS,
    )
    .await
    .map_err(db_error)?
    {
        let Some(t) = crate::features::trade_ins::repo::trade_ins::find(state.db.pool(), id)
            .await
            .map_err(db_error)?
        else {
            continue;
        };
        let mut tx = state.db.write_tx().await.map_err(db_error)?;
        if crate::features::trade_ins::repo::trade_ins::claim_expiry_warning(&mut tx, id)
            .await
            .map_err(db_error)?
        {
            enqueue(
                &mut tx,
                &t.customer_email,
                &emails::expiry_warning(
                    crate::i18n::Texts::of(t.market),
                    url,
                    id,
                    &t.reference,
                    Date::from_unix_ms(t.ship_by_at),
                ),
                Some(id),
                now,
            )
            .await
            .map_err(db_error)?;
            tx.commit().await.map_err(db_error)?;
            report.warned += 1;
        }
    }

    for id in crate::features::trade_ins::repo::trade_ins::due_for_expiry(state.db.pool(), now)
        .await
        .map_err(db_error)?
    {
        let Some(t) = crate::features::trade_ins::repo::trade_ins::find(state.db.pool(), id)
            .await
            .map_err(db_error)?
        else {
            continue;
        };
        let mut tx = state.db.write_tx().await.map_err(db_error)?;
        match transition(
            &mut tx,
            id,
            State::LabelIssued,
            Action::Expire,
            Actor::System,
            None,
            &format!("not shipped within {} days", t.market.ship_within_days()),
            now,
        )
        .await
        {
            Ok(_) => {
                if let Some(s) = crate::features::trade_ins::repo::shipments::find(
                    &mut *tx,
                    id,
                    Direction::Inbound,
                )
                .await
                .map_err(db_error)?
                {
                    crate::features::trade_ins::repo::shipments::add_event(
                        &mut tx,
                        s.id,
                        "expired",
                        "Label expired unused",
                        now,
                    )
                    .await
                    .map_err(db_error)?;
                }
                enqueue(
                    &mut tx,
                    &t.customer_email,
                    &emails::expired(
                        crate::i18n::Texts::of(t.market),
                        url,
                        id,
                        &t.reference,
                        t.market.ship_within_days(),
                    ),
                    Some(id),
                    now,
                )
                .await
                .map_err(db_error)?;
                tx.commit().await.map_err(db_error)?;
                report.expired += 1;
            }
            // Shipped or cancelled in the meantime: nothing to do.
            Err(TransitionFailure::Stale(_)) => {}
            Err(e) => return Err(transition_error(Texts::of(t.market))(e)),
        }
    }

    for id in
        crate::features::trade_ins::repo::trade_ins::counter_offers_timed_out(state.db.pool(), now)
            .await
            .map_err(db_error)?
    {
        let Some(t) = crate::features::trade_ins::repo::trade_ins::find(state.db.pool(), id)
            .await
            .map_err(db_error)?
        else {
            continue;
        };
        if let Some(mut tx) = return_device(
            Texts::of(t.market),
            state,
            &t,
            Action::CounterOfferTimeout,
            Actor::System,
            None,
            &format!("no answer to the counter-offer within {COUNTER_OFFER_DAYS} days"),
        )
        .await?
        {
            enqueue(
                &mut tx,
                &t.customer_email,
                &emails::counter_offer_timed_out(
                    crate::i18n::Texts::of(t.market),
                    url,
                    id,
                    &t.reference,
                ),
                Some(id),
                now,
            )
            .await
            .map_err(db_error)?;
            tx.commit().await.map_err(db_error)?;
            report.counter_offers_returned += 1;
        }
    }
    Ok(report)
}

/// Moves a trade-in to "return requested" and issues the free return label
/// to the consumer's address, in a transaction given back to the caller to
/// add what goes with it (the mail, the answer to a counter-offer) and
/// commit: the return and its consequences happen together or not at all.
/// None when another actor got there first. `texts`: its refusals'
/// reader's (see `transition_error`).
pub async fn return_device(
    texts: Texts,
    state: &AppState,
    t: &crate::features::trade_ins::repo::trade_ins::TradeInRecord,
    action: Action,
    actor: Actor,
    actor_user_id: Option<UserId>,
    reason: &str,
) -> Result<Option<Transaction<'static, Any>>, AppError> {
    let now = state.clock.now_ms();
    let tracking = state
        .carrier
        .create_shipment(&ShipmentRequest {
            reference: &t.reference,
            from: &t.seller_address,
            to: &t.address,
        })
        .await
        .map_err(|e| {
            // The carrier's own words are for the log, not for people.
            tracing::error!(error = %e, "carrier failed on a return label");
            AppError::Conflict(texts.get(Msg::RefusalReturnLabelFailed).into())
        })?;
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    match transition(
        &mut tx,
        t.id,
        t.state,
        action,
        actor,
        actor_user_id,
        reason,
        now,
    )
    .await
    {
        Ok(_) => {}
        Err(TransitionFailure::Stale(_)) => return Ok(None),
        Err(e) => return Err(transition_error(texts)(e)),
    }
    let shipment = crate::features::trade_ins::repo::shipments::insert(
        &mut tx,
        t.id,
        Direction::Return,
        state.carrier.name(),
        &tracking,
        now,
    )
    .await
    .map_err(db_error)?;
    crate::features::trade_ins::repo::shipments::add_event(
        &mut tx,
        shipment,
        "label_created",
        "Free return label created",
        now,
    )
    .await
    .map_err(db_error)?;
    Ok(Some(tx))
}

/// What `reseal_ibans` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resealed {
    pub resealed: u64,
    pub already_current: u64,
    /// Sealed under a secret that is no longer listed: left as they are.
    pub unreadable: u64,
}

/// Re-encrypts and re-fingerprints every stored IBAN under the current
/// secret, reading each with whichever accepted secret sealed it (`tradein
/// rotate-secrets`). Each row is its own guarded update, so it can run
/// while the app serves, and again.
pub async fn reseal_ibans(
    db: &crate::platform::db::Db,
    secret: &crate::platform::secret::Secret,
) -> Result<Resealed, sqlx::Error> {
    use crate::features::trade_ins::repo::trade_ins::{reseal_iban, sealed_ibans_after};
    let mut done = Resealed::default();
    let mut after = TradeInId(0);
    loop {
        let batch = sealed_ibans_after(db.pool(), after, 500).await?;
        let Some((last, _)) = batch.last() else {
            return Ok(done);
        };
        after = *last;
        for (id, sealed) in batch {
            if secret.is_current(&sealed) {
                done.already_current += 1;
                continue;
            }
            let Some(iban) = secret.decrypt_iban(&sealed) else {
                tracing::warn!(
                    trade_in_id = id.get(),
                    "IBAN sealed under a secret no longer listed"
                );
                done.unreadable += 1;
                continue;
            };
            let fresh = secret.encrypt_iban(&iban);
            if reseal_iban(
                db.pool(),
                id,
                &sealed,
                &fresh,
                &secret.iban_fingerprint(&iban),
            )
            .await?
            {
                done.resealed += 1;
            }
        }
    }
}
