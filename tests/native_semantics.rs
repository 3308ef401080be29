//! Issue 11's adapter behaviours, each checked against diesel-async's native connections on
//! the same database where one exists: the row count of `INSERT … RETURNING`, recovery after
//! an error inside a nested transaction, `build_transaction()` and `save_changes` on the async
//! connections, diesel's type lookup, and diesel-async's `AsyncConnectionWrapper` used from
//! sync code with no runtime (its runtime has no timers).
// The nested async closures of the transaction tests are deep types.
#![recursion_limit = "256"]

mod common;

use aurora_data_api::mysql::{AsyncDataApiMysqlConnection, DataApiMysqlConnection};
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use common::{mysql_native_url, mysql_url, pg_native_url, pg_url, unique};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, AsyncPgConnection};

const DB: &str = "dataapi_semantics";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn pg_table(columns: &str) -> String {
    let t = unique("sem");
    DataApiPgConnection::establish(&pg_url(DB))
        .unwrap()
        .batch_execute(&format!("CREATE TABLE {t} ({columns})"))
        .unwrap();
    t
}

/// `execute()` of `INSERT … RETURNING` counts the rows, as the native connection does (the
/// Data API reports `numberOfRecordsUpdated: 0` when records come back).
#[test]
fn execute_of_insert_returning_counts_rows_as_natively() {
    let t = pg_table("id serial PRIMARY KEY, v int");
    let sql = format!("INSERT INTO {t} (v) VALUES (1), (2), (3) RETURNING id");
    let (native, ours_async) = runtime().block_on(async {
        let mut n = AsyncPgConnection::establish(&pg_native_url(DB))
            .await
            .unwrap();
        let mut a = AsyncDataApiPgConnection::establish(&pg_url(DB))
            .await
            .unwrap();
        (
            diesel_async::RunQueryDsl::execute(diesel::sql_query(&sql), &mut n)
                .await
                .unwrap(),
            diesel_async::RunQueryDsl::execute(diesel::sql_query(&sql), &mut a)
                .await
                .unwrap(),
        )
    });
    let mut s = DataApiPgConnection::establish(&pg_url(DB)).unwrap();
    let ours_sync = diesel::sql_query(&sql).execute(&mut s).unwrap();
    assert_eq!((native, ours_async, ours_sync), (3, 3, 3));
}

/// The rows of `t`'s column `v`, in order.
fn values(conn: &mut DataApiPgConnection, t: &str) -> Vec<i32> {
    #[derive(QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        v: i32,
    }
    diesel::sql_query(format!("SELECT v FROM {t} ORDER BY v"))
        .load::<V>(conn)
        .unwrap()
        .into_iter()
        .map(|r| r.v)
        .collect()
}

/// The sync connection behaves as `PgConnection`, which reads libpq's transaction status: a
/// nested transaction whose closure swallowed a database error fails its `RELEASE SAVEPOINT`
/// (the transaction is aborted), is rolled back to its savepoint, and the outer transaction
/// goes on and commits. Afterwards the connection takes new transactions (not stuck in
/// "current transaction is aborted" or `AlreadyInTransaction`).
#[test]
fn sync_pg_recovers_from_an_error_inside_a_nested_transaction() {
    let t = pg_table("v int");
    let mut c = DataApiPgConnection::establish(&pg_url(DB)).unwrap();
    let insert = |c: &mut DataApiPgConnection, v: i32| {
        diesel::sql_query(format!("INSERT INTO {t} VALUES ({v})")).execute(c)
    };
    c.transaction(|c| {
        insert(c, 1)?;
        let inner = c.transaction(|c| {
            let failed = diesel::sql_query("SELECT 1/0").execute(c);
            assert!(failed.is_err());
            Ok::<_, Error>(())
        });
        assert!(
            inner.is_err(),
            "RELEASE SAVEPOINT of an aborted transaction fails"
        );
        insert(c, 2)
    })
    .unwrap();
    assert_eq!(values(&mut c, &t), vec![1, 2]);
    // An error the closure returns rolls its nested transaction back; the connection is fine.
    let r: Result<(), Error> = c.transaction(|c| {
        insert(c, 3)?;
        c.transaction(|c| diesel::sql_query("SELECT 1/0").execute(c).map(drop))
            .unwrap_err();
        insert(c, 4).map(drop)
    });
    r.unwrap();
    c.begin_test_transaction().unwrap();
    assert_eq!(values(&mut c, &t), vec![1, 2, 3, 4]);
}

