//! A connection dropped inside a transaction rolls it back at once, as a native connection's
//! closing socket does: a second connection then takes the same row lock within 1 s (its lock
//! timeout), where without the rollback it would wait for the Data API's 3-minute idle expiry.
//! Every connection type on both engines: sync and async Diesel, SeaORM native and proxy
//! (their transactions dropped inside and outside a tokio runtime), and pools (r2d2,
//! deadpool) given back a connection mid-transaction.

mod common;

use aurora_data_api::mysql::{AsyncDataApiMysqlConnection, DataApiMysqlConnection};
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use common::{mysql_url, pg_url, unique};
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel_async::pooled_connection::{deadpool, AsyncDieselConnectionManager};
use diesel_async::AsyncConnection;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

const DB: &str = "dataapi_drop";

/// One engine's URL, its lock-timeout statement and a table with row 1 in it.
struct Engine {
    url: String,
    backend: DbBackend,
    table: String,
}

impl Engine {
    fn pg() -> Self {
        Self::new(pg_url(DB), DbBackend::Postgres)
    }

    fn mysql() -> Self {
        Self::new(mysql_url(DB), DbBackend::MySql)
    }

    fn new(url: String, backend: DbBackend) -> Self {
        let table = unique("drop_lock");
        let e = Engine {
            url,
            backend,
            table,
        };
        e.setup();
        e
    }

    fn setup(&self) {
        let sql = format!(
            "CREATE TABLE {t} (id INT PRIMARY KEY, v INT NOT NULL); INSERT INTO {t} VALUES (1, 0)",
            t = self.table
        );
        match self.backend {
            DbBackend::Postgres => DataApiPgConnection::establish(&self.url)
                .unwrap()
                .batch_execute(&sql)
                .unwrap(),
            _ => DataApiMysqlConnection::establish(&self.url)
                .unwrap()
                .batch_execute(&sql)
                .unwrap(),
        }
    }

    fn update(&self) -> String {
        format!("UPDATE {} SET v = v + 1 WHERE id = 1", self.table)
    }

