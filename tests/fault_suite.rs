//! Reliability under faults: thousands of mixed reads, writes and transactions through the
//! Diesel connections while the local server injects resuming periods, 5xx answers (before
//! and after a write was applied), dropped database connections, statement timeouts and
//! transaction expiry. Afterwards the database is checked against what the client saw:
//!
//! - every write the client saw succeed is there exactly once (rows lost = 0);
//! - nothing it saw fail definitely (SQL error, rolled-back transaction) is there;
//! - a write whose answer was lost (5xx, timeout: outcome unknown) is there at most once
//!   (rows duplicated = 0).
//!
//! The counts are printed (`cargo test --test fault_suite -- --nocapture`).

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aurora_data_api::pg::DataApiPgConnection;
use aurora_data_api::retry::{retries_so_far, RetryPolicy};
use common::*;
use data_api_local::FaultConfig;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

const WORKERS: usize = 4;
const OPS_PER_WORKER: usize = 600;

/// What the client knows about one write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Committed,
    Failed,
    Unknown,
}

/// Classifies an error the client saw for a write: was it certainly not applied?
fn classify(e: &Error, in_transaction: bool) -> Outcome {
    let text = e.to_string();
    let answer_lost = [
        "InternalServerError",
        "ServiceUnavailable",
        "DatabaseUnavailable",
        "StatementTimeout",
        "Transport",
        "dispatch",
    ]
    .iter()
    .any(|m| text.contains(m))
        || matches!(
            e,
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
        );
    if answer_lost {
        Outcome::Unknown
    } else if in_transaction || matches!(e, Error::DatabaseError(..) | Error::RollbackTransaction) {
        // SQL errors, expired / aborted transactions, connection drops inside a transaction:
        // nothing of it was committed.
        Outcome::Failed
    } else {
        Outcome::Unknown
    }
}

