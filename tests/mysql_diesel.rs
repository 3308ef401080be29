//! End-to-end: Diesel code on `DataApiMysqlConnection` / `AsyncDataApiMysqlConnection` →
//! aws-sdk-rdsdata over HTTP → local Data API server → MariaDB.
//!
//! MariaDB stands in for Aurora MySQL here. Where they differ it is said where it matters
//! (e.g. CHECK violations are error 4025 on MariaDB, 3819 on MySQL; both map to
//! `CheckViolation`).

mod common;

use std::sync::Mutex;

use aurora_data_api::mysql::DataApiMysqlConnection;
use common::*;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const DB: &str = "dataapi_my_diesel";

mod schema {
    diesel::table! {
        accounts (id) {
            id -> Integer,
            name -> Varchar,
            email -> Nullable<Varchar>,
            balance -> Numeric,
            active -> Bool,
            visits -> Unsigned<BigInt>,
            joined -> Datetime,
        }
    }
}

use schema::accounts;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, AsChangeset)]
#[diesel(table_name = accounts, check_for_backend(diesel::mysql::Mysql))]
struct Account {
    id: i32,
    name: String,
    email: Option<String>,
    balance: bigdecimal::BigDecimal,
    active: bool,
    visits: u64,
    joined: chrono::NaiveDateTime,
}

static TABLE_LOCK: Mutex<()> = Mutex::new(());

fn connect() -> DataApiMysqlConnection {
    DataApiMysqlConnection::establish(&mysql_url(DB)).unwrap()
}

fn fresh(conn: &mut DataApiMysqlConnection) {
    conn.batch_execute(
        "DROP TABLE IF EXISTS accounts;
         CREATE TABLE accounts (
            id INT AUTO_INCREMENT PRIMARY KEY,
            name VARCHAR(100) NOT NULL,
            email VARCHAR(100) UNIQUE,
            balance DECIMAL(12, 2) NOT NULL DEFAULT 0,
            active BOOL NOT NULL DEFAULT TRUE,
            visits BIGINT UNSIGNED NOT NULL DEFAULT 0,
            joined DATETIME(6) NOT NULL DEFAULT '2024-01-01 00:00:00',
            CHECK (balance >= 0)
         )",
    )
    .unwrap();
}

fn when(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
}

