//! Reads larger than one Data API response (issue 12), PostgreSQL: outside a transaction a
//! read that fails with the 1 MiB error is re-run through a server-side cursor, page by page,
//! transparently; inside one, `set_cursor_reads_in_transactions(true)` does so from the start
//! and the 1 MiB error names that setting; a single row over the limit is a typed error.
//! Compared with diesel-async's native connection: the same rows in the same order.

mod common;

use aurora_data_api::client::{limits::Limits, DataApiClient};
use aurora_data_api::config::DataApiConfig;
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use common::{pg_native_url, pg_url, unique};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection};

const DB: &str = "dataapi_large_reads";

diesel::table! {
    wide (id) {
        id -> Integer,
        body -> Text,
        n -> Nullable<BigInt>,
    }
}

#[derive(Debug, Clone, PartialEq, Queryable)]
struct Wide {
    id: i32,
    body: String,
    n: Option<i64>,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn fill(db: &str, rows: i32, width: i32) {
    let mut c = DataApiPgConnection::establish(&pg_url(db)).unwrap();
    c.batch_execute(&format!(
        "CREATE TABLE wide (id int PRIMARY KEY, body text NOT NULL, n int8);
         INSERT INTO wide SELECT g, repeat(chr(97 + g % 26), {width} + g % 7), CASE WHEN g % 3 = 0 THEN NULL ELSE g * 7 END
         FROM generate_series(1, {rows}) g"
    ))
    .unwrap();
}

fn native_rows(db: &str) -> Vec<Wide> {
    runtime().block_on(async {
        let mut n = AsyncPgConnection::establish(&pg_native_url(db))
            .await
            .unwrap();
        diesel_async::RunQueryDsl::load(wide::table.order(wide::id.desc()), &mut n)
            .await
            .unwrap()
    })
}

/// A sync connection to a server with a 64 KiB response cap, its client told so.
fn capped(
    db: &str,
) -> (
    tokio::runtime::Runtime,
    data_api_local::LocalServer,
    DataApiPgConnection,
) {
    let (rt, server, url) = common::custom_pg_server(db, |c| {
        c.limits.max_response_bytes = 64 * 1024;
    });
    let client = rt
        .block_on(DataApiClient::from_config(
            &DataApiConfig::from_url(&url).unwrap(),
        ))
        .with_limits(Limits {
            max_response_bytes: 64 * 1024,
            ..Limits::default()
        });
    (rt, server, DataApiPgConnection::from_client(client))
}

#[test]
fn reads_over_the_response_cap_page_through_a_cursor() {
    let db = unique(DB);
    fill(&db, 3_000, 90); // about 300 KB: five times the 64 KiB cap
    let (_rt, _server, mut c) = capped(&db);
    let native = native_rows(&db);
    let ours: Vec<Wide> = wide::table.order(wide::id.desc()).load(&mut c).unwrap();
    assert_eq!(ours.len(), 3_000);
    assert_eq!(ours, native);
    // With a bind and a filter too.
    let some: Vec<Wide> = wide::table
        .filter(wide::id.gt(1_000))
        .order(wide::id.desc())
        .load(&mut c)
        .unwrap();
    assert_eq!(some, native[..2_000].to_vec());
    // Inside a transaction: the 1 MiB error names the setting; with it, the cursor is used.
    let e = c
        .transaction(|c| wide::table.load::<Wide>(c))
        .unwrap_err()
        .to_string();
    assert!(e.contains("set_cursor_reads_in_transactions"), "{e}");
    c.set_cursor_reads_in_transactions(true);
    let inside: Vec<Wide> = c
        .transaction(|c| wide::table.order(wide::id.desc()).load(c))
        .unwrap();
    assert_eq!(inside, native);
    // A single row over the cap: no paging can split it.
    c.batch_execute("INSERT INTO wide VALUES (0, repeat('x', 100000), NULL)")
        .unwrap();
    let e = wide::table
        .filter(wide::id.eq(0))
        .load::<Wide>(&mut c)
        .unwrap_err()
        .to_string();
    assert!(e.contains("one row of the result is larger"), "{e}");
}

/// At the real limits: about 20 MiB (100,000 rows) through the sync and async connections,
/// the same rows in the same order as natively.
#[test]
fn twenty_mib_read_matches_native() {
    let db = unique(DB);
    fill(&db, 100_000, 210);
    let native = native_rows(&db);
    let mut s = DataApiPgConnection::establish(&pg_url(&db)).unwrap();
    let ours: Vec<Wide> = wide::table.order(wide::id.desc()).load(&mut s).unwrap();
    let bytes: usize = ours.iter().map(|r| r.body.len() + 16).sum();
    assert!(bytes > 20 * 1024 * 1024, "{bytes}");
    assert!(ours == native, "sync: same rows in the same order");
    drop(ours);
    let ours_async: Vec<Wide> = runtime().block_on(async {
        let mut a = AsyncDataApiPgConnection::establish(&pg_url(&db))
            .await
            .unwrap();
        diesel_async::RunQueryDsl::load(wide::table.order(wide::id.desc()), &mut a)
            .await
            .unwrap()
    });
    assert!(ours_async == native, "async: same rows in the same order");
}
