//! The part both SeaORM faces share: a statement in, calls on the crate's session layer out
//! (the same begin / commit / rollback, `SET TRANSACTION`, script splitting and call options
//! as the Diesel connections), rows / counts / errors back in SeaORM's types. Transactions
//! are plain ids here; the faces keep the state.

use std::sync::Arc;

use futures_util::stream::BoxStream;

use aws_sdk_rdsdata::types::Field;
use sea_orm::{
    AccessMode, DbBackend, DbErr, IsolationLevel, ProxyExecResult, RuntimeErr, Statement,
};

use super::rows::{decode_output, Decoded, TypeOptions};
use super::values::{bind, dialect};
use crate::client::{DataApiClient, DataApiError, DataApiErrorKind};
use crate::engine::Engine;
use crate::error::to_diesel;
use crate::session::{Prepared, Session};

/// The rows of `StreamTrait::stream`: one response's rows, or — a PostgreSQL result over one
/// Data API response — page by page from a server-side cursor as they are read, so memory
/// holds one page at a time.
pub type RowStream = BoxStream<'static, Result<sea_orm::QueryResult, DbErr>>;

/// Where an error happened, for the `DbErr` variant SeaORM's own drivers use.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stage {
    Query,
    Exec,
    Conn,
}

/// A Data API error as a `DbErr`. The text is the Data API's (`CODE: message`, the message
/// ending in `SQLState: …` for database errors), so [`super::error_kind`] can classify it.
pub(crate) fn db_err(e: DataApiError, stage: Stage, engine: Engine) -> DbErr {
    let text = match e.kind() {
        // The Diesel side's wording explains why a transaction disappears.
        DataApiErrorKind::TransactionNotFound => {
            let code = e.code().to_owned();
            format!("{code}: {}", to_diesel(e, engine))
        }
        DataApiErrorKind::UnsupportedResult => {
            format!("{e} ({})", crate::error::UNSUPPORTED_RESULT_REMEDY)
        }
        _ => e.to_string(),
    };
    let err = RuntimeErr::Internal(text);
    match stage {
        Stage::Query => DbErr::Query(err),
        Stage::Exec => DbErr::Exec(err),
        Stage::Conn => DbErr::Conn(err),
    }
}

/// One engine's Data API access for SeaORM: client, backend and result typing.
#[derive(Debug, Clone)]
pub(crate) struct Executor {
    session: Session,
    backend: DbBackend,
    types: Arc<TypeOptions>,
}

impl Executor {
    pub fn new(
        client: DataApiClient,
        backend: DbBackend,
        types: TypeOptions,
    ) -> Result<Self, DbErr> {
        Ok(Executor {
            session: Session::new(client, dialect(backend)?),
            backend,
            types: Arc::new(types),
        })
    }

    pub fn backend(&self) -> DbBackend {
        self.backend
    }

    fn checked(&self, statement: &Statement) -> Result<Prepared, DbErr> {
        if statement.db_backend != self.backend {
            return Err(DbErr::Custom(format!(
                "a {:?} statement was sent to a {:?} connection",
                statement.db_backend, self.backend
            )));
        }
        bind(statement)
    }

    /// The Data API client (its retry policy, limits and `wake_up`).
    pub fn client(&self) -> &DataApiClient {
        &self.session.client
    }

    /// See [`DataApiConnection::cursor_reads_in_transactions`](super::DataApiConnection::cursor_reads_in_transactions).
    pub fn set_cursor_reads_in_transactions(&mut self, on: bool) {
        self.session.cursor_reads_in_transactions = on;
    }

    fn engine(&self) -> Engine {
        self.session.engine
    }

    async fn call(
        &self,
        prepared: Prepared,
        tx: Option<&str>,
        stage: Stage,
    ) -> Result<aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput, DbErr> {
        self.session
            .execute(prepared, tx)
            .await
            .map_err(|e| db_err(e, stage, self.engine()))
    }

