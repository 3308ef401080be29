//! Differential suite: the same Diesel queries through `AsyncDataApiPgConnection`,
//! `DataApiPgConnection` and diesel-async's native `AsyncPgConnection` (the oracle, over
//! tokio-postgres) on the same database must give identical Rust values, for every supported
//! type and NULL — fixed edge cases and proptest random values.
//!
//! Layout:
//! - `table!`s: diesel is built without `32-column-tables`, so the "one column per type" table is
//!   two physical tables joined on `id`: `diff_a` (numbers, text, bytes, uuid, oid, json) and
//!   `diff_b` (dates and times, interval, citext, arrays, enums). Every test has its own pair
//!   (a `diff_schema!` module with its own SQL names) and holds a PostgreSQL advisory lock on
//!   them, so tests and concurrent runs of this binary never share a table.
//! - Values are compared with [`Same`]: floats bit for bit (NaN by `is_nan`), `BigDecimal` by
//!   digits *and* scale (`1.50` is not `1.5`), `OffsetDateTime` by instant and offset.
//! - Errors are compared by variant; deserialization errors (from diesel's own `FromSql`, the
//!   same code on every connection) also by message, sources included.
//! - proptest: 64 cases per property (`PROPTEST_CASES` overrides), one HTTP round trip per
//!   case and Data API connection; no regression files are written.
//!
//! Known, documented differences (asserted as such, not hidden):
//! - `money` results: the Data API answers `UnsupportedResultException` for money columns, so
//!   reading one through our connections is a `DatabaseError` naming the type; binding money
//!   works, and `money_col::numeric` / `::text` read identically.
//! - multi-dimensional arrays: diesel rejects them on the native connection when decoding; the
//!   Data API rejects them (UnsupportedResultException) before diesel sees them.

mod common;

use std::cell::RefCell;
use std::fmt::Debug;
use std::str::FromStr;

use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use bigdecimal::num_bigint::BigInt;
use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use common::*;
use diesel::pg::data_types::{PgInterval, PgMoney};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel::sql_types::{
    Array, BigInt as SqlBigInt, Bool, Bpchar, Bytea, Citext, Date, Double, Float, Integer,
    Interval, Json, Jsonb, Money, Nullable, Numeric, Oid, SmallInt, Text, Time, Timestamp,
    Timestamptz, Uuid as SqlUuid, VarChar,
};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use serde_json::{json, Value};
use uuid::Uuid;

const DB: &str = "dataapi_pg_diff";

// ---------------------------------------------------------------------------------------------
// Custom enum types (diesel-derive-enum over hand-written `SqlType`s, one with a schema).

pub mod sql_types {
    /// `public.mood`, looked up without a schema.
    #[derive(diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
    #[diesel(postgres_type(name = "mood"))]
    pub struct MoodSql;

    /// `other_schema.mood2`, looked up with its schema.
    #[derive(diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
    #[diesel(postgres_type(name = "mood2", schema = "other_schema"))]
    pub struct Mood2Sql;
}

use sql_types::{Mood2Sql, MoodSql};

#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel_derive_enum::DbEnum)]
#[ExistingTypePath = "crate::sql_types::MoodSql"]
pub enum Mood {
    Sad,
    Ok,
    Happy,
}

/// Labels that need quoting in array literals and casts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel_derive_enum::DbEnum)]
#[ExistingTypePath = "crate::sql_types::Mood2Sql"]
pub enum Mood2 {
    #[db_rename = "plain"]
    Plain,
    #[db_rename = "with space"]
    WithSpace,
    #[db_rename = "Ünïcödé 🎉"]
    Unicode,
    #[db_rename = "quote\"back\\slash,comma{brace}"]
    Punctuation,
    #[db_rename = "NULL"]
    NullWord,
}

const MOOD2_LABELS: &str =
    r#"'plain', 'with space', 'Ünïcödé 🎉', 'quote"back\slash,comma{brace}', 'NULL'"#;

// ---------------------------------------------------------------------------------------------
// Comparison (shared with the MySQL suite).

mod differential;
use differential::{agree, agree_ok, error_chain, same_by_eq, Same};

const SUITE: differential::Suite = differential::Suite {
    oracle: "AsyncPgConnection",
    ours: ["AsyncDataApiPgConnection", "DataApiPgConnection"],
    normalize: |text| text,
};

same_by_eq!(DateTime<Utc>, PgInterval, PgMoney, Uuid, Mood, Mood2);

// ---------------------------------------------------------------------------------------------
// Rows and tables.

