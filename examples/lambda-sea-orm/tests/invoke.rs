//! The SeaORM function's binary, invoked through its own `lambda_http` runtime: a local Lambda
//! Runtime API hands it the checked-in API Gateway events, and it talks to the local Data
//! API server over this machine's PostgreSQL. No AWS.

use std::time::Duration;

use data_api_local::lambda_runtime_api::{LocalFunction, Outcome};
use data_api_local::{CallCounts, ClusterConfig, FaultConfig, LocalServer, ServerConfig};
use serde_json::{json, Value};

const ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:lambda-sea-pg";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lambda-AbCdEf";
const DB: &str = "lambda_sea_orm";
const GET: &str = include_str!("../events/get-notes.json");
const POST: &str = include_str!("../events/post-note.json");

fn pg_base() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn pg_url(db: &str) -> String {
    let base = pg_base();
    let (head, _) = base.rsplit_once('/').expect("database URL has a path");
    format!("{head}/{db}")
}

async fn postgres(db: &str) -> tokio_postgres::Client {
    let url = pg_url(db);
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!("these tests need PostgreSQL at {url} (override with TEST_POSTGRES_URL): {e}")
        });
    tokio::spawn(conn);
    client
}

/// The local Data API server over a database of this test binary's own.
async fn server() -> LocalServer {
    let admin = postgres("test").await;
    let exists = admin
        .query("SELECT 1 FROM pg_database WHERE datname = $1", &[&DB])
        .await
        .unwrap();
    if exists.is_empty() {
        // Another test may create it at the same moment.
        let _ = admin.batch_execute(&format!("CREATE DATABASE {DB}")).await;
    }
    LocalServer::start(ServerConfig::ephemeral(vec![ClusterConfig::new(
        ARN,
        pg_url(DB),
    )
    .unwrap()]))
    .await
    .expect("the local Data API server starts")
}

/// The function's binary with `database_url`, as Lambda starts a cold environment.
async fn function(database_url: &str) -> LocalFunction {
    LocalFunction::start(
        env!("CARGO_BIN_EXE_lambda-sea-orm"),
        "lambda-sea-orm",
        &[("DATABASE_URL", database_url)],
    )
    .await
    .expect("the function binary starts")
}

/// Waits for the cold start to finish (the init makes its table): one GET answered.
async fn warmed_up(function: LocalFunction) -> LocalFunction {
    let (status, _, body) = function.request(serde_json::from_str(GET).unwrap()).await;
    assert_eq!(status, 200, "{body}");
    function
}

fn url(server: &LocalServer, extra: &str) -> String {
    format!(
        "dataapi://{DB}?cluster_arn={ARN}&secret_arn={SECRET}&endpoint={}{extra}",
        server.endpoint_url()
    )
}

fn post(title: &str, body: &str, delay_ms: u64) -> Value {
    let mut event: Value = serde_json::from_str(POST).unwrap();
    event["body"] = json!({"title": title, "body": body, "delay_ms": delay_ms})
        .to_string()
        .into();
    event
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{nanos}")
}

/// The calls `work` made to the Data API.
async fn calls_of<F: std::future::Future<Output = T>, T>(
    server: &LocalServer,
    work: F,
) -> (T, CallCounts) {
    let before = server.call_counts();
    let out = work.await;
    (out, server.call_counts().since(&before))
}

#[tokio::test]
async fn checked_in_events_get_and_post_with_only_the_calls_their_queries_need() {
    let server = server().await;
    let function = warmed_up(function(&url(&server, "")).await).await;

    // The checked-in POST event as it is, then the same title again.
    let mut first = serde_json::from_str::<Value>(POST).unwrap();
    let title = unique("event");
    first["body"] = json!({"title": title, "body": "from the checked-in event"})
        .to_string()
        .into();
    let ((status, headers, body), calls) = calls_of(&server, function.request(first.clone())).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(body["note"]["title"], title.as_str());
    // BEGIN, INSERT … RETURNING, COUNT, COMMIT: no health check.
    assert_eq!(
        calls,
        CallCounts {
            begin_transaction: 1,
            execute_statement: 2,
            commit_transaction: 1,
            ..Default::default()
        }
    );

    let ((status, _, listed), calls) = calls_of(
        &server,
        function.request(serde_json::from_str(GET).unwrap()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(listed["notes"][0]["title"], title.as_str());
    assert_eq!(
        calls,
        CallCounts {
            execute_statement: 1,
            ..Default::default()
        },
        "a GET makes exactly its one SELECT"
    );

    let (status, _, body) = function.request(first).await;
    assert_eq!(status, 409, "a unique violation is a conflict: {body}");

    let (status, _, body) = function
        .request(post(&unique("long"), &"x".repeat(1001), 0))
        .await;
    assert_eq!(status, 400, "a check violation is bad input: {body}");

    let mut bad = serde_json::from_str::<Value>(POST).unwrap();
    bad["body"] = "not json".into();
    let (status, _, _) = function.request(bad).await;
    assert_eq!(status, 400);
    assert_eq!(server.open_transactions(), 0);
}

#[tokio::test]
async fn a_handler_that_overruns_its_deadline_rolls_back_before_it() {
    let server = server().await;
    let function = function(&url(&server, "")).await;
    let title = unique("late");
    // Slow work inside the transaction, longer than the invocation may take.
    let outcome = function
        .invoke(post(&title, "never saved", 20_000), Duration::from_secs(2))
        .await;
    let Outcome::Response(response) = outcome else {
        panic!("the function answers before its deadline, got {outcome:?}");
    };
    assert_eq!(response["statusCode"], 503, "{response}");
    assert_eq!(response["headers"]["retry-after"], "1");
    // The rollback happened before the answer: nothing left for the Data API to expire.
    assert_eq!(server.open_transactions(), 0);
    let db = postgres(DB).await;
    let rows = db
        .query("SELECT 1 FROM lambda_sea_notes WHERE title = $1", &[&title])
        .await
        .unwrap();
    assert!(rows.is_empty(), "the late insert was rolled back");
    // Nothing waits on its row lock: the same title inserts at once.
    let (status, _, body) = function.request(post(&title, "saved", 0)).await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn a_resuming_cluster_is_a_503_with_retry_after() {
    let server = server().await;
    // No resume budget: the first DatabaseResumingException reaches the handler.
    let function = warmed_up(function(&url(&server, "&resume_timeout=0")).await).await;
    server.set_faults(FaultConfig {
        resuming_calls: 1,
        ..Default::default()
    });
    let (status, headers, body) = function.request(serde_json::from_str(GET).unwrap()).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["retry-after"], "5");
    let (status, _, _) = function.request(serde_json::from_str(GET).unwrap()).await;
    assert_eq!(status, 200, "served once the cluster is up");
}
