//! The session layer both ORMs run on: one connection's client, engine and call options, and
//! the Data API operations every connection needs — a statement (in a transaction or not), a
//! script cut into statements, begin with transaction characteristics, commit, rollback.
//!
//! It holds no transaction state: the Diesel connections track theirs in
//! [`crate::connection`], SeaORM's faces in [`crate::sea_orm`]. Errors stay
//! [`DataApiError`]s here; each ORM turns them into its own error type.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream};
use futures_util::{FutureExt, StreamExt};

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use aws_sdk_rdsdata::types::{ColumnMetadata, Field, SqlParameter, TypeHint};

mod chunks;
mod cursor;
mod keyset;
mod shape;

pub(crate) use cursor::PagedRead;
pub(crate) use shape::Shape;

use chunks::Plan;

use crate::client::retry::{is_read_only, repeat_of};
use crate::client::{DataApiClient, DataApiError, DataApiErrorKind, ExecuteOptions, Statement};
use crate::engine::Engine;
use crate::sql::{param_name, split_statements, SplitError};

/// A statement ready to send: named-placeholder SQL and its parameters. (`pub` only because
/// the sealed [`crate::connection::Adapter`] names it; not reachable from outside the crate.)
#[derive(Debug, Clone)]
pub struct Prepared {
    pub sql: String,
    pub params: Vec<SqlParameter>,
    /// Its shape, when whoever built it knows it already (a cached statement).
    pub(crate) shape: Option<Shape>,
}

impl Prepared {
    /// A statement of this SQL and these parameters.
    pub fn new(sql: String, params: Vec<SqlParameter>) -> Self {
        Prepared {
            sql,
            params,
            shape: None,
        }
    }

    /// A statement without parameters.
    pub fn plain(sql: impl Into<String>) -> Self {
        Prepared::new(sql.into(), Vec::new())
    }

    /// Its shape: as given, else read off the SQL now (and kept).
    pub(crate) fn shape(&mut self, engine: Engine) -> Shape {
        *self
            .shape
            .get_or_insert_with(|| Shape::of(&self.sql, engine))
    }
}

/// Parameters `p1`, `p2`, … (the names the placeholder rewriting gives) from values in order.
pub(crate) fn numbered_parameters(
    values: impl IntoIterator<Item = (Field, Option<TypeHint>)>,
) -> Vec<SqlParameter> {
    values
        .into_iter()
        .enumerate()
        .map(|(i, (value, hint))| {
            SqlParameter::builder()
                .name(param_name(i + 1))
                .value(value)
                .set_type_hint(hint)
                .build()
        })
        .collect()
}

/// The name a result column is read by: its label (`AS …`), else its name.
pub(crate) fn column_label(column: &ColumnMetadata) -> String {
    column
        .label
        .clone()
        .or_else(|| column.name.clone())
        .unwrap_or_default()
}

/// How long the rollback of a dropped connection's transaction may take before it is given
/// up (an unreachable endpoint); the Data API then ends the transaction after 3 idle minutes.
const DROPPED_ROLLBACK_TIMEOUT: Duration = Duration::from_secs(5);

/// What a failed `CommitTransaction` means for the caller, added to the error's text.
fn commit_note(e: DataApiError) -> DataApiError {
    let what = match e.kind() {
        DataApiErrorKind::InternalServerError
        | DataApiErrorKind::ServiceUnavailable
        | DataApiErrorKind::DatabaseUnavailable
        | DataApiErrorKind::Transport => {
            "CommitTransaction got no answer: the commit may or may not have been applied; \
             check before redoing the transaction's writes"
        }
        DataApiErrorKind::NotFound | DataApiErrorKind::TransactionNotFound => {
            "CommitTransaction found the transaction already ended (the Data API ends one after \
             3 minutes without a call, 24 hours in all, or when a result exceeds 1 MiB): nothing \
             of it was committed"
        }
        _ => return e,
    };
    let note = match e.note() {
        Some(earlier) => format!("{earlier}; {what}"),
        None => what.to_owned(),
    };
    e.with_note(note)
}