/// The async connections behave as diesel-async's: the same closure, native and ours, ends
/// the same way with the same rows stored.
#[test]
fn async_nested_transaction_error_matches_native() {
    async fn scenario<C>(c: &mut C, t: &str) -> (bool, bool, bool)
    where
        C: AsyncConnection<
                Backend = diesel::pg::Pg,
                TransactionManager = diesel_async::AnsiTransactionManager,
            > + 'static,
    {
        let t2 = t.to_string();
        let outer = c
            .transaction::<_, Error, _>(async |c| {
                diesel_async::RunQueryDsl::execute(
                    diesel::sql_query(format!("INSERT INTO {t2} VALUES (1)")),
                    &mut *c,
                )
                .await?;
                let inner = c
                    .transaction::<_, Error, _>(async |c| {
                        let _ =
                            diesel_async::RunQueryDsl::execute(diesel::sql_query("SELECT 1/0"), c)
                                .await;
                        Ok(())
                    })
                    .await;
                assert!(inner.is_err());
                diesel_async::RunQueryDsl::execute(
                    diesel::sql_query(format!("INSERT INTO {t2} VALUES (2)")),
                    c,
                )
                .await
                .map(drop)
            })
            .await;
        // The connection takes a new transaction afterwards.
        let again = c
            .transaction::<_, Error, _>(async |c| {
                diesel_async::RunQueryDsl::execute(diesel::sql_query("SELECT 1"), c).await
            })
            .await;
        let stored: i64 = diesel_async::RunQueryDsl::get_result(
            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
                "count(*) FROM {t}"
            ))),
            c,
        )
        .await
        .unwrap();
        (outer.is_ok(), again.is_ok(), stored > 0)
    }
    let (tn, ta) = (pg_table("v int"), pg_table("v int"));
    let (native, ours) = runtime().block_on(async {
        let mut n = AsyncPgConnection::establish(&pg_native_url(DB))
            .await
            .unwrap();
        let mut a = AsyncDataApiPgConnection::establish(&pg_url(DB))
            .await
            .unwrap();
        (scenario(&mut n, &tn).await, scenario(&mut a, &ta).await)
    });
    assert_eq!(ours, native);
    assert!(native.1, "the native connection recovers: {native:?}");
}

/// `AsyncDataApiPgConnection::build_transaction()` as `AsyncPgConnection`'s: a write in a
/// read-only transaction fails the same way, a serializable one commits.
#[test]
fn async_build_transaction_matches_native() {
    let t = pg_table("v int");
    let insert = format!("INSERT INTO {t} VALUES (1)");
    let (native, ours) = runtime().block_on(async {
        let mut n = AsyncPgConnection::establish(&pg_native_url(DB))
            .await
            .unwrap();
        let mut a = AsyncDataApiPgConnection::establish(&pg_url(DB))
            .await
            .unwrap();
        let n_ro = n
            .build_transaction()
            .read_only()
            .run(async |c| diesel_async::RunQueryDsl::execute(diesel::sql_query(&insert), c).await)
            .await;
        let a_ro = a
            .build_transaction()
            .read_only()
            .run(async |c| diesel_async::RunQueryDsl::execute(diesel::sql_query(&insert), c).await)
            .await;
        let n_ser = n
            .build_transaction()
            .serializable()
            .deferrable()
            .read_write()
            .run(async |c| diesel_async::RunQueryDsl::execute(diesel::sql_query(&insert), c).await)
            .await;
        let a_ser = a
            .build_transaction()
            .serializable()
            .deferrable()
            .read_write()
            .run(async |c| diesel_async::RunQueryDsl::execute(diesel::sql_query(&insert), c).await)
            .await;
        ((kind(&n_ro), n_ser.ok()), (kind(&a_ro), a_ser.ok()))
    });
    assert_eq!(ours, native);
    assert_eq!(
        native.0,
        Some(format!("{:?}", DatabaseErrorKind::ReadOnlyTransaction))
    );
}

fn kind<T>(r: &Result<T, Error>) -> Option<String> {
    match r {
        Err(Error::DatabaseError(kind, _)) => Some(format!("{kind:?}")),
        Err(e) => Some(format!("{e}")),
        Ok(_) => None,
    }
}