    /// Runs a statement that returns rows (SELECT, INSERT … RETURNING).
    pub async fn query(&self, statement: &Statement, tx: Option<&str>) -> Result<Decoded, DbErr> {
        let prepared = self.checked(statement)?;
        let out = self.call(prepared, tx, Stage::Query).await?;
        decode_output(out, self.engine(), &self.types)
    }

    /// Runs a query whose rows come page by page when the result is over one Data API
    /// response (PostgreSQL, through a cursor): `StreamTrait::stream`, bounded memory.
    pub async fn query_stream(
        &self,
        statement: &Statement,
        tx: Option<&str>,
        positional: bool,
    ) -> Result<RowStream, DbErr> {
        let prepared = self.checked(statement)?;
        let query = self
            .session
            .query(prepared, tx)
            .await
            .map_err(|e| db_err(e, Stage::Query, self.engine()))?;
        let (engine, types) = (self.engine(), self.types.clone());
        let decode = move |out| -> Result<Vec<sea_orm::QueryResult>, DbErr> {
            Ok(decode_output(out, engine, &types)?.into_query_results(positional))
        };
        query.into_stream(decode, move |e| db_err(e, Stage::Query, engine))
    }

    /// Runs a statement for its effect. One without values may be a script (SeaORM's
    /// `execute_unprepared`, migrations): it is split, since the Data API rejects
    /// multi-statement SQL, and the counts are added up.
    pub async fn execute(
        &self,
        statement: &Statement,
        tx: Option<&str>,
    ) -> Result<ProxyExecResult, DbErr> {
        let has_values = statement.values.as_ref().is_some_and(|v| !v.0.is_empty());
        if has_values {
            let prepared = self.checked(statement)?;
            let dml = is_dml(&prepared.sql);
            let out = self.call(prepared, tx, Stage::Exec).await?;
            return Ok(exec_result(out, dml));
        }
        if statement.db_backend != self.backend {
            return Err(DbErr::Custom(format!(
                "a {:?} statement was sent to a {:?} connection",
                statement.db_backend, self.backend
            )));
        }
        self.execute_script(&statement.sql, tx).await
    }

    /// Runs every statement of `sql` in order (no parameters), each with
    /// `continueAfterTimeout` as the session layer runs scripts (migrations are DDL).
    pub async fn execute_script(
        &self,
        sql: &str,
        tx: Option<&str>,
    ) -> Result<ProxyExecResult, DbErr> {
        let statements = self
            .session
            .split(sql)
            .map_err(|e| DbErr::Custom(format!("cannot split the SQL into statements: {e}")))?;
        let mut total = ProxyExecResult::default();
        for sql in statements {
            let dml = is_dml(&sql);
            let out = self
                .session
                .execute_script_statement(sql, tx)
                .await
                .map_err(|e| db_err(e, Stage::Exec, self.engine()))?;
            let result = exec_result(out, dml);
            total.rows_affected += result.rows_affected;
            if result.last_insert_id != 0 {
                total.last_insert_id = result.last_insert_id;
            }
        }
        Ok(total)
    }

    /// `BeginTransaction`, then the isolation level / access mode as the transaction's first
    /// statement (see [`Session::begin`]).
    pub async fn begin(
        &self,
        isolation: Option<IsolationLevel>,
        access: Option<AccessMode>,
    ) -> Result<String, DbErr> {
        let characteristics: Vec<String> = isolation
            .map(|i| format!("ISOLATION LEVEL {i}"))
            .into_iter()
            .chain(access.map(|a| a.to_string()))
            .collect();
        let characteristics = (!characteristics.is_empty()).then(|| characteristics.join(", "));
        self.session
            .begin(characteristics.as_deref())
            .await
            .map_err(|e| db_err(e, Stage::Conn, self.engine()))
    }

