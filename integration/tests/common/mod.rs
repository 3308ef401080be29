//! Shared setup for the conformance tests: a local server over the real PostgreSQL and
//! MariaDB of this machine, driven through the official `aws-sdk-rdsdata` client over HTTP.
#![allow(dead_code)]

use aws_sdk_rdsdata::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_rdsdata::types::{Field, SqlParameter, TypeHint};
use aws_sdk_rdsdata::Client;
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};

pub const PG_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:local-postgres";
pub const MY_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:local-mariadb";
pub const SECRET_ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:local-AbCdEf";

pub fn pg_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub fn mysql_url() -> String {
    std::env::var("TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

/// Server config with both clusters. Panics with a clear message when a database is missing.
pub fn config() -> ServerConfig {
    ServerConfig::ephemeral(vec![
        ClusterConfig::new(PG_ARN, pg_url()).unwrap(),
        ClusterConfig::new(MY_ARN, mysql_url()).unwrap(),
    ])
}

/// Starts a server; a database that is down fails the test with the server's explanation.
pub async fn start(config: ServerConfig) -> LocalServer {
    match LocalServer::start(config).await {
        Ok(server) => server,
        Err(e) => panic!(
            "these tests need PostgreSQL at {} and MariaDB/MySQL at {} (override with TEST_POSTGRES_URL / TEST_MYSQL_URL): {e}",
            pg_url(),
            mysql_url()
        ),
    }
}

/// An SDK client for `server`, without SDK retries so every error is seen as sent.
pub fn client(server: &LocalServer) -> Client {
    client_with(server, "AKIDLOCAL", "local-secret")
}

pub fn client_with(server: &LocalServer, access_key: &str, secret: &str) -> Client {
    let conf = aws_sdk_rdsdata::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(access_key, secret, None, None, "test"))
        .endpoint_url(server.endpoint_url())
        .retry_config(aws_sdk_rdsdata::config::retry::RetryConfig::disabled())
        .build();
    Client::from_conf(conf)
}

/// A server with both clusters and a client for it.
pub async fn setup() -> (LocalServer, Client) {
    let server = start(config()).await;
    let client = client(&server);
    (server, client)
}

/// Runs `sql` on `arn` and returns the response, panicking on error.
pub async fn exec(
    client: &Client,
    arn: &str,
    sql: &str,
) -> aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput {
    client
        .execute_statement()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .sql(sql)
        .include_result_metadata(true)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{sql}: {}", describe(&e)))
}

/// Runs `sql` on `arn`, expecting the call to fail; returns the error.
pub async fn exec_err(
    client: &Client,
    arn: &str,
    sql: &str,
) -> aws_sdk_rdsdata::error::SdkError<
    aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementError,
    aws_sdk_rdsdata::config::http::HttpResponse,
> {
    match client
        .execute_statement()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .sql(sql)
        .send()
        .await
    {
        Ok(out) => panic!("{sql}: expected an error, got {out:?}"),
        Err(e) => e,
    }
}

/// The single value of a one-row, one-column SELECT.
pub async fn scalar(client: &Client, arn: &str, sql: &str) -> Field {
    let out = exec(client, arn, sql).await;
    let records = out.records.expect("records");
    assert_eq!(records.len(), 1, "{sql}: one row");
    assert_eq!(records[0].len(), 1, "{sql}: one column");
    records[0][0].clone()
}

/// `(code, message)` of an SDK error.
pub fn code_and_message<E, R>(e: &aws_sdk_rdsdata::error::SdkError<E, R>) -> (String, String)
where
    E: aws_sdk_rdsdata::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match e.as_service_error() {
        Some(se) => (
            se.code().unwrap_or("").to_string(),
            se.message().unwrap_or("").to_string(),
        ),
        None => ("<not a service error>".into(), format!("{e:?}")),
    }
}

pub fn describe<E, R>(e: &aws_sdk_rdsdata::error::SdkError<E, R>) -> String
where
    E: aws_sdk_rdsdata::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let (c, m) = code_and_message(e);
    format!("{c}: {m}")
}

pub fn param(name: &str, value: Field) -> SqlParameter {
    SqlParameter::builder().name(name).value(value).build()
}

pub fn hinted(name: &str, value: &str, hint: TypeHint) -> SqlParameter {
    SqlParameter::builder()
        .name(name)
        .value(Field::StringValue(value.into()))
        .type_hint(hint)
        .build()
}

/// A table name unique to this test run, so tests can run in parallel.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A raw HTTP/1.1 POST (for malformed bodies the SDK would never send).
/// Returns status, lower-cased headers and body.
pub async fn raw_post(
    server: &LocalServer,
    path: &str,
    body: &[u8],
) -> (u16, Vec<(String, String)>, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.addr(),
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // A server may answer (and close) before reading an oversized body.
    let _ = stream.write_all(body).await;
    let mut buf = Vec::new();
    let _ = stream.read_to_end(&mut buf).await;
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap_or("")
        .split(' ')
        .nth(1)
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

/// Runs `sql` inside transaction `id` on `arn`.
pub async fn in_tx(
    client: &Client,
    arn: &str,
    id: &str,
    sql: impl Into<String>,
) -> Result<
    aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput,
    aws_sdk_rdsdata::error::SdkError<
        aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementError,
    >,
> {
    client
        .execute_statement()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .transaction_id(id)
        .sql(sql)
        .send()
        .await
}
