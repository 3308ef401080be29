//! The SeaORM function's binary, invoked through its own `lambda_http` runtime against a
//! local Lambda Runtime API and the local Data API server: the same checks as the Diesel
//! function's (one notes API, two ORMs).

#[path = "../../lambda-diesel/tests/notes_api/mod.rs"]
mod notes_api;

use notes_api::Subject;

const SUBJECT: Subject = Subject {
    binary: env!("CARGO_BIN_EXE_lambda-sea-orm"),
    name: "lambda-sea-orm",
    db: "lambda_sea_orm",
    arn: "arn:aws:rds:us-east-1:123456789012:cluster:lambda-sea-pg",
    table: "lambda_sea_notes",
    get: include_str!("../events/get-notes.json"),
    post: include_str!("../events/post-note.json"),
};

#[tokio::test]
async fn checked_in_events_get_and_post_with_only_the_calls_their_queries_need() {
    notes_api::events_make_only_their_calls(&SUBJECT).await;
}

#[tokio::test]
async fn a_handler_that_overruns_its_deadline_rolls_back_before_it() {
    notes_api::overrun_rolls_back_before_the_deadline(&SUBJECT).await;
}

#[tokio::test]
async fn a_resuming_cluster_is_a_503_with_retry_after() {
    notes_api::resuming_is_a_503(&SUBJECT).await;
}
