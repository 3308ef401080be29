//! Database sessions behind the Data API: one enum over the per-engine executors, so the
//! HTTP layer, transactions and limits are engine-agnostic.

pub mod mysql;
pub mod mysql_types;
pub mod pg;
pub mod pg_types;

use crate::error::{messages, ApiError};
use crate::protocol::{ColumnMetadata, Field, SqlParameter};

/// The database engine of a cluster, chosen by the URL scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    Mysql,
}

/// How results are shaped (`resultSetOptions`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ResultOptions {
    /// `longReturnType = STRING`.
    pub long_as_string: bool,
    /// `decimalReturnType = DOUBLE_OR_LONG`.
    pub decimal_as_number: bool,
}

/// What one statement produced.
#[derive(Debug, Clone, Default)]
pub struct StatementResult {
    pub columns: Vec<ColumnMetadata>,
    pub records: Vec<Vec<Field>>,
    /// The statement returned a result set (SELECT, RETURNING, SHOW…).
    pub has_result_set: bool,
    pub updated: i64,
    /// MySQL auto-increment key of an INSERT.
    pub generated: Vec<Field>,
    /// The response carries `generatedFields` even when empty: MySQL statements without a
    /// result set (recorded UPDATE / DELETE responses of the real service have
    /// `"generatedFields": []`; other statements *unverified*).
    pub lists_generated: bool,
}

/// One database session (a connection) of either engine.
pub enum Session {
    Pg(pg::PgSession),
    Mysql(mysql::MysqlSession),
}

/// A way to cancel the statement running on a session, from another task.
#[derive(Clone)]
pub enum CancelHandle {
    Pg(tokio_postgres::CancelToken),
    Mysql { url: String, connection_id: u32 },
}

impl CancelHandle {
    /// Asks the database to cancel the running statement; best effort.
    pub async fn cancel(&self) {
        match self {
            CancelHandle::Pg(token) => {
                let _ = token.cancel_query(tokio_postgres::NoTls).await;
            }
            CancelHandle::Mysql { url, connection_id } => {
                mysql::kill_query(url, *connection_id).await
            }
        }
    }
}

impl Session {
    /// Opens a session on `url` (engine from the scheme), for `database` when given.
    pub async fn connect(
        engine: Engine,
        url: &str,
        database: Option<&str>,
    ) -> Result<Session, ApiError> {
        match engine {
            Engine::Postgres => pg::PgSession::connect(url, database).await.map(Session::Pg),
            Engine::Mysql => mysql::MysqlSession::connect(url, database)
                .await
                .map(Session::Mysql),
        }
    }

    /// Runs one statement with its named parameters.
    pub async fn execute(
        &mut self,
        sql: &str,
        params: &[SqlParameter],
        options: ResultOptions,
    ) -> Result<StatementResult, ApiError> {
        match self {
            Session::Pg(s) => s.execute(sql, params, options).await,
            Session::Mysql(s) => s.execute(sql, params, options).await,
        }
    }

    /// Runs plain SQL without parameters or results (BEGIN, COMMIT, ROLLBACK, …).
    pub async fn simple(&mut self, sql: &str) -> Result<(), ApiError> {
        match self {
            Session::Pg(s) => s.simple(sql).await,
            Session::Mysql(s) => s.simple(sql).await,
        }
    }

    /// Clears the session state a call may have left (temporary tables, `SET`s, prepared
    /// statements, advisory locks, user variables, …) before the session serves another
    /// call: on the real service no session state survives between calls.
    pub async fn reset(&mut self) -> Result<(), ApiError> {
        match self {
            Session::Pg(s) => s.reset().await,
            Session::Mysql(s) => s.reset().await,
        }
    }

    /// Handle to cancel a running statement.
    pub fn cancel_handle(&self) -> CancelHandle {
        match self {
            Session::Pg(s) => s.cancel_handle(),
            Session::Mysql(s) => s.cancel_handle(),
        }
    }

    /// Identifier reported as `dbConnectionId` (backend pid / MySQL connection id).
    pub fn connection_id(&self) -> i64 {
        match self {
            Session::Pg(s) => s.connection_id(),
            Session::Mysql(s) => s.connection_id(),
        }
    }

    /// False once the connection to the database is gone.
    pub fn is_usable(&self) -> bool {
        match self {
            Session::Pg(s) => s.is_usable(),
            Session::Mysql(s) => s.is_usable(),
        }
    }