diesel::table! {
    sem_items (id) {
        id -> Integer,
        name -> Text,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Identifiable, AsChangeset)]
#[diesel(table_name = sem_items)]
struct Rename<'a> {
    id: i32,
    name: &'a str,
}

#[derive(Debug, PartialEq, Queryable)]
struct Item {
    id: i32,
    name: String,
}

/// `save_changes` on both async connections (diesel-async's `UpdateAndFetchResults`), pooled
/// or not, gives what the native connection gives.
#[test]
fn async_save_changes_matches_native() {
    use diesel_async::SaveChangesDsl;
    let ddl = "DROP TABLE IF EXISTS sem_items; CREATE TABLE sem_items (id INT PRIMARY KEY, name TEXT NOT NULL); INSERT INTO sem_items VALUES (1, 'a'), (2, 'b')";
    common::reset_mysql_database("dataapi_semantics_my");
    let (pg_db, my_db) = (unique("dataapi_sem"), "dataapi_semantics_my");
    runtime().block_on(async {
        // PostgreSQL: own database per run, so the fixed table name cannot collide.
        let mut n = AsyncPgConnection::establish(&pg_native_url(&pg_db))
            .await
            .unwrap();
        let mut a = AsyncDataApiPgConnection::establish(&pg_url(&pg_db))
            .await
            .unwrap();
        diesel_async::SimpleAsyncConnection::batch_execute(&mut a, ddl)
            .await
            .unwrap();
        let native: Item = SaveChangesDsl::save_changes(&Rename { id: 1, name: "x" }, &mut n)
            .await
            .unwrap();
        let ours: Item = SaveChangesDsl::save_changes(&Rename { id: 2, name: "x" }, &mut a)
            .await
            .unwrap();
        assert_eq!((native.name.as_str(), ours.name.as_str()), ("x", "x"));
        assert_eq!((native.id, ours.id), (1, 2));
        // MySQL: update then reload by primary key, as AsyncMysqlConnection does.
        let mut n = AsyncMysqlConnection::establish(&mysql_native_url(my_db))
            .await
            .unwrap();
        let mut a = AsyncDataApiMysqlConnection::establish(&mysql_url(my_db))
            .await
            .unwrap();
        for statement in ddl.split("; ") {
            diesel_async::SimpleAsyncConnection::batch_execute(&mut a, statement)
                .await
                .unwrap();
        }
        let native: Item = SaveChangesDsl::save_changes(&Rename { id: 1, name: "y" }, &mut n)
            .await
            .unwrap();
        let ours: Item = SaveChangesDsl::save_changes(&Rename { id: 2, name: "y" }, &mut a)
            .await
            .unwrap();
        assert_eq!(
            native,
            Item {
                id: 1,
                name: "y".into()
            }
        );
        assert_eq!(
            ours,
            Item {
                id: 2,
                name: "y".into()
            }
        );
    });
}

/// diesel's type lookup works on both PostgreSQL connections: a custom type gets an OID,
/// the same on every lookup, different for another type or schema.
#[test]
fn pg_metadata_lookup_over_the_type_registry() {
    use diesel::pg::{Pg, PgMetadataLookup};
    use diesel::sql_types::HasSqlType;
    #[derive(diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "sem_mood"))]
    struct Mood;
    #[derive(diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "sem_mood", schema = "other"))]
    struct OtherMood;
    let mut s = DataApiPgConnection::establish(&pg_url(DB)).unwrap();
    let lookup: &mut dyn PgMetadataLookup = &mut s;
    let a = <Pg as HasSqlType<Mood>>::metadata(lookup).oid().unwrap();
    let b = <Pg as HasSqlType<Mood>>::metadata(&mut s).oid().unwrap();
    let c = <Pg as HasSqlType<OtherMood>>::metadata(&mut s)
        .oid()
        .unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(
        <Pg as HasSqlType<diesel::sql_types::Integer>>::metadata(&mut s)
            .oid()
            .unwrap(),
        23
    );
    let mut a_conn = runtime()
        .block_on(AsyncDataApiPgConnection::establish(&pg_url(DB)))
        .unwrap();
    assert!(<Pg as HasSqlType<Mood>>::metadata(&mut a_conn)
        .oid()
        .is_ok());
}

