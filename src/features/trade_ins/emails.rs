//! The text of the mail each step sends. Plain text: it reads everywhere.
//! A consumer's mail about a trade-in is in the language of the market
//! they sold in (`locales/*.json`, `mail.*`); a refurbisher's or an
//! operations user's is in the language of their areas
//! (`locales/staff/mail.*.json`).

use crate::domain::claims::{ClaimKind, Outcome};
use crate::domain::dates::Date;
use crate::domain::ids::{ClaimId, TradeInId};
use crate::domain::mail::MailKind;
use crate::domain::money::Money;
use crate::domain::offer::{COUNTER_OFFER_DAYS, EXPIRY_WARNING_DAYS};
use crate::domain::sla::SuspendReason;
use crate::i18n::staff::{Staff, StaffTexts};
use crate::i18n::{Msg, Texts};

pub use crate::platform::mail::Mail;

/// A consumer's mail: in the language of the market they sold in.
fn to_consumer(t: Texts, kind: MailKind, public_url: &str, subject: String, body: String) -> Mail {
    Mail {
        kind,
        subject,
        body: format!(
            "{body}\n\n— TradeIn\n{public_url}\n{}",
            t.get(Msg::MailFooter)
        ),
    }
}

fn page(public_url: &str, id: TradeInId) -> String {
    format!("{public_url}/trade-ins/{id}")
}

fn label(public_url: &str, id: TradeInId) -> String {
    format!("{public_url}/trade-ins/{id}/label.pdf")
}

/// A day as the market's language writes it ("ven. 24 déc. 2026").
fn day(t: Texts, date: Date) -> String {
    crate::platform::zone::local_day(date.start_unix_ms(), t.market())
}

#[allow(clippy::too_many_arguments)]
pub fn confirmation(
    t: Texts,
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
        t.get(Msg::MailConfirmationRecycle).to_string()
    } else {
        t.fill(
            Msg::MailConfirmationBuy,
            &[("buyer", &buyer), ("price", &t.money(price))],
        )
    };
    to_consumer(
        t,
        MailKind::Confirmation,
        public_url,
        t.fill(Msg::MailConfirmationSubject, &[("reference", &reference)]),
        t.fill(
            Msg::MailConfirmationBody,
            &[
                ("reference", &reference),
                ("device", &device),
                ("deal", &deal),
                ("label", &label(public_url, id)),
                ("date", &day(t, ship_by)),
                ("tracking", &tracking),
                ("page", &page(public_url, id)),
            ],
        ),
    )
}

pub fn expiry_warning(
    t: Texts,
    public_url: &str,
    id: TradeInId,
    reference: &str,
    ship_by: Date,
) -> Mail {
    to_consumer(
        t,
        MailKind::ExpiryWarning,
        public_url,
        t.fill(
            Msg::MailExpiryWarningSubject,
            &[("reference", &reference), ("days", &EXPIRY_WARNING_DAYS)],
        ),
        t.fill(
            Msg::MailExpiryWarningBody,
            &[
                ("date", &day(t, ship_by)),
                ("label", &label(public_url, id)),
            ],
        ),
    )
}

/// `days`: the shipping window of the trade-in's market.
pub fn expired(t: Texts, public_url: &str, id: TradeInId, reference: &str, days: i64) -> Mail {
    to_consumer(
        t,
        MailKind::Expired,
        public_url,
        t.fill(Msg::MailExpiredSubject, &[("reference", &reference)]),
        t.fill(
            Msg::MailExpiredBody,
            &[
                ("days", &days),
                ("page", &page(public_url, id)),
                ("home", &format!("{public_url}{}", t.market().path(""))),
            ],
        ),
    )
}

pub fn cancelled(t: Texts, public_url: &str, id: TradeInId, reference: &str) -> Mail {
    to_consumer(
        t,
        MailKind::Cancelled,
        public_url,
        t.fill(Msg::MailCancelledSubject, &[("reference", &reference)]),
        t.fill(
            Msg::MailCancelledBody,
            &[("reference", &reference), ("page", &page(public_url, id))],
        ),
    )
}

pub fn counter_offer_timed_out(t: Texts, public_url: &str, id: TradeInId, reference: &str) -> Mail {
    to_consumer(
        t,
        MailKind::Returned,
        public_url,
        t.fill(Msg::MailComingBackSubject, &[("reference", &reference)]),
        t.fill(
            Msg::MailCounterTimedOutBody,
            &[
                ("days", &COUNTER_OFFER_DAYS),
                ("page", &page(public_url, id)),
            ],
        ),
    )
}

