//! Configuration from environment variables, read once at start-up.
//! A bad value stops start-up with one line that names the variable.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// Path of the SQLite file.
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(value: &str) -> Result<DatabaseUrl, ConfigError> {
        let bad = |why: &str| {
            ConfigError::new("DATABASE_URL", format!("{why} (got \"{}\")", redact(value)))
        };
        if let Some(rest) = value
            .strip_prefix("sqlite://")
            .or_else(|| value.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err(bad("needs a file path, e.g. sqlite://data/tradein.db"));
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(value.to_string()))
        } else {
            Err(bad("must start with sqlite:// or postgres://"))
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite(_))
    }

    /// The URL sqlx connects to. SQLite files are created when missing.
    pub fn connect_url(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}?mode=rwc", path.display()),
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }

    /// Printable form without a password.
    pub fn describe(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => redact(url),
        }
    }
}

/// Hides the password of a `scheme://user:password@host` URL.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database: DatabaseUrl,
    pub site_addr: SocketAddr,
    pub site_root: PathBuf,
    /// Where the app keeps files: the generated secret, outgoing mail, labels.
    pub data_dir: PathBuf,
    /// `Some` when `APP_SECRET` is set; otherwise a key file in `data_dir`.
    pub secret: Option<Vec<u8>>,
    /// `APP_SECRET_PREVIOUS`: secrets before the current one, still
    /// accepted while what they made is re-encrypted (`platform::secret`).
    pub previous_secrets: Vec<Vec<u8>>,
    /// `None`: decide at start (only a brand-new embedded database is seeded).
    pub seed_demo: Option<bool>,
    /// The address people use; cookies are `Secure` when it is https.
    pub public_url: String,
    pub log_format: LogFormat,
    pub production: bool,
    /// `smtp://…` or `smtps://…`; without it mail is written as .eml files.
    pub smtp_url: Option<String>,
    /// Where new alerts are POSTed as JSON, if set.
    pub alert_webhook_url: Option<String>,
    pub mail_from: String,
    pub mail_dir: PathBuf,
    /// How long a background job stays claimed without a sign of life
    /// before another instance may take it over.
    pub job_lease: std::time::Duration,
    /// Proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed
    /// (a load balancer in front of several instances). Empty: the peer
    /// address is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Accounts one client address may create per hour (consumers and
    /// refurbishers together): enough for a household or an office behind
    /// one address, too few to mass-create accounts.
    pub sign_ups_per_hour: i64,
    /// Requests one seller API token may make per minute.
    pub api_requests_per_minute: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {variable} {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

impl ConfigError {
    fn new(variable: &'static str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            variable,
            message: message.into(),
        }
    }
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads through `lookup` so tests can supply variables without touching
    /// the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let database = DatabaseUrl::parse(
            &get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/tradein.db".into()),
        )?;

        let site_addr = match get("LEPTOS_SITE_ADDR") {
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
            Some(v) => v.parse().map_err(|_| {
                ConfigError::new(
                    "LEPTOS_SITE_ADDR",
                    format!("must be an address and port like 127.0.0.1:3000 (got \"{v}\")"),
                )
            })?,
        };

        let site_root =
            PathBuf::from(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()));

        let data_dir = match get("DATA_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => match &database {
                DatabaseUrl::Sqlite(path) => path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .to_path_buf(),
                DatabaseUrl::Postgres(_) => PathBuf::from("data"),
            },
        };

        let secret = match get("APP_SECRET") {
            None => None,
            Some(v) => Some(parse_secret(&v).map_err(|m| ConfigError::new("APP_SECRET", m))?),
        };

        let previous_secrets = match get("APP_SECRET_PREVIOUS") {
            None => Vec::new(),
            Some(v) => v
                .split(',')
                .map(|one| parse_secret(one.trim()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|m| {
                    ConfigError::new(
                        "APP_SECRET_PREVIOUS",
                        format!("is a comma-separated list of secrets, each {m}"),
                    )
                })?,
        };

        if !previous_secrets.is_empty() && secret.is_none() {
            return Err(ConfigError::new(
                "APP_SECRET_PREVIOUS",
                "needs APP_SECRET: the new secret that replaces them",
            ));
        }

        let seed_demo = match get("SEED_DEMO") {
            None => None,
            Some(v) => Some(parse_bool(&v).ok_or_else(|| {
                ConfigError::new("SEED_DEMO", format!("must be true or false (got \"{v}\")"))
            })?),
        };

        let public_url = get("PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::new(
                "PUBLIC_URL",
                format!("must start with http:// or https:// (got \"{public_url}\")"),
            ));
        }
        let public_url = public_url.trim_end_matches('/').to_string();
        // Its origin is what browsers must send for a form to be accepted
        // (`security::refuse_cross_site`).
        if crate::platform::http::security::origin_of(&public_url).is_none() {
            return Err(ConfigError::new(
                "PUBLIC_URL",
                format!("must be an address with a host, like https://trade.example (got \"{public_url}\")"),
            ));
        }

        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(v) => {
                return Err(ConfigError::new(
                    "LOG_FORMAT",
                    format!("must be text or json (got \"{v}\")"),
                ))
            }
        };

        let production = match get("LEPTOS_ENV").as_deref() {
            None => false,
            Some(v) if v.eq_ignore_ascii_case("dev") || v.eq_ignore_ascii_case("development") => {
                false
            }
            Some(v) if v.eq_ignore_ascii_case("prod") || v.eq_ignore_ascii_case("production") => {
                true
            }
            Some(v) => {
                return Err(ConfigError::new(
                    "LEPTOS_ENV",
                    format!("must be DEV or PROD (got \"{v}\")"),
                ))
            }
        };
        if production && public_url.starts_with("http://") && !is_loopback_url(&public_url) {
            return Err(ConfigError::new(
                "PUBLIC_URL",
                format!(
                    "must be https:// when LEPTOS_ENV=PROD, so session cookies are Secure (got \"{public_url}\")"
                ),
            ));
        }
        if production && secret.is_none() {
            return Err(ConfigError::new(
                "APP_SECRET",
                "must be set when LEPTOS_ENV=PROD (64 hex characters)",
            ));
        }

        let smtp_url = match get("SMTP_URL") {
            None => None,
            Some(v) if v.starts_with("smtp://") || v.starts_with("smtps://") => Some(v),
            Some(_) => {
                return Err(ConfigError::new(
                    "SMTP_URL",
                    "must start with smtp:// or smtps://",
                ))
            }
        };
        let mail_from =
            get("MAIL_FROM").unwrap_or_else(|| "TradeIn <no-reply@tradein.example>".into());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::new("MAIL_FROM", format!("must be an address like \"TradeIn <no-reply@example.com>\" (got \"{mail_from}\")")));
        }
        let alert_webhook_url = match get("ALERT_WEBHOOK_URL") {
            None => None,
            Some(v)
                if (v.starts_with("http://") || v.starts_with("https://"))
                    && !v.contains(char::is_whitespace) =>
            {
                Some(v)
            }
            Some(_) => {
                return Err(ConfigError::new(
                    "ALERT_WEBHOOK_URL",
                    "must be an http:// or https:// URL",
                ))
            }
        };
        let mail_dir = get("MAIL_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("mail"));

        let job_lease = match get("JOB_LEASE_SECONDS") {
            None => std::time::Duration::from_secs(60),
            Some(v) => match v.parse::<u64>() {
                Ok(n @ 1..=3600) => std::time::Duration::from_secs(n),
                _ => {
                    return Err(ConfigError::new(
                        "JOB_LEASE_SECONDS",
                        format!("must be a number of seconds from 1 to 3600 (got \"{v}\")"),
                    ))
                }
            },
        };

        let trusted_proxies = match get("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(v) => parse_proxies(&v).map_err(|m| ConfigError::new("TRUSTED_PROXIES", m))?,
        };

        let sign_ups_per_hour = match get("SIGN_UPS_PER_HOUR") {
            None => 20,
            Some(v) => match v.parse::<i64>() {
                Ok(n @ 1..=1_000_000) => n,
                _ => {
                    return Err(ConfigError::new(
                        "SIGN_UPS_PER_HOUR",
                        format!("must be a whole number from 1 to 1000000 (got \"{v}\")"),
                    ))
                }
            },
        };

        let api_requests_per_minute = match get("API_REQUESTS_PER_MINUTE") {
            None => 600,
            Some(v) => match v.parse::<i64>() {
                Ok(n @ 1..=1_000_000) => n,
                _ => {
                    return Err(ConfigError::new(
                        "API_REQUESTS_PER_MINUTE",
                        format!("must be a whole number from 1 to 1000000 (got \"{v}\")"),
                    ))
                }
            },
        };

        Ok(Config {
            database,
            site_addr,
            site_root,
            data_dir,
            secret,
            previous_secrets,
            seed_demo,
            public_url,
            log_format,
            production,
            smtp_url,
            alert_webhook_url,
            mail_from,
            mail_dir,
            job_lease,
            trusted_proxies,
            sign_ups_per_hour,
            api_requests_per_minute,
        })
    }

    pub fn cookies_secure(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// Whether start-up loads the demo marketplace, whose accounts have
    /// published passwords: when `SEED_DEMO` says so, and otherwise only in
    /// development on a brand-new embedded database (the first run of a
    /// new user). Production never loads it unless told to.
    pub fn seeds_demo(&self, new_embedded_db: bool) -> bool {
        self.seed_demo
            .unwrap_or(!self.production && new_embedded_db)
    }
}

