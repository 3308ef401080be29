//! Writes larger than one Data API call (issue 12): a multi-row INSERT over 65,536 characters
//! of SQL or 4 MiB of request is split into chunks, atomically, with the results of the single
//! statement. Compared with diesel-async's native connections (one statement) on the same
//! database: 20,000-row inserts with and without `RETURNING`, upserts, MySQL's REPLACE /
//! INSERT IGNORE / ON DUPLICATE KEY UPDATE and generated ids, SeaORM `insert_many`; a bad row
//! in the last chunk leaves nothing behind; what cannot be split fails before sending.

mod common;

use aurora_data_api::client::{limits::Limits, DataApiClient, DataApiErrorKind};
use aurora_data_api::config::DataApiConfig;
use aurora_data_api::mysql::{AsyncDataApiMysqlConnection, DataApiMysqlConnection};
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use common::{mysql_native_url, mysql_url, pg_native_url, pg_url, unique};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel::upsert::excluded;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, AsyncPgConnection};

const PG_DB: &str = "dataapi_large_writes";
const MY_DB: &str = "dataapi_large_writes_my";
const ROWS: i32 = 20_000;

diesel::table! {
    items (id) {
        id -> Integer,
        name -> Text,
        qty -> BigInt,
    }
}

#[derive(Debug, Clone, PartialEq, Insertable, Queryable)]
#[diesel(table_name = items)]
struct Item {
    id: i32,
    name: String,
    qty: i64,
}

