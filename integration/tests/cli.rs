//! The `data-api-local` binary: help text, a clear failure when a database is down, the
//! ready line, and a config file.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_data-api-local");

#[test]
fn help_explains_itself() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--cluster",
        "ARN=URL",
        "--listen",
        "--config",
        "--verify-sigv4",
        "--secret",
        "--transaction-idle-timeout",
        "--fault-resuming-calls",
        "endpoint-url",
    ] {
        assert!(help.contains(needle), "help lacks {needle}:\n{help}");
    }
}

#[test]
fn database_down_is_a_clear_error() {
    let out = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--cluster",
            &format!("{PG_ARN}=postgres://postgres@127.0.0.1:1/test"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot connect to the PostgreSQL database of cluster")
            && err.contains(PG_ARN),
        "{err}"
    );
    assert!(err.contains("is the database running?"), "{err}");
}

#[test]
fn missing_cluster_is_a_usage_error() {
    let out = Command::new(BIN).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no cluster configured"));
}

/// Starts the binary, waits for its ready line and returns the child and endpoint.
fn spawn(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("data-api-local ready at http://127.0.0.1:"),
        "ready line: {line:?}"
    );
    let endpoint = line.split_whitespace().nth(3).unwrap().to_string();
    (child, endpoint)
}

async fn query_through(endpoint: &str, arn: &str) {
    let conf = aws_sdk_rdsdata::Config::builder()
        .behavior_version(aws_sdk_rdsdata::config::BehaviorVersion::latest())
        .region(aws_sdk_rdsdata::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_rdsdata::config::Credentials::new(
            "a", "b", None, None, "t",
        ))
        .endpoint_url(endpoint)
        .build();
    let client = aws_sdk_rdsdata::Client::from_conf(conf);
    let out = client
        .execute_statement()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .sql("SELECT 41 + 1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.records.unwrap()[0][0],
        aws_sdk_rdsdata::types::Field::LongValue(42)
    );
}

#[tokio::test]
async fn serves_from_flags() {
    let (mut child, endpoint) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--cluster",
        &format!("{PG_ARN}={}", pg_url()),
        "--cluster",
        &format!("{MY_ARN}={}", mysql_url()),
    ]);
    query_through(&endpoint, PG_ARN).await;
    query_through(&endpoint, MY_ARN).await;
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn serves_from_a_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("local.toml");
    std::fs::write(
        &path,
        format!(
            "listen = \"127.0.0.1:0\"\n\n[[cluster]]\narn = \"{PG_ARN}\"\nurl = \"{}\"\n\n[cluster.secrets]\n\"{SECRET_ARN}\" = {{ username = \"postgres\" }}\n\n[limits]\ntransaction_idle_timeout = 30\n",
            pg_url()
        ),
    )
    .unwrap();
    let (mut child, endpoint) = spawn(&["--config", path.to_str().unwrap()]);
    query_through(&endpoint, PG_ARN).await;
    child.kill().unwrap();
    child.wait().unwrap();
}
