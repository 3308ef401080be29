//! The fault suite over every connection type (issue 13): sync and async Diesel on both
//! engines, SeaORM's native and proxy faces on both engines, each in its own worker, doing
//! reads, single writes, three-write transactions, chunked bulk inserts (the client works to
//! a 3,000-character SQL limit, so a 200-row insert goes in several chunks in one transaction)
//! and connections (or SeaORM transactions) dropped mid-transaction — while the local server
//! injects resuming periods (before and inside transactions), 5xx answers before and after a
//! write or commit was applied, HTTP connections dropped after the call was applied, dropped
//! database connections, statement timeouts and transaction expiry (idle, and after the Nth
//! statement of a transaction: between chunks).
//!
//! Afterwards the database is checked against what each client saw: every write seen
//! committed is there exactly once; nothing seen failed is there (a dropped transaction
//! included); an unknown outcome is there at most once and never partly (a bulk insert is all
//! or nothing); and no lock is left behind (a final update of every row with a 2 s lock
//! timeout succeeds). `FAULT_SUITE_LONG=1` runs at least 10,000 operations per engine.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aurora_data_api::client::limits::Limits;
use aurora_data_api::client::DataApiClient;
use aurora_data_api::config::DataApiConfig;
use aurora_data_api::mysql::{AsyncDataApiMysqlConnection, DataApiMysqlConnection};
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use aurora_data_api::retry::RetryPolicy;
use data_api_local::FaultConfig;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, TransactionTrait};

/// What the client knows about one write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Committed,
    Failed,
    Unknown,
}

/// An error's text: was the write certainly not applied?
fn classify(text: &str, in_transaction: bool) -> Outcome {
    let answer_lost = [
        "InternalServerError",
        "ServiceUnavailable",
        "DatabaseUnavailable",
        "StatementTimeout",
        "Transport",
        "ispatch",
        "connection closed",
        "CommitTransaction",
    ]
    .iter()
    .any(|m| text.contains(m));
    let sql_error = text.contains("DatabaseErrorException")
        || text.contains("ERROR")
        || text.contains("SQLState");
    if answer_lost {
        Outcome::Unknown
    } else if in_transaction || sql_error {
        Outcome::Failed
    } else {
        Outcome::Unknown
    }
}

/// One connection type, driven through plain SQL (the same statements on both engines).
trait Driver {
    fn read(&mut self, sql: &str) -> Result<(), String>;
    fn write(&mut self, sql: &str) -> Result<(), String>;
    /// The statements in one transaction, with `pause` after the second.
    fn transaction(&mut self, sql: &[String], pause: Option<Duration>) -> Result<(), String>;
    /// Begins, writes `sql`, and drops the connection (or the SeaORM transaction) without
    /// ending the transaction; the driver then connects again.
    fn drop_mid_transaction(&mut self, sql: &str) -> Result<(), String>;
}

fn client(url: &str, rt: &tokio::runtime::Runtime) -> DataApiClient {
    let config = DataApiConfig::from_url(url).unwrap();
    let policy = RetryPolicy {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        ..Default::default()
    };
    rt.block_on(DataApiClient::from_config(&config))
        .with_retry_policy(policy)
        .with_limits(Limits {
            max_sql_chars: 3_000,
            ..Limits::default()
        })
}

