//! The drop-in face: a [`ProxyDatabaseTrait`] implementation behind a plain
//! `sea_orm::DatabaseConnection`.
//!
//! SeaORM's proxy interface decides what this face can promise:
//! - `begin` / `commit` / `rollback` return `()`: a failed `BeginTransaction` or
//!   `CommitTransaction` cannot be returned to the caller. It is logged (`tracing` error) and
//!   the **next statement** on the connection fails with it; statements inside a transaction
//!   whose begin failed fail too (they never silently autocommit).
//! - The trait has no isolation level or access mode: `begin_with_config` /
//!   `transaction_with_config` arguments are dropped by SeaORM before they reach the proxy.
//! - The proxy sees statements, not which handle sent them: while a transaction is open,
//!   every statement through this `DatabaseConnection` (and its clones) runs inside it.
//!   Give each task its own proxy connection (they are cheap: the client is shared) when
//!   tasks use transactions concurrently.
//! - Rows are `BTreeMap`s: index access (`into_tuple`, `try_get_by_index`) sees columns in
//!   alphabetical order.
//!
//! [`DataApiConnection`](super::DataApiConnection) has none of these limits.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use sea_orm::{
    DatabaseConnection, DbBackend, DbErr, ProxyDatabaseConnector, ProxyDatabaseTrait,
    ProxyExecResult, ProxyRow, RuntimeErr, Statement,
};

use super::exec::{savepoint_name, Executor};
use super::rows::TypeOptions;
use crate::client::DataApiClient;
use crate::config::DataApiConfig;

/// Where failures of an ending transaction are reported besides the log: the next statement
/// on the owning connection takes the message and fails with it.
pub(crate) type ErrorSlot = Arc<Mutex<Option<String>>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Takes a reported error out of `slot` as the `DbErr` of the statement that sees it.
pub(crate) fn take_reported(slot: &ErrorSlot) -> Result<(), DbErr> {
    match lock(slot).take() {
        Some(message) => Err(DbErr::Conn(RuntimeErr::Internal(message))),
        None => Ok(()),
    }
}

/// Transaction state of one proxy.
#[derive(Debug, Default)]
struct TxState {
    /// The open Data API transaction.
    id: Option<String>,
    /// SeaORM's nesting depth: 0 outside, 1 in the transaction, > 1 in savepoints.
    depth: usize,
    /// Why the open transaction is unusable (its `BeginTransaction` failed).
    broken: Option<String>,
    /// A failure inside the transaction nobody has seen yet (a savepoint statement).
    pending: Option<String>,
    /// Savepoint rollbacks of dropped nested transactions, run before the next call.
    queued: Vec<String>,
    /// A transaction begun before SeaORM's `begin` (the native connection's).
    preopened: Option<String>,
}

struct Inner {
    exec: Executor,
    state: Mutex<TxState>,
    /// Serializes calls inside a transaction: the Data API refuses a second concurrent call
    /// on one transaction ("Transaction is still running a query").
    calls: tokio::sync::Mutex<()>,
    report: ErrorSlot,
}

/// SeaORM's proxy database over the Data API. Usually used through [`connect_proxy`] or
/// [`into_connection`](Self::into_connection); see the module docs for what the proxy
/// interface cannot do.
#[derive(Clone)]
pub struct DataApiProxy {
    inner: Arc<Inner>,
}

impl fmt::Debug for DataApiProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataApiProxy")
            .field("backend", &self.inner.exec.backend())
            .field("depth", &lock(&self.inner.state).depth)
            .finish_non_exhaustive()
    }
}

/// Connects a SeaORM `DatabaseConnection` through the Data API: `url` is the crate's
/// `dataapi://<database>?cluster_arn=…&secret_arn=…[&region=…][&endpoint=…]` (environment
/// fallbacks as in [`DataApiConfig`]), `backend` the cluster's engine (`DbBackend::Postgres`
/// or `DbBackend::MySql`).
///
/// Nothing is sent yet: a wrong ARN or endpoint shows up on the first statement (or call
/// `db.ping()`).
///
/// Errors: SeaORM's own `DbErr::sql_err()` returns `None` for these connections (it only
/// understands sqlx errors); use [`sql_err`](crate::sea_orm::sql_err) (unique and foreign-key
/// violations) or [`error_kind`](crate::sea_orm::error_kind) (every diesel
/// `DatabaseErrorKind`) on the `DbErr` instead.
pub async fn connect_proxy(url: &str, backend: DbBackend) -> Result<DatabaseConnection, DbErr> {
    let config = DataApiConfig::from_url(url)
        .map_err(|e| DbErr::Conn(RuntimeErr::Internal(format!("invalid Data API URL: {e}"))))?;
    let client = DataApiClient::from_config(&config).await;
    Ok(DataApiProxy::new(client, backend)?.into_connection())
}

