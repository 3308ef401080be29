//! [`DataApiTransaction`]: the native face's transaction type (SeaORM 2's
//! `TransactionTrait::Transaction`). Unlike SeaORM's `DatabaseTransaction` over a proxy, its
//! `commit` and `rollback` return what the Data API answered, nested `begin`s are savepoints
//! whose failures are returned too, and it is its own transaction type (the fixed point
//! SeaORM 2 requires for `ActiveModelEx` cascades).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use sea_orm::{
    AccessMode, ConnectionTrait, DbBackend, DbErr, ExecResult, IsolationLevel, QueryResult,
    RuntimeErr, Statement, StreamTrait, TransactionError, TransactionOptions, TransactionSession,
    TransactionTrait,
};

use super::exec::{savepoint_name, Executor, RowStream};

/// What every handle of one Data API transaction (the transaction and its savepoints) shares.
struct Shared {
    id: String,
    /// Serializes calls: the Data API refuses a second concurrent call on one transaction
    /// ("Transaction is still running a query").
    calls: tokio::sync::Mutex<()>,
    /// `ROLLBACK TO SAVEPOINT` of savepoints dropped without commit or rollback, run before
    /// the next call (a drop cannot wait). An entry leaves the queue only once it ran.
    queued: Mutex<Vec<String>>,
    /// Numbers savepoints, so two savepoints of one transaction never share a name.
    savepoints: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// An open Data API transaction of a [`DataApiConnection`](super::DataApiConnection), or a
/// savepoint inside one (from `begin` on a transaction).
///
/// - `commit` / `rollback` return the Data API's answer: a failed `CommitTransaction` (the
///   transaction expired, the call got no answer) is the caller's `Err`.
/// - Statements run inside the transaction, one call at a time.
/// - Dropped without `commit` or `rollback`: the transaction is rolled back in the
///   background; a savepoint is rolled back to before the transaction's next statement.
pub struct DataApiTransaction {
    exec: Executor,
    shared: Arc<Shared>,
    /// This savepoint's name (`None` for the transaction itself).
    savepoint: Option<String>,
    positional: bool,
    /// Still to be committed or rolled back (false once `commit` / `rollback` ran).
    open: bool,
}

impl fmt::Debug for DataApiTransaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataApiTransaction")
            .field("backend", &self.exec.backend())
            .field("savepoint", &self.savepoint)
            .finish_non_exhaustive()
    }
}

impl DataApiTransaction {
    /// Begins a Data API transaction (`BeginTransaction`, then `SET TRANSACTION …` for an
    /// isolation level or access mode).
    pub(crate) async fn begin(
        exec: Executor,
        isolation: Option<IsolationLevel>,
        access: Option<AccessMode>,
        positional: bool,
    ) -> Result<Self, DbErr> {
        let id = exec.begin(isolation, access).await?;
        Ok(DataApiTransaction {
            exec,
            shared: Arc::new(Shared {
                id,
                calls: tokio::sync::Mutex::new(()),
                queued: Mutex::new(Vec::new()),
                savepoints: AtomicUsize::new(1),
            }),
            savepoint: None,
            positional,
            open: true,
        })
    }

    /// The Data API transaction id.
    pub fn transaction_id(&self) -> &str {
        &self.shared.id
    }

    /// Whether this handle is a savepoint inside the transaction.
    pub fn is_savepoint(&self) -> bool {
        self.savepoint.is_some()
    }

