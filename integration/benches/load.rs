//! A bounded load test of the local Data API server on loopback: 64 concurrent clients run a
//! fixed number of mixed operations (point reads, inserts, small transactions) through
//! aws-sdk-rdsdata, then the run reports throughput, p50 / p99 latency and the errors seen
//! (none are expected). Run: `cargo bench -p data-api-local --bench load`.

use std::time::{Duration, Instant};

use aws_sdk_rdsdata::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_rdsdata::types::{Field, SqlParameter};
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};

const ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:load";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:load-AbCdEf";
const CLIENTS: usize = 64;
const OPS_PER_CLIENT: usize = 150;

fn param(name: &str, v: i64) -> SqlParameter {
    SqlParameter::builder()
        .name(name)
        .value(Field::LongValue(v))
        .build()
}

#[tokio::main]
async fn main() {
    let pg = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let server = LocalServer::start(ServerConfig::ephemeral(vec![
        ClusterConfig::new(ARN, pg).unwrap()
    ]))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let client = aws_sdk_rdsdata::Client::from_conf(
        aws_sdk_rdsdata::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("a", "b", None, None, "load"))
            .endpoint_url(server.endpoint_url())
            .retry_config(aws_sdk_rdsdata::config::retry::RetryConfig::disabled())
            .build(),
    );
    let exec = |sql: &'static str| {
        client
            .execute_statement()
            .resource_arn(ARN)
            .secret_arn(SECRET)
            .sql(sql)
    };
    exec("DROP TABLE IF EXISTS load_items")
        .send()
        .await
        .unwrap();
    exec(
        "CREATE TABLE load_items (id bigserial PRIMARY KEY, client int8 NOT NULL, n int8 NOT NULL)",
    )
    .send()
    .await
    .unwrap();

    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(OPS_PER_CLIENT);
                let mut errors = Vec::new();
                for i in 0..OPS_PER_CLIENT {
                    let t = Instant::now();
                    let result: Result<(), String> = match i % 4 {
                        0 | 1 => client
                            .execute_statement()
                            .resource_arn(ARN)
                            .secret_arn(SECRET)
                            .sql("SELECT count(*) FROM load_items WHERE client = :c")
                            .parameters(param("c", c as i64))
                            .send()
                            .await
                            .map(|_| ())
                            .map_err(|e| format!("{e:?}")),
                        2 => client
                            .execute_statement()
                            .resource_arn(ARN)
                            .secret_arn(SECRET)
                            .sql("INSERT INTO load_items (client, n) VALUES (:c, :n)")
                            .parameters(param("c", c as i64))
                            .parameters(param("n", i as i64))
                            .send()
                            .await
                            .map(|_| ())
                            .map_err(|e| format!("{e:?}")),
                        _ => {
                            async {
                                let tx = client
                                    .begin_transaction()
                                    .resource_arn(ARN)
                                    .secret_arn(SECRET)
                                    .send()
                                    .await
                                    .map_err(|e| format!("{e:?}"))?;
                                let id = tx.transaction_id.unwrap_or_default();
                                client
                                    .execute_statement()
                                    .resource_arn(ARN)
                                    .secret_arn(SECRET)
                                    .transaction_id(&id)
                                    .sql("INSERT INTO load_items (client, n) VALUES (:c, :n)")
                                    .parameters(param("c", c as i64))
                                    .parameters(param("n", -(i as i64)))
                                    .send()
                                    .await
                                    .map_err(|e| format!("{e:?}"))?;
                                client
                                    .commit_transaction()
                                    .resource_arn(ARN)
                                    .secret_arn(SECRET)
                                    .transaction_id(&id)
                                    .send()
                                    .await
                                    .map_err(|e| format!("{e:?}"))?;
                                Ok(())
                            }
                            .await
                        }
                    };
                    latencies.push(t.elapsed());
                    if let Err(e) = result {
                        errors.push(e);
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for t in tasks {
        let (l, e) = t.await.unwrap();
        latencies.extend(l);
        errors.extend(e);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let ops = latencies.len();
    let rows = exec("SELECT count(*) FROM load_items")
        .send()
        .await
        .unwrap();
    println!("load test: {CLIENTS} clients x {OPS_PER_CLIENT} ops = {ops} operations in {:.2} s (loopback, PostgreSQL)", elapsed.as_secs_f64());
    println!(
        "throughput {:.0} ops/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ops as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        latencies[ops - 1].as_secs_f64() * 1e3
    );
    println!(
        "errors: {} {:?}; rows inserted {:?}",
        errors.len(),
        errors.iter().take(3).collect::<Vec<_>>(),
        rows.records.unwrap()[0][0]
    );
    exec("DROP TABLE load_items").send().await.unwrap();
    server.shutdown().await;
    assert!(errors.is_empty(), "no errors expected under load");
}