fn rows(n: i32, offset: i32) -> Vec<Item> {
    (0..n)
        .map(|i| Item {
            id: offset + i,
            name: format!("item {i} é"),
            qty: i64::from(i) * 1_000_003,
        })
        .collect()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A fresh database per test with table `items`, through the given native URL.
fn pg_db() -> String {
    let db = unique(PG_DB);
    let mut c = DataApiPgConnection::establish(&pg_url(&db)).unwrap();
    c.batch_execute(
        "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int8 NOT NULL)",
    )
    .unwrap();
    db
}

fn all_pg(db: &str) -> Vec<Item> {
    let mut c = DataApiPgConnection::establish(&pg_url(db)).unwrap();
    items::table.order(items::id).load(&mut c).unwrap()
}

#[test]
fn pg_20000_rows_insert_returning_and_upserts_match_native() {
    let rs = rows(ROWS, 1);
    // Each side in its own database with the same table: native (one statement), ours.
    let (dn, ds, da) = (pg_db(), pg_db(), pg_db());
    let native = runtime().block_on(async {
        let mut n = AsyncPgConnection::establish(&pg_native_url(&dn))
            .await
            .unwrap();
        asyncs::scenario_async(&mut n, &rs).await
    });
    let ours_async = runtime().block_on(async {
        let mut a = AsyncDataApiPgConnection::establish(&pg_url(&da))
            .await
            .unwrap();
        asyncs::scenario_async(&mut a, &rs).await
    });
    let mut s = DataApiPgConnection::establish(&pg_url(&ds)).unwrap();
    let ours_sync = {
        let inserted = diesel::insert_into(items::table)
            .values(&rs[..ROWS as usize / 2])
            .execute(&mut s)
            .unwrap();
        let returned: Vec<Item> = diesel::insert_into(items::table)
            .values(&rs[ROWS as usize / 2..])
            .returning((items::id, items::name, items::qty))
            .get_results(&mut s)
            .unwrap();
        let updated = diesel::insert_into(items::table)
            .values(&rs)
            .on_conflict(items::id)
            .do_update()
            .set(items::name.eq(excluded(items::name)))
            .execute(&mut s)
            .unwrap();
        let ignored = diesel::insert_into(items::table)
            .values(&rs)
            .on_conflict_do_nothing()
            .execute(&mut s)
            .unwrap();
        (inserted, returned, updated, ignored)
    };
    assert_eq!(native.0, ROWS as usize / 2);
    assert_eq!(native.1.len(), ROWS as usize / 2);
    assert_eq!((native.2, native.3), (ROWS as usize, 0));
    assert_eq!(ours_async, native);
    assert_eq!(ours_sync, native);
    let stored = all_pg(&dn);
    assert_eq!(stored.len(), ROWS as usize);
    assert_eq!(all_pg(&da), stored);
    assert_eq!(all_pg(&ds), stored);
}

/// The async halves, with diesel-async's `RunQueryDsl` (not diesel's) in scope.
mod asyncs {
    use super::*;
    use diesel::ExpressionMethods;
    use diesel_async::RunQueryDsl;

    /// Half the rows plain, half with `RETURNING`, then an upsert updating all, then one ignoring
    /// all: counts and returned rows.
    pub async fn scenario_async<C>(c: &mut C, rs: &[Item]) -> (usize, Vec<Item>, usize, usize)
    where
        C: AsyncConnection<Backend = diesel::pg::Pg> + 'static,
    {
        let half = rs.len() / 2;
        let inserted = diesel::insert_into(items::table)
            .values(&rs[..half])
            .execute(c)
            .await
            .unwrap();
        let returned: Vec<Item> = diesel::insert_into(items::table)
            .values(&rs[half..])
            .returning((items::id, items::name, items::qty))
            .get_results(c)
            .await
            .unwrap();
        let updated = diesel::insert_into(items::table)
            .values(rs)
            .on_conflict(items::id)
            .do_update()
            .set(items::name.eq(excluded(items::name)))
            .execute(c)
            .await
            .unwrap();
        let ignored = diesel::insert_into(items::table)
            .values(rs)
            .on_conflict_do_nothing()
            .execute(c)
            .await
            .unwrap();
        (inserted, returned, updated, ignored)
    }

    /// Count and checksums of `my_items` (the whole table is over one 1 MiB response).
    async fn digest<C>(c: &mut C) -> (i64, String, i64)
    where
        C: diesel_async::AsyncConnection<Backend = diesel::mysql::Mysql> + 'static,
    {
        use diesel::sql_types::{BigInt, Text};
        diesel::select(diesel::dsl::sql::<(BigInt, Text, BigInt)>(
            "COUNT(*), CAST(SUM(qty) AS CHAR), CAST(SUM(CRC32(CONCAT(id, name))) AS SIGNED) FROM my_items",
        ))
        .get_result(c)
        .await
        .unwrap()
    }

    pub async fn mysql_steps(
        ours: bool,
        rs: &[MyItem],
        ddl: &[&str],
        names: &[String],
    ) -> (Vec<usize>, u64, (i64, String, i64)) {
        macro_rules! steps {
            ($c:expr) => {{
                let c = $c;
                for s in ddl {
                    diesel_async::SimpleAsyncConnection::batch_execute(c, s)
                        .await
                        .unwrap();
                }
                let mut counts = vec![diesel::insert_into(my_items::table)
                    .values(rs)
                    .execute(c)
                    .await
                    .unwrap()];
                counts.push(
                    diesel::replace_into(my_items::table)
                        .values(&rs[..100])
                        .execute(c)
                        .await
                        .unwrap(),
                );
                counts.push(
                    diesel::insert_or_ignore_into(my_items::table)
                        .values(rs)
                        .execute(c)
                        .await
                        .unwrap(),
                );
                counts.push(
                    diesel::insert_into(my_items::table)
                        .values(rs)
                        .on_conflict(diesel::dsl::DuplicatedKeys)
                        .do_update()
                        .set(my_items::qty.eq(my_items::qty + 1))
                        .execute(c)
                        .await
                        .unwrap(),
                );
                let values: Vec<_> = names.iter().map(|n| my_auto::name.eq(n)).collect();
                counts.push(
                    diesel::insert_into(my_auto::table)
                        .values(&values[..10])
                        .execute(c)
                        .await
                        .unwrap(),
                );
                (counts, values)
            }};
        }
        if ours {
            let mut a = AsyncDataApiMysqlConnection::establish(&mysql_url(MY_DB))
                .await
                .unwrap();
            let (counts, values) = steps!(&mut a);
            let id = a
                .execute_returning_generated_id(diesel::insert_into(my_auto::table).values(&values))
                .await
                .unwrap()
                .unwrap();
            let stored = digest(&mut a).await;
            (counts, id, stored)
        } else {
            let mut n = AsyncMysqlConnection::establish(&mysql_native_url(MY_DB))
                .await
                .unwrap();
            let (counts, values) = steps!(&mut n);
            diesel::insert_into(my_auto::table)
                .values(&values)
                .execute(&mut n)
                .await
                .unwrap();
            let id: u64 = diesel::select(diesel::dsl::sql::<
                diesel::sql_types::Unsigned<diesel::sql_types::BigInt>,
            >("LAST_INSERT_ID()"))
            .get_result(&mut n)
            .await
            .unwrap();
            let stored = digest(&mut n).await;
            (counts, id, stored)
        }
    }
}

/// A bad row in the last chunk: the database's own error, and nothing stored — outside a
/// transaction (the connection's own) and inside the caller's.
#[test]
fn a_bad_row_in_the_last_chunk_leaves_nothing() {
    let db = pg_db();
    let mut rs = rows(ROWS, 1);
    rs.last_mut().unwrap().id = 1; // duplicates the first row's key
    let mut s = DataApiPgConnection::establish(&pg_url(&db)).unwrap();
    let e = diesel::insert_into(items::table)
        .values(&rs)
        .execute(&mut s)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
        ),
        "{e:?}"
    );
    assert!(all_pg(&db).is_empty());
    let r: Result<usize, Error> = s.transaction(|c| {
        diesel::insert_into(items::table)
            .values(&rows(10, 100_000))
            .execute(c)?;
        diesel::insert_into(items::table).values(&rs).execute(c)
    });
    assert!(
        matches!(
            r,
            Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
        ),
        "{r:?}"
    );
    assert!(all_pg(&db).is_empty());
    runtime().block_on(async {
        let mut a = AsyncDataApiPgConnection::establish(&pg_url(&db))
            .await
            .unwrap();
        let e = diesel_async::RunQueryDsl::execute(
            diesel::insert_into(items::table).values(&rs),
            &mut a,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(
                e,
                Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
            ),
            "{e:?}"
        );
    });
    assert!(all_pg(&db).is_empty());
    // The connection is usable afterwards.
    assert_eq!(
        diesel::insert_into(items::table)
            .values(&rs[..ROWS as usize - 1])
            .execute(&mut s)
            .unwrap(),
        ROWS as usize - 1
    );
}

