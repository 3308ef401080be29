//! The Diesel function's binary, invoked through its own `lambda_http` runtime against a
//! local Lambda Runtime API and the local Data API server (see `notes_api`).

mod notes_api;

use std::time::Duration;

use data_api_local::lambda_runtime_api::Outcome;
use notes_api::{unique, Subject};

const SUBJECT: Subject = Subject {
    binary: env!("CARGO_BIN_EXE_lambda-diesel"),
    name: "lambda-diesel",
    db: "lambda_diesel",
    arn: "arn:aws:rds:us-east-1:123456789012:cluster:lambda-pg",
    table: "lambda_notes",
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

#[tokio::test]
async fn a_function_without_its_cluster_fails_with_a_readable_error_type() {
    // No cluster ARN anywhere: no connection can be made.
    let function = SUBJECT.start("dataapi://lambda_diesel").await;
    let outcome = function
        .invoke(SUBJECT.get_event(), Duration::from_secs(30))
        .await;
    let Outcome::Error {
        error_type,
        error_message,
    } = outcome
    else {
        panic!("expected an invocation error, got {outcome:?}");
    };
    assert_eq!(error_type, "DatabaseConnectionError");
    assert!(
        error_message.contains("AURORA_CLUSTER_ARN"),
        "{error_message}"
    );
}

#[tokio::test]
async fn a_deadline_already_past_at_the_start_is_not_taken_for_a_real_one() {
    let server = SUBJECT.server().await;
    let function = SUBJECT.warm(&SUBJECT.url(&server, "")).await;
    // What `cargo lambda watch` sends: `lambda-runtime-deadline-ms: 600000`.
    let fixed = std::time::UNIX_EPOCH + Duration::from_millis(600_000);
    let event = SUBJECT.post_event(&unique("emulated"), "saved", 0);
    let (outcome, _) = function
        .api
        .invoke_with_deadline(event, fixed, Duration::from_secs(30))
        .await;
    let Outcome::Response(response) = outcome else {
        panic!("expected an HTTP response, got {outcome:?}");
    };
    assert_eq!(response["statusCode"], 201, "{response}");
}
