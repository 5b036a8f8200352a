//! The refurbisher's side of a trade-in: receive, inspect, validate,
//! counter-offer with proof, suspend, return and pay; and the consumer's
//! answer to a counter-offer. Each action is one transaction and goes
//! through the domain's transition table; each is safe to retry.

use crate::domain::dates::{Date, DAY_MS};
use crate::domain::grade::Grade;
use crate::domain::grading::{grade, Answers};
use crate::domain::identifiers::Imei;
use crate::domain::ids::{SellerId, TradeInId, UserId};
use crate::domain::money::Money;
use crate::domain::offer::COUNTER_OFFER_DAYS;
use crate::domain::sla::{CounterReason, SuspendReason};
use crate::domain::tradein::{check_counter_offer, Action, Actor, State};
use crate::error::AppError;
use crate::features::trade_ins::emails;
use crate::features::trade_ins::service::Direction;
use crate::features::trade_ins::service::{return_device, transition_error};
use crate::features::trade_ins::service::{TradeInRecord, TransitionFailure};
use crate::i18n::staff::{use_staff, Staff, StaffTexts};
use crate::platform::db::db_error;
use crate::platform::mail::enqueue;
use crate::platform::payouts::PayoutOrder;
use crate::platform::state::AppState;

pub mod pending;

// What other features run on their own connection, inside their own transaction.
pub use super::repo::{create_payout, mark_payout_sent, payout, set_final_price, stamp};
pub use super::repo::{
    latest_counter_offer, latest_inspection_grade, own_listing_price, photo, queue, suspended,
    tab_counts, Tab,
};
// The seller API's order list.
pub use super::repo::{api_orders, ApiOrderFilter, ApiOrderRow};

/// A stored photo's bytes, by the file name `photo` gave; None when the
/// file is gone. Read only once the caller may see its trade-in.
pub async fn photo_bytes(state: &AppState, file_name: &str) -> Option<Vec<u8>> {
    // File names are random tokens chosen by the server, never user input.
    tokio::fs::read(state.config.data_dir.join("photos").join(file_name))
        .await
        .ok()
}

/// "this trade-in is {state} …" refusals, in the areas' language.
fn in_state(st: StaffTexts, msg: Staff, state: State) -> String {
    st.fill(msg, &[("state", &st.vocabulary().state(state))])
}

/// A move refused to the refurbisher or operations, in the areas' language.
fn refused(e: TransitionFailure) -> AppError {
    transition_error(use_staff().vocabulary())(e)
}

/// Who reads a refusal of `actor`'s move: a consumer in their page's
/// language, the refurbisher and operations in the areas'.
fn reader(actor: Actor) -> crate::i18n::Texts {
    match actor {
        Actor::Customer => crate::i18n::Texts::of(crate::i18n::document_market()),
        _ => use_staff().vocabulary(),
    }
}

/// The seller account behind a user: (seller id, company name).
pub async fn seller_of(state: &AppState, user_id: UserId) -> Result<(SellerId, String), AppError> {
    let s = crate::features::sellers::service::overview_for_user(state.db.pool(), user_id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::Forbidden)?;
    Ok((s.id, s.company))
}

/// A trade-in of this seller, or NotFound (another seller's id reveals nothing).
pub async fn owned_by_seller(
    state: &AppState,
    seller_id: SellerId,
    id: TradeInId,
) -> Result<TradeInRecord, AppError> {
    match crate::features::trade_ins::service::find(state.db.pool(), id)
        .await
        .map_err(db_error)?
    {
        Some(t) if t.seller_id == seller_id => Ok(t),
        _ => Err(AppError::NotFound),
    }
}

/// Who may see a trade-in's labels and photos: its consumer, the
/// refurbisher handling it, and operations.
pub async fn may_view(
    state: &AppState,
    user: &crate::domain::user::CurrentUser,
    t: &TradeInRecord,
) -> bool {
    use crate::domain::account::Role;
    match user.role {
        Role::Customer => t.customer_id == user.id,
        Role::Seller => matches!(seller_of(state, user.id).await, Ok((s, _)) if s == t.seller_id),
        Role::Ops => true,
    }
}

