//! Events posted as JSON to a URL the operator chose (`ALERT_WEBHOOK_URL`).
//! A feature queues a job per event and the job posts it, so each event is
//! posted once by one instance, and retried while the receiver fails.

use crate::platform::BoxFuture;

pub trait WebhookSink: Send + Sync + std::fmt::Debug {
    fn push<'a>(&'a self, event: &'a serde_json::Value) -> BoxFuture<'a, Result<(), String>>;
}

/// Posts each event to one URL, with a time limit.
#[derive(Debug)]
pub struct HttpWebhook {
    url: String,
    client: reqwest::Client,
}

impl HttpWebhook {
    pub fn new(url: String) -> HttpWebhook {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        HttpWebhook { url, client }
    }
}

impl WebhookSink for HttpWebhook {
    fn push<'a>(&'a self, event: &'a serde_json::Value) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let res = self
                .client
                .post(&self.url)
                .json(event)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if res.status().is_success() {
                Ok(())
            } else {
                Err(format!("webhook answered {}", res.status()))
            }
        })
    }
}
