//! diesel 2.4 / diesel-async 0.10 behaviour over our connections, each compared with diesel's
//! own connections where an oracle exists (diesel-async's native `AsyncPgConnection` /
//! `AsyncMysqlConnection` on the same database): `sqlstate()`, `version()`, batch updates,
//! `#[derive(diesel::types::Enum)]`, `NdArray`, negative MySQL TIME, `execute_returning_id`,
//! `search_path` restored around migrations, and `#[derive(MultiConnection)]` (sync and
//! `#[diesel_async]`) over one PostgreSQL and one MySQL connection.

mod common;

use std::num::NonZeroU64;

use aurora_data_api::mysql::{AsyncDataApiMysqlConnection, DataApiMysqlConnection};
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use common::*;
use diesel::connection::DatabaseVersion;
use diesel::result::{DatabaseErrorInformation, Error};
use diesel::sql_types::{Array, Integer, Text, Time};
use diesel::{AsChangeset, Connection, ExpressionMethods, Identifiable, IntoSql, QueryDsl};
use diesel_async::{AsyncMysqlConnection, AsyncPgConnection};

const DB: &str = "dataapi_diesel24";

async fn pg_three() -> (
    AsyncPgConnection,
    AsyncDataApiPgConnection,
    DataApiPgConnection,
) {
    use diesel_async::AsyncConnection;
    let native = AsyncPgConnection::establish(&pg_native_url(DB))
        .await
        .unwrap();
    let adata = AsyncDataApiPgConnection::establish(&pg_url(DB))
        .await
        .unwrap();
    let sdata = DataApiPgConnection::establish(&pg_url(DB)).unwrap();
    (native, adata, sdata)
}

/// Runs `sql` (several statements) through diesel-async's native connection.
async fn native_sql<C: diesel_async::SimpleAsyncConnection>(conn: &mut C, sql: &str) {
    conn.batch_execute(sql).await.unwrap();
}

fn database_info(e: Error) -> Box<dyn DatabaseErrorInformation + Send + Sync> {
    match e {
        Error::DatabaseError(_, info) => info,
        other => panic!("expected a database error, got {other:?}"),
    }
}

/// The SQLSTATEs of `sql` failing on the native, our async and our sync connection.
macro_rules! failed_states {
    ($sql:expr, $native:expr, $adata:expr, $sdata:expr) => {{
        let state = |e: Error| database_info(e).sqlstate();
        (
            state(
                diesel::sql_query($sql)
                    .execute(&mut $native)
                    .await
                    .unwrap_err(),
            ),
            state(
                diesel::sql_query($sql)
                    .execute(&mut $adata)
                    .await
                    .unwrap_err(),
            ),
            state(diesel::RunQueryDsl::execute(diesel::sql_query($sql), &mut $sdata).unwrap_err()),
        )
    }};
}

// ---- sqlstate() ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn sqlstate_is_the_servers_code_on_both_engines() {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let (mut native, mut adata, mut sdata) = pg_three().await;
    let t = unique("d24_state");
    native_sql(
        &mut native,
        &format!("CREATE TABLE {t} (id INT PRIMARY KEY); INSERT INTO {t} VALUES (1)"),
    )
    .await;
    let insert = format!("INSERT INTO {t} VALUES (1)");
    let (n, a, s) = failed_states!(&insert, native, adata, sdata);
    assert_eq!(n, Some(diesel::pg::sql_state::UNIQUE_VIOLATION));
    assert_eq!(a, n);
    assert_eq!(s, n);

    let mut my_native = AsyncMysqlConnection::establish(&mysql_native_url(DB))
        .await
        .unwrap();
    let mut my_adata = AsyncDataApiMysqlConnection::establish(&mysql_url(DB))
        .await
        .unwrap();
    let mut my_sdata = DataApiMysqlConnection::establish(&mysql_url(DB)).unwrap();
    native_sql(
        &mut my_native,
        &format!("CREATE TABLE {t} (id INT PRIMARY KEY)"),
    )
    .await;
    native_sql(&mut my_native, &format!("INSERT INTO {t} VALUES (1)")).await;
    let (n, a, s) = failed_states!(&insert, my_native, my_adata, my_sdata);
    assert_eq!(n.map(|s| s.as_str().to_owned()).as_deref(), Some("23000"));
    assert_eq!(a, n);
    assert_eq!(s, n);
    // A syntax error has its own class on both engines.
    let bad = "SELEC 1";
    let (n, a, s) = failed_states!(bad, my_native, my_adata, my_sdata);
    assert_eq!(a, n);
    assert_eq!(s, n);
    let (n, a, s) = failed_states!(bad, native, adata, sdata);
    assert_eq!(n, Some(diesel::pg::sql_state::SYNTAX_ERROR));
    assert_eq!(a, n);
    assert_eq!(s, n);
}