/// `http://127.0.0.1:3000`, `http://localhost`, `http://[::1]:8080`: an
/// address only this machine reaches, where plain http exposes nobody's
/// cookies (a release build measured locally, for one).
fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `10.0.0.5, 10.1.0.0/16, ::1`: addresses or networks, comma-separated.
fn parse_proxies(v: &str) -> Result<Vec<ipnet::IpNet>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    format!(
                        "must list addresses or networks like 10.0.0.5, 10.1.0.0/16 (got \"{p}\")"
                    )
                })
        })
        .collect()
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// A secret is at least 32 bytes, written as hex.
pub fn parse_secret(v: &str) -> Result<Vec<u8>, String> {
    let bytes = hex::decode(v)
        .map_err(|_| "must be hex (e.g. the output of `openssl rand -hex 32`)".to_string())?;
    if bytes.len() < 32 {
        return Err(format!(
            "must be at least 32 bytes (64 hex characters); got {} bytes",
            bytes.len()
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_need_no_configuration() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database, DatabaseUrl::Sqlite("data/tradein.db".into()));
        assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.data_dir, PathBuf::from("data"));
        assert_eq!(c.seed_demo, None);
        assert!(!c.cookies_secure());
        assert!(c.trusted_proxies.is_empty(), "the peer is the client");
        assert_eq!(c.job_lease, std::time::Duration::from_secs(60));
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let c = config(&[("TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16,::1")]).unwrap();
        let listed: Vec<String> = c.trusted_proxies.iter().map(|n| n.to_string()).collect();
        assert_eq!(listed, ["10.0.0.5/32", "10.1.0.0/16", "::1/128"]);
    }

    #[test]
    fn postgres_switches_backend_and_hides_password() {
        let c = config(&[("DATABASE_URL", "postgres://u:hunter2@127.0.0.1/x")]).unwrap();
        assert!(!c.database.is_sqlite());
        assert!(!c.database.describe().contains("hunter2"));
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (var, value) in [
            ("DATABASE_URL", "mysql://x"),
            ("LEPTOS_SITE_ADDR", "localhost"),
            ("SEED_DEMO", "maybe"),
            ("APP_SECRET", "tooshort"),
            ("PUBLIC_URL", "example.com"),
            ("PUBLIC_URL", "https://"),
            ("PUBLIC_URL", "https://user@trade.example"),
            ("LOG_FORMAT", "xml"),
            ("SMTP_URL", "http://mail"),
            ("MAIL_FROM", "not an address"),
            ("JOB_LEASE_SECONDS", "0"),
            ("TRUSTED_PROXIES", "10.0.0.5, proxy.example"),
        ] {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.variable, var);
            assert!(
                err.to_string()
                    .starts_with(&format!("configuration error: {var} ")),
                "{err}"
            );
            assert!(!err.to_string().contains('\n'));
        }
    }

    #[test]
    fn production_requires_a_secret() {
        assert_eq!(
            config(&[("LEPTOS_ENV", "PROD")]).unwrap_err().variable,
            "APP_SECRET"
        );
        let secret = "ab".repeat(32);
        assert!(config(&[("LEPTOS_ENV", "PROD"), ("APP_SECRET", &secret)]).is_ok());
    }

    #[test]
    fn production_serves_people_over_https_only() {
        let secret = "ab".repeat(32);
        let prod = |url: &str| {
            config(&[
                ("LEPTOS_ENV", "PROD"),
                ("APP_SECRET", &secret),
                ("PUBLIC_URL", url),
            ])
        };
        for url in [
            "http://trade.example",
            "http://10.0.0.5:3000",
            "http://127.0.0.1.example",
        ] {
            assert_eq!(prod(url).unwrap_err().variable, "PUBLIC_URL", "{url}");
        }
        assert!(prod("https://trade.example").unwrap().cookies_secure());
        for url in [
            "http://127.0.0.1:3000",
            "http://localhost",
            "http://[::1]:8080/",
        ] {
            assert!(prod(url).is_ok(), "{url}: nobody else reaches it");
        }
        assert!(
            config(&[("PUBLIC_URL", "http://trade.example")]).is_ok(),
            "development"
        );
    }

    #[test]
    fn production_loads_the_demo_only_when_told_to() {
        let secret = "ab".repeat(32);
        let prod = config(&[("LEPTOS_ENV", "PROD"), ("APP_SECRET", &secret)]).unwrap();
        assert!(
            !prod.seeds_demo(true),
            "not even on a new embedded database"
        );
        let told = config(&[
            ("LEPTOS_ENV", "PROD"),
            ("APP_SECRET", &secret),
            ("SEED_DEMO", "true"),
        ])
        .unwrap();
        assert!(told.seeds_demo(false));
        let dev = config(&[]).unwrap();
        assert!(dev.seeds_demo(true) && !dev.seeds_demo(false));
        assert!(!config(&[("SEED_DEMO", "false")]).unwrap().seeds_demo(true));
    }
}
