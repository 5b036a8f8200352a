//! Outgoing mail. A message is written to the outbox in the transaction
//! of the event it tells about (`enqueue`), with a job that sends it
//! (`deliver`): the job is claimed by one instance, so the message goes out
//! once; if that instance dies between sending and marking it sent, the job
//! runs again and sends it with the same Message-ID, which receiving
//! servers and clients use to recognise a repeat.
//!
//! With `SMTP_URL` set, mail goes out by SMTP; without it, each message is
//! written as an `.eml` file in `MAIL_DIR` (default `DATA_DIR/mail`), which
//! any mail client opens.

pub mod repo;

use crate::domain::ids::TradeInId;
use crate::domain::mail::MailKind;
use crate::platform::db::DbResult;
use crate::platform::jobs::{self, ClaimedJob};
use crate::platform::mail::repo::QueuedMail;
use crate::platform::state::AppState;
use crate::platform::BoxFuture;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::AnyConnection;
use std::path::PathBuf;

/// The job that sends one outbox message; its key is the message's id.
pub const JOB: &str = "mail";

/// A message as a feature writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub kind: MailKind,
    pub subject: String,
    pub body: String,
}

/// Queues `mail` to `to`, in the caller's transaction.
pub async fn enqueue(
    conn: &mut AnyConnection,
    to: &str,
    mail: &Mail,
    trade_in_id: Option<TradeInId>,
    now: i64,
) -> DbResult<i64> {
    let id = repo::insert(
        conn,
        &repo::NewMail {
            to,
            subject: &mail.subject,
            body: &mail.body,
            kind: mail.kind.code(),
            trade_in_id,
        },
        now,
    )
    .await?;
    jobs::repo::enqueue(conn, JOB, &id.to_string(), "", now, now).await?;
    Ok(id)
}

/// Sends the outbox message a `mail` job names, unless it went already.
pub async fn deliver(state: AppState, job: ClaimedJob) -> Result<(), String> {
    let id: i64 = job
        .key
        .parse()
        .map_err(|_| format!("not an outbox id: {}", job.key))?;
    let Some(mail) = repo::find(state.db.pool(), id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    if mail.sent_at.is_some() {
        return Ok(());
    }
    match state.mailer.send(&mail).await {
        Ok(()) => repo::mark_sent(
            state.db.pool(),
            id,
            state.clock.now_ms(),
            MailKind::parse(&mail.kind).is_some_and(MailKind::carries_a_secret),
        )
        .await
        .map_err(|e| e.to_string()),
        Err(e) => {
            let _ = repo::mark_failed(state.db.pool(), id, &e).await;
            Err(e)
        }
    }
}

/// The same for every attempt at sending one outbox message.
pub fn message_id(mail: &QueuedMail, from: &Mailbox) -> String {
    format!(
        "<outbox.{}.{}@{}>",
        mail.id,
        mail.created_at,
        from.email.domain()
    )
}

pub trait Mailer: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, mail: &'a QueuedMail) -> BoxFuture<'a, Result<(), String>>;
}

fn build(from: &Mailbox, mail: &QueuedMail) -> Result<Message, String> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| format!("bad recipient {}: {e}", mail.to))?;
    Message::builder()
        .message_id(Some(message_id(mail, from)))
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            mail.body.clone(),
            html_of(&mail.subject, &mail.body),
        ))
        .map_err(|e| e.to_string())
}

/// The HTML part of a mail, written from its text: paragraphs at blank
/// lines, links made clickable. Mail clients that show HTML get working
/// links and a readable width; the text part stays the reference. Written
/// here rather than with a template engine: every mail is a few lines of
/// plain text with addresses in it, and this is all they need.
pub fn html_of(subject: &str, text: &str) -> String {
    let mut html = String::with_capacity(text.len() * 2 + 300);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    escape_into(&mut html, subject);
    html.push_str("</title></head><body style=\"font-family: sans-serif; line-height: 1.5; max-width: 36em\">");
    for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        html.push_str("<p>");
        for (i, line) in paragraph.lines().enumerate() {
            if i > 0 {
                html.push_str("<br>");
            }
            linkify_into(&mut html, line);
        }
        html.push_str("</p>");
    }
    html.push_str("</body></html>");
    html
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A line with each http(s) address as a link (a sentence's closing
/// punctuation stays outside it).
fn linkify_into(out: &mut String, line: &str) {
    let mut rest = line;
    while let Some(start) = rest
        .find("http://")
        .into_iter()
        .chain(rest.find("https://"))
        .min()
    {
        escape_into(out, &rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ')', ';', ':']);
        out.push_str("<a href=\"");
        escape_into(out, url);
        out.push_str("\">");
        escape_into(out, url);
        out.push_str("</a>");
        rest = &tail[url.len()..];
    }
    escape_into(out, rest);
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpMailer")
    }
}

impl SmtpMailer {
    pub fn new(url: &str, from: Mailbox) -> Result<SmtpMailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| e.to_string())?
            .build();
        Ok(SmtpMailer { transport, from })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, mail: &'a QueuedMail) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let message = build(&self.from, mail)?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }
}

#[derive(Debug)]
pub struct FileMailer {
    dir: PathBuf,
    from: Mailbox,
}

impl FileMailer {
    pub fn new(dir: PathBuf, from: Mailbox) -> FileMailer {
        FileMailer { dir, from }
    }
}

impl Mailer for FileMailer {
    fn send<'a>(&'a self, mail: &'a QueuedMail) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            tokio::fs::create_dir_all(&self.dir)
                .await
                .map_err(|e| format!("{}: {e}", self.dir.display()))?;
            let message = build(&self.from, mail)?;
            AsyncFileTransport::<Tokio1Executor>::new(&self.dir)
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::html_of;

    #[test]
    fn the_html_part_has_the_text_with_working_links() {
        let html = html_of(
            "Your trade-in <TI-1>",
            "Thank you & welcome.\nFollow it: https://tradein.example/trade-ins/7.\n\n— TradeIn",
        );
        assert!(html.contains("<title>Your trade-in &lt;TI-1&gt;</title>"));
        assert!(html.contains(
            "<p>Thank you &amp; welcome.<br>Follow it: <a href=\"https://tradein.example/trade-ins/7\">https://tradein.example/trade-ins/7</a>.</p>"
        ));
        assert!(html.contains("<p>— TradeIn</p>"));
    }
}
