//! `data-api-local`: a local RDS Data API server over real PostgreSQL and MySQL/MariaDB
//! databases, faithful enough that the official clients (`aws-sdk-rdsdata`, aws-cli, boto3)
//! and the `aurora-data-api` library work against it unchanged.
//!
//! Start it in-process on a free loopback port:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use data_api_local::{ClusterConfig, LocalServer, ServerConfig};
//! let arn = "arn:aws:rds:us-east-1:123456789012:cluster:local-pg";
//! let server = LocalServer::start(ServerConfig::ephemeral(vec![
//!     ClusterConfig::new(arn, "postgres://postgres@127.0.0.1/test")?,
//! ])).await?;
//! println!("Data API at {}", server.endpoint_url());
//! # Ok(()) }
//! ```

pub mod calls;
pub mod cluster;
pub mod config;
pub mod engine;
pub mod error;
pub mod faults;
pub mod http;
pub mod lambda_runtime_api;
pub mod limits;
pub mod params;
pub mod protocol;
pub mod service;
pub mod sigv4;
pub mod transactions;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

pub use calls::CallCounts;
pub use config::{ClusterConfig, SecretCredentials, ServerConfig};
pub use faults::{FaultConfig, FaultCounts};
pub use limits::Limits;

use cluster::Cluster;
use config::redact_url;
use engine::{Engine, Session};
use service::Service;
use transactions::Transactions;

/// Why the server could not start.
#[derive(Debug)]
pub enum StartError {
    /// A cluster's database did not accept a connection.
    Database {
        arn: String,
        url: String,
        engine: Engine,
        message: String,
    },
    /// The listen address could not be bound.
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    /// Two clusters share an ARN.
    DuplicateCluster(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Database { arn, url, engine, message } => write!(
                f,
                "cannot connect to the {} database of cluster {arn} at {url}: {message} (is the database running?)",
                match engine {
                    Engine::Postgres => "PostgreSQL",
                    Engine::Mysql => "MySQL/MariaDB",
                }
            ),
            StartError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            StartError::DuplicateCluster(arn) => write!(f, "cluster {arn} is configured twice"),
        }
    }
}

impl std::error::Error for StartError {}

/// A running server. Dropping it stops the server.
pub struct LocalServer {
    addr: SocketAddr,
    service: Arc<Service>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl LocalServer {
    /// Checks every cluster's database, binds the listen address and serves in the background
    /// of the current tokio runtime.
    pub async fn start(config: ServerConfig) -> Result<LocalServer, StartError> {
        let mut clusters = HashMap::new();
        for c in config.clusters {
            let probe = Session::connect(c.engine, &c.url, None).await;
            if let Err(e) = probe {
                return Err(StartError::Database {
                    arn: c.arn,
                    url: redact_url(&c.url),
                    engine: c.engine,
                    message: e.message,
                });
            }
            let arn = c.arn.clone();
            if clusters
                .insert(arn.clone(), Arc::new(Cluster::new(c)))
                .is_some()
            {
                return Err(StartError::DuplicateCluster(arn));
            }
        }
        let service = Arc::new(Service {
            clusters,
            transactions: Transactions::new(config.limits.clone()),
            limits: config.limits,
            faults: faults::Faults::new(config.faults),
            calls: calls::Calls::default(),
        });
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        let state = Arc::new(http::AppState {
            service: service.clone(),
            verify: config.verify_sigv4,
        });
        let app = http::router(state).into_make_service_with_connect_info::<http::Cut>();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let sweeper = service.clone();
        let task = tokio::spawn(async move {
            let sweep = async move {
                let mut tick = tokio::time::interval(sweeper.transactions.sweep_interval());
                loop {
                    tick.tick().await;
                    sweeper.transactions.sweep();
                }
            };
            let serve =
                axum::serve(http::CuttableListener(listener), app).with_graceful_shutdown(async {
                    let _ = rx.await;
                });
            tokio::select! {
                result = serve => if let Err(e) = result { tracing::error!("server stopped: {e}") },
                _ = sweep => {}
            }
        });
        Ok(LocalServer {
            addr,
            service,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, for `endpoint_url` / `AWS_ENDPOINT_URL_RDS_DATA` / `--endpoint-url`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Changes fault injection while the server runs.
    pub fn set_faults(&self, faults: FaultConfig) {
        self.service.faults.set(faults);
    }

    /// Faults injected and limits hit so far.
    pub fn fault_counts(&self) -> FaultCounts {
        self.service.fault_counts()
    }

    /// Calls received so far, per operation.
    pub fn call_counts(&self) -> CallCounts {
        self.service.calls.counts()
    }

    /// Number of open transactions.
    pub fn open_transactions(&self) -> usize {
        self.service.transactions.len()
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Runs until the process gets Ctrl-C.
    pub async fn run_until_ctrl_c(self) {
        let _ = tokio::signal::ctrl_c().await;
        self.shutdown().await;
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
