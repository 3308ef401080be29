//! The client's retry rule, end to end through the local server's fault injection: resuming
//! clusters are waited out, 5xx answers are retried only where a repeat cannot apply a write
//! twice, and a write whose answer was lost is surfaced, never applied twice.

mod common;

use aurora_data_api::pg::DataApiPgConnection;
use common::*;
use data_api_local::FaultConfig;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::Error;

const DB: &str = "dataapi_retries";

fn count(conn: &mut DataApiPgConnection, table: &str) -> i64 {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
        "(SELECT COUNT(*) FROM {table})"
    )))
    .get_result(conn)
    .unwrap()
}

#[test]
fn resuming_is_waited_out_for_every_operation() {
    let (_rt, server, url) = custom_pg_server(DB, |_| {});
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    let table = unique("resume");
    conn.batch_execute(&format!("CREATE TABLE {table} (id INT PRIMARY KEY)"))
        .unwrap();
    // Reads, writes, BEGIN and COMMIT all meet a resuming cluster and succeed after it wakes.
    server.set_faults(FaultConfig {
        resuming_calls: 3,
        ..Default::default()
    });
    diesel::sql_query(format!("INSERT INTO {table} VALUES (1)"))
        .execute(&mut conn)
        .unwrap();
    server.set_faults(FaultConfig {
        resuming_calls: 2,
        ..Default::default()
    });
    conn.transaction::<_, Error, _>(|c| {
        diesel::sql_query(format!("INSERT INTO {table} VALUES (2)"))
            .execute(c)
            .map(|_| ())
    })
    .unwrap();
    assert_eq!(server.fault_counts().resuming, 5);
    assert_eq!(count(&mut conn, &table), 2);
}

#[test]
fn server_errors_retried_for_reads_surfaced_for_writes() {
    let (_rt, server, url) = custom_pg_server(DB, |_| {});
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    let table = unique("fivexx");
    conn.batch_execute(&format!("CREATE TABLE {table} (id INT PRIMARY KEY)"))
        .unwrap();

    // A 5xx before the call ran: a read is retried until it passes…
    server.set_faults(FaultConfig {
        error_5xx_rate: 0.5,
        ..Default::default()
    });
    for _ in 0..10 {
        assert_eq!(count(&mut conn, &table), 0);
    }
    // …a write is not retried (it could have been applied): the error reaches the caller.
    server.set_faults(FaultConfig {
        error_5xx_rate: 1.0,
        ..Default::default()
    });
    let e = diesel::sql_query(format!("INSERT INTO {table} VALUES (1)"))
        .execute(&mut conn)
        .unwrap_err();
    assert!(
        e.to_string().contains("InternalServerError")
            || e.to_string().contains("ServiceUnavailable"),
        "{e}"
    );

    // A 5xx after the write was applied: surfaced, and the row is there exactly once.
    server.set_faults(FaultConfig {
        error_5xx_after_apply_rate: 1.0,
        ..Default::default()
    });
    let e = diesel::sql_query(format!("INSERT INTO {table} VALUES (2)"))
        .execute(&mut conn)
        .unwrap_err();
    assert!(matches!(e, Error::DatabaseError(..)), "{e:?}");
    server.set_faults(FaultConfig::default());
    assert_eq!(count(&mut conn, &table), 1);
    let before = server.fault_counts();
    assert!(
        before.error_5xx >= 1 && before.error_5xx_after_apply == 1,
        "{before:?}"
    );
}

#[test]
fn statement_timeouts_are_not_retried() {
    let (_rt, _server, url) = custom_pg_server(DB, |c| {
        c.limits.statement_timeout = std::time::Duration::from_millis(300)
    });
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    let started = std::time::Instant::now();
    let e = diesel::sql_query("SELECT pg_sleep(1)")
        .execute(&mut conn)
        .unwrap_err();
    assert!(e.to_string().contains("StatementTimeout"), "{e}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "no retries: {:?}",
        started.elapsed()
    );
}

#[test]
fn scripts_continue_after_timeout_queries_do_not() {
    let (_rt, _server, url) = custom_pg_server(DB, |c| {
        c.limits.statement_timeout = std::time::Duration::from_millis(300)
    });
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    let (script, query) = (unique("script_t"), unique("query_t"));
    // batch_execute (migrations, scripts): the statement finishes although the call timed out.
    let e = conn
        .batch_execute(&format!(
            "CREATE TABLE {script} AS SELECT 1 AS s FROM pg_sleep(0.8)"
        ))
        .unwrap_err();
    assert!(e.to_string().contains("StatementTimeout"), "{e}");
    // A plain query is cancelled at the timeout.
    diesel::sql_query(format!(
        "CREATE TABLE {query} AS SELECT 1 AS s FROM pg_sleep(0.8)"
    ))
    .execute(&mut conn)
    .unwrap_err();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let exists = |conn: &mut DataApiPgConnection, t: &str| -> bool {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "(SELECT to_regclass('{t}') IS NOT NULL)"
        )))
        .get_result(conn)
        .unwrap()
    };
    assert!(
        exists(&mut conn, &script),
        "the script's statement ran to completion"
    );
    assert!(!exists(&mut conn, &query), "the query was cancelled");
    conn.batch_execute(&format!("DROP TABLE {script}")).unwrap();
}
