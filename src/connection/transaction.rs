//! The Diesel connections' view of the session: the open Data API transaction, and the
//! interception of the transaction SQL diesel's `AnsiTransactionManager` sends through
//! `batch_execute` (`BEGIN…`, `COMMIT`, `ROLLBACK`; savepoints run as statements).
//!
//! The transaction id lives behind an `Arc<Mutex>` so the `'static` futures the sync
//! connections run on the background runtime, and async futures that get dropped midway,
//! never lose it.

use std::sync::{Arc, Mutex, MutexGuard};

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use diesel::QueryResult;

use crate::client::DataApiClient;
use crate::engine::Engine;
use crate::error::to_diesel;
use crate::session::{Prepared, Query, Session};

/// A [`Session`] plus the Data API transaction diesel's transaction manager has open.
#[derive(Debug, Clone)]
pub(crate) struct DieselSession {
    pub session: Session,
    transaction: Arc<Mutex<Option<String>>>,
    /// MySQL `SET TRANSACTION …` issued outside a transaction: it applies to the next one, as
    /// in a MySQL session, so it is kept here and sent as that transaction's first statement.
    next_characteristics: Arc<Mutex<Option<String>>>,
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

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl DieselSession {
    pub fn new(client: DataApiClient, engine: Engine) -> Self {
        DieselSession {
            session: Session::new(client, engine),
            transaction: Arc::default(),
            next_characteristics: Arc::default(),
        }
    }

    /// Takes the open Data API transaction out of the session (the connection is going away).
    pub fn take_transaction(&self) -> Option<String> {
        lock(&self.transaction).take()
    }

    /// Whether a Data API transaction is open.
    pub fn in_transaction(&self) -> bool {
        lock(&self.transaction).is_some()
    }

    /// The open Data API transaction, if any.
    pub fn transaction_id(&self) -> Option<String> {
        lock(&self.transaction).clone()
    }

    fn engine(&self) -> Engine {
        self.session.engine
    }

    /// Runs one prepared statement, inside the current transaction if there is one.
    pub async fn execute(&self, prepared: Prepared) -> QueryResult<ExecuteStatementOutput> {
        let tx = self.transaction_id();
        self.session
            .execute(prepared, tx.as_deref())
            .await
            .map_err(|e| to_diesel(e, self.engine()))
    }

    /// Runs a query whose rows may come page by page (see [`Session::query`]).
    pub async fn query(&self, prepared: Prepared) -> QueryResult<Query> {
        let tx = self.transaction_id();
        self.session
            .query(prepared, tx.as_deref())
            .await
            .map_err(|e| to_diesel(e, self.engine()))
    }

    /// `batch_execute`: splits the SQL into statements and runs them in order, turning
    /// transaction control into Data API transaction calls.
    pub async fn batch_execute(&self, sql: String) -> QueryResult<()> {
        let statements = self
            .session
            .split(&sql)
            .map_err(|e| diesel::result::Error::QueryBuilderError(Box::new(e)))?;
        let total = statements.len();
        for (index, statement) in statements.into_iter().enumerate() {
            match classify(&statement) {
                Control::Begin(characteristics) => self.begin(characteristics).await?,
                Control::Commit => self.end(true).await?,
                Control::Rollback => self.end(false).await?,
                Control::SetTransaction(characteristics)
                    if self.engine() == Engine::Mysql && self.transaction_id().is_none() =>
                {
                    *lock(&self.next_characteristics) = Some(characteristics);
                }
                Control::SetTransaction(_) | Control::Statement => {
                    let tx = self.transaction_id();
                    self.session
                        .execute_script_statement(statement.clone(), tx.as_deref())
                        .await
                        .map_err(|e| {
                            in_statement(to_diesel(e, self.engine()), index, total, &statement)
                        })?;
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
        let pending = lock(&self.next_characteristics).take();
        let characteristics = characteristics.or(pending);
        let id = self
            .session
            .begin(characteristics.as_deref())
            .await
            .map_err(|e| to_diesel(e, self.engine()))?;
        *lock(&self.transaction) = Some(id);
        Ok(())
    }

    async fn end(&self, commit: bool) -> QueryResult<()> {
        // Whatever the answer, this Data API transaction is over afterwards.
        let Some(id) = lock(&self.transaction).take() else {
            // Like PostgreSQL: COMMIT / ROLLBACK without a transaction only warns.
            return Ok(());
        };
        self.session
            .end(&id, commit)
            .await
            .map_err(|e| to_diesel(e, self.engine()))
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