macro_rules! sync_driver {
    ($name:ident, $conn:ty) => {
        struct $name {
            url: String,
            rt: tokio::runtime::Runtime,
            conn: $conn,
        }
        impl $name {
            fn new(url: &str) -> Self {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let conn = <$conn>::from_client(client(url, &rt));
                Self {
                    url: url.into(),
                    rt,
                    conn,
                }
            }
        }
        impl Driver for $name {
            fn read(&mut self, sql: &str) -> Result<(), String> {
                diesel::sql_query(sql)
                    .execute(&mut self.conn)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            fn write(&mut self, sql: &str) -> Result<(), String> {
                self.read(sql)
            }
            fn transaction(
                &mut self,
                sql: &[String],
                pause: Option<Duration>,
            ) -> Result<(), String> {
                self.conn
                    .transaction(|c| {
                        for (i, s) in sql.iter().enumerate() {
                            diesel::sql_query(s).execute(c)?;
                            if i == 1 {
                                if let Some(p) = pause {
                                    std::thread::sleep(p);
                                }
                            }
                        }
                        Ok::<_, diesel::result::Error>(())
                    })
                    .map_err(|e| e.to_string())
            }
            fn drop_mid_transaction(&mut self, sql: &str) -> Result<(), String> {
                let mut fresh = <$conn>::from_client(client(&self.url, &self.rt));
                std::mem::swap(&mut fresh, &mut self.conn);
                let mut dropped = fresh;
                dropped.batch_execute("BEGIN").map_err(|e| e.to_string())?;
                diesel::sql_query(sql)
                    .execute(&mut dropped)
                    .map_err(|e| e.to_string())?;
                drop(dropped);
                Ok(())
            }
        }
    };
}

sync_driver!(SyncPg, DataApiPgConnection);
sync_driver!(SyncMysql, DataApiMysqlConnection);

macro_rules! async_driver {
    ($name:ident, $conn:ty) => {
        struct $name {
            url: String,
            rt: tokio::runtime::Runtime,
            conn: $conn,
        }
        impl $name {
            fn new(url: &str) -> Self {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let conn = <$conn>::from_client(client(url, &rt));
                Self {
                    url: url.into(),
                    rt,
                    conn,
                }
            }
        }
        impl Driver for $name {
            fn read(&mut self, sql: &str) -> Result<(), String> {
                self.rt
                    .block_on(diesel_async::RunQueryDsl::execute(
                        diesel::sql_query(sql),
                        &mut self.conn,
                    ))
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            fn write(&mut self, sql: &str) -> Result<(), String> {
                self.read(sql)
            }
            fn transaction(
                &mut self,
                sql: &[String],
                pause: Option<Duration>,
            ) -> Result<(), String> {
                use diesel_async::AsyncConnection;
                let conn = &mut self.conn;
                self.rt
                    .block_on(conn.transaction::<_, diesel::result::Error, _>(async |c| {
                        for (i, s) in sql.iter().enumerate() {
                            diesel_async::RunQueryDsl::execute(diesel::sql_query(s), &mut *c)
                                .await?;
                            if i == 1 {
                                if let Some(p) = pause {
                                    tokio::time::sleep(p).await;
                                }
                            }
                        }
                        Ok(())
                    }))
                    .map_err(|e| e.to_string())
            }
            fn drop_mid_transaction(&mut self, sql: &str) -> Result<(), String> {
                let mut fresh = <$conn>::from_client(client(&self.url, &self.rt));
                std::mem::swap(&mut fresh, &mut self.conn);
                let mut dropped = fresh;
                self.rt.block_on(async {
                    diesel_async::SimpleAsyncConnection::batch_execute(&mut dropped, "BEGIN")
                        .await
                        .map_err(|e| e.to_string())?;
                    diesel_async::RunQueryDsl::execute(diesel::sql_query(sql), &mut dropped)
                        .await
                        .map_err(|e| e.to_string())
                })?;
                drop(dropped);
                Ok(())
            }
        }
    };
}

async_driver!(AsyncPg, AsyncDataApiPgConnection);
async_driver!(AsyncMysql, AsyncDataApiMysqlConnection);

/// SeaORM, native face or proxy face.
struct Sea<C> {
    rt: tokio::runtime::Runtime,
    conn: C,
    backend: DbBackend,
    /// The proxy face cannot fail a commit: it reports the failure on the connection's next
    /// statement (documented), so the driver makes one to learn the transaction's outcome.
    proxy: bool,
}

impl<C: ConnectionTrait + TransactionTrait> Driver for Sea<C> {
    fn read(&mut self, sql: &str) -> Result<(), String> {
        let st = Statement::from_string(self.backend, sql);
        self.rt
            .block_on(self.conn.query_all_raw(st))
            .map(drop)
            .map_err(|e| e.to_string())
    }
    fn write(&mut self, sql: &str) -> Result<(), String> {
        let st = Statement::from_string(self.backend, sql);
        self.rt
            .block_on(self.conn.execute_raw(st))
            .map(drop)
            .map_err(|e| e.to_string())
    }
    fn transaction(&mut self, sql: &[String], pause: Option<Duration>) -> Result<(), String> {
        let (backend, sql) = (self.backend, sql.to_vec());
        self.rt
            .block_on(self.conn.transaction::<_, (), DbErr>(move |txn| {
                Box::pin(async move {
                    for (i, s) in sql.iter().enumerate() {
                        txn.execute_raw(Statement::from_string(backend, s.clone()))
                            .await?;
                        if i == 1 {
                            if let Some(p) = pause {
                                tokio::time::sleep(p).await;
                            }
                        }
                    }
                    Ok(())
                })
            }))
            .map_err(|e| e.to_string())?;
        if self.proxy {
            let probe = Statement::from_string(self.backend, "SELECT 1");
            if let Err(e) = self.rt.block_on(self.conn.query_all_raw(probe)) {
                let text = e.to_string();
                if text.contains("COMMIT failed") {
                    return Err(text);
                }
            }
        }
        Ok(())
    }
    fn drop_mid_transaction(&mut self, sql: &str) -> Result<(), String> {
        let st = Statement::from_string(self.backend, sql);
        self.rt.block_on(async {
            let txn = self.conn.begin().await.map_err(|e| e.to_string())?;
            txn.execute_raw(st).await.map_err(|e| e.to_string())?;
            drop(txn);
            Ok(())
        })
    }
}

fn sea_native(url: &str, backend: DbBackend) -> Box<dyn Driver> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let conn = aurora_data_api::sea_orm::DataApiConnection::new(client(url, &rt), backend).unwrap();
    Box::new(Sea {
        rt,
        conn,
        backend,
        proxy: false,
    })
}

fn sea_proxy(url: &str, backend: DbBackend) -> Box<dyn Driver> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let conn = aurora_data_api::sea_orm::DataApiProxy::new(client(url, &rt), backend)
        .unwrap()
        .into_connection();
    Box::new(Sea {
        rt,
        conn,
        backend,
        proxy: true,
    })
}

