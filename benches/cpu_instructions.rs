//! Client instructions per point SELECT, adapter vs hand-written `aws-sdk-rdsdata` call, for
//! `valgrind --tool=callgrind` (instruction counts do not depend on the machine's load). The
//! server runs in another process, so only the client is counted:
//!
//! ```sh
//! cargo run --release -p data-api-local -- --listen 127.0.0.1:18080 \
//!   --cluster arn:aws:rds:us-east-1:123456789012:cluster:bench=postgres://postgres@127.0.0.1/test
//! cargo bench --bench cpu_instructions --no-run     # prints the binary's path
//! for side in adapter sdk; do for n in 200 400; do
//!   DATAAPI_ENDPOINT=http://127.0.0.1:18080 valgrind --tool=callgrind \
//!     --callgrind-out-file=/tmp/cg.$side.$n <binary> $side $n
//! done; done
//! ```
//!
//! Per query = (count at 400 − count at 200) / 200: start-up, table setup and warm-up cancel.
//! Without arguments (as `cargo bench` runs it) it does nothing.

use aws_sdk_rdsdata::types::{Field, SqlParameter};
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

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = bench_items, check_for_backend(diesel::pg::Pg))]
struct Item {
    id: i32,
    name: String,
    qty: i64,
    note: String,
}

async fn adapter_point(conn: &mut aurora_data_api::pg::AsyncDataApiPgConnection, i: usize) {
    let id = (i % 1000) as i32 + 1;
    let item: Item = bench_items::table
        .filter(bench_items::id.eq(id))
        .select(Item::as_select())
        .first(conn)
        .await
        .unwrap();
    check(&item, id as i64);
}

/// Both sides read every column.
fn check(item: &Item, id: i64) {
    assert_eq!(item.id as i64, id);
    assert_eq!(item.qty, id * 10);
    assert_eq!(item.name, format!("item {id}"));
    assert_eq!(item.note.len(), 100);
}

async fn sdk_point(sdk: &aws_sdk_rdsdata::Client, i: usize) {
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
    let record = &out.records.unwrap()[0];
    let (
        Field::LongValue(got),
        Field::StringValue(name),
        Field::LongValue(qty),
        Field::StringValue(note),
    ) = (&record[0], &record[1], &record[2], &record[3])
    else {
        panic!("unexpected fields {record:?}")
    };
    let item = Item {
        id: *got as i32,
        name: name.clone(),
        qty: *qty,
        note: note.clone(),
    };
    check(&item, id);
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [side, n] = args.as_slice() else {
        return;
    };
    let n: usize = n.parse().expect("a query count");
    let endpoint =
        std::env::var("DATAAPI_ENDPOINT").expect("DATAAPI_ENDPOINT (a running data-api-local)");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let url = format!("dataapi://test?cluster_arn={ARN}&secret_arn={SECRET}&region=us-east-1&endpoint={endpoint}");
        let mut conn = aurora_data_api::pg::AsyncDataApiPgConnection::establish(&url).await.unwrap();
        conn.batch_execute(
            "CREATE TABLE IF NOT EXISTS bench_items (id int PRIMARY KEY, name text NOT NULL, qty int8 NOT NULL, note text NOT NULL);
             INSERT INTO bench_items SELECT g, 'item ' || g, g * 10, repeat('n', 100) FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING",
        )
        .await
        .unwrap();
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_credential_types::Credentials::new("local", "local", None, None, "bench"))
            .endpoint_url(&endpoint)
            .load()
            .await;
        let sdk = aws_sdk_rdsdata::Client::new(&config);
        for i in 0..20 {
            adapter_point(&mut conn, i).await;
            sdk_point(&sdk, i).await;
        }
        for i in 0..n {
            match side.as_str() {
                "adapter" => adapter_point(&mut conn, i).await,
                "sdk" => sdk_point(&sdk, i).await,
                other => panic!("side is adapter or sdk, not {other}"),
            }
        }
    });
}
