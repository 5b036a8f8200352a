//! The mail a refurbisher gets about its webhooks, in the language its
//! account reads (`sellers::service::mail_texts`).

use crate::domain::mail::MailKind;
use crate::i18n::staff::{Staff, StaffTexts};
use crate::platform::mail::Mail;

/// An endpoint was disabled after a day of failed deliveries.
pub fn endpoint_disabled(
    st: StaffTexts,
    public_url: &str,
    company: &str,
    url: &str,
    error: &str,
) -> Mail {
    Mail {
        kind: MailKind::WebhookDisabled,
        subject: st.fill(Staff::MailWebhookDisabledSubject, &[("company", &company)]),
        body: st.fill(
            Staff::MailWebhookDisabledBody,
            &[
                ("url", &url),
                ("error", &error),
                ("page", &format!("{public_url}/seller/api")),
            ],
        ),
    }
}
