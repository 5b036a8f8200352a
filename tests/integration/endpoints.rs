//! Every endpoint of the app, found rather than listed: the server
//! functions from Leptos's registry, the plain routes from
//! `startup::routes::plain_routes`, the pages from the route list. One
//! table (`table`) says what each of seven people gets from each endpoint
//! and how to call it on the objects consumer A and seller A own; the
//! access matrix (`access_matrix.rs`) and the CSRF sweep (`csrf.rs`) both
//! read it, so an endpoint added without a row fails both, by name.

use crate::fixtures::{confirm_form, imei, photo_fixture, seller, tracking_of, SellerSpec};
use crate::harness::TestApp;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::Method;
use std::collections::BTreeMap;
use tradein::domain::seller::SellerStatus;
use tradein::features::demo::marketplace::{
    DEMO_CONSUMER_EMAIL, DEMO_OPS_EMAIL, DEMO_PASSWORD, DEMO_SECOND_CONSUMER_EMAIL,
};

/// Who asks. The objects all belong to consumer A (a trade-in bought by
/// seller A, its claim, seller A's proof photo); B is the other consumer
/// or refurbisher; the pending seller is a refurbisher operations have not
/// approved yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    ConsumerA,
    ConsumerB,
    SellerA,
    SellerB,
    PendingSeller,
    Ops,
}

/// The table's columns, in this order.
pub const ACTORS: [Actor; 7] = [
    Actor::Anonymous,
    Actor::ConsumerA,
    Actor::ConsumerB,
    Actor::SellerA,
    Actor::SellerB,
    Actor::PendingSeller,
    Actor::Ops,
];

impl Actor {
    fn column(self) -> usize {
        ACTORS
            .iter()
            .position(|a| *a == self)
            .expect("every actor has a column")
    }
}

/// What an actor gets from an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Let through: any answer but a refusal. A business answer (a
    /// redirect, 409, 422) is fine; 400, 401, 403, 404 and 5xx are not.
    Allowed,
    /// Refused with exactly this status, and nothing written.
    Refused(u16),
}

const A: Expect = Expect::Allowed;
/// Not signed in.
const U: Expect = Expect::Refused(401);
/// Signed in, with the wrong role.
const F: Expect = Expect::Refused(403);
/// Not yours: answered as if it did not exist.
const N: Expect = Expect::Refused(404);

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Endpoint {
    /// A server function: its method and path (`/api/login`).
    ServerFn(Method, String),
    /// A plain axum route: its method and path pattern.
    Route(Method, String),
    /// A Leptos page (GET), by path pattern.
    Page(String),
}

impl Endpoint {
    pub fn method(&self) -> Method {
        match self {
            Endpoint::ServerFn(m, _) | Endpoint::Route(m, _) => m.clone(),
            Endpoint::Page(_) => Method::GET,
        }
    }

    /// Whether a browser request to it must come from this site.
    pub fn changes_state(&self) -> bool {
        !matches!(self.method(), Method::GET | Method::HEAD | Method::OPTIONS)
    }

    fn pattern(&self) -> &str {
        match self {
            Endpoint::ServerFn(_, p) | Endpoint::Route(_, p) | Endpoint::Page(p) => p,
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::ServerFn(m, p) => write!(f, "server fn {m} {p}"),
            Endpoint::Route(m, p) => write!(f, "route {m} {p}"),
            Endpoint::Page(p) => write!(f, "page {p}"),
        }
    }
}

