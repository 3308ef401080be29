//! State shared by the Diesel connections of both engines: the Data API client and the
//! current Data API transaction, plus the interception of diesel's transaction SQL
//! (`BEGIN…`, `COMMIT`, `ROLLBACK`, savepoints) that `batch_execute` receives.
//!
//! The transaction id lives behind an `Arc<Mutex>` so the `'static` futures the sync
//! connections run on the background runtime, and async futures that get dropped midway,
//! never lose it.

use std::sync::{Arc, Mutex};

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use aws_sdk_rdsdata::types::SqlParameter;
use diesel::QueryResult;

use crate::client::{DataApiClient, DataApiErrorKind, ExecuteOptions};
use crate::error::{to_diesel, Engine};
use crate::sql::{split_statements, Dialect};

/// A statement ready to send: named-placeholder SQL and its parameters.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub sql: String,
    pub params: Vec<SqlParameter>,
}

/// The client and transaction state of one connection. Cheap to clone into futures.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub client: DataApiClient,
    pub engine: Engine,
    transaction: Arc<Mutex<Option<String>>>,
    /// MySQL `SET TRANSACTION …` issued outside a transaction: it applies to the next one, as
    /// in a MySQL session, so it is kept here and sent as that transaction's first statement.
    next_characteristics: Arc<Mutex<Option<String>>>,
    /// Options of every statement (e.g. `continueAfterTimeout` for long DDL).
    pub options: ExecuteOptions,
}

/// What one statement of a `batch_execute` means for the transaction.
#[derive(Debug, PartialEq, Eq)]
enum Control {
    /// `BEGIN` / `START TRANSACTION` with optional characteristics (`ISOLATION LEVEL …`).
    Begin(Option<String>),
    Commit,
    Rollback,
    /// `SET TRANSACTION <characteristics>` (without SESSION / GLOBAL).
    SetTransaction(String),
    /// Anything else (savepoints included) runs as a statement.
    Statement,
}

fn classify(statement: &str) -> Control {
    let words: Vec<String> = statement
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    match w.as_slice() {
        ["BEGIN"] | ["BEGIN", "WORK" | "TRANSACTION"] | ["START", "TRANSACTION"] => {
            Control::Begin(None)
        }
        ["BEGIN", "TRANSACTION" | "WORK", rest @ ..]
        | ["START", "TRANSACTION", rest @ ..]
        | ["BEGIN", rest @ ..]
            if !rest.is_empty()
                && matches!(rest[0], "ISOLATION" | "READ" | "DEFERRABLE" | "NOT") =>
        {
            Control::Begin(Some(rest.join(" ")))
        }
        ["COMMIT"]
        | ["COMMIT", "WORK" | "TRANSACTION"]
        | ["END"]
        | ["END", "WORK" | "TRANSACTION"] => Control::Commit,
        ["ROLLBACK"] | ["ROLLBACK", "WORK" | "TRANSACTION"] | ["ABORT"] => Control::Rollback,
        ["SET", "TRANSACTION", rest @ ..] if !rest.is_empty() => {
            Control::SetTransaction(rest.join(" "))
        }
        _ => Control::Statement,
    }
}

impl Session {
    pub fn new(client: DataApiClient, engine: Engine) -> Self {
        Session {
            client,
            engine,
            transaction: Arc::default(),
            next_characteristics: Arc::default(),
            options: ExecuteOptions::default(),
        }
    }