// ---- version() ----------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn version_is_the_servers_as_diesel_reports_it() {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let (mut native, mut adata, mut sdata) = pg_three().await;
    // diesel's own test: `major.minor` of `server_version`, patch 0 (PostgreSQL ≥ 10).
    let reported: String = diesel::select(diesel::dsl::sql::<Text>(
        "current_setting('server_version')",
    ))
    .get_result(&mut native)
    .await
    .unwrap();
    let numeric = reported
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .next()
        .unwrap();
    let a = adata.version().await.unwrap();
    assert_eq!(format!("{}.{}", a.major(), a.minor()), numeric);
    assert_eq!(a.patch(), 0);
    assert_eq!(sdata.version().unwrap(), a);
    assert!(a >= DatabaseVersion::new(10, 0, 0));

    let mut my_native = AsyncMysqlConnection::establish(&mysql_native_url(DB))
        .await
        .unwrap();
    let reported: String = diesel::select(diesel::dsl::sql::<Text>(
        "SUBSTRING_INDEX(VERSION(), '-', 1)",
    ))
    .get_result(&mut my_native)
    .await
    .unwrap();
    let mut my_adata = AsyncDataApiMysqlConnection::establish(&mysql_url(DB))
        .await
        .unwrap();
    let mut my_sdata = DataApiMysqlConnection::establish(&mysql_url(DB)).unwrap();
    let a = my_adata.version().await.unwrap();
    assert_eq!(a.to_string(), reported);
    assert_eq!(my_sdata.version().unwrap(), a);
}

// ---- batch update, diesel::Enum ------------------------------------------------------------

diesel::table! {
    #[sql_name = "d24_people"]
    people (id) {
        id -> Integer,
        name -> Text,
        surname -> Text,
    }
}

#[derive(Debug, Clone, AsChangeset, Identifiable)]
#[diesel(table_name = people)]
struct Person {
    id: i32,
    name: String,
    surname: String,
}

fn batch() -> Vec<Person> {
    let p = |id, name: &str, surname: &str| Person {
        id,
        name: name.into(),
        surname: surname.into(),
    };
    vec![
        p(1, "James", "Bond"),
        p(6, "Mev", "Sane"),
        p(3, "Kody", "Pineda"),
        p(6, "Mev2", "Sane2"),
    ]
}

const PEOPLE: &str = "INSERT INTO d24_people VALUES (1, 'Sage', 'Griffin'), (2, 'Jim', 'Brown'), \
    (3, 'Tom', 'Smith'), (4, 'Lea', 'Kemp'), (5, 'Malik', 'Wu'), (6, 'Xavier', 'Giles')";

#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::types::Enum)]
#[diesel(sql_type = Text)]
#[diesel(rename_all = "SCREAMING_SNAKE_CASE")]
enum Color {
    Red,
    DarkGreen,
}