/// diesel-async's `AsyncConnectionWrapper` around our async connections, from sync code with
/// no runtime: the wrapper's own runtime has I/O but no timers. Migrations and queries work.
#[test]
fn async_connection_wrapper_runs_migrations_outside_a_runtime() {
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    use diesel_migrations::{FileBasedMigrations, MigrationHarness};
    let pg_db = unique("dataapi_wrapper");
    let mut c = <AsyncConnectionWrapper<AsyncDataApiPgConnection> as Connection>::establish(
        &pg_url(&pg_db),
    )
    .unwrap();
    let migrations = FileBasedMigrations::from_path("migrations-example/postgres").unwrap();
    let applied = c.run_pending_migrations(migrations.clone()).unwrap();
    assert_eq!(applied.len(), 2);
    let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "count(*) FROM authors",
    ))
    .get_result(&mut c)
    .unwrap();
    assert_eq!(n, 0);
    c.revert_all_migrations(migrations).unwrap();

    common::reset_mysql_database("dataapi_wrapper_my");
    let mut c = <AsyncConnectionWrapper<AsyncDataApiMysqlConnection> as Connection>::establish(
        &mysql_url("dataapi_wrapper_my"),
    )
    .unwrap();
    let migrations = FileBasedMigrations::from_path("migrations-example/mysql").unwrap();
    assert_eq!(
        c.run_pending_migrations(migrations.clone()).unwrap().len(),
        2
    );
    c.revert_all_migrations(migrations).unwrap();
    let _unused: Option<DataApiMysqlConnection> = None;
}

/// A closure that swallowed a database error and returned `Ok`, at the top level: PostgreSQL
/// turns the COMMIT into a rollback. The oracle decides what the caller is told; ours must
/// say the same, and nothing may be stored.
#[test]
fn swallowed_error_then_commit_matches_native() {
    async fn scenario<C>(c: &mut C, t: &str) -> (Option<String>, i64)
    where
        C: AsyncConnection<
                Backend = diesel::pg::Pg,
                TransactionManager = diesel_async::AnsiTransactionManager,
            > + 'static,
    {
        let t2 = t.to_string();
        let r = c
            .transaction::<_, Error, _>(async |c| {
                diesel_async::RunQueryDsl::execute(
                    diesel::sql_query(format!("INSERT INTO {t2} VALUES (1)")),
                    &mut *c,
                )
                .await?;
                let _ =
                    diesel_async::RunQueryDsl::execute(diesel::sql_query("SELECT 1/0"), c).await;
                Ok(())
            })
            .await;
        let stored: i64 = diesel_async::RunQueryDsl::get_result(
            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
                "count(*) FROM {t}"
            ))),
            c,
        )
        .await
        .unwrap();
        (kind(&r), stored)
    }
    let (tn, ta) = (pg_table("v int"), pg_table("v int"));
    let (native, ours) = runtime().block_on(async {
        let mut n = AsyncPgConnection::establish(&pg_native_url(DB))
            .await
            .unwrap();
        let mut a = AsyncDataApiPgConnection::establish(&pg_url(DB))
            .await
            .unwrap();
        (scenario(&mut n, &tn).await, scenario(&mut a, &ta).await)
    });
    println!("native: {native:?}, ours: {ours:?}");
    assert_eq!(native.1, 0, "nothing is stored natively");
    assert_eq!(ours, native);
}

/// Nothing is prepared over the Data API, so instrumentation sees no `CacheQuery` event
/// (`PgConnection` emits one per newly prepared statement); it sees every query and
/// transaction event.
#[test]
fn instrumentation_sees_queries_and_transactions_but_no_cache_events() {
    use diesel::connection::{Instrumentation, InstrumentationEvent};
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<&'static str>>>);
    impl Instrumentation for Recorder {
        fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
            let name = match event {
                InstrumentationEvent::CacheQuery { .. } => "cache",
                InstrumentationEvent::StartQuery { .. } => "start",
                InstrumentationEvent::FinishQuery { .. } => "finish",
                InstrumentationEvent::BeginTransaction { .. } => "begin",
                InstrumentationEvent::CommitTransaction { .. } => "commit",
                _ => "other",
            };
            self.0.lock().unwrap().push(name);
        }
    }
    let recorder = Recorder::default();
    let mut c = DataApiPgConnection::establish(&pg_url(DB)).unwrap();
    c.set_instrumentation(recorder.clone());
    c.transaction(|c| {
        for i in 0..3 {
            let _: i32 =
                diesel::select(i.into_sql::<diesel::sql_types::Integer>()).get_result(c)?;
        }
        Ok::<_, Error>(())
    })
    .unwrap();
    let seen = recorder.0.lock().unwrap().clone();
    assert!(!seen.contains(&"cache"), "{seen:?}");
    assert_eq!(
        seen.iter().filter(|e| **e == "start").count(),
        5,
        "{seen:?}"
    ); // BEGIN, 3 selects, COMMIT
    assert!(
        seen.contains(&"begin") && seen.contains(&"commit"),
        "{seen:?}"
    );
}