#[test]
fn nothing_lost_nothing_doubled_under_faults() {
    let (_rt, server, url) = custom_pg_server("dataapi_fault_suite", |c| {
        c.limits.statement_timeout = Duration::from_millis(800);
        c.limits.transaction_idle_timeout = Duration::from_millis(600);
    });
    let mut admin = DataApiPgConnection::establish(&url).unwrap();
    let table = unique("ledger");
    admin
        .batch_execute(&format!(
            "CREATE TABLE {table} (op TEXT NOT NULL, part INT NOT NULL)"
        ))
        .unwrap();
    let retries_before = retries_so_far();

    // The fault schedule: phases of different faults while the workers run.
    let stop = Arc::new(AtomicBool::new(false));
    let controller = {
        let stop = stop.clone();
        let server: &'static data_api_local::LocalServer = Box::leak(Box::new(server));
        std::thread::spawn(move || {
            let phases = [
                FaultConfig {
                    error_5xx_rate: 0.05,
                    error_5xx_after_apply_rate: 0.03,
                    ..Default::default()
                },
                FaultConfig {
                    resuming_calls: 20,
                    ..Default::default()
                },
                FaultConfig {
                    drop_connection_rate: 0.03,
                    ..Default::default()
                },
                FaultConfig {
                    error_5xx_rate: 0.03,
                    drop_connection_rate: 0.02,
                    error_5xx_after_apply_rate: 0.02,
                    ..Default::default()
                },
                FaultConfig::default(),
            ];
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                server.set_faults(phases[i % phases.len()].clone());
                i += 1;
                std::thread::sleep(Duration::from_millis(300));
            }
            server.set_faults(FaultConfig::default());
            server
        })
    };

    let outcomes: Arc<Mutex<HashMap<String, (Outcome, i32)>>> = Arc::default();
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let (url, table, outcomes) = (url.clone(), table.clone(), outcomes.clone());
            std::thread::spawn(move || {
                let conn = DataApiPgConnection::establish(&url).unwrap();
                // Short back-off so the suite runs quickly; the rule is the default one.
                let policy = RetryPolicy {
                    base_delay: Duration::from_millis(5),
                    max_delay: Duration::from_millis(50),
                    ..Default::default()
                };
                let mut conn = DataApiPgConnection::from_client(
                    conn.client().clone().with_retry_policy(policy),
                );
                let mut errors = 0usize;
                for i in 0..OPS_PER_WORKER {
                    let op = format!("w{w}-{i}");
                    let (outcome, parts) = match i % 10 {
                        // Reads.
                        0..=2 => {
                            let r = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                                &format!("(SELECT COUNT(*) FROM {table})"),
                            ))
                            .get_result::<i64>(&mut conn);
                            if r.is_err() {
                                errors += 1;
                            }
                            continue;
                        }
                        // Single autocommitted writes.
                        3..=5 => {
                            let r =
                                diesel::sql_query(format!("INSERT INTO {table} VALUES ($1, 0)"))
                                    .bind::<diesel::sql_types::Text, _>(&op)
                                    .execute(&mut conn);
                            (
                                r.as_ref()
                                    .map_or_else(|e| classify(e, false), |_| Outcome::Committed),
                                1,
                            )
                        }
                        // Transactions of three writes; some idle past the expiry, some time out.
                        _ => {
                            let slow = i % 37 == 6;
                            let idle = i % 41 == 7;
                            let r: Result<(), Error> = conn.transaction(|c| {
                                for part in 0..3 {
                                    if slow && part == 1 {
                                        diesel::sql_query("SELECT pg_sleep(1.2)").execute(c)?;
                                    }
                                    if idle && part == 2 {
                                        std::thread::sleep(Duration::from_millis(900));
                                    }
                                    diesel::sql_query(format!(
                                        "INSERT INTO {table} VALUES ($1, $2)"
                                    ))
                                    .bind::<diesel::sql_types::Text, _>(&op)
                                    .bind::<diesel::sql_types::Integer, _>(part)
                                    .execute(c)?;
                                }
                                Ok(())
                            });
                            let outcome = match &r {
                                Ok(()) => Outcome::Committed,
                                // A lost COMMIT answer: all or nothing, unknown which.
                                Err(e) if e.to_string().contains("CommitTransaction") => {
                                    Outcome::Unknown
                                }
                                Err(e) => classify(e, true),
                            };
                            (outcome, 3)
                        }
                    };
                    if outcome != Outcome::Committed {
                        errors += 1;
                    }
                    outcomes.lock().unwrap().insert(op, (outcome, parts));
                }
                errors
            })
        })
        .collect();
    let surfaced: usize = workers.into_iter().map(|h| h.join().unwrap()).sum();
    stop.store(true, Ordering::Relaxed);
    let server = controller.join().unwrap();

    // Check the database against the client's view.
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        op: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let rows: Vec<Row> =
        diesel::sql_query(format!("SELECT op, COUNT(*) AS n FROM {table} GROUP BY op"))
            .load(&mut admin)
            .unwrap();
    let stored: HashMap<String, i64> = rows.into_iter().map(|r| (r.op, r.n)).collect();
    let outcomes = outcomes.lock().unwrap();
    let (mut lost, mut duplicated, mut phantom, mut unknown_applied, mut unknown_absent) =
        (0, 0, 0, 0, 0);
    for (op, (outcome, parts)) in outcomes.iter() {
        let n = stored.get(op).copied().unwrap_or(0);
        match outcome {
            Outcome::Committed if n < i64::from(*parts) => lost += 1,
            Outcome::Committed if n > i64::from(*parts) => duplicated += 1,
            Outcome::Failed if n > 0 => phantom += 1,
            Outcome::Unknown if n > i64::from(*parts) || (n != 0 && n != i64::from(*parts)) => {
                duplicated += 1
            }
            Outcome::Unknown if n == 0 => unknown_absent += 1,
            Outcome::Unknown => unknown_applied += 1,
            _ => {}
        }
    }
    let faults = server.fault_counts();
    let operations = WORKERS * OPS_PER_WORKER;
    println!("fault suite: operations={operations} writes={} committed={} failed={} unknown={} (applied {unknown_applied}, absent {unknown_absent})",
        outcomes.len(),
        outcomes.values().filter(|(o, _)| *o == Outcome::Committed).count(),
        outcomes.values().filter(|(o, _)| *o == Outcome::Failed).count(),
        outcomes.values().filter(|(o, _)| *o == Outcome::Unknown).count());
    println!(
        "fault suite: faults injected resuming={} 5xx={} 5xx_after_apply={} dropped_connections={} statement_timeouts={} expired_transactions={}; retries={}; errors surfaced={surfaced}; rows lost={lost}; rows duplicated={duplicated}; failed-but-present={phantom}",
        faults.resuming, faults.error_5xx, faults.error_5xx_after_apply, faults.dropped_connections,
        faults.statement_timeouts, faults.expired_transactions,
        retries_so_far() - retries_before
    );
    assert!(
        faults.resuming > 0
            && faults.error_5xx > 0
            && faults.dropped_connections > 0
            && faults.statement_timeouts > 0
            && faults.expired_transactions > 0,
        "faults were injected: {faults:?}"
    );
    assert_eq!(lost, 0, "writes the client saw committed are all there");
    assert_eq!(duplicated, 0, "no write is applied twice");
    assert_eq!(phantom, 0, "nothing the client saw fail is there");
}
