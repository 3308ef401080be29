//! The client's retry rule, end to end through the local server's fault injection: resuming
//! clusters are waited out, 5xx answers are retried only where a repeat cannot apply a write
//! twice, and a write whose answer was lost is surfaced, never applied twice.

mod common;

use std::time::{Duration, Instant};

use aurora_data_api::pg::DataApiPgConnection;
use aurora_data_api::retry::RetryPolicy;
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

/// A statement timeout is final for a write, for a read inside a transaction and for a read
/// on a client that was busy a moment ago.
#[test]
fn statement_timeouts_are_not_retried() {
    let (_rt, server, url) = custom_pg_server(DB, |c| {
        c.limits.statement_timeout = std::time::Duration::from_millis(300)
    });
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    // Warm: the client has just had a successful call.
    diesel::sql_query("SELECT 1").execute(&mut conn).unwrap();
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
    assert_eq!(server.fault_counts().statement_timeouts, 1);
}

/// Right after an idle period (a fresh client, or one that just met a resuming cluster) a
/// cancelled read-only statement that times out is sent once more; a write never is, nor is
/// a read inside a transaction.
#[test]
fn a_read_timing_out_right_after_idle_is_retried_once_a_write_never() {
    let (_rt, server, url) = custom_pg_server(DB, |c| {
        c.limits.statement_timeout = std::time::Duration::from_millis(300)
    });
    let timeouts = || server.fault_counts().statement_timeouts;

    // A fresh client: the read is retried once, then its error is final.
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    let e = diesel::sql_query("SELECT pg_sleep(1)")
        .execute(&mut conn)
        .unwrap_err();
    assert!(e.to_string().contains("StatementTimeout"), "{e}");
    assert_eq!(timeouts(), 2, "the first attempt and one retry");

    // A fresh client, a write: sent once.
    let table = unique("idle_write");
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    diesel::sql_query(format!(
        "CREATE TABLE {table} AS SELECT 1 AS s FROM pg_sleep(1)"
    ))
    .execute(&mut conn)
    .unwrap_err();
    assert_eq!(timeouts(), 3, "a write is never retried");

    // A warm client that meets a resuming cluster counts as right after idle again.
    diesel::sql_query("SELECT 1").execute(&mut conn).unwrap();
    server.set_faults(FaultConfig {
        resuming_calls: 1,
        ..Default::default()
    });
    diesel::sql_query("SELECT pg_sleep(1)")
        .execute(&mut conn)
        .unwrap_err();
    assert_eq!(timeouts(), 5, "resumed, timed out, retried once");
    assert_eq!(server.fault_counts().resuming, 1);

    // Inside a transaction: never.
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    let _ = conn.transaction::<_, Error, _>(|c| {
        diesel::sql_query("SELECT pg_sleep(1)")
            .execute(c)
            .map(|_| ())
    });
    assert_eq!(timeouts(), 6);
}

/// The "done when": a 20 s resume succeeds with the default budget (40 s). This
/// test really waits ~28 s (the server's resume is time-based), in parallel with the rest.
#[test]
fn a_20_second_resume_succeeds_with_the_defaults() {
    let (_rt, server, url) = custom_pg_server(DB, |_| {});
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    assert_eq!(conn.client().retry_policy(), RetryPolicy::default());
    // The cluster auto-pauses after 5.5 s without a call (longer than the 5 s back-off cap,
    // so the client's own retries never count as idle) and takes 20 s to resume.
    server.set_faults(FaultConfig {
        resuming_after_idle: Some(Duration::from_millis(5500)),
        resuming_duration: Some(Duration::from_secs(20)),
        ..Default::default()
    });
    std::thread::sleep(Duration::from_millis(5600));
    let started = Instant::now();
    let one: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
        .get_result(&mut conn)
        .unwrap();
    let took = started.elapsed();
    assert_eq!(one, 1);
    assert!(
        took >= Duration::from_secs(20) && took < Duration::from_secs(30),
        "{took:?}"
    );
    // Sleeps 0.25, 0.5, 1, 2, 4, 5, 5, 5: eight attempts met the resume.
    assert_eq!(server.fault_counts().resuming, 8);
}

/// The other "done when": a 100 s resume fails with the defaults, after the 40 s
/// budget, with an error naming the budget and how to raise it. Really waits ~40 s, in
/// parallel with the rest.
#[test]
fn a_100_second_resume_fails_with_the_defaults() {
    let (_rt, server, url) = custom_pg_server(DB, |_| {});
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    assert_eq!(conn.client().retry_policy(), RetryPolicy::default());
    server.set_faults(FaultConfig {
        resuming_after_idle: Some(Duration::from_millis(5500)),
        resuming_duration: Some(Duration::from_secs(100)),
        ..Default::default()
    });
    std::thread::sleep(Duration::from_millis(5600));
    let started = Instant::now();
    let e = diesel::sql_query("SELECT 1")
        .execute(&mut conn)
        .unwrap_err()
        .to_string();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(40) && took < Duration::from_secs(50),
        "{took:?}"
    );
    for part in [
        "DatabaseResumingException",
        "still resuming after the client waited 40 s, its resume budget",
        "resume_timeout=<seconds>",
    ] {
        assert!(e.contains(part), "{part}: {e}");
    }
    // 13 attempts: the first and one after each of the 12 sleeps.
    assert_eq!(server.fault_counts().resuming, 13);
}

/// A resume longer than the budget (here 100 s against a 2 s budget from the URL) fails
/// with an error naming the budget and how to raise it, and a budget raised on the live
/// connection gets through.
#[test]
fn a_resume_longer_than_the_budget_fails_naming_it() {
    let (_rt, server, url) = custom_pg_server(DB, |_| {});
    let mut conn = DataApiPgConnection::establish(&format!("{url}&resume_timeout=2")).unwrap();
    assert_eq!(
        conn.client().retry_policy().max_total_wait,
        Duration::from_secs(2)
    );
    server.set_faults(FaultConfig {
        resuming_after_idle: Some(Duration::from_millis(300)),
        resuming_duration: Some(Duration::from_secs(100)),
        ..Default::default()
    });
    std::thread::sleep(Duration::from_millis(350));
    let started = Instant::now();
    let e = diesel::sql_query("SELECT 1")
        .execute(&mut conn)
        .unwrap_err()
        .to_string();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(4),
        "{took:?}"
    );
    for part in [
        "DatabaseResumingException",
        "still resuming after the client waited 2 s, its resume budget",
        "resume_timeout=<seconds>",
        "set_resume_timeout",
    ] {
        assert!(e.contains(part), "{part}: {e}");
    }

    // Raised on the connection's client, the same connection gets through a 1.5 s resume
    // a 1 s budget would not.
    conn.client().set_resume_timeout(Duration::from_secs(1));
    server.set_faults(FaultConfig {
        resuming_after_idle: Some(Duration::from_millis(300)),
        resuming_duration: Some(Duration::from_millis(1500)),
        ..Default::default()
    });
    std::thread::sleep(Duration::from_millis(350));
    let e = diesel::sql_query("SELECT 1")
        .execute(&mut conn)
        .unwrap_err();
    assert!(e.to_string().contains("waited 1 s"), "{e}");
    conn.client().set_resume_timeout(Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(350));
    diesel::sql_query("SELECT 1").execute(&mut conn).unwrap();
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
