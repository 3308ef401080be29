//! What a user of the Diesel connections sees when the faults of issue 13 hit (the server
//! side of each is in `integration/tests/faults.rs`):
//!
//! - a cluster resuming in the middle of a transaction: the call is retried and the
//!   transaction goes on; the user sees nothing;
//! - a 5xx to a CommitTransaction that was applied: the commit's error surfaces, the commit is
//!   not retried and nothing is written twice; the connection goes on;
//! - the HTTP connection closed after a write was applied: a transport error
//!   (`DatabaseErrorKind::ClosedConnection`), not retried for writes (the row is there once);
//!   a read is retried;
//! - a transaction the server expired between two calls (e.g. between two chunks of a bulk
//!   insert): a TransactionNotFound-derived error, nothing of it stored, and the next
//!   transaction on the same connection works.
//!
//! The tests run one at a time (a lock), so the process-wide retry counter tells exactly how
//! many retries each made. Sync PostgreSQL and MySQL connections, and the async PostgreSQL one.

mod common;

use std::sync::{Mutex, MutexGuard};

use aurora_data_api::mysql::DataApiMysqlConnection;
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use aurora_data_api::retry::retries_so_far;
use common::*;
use data_api_local::{ClusterConfig, FaultConfig, LocalServer, ServerConfig};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

const DB: &str = "dataapi_faults_seen";

fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn pg_server() -> (tokio::runtime::Runtime, LocalServer, String) {
    custom_pg_server(DB, |_| {})
}