#[test]
fn crud_generated_ids_and_upserts() {
    let _guard = TABLE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut conn = connect();
    fresh(&mut conn);
    let id = conn
        .execute_returning_generated_id(&diesel::insert_into(accounts::table).values((
            accounts::name.eq("ada"),
            accounts::email.eq("ada@example.com"),
            accounts::balance.eq("10.50".parse::<bigdecimal::BigDecimal>().unwrap()),
            accounts::visits.eq(u64::MAX),
            accounts::joined.eq(when("2024-02-29 12:34:56.123456")),
        )))
        .unwrap();
    assert_eq!(id, Some(1));
    let ada: Account = accounts::table
        .find(1)
        .select(Account::as_select())
        .first(&mut conn)
        .unwrap();
    assert_eq!(ada.visits, u64::MAX);
    assert_eq!(ada.balance.to_string(), "10.50");
    assert_eq!(ada.joined, when("2024-02-29 12:34:56.123456"));
    assert!(ada.active);

    // The usual diesel pattern: insert, then LAST_INSERT_ID() in the same transaction.
    let second: i64 = conn
        .transaction::<_, Error, _>(|conn| {
            diesel::insert_into(accounts::table)
                .values(accounts::name.eq("grace"))
                .execute(conn)?;
            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "LAST_INSERT_ID()",
            ))
            .get_result(conn)
        })
        .unwrap();
    assert_eq!(second, 2);

    // ON DUPLICATE KEY UPDATE, REPLACE INTO, INSERT IGNORE.
    diesel::insert_into(accounts::table)
        .values((accounts::id.eq(1), accounts::name.eq("ada")))
        .on_conflict(diesel::dsl::DuplicatedKeys)
        .do_update()
        .set(accounts::name.eq("ada lovelace"))
        .execute(&mut conn)
        .unwrap();
    diesel::replace_into(accounts::table)
        .values((accounts::id.eq(2), accounts::name.eq("grace hopper")))
        .execute(&mut conn)
        .unwrap();
    let ignored = diesel::insert_or_ignore_into(accounts::table)
        .values((accounts::id.eq(1), accounts::name.eq("dup")))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(ignored, 0);
    let names: Vec<String> = accounts::table
        .select(accounts::name)
        .order(accounts::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(names, ["ada lovelace", "grace hopper"]);

    // save_changes (update, then reload by primary key: MySQL has no RETURNING).
    let mut grace: Account = accounts::table
        .find(2)
        .select(Account::as_select())
        .first(&mut conn)
        .unwrap();
    grace.active = false;
    grace.balance = "1.25".parse().unwrap();
    let saved: Account = grace.save_changes(&mut conn).unwrap();
    assert!(!saved.active);
    assert_eq!(saved.balance.to_string(), "1.25");

    let some: Vec<i32> = accounts::table
        .filter(accounts::name.eq_any(["ada lovelace", "nobody"]))
        .select(accounts::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(some, [1]);
    assert_eq!(
        diesel::delete(accounts::table.filter(accounts::id.eq(2)))
            .execute(&mut conn)
            .unwrap(),
        1
    );
}

#[test]
fn transactions_savepoints_isolation_and_ddl() {
    let _guard = TABLE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut conn = connect();
    fresh(&mut conn);
    conn.transaction::<_, Error, _>(|conn| {
        diesel::insert_into(accounts::table)
            .values(accounts::name.eq("kept"))
            .execute(conn)?;
        let inner: Result<(), Error> = conn.transaction(|conn| {
            diesel::insert_into(accounts::table)
                .values(accounts::name.eq("savepoint"))
                .execute(conn)?;
            Err(Error::RollbackTransaction)
        });
        assert!(inner.is_err());
        Ok(())
    })
    .unwrap();
    let failed: Result<(), Error> = conn.transaction(|conn| {
        diesel::insert_into(accounts::table)
            .values(accounts::name.eq("rolled back"))
            .execute(conn)?;
        Err(Error::RollbackTransaction)
    });
    assert!(failed.is_err());
    let names: Vec<String> = accounts::table
        .select(accounts::name)
        .load(&mut conn)
        .unwrap();
    assert_eq!(names, ["kept"]);

    // Isolation level: `SET TRANSACTION …` applies to the next transaction, as in MySQL.
    conn.batch_execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
        .unwrap();
    let level: String = conn
        .transaction(|conn| {
            diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
                "@@tx_isolation",
            ))
            .get_result(conn)
        })
        .or_else(|_: Error| {
            conn.transaction(|conn| {
                diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
                    "@@transaction_isolation",
                ))
                .get_result(conn)
            })
        })
        .unwrap();
    // MariaDB reports the session variable; the transaction's own level is checked by behaviour
    // below (a read-only transaction refuses writes).
    assert!(!level.is_empty());
    conn.batch_execute("SET TRANSACTION READ ONLY").unwrap();
    let write: Result<usize, Error> = conn.transaction(|conn| {
        diesel::insert_into(accounts::table)
            .values(accounts::name.eq("ro"))
            .execute(conn)
    });
    assert!(write.is_err(), "a READ ONLY transaction must refuse writes");

    // DDL commits implicitly: a rollback after it cannot undo the insert before it.
    let table = unique("ddl");
    let r: Result<(), Error> = conn.transaction(|conn| {
        diesel::insert_into(accounts::table)
            .values(accounts::name.eq("before ddl"))
            .execute(conn)?;
        conn.batch_execute(&format!("CREATE TABLE {table} (id INT)"))?;
        Err(Error::RollbackTransaction)
    });
    assert!(r.is_err());
    let count: i64 = accounts::table
        .filter(accounts::name.eq("before ddl"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(count, 1, "MySQL's implicit commit at DDL kept the row");
    conn.batch_execute(&format!("DROP TABLE {table}")).unwrap();
}

#[test]
fn error_kinds() {
    let _guard = TABLE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut conn = connect();
    fresh(&mut conn);
    conn.batch_execute(
        "DROP TABLE IF EXISTS orders; CREATE TABLE orders (id INT PRIMARY KEY, account INT NOT NULL, FOREIGN KEY (account) REFERENCES accounts(id))",
    )
    .unwrap();
    diesel::insert_into(accounts::table)
        .values((accounts::name.eq("a"), accounts::email.eq("a@x")))
        .execute(&mut conn)
        .unwrap();
    let e = diesel::insert_into(accounts::table)
        .values((accounts::name.eq("b"), accounts::email.eq("a@x")))
        .execute(&mut conn)
        .unwrap_err();
    let Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) = e else {
        panic!("{e:?}")
    };
    assert!(
        info.message().contains("Duplicate entry"),
        "{}",
        info.message()
    );
    let e = diesel::sql_query("INSERT INTO orders VALUES (1, 999)")
        .execute(&mut conn)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)
        ),
        "{e:?}"
    );
    let e = diesel::sql_query("INSERT INTO accounts (name) VALUES (NULL)")
        .execute(&mut conn)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::DatabaseError(DatabaseErrorKind::NotNullViolation, _)
        ),
        "{e:?}"
    );
    let e = diesel::sql_query("INSERT INTO accounts (name, balance) VALUES ('c', -1)")
        .execute(&mut conn)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::DatabaseError(DatabaseErrorKind::CheckViolation, _)
        ),
        "{e:?}"
    );
    conn.batch_execute("DROP TABLE orders").unwrap();
}

