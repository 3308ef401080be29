//! What the sync and the async connection share: the session, the engine's adapter and the
//! instrumentation, and the one path of a query — start event, prepare, send, finish event.

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use diesel::connection::{StrQueryHelper, TransactionManagerStatus};
use diesel::query_builder::{QueryFragment, QueryId};
use diesel::result::{DatabaseErrorKind, Error};
use diesel::QueryResult;

use super::adapter::Adapter;
use super::instrumentation::Instrumented;
use super::transaction::DieselSession;
use crate::client::DataApiClient;
use crate::error::to_diesel;
use crate::runtime::block_on;
use crate::session::{Prepared, Query};

/// The state of one Diesel connection, whichever its flavour.
pub(crate) struct Core<A> {
    pub session: DieselSession,
    pub adapter: A,
    pub instrumentation: Instrumented,
}

impl<A: Adapter> Core<A> {
    pub fn new(client: DataApiClient) -> Self {
        Core {
            session: DieselSession::new(client, A::ENGINE),
            adapter: A::default(),
            instrumentation: Instrumented::default_instrumentation(),
        }
    }

    /// Emits the start event of `query` and builds the statement to send.
    pub fn start<T>(&mut self, query: &T) -> QueryResult<Prepared>
    where
        T: QueryFragment<A::Backend> + QueryId,
    {
        self.instrumentation
            .start(&diesel::debug_query::<A::Backend, _>(query));
        let prepared = self.adapter.prepare(query)?;
        if is_empty_query(&prepared.sql, A::ENGINE) {
            // As `PgConnection` reports libpq's empty-query result, on both engines.
            return Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::Unknown,
                Box::new("Received an empty query".to_string()),
            ));
        }
        Ok(prepared)
    }

    /// Sends a started statement on the background runtime and emits its finish event.
    pub fn send_blocking(
        &mut self,
        prepared: QueryResult<Prepared>,
    ) -> QueryResult<ExecuteStatementOutput> {
        let session = self.session.clone();
        finish_started(&mut self.instrumentation, prepared, |prepared| {
            block_on(async move { session.execute(prepared).await })
        })
    }

    /// Sends a started query on the background runtime and emits its finish event when its
    /// first response is in (later pages of a cursor read come as the rows are read).
    pub fn query_blocking(&mut self, prepared: QueryResult<Prepared>) -> QueryResult<Query> {
        let session = self.session.clone();
        finish_started(&mut self.instrumentation, prepared, |prepared| {
            block_on(async move { session.query(prepared).await })
        })
    }

    /// Emits the start event of a `batch_execute`.
    pub fn start_batch(&mut self, sql: &str) {
        self.instrumentation.start(&StrQueryHelper::new(sql));
    }

    /// `batch_execute` on the background runtime, with its start and finish events.
    pub fn batch_blocking(&mut self, sql: &str) -> QueryResult<()> {
        self.start_batch(sql);
        let session = self.session.clone();
        let owned = sql.to_string();
        let result = block_on(async move { session.batch_execute(owned).await });
        finished(&mut self.instrumentation, sql, result)
    }
}

/// Sends a started statement and emits its finish event (async connections).
pub(crate) async fn send(
    session: DieselSession,
    instrumentation: &mut Instrumented,
    prepared: QueryResult<Prepared>,
) -> QueryResult<ExecuteStatementOutput> {
    let engine = session.session.engine;
    let query = send_query(session, instrumentation, prepared).await?;
    query.collect().await.map_err(|e| to_diesel(e, engine))
}

/// [`send`] for a query whose rows may come page by page (async connections).
pub(crate) async fn send_query(
    session: DieselSession,
    instrumentation: &mut Instrumented,
    prepared: QueryResult<Prepared>,
) -> QueryResult<Query> {
    let (sql, result) = match prepared {
        Ok(prepared) => (prepared.sql.clone(), session.query(prepared).await),
        Err(e) => (String::new(), Err(e)),
    };
    finished(instrumentation, &sql, result)
}

