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

/// A signed POST to a refurbisher's endpoint: the answer's status, or why
/// there was none (refused address, connection, time limit).
pub trait WebhookPoster: Send + Sync + std::fmt::Debug {
    fn post<'a>(
        &'a self,
        url: &'a str,
        headers: Vec<(&'static str, String)>,
        body: String,
    ) -> BoxFuture<'a, Result<u16, String>>;
}

/// Posts with reqwest: 10 s at most, no redirects (a redirect could lead
/// the signed body elsewhere). Outside development, addresses that resolve
/// to this machine or a private network are refused, so an endpoint cannot
/// be used to reach the services behind the app.
#[derive(Debug)]
pub struct HttpPoster {
    client: reqwest::Client,
    allow_private: bool,
}

impl HttpPoster {
    pub fn new(allow_private: bool) -> HttpPoster {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("TradeIn-Webhooks/1")
            .build()
            .unwrap_or_default();
        HttpPoster {
            client,
            allow_private,
        }
    }
}

/// Loopback, private, link-local, unique-local and unspecified addresses.
pub fn is_private(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64
        }
        std::net::IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| is_private(v4.into()))
        }
    }
}

impl WebhookPoster for HttpPoster {
    fn post<'a>(
        &'a self,
        url: &'a str,
        headers: Vec<(&'static str, String)>,
        body: String,
    ) -> BoxFuture<'a, Result<u16, String>> {
        Box::pin(async move {
            if !self.allow_private {
                let parsed = reqwest::Url::parse(url).map_err(|e| e.to_string())?;
                let host = parsed.host_str().unwrap_or_default().to_string();
                let port = parsed.port_or_known_default().unwrap_or(443);
                let addrs = tokio::net::lookup_host((host.as_str(), port))
                    .await
                    .map_err(|e| format!("could not resolve {host}: {e}"))?;
                for a in addrs {
                    if is_private(a.ip()) {
                        return Err(format!("{host} resolves to a private address"));
                    }
                }
            }
            let mut req = self
                .client
                .post(url)
                .header(http::header::CONTENT_TYPE, "application/json");
            for (name, value) in headers {
                req = req.header(name, value);
            }
            let res = req.body(body).send().await.map_err(|e| {
                if e.is_timeout() {
                    "no answer within 10 s".to_string()
                } else {
                    format!("could not connect: {e}")
                }
            })?;
            Ok(res.status().as_u16())
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn private_addresses_are_told_apart() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.9",
            "169.254.1.1",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert!(super::is_private(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "2606:2800:220:1:248:1893:25c8:1946",
            "100.128.0.1",
        ] {
            assert!(!super::is_private(public.parse().unwrap()), "{public}");
        }
    }
}
