//! Shared setup of the library's end-to-end tests: one local Data API server per test binary
//! (in-process, on its own runtime) over this machine's PostgreSQL and MariaDB, and a
//! database per test binary so binaries never see each other's tables.
#![allow(dead_code)]

use std::sync::OnceLock;

use data_api_local::{ClusterConfig, LocalServer, ServerConfig};

pub const PG_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:lib-postgres";
pub const MY_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:lib-mariadb";
pub const SECRET_ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lib-AbCdEf";

pub fn pg_base() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub fn mysql_base() -> String {
    std::env::var("TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

/// `base` with its database replaced by `db`.
pub fn with_database(base: &str, db: &str) -> String {
    let (head, _) = base.rsplit_once('/').expect("database URL has a path");
    format!("{head}/{db}")
}

struct Shared {
    runtime: tokio::runtime::Runtime,
    server: LocalServer,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = off_thread(&runtime, async {
            let config = ServerConfig::ephemeral(vec![
                ClusterConfig::new(PG_ARN, pg_base()).unwrap(),
                ClusterConfig::new(MY_ARN, mysql_base()).unwrap(),
            ]);
            LocalServer::start(config).await.unwrap_or_else(|e| {
                panic!(
                    "the end-to-end tests need PostgreSQL at {} and MariaDB/MySQL at {} (override with TEST_POSTGRES_URL / TEST_MYSQL_URL): {e}",
                    pg_base(),
                    mysql_base()
                )
            })
        });
        Shared { runtime, server }
    })
}

/// Runs `future` on `runtime` from a plain thread, so callers may be inside a tokio runtime
/// themselves (`#[tokio::test]`).
fn off_thread<F>(runtime: &tokio::runtime::Runtime, future: F) -> F::Output
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| runtime.block_on(future))
            .join()
            .expect("setup panicked")
    })
}

/// Creates PostgreSQL database `db` if missing (directly, not through the Data API).
pub fn ensure_pg_database(db: &str) {
    let base = pg_base();
    let db = db.to_string();
    off_thread(&shared().runtime, async move {
        let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {base} is needed: {e}"));
        tokio::spawn(conn);
        let exists = client
            .query("SELECT 1 FROM pg_database WHERE datname = $1", &[&db])
            .await
            .unwrap();
        if exists.is_empty() {
            // Parallel test binaries may race to create it.
            let _ = client
                .batch_execute(&format!("CREATE DATABASE \"{db}\""))
                .await;
        }
    });
}

/// A `dataapi://` URL for PostgreSQL database `db` on the shared local server.
pub fn pg_url(db: &str) -> String {
    ensure_pg_database(db);
    format!(
        "dataapi://{db}?cluster_arn={PG_ARN}&secret_arn={SECRET_ARN}&region=us-east-1&endpoint={}",
        shared().server.endpoint_url()
    )
}

/// The native PostgreSQL URL of database `db` (for the diesel-async oracle).
pub fn pg_native_url(db: &str) -> String {
    ensure_pg_database(db);
    with_database(&pg_base(), db)
}

/// Creates MySQL/MariaDB database `db` if missing (directly, not through the Data API).
pub fn ensure_mysql_database(db: &str) {
    use mysql_async::prelude::Queryable;
    let base = mysql_base();
    let db = db.to_string();
    off_thread(&shared().runtime, async move {
        let mut conn = mysql_async::Conn::from_url(base.as_str())
            .await
            .unwrap_or_else(|e| panic!("MariaDB/MySQL at {base} is needed: {e}"));
        conn.query_drop(format!("CREATE DATABASE IF NOT EXISTS `{db}`"))
            .await
            .unwrap();
        conn.disconnect().await.unwrap();
    });
}

/// Drops and recreates MySQL database `db` (MySQL DDL cannot be rolled back, so a test that
/// runs migrations starts from an empty database).
pub fn reset_mysql_database(db: &str) {
    use mysql_async::prelude::Queryable;
    let base = mysql_base();
    let db = db.to_string();
    off_thread(&shared().runtime, async move {
        let mut conn = mysql_async::Conn::from_url(base.as_str())
            .await
            .unwrap_or_else(|e| panic!("MariaDB/MySQL at {base} is needed: {e}"));
        conn.query_drop(format!("DROP DATABASE IF EXISTS `{db}`"))
            .await
            .unwrap();
        conn.query_drop(format!("CREATE DATABASE `{db}`"))
            .await
            .unwrap();
        conn.disconnect().await.unwrap();
    });
}

/// A `dataapi://` URL for MySQL database `db` on the shared local server.
pub fn mysql_url(db: &str) -> String {
    ensure_mysql_database(db);
    format!(
        "dataapi://{db}?cluster_arn={MY_ARN}&secret_arn={SECRET_ARN}&region=us-east-1&endpoint={}",
        shared().server.endpoint_url()
    )
}

/// The native MySQL URL of database `db` (for the diesel-async oracle).
pub fn mysql_native_url(db: &str) -> String {
    ensure_mysql_database(db);
    with_database(&mysql_base(), db)
}

/// The shared server (fault injection, counters).
pub fn server() -> &'static LocalServer {
    &shared().server
}

/// A name unique in this process and run, for tables of parallel tests: process ids recur
/// across runs, and a table a failed run left behind must not collide with a new one.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    static RUN: OnceLock<u64> = OnceLock::new();
    let run = RUN.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() % 1_000_000)
    });
    format!(
        "{prefix}_{}_{run}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A server of its own with `adjust` applied to its config (short limits, faults), kept alive
/// by the returned runtime. Returns the `dataapi://` URL of PostgreSQL database `db`.
pub fn custom_pg_server(
    db: &str,
    adjust: impl FnOnce(&mut ServerConfig),
) -> (tokio::runtime::Runtime, LocalServer, String) {
    ensure_pg_database(db);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let mut config = ServerConfig::ephemeral(vec![ClusterConfig::new(PG_ARN, pg_base()).unwrap()]);
    adjust(&mut config);
    let server = off_thread(&runtime, LocalServer::start(config)).unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "dataapi://{db}?cluster_arn={PG_ARN}&secret_arn={SECRET_ARN}&region=us-east-1&endpoint={}",
        server.endpoint_url()
    );
    (runtime, server, url)
}

/// A server of its own over both engines with `adjust` applied (faults, short limits), kept
/// alive by the returned runtime. Returns the `dataapi://` URLs of PostgreSQL database `db`
/// and MySQL database `db` (reset).
pub fn custom_server_both(
    db: &str,
    adjust: impl FnOnce(&mut ServerConfig),
) -> (tokio::runtime::Runtime, LocalServer, String, String) {
    ensure_pg_database(db);
    reset_mysql_database(db);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let mut config = ServerConfig::ephemeral(vec![
        ClusterConfig::new(PG_ARN, pg_base()).unwrap(),
        ClusterConfig::new(MY_ARN, mysql_base()).unwrap(),
    ]);
    adjust(&mut config);
    let server = off_thread(&runtime, LocalServer::start(config)).unwrap_or_else(|e| panic!("{e}"));
    let url = |arn: &str| {
        format!(
            "dataapi://{db}?cluster_arn={arn}&secret_arn={SECRET_ARN}&region=us-east-1&endpoint={}",
            server.endpoint_url()
        )
    };
    let (pg, my) = (url(PG_ARN), url(MY_ARN));
    (runtime, server, pg, my)
}