pub fn received(t: Texts, public_url: &str, id: TradeInId, reference: &str, buyer: &str) -> Mail {
    to_consumer(
        t,
        MailKind::Received,
        public_url,
        t.fill(Msg::MailReceivedSubject, &[("reference", &reference)]),
        t.fill(
            Msg::MailReceivedBody,
            &[("buyer", &buyer), ("page", &page(public_url, id))],
        ),
    )
}

/// `reasons`: already in the consumer's language.
#[allow(clippy::too_many_arguments)]
pub fn counter_offer(
    t: Texts,
    public_url: &str,
    id: TradeInId,
    reference: &str,
    old: Money,
    new: Money,
    reasons: &str,
    answer_by: Date,
) -> Mail {
    to_consumer(
        t,
        MailKind::CounterOffer,
        public_url,
        t.fill(
            Msg::MailCounterOfferSubject,
            &[("reference", &reference), ("price", &t.money(new))],
        ),
        t.fill(
            Msg::MailCounterOfferBody,
            &[
                ("price", &t.money(new)),
                ("old", &t.money(old)),
                ("reasons", &reasons),
                ("date", &day(t, answer_by)),
                ("page", &page(public_url, id)),
            ],
        ),
    )
}

pub fn validated(
    t: Texts,
    public_url: &str,
    id: TradeInId,
    reference: &str,
    amount: Money,
) -> Mail {
    to_consumer(
        t,
        MailKind::Validated,
        public_url,
        t.fill(
            Msg::MailValidatedSubject,
            &[("reference", &reference), ("amount", &t.money(amount))],
        ),
        t.fill(
            Msg::MailValidatedBody,
            &[
                ("amount", &t.money(amount)),
                ("page", &page(public_url, id)),
            ],
        ),
    )
}

pub fn paid(
    t: Texts,
    public_url: &str,
    id: TradeInId,
    reference: &str,
    amount: Money,
    iban_masked: &str,
) -> Mail {
    to_consumer(
        t,
        MailKind::Paid,
        public_url,
        t.fill(
            Msg::MailPaidSubject,
            &[("reference", &reference), ("amount", &t.money(amount))],
        ),
        t.fill(
            Msg::MailPaidBody,
            &[
                ("amount", &t.money(amount)),
                ("account", &iban_masked),
                ("page", &page(public_url, id)),
            ],
        ),
    )
}

pub fn suspended(
    t: Texts,
    public_url: &str,
    id: TradeInId,
    reference: &str,
    reason: SuspendReason,
) -> Mail {
    let (why, todo) = t.on_hold(reason);
    to_consumer(
        t,
        MailKind::Suspended,
        public_url,
        t.fill(Msg::MailSuspendedSubject, &[("reference", &reference)]),
        t.fill(
            Msg::MailSuspendedBody,
            &[
                ("reason", &why),
                ("todo", &todo),
                ("page", &page(public_url, id)),
            ],
        ),
    )
}

pub fn return_sent(t: Texts, public_url: &str, id: TradeInId, reference: &str) -> Mail {
    to_consumer(
        t,
        MailKind::ReturnSent,
        public_url,
        t.fill(Msg::MailComingBackSubject, &[("reference", &reference)]),
        t.fill(Msg::MailReturnSentBody, &[("page", &page(public_url, id))]),
    )
}

pub fn returned(t: Texts, public_url: &str, id: TradeInId, reference: &str) -> Mail {
    to_consumer(
        t,
        MailKind::Returned,
        public_url,
        t.fill(Msg::MailReturnedSubject, &[("reference", &reference)]),
        t.fill(Msg::MailReturnedBody, &[("page", &page(public_url, id))]),
    )
}

/// To a refurbisher when operations approve or reject its application, in
/// its language.
pub fn seller_decision(
    st: StaffTexts,
    public_url: &str,
    company: &str,
    approved: bool,
    reason: &str,
) -> Mail {
    if approved {
        Mail {
            kind: MailKind::SellerApproved,
            subject: st.fill(Staff::MailSellerApprovedSubject, &[("company", &company)]),
            body: st.fill(
                Staff::MailSellerApprovedBody,
                &[
                    ("company", &company),
                    ("grid", &format!("{public_url}/seller/prices")),
                    ("site", &public_url),
                ],
            ),
        }
    } else {
        Mail {
            kind: MailKind::SellerRejected,
            subject: st.fill(Staff::MailSellerRejectedSubject, &[("company", &company)]),
            body: st.fill(
                Staff::MailSellerRejectedBody,
                &[
                    ("company", &company),
                    ("reason", &reason),
                    ("site", &public_url),
                ],
            ),
        }
    }
}

