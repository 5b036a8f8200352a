//! The mail accounts send: a sign-in link, on request or when someone
//! tries to create an account with an address that already has one.

use crate::domain::account::SIGN_IN_LINK_MINUTES;
use crate::domain::mail::MailKind;
use crate::platform::mail::Mail;

fn link_lines(link: &str) -> String {
    format!(
        "Sign in: {link}\n\n\
         The link works once, for {SIGN_IN_LINK_MINUTES} minutes. If you did not ask for it, \
         ignore this message: nobody can use your account without it."
    )
}

pub fn sign_in_link(public_url: &str, link: &str) -> Mail {
    Mail {
        kind: MailKind::SignInLink,
        subject: "Your sign-in link for TradeIn".into(),
        body: format!(
            "Here is the link you asked for to sign in to TradeIn, without your password.\n\n{}\n\n— TradeIn\n{public_url}",
            link_lines(link)
        ),
    }
}

/// The answer to a sign-up with this address: its owner may simply have
/// forgotten the account.
pub fn account_exists(public_url: &str, link: &str) -> Mail {
    Mail {
        kind: MailKind::AccountExists,
        subject: "You already have a TradeIn account".into(),
        body: format!(
            "Someone, probably you, tried to create a TradeIn account with this address. \
             You already have one, so no new account was made.\n\n{}\n\n— TradeIn\n{public_url}",
            link_lines(link)
        ),
    }
}

pub fn verify_email(public_url: &str, link: &str) -> Mail {
    Mail {
        kind: MailKind::VerifyEmail,
        subject: "Confirm your email address for TradeIn".into(),
        body: format!(
            "Welcome to TradeIn. Please confirm that this address is yours: we send payments only to \
             accounts whose address is confirmed.\n\nConfirm: {link}\n\nThe link works once, for {} days. \
             If you did not create an account, ignore this message.\n\n— TradeIn\n{public_url}",
            crate::domain::account::VERIFY_LINK_DAYS
        ),
    }
}

pub fn password_reset(public_url: &str, link: &str) -> Mail {
    Mail {
        kind: MailKind::PasswordReset,
        subject: "Reset your TradeIn password".into(),
        body: format!(
            "Someone, probably you, asked to reset the password of your TradeIn account.\n\n\
             Choose a new password: {link}\n\nThe link works once, for {} minutes, and signs out \
             every other browser. If you did not ask for it, ignore this message: your password \
             stays as it is.\n\n— TradeIn\n{public_url}",
            crate::domain::account::RESET_LINK_MINUTES
        ),
    }
}

pub fn password_changed(public_url: &str) -> Mail {
    Mail {
        kind: MailKind::PasswordChanged,
        subject: "Your TradeIn password was changed".into(),
        body: format!(
            "The password of your TradeIn account was just changed, and every other browser was \
             signed out.\n\nIf this was not you, reset your password now: {public_url}/login/reset\n\n\
             — TradeIn\n{public_url}/account"
        ),
    }
}

pub fn confirm_new_email(public_url: &str, link: &str) -> Mail {
    Mail {
        kind: MailKind::ConfirmNewEmail,
        subject: "Confirm your new email address for TradeIn".into(),
        body: format!(
            "You asked to use this address for your TradeIn account.\n\nConfirm: {link}\n\n\
             The link works once, for {} hours. Until then your account keeps its old address.\n\n\
             — TradeIn\n{public_url}",
            crate::domain::account::NEW_EMAIL_LINK_HOURS
        ),
    }
}

pub fn email_change_requested(public_url: &str, new_email: &str) -> Mail {
    Mail {
        kind: MailKind::EmailChangeRequested,
        subject: "A new email address was requested for your TradeIn account".into(),
        body: format!(
            "Someone signed in to your TradeIn account asked to move it to {new_email}. Nothing \
             changes until that address is confirmed.\n\nIf this was not you, change your \
             password now: {public_url}/account\n\n— TradeIn\n{public_url}"
        ),
    }
}

pub fn email_changed(public_url: &str, new_email: &str) -> Mail {
    Mail {
        kind: MailKind::EmailChanged,
        subject: "Your TradeIn account has a new email address".into(),
        body: format!(
            "Your TradeIn account now uses {new_email}; mail will no longer come to this \
             address.\n\nIf this was not you, contact us by replying to this message.\n\n\
             — TradeIn\n{public_url}/account"
        ),
    }
}

/// What to do when a security change was not the owner's.
fn not_you(public_url: &str) -> String {
    format!(
        "If this was not you, reset your password now ({public_url}/login/reset) and tell us by \
         replying to this message."
    )
}

pub fn two_factor_on(public_url: &str) -> Mail {
    Mail {
        kind: MailKind::TwoFactorOn,
        subject: "Two-factor sign-in is on for your TradeIn account".into(),
        body: format!(
            "Signing in to your TradeIn account now takes your password and a code from your \
             authenticator app. Every other browser was signed out. Keep your recovery codes \
             somewhere safe: each one signs you in once if you lose your phone.\n\n{}\n\n\
             — TradeIn\n{public_url}/account/two-factor",
            not_you(public_url)
        ),
    }
}

pub fn two_factor_off(public_url: &str) -> Mail {
    Mail {
        kind: MailKind::TwoFactorOff,
        subject: "Two-factor sign-in is off for your TradeIn account".into(),
        body: format!(
            "Your TradeIn account now signs in with its password alone, and your recovery codes \
             no longer work.\n\n{}\n\n— TradeIn\n{public_url}/account/two-factor",
            not_you(public_url)
        ),
    }
}

pub fn recovery_codes_renewed(public_url: &str) -> Mail {
    Mail {
        kind: MailKind::RecoveryCodesRenewed,
        subject: "New recovery codes for your TradeIn account".into(),
        body: format!(
            "Ten new recovery codes were made for your TradeIn account; the old ones no longer \
             work.\n\n{}\n\n— TradeIn\n{public_url}/account/two-factor",
            not_you(public_url)
        ),
    }
}

pub fn recovery_code_used(public_url: &str, left: i64) -> Mail {
    let more = if left <= 3 {
        " Make new ones from your account page before you run out."
    } else {
        ""
    };
    Mail {
        kind: MailKind::RecoveryCodeUsed,
        subject: "A recovery code was used to sign in to TradeIn".into(),
        body: format!(
            "Someone signed in to your TradeIn account with one of its recovery codes. That code \
             no longer works; {left} are left.{more}\n\n{}\n\n— TradeIn\n{public_url}/account/two-factor",
            not_you(public_url)
        ),
    }
}