/// A MySQL server of its own (the shared helpers only have a PostgreSQL one).
fn mysql_server() -> (tokio::runtime::Runtime, LocalServer, String) {
    ensure_mysql_database(DB);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let config = ServerConfig::ephemeral(vec![ClusterConfig::new(MY_ARN, mysql_base()).unwrap()]);
    let server = std::thread::scope(|s| {
        s.spawn(|| runtime.block_on(LocalServer::start(config)))
            .join()
            .unwrap()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "dataapi://{DB}?cluster_arn={MY_ARN}&secret_arn={SECRET_ARN}&region=us-east-1&endpoint={}",
        server.endpoint_url()
    );
    (runtime, server, url)
}

fn is_5xx(e: &Error) -> bool {
    let text = e.to_string();
    text.contains("InternalServerError") || text.contains("ServiceUnavailable")
}

fn is_transport(e: &Error) -> bool {
    matches!(
        e,
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
    )
}

fn is_transaction_not_found(e: &Error) -> bool {
    let text = e.to_string();
    text.contains("is not found") && text.contains("ends a transaction")
}

macro_rules! sync_tests {
    ($module:ident, $conn:ty, $server:path) => {
        mod $module {
            use super::*;

            fn count(conn: &mut $conn, table: &str) -> i64 {
                diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
                    "(SELECT COUNT(*) FROM {table})"
                )))
                .get_result(conn)
                .unwrap()
            }

            fn insert(conn: &mut $conn, table: &str, id: i32) -> QueryResult<usize> {
                diesel::sql_query(format!("INSERT INTO {table} VALUES ({id})")).execute(conn)
            }

            /// A table without a key, so a write applied twice shows as two rows.
            fn setup(prefix: &str) -> (tokio::runtime::Runtime, LocalServer, $conn, String) {
                let (rt, server, url) = $server();
                let mut conn = <$conn>::establish(&url).unwrap();
                let table = unique(prefix);
                conn.batch_execute(&format!("CREATE TABLE {table} (id INT NOT NULL)"))
                    .unwrap();
                (rt, server, conn, table)
            }

            #[test]
            fn resuming_mid_transaction_is_retried_and_the_transaction_continues() {
                let _serial = serial();
                let (_rt, server, mut conn, t) = setup("seen_resume");
                let retries = retries_so_far();
                conn.transaction::<_, Error, _>(|c| {
                    insert(c, &t, 1)?;
                    server.set_faults(FaultConfig {
                        resuming_in_transaction_calls: 2,
                        ..Default::default()
                    });
                    insert(c, &t, 2)?;
                    // The commit meets one too.
                    server.set_faults(FaultConfig {
                        resuming_in_transaction_calls: 1,
                        ..Default::default()
                    });
                    Ok(())
                })
                .unwrap();
                assert_eq!(retries_so_far() - retries, 3);
                assert_eq!(server.fault_counts().resuming_in_transaction, 3);
                assert_eq!(count(&mut conn, &t), 2, "both rows, once each");
                assert_eq!(server.open_transactions(), 0);
            }

            #[test]
            fn commit_5xx_after_apply_is_surfaced_and_not_retried() {
                let _serial = serial();
                let (_rt, server, mut conn, t) = setup("seen_commit5xx");
                let retries = retries_so_far();
                let e = conn
                    .transaction::<_, Error, _>(|c| {
                        insert(c, &t, 1)?;
                        server.set_faults(FaultConfig {
                            commit_5xx_after_apply_calls: 1,
                            ..Default::default()
                        });
                        Ok(())
                    })
                    .unwrap_err();
                // The commit's own error (a retried commit would report the transaction not
                // found), and no retry.
                assert!(is_5xx(&e), "{e:?}");
                assert!(
                    e.to_string().contains("may or may not have been applied"),
                    "the error says what a lost commit answer means: {e}"
                );
                eprintln!("{}: commit 5xx after apply: {e}", stringify!($module));
                assert_eq!(retries_so_far() - retries, 0);
                assert_eq!(server.fault_counts().commit_5xx_after_apply, 1);
                assert_eq!(count(&mut conn, &t), 1, "committed once, never twice");
                // The connection goes on.
                conn.transaction::<_, Error, _>(|c| insert(c, &t, 2).map(|_| ()))
                    .unwrap();
                assert_eq!(count(&mut conn, &t), 2);
                assert_eq!(server.open_transactions(), 0);
            }

            #[test]
            fn http_dropped_after_apply_is_a_transport_error_not_retried_for_writes() {
                let _serial = serial();
                let (_rt, server, mut conn, t) = setup("seen_httpdrop");
                let cut_next = || {
                    server.set_faults(FaultConfig {
                        drop_http_after_apply_calls: 1,
                        ..Default::default()
                    })
                };

                // An autocommitted write.
                let retries = retries_so_far();
                cut_next();
                let e = insert(&mut conn, &t, 1).unwrap_err();
                assert!(is_transport(&e), "{e:?}");
                eprintln!("{}: HTTP cut after a write: {e}", stringify!($module));
                assert_eq!(retries_so_far() - retries, 0, "a write is not resent");
                assert_eq!(count(&mut conn, &t), 1, "applied once");

                // A read is resent and succeeds.
                let retries = retries_so_far();
                cut_next();
                assert_eq!(count(&mut conn, &t), 1);
                assert_eq!(retries_so_far() - retries, 1);

                // A statement inside a transaction: surfaced, the transaction is rolled back.
                let retries = retries_so_far();
                let e = conn
                    .transaction::<_, Error, _>(|c| {
                        cut_next();
                        insert(c, &t, 2)?;
                        Ok(())
                    })
                    .unwrap_err();
                assert!(is_transport(&e), "{e:?}");
                assert_eq!(retries_so_far() - retries, 0);
                assert_eq!(count(&mut conn, &t), 1, "rolled back");

                // A commit: surfaced, committed once.
                let retries = retries_so_far();
                let e = conn
                    .transaction::<_, Error, _>(|c| {
                        insert(c, &t, 3)?;
                        cut_next();
                        Ok(())
                    })
                    .unwrap_err();
                assert!(is_transport(&e), "{e:?}");
                assert_eq!(retries_so_far() - retries, 0);
                assert_eq!(count(&mut conn, &t), 2);

                assert_eq!(server.fault_counts().dropped_http_after_apply, 4);
                conn.transaction::<_, Error, _>(|c| insert(c, &t, 4).map(|_| ()))
                    .unwrap();
                assert_eq!(count(&mut conn, &t), 3);
                assert_eq!(server.open_transactions(), 0);
            }

            #[test]
            fn expired_transaction_surfaces_not_found_and_the_connection_recovers() {
                let _serial = serial();
                let (_rt, server, mut conn, t) = setup("seen_expire");

                // Expired before its second statement.
                let e = conn
                    .transaction::<_, Error, _>(|c| {
                        insert(c, &t, 1)?;
                        server.set_faults(FaultConfig {
                            expire_transaction_calls: 1,
                            ..Default::default()
                        });
                        insert(c, &t, 2)?;
                        Ok(())
                    })
                    .unwrap_err();
                assert!(is_transaction_not_found(&e), "{e:?}");
                eprintln!("{}: transaction expired: {e}", stringify!($module));
                assert_eq!(count(&mut conn, &t), 0);
                conn.transaction::<_, Error, _>(|c| insert(c, &t, 3).map(|_| ()))
                    .unwrap();
                assert_eq!(count(&mut conn, &t), 1);

                // Expired after its second "chunk": the third fails, nothing of it is stored…
                server.set_faults(FaultConfig {
                    expire_transactions_after_statements: Some(2),
                    ..Default::default()
                });
                let mut ran = 0;
                let e = conn
                    .transaction::<_, Error, _>(|c| {
                        for chunk in 0..3 {
                            insert(c, &t, 10 + chunk)?;
                            ran += 1;
                        }
                        Ok(())
                    })
                    .unwrap_err();
                assert!(is_transaction_not_found(&e), "{e:?}");
                assert_eq!(ran, 2);
                assert_eq!(count(&mut conn, &t), 1);
                // …and after the last chunk, the commit finds it gone.
                let e = conn
                    .transaction::<_, Error, _>(|c| {
                        insert(c, &t, 20)?;
                        insert(c, &t, 21)?;
                        Ok(())
                    })
                    .unwrap_err();
                assert!(e.to_string().contains("is not found"), "{e:?}");
                eprintln!("{}: expired before the commit: {e}", stringify!($module));
                assert_eq!(count(&mut conn, &t), 1);
                // A short transaction is not hit; without the fault all is normal again.
                conn.transaction::<_, Error, _>(|c| insert(c, &t, 30).map(|_| ()))
                    .unwrap();
                server.set_faults(FaultConfig::default());
                conn.transaction::<_, Error, _>(|c| {
                    for chunk in 0..3 {
                        insert(c, &t, 40 + chunk)?;
                    }
                    Ok(())
                })
                .unwrap();
                assert_eq!(count(&mut conn, &t), 5);
                assert_eq!(server.fault_counts().expired_by_fault, 3);
                assert_eq!(server.open_transactions(), 0);
            }
        }
    };
}