    /// Takes the call lock and runs queued savepoint rollbacks first.
    async fn call_lock(&self) -> Result<tokio::sync::MutexGuard<'_, ()>, DbErr> {
        let guard = self.shared.calls.lock().await;
        self.run_queued().await?;
        Ok(guard)
    }

    /// Runs the queued savepoint rollbacks (under the call lock; see
    /// [`Executor::run_queued`]).
    async fn run_queued(&self) -> Result<(), DbErr> {
        let queue = &self.shared.queued;
        self.exec
            .run_queued(
                &self.shared.id,
                || lock(queue).first().cloned(),
                || {
                    lock(queue).remove(0);
                },
            )
            .await
    }

    /// A savepoint statement under the call lock.
    async fn savepoint(&self, sql: String) -> Result<(), DbErr> {
        let _guard = self.call_lock().await?;
        self.exec.savepoint(&self.shared.id, sql).await
    }

    /// Commits (`true`) or rolls back this transaction or savepoint. The handle counts as
    /// ended only when that succeeded: after a failure (or if this future is dropped) its
    /// `Drop` still rolls back (the transaction in the background, a savepoint before the next
    /// statement).
    async fn end(mut self, commit: bool) -> Result<(), DbErr> {
        let id = self.shared.id.clone();
        let result = match &self.savepoint {
            None if commit => {
                // Savepoints dropped without an end are undone before the commit; if that
                // fails, committing would keep their writes: roll back instead.
                let _guard = self.shared.calls.lock().await;
                match self.run_queued().await {
                    Ok(()) => self.exec.commit(&id).await,
                    Err(e) => {
                        let _ = self.exec.rollback(&id).await;
                        Err(DbErr::Conn(RuntimeErr::Internal(format!(
                            "rolled back instead of committed because rolling back a dropped savepoint failed: {e}"
                        ))))
                    }
                }
            }
            None => {
                let _guard = self.shared.calls.lock().await;
                lock(&self.shared.queued).clear();
                self.exec.rollback(&id).await
            }
            Some(name) if commit => self.savepoint(format!("RELEASE SAVEPOINT {name}")).await,
            Some(name) => {
                self.savepoint(format!("ROLLBACK TO SAVEPOINT {name}"))
                    .await
            }
        };
        if result.is_ok() {
            self.open = false;
        }
        result
    }

    async fn rows(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let _guard = self.call_lock().await?;
        Ok(self
            .exec
            .query(&statement, Some(&self.shared.id))
            .await?
            .into_query_results(self.positional))
    }

    async fn nested(&self) -> Result<DataApiTransaction, DbErr> {
        let name = savepoint_name(self.shared.savepoints.fetch_add(1, Ordering::Relaxed) + 1);
        self.savepoint(format!("SAVEPOINT {name}")).await?;
        Ok(DataApiTransaction {
            exec: self.exec.clone(),
            shared: self.shared.clone(),
            savepoint: Some(name),
            positional: self.positional,
            open: true,
        })
    }
}

impl Drop for DataApiTransaction {
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        match &self.savepoint {
            None => self.exec.rollback_dropped(self.shared.id.clone()),
            Some(name) => lock(&self.shared.queued).push(format!("ROLLBACK TO SAVEPOINT {name}")),
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for DataApiTransaction {
    fn get_database_backend(&self) -> DbBackend {
        self.exec.backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        let _guard = self.call_lock().await?;
        self.exec
            .execute(&stmt, Some(&self.shared.id))
            .await
            .map(ExecResult::from)
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        let _guard = self.call_lock().await?;
        self.exec
            .execute_script(sql, Some(&self.shared.id))
            .await
            .map(ExecResult::from)
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        Ok(self.rows(stmt).await?.into_iter().next())
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.rows(stmt).await
    }
}

/// Streams read their rows inside the transaction: one response's rows, or page by page
/// (a PostgreSQL cursor, MySQL keyset pages) when the connection reads transactions' queries
/// that way ([`cursor_reads_in_transactions`](super::DataApiConnection::cursor_reads_in_transactions)).
/// Do not run other statements on the transaction while a paged stream is being read.
impl StreamTrait for DataApiTransaction {
    type Stream<'a> = RowStream;

    fn get_database_backend(&self) -> DbBackend {
        self.exec.backend()
    }

    fn stream_raw<'a>(
        &'a self,
        stmt: Statement,
    ) -> Pin<Box<dyn Future<Output = Result<Self::Stream<'a>, DbErr>> + 'a + Send>> {
        Box::pin(async move {
            let _guard = self.call_lock().await?;
            self.exec
                .query_stream(&stmt, Some(&self.shared.id), self.positional)
                .await
        })
    }
}

#[async_trait::async_trait]
impl TransactionSession for DataApiTransaction {
    /// `CommitTransaction` (a savepoint: `RELEASE SAVEPOINT`); its failure is returned.
    async fn commit(self) -> Result<(), DbErr> {
        self.end(true).await
    }

