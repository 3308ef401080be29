//! What the server now answers like the real Data API (issue 11 items 5, 11–14, 16), read
//! through our connections and compared with diesel-async's native connections on the same
//! database: ranges, multiranges, macaddr8 and pg_lsn into diesel's types, compact JSON into
//! the same `serde_json::Value`s, `"char"` bytes ≥ 0x80, values far larger than the old 64 KB
//! row limit through both ORMs, MariaDB JSON columns, and MySQL found-rows counts.

mod common;

use std::collections::Bound;

use aurora_data_api::mysql::{AsyncDataApiMysqlConnection, DataApiMysqlConnection};
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use bigdecimal::BigDecimal;
use common::{mysql_native_url, mysql_url, pg_native_url, pg_url, unique};
use diesel::connection::SimpleConnection;
use diesel::pg::data_types::PgLsn;
use diesel::prelude::*;
use diesel::sql_types::{
    Binary, Bytea, CChar, Int4range, Int8multirange, Json, Jsonb, MacAddr8, Nullable, Numrange,
    PgLsn as PgLsnType, Text,
};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, AsyncPgConnection};

const PG_DB: &str = "dataapi_fidelity";
const MY_DB: &str = "dataapi_fidelity_my";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs the same select through the native async connection, ours async and ours sync.
macro_rules! three_pg {
    ($t:ty, $query:expr) => {{
        let (n, a) = runtime().block_on(async {
            let mut n = AsyncPgConnection::establish(&pg_native_url(PG_DB))
                .await
                .unwrap();
            let mut a = AsyncDataApiPgConnection::establish(&pg_url(PG_DB))
                .await
                .unwrap();
            let n: $t = diesel_async::RunQueryDsl::get_result($query, &mut n)
                .await
                .unwrap();
            let a: $t = diesel_async::RunQueryDsl::get_result($query, &mut a)
                .await
                .unwrap();
            (n, a)
        });
        let mut s = DataApiPgConnection::establish(&pg_url(PG_DB)).unwrap();
        let s: $t = RunQueryDsl::get_result($query, &mut s).unwrap();
        (n, a, s)
    }};
}

type R<T> = (Bound<T>, Bound<T>);

#[test]
fn ranges_multiranges_macaddr8_and_pg_lsn_read_as_natively() {
    let q = || {
        diesel::select((
            diesel::dsl::sql::<Int4range>("int4range(1, 10)"),
            diesel::dsl::sql::<Numrange>("numrange(1.5, 2.25, '[]')"),
            diesel::dsl::sql::<Int8multirange>("int8multirange(int8range(1, 3), int8range(5, 7))"),
            diesel::dsl::sql::<MacAddr8>("'08:00:2b:01:02:03:04:05'::macaddr8"),
            diesel::dsl::sql::<PgLsnType>("'16/B374D848'::pg_lsn"),
            diesel::dsl::sql::<Int4range>("'empty'::int4range"),
        ))
    };
    type Row = (R<i32>, R<BigDecimal>, Vec<R<i64>>, [u8; 8], PgLsn, R<i32>);
    let (n, a, s) = three_pg!(Row, q());
    assert_eq!(a, n);
    assert_eq!(s, n);
    assert_eq!(n.0, (Bound::Included(1), Bound::Excluded(10)));
    assert_eq!(n.3, [8, 0, 0x2b, 1, 2, 3, 4, 5]);
    // daterange and tsrange are refused by the Data API (tests/unsupported_types.rs).
}