#[test]
fn floats_mysql_cannot_store_are_a_clear_error() {
    let mut conn = connect();
    let e = diesel::select(f64::NAN.into_sql::<diesel::sql_types::Double>())
        .execute(&mut conn)
        .unwrap_err();
    assert!(matches!(e, Error::SerializationError(_)), "{e:?}");
    assert!(e.to_string().contains("NaN"), "{e}");
}

#[test]
fn batch_execute_with_delimiter_and_compound_bodies() {
    let mut conn = connect();
    let p = unique("proc");
    conn.batch_execute(&format!(
        "# a hash comment; with a semicolon
         CREATE PROCEDURE {p}_a(OUT n INT) BEGIN DECLARE x INT DEFAULT 1; SET n = x + 1; END;
         DELIMITER //
         CREATE PROCEDURE {p}_b(OUT n INT)
         BEGIN
             IF 1 = 1 THEN SET n = 3; END IF;
         END //
         DELIMITER ;
         SELECT 'it\\'s; fine' /*! , 1 */;"
    ))
    .unwrap();
    let n: i32 = conn
        .transaction(|conn| {
            conn.batch_execute(&format!("CALL {p}_a(@n)"))?;
            diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("@n")).get_result(conn)
        })
        .unwrap();
    assert_eq!(n, 2);
    conn.batch_execute(&format!("DROP PROCEDURE {p}_a; DROP PROCEDURE {p}_b"))
        .unwrap();
}

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations-example/mysql");

#[test]
fn migrations_run_revert_redo() {
    reset_mysql_database("dataapi_my_migrations");
    let mut conn = DataApiMysqlConnection::establish(&mysql_url("dataapi_my_migrations")).unwrap();
    assert_eq!(conn.run_pending_migrations(MIGRATIONS).unwrap().len(), 2);
    conn.batch_execute("INSERT INTO authors (name) VALUES ('a'); INSERT INTO books (author_id, title) VALUES (1, 't')").unwrap();
    let (n, signature): (i32, String) = conn
        .transaction(|conn| {
            conn.batch_execute(
                "INSERT INTO reviews (book_id, stars) VALUES (1, 5); CALL count_reviews(1, @n)",
            )?;
            diesel::select((
                diesel::dsl::sql::<diesel::sql_types::Integer>("@n"),
                diesel::dsl::sql::<diesel::sql_types::Text>(
                    "(SELECT signature FROM reviews LIMIT 1)",
                ),
            ))
            .get_result(conn)
        })
        .unwrap();
    assert_eq!(
        (n, signature.as_str()),
        (1, "anonymous; it's #1 :not_a_param")
    );
    assert_eq!(
        conn.revert_last_migration(MIGRATIONS).unwrap().to_string(),
        "20240102000001"
    );
    assert_eq!(conn.run_pending_migrations(MIGRATIONS).unwrap().len(), 1);
    conn.revert_all_migrations(MIGRATIONS).unwrap();
}