sync_tests!(pg, DataApiPgConnection, pg_server);
sync_tests!(mysql, DataApiMysqlConnection, mysql_server);

mod pg_async {
    use super::*;
    use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};

    async fn count(conn: &mut AsyncDataApiPgConnection, table: &str) -> i64 {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "(SELECT COUNT(*) FROM {table})"
        )))
        .get_result(conn)
        .await
        .unwrap()
    }

    async fn insert(
        conn: &mut AsyncDataApiPgConnection,
        table: &str,
        id: i32,
    ) -> QueryResult<usize> {
        diesel::sql_query(format!("INSERT INTO {table} VALUES ({id})"))
            .execute(conn)
            .await
    }

    /// Resuming mid-transaction, a 5xx after an applied commit, a cut connection after an
    /// applied write and an expired transaction, through diesel-async.
    #[test]
    fn async_connection_sees_the_same() {
        let _serial = serial();
        let (_rt, server, url) = pg_server();
        let client_rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        client_rt.block_on(async {
            let mut conn = AsyncDataApiPgConnection::establish(&url).await.unwrap();
            let t = unique("seen_async");
            conn.batch_execute(&format!("CREATE TABLE {t} (id INT NOT NULL)"))
                .await
                .unwrap();
            let server = &server;

            let retries = retries_so_far();
            conn.transaction::<_, Error, _>(async |c| {
                insert(c, &t, 1).await?;
                server.set_faults(FaultConfig {
                    resuming_in_transaction_calls: 2,
                    ..Default::default()
                });
                insert(c, &t, 2).await?;
                Ok(())
            })
            .await
            .unwrap();
            assert_eq!(retries_so_far() - retries, 2);
            assert_eq!(count(&mut conn, &t).await, 2);

            let retries = retries_so_far();
            let e = conn
                .transaction::<_, Error, _>(async |c| {
                    insert(c, &t, 3).await?;
                    server.set_faults(FaultConfig {
                        commit_5xx_after_apply_calls: 1,
                        ..Default::default()
                    });
                    Ok(())
                })
                .await
                .unwrap_err();
            assert!(is_5xx(&e), "{e:?}");
            assert_eq!(retries_so_far() - retries, 0);
            assert_eq!(count(&mut conn, &t).await, 3);

            server.set_faults(FaultConfig {
                drop_http_after_apply_calls: 1,
                ..Default::default()
            });
            let e = insert(&mut conn, &t, 4).await.unwrap_err();
            assert!(is_transport(&e), "{e:?}");
            assert_eq!(retries_so_far() - retries, 0);
            assert_eq!(count(&mut conn, &t).await, 4);

            let e = conn
                .transaction::<_, Error, _>(async |c| {
                    insert(c, &t, 5).await?;
                    server.set_faults(FaultConfig {
                        expire_transaction_calls: 1,
                        ..Default::default()
                    });
                    insert(c, &t, 6).await?;
                    Ok(())
                })
                .await
                .unwrap_err();
            assert!(is_transaction_not_found(&e), "{e:?}");
            assert_eq!(count(&mut conn, &t).await, 4);
            conn.transaction::<_, Error, _>(async |c| insert(c, &t, 7).await.map(|_| ()))
                .await
                .unwrap();
            assert_eq!(count(&mut conn, &t).await, 5);
            assert_eq!(server.open_transactions(), 0);
        });
    }
}
