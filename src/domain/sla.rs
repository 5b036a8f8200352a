//! Service levels a refurbisher commits to: inspect within 2 business days
//! of receiving a parcel, pay within 1 business day of validating it.

use super::dates::add_business_days_ms;

pub const INSPECT_WITHIN_BUSINESS_DAYS: u32 = 2;
pub const PAY_WITHIN_BUSINESS_DAYS: u32 = 1;

pub fn inspect_due_ms(received_at_ms: i64) -> i64 {
    add_business_days_ms(received_at_ms, INSPECT_WITHIN_BUSINESS_DAYS)
}

pub fn pay_due_ms(validated_at_ms: i64) -> i64 {
    add_business_days_ms(validated_at_ms, PAY_WITHIN_BUSINESS_DAYS)
}

/// Why a refurbisher put a trade-in on hold; the consumer is told what to do.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum SuspendReason {
    ParcelEmpty,
    ParcelDamaged,
    WrongDevice,
    ActivationLockOn,
    ImeiBlocklisted,
    ImeiMismatch,
}

crate::domain::codes::codes!(SuspendReason);

impl SuspendReason {
    pub const ALL: [SuspendReason; 6] = [
        SuspendReason::ParcelEmpty,
        SuspendReason::ParcelDamaged,
        SuspendReason::WrongDevice,
        SuspendReason::ActivationLockOn,
        SuspendReason::ImeiBlocklisted,
        SuspendReason::ImeiMismatch,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SuspendReason::ParcelEmpty => "The parcel was empty",
            SuspendReason::ParcelDamaged => "The parcel arrived damaged",
            SuspendReason::WrongDevice => "The device is not the one declared",
            SuspendReason::ActivationLockOn => {
                "Activation lock (Find My / Google account) is still on"
            }
            SuspendReason::ImeiBlocklisted => "The IMEI is reported lost or stolen",
            SuspendReason::ImeiMismatch => "The IMEI does not match the one declared",
        }
    }

    /// What the consumer is asked to do.
    pub fn what_to_do(self) -> &'static str {
        match self {
            SuspendReason::ParcelEmpty | SuspendReason::ParcelDamaged => {
                "Our operations team is looking into it with the carrier; they will contact you. Keep your shipping receipt."
            }
            SuspendReason::WrongDevice | SuspendReason::ImeiMismatch => {
                "Check that you sent the device you declared. Our operations team will contact you to return it or correct the order."
            }
            SuspendReason::ActivationLockOn => {
                "Remove the device from your Apple ID (iCloud.com > Find Devices) or your Google account, then reply to our email."
            }
            SuspendReason::ImeiBlocklisted => "Our operations team will contact you about this device.",
        }
    }
}

/// Why a counter-offer lowers the price.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum CounterReason {
    Functional,
    Screen,
    Body,
    Other,
}

crate::domain::codes::codes!(CounterReason);

impl CounterReason {
    pub const ALL: [CounterReason; 4] = [
        CounterReason::Functional,
        CounterReason::Screen,
        CounterReason::Body,
        CounterReason::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CounterReason::Functional => "Does not work as declared",
            CounterReason::Screen => "Screen in worse condition",
            CounterReason::Body => "Body in worse condition",
            CounterReason::Other => "Other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::Date;

    #[test]
    fn sla_deadlines_skip_weekends() {
        let friday = Date::parse("2026-03-06").unwrap().start_unix_ms() + 10 * 3_600_000;
        assert_eq!(
            Date::from_unix_ms(inspect_due_ms(friday)).to_string(),
            "2026-03-10"
        );
        assert_eq!(
            Date::from_unix_ms(pay_due_ms(friday)).to_string(),
            "2026-03-09"
        );
        let tuesday = Date::parse("2026-03-03").unwrap().start_unix_ms();
        assert_eq!(
            Date::from_unix_ms(inspect_due_ms(tuesday)).to_string(),
            "2026-03-05"
        );
    }

    #[test]
    fn codes_round_trip() {
        for r in SuspendReason::ALL {
            assert_eq!(SuspendReason::parse(r.code()), Some(r));
        }
        for r in CounterReason::ALL {
            assert_eq!(CounterReason::parse(r.code()), Some(r));
        }
    }
}
