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
    assert!(
        e.contains("its widest columns are `body` (100000 bytes)"),
        "{e}"
    );
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

diesel::table! {
    my_wide (id) {
        id -> Integer,
        body -> Text,
        n -> Nullable<BigInt>,
    }
}

/// MySQL at the real limits: about 20 MiB ordered by the primary key reads in keyset pages
/// inside one snapshot, the same rows in the same order as natively (sync, async, and inside
/// a transaction with the setting on); a query with no unique ordering is a typed error that
/// says what to do; SeaORM's stream gives the same rows.
#[test]
fn mysql_twenty_mib_read_in_keyset_pages_matches_native() {
    use diesel_async::AsyncMysqlConnection;
    let db = "dataapi_large_reads_my";
    common::reset_mysql_database(db);
    let mut s =
        aurora_data_api::mysql::DataApiMysqlConnection::establish(&common::mysql_url(db)).unwrap();
    s.batch_execute(
        "CREATE TABLE my_wide (id INT PRIMARY KEY, body TEXT NOT NULL, n BIGINT NULL);
         INSERT INTO my_wide (id, body, n)
         SELECT i, REPEAT(CHAR(97 + i % 26), 210 + i % 7), IF(i % 3 = 0, NULL, i * 7)
         FROM (SELECT 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS i
               FROM (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                     UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a
               CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                     UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b
               CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                     UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c
               CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                     UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) e
               CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                     UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) f) g",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let native: Vec<Wide> = runtime().block_on(async {
        let mut n = AsyncMysqlConnection::establish(&common::mysql_native_url(db))
            .await
            .unwrap();
        diesel_async::RunQueryDsl::load(
            my_wide::table.order(my_wide::id.desc()).select((
                my_wide::id,
                my_wide::body,
                my_wide::n,
            )),
            &mut n,
        )
        .await
        .unwrap()
    });
    let q = || {
        my_wide::table
            .order(my_wide::id.desc())
            .select((my_wide::id, my_wide::body, my_wide::n))
    };
    let ours: Vec<Wide> = q().load(&mut s).unwrap();
    let bytes: usize = ours.iter().map(|r| r.body.len() + 16).sum();
    assert!(bytes > 20 * 1024 * 1024, "{bytes}");
    assert!(ours == native, "sync: same rows in the same order");
    let ours_async: Vec<Wide> = runtime().block_on(async {
        let mut a =
            aurora_data_api::mysql::AsyncDataApiMysqlConnection::establish(&common::mysql_url(db))
                .await
                .unwrap();
        diesel_async::RunQueryDsl::load(q(), &mut a).await.unwrap()
    });
    assert!(ours_async == native, "async: same rows in the same order");
    s.set_cursor_reads_in_transactions(true);
    let inside: Vec<Wide> = s
        .transaction(|c| q().filter(my_wide::id.le(50_000)).load(c))
        .unwrap();
    assert!(inside[..] == native[50_000..], "inside a transaction");
    s.set_cursor_reads_in_transactions(false);
    let e = my_wide::table
        .select((my_wide::id, my_wide::body, my_wide::n))
        .load::<Wide>(&mut s)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no `ORDER BY`") && e.contains("unique key"),
        "{e}"
    );
    let e = my_wide::table
        .order(my_wide::n)
        .select((my_wide::id, my_wide::body, my_wide::n))
        .load::<Wide>(&mut s)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a unique key"), "{e}");
    // SeaORM's stream over the same rows.
    let streamed = runtime().block_on(async {
        use futures_util::StreamExt;
        use sea_orm::{DbBackend, Statement, StreamTrait};
        let conn = aurora_data_api::sea_orm::DataApiConnection::connect(
            &common::mysql_url(db),
            DbBackend::MySql,
        )
        .await
        .unwrap();
        let mut stream = conn
            .stream_raw(Statement::from_string(
                DbBackend::MySql,
                "SELECT my_wide.id, my_wide.body FROM my_wide ORDER BY my_wide.id DESC",
            ))
            .await
            .unwrap();
        let mut ids = Vec::new();
        while let Some(row) = stream.next().await {
            ids.push(row.unwrap().try_get::<i32>("", "id").unwrap());
        }
        ids
    });
    assert_eq!(streamed, native.iter().map(|r| r.id).collect::<Vec<_>>());
    // A single row over 1 MiB: the error gives its size and widest column.
    s.batch_execute(
        "CREATE TABLE my_big (id INT PRIMARY KEY, body LONGTEXT NOT NULL);
         INSERT INTO my_big VALUES (1, REPEAT('x', 1500000))",
    )
    .unwrap();
    let e = diesel::sql_query("SELECT my_big.id, my_big.body FROM my_big ORDER BY my_big.id")
        .execute(&mut s)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("one row of the result is larger") && e.contains("`body` (1500000 bytes)"),
        "{e}"
    );
}