/// Defines a `Queryable + Insertable` row struct (insertable into every listed table), a
/// `QueryableByName` twin with explicit SQL types (column lookup by name) and `PartialEq` via
/// [`Same`].
macro_rules! row_struct {
    ($name:ident, $by_name:ident, [$($table:path),*], { $($field:ident : $st:ty => $t:ty),* $(,)? }) => {
        #[derive(Debug, Clone, Queryable, Insertable)]
        $(#[diesel(table_name = $table)])*
        #[diesel(treat_none_as_default_value = false)]
        pub struct $name {
            $(pub $field: $t,)*
        }

        #[derive(Debug, Clone, QueryableByName)]
        #[diesel(check_for_backend(diesel::pg::Pg))]
        pub struct $by_name {
            $(#[diesel(sql_type = $st)] pub $field: $t,)*
        }

        impl From<$by_name> for $name {
            fn from(r: $by_name) -> Self {
                Self { $($field: r.$field,)* }
            }
        }

        impl Same for $name {
            fn same(&self, other: &Self) -> bool {
                true $(&& self.$field.same(&other.$field))*
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.same(other)
            }
        }
    };
}

/// A `diff_a` / `diff_b` pair of `table!`s under the given SQL names.
macro_rules! diff_schema {
    ($module:ident, $a:tt, $b:tt) => {
        pub mod $module {
            pub const A: &str = $a;
            pub const B: &str = $b;

            diesel::table! {
                use diesel::sql_types::*;

                #[sql_name = $a]
                diff_a (id) {
                    id -> Int4,
                    i2 -> Nullable<Int2>,
                    i4 -> Nullable<Int4>,
                    i8 -> Nullable<Int8>,
                    f4 -> Nullable<Float4>,
                    f8 -> Nullable<Float8>,
                    num -> Nullable<Numeric>,
                    b -> Nullable<Bool>,
                    txt -> Nullable<Text>,
                    vc -> Nullable<Varchar>,
                    bp -> Nullable<Bpchar>,
                    bin -> Nullable<Bytea>,
                    u -> Nullable<Uuid>,
                    o -> Nullable<Oid>,
                    j -> Nullable<Json>,
                    jb -> Nullable<Jsonb>,
                }
            }

            diesel::table! {
                use diesel::sql_types::*;
                use crate::sql_types::{MoodSql, Mood2Sql};

                #[sql_name = $b]
                diff_b (id) {
                    id -> Int4,
                    d -> Nullable<Date>,
                    t -> Nullable<Time>,
                    ts -> Nullable<Timestamp>,
                    tstz -> Nullable<Timestamptz>,
                    iv -> Nullable<Interval>,
                    ci -> Nullable<Citext>,
                    ints -> Nullable<Array<Nullable<Int4>>>,
                    texts -> Nullable<Array<Text>>,
                    dates -> Nullable<Array<Date>>,
                    uuids -> Nullable<Array<Uuid>>,
                    nums -> Nullable<Array<Numeric>>,
                    mood -> Nullable<MoodSql>,
                    mood2 -> Nullable<Mood2Sql>,
                    moods -> Nullable<Array<MoodSql>>,
                }
            }

            diesel::joinable!(diff_b -> diff_a (id));
            diesel::allow_tables_to_appear_in_same_query!(diff_a, diff_b);
        }
    };
}

diff_schema!(read, "diff_all_read_a", "diff_all_read_b");
diff_schema!(write, "diff_all_write_a", "diff_all_write_b");
diff_schema!(by_name, "diff_all_by_name_a", "diff_all_by_name_b");
diff_schema!(prop_rows, "diff_all_prop_a", "diff_all_prop_b");

row_struct!(RowA, RowAByName, [read::diff_a, write::diff_a, by_name::diff_a, prop_rows::diff_a], {
    id: Integer => i32,
    i2: Nullable<SmallInt> => Option<i16>,
    i4: Nullable<Integer> => Option<i32>,
    i8: Nullable<SqlBigInt> => Option<i64>,
    f4: Nullable<Float> => Option<f32>,
    f8: Nullable<Double> => Option<f64>,
    num: Nullable<Numeric> => Option<BigDecimal>,
    b: Nullable<Bool> => Option<bool>,
    txt: Nullable<Text> => Option<String>,
    vc: Nullable<VarChar> => Option<String>,
    bp: Nullable<Bpchar> => Option<String>,
    bin: Nullable<Bytea> => Option<Vec<u8>>,
    u: Nullable<SqlUuid> => Option<Uuid>,
    o: Nullable<Oid> => Option<u32>,
    j: Nullable<Json> => Option<Value>,
    jb: Nullable<Jsonb> => Option<Value>,
});

row_struct!(RowB, RowBByName, [read::diff_b, write::diff_b, by_name::diff_b, prop_rows::diff_b], {
    id: Integer => i32,
    d: Nullable<Date> => Option<NaiveDate>,
    t: Nullable<Time> => Option<NaiveTime>,
    ts: Nullable<Timestamp> => Option<NaiveDateTime>,
    tstz: Nullable<Timestamptz> => Option<DateTime<Utc>>,
    iv: Nullable<Interval> => Option<PgInterval>,
    ci: Nullable<Citext> => Option<String>,
    ints: Nullable<Array<Nullable<Integer>>> => Option<Vec<Option<i32>>>,
    texts: Nullable<Array<Text>> => Option<Vec<String>>,
    dates: Nullable<Array<Date>> => Option<Vec<NaiveDate>>,
    uuids: Nullable<Array<SqlUuid>> => Option<Vec<Uuid>>,
    nums: Nullable<Array<Numeric>> => Option<Vec<BigDecimal>>,
    mood: Nullable<MoodSql> => Option<Mood>,
    mood2: Nullable<Mood2Sql> => Option<Mood2>,
    moods: Nullable<Array<MoodSql>> => Option<Vec<Mood>>,
});

/// Both halves of a row, by column name (`SELECT * FROM a JOIN b USING (id)`).
#[derive(Debug, Clone, QueryableByName)]
struct ByNameRow {
    #[diesel(embed)]
    a: RowAByName,
    #[diesel(embed)]
    b: RowBByName,
}

fn create_tables_sql(a: &str, b: &str) -> String {
    format!(
        "DROP TABLE IF EXISTS {b}; DROP TABLE IF EXISTS {a};
         CREATE TABLE {a} (
             id INT PRIMARY KEY, i2 SMALLINT, i4 INTEGER, i8 BIGINT, f4 REAL,
             f8 DOUBLE PRECISION, num NUMERIC, b BOOLEAN, txt TEXT, vc VARCHAR(200),
             bp CHAR(8), bin BYTEA, u UUID, o OID, j JSON, jb JSONB);
         CREATE TABLE {b} (
             id INT PRIMARY KEY, d DATE, t TIME, ts TIMESTAMP, tstz TIMESTAMPTZ, iv INTERVAL,
             ci CITEXT, ints INT[], texts TEXT[], dates DATE[], uuids UUID[], nums NUMERIC[],
             mood mood, mood2 other_schema.mood2, moods mood[]);"
    )
}

// ---------------------------------------------------------------------------------------------
// Connections.

/// The oracle and our two connections on database [`DB`], with a runtime for the async ones.
struct Conns {
    rt: tokio::runtime::Runtime,
    native: AsyncPgConnection,
    adata: AsyncDataApiPgConnection,
    sdata: DataApiPgConnection,
}

impl Conns {
    fn new() -> Self {
        use diesel_async::AsyncConnection;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (native_url, data_api_url) = (pg_native_url(DB), pg_url(DB));
        let mut native = rt
            .block_on(AsyncPgConnection::establish(&native_url))
            .unwrap_or_else(|e| panic!("native connection to {native_url}: {e}"));
        setup_database(&rt, &mut native);
        let adata = rt
            .block_on(AsyncDataApiPgConnection::establish(&data_api_url))
            .unwrap();
        let sdata = <DataApiPgConnection as Connection>::establish(&data_api_url).unwrap();
        Conns {
            rt,
            native,
            adata,
            sdata,
        }
    }

    /// Runs SQL on the native connection.
    fn native_sql(&mut self, sql: &str) {
        self.rt
            .block_on(diesel_async::SimpleAsyncConnection::batch_execute(
                &mut self.native,
                sql,
            ))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Fresh tables `a` / `b`, locked for this connection's life against other runs of this
    /// binary (session-level advisory lock on the native connection).
    fn fresh_tables(&mut self, a: &str, b: &str) {
        self.native_sql(&format!(
            "SELECT pg_advisory_lock(hashtext('{a}'));{}",
            create_tables_sql(a, b)
        ));
    }
}

/// Runs the same query (an expression, evaluated once per connection) through the native,
/// async Data API and sync Data API connections; `$method` is a `RunQueryDsl` method.
macro_rules! run3 {
    ($c:expr, $method:ident, $out:ty, $query:expr) => {{
        let c: &mut Conns = $c;
        let native: QueryResult<$out> =
            c.rt.block_on(diesel_async::RunQueryDsl::$method($query, &mut c.native));
        let adata: QueryResult<$out> =
            c.rt.block_on(diesel_async::RunQueryDsl::$method($query, &mut c.adata));
        let sdata: QueryResult<$out> = diesel::RunQueryDsl::$method($query, &mut c.sdata);
        (native, adata, sdata)
    }};
}

/// Once per process: citext (required), the enum types, `other_schema`. Serialized across
/// processes by a transaction-level advisory lock.
fn setup_database(rt: &tokio::runtime::Runtime, native: &mut AsyncPgConnection) {
    static DONE: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
    if *done {
        return;
    }
    #[derive(QueryableByName)]
    struct Available {
        #[diesel(sql_type = Integer)]
        #[allow(dead_code)]
        one: i32,
    }
    let available: Vec<Available> = rt
        .block_on(diesel_async::RunQueryDsl::load(
            diesel::sql_query("SELECT 1 AS one FROM pg_available_extensions WHERE name = 'citext'"),
            native,
        ))
        .unwrap();
    assert!(
        !available.is_empty(),
        "the citext extension is not available on the PostgreSQL server of {} \
         (install postgresql-contrib); the differential suite needs it for the Citext type",
        pg_base()
    );
    let sql = format!(
        "BEGIN;
         SELECT pg_advisory_xact_lock(hashtext('dataapi_pg_diff setup'));
         CREATE EXTENSION IF NOT EXISTS citext;
         CREATE SCHEMA IF NOT EXISTS other_schema;
         DO $$ BEGIN
             IF to_regtype('public.mood') IS NULL THEN
                 CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
             END IF;
             IF to_regtype('other_schema.mood2') IS NULL THEN
                 CREATE TYPE other_schema.mood2 AS ENUM ({MOOD2_LABELS});
             END IF;
         END $$;
         COMMIT;"
    );
    rt.block_on(diesel_async::SimpleAsyncConnection::batch_execute(
        native, &sql,
    ))
    .unwrap_or_else(|e| panic!("database setup: {e}"));
    *done = true;
}

// ---------------------------------------------------------------------------------------------
// Fixed edge cases.

fn dec(s: &str) -> BigDecimal {
    BigDecimal::from_str(s).unwrap()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn hms_micro(h: u32, m: u32, s: u32, us: u32) -> NaiveTime {
    NaiveTime::from_hms_micro_opt(h, m, s, us).unwrap()
}

/// PostgreSQL's first date and timestamp, 4714-11-24 BC (astronomical year -4713).
fn pg_min_date() -> NaiveDate {
    ymd(-4713, 11, 24)
}

const UNICODE: &str = "héllo wörld 🎉 \u{FFFF}\u{10FFFF} \"quoted\" back\\slash\nnew line\ttab 'single' $1 :p1 ? {a,b} NULL";

/// Rows with extreme and awkward values (ids 1..=6); id 5 is all NULL.
fn fixture_a() -> Vec<RowA> {
    let null = |id| RowA {
        id,
        i2: None,
        i4: None,
        i8: None,
        f4: None,
        f8: None,
        num: None,
        b: None,
        txt: None,
        vc: None,
        bp: None,
        bin: None,
        u: None,
        o: None,
        j: None,
        jb: None,
    };
    vec![
        RowA {
            id: 1,
            i2: Some(i16::MIN),
            i4: Some(i32::MIN),
            i8: Some(i64::MIN),
            f4: Some(f32::MIN),
            f8: Some(f64::MIN),
            num: Some(dec("-10000000000000000000000000000000000000000")),
            b: Some(false),
            txt: Some(String::new()),
            vc: Some(String::new()),
            bp: Some(String::new()),
            bin: Some(vec![]),
            u: Some(Uuid::nil()),
            o: Some(0),
            j: Some(Value::Null),
            jb: Some(json!({})),
        },
        RowA {
            id: 2,
            i2: Some(i16::MAX),
            i4: Some(i32::MAX),
            i8: Some(i64::MAX),
            f4: Some(f32::NAN),
            f8: Some(f64::NAN),
            num: Some(dec("1e-30")),
            b: Some(true),
            txt: Some(UNICODE.into()),
            vc: Some("NULL".into()),
            bp: Some("ab".into()),
            bin: Some((0..=255).collect()),
            u: Some(Uuid::from_bytes([0xff; 16])),
            o: Some(u32::MAX),
            j: Some(json!({"nested": {"a": [1, -2, 3.5, null, true, "ü\"\\"]}, "": []})),
            jb: Some(json!([{"k": "v"}, [], {}, "🎉", i64::MIN, u64::MAX])),
        },
        RowA {
            id: 3,
            i2: Some(0),
            i4: Some(-1),
            i8: Some(1),
            f4: Some(f32::INFINITY),
            f8: Some(f64::NEG_INFINITY),
            num: Some(dec("1.50")),
            b: Some(true),
            txt: Some("{a,\"b\"}\\".into()),
            vc: Some(" x ".into()),
            bp: Some("exactly8".into()),
            bin: Some(vec![0]),
            u: Some(Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef)),
            o: Some(1),
            j: Some(json!([1, 2.5, -0.0, 1e300, 5e-324, "ü", {"k": [null, true]}])),
            jb: Some(json!({"a": 1e-7, "b": [u64::MAX], "ß": "\u{1F600}", "z": 0.1})),
        },
        RowA {
            id: 4,
            i2: Some(-1),
            i4: Some(0),
            i8: Some(-1),
            f4: Some(f32::NEG_INFINITY),
            f8: Some(f64::INFINITY),
            num: Some(BigDecimal::new(BigInt::from(1), -40)),
            b: Some(false),
            txt: Some("  leading and trailing  ".into()),
            vc: Some("\"".into()),
            bp: Some("ü  ".into()),
            bin: Some(b"\\x00\0'\"".to_vec()),
            u: Some(Uuid::from_u128(1)),
            o: Some(2_147_483_648),
            j: Some(json!("just a string")),
            jb: Some(json!(-12.5)),
        },
        null(5),
        RowA {
            id: 6,
            i2: Some(1),
            i4: Some(1),
            i8: Some(0),
            f4: Some(-0.0),
            f8: Some(f64::from_bits(1)),
            num: Some(dec("-0.000123")),
            b: None,
            txt: Some("x".repeat(5000)),
            vc: None,
            bp: Some(" ".into()),
            bin: Some(vec![0xff; 3000]),
            u: None,
            o: None,
            j: Some(json!(0)),
            jb: Some(json!(null)),
        },
        RowA {
            id: 7,
            f4: Some(f32::from_bits(1)),
            f8: Some(f64::MIN_POSITIVE),
            num: Some(dec(
                "123456789012345678901234567890.123456789012345678901234567890",
            )),
            ..null(7)
        },
        RowA {
            id: 8,
            f4: Some(f32::MAX),
            f8: Some(f64::MAX),
            num: Some(dec("0.00")),
            ..null(8)
        },
        RowA {
            id: 9,
            f4: Some(0.1),
            f8: Some(0.1),
            num: Some(dec("-99999999999999999999.99999999999999999999")),
            ..null(9)
        },
    ]
}

/// Id of the row with dates beyond what the `time` crate represents (year 262143).
const CHRONO_ONLY_ID: i32 = 2;

fn fixture_b() -> Vec<RowB> {
    let null = |id| RowB {
        id,
        d: None,
        t: None,
        ts: None,
        tstz: None,
        iv: None,
        ci: None,
        ints: None,
        texts: None,
        dates: None,
        uuids: None,
        nums: None,
        mood: None,
        mood2: None,
        moods: None,
    };
    let last_micro = hms_micro(23, 59, 59, 999_999);
    vec![
        RowB {
            id: 1,
            d: Some(pg_min_date()),
            t: Some(NaiveTime::MIN),
            ts: Some(pg_min_date().and_time(NaiveTime::MIN)),
            tstz: Some(pg_min_date().and_time(NaiveTime::MIN).and_utc()),
            iv: Some(PgInterval::new(0, 0, 0)),
            ci: Some(String::new()),
            ints: Some(vec![]),
            texts: Some(vec![]),
            dates: Some(vec![]),
            uuids: Some(vec![]),
            nums: Some(vec![]),
            mood: Some(Mood::Sad),
            mood2: Some(Mood2::Plain),
            moods: Some(vec![]),
        },
        RowB {
            id: CHRONO_ONLY_ID,
            d: Some(NaiveDate::MAX),
            t: Some(last_micro),
            ts: Some(NaiveDate::MAX.and_time(last_micro)),
            tstz: Some(NaiveDate::MAX.and_time(last_micro).and_utc()),
            iv: Some(PgInterval::new(i64::MAX, i32::MAX, i32::MAX - 1)),
            ci: Some("MiXeD CaSe Ünïcödé".into()),
            ints: Some(vec![Some(i32::MAX), None, Some(i32::MIN), None]),
            texts: Some(
                [
                    "NULL",
                    "null",
                    "",
                    "a,b",
                    "{}",
                    "\"q\"",
                    "back\\slash",
                    " spaced ",
                    "ü🎉",
                    UNICODE,
                ]
                .map(String::from)
                .to_vec(),
            ),
            dates: Some(vec![
                pg_min_date(),
                NaiveDate::MAX,
                ymd(2000, 2, 29),
                ymd(-43, 3, 15),
            ]),
            uuids: Some(vec![
                Uuid::nil(),
                Uuid::from_bytes([0xff; 16]),
                Uuid::from_u128(42),
            ]),
            nums: Some(vec![
                dec("1.50"),
                dec("-1e-30"),
                BigDecimal::new(BigInt::from(7), -40),
                dec("0"),
                dec("-0.00"),
            ]),
            mood: Some(Mood::Happy),
            mood2: Some(Mood2::Punctuation),
            moods: Some(vec![Mood::Ok, Mood::Sad, Mood::Happy]),
        },
        RowB {
            id: 3,
            d: Some(ymd(2024, 2, 29)),
            t: Some(hms_micro(12, 34, 56, 789_012)),
            ts: Some(ymd(1999, 12, 31).and_time(last_micro)),
            tstz: Some(ymd(2038, 1, 19).and_time(hms_micro(3, 14, 7, 1)).and_utc()),
            iv: Some(PgInterval::new(-3, 2, -1)),
            ci: Some("abc".into()),
            ints: Some(vec![Some(42)]),
            texts: Some(vec!["x".into()]),
            dates: Some(vec![ymd(1970, 1, 1)]),
            uuids: Some(vec![Uuid::from_u128(u128::MAX / 3)]),
            nums: Some(vec![dec("3.14159265358979323846264338327950288")]),
            mood: Some(Mood::Ok),
            mood2: Some(Mood2::WithSpace),
            moods: Some(vec![Mood::Happy]),
        },
        RowB {
            id: 4,
            d: Some(ymd(-43, 3, 15)),
            t: Some(hms_micro(0, 0, 0, 1)),
            ts: Some(ymd(0, 1, 1).and_time(hms_micro(12, 0, 0, 0))),
            tstz: Some(ymd(0, 12, 31).and_time(last_micro).and_utc()),
            iv: Some(PgInterval::new(-1_000_000_007, -30, -13)),
            ci: Some("NULL".into()),
            ints: Some(vec![None]),
            texts: Some(vec!["".into()]),
            dates: Some(vec![ymd(-4713, 11, 24)]),
            uuids: Some(vec![Uuid::nil()]),
            nums: Some(vec![dec("-0.000000000000000000000000000001")]),
            mood: Some(Mood::Sad),
            mood2: Some(Mood2::Unicode),
            moods: Some(vec![Mood::Sad, Mood::Sad]),
        },
        null(5),
        RowB {
            id: 6,
            d: Some(ymd(1, 1, 1)),
            t: Some(hms_micro(1, 2, 3, 400_000)),
            ts: Some(ymd(2000, 1, 1).and_time(NaiveTime::MIN)),
            tstz: Some(ymd(1969, 12, 31).and_time(last_micro).and_utc()),
            iv: Some(PgInterval::new(i64::MIN, i32::MIN, 0)),
            ci: None,
            ints: Some(vec![None, None]),
            texts: None,
            dates: None,
            uuids: None,
            nums: None,
            mood: None,
            mood2: Some(Mood2::NullWord),
            moods: None,
        },
        RowB {
            id: 7,
            iv: Some(PgInterval::new(i64::MAX, 0, i32::MIN)),
            ..null(7)
        },
        RowB {
            id: 8,
            iv: Some(PgInterval::new(86_400_000_000, -1, 1)),
            ..null(8)
        },
        RowB {
            id: 9,
            d: Some(ymd(9999, 12, 31)),
            t: Some(hms_micro(0, 0, 0, 0)),
            ts: Some(ymd(10000, 1, 1).and_time(NaiveTime::MIN)),
            tstz: Some(ymd(-4713, 11, 24).and_time(last_micro).and_utc()),
            ..null(9)
        },
    ]
}

/// Rows written as SQL literals (ids 100..): forms diesel never produces (non-canonical
/// numerics, `24:00:00`, offsets, `-0`, char(n) padding, …).
fn literal_rows_sql(a: &str, b: &str) -> String {
    format!(
        r#"INSERT INTO {a} VALUES
             (100, -0, 0, 0, '-0', '-0', '1.500', 't', E'tab\there', 'trailing  ', 'ab',
              '\x00ff', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 4294967295,
              '{{"b": 1, "a": [1, 2.50, -0, 1e100],  "a": "dup"}}', '{{"b": 1, "a": [1, 2.50, 1e-7, 1E+3]}}'),
             (101, 32767, 2147483647, 9223372036854775807, 'NaN', 'Infinity', '-0.00', 'f',
              '', '', '', '', '00000000-0000-0000-0000-000000000000', 0, '[]', '"x"'),
             (102, NULL, NULL, NULL, '1e-45', '4.9e-324', '1e-30', NULL, 'ü', 'ü', 'üüüüüüüü',
              '\xdeadbeef', NULL, NULL, '  {{ "spaced" :  true }} ', '{{"a": {{"b": {{"c": []}}}}}}'),
             (103, NULL, NULL, NULL, '3.4028235e38', '1.7976931348623157e308', '1e40', NULL,
              NULL, NULL, NULL, NULL, NULL, NULL, '123456789012345678901234567890',
              '123456789012345678901234567890.5');
           INSERT INTO {b} VALUES
             (100, '4714-11-24 BC', '24:00:00', '4714-11-24 00:00:00 BC',
              '2024-06-01 12:00:00.123456+05:30', '1 year 2 mons -3 days 04:05:06.789',
              'CaSe', '{{1,NULL,-2147483648}}', '{{"NULL","",null_not,"a\"b","c\\d"," x ","{{}}"}}',
              '{{2000-02-29,0044-03-15 BC}}', '{{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}}',
              '{{1.50,-0.000,1e40,0.1e-5}}', 'happy', 'with space', '{{sad,happy}}'),
             (101, '0001-01-01', '00:00:00.000001', '0001-12-31 23:59:59.999999 BC',
              '1970-01-01 00:00:00-15:59', '-178000000 years', '',
              '{{}}', '{{}}', '{{}}', '{{}}', '{{}}', 'ok', 'NULL', '{{}}'),
             (102, '2000-01-01', '23:59:59.999999', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00',
              '@ 1 day 2 hours ago', NULL, '{{NULL}}', '{{NULL_}}', NULL, NULL, NULL, NULL, NULL, NULL),
             (103, '5874897-12-31', '12:00', '294276-12-31 23:59:59.999999',
              '294276-12-31 23:59:59.999999+00', '178000000 years', NULL, NULL, NULL, NULL,
              NULL, NULL, NULL, NULL, NULL);"#
    )
}

// ---------------------------------------------------------------------------------------------
// 1. Rows written natively, read through all three connections.

#[test]
fn native_rows_read_identically() {
    use read::{diff_a, diff_b};
    let c = &mut Conns::new();
    c.fresh_tables(read::A, read::B);
    let (rows_a, rows_b) = (fixture_a(), fixture_b());
    c.rt.block_on(diesel_async::RunQueryDsl::execute(
        diesel::insert_into(diff_a::table).values(&rows_a),
        &mut c.native,
    ))
    .unwrap();
    c.rt.block_on(diesel_async::RunQueryDsl::execute(
        diesel::insert_into(diff_b::table).values(&rows_b),
        &mut c.native,
    ))
    .unwrap();

    // The oracle reads back what it wrote (sanity of the fixtures, scale-exact numerics aside).
    let (n, a, s) = run3!(c, load, Vec<RowA>, diff_a::table.order(diff_a::id));
    let loaded = agree_ok("diff_a rows", n, a, s);
    assert_eq!(loaded.len(), rows_a.len());
    let (n, a, s) = run3!(
        c,
        load,
        Vec<(RowA, RowB)>,
        diff_a::table.inner_join(diff_b::table).order(diff_a::id)
    );
    let joined = agree_ok("diff_a ⋈ diff_b rows", n, a, s);
    assert_eq!(joined.len(), rows_b.len());
    for ((got_a, got_b), (want_a, want_b)) in joined.iter().zip(rows_a.iter().zip(&rows_b)) {
        // Values come back as written, numerics by value only (diesel binds 10^40 at scale 0
        // and zero at scale 0).
        let id = want_a.id;
        assert!(
            got_a.num == want_a.num,
            "row {id}: {:?} {:?}",
            got_a.num,
            want_a.num
        );
        assert!(
            got_b.nums == want_b.nums,
            "row {id}: {:?} {:?}",
            got_b.nums,
            want_b.nums
        );
        // CHAR(8) pads with blanks.
        let padded = want_a.bp.as_ref().map(|s| format!("{s:<8}"));
        assert_eq!(
            RowA {
                num: None,
                ..got_a.clone()
            },
            RowA {
                num: None,
                bp: padded,
                ..want_a.clone()
            },
            "native round trip of fixture row {id}"
        );
        assert_eq!(
            RowB {
                nums: None,
                ..got_b.clone()
            },
            RowB {
                nums: None,
                ..want_b.clone()
            },
            "native round trip of fixture row {id}"
        );
    }

    // Literal rows: forms diesel does not produce. Row 103 has dates chrono cannot represent:
    // every connection must fail the same way on it.
    c.native_sql(&literal_rows_sql(read::A, read::B));
    let (n, a, s) = run3!(
        c,
        load,
        Vec<(RowA, RowB)>,
        diff_a::table
            .inner_join(diff_b::table)
            .filter(diff_a::id.between(100, 102))
            .order(diff_a::id)
    );
    let literal = agree_ok("literal rows", n, a, s);
    assert_eq!(literal.len(), 3);
    assert_eq!(
        literal[0].0.bp.as_deref(),
        Some("ab      "),
        "char(8) padding"
    );
    assert_eq!(
        literal[0].1.t,
        Some(NaiveTime::MIN),
        "24:00:00 wraps in diesel"
    );
    let (n, a, s) = run3!(c, load, Vec<RowB>, diff_b::table.filter(diff_b::id.eq(103)));
    let err = agree("a date beyond chrono", n, a, s).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        matches!(err, Err(Error::DeserializationError(_))),
        "{err:?}"
    );

    // The same timestamps read as `time` crate types (it stops at year 9999).
    type TimeCols = (
        i32,
        Option<time::Date>,
        Option<time::Time>,
        Option<time::PrimitiveDateTime>,
        Option<time::OffsetDateTime>,
    );
    let time_cols = (diff_b::id, diff_b::d, diff_b::t, diff_b::ts, diff_b::tstz);
    let (n, a, s) = run3!(
        c,
        load,
        Vec<TimeCols>,
        diff_b::table
            .select(time_cols)
            .filter(diff_b::id.ne_all([CHRONO_ONLY_ID, 9, 103]))
            .order(diff_b::id)
    );
    let times = agree_ok("time crate columns", n, a, s);
    assert_eq!(times.len(), rows_b.len() - 2 + 3);
    assert_eq!(
        times[0].1,
        Some(time::Date::from_calendar_date(-4713, time::Month::November, 24).unwrap())
    );
    for id in [CHRONO_ONLY_ID, 9] {
        let (n, a, s) = run3!(
            c,
            load,
            Vec<TimeCols>,
            diff_b::table.select(time_cols).filter(diff_b::id.eq(id))
        );
        let err = agree("a date beyond the time crate", n, a, s).unwrap_or_else(|d| panic!("{d}"));
        assert!(
            matches!(err, Err(Error::DeserializationError(_))),
            "{err:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Rows written through each connection, read back natively.

#[test]
fn data_api_writes_read_back_natively() {
    use write::{diff_a, diff_b};
    let c = &mut Conns::new();
    c.fresh_tables(write::A, write::B);
    let (rows_a, rows_b) = (fixture_a(), fixture_b());
    let shift_a = |rows: &[RowA], by: i32| -> Vec<RowA> {
        rows.iter()
            .map(|r| RowA {
                id: r.id + by,
                ..r.clone()
            })
            .collect()
    };
    let shift_b = |rows: &[RowB], by: i32| -> Vec<RowB> {
        rows.iter()
            .map(|r| RowB {
                id: r.id + by,
                ..r.clone()
            })
            .collect()
    };

    // Batch inserts: native at +0, async Data API at +1000, sync Data API at +2000.
    let (a0, b0) = (shift_a(&rows_a, 0), shift_b(&rows_b, 0));
    let (a1, b1) = (shift_a(&rows_a, 1000), shift_b(&rows_b, 1000));
    let (a2, b2) = (shift_a(&rows_a, 2000), shift_b(&rows_b, 2000));
    let n =
        c.rt.block_on(diesel_async::RunQueryDsl::execute(
            diesel::insert_into(diff_a::table).values(&a0),
            &mut c.native,
        ))
        .unwrap();
    assert_eq!(n, rows_a.len());
    c.rt.block_on(diesel_async::RunQueryDsl::execute(
        diesel::insert_into(diff_b::table).values(&b0),
        &mut c.native,
    ))
    .unwrap();
    let n =
        c.rt.block_on(diesel_async::RunQueryDsl::execute(
            diesel::insert_into(diff_a::table).values(&a1),
            &mut c.adata,
        ))
        .unwrap();
    assert_eq!(n, rows_a.len());
    c.rt.block_on(diesel_async::RunQueryDsl::execute(
        diesel::insert_into(diff_b::table).values(&b1),
        &mut c.adata,
    ))
    .unwrap();
    let n =
        diesel::RunQueryDsl::execute(diesel::insert_into(diff_a::table).values(&a2), &mut c.sdata)
            .unwrap();
    assert_eq!(n, rows_a.len());
    diesel::RunQueryDsl::execute(diesel::insert_into(diff_b::table).values(&b2), &mut c.sdata)
        .unwrap();

    // One by one with RETURNING: native at +3000, async at +4000, sync at +5000; the
    // RETURNING rows must agree too.
    for (ra, rb) in rows_a.iter().zip(&rows_b) {
        let (n, a, s) = {
            let one = |by: i32| {
                (
                    RowA {
                        id: ra.id + by,
                        ..ra.clone()
                    },
                    RowB {
                        id: rb.id + by,
                        ..rb.clone()
                    },
                )
            };
            let ((na, nb), (aa, ab), (sa, sb)) = (one(3000), one(4000), one(5000));
            let native = c.rt.block_on(async {
                let x: RowA = diesel_async::RunQueryDsl::get_result(
                    diesel::insert_into(diff_a::table)
                        .values(&na)
                        .returning(diff_a::all_columns),
                    &mut c.native,
                )
                .await?;
                let y: RowB = diesel_async::RunQueryDsl::get_result(
                    diesel::insert_into(diff_b::table)
                        .values(&nb)
                        .returning(diff_b::all_columns),
                    &mut c.native,
                )
                .await?;
                QueryResult::Ok((x, y))
            });
            let adata = c.rt.block_on(async {
                let x: RowA = diesel_async::RunQueryDsl::get_result(
                    diesel::insert_into(diff_a::table)
                        .values(&aa)
                        .returning(diff_a::all_columns),
                    &mut c.adata,
                )
                .await?;
                let y: RowB = diesel_async::RunQueryDsl::get_result(
                    diesel::insert_into(diff_b::table)
                        .values(&ab)
                        .returning(diff_b::all_columns),
                    &mut c.adata,
                )
                .await?;
                QueryResult::Ok((x, y))
            });
            let sdata = (|| {
                let x: RowA = diesel::RunQueryDsl::get_result(
                    diesel::insert_into(diff_a::table)
                        .values(&sa)
                        .returning(diff_a::all_columns),
                    &mut c.sdata,
                )?;
                let y: RowB = diesel::RunQueryDsl::get_result(
                    diesel::insert_into(diff_b::table)
                        .values(&sb)
                        .returning(diff_b::all_columns),
                    &mut c.sdata,
                )?;
                QueryResult::Ok((x, y))
            })();
            // Compare with ids normalized.
            let norm = |r: QueryResult<(RowA, RowB)>, by: i32| {
                r.map(|(x, y)| (RowA { id: x.id - by, ..x }, RowB { id: y.id - by, ..y }))
            };
            (norm(native, 3000), norm(adata, 4000), norm(sdata, 5000))
        };
        agree_ok(&format!("INSERT … RETURNING row {}", ra.id), n, a, s);
    }

    // Everything read back through the native connection, per id range.
    let mut read_range = |from: i32| -> Vec<(RowA, RowB)> {
        let rows: Vec<(RowA, RowB)> =
            c.rt.block_on(diesel_async::RunQueryDsl::load(
                diff_a::table
                    .inner_join(diff_b::table)
                    .filter(diff_a::id.between(from, from + 999))
                    .order(diff_a::id),
                &mut c.native,
            ))
            .unwrap();
        rows.into_iter()
            .map(|(x, y)| {
                (
                    RowA {
                        id: x.id - from,
                        ..x
                    },
                    RowB {
                        id: y.id - from,
                        ..y
                    },
                )
            })
            .collect()
    };
    let oracle = read_range(0);
    assert_eq!(oracle.len(), rows_b.len());
    for (from, how) in [
        (1000, "async batch insert"),
        (2000, "sync batch insert"),
        (3000, "native one-by-one insert"),
        (4000, "async one-by-one insert"),
        (5000, "sync one-by-one insert"),
    ] {
        let got = read_range(from);
        assert_eq!(got.len(), oracle.len(), "{how}");
        for (g, o) in got.iter().zip(&oracle) {
            assert!(
                g.same(o),
                "{how}: row {} read natively differs from the natively written one\n  native write: {o:?}\n  {how}: {g:?}",
                o.0.id
            );
        }
    }

    // `time` crate values written through each connection, read natively as `time` values.
    let t_date = time::Date::from_calendar_date(-4713, time::Month::November, 24).unwrap();
    let t_time = time::Time::from_hms_micro(23, 59, 59, 999_999).unwrap();
    let t_ts = time::PrimitiveDateTime::new(
        time::Date::from_calendar_date(9999, time::Month::December, 31).unwrap(),
        t_time,
    );
    let t_tstz = time::PrimitiveDateTime::new(
        time::Date::from_calendar_date(-400, time::Month::February, 29).unwrap(),
        time::Time::from_hms_micro(1, 2, 3, 4).unwrap(),
    )
    .assume_offset(time::UtcOffset::from_hms(-9, -30, 0).unwrap());
    let values = |id: i32| {
        (
            diff_b::id.eq(id),
            diff_b::d.eq(t_date),
            diff_b::t.eq(t_time),
            diff_b::ts.eq(t_ts),
            diff_b::tstz.eq(t_tstz),
        )
    };
    c.rt.block_on(diesel_async::RunQueryDsl::execute(
        diesel::insert_into(diff_b::table).values(values(9001)),
        &mut c.native,
    ))
    .unwrap();
    c.rt.block_on(diesel_async::RunQueryDsl::execute(
        diesel::insert_into(diff_b::table).values(values(9002)),
        &mut c.adata,
    ))
    .unwrap();
    diesel::RunQueryDsl::execute(
        diesel::insert_into(diff_b::table).values(values(9003)),
        &mut c.sdata,
    )
    .unwrap();
    type TimeRow = (
        Option<time::Date>,
        Option<time::Time>,
        Option<time::PrimitiveDateTime>,
        Option<time::OffsetDateTime>,
    );
    let read: Vec<TimeRow> =
        c.rt.block_on(diesel_async::RunQueryDsl::load(
            diff_b::table
                .select((diff_b::d, diff_b::t, diff_b::ts, diff_b::tstz))
                .filter(diff_b::id.ge(9001))
                .order(diff_b::id),
            &mut c.native,
        ))
        .unwrap();
    assert_eq!(read.len(), 3);
    assert_eq!(read[0].3, Some(t_tstz), "native time round trip");
    assert!(
        read[1].same(&read[0]),
        "async Data API time write: {read:?}"
    );
    assert!(read[2].same(&read[0]), "sync Data API time write: {read:?}");
}

// ---------------------------------------------------------------------------------------------
// 4. sql_query + QueryableByName (column lookup by name), with a bind.

#[test]
fn sql_query_by_name_reads_identically() {
    use by_name::{diff_a, diff_b};
    let c = &mut Conns::new();
    c.fresh_tables(by_name::A, by_name::B);
    c.rt.block_on(diesel_async::RunQueryDsl::execute(
        diesel::insert_into(diff_a::table).values(&fixture_a()),
        &mut c.native,
    ))
    .unwrap();
    c.rt.block_on(diesel_async::RunQueryDsl::execute(
        diesel::insert_into(diff_b::table).values(&fixture_b()),
        &mut c.native,
    ))
    .unwrap();
    // Literal rows too, but not b's row 103 (dates chrono cannot represent).
    c.native_sql(&literal_rows_sql(by_name::A, by_name::B));
    c.native_sql(&format!("DELETE FROM {} WHERE id = 103", by_name::B));
    // Columns in an order unlike the structs', `USING` merges the two ids.
    let sql = format!(
        "SELECT * FROM {b} JOIN {a} USING (id) WHERE id >= $1 AND id <> $2 ORDER BY id DESC",
        a = by_name::A,
        b = by_name::B
    );
    let query = || {
        diesel::sql_query(sql.clone())
            .bind::<Integer, _>(3)
            .bind::<Integer, _>(9)
    };
    let (n, a, s) = run3!(c, load, Vec<ByNameRow>, query());
    let to_rows = |r: QueryResult<Vec<ByNameRow>>| {
        r.map(|rows| {
            rows.into_iter()
                .map(|r| (RowA::from(r.a), RowB::from(r.b)))
                .collect::<Vec<_>>()
        })
    };
    let rows = agree_ok("sql_query by name", to_rows(n), to_rows(a), to_rows(s));
    // Ids 3..=8 of the fixtures and the literal rows 100..=102 (103 has no b row).
    assert_eq!(
        rows.iter().map(|r| r.0.id).collect::<Vec<_>>(),
        [102, 101, 100, 8, 7, 6, 5, 4, 3]
    );
    // The same through the DSL.
    let (n, a, s) = run3!(
        c,
        load,
        Vec<(RowA, RowB)>,
        diff_a::table
            .inner_join(diff_b::table)
            .filter(diff_a::id.ge(3).and(diff_a::id.ne(9)))
            .order(diff_a::id.desc())
    );
    let dsl = agree_ok("DSL", n, a, s);
    assert!(dsl.same(&rows), "sql_query and the DSL disagree");
}

// ---------------------------------------------------------------------------------------------
// Errors and the documented differences.

#[test]
fn errors_match_the_native_connection() {
    use diesel::dsl::sql;
    let c = &mut Conns::new();
    // Values diesel's FromSql rejects: the same DeserializationError, same message.
    let (n, a, s) = run3!(
        c,
        get_result,
        BigDecimal,
        diesel::select(sql::<Numeric>("'NaN'::numeric"))
    );
    let nan = agree("NaN numeric", n, a, s).unwrap_or_else(|d| panic!("{d}"));
    let Err(Error::DeserializationError(e)) = &nan else {
        panic!("{nan:?}")
    };
    assert!(
        error_chain(e.as_ref()).contains("NaN"),
        "{}",
        error_chain(e.as_ref())
    );
    let (n, a, s) = run3!(
        c,
        get_result,
        Option<BigDecimal>,
        diesel::select(sql::<Nullable<Numeric>>("'-Infinity'::numeric"))
    );
    let inf = agree("-Infinity numeric", n, a, s).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        matches!(inf, Err(Error::DeserializationError(_))),
        "{inf:?}"
    );
    let (n, a, s) = run3!(
        c,
        get_result,
        Vec<BigDecimal>,
        diesel::select(sql::<Array<Numeric>>("'{1,NaN}'::numeric[]"))
    );
    let r = agree("NaN in numeric[]", n, a, s).unwrap_or_else(|d| panic!("{d}"));
    assert!(matches!(r, Err(Error::DeserializationError(_))), "{r:?}");
    for (what, expr) in [
        ("infinity date", "'infinity'::date"),
        ("-infinity date", "'-infinity'::date"),
    ] {
        let (n, a, s) = run3!(c, get_result, NaiveDate, diesel::select(sql::<Date>(expr)));
        let r = agree(what, n, a, s).unwrap_or_else(|d| panic!("{d}"));
        assert!(
            matches!(r, Err(Error::DeserializationError(_))),
            "{what}: {r:?}"
        );
    }
    for (what, expr) in [
        ("infinity timestamp", "'infinity'::timestamp"),
        ("-infinity timestamp", "'-infinity'::timestamp"),
    ] {
        let (n, a, s) = run3!(
            c,
            get_result,
            NaiveDateTime,
            diesel::select(sql::<Timestamp>(expr))
        );
        let r = agree(what, n, a, s).unwrap_or_else(|d| panic!("{d}"));
        assert!(
            matches!(r, Err(Error::DeserializationError(_))),
            "{what}: {r:?}"
        );
    }
    // A NULL element in a Vec<String>.
    let (n, a, s) = run3!(
        c,
        get_result,
        Vec<String>,
        diesel::select(sql::<Array<Text>>("'{a,NULL}'::text[]"))
    );
    let r = agree("NULL element", n, a, s).unwrap_or_else(|d| panic!("{d}"));
    assert!(matches!(r, Err(Error::DeserializationError(_))), "{r:?}");
    // An unexpected NULL.
    let (n, a, s) = run3!(
        c,
        get_result,
        i32,
        diesel::select(sql::<Integer>("NULL::int4"))
    );
    let r = agree("unexpected NULL", n, a, s).unwrap_or_else(|d| panic!("{d}"));
    assert!(matches!(r, Err(Error::DeserializationError(_))), "{r:?}");
    // Values PostgreSQL rejects on input: a DatabaseError everywhere.
    let (n, a, s) = run3!(
        c,
        get_result,
        NaiveDate,
        diesel::select(NaiveDate::MIN.into_sql::<Date>())
    );
    let r = agree("date before 4714 BC", n, a, s).unwrap_or_else(|d| panic!("{d}"));
    assert!(matches!(r, Err(Error::DatabaseError(..))), "{r:?}");
    let (n, a, s) = run3!(
        c,
        get_result,
        String,
        diesel::select("nul \0 byte".into_sql::<Text>())
    );
    let r = agree("NUL in text", n, a, s).unwrap_or_else(|d| panic!("{d}"));
    assert!(matches!(r, Err(Error::DatabaseError(..))), "{r:?}");
    let (n, a, s) = run3!(
        c,
        get_result,
        i16,
        diesel::select(sql::<SmallInt>("32767::int2 + 1::int2"))
    );
    let r = agree("int2 overflow", n, a, s).unwrap_or_else(|d| panic!("{d}"));
    assert!(matches!(r, Err(Error::DatabaseError(..))), "{r:?}");

    // Documented difference: multi-dimensional arrays. diesel cannot decode them on the native
    // connection; the Data API refuses to return them (UnsupportedResultException).
    let (n, a, s) = run3!(
        c,
        get_result,
        Vec<i32>,
        diesel::select(sql::<Array<Integer>>("'{{1,2},{3,4}}'::int4[]"))
    );
    assert!(matches!(n, Err(Error::DeserializationError(_))), "{n:?}");
    for ours in [a, s] {
        match ours {
            Err(Error::DatabaseError(DatabaseErrorKind::Unknown, info)) => {
                assert!(info.message().contains("unsupported"), "{}", info.message())
            }
            other => panic!("multi-dimensional array through the Data API: {other:?}"),
        }
    }
}

/// Doubles whose shortest decimal form needs 17 digits, or that lie near the subnormal range,
/// cross the JSON of the Data API (both ways) bit for bit. The local server parses request
/// JSON with serde_json, whose default float parser is not correctly rounded: without the
/// `float_roundtrip` feature (enabled in the root Cargo.toml's dev-dependencies) the first
/// value came back one ulp off.
#[test]
fn doubles_cross_json_exactly() {
    use diesel::dsl::sql;
    let c = &mut Conns::new();
    let values = [
        5.419_978_506_795_307_6e-161,
        2.204_823_916_137_792e-308,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        0.1,
        1.0 / 3.0,
        f64::MAX,
        -9_007_199_254_740_993.0,
        1e23,
        8.988_465_674_311_579e307,
    ];
    for v in values {
        let (n, a, s) = run3!(c, get_result, f64, diesel::select(v.into_sql::<Double>()));
        let got = agree_ok(&format!("bind {v:e}"), n, a, s);
        assert!(got.same(&v), "{v:e} came back as {got:e}");
        let literal = format!("'{v:e}'::float8");
        let (n, a, s) = run3!(c, get_result, f64, diesel::select(sql::<Double>(&literal)));
        let got = agree_ok(&format!("result {literal}"), n, a, s);
        assert!(got.same(&v), "{literal} came back as {got:e}");
    }
    let all = values.to_vec();
    let (n, a, s) = run3!(
        c,
        get_result,
        Vec<f64>,
        diesel::select(all.clone().into_sql::<Array<Double>>())
    );
    let got = agree_ok("float8[]", n, a, s);
    assert!(got.same(&all), "{got:?}");
}

/// `money` can be bound (diesel's i64 cents → `CAST('12.34' AS money)`), but the Data API
/// cannot *return* money columns: it answers UnsupportedResultException ("The result contains
/// the unsupported data type money."), which our connections surface as a `DatabaseError`
/// naming the type. Reading `money_col::numeric` or `::text` works and agrees with the native
/// connection, which can read money directly.
#[test]
fn money_binds_but_is_read_as_numeric_or_text() {
    #[derive(Debug, QueryableByName)]
    struct AsNumber {
        #[diesel(sql_type = Numeric)]
        n: BigDecimal,
        #[diesel(sql_type = Text)]
        t: String,
    }
    impl Same for AsNumber {
        fn same(&self, other: &Self) -> bool {
            self.n.same(&other.n) && self.t == other.t
        }
    }
    let c = &mut Conns::new();
    for cents in [0, 1, -1, 123_456, -987_654_321, i64::MAX, i64::MIN] {
        let money = PgMoney(cents);
        let (n, a, s) = run3!(
            c,
            get_result,
            PgMoney,
            diesel::select(money.into_sql::<Money>())
        );
        assert_eq!(n.unwrap(), money, "native money round trip");
        for (name, ours) in [("async", a), ("sync", s)] {
            match ours {
                Err(Error::DatabaseError(_, info)) => assert!(
                    info.message().contains("unsupported data type money"),
                    "{name}: {}",
                    info.message()
                ),
                other => panic!("{name}: reading money through the Data API gave {other:?}"),
            }
        }
        let (n, a, s) = run3!(
            c,
            load,
            Vec<AsNumber>,
            diesel::sql_query("SELECT CAST($1 AS numeric) AS n, CAST($1 AS text) AS t")
                .bind::<Money, _>(money)
        );
        let got = agree_ok("money bound, read as numeric and text", n, a, s);
        let expected = BigDecimal::new(BigInt::from(cents), 2);
        assert!(got[0].n == expected, "{cents}: {:?}", got[0]);
    }
    // A money column written through each connection, read as numeric.
    let table = unique("diff_money");
    c.native_sql(&format!(
        "CREATE TABLE {table} (id INT PRIMARY KEY, m MONEY)"
    ));
    let insert = format!("INSERT INTO {table} VALUES ($1, $2)");
    let ins = |id: i32| {
        diesel::sql_query(insert.clone())
            .bind::<Integer, _>(id)
            .bind::<Nullable<Money>, _>(if id == 4 {
                None
            } else {
                Some(PgMoney(-12_345))
            })
    };
    c.rt.block_on(diesel_async::RunQueryDsl::execute(ins(1), &mut c.native))
        .unwrap();
    c.rt.block_on(diesel_async::RunQueryDsl::execute(ins(2), &mut c.adata))
        .unwrap();
    diesel::RunQueryDsl::execute(ins(3), &mut c.sdata).unwrap();
    diesel::RunQueryDsl::execute(ins(4), &mut c.sdata).unwrap();
    #[derive(Debug, QueryableByName)]
    struct MoneyRow {
        #[diesel(sql_type = Integer)]
        id: i32,
        #[diesel(sql_type = Nullable<Numeric>)]
        m: Option<BigDecimal>,
    }
    impl Same for MoneyRow {
        fn same(&self, other: &Self) -> bool {
            self.id == other.id && self.m.same(&other.m)
        }
    }
    let select = format!("SELECT id, m::numeric AS m FROM {table} ORDER BY id");
    let (n, a, s) = run3!(c, load, Vec<MoneyRow>, diesel::sql_query(select.clone()));
    let rows = agree_ok("money column as numeric", n, a, s);
    let m: Vec<Option<BigDecimal>> = rows.into_iter().map(|r| r.m).collect();
    let v = Some(dec("-123.45"));
    assert!(m.same(&vec![v.clone(), v.clone(), v, None]), "{m:?}");
    c.native_sql(&format!("DROP TABLE {table}"));
}

// ---------------------------------------------------------------------------------------------
// 3. proptest: random values of every type.

fn prop_config() -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..proptest::test_runner::Config::default()
    }
}

/// Runs `check` on `cases` random values from `strategy` with one set of connections.
fn run_prop<S>(strategy: S, check: impl Fn(&mut Conns, S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: Debug,
{
    let conns = RefCell::new(Conns::new());
    let mut runner = TestRunner::new(prop_config());
    let result = runner.run(&strategy, |v| {
        check(&mut conns.borrow_mut(), v).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// `SELECT value, Some(value), None` through the three connections: all equal, and the
/// oracle equal to the input (`exact`: by [`Same`]; `numeric`: by value; `none`: not checked).
macro_rules! prop_select {
    ($name:ident, $st:ty, $t:ty, $strategy:expr) => {
        prop_select!($name, $st, $t, $strategy, |got: &$t, v: &$t| got.same(v));
    };
    ($name:ident, $st:ty, $t:ty, $strategy:expr, $input_check:expr) => {
        #[test]
        fn $name() {
            run_prop($strategy, |c, v: $t| {
                let query = || {
                    diesel::select((
                        v.clone().into_sql::<$st>(),
                        Some(v.clone()).into_sql::<Nullable<$st>>(),
                        None::<$t>.into_sql::<Nullable<$st>>(),
                    ))
                };
                let (n, a, s) = run3!(c, get_result, ($t, Option<$t>, Option<$t>), query());
                let got = match agree(stringify!($name), n, a, s)? {
                    Ok(got) => got,
                    Err(e) => return Err(format!("all three connections failed: {e:?}")),
                };
                let input_check = $input_check;
                if !input_check(&got.0, &v) {
                    return Err(format!("the oracle did not round-trip {v:?}: {got:?}"));
                }
                if !got.1.as_ref().is_some_and(|g| g.same(&got.0)) || got.2.is_some() {
                    return Err(format!("Nullable results: {got:?}"));
                }
                Ok(())
            });
        }
    };
}

// -- strategies --

/// Any characters but NUL (PostgreSQL text cannot hold it), biased towards the ones literal
/// syntaxes care about; sometimes a whole awkward word.
fn text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        3 => any::<char>().prop_map(|c| if c == '\0' { '\u{1}' } else { c }),
        1 => prop::sample::select(vec![
            '"', '\\', '{', '}', ',', ' ', '\n', '\r', '\t', '\'', '$', ':', '?', '(', ')', '[',
            ']', 'N', 'U', 'L', '\u{7f}', '\u{FEFF}', 'é', '🎉',
        ]),
    ];
    prop_oneof![
        6 => prop::collection::vec(ch, 0..24).prop_map(|v| v.into_iter().collect()),
        1 => prop::sample::select(vec![
            "", " ", "NULL", "null", "\"\"", "{}", "a,b", "\\\\", "''", ":p1", "$1", "  x  ",
        ])
        .prop_map(String::from),
    ]
}

/// At most 8 characters, for `CHAR(8)`.
fn text8() -> impl Strategy<Value = String> {
    text().prop_map(|s| s.chars().take(8).collect())
}

/// Up to 50 significant digits at scales from -45 (×10^45) to 60, both signs, plus edges.
fn numeric() -> impl Strategy<Value = BigDecimal> {
    prop_oneof![
        6 => (any::<bool>(), "[0-9]{1,50}", -45i64..=60).prop_map(|(negative, digits, scale)| {
            let mut i = BigInt::from_str(&digits).unwrap();
            if negative {
                i = -i;
            }
            BigDecimal::new(i, scale)
        }),
        1 => prop::sample::select(vec![
            "0", "0.00", "-0.5", "1.50", "1e-30", "1e40", "-1e40", "0.000001", "100", "9999",
            "10000", "99999999.99999999", "-0.0001",
        ])
        .prop_map(dec),
    ]
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec(any::<u8>(), 0..64),
        1 => prop::collection::vec(prop::sample::select(vec![0u8, b'\\', b'x', b'\'', 0xff]), 0..16),
    ]
}

fn uuid() -> impl Strategy<Value = Uuid> {
    any::<[u8; 16]>().prop_map(Uuid::from_bytes)
}

/// Dates from PostgreSQL's first (4714-11-24 BC) to chrono's last (262143-12-31).
fn naive_date() -> impl Strategy<Value = NaiveDate> {
    use chrono::Datelike;
    let (lo, hi) = (
        pg_min_date().num_days_from_ce(),
        NaiveDate::MAX.num_days_from_ce(),
    );
    prop_oneof![
        3 => lo..=hi,
        // Mostly near our era, where bugs in month / leap-year arithmetic would show.
        3 => -800_000i32..=1_200_000,
        1 => prop::sample::select(vec![lo, hi, 1, 0, 730_120, 719_163, 730_179]),
    ]
    .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap())
}

/// Microsecond precision (diesel truncates nanoseconds).
fn naive_time() -> impl Strategy<Value = NaiveTime> {
    prop_oneof![
        4 => 0u64..86_400_000_000,
        1 => prop::sample::select(vec![0u64, 1, 999_999, 1_000_000, 86_399_999_999, 43_200_000_000]),
    ]
    .prop_map(|us| {
        NaiveTime::from_num_seconds_from_midnight_opt(
            (us / 1_000_000) as u32,
            (us % 1_000_000) as u32 * 1000,
        )
        .unwrap()
    })
}

fn naive_datetime() -> impl Strategy<Value = NaiveDateTime> {
    (naive_date(), naive_time()).prop_map(|(d, t)| d.and_time(t))
}

fn time_date() -> impl Strategy<Value = time::Date> {
    let lo = time::Date::from_calendar_date(-4713, time::Month::November, 24)
        .unwrap()
        .to_julian_day();
    let hi = time::Date::MAX.to_julian_day();
    prop_oneof![
        3 => lo..=hi,
        1 => prop::sample::select(vec![lo, hi, 2_451_545, 2_440_588, 1_721_426]),
    ]
    .prop_map(|jd| time::Date::from_julian_day(jd).unwrap())
}

fn time_time() -> impl Strategy<Value = time::Time> {
    (0u8..24, 0u8..60, 0u8..60, 0u32..1_000_000)
        .prop_map(|(h, m, s, us)| time::Time::from_hms_micro(h, m, s, us).unwrap())
}

fn time_datetime() -> impl Strategy<Value = time::PrimitiveDateTime> {
    (time_date(), time_time()).prop_map(|(d, t)| time::PrimitiveDateTime::new(d, t))
}

/// Any offset; the UTC instant stays inside the `time` crate's range.
fn time_offset_datetime() -> impl Strategy<Value = time::OffsetDateTime> {
    (time_datetime(), -86_399i32..=86_399).prop_filter_map(
        "outside the time crate's range",
        |(dt, offset)| {
            let offset = time::UtcOffset::from_whole_seconds(offset).ok()?;
            let utc = dt.assume_utc();
            // Keep a day of margin at both ends for the offset.
            let (lo, hi) = (
                time::Date::from_calendar_date(-4713, time::Month::November, 25).unwrap(),
                time::Date::from_calendar_date(9999, time::Month::December, 30).unwrap(),
            );
            (utc.date() >= lo && utc.date() <= hi).then(|| utc.to_offset(offset))
        },
    )
}

fn interval() -> impl Strategy<Value = PgInterval> {
    prop_oneof![
        3 => (any::<i64>(), any::<i32>(), any::<i32>()),
        3 => (-100_000_000_000i64..100_000_000_000, -1000i32..1000, -100i32..100),
        1 => (
            prop::sample::select(vec![0i64, 1, -1, i64::MAX, i64::MIN, 86_400_000_000, -3_600_000_000]),
            prop::sample::select(vec![0i32, 1, -1, i32::MAX, i32::MIN]),
            prop::sample::select(vec![0i32, 1, -1, 12, -13, i32::MAX, i32::MIN]),
        ),
    ]
    // (MIN, MIN, MIN) / (MAX, MAX, MAX) are PostgreSQL 17's ±infinity, which PostgreSQL 15
    // cannot read back as text.
    .prop_filter("±infinity sentinel", |&(us, d, m)| {
        (us, d, m) != (i64::MAX, i32::MAX, i32::MAX) && (us, d, m) != (i64::MIN, i32::MIN, i32::MIN)
    })
    .prop_map(|(us, d, m)| PgInterval::new(us, d, m))
}

/// Nested JSON: all number kinds, unicode strings and keys.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn mood() -> impl Strategy<Value = Mood> {
    prop::sample::select(vec![Mood::Sad, Mood::Ok, Mood::Happy])
}

fn mood2() -> impl Strategy<Value = Mood2> {
    prop::sample::select(vec![
        Mood2::Plain,
        Mood2::WithSpace,
        Mood2::Unicode,
        Mood2::Punctuation,
        Mood2::NullWord,
    ])
}

fn vec_of<S: Strategy>(s: S) -> impl Strategy<Value = Vec<S::Value>> {
    prop::collection::vec(s, 0..8)
}

/// Equal by value (numerics: diesel may bind another scale, e.g. 10^40 at scale 0).
fn same_value(got: &BigDecimal, v: &BigDecimal) -> bool {
    got == v
}

// -- one property per type --

prop_select!(prop_smallint, SmallInt, i16, any::<i16>());
prop_select!(prop_integer, Integer, i32, any::<i32>());
prop_select!(prop_bigint, SqlBigInt, i64, any::<i64>());
prop_select!(prop_float, Float, f32, any::<f32>());
prop_select!(prop_double, Double, f64, any::<f64>());
prop_select!(prop_numeric, Numeric, BigDecimal, numeric(), same_value);
prop_select!(prop_bool, Bool, bool, any::<bool>());
prop_select!(prop_text, Text, String, text());
prop_select!(prop_varchar, VarChar, String, text());
// diesel 2.4: `Bpchar` is its own SQL type (OID 1042), bound as `CAST(:pN AS bpchar)` as
// `PgConnection` binds it; blank padding of `CHAR(n)` is covered by the `bp CHAR(8)` column.

prop_select!(prop_bpchar, Bpchar, String, text());
prop_select!(prop_citext, Citext, String, text());
prop_select!(prop_bytea, Bytea, Vec<u8>, bytes());
prop_select!(prop_date, Date, NaiveDate, naive_date());
prop_select!(prop_time, Time, NaiveTime, naive_time());
prop_select!(prop_timestamp, Timestamp, NaiveDateTime, naive_datetime());
prop_select!(
    prop_timestamptz,
    Timestamptz,
    DateTime<Utc>,
    naive_datetime().prop_map(|d| d.and_utc())
);
prop_select!(prop_time_date, Date, time::Date, time_date());
prop_select!(prop_time_time, Time, time::Time, time_time());
prop_select!(
    prop_time_timestamp,
    Timestamp,
    time::PrimitiveDateTime,
    time_datetime()
);
// The oracle returns the same instant in UTC.
prop_select!(
    prop_time_timestamptz,
    Timestamptz,
    time::OffsetDateTime,
    time_offset_datetime(),
    |got: &time::OffsetDateTime, v: &time::OffsetDateTime| got == v
        && got.offset() == time::UtcOffset::UTC
);
prop_select!(prop_interval, Interval, PgInterval, interval());
prop_select!(prop_uuid, SqlUuid, Uuid, uuid());
// JSON numbers may not survive serde_json's text round trip bit for bit (no
// `float_roundtrip`), and jsonb normalizes: only the three connections are compared.
prop_select!(
    prop_json,
    Json,
    Value,
    json_value(),
    |_: &Value, _: &Value| true
);
prop_select!(
    prop_jsonb,
    Jsonb,
    Value,
    json_value(),
    |_: &Value, _: &Value| true
);
prop_select!(prop_oid, Oid, u32, any::<u32>());
prop_select!(prop_mood, MoodSql, Mood, mood());
prop_select!(prop_mood2, Mood2Sql, Mood2, mood2());
prop_select!(prop_mood_array, Array<MoodSql>, Vec<Mood>, vec_of(mood()));
prop_select!(
    prop_mood2_array,
    Array<Mood2Sql>,
    Vec<Mood2>,
    vec_of(mood2())
);
prop_select!(
    prop_int_array,
    Array<Nullable<Integer>>,
    Vec<Option<i32>>,
    vec_of(prop::option::of(any::<i32>()))
);
prop_select!(prop_text_array, Array<Text>, Vec<String>, vec_of(text()));
prop_select!(
    prop_nullable_text_array,
    Array<Nullable<Text>>,
    Vec<Option<String>>,
    vec_of(prop::option::of(text()))
);
prop_select!(
    prop_date_array,
    Array<Date>,
    Vec<NaiveDate>,
    vec_of(naive_date())
);
prop_select!(prop_uuid_array, Array<SqlUuid>, Vec<Uuid>, vec_of(uuid()));
prop_select!(
    prop_numeric_array,
    Array<Numeric>,
    Vec<BigDecimal>,
    vec_of(numeric()),
    |got: &Vec<BigDecimal>, v: &Vec<BigDecimal>| got == v
);
prop_select!(
    prop_bytea_array,
    Array<Bytea>,
    Vec<Vec<u8>>,
    vec_of(bytes())
);

// -- whole rows written through our connections, read natively --

fn row_a(id: i32) -> impl Strategy<Value = RowA> {
    use prop::option::of;
    (
        (
            of(any::<i16>()),
            of(any::<i32>()),
            of(any::<i64>()),
            of(any::<f32>()),
            of(any::<f64>()),
            of(numeric()),
            of(any::<bool>()),
        ),
        (
            of(text()),
            of(text()),
            of(text8()),
            of(bytes()),
            of(uuid()),
            of(any::<u32>()),
            of(json_value()),
            of(json_value()),
        ),
    )
        .prop_map(
            move |((i2, i4, i8, f4, f8, num, b), (txt, vc, bp, bin, u, o, j, jb))| RowA {
                id,
                i2,
                i4,
                i8,
                f4,
                f8,
                num,
                b,
                txt,
                vc,
                bp,
                bin,
                u,
                o,
                j,
                jb,
            },
        )
}

fn row_b(id: i32) -> impl Strategy<Value = RowB> {
    use prop::option::of;
    (
        (
            of(naive_date()),
            of(naive_time()),
            of(naive_datetime()),
            of(naive_datetime().prop_map(|d| d.and_utc())),
            of(interval()),
            of(text()),
            of(vec_of(of(any::<i32>()))),
        ),
        (
            of(vec_of(text())),
            of(vec_of(naive_date())),
            of(vec_of(uuid())),
            of(vec_of(numeric())),
            of(mood()),
            of(mood2()),
            of(vec_of(mood())),
        ),
    )
        .prop_map(
            move |(
                (d, t, ts, tstz, iv, ci, ints),
                (texts, dates, uuids, nums, mood, mood2, moods),
            )| {
                RowB {
                    id,
                    d,
                    t,
                    ts,
                    tstz,
                    iv,
                    ci,
                    ints,
                    texts,
                    dates,
                    uuids,
                    nums,
                    mood,
                    mood2,
                    moods,
                }
            },
        )
}

#[test]
fn prop_rows_written_through_data_api_read_natively() {
    use prop_rows::{diff_a, diff_b};
    run_prop((row_a(1), row_b(1)), |c, (ra, rb)| {
        // A fresh table per case would be slow: the advisory lock is taken once (first case).
        static LOCKED: std::sync::Once = std::sync::Once::new();
        LOCKED.call_once(|| c.fresh_tables(prop_rows::A, prop_rows::B));
        c.native_sql(&format!(
            "DELETE FROM {}; DELETE FROM {};",
            prop_rows::B,
            prop_rows::A
        ));
        let with_id = |id: i32| (RowA { id, ..ra.clone() }, RowB { id, ..rb.clone() });
        let ((a1, b1), (a2, b2), (a3, b3)) = (with_id(1), with_id(2), with_id(3));
        c.rt.block_on(async {
            diesel_async::RunQueryDsl::execute(
                diesel::insert_into(diff_a::table).values(&a1),
                &mut c.native,
            )
            .await?;
            diesel_async::RunQueryDsl::execute(
                diesel::insert_into(diff_b::table).values(&b1),
                &mut c.native,
            )
            .await?;
            diesel_async::RunQueryDsl::execute(
                diesel::insert_into(diff_a::table).values(&a3),
                &mut c.adata,
            )
            .await?;
            diesel_async::RunQueryDsl::execute(
                diesel::insert_into(diff_b::table).values(&b3),
                &mut c.adata,
            )
            .await
        })
        .map_err(|e| format!("native or async insert: {e:?}"))?;
        diesel::RunQueryDsl::execute(diesel::insert_into(diff_a::table).values(&a2), &mut c.sdata)
            .map_err(|e| format!("sync insert into diff_a: {e:?}"))?;
        diesel::RunQueryDsl::execute(diesel::insert_into(diff_b::table).values(&b2), &mut c.sdata)
            .map_err(|e| format!("sync insert into diff_b: {e:?}"))?;
        let rows: Vec<(RowA, RowB)> =
            c.rt.block_on(diesel_async::RunQueryDsl::load(
                diff_a::table.inner_join(diff_b::table).order(diff_a::id),
                &mut c.native,
            ))
            .map_err(|e| format!("native read: {e:?}"))?;
        let [native, sync, asyncw] = &rows[..] else {
            return Err(format!("expected 3 rows, got {rows:?}"));
        };
        for (how, got) in [("sync", sync), ("async", asyncw)] {
            let got = (
                RowA {
                    id: 1,
                    ..got.0.clone()
                },
                RowB {
                    id: 1,
                    ..got.1.clone()
                },
            );
            if !got.same(native) {
                return Err(format!(
                    "written through the {how} Data API connection and read natively, the row differs\n  native write: {native:?}\n  {how} write: {got:?}"
                ));
            }
        }
        Ok(())
    });
}
