//! The native face: [`DataApiConnection`] implements SeaORM's `ConnectionTrait`,
//! `StreamTrait` and `TransactionTrait` itself, so every SeaORM API generic over them
//! (`Entity::find().all(&conn)`, `ActiveModel::insert(&conn)`, `paginate`, `conn.transaction`)
//! works, with real Data API transactions whose failures reach the caller.
//!
//! Its transactions are [`DataApiTransaction`]s: `begin` runs `BeginTransaction` (and
//! `SET TRANSACTION` for an isolation level or access mode) and returns its failure; the
//! transaction's `commit` / `rollback` return the Data API's answer, as does the closure form
//! `conn.transaction(|txn| …)` (a failed commit is `TransactionError::Connection`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use sea_orm::{
    AccessMode, ConnectionTrait, DbBackend, DbErr, ExecResult, IsolationLevel, QueryResult,
    RuntimeErr, Statement, StreamTrait, TransactionError, TransactionOptions, TransactionTrait,
};

use super::exec::{Executor, RowStream};
use super::proxy::{DataApiProxy, ErrorSlot};
use super::rows::TypeOptions;
use super::transaction::{finish, run_in, run_in_async, DataApiTransaction};
use crate::client::DataApiClient;
use crate::config::DataApiConfig;
use crate::connection::{DeadlineError, DEADLINE_MARGIN};
use crate::session::time_left;

/// A SeaORM connection over the Data API with real, fallible transactions.
///
/// Errors: SeaORM's own `DbErr::sql_err()` returns `None` for these connections (it only
/// understands sqlx errors); use [`sql_err`](crate::sea_orm::sql_err) (unique and foreign-key
/// violations) or [`error_kind`](crate::sea_orm::error_kind) (every diesel
/// `DatabaseErrorKind`) on the `DbErr` instead.
///
/// Cheap to clone (clones share the client). Statements outside a
/// transaction autocommit, each on its own Data API call, so clones can be used from many
/// tasks at once.
#[derive(Clone)]
pub struct DataApiConnection {
    exec: Executor,
    positional: bool,
}

impl fmt::Debug for DataApiConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataApiConnection")
            .field("backend", &self.exec.backend())
            .field("positional", &self.positional)
            .finish_non_exhaustive()
    }
}

impl DataApiConnection {
    /// Connects from a `dataapi://` URL (see [`DataApiConfig`]) to a cluster of engine
    /// `backend` (`DbBackend::Postgres` or `DbBackend::MySql`). Nothing is sent yet.
    pub async fn connect(url: &str, backend: DbBackend) -> Result<Self, DbErr> {
        let config = DataApiConfig::from_url(url)
            .map_err(|e| DbErr::Conn(RuntimeErr::Internal(format!("invalid Data API URL: {e}"))))?;
        Self::new(DataApiClient::from_config(&config).await, backend)
    }

    /// A connection for `backend` over `client`, with the default [`TypeOptions`].
    pub fn new(client: DataApiClient, backend: DbBackend) -> Result<Self, DbErr> {
        Self::with_types(client, backend, TypeOptions::default())
    }

    /// A connection decoding results with `types`.
    pub fn with_types(
        client: DataApiClient,
        backend: DbBackend,
        types: TypeOptions,
    ) -> Result<Self, DbErr> {
        Ok(DataApiConnection {
            exec: Executor::new(client, backend, types)?,
            positional: false,
        })
    }

    /// The Data API client this connection uses (retry policy, resume budget, `wake_up`).
    pub fn client(&self) -> &DataApiClient {
        self.exec.client()
    }

    /// Read-only queries inside transactions are read page by page from the start (a
    /// PostgreSQL cursor, MySQL keyset pages), so a result over the Data API's 1 MiB never
    /// ends the transaction (outside transactions that happens by itself). Off by default.
    pub fn cursor_reads_in_transactions(mut self, on: bool) -> Self {
        self.exec.set_cursor_reads_in_transactions(on);
        self
    }

    /// A clone whose rows also carry their columns by position, so SeaORM's index access
    /// (`into_tuple`, `QueryResult::try_get_by_index`) reads the `i`-th *selected* column.
    /// (SeaORM's non-sqlx rows are `BTreeMap`s, whose order is alphabetical.) The extra
    /// entries show in `QueryResult::column_names` and `into_json`, so use this clone
    /// for tuple queries only:
    ///
    /// ```no_run
    /// # async fn f(conn: aurora_data_api::sea_orm::DataApiConnection) -> Result<(), sea_orm::DbErr> {
    /// use sea_orm::{ConnectionTrait, Statement};
    /// let row = conn
    ///     .positional()
    ///     .query_one_raw(Statement::from_string(conn.get_database_backend(), "SELECT 2 AS b, 1 AS a"))
    ///     .await?
    ///     .unwrap();
    /// assert_eq!(row.try_get_by_index::<i32>(0)?, 2);
    /// # Ok(()) }
    /// ```
    pub fn positional(&self) -> DataApiConnection {
        DataApiConnection {
            positional: true,
            ..self.clone()
        }
    }

    /// The equivalent drop-in `sea_orm::DatabaseConnection` (proxy face) over the same client
    /// and type options, e.g. for `sea-orm-migration`, which takes that type.
    pub fn to_proxy_connection(&self) -> sea_orm::DatabaseConnection {
        DataApiProxy::from_executor(self.exec.clone(), None, ErrorSlot::default()).into_connection()
    }

