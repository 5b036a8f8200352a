//! The text of the mail each step sends. Plain text: it reads everywhere.

use crate::domain::dates::Date;
use crate::domain::ids::{ClaimId, TradeInId};
use crate::domain::mail::MailKind;
use crate::domain::money::Money;
use crate::domain::offer::{COUNTER_OFFER_DAYS, EXPIRY_WARNING_DAYS};

pub use crate::platform::mail::Mail;

fn footer(public_url: &str) -> String {
    format!("\n\n— TradeIn\n{public_url}\nYou receive this because you started a trade-in with us.")
}

#[allow(clippy::too_many_arguments)]
pub fn confirmation(
    public_url: &str,
    id: TradeInId,
    reference: &str,
    device: &str,
    price: Money,
    recycling: bool,
    buyer: &str,
    ship_by: Date,
    tracking: &str,
) -> Mail {
    let deal = if recycling {
        format!("{buyer} will recycle it responsibly, free of charge.")
    } else {
        format!("{buyer} buys it for {price}, paid by bank transfer after inspection.")
    };
    Mail {
        kind: MailKind::Confirmation,
        subject: format!("Your trade-in {reference}: print your free shipping label"),
        body: format!(
            "Thank you! Your trade-in {reference} for your {device} is confirmed.\n{deal}\n\n\
             1. Print your prepaid label: {public_url}/trade-ins/{id}/label.pdf\n\
             2. Reset the device, remove your SIM and memory cards, and pack it well.\n\
             3. Ship it before {ship_by} with tracking number {tracking}.\n\n\
             Follow your trade-in: {public_url}/trade-ins/{id}{}",
            footer(public_url)
        ),
    }
}

pub fn expiry_warning(public_url: &str, id: TradeInId, reference: &str, ship_by: Date) -> Mail {
    Mail {
        kind: MailKind::ExpiryWarning,
        subject: format!("Your trade-in {reference}: {EXPIRY_WARNING_DAYS} days left to ship"),
        body: format!(
            "Your device has not been shipped yet. Ship it before {ship_by} to keep your offer; after that the trade-in expires.\n\
             Your label: {public_url}/trade-ins/{id}/label.pdf{}",
            footer(public_url)
        ),
    }
}

/// `days`: the shipping window of the trade-in's market.
pub fn expired(public_url: &str, id: TradeInId, reference: &str, days: i64) -> Mail {
    Mail {
        kind: MailKind::Expired,
        subject: format!("Your trade-in {reference} has expired"),
        body: format!(
            "We did not receive your device within {days} days, so this trade-in has expired and its label no longer works.\n\
             Your trade-in: {public_url}/trade-ins/{id}\n\
             You can get a new offer at any time: {public_url}/{}",
            footer(public_url)
        ),
    }
}

pub fn cancelled(public_url: &str, id: TradeInId, reference: &str) -> Mail {
    Mail {
        kind: MailKind::Cancelled,
        subject: format!("Your trade-in {reference} is cancelled"),
        body: format!(
            "As you asked, your trade-in {reference} is cancelled. Please do not send the device.\n\
             Your trade-in: {public_url}/trade-ins/{id}{}",
            footer(public_url)
        ),
    }
}

pub fn counter_offer_timed_out(public_url: &str, id: TradeInId, reference: &str) -> Mail {
    Mail {
        kind: MailKind::Returned,
        subject: format!("Your trade-in {reference}: your device is coming back"),
        body: format!(
            "You did not answer the new offer within {COUNTER_OFFER_DAYS} days, so we are sending your device back to you, free of charge.\n\
             Follow the return: {public_url}/trade-ins/{id}{}",
            footer(public_url)
        ),
    }
}

pub fn received(public_url: &str, id: TradeInId, reference: &str, buyer: &str) -> Mail {
    Mail {
        kind: MailKind::Received,
        subject: format!("Your trade-in {reference}: your device has arrived"),
        body: format!(
            "{buyer} has received your device and will inspect it within 2 business days.\n\
             Follow your trade-in: {public_url}/trade-ins/{id}{}",
            footer(public_url)
        ),
    }
}

pub fn counter_offer(
    public_url: &str,
    id: TradeInId,
    reference: &str,
    old: Money,
    new: Money,
    reasons: &str,
    answer_by: Date,
) -> Mail {
    Mail {
        kind: MailKind::CounterOffer,
        subject: format!("Your trade-in {reference}: a new offer of {new}"),
        body: format!(
            "After inspection the refurbisher offers {new} instead of {old} ({reasons}). Their photos are on your trade-in page.\n\
             Accept the new offer, or decline it and get your device back for free, before {answer_by}: {public_url}/trade-ins/{id}\n\
             Without an answer by then, your device is returned to you.{}",
            footer(public_url)
        ),
    }
}

pub fn validated(public_url: &str, id: TradeInId, reference: &str, amount: Money) -> Mail {
    Mail {
        kind: MailKind::Validated,
        subject: format!("Your trade-in {reference} is validated: {amount} on its way"),
        body: format!(
            "Your device passed inspection. {amount} will be paid by bank transfer within 1 business day.\n\
             Follow your payment: {public_url}/trade-ins/{id}{}",
            footer(public_url)
        ),
    }
}

