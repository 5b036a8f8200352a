//! The codes the database and the forms hold for each domain enum. Rows
//! written by an earlier build must stay readable, so a renamed variant
//! may not change its code.

use super::*;

#[test]
fn account_role_codes() {
    for (value, code) in [
        (account::Role::Customer, "customer"),
        (account::Role::Seller, "seller"),
        (account::Role::Ops, "ops"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(account::Role::parse(code), Some(value));
    }
}

#[test]
fn alerts_rule_codes() {
    for (value, code) in [
        (alerts::Rule::CounterOfferRate, "counter_offer_rate"),
        (alerts::Rule::InspectionSla, "inspection_sla"),
        (alerts::Rule::PayoutOverdue, "payout_overdue"),
        (alerts::Rule::ThinMarket, "thin_market"),
        (alerts::Rule::ConversionDrop, "conversion_drop"),
        (alerts::Rule::CapsExhaustedEarly, "caps_exhausted_early"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(alerts::Rule::parse(code), Some(value));
    }
}

#[test]
fn claims_claim_kind_codes() {
    for (value, code) in [
        (claims::ClaimKind::ParcelLost, "parcel_lost"),
        (
            claims::ClaimKind::CounterOfferDisputed,
            "counter_offer_disputed",
        ),
        (claims::ClaimKind::PaymentMissing, "payment_missing"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(claims::ClaimKind::parse(code), Some(value));
    }
}

#[test]
fn claims_outcome_codes() {
    for (value, code) in [
        (claims::Outcome::Compensate, "compensate"),
        (claims::Outcome::PayOriginal, "pay_original"),
        (claims::Outcome::ReturnDevice, "return_device"),
        (claims::Outcome::PayNow, "pay_now"),
        (claims::Outcome::Refuse, "refuse"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(claims::Outcome::parse(code), Some(value));
    }
}

#[test]
fn fraud_fraud_rule_codes() {
    for (value, code) in [
        (fraud::FraudRule::BlockedImei, "blocked_imei"),
        (fraud::FraudRule::RepeatedImei, "repeated_imei"),
        (fraud::FraudRule::SharedIban, "shared_iban"),
        (fraud::FraudRule::ManyTradeIns, "many_trade_ins"),
        (fraud::FraudRule::HighValue, "high_value"),
        (fraud::FraudRule::ImeiMismatch, "imei_mismatch"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(fraud::FraudRule::parse(code), Some(value));
    }
}

#[test]
fn grade_grade_codes() {
    for (value, code) in [
        (grade::Grade::FunctionalFlawless, "functional_flawless"),
        (grade::Grade::FunctionalGood, "functional_good"),
        (grade::Grade::FunctionalUsed, "functional_used"),
        (grade::Grade::FunctionalCracked, "functional_cracked"),
        (grade::Grade::NotFunctionalUsed, "not_functional_used"),
        (grade::Grade::NotFunctionalCracked, "not_functional_cracked"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(grade::Grade::parse(code), Ok(value));
    }
}

#[test]
fn grading_wear_codes() {
    for (value, code) in [
        (grading::Wear::Flawless, "flawless"),
        (grading::Wear::LightScratches, "light_scratches"),
        (grading::Wear::VisibleWear, "visible_wear"),
        (grading::Wear::Cracked, "cracked"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(grading::Wear::parse(code), Some(value));
    }
}

#[test]
fn kpi_period_kind_codes() {
    for (value, code) in [
        (kpi::PeriodKind::Day, "day"),
        (kpi::PeriodKind::Week, "week"),
        (kpi::PeriodKind::Month, "month"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(kpi::PeriodKind::parse(code), Some(value));
    }
}

#[test]
fn kpi_kpi_codes() {
    for (value, code) in [
        (kpi::Kpi::OffersShown, "offers_shown"),
        (kpi::Kpi::OffersAccepted, "offers_accepted"),
        (kpi::Kpi::Conversion, "conversion"),
        (kpi::Kpi::Shipped, "shipped"),
        (kpi::Kpi::Received, "received"),
        (kpi::Kpi::Validated, "validated"),
        (kpi::Kpi::CounterOffered, "counter_offered"),
        (kpi::Kpi::CounterOfferRate, "counter_offer_rate"),
        (kpi::Kpi::CounterAccepted, "counter_accepted"),
        (kpi::Kpi::CounterAcceptRate, "counter_accept_rate"),
        (kpi::Kpi::Returned, "returned"),
        (kpi::Kpi::Expired, "expired"),
        (kpi::Kpi::PaidTotal, "paid_total"),
        (kpi::Kpi::PaidAverage, "paid_average"),
        (kpi::Kpi::MedianDaysToPay, "median_days_to_pay"),
        (kpi::Kpi::InspectionSla, "inspection_sla"),
        (kpi::Kpi::PaymentSla, "payment_sla"),
        (kpi::Kpi::Recycled, "recycled"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(kpi::Kpi::parse(code), Some(value));
    }
}

#[test]
fn money_currency_codes() {
    assert_eq!(money::Currency::Eur.code(), "EUR");
    assert_eq!(money::Currency::parse("EUR"), Some(money::Currency::Eur));
}

#[test]
fn sla_suspend_reason_codes() {
    for (value, code) in [
        (sla::SuspendReason::ParcelEmpty, "parcel_empty"),
        (sla::SuspendReason::ParcelDamaged, "parcel_damaged"),
        (sla::SuspendReason::WrongDevice, "wrong_device"),
        (sla::SuspendReason::ActivationLockOn, "activation_lock_on"),
        (sla::SuspendReason::ImeiBlocklisted, "imei_blocklisted"),
        (sla::SuspendReason::ImeiMismatch, "imei_mismatch"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(sla::SuspendReason::parse(code), Some(value));
    }
}

#[test]
fn sla_counter_reason_codes() {
    for (value, code) in [
        (sla::CounterReason::Functional, "functional"),
        (sla::CounterReason::Screen, "screen"),
        (sla::CounterReason::Body, "body"),
        (sla::CounterReason::Other, "other"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(sla::CounterReason::parse(code), Some(value));
    }
}

#[test]
fn tradein_state_codes() {
    for (value, code) in [
        (tradein::State::Created, "created"),
        (tradein::State::LabelIssued, "label_issued"),
        (tradein::State::Shipped, "shipped"),
        (tradein::State::Received, "received"),
        (tradein::State::Inspecting, "inspecting"),
        (tradein::State::CounterOffered, "counter_offered"),
        (tradein::State::Validated, "validated"),
        (tradein::State::Paid, "paid"),
        (tradein::State::ReturnRequested, "return_requested"),
        (tradein::State::Returned, "returned"),
        (tradein::State::Suspended, "suspended"),
        (tradein::State::Expired, "expired"),
        (tradein::State::Cancelled, "cancelled"),
        (tradein::State::Lost, "lost"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(tradein::State::parse(code), Some(value));
    }
}

#[test]
fn tradein_actor_codes() {
    for (value, code) in [
        (tradein::Actor::Customer, "customer"),
        (tradein::Actor::Seller, "seller"),
        (tradein::Actor::Ops, "ops"),
        (tradein::Actor::System, "system"),
    ] {
        assert_eq!(value.code(), code);
    }
}

/// Events keep the action's Rust name, as the first builds wrote it.
#[test]
fn tradein_action_codes() {
    use tradein::Action::*;
    for (value, code) in [
        (IssueLabel, "IssueLabel"),
        (MarkShipped, "MarkShipped"),
        (Cancel, "Cancel"),
        (Expire, "Expire"),
        (Receive, "Receive"),
        (StartInspection, "StartInspection"),
        (Validate, "Validate"),
        (CounterOffer, "CounterOffer"),
        (AcceptCounterOffer, "AcceptCounterOffer"),
        (DeclineCounterOffer, "DeclineCounterOffer"),
        (CounterOfferTimeout, "CounterOfferTimeout"),
        (Suspend, "Suspend"),
        (ResumeInspection, "ResumeInspection"),
        (ReturnDevice, "ReturnDevice"),
        (ConfirmPayment, "ConfirmPayment"),
        (ReturnDelivered, "ReturnDelivered"),
        (DeclareLost, "DeclareLost"),
        (Compensate, "Compensate"),
        (OverruleCounterOffer, "OverruleCounterOffer"),
    ] {
        assert_eq!(value.code(), code);
    }
}

#[test]
fn kpi_target_status_codes() {
    for (value, code) in [
        (kpi::TargetStatus::Met, "met"),
        (kpi::TargetStatus::Close, "close"),
        (kpi::TargetStatus::Missed, "missed"),
    ] {
        assert_eq!(value.code(), code);
    }
}

#[test]
fn state_codes_of_alerts_claims_and_payouts() {
    for (value, code) in [
        (alerts::AlertState::Open, "open"),
        (alerts::AlertState::Acknowledged, "acknowledged"),
        (alerts::AlertState::Resolved, "resolved"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(alerts::AlertState::parse(code), Some(value));
    }
    for (value, code) in [
        (claims::ClaimState::Open, "open"),
        (claims::ClaimState::Resolved, "resolved"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(claims::ClaimState::parse(code), Some(value));
    }
    for (value, code) in [
        (payout::PayoutState::Pending, "pending"),
        (payout::PayoutState::Sent, "sent"),
        (payout::PayoutState::Settled, "settled"),
    ] {
        assert_eq!(value.code(), code);
        assert_eq!(payout::PayoutState::parse(code), Some(value));
    }
}