/// diesel 2.4's batch update and a text-backed `#[derive(diesel::types::Enum)]`, on one engine's
/// three connections; the table is refilled through the native connection before each.
macro_rules! batch_update_and_enum {
    ($native:expr, $adata:expr, $sdata:expr) => {{
        let mut results = Vec::new();
        for which in 0..3 {
            native_sql(&mut $native, "DELETE FROM d24_people").await;
            native_sql(&mut $native, PEOPLE).await;
            let changes = batch();
            let update = diesel::update(people::table).set(&changes);
            let count = match which {
                0 => update.execute(&mut $native).await,
                1 => update.execute(&mut $adata).await,
                _ => diesel::RunQueryDsl::execute(update, &mut $sdata),
            }
            .unwrap();
            let rows: Vec<(i32, String, String)> = people::table
                .order(people::id)
                .load(&mut $native)
                .await
                .unwrap();
            results.push((count, rows));
        }
        assert_eq!(
            results[1], results[0],
            "async batch update differs from native"
        );
        assert_eq!(
            results[2], results[0],
            "sync batch update differs from native"
        );
        assert_eq!(results[0].1[5].1, "Mev2");

        let q = || {
            diesel::select((
                Color::DarkGreen.into_sql::<Text>(),
                "RED".into_sql::<Text>(),
            ))
        };
        let n: (Color, Color) = q().get_result(&mut $native).await.unwrap();
        let a: (Color, Color) = q().get_result(&mut $adata).await.unwrap();
        let s: (Color, Color) = diesel::RunQueryDsl::get_result(q(), &mut $sdata).unwrap();
        assert_eq!((a, s), (n, n));
        assert_eq!(n, (Color::DarkGreen, Color::Red));
        let bad = || diesel::select("BLUE".into_sql::<Text>());
        let n = bad().get_result::<Color>(&mut $native).await.unwrap_err();
        let n = format!("{n:?}");
        let a = bad().get_result::<Color>(&mut $adata).await.unwrap_err();
        let a = format!("{a:?}");
        let s = diesel::RunQueryDsl::get_result::<Color>(bad(), &mut $sdata).unwrap_err();
        let s = format!("{s:?}");
        // Known difference: PostgreSQL labels an unnamed bind `?column?`, but our binds are
        // `CAST(:pN AS text)`, which PostgreSQL labels `text`; the errors agree otherwise.
        let label = |e: String| e.replace("\"?column?\"", "\"text\"");
        assert!(n.contains("BLUE"), "{n}");
        assert_eq!((&a, &s), (&label(n.clone()), &label(n)));
    }};
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_update_and_enum_derive_postgres() {
    use diesel_async::RunQueryDsl;
    let (mut native, mut adata, mut sdata) = pg_three().await;
    native_sql(
        &mut native,
        "DROP TABLE IF EXISTS d24_people; \
         CREATE TABLE d24_people (id INT PRIMARY KEY, name TEXT NOT NULL, surname TEXT NOT NULL)",
    )
    .await;
    batch_update_and_enum!(native, adata, sdata);
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_update_and_enum_derive_mysql() {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let mut native = AsyncMysqlConnection::establish(&mysql_native_url(DB))
        .await
        .unwrap();
    let mut adata = AsyncDataApiMysqlConnection::establish(&mysql_url(DB))
        .await
        .unwrap();
    let mut sdata = DataApiMysqlConnection::establish(&mysql_url(DB)).unwrap();
    native_sql(&mut native, "DROP TABLE IF EXISTS d24_people").await;
    native_sql(
        &mut native,
        "CREATE TABLE d24_people \
         (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, surname VARCHAR(64) NOT NULL)",
    )
    .await;
    batch_update_and_enum!(native, adata, sdata);
}

// ---- PostgreSQL arrays: NdArray -----------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn nd_arrays_read_one_dimension_and_refuse_more_clearly() {
    use diesel::pg::data_types::NdArray;
    use diesel_async::RunQueryDsl;
    let (mut native, mut adata, mut sdata) = pg_three().await;
    let one = || diesel::select(diesel::dsl::sql::<Array<Integer>>("ARRAY[1, 2, 3]"));
    let n: NdArray<i32> = one().get_result(&mut native).await.unwrap();
    let a: NdArray<i32> = one().get_result(&mut adata).await.unwrap();
    let s: NdArray<i32> = diesel::RunQueryDsl::get_result(one(), &mut sdata).unwrap();
    assert_eq!((&a, &s), (&n, &n));
    assert_eq!(n.dims, vec![3]);
    // Binds of 1-D arrays read back as NdArray too.
    let bound = || diesel::select(vec![4, 5].into_sql::<Array<Integer>>());
    let n: NdArray<i32> = bound().get_result(&mut native).await.unwrap();
    let a: NdArray<i32> = bound().get_result(&mut adata).await.unwrap();
    assert_eq!(a, n);

    // Two dimensions: native reads them; the Data API answers UnsupportedResultException for
    // multi-dimensional array columns, which our connections report as a database error
    // naming the limit.
    let two = || diesel::select(diesel::dsl::sql::<Array<Integer>>("ARRAY[[1, 2], [3, 4]]"));
    let n: NdArray<i32> = two().get_result(&mut native).await.unwrap();
    assert_eq!(
        (n.dims.clone(), n.data.clone()),
        (vec![2, 2], vec![1, 2, 3, 4])
    );
    let a = two()
        .get_result::<NdArray<i32>>(&mut adata)
        .await
        .unwrap_err();
    let s = diesel::RunQueryDsl::get_result::<NdArray<i32>>(two(), &mut sdata).unwrap_err();
    for e in [a, s] {
        let text = e.to_string();
        assert!(matches!(e, Error::DatabaseError(..)), "{e:?}");
        assert!(text.contains("UnsupportedResult"), "{text}");
    }
}

// ---- MySQL: negative TIME, execute_returning_id ---------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn negative_mysql_time_as_natively() {
    use diesel::mysql::data_types::MysqlTime;
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let mut native = AsyncMysqlConnection::establish(&mysql_native_url(DB))
        .await
        .unwrap();
    let mut adata = AsyncDataApiMysqlConnection::establish(&mysql_url(DB))
        .await
        .unwrap();
    let mut sdata = DataApiMysqlConnection::establish(&mysql_url(DB)).unwrap();
    let q = || {
        diesel::select(diesel::dsl::sql::<Time>(
            "CAST('-01:02:03.000004' AS TIME(6))",
        ))
    };
    let fields = |t: MysqlTime| (t.neg, t.hour, t.minute, t.second, t.second_part);
    let n = fields(q().get_result::<MysqlTime>(&mut native).await.unwrap());
    let a = fields(q().get_result::<MysqlTime>(&mut adata).await.unwrap());
    let s = fields(diesel::RunQueryDsl::get_result::<MysqlTime>(q(), &mut sdata).unwrap());
    assert_eq!((a, s), (n, n));
    assert_eq!(n, (true, 1, 2, 3, 4));
    let n = q()
        .get_result::<chrono::NaiveTime>(&mut native)
        .await
        .unwrap_err();
    let a = q()
        .get_result::<chrono::NaiveTime>(&mut adata)
        .await
        .unwrap_err();
    let s = diesel::RunQueryDsl::get_result::<chrono::NaiveTime>(q(), &mut sdata).unwrap_err();
    assert!(format!("{n:?}").contains("Negative"), "{n:?}");
    assert_eq!(
        (format!("{a:?}"), format!("{s:?}")),
        (format!("{n:?}"), format!("{n:?}"))
    );
}