/// `batch_execute` with its start and finish events (async connections).
pub(crate) async fn batch(
    session: DieselSession,
    instrumentation: &mut Instrumented,
    sql: String,
) -> QueryResult<()> {
    let result = session.batch_execute(sql.clone()).await;
    finished(instrumentation, &sql, result)
}

/// Runs `call` on a started statement (or passes on why it could not be built) and emits the
/// finish event either way.
fn finish_started<T>(
    instrumentation: &mut Instrumented,
    prepared: QueryResult<Prepared>,
    call: impl FnOnce(Prepared) -> QueryResult<T>,
) -> QueryResult<T> {
    let (sql, result) = match prepared {
        Ok(prepared) => (prepared.sql.clone(), call(prepared)),
        Err(e) => (String::new(), Err(e)),
    };
    finished(instrumentation, &sql, result)
}

/// Emits the finish event of a query (the caller emitted its start) and passes the result on.
/// The event runs on the caller's thread, as with diesel's own connections.
fn finished<T>(
    instrumentation: &mut Instrumented,
    sql: &str,
    result: QueryResult<T>,
) -> QueryResult<T> {
    instrumentation.finish(&StrQueryHelper::new(sql), result.as_ref().err());
    result
}

/// diesel's affected-row count: `numberOfRecordsUpdated`, except that the Data API reports 0
/// for a statement that returns records (JDBC's update count is -1 then), where the native
/// drivers count the rows (PostgreSQL's command tag, e.g. `INSERT 0 3` for `INSERT …
/// RETURNING`).
pub(crate) fn affected_rows(output: &ExecuteStatementOutput) -> usize {
    match (output.number_of_records_updated, &output.records) {
        (0, Some(records)) => records.len(),
        (n, _) => usize::try_from(n).unwrap_or(0),
    }
}

/// After each statement diesel's native connections update their transaction manager; this
/// does the same, with the outcome as the signal (the Data API has no transaction status to
/// read):
/// - `PgConnection` (`pg_status`) reads libpq's status: a database error inside a transaction
///   leaves it aborted, "requires rollback", until a statement succeeds there again (a
///   `ROLLBACK TO SAVEPOINT`); so a nested transaction whose closure swallowed an error rolls
///   back its savepoint instead of leaving the connection stuck.
/// - `MysqlConnection` and diesel-async's connections mark only serialization failures.
pub(crate) fn track_outcome<T>(
    status: &mut TransactionManagerStatus,
    pg_status: bool,
    in_transaction: bool,
    result: &QueryResult<T>,
) {
    match result {
        Err(Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _)) => {
            status.set_requires_rollback_maybe_up_to_top_level(true)
        }
        Err(Error::DatabaseError(..)) if pg_status && in_transaction => {
            status.set_requires_rollback_maybe_up_to_top_level(true)
        }
        Ok(_) if pg_status && in_transaction => {
            status.set_requires_rollback_maybe_up_to_top_level(false)
        }
        _ => {}
    }
}

/// Whether `sql` holds no statement: only whitespace, comments and `;` (what PostgreSQL
/// answers with an empty-query result). Text the lexer cannot read is left to the server.
fn is_empty_query(sql: &str, engine: crate::engine::Engine) -> bool {
    crate::sql::Lexer::new(sql, engine)
        .all(|token| token.is_ok_and(|t| t.is_trivia() || t.text == ";"))
}

#[cfg(test)]
mod tests {
    use super::is_empty_query;
    use crate::engine::Engine;

    #[test]
    fn empty_queries_are_whitespace_comments_and_semicolons() {
        for engine in [Engine::Postgres, Engine::Mysql] {
            for sql in ["", "  \n", "-- nothing", "/* a */ ;", ";;"] {
                assert!(is_empty_query(sql, engine), "{sql:?}");
            }
            for sql in ["SELECT 1", "/* a */ SELECT 1", "'unterminated"] {
                assert!(!is_empty_query(sql, engine), "{sql:?}");
            }
        }
        assert!(is_empty_query("# comment", Engine::Mysql));
    }
}