/// Marks the parcel with this tracking number or order reference received.
/// Scanning it twice is harmless.
pub async fn receive(
    state: &AppState,
    seller_id: SellerId,
    user_id: UserId,
    code: &str,
) -> Result<TradeInId, AppError> {
    let id = {
        let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
        crate::features::orders::repo::find_by_code(&mut conn, seller_id, code)
            .await
            .map_err(db_error)?
            .ok_or_else(|| AppError::invalid("code", use_staff().get(Staff::OrdersErrorNoParcel)))?
    };
    let t = owned_by_seller(state, seller_id, id).await?;
    if t.state == State::Received {
        return Ok(id);
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    crate::features::trade_ins::service::transition(
        &mut tx,
        id,
        t.state,
        Action::Receive,
        Actor::Seller,
        Some(user_id),
        "parcel received",
        now,
    )
    .await
    .map_err(refused)?;
    crate::features::orders::repo::stamp(&mut tx, id, "received_at", now)
        .await
        .map_err(db_error)?;
    if let Some(s) = crate::features::trade_ins::service::shipment(&mut *tx, id, Direction::Inbound)
        .await
        .map_err(db_error)?
    {
        crate::features::trade_ins::service::add_shipment_event(
            &mut tx,
            s.id,
            "delivered",
            "Delivered to the refurbisher",
            now,
        )
        .await
        .map_err(db_error)?;
    }
    enqueue(
        &mut tx,
        &t.customer_email,
        &emails::received(
            crate::i18n::Texts::of(t.market),
            &state.config.public_url,
            id,
            &t.reference,
            &t.seller_name,
        ),
        Some(id),
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(id)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InspectionOutcome {
    Validated,
    /// The device is worse than declared: the seller may counter-offer, and
    /// its own price for the found grade is the suggestion.
    Worse {
        found: Grade,
        suggested_price: Option<Money>,
    },
    Suspended(SuspendReason),
}

/// Records the refurbisher's inspection. Same or better than declared:
/// validated at the locked price. An IMEI that differs from the declared one
/// (or is blocklisted) suspends the trade-in.
pub async fn inspect(
    state: &AppState,
    seller_id: SellerId,
    user_id: UserId,
    id: TradeInId,
    imei_found: Option<Imei>,
    answers: Answers,
) -> Result<InspectionOutcome, AppError> {
    let t = owned_by_seller(state, seller_id, id).await?;
    let st = use_staff();
    if !matches!(t.state, State::Received | State::Inspecting) {
        return Err(AppError::Conflict(in_state(
            st,
            Staff::OrdersErrorCannotInspect,
            t.state,
        )));
    }
    if t.imei.is_some() && imei_found.is_none() {
        return Err(AppError::invalid(
            "imei_found",
            st.get(Staff::OrdersErrorEnterImei),
        ));
    }
    let found = grade(answers);
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let mut current = t.state;
    if current == State::Received {
        current = crate::features::trade_ins::service::transition(
            &mut tx,
            id,
            current,
            Action::StartInspection,
            Actor::Seller,
            Some(user_id),
            "inspection started",
            now,
        )
        .await
        .map_err(refused)?;
    }
    let found_imei = imei_found
        .as_ref()
        .map(|i| i.as_str().to_string())
        .unwrap_or_default();
    crate::features::orders::repo::insert_inspection(
        &mut tx,
        id,
        user_id,
        &found_imei,
        answers,
        found,
        now,
    )
    .await
    .map_err(db_error)?;
    crate::features::fraud::service::check(&mut tx, &state.secret, id, Some(&found_imei), now)
        .await?;

    let suspend_for = match (&t.imei, &imei_found) {
        (Some(declared), Some(seen)) if declared != seen.as_str() => {
            Some(SuspendReason::ImeiMismatch)
        }
        (Some(declared), _)
            if crate::features::trade_ins::service::blocklist_reason(&mut tx, declared)
                .await
                .map_err(db_error)?
                .is_some() =>
        {
            Some(SuspendReason::ImeiBlocklisted)
        }
        _ => None,
    };
    let outcome = if let Some(reason) = suspend_for {
        suspend_in(&mut tx, state, &t, current, user_id, reason, now).await?;
        InspectionOutcome::Suspended(reason)
    } else if found <= t.grade {
        validate_in(
            &mut tx,
            state,
            &t,
            current,
            Actor::Seller,
            Some(user_id),
            t.price,
            "inspection matches the declaration",
            now,
        )
        .await?;
        InspectionOutcome::Validated
    } else {
        let suggested = crate::features::orders::repo::own_listing_price(
            &mut *tx, seller_id, t.market, &t.sku, found,
        )
        .await
        .map_err(db_error)?
        .filter(|p| *p < t.price);
        InspectionOutcome::Worse {
            found,
            suggested_price: suggested,
        }
    };
    tx.commit().await.map_err(db_error)?;
    Ok(outcome)
}

#[allow(clippy::too_many_arguments)]
async fn validate_in(
    tx: &mut sqlx::AnyConnection,
    state: &AppState,
    t: &TradeInRecord,
    from: State,
    actor: Actor,
    user: Option<UserId>,
    amount: Money,
    reason: &str,
    now: i64,
) -> Result<(), AppError> {
    let action = if from == State::CounterOffered {
        Action::AcceptCounterOffer
    } else {
        Action::Validate
    };
    crate::features::trade_ins::service::transition(
        tx, t.id, from, action, actor, user, reason, now,
    )
    .await
    .map_err(transition_error(reader(actor)))?;
    crate::features::orders::repo::stamp(tx, t.id, "validated_at", now)
        .await
        .map_err(db_error)?;
    crate::features::orders::repo::set_final_price(tx, t.id, amount)
        .await
        .map_err(db_error)?;
    crate::features::orders::repo::create_payout(tx, t.id, amount, &t.iban_masked, now)
        .await
        .map_err(db_error)?;
    enqueue(
        tx,
        &t.customer_email,
        &emails::validated(
            crate::i18n::Texts::of(t.market),
            &state.config.public_url,
            t.id,
            &t.reference,
            amount,
        ),
        Some(t.id),
        now,
    )
    .await
    .map(|_| ())
    .map_err(db_error)
}

async fn suspend_in(
    tx: &mut sqlx::AnyConnection,
    state: &AppState,
    t: &TradeInRecord,
    from: State,
    user_id: UserId,
    reason: SuspendReason,
    now: i64,
) -> Result<(), AppError> {
    crate::features::trade_ins::service::transition(
        tx,
        t.id,
        from,
        Action::Suspend,
        Actor::Seller,
        Some(user_id),
        reason.label(),
        now,
    )
    .await
    .map_err(refused)?;
    crate::features::orders::repo::set_suspended_reason(tx, t.id, reason.code())
        .await
        .map_err(db_error)?;
    let mail = emails::suspended(
        crate::i18n::Texts::of(t.market),
        &state.config.public_url,
        t.id,
        &t.reference,
        reason,
    );
    enqueue(tx, &t.customer_email, &mail, Some(t.id), now)
        .await
        .map(|_| ())
        .map_err(db_error)
}

/// Validates at the accepted price, even when inspection found worse (a
/// refurbisher may choose goodwill). A double click validates once.
pub async fn validate(
    state: &AppState,
    seller_id: SellerId,
    user_id: UserId,
    id: TradeInId,
) -> Result<(), AppError> {
    let t = owned_by_seller(state, seller_id, id).await?;
    if t.state == State::Validated {
        return Ok(());
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    validate_in(
        &mut tx,
        state,
        &t,
        t.state,
        Actor::Seller,
        Some(user_id),
        t.price,
        "validated at the accepted price",
        now,
    )
    .await?;
    tx.commit().await.map_err(db_error)
}

pub async fn suspend(
    state: &AppState,
    seller_id: SellerId,
    user_id: UserId,
    id: TradeInId,
    reason: SuspendReason,
) -> Result<(), AppError> {
    let t = owned_by_seller(state, seller_id, id).await?;
    if t.state == State::Suspended {
        return Ok(());
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    suspend_in(&mut tx, state, &t, t.state, user_id, reason, now).await?;
    tx.commit().await.map_err(db_error)
}

/// A photo that passed `photos::sanitize`, ready to store.
pub struct ProofPhoto {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub extension: &'static str,
}

/// Proposes a lower price with reasons and at least one photo. The photos
/// are written first; if the database refuses, they are removed again.
/// `st`: the refusals' language (the upload route has no page context).
#[allow(clippy::too_many_arguments)]
pub async fn counter_offer(
    st: StaffTexts,
    state: &AppState,
    seller_id: SellerId,
    user_id: UserId,
    id: TradeInId,
    price: Money,
    reasons: &[CounterReason],
    note: &str,
    photos: &[ProofPhoto],
) -> Result<(), AppError> {
    let t = owned_by_seller(state, seller_id, id).await?;
    let mut errors = crate::error::FieldErrors::new();
    if let Err(e) = check_counter_offer(t.price, price) {
        use crate::domain::tradein::CounterOfferError;
        errors.add(
            "price",
            st.get(match e {
                CounterOfferError::Currency => Staff::OrdersErrorCounterCurrency,
                CounterOfferError::NotLower => Staff::OrdersErrorCounterNotLower,
                CounterOfferError::TooLow => Staff::OrdersErrorCounterTooLow,
            }),
        );
    }
    if reasons.is_empty() {
        errors.add("reasons", st.get(Staff::OrdersErrorChooseReasons));
    }
    if photos.is_empty() {
        errors.add("photos", st.get(Staff::OrdersErrorAddPhoto));
    }
    if note.chars().count() > 1000 {
        errors.add("note", st.get(Staff::OrdersErrorNoteTooLong));
    }
    errors.into_result()?;
    if t.state != State::Inspecting {
        return Err(AppError::Conflict(in_state(
            st,
            Staff::OrdersErrorCannotCounter,
            t.state,
        )));
    }

    let dir = state.config.data_dir.join("photos");
    tokio::fs::create_dir_all(&dir).await.map_err(db_error)?;
    let mut written = Vec::new();
    for p in photos {
        let name = format!(
            "{}.{}",
            crate::platform::session::new_session_token(),
            p.extension
        );
        tokio::fs::write(dir.join(&name), &p.bytes)
            .await
            .map_err(db_error)?;
        written.push((name, p.content_type, p.bytes.len() as i64));
    }
    let result = async {
        let now = state.clock.now_ms();
        let expires_at = now + COUNTER_OFFER_DAYS * DAY_MS;
        let reason_text = reasons
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(",");
        let mut tx = state.db.write_tx().await.map_err(db_error)?;
        crate::features::trade_ins::service::transition(
            &mut tx,
            id,
            State::Inspecting,
            Action::CounterOffer,
            Actor::Seller,
            Some(user_id),
            &reason_text,
            now,
        )
        .await
        .map_err(transition_error(st.vocabulary()))?;
        let co = crate::features::orders::repo::insert_counter_offer(
            &mut tx,
            &crate::features::orders::repo::NewCounterOffer {
                trade_in_id: id,
                price,
                reasons: &reason_text,
                note,
                created_by: user_id,
                expires_at,
            },
            now,
        )
        .await
        .map_err(db_error)?;
        for (name, ct, size) in &written {
            crate::features::orders::repo::insert_photo(&mut tx, co, id, name, ct, *size, now)
                .await
                .map_err(db_error)?;
        }
        let texts = crate::i18n::Texts::of(t.market);
        let labels = reasons
            .iter()
            .map(|r| texts.counter_reason(*r))
            .collect::<Vec<_>>()
            .join(", ");
        let mail = emails::counter_offer(
            texts,
            &state.config.public_url,
            id,
            &t.reference,
            t.price,
            price,
            &labels,
            Date::from_unix_ms(expires_at),
        );
        enqueue(&mut tx, &t.customer_email, &mail, Some(id), now)
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)
    }
    .await;
    if result.is_err() {
        for (name, _, _) in &written {
            let _ = tokio::fs::remove_file(dir.join(name)).await;
        }
    }
    result
}

/// The consumer accepts (payout at the new price) or declines (free return).
pub async fn answer_counter_offer(
    state: &AppState,
    customer_id: UserId,
    id: TradeInId,
    accept: bool,
) -> Result<(), AppError> {
    let t = crate::features::trade_ins::service::owned(state, customer_id, id).await?;
    let texts = reader(Actor::Customer);
    let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
    let co = crate::features::orders::repo::latest_counter_offer(&mut conn, id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    match (t.state, co.answer.as_deref(), accept) {
        (State::Validated | State::Paid, Some("accepted"), true) => return Ok(()),
        (State::ReturnRequested | State::Returned, Some("declined"), false) => return Ok(()),
        (State::CounterOffered, _, _) => {}
        _ => {
            return Err(AppError::Conflict(texts.fill(
                crate::i18n::Msg::RefusalNoOfferWaiting,
                &[("state", &texts.state(t.state))],
            )))
        }
    }
    let now = state.clock.now_ms();
    if accept {
        let mut tx = state.db.write_tx().await.map_err(db_error)?;
        validate_in(
            &mut tx,
            state,
            &t,
            State::CounterOffered,
            Actor::Customer,
            Some(customer_id),
            co.price,
            "new offer accepted",
            now,
        )
        .await?;
        crate::features::orders::repo::answer_counter_offer(&mut tx, co.id, "accepted", now)
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)
    } else {
        let Some(mut tx) = return_device(
            texts,
            state,
            &t,
            Action::DeclineCounterOffer,
            Actor::Customer,
            Some(customer_id),
            "new offer declined",
        )
        .await?
        else {
            return Err(AppError::Conflict(
                texts.get(crate::i18n::Msg::RefusalChangedMeanwhile).into(),
            ));
        };
        crate::features::orders::repo::answer_counter_offer(&mut tx, co.id, "declined", now)
            .await
            .map_err(db_error)?;
        enqueue(
            &mut tx,
            &t.customer_email,
            &emails::return_sent(
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
}

/// Sends a suspended device back (seller or operations decide).
pub async fn return_suspended(
    state: &AppState,
    seller_id: SellerId,
    user_id: UserId,
    id: TradeInId,
) -> Result<(), AppError> {
    let t = owned_by_seller(state, seller_id, id).await?;
    if t.state == State::ReturnRequested {
        return Ok(());
    }
    let Some(mut tx) = return_device(
        use_staff().vocabulary(),
        state,
        &t,
        Action::ReturnDevice,
        Actor::Seller,
        Some(user_id),
        "returned after suspension",
    )
    .await?
    else {
        return Err(AppError::Conflict(
            use_staff().get(Staff::OrdersErrorChangedMeanwhile).into(),
        ));
    };
    let now = state.clock.now_ms();
    enqueue(
        &mut tx,
        &t.customer_email,
        &emails::return_sent(
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

/// The return parcel reached the consumer.
pub async fn return_delivered(
    state: &AppState,
    seller_id: SellerId,
    user_id: UserId,
    id: TradeInId,
) -> Result<(), AppError> {
    let t = owned_by_seller(state, seller_id, id).await?;
    if t.state == State::Returned {
        return Ok(());
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    crate::features::trade_ins::service::transition(
        &mut tx,
        id,
        t.state,
        Action::ReturnDelivered,
        Actor::Seller,
        Some(user_id),
        "return delivered",
        now,
    )
    .await
    .map_err(refused)?;
    if let Some(s) = crate::features::trade_ins::service::shipment(&mut *tx, id, Direction::Return)
        .await
        .map_err(db_error)?
    {
        crate::features::trade_ins::service::add_shipment_event(
            &mut tx,
            s.id,
            "delivered",
            "Delivered back to the consumer",
            now,
        )
        .await
        .map_err(db_error)?;
    }
    enqueue(
        &mut tx,
        &t.customer_email,
        &emails::returned(
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

/// The refurbisher confirms it paid (see `pay`).
pub async fn confirm_payment(
    state: &AppState,
    seller_id: SellerId,
    user_id: UserId,
    id: TradeInId,
) -> Result<(), AppError> {
    let t = owned_by_seller(state, seller_id, id).await?;
    if t.state == State::Paid {
        return Ok(());
    }
    match pay(state, &t, user_id, Actor::Seller).await? {
        Some(tx) => tx.commit().await.map_err(db_error),
        // A concurrent click got there first: it paid; this one must not.
        None => Ok(()),
    }
}

/// Pays a validated trade-in, as its refurbisher or as operations (a claim
/// about a missing payment). The provider is asked first with the payout
/// id as idempotency key; then the payout moves to sent and the trade-in
/// to paid, each guarded by its current state, so retries and concurrent
/// clicks pay once. Returns that transaction for the caller to add its own
/// writes and commit, or None when a concurrent payment got there first.
pub async fn pay(
    state: &AppState,
    t: &TradeInRecord,
    user_id: UserId,
    actor: Actor,
) -> Result<Option<sqlx::Transaction<'static, sqlx::Any>>, AppError> {
    let id = t.id;
    // The refurbisher's order page and operations' claims both pay.
    let st = use_staff();
    if t.state != State::Validated {
        return Err(AppError::Conflict(in_state(
            st,
            Staff::OrdersErrorCannotPay,
            t.state,
        )));
    }
    {
        let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
        crate::features::fraud::service::ensure_payable(&mut conn, id).await?;
        // Money goes only to an account whose owner proved the address.
        if !crate::features::accounts::service::links::is_verified(&mut conn, t.customer_id).await?
        {
            return Err(AppError::Conflict(
                st.get(Staff::OrdersErrorEmailUnconfirmed).into(),
            ));
        }
    }
    let payout = crate::features::orders::repo::payout(state.db.pool(), id)
        .await
        .map_err(db_error)?
        .ok_or_else(|| db_error("validated trade-in without payout"))?;
    let provider_ref = state
        .payouts
        .send(&PayoutOrder {
            payout_id: payout.id,
            amount: payout.amount,
            trade_in_reference: &t.reference,
        })
        .await
        .map_err(|e| {
            AppError::Conflict(st.fill(Staff::OrdersErrorPaymentFailed, &[("reason", &e)]))
        })?;
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    // A hold placed since the check above (an inspection elsewhere) wins.
    crate::features::fraud::service::ensure_payable(&mut tx, id).await?;
    match crate::features::trade_ins::service::transition(
        &mut tx,
        id,
        State::Validated,
        Action::ConfirmPayment,
        actor,
        Some(user_id),
        &provider_ref,
        now,
    )
    .await
    {
        Ok(_) => {}
        Err(TransitionFailure::Stale(State::Paid)) => return Ok(None),
        Err(e) => return Err(refused(e)),
    }
    if !crate::features::orders::repo::mark_payout_sent(&mut tx, payout.id, &provider_ref, now)
        .await
        .map_err(db_error)?
    {
        return Err(AppError::Conflict(
            st.get(Staff::OrdersErrorAlreadySent).into(),
        ));
    }
    crate::features::orders::repo::stamp(&mut tx, id, "paid_at", now)
        .await
        .map_err(db_error)?;
    enqueue(
        &mut tx,
        &t.customer_email,
        &emails::paid(
            crate::i18n::Texts::of(t.market),
            &state.config.public_url,
            id,
            &t.reference,
            payout.amount,
            &payout.iban_masked,
        ),
        Some(id),
        now,
    )
    .await
    .map_err(db_error)?;
    Ok(Some(tx))
}

/// Pays a consumer for a parcel the carrier lost: queued by the claim's
/// resolution in the transaction that declared it lost, and run at once
/// after it (`pay_compensation`), then by the queue until it succeeds.
pub const PAY_COMPENSATION_JOB: &str = "pay_compensation";

/// Queues `pay_compensation` in the caller's transaction.
pub async fn queue_compensation(
    conn: &mut sqlx::AnyConnection,
    id: TradeInId,
    now: i64,
) -> Result<(), AppError> {
    crate::platform::jobs::repo::enqueue(conn, PAY_COMPENSATION_JOB, &id.to_string(), "", now, now)
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Sends a lost trade-in's payout (the provider knows it by its id, so a
/// repeat pays nothing more) and moves the trade-in from lost to paid. A
/// fraud hold stops it until released; once paid, running it again
/// changes nothing.
pub async fn pay_compensation(state: &AppState, id: TradeInId) -> Result<(), AppError> {
    let t = crate::features::trade_ins::service::find(state.db.pool(), id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::NotFound)?;
    if t.state != State::Lost {
        return Ok(());
    }
    // Run as operations resolve a claim, else by the queue (no request: English).
    let st = use_staff();
    {
        let mut conn = state.db.pool().acquire().await.map_err(db_error)?;
        crate::features::fraud::service::ensure_payable(&mut conn, id).await?;
        // Money goes only to an account whose owner proved the address.
        if !crate::features::accounts::service::links::is_verified(&mut conn, t.customer_id).await?
        {
            return Err(AppError::Conflict(
                st.get(Staff::OrdersErrorEmailUnconfirmed).into(),
            ));
        }
    }
    let payout = crate::features::orders::repo::payout(state.db.pool(), id)
        .await
        .map_err(db_error)?
        .ok_or_else(|| db_error("compensation without payout"))?;
    let provider_ref = state
        .payouts
        .send(&PayoutOrder {
            payout_id: payout.id,
            amount: payout.amount,
            trade_in_reference: &t.reference,
        })
        .await
        .map_err(|e| {
            AppError::Conflict(st.fill(Staff::OrdersErrorCompensationFailed, &[("reason", &e)]))
        })?;
    let now = state.clock.now_ms();
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    crate::features::fraud::service::ensure_payable(&mut tx, id).await?;
    match crate::features::trade_ins::service::transition(
        &mut tx,
        id,
        State::Lost,
        Action::Compensate,
        Actor::System,
        None,
        &provider_ref,
        now,
    )
    .await
    {
        Ok(_) => {}
        Err(TransitionFailure::Stale(State::Paid)) => return Ok(()),
        Err(e) => return Err(refused(e)),
    }
    if !crate::features::orders::repo::mark_payout_sent(&mut tx, payout.id, &provider_ref, now)
        .await
        .map_err(db_error)?
    {
        return Err(AppError::Conflict(
            st.get(Staff::OrdersErrorAlreadySent).into(),
        ));
    }
    crate::features::orders::repo::stamp(&mut tx, id, "paid_at", now)
        .await
        .map_err(db_error)?;
    enqueue(
        &mut tx,
        &t.customer_email,
        &emails::paid(
            crate::i18n::Texts::of(t.market),
            &state.config.public_url,
            id,
            &t.reference,
            payout.amount,
            &payout.iban_masked,
        ),
        Some(id),
        now,
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// Ledger settlement: payouts sent at least one business day ago settle.
pub async fn settle_payouts(state: &AppState) -> Result<u64, AppError> {
    let now = state.clock.now_ms();
    // The latest send time that is a full business day old.
    let mut cutoff = now - DAY_MS;
    while crate::domain::sla::pay_due_ms(cutoff) > now {
        cutoff -= DAY_MS;
    }
    let mut tx = state.db.write_tx().await.map_err(db_error)?;
    let settled = crate::features::orders::repo::settle_payouts(&mut tx, cutoff, now)
        .await
        .map_err(db_error)?;
    crate::features::seller_events::service::record_payouts_settled(&mut tx, &settled, now)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(settled.len() as u64)
}

/// Operations decide a suspended trade-in: resume the inspection (the
/// problem is solved) or send the device back.
pub async fn ops_decide(
    state: &AppState,
    ops_user: UserId,
    id: TradeInId,
    resume: bool,
    reason: &str,
) -> Result<(), AppError> {
    let t = crate::features::trade_ins::service::find(state.db.pool(), id)
        .await
        .map_err(db_error)?
        .ok_or(AppError::NotFound)?;
    let st = use_staff();
    if reason.trim().is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "reason",
            st.get(Staff::SuspendedErrorExplain),
        ));
    }
    match (t.state, resume) {
        (State::Inspecting, true) | (State::ReturnRequested, false) => return Ok(()),
        (State::Suspended, _) => {}
        _ => {
            return Err(AppError::Conflict(in_state(
                st,
                Staff::SuspendedErrorState,
                t.state,
            )))
        }
    }
    if resume {
        let now = state.clock.now_ms();
        let mut tx = state.db.write_tx().await.map_err(db_error)?;
        crate::features::trade_ins::service::transition(
            &mut tx,
            id,
            State::Suspended,
            Action::ResumeInspection,
            Actor::Ops,
            Some(ops_user),
            reason.trim(),
            now,
        )
        .await
        .map_err(refused)?;
        crate::features::orders::repo::set_suspended_reason(&mut tx, id, "")
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)
    } else {
        let Some(mut tx) = return_device(
            st.vocabulary(),
            state,
            &t,
            Action::ReturnDevice,
            Actor::Ops,
            Some(ops_user),
            reason.trim(),
        )
        .await?
        else {
            return Err(AppError::Conflict(
                st.get(Staff::OrdersErrorChangedMeanwhile).into(),
            ));
        };
        let now = state.clock.now_ms();
        enqueue(
            &mut tx,
            &t.customer_email,
            &emails::return_sent(
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
}