diesel::table! {
    #[sql_name = "d24_ids"]
    ids (id) {
        #[auto_increment]
        id -> Integer,
        name -> Text,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn execute_returning_id_on_mysql_connections() {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let mut native = AsyncMysqlConnection::establish(&mysql_native_url(DB))
        .await
        .unwrap();
    native_sql(&mut native, "DROP TABLE IF EXISTS d24_ids").await;
    native_sql(
        &mut native,
        "CREATE TABLE d24_ids (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(32) NOT NULL UNIQUE)",
    )
    .await;
    let mut sdata = DataApiMysqlConnection::establish(&mysql_url(DB)).unwrap();
    let mut adata = AsyncDataApiMysqlConnection::establish(&mysql_url(DB))
        .await
        .unwrap();
    let id_of = async |native: &mut AsyncMysqlConnection, name: &str| -> i32 {
        ids::table
            .filter(ids::name.eq(name))
            .select(ids::id)
            .first(native)
            .await
            .unwrap()
    };

    let first = sdata
        .execute_returning_id(diesel::insert_into(ids::table).values(ids::name.eq("a")))
        .unwrap();
    assert_eq!(first, NonZeroU64::new(id_of(&mut native, "a").await as u64));
    let second = adata
        .execute_returning_id(diesel::insert_into(ids::table).values(ids::name.eq("b")))
        .await
        .unwrap();
    assert_eq!(
        second,
        NonZeroU64::new(id_of(&mut native, "b").await as u64)
    );
    assert!(second > first);
    // An explicit key is reported back.
    let explicit = sdata
        .execute_returning_id(
            diesel::insert_into(ids::table).values((ids::id.eq(100), ids::name.eq("c"))),
        )
        .unwrap();
    assert_eq!(explicit, NonZeroU64::new(100));
    // An INSERT IGNORE whose row is skipped sets no AUTO_INCREMENT: None, as with diesel.
    let skipped = sdata
        .execute_returning_id(diesel::insert_or_ignore_into(ids::table).values(ids::name.eq("a")))
        .unwrap();
    assert_eq!(skipped, None);
    let skipped = adata
        .execute_returning_id(diesel::insert_or_ignore_into(ids::table).values(ids::name.eq("b")))
        .await
        .unwrap();
    assert_eq!(skipped, None);
}

// ---- migrations: search_path --------------------------------------------------------------

#[test]
fn a_migration_that_changes_search_path_gets_it_restored() {
    use diesel::connection::SimpleConnection;
    use diesel::RunQueryDsl;
    use diesel_migrations::{FileBasedMigrations, MigrationHarness};
    const MDB: &str = "dataapi_diesel24_migrations";
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("2026-12-07-000000_switch_schema");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(
        m.join("up.sql"),
        "CREATE SCHEMA d24_elsewhere;\nSET search_path TO d24_elsewhere;\nCREATE TABLE d24_moved (id INT PRIMARY KEY);\n",
    )
    .unwrap();
    std::fs::write(m.join("down.sql"), "DROP SCHEMA d24_elsewhere CASCADE;\n").unwrap();
    let mut conn = DataApiPgConnection::establish(&pg_url(MDB)).unwrap();
    conn.batch_execute("DROP SCHEMA IF EXISTS d24_elsewhere CASCADE; DROP TABLE IF EXISTS __diesel_schema_migrations")
        .unwrap();
    let source = FileBasedMigrations::from_path(dir.path()).unwrap();
    // Without the restore, the harness's INSERT INTO __diesel_schema_migrations would run with
    // search_path = d24_elsewhere and fail: the table is in public.
    let applied = conn.run_pending_migrations(source.clone()).unwrap();
    assert_eq!(applied.len(), 1);
    let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM d24_elsewhere.d24_moved) + (SELECT count(*) FROM public.__diesel_schema_migrations)",
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(conn.read_search_path_for_test(), "\"$user\", public");
    conn.revert_last_migration(source).unwrap();
    let left: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM pg_namespace WHERE nspname = 'd24_elsewhere') + (SELECT count(*) FROM public.__diesel_schema_migrations)",
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(left, 0);
}