/// A connection over a client working to a local server's small limits (8,000 characters of
/// SQL, 64 KiB of request).
fn small_limits_pg() -> (
    tokio::runtime::Runtime,
    data_api_local::LocalServer,
    DataApiPgConnection,
    String,
) {
    let db = unique(PG_DB);
    let (rt, server, url) = common::custom_pg_server(&db, |c| {
        c.limits.max_sql_chars = 8_000;
        c.limits.max_request_bytes = 64 * 1024;
    });
    let config = DataApiConfig::from_url(&url).unwrap();
    let client = rt
        .block_on(DataApiClient::from_config(&config))
        .with_limits(Limits {
            max_sql_chars: 8_000,
            max_request_bytes: 64 * 1024,
            ..Limits::default()
        });
    let mut c = DataApiPgConnection::from_client(client);
    c.batch_execute(
        "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int8 NOT NULL)",
    )
    .unwrap();
    (rt, server, c, db)
}

#[test]
fn small_limits_split_by_sql_and_by_bytes_and_refuse_the_unsplittable() {
    let (_rt, _server, mut c, _db) = small_limits_pg();
    // Wide rows: split by request bytes; many rows: split by SQL length.
    let wide: Vec<Item> = (1..=60)
        .map(|i| Item {
            id: i,
            name: "w".repeat(9_000),
            qty: 1,
        })
        .collect();
    assert_eq!(
        diesel::insert_into(items::table)
            .values(&wide)
            .execute(&mut c)
            .unwrap(),
        60
    );
    let many = rows(1_000, 1_000);
    let back: Vec<i32> = diesel::insert_into(items::table)
        .values(&many)
        .returning(items::id)
        .get_results(&mut c)
        .unwrap();
    assert_eq!(back, many.iter().map(|r| r.id).collect::<Vec<_>>());
    // One value over the request limit; a long IN list: refused before sending.
    let huge = Item {
        id: 0,
        name: "h".repeat(70 * 1024),
        qty: 0,
    };
    let e = diesel::insert_into(items::table)
        .values(&vec![huge.clone(), huge])
        .execute(&mut c)
        .unwrap_err();
    assert!(
        e.to_string().contains("one row of this INSERT alone"),
        "{e}"
    );
    let list = (0..5_000)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let e = diesel::sql_query(format!("SELECT id FROM items WHERE id IN ({list})"))
        .execute(&mut c)
        .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("RequestTooLarge")
            && text.contains("8000")
            && text.contains("cannot be split"),
        "{text}"
    );
    assert!(!text.contains("ValidationException"), "{text}");
    let _ = DataApiErrorKind::RequestTooLarge;
}

diesel::table! { my_auto (id) { id -> Integer, name -> Text, } }

diesel::table! {
    my_items (id) {
        id -> Integer,
        name -> Text,
        qty -> BigInt,
    }
}

#[derive(Debug, Clone, PartialEq, Insertable, Queryable)]
#[diesel(table_name = my_items)]
struct MyItem {
    id: i32,
    name: String,
    qty: i64,
}