    /// `RollbackTransaction` (a savepoint: `ROLLBACK TO SAVEPOINT`).
    async fn rollback(self) -> Result<(), DbErr> {
        self.end(false).await
    }
}

impl DataApiTransaction {
    /// Rolls back before `deadline` a transaction whose work was cut off, retrying while its
    /// last statement still runs on the server. If that fails, `Drop` still rolls back in
    /// the background.
    pub(crate) async fn rollback_before(mut self, deadline: SystemTime) -> Result<(), DbErr> {
        let result = self.exec.rollback_before(&self.shared.id, deadline).await;
        if result.is_ok() {
            self.open = false;
        }
        result
    }

    /// Commits; see [`TransactionSession::commit`] (callable without importing the trait, as
    /// on SeaORM's `DatabaseTransaction`).
    pub async fn commit(self) -> Result<(), DbErr> {
        self.end(true).await
    }

    /// Rolls back; see [`TransactionSession::rollback`].
    pub async fn rollback(self) -> Result<(), DbErr> {
        self.end(false).await
    }
}

/// Runs `callback` on `txn`, then commits it on `Ok` (a failed commit is
/// `TransactionError::Connection`) and rolls it back on `Err`.
pub(crate) async fn run_in<F, T, E>(
    txn: DataApiTransaction,
    callback: F,
) -> Result<T, TransactionError<E>>
where
    F: for<'c> FnOnce(
            &'c DataApiTransaction,
        ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
        + Send,
    T: Send,
    E: std::fmt::Display + std::fmt::Debug + Send,
{
    let outcome = callback(&txn).await;
    finish(txn, outcome).await
}

/// Ends `txn` by the callback's `outcome`: commit on `Ok`, roll back on `Err`.
pub(crate) async fn finish<T, E>(
    txn: DataApiTransaction,
    outcome: Result<T, E>,
) -> Result<T, TransactionError<E>> {
    match outcome {
        Ok(value) => {
            txn.end(true).await.map_err(TransactionError::Connection)?;
            Ok(value)
        }
        Err(e) => {
            txn.end(false).await.map_err(TransactionError::Connection)?;
            Err(TransactionError::Transaction(e))
        }
    }
}

/// [`run_in`] for an `async` closure (SeaORM 2's `transaction_async` shape).
pub(crate) async fn run_in_async<F, T, E>(
    txn: DataApiTransaction,
    callback: F,
) -> Result<T, TransactionError<E>>
where
    F: for<'c> AsyncFnOnce(&'c DataApiTransaction) -> Result<T, E> + Send,
    T: Send,
    E: std::fmt::Display + std::fmt::Debug + Send,
{
    let outcome = callback(&txn).await;
    finish(txn, outcome).await
}

impl DataApiTransaction {
    /// Runs `callback` in a savepoint of this transaction: released if it returns `Ok`,
    /// rolled back to otherwise (SeaORM 2's `DatabaseTransaction::transaction_async`).
    pub async fn transaction_async<F, T, E>(&self, callback: F) -> Result<T, TransactionError<E>>
    where
        F: for<'c> AsyncFnOnce(&'c DataApiTransaction) -> Result<T, E> + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        let txn = self.nested().await.map_err(TransactionError::Connection)?;
        run_in_async(txn, callback).await
    }
}

/// A transaction's `begin` is a savepoint; isolation level and access mode belong to the
/// whole transaction, so a savepoint ignores them (as PostgreSQL and MySQL would refuse
/// `SET TRANSACTION` there).
#[async_trait::async_trait]
impl TransactionTrait for DataApiTransaction {
    type Transaction = DataApiTransaction;

    async fn begin(&self) -> Result<DataApiTransaction, DbErr> {
        self.nested().await
    }

    async fn begin_with_config(
        &self,
        _isolation_level: Option<IsolationLevel>,
        _access_mode: Option<AccessMode>,
    ) -> Result<DataApiTransaction, DbErr> {
        self.nested().await
    }

    async fn begin_with_options(
        &self,
        _options: TransactionOptions,
    ) -> Result<DataApiTransaction, DbErr> {
        self.nested().await
    }

    async fn transaction<F, T, E>(&self, callback: F) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DataApiTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        let txn = self.nested().await.map_err(TransactionError::Connection)?;
        run_in(txn, callback).await
    }

    async fn transaction_with_config<F, T, E>(
        &self,
        callback: F,
        _isolation_level: Option<IsolationLevel>,
        _access_mode: Option<AccessMode>,
    ) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DataApiTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.transaction(callback).await
    }
}