impl DataApiProxy {
    /// A proxy for `backend` over `client`, with the default [`TypeOptions`].
    pub fn new(client: DataApiClient, backend: DbBackend) -> Result<Self, DbErr> {
        Self::with_types(client, backend, TypeOptions::default())
    }

    /// A proxy decoding results with `types`.
    pub fn with_types(
        client: DataApiClient,
        backend: DbBackend,
        types: TypeOptions,
    ) -> Result<Self, DbErr> {
        Ok(Self::from_executor(
            Executor::new(client, backend, types)?,
            None,
            Arc::default(),
        ))
    }

    pub(crate) fn from_executor(
        exec: Executor,
        preopened: Option<String>,
        report: ErrorSlot,
    ) -> Self {
        DataApiProxy {
            inner: Arc::new(Inner {
                exec,
                state: Mutex::new(TxState {
                    preopened,
                    ..TxState::default()
                }),
                calls: tokio::sync::Mutex::new(()),
                report,
            }),
        }
    }

    /// The `sea_orm::DatabaseConnection` using this proxy.
    pub fn into_connection(self) -> DatabaseConnection {
        let backend = self.inner.exec.backend();
        // `connect` cannot fail for a proxy (it only wraps it); the default is a disconnected one.
        ProxyDatabaseConnector::connect(backend, Arc::new(Box::new(self))).unwrap_or_default()
    }

    /// Logs a failure the proxy interface cannot return and keeps it for the next statement.
    fn report(&self, what: &str, err: DbErr) {
        let message = format!("{what} failed: {err}");
        tracing::error!(error = %err, "Data API {what} failed; the next statement on this SeaORM connection returns the error");
        *lock(&self.inner.report) = Some(message);
    }

    /// Before a statement: reported / pending / broken-transaction errors, queued savepoint
    /// rollbacks, and the transaction to run in. Holds the call lock inside transactions.
    async fn prepare(
        &self,
    ) -> Result<(Option<String>, Option<tokio::sync::MutexGuard<'_, ()>>), DbErr> {
        take_reported(&self.inner.report)?;
        let in_tx = lock(&self.inner.state).depth > 0;
        let guard = if in_tx {
            Some(self.inner.calls.lock().await)
        } else {
            None
        };
        let id = {
            let mut state = lock(&self.inner.state);
            if let Some(message) = state.pending.take() {
                return Err(DbErr::Conn(RuntimeErr::Internal(message)));
            }
            if let Some(reason) = &state.broken {
                return Err(DbErr::Conn(RuntimeErr::Internal(format!(
                    "this transaction could not begin: {reason}"
                ))));
            }
            state.id.clone()
        };
        if let Some(id) = &id {
            let state = &self.inner.state;
            self.inner
                .exec
                .run_queued(
                    id,
                    || lock(state).queued.first().cloned(),
                    || {
                        lock(state).queued.remove(0);
                    },
                )
                .await?;
        }
        Ok((id, guard))
    }
}

#[async_trait::async_trait]
impl ProxyDatabaseTrait for DataApiProxy {
    async fn query(&self, statement: Statement) -> Result<Vec<ProxyRow>, DbErr> {
        let (id, _guard) = self.prepare().await?;
        let decoded = self.inner.exec.query(&statement, id.as_deref()).await?;
        Ok(decoded.into_proxy_rows(false))
    }

    async fn execute(&self, statement: Statement) -> Result<ProxyExecResult, DbErr> {
        let (id, _guard) = self.prepare().await?;
        self.inner.exec.execute(&statement, id.as_deref()).await
    }

    async fn begin(&self) {
        let _guard = self.inner.calls.lock().await;
        let (depth, id, preopened, broken) = {
            let mut state = lock(&self.inner.state);
            state.depth += 1;
            (
                state.depth,
                state.id.clone(),
                state.preopened.take(),
                state.broken.is_some(),
            )
        };
        if depth == 1 {
            if let Some(id) = preopened {
                lock(&self.inner.state).id = Some(id);
                return;
            }
            match self.inner.exec.begin(None, None).await {
                Ok(id) => lock(&self.inner.state).id = Some(id),
                Err(e) => {
                    tracing::error!(error = %e, "Data API BeginTransaction failed; statements of this SeaORM transaction will fail");
                    lock(&self.inner.state).broken = Some(e.to_string());
                }
            }
            return;
        }
        if broken {
            return;
        }
        if let Some(id) = id {
            if let Err(e) = self
                .inner
                .exec
                .savepoint(&id, format!("SAVEPOINT {}", savepoint_name(depth)))
                .await
            {
                tracing::error!(error = %e, "SAVEPOINT failed; the next statement of this SeaORM transaction returns the error");
                lock(&self.inner.state).pending = Some(format!("SAVEPOINT failed: {e}"));
            }
        }
    }