/// Adds one response of a statement sent in parts (chunks, pages) to the result so far: the
/// first keeps its column metadata and generated keys, counts add up, records follow in
/// order.
fn merge(merged: &mut Option<ExecuteStatementOutput>, out: ExecuteStatementOutput) {
    match merged {
        None => *merged = Some(out),
        Some(total) => {
            total.number_of_records_updated += out.number_of_records_updated;
            if let Some(records) = out.records {
                total.records.get_or_insert_with(Vec::new).extend(records);
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The answer to a query: all of it, or a cursor to read page by page.
#[derive(Debug)]
pub(crate) enum Query {
    /// The whole result in one response.
    All(ExecuteStatementOutput),
    /// A PostgreSQL result over one response, read through a cursor.
    Pages(Box<PagedRead>),
}

impl Query {
    /// The whole result: the pages put together.
    pub async fn collect(self) -> Result<ExecuteStatementOutput, DataApiError> {
        let mut pages = match self {
            Query::All(out) => return Ok(out),
            Query::Pages(pages) => pages,
        };
        let mut merged = None;
        while let Some(out) = pages.next_page().await? {
            merge(&mut merged, out);
        }
        Ok(merged.unwrap_or_else(|| ExecuteStatementOutput::builder().build()))
    }

    /// The rows as a stream, `decode` turning each response into its rows: one response's,
    /// or page after page as they are read (memory holds one page).
    pub fn into_stream<T, E>(
        self,
        decode: impl Fn(ExecuteStatementOutput) -> Result<Vec<T>, E> + Send + Sync + 'static,
        error: impl Fn(DataApiError) -> E + Send + Sync + 'static,
    ) -> Result<BoxStream<'static, Result<T, E>>, E>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let pages = match self {
            Query::All(out) => return Ok(stream::iter(decode(out)?.into_iter().map(Ok)).boxed()),
            Query::Pages(pages) => pages,
        };
        let (decode, error) = (Arc::new(decode), Arc::new(error));
        Ok(stream::unfold(
            (Some(pages), VecDeque::new()),
            move |(mut pages, mut buffered)| {
                let (decode, error) = (decode.clone(), error.clone());
                async move {
                    loop {
                        if let Some(row) = buffered.pop_front() {
                            return Some((Ok(row), (pages, buffered)));
                        }
                        let mut current = pages.take()?;
                        let page = match current.next_page().await {
                            Ok(Some(out)) => decode(out),
                            Ok(None) => return None,
                            Err(e) => Err(error(e)),
                        };
                        match page {
                            Ok(rows) => {
                                buffered.extend(rows);
                                pages = Some(current);
                            }
                            Err(e) => return Some((Err(e), (None, buffered))),
                        }
                    }
                }
            },
        )
        .boxed())
    }
}

/// The client, engine and call options of one connection. Cheap to clone into futures.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub client: DataApiClient,
    pub engine: Engine,
    /// Options of every statement (e.g. `continueAfterTimeout` for long DDL).
    pub options: ExecuteOptions,
    /// Read-only queries inside a transaction are read page by page from the start (a result
    /// over 1 MiB ends the transaction, so there is no second try there).
    pub cursor_reads_in_transactions: bool,
    /// Queries this session has seen exceed one response: the next time they go page by page
    /// at once instead of failing first (the failed try costs the database the whole query).
    large_reads: Arc<Mutex<LargeReads>>,
}

/// The hashes of query texts known to exceed one response (bounded; forgotten when full).
#[derive(Debug, Default)]
struct LargeReads(std::collections::HashSet<u64>);

impl LargeReads {
    const MAX: usize = 1024;

    fn key(sql: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        sql.hash(&mut h);
        h.finish()
    }
}

impl Session {
    pub fn new(client: DataApiClient, engine: Engine) -> Self {
        Session {
            client,
            engine,
            options: ExecuteOptions::default(),
            cursor_reads_in_transactions: false,
            large_reads: Arc::default(),
        }
    }

    /// Runs one statement, inside transaction `tx` if given, and returns its whole result.
    /// A multi-row INSERT too large for one call is sent in row chunks, atomically as the
    /// single statement would be: inside `tx`, or in a transaction begun and committed for
    /// it. Their results add up (counts summed, `RETURNING` rows in input order, the first
    /// chunk's generated keys, as MySQL's `LAST_INSERT_ID()` gives the first row's). A
    /// PostgreSQL read over one response is read through a cursor (see [`Session::query`]) and
    /// its pages put together.
    /// Boxed, as [`Session::query`].
    pub fn execute<'a>(
        &'a self,
        prepared: Prepared,
        tx: Option<&'a str>,
    ) -> BoxFuture<'a, Result<ExecuteStatementOutput, DataApiError>> {
        async move { self.query_unboxed(prepared, tx).await?.collect().await }.boxed()
    }

    /// A statement whose rows may come page by page (streaming reads): chunked as in
    /// [`Session::execute`]; on PostgreSQL a read whose result exceeds one response is re-run
    /// through a cursor — outside a transaction transparently, in a transaction of its own;
    /// inside one when `cursor_reads_in_transactions` says so, from the start — and comes
    /// back as [`Query::Pages`].
    ///
    /// The future is boxed: the layers under it (chunks, cursor, retries, the SDK) nest
    /// deeply, and users' futures around it must stay under rustc's type-depth limit.
    pub fn query<'a>(
        &'a self,
        prepared: Prepared,
        tx: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Query, DataApiError>> {
        self.query_unboxed(prepared, tx).boxed()
    }

    /// [`Session::query`] before boxing (so [`Session::execute`] boxes once, not twice).
    async fn query_unboxed(
        &self,
        prepared: Prepared,
        tx: Option<&str>,
    ) -> Result<Query, DataApiError> {
        match chunks::plan(prepared, self.engine, self.client.limits())? {
            Plan::One(prepared) => self.query_one(prepared, tx).await,
            Plan::Chunks(chunks) => self.execute_chunked(chunks, tx).await.map(Query::All),
        }
    }

    /// The chunks of one statement in `tx`, or in a transaction of their own.
    async fn execute_chunked(
        &self,
        chunks: Vec<Prepared>,
        tx: Option<&str>,
    ) -> Result<ExecuteStatementOutput, DataApiError> {
        if let Some(tx) = tx {
            return self.execute_chunks(chunks, tx).await;
        }
        let tx = self.begin(None).await?;
        match self.execute_chunks(chunks, &tx).await {
            Ok(out) => self.end(&tx, true).await.map(|()| out),
            Err(e) => {
                let _ = self.end(&tx, false).await;
                Err(e)
            }
        }
    }

    async fn query_one(
        &self,
        mut prepared: Prepared,
        tx: Option<&str>,
    ) -> Result<Query, DataApiError> {
        if !prepared.shape(self.engine).pageable {
            return self.execute_planned(&prepared, tx).await.map(Query::All);
        }
        match tx {
            Some(tx) if self.cursor_reads_in_transactions => {
                PagedRead::open(self, prepared, Some(tx))
                    .await
                    .map(|p| Query::Pages(Box::new(p)))
            }
            Some(_) => self
                .execute_planned(&prepared, tx)
                .await
                .map(Query::All)
                .map_err(|e| {
                    if cursor::is_response_too_large(&e) {
                        e.with_note(
                        "inside a transaction the Data API ends the transaction on a result over \
                         1 MiB; turn on `set_cursor_reads_in_transactions(true)` on the \
                         connection so reads in transactions are read page by page from the start"
                            .into(),
                    )
                    } else {
                        e
                    }
                }),
            None => {
                if self.known_large(&prepared.sql) {
                    return PagedRead::open(self, prepared, None)
                        .await
                        .map(|p| Query::Pages(Box::new(p)));
                }
                match self.execute_planned(&prepared, None).await {
                    Err(e) if cursor::is_response_too_large(&e) => {
                        {
                            let mut known = lock(&self.large_reads);
                            if known.0.len() >= LargeReads::MAX {
                                known.0.clear();
                            }
                            known.0.insert(LargeReads::key(&prepared.sql));
                        }
                        PagedRead::open(self, prepared, None)
                            .await
                            .map(|p| Query::Pages(Box::new(p)))
                    }
                    other => other.map(Query::All),
                }
            }
        }
    }

    /// Whether `sql` was seen to exceed one response before (no hashing while none was).
    fn known_large(&self, sql: &str) -> bool {
        let known = lock(&self.large_reads);
        !known.0.is_empty() && known.0.contains(&LargeReads::key(sql))
    }

    /// One `ExecuteStatement` of `prepared`, in `tx` if given. Borrowed: the caller keeps the
    /// statement for a second try through a cursor.
    fn execute_one<'a>(
        &'a self,
        prepared: &'a Prepared,
        tx: Option<&'a str>,
    ) -> impl Future<Output = Result<ExecuteStatementOutput, DataApiError>> + Send + 'a {
        self.send_one(prepared, tx, false)
    }

    /// [`Session::execute_one`] of a statement whose sizes [`chunks::plan`] has checked
    /// against the limits already (not measured twice). Neither is an `async fn` of its own:
    /// each layer of nested futures counts against rustc's layout depth in users' code.
    fn execute_planned<'a>(
        &'a self,
        prepared: &'a Prepared,
        tx: Option<&'a str>,
    ) -> impl Future<Output = Result<ExecuteStatementOutput, DataApiError>> + Send + 'a {
        self.send_one(prepared, tx, true)
    }

    fn send_one<'a>(
        &'a self,
        prepared: &'a Prepared,
        tx: Option<&'a str>,
        sizes_checked: bool,
    ) -> impl Future<Output = Result<ExecuteStatementOutput, DataApiError>> + Send + 'a {
        let statement = Statement {
            sql: &prepared.sql,
            params: &prepared.params,
            transaction_id: tx,
            options: &self.options,
            repeat: repeat_of(tx.is_some(), || match prepared.shape {
                Some(shape) => shape.read_only,
                None => is_read_only(&prepared.sql),
            }),
            sizes_checked,
        };
        self.client.execute_known(statement)
    }

    /// The chunks of one statement in order in transaction `tx`, their outputs merged.
    async fn execute_chunks(
        &self,
        chunks: Vec<Prepared>,
        tx: &str,
    ) -> Result<ExecuteStatementOutput, DataApiError> {
        let mut merged = None;
        for chunk in chunks {
            merge(&mut merged, self.execute_planned(&chunk, Some(tx)).await?);
        }
        Ok(merged.unwrap_or_else(|| ExecuteStatementOutput::builder().build()))
    }

    /// Cuts a script (a migration's `up.sql`, SeaORM's `execute_unprepared`) into
    /// statements: the Data API rejects multi-statement SQL.
    pub fn split(&self, sql: &str) -> Result<Vec<String>, SplitError> {
        split_statements(sql, self.engine)
    }

    /// Runs one statement of a script. Scripts are mostly DDL, which must not be cut off
    /// half-way, so their statements run with `continueAfterTimeout`, for both ORMs.
    pub async fn execute_script_statement(
        &self,
        sql: String,
        tx: Option<&str>,
    ) -> Result<ExecuteStatementOutput, DataApiError> {
        let options = ExecuteOptions {
            continue_after_timeout: true,
            ..self.options.clone()
        };
        self.client.execute(&sql, Vec::new(), tx, options).await
    }

    /// `BeginTransaction`, then `SET TRANSACTION <characteristics>` as the transaction's first
    /// statement when given (PostgreSQL allows it before any query; the Data API starts MySQL
    /// transactions like JDBC with autocommit off, so it applies there too). If that
    /// statement fails the transaction is rolled back and the error returned.
    pub async fn begin(&self, characteristics: Option<&str>) -> Result<String, DataApiError> {
        let id = self.client.begin_transaction().await?;
        if let Some(characteristics) = characteristics {
            let set = Prepared::plain(format!("SET TRANSACTION {characteristics}"));
            if let Err(e) = self.execute_one(&set, Some(&id)).await {
                let _ = self.end(&id, false).await;
                return Err(e);
            }
        }
        Ok(id)
    }

    /// Rolls back transaction `id` (whose work was cut off at a deadline) before `deadline`,
    /// retrying while its last statement still runs on the server ("Transaction is still
    /// running a query"). `Err(None)`: the deadline came first.
    pub async fn rollback_before(
        &self,
        id: &str,
        deadline: SystemTime,
    ) -> Result<(), Option<DataApiError>> {
        let rollback = async {
            loop {
                match self.end(id, false).await {
                    Err(e)
                        if e.kind() == DataApiErrorKind::DatabaseError
                            && e.message().contains("still running a query") =>
                    {
                        tokio::time::sleep(STILL_RUNNING_RETRY).await;
                    }
                    other => return other,
                }
            }
        };
        match tokio::time::timeout(time_left(deadline, Duration::ZERO), rollback).await {
            Ok(Ok(())) => {
                tracing::warn!("transaction rolled back: it did not finish before its deadline");
                Ok(())
            }
            Ok(Err(e)) => Err(Some(e)),
            Err(_) => Err(None),
        }
    }

    /// `CommitTransaction` or `RollbackTransaction`. A rollback of a transaction the server
    /// already ended (expired, or ended by an error) has nothing left to do and succeeds, so
    /// the connection recovers.
    pub async fn end(&self, id: &str, commit: bool) -> Result<(), DataApiError> {
        let result = if commit {
            self.client.commit_transaction(id).await
        } else {
            self.client.rollback_transaction(id).await
        };
        match result {
            Err(e)
                if !commit
                    && matches!(
                        e.kind(),
                        DataApiErrorKind::NotFound | DataApiErrorKind::TransactionNotFound
                    ) =>
            {
                tracing::info!(
                    "Data API transaction already ended on the server; rollback is a no-op"
                );
                Ok(())
            }
            Err(e) if commit => Err(commit_note(e)),
            other => other,
        }
    }

    /// Rolls back transaction `id` of a connection (or SeaORM transaction) being dropped, as
    /// a closing socket does natively, so its locks go at once instead of after the Data
    /// API's 3-minute idle expiry. Runs on the crate's background runtime (so it works inside
    /// or outside any tokio runtime), bounded by a timeout, logged when it fails; the caller
    /// waits for it at most `wait`.
    pub fn rollback_dropped(&self, id: String, wait: Duration) {
        let session = self.clone();
        let rollback = async move {
            match tokio::time::timeout(DROPPED_ROLLBACK_TIMEOUT, session.end(&id, false)).await {
                Ok(Ok(())) => tracing::debug!(
                    "rolled back the open Data API transaction of a dropped connection"
                ),
                Ok(Err(e)) => tracing::warn!(
                    error = %e,
                    "rollback of a dropped connection's Data API transaction failed; the Data API ends it after 3 idle minutes"
                ),
                Err(_) => tracing::warn!(
                    "rollback of a dropped connection's Data API transaction timed out after {DROPPED_ROLLBACK_TIMEOUT:?}; the Data API ends it after 3 idle minutes"
                ),
            }
        };
        crate::runtime::spawn_waiting_at_most(rollback, wait);
    }
}

/// How often a deadline rollback is retried while the transaction's last statement still
/// runs on the server.
const STILL_RUNNING_RETRY: Duration = Duration::from_millis(25);

/// Time from now until `margin` before `deadline` (zero if that has passed).
pub(crate) fn time_left(deadline: SystemTime, margin: Duration) -> Duration {
    deadline
        .duration_since(SystemTime::now())
        .unwrap_or_default()
        .saturating_sub(margin)
}

/// What a rollback at a deadline that did not finish in time reports.
pub(crate) const ROLLBACK_PAST_DEADLINE: &str = "the rollback did not finish before the deadline";