    /// Starts a database transaction on this session. MySQL gets what JDBC's
    /// `setAutoCommit(false)` does: the transaction starts with its first statement, so a
    /// `SET TRANSACTION ISOLATION LEVEL …` sent first still applies to it.
    pub async fn begin(&mut self) -> Result<(), ApiError> {
        match self {
            Session::Pg(_) => self.simple("BEGIN").await,
            Session::Mysql(_) => self.simple("SET autocommit = 0").await,
        }
    }

    /// Ends the transaction (`COMMIT` or `ROLLBACK`) and restores autocommit on MySQL.
    pub async fn end(&mut self, sql: &str) -> Result<(), ApiError> {
        self.simple(sql).await?;
        match self {
            Session::Pg(_) => Ok(()),
            Session::Mysql(_) => self.simple("SET autocommit = 1").await,
        }
    }
}

/// First keyword is DDL that may change column definitions.
pub fn starts_ddl(sql: &str) -> bool {
    let word: String = sql
        .trim_start()
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_uppercase();
    matches!(word.as_str(), "ALTER" | "DROP" | "CREATE")
}

/// Matches positional slots to the request's parameters by name. Errors name the missing
/// parameter; array values are refused as the Data API does.
pub fn resolve_parameters<'p>(
    slots: &[String],
    params: &'p [SqlParameter],
) -> Result<Vec<&'p SqlParameter>, ApiError> {
    if params
        .iter()
        .any(|p| matches!(p.value, Some(Field::ArrayValue(_))))
    {
        return Err(ApiError::validation(messages::ARRAY_PARAMETERS));
    }
    slots
        .iter()
        .map(|slot| {
            params
                .iter()
                .find(|p| p.name.as_deref() == Some(slot.as_str()))
                .filter(|p| p.value.is_some())
                .ok_or_else(|| ApiError::bad_request(messages::missing_parameter(slot)))
        })
        .collect()
}

/// Validates a `typeHint` value's format, as the Data API does before binding.
pub fn check_hint_format(hint: &str, value: &str) -> Result<(), ApiError> {
    let ok = match hint {
        "DATE" => is_date(value),
        "TIME" => is_time(value),
        "TIMESTAMP" => {
            value.len() > 11
                && value.as_bytes()[10] == b' '
                && is_date(&value[..10])
                && is_time(&value[11..])
        }
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(messages::CANNOT_PARSE_DATE))
    }
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|c| c.is_ascii_digit())
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3 && digits(parts[0], 4) && digits(parts[1], 2) && digits(parts[2], 2)
}

fn is_time(s: &str) -> bool {
    let (hms, frac) = s.split_once('.').unwrap_or((s, "0"));
    let parts: Vec<&str> = hms.split(':').collect();
    parts.len() == 3
        && parts.iter().all(|p| digits(p, 2))
        && !frac.is_empty()
        && frac.len() <= 9
        && frac.bytes().all(|c| c.is_ascii_digit())
}

/// The parameter's typeHint, upper-cased, if any.
pub fn hint_of(p: &SqlParameter) -> Option<String> {
    p.type_hint.as_deref().map(str::to_ascii_uppercase)
}

/// Validates a typeHint name.
pub fn check_hint_name(p: &SqlParameter) -> Result<(), ApiError> {
    match hint_of(p).as_deref() {
        None | Some("DATE" | "TIME" | "TIMESTAMP" | "DECIMAL" | "UUID" | "JSON") => Ok(()),
        Some(other) => Err(ApiError::validation(format!(
            "1 validation error detected: Value '{other}' at 'typeHint' failed to satisfy constraint: Member must satisfy enum value set: [JSON, UUID, TIMESTAMP, DATE, TIME, DECIMAL]"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_formats() {
        assert!(check_hint_format("DATE", "2024-02-29").is_ok());
        assert!(check_hint_format("DATE", "2024-2-29").is_err());
        assert!(check_hint_format("TIME", "12:34:56.123456").is_ok());
        assert!(check_hint_format("TIMESTAMP", "2024-02-29 12:34:56").is_ok());
        assert!(check_hint_format("TIMESTAMP", "2024-02-29T12:34:56").is_err());
        assert!(check_hint_format("TIMESTAMP", "yesterday").is_err());
    }
}
