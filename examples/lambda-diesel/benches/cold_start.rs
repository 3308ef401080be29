//! Cold start of the function: process start → first response, through its own runtime,
//! against the local Runtime API and the local Data API server over this machine's
//! PostgreSQL (`cargo bench -p lambda-diesel --bench cold_start`). Also prints the binary's
//! size. The figure covers what a Lambda init does here (the AWS config, the pool, the
//! example's `CREATE TABLE IF NOT EXISTS`) plus the first GET; on AWS add the download of
//! the package and the network round trips.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use data_api_local::lambda_runtime_api::{Outcome, RuntimeApi};
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};

const ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:lambda-pg";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lambda-AbCdEf";
const RUNS: usize = 20;

#[tokio::main]
async fn main() {
    let base = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let server = LocalServer::start(ServerConfig::ephemeral(vec![ClusterConfig::new(
        ARN, &base,
    )
    .unwrap()]))
    .await
    .unwrap_or_else(|e| panic!("the bench needs PostgreSQL at {base}: {e}"));
    let binary = env!("CARGO_BIN_EXE_lambda-diesel");
    let event: serde_json::Value =
        serde_json::from_str(include_str!("../events/get-notes.json")).unwrap();
    let database_url = format!(
        "dataapi://test?cluster_arn={ARN}&secret_arn={SECRET}&endpoint={}",
        server.endpoint_url()
    );

    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for _ in 0..RUNS {
        let api = RuntimeApi::start().await.unwrap();
        let started = Instant::now();
        let mut child = Command::new(binary)
            .envs(api.function_env("lambda-diesel"))
            .env("DATABASE_URL", &database_url)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "local")
            .env("AWS_SECRET_ACCESS_KEY", "local")
            .stdout(Stdio::null())
            .spawn()
            .expect("the function starts");
        let first = api.invoke(event.clone(), Duration::from_secs(30)).await;
        cold.push(started.elapsed());
        let (second, took) = api
            .invoke_timed(event.clone(), Duration::from_secs(30))
            .await;
        warm.push(took.expect("the function took the event"));
        let _ = child.kill();
        let _ = child.wait();
        for outcome in [first, second] {
            assert!(
                matches!(&outcome, Outcome::Response(r) if r["statusCode"] == 200),
                "{outcome:?}"
            );
        }
    }
    let size = std::fs::metadata(binary).map(|m| m.len()).unwrap_or(0);
    println!("lambda-diesel, {RUNS} cold starts against the local servers");
    print_row("cold start (spawn → first response)", &mut cold);
    print_row("warm GET (event handed → response)", &mut warm);
    println!(
        "binary {binary}: {:.1} MiB (bench profile; `strip` or `cargo lambda build --release` make it smaller)",
        size as f64 / (1024.0 * 1024.0)
    );
}

fn print_row(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:40} min {:7.1} ms  median {:7.1} ms  max {:7.1} ms",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}
