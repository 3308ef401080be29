//! Load through the library: 64 concurrent clients against the local Data API server on
//! loopback, on **PostgreSQL and MySQL/MariaDB**, each client one of
//!
//! - `sdk`: hand-written `aws-sdk-rdsdata` calls (the baseline, as `integration/benches/load.rs`);
//! - `diesel-async`: an `AsyncDataApiPgConnection` / `AsyncDataApiMysqlConnection` per client,
//!   Diesel query builder;
//! - `sea-orm`: a native `aurora_data_api::sea_orm::DataApiConnection` per client, an entity.
//!
//! Every client runs the same mix: 50 % point reads (`COUNT(*)` of its own rows, indexed),
//! 25 % single inserts, 25 % transactions (begin, insert, commit; one operation). Each run
//! prints ops/s, p50 / p99 / max latency per operation, errors (none are expected) and CPU.
//!
//! **How CPU is measured.** The server runs on a tokio runtime of its own (2 worker threads)
//! whose thread start / stop hooks register every thread it ever runs: at start, the thread's
//! CPU clock (`pthread_getcpuclockid`); at stop, its final `CLOCK_THREAD_CPUTIME_ID`. Server
//! CPU = the finished threads' total + the live threads' clocks, read before and after the
//! timed part. Client CPU = the whole process's CPU (`getrusage(RUSAGE_SELF)`, user + system)
//! over the same window minus the server's: the client runtime (2 worker threads), the
//! library's own background runtime, the SDK's HTTP stack and the main thread. Both are given
//! in CPU-seconds, as a share of the run's wall time (1.00 = one core busy) and per operation.
//! The databases' CPU (other processes) is not included. Connections are made and warmed up
//! (10 operations per client) before the timed part.
//!
//! Run: `CARGO_INCREMENTAL=0 cargo bench --bench load_orm` (needs PostgreSQL and MariaDB /
//! MySQL as the tests do; `TEST_POSTGRES_URL`, `TEST_MYSQL_URL`). It creates and uses the
//! databases `dataapi_load` on both.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aurora_data_api::mysql::AsyncDataApiMysqlConnection;
use aurora_data_api::pg::AsyncDataApiPgConnection;
use aurora_data_api::sea_orm::DataApiConnection;
use aws_sdk_rdsdata::types::{Field, SqlParameter};
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::AsyncConnection;
use sea_orm::{
    ColumnTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

const PG_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:load-pg";
const MY_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:load-mysql";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:load-AbCdEf";
const DB: &str = "dataapi_load";
const CLIENTS: usize = 64;
const OPS_PER_CLIENT: usize = 150;
const WARM_UP_OPS: usize = 10;

diesel::table! {
    load_orm_items (id) {
        id -> BigInt,
        client -> BigInt,
        n -> BigInt,
    }
}

mod item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "load_orm_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub client: i64,
        pub n: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

// ---------------------------------------------------------------------------------------
// CPU accounting

fn clock(id: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-pointer; the clock ids read here belong to live threads.
    let rc = unsafe { libc::clock_gettime(id, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// CPU time of every thread a runtime ever ran (see the header).
#[derive(Default)]
struct RuntimeCpu {
    /// Live threads: pthread id → CPU clock id. Read under the lock, and a thread removes
    /// itself under it before it exits, so no clock of a dead thread is read.
    live: Mutex<HashMap<u64, libc::clockid_t>>,
    /// CPU of threads that have ended, in nanoseconds.
    finished_ns: AtomicU64,
}

impl RuntimeCpu {
    fn thread_started(&self) {
        let mut id: libc::clockid_t = 0;
        // SAFETY: pthread_self is always valid for the calling thread.
        let rc = unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut id) };
        assert_eq!(rc, 0, "pthread_getcpuclockid");
        // SAFETY: as above.
        let me = unsafe { libc::pthread_self() } as u64;
        self.live.lock().unwrap().insert(me, id);
    }

    fn thread_stopped(&self) {
        // SAFETY: as above.
        let me = unsafe { libc::pthread_self() } as u64;
        let mut live = self.live.lock().unwrap();
        live.remove(&me);
        let own = clock(libc::CLOCK_THREAD_CPUTIME_ID);
        self.finished_ns
            .fetch_add(own.as_nanos() as u64, Ordering::Relaxed);
    }

    fn total(&self) -> Duration {
        let live = self.live.lock().unwrap();
        let running: Duration = live.values().map(|id| clock(*id)).sum();
        running + Duration::from_nanos(self.finished_ns.load(Ordering::Relaxed))
    }
}

fn process_cpu() -> Duration {
    // SAFETY: zeroed rusage is a valid out-parameter.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointer, RUSAGE_SELF.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(rc, 0, "getrusage");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

// ---------------------------------------------------------------------------------------
// Clients

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Postgres,
    Mysql,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sdk,
    DieselAsync,
    SeaOrm,
}

enum Client {
    Sdk(aws_sdk_rdsdata::Client, &'static str),
    DieselPg(AsyncDataApiPgConnection),
    DieselMysql(AsyncDataApiMysqlConnection),
    SeaOrm(DataApiConnection),
}

fn long(name: &str, v: i64) -> SqlParameter {
    SqlParameter::builder()
        .name(name)
        .value(Field::LongValue(v))
        .build()
}

fn sdk_client(endpoint: &str) -> aws_sdk_rdsdata::Client {
    use aws_sdk_rdsdata::config::{BehaviorVersion, Credentials, Region};
    aws_sdk_rdsdata::Client::from_conf(
        aws_sdk_rdsdata::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("a", "b", None, None, "load"))
            .endpoint_url(endpoint)
            .retry_config(aws_sdk_rdsdata::config::retry::RetryConfig::disabled())
            .build(),
    )
}

/// The Diesel side of one operation, for either connection type.
macro_rules! diesel_op {
    ($conn:expr, $c:expr, $i:expr) => {{
        use diesel_async::RunQueryDsl as _;
        use load_orm_items::dsl as t;
        let (c, i) = ($c, $i);
        match i % 4 {
            0 | 1 => t::load_orm_items
                .filter(t::client.eq(c))
                .count()
                .get_result::<i64>($conn)
                .await
                .map(|_| ()),
            2 => diesel::insert_into(t::load_orm_items)
                .values((t::client.eq(c), t::n.eq(i)))
                .execute($conn)
                .await
                .map(|_| ()),
            _ => {
                $conn
                    .transaction::<_, diesel::result::Error, _>(async |conn| {
                        diesel::insert_into(t::load_orm_items)
                            .values((t::client.eq(c), t::n.eq(-i)))
                            .execute(conn)
                            .await?;
                        Ok(())
                    })
                    .await
            }
        }
        .map_err(|e| e.to_string())
    }};
}

impl Client {
    async fn op(&mut self, c: i64, i: i64) -> Result<(), String> {
        match self {
            Client::Sdk(sdk, arn) => sdk_op(sdk, arn, c, i).await,
            Client::DieselPg(conn) => diesel_op!(conn, c, i),
            Client::DieselMysql(conn) => diesel_op!(conn, c, i),
            Client::SeaOrm(conn) => sea_op(conn, c, i).await.map_err(|e| e.to_string()),
        }
    }
}

async fn sdk_op(sdk: &aws_sdk_rdsdata::Client, arn: &str, c: i64, i: i64) -> Result<(), String> {
    let insert = |tx: Option<&str>, n: i64| {
        sdk.execute_statement()
            .resource_arn(arn)
            .secret_arn(SECRET)
            .database(DB)
            .set_transaction_id(tx.map(str::to_owned))
            .sql("INSERT INTO load_orm_items (client, n) VALUES (:c, :n)")
            .parameters(long("c", c))
            .parameters(long("n", n))
            .send()
    };
    let e = |e: &dyn std::fmt::Debug| format!("{e:?}");
    match i % 4 {
        0 | 1 => sdk
            .execute_statement()
            .resource_arn(arn)
            .secret_arn(SECRET)
            .database(DB)
            .sql("SELECT COUNT(*) FROM load_orm_items WHERE client = :c")
            .parameters(long("c", c))
            .send()
            .await
            .map(|_| ())
            .map_err(|x| e(&x)),
        2 => insert(None, i).await.map(|_| ()).map_err(|x| e(&x)),
        _ => {
            let id = sdk
                .begin_transaction()
                .resource_arn(arn)
                .secret_arn(SECRET)
                .database(DB)
                .send()
                .await
                .map_err(|x| e(&x))?
                .transaction_id
                .unwrap_or_default();
            insert(Some(&id), -i).await.map_err(|x| e(&x))?;
            sdk.commit_transaction()
                .resource_arn(arn)
                .secret_arn(SECRET)
                .transaction_id(&id)
                .send()
                .await
                .map(|_| ())
                .map_err(|x| e(&x))
        }
    }
}

async fn sea_op(conn: &DataApiConnection, c: i64, i: i64) -> Result<(), DbErr> {
    fn row(c: i64, n: i64) -> item::ActiveModel {
        item::ActiveModel {
            client: Set(c),
            n: Set(n),
            ..Default::default()
        }
    }
    match i % 4 {
        0 | 1 => item::Entity::find()
            .filter(item::Column::Client.eq(c))
            .count(conn)
            .await
            .map(|_| ()),
        2 => item::Entity::insert(row(c, i)).exec(conn).await.map(|_| ()),
        _ => conn
            .transaction::<_, (), DbErr>(|txn| {
                Box::pin(async move {
                    item::Entity::insert(row(c, -i)).exec(txn).await?;
                    Ok(())
                })
            })
            .await
            .map_err(|e| DbErr::Custom(e.to_string())),
    }
}

async fn connect(kind: Kind, engine: Engine, endpoint: &str) -> Client {
    let arn = match engine {
        Engine::Postgres => PG_ARN,
        Engine::Mysql => MY_ARN,
    };
    let url = format!(
        "dataapi://{DB}?cluster_arn={arn}&secret_arn={SECRET}&region=us-east-1&endpoint={endpoint}"
    );
    match (kind, engine) {
        (Kind::Sdk, _) => Client::Sdk(sdk_client(endpoint), arn),
        (Kind::DieselAsync, Engine::Postgres) => {
            Client::DieselPg(AsyncDataApiPgConnection::establish(&url).await.unwrap())
        }
        (Kind::DieselAsync, Engine::Mysql) => {
            Client::DieselMysql(AsyncDataApiMysqlConnection::establish(&url).await.unwrap())
        }
        (Kind::SeaOrm, _) => {
            let backend = match engine {
                Engine::Postgres => DbBackend::Postgres,
                Engine::Mysql => DbBackend::MySql,
            };
            Client::SeaOrm(DataApiConnection::connect(&url, backend).await.unwrap())
        }
    }
}

// ---------------------------------------------------------------------------------------
// Setup and runs

fn pg_base() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn mysql_base() -> String {
    std::env::var("TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

fn with_database(base: &str, db: &str) -> String {
    let (head, _) = base.rsplit_once('/').expect("database URL has a path");
    format!("{head}/{db}")
}

/// Creates the databases (directly) if missing.
async fn create_databases() {
    use mysql_async::prelude::Queryable;
    let (pg, conn) = tokio_postgres::connect(&pg_base(), tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {} is needed: {e}", pg_base()));
    tokio::spawn(conn);
    if pg
        .query("SELECT 1 FROM pg_database WHERE datname = $1", &[&DB])
        .await
        .unwrap()
        .is_empty()
    {
        pg.batch_execute(&format!("CREATE DATABASE \"{DB}\""))
            .await
            .unwrap();
    }
    let mut my = mysql_async::Conn::from_url(mysql_base().as_str())
        .await
        .unwrap_or_else(|e| panic!("MariaDB/MySQL at {} is needed: {e}", mysql_base()));
    my.query_drop(format!("CREATE DATABASE IF NOT EXISTS `{DB}`"))
        .await
        .unwrap();
    my.disconnect().await.unwrap();
}

/// A fresh, empty table for one run.
async fn reset_table(sdk: &aws_sdk_rdsdata::Client, engine: Engine) {
    let (arn, ddl) = match engine {
        Engine::Postgres => (
            PG_ARN,
            "CREATE TABLE load_orm_items (id bigserial PRIMARY KEY, client int8 NOT NULL, n int8 NOT NULL)",
        ),
        Engine::Mysql => (
            MY_ARN,
            "CREATE TABLE load_orm_items (id BIGINT AUTO_INCREMENT PRIMARY KEY, client BIGINT NOT NULL, n BIGINT NOT NULL)",
        ),
    };
    for sql in [
        "DROP TABLE IF EXISTS load_orm_items",
        ddl,
        "CREATE INDEX load_orm_items_client ON load_orm_items (client)",
    ] {
        sdk.execute_statement()
            .resource_arn(arn)
            .secret_arn(SECRET)
            .database(DB)
            .sql(sql)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    }
}

struct Report {
    ops: usize,
    wall: Duration,
    latencies: Vec<Duration>,
    errors: Vec<String>,
    server_cpu: Duration,
    client_cpu: Duration,
}

async fn run(kind: Kind, engine: Engine, endpoint: &str, server_cpu: &RuntimeCpu) -> Report {
    let mut clients = Vec::with_capacity(CLIENTS);
    for _ in 0..CLIENTS {
        clients.push(connect(kind, engine, endpoint).await);
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(CLIENTS + 1));
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(c, mut client)| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                let c = c as i64;
                for i in 0..WARM_UP_OPS {
                    client.op(c, i as i64).await.expect("warm-up");
                }
                barrier.wait().await;
                let mut latencies = Vec::with_capacity(OPS_PER_CLIENT);
                let mut errors = Vec::new();
                for i in 0..OPS_PER_CLIENT {
                    let t = Instant::now();
                    let result = client.op(c, i as i64).await;
                    latencies.push(t.elapsed());
                    if let Err(e) = result {
                        errors.push(e);
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    barrier.wait().await;
    let (cpu0, server0, started) = (process_cpu(), server_cpu.total(), Instant::now());
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for t in tasks {
        let (l, e) = t.await.unwrap();
        latencies.extend(l);
        errors.extend(e);
    }
    let wall = started.elapsed();
    let (cpu1, server1) = (process_cpu(), server_cpu.total());
    latencies.sort();
    let server = server1.saturating_sub(server0);
    Report {
        ops: latencies.len(),
        wall,
        latencies,
        errors,
        server_cpu: server,
        client_cpu: cpu1.saturating_sub(cpu0).saturating_sub(server),
    }
}

fn print(kind: Kind, engine: Engine, r: &Report) {
    let pct = |p: f64| {
        r.latencies[((r.latencies.len() as f64 * p) as usize).min(r.latencies.len() - 1)]
            .as_secs_f64()
            * 1e3
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let per_op_us = |d: Duration| d.as_secs_f64() * 1e6 / r.ops as f64;
    let share = |d: Duration| d.as_secs_f64() / r.wall.as_secs_f64();
    println!(
        "{:<10} {:<12} {:>6.0} ops/s  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms  errors {}  server CPU {:>5.2} s ({:.2} cores, {:>4.0} µs/op)  client CPU {:>5.2} s ({:.2} cores, {:>4.0} µs/op)",
        match engine {
            Engine::Postgres => "postgres",
            Engine::Mysql => "mysql",
        },
        match kind {
            Kind::Sdk => "sdk",
            Kind::DieselAsync => "diesel-async",
            Kind::SeaOrm => "sea-orm",
        },
        r.ops as f64 / r.wall.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        ms(*r.latencies.last().unwrap()),
        r.errors.len(),
        r.server_cpu.as_secs_f64(),
        share(r.server_cpu),
        per_op_us(r.server_cpu),
        r.client_cpu.as_secs_f64(),
        share(r.client_cpu),
        per_op_us(r.client_cpu),
    );
    if !r.errors.is_empty() {
        println!("  first errors: {:?}", &r.errors[..r.errors.len().min(3)]);
    }
}

fn main() {
    let server_cpu = Arc::new(RuntimeCpu::default());
    let server_rt = {
        let (start, stop) = (server_cpu.clone(), server_cpu.clone());
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("load-server")
            .on_thread_start(move || start.thread_started())
            .on_thread_stop(move || stop.thread_stopped())
            .enable_all()
            .build()
            .unwrap()
    };
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("load-client")
        .enable_all()
        .build()
        .unwrap();
    client_rt.block_on(create_databases());
    // Started from a server-runtime task, so the server's tasks are spawned there.
    let server = server_rt
        .block_on(async {
            tokio::spawn(LocalServer::start(ServerConfig::ephemeral(vec![
                ClusterConfig::new(PG_ARN, with_database(&pg_base(), DB)).unwrap(),
                ClusterConfig::new(MY_ARN, with_database(&mysql_base(), DB)).unwrap(),
            ])))
            .await
            .unwrap()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let endpoint = server.endpoint_url();
    println!(
        "load: {CLIENTS} clients x {OPS_PER_CLIENT} ops (50 % point reads, 25 % inserts, 25 % begin-insert-commit), after {WARM_UP_OPS} warm-up ops each; local server on loopback, {} CPUs",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut failed = false;
    for engine in [Engine::Postgres, Engine::Mysql] {
        for kind in [Kind::Sdk, Kind::DieselAsync, Kind::SeaOrm] {
            let report = client_rt.block_on(async {
                let admin = sdk_client(&endpoint);
                reset_table(&admin, engine).await;
                let report = run(kind, engine, &endpoint, &server_cpu).await;
                let arn = match engine {
                    Engine::Postgres => PG_ARN,
                    Engine::Mysql => MY_ARN,
                };
                let out = admin
                    .execute_statement()
                    .resource_arn(arn)
                    .secret_arn(SECRET)
                    .database(DB)
                    .sql("SELECT COUNT(*) FROM load_orm_items")
                    .send()
                    .await
                    .unwrap();
                let rows = match out.records.as_deref() {
                    Some([row]) => match row.as_slice().first() {
                        Some(Field::LongValue(n)) => *n as usize,
                        other => panic!("{other:?}"),
                    },
                    other => panic!("{other:?}"),
                };
                // Inserts and transactions are operations i % 4 = 2, 3.
                let writes = |n: usize| (0..n).filter(|i| i % 4 >= 2).count();
                let expected = CLIENTS * (writes(WARM_UP_OPS) + writes(OPS_PER_CLIENT));
                assert_eq!(rows, expected, "every write stored once");
                report
            });
            print(kind, engine, &report);
            failed |= !report.errors.is_empty();
        }
    }
    drop(server);
    drop(server_rt);
    assert!(!failed, "no errors expected under load");
}
