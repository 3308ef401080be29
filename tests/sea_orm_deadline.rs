//! SeaORM's `DataApiConnection::transaction_before`: committed in time, rolled back before
//! the deadline when late (no open transaction left, the row free), nothing sent when the
//! deadline has passed, the callback's error after a rollback. Both engines.

mod common;

use std::time::{Duration, SystemTime};

use aurora_data_api::connection::DeadlineError;
use aurora_data_api::sea_orm::DataApiConnection;
use common::*;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, TransactionError};

async fn count(db: &DataApiConnection, table: &str, id: i32) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table} WHERE id = {id}"),
        ))
        .await
        .unwrap()
        .expect("a row");
    row.try_get("", "n").unwrap()
}

async fn rounds(server: &data_api_local::LocalServer, url: &str, backend: DbBackend) {
    let table = unique("sea_deadline");
    let db = DataApiConnection::connect(url, backend).await.unwrap();
    let raw = |sql: String| Statement::from_string(backend, sql);
    db.execute_raw(raw(format!("CREATE TABLE {table} (id INT PRIMARY KEY)")))
        .await
        .unwrap();
    let insert = |id: i32| raw(format!("INSERT INTO {table} (id) VALUES ({id})"));
    let far = SystemTime::now() + Duration::from_secs(60);

    let done = db
        .transaction_before(far, async |txn| {
            txn.execute_raw(insert(1)).await?;
            Ok::<_, DbErr>(7)
        })
        .await;
    assert!(matches!(done, Ok(7)), "{done:?}");
    assert_eq!(count(&db, &table, 1).await, 1);

    let started = std::time::Instant::now();
    let late = db
        .transaction_before(
            SystemTime::now() + Duration::from_millis(1500),
            async |txn| {
                txn.execute_raw(insert(2)).await?;
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok::<_, DbErr>(())
            },
        )
        .await;
    assert!(
        matches!(
            late,
            Err(DeadlineError::Exceeded {
                rollback_error: None
            })
        ),
        "{late:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(
        server.open_transactions(),
        0,
        "rolled back, not left to the background"
    );
    assert_eq!(count(&db, &table, 2).await, 0);
    db.execute_raw(insert(2)).await.expect("the row is free");

    let before = server.call_counts();
    let past = db
        .transaction_before(SystemTime::UNIX_EPOCH, async |txn| {
            txn.execute_raw(insert(3)).await?;
            Ok::<_, DbErr>(())
        })
        .await;
    assert!(
        matches!(
            past,
            Err(DeadlineError::Exceeded {
                rollback_error: None
            })
        ),
        "{past:?}"
    );
    assert_eq!(server.call_counts().since(&before).total(), 0);

    let failed = db
        .transaction_before(far, async |txn| {
            txn.execute_raw(insert(4)).await?;
            txn.execute_raw(insert(4)).await?;
            Ok::<_, DbErr>(())
        })
        .await;
    assert!(
        matches!(
            failed,
            Err(DeadlineError::Failed(TransactionError::Transaction(_)))
        ),
        "{failed:?}"
    );
    assert_eq!(count(&db, &table, 4).await, 0);
    db.execute_raw(raw(format!("DROP TABLE {table}")))
        .await
        .unwrap();
    assert_eq!(server.open_transactions(), 0);
}

#[test]
fn late_sea_orm_transactions_roll_back_before_the_deadline_on_both_engines() {
    let (_runtime, server, pg, my) = custom_server_both("sea_deadline", |_| {});
    let clients = tokio::runtime::Runtime::new().unwrap();
    clients.block_on(async {
        rounds(&server, &pg, DbBackend::Postgres).await;
        rounds(&server, &my, DbBackend::MySql).await;
    });
}