    /// Begins a Data API transaction with these characteristics.
    async fn open(
        &self,
        isolation: Option<IsolationLevel>,
        access: Option<AccessMode>,
    ) -> Result<DataApiTransaction, DbErr> {
        DataApiTransaction::begin(self.exec.clone(), isolation, access, self.positional).await
    }

    /// Runs the `async` closure `callback` in a transaction: committed if it returns `Ok`
    /// (a failed commit is `TransactionError::Connection`), rolled back otherwise
    /// (SeaORM 2's `DatabaseConnection::transaction_async`).
    pub async fn transaction_async<F, T, E>(&self, callback: F) -> Result<T, TransactionError<E>>
    where
        F: for<'c> AsyncFnOnce(&'c DataApiTransaction) -> Result<T, E> + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.transaction_with_config_async(callback, None, None)
            .await
    }

    /// [`transaction_async`](Self::transaction_async) with an isolation level and access mode.
    pub async fn transaction_with_config_async<F, T, E>(
        &self,
        callback: F,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<T, TransactionError<E>>
    where
        F: for<'c> AsyncFnOnce(&'c DataApiTransaction) -> Result<T, E> + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        let txn = self
            .open(isolation_level, access_mode)
            .await
            .map_err(TransactionError::Connection)?;
        run_in_async(txn, callback).await
    }

    /// Runs `callback` in a transaction as [`transaction_async`](Self::transaction_async)
    /// does, but gives up on it [`DEADLINE_MARGIN`] before `deadline`: the callback's future
    /// is dropped, the transaction rolled back (awaited, not left to the background) and
    /// [`DeadlineError::Exceeded`] returned, so a Lambda handler that runs late frees its
    /// locks before Lambda kills it. Pass the invocation context's `deadline()`. With less
    /// than the margin left nothing is sent; once the callback has finished in time, the
    /// commit runs whatever the clock says. See the Diesel twin,
    /// [`AsyncDieselConnection::transaction_before`](crate::connection::AsyncDieselConnection::transaction_before).
    pub async fn transaction_before<F, T, E>(
        &self,
        deadline: SystemTime,
        callback: F,
    ) -> Result<T, DeadlineError<TransactionError<E>, DbErr>>
    where
        F: for<'c> AsyncFnOnce(&'c DataApiTransaction) -> Result<T, E> + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        let exceeded = |rollback_error| DeadlineError::Exceeded { rollback_error };
        let left = time_left(deadline, DEADLINE_MARGIN);
        if left.is_zero() {
            return Err(exceeded(None));
        }
        let give_up_at = tokio::time::Instant::now() + left;
        let txn = match tokio::time::timeout_at(give_up_at, self.open(None, None)).await {
            Ok(Ok(txn)) => txn,
            Ok(Err(e)) => return Err(DeadlineError::Failed(TransactionError::Connection(e))),
            // Cut off before BEGIN answered: nothing of ours is locked.
            Err(_) => return Err(exceeded(None)),
        };
        match tokio::time::timeout_at(give_up_at, callback(&txn)).await {
            Ok(outcome) => finish(txn, outcome).await.map_err(DeadlineError::Failed),
            Err(_) => Err(exceeded(txn.rollback_before(deadline).await.err())),
        }
    }

    async fn rows(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        Ok(self
            .exec
            .query(&statement, None)
            .await?
            .into_query_results(self.positional))
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for DataApiConnection {
    fn get_database_backend(&self) -> DbBackend {
        self.exec.backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.exec.execute(&stmt, None).await.map(ExecResult::from)
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.exec
            .execute_script(sql, None)
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

impl StreamTrait for DataApiConnection {
    type Stream<'a> = RowStream;

    fn get_database_backend(&self) -> DbBackend {
        self.exec.backend()
    }

    fn stream_raw<'a>(
        &'a self,
        stmt: Statement,
    ) -> Pin<Box<dyn Future<Output = Result<Self::Stream<'a>, DbErr>> + 'a + Send>> {
        Box::pin(async move { self.exec.query_stream(&stmt, None, self.positional).await })
    }
}

#[async_trait::async_trait]
impl TransactionTrait for DataApiConnection {
    type Transaction = DataApiTransaction;

    /// `BeginTransaction`; its failure is returned.
    async fn begin(&self) -> Result<DataApiTransaction, DbErr> {
        self.open(None, None).await
    }

    /// `BeginTransaction` then `SET TRANSACTION <isolation>, <access mode>` as its first
    /// statement; a failure of either is returned.
    async fn begin_with_config(
        &self,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<DataApiTransaction, DbErr> {
        self.open(isolation_level, access_mode).await
    }

    /// As [`begin_with_config`](Self::begin_with_config); SQLite's transaction mode does not
    /// apply to Aurora and is ignored.
    async fn begin_with_options(
        &self,
        options: TransactionOptions,
    ) -> Result<DataApiTransaction, DbErr> {
        self.open(options.isolation_level, options.access_mode)
            .await
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
        self.transaction_with_config(callback, None, None).await
    }

    /// Runs `callback` in a transaction: committed if it returns `Ok` (a failed commit is
    /// `TransactionError::Connection`), rolled back otherwise.
    async fn transaction_with_config<F, T, E>(
        &self,
        callback: F,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DataApiTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        let txn = self
            .open(isolation_level, access_mode)
            .await
            .map_err(TransactionError::Connection)?;
        run_in(txn, callback).await
    }
}