#[test]
fn nothing_lost_doubled_or_partial_on_every_connection_type() {
    let long = std::env::var("FAULT_SUITE_LONG").is_ok_and(|v| v == "1");
    let ops: usize = if long { 2_600 } else { 110 };
    let (_rt, server, pg, my) = common::custom_server_both("dataapi_fault_all", |c| {
        c.limits.statement_timeout = Duration::from_millis(800);
        c.limits.transaction_idle_timeout = Duration::from_millis(600);
    });
    let table = common::unique("ledger_all");
    let ddl = format!("CREATE TABLE {table} (op VARCHAR(64) NOT NULL, part INT NOT NULL)");
    DataApiPgConnection::establish(&pg)
        .unwrap()
        .batch_execute(&ddl)
        .unwrap();
    DataApiMysqlConnection::establish(&my)
        .unwrap()
        .batch_execute(&ddl)
        .unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let server: &'static data_api_local::LocalServer = Box::leak(Box::new(server));
    let controller = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let phases = [
                FaultConfig {
                    error_5xx_rate: 0.04,
                    error_5xx_after_apply_rate: 0.03,
                    ..Default::default()
                },
                FaultConfig {
                    resuming_calls: 12,
                    resuming_in_transaction_rate: 0.05,
                    ..Default::default()
                },
                // Each phase lasts 250 ms, about 130 calls: at 0.03 a run saw none of a kind
                // about once in 50 (a clean-clone CI run once saw no dropped connection); at
                // 0.1 that is about one in a million.
                FaultConfig {
                    drop_connection_rate: 0.1,
                    drop_http_after_apply_rate: 0.1,
                    ..Default::default()
                },
                FaultConfig {
                    commit_5xx_after_apply_rate: 0.3,
                    ..Default::default()
                },
                FaultConfig {
                    expire_transactions_after_statements: Some(2),
                    ..Default::default()
                },
                FaultConfig::default(),
            ];
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                server.set_faults(phases[i % phases.len()].clone());
                i += 1;
                std::thread::sleep(Duration::from_millis(250));
            }
            server.set_faults(FaultConfig::default());
        })
    };

    type Make = Box<dyn Fn() -> Box<dyn Driver> + Send>;
    let kinds: Vec<(&str, bool, Make)> = {
        let (p, m) = (pg.clone(), my.clone());
        let (p2, m2, p3, m3, p4, m4) = (
            pg.clone(),
            my.clone(),
            pg.clone(),
            my.clone(),
            pg.clone(),
            my.clone(),
        );
        vec![
            (
                "sync-pg",
                true,
                Box::new(move || Box::new(SyncPg::new(&p)) as Box<dyn Driver>),
            ),
            (
                "sync-mysql",
                false,
                Box::new(move || Box::new(SyncMysql::new(&m)) as Box<dyn Driver>),
            ),
            (
                "async-pg",
                true,
                Box::new(move || Box::new(AsyncPg::new(&p2)) as Box<dyn Driver>),
            ),
            (
                "async-mysql",
                false,
                Box::new(move || Box::new(AsyncMysql::new(&m2)) as Box<dyn Driver>),
            ),
            (
                "sea-native-pg",
                true,
                Box::new(move || sea_native(&p3, DbBackend::Postgres)),
            ),
            (
                "sea-native-mysql",
                false,
                Box::new(move || sea_native(&m3, DbBackend::MySql)),
            ),
            (
                "sea-proxy-pg",
                true,
                Box::new(move || sea_proxy(&p4, DbBackend::Postgres)),
            ),
            (
                "sea-proxy-mysql",
                false,
                Box::new(move || sea_proxy(&m4, DbBackend::MySql)),
            ),
        ]
    };
    // op → (on PostgreSQL, outcome, rows it writes)
    type Seen = HashMap<String, (bool, Outcome, i64)>;
    let outcomes: Arc<Mutex<Seen>> = Arc::default();
    let workers: Vec<_> = kinds
        .into_iter()
        .map(|(name, is_pg, make)| {
            let (table, outcomes) = (table.clone(), outcomes.clone());
            std::thread::spawn(move || {
                let mut d = make();
                let sleep = if is_pg {
                    "SELECT pg_sleep(1.2)"
                } else {
                    "SELECT SLEEP(1.2)"
                };
                for i in 0..ops {
                    let op = format!("{name}-{i}");
                    let row = |part: i64| format!("('{op}', {part})");
                    let insert = |rows: &[String]| {
                        format!("INSERT INTO {table} (op, part) VALUES {}", rows.join(", "))
                    };
                    let (outcome, parts) = match i % 12 {
                        0..=2 => {
                            let _ = d.read(&format!("SELECT COUNT(*) FROM {table}"));
                            continue;
                        }
                        3..=5 => {
                            let r = d.write(&insert(&[row(0)]));
                            (
                                r.map_or_else(|e| classify(&e, false), |()| Outcome::Committed),
                                1,
                            )
                        }
                        6..=8 => {
                            let mut sql: Vec<String> = (0..3).map(|p| insert(&[row(p)])).collect();
                            if i % 37 == 7 {
                                sql.insert(1, sleep.into());
                            }
                            let pause = (i % 41 == 8).then_some(Duration::from_millis(900));
                            let r = d.transaction(&sql, pause);
                            (
                                r.map_or_else(|e| classify(&e, true), |()| Outcome::Committed),
                                3,
                            )
                        }
                        9 | 10 => {
                            // About 6,000 characters: two or three chunks in one transaction.
                            let rows: Vec<String> = (0..200).map(row).collect();
                            let r = d.write(&insert(&rows));
                            (
                                r.map_or_else(|e| classify(&e, false), |()| Outcome::Committed),
                                200,
                            )
                        }
                        _ => {
                            // Whatever happened on the way, nothing of it may be there.
                            let _ = d.drop_mid_transaction(&insert(&[row(0)]));
                            (Outcome::Failed, 1)
                        }
                    };
                    outcomes.lock().unwrap().insert(op, (is_pg, outcome, parts));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    controller.join().unwrap();
    std::thread::sleep(Duration::from_millis(800)); // any transaction left open expires

    // No lock left behind: every row can be updated at once.
    let mut pgc = DataApiPgConnection::establish(&pg).unwrap();
    let mut myc = DataApiMysqlConnection::establish(&my).unwrap();
    pgc.transaction(|c| {
        c.batch_execute("SET LOCAL lock_timeout = '2s'")?;
        diesel::sql_query(format!("UPDATE {table} SET part = part")).execute(c)
    })
    .expect("no lock left on PostgreSQL");
    myc.transaction(|c| {
        c.batch_execute("SET SESSION innodb_lock_wait_timeout = 2")?;
        diesel::sql_query(format!("UPDATE {table} SET part = part")).execute(c)
    })
    .expect("no lock left on MySQL");

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        op: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let count = format!("SELECT op, COUNT(*) AS n FROM {table} GROUP BY op");
    let mut stored: HashMap<String, i64> = HashMap::new();
    for r in diesel::sql_query(&count).load::<Row>(&mut pgc).unwrap() {
        stored.insert(r.op, r.n);
    }
    for r in diesel::sql_query(&count).load::<Row>(&mut myc).unwrap() {
        stored.insert(r.op, r.n);
    }
    let outcomes = outcomes.lock().unwrap();
    let mut bad = Vec::new();
    let mut per_engine: HashMap<bool, [usize; 3]> = HashMap::new();
    for (op, (is_pg, outcome, parts)) in outcomes.iter() {
        let n = stored.get(op).copied().unwrap_or(0);
        let counts = per_engine.entry(*is_pg).or_default();
        counts[match outcome {
            Outcome::Committed => 0,
            Outcome::Failed => 1,
            Outcome::Unknown => 2,
        }] += 1;
        let ok = match outcome {
            Outcome::Committed => n == *parts,
            Outcome::Failed => n == 0,
            Outcome::Unknown => n == 0 || n == *parts,
        };
        if !ok {
            bad.push(format!("{op}: {outcome:?}, {n} of {parts} rows stored"));
        }
    }
    let faults = server.fault_counts();
    println!(
        "fault suite (all connection types): writes={} pg [committed, failed, unknown]={:?} mysql={:?}; faults {faults:?}; violations={}",
        outcomes.len(),
        per_engine.get(&true),
        per_engine.get(&false),
        bad.len()
    );
    assert!(
        bad.is_empty(),
        "lost, doubled, partial or phantom writes: {bad:#?}"
    );
    assert!(
        faults.error_5xx > 0
            && faults.resuming > 0
            && faults.dropped_connections > 0
            && faults.commit_5xx_after_apply > 0
            && faults.dropped_http_after_apply > 0
            && faults.expired_transactions > 0,
        "{faults:?}"
    );
}