    /// `CommitTransaction`.
    pub async fn commit(&self, id: &str) -> Result<(), DbErr> {
        self.session
            .end(id, true)
            .await
            .map_err(|e| db_err(e, Stage::Conn, self.engine()))
    }

    /// `RollbackTransaction`; a transaction the server already ended counts as rolled back.
    pub async fn rollback(&self, id: &str) -> Result<(), DbErr> {
        self.session
            .end(id, false)
            .await
            .map_err(|e| db_err(e, Stage::Conn, self.engine()))
    }

    /// Rolls back transaction `id` before `deadline` (see [`Session::rollback_before`]).
    pub async fn rollback_before(
        &self,
        id: &str,
        deadline: std::time::SystemTime,
    ) -> Result<(), DbErr> {
        self.session
            .rollback_before(id, deadline)
            .await
            .map_err(|failed| match failed {
                Some(e) => db_err(e, Stage::Conn, self.engine()),
                None => DbErr::Conn(RuntimeErr::Internal(
                    crate::session::ROLLBACK_PAST_DEADLINE.into(),
                )),
            })
    }

    /// Rolls back a dropped transaction in the background (see [`Session::rollback_dropped`]);
    /// SeaORM's drop cannot wait, inside or outside a tokio runtime.
    pub fn rollback_dropped(&self, id: String) {
        self.session.rollback_dropped(id, std::time::Duration::ZERO);
    }

    /// Runs queued savepoint statements (rollbacks of savepoints dropped without an end) in
    /// order. Each leaves the queue (`pop`) only after it ran, so a failed or cancelled one
    /// stays for the next call and for the commit, which then rolls back instead.
    pub async fn run_queued(
        &self,
        id: &str,
        peek: impl Fn() -> Option<String>,
        pop: impl Fn(),
    ) -> Result<(), DbErr> {
        while let Some(sql) = peek() {
            self.savepoint(id, sql).await?;
            pop();
        }
        Ok(())
    }

    /// A savepoint statement (`SAVEPOINT`, `RELEASE SAVEPOINT`, `ROLLBACK TO SAVEPOINT`).
    pub async fn savepoint(&self, id: &str, sql: String) -> Result<(), DbErr> {
        self.call(Prepared::plain(sql), Some(id), Stage::Conn)
            .await
            .map(drop)
    }
}

/// Whether a statement is INSERT / UPDATE / DELETE / MERGE / REPLACE (maybe with RETURNING).
fn is_dml(sql: &str) -> bool {
    let first = sql
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    ["INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE"]
        .iter()
        .any(|k| first.eq_ignore_ascii_case(k))
}

/// `rows_affected` from `numberOfRecordsUpdated`, `last_insert_id` from MySQL's
/// `generatedFields` (the first generated key, as `LAST_INSERT_ID()` reports for a
/// multi-row insert).
///
/// A statement that returns a result set reports `numberOfRecordsUpdated` 0 (JDBC's update
/// count is -1 then), so a DML statement with `RETURNING` (SeaORM adds one to inserts with
/// a set primary key on PostgreSQL) counts its returned rows, as PostgreSQL's command tag
/// does.
fn exec_result(
    out: aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput,
    dml: bool,
) -> ProxyExecResult {
    let returned = out.records.as_ref().map_or(0, Vec::len);
    let last_insert_id = out
        .generated_fields
        .as_deref()
        .and_then(|f| f.first())
        .and_then(|f| match f {
            Field::LongValue(v) => u64::try_from(*v).ok(),
            Field::StringValue(s) => s.parse().ok(),
            _ => None,
        })
        .unwrap_or(0);
    ProxyExecResult {
        last_insert_id,
        rows_affected: match u64::try_from(out.number_of_records_updated).unwrap_or(0) {
            0 if dml => returned as u64,
            n => n,
        },
    }
}

/// Savepoint names by nesting depth (depth 1 is the Data API transaction itself).
pub(crate) fn savepoint_name(depth: usize) -> String {
    format!("aurora_sea_orm_sp_{depth}")
}