    /// A fresh connection updates row 1 in a transaction with a 1 s lock timeout: it fails
    /// if the dropped connection's transaction still holds the row.
    fn assert_lock_free(&self, what: &str) {
        let update = self.update();
        let result = match self.backend {
            DbBackend::Postgres => {
                let mut c = DataApiPgConnection::establish(&self.url).unwrap();
                c.transaction(|c| {
                    c.batch_execute("SET LOCAL lock_timeout = '1s'")?;
                    diesel::sql_query(&update).execute(c)
                })
            }
            _ => {
                let mut c = DataApiMysqlConnection::establish(&self.url).unwrap();
                c.transaction(|c| {
                    c.batch_execute("SET SESSION innodb_lock_wait_timeout = 1")?;
                    diesel::sql_query(&update).execute(c)
                })
            }
        };
        assert_eq!(
            result.unwrap_or_else(|e| panic!("{what}: the row is still locked: {e}")),
            1,
            "{what}"
        );
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let sql = format!("DROP TABLE {}", self.table);
        let _ = match self.backend {
            DbBackend::Postgres => {
                DataApiPgConnection::establish(&self.url).map(|mut c| c.batch_execute(&sql))
            }
            _ => DataApiMysqlConnection::establish(&self.url).map(|mut c| c.batch_execute(&sql)),
        };
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

macro_rules! sync_case {
    ($name:ident, $engine:expr, $conn:ty) => {
        #[test]
        fn $name() {
            let e = $engine;
            let mut c = <$conn>::establish(&e.url).unwrap();
            c.begin_test_transaction().unwrap();
            assert_eq!(diesel::sql_query(e.update()).execute(&mut c).unwrap(), 1);
            drop(c);
            e.assert_lock_free(stringify!($name));
        }
    };
}

sync_case!(sync_pg_connection, Engine::pg(), DataApiPgConnection);
sync_case!(
    sync_mysql_connection,
    Engine::mysql(),
    DataApiMysqlConnection
);

macro_rules! async_case {
    ($name:ident, $engine:expr, $conn:ty) => {
        #[test]
        fn $name() {
            let e = $engine;
            runtime().block_on(async {
                let mut c = <$conn as AsyncConnection>::establish(&e.url).await.unwrap();
                c.begin_test_transaction().await.unwrap();
                let n = diesel_async::RunQueryDsl::execute(diesel::sql_query(e.update()), &mut c)
                    .await
                    .unwrap();
                assert_eq!(n, 1);
                drop(c);
            });
            e.assert_lock_free(stringify!($name));
        }
    };
}

async_case!(async_pg_connection, Engine::pg(), AsyncDataApiPgConnection);
async_case!(
    async_mysql_connection,
    Engine::mysql(),
    AsyncDataApiMysqlConnection
);

/// A `diesel_migrations`-style user: the async connection dropped after its runtime is gone.
#[test]
fn async_connection_dropped_after_its_runtime() {
    let e = Engine::pg();
    let rt = runtime();
    let c = rt.block_on(async {
        let mut c = <AsyncDataApiPgConnection as AsyncConnection>::establish(&e.url)
            .await
            .unwrap();
        diesel_async::SimpleAsyncConnection::batch_execute(&mut c, "BEGIN")
            .await
            .unwrap();
        let n = diesel_async::RunQueryDsl::execute(diesel::sql_query(e.update()), &mut c)
            .await
            .unwrap();
        assert_eq!(n, 1);
        c
    });
    drop(rt);
    drop(c);
    e.assert_lock_free("async connection dropped outside a runtime");
}

/// A pool of one connection of type `$conn` at `$url`: one is checked out, left inside a
/// transaction holding the row, given back, and another checked out (the pool drops the
/// broken one — r2d2 when it is returned, deadpool when it is recycled).
macro_rules! r2d2_round {
    ($conn:ty, $url:expr, $update:expr) => {{
        let manager = diesel::r2d2::ConnectionManager::<$conn>::new($url);
        let pool = diesel::r2d2::Pool::builder()
            .max_size(1)
            .build(manager)
            .unwrap();
        let mut c = pool.get().unwrap();
        AnsiTransactionManager::begin_transaction(&mut *c).unwrap();
        diesel::sql_query($update).execute(&mut c).unwrap();
        drop(c);
        let _again = pool.get().unwrap();
    }};
}

macro_rules! deadpool_round {
    ($conn:ty, $url:expr, $update:expr) => {{
        use diesel_async::TransactionManager as _;
        let pool = deadpool::Pool::builder(AsyncDieselConnectionManager::<$conn>::new($url))
            .max_size(1)
            .build()
            .unwrap();
        let mut c = pool.get().await.unwrap();
        diesel_async::AnsiTransactionManager::begin_transaction(&mut *c)
            .await
            .unwrap();
        diesel_async::RunQueryDsl::execute(diesel::sql_query($update), &mut c)
            .await
            .unwrap();
        drop(c);
        let _again = pool.get().await.unwrap();
    }};
}

#[test]
fn r2d2_pool_given_back_a_connection_mid_transaction() {
    for e in [Engine::pg(), Engine::mysql()] {
        let update = e.update();
        match e.backend {
            DbBackend::Postgres => r2d2_round!(DataApiPgConnection, &e.url, &update),
            _ => r2d2_round!(DataApiMysqlConnection, &e.url, &update),
        }
        e.assert_lock_free("r2d2");
    }
}

#[test]
fn deadpool_given_back_a_connection_mid_transaction() {
    for e in [Engine::pg(), Engine::mysql()] {
        let update = e.update();
        runtime().block_on(async {
            match e.backend {
                DbBackend::Postgres => deadpool_round!(AsyncDataApiPgConnection, &e.url, &update),
                _ => deadpool_round!(AsyncDataApiMysqlConnection, &e.url, &update),
            }
        });
        e.assert_lock_free("deadpool");
    }
}

/// SeaORM: a transaction dropped without commit (`DataApiTransaction` on the native face,
/// `DatabaseTransaction` on the proxy), dropped
/// inside a runtime and after it.
#[test]
fn sea_orm_transactions_dropped_mid_transaction() {
    for e in [Engine::pg(), Engine::mysql()] {
        let update = Statement::from_string(e.backend, e.update());
        for (face, outside) in [
            ("native", false),
            ("native", true),
            ("proxy", false),
            ("proxy", true),
        ] {
            let rt = runtime();
            // Kept as `Any` so both faces' transaction types are dropped the same way.
            async fn run<T: ConnectionTrait + Send + 'static>(
                txn: T,
                update: &Statement,
                outside: bool,
            ) -> Option<Box<dyn std::any::Any + Send>> {
                assert_eq!(
                    txn.execute_raw(update.clone())
                        .await
                        .unwrap()
                        .rows_affected(),
                    1
                );
                if outside {
                    Some(Box::new(txn))
                } else {
                    drop(txn);
                    None
                }
            }
            let txn = rt.block_on(async {
                if face == "native" {
                    let conn =
                        aurora_data_api::sea_orm::DataApiConnection::connect(&e.url, e.backend)
                            .await
                            .unwrap();
                    run(conn.begin().await.unwrap(), &update, outside).await
                } else {
                    let conn = aurora_data_api::sea_orm::connect_proxy(&e.url, e.backend)
                        .await
                        .unwrap();
                    run(conn.begin().await.unwrap(), &update, outside).await
                }
            });
            drop(rt);
            drop(txn);
            e.assert_lock_free(&format!(
                "SeaORM {face}, dropped outside a runtime: {outside}"
            ));
        }
    }
}
