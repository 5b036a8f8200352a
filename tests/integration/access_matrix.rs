//! The access matrix: every endpoint (`endpoints::table`, checked against
//! what the app serves) called by each of seven people on objects consumer
//! A and seller A own. A refusal is exactly the status the table says and
//! writes nothing; what the table lets through is never refused, nor told
//! that an existing object is not there.

use crate::both_backends;
use crate::endpoints::{
    check_coverage, let_through, same_site, send, setup, table, Expect, Store, ACTORS,
};
use crate::harness::TestApp;

both_backends!(
    every_endpoint_answers_each_person_as_the_table_says,
    |backend| async move {
        let app = TestApp::spawn_with_demo(backend).await;
        let rows = table();
        check_coverage(&rows);
        let (mut people, objects) = setup(&app).await;
        let site = same_site(&app);
        let mut wrong = Vec::new();

        // Refusals first, while every object is as set up; the store is
        // compared after each endpoint's refusals.
        let mut store = Store::watch(&app).await;
        let mut refusals = 0;
        for row in &rows {
            for actor in ACTORS {
                let Expect::Refused(want) = row.expect(actor) else {
                    continue;
                };
                refusals += 1;
                let call = (row.call)(&objects, actor);
                let (status, answer) =
                    send(&app, people.client(actor), &row.endpoint, &call, &site).await;
                if status != want {
                    wrong.push(format!(
                        "{} as {actor:?}: {status}, the table says {want}: {answer}",
                        row.endpoint
                    ));
                }
            }
            let written = store.written(&app).await;
            if !written.is_empty() {
                wrong.push(format!(
                    "{}: its refusals wrote to {written:?}",
                    row.endpoint
                ));
            }
        }

        // Then what is let through, in the table's order.
        let mut allowed = 0;
        for row in &rows {
            for actor in ACTORS {
                if row.expect(actor) != Expect::Allowed {
                    continue;
                }
                allowed += 1;
                let call = (row.call)(&objects, actor);
                let (status, answer) =
                    send(&app, people.client(actor), &row.endpoint, &call, &site).await;
                if !let_through(&row.endpoint, status) {
                    wrong.push(format!(
                        "{} as {actor:?}: {status}, the table lets it through: {answer}",
                        row.endpoint
                    ));
                }
                people.keep_signed_in(&app, actor).await;
            }
        }
        assert!(
            wrong.is_empty(),
            "{} of {} calls disagree with the access table:\n{}",
            wrong.len(),
            refusals + allowed,
            wrong.join("\n")
        );
        assert!(
            refusals > 300 && allowed > 200,
            "{refusals} refusals, {allowed} let through"
        );
        app.stop().await;
    }
);

/// A new endpoint cannot go untested: the coverage check names it. Run
/// here against a table missing one server function, one plain route and
/// one page. An app is started first: listing the pages walks them, which
/// needs the async executor a serving app sets up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_without_a_row_fails_by_name() {
    let app = TestApp::spawn(crate::harness::Backend::Sqlite).await;
    for missing in [
        "server fn POST /api/claim_resolve",
        "route POST /seller/prices/upload",
        "page /ops/blocklist",
    ] {
        let rows: Vec<_> = table()
            .into_iter()
            .filter(|r| r.endpoint.to_string() != missing)
            .collect();
        let failure =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_coverage(&rows)))
                .expect_err("a table without a row for an endpoint is refused");
        let message = failure
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(
            message.contains("without a row") && message.contains(missing),
            "{message}"
        );
    }
    app.stop().await;
}
