//! End-to-end: diesel-async code on `AsyncDataApiPgConnection` → aws-sdk-rdsdata → local Data
//! API server → PostgreSQL, plus diesel-async's deadpool and bb8 pools.

mod common;

use aurora_data_api::pg::AsyncDataApiPgConnection;
use common::*;
use diesel::result::Error;
use diesel::IntoSql;

const DB: &str = "dataapi_pg_async";

#[tokio::test]
async fn async_connection_and_pools() {
    use diesel_async::pooled_connection::{bb8, deadpool, AsyncDieselConnectionManager};
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let url = pg_url(DB);
    let mut conn = AsyncDataApiPgConnection::establish(&url).await.unwrap();
    let n: i32 = diesel::select(41.into_sql::<diesel::sql_types::Integer>() + 1)
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 42);
    let table = unique("async_t");
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut conn,
        &format!("CREATE TABLE {table} (id INT PRIMARY KEY)"),
    )
    .await
    .unwrap();
    let r: Result<(), Error> = conn
        .transaction(async |conn| {
            diesel::sql_query(format!("INSERT INTO {table} VALUES (1)"))
                .execute(conn)
                .await?;
            Err(Error::RollbackTransaction)
        })
        .await;
    assert!(r.is_err());
    conn.transaction::<_, Error, _>(async |conn| {
        diesel::sql_query(format!("INSERT INTO {table} VALUES (2)"))
            .execute(conn)
            .await?;
        Ok(())
    })
    .await
    .unwrap();
    let count: i64 = diesel::dsl::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
        "(SELECT COUNT(*) FROM {table})"
    )))
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!(count, 1);

    let deadpool_pool = deadpool::Pool::builder(AsyncDieselConnectionManager::<
        AsyncDataApiPgConnection,
    >::new(url.clone()))
    .build()
    .unwrap();
    let mut pooled = deadpool_pool.get().await.unwrap();
    let one: i32 = diesel::select(1.into_sql::<diesel::sql_types::Integer>())
        .get_result(&mut pooled)
        .await
        .unwrap();
    assert_eq!(one, 1);
    let bb8_pool = bb8::Pool::builder()
        .build(AsyncDieselConnectionManager::<AsyncDataApiPgConnection>::new(url))
        .await
        .unwrap();
    let mut pooled = bb8_pool.get().await.unwrap();
    let two: i32 = diesel::select(2.into_sql::<diesel::sql_types::Integer>())
        .get_result(&mut pooled)
        .await
        .unwrap();
    assert_eq!(two, 2);
    diesel_async::SimpleAsyncConnection::batch_execute(&mut conn, &format!("DROP TABLE {table}"))
        .await
        .unwrap();
}
