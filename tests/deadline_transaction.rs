//! `transaction_before`: a transaction whose callback runs past the deadline is rolled back
//! before it (no open transaction left on the server, the connection usable again); one that
//! finishes in time commits; an error rolls back as `transaction` does. Both engines.

mod common;

use std::time::{Duration, SystemTime};

use aurora_data_api::connection::DeadlineError;
use aurora_data_api::mysql::AsyncDataApiMysqlConnection;
use aurora_data_api::pg::AsyncDataApiPgConnection;
use common::*;
use diesel::result::Error;
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};

macro_rules! deadline_rounds {
    ($conn:ty, $server:expr, $url:expr, $table:expr) => {{
        let server = $server;
        let table = $table;
        let mut conn = <$conn>::establish(&$url).await.unwrap();
        conn.batch_execute(&format!("CREATE TABLE {table} (id INT PRIMARY KEY)"))
            .await
            .unwrap();
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let count = async |conn: &mut $conn, id: i32| {
            let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE id = {id}");
            diesel::sql_query(sql)
                .get_result::<N>(conn)
                .await
                .unwrap()
                .n
        };
        let insert = |id: i32| format!("INSERT INTO {table} (id) VALUES ({id})");
        let far = SystemTime::now() + Duration::from_secs(60);

        // In time: committed.
        let done = conn
            .transaction_before(far, async |c| {
                diesel::sql_query(insert(1)).execute(c).await?;
                Ok::<_, Error>(7)
            })
            .await;
        assert!(matches!(done, Ok(7)), "{done:?}");
        assert_eq!(count(&mut conn, 1).await, 1);

        // Late: rolled back before the deadline, nothing left open.
        let started = std::time::Instant::now();
        let late = conn
            .transaction_before(SystemTime::now() + Duration::from_millis(1500), async |c| {
                diesel::sql_query(insert(2)).execute(c).await?;
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok::<_, Error>(())
            })
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
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "answered before the deadline"
        );
        assert_eq!(server.open_transactions(), 0);
        assert_eq!(
            count(&mut conn, 2).await,
            0,
            "the late insert was rolled back"
        );
        // The connection is clean: a new transaction works and its row is free.
        conn.transaction::<_, Error, _>(async |c| {
            diesel::sql_query(insert(2)).execute(c).await?;
            Ok(())
        })
        .await
        .unwrap();

        // A deadline already past (cargo-lambda's emulator sends 600000 ms, 1970): nothing sent.
        let before = server.call_counts();
        let past = conn
            .transaction_before(
                SystemTime::UNIX_EPOCH + Duration::from_millis(600_000),
                async |c| {
                    diesel::sql_query(insert(4)).execute(c).await?;
                    Ok::<_, Error>(())
                },
            )
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

        // An error: rolled back, the error returned.
        let failed = conn
            .transaction_before(far, async |c| {
                diesel::sql_query(insert(3)).execute(c).await?;
                diesel::sql_query(insert(3)).execute(c).await?;
                Ok::<_, Error>(())
            })
            .await;
        assert!(
            matches!(
                failed,
                Err(DeadlineError::Failed(Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _
                )))
            ),
            "{failed:?}"
        );
        assert_eq!(count(&mut conn, 3).await, 0);

        // Outermost only.
        let nested = conn
            .transaction::<_, Error, _>(async |c| {
                let inner = c
                    .transaction_before(far, async |_| Ok::<_, Error>(()))
                    .await;
                assert!(
                    matches!(
                        inner,
                        Err(DeadlineError::Failed(Error::AlreadyInTransaction))
                    ),
                    "{inner:?}"
                );
                Ok(())
            })
            .await;
        assert!(nested.is_ok());
        conn.batch_execute(&format!("DROP TABLE {table}"))
            .await
            .unwrap();
        assert_eq!(server.open_transactions(), 0);
    }};
}

#[test]
fn late_transactions_roll_back_before_the_deadline_on_both_engines() {
    let (_runtime, server, pg, my) = custom_server_both("deadline_tx", |_| {});
    let clients = tokio::runtime::Runtime::new().unwrap();
    clients.block_on(async {
        deadline_rounds!(AsyncDataApiPgConnection, &server, pg, unique("deadline_pg"));
        deadline_rounds!(
            AsyncDataApiMysqlConnection,
            &server,
            my,
            unique("deadline_my")
        );
    });
}
