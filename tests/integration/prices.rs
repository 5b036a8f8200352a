//! A refurbisher's prices: saving a cell with its version, refusing stale
//! edits, and the history of every change (issue 4's backend core).

use crate::both_backends;
use crate::fixtures::*;
use crate::harness::TestApp;
use tradein::domain::grade::Grade;
use tradein::server::repo::prices::{history, save, Saved, Source};

both_backends!(stale_edits_are_refused_and_every_change_is_recorded, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let s = seller(&app, SellerSpec::approved("Alpha Refurb")).await;
    let v = variant_id(&app, "iphone-13-128gb").await;
    let user: i64 = sqlx::query_scalar("SELECT user_id FROM sellers WHERE id = $1").bind(s).fetch_one(app.state.db.pool()).await.unwrap();
    let g = Grade::FunctionalGood;
    let mut tx = app.state.db.write_tx().await.unwrap();
    // A new cell, then an edit based on its version.
    assert_eq!(save(&mut tx, s, v, g, 30_000, None, user, Source::Grid, 1).await.unwrap(), Saved::Saved { version: 1 });
    assert_eq!(save(&mut tx, s, v, g, 31_000, Some(1), user, Source::Grid, 2).await.unwrap(), Saved::Saved { version: 2 });
    // A second tab still on version 1 is refused and told the current value.
    assert_eq!(save(&mut tx, s, v, g, 29_000, Some(1), user, Source::Grid, 3).await.unwrap(), Saved::Stale { current: Some((31_000, 2)) });
    // So is an editor who saw the cell empty.
    assert_eq!(save(&mut tx, s, v, g, 29_000, None, user, Source::Csv, 4).await.unwrap(), Saved::Stale { current: Some((31_000, 2)) });
    assert_eq!(save(&mut tx, s, v, g, 31_000, Some(2), user, Source::Grid, 5).await.unwrap(), Saved::Unchanged);
    assert_eq!(save(&mut tx, s, v, g, 32_000, Some(2), user, Source::Recommendation, 6).await.unwrap(), Saved::Saved { version: 3 });
    let h = history(&mut tx, s, v, g).await.unwrap();
    tx.commit().await.unwrap();
    let changes: Vec<(Option<i64>, Option<i64>, &str)> = h.iter().map(|e| (e.old_price_minor, e.new_price_minor, e.source.as_str())).collect();
    assert_eq!(changes, vec![(None, Some(30_000), "grid"), (Some(30_000), Some(31_000), "grid"), (Some(31_000), Some(32_000), "recommendation")]);
    let price: i64 = sqlx::query_scalar("SELECT price_minor FROM listings WHERE seller_id = $1").bind(s).fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(price, 32_000);
    app.stop().await;
});
