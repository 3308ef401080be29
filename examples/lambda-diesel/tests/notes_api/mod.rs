//! The notes API both example functions serve (lambda-diesel, lambda-sea-orm), checked the
//! same way for each: the function's binary, invoked through its own `lambda_http` runtime
//! (a local Lambda Runtime API hands it the checked-in API Gateway events), against the
//! local Data API server over this machine's PostgreSQL. No AWS.
#![allow(dead_code)]

use std::time::Duration;

use data_api_local::lambda_runtime_api::{LocalFunction, Outcome};
use data_api_local::{CallCounts, ClusterConfig, FaultConfig, LocalServer, ServerConfig};
use serde_json::{json, Value};

const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lambda-AbCdEf";

/// The function under test.
pub struct Subject {
    /// `env!("CARGO_BIN_EXE_<name>")`.
    pub binary: &'static str,
    pub name: &'static str,
    /// The PostgreSQL database of this test binary.
    pub db: &'static str,
    /// The cluster ARN the local server serves it as.
    pub arn: &'static str,
    /// The function's notes table.
    pub table: &'static str,
    /// The checked-in events.
    pub get: &'static str,
    pub post: &'static str,
}

fn pg_url(db: &str) -> String {
    let base = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let (head, _) = base.rsplit_once('/').expect("database URL has a path");
    format!("{head}/{db}")
}

pub async fn postgres(db: &str) -> tokio_postgres::Client {
    let url = pg_url(db);
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!("these tests need PostgreSQL at {url} (override with TEST_POSTGRES_URL): {e}")
        });
    tokio::spawn(conn);
    client
}

impl Subject {
    /// The local Data API server over this function's database.
    pub async fn server(&self) -> LocalServer {
        let admin = postgres("test").await;
        let exists = admin
            .query("SELECT 1 FROM pg_database WHERE datname = $1", &[&self.db])
            .await
            .unwrap();
        if exists.is_empty() {
            // Another test may create it at the same moment.
            let _ = admin
                .batch_execute(&format!("CREATE DATABASE {}", self.db))
                .await;
        }
        let cluster = ClusterConfig::new(self.arn, pg_url(self.db)).unwrap();
        LocalServer::start(ServerConfig::ephemeral(vec![cluster]))
            .await
            .expect("the local Data API server starts")
    }

    /// The `DATABASE_URL` of the function against `server`, with `extra` URL parameters.
    pub fn url(&self, server: &LocalServer, extra: &str) -> String {
        format!(
            "dataapi://{}?cluster_arn={}&secret_arn={SECRET}&endpoint={}{extra}",
            self.db,
            self.arn,
            server.endpoint_url()
        )
    }

    /// The function's binary with `database_url`, as Lambda starts a cold environment.
    pub async fn start(&self, database_url: &str) -> LocalFunction {
        LocalFunction::start(self.binary, self.name, &[("DATABASE_URL", database_url)])
            .await
            .expect("the function binary starts")
    }

    /// [`start`](Self::start), then waits for the cold start to finish (the init makes its
    /// table): one GET answered.
    pub async fn warm(&self, database_url: &str) -> LocalFunction {
        let function = self.start(database_url).await;
        let (status, _, body) = function.request(self.get_event()).await;
        assert_eq!(status, 200, "{body}");
        function
    }

    pub fn get_event(&self) -> Value {
        serde_json::from_str(self.get).unwrap()
    }

    /// The checked-in POST event with this note (`delay_ms`: slow work in the transaction).
    pub fn post_event(&self, title: &str, body: &str, delay_ms: u64) -> Value {
        let mut event: Value = serde_json::from_str(self.post).unwrap();
        event["body"] = json!({"title": title, "body": body, "delay_ms": delay_ms})
            .to_string()
            .into();
        event
    }
}

pub fn unique(prefix: &str) -> String {
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

/// The checked-in events: POST and GET make only the calls their queries need; a duplicate
/// title is 409, a body the table refuses or malformed JSON is 400.
pub async fn events_make_only_their_calls(s: &Subject) {
    let server = s.server().await;
    let function = s.warm(&s.url(&server, "")).await;

    // The checked-in POST event as it is, then the same title again.
    let mut first: Value = serde_json::from_str(s.post).unwrap();
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

    let ((status, _, listed), calls) = calls_of(&server, function.request(s.get_event())).await;
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
    let constraint = &body["constraint"];
    assert!(
        constraint.is_null() || *constraint == format!("{}_title_key", s.table),
        "{body}"
    );

    let long = s.post_event(&unique("long"), &"x".repeat(1001), 0);
    let (status, _, body) = function.request(long).await;
    assert_eq!(status, 400, "a check violation is bad input: {body}");

    let mut bad: Value = serde_json::from_str(s.post).unwrap();
    bad["body"] = "not json".into();
    let (status, _, _) = function.request(bad).await;
    assert_eq!(status, 400);
    assert_eq!(server.open_transactions(), 0);
}

/// A POST whose transaction runs past its deadline answers 503 before it, with the
/// transaction rolled back: nothing open on the server, nothing saved, the row free.
pub async fn overrun_rolls_back_before_the_deadline(s: &Subject) {
    let server = s.server().await;
    let function = s.start(&s.url(&server, "")).await;
    let title = unique("late");
    // Slow work inside the transaction, longer than the invocation may take.
    let outcome = function
        .invoke(
            s.post_event(&title, "never saved", 20_000),
            Duration::from_secs(2),
        )
        .await;
    let Outcome::Response(response) = outcome else {
        panic!("the function answers before its deadline, got {outcome:?}");
    };
    assert_eq!(response["statusCode"], 503, "{response}");
    assert_eq!(response["headers"]["retry-after"], "1");
    // The rollback happened before the answer: nothing left for the Data API to expire.
    assert_eq!(server.open_transactions(), 0);
    let db = postgres(s.db).await;
    let sql = format!("SELECT 1 FROM {} WHERE title = $1", s.table);
    let rows = db.query(&sql, &[&title]).await.unwrap();
    assert!(rows.is_empty(), "the late insert was rolled back");
    // Nothing waits on its row lock: the same title inserts at once.
    let (status, _, body) = function.request(s.post_event(&title, "saved", 0)).await;
    assert_eq!(status, 201, "{body}");
}

/// A cluster still resuming after the client's budget is a 503 with `Retry-After`.
pub async fn resuming_is_a_503(s: &Subject) {
    let server = s.server().await;
    // No resume budget: the first DatabaseResumingException reaches the handler.
    let function = s.warm(&s.url(&server, "&resume_timeout=0")).await;
    server.set_faults(FaultConfig {
        resuming_calls: 1,
        ..Default::default()
    });
    let (status, headers, body) = function.request(s.get_event()).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["retry-after"], "5");
    let (status, _, _) = function.request(s.get_event()).await;
    assert_eq!(status, 200, "served once the cluster is up");
}
