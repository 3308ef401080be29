//! Large data through the adapter vs the best hand-written `aws-sdk-rdsdata` code, side by side
//! in one run on the local server over PostgreSQL (issue 12):
//!
//! - a 100,000-row insert: Diesel `insert_into(…).values(&rows)` in one transaction, 20,000
//!   rows per statement (PostgreSQL's 65,535-bind limit), each split by the adapter into
//!   multi-row INSERT chunks that fit 65,536 characters, vs hand-written
//!   chunked `BatchExecuteStatement` (1,000 parameter sets per call, in one transaction);
//! - a 100,000-row read of about 20 MiB: Diesel `load` (the 1 MiB error the first time, then
//!   a server-side cursor paged by row size; later rounds go to the cursor at once) vs a
//!   hand-written `DECLARE … CURSOR` / `FETCH FORWARD 2000` loop mapping records into the
//!   same structs.
//!
//! Rounds alternate which side goes first; the ratio is hand-written time ÷ adapter time
//! (throughput of the adapter relative to the hand-written code; goal ≥ 0.9).
//!
//! Run: `cargo bench --bench large_data`.

use std::time::{Duration, Instant};

use aurora_data_api::pg::AsyncDataApiPgConnection;
use aws_sdk_rdsdata::types::{Field, SqlParameter};
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};

const ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:bench";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-AbCdEf";
const ROWS: i32 = 100_000;

diesel::table! {
    big_items (id) {
        id -> Int4,
        name -> Text,
        qty -> Int8,
    }
}

#[derive(Debug, Clone, Queryable, Insertable, PartialEq)]
#[diesel(table_name = big_items)]
struct Item {
    id: i32,
    name: String,
    qty: i64,
}

fn items() -> Vec<Item> {
    (0..ROWS)
        .map(|i| Item {
            id: i,
            name: format!("{:0>180}", i),
            qty: i64::from(i) * 3,
        })
        .collect()
}

async fn hand_insert(sdk: &aws_sdk_rdsdata::Client, rows: &[Item]) {
    let tx = sdk
        .begin_transaction()
        .resource_arn(ARN)
        .secret_arn(SECRET)
        .database("test")
        .send()
        .await
        .unwrap()
        .transaction_id
        .unwrap();
    for chunk in rows.chunks(1_000) {
        let sets: Vec<Vec<SqlParameter>> = chunk
            .iter()
            .map(|r| {
                vec![
                    SqlParameter::builder()
                        .name("id")
                        .value(Field::LongValue(r.id.into()))
                        .build(),
                    SqlParameter::builder()
                        .name("name")
                        .value(Field::StringValue(r.name.clone()))
                        .build(),
                    SqlParameter::builder()
                        .name("qty")
                        .value(Field::LongValue(r.qty))
                        .build(),
                ]
            })
            .collect();
        sdk.batch_execute_statement()
            .resource_arn(ARN)
            .secret_arn(SECRET)
            .database("test")
            .transaction_id(&tx)
            .sql("INSERT INTO big_items (id, name, qty) VALUES (CAST(:id AS int4), :name, :qty)")
            .set_parameter_sets(Some(sets))
            .send()
            .await
            .unwrap();
    }
    sdk.commit_transaction()
        .resource_arn(ARN)
        .secret_arn(SECRET)
        .transaction_id(tx)
        .send()
        .await
        .unwrap();
}