#[test]
fn mysql_20000_rows_replace_ignore_upsert_and_generated_ids_match_native() {
    let rs: Vec<MyItem> = rows(ROWS, 1)
        .into_iter()
        .map(|r| MyItem {
            id: r.id,
            name: r.name,
            qty: r.qty,
        })
        .collect();
    common::reset_mysql_database(MY_DB);
    let ddl = [
        "DROP TABLE IF EXISTS my_items",
        "CREATE TABLE my_items (id INT PRIMARY KEY, name TEXT NOT NULL, qty BIGINT NOT NULL)",
        "DROP TABLE IF EXISTS my_auto",
        "CREATE TABLE my_auto (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT NOT NULL)",
    ];
    let names: Vec<String> = (0..ROWS).map(|i| format!("auto {i}")).collect();
    let run = |ours: bool| runtime().block_on(asyncs::mysql_steps(ours, &rs, &ddl, &names));
    let native = run(false);
    let ours = run(true);
    assert_eq!(native.0[0], ROWS as usize);
    assert_eq!(
        native.1, 11,
        "LAST_INSERT_ID of a multi-row insert is its first row's id"
    );
    assert_eq!(ours.0, native.0);
    assert_eq!(ours.1, native.1);
    assert_eq!(ours.2, native.2);
    // The sync connection: the same counts for the plain insert.
    let mut s = DataApiMysqlConnection::establish(&mysql_url(MY_DB)).unwrap();
    s.batch_execute("DELETE FROM my_items").unwrap();
    assert_eq!(
        diesel::insert_into(my_items::table)
            .values(&rs)
            .execute(&mut s)
            .unwrap(),
        ROWS as usize
    );
}

/// SeaORM `insert_many` of 20,000 rows on both engines (PostgreSQL with `exec_with_returning`),
/// stored exactly as given.
#[test]
fn sea_orm_insert_many_20000_rows() {
    use sea_orm::entity::prelude::*;
    use sea_orm::{DbBackend, Set};
    mod item {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "items")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: i32,
            pub name: String,
            pub qty: i64,
        }
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}
        impl ActiveModelBehavior for ActiveModel {}
    }
    let actives = |offset: i32| {
        rows(ROWS, offset)
            .into_iter()
            .map(|r| item::ActiveModel {
                id: Set(r.id),
                name: Set(r.name),
                qty: Set(r.qty),
            })
            .collect::<Vec<_>>()
    };
    let db = pg_db();
    common::reset_mysql_database("dataapi_large_writes_sea");
    let mut m = DataApiMysqlConnection::establish(&mysql_url("dataapi_large_writes_sea")).unwrap();
    m.batch_execute(
        "CREATE TABLE items (id INT PRIMARY KEY, name TEXT NOT NULL, qty BIGINT NOT NULL)",
    )
    .unwrap();
    runtime().block_on(async {
        let pg =
            aurora_data_api::sea_orm::DataApiConnection::connect(&pg_url(&db), DbBackend::Postgres)
                .await
                .unwrap();
        item::Entity::insert_many(actives(1))
            .exec(&pg)
            .await
            .unwrap();
        let returned = item::Entity::insert_many(actives(ROWS + 1))
            .exec_with_returning(&pg)
            .await
            .unwrap();
        assert_eq!(returned.len(), ROWS as usize);
        assert_eq!(returned[0].id, ROWS + 1);
        assert_eq!(returned.last().unwrap().id, 2 * ROWS);
        assert_eq!(
            item::Entity::find().count(&pg).await.unwrap(),
            2 * ROWS as u64
        );
        let my = aurora_data_api::sea_orm::connect_proxy(
            &mysql_url("dataapi_large_writes_sea"),
            DbBackend::MySql,
        )
        .await
        .unwrap();
        item::Entity::insert_many(actives(1))
            .exec(&my)
            .await
            .unwrap();
        assert_eq!(item::Entity::find().count(&my).await.unwrap(), ROWS as u64);
        let last = item::Entity::find_by_id(ROWS)
            .one(&my)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(last.name, format!("item {} é", ROWS - 1));
    });
}

/// The same on MySQL: a bad row in the last chunk, nothing stored, the database's own error.
#[test]
fn mysql_a_bad_row_in_the_last_chunk_leaves_nothing() {
    let db = "dataapi_large_writes_atomic";
    common::reset_mysql_database(db);
    let mut s = DataApiMysqlConnection::establish(&mysql_url(db)).unwrap();
    s.batch_execute(
        "CREATE TABLE my_items (id INT PRIMARY KEY, name TEXT NOT NULL, qty BIGINT NOT NULL)",
    )
    .unwrap();
    let mut rs: Vec<MyItem> = rows(ROWS, 1)
        .into_iter()
        .map(|r| MyItem {
            id: r.id,
            name: r.name,
            qty: r.qty,
        })
        .collect();
    rs.last_mut().unwrap().id = 1;
    let e = diesel::insert_into(my_items::table)
        .values(&rs)
        .execute(&mut s)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
        ),
        "{e:?}"
    );
    let n: i64 = my_items::table.count().get_result(&mut s).unwrap();
    assert_eq!(n, 0);
}
