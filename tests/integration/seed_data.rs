//! The catalog and the demo marketplace, as loaded on each backend.

use crate::both_backends;
use crate::harness::TestApp;
use tradein::features::demo as seed;

both_backends!(catalog_loads_once_and_is_real, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let models = app.count("models").await;
    assert!(models >= 150, "{models} models");
    let variants = app.count("variants").await;
    assert!(variants > models * 2, "{variants} variants");
    assert!(
        !seed::load_catalog(&app.state.db).await.unwrap(),
        "unchanged catalog is not reloaded"
    );
    let storages: Vec<i64> = sqlx::query_scalar(
        "SELECT v.storage_gb FROM variants v JOIN models m ON m.id = v.model_id WHERE m.slug = 'iphone-13' ORDER BY v.storage_gb",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(storages, vec![128, 256, 512]);
    let sku: String = sqlx::query_scalar("SELECT sku FROM variants WHERE sku LIKE 'ipad-air-5th-gen-256gb%' ORDER BY sku DESC LIMIT 1")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(sku, "ipad-air-5th-gen-256gb-wi-fi-plus-cellular");
    app.stop().await;
});

both_backends!(
    demo_marketplace_covers_the_catalog_deterministically,
    |backend| async move {
        let app = TestApp::spawn_with_demo(backend).await;
        let pool = app.state.db.pool();
        let approved: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sellers WHERE status = 'approved'")
                .fetch_one(pool)
                .await
                .unwrap();
        assert!(approved >= 6);
        let variants = app.count("variants").await;
        let covered: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT DISTINCT l.variant_id, l.grade FROM listings l JOIN sellers s ON s.id = l.seller_id WHERE s.status = 'approved') x",
    )
    .fetch_one(pool)
    .await
    .unwrap();
        assert!(
            covered * 100 >= variants * 6 * 90,
            "only {covered} of {} variant x grade cells have a buyer",
            variants * 6
        );
        let bad: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM listings WHERE price_minor < 100 OR price_minor % 100 <> 0",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            bad, 0,
            "prices are whole units of at least 1 of their currency"
        );
        // A better grade never fetches less from the same seller.
        let inverted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM listings a JOIN listings b ON a.seller_id = b.seller_id AND a.variant_id = b.variant_id AND a.market = b.market \
         WHERE a.grade = 'functional_flawless' AND b.grade = 'functional_cracked' AND a.price_minor <= b.price_minor",
    )
    .fetch_one(pool)
    .await
    .unwrap();
        assert_eq!(inverted, 0);

        let total: i64 =
            sqlx::query_scalar("SELECT CAST(SUM(price_minor) AS BIGINT) FROM listings")
                .fetch_one(pool)
                .await
                .unwrap();
        let again = TestApp::spawn_with_demo(backend).await;
        let total_again: i64 =
            sqlx::query_scalar("SELECT CAST(SUM(price_minor) AS BIGINT) FROM listings")
                .fetch_one(again.state.db.pool())
                .await
                .unwrap();
        assert_eq!(total, total_again, "the demo data is the same on every run");
        assert!(
            seed::marketplace::seed(&app.state.db, 0)
                .await
                .unwrap()
                .is_none(),
            "seeding twice does nothing"
        );
        again.stop().await;
        app.stop().await;
    }
);