async fn hand_read(sdk: &aws_sdk_rdsdata::Client) -> Vec<Item> {
    let tx = sdk
        .begin_transaction()
        .resource_arn(ARN)
        .secret_arn(SECRET)
        .database("test")
        .send()
        .await
        .unwrap()
        .transaction_id
        .unwrap();
    let run = |sql: String| {
        sdk.execute_statement()
            .resource_arn(ARN)
            .secret_arn(SECRET)
            .database("test")
            .transaction_id(&tx)
            .sql(sql)
            .send()
    };
    run("DECLARE c NO SCROLL CURSOR FOR SELECT id, name, qty FROM big_items ORDER BY id".into())
        .await
        .unwrap();
    let mut out = Vec::with_capacity(ROWS as usize);
    loop {
        let page = run("FETCH FORWARD 2000 FROM c".into()).await.unwrap();
        let records = page.records.unwrap_or_default();
        if records.is_empty() {
            break;
        }
        for r in records {
            let (Field::LongValue(id), Field::StringValue(name), Field::LongValue(qty)) =
                (&r[0], &r[1], &r[2])
            else {
                panic!("{r:?}")
            };
            out.push(Item {
                id: *id as i32,
                name: name.clone(),
                qty: *qty,
            });
        }
    }
    sdk.rollback_transaction()
        .resource_arn(ARN)
        .secret_arn(SECRET)
        .transaction_id(tx)
        .send()
        .await
        .unwrap();
    out
}

async fn timed<T>(work: impl std::future::Future<Output = T>) -> (Duration, T) {
    let t = Instant::now();
    let out = work.await;
    (t.elapsed(), out)
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
    let sdk = conn.client().sdk_client().clone();
    let rows = items();
    let reset = "DROP TABLE IF EXISTS big_items; CREATE TABLE big_items (id int PRIMARY KEY, name text NOT NULL, qty int8 NOT NULL)";
    let rounds = 3;
    let (mut ins_a, mut ins_h, mut read_a, mut read_h) = (
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    for round in 0..rounds {
        let adapter_first = round % 2 == 0;
        for side in [adapter_first, !adapter_first] {
            conn.batch_execute(reset).await.unwrap();
            if side {
                // PostgreSQL takes at most 65,535 binds per statement (natively too): five
                // statements of 20,000 rows in one transaction, each split by the adapter.
                let (t, n) = timed(conn.transaction::<_, diesel::result::Error, _>(async |c| {
                    let mut n = 0;
                    for part in rows.chunks(20_000) {
                        n += diesel::insert_into(big_items::table)
                            .values(part)
                            .execute(c)
                            .await?;
                    }
                    Ok(n)
                }))
                .await;
                assert_eq!(n.unwrap(), ROWS as usize);
                ins_a += t;
            } else {
                let (t, ()) = timed(hand_insert(&sdk, &rows)).await;
                ins_h += t;
            }
        }
        for side in [adapter_first, !adapter_first] {
            if side {
                let (t, got) = timed(
                    big_items::table
                        .order(big_items::id)
                        .load::<Item>(&mut conn),
                )
                .await;
                assert!(got.unwrap() == rows);
                read_a += t;
            } else {
                let (t, got) = timed(hand_read(&sdk)).await;
                assert!(got == rows);
                read_h += t;
            }
        }
    }
    let mib = rows.iter().map(|r| r.name.len() + 12).sum::<usize>() as f64 / (1024.0 * 1024.0);
    println!(
        "Large data on the local server (PostgreSQL), {rounds} rounds, {ROWS} rows, {mib:.1} MiB"
    );
    println!(
        "insert: adapter (multi-row chunks) {:.2} s, hand-written chunked BatchExecute {:.2} s, ratio {:.3}",
        ins_a.as_secs_f64() / f64::from(rounds),
        ins_h.as_secs_f64() / f64::from(rounds),
        ins_h.as_secs_f64() / ins_a.as_secs_f64()
    );
    println!(
        "read  : adapter (cursor after the 1 MiB error) {:.2} s, hand-written FETCH loop {:.2} s, ratio {:.3}",
        read_a.as_secs_f64() / f64::from(rounds),
        read_h.as_secs_f64() / f64::from(rounds),
        read_h.as_secs_f64() / read_a.as_secs_f64()
    );
    println!("ratio = hand-written time / adapter time (goal >= 0.9)");
    conn.batch_execute("DROP TABLE big_items").await.unwrap();
}
