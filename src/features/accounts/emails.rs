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
