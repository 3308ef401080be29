//! Adapter cost on PostgreSQL, as ratios on one run (local Data API server on loopback):
//!
//! - point SELECT and a 1,000-row load through `AsyncDataApiPgConnection` vs hand-written
//!   `aws-sdk-rdsdata` calls doing the same query and mapping into the same structs
//!   (goal ≥ 0.95: the adapter adds next to nothing to the HTTP call);
//! - decoding a ~1 MiB result into Diesel structs (codec + `Queryable`), per MiB;
//! - decoding the 1,000-row result, adapter vs hand-written mapping: the part of the load
//!   ratio that is the adapter's own work;
//! - client CPU per operation, adapter ÷ hand-written, for the point SELECT and the 1,000-row
//!   load: the client runs alone on one thread (a current-thread runtime; the server keeps
//!   its own threads) and that thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`) is read around
//!   batches of calls, so other load on the machine does not count. Goals: ≤ 1.2 (point),
//!   ≤ 1.3 (load).
//!
//! Run: `cargo bench --bench pg_adapter`.

use std::time::{Duration, Instant};

use aurora_data_api::pg::AsyncDataApiPgConnection;
use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use aws_sdk_rdsdata::types::{Field, SqlParameter};
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};

const ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:bench";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-AbCdEf";

diesel::table! {
    bench_items (id) {
        id -> Int4,
        name -> Text,
        qty -> Int8,
        note -> Text,
    }
}

#[derive(Debug, Queryable, Selectable, PartialEq)]
#[diesel(table_name = bench_items, check_for_backend(diesel::pg::Pg))]
struct Item {
    id: i32,
    name: String,
    qty: i64,
    note: String,
}

fn item_from_record(record: &[Field]) -> Item {
    let long = |f: &Field| match f {
        Field::LongValue(v) => *v,
        other => panic!("{other:?}"),
    };
    let text = |f: &Field| match f {
        Field::StringValue(v) => v.clone(),
        other => panic!("{other:?}"),
    };
    Item {
        id: long(&record[0]) as i32,
        name: text(&record[1]),
        qty: long(&record[2]),
        note: text(&record[3]),
    }
}

/// The hand-written point SELECT: the SDK call and the mapping a user would write.
async fn hand_point(sdk: &aws_sdk_rdsdata::Client, i: usize) {
    let id = (i % 1000) as i64 + 1;
    let out = sdk
        .execute_statement()
        .resource_arn(ARN)
        .secret_arn(SECRET)
        .database("test")
        .sql("SELECT id, name, qty, note FROM bench_items WHERE id = CAST(:id AS int4) LIMIT 1")
        .parameters(
            SqlParameter::builder()
                .name("id")
                .value(Field::LongValue(id))
                .build(),
        )
        .include_result_metadata(true)
        .send()
        .await
        .unwrap();
    let item = item_from_record(&out.records.unwrap()[0]);
    assert_eq!(item.id as i64, id);
}

/// The hand-written 1,000-row load: the SDK call…
async fn hand_load_output(sdk: &aws_sdk_rdsdata::Client) -> ExecuteStatementOutput {
    sdk.execute_statement()
        .resource_arn(ARN)
        .secret_arn(SECRET)
        .database("test")
        .sql("SELECT id, name, qty, note FROM bench_items ORDER BY id")
        .include_result_metadata(true)
        .send()
        .await
        .unwrap()
}

/// …and the mapping a user would write.
fn items_from_output(out: ExecuteStatementOutput) -> Vec<Item> {
    out.records
        .unwrap()
        .iter()
        .map(|r| item_from_record(r))
        .collect()
}

async fn hand_load_all(sdk: &aws_sdk_rdsdata::Client) {
    let items = items_from_output(hand_load_output(sdk).await);
    assert_eq!(items.len(), 1000);
}

/// The adapter's decoding of an output into `Item`s (what `load` does after the call).
fn decode_items(out: ExecuteStatementOutput) -> Vec<Item> {
    aurora_data_api::pg::decode_output_for_bench::<
        Item,
        (
            diesel::sql_types::Integer,
            diesel::sql_types::Text,
            diesel::sql_types::BigInt,
            diesel::sql_types::Text,
        ),
    >(out)
    .unwrap()
}

async fn point(conn: &mut AsyncDataApiPgConnection, i: usize) {
    let id = (i % 1000) as i32 + 1;
    let item: Item = bench_items::table
        .find(id)
        .select(Item::as_select())
        .first(conn)
        .await
        .unwrap();
    assert_eq!(item.id, id);
}

async fn load_all(conn: &mut AsyncDataApiPgConnection) {
    let items: Vec<Item> = bench_items::table
        .select(Item::as_select())
        .order(bench_items::id)
        .load(conn)
        .await
        .unwrap();
    assert_eq!(items.len(), 1000);
}

/// Wall-clock time since the first call (a clock like [`thread_cpu`]).
fn wall() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// What `clock` advanced by while `work` ran.
async fn measure(clock: fn() -> Duration, work: impl std::future::Future<Output = ()>) -> Duration {
    let t = clock();
    work.await;
    clock() - t
}