pub enum Part {
    Text(String),
    File(&'static str, Vec<u8>),
}

pub enum Body {
    Empty,
    Form(Vec<(&'static str, String)>),
    Json(serde_json::Value),
    Multipart(Vec<(&'static str, Part)>),
}

/// One request to an endpoint: values for its path's parameters, a query
/// string, and a body.
pub struct Call {
    pub params: Vec<(&'static str, String)>,
    pub query: Vec<(&'static str, String)>,
    pub body: Body,
}

impl Call {
    fn empty() -> Call {
        Call {
            params: vec![],
            query: vec![],
            body: Body::Empty,
        }
    }
}

fn form(fields: &[(&'static str, &str)]) -> Call {
    Call {
        body: Body::Form(fields.iter().map(|(k, v)| (*k, v.to_string())).collect()),
        ..Call::empty()
    }
}

fn json(value: serde_json::Value) -> Call {
    Call {
        body: Body::Json(value),
        ..Call::empty()
    }
}

fn at(params: &[(&'static str, &str)]) -> Call {
    Call {
        params: params.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        ..Call::empty()
    }
}

fn multipart(params: &[(&'static str, &str)], parts: Vec<(&'static str, Part)>) -> Call {
    Call {
        body: Body::Multipart(parts),
        ..at(params)
    }
}

fn text(s: &str) -> Part {
    Part::Text(s.to_string())
}

pub struct Row {
    pub endpoint: Endpoint,
    /// By column of `ACTORS`: anonymous, consumer A, consumer B, seller A,
    /// seller B, pending seller, ops.
    pub expect: [Expect; 7],
    pub call: fn(&Objects, Actor) -> Call,
}

impl Row {
    pub fn expect(&self, actor: Actor) -> Expect {
        self.expect[actor.column()]
    }
}

fn server_fn(name: &str, expect: [Expect; 7], call: fn(&Objects, Actor) -> Call) -> Row {
    Row {
        endpoint: Endpoint::ServerFn(Method::POST, format!("/api/{name}")),
        expect,
        call,
    }
}

fn route(
    method: Method,
    path: &str,
    expect: [Expect; 7],
    call: fn(&Objects, Actor) -> Call,
) -> Row {
    Row {
        endpoint: Endpoint::Route(method, path.to_string()),
        expect,
        call,
    }
}

fn page(path: &str, expect: [Expect; 7], call: fn(&Objects, Actor) -> Call) -> Row {
    Row {
        endpoint: Endpoint::Page(path.to_string()),
        expect,
        call,
    }
}

fn nothing(_: &Objects, _: Actor) -> Call {
    Call::empty()
}

/// The device of the offer pages and functions, an iPhone 13 128 GB that
/// works with light scratches: (the page's query name, the function's
/// field, the value).
const OFFER: [(&str, &str, &str); 4] = [
    ("variant", "q[variant]", "iphone-13-128gb"),
    ("works", "q[works]", "yes"),
    ("screen", "q[screen]", "light_scratches"),
    ("body", "q[body]", "flawless"),
];

const MODEL: [(&str, &str); 3] = [
    ("category", "smartphones"),
    ("brand", "apple"),
    ("model", "iphone-13"),
];

fn sell_page(_: &Objects, _: Actor) -> Call {
    Call {
        query: OFFER.iter().map(|(k, _, v)| (*k, v.to_string())).collect(),
        ..at(&MODEL)
    }
}

fn offer_fn(_: &Objects, _: Actor) -> Call {
    let mut fields = MODEL.to_vec();
    fields.extend(OFFER.iter().map(|(_, f, v)| (*f, *v)));
    form(&fields)
}

const PRICE_FILE: &[u8] =
    b"variant_sku,grade,price_eur,weekly_cap\niphone-13-128gb,functional_good,101,\n";

/// The access table: every endpoint, what each actor gets, and the
/// request. Rows run in this order, refusals first, then the calls let
/// through; a row that changes an object comes after the rows that read
/// it, and destructive operations act on objects of their own.
pub fn table() -> Vec<Row> {
    let mut rows = vec![
        // Anyone: the catalog, offers, accounts.        anon consA consB sellA sellB pend ops
        server_fn("home", [A, A, A, A, A, A, A], |_, _| {
            form(&[("market", "fr-fr")])
        }),
        server_fn("search_models", [A, A, A, A, A, A, A], |_, _| {
            form(&[
                ("market", "fr-fr"),
                ("q", "iphone"),
                ("category", "smartphones"),
            ])
        }),
        server_fn("category_listing", [A, A, A, A, A, A, A], |_, _| {
            form(&[("market", "fr-fr"), ("category", "smartphones")])
        }),
        server_fn("brand_listing", [A, A, A, A, A, A, A], |_, _| {
            form(&[
                ("market", "fr-fr"),
                ("category", "smartphones"),
                ("brand", "apple"),
            ])
        }),
        server_fn("suggest_models", [A, A, A, A, A, A, A], |_, _| {
            form(&[("market", "fr-fr"), ("q", "iph")])
        }),
        server_fn("model_detail", [A, A, A, A, A, A, A], |_, _| form(&MODEL)),
        server_fn("get_offer", [A, A, A, A, A, A, A], offer_fn),
        server_fn("accept_page", [A, A, A, A, A, A, A], offer_fn),
        server_fn("current_user", [A, A, A, A, A, A, A], nothing),
        server_fn("login", [A, A, A, A, A, A, A], |o, actor| {
            // Its own account, or consumer A's for a visitor. Signing in
            // ends the session the caller had (`People::keep_signed_in`
            // starts it again).
            let email = o.emails[actor.column()]
                .as_deref()
                .unwrap_or(DEMO_CONSUMER_EMAIL);
            form(&[("email", email), ("password", DEMO_PASSWORD)])
        }),
        // Anyone may ask for a link, for any address: the answer is the
        // same whether it has an account (a mail goes only to its owner).
        server_fn("request_sign_in_link", [A, A, A, A, A, A, A], |o, actor| {
            let email = o.emails[actor.column()]
                .as_deref()
                .unwrap_or(DEMO_CONSUMER_EMAIL);
            form(&[("email", email)])
        }),
        // A token nobody was sent: refused as expired (422) for everyone.
        server_fn("sign_in_with_link", [A, A, A, A, A, A, A], |_, _| {
            form(&[("token", "not-a-token-anyone-was-sent")])
        }),
        // Emailed links with a token nobody was sent: refused as expired
        // (422) for everyone.
        server_fn("verify_email", [A, A, A, A, A, A, A], |_, _| {
            form(&[("token", "not-a-token-anyone-was-sent")])
        }),
        server_fn("confirm_email_change", [A, A, A, A, A, A, A], |_, _| {
            form(&[("token", "not-a-token-anyone-was-sent")])
        }),
        server_fn("reset_password", [A, A, A, A, A, A, A], |_, _| {
            form(&[
                ("token", "not-a-token-anyone-was-sent"),
                ("password", "a new long passphrase"),
            ])
        }),
        // As for sign-in links: the same answer for any address.
        server_fn(
            "request_password_reset",
            [A, A, A, A, A, A, A],
            |o, actor| {
                let email = o.emails[actor.column()]
                    .as_deref()
                    .unwrap_or(DEMO_CONSUMER_EMAIL);
                form(&[("email", email)])
            },
        ),
        // Your own account: anyone signed in. A wrong current password is
        // a business answer (422) that changes nothing.
        server_fn("account", [U, A, A, A, A, A, A], nothing),
        server_fn("resend_verification", [U, A, A, A, A, A, A], nothing),
        server_fn("change_password", [U, A, A, A, A, A, A], |_, _| {
            form(&[
                ("current_password", "not the current password"),
                ("new_password", "a new long passphrase"),
            ])
        }),
        server_fn("change_email", [U, A, A, A, A, A, A], |_, _| {
            form(&[
                ("current_password", "not the current password"),
                ("new_email", "somewhere-else@people.example"),
            ])
        }),
        // A session is named by its handle: another person's (or none) is
        // answered as if it did not exist.
        server_fn("end_session", [U, A, N, N, N, N, N], |o, _| {
            form(&[("handle", &o.spare_session)])
        }),
        server_fn("end_other_sessions", [U, A, A, A, A, A, A], nothing),
        // Two-factor sign-in. The code step needs the cookie of a half-done
        // sign-in: without one, a code is a business answer (422).
        server_fn("sign_in_code", [A, A, A, A, A, A, A], |_, _| {
            form(&[("code", "123456")])
        }),
        server_fn("two_factor", [U, A, A, A, A, A, A], nothing),
        // With the right password (a wrong one would count toward the
        // sign-in limits of the one address all the table's people share):
        // a new app waits for its first code, new recovery codes replace
        // old ones, and a wrong code turns nothing off.
        server_fn("start_two_factor", [U, A, A, A, A, A, A], |_, _| {
            form(&[("current_password", DEMO_PASSWORD)])
        }),
        server_fn("confirm_two_factor", [U, A, A, A, A, A, A], |_, _| {
            form(&[("code", "123456")])
        }),
        server_fn("renew_recovery_codes", [U, A, A, A, A, A, A], |_, _| {
            form(&[("current_password", DEMO_PASSWORD)])
        }),
        server_fn("recovery_codes_saved", [U, A, A, A, A, A, A], nothing),
        server_fn("turn_off_two_factor", [U, A, A, A, A, A, A], |_, _| {
            form(&[("current_password", DEMO_PASSWORD), ("code", "12345x")])
        }),
        server_fn("signup", [A, A, A, A, A, A, A], |_, actor| {
            form(&[
                ("name", "Matrix Person"),
                (
                    "email",
                    &format!("signup-{actor:?}@people.example").to_lowercase(),
                ),
                ("password", "correct horse battery"),
            ])
        }),
        server_fn("seller_signup", [A, A, A, A, A, A, A], |_, actor| {
            let email = format!("apply-{actor:?}@sellers.example").to_lowercase();
            form(&[
                ("company", &format!("Matrix Applicant {actor:?}")),
                ("vat_number", "FR40303265045"),
                ("address_line1", "12 rue de la Paix"),
                ("address_line2", ""),
                ("postcode", "75002"),
                ("city", "Paris"),
                ("country", "FR"),
                ("contact_name", "Camille Martin"),
                ("email", &email),
                ("phone", "+33 1 23 45 67 89"),
                ("password", "correct horse battery"),
            ])
        }),
        // A consumer's own trade-ins.                    anon consA consB sellA sellB pend ops
        server_fn("my_trade_ins", [U, A, A, A, A, A, A], nothing),
        server_fn("trade_in_detail", [U, A, N, N, N, N, N], |o, _| {
            form(&[("id", &o.trade_in)])
        }),
        server_fn("trade_in_claims", [U, A, N, N, N, N, N], |o, _| {
            form(&[("trade_in_id", &o.trade_in)])
        }),
        server_fn("confirm_trade_in", [U, A, A, F, F, F, F], |_, actor| {
            let device = imei(700 + actor.column() as u64);
            let key = format!("key-matrix-{:012}", actor.column());
            Call {
                body: Body::Form(confirm_form(&device, 1, &key)),
                ..Call::empty()
            }
        }),
        // Claims: the consumer, the trade-in's refurbisher and operations.
        server_fn("claim", [U, A, N, A, N, N, A], |o, _| {
            form(&[("id", &o.claim)])
        }),
        server_fn("claim_message", [U, A, N, A, N, N, A], |o, _| {
            form(&[("claim_id", &o.claim), ("body", "Any news on this?")])
        }),
        server_fn("open_claim", [U, A, N, N, N, N, N], |o, _| {
            form(&[
                ("trade_in_id", &o.trade_in),
                ("kind", "counter_offer_disputed"),
                ("message", "The screen had no crack when I sent it."),
            ])
        }),
        server_fn("mark_shipped", [U, A, N, N, N, N, N], |o, _| {
            form(&[("id", &o.trade_in)])
        }),
        server_fn("answer_counter_offer", [U, A, N, N, N, N, N], |o, _| {
            form(&[("id", &o.trade_in), ("answer", "accept")])
        }),
        server_fn("cancel_trade_in", [U, A, N, N, N, N, N], |o, _| {
            form(&[("id", &o.trade_in)])
        }),
        // Files of one trade-in.                          anon consA consB sellA sellB pend ops
        route(
            Method::GET,
            "/trade-ins/{id}/label.pdf",
            [U, A, N, A, N, N, A],
            |o, _| at(&[("id", &o.trade_in)]),
        ),
        route(
            Method::GET,
            "/trade-ins/{id}/return-label.pdf",
            [U, A, N, A, N, N, A],
            |o, _| at(&[("id", &o.trade_in)]),
        ),
        route(
            Method::GET,
            "/trade-ins/{id}/certificate.pdf",
            [U, A, N, A, N, N, A],
            |o, _| at(&[("id", &o.trade_in)]),
        ),
        route(
            Method::GET,
            "/photos/{id}",
            [U, A, N, A, N, N, A],
            |o, _| at(&[("id", &o.photo)]),
        ),
        // Only its sender sees a kept photo (others: 404, as if none).
        route(
            Method::GET,
            "/photos/pending/{token}",
            [U, N, N, A, N, N, N],
            |o, _| at(&[("token", &o.pending_photo)]),
        ),
        route(Method::GET, "/healthz", [A, A, A, A, A, A, A], nothing),
        // Addresses without a market: sent on to the visitor's.
        route(Method::GET, "/", [A, A, A, A, A, A, A], nothing),
        route(Method::GET, "/search", [A, A, A, A, A, A, A], nothing),
        // The refurbisher and operations areas' language, for anyone.
        route(
            Method::GET,
            "/language/{code}",
            [A, A, A, A, A, A, A],
            |_, _| at(&[("code", "fr")]),
        ),
        route(
            Method::GET,
            "/sell/{*rest}",
            [A, A, A, A, A, A, A],
            |_, _| at(&[("*rest", "smartphones/apple")]),
        ),
        // One's own data, whoever one is.
        route(
            Method::GET,
            "/account/data.json",
            [U, A, A, A, A, A, A],
            nothing,
        ),
        // With full IBANs, after the password (a wrong one would count
        // toward the limits of the address the table's people share).
        route(
            Method::POST,
            "/account/data",
            [U, A, A, A, A, A, A],
            |_, _| {
                multipart(
                    &[],
                    vec![
                        ("__form", text("account-data-full")),
                        ("current_password", text(DEMO_PASSWORD)),
                    ],
                )
            },
        ),
        // Without the "I understand" box: refused as input, nothing erased.
        server_fn("delete_account", [U, A, A, A, A, A, A], |_, _| {
            form(&[("current_password", DEMO_PASSWORD)])
        }),
        // The refurbisher's own grid and account: any refurbisher, approved or not.
        server_fn("seller_overview", [U, F, F, A, A, A, F], nothing),
        server_fn("import_context", [U, F, F, A, A, A, F], nothing),
        server_fn("price_grid", [U, F, F, A, A, A, F], |_, _| {
            form(&[("q", "iphone-13")])
        }),
        server_fn("listing_detail", [U, F, F, A, A, A, F], |o, _| {
            form(&[("variant_id", &o.variant), ("grade", &o.grade)])
        }),
        server_fn("price_match_preview", [U, F, F, A, A, A, F], |o, _| {
            json(serde_json::json!({ "variant_ids": [o.variant.parse::<i64>().unwrap()] }))
        }),
        server_fn("price_cell", [U, F, F, A, A, A, F], |o, _| {
            form(&[
                ("variant_id", &o.variant),
                ("grade", &o.grade),
                ("price", "123.40"),
                ("version", &o.version),
            ])
        }),
        server_fn("listing_cap", [U, F, F, A, A, A, F], |o, _| {
            form(&[
                ("variant_id", &o.variant),
                ("grade", &o.grade),
                ("weekly_cap", "40"),
                ("version", &o.version),
            ])
        }),
        server_fn("price_match_apply", [U, F, F, A, A, A, F], |o, _| {
            json(serde_json::json!({ "lines": [{
                "market": "fr-fr",
                "variant_id": o.variant.parse::<i64>().unwrap(),
                "grade": o.grade_name,
                "name": "the listing",
                "current": { "minor": 12_340, "currency": "EUR" },
                "new": { "minor": 12_500, "currency": "EUR" },
                "version": o.version.parse::<i64>().unwrap(),
            }] }))
        }),
        server_fn("seller_markets", [U, F, F, A, A, A, F], nothing),
        server_fn("api_tokens", [U, F, F, A, A, A, F], nothing),
        server_fn("create_api_token", [U, F, F, A, A, A, F], |_, _| {
            form(&[
                ("name", "Matrix ERP"),
                ("days", ""),
                ("listings_read", "yes"),
            ])
        }),
        server_fn("revoke_api_token", [U, F, F, A, N, N, F], |o, _| {
            form(&[("id", &o.api_token)])
        }),
        server_fn("webhook_endpoints", [U, F, F, A, A, A, F], nothing),
        server_fn("create_webhook_endpoint", [U, F, F, A, A, A, F], |_, _| {
            form(&[
                ("url", "https://erp.example/hooks"),
                ("order_received", "yes"),
            ])
        }),
        server_fn("delete_webhook_endpoint", [U, F, F, A, N, N, F], |o, _| {
            form(&[("id", &o.webhook)])
        }),
        server_fn("enable_webhook_endpoint", [U, F, F, A, N, N, F], |o, _| {
            form(&[("id", &o.kept_webhook)])
        }),
        server_fn("send_webhook_again", [U, F, F, A, N, N, F], |o, _| {
            form(&[("endpoint", &o.kept_webhook), ("delivery", &o.delivery)])
        }),
        server_fn("save_seller_market", [U, F, F, A, A, A, F], |_, _| {
            form(&[
                ("market", "es-es"),
                ("warehouse_name", "Warehouse"),
                ("address_line1", "3 quai Perrache"),
                ("postcode", "69002"),
                ("city", "Lyon"),
                ("country", "FR"),
            ])
        }),
        server_fn("stop_seller_market", [U, F, F, A, A, A, F], |_, _| {
            form(&[("market", "es-es")])
        }),
        server_fn("buying_settings", [U, F, F, A, A, A, F], |_, _| {
            form(&[("weekly_cap", "")])
        }),
        route(
            Method::GET,
            "/seller/prices.csv",
            [U, F, F, A, A, A, F],
            nothing,
        ),
        route(
            Method::POST,
            "/seller/prices/upload",
            [U, F, F, A, A, A, F],
            |_, _| {
                multipart(
                    &[],
                    vec![
                        ("mode", text("preview")),
                        ("file", Part::File("prices.csv", PRICE_FILE.to_vec())),
                    ],
                )
            },
        ),
        // The refurbisher's orders: seller A's only.      anon consA consB sellA sellB pend ops
        server_fn("seller_orders", [U, F, F, A, A, A, F], |_, _| {
            form(&[("tab", "all")])
        }),
        server_fn("seller_order", [U, F, F, A, N, N, F], |o, _| {
            form(&[("id", &o.trade_in)])
        }),
        // A scan names a tracking number, not an id: another refurbisher's
        // parcel is the scan field's "no parcel of yours has this number".
        server_fn(
            "receive_parcel",
            [U, F, F, A, Expect::Refused(422), Expect::Refused(422), F],
            |o, _| form(&[("code", &o.tracking)]),
        ),
        server_fn("inspect_order", [U, F, F, A, N, N, F], |o, _| {
            form(&[
                ("id", &o.trade_in),
                ("imei_found", ""),
                ("works", "yes"),
                ("screen", "cracked"),
                ("body", "flawless"),
            ])
        }),
        route(
            Method::POST,
            "/seller/orders/{id}",
            [U, F, F, A, N, N, F],
            |o, _| counter_offer_form(&o.trade_in, &o.counter_price),
        ),
        // Operations.                                     anon consA consB sellA sellB pend ops
        server_fn("ops_dashboard", [U, F, F, F, F, F, A], |_, _| {
            form(&[("period", "week")])
        }),
        server_fn("alerts", [U, F, F, F, F, F, A], nothing),
        server_fn("fraud_cases", [U, F, F, F, F, F, A], nothing),
        server_fn("blocklist", [U, F, F, F, F, F, A], nothing),
        server_fn("scorecards", [U, F, F, F, F, F, A], nothing),
        server_fn("claims_queue", [U, F, F, F, F, F, A], nothing),
        server_fn("ops_suspended", [U, F, F, F, F, F, A], nothing),
        server_fn("seller_applications", [U, F, F, F, F, F, A], nothing),
        server_fn("audit_log", [U, F, F, F, F, F, A], |_, _| {
            form(&[("email", DEMO_CONSUMER_EMAIL)])
        }),
        route(
            Method::GET,
            "/ops/export.csv",
            [U, F, F, F, F, F, A],
            |_, _| Call {
                query: vec![("table", "kpis".into()), ("period", "week".into())],
                ..Call::empty()
            },
        ),
        route(
            Method::GET,
            "/ops/refurbishers.csv",
            [U, F, F, F, F, F, A],
            nothing,
        ),
        server_fn("kpi_target", [U, F, F, F, F, F, A], |_, _| {
            form(&[("kpi", "conversion"), ("period", "week"), ("target", "35")])
        }),
        server_fn("alert_rule", [U, F, F, F, F, F, A], |_, _| {
            form(&[
                ("rule", "thin_market"),
                ("threshold", "3"),
                ("enabled", "on"),
            ])
        }),
        server_fn("alerts_run", [U, F, F, F, F, F, A], nothing),
        server_fn("alert_state", [U, F, F, F, F, F, A], |o, _| {
            form(&[("id", &o.alert), ("to", "acknowledged")])
        }),
        server_fn("quality_recompute", [U, F, F, F, F, F, A], nothing),
        server_fn("fraud_review", [U, F, F, F, F, F, A], |o, _| {
            form(&[
                ("trade_in_id", &o.held_trade_in),
                ("decision", "release"),
                ("reason", "Same household, checked by phone."),
            ])
        }),
        server_fn("blocklist_add", [U, F, F, F, F, F, A], |_, _| {
            form(&[("imei", &imei(901)), ("reason", "reported stolen")])
        }),
        server_fn("blocklist_remove", [U, F, F, F, F, F, A], |o, _| {
            form(&[("imei", &o.blocked_imei)])
        }),
        route(
            Method::POST,
            "/ops/blocklist",
            [U, F, F, F, F, F, A],
            |_, _| {
                multipart(
                    &[],
                    vec![(
                        "file",
                        Part::File(
                            "blocklist.csv",
                            format!("imei,reason\n{},stolen\n", imei(902)).into_bytes(),
                        ),
                    )],
                )
            },
        ),
        server_fn("decide_seller", [U, F, F, F, F, F, A], |o, _| {
            form(&[
                ("seller_id", &o.application),
                ("decision", "approve"),
                ("reason", ""),
            ])
        }),
        server_fn("seller_suspension", [U, F, F, F, F, F, A], |o, _| {
            form(&[
                ("seller_id", &o.suspendable_seller),
                ("suspend", "suspend"),
                ("reason", "Too many disputed counter-offers."),
            ])
        }),
        server_fn("ops_decide_suspended", [U, F, F, F, F, F, A], |o, _| {
            form(&[
                ("id", &o.trade_in),
                ("decision", "resume"),
                ("reason", "Checked with the refurbisher."),
            ])
        }),
        // Last: they move consumer A's trade-in and claim on.
        server_fn("claim_resolve", [U, F, F, F, F, F, A], |o, _| {
            form(&[
                ("claim_id", &o.claim),
                ("outcome", "pay_original"),
                ("note", "The original price stands."),
            ])
        }),
        server_fn("order_action", [U, F, F, A, N, N, F], |o, _| {
            form(&[("id", &o.trade_in), ("action", "return_delivered")])
        }),
        server_fn("logout", [A, A, A, A, A, A, A], nothing),
        // Pages.                                          anon consA consB sellA sellB pend ops
        page("/markets", [A, A, A, A, A, A, A], nothing),
        page("/login", [A, A, A, A, A, A, A], nothing),
        page("/login/link", [A, A, A, A, A, A, A], nothing),
        page("/login/link/sent", [A, A, A, A, A, A, A], nothing),
        page("/login/reset", [A, A, A, A, A, A, A], nothing),
        page("/login/reset/sent", [A, A, A, A, A, A, A], nothing),
        page("/login/reset/new", [A, A, A, A, A, A, A], nothing),
        page("/account/verify", [A, A, A, A, A, A, A], nothing),
        page("/account/email", [A, A, A, A, A, A, A], nothing),
        page("/account", [U, A, A, A, A, A, A], nothing),
        page("/account/two-factor", [U, A, A, A, A, A, A], nothing),
        page("/account/deleted", [A, A, A, A, A, A, A], nothing),
        page("/account/data", [U, A, A, A, A, A, A], nothing),
        page("/login/code", [A, A, A, A, A, A, A], nothing),
        page("/signup", [A, A, A, A, A, A, A], nothing),
        page("/seller/signup", [A, A, A, A, A, A, A], nothing),
        page("/trade-ins", [U, A, A, A, A, A, A], nothing),
        page("/trade-ins/{id}", [U, A, N, N, N, N, N], |o, _| {
            at(&[("id", &o.trade_in)])
        }),
        page("/claims/{id}", [U, A, N, A, N, N, A], |o, _| {
            at(&[("id", &o.claim)])
        }),
        page("/seller", [U, F, F, A, A, A, F], nothing),
        page("/seller/orders", [U, F, F, A, A, A, F], nothing),
        page("/seller/orders/{id}", [U, F, F, A, N, N, F], |o, _| {
            at(&[("id", &o.trade_in)])
        }),
        page("/seller/prices", [U, F, F, A, A, A, F], nothing),
        page("/seller/prices/import", [U, F, F, A, A, A, F], nothing),
        page("/seller/markets", [U, F, F, A, A, A, F], nothing),
        page("/seller/api", [U, F, F, A, A, A, F], nothing),
        page("/seller/api/webhooks", [U, F, F, A, A, A, F], nothing),
        page(
            "/seller/prices/{variant}/{grade}",
            [U, F, F, A, A, A, F],
            |o, _| at(&[("variant", &o.variant), ("grade", &o.grade)]),
        ),
        page("/ops", [U, F, F, F, F, F, A], nothing),
        page("/ops/suspended", [U, F, F, F, F, F, A], nothing),
        page("/ops/sellers", [U, F, F, F, F, F, A], nothing),
        page("/ops/fraud", [U, F, F, F, F, F, A], nothing),
        page("/ops/alerts", [U, F, F, F, F, F, A], nothing),
        page("/ops/claims", [U, F, F, F, F, F, A], nothing),
        page("/ops/refurbishers", [U, F, F, F, F, F, A], nothing),
        page("/ops/audit", [U, F, F, F, F, F, A], nothing),
        page("/ops/blocklist", [U, F, F, F, F, F, A], nothing),
    ];
    // Each market's consumer pages, for anyone.
    for m in tradein::domain::market::Market::ALL {
        rows.push(page(&m.path(""), [A, A, A, A, A, A, A], nothing));
        rows.push(page(&m.path("/search"), [A, A, A, A, A, A, A], |_, _| {
            Call {
                query: vec![("q", "iphone".into())],
                ..Call::empty()
            }
        }));
        for rest in [
            "/sell/{category}",
            "/sell/{category}/{brand}",
            "/sell/{category}/{brand}/{model}",
            "/sell/{category}/{brand}/{model}/offer",
            "/sell/{category}/{brand}/{model}/accept",
        ] {
            rows.push(page(&m.path(rest), [A, A, A, A, A, A, A], sell_page));
        }
    }
    rows
}

fn counter_offer_form(trade_in: &str, price: &str) -> Call {
    multipart(
        &[("id", trade_in)],
        vec![
            ("price", text(price)),
            ("reasons", text("screen")),
            ("note", text("Deep crack across the screen, see photo.")),
            ("photos", Part::File("crack.jpg", photo_fixture("exif.jpg"))),
        ],
    )
}

/// Every endpoint the app serves, as found in its registries.
pub fn discovered() -> Vec<Endpoint> {
    let mut found: Vec<Endpoint> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| Endpoint::ServerFn(method, path.to_string()))
        .collect();
    found.extend(
        tradein::startup::routes::plain_routes()
            .into_iter()
            .map(|r| Endpoint::Route(r.method, r.path.to_string())),
    );
    found.extend(
        tradein::startup::routes::page_paths()
            .into_iter()
            .map(Endpoint::Page),
    );
    found.sort();
    found.dedup();
    found
}

/// The table and the app agree: every endpoint found has exactly one row,
/// and every row names an endpoint that exists. The registry itself is
/// checked against the source, so a server function the linker dropped
/// from it cannot slip past unseen.
pub fn check_coverage(rows: &[Row]) {
    let found = discovered();
    let listed: Vec<&Endpoint> = rows.iter().map(|r| &r.endpoint).collect();
    let without_row: Vec<String> = found
        .iter()
        .filter(|e| !listed.contains(e))
        .map(|e| e.to_string())
        .collect();
    let gone: Vec<String> = listed
        .iter()
        .filter(|e| !found.contains(e))
        .map(|e| e.to_string())
        .collect();
    let mut twice: Vec<String> = listed
        .iter()
        .enumerate()
        .filter(|(i, e)| listed[..*i].contains(e))
        .map(|(_, e)| e.to_string())
        .collect();
    twice.dedup();
    let in_source = server_fns_in_source();
    let unregistered: Vec<&String> = in_source
        .iter()
        .filter(|name| {
            !found
                .iter()
                .any(|e| matches!(e, Endpoint::ServerFn(_, p) if *p == format!("/api/{name}")))
        })
        .collect();
    assert!(
        without_row.is_empty(),
        "endpoints without a row in the access table (tests/integration/endpoints.rs, `table`): {without_row:#?}"
    );
    assert!(
        gone.is_empty(),
        "rows of the access table for endpoints the app does not serve: {gone:#?}"
    );
    assert!(twice.is_empty(), "endpoints with two rows: {twice:#?}");
    assert!(
        unregistered.is_empty(),
        "server functions in the source but missing from the registry the table is checked against: {unregistered:?}"
    );
    assert!(
        in_source.len() >= 50,
        "found only {} server functions in the source",
        in_source.len()
    );
}

/// The `endpoint = "..."` of every `#[server(...)]` under `src/`.
fn server_fns_in_source() -> Vec<String> {
    let endpoint = regex::Regex::new(r#"#\[server\([^\]]*endpoint\s*=\s*"([^"]+)""#).unwrap();
    let mut names = Vec::new();
    for file in crate::access::walk(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))) {
        let text = std::fs::read_to_string(&file).unwrap();
        names.extend(endpoint.captures_iter(&text).map(|c| c[1].to_string()));
    }
    names.sort();
    names
}

/// The objects the table's calls name. The trade-in is consumer A's,
/// bought by seller A, and has everything a trade-in can have that
/// someone might reach for: a proof photo, both labels, an open claim.
pub struct Objects {
    pub trade_in: String,
    pub tracking: String,
    pub counter_price: String,
    pub claim: String,
    pub photo: String,
    /// A photo kept from seller A's refused counter-offer form.
    pub pending_photo: String,
    /// The handle of a second session of consumer A's, in another browser.
    pub spare_session: String,
    /// Consumer B's trade-in whose payout waits for operations.
    pub held_trade_in: String,
    /// One of seller A's listings: variant id, grade code and name, version.
    pub variant: String,
    pub grade: String,
    pub grade_name: String,
    pub version: String,
    pub alert: String,
    pub blocked_imei: String,
    /// A refurbisher awaiting a decision, and an approved one, for the
    /// decisions operations take (not the pending seller who acts).
    pub application: String,
    pub suspendable_seller: String,
    /// One of seller A's API tokens (its id).
    pub api_token: String,
    /// Two of seller A's webhook endpoints (one to delete), and a delivery
    /// of the other's.
    pub webhook: String,
    pub kept_webhook: String,
    pub delivery: String,
    /// Whom each actor signs in as, by column.
    pub emails: Vec<Option<String>>,
}

/// The demo consumer's trade-in (`demo::marketplace::seed_activity`).
const TRADE_IN_IMEI: &str = "356938035643809";
/// The second demo consumer's, its payout held for review.
const HELD_IMEI: &str = "490154203237518";
const PENDING_SELLER_EMAIL: &str = "hello@refurb-express.example";

/// The people at the table, each with a client that carries their session
/// cookie by hand (an https site's `__Host-` cookie included, which a
/// cookie store would keep from a plain-http test server) and no `Origin`
/// of its own: each request says which site it comes from.
pub struct People {
    emails: Vec<Option<String>>,
    clients: Vec<reqwest::Client>,
}

fn plain_client(cookie: Option<&str>) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    if let Some(cookie) = cookie {
        headers.insert("cookie", HeaderValue::from_str(cookie).unwrap());
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .timeout(std::time::Duration::from_secs(90))
        .build()
        .unwrap()
}

async fn session_of(app: &TestApp, email: &str) -> reqwest::Client {
    let res = plain_client(None)
        .post(app.url("/api/login"))
        .header("origin", app.public_origin())
        .form(&[("email", email), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{email} signs in");
    // Refurbisher and operations accounts have two-factor sign-in: the
    // half-done sign-in's cookie, then the code.
    let half_done = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("tradein_sign_in="))
        .map(|c| c.split(';').next().unwrap().to_string());
    let res = match half_done {
        Some(half_done) => {
            let code = app.next_code(email).await;
            let res = plain_client(Some(&half_done))
                .post(app.url("/api/sign_in_code"))
                .header("origin", app.public_origin())
                .form(&[("code", code.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{email} gives a code");
            res
        }
        None => res,
    };
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("tradein_session="))
        .unwrap_or_else(|| panic!("no session cookie for {email}"))
        .split(';')
        .next()
        .unwrap()
        .to_string();
    plain_client(Some(&cookie))
}

impl People {
    pub fn client(&self, actor: Actor) -> &reqwest::Client {
        &self.clients[actor.column()]
    }

    /// Signs the actor in again if a call ended its session (signing out).
    pub async fn keep_signed_in(&mut self, app: &TestApp, actor: Actor) {
        let Some(email) = self.emails[actor.column()].clone() else {
            return;
        };
        if whoami(app, self.client(actor)).await.as_deref() != Some(email.as_str()) {
            self.clients[actor.column()] = session_of(app, &email).await;
        }
    }
}

/// The signed-in user's email as the server sees it, or None.
async fn whoami(app: &TestApp, client: &reqwest::Client) -> Option<String> {
    let res = client
        .post(app.url("/api/current_user"))
        .header("origin", app.public_origin())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    body.get("email")
        .and_then(|e| e.as_str())
        .map(str::to_string)
}

/// A step of the set-up, through the endpoint people use; it must succeed.
async fn set_up_step(app: &TestApp, client: &reqwest::Client, endpoint: Endpoint, call: Call) {
    let (status, answer) = send(app, client, &endpoint, &call, &same_site(app)).await;
    assert!(
        (200..400).contains(&status) && !answer.contains("error="),
        "setting up the objects, {endpoint}: {status} {answer}"
    );
}

fn api(name: &str) -> Endpoint {
    Endpoint::ServerFn(Method::POST, format!("/api/{name}"))
}

/// Two endpoints of a seller's, and a delivery to the second (of an
/// event that was published).
async fn webhooks_of(app: &TestApp, seller: i64, user: i64) -> (String, String, String) {
    use tradein::domain::seller_event::EventKind;
    use tradein::features::seller_events::service as events;
    let seller = tradein::domain::ids::SellerId(seller);
    let user = tradein::domain::ids::UserId(user);
    let mut ids = Vec::new();
    for url in ["https://erp.example/a", "https://erp.example/b"] {
        let (id, _) =
            events::create_endpoint(&app.state, seller, user, url, &[EventKind::ListingUpdated])
                .await
                .unwrap()
                .unwrap();
        ids.push(id);
    }
    let mut conn = app.state.db.pool().acquire().await.unwrap();
    events::record(
        &mut conn,
        seller,
        EventKind::ListingUpdated,
        1,
        serde_json::json!({}),
        0,
    )
    .await
    .unwrap();
    drop(conn);
    events::publish(&app.state).await.unwrap();
    let delivery = id_where(
        app,
        "SELECT id FROM webhook_deliveries WHERE endpoint_id = $1",
        ids[1],
    )
    .await;
    (ids[0].to_string(), ids[1].to_string(), delivery)
}

async fn id_where(app: &TestApp, sql: &str, bind: i64) -> String {
    let id: i64 = sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    id.to_string()
}

/// Signs the seven people in on the demo marketplace and makes the
/// objects, through the same endpoints people use.
pub async fn setup(app: &TestApp) -> (People, Objects) {
    let pool = app.state.db.pool();
    let (trade_in, seller_a): (i64, i64) =
        sqlx::query_as("SELECT id, seller_id FROM trade_ins WHERE imei = $1")
            .bind(TRADE_IN_IMEI)
            .fetch_one(pool)
            .await
            .unwrap();
    let seller_b: i64 = sqlx::query_scalar(
        "SELECT id FROM sellers WHERE status = 'approved' AND kind = 'refurbisher' AND id <> $1 ORDER BY id LIMIT 1",
    )
    .bind(seller_a)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut emails: Vec<Option<String>> = vec![
        None,
        Some(DEMO_CONSUMER_EMAIL.into()),
        Some(DEMO_SECOND_CONSUMER_EMAIL.into()),
    ];
    for seller in [seller_a, seller_b] {
        emails.push(Some(
            sqlx::query_scalar(
                "SELECT u.email FROM sellers s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
            )
            .bind(seller)
            .fetch_one(pool)
            .await
            .unwrap(),
        ));
    }
    emails.push(Some(PENDING_SELLER_EMAIL.into()));
    emails.push(Some(DEMO_OPS_EMAIL.into()));
    let pending_status: String = sqlx::query_scalar(
        "SELECT s.status FROM sellers s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
    )
    .bind(PENDING_SELLER_EMAIL)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(pending_status, SellerStatus::Pending.code());
    let mut clients = Vec::new();
    for email in &emails {
        clients.push(match email {
            None => plain_client(None),
            Some(email) => session_of(app, email).await,
        });
    }
    let people = People {
        emails: emails.clone(),
        clients,
    };

    // Seller A receives consumer A's parcel, finds a crack and proposes
    // half the price with a photo; consumer A declines (the device goes
    // back: a return label) and disputes it (a claim).
    let id = trade_in.to_string();
    let tracking = tracking_of(app, trade_in).await;
    let price: i64 = sqlx::query_scalar("SELECT price_minor FROM trade_ins WHERE id = $1")
        .bind(trade_in)
        .fetch_one(pool)
        .await
        .unwrap();
    let by_seller_a = people.client(Actor::SellerA);
    let by_consumer_a = people.client(Actor::ConsumerA);
    set_up_step(
        app,
        by_seller_a,
        api("receive_parcel"),
        form(&[("code", &tracking)]),
    )
    .await;
    set_up_step(
        app,
        by_seller_a,
        api("inspect_order"),
        form(&[
            ("id", &id),
            ("imei_found", TRADE_IN_IMEI),
            ("works", "yes"),
            ("screen", "cracked"),
            ("body", "flawless"),
        ]),
    )
    .await;
    let counter_price = format!("{}.00", price / 200);
    set_up_step(
        app,
        by_seller_a,
        Endpoint::Route(Method::POST, "/seller/orders/{id}".into()),
        counter_offer_form(&id, &counter_price),
    )
    .await;
    set_up_step(
        app,
        by_consumer_a,
        api("answer_counter_offer"),
        form(&[("id", &id), ("answer", "decline")]),
    )
    .await;
    set_up_step(
        app,
        by_consumer_a,
        api("open_claim"),
        form(&[
            ("trade_in_id", &id),
            ("kind", "counter_offer_disputed"),
            ("message", "The screen had no crack when I sent it."),
        ]),
    )
    .await;
    let state: String = sqlx::query_scalar("SELECT state FROM trade_ins WHERE id = $1")
        .bind(trade_in)
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(state, "return_requested", "the device is on its way back");

    let (variant, grade, version): (i64, String, i64) = sqlx::query_as(
        "SELECT variant_id, grade, version FROM listings WHERE seller_id = $1 AND active = 1 ORDER BY id LIMIT 1",
    )
    .bind(seller_a)
    .fetch_one(pool)
    .await
    .unwrap();
    // The grade as JSON names it, for the match lines.
    let grade_name = serde_json::to_value(tradein::domain::grade::Grade::parse(&grade).unwrap())
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();

    tradein::features::alerts::service::run(&app.state)
        .await
        .unwrap();
    let alert: Option<i64> = sqlx::query_scalar("SELECT MIN(id) FROM alerts")
        .fetch_one(pool)
        .await
        .unwrap();
    let ops_id: tradein::domain::ids::UserId =
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(DEMO_OPS_EMAIL)
            .fetch_one(pool)
            .await
            .unwrap();
    let blocked_imei = imei(900);
    tradein::features::fraud::service::block(
        &app.state,
        ops_id,
        vec![(blocked_imei.clone(), "reported stolen".into())],
    )
    .await
    .unwrap();
    let seller_a_user: i64 = sqlx::query_scalar(
        "SELECT u.id FROM sellers s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
    )
    .bind(seller_a)
    .fetch_one(pool)
    .await
    .unwrap();
    let clean = tradein::platform::images::sanitize(&photo_fixture("exif.jpg")).unwrap();
    let pending_photo = tradein::features::orders::service::pending::keep(
        &app.state,
        tradein::domain::ids::UserId(seller_a_user),
        "counter-offer-matrix",
        &[tradein::features::orders::service::ProofPhoto {
            content_type: clean.kind.content_type(),
            extension: clean.kind.extension(),
            bytes: clean.bytes,
        }],
    )
    .await
    .unwrap()
    .remove(0);
    let handles = |email: &'static str| async move {
        sqlx::query_scalar::<_, String>(
            "SELECT s.handle FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
        )
        .bind(email)
        .fetch_all(pool)
        .await
        .unwrap()
    };
    let before = handles(DEMO_CONSUMER_EMAIL).await;
    session_of(app, DEMO_CONSUMER_EMAIL).await;
    let spare_session = handles(DEMO_CONSUMER_EMAIL)
        .await
        .into_iter()
        .find(|h| !before.contains(h))
        .expect("the second session's handle");
    tradein::features::api_tokens::service::create(
        &app.state,
        tradein::domain::ids::SellerId(seller_a),
        tradein::domain::ids::UserId(seller_a_user),
        "Matrix token",
        &tradein::domain::api_token::Scopes::new([tradein::domain::api_token::Scope::ListingsRead])
            .unwrap(),
        None,
    )
    .await
    .unwrap();
    let api_token = id_where(
        app,
        "SELECT id FROM api_tokens WHERE seller_id = $1",
        seller_a,
    )
    .await;
    let (webhook, kept_webhook, delivery) = webhooks_of(app, seller_a, seller_a_user).await;
    let objects = Objects {
        api_token,
        webhook,
        kept_webhook,
        delivery,
        pending_photo,
        spare_session,

        claim: id_where(
            app,
            "SELECT id FROM claims WHERE trade_in_id = $1",
            trade_in,
        )
        .await,
        photo: id_where(
            app,
            "SELECT id FROM photos WHERE trade_in_id = $1",
            trade_in,
        )
        .await,
        held_trade_in: sqlx::query_scalar::<_, i64>("SELECT id FROM trade_ins WHERE imei = $1")
            .bind(HELD_IMEI)
            .fetch_one(pool)
            .await
            .unwrap()
            .to_string(),
        trade_in: id,
        tracking,
        counter_price,
        variant: variant.to_string(),
        grade,
        grade_name,
        version: version.to_string(),
        alert: alert
            .expect("the demo's history raises an alert")
            .to_string(),
        blocked_imei,
        application: seller(
            app,
            SellerSpec {
                status: SellerStatus::Pending,
                ..SellerSpec::approved("Matrix Applicant SAS")
            },
        )
        .await
        .to_string(),
        suspendable_seller: seller(app, SellerSpec::approved("Matrix Suspendable SAS"))
            .await
            .to_string(),
        emails,
    };
    (people, objects)
}

/// The headers a page of this site sends with a form or a script's request.
pub fn same_site(app: &TestApp) -> Vec<(&'static str, String)> {
    vec![
        ("origin", app.public_origin().to_string()),
        ("sec-fetch-site", "same-origin".into()),
    ]
}

fn request(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &Endpoint,
    call: &Call,
    headers: &[(&'static str, String)],
) -> reqwest::RequestBuilder {
    let mut path = endpoint.pattern().to_string();
    for (name, value) in &call.params {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    assert!(
        !path.contains('{'),
        "{endpoint}: the row gives no value for a parameter of {path}"
    );
    let mut req = client.request(endpoint.method(), app.url(&path));
    if !call.query.is_empty() {
        req = req.query(&call.query);
    }
    for (name, value) in headers {
        req = req.header(*name, value);
    }
    match &call.body {
        Body::Empty if endpoint.changes_state() => req.form(&[] as &[(&str, &str)]),
        Body::Empty => req,
        Body::Form(fields) => req.form(fields),
        Body::Json(value) => req.json(value),
        Body::Multipart(parts) => {
            let mut form = reqwest::multipart::Form::new();
            for (name, part) in parts {
                form = match part {
                    Part::Text(t) => form.text(*name, t.clone()),
                    Part::File(file, bytes) => form.part(
                        *name,
                        reqwest::multipart::Part::bytes(bytes.clone()).file_name(*file),
                    ),
                };
            }
            req.multipart(form)
        }
    }
}

/// Sends the call; the status and the start of the answer, for messages.
pub async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &Endpoint,
    call: &Call,
    headers: &[(&'static str, String)],
) -> (u16, String) {
    let res = request(app, client, endpoint, call, headers)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(|l| format!("-> {l} "))
        .unwrap_or_default();
    let bytes = res.bytes().await.unwrap_or_default();
    let body: String = String::from_utf8_lossy(&bytes).chars().take(300).collect();
    (status, format!("{location}{body}"))
}

/// Whether an answer lets the caller through.
pub fn let_through(endpoint: &Endpoint, status: u16) -> bool {
    match endpoint {
        Endpoint::Page(_) => (200..400).contains(&status),
        _ => (200..400).contains(&status) || status == 409 || status == 422,
    }
}

/// What is stored, table by table: a digest of every row. Two equal
/// fingerprints mean nothing was written in between.
async fn fingerprint(app: &TestApp) -> BTreeMap<String, String> {
    let pool = app.state.db.pool();
    let mut out = BTreeMap::new();
    if app.state.config.database.is_sqlite() {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        for table in tables {
            let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
            let row = columns
                .iter()
                .map(|c| format!("quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(" || ',' || ");
            let rows: Option<String> = sqlx::query_scalar(&format!(
                "SELECT group_concat(r, char(10)) FROM (SELECT {row} AS r FROM \"{table}\" ORDER BY rowid)"
            ))
            .fetch_one(pool)
            .await
            .unwrap();
            let digest = rows.map(|r| {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                r.hash(&mut h);
                format!("{} bytes, {:016x}", r.len(), h.finish())
            });
            out.insert(table, digest.unwrap_or_else(|| "empty".into()));
        }
    } else {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE '_sqlx%' ORDER BY tablename",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        // The rows' hashes added up, every table in one query: no sort, and
        // the same whatever order a table is read in.
        let digests = tables
            .iter()
            .map(|t| {
                format!(
                    "SELECT '{t}', CAST(COUNT(*) AS TEXT) || ' rows, ' || COALESCE(CAST(SUM(CAST(hashtext(CAST(t AS TEXT)) AS BIGINT)) AS TEXT), '') FROM \"{t}\" t"
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows: Vec<(String, String)> = sqlx::query_as(&digests).fetch_all(pool).await.unwrap();
        out.extend(rows);
    }
    out
}

/// Watches the store for writes, so a test can tell which tables a request
/// wrote to. On SQLite a connection of its own reads `PRAGMA data_version`,
/// which moves only when another connection commits: when it stays put,
/// nothing was written and the rows need not be read again.
pub struct Store {
    digest: BTreeMap<String, String>,
    version: Option<(sqlx::SqliteConnection, i64)>,
}

impl Store {
    pub async fn watch(app: &TestApp) -> Store {
        let version = match &app.state.config.database {
            tradein::platform::config::DatabaseUrl::Sqlite(path) => {
                use sqlx::Connection;
                let mut conn =
                    sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                        .await
                        .unwrap();
                let v = data_version(&mut conn).await;
                Some((conn, v))
            }
            tradein::platform::config::DatabaseUrl::Postgres(_) => None,
        };
        flush_offer_views(app).await;
        Store {
            digest: fingerprint(app).await,
            version,
        }
    }

    /// The tables whose rows changed since the last look.
    pub async fn written(&mut self, app: &TestApp) -> Vec<String> {
        flush_offer_views(app).await;
        if let Some((conn, seen)) = &mut self.version {
            let now = data_version(conn).await;
            if now == *seen {
                return vec![];
            }
            *seen = now;
        }
        let now = fingerprint(app).await;
        let before = std::mem::replace(&mut self.digest, now);
        let mut names: Vec<&String> = before.keys().chain(self.digest.keys()).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter(|t| before.get(*t) != self.digest.get(*t))
            .cloned()
            .collect()
    }
}

async fn data_version(conn: &mut sqlx::SqliteConnection) -> i64 {
    sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(conn)
        .await
        .unwrap()
}

/// Offer views are written off the request path: whatever a request
/// recorded is in the table before it is read.
async fn flush_offer_views(app: &TestApp) {
    app.state
        .feature::<tradein::features::offers::shown::OfferViewLog>()
        .flush()
        .await;
}
