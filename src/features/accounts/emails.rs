//! The mail accounts send: sign-in and confirmation links, and notices of
//! security changes. Each is in the language of the page that caused it
//! (`i18n::document_texts`): the visitor's market's.

use crate::domain::account::SIGN_IN_LINK_MINUTES;
use crate::domain::mail::MailKind;
use crate::i18n::{Msg, Texts};
use crate::platform::mail::Mail;

/// A mail: its subject, then its body and the signature linking `url`.
fn mail(t: Texts, kind: MailKind, subject: Msg, body: String, url: &str) -> Mail {
    Mail {
        kind,
        subject: t.get(subject).into(),
        body: format!(
            "{body}\n\n{}",
            t.fill(Msg::AccountMailSignature, &[("url", &url)])
        ),
    }
}

fn link_lines(t: Texts, link: &str) -> String {
    t.fill(
        Msg::AccountMailLinkLines,
        &[("link", &link), ("minutes", &SIGN_IN_LINK_MINUTES)],
    )
}

/// What to do when a security change was not the owner's.
fn not_you(t: Texts, public_url: &str) -> String {
    t.fill(
        Msg::AccountMailNotYou,
        &[("reset", &format!("{public_url}/login/reset"))],
    )
}

pub fn sign_in_link(t: Texts, public_url: &str, link: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailSignInLinkBody,
        &[("lines", &link_lines(t, link))],
    );
    mail(
        t,
        MailKind::SignInLink,
        Msg::AccountMailSignInLinkSubject,
        body,
        public_url,
    )
}

/// The answer to a sign-up with this address: its owner may simply have
/// forgotten the account.
pub fn account_exists(t: Texts, public_url: &str, link: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailAccountExistsBody,
        &[("lines", &link_lines(t, link))],
    );
    mail(
        t,
        MailKind::AccountExists,
        Msg::AccountMailAccountExistsSubject,
        body,
        public_url,
    )
}

pub fn verify_email(t: Texts, public_url: &str, link: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailVerifyEmailBody,
        &[
            ("link", &link),
            ("days", &crate::domain::account::VERIFY_LINK_DAYS),
        ],
    );
    mail(
        t,
        MailKind::VerifyEmail,
        Msg::AccountMailVerifyEmailSubject,
        body,
        public_url,
    )
}

pub fn password_reset(t: Texts, public_url: &str, link: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailPasswordResetBody,
        &[
            ("link", &link),
            ("minutes", &crate::domain::account::RESET_LINK_MINUTES),
        ],
    );
    mail(
        t,
        MailKind::PasswordReset,
        Msg::AccountMailPasswordResetSubject,
        body,
        public_url,
    )
}

pub fn password_changed(t: Texts, public_url: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailPasswordChangedBody,
        &[("reset", &format!("{public_url}/login/reset"))],
    );
    mail(
        t,
        MailKind::PasswordChanged,
        Msg::AccountMailPasswordChangedSubject,
        body,
        &format!("{public_url}/account"),
    )
}

pub fn confirm_new_email(t: Texts, public_url: &str, link: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailConfirmNewEmailBody,
        &[
            ("link", &link),
            ("hours", &crate::domain::account::NEW_EMAIL_LINK_HOURS),
        ],
    );
    mail(
        t,
        MailKind::ConfirmNewEmail,
        Msg::AccountMailConfirmNewEmailSubject,
        body,
        public_url,
    )
}

pub fn email_change_requested(t: Texts, public_url: &str, new_email: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailEmailChangeRequestedBody,
        &[
            ("new_email", &new_email),
            ("account", &format!("{public_url}/account")),
        ],
    );
    mail(
        t,
        MailKind::EmailChangeRequested,
        Msg::AccountMailEmailChangeRequestedSubject,
        body,
        public_url,
    )
}

pub fn email_changed(t: Texts, public_url: &str, new_email: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailEmailChangedBody,
        &[("new_email", &new_email)],
    );
    mail(
        t,
        MailKind::EmailChanged,
        Msg::AccountMailEmailChangedSubject,
        body,
        &format!("{public_url}/account"),
    )
}

/// A notice of a two-factor change, signed with the two-factor page.
fn two_factor_notice(
    t: Texts,
    public_url: &str,
    kind: MailKind,
    subject: Msg,
    body: String,
) -> Mail {
    mail(
        t,
        kind,
        subject,
        body,
        &format!("{public_url}/account/two-factor"),
    )
}

pub fn two_factor_on(t: Texts, public_url: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailTwoFactorOnBody,
        &[("not_you", &not_you(t, public_url))],
    );
    two_factor_notice(
        t,
        public_url,
        MailKind::TwoFactorOn,
        Msg::AccountMailTwoFactorOnSubject,
        body,
    )
}

pub fn two_factor_off(t: Texts, public_url: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailTwoFactorOffBody,
        &[("not_you", &not_you(t, public_url))],
    );
    two_factor_notice(
        t,
        public_url,
        MailKind::TwoFactorOff,
        Msg::AccountMailTwoFactorOffSubject,
        body,
    )
}

pub fn recovery_codes_renewed(t: Texts, public_url: &str) -> Mail {
    let body = t.fill(
        Msg::AccountMailRecoveryCodesRenewedBody,
        &[("not_you", &not_you(t, public_url))],
    );
    two_factor_notice(
        t,
        public_url,
        MailKind::RecoveryCodesRenewed,
        Msg::AccountMailRecoveryCodesRenewedSubject,
        body,
    )
}

pub fn recovery_code_used(t: Texts, public_url: &str, left: i64) -> Mail {
    // Three or fewer left: time to make new ones.
    let msg = if left <= 3 {
        Msg::AccountMailRecoveryCodeUsedBodyFew
    } else {
        Msg::AccountMailRecoveryCodeUsedBody
    };
    let body = t.fill(
        msg,
        &[("left", &left), ("not_you", &not_you(t, public_url))],
    );
    two_factor_notice(
        t,
        public_url,
        MailKind::RecoveryCodeUsed,
        Msg::AccountMailRecoveryCodeUsedSubject,
        body,
    )
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::market::Market;

    #[test]
    fn a_mail_is_in_the_language_it_was_asked_in() {
        let en = sign_in_link(
            Texts::of(Market::EnGb),
            "https://t.example",
            "https://t.example/l/x",
        );
        assert_eq!(en.subject, "Your sign-in link for TradeIn");
        assert!(
            en.body.starts_with("Here is the link you asked for"),
            "{}",
            en.body
        );
        assert!(en.body.contains("Sign in: https://t.example/l/x"));
        assert!(en.body.ends_with("— TradeIn\nhttps://t.example"));
        let de = sign_in_link(
            Texts::of(Market::DeDe),
            "https://t.example",
            "https://t.example/l/x",
        );
        assert_ne!(de.subject, en.subject);
        assert!(de.body.contains("https://t.example/l/x") && !de.body.contains('{'));
    }

    #[test]
    fn few_recovery_codes_left_asks_for_new_ones() {
        let t = Texts::of(Market::EnUs);
        assert!(!recovery_code_used(t, "u", 9).body.contains("Make new ones"));
        assert!(recovery_code_used(t, "u", 2)
            .body
            .contains("2 are left. Make new ones"));
    }
}