/// Measures one adapter batch and one hand-written batch with `clock`, in the order given,
/// as `(adapter, hand)`.
async fn measure_pair(
    clock: fn() -> Duration,
    adapter_first: bool,
    adapter: impl std::future::Future<Output = ()>,
    hand: impl std::future::Future<Output = ()>,
) -> (Duration, Duration) {
    if adapter_first {
        let a = measure(clock, adapter).await;
        (a, measure(clock, hand).await)
    } else {
        let h = measure(clock, hand).await;
        (measure(clock, adapter).await, h)
    }
}

/// `min–max (median m)` of per-round ratios.
fn spread(ratios: &[f64]) -> String {
    let mut sorted = ratios.to_vec();
    sorted.sort_by(f64::total_cmp);
    format!(
        "{:.3}–{:.3} (median {:.3})",
        sorted[0],
        sorted[sorted.len() - 1],
        sorted[sorted.len() / 2]
    )
}

/// CPU time this thread has used.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-pointer; the clock id is a constant the kernel knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The hand-written side's client, made as a user's own would be: the SDK's defaults (its
/// own sleep and retry), the local endpoint, static credentials. (Not the adapter's client,
/// whose timers and retry policy are the adapter's and belong on its side of the ratio.)
async fn plain_sdk(endpoint: &str) -> aws_sdk_rdsdata::Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "local", "local", None, None, "bench",
        ))
        .endpoint_url(endpoint)
        .load()
        .await;
    aws_sdk_rdsdata::Client::new(&config)
}

