//! A refusal reads in its reader's language: a consumer's in their page's
//! market's, the refurbisher's in the language the areas' footer chose.

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use tradein::domain::grade::Grade;

both_backends!(
    refusals_speak_their_readers_language,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let (seller, seller_id) = seller_with_login(&app, "Alpha Refurb").await;
        listing(
            &app,
            seller_id,
            "iphone-13-128gb",
            Grade::FunctionalGood,
            31_200,
            1_000,
        )
        .await;
        // No Accept-Language and no market chosen: France, in French.
        let jane = customer(&app, "jane@example.com").await;
        let res = confirm(
            &app,
            &jane,
            &confirm_form(&imei(41), 31_200, "key-conflict-language-1"),
        )
        .await;
        let id = redirected_id(&res).to_string();
        assert_eq!(
            app.call(&jane, "mark_shipped", &[("id", &id)])
                .await
                .status(),
            200
        );

        let res = app.call(&jane, "cancel_trade_in", &[("id", &id)]).await;
        assert_eq!(res.status(), 409);
        let text = res.text().await.unwrap();
        assert!(
            text.contains("cette reprise a le statut «\u{a0}en cours d'acheminement\u{a0}» et ne peut pas être annulée"),
            "{text}"
        );

        // The refurbisher reads English until the footer's link asks for French.
        let form = [("id", id.as_str()), ("action", "validate")];
        let validate = || app.call(&seller, "order_action", &form);
        let res = validate().await;
        assert_eq!(res.status(), 409);
        let text = res.text().await.unwrap();
        assert!(
            text.contains("this trade-in is on its way and cannot be validated"),
            "{text}"
        );
        let chosen = seller.get(app.url("/language/fr")).send().await.unwrap();
        assert_eq!(chosen.status(), 303);
        let res = validate().await;
        assert_eq!(res.status(), 409);
        let text = res.text().await.unwrap();
        assert!(
            text.contains("cette reprise a le statut «\u{a0}en cours d'acheminement\u{a0}» et ne peut pas être validée"),
            "{text}"
        );
        app.stop().await;
    }
);