trait ReadSearchPath {
    fn read_search_path_for_test(&mut self) -> String;
}

impl ReadSearchPath for DataApiPgConnection {
    fn read_search_path_for_test(&mut self) -> String {
        diesel::migration::MigrationConnection::read_search_path(self)
            .unwrap()
            .unwrap()
    }
}

// ---- #[derive(MultiConnection)] -------------------------------------------------------------

mod sync_multi {
    use super::*;

    #[derive(diesel::MultiConnection)]
    pub enum AnyConnection {
        Pg(DataApiPgConnection),
        Mysql(DataApiMysqlConnection),
    }
}

mod async_multi {
    use super::*;

    #[derive(diesel::MultiConnection)]
    #[diesel_async]
    pub enum AnyAsyncConnection {
        Pg(AsyncDataApiPgConnection),
        Mysql(AsyncDataApiMysqlConnection),
    }
}

use async_multi::AnyAsyncConnection;
use sync_multi::AnyConnection;

diesel::table! {
    #[sql_name = "d24_multi"]
    multi (id) {
        id -> Integer,
        name -> Text,
    }
}

const MULTI_PG: &str = "DROP TABLE IF EXISTS d24_multi; CREATE TABLE d24_multi (id INT PRIMARY KEY, name TEXT NOT NULL)";
const MULTI_MY: [&str; 2] = [
    "DROP TABLE IF EXISTS d24_multi",
    "CREATE TABLE d24_multi (id INT PRIMARY KEY, name VARCHAR(32) NOT NULL)",
];