    async fn commit(&self) {
        self.end(true).await
    }

    async fn rollback(&self) {
        self.end(false).await
    }

    fn start_rollback(&self) {
        // Called when a SeaORM transaction is dropped without commit or rollback; it cannot
        // wait, so savepoints are rolled back before the next call and a whole transaction
        // in a background task.
        let id = {
            let mut state = lock(&self.inner.state);
            match state.depth {
                0 => return,
                1 => {
                    state.depth = 0;
                    state.broken = None;
                    state.pending = None;
                    state.queued.clear();
                    state.id.take()
                }
                depth => {
                    state.depth -= 1;
                    if state.broken.is_none() {
                        state
                            .queued
                            .push(format!("ROLLBACK TO SAVEPOINT {}", savepoint_name(depth)));
                    }
                    return;
                }
            }
        };
        if let Some(id) = id {
            self.inner.exec.rollback_dropped(id);
        }
    }

    async fn ping(&self) -> Result<(), DbErr> {
        let statement = Statement::from_string(self.inner.exec.backend(), "SELECT 1");
        self.query(statement).await.map(drop)
    }
}

impl DataApiProxy {
    async fn end(&self, commit: bool) {
        let _guard = self.inner.calls.lock().await;
        let (depth, id, broken, pending, queued) = {
            let mut state = lock(&self.inner.state);
            if state.depth == 0 {
                tracing::warn!("COMMIT / ROLLBACK without a SeaORM transaction ignored");
                return;
            }
            let depth = state.depth;
            state.depth -= 1;
            if depth == 1 {
                // Savepoints dropped without an end (SeaORM 2's cascading saves drop theirs
                // on error) are rolled back before a commit; a rollback undoes them anyway.
                (
                    depth,
                    state.id.take(),
                    state.broken.take(),
                    state.pending.take(),
                    std::mem::take(&mut state.queued),
                )
            } else {
                (
                    depth,
                    state.id.clone(),
                    state.broken.clone(),
                    None,
                    std::mem::take(&mut state.queued),
                )
            }
        };
        if depth > 1 {
            let (Some(id), None) = (id, broken) else {
                return;
            };
            let mut result = Ok(());
            for sql in queued {
                result = result.and(self.inner.exec.savepoint(&id, sql).await);
            }
            let name = savepoint_name(depth);
            let sql = if commit {
                format!("RELEASE SAVEPOINT {name}")
            } else {
                format!("ROLLBACK TO SAVEPOINT {name}")
            };
            if let Err(e) = result.and(self.inner.exec.savepoint(&id, sql).await) {
                tracing::error!(error = %e, "ending a SeaORM savepoint failed; the next statement of the transaction returns the error");
                lock(&self.inner.state).pending = Some(format!("ending a savepoint failed: {e}"));
            }
            return;
        }
        if let Some(reason) = broken {
            if commit {
                self.report(
                    "COMMIT",
                    DbErr::Conn(RuntimeErr::Internal(format!(
                        "the transaction never began ({reason}); nothing was committed"
                    ))),
                );
            }
            return;
        }
        let Some(id) = id else { return };
        if commit {
            let mut undone = Ok(());
            for sql in queued {
                undone = undone.and(self.inner.exec.savepoint(&id, sql).await);
            }
            if let Err(e) = undone {
                // Committing without undoing the dropped savepoint would keep its writes.
                let _ = self.inner.exec.rollback(&id).await;
                self.report(
                    "COMMIT",
                    DbErr::Conn(RuntimeErr::Internal(format!(
                        "rolled back instead of committed because rolling back a dropped savepoint failed: {e}"
                    ))),
                );
                return;
            }
            if let Some(message) = pending {
                // A savepoint failed and nobody saw it: committing would hide that.
                let _ = self.inner.exec.rollback(&id).await;
                self.report(
                    "COMMIT",
                    DbErr::Conn(RuntimeErr::Internal(format!(
                        "rolled back instead of committed because {message}"
                    ))),
                );
                return;
            }
            if let Err(e) = self.inner.exec.commit(&id).await {
                self.report("COMMIT", e);
            }
        } else if let Err(e) = self.inner.exec.rollback(&id).await {
            tracing::warn!(error = %e, "ROLLBACK failed; the Data API ends the transaction after 3 idle minutes");
        }
    }
}