pub fn paid(
    public_url: &str,
    id: TradeInId,
    reference: &str,
    amount: Money,
    iban_masked: &str,
) -> Mail {
    Mail {
        kind: MailKind::Paid,
        subject: format!("Your trade-in {reference}: {amount} paid"),
        body: format!("We have sent {amount} to {iban_masked}. It usually arrives within 1 business day.\n{public_url}/trade-ins/{id}{}", footer(public_url)),
    }
}

pub fn suspended(
    public_url: &str,
    id: TradeInId,
    reference: &str,
    reason: &str,
    what_to_do: &str,
) -> Mail {
    Mail {
        kind: MailKind::Suspended,
        subject: format!("Your trade-in {reference} is on hold"),
        body: format!(
            "{reason}. {what_to_do}\n{public_url}/trade-ins/{id}{}",
            footer(public_url)
        ),
    }
}

pub fn return_sent(public_url: &str, id: TradeInId, reference: &str) -> Mail {
    Mail {
        kind: MailKind::ReturnSent,
        subject: format!("Your trade-in {reference}: your device is coming back"),
        body: format!("Your device is on its way back to you, free of charge. Follow it: {public_url}/trade-ins/{id}{}", footer(public_url)),
    }
}

pub fn returned(public_url: &str, id: TradeInId, reference: &str) -> Mail {
    Mail {
        kind: MailKind::Returned,
        subject: format!("Your trade-in {reference}: device delivered back to you"),
        body: format!(
            "Your device has been delivered back to you. This trade-in is closed.\n\
             Your trade-in: {public_url}/trade-ins/{id}{}",
            footer(public_url)
        ),
    }
}

/// To a refurbisher when operations approve or reject its application.
pub fn seller_decision(public_url: &str, company: &str, approved: bool, reason: &str) -> Mail {
    if approved {
        Mail {
            kind: MailKind::SellerApproved,
            subject: format!("{company} is approved: your prices now compete"),
            body: format!(
                "Good news: our operations team approved {company}.\n\
                 Your prices now compete for devices. Review them in your price grid: {public_url}/seller/prices\n\n— TradeIn\n{public_url}"
            ),
        }
    } else {
        Mail {
            kind: MailKind::SellerRejected,
            subject: format!("Your application for {company}"),
            body: format!(
                "Our operations team could not approve {company} as a refurbisher.\nReason: {reason}\n\n\
                 Reply to this email if you think this is a mistake.\n\n— TradeIn\n{public_url}"
            ),
        }
    }
}

/// To operations when a new alert opens.
pub fn alert(public_url: &str, title: &str, detail: &str) -> Mail {
    Mail {
        kind: MailKind::Alert,
        subject: format!("[TradeIn alert] {title}"),
        body: format!("{title}\n{detail}\n\nAcknowledge or resolve it in the inbox: {public_url}/ops/alerts\n\n— TradeIn operations console"),
    }
}

/// To operations when a consumer opens a claim.
pub fn claim_opened(public_url: &str, claim_id: ClaimId, reference: &str, kind: &str) -> Mail {
    Mail {
        kind: MailKind::ClaimOpened,
        subject: format!("New claim on {reference}: {kind}"),
        body: format!("A consumer opened a claim on trade-in {reference}: {kind}.\nAnswer it: {public_url}/claims/{claim_id}\n\n— TradeIn operations console"),
    }
}

/// To the consumer when operations resolve the claim.
pub fn claim_resolved(
    public_url: &str,
    claim_id: ClaimId,
    reference: &str,
    outcome: &str,
    note: &str,
) -> Mail {
    Mail {
        kind: MailKind::ClaimResolved,
        subject: format!("Your claim on {reference} is resolved"),
        body: format!(
            "Our decision: {outcome}.\n{note}\n\nSee the claim: {public_url}/claims/{claim_id}{}",
            footer(public_url)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every mail about a trade-in leads to that trade-in's page, so its
    /// reader can check it is real without trusting the mail's other links.
    #[test]
    fn each_trade_in_mail_links_to_its_page() {
        let url = "https://tradein.example";
        let id = TradeInId(42);
        let page = format!("{url}/trade-ins/42");
        let day = Date::new(2026, 12, 24).unwrap();
        let eur = Money::eur(31_200);
        let mails = [
            confirmation(
                url,
                id,
                "TR-1",
                "iPhone 13",
                eur,
                false,
                "Alpha",
                day,
                "LT1",
            ),
            expiry_warning(url, id, "TR-1", day),
            expired(url, id, "TR-1", 21),
            cancelled(url, id, "TR-1"),
            counter_offer_timed_out(url, id, "TR-1"),
            received(url, id, "TR-1", "Alpha"),
            counter_offer(url, id, "TR-1", eur, Money::eur(20_000), "cracked", day),
            validated(url, id, "TR-1", eur),
            paid(url, id, "TR-1", eur, "FR14 •••• 2606"),
            suspended(url, id, "TR-1", "Locked", "Unlock it"),
            return_sent(url, id, "TR-1"),
            returned(url, id, "TR-1"),
        ];
        for mail in mails {
            assert!(mail.body.contains(&page), "{:?}: {}", mail.kind, mail.body);
        }
    }
}