#[tokio::test]
async fn async_connection() {
    use aurora_data_api::mysql::AsyncDataApiMysqlConnection;
    use diesel_async::AsyncConnection;
    let mut conn = AsyncDataApiMysqlConnection::establish(&mysql_url(DB))
        .await
        .unwrap();
    let n: i64 = diesel_async::RunQueryDsl::get_result(
        diesel::select(41i64.into_sql::<diesel::sql_types::BigInt>() + 1),
        &mut conn,
    )
    .await
    .unwrap();
    assert_eq!(n, 42);
    let table = unique("async_my");
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut conn,
        &format!("CREATE TABLE {table} (id INT AUTO_INCREMENT PRIMARY KEY, v INT)"),
    )
    .await
    .unwrap();
    let id = conn
        .execute_returning_generated_id(diesel::sql_query(format!(
            "INSERT INTO {table} (v) VALUES (7)"
        )))
        .await
        .unwrap();
    assert_eq!(id, Some(1));
    let r: Result<(), Error> = conn
        .transaction(async |conn| {
            diesel_async::RunQueryDsl::execute(
                diesel::sql_query(format!("INSERT INTO {table} (v) VALUES (8)")),
                conn,
            )
            .await?;
            Err(Error::RollbackTransaction)
        })
        .await;
    assert!(r.is_err());
    diesel_async::SimpleAsyncConnection::batch_execute(&mut conn, &format!("DROP TABLE {table}"))
        .await
        .unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn sync_connection_inside_a_tokio_runtime_and_pools() {
    let mut conn = connect();
    let n: i64 = diesel::select(41i64.into_sql::<diesel::sql_types::BigInt>() + 1)
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(n, 42);
    let manager = diesel::r2d2::ConnectionManager::<DataApiMysqlConnection>::new(mysql_url(DB));
    let pool = diesel::r2d2::Pool::builder()
        .max_size(2)
        .test_on_check_out(true)
        .build(manager)
        .unwrap();
    let mut pooled = pool.get().unwrap();
    let v: i32 = diesel::select(5.into_sql::<diesel::sql_types::Integer>())
        .get_result(&mut pooled)
        .unwrap();
    assert_eq!(v, 5);
}

#[tokio::test]
async fn async_pools() {
    use aurora_data_api::mysql::AsyncDataApiMysqlConnection;
    use diesel_async::pooled_connection::{bb8, deadpool, AsyncDieselConnectionManager};
    let url = mysql_url(DB);
    let pool = deadpool::Pool::builder(
        AsyncDieselConnectionManager::<AsyncDataApiMysqlConnection>::new(url.clone()),
    )
    .build()
    .unwrap();
    let mut conn = pool.get().await.unwrap();
    let v: i32 = diesel_async::RunQueryDsl::get_result(
        diesel::select(6.into_sql::<diesel::sql_types::Integer>()),
        &mut conn,
    )
    .await
    .unwrap();
    assert_eq!(v, 6);
    let pool = bb8::Pool::builder()
        .build(AsyncDieselConnectionManager::<AsyncDataApiMysqlConnection>::new(url))
        .await
        .unwrap();
    let mut conn = pool.get().await.unwrap();
    let v: i32 = diesel_async::RunQueryDsl::get_result(
        diesel::select(7.into_sql::<diesel::sql_types::Integer>()),
        &mut conn,
    )
    .await
    .unwrap();
    assert_eq!(v, 7);
}

#[test]
fn dash_dash_comments_and_escapes_in_batches() {
    let mut conn = connect();
    let t = unique("dash");
    conn.batch_execute(&format!(
        "CREATE TABLE {t} (v VARCHAR(50)); -- trailing comment; with semicolon
         INSERT INTO {t} VALUES ('a--b;c'), (\"d\\\";e\"); /* block; */ INSERT INTO {t} VALUES ('x#y')"
    ))
    .unwrap();
    let rows: Vec<String> = diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(&format!(
        "(SELECT GROUP_CONCAT(v ORDER BY v SEPARATOR '|') FROM {t})"
    )))
    .load(&mut conn)
    .unwrap();
    assert_eq!(rows, ["a--b;c|d\";e|x#y"]);
    conn.batch_execute(&format!("DROP TABLE {t}")).unwrap();
}