/// To an operations user when a new alert opens, in their language.
pub fn alert(st: StaffTexts, public_url: &str, title: &str, detail: &str) -> Mail {
    Mail {
        kind: MailKind::Alert,
        subject: st.fill(Staff::MailAlertSubject, &[("title", &title)]),
        body: st.fill(
            Staff::MailAlertBody,
            &[
                ("title", &title),
                ("detail", &detail),
                ("inbox", &format!("{public_url}/ops/alerts")),
            ],
        ),
    }
}

/// To operations and the refurbisher when a consumer opens a claim, in
/// each reader's language.
pub fn claim_opened(
    st: StaffTexts,
    public_url: &str,
    claim_id: ClaimId,
    reference: &str,
    kind: ClaimKind,
) -> Mail {
    let kind = st.vocabulary().claim_kind(kind);
    Mail {
        kind: MailKind::ClaimOpened,
        subject: st.fill(
            Staff::MailClaimOpenedSubject,
            &[("reference", &reference), ("kind", &kind)],
        ),
        body: st.fill(
            Staff::MailClaimOpenedBody,
            &[
                ("reference", &reference),
                ("kind", &kind),
                ("claim", &format!("{public_url}/claims/{claim_id}")),
            ],
        ),
    }
}

/// To the consumer when operations resolve the claim: in the language of
/// the market they sold in, with the note operations wrote as written.
pub fn claim_resolved(
    t: Texts,
    public_url: &str,
    claim_id: ClaimId,
    reference: &str,
    outcome: Outcome,
    note: &str,
) -> Mail {
    to_consumer(
        t,
        MailKind::ClaimResolved,
        public_url,
        t.fill(Msg::ClaimMailResolvedSubject, &[("reference", &reference)]),
        t.fill(
            Msg::ClaimMailResolvedBody,
            &[
                ("outcome", &t.claim_outcome(outcome)),
                ("note", &note),
                ("claim", &format!("{public_url}/claims/{claim_id}")),
            ],
        ),
    )
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
        let t = Texts::of(crate::domain::market::Market::DeDe);
        let mails = [
            confirmation(
                t,
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
            expiry_warning(t, url, id, "TR-1", day),
            expired(t, url, id, "TR-1", 21),
            cancelled(t, url, id, "TR-1"),
            counter_offer_timed_out(t, url, id, "TR-1"),
            received(t, url, id, "TR-1", "Alpha"),
            counter_offer(t, url, id, "TR-1", eur, Money::eur(20_000), "cracked", day),
            validated(t, url, id, "TR-1", eur),
            paid(t, url, id, "TR-1", eur, "FR14 •••• 2606"),
            suspended(t, url, id, "TR-1", SuspendReason::ActivationLockOn),
            return_sent(t, url, id, "TR-1"),
            returned(t, url, id, "TR-1"),
        ];
        for mail in mails {
            assert!(mail.body.contains(&page), "{:?}: {}", mail.kind, mail.body);
            assert!(
                mail.body.contains("Verkauf"),
                "{:?}: {}",
                mail.kind,
                mail.body
            );
        }
    }

    #[test]
    fn a_consumers_mail_is_in_their_markets_language_and_format() {
        let url = "https://tradein.example";
        let day = Date::new(2026, 12, 24).unwrap();
        let fr = confirmation(
            Texts::of(crate::domain::market::Market::FrFr),
            url,
            TradeInId(7),
            "TR-7",
            "iPhone 13",
            Money::eur(31_200),
            false,
            "Alpha",
            day,
            "LT1",
        );
        assert!(
            fr.subject.starts_with("Votre revente TR-7"),
            "{}",
            fr.subject
        );
        assert!(fr.body.contains("312,00\u{a0}€"), "{}", fr.body);
        assert!(fr.body.contains("déc. 2026"), "{}", fr.body);
        let us = paid(
            Texts::of(crate::domain::market::Market::EnUs),
            url,
            TradeInId(7),
            "TR-7",
            Money::new(31_200, crate::domain::money::Currency::Usd),
            "•••• 6789",
        );
        assert_eq!(us.subject, "Your trade-in TR-7: $312.00 paid");
    }
}
