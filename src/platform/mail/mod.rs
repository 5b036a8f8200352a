//! Sending the outbox. With `SMTP_URL` set, mail goes out by SMTP; without
//! it, each message is written as an `.eml` file in `MAIL_DIR` (default
//! `DATA_DIR/mail`), which any mail client opens.

pub mod repo;

use crate::platform::carrier::BoxFuture;
use crate::platform::mail::repo::QueuedMail;
use crate::platform::state::AppState;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

pub trait Mailer: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, mail: &'a QueuedMail) -> BoxFuture<'a, Result<(), String>>;
}

fn build(from: &Mailbox, mail: &QueuedMail) -> Result<Message, String> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| format!("bad recipient {}: {e}", mail.to))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| e.to_string())
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

/// Sends what is waiting in the outbox; returns (sent, failed). Safe to run
/// concurrently with itself only in the sense that a message may go twice
/// if two runs overlap, so the app runs it from one job.
pub async fn deliver_outbox(state: &AppState) -> Result<(usize, usize), sqlx::Error> {
    let pending = crate::platform::mail::repo::unsent(state.db.pool(), 100).await?;
    let (mut sent, mut failed) = (0, 0);
    for mail in &pending {
        match state.mailer.send(mail).await {
            Ok(()) => {
                crate::platform::mail::repo::mark_sent(
                    state.db.pool(),
                    mail.id,
                    state.clock.now_ms(),
                )
                .await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(mail_id = mail.id, error = %e, "mail not sent; will retry");
                crate::platform::mail::repo::mark_failed(state.db.pool(), mail.id, &e).await?;
                failed += 1;
            }
        }
    }
    Ok((sent, failed))
}