#[test]
fn multi_connection_derive_over_sync_connections() {
    use diesel::connection::SimpleConnection;
    use diesel::RunQueryDsl;
    let mut conns = [
        AnyConnection::Pg(DataApiPgConnection::establish(&pg_url(DB)).unwrap()),
        AnyConnection::Mysql(DataApiMysqlConnection::establish(&mysql_url(DB)).unwrap()),
    ];
    for conn in &mut conns {
        match conn {
            AnyConnection::Pg(c) => c.batch_execute(MULTI_PG).unwrap(),
            AnyConnection::Mysql(c) => MULTI_MY.iter().for_each(|s| c.batch_execute(s).unwrap()),
        }
        let two: i32 = diesel::select(1.into_sql::<Integer>() + 1)
            .get_result(conn)
            .unwrap();
        assert_eq!(two, 2);
        for (id, name) in [(1, "one"), (2, "two")] {
            let inserted = diesel::insert_into(multi::table)
                .values((multi::id.eq(id), multi::name.eq(name)))
                .execute(conn)
                .unwrap();
            assert_eq!(inserted, 1);
        }
        let committed = conn
            .transaction(|conn| {
                diesel::update(multi::table.find(2))
                    .set(multi::name.eq("deux"))
                    .execute(conn)?;
                multi::table.order(multi::id).load::<(i32, String)>(conn)
            })
            .unwrap();
        assert_eq!(
            committed,
            vec![(1, "one".to_string()), (2, "deux".to_string())]
        );
        let rolled_back: Result<(), Error> = conn.transaction(|conn| {
            diesel::delete(multi::table).execute(conn)?;
            Err(Error::RollbackTransaction)
        });
        assert!(rolled_back.is_err());
        let names: Vec<String> = multi::table
            .select(multi::name)
            .order(multi::id)
            .load(conn)
            .unwrap();
        assert_eq!(names, ["one", "deux"]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn multi_connection_derive_over_async_connections() {
    use diesel_async::SimpleAsyncConnection;
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let mut conns = [
        AnyAsyncConnection::Pg(
            AsyncDataApiPgConnection::establish(&pg_url(DB))
                .await
                .unwrap(),
        ),
        AnyAsyncConnection::Mysql(
            AsyncDataApiMysqlConnection::establish(&mysql_url(DB))
                .await
                .unwrap(),
        ),
    ];
    // The sync test uses the same table names: run on copies named apart.
    for conn in &mut conns {
        match conn {
            AnyAsyncConnection::Pg(c) => c
                .batch_execute(&MULTI_PG.replace("d24_multi", "d24_multi_async"))
                .await
                .unwrap(),
            AnyAsyncConnection::Mysql(c) => {
                for s in MULTI_MY {
                    c.batch_execute(&s.replace("d24_multi", "d24_multi_async"))
                        .await
                        .unwrap();
                }
            }
        }
        let two: i32 = diesel::select(1.into_sql::<Integer>() + 1)
            .get_result(conn)
            .await
            .unwrap();
        assert_eq!(two, 2);
        let inserted =
            diesel::sql_query("INSERT INTO d24_multi_async (id, name) VALUES (1, 'one')")
                .execute(conn)
                .await
                .unwrap();
        assert_eq!(inserted, 1);
        let names = conn
            .transaction::<_, Error, _>(async |conn| {
                diesel::sql_query("UPDATE d24_multi_async SET name = 'uno' WHERE id = 1")
                    .execute(conn)
                    .await?;
                diesel::select(diesel::dsl::sql::<Text>(
                    "(SELECT name FROM d24_multi_async WHERE id = 1)",
                ))
                .get_result::<String>(conn)
                .await
            })
            .await
            .unwrap();
        assert_eq!(names, "uno");
    }
}