/// Client CPU per operation, `(adapter, hand-written)` for the point SELECT and the load,
/// measured on a thread of its own with a current-thread runtime (the server runs on other
/// threads). Batches alternate between the sides; the result is the median of per-batch
/// ratios and the per-operation means.
fn client_cpu(url: String, endpoint: String) -> [(Duration, Duration, f64); 2] {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let mut conn = AsyncDataApiPgConnection::establish(&url).await.unwrap();
            let sdk = plain_sdk(&endpoint).await;
            for i in 0..200 {
                point(&mut conn, i).await;
                hand_point(&sdk, i).await;
            }
            let (batches, per_batch, loads_per_batch) = (10, 200, 10);
            let mut results = [
                (Duration::ZERO, Duration::ZERO, Vec::new()),
                (Duration::ZERO, Duration::ZERO, Vec::new()),
            ];
            for b in 0..batches {
                let adapter_first = b % 2 == 0;
                let points = async {
                    for i in 0..per_batch {
                        point(&mut conn, i).await;
                    }
                };
                let hand_points = async {
                    for i in 0..per_batch {
                        hand_point(&sdk, i).await;
                    }
                };
                let (a, h) = measure_pair(thread_cpu, adapter_first, points, hand_points).await;
                results[0].0 += a / per_batch as u32;
                results[0].1 += h / per_batch as u32;
                results[0].2.push(a.as_secs_f64() / h.as_secs_f64());
                let loads = async {
                    for _ in 0..loads_per_batch {
                        load_all(&mut conn).await;
                    }
                };
                let hand_loads = async {
                    for _ in 0..loads_per_batch {
                        hand_load_all(&sdk).await;
                    }
                };
                let (a, h) = measure_pair(thread_cpu, adapter_first, loads, hand_loads).await;
                results[1].0 += a / loads_per_batch;
                results[1].1 += h / loads_per_batch;
                results[1].2.push(a.as_secs_f64() / h.as_secs_f64());
            }
            results.map(|(a, h, mut ratios)| {
                ratios.sort_by(f64::total_cmp);
                (a / batches, h / batches, ratios[ratios.len() / 2])
            })
        })
    })
    .join()
    .unwrap()
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
    let url = format!(
        "dataapi://test?cluster_arn={ARN}&secret_arn={SECRET}&region=us-east-1&endpoint={}",
        server.endpoint_url()
    );
    let mut conn = AsyncDataApiPgConnection::establish(&url).await.unwrap();
    conn.batch_execute(
        "DROP TABLE IF EXISTS bench_items;
         CREATE TABLE bench_items (id int PRIMARY KEY, name text NOT NULL, qty int8 NOT NULL, note text NOT NULL);
         INSERT INTO bench_items SELECT g, 'item ' || g, g * 10, repeat('n', 100) FROM generate_series(1, 1000) g",
    )
    .await
    .unwrap();
    let sdk = plain_sdk(&server.endpoint_url()).await;

    // The two sides alternate call by call (which goes first alternates too), so drift of the
    // machine or the database (caches, other load, the in-process server's scheduling) hits
    // both alike. Five rounds show the spread.
    let n = 3000;
    let loads = 150;
    let rounds = 5;
    for i in 0..n / 10 {
        point(&mut conn, i).await; // warm-up
        hand_point(&sdk, i).await;
    }
    load_all(&mut conn).await;
    hand_load_all(&sdk).await;
    let (mut adapter, mut hand, mut adapter_load, mut hand_load) = (
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    let (mut point_rounds, mut load_rounds) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let (mut a, mut h) = (Duration::ZERO, Duration::ZERO);
        for i in round * n / rounds..(round + 1) * n / rounds {
            let (da, dh) =
                measure_pair(wall, i % 2 == 0, point(&mut conn, i), hand_point(&sdk, i)).await;
            (a, h) = (a + da, h + dh);
        }
        point_rounds.push(h.as_secs_f64() / a.as_secs_f64());
        (adapter, hand) = (adapter + a, hand + h);
        let (mut a, mut h) = (Duration::ZERO, Duration::ZERO);
        for i in 0..loads / rounds {
            let (da, dh) =
                measure_pair(wall, i % 2 == 0, load_all(&mut conn), hand_load_all(&sdk)).await;
            (a, h) = (a + da, h + dh);
        }
        load_rounds.push(h.as_secs_f64() / a.as_secs_f64());
        (adapter_load, hand_load) = (adapter_load + a, hand_load + h);
    }
    let point_ratio = hand.as_secs_f64() / adapter.as_secs_f64();
    let load_ratio = hand_load.as_secs_f64() / adapter_load.as_secs_f64();

    // Decode cost: a ~1 MiB result (the Data API maximum) into Diesel structs.
    let out = sdk
        .execute_statement()
        .resource_arn(ARN)
        .secret_arn(SECRET)
        .database("test")
        .sql("SELECT id, name, qty, repeat('x', 780) AS note FROM bench_items ORDER BY id")
        .include_result_metadata(true)
        .send()
        .await
        .unwrap();
    let bytes: usize = out
        .records
        .as_ref()
        .unwrap()
        .iter()
        .flatten()
        .map(|f| match f {
            Field::StringValue(s) => s.len(),
            _ => 8,
        })
        .sum();
    let rounds = 30;
    let start = Instant::now();
    for _ in 0..rounds {
        let items = decode_items(out.clone());
        assert_eq!(items.len(), 1000);
    }
    let decode = start.elapsed() / rounds;
    // Where the load gap comes from: decoding the same 1,000-row output into `Item`s, the
    // adapter (Data API values → diesel's binary format → `FromSql`) vs the hand-written match
    // on the SDK's `Field`s. Best of 30 batches, each on fresh copies of the output.
    let rows_out = hand_load_output(&sdk).await;
    let (mut adapter_decode, mut hand_decode) = (Duration::MAX, Duration::MAX);
    for _ in 0..30 {
        let copies: Vec<_> = (0..50).map(|_| rows_out.clone()).collect();
        let t = Instant::now();
        for out in copies {
            assert_eq!(decode_items(out).len(), 1000);
        }
        adapter_decode = adapter_decode.min(t.elapsed() / 50);
        let copies: Vec<_> = (0..50).map(|_| rows_out.clone()).collect();
        let t = Instant::now();
        for out in copies {
            assert_eq!(items_from_output(out).len(), 1000);
        }
        hand_decode = hand_decode.min(t.elapsed() / 50);
    }
    let mib = bytes as f64 / (1024.0 * 1024.0);

    println!("PostgreSQL adapter vs hand-written aws-sdk-rdsdata (local server, loopback)");
    println!(
        "point SELECT      : adapter {:>8.0} ops/s, hand-written {:>8.0} ops/s, ratio {:.3}",
        n as f64 / adapter.as_secs_f64(),
        n as f64 / hand.as_secs_f64(),
        point_ratio
    );
    println!(
        "1,000-row load    : adapter {:>8.1} loads/s, hand-written {:>8.1} loads/s, ratio {:.3}",
        loads as f64 / adapter_load.as_secs_f64(),
        loads as f64 / hand_load.as_secs_f64(),
        load_ratio
    );
    println!(
        "decode {:.2} MiB into structs: {:.2} ms ({:.1} MiB/s)",
        mib,
        decode.as_secs_f64() * 1e3,
        mib / decode.as_secs_f64()
    );
    println!(
        "decode the 1,000-row result: adapter {:.0} µs, hand-written mapping {:.0} µs",
        adapter_decode.as_secs_f64() * 1e6,
        hand_decode.as_secs_f64() * 1e6
    );
    println!(
        "per-round ratios  : point {}; load {}",
        spread(&point_rounds),
        spread(&load_rounds)
    );
    println!("ratio = adapter throughput / hand-written throughput (goal >= 0.95)");
    let [cpu_point, cpu_load] = client_cpu(url.clone(), server.endpoint_url());
    for (name, (a, h, ratio), goal) in [
        ("point SELECT  ", cpu_point, 1.2),
        ("1,000-row load", cpu_load, 1.3),
    ] {
        println!(
            "client CPU {name}: adapter {:>7.1} µs/op, hand-written {:>7.1} µs/op, adapter ÷ hand {:.3} (median of batches; goal <= {goal})",
            a.as_secs_f64() * 1e6,
            h.as_secs_f64() * 1e6,
            ratio
        );
    }
    conn.batch_execute("DROP TABLE bench_items").await.unwrap();
}