#[test]
fn compact_json_and_high_char_bytes_read_as_natively() {
    let q = || {
        diesel::select((
            diesel::dsl::sql::<Jsonb>(r#"'{"x": 0, "y": "0", "z": [0, 0, 1]}'::jsonb"#),
            diesel::dsl::sql::<Json>(r#"'{"b": 1,  "a": {"c": [true, null]}}'::json"#),
            diesel::dsl::sql::<Nullable<Json>>("NULL::json"),
            diesel::dsl::sql::<CChar>(r#"'\351'::"char""#),
            diesel::dsl::sql::<CChar>(r#"'a'::"char""#),
        ))
    };
    type Row = (
        serde_json::Value,
        serde_json::Value,
        Option<serde_json::Value>,
        u8,
        u8,
    );
    let (n, a, s) = three_pg!(Row, q());
    assert_eq!(a, n);
    assert_eq!(s, n);
    assert_eq!(n.3, 0o351);
}

/// A 100,000-character text and a 500 KiB bytea, written and read back through Diesel (sync
/// and async) and SeaORM, equal to what the native connection reads.
#[test]
fn large_values_round_trip_through_both_orms() {
    let text: String = (0..100_000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let bytes: Vec<u8> = (0..500 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    // PostgreSQL.
    let t = unique("fid_big");
    let mut s = DataApiPgConnection::establish(&pg_url(PG_DB)).unwrap();
    s.batch_execute(&format!(
        "CREATE TABLE {t} (id int PRIMARY KEY, txt text, b bytea)"
    ))
    .unwrap();
    diesel::sql_query(format!("INSERT INTO {t} VALUES (1, $1, $2)"))
        .bind::<Text, _>(&text)
        .bind::<Bytea, _>(&bytes)
        .execute(&mut s)
        .unwrap();
    let select = format!("SELECT txt, b FROM {t} WHERE id = 1");
    let columns = format!("txt, b FROM {t} WHERE id = 1");
    let q = || diesel::dsl::sql::<(Text, Bytea)>(&columns);
    let (n, a, s) = three_pg!((String, Vec<u8>), diesel::select(q()));
    assert_eq!(n, (text.clone(), bytes.clone()));
    assert_eq!(a, n);
    assert_eq!(s, n);
    let sea = runtime().block_on(async {
        use sea_orm::{ConnectionTrait, DbBackend, Statement};
        let conn = aurora_data_api::sea_orm::DataApiConnection::connect(
            &pg_url(PG_DB),
            DbBackend::Postgres,
        )
        .await
        .unwrap();
        let row = conn
            .query_one_raw(Statement::from_string(DbBackend::Postgres, select.clone()))
            .await
            .unwrap()
            .unwrap();
        (
            row.try_get::<String>("", "txt").unwrap(),
            row.try_get::<Vec<u8>>("", "b").unwrap(),
        )
    });
    assert_eq!(sea, n);

    // MySQL: LONGTEXT and LONGBLOB.
    common::reset_mysql_database(MY_DB);
    let mut s = DataApiMysqlConnection::establish(&mysql_url(MY_DB)).unwrap();
    s.batch_execute("CREATE TABLE big (id INT PRIMARY KEY, txt LONGTEXT, b LONGBLOB)")
        .unwrap();
    diesel::sql_query("INSERT INTO big VALUES (1, ?, ?)")
        .bind::<Text, _>(&text)
        .bind::<Binary, _>(&bytes)
        .execute(&mut s)
        .unwrap();
    let select = "SELECT txt, b FROM big WHERE id = 1";
    let columns = "txt, b FROM big WHERE id = 1";
    let ours_sync: (String, Vec<u8>) = diesel::select(diesel::dsl::sql::<(Text, Binary)>(columns))
        .get_result(&mut s)
        .unwrap();
    let (n, a, sea) = runtime().block_on(async {
        use sea_orm::{ConnectionTrait, DbBackend, Statement};
        let mut n = AsyncMysqlConnection::establish(&mysql_native_url(MY_DB))
            .await
            .unwrap();
        let mut a = AsyncDataApiMysqlConnection::establish(&mysql_url(MY_DB))
            .await
            .unwrap();
        let q = || diesel::select(diesel::dsl::sql::<(Text, Binary)>(columns));
        let n: (String, Vec<u8>) = diesel_async::RunQueryDsl::get_result(q(), &mut n)
            .await
            .unwrap();
        let a: (String, Vec<u8>) = diesel_async::RunQueryDsl::get_result(q(), &mut a)
            .await
            .unwrap();
        let conn = aurora_data_api::sea_orm::DataApiConnection::connect(
            &mysql_url(MY_DB),
            DbBackend::MySql,
        )
        .await
        .unwrap();
        let row = conn
            .query_one_raw(Statement::from_string(DbBackend::MySql, select))
            .await
            .unwrap()
            .unwrap();
        let sea = (
            row.try_get::<String>("", "txt").unwrap(),
            row.try_get::<Vec<u8>>("", "b").unwrap(),
        );
        (n, a, sea)
    });
    assert_eq!(n, (text, bytes));
    assert_eq!((&a, &ours_sync, &sea), (&n, &n, &n));
}

/// MySQL counts found rows as diesel's `MysqlConnection` and diesel-async's
/// `AsyncMysqlConnection` do (CLIENT_FOUND_ROWS): an upsert or update that changes nothing
/// still counts its row; a MariaDB JSON column reads as the same `serde_json::Value`.
#[test]
fn mysql_affected_rows_and_json_match_native() {
    common::reset_mysql_database("dataapi_fidelity_rows");
    let db = "dataapi_fidelity_rows";
    let statements = [
        "INSERT INTO t (id, v) VALUES (1, 10) ON DUPLICATE KEY UPDATE v = v",
        "INSERT INTO t (id, v) VALUES (1, 11) ON DUPLICATE KEY UPDATE v = VALUES(v)",
        "UPDATE t SET v = v WHERE id = 1",
        "UPDATE t SET v = 12 WHERE id = 1",
        "INSERT INTO t (id, v) SELECT id, v FROM t AS s ON DUPLICATE KEY UPDATE v = s.v",
        "REPLACE INTO t (id, v) VALUES (1, 12)",
        "DELETE FROM t WHERE id = 99",
    ];
    let reset = "DROP TABLE IF EXISTS t; CREATE TABLE t (id INT PRIMARY KEY, v INT, js JSON); INSERT INTO t (id, v, js) VALUES (1, 10, '{\"a\": [1, 2]}')";
    let mut counts: Vec<Vec<usize>> = Vec::new();
    let mut json: Vec<serde_json::Value> = Vec::new();
    runtime().block_on(async {
        let mut n = AsyncMysqlConnection::establish(&mysql_native_url(db))
            .await
            .unwrap();
        let mut a = AsyncDataApiMysqlConnection::establish(&mysql_url(db))
            .await
            .unwrap();
        for conn in 0..2 {
            for statement in reset.split("; ") {
                diesel_async::SimpleAsyncConnection::batch_execute(&mut n, statement)
                    .await
                    .unwrap();
            }
            let q = || diesel::select(diesel::dsl::sql::<Json>("js FROM t WHERE id = 1"));
            json.push(if conn == 0 {
                diesel_async::RunQueryDsl::get_result(q(), &mut n)
                    .await
                    .unwrap()
            } else {
                diesel_async::RunQueryDsl::get_result(q(), &mut a)
                    .await
                    .unwrap()
            });
            let mut these = Vec::new();
            for statement in statements {
                let q = diesel::sql_query(statement);
                these.push(if conn == 0 {
                    diesel_async::RunQueryDsl::execute(q, &mut n).await.unwrap()
                } else {
                    diesel_async::RunQueryDsl::execute(q, &mut a).await.unwrap()
                });
            }
            counts.push(these);
        }
    });
    let mut s = DataApiMysqlConnection::establish(&mysql_url(db)).unwrap();
    for statement in reset.split("; ") {
        s.batch_execute(statement).unwrap();
    }
    counts.push(
        statements
            .iter()
            .map(|q| diesel::sql_query(*q).execute(&mut s).unwrap())
            .collect(),
    );
    assert_eq!(counts[1], counts[0], "async vs native");
    assert_eq!(counts[2], counts[0], "sync vs native");
    assert_eq!(
        counts[0][2], 1,
        "an UPDATE that changes nothing counts its found row"
    );
    assert_eq!(json[1], json[0]);
}