/// A statement timeout inside a transaction (the Data API's 45 s, 300 ms here): without
/// `continueAfterTimeout` the transaction stays open and aborted, the next statement fails
/// with SQLSTATE 25P02 as on PostgreSQL, the rollback works and nothing is stored; with it,
/// the next statement waits for the running one and sees its row.
#[test]
fn statement_timeout_inside_a_transaction() {
    let (rt, _server, url) = common::custom_pg_server(DB, |c| {
        c.limits.statement_timeout = std::time::Duration::from_millis(300)
    });
    let t = pg_table("v int");
    let mut c = DataApiPgConnection::establish(&url).unwrap();
    let r: Result<(), Error> = c.transaction(|c| {
        diesel::sql_query(format!("INSERT INTO {t} VALUES (1)")).execute(c)?;
        let e = diesel::sql_query("SELECT pg_sleep(1)")
            .execute(c)
            .unwrap_err();
        assert!(e.to_string().contains("StatementTimeout"), "{e}");
        let e = diesel::sql_query("SELECT 1").execute(c).unwrap_err();
        assert!(
            e.to_string().contains("25P02") || e.to_string().contains("aborted"),
            "{e}"
        );
        Err(e)
    });
    assert!(r.is_err());
    c.set_continue_after_timeout(true);
    c.transaction(|c| {
        let e = diesel::sql_query(format!("INSERT INTO {t} SELECT 2 FROM pg_sleep(0.6)"))
            .execute(c)
            .unwrap_err();
        assert!(e.to_string().contains("StatementTimeout"), "{e}");
        assert_eq!(
            values(c, &t),
            vec![2],
            "the next statement waited for the insert"
        );
        Ok::<_, Error>(())
    })
    .unwrap();
    assert_eq!(
        values(&mut c, &t),
        vec![2],
        "the first transaction stored nothing"
    );
    drop(rt);
}

/// The same closure through SeaORM: a swallowed database error, then `Ok`. SeaORM over sqlx on
/// the same database is the oracle; our native and proxy faces must answer the same way and
/// store nothing.
#[test]
fn sea_orm_swallowed_error_then_commit_matches_sqlx() {
    use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, TransactionTrait};
    async fn scenario<C: TransactionTrait + ConnectionTrait>(c: &C, t: &str) -> (bool, i64) {
        let (insert, bad) = (
            format!("INSERT INTO {t} VALUES (1)"),
            "SELECT 1/0".to_string(),
        );
        let r = c
            .transaction::<_, (), DbErr>(|txn| {
                Box::pin(async move {
                    txn.execute_unprepared(&insert).await?;
                    let _ = txn.execute_unprepared(&bad).await;
                    Ok(())
                })
            })
            .await;
        let n = c
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT count(*) AS n FROM {t}"),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        (r.is_ok(), n)
    }
    let tables = [pg_table("v int"), pg_table("v int"), pg_table("v int")];
    let [sqlx, native, proxy] = runtime().block_on(async {
        let sqlx = sea_orm::Database::connect(pg_native_url(DB)).await.unwrap();
        let native =
            aurora_data_api::sea_orm::DataApiConnection::connect(&pg_url(DB), DbBackend::Postgres)
                .await
                .unwrap();
        let proxy = aurora_data_api::sea_orm::connect_proxy(&pg_url(DB), DbBackend::Postgres)
            .await
            .unwrap();
        [
            scenario(&sqlx, &tables[0]).await,
            scenario(&native, &tables[1]).await,
            scenario(&proxy, &tables[2]).await,
        ]
    });
    assert_eq!(sqlx.1, 0, "nothing is stored over sqlx");
    assert_eq!(native, sqlx);
    assert_eq!(proxy, sqlx);
}
