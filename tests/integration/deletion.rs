//! My data with full IBANs after the password, and deleting an account
//! (GDPR article 17) on both databases: refused while a trade-in is open,
//! then what names the person is erased and what the law keeps stays.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;

const PASSWORD: &str = "correct horse battery";

async fn one<T>(app: &TestApp, sql: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
{
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

both_backends!(
    a_deleted_account_keeps_its_records_and_nothing_that_names_its_owner,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
        listing(
            &app,
            s,
            "iphone-13-128gb",
            tradein::domain::grade::Grade::FunctionalGood,
            31_200,
            1_000,
        )
        .await;
        let jane = customer(&app, "jane@example.com").await;
        let phone = app.client();
        app.login(&phone, "jane@example.com", PASSWORD).await;
        let res = confirm(
            &app,
            &jane,
            &confirm_form(&imei(1), 31_200, "key-deletion-000001"),
        )
        .await;
        let id = redirected_id(&res);
        let reference: String = one(
            &app,
            &format!("SELECT reference FROM trade_ins WHERE id = {id}"),
        )
        .await;

        // The full export, after the password: the IBAN in full.
        let full = |password: &'static str| {
            let form = reqwest::multipart::Form::new()
                .text("__form", "account-data-full")
                .text("current_password", password);
            jane.post(app.url("/account/data")).multipart(form).send()
        };
        let res = full("not my password").await.unwrap();
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        // In French: the test client is a visitor in France.
        let wrong = tradein::i18n::Texts::of(tradein::domain::market::Market::FrFr)
            .get(tradein::i18n::Msg::ErrorNotCurrentPassword);
        assert!(page.contains(wrong), "{page}");
        let res = full(PASSWORD).await.unwrap();
        assert_eq!(res.status(), 200);
        let data: serde_json::Value = res.json().await.unwrap();
        assert_eq!(data["trade_ins"][0]["iban"], IBAN);
        let masked: serde_json::Value = jane
            .get(app.url("/account/data.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(masked["trade_ins"][0].get("iban").is_none());
        assert!(masked["trade_ins"][0].get("iban_encrypted").is_none());

        // An open trade-in holds the deletion back, with its reference.
        let delete = |password: &'static str, confirm: bool| {
            let mut form = vec![("current_password", password)];
            if confirm {
                form.push(("confirm", "yes"));
            }
            let jane = jane.clone();
            let app = &app;
            async move { app.call(&jane, "delete_account", &form).await }
        };
        let res = delete(PASSWORD, true).await;
        assert_eq!(res.status(), 409);
        assert!(res.text().await.unwrap().contains(&reference));
        assert_eq!(app.whoami(&jane).await.as_deref(), Some("jane@example.com"));

        // Paid, with a payout, a claim and a message of hers.
        exec(
            &app,
            &format!("UPDATE trade_ins SET state = 'paid', paid_at = 5 WHERE id = {id}"),
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO payouts (trade_in_id, amount_minor, iban_masked, state, provider_ref, created_at, sent_at) \
                 VALUES ({id}, 31200, 'FR14 **** 2606', 'sent', 'LEDGER-1', 5, 5)"
            ),
        )
        .await;
        let jane_id: i64 = one(
            &app,
            "SELECT id FROM users WHERE email = 'jane@example.com'",
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO claims (trade_in_id, customer_id, kind, state, created_at) \
                 VALUES ({id}, {jane_id}, 'payment_missing', 'resolved', 6)"
            ),
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO claim_messages (claim_id, author_id, author_role, body, created_at) \
                 SELECT id, {jane_id}, 'customer', 'Call me on 06 12 34 56 78', 7 FROM claims"
            ),
        )
        .await;

        let res = delete("not my password", true).await;
        assert_eq!(res.status(), 422);
        let res = delete(PASSWORD, false).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("confirm"));
        assert_eq!(app.count("sessions").await, 2, "nothing changed");

        let res = delete(PASSWORD, true).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["location"], "/account/deleted");
        assert_eq!(app.whoami(&jane).await, None);
        assert_eq!(app.whoami(&phone).await, None, "signed out everywhere");
        assert_eq!(app.count("sessions").await, 0);

        // The account row stays, pseudonymous.
        let (email, name, deleted_at): (String, String, Option<i64>) = sqlx::query_as(&format!(
            "SELECT email, display_name, deleted_at FROM users WHERE id = {jane_id}"
        ))
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(email, format!("deleted-{jane_id}@deleted.invalid"));
        assert_eq!(name, "Deleted account");
        assert!(deleted_at.is_some());
        // The trade-in keeps the device, the price and the masked IBAN; the
        // addresses, date of birth and IBAN go.
        let (address, city, holder, sealed, fingerprint, birth, masked, kept_imei, price): (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            i64,
        ) = sqlx::query_as(&format!(
            "SELECT address_line1, city, account_holder, iban_encrypted, iban_fingerprint, date_of_birth, \
                    iban_masked, imei, price_minor FROM trade_ins WHERE id = {id}"
        ))
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(
            (address, city, holder, sealed, fingerprint, birth),
            Default::default()
        );
        assert!(masked.starts_with("FR14 ••••"), "{masked}");
        assert_eq!(kept_imei, Some(imei(1)));
        assert_eq!(price, 31_200);
        assert_eq!(app.count("payouts").await, 1);
        assert!(app.count("trade_in_events").await > 0, "its history stays");
        let body: String = one(&app, "SELECT body FROM claim_messages").await;
        assert!(!body.contains("06 12"), "{body}");
        let mail_to_her: i64 = one(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE to_email = 'jane@example.com' OR body LIKE '%Jane%'",
        )
        .await;
        assert_eq!(mail_to_her, 0);
        let anywhere: i64 = one(
            &app,
            "SELECT (SELECT COUNT(*) FROM users WHERE email = 'jane@example.com') \
                  + (SELECT COUNT(*) FROM login_attempts WHERE email = 'jane@example.com') \
                  + (SELECT COUNT(*) FROM trade_ins WHERE address_name LIKE '%Jane%')",
        )
        .await;
        assert_eq!(anywhere, 0);
        let audited: i64 = one(
            &app,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'account_deleted' AND user_id = {jane_id}"
            ),
        )
        .await;
        assert_eq!(audited, 1);
        let res = app.login(&app.client(), "jane@example.com", PASSWORD).await;
        assert_eq!(res.status(), 422, "nobody can sign in to it");
        app.stop().await;
    }
);

both_backends!(
    refurbisher_accounts_are_closed_by_operations_not_by_themselves,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (client, _) = seller_with_login(&app, "Alpha Refurb").await;
        let res = app
            .call(
                &client,
                "delete_account",
                &[("current_password", PASSWORD), ("confirm", "yes")],
            )
            .await;
        assert_eq!(res.status(), 409);
        assert!(app.whoami(&client).await.is_some());
        app.stop().await;
    }
);
