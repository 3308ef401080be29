//! Server overhead: a point SELECT through `data-api-local` (aws-sdk-rdsdata over HTTP)
//! vs the same SELECT straight through tokio-postgres, single client and 16 concurrent
//! clients. Prints throughput and the ratio. Run: `cargo bench -p data-api-local --bench overhead`.

use std::time::{Duration, Instant};

use aws_sdk_rdsdata::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_rdsdata::types::{Field, SqlParameter};
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};

const ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:bench";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-AbCdEf";
const ROWS: i64 = 1000;
const OPS: usize = 3000;

fn pg_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

async fn direct_client() -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(&pg_url(), tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("the benchmark needs PostgreSQL at {}: {e}", pg_url()));
    tokio::spawn(conn);
    client
}

/// Runs `ops` calls of `one` spread over `clients` concurrent tasks; returns elapsed time.
async fn drive<F, Fut>(clients: usize, ops: usize, one: F) -> Duration
where
    F: Fn(usize, i64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let one = one.clone();
            tokio::spawn(async move {
                for i in 0..ops / clients {
                    one(c, ((i * 7919 + c) as i64 % ROWS) + 1).await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    start.elapsed()
}

#[tokio::main]
async fn main() {
    let setup = direct_client().await;
    setup
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS bench_point; CREATE TABLE bench_point (id int PRIMARY KEY, v text);
             INSERT INTO bench_point SELECT g, md5(g::text) FROM generate_series(1, {ROWS}) g"
        ))
        .await
        .unwrap();
    let server = LocalServer::start(ServerConfig::ephemeral(vec![ClusterConfig::new(
        ARN,
        pg_url(),
    )
    .unwrap()]))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let sdk = aws_sdk_rdsdata::Client::from_conf(
        aws_sdk_rdsdata::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("a", "b", None, None, "bench"))
            .endpoint_url(server.endpoint_url())
            .build(),
    );

    println!("point SELECT, {OPS} calls per run (PostgreSQL on loopback)");
    println!(
        "{:<12} {:>16} {:>16} {:>8}",
        "clients", "direct ops/s", "data api ops/s", "ratio"
    );
    for clients in [1usize, 16] {
        let mut directs = Vec::new();
        for _ in 0..clients {
            directs.push(std::sync::Arc::new(direct_client().await));
        }
        // Warm both paths (connections, pools, statement caches).
        let warm = OPS / 10;
        let d = directs.clone();
        let direct = move |c: usize, id: i64| {
            let client = d[c].clone();
            async move {
                let rows = client
                    .query("SELECT v FROM bench_point WHERE id = $1", &[&(id as i32)])
                    .await
                    .unwrap();
                assert_eq!(rows.len(), 1);
            }
        };
        let s = sdk.clone();
        let via_api = move |_c: usize, id: i64| {
            let sdk = s.clone();
            async move {
                let out = sdk
                    .execute_statement()
                    .resource_arn(ARN)
                    .secret_arn(SECRET)
                    .sql("SELECT v FROM bench_point WHERE id = CAST(:id AS int)")
                    .parameters(
                        SqlParameter::builder()
                            .name("id")
                            .value(Field::LongValue(id))
                            .build(),
                    )
                    .send()
                    .await
                    .unwrap();
                assert_eq!(out.records.unwrap().len(), 1);
            }
        };
        drive(clients, warm, direct.clone()).await;
        drive(clients, warm, via_api.clone()).await;
        let t_direct = drive(clients, OPS, direct).await;
        let t_api = drive(clients, OPS, via_api).await;
        let ops_direct = OPS as f64 / t_direct.as_secs_f64();
        let ops_api = OPS as f64 / t_api.as_secs_f64();
        println!(
            "{clients:<12} {ops_direct:>16.0} {ops_api:>16.0} {:>8.3}",
            ops_api / ops_direct
        );
    }
    println!("ratio = Data API throughput / direct throughput (1.0 = no overhead)");
    setup.batch_execute("DROP TABLE bench_point").await.unwrap();
    server.shutdown().await;
}