    /// The open Data API transaction, if any.
    pub fn transaction_id(&self) -> Option<String> {
        self.transaction
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_transaction(&self, id: Option<String>) {
        *self.transaction.lock().unwrap_or_else(|e| e.into_inner()) = id;
    }

    fn dialect(&self) -> Dialect {
        match self.engine {
            Engine::Postgres => Dialect::Postgres,
            Engine::Mysql => Dialect::Mysql,
        }
    }

    /// Runs one prepared statement, inside the current transaction if there is one.
    pub async fn execute(&self, prepared: Prepared) -> QueryResult<ExecuteStatementOutput> {
        self.execute_with(prepared, self.options.clone()).await
    }

    async fn execute_with(
        &self,
        prepared: Prepared,
        options: ExecuteOptions,
    ) -> QueryResult<ExecuteStatementOutput> {
        let tx = self.transaction_id();
        let result = self
            .client
            .execute(&prepared.sql, prepared.params, tx.as_deref(), options)
            .await;
        result.map_err(|e| to_diesel(e, self.engine))
    }

    /// `batch_execute`: splits the SQL into statements and runs them in order, turning
    /// transaction control into Data API transaction calls. Scripts (migrations above all)
    /// are DDL, which must not be cut off half-way, so their statements run with
    /// `continueAfterTimeout`.
    pub async fn batch_execute(&self, sql: String) -> QueryResult<()> {
        let script_options = ExecuteOptions {
            continue_after_timeout: true,
            ..self.options.clone()
        };
        let statements = split_statements(&sql, self.dialect())
            .map_err(|e| diesel::result::Error::QueryBuilderError(Box::new(e)))?;
        let total = statements.len();
        for (index, statement) in statements.into_iter().enumerate() {
            match classify(&statement) {
                Control::Begin(characteristics) => self.begin(characteristics).await?,
                Control::Commit => self.end(true).await?,
                Control::Rollback => self.end(false).await?,
                Control::SetTransaction(characteristics)
                    if self.engine == Engine::Mysql && self.transaction_id().is_none() =>
                {
                    *self
                        .next_characteristics
                        .lock()
                        .unwrap_or_else(|e| e.into_inner()) = Some(characteristics);
                }
                Control::SetTransaction(_) | Control::Statement => {
                    let prepared = Prepared {
                        sql: statement.clone(),
                        params: Vec::new(),
                    };
                    self.execute_with(prepared, script_options.clone())
                        .await
                        .map_err(|e| in_statement(e, index, total, &statement))?;
                }
            }
        }
        Ok(())
    }

    async fn begin(&self, characteristics: Option<String>) -> QueryResult<()> {
        if self.transaction_id().is_some() {
            // diesel's manager never nests BEGIN; a raw nested BEGIN is what PostgreSQL warns
            // about and ignores.
            tracing::warn!("BEGIN inside an open Data API transaction ignored");
            return Ok(());
        }
        let pending = self
            .next_characteristics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let characteristics = characteristics.or(pending);
        let id = self
            .client
            .begin_transaction()
            .await
            .map_err(|e| to_diesel(e, self.engine))?;
        self.set_transaction(Some(id));
        if let Some(characteristics) = characteristics {
            // The Data API begins the transaction itself; its characteristics are set as
            // its first statement, which PostgreSQL allows before any query and MySQL before
            // the first statement starts the transaction (JDBC with autocommit off).
            let set = Prepared {
                sql: format!("SET TRANSACTION {characteristics}"),
                params: Vec::new(),
            };
            if let Err(e) = self.execute(set).await {
                let _ = self.end(false).await;
                return Err(e);
            }
        }
        Ok(())
    }

    async fn end(&self, commit: bool) -> QueryResult<()> {
        let Some(id) = self.transaction_id() else {
            // Like PostgreSQL: COMMIT / ROLLBACK without a transaction only warns.
            return Ok(());
        };
        // Whatever the answer, this Data API transaction is over afterwards.
        self.set_transaction(None);
        let result = if commit {
            self.client.commit_transaction(&id).await
        } else {
            self.client.rollback_transaction(&id).await
        };
        match result {
            Ok(()) => Ok(()),
            // The server already rolled it back (expired, or ended by an error): a rollback
            // has nothing left to do, so the connection recovers.
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
            Err(e) => Err(to_diesel(e, self.engine)),
        }
    }
}

/// Says which statement of a multi-statement batch failed (migrations run whole files).
fn in_statement(
    error: diesel::result::Error,
    index: usize,
    total: usize,
    statement: &str,
) -> diesel::result::Error {
    use diesel::result::Error;
    match error {
        Error::DatabaseError(kind, info) if total > 1 => {
            let mut shown: String = statement.chars().take(120).collect();
            if shown.len() < statement.len() {
                shown.push('…');
            }
            let info = crate::error::ErrorInfo {
                message: format!(
                    "{} (statement {} of {total}: {shown})",
                    info.message(),
                    index + 1
                ),
                details: info.details().map(str::to_string),
                hint: info.hint().map(str::to_string),
                table: info.table_name().map(str::to_string),
                column: info.column_name().map(str::to_string),
                constraint: info.constraint_name().map(str::to_string),
                position: info
                    .statement_position()
                    .and_then(|p| usize::try_from(p).ok()),
                ..Default::default()
            };
            Error::DatabaseError(kind, Box::new(info))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_diesel_transaction_sql() {
        assert_eq!(classify("BEGIN"), Control::Begin(None));
        assert_eq!(
            classify("BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE"),
            Control::Begin(Some(
                "ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE".into()
            ))
        );
        assert_eq!(
            classify("START TRANSACTION READ ONLY"),
            Control::Begin(Some("READ ONLY".into()))
        );
        assert_eq!(classify("commit"), Control::Commit);
        assert_eq!(classify("ROLLBACK"), Control::Rollback);
        assert_eq!(
            classify("ROLLBACK TO SAVEPOINT diesel_savepoint_1"),
            Control::Statement
        );
        assert_eq!(classify("SAVEPOINT diesel_savepoint_1"), Control::Statement);
        assert_eq!(
            classify("RELEASE SAVEPOINT diesel_savepoint_1"),
            Control::Statement
        );
        assert_eq!(classify("BEGIN; SELECT 1"), Control::Statement);
        assert_eq!(
            classify("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"),
            Control::SetTransaction("ISOLATION LEVEL SERIALIZABLE".into())
        );
        assert_eq!(
            classify("SET SESSION TRANSACTION READ ONLY"),
            Control::Statement
        );
    }
}
