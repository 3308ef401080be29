//! Pools hand out Data API connections without a Data API call: the connection has no
//! socket to verify, only its transaction state (deadpool, bb8, r2d2; both engines). A
//! custom check query asked for is still run. Counted on the server.

mod common;

use aurora_data_api::mysql::{AsyncDataApiMysqlConnection, DataApiMysqlConnection};
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use common::*;
use data_api_local::LocalServer;
use diesel::IntoSql;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};

/// Execute calls the server received so far.
fn executes(server: &LocalServer) -> u64 {
    server.call_counts().execute_statement
}

/// One query on a checked-out async connection, then five checkouts without queries: the
/// checkouts cost no call.
macro_rules! async_pool_round {
    ($server:expr, $pool:expr) => {{
        use diesel_async::RunQueryDsl;
        let pool = $pool;
        {
            let mut c = pool.get().await.unwrap();
            let one: i32 = diesel::select(1.into_sql::<diesel::sql_types::Integer>())
                .get_result(&mut *c)
                .await
                .unwrap();
            assert_eq!(one, 1);
        }
        let before = executes($server);
        for _ in 0..5 {
            drop(pool.get().await.unwrap());
        }
        assert_eq!(executes($server), before, "checkouts made Data API calls");
    }};
}

macro_rules! async_pools {
    ($conn:ty, $server:expr, $url:expr) => {{
        let manager = || AsyncDieselConnectionManager::<$conn>::new($url.clone());
        async_pool_round!(
            $server,
            diesel_async::pooled_connection::deadpool::Pool::builder(manager())
                .max_size(1)
                .build()
                .unwrap()
        );
        async_pool_round!(
            $server,
            diesel_async::pooled_connection::bb8::Pool::builder()
                .max_size(1)
                .build(manager())
                .await
                .unwrap()
        );
        // A custom check query is the user's choice: it runs on every recycle.
        let mut config = ManagerConfig::default();
        config.recycling_method = RecyclingMethod::CustomQuery("SELECT 1".into());
        let pool = diesel_async::pooled_connection::deadpool::Pool::builder(
            AsyncDieselConnectionManager::<$conn>::new_with_config($url.clone(), config),
        )
        .max_size(1)
        .build()
        .unwrap();
        drop(pool.get().await.unwrap());
        let before = executes($server);
        for _ in 0..3 {
            drop(pool.get().await.unwrap());
        }
        assert_eq!(executes($server), before + 3, "the custom check ran");
    }};
}

macro_rules! r2d2_pool {
    ($conn:ty, $server:expr, $url:expr) => {{
        use diesel::RunQueryDsl;
        let pool = diesel::r2d2::Pool::builder()
            .max_size(1)
            .build(diesel::r2d2::ConnectionManager::<$conn>::new($url.clone()))
            .unwrap();
        let one: i32 = diesel::select(1.into_sql::<diesel::sql_types::Integer>())
            .get_result(&mut pool.get().unwrap())
            .unwrap();
        assert_eq!(one, 1);
        let before = executes($server);
        for _ in 0..5 {
            drop(pool.get().unwrap());
        }
        assert_eq!(
            executes($server),
            before,
            "r2d2 checkouts made Data API calls"
        );
    }};
}

#[test]
fn async_pools_check_out_without_a_call() {
    let (_runtime, server, pg, my) = custom_server_both("pool_checkout_async", |_| {});
    // The clients' own runtime (the server's is dropped outside any runtime).
    let clients = tokio::runtime::Runtime::new().unwrap();
    clients.block_on(async {
        async_pools!(AsyncDataApiPgConnection, &server, pg);
        async_pools!(AsyncDataApiMysqlConnection, &server, my);
    });
}

#[test]
fn r2d2_checks_out_without_a_call() {
    let (_runtime, server, pg, my) = custom_server_both("pool_checkout_sync", |_| {});
    r2d2_pool!(DataApiPgConnection, &server, pg);
    r2d2_pool!(DataApiMysqlConnection, &server, my);
}
