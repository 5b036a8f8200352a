//! The kinds of mail the marketplace sends, as the outbox stores them.

use serde::{Deserialize, Serialize};

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
// On the wire as in the database.
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    Confirmation,
    ExpiryWarning,
    Expired,
    Cancelled,
    Returned,
    Received,
    CounterOffer,
    Validated,
    Paid,
    Suspended,
    ReturnSent,
    SellerApproved,
    SellerRejected,
    Alert,
    ClaimOpened,
    ClaimResolved,
    SignInLink,
    AccountExists,
    VerifyEmail,
    PasswordReset,
    PasswordChanged,
    ConfirmNewEmail,
    EmailChangeRequested,
    EmailChanged,
    TwoFactorOn,
    TwoFactorOff,
    RecoveryCodesRenewed,
    RecoveryCodeUsed,
    WebhookDisabled,
}

crate::domain::codes::codes!(MailKind);

impl MailKind {
    /// Mail that carries a way into an account (a sign-in link): the
    /// outbox forgets its text once it is sent, so the database keeps no
    /// usable link.
    pub fn carries_a_secret(self) -> bool {
        matches!(
            self,
            MailKind::SignInLink
                | MailKind::AccountExists
                | MailKind::VerifyEmail
                | MailKind::PasswordReset
                | MailKind::ConfirmNewEmail
        )
    }
}
