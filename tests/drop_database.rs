//! What a test harness does per test — create a database, use it, drop it — through the local
//! server: the idle sessions the server pools on the database do not keep `DROP DATABASE`
//! from working (natively nothing would hold them open).

mod common;

use aurora_data_api::pg::AsyncDataApiPgConnection;
use common::{pg_native_url, pg_url, unique};
use diesel::sql_types::Integer;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

#[tokio::test(flavor = "multi_thread")]
async fn a_database_the_server_pooled_sessions_on_can_be_dropped() {
    let db = unique("dataapi_drop");
    let url = pg_url(&db); // creates it
                           // Concurrent calls leave several pooled sessions on the database.
    let mut conns = Vec::new();
    for _ in 0..3 {
        conns.push(AsyncDataApiPgConnection::establish(&url).await.unwrap());
    }
    let reads = conns.iter_mut().map(|conn| async move {
        for _ in 0..3 {
            let one: i32 = diesel::select(diesel::dsl::sql::<Integer>("1"))
                .get_result(conn)
                .await
                .unwrap();
            assert_eq!(one, 1);
        }
    });
    futures_util::future::join_all(reads).await;
    drop(conns);

    let mut admin = AsyncDataApiPgConnection::establish(&pg_url("test"))
        .await
        .unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE \"{db}\""))
        .await
        .unwrap_or_else(|e| panic!("DROP DATABASE through the local server: {e}"));

    let mut native = AsyncPgConnection::establish(&pg_native_url("test"))
        .await
        .unwrap();
    let left: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
        "(SELECT count(*) FROM pg_database WHERE datname = '{db}')"
    )))
    .get_result(&mut native)
    .await
    .unwrap();
    assert_eq!(left, 0, "{db} is gone");
}
