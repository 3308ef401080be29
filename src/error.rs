//! Data API errors → diesel errors: SQLSTATE (PostgreSQL) or MySQL error codes become
//! `DatabaseErrorKind`s users can `match` on, with message, details, hint and the table /
//! column / constraint names the message carries.

use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error};

use crate::client::{DataApiError, DataApiErrorKind};

/// The parts of a database error message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The primary message (without `ERROR: ` and the trailing fields).
    pub message: String,
    /// `Detail:` field.
    pub details: Option<String>,
    /// `Hint:` field.
    pub hint: Option<String>,
    /// 1-based `Position:` in the statement.
    pub position: Option<usize>,
    /// SQLSTATE code.
    pub sqlstate: Option<String>,
    /// MySQL error number.
    pub mysql_code: Option<u32>,
    /// Table named by the message.
    pub table: Option<String>,
    /// Column named by the message.
    pub column: Option<String>,
    /// Constraint named by the message.
    pub constraint: Option<String>,
}

impl DatabaseErrorInformation for ErrorInfo {
    fn message(&self) -> &str {
        &self.message
    }
    fn details(&self) -> Option<&str> {
        self.details.as_deref()
    }
    fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }
    fn table_name(&self) -> Option<&str> {
        self.table.as_deref()
    }
    fn column_name(&self) -> Option<&str> {
        self.column.as_deref()
    }
    fn constraint_name(&self) -> Option<&str> {
        self.constraint.as_deref()
    }
    fn statement_position(&self) -> Option<i32> {
        self.position.and_then(|p| i32::try_from(p).ok())
    }
    /// The `SQLState:` of the Data API's message, as diesel's own connections report the
    /// server's code (compare with `diesel::pg::sql_state` / `diesel::mysql_like::sql_state`).
    fn sqlstate(&self) -> Option<diesel::result::SqlState> {
        self.sqlstate.as_deref()?.parse().ok()
    }
}

/// Splits `text` at the last occurrence of `; <label>: ` and returns (rest, value).
fn take_field<'a>(text: &'a str, label: &str) -> (&'a str, Option<&'a str>) {
    let marker = format!("; {label}: ");
    match text.rfind(&marker) {
        Some(at) => (&text[..at], Some(&text[at + marker.len()..])),
        None => (text, None),
    }
}

/// The first `"quoted"` name after `prefix` in `text`.
fn quoted_after(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)? + prefix.len();
    let rest = text[start..].strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// Parses a PostgreSQL message as the Data API shapes it:
/// `ERROR: <msg>[; Detail: …][; Hint: …][; Position: N]; SQLState: XXXXX`.
pub fn parse_pg_message(text: &str) -> ErrorInfo {
    let (rest, sqlstate) = take_field(text, "SQLState");
    let (rest, position) = take_field(rest, "Position");
    let (rest, hint) = take_field(rest, "Hint");
    let (rest, details) = take_field(rest, "Detail");
    let message = ["ERROR: ", "FATAL: ", "PANIC: "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .unwrap_or(rest)
        .to_string();
    let mut info = ErrorInfo {
        details: details.map(str::to_string),
        hint: hint.map(str::to_string),
        position: position.and_then(|p| p.trim().parse().ok()),
        sqlstate: sqlstate.map(|s| s.trim().to_string()),
        table: quoted_after(&message, "relation ").or_else(|| quoted_after(&message, "table ")),
        column: quoted_after(&message, "column "),
        constraint: quoted_after(&message, "constraint "),
        ..Default::default()
    };
    // "null value in column "c" of relation "t" violates not-null constraint" names both.
    if info.table.is_none() {
        info.table = quoted_after(&message, "of relation ");
    }
    info.message = message;
    info
}

/// Parses a MySQL message as the Data API shapes it: `<msg>; Error code: N; SQLState: XXXXX`.
pub fn parse_mysql_message(text: &str) -> ErrorInfo {
    let (rest, sqlstate) = take_field(text, "SQLState");
    let (rest, code) = take_field(rest, "Error code");
    let backticked = |prefix: &str| -> Option<String> {
        let start = rest.find(prefix)? + prefix.len();
        let body = rest[start..]
            .strip_prefix('`')
            .or_else(|| rest[start..].strip_prefix('\''))?;
        let end = body.find(['`', '\''])?;
        Some(body[..end].to_string())
    };
    ErrorInfo {
        message: rest.to_string(),
        sqlstate: sqlstate.map(|s| s.trim().to_string()),
        mysql_code: code.and_then(|c| c.trim().parse().ok()),
        column: backticked("Column ").or_else(|| backticked("column ")),
        constraint: backticked("CONSTRAINT ")
            .or_else(|| backticked("constraint "))
            .or_else(|| backticked("key ")),
        table: backticked("Table "),
        ..Default::default()
    }
}

/// `DatabaseErrorKind` for a SQLSTATE.
pub fn kind_for_sqlstate(state: &str) -> DatabaseErrorKind {
    match state {
        "23505" => DatabaseErrorKind::UniqueViolation,
        "23503" => DatabaseErrorKind::ForeignKeyViolation,
        "23502" => DatabaseErrorKind::NotNullViolation,
        "23514" => DatabaseErrorKind::CheckViolation,
        "40001" | "40P01" => DatabaseErrorKind::SerializationFailure,
        "25006" => DatabaseErrorKind::ReadOnlyTransaction,
        "57P01" | "57P02" | "57P03" => DatabaseErrorKind::ClosedConnection,
        s if s.starts_with("08") => DatabaseErrorKind::ClosedConnection,
        _ => DatabaseErrorKind::Unknown,
    }
}

/// `DatabaseErrorKind` for a MySQL error number.
pub fn kind_for_mysql_code(code: u32) -> DatabaseErrorKind {
    match code {
        1062 | 1586 => DatabaseErrorKind::UniqueViolation,
        1451 | 1452 | 1216 | 1217 => DatabaseErrorKind::ForeignKeyViolation,
        1048 | 1364 => DatabaseErrorKind::NotNullViolation,
        3819 | 4025 => DatabaseErrorKind::CheckViolation,
        1213 | 1205 => DatabaseErrorKind::SerializationFailure,
        1792 => DatabaseErrorKind::ReadOnlyTransaction,
        2006 | 2013 => DatabaseErrorKind::ClosedConnection,
        _ => DatabaseErrorKind::Unknown,
    }
}

pub use crate::engine::Engine;

/// What to do about a column type the Data API cannot return (money, geometric types,
/// macaddr, daterange, tsrange, multi-dimensional arrays, composites and records, …).
pub(crate) const UNSUPPORTED_RESULT_REMEDY: &str = "the Data API cannot return values of this \
    column type: select the column cast to text (`col::text` on PostgreSQL, `CAST(col AS CHAR)` \
    on MySQL) and parse the text, or select a supported type (`col::numeric` for money, \
    `array_to_json(col)` for multi-dimensional arrays, `to_json(col)` for composite values \
    and records)";

/// Converts a Data API error into the diesel error a native connection would give.
pub fn to_diesel(error: DataApiError, engine: Engine) -> Error {
    let info = match error.kind() {
        DataApiErrorKind::DatabaseError if error.message().contains("allowed response size limit") => ErrorInfo {
            message: format!(
                "{}: {} (a Data API call returns at most 1 MiB, and an open transaction is ended by it; \
                 reads outside a transaction page by themselves (on MySQL when ordered by a unique \
                 key); inside one, turn on `set_cursor_reads_in_transactions(true)` or use \
                 aurora_data_api::paging::load_in_pages)",
                error.code(),
                error.message()
            ),
            ..Default::default()
        },
        DataApiErrorKind::DatabaseError => {
            let info = match engine {
                Engine::Postgres => parse_pg_message(error.message()),
                Engine::Mysql => parse_mysql_message(error.message()),
            };
            let kind = match (engine, &info.sqlstate, info.mysql_code) {
                (Engine::Mysql, _, Some(code)) => kind_for_mysql_code(code),
                (_, Some(state), _) => kind_for_sqlstate(state),
                _ => DatabaseErrorKind::Unknown,
            };
            return Error::DatabaseError(kind, Box::new(info));
        }
        DataApiErrorKind::UnsupportedResult => ErrorInfo {
            message: format!("{error} ({UNSUPPORTED_RESULT_REMEDY})"),
            ..Default::default()
        },
        DataApiErrorKind::TransactionNotFound => ErrorInfo {
            message: format!(
                "{}: {} (the Data API ends a transaction after 3 minutes without a call, 24 hours in all, or when a result exceeds 1 MiB)",
                error.code(),
                error.message()
            ),
            ..Default::default()
        },
        _ => ErrorInfo { message: error.to_string(), ..Default::default() },
    };
    let kind = match error.kind() {
        DataApiErrorKind::Transport => DatabaseErrorKind::ClosedConnection,
        _ => DatabaseErrorKind::Unknown,
    };
    Error::DatabaseError(kind, Box::new(info))
}

/// The kind of Data API failure behind a diesel error from one of this crate's connections,
/// for deciding what to tell a caller: `Some(DatabaseError)` for an error the database
/// raised (match on the diesel `DatabaseErrorKind` / `sqlstate()` for which), the service's
/// kind otherwise — e.g. [`DataApiErrorKind::DatabaseResuming`] once the client's retries
/// could not wait out a resuming cluster (answer HTTP 503 with `Retry-After`), or
/// [`DataApiErrorKind::Transport`] when no answer came. `None` for errors that did not come
/// from the Data API (diesel's own `NotFound`, deserialization, …).
///
/// ```
/// use aurora_data_api::client::DataApiErrorKind;
/// use aurora_data_api::error::data_api_error_kind;
/// assert_eq!(data_api_error_kind(&diesel::result::Error::NotFound), None);
/// ```
pub fn data_api_error_kind(error: &Error) -> Option<DataApiErrorKind> {
    let Error::DatabaseError(_, info) = error else {
        return None;
    };
    if info.sqlstate().is_some() {
        return Some(DataApiErrorKind::DatabaseError);
    }
    // Every other error this crate makes starts with the code (`DataApiError`'s Display).
    let (code, _) = info.message().split_once(": ")?;
    DataApiErrorKind::from_any_code(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pg_unique_violation() {
        let info = parse_pg_message(
            "ERROR: duplicate key value violates unique constraint \"users_email_key\"; Detail: Key (email)=(a@b) already exists.; SQLState: 23505",
        );
        assert_eq!(
            info.message,
            "duplicate key value violates unique constraint \"users_email_key\""
        );
        assert_eq!(
            info.details.as_deref(),
            Some("Key (email)=(a@b) already exists.")
        );
        assert_eq!(info.constraint.as_deref(), Some("users_email_key"));
        assert_eq!(
            kind_for_sqlstate(info.sqlstate.as_deref().unwrap()),
            DatabaseErrorKind::UniqueViolation
        );
    }

    #[test]
    fn pg_not_null_names_column_and_table() {
        let info = parse_pg_message(
            "ERROR: null value in column \"title\" of relation \"books\" violates not-null constraint; Detail: Failing row contains (1, null).; SQLState: 23502",
        );
        assert_eq!(info.column.as_deref(), Some("title"));
        assert_eq!(info.table.as_deref(), Some("books"));
    }

    #[test]
    fn pg_position_and_hint() {
        let info = parse_pg_message("ERROR: column \"x\" does not exist; Hint: Perhaps you meant \"y\".; Position: 8; SQLState: 42703");
        assert_eq!(info.position, Some(8));
        assert_eq!(info.hint.as_deref(), Some("Perhaps you meant \"y\"."));
        assert_eq!(info.column.as_deref(), Some("x"));
    }

    #[test]
    fn mysql_duplicate_entry() {
        let info = parse_mysql_message(
            "Duplicate entry 'a' for key 'email'; Error code: 1062; SQLState: 23000",
        );
        assert_eq!(info.mysql_code, Some(1062));
        assert_eq!(info.message, "Duplicate entry 'a' for key 'email'");
        assert_eq!(info.constraint.as_deref(), Some("email"));
        assert_eq!(
            kind_for_mysql_code(1062),
            DatabaseErrorKind::UniqueViolation
        );
    }

    #[test]
    fn classifies_through_data_api_errors() {
        let e = DataApiError::from_service(
            "DatabaseErrorException",
            "ERROR: could not serialize access; SQLState: 40001",
        );
        assert!(matches!(
            to_diesel(e, Engine::Postgres),
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _)
        ));
        let e = DataApiError::from_service(
            "TransactionNotFoundException",
            "Transaction abc is not found",
        );
        let Error::DatabaseError(_, info) = to_diesel(e, Engine::Postgres) else {
            panic!()
        };
        assert!(info.message().contains("3 minutes"));
    }

    #[test]
    fn data_api_error_kind_names_the_failure_behind_a_diesel_error() {
        let kind_of = |code: &str, message: &str| {
            data_api_error_kind(&to_diesel(
                DataApiError::from_service(code, message),
                Engine::Postgres,
            ))
        };
        assert_eq!(
            kind_of("DatabaseResumingException", "The database is resuming"),
            Some(DataApiErrorKind::DatabaseResuming)
        );
        assert_eq!(
            kind_of(
                "TransactionNotFoundException",
                "Transaction abc is not found"
            ),
            Some(DataApiErrorKind::TransactionNotFound)
        );
        assert_eq!(
            kind_of(
                "DatabaseErrorException",
                "Database returned more than the allowed response size limit"
            ),
            Some(DataApiErrorKind::DatabaseError)
        );
        assert_eq!(
            kind_of(
                "DatabaseErrorException",
                "ERROR: duplicate key value violates unique constraint \"k\"; SQLState: 23505"
            ),
            Some(DataApiErrorKind::DatabaseError)
        );
        assert_eq!(
            kind_of(
                "UnsupportedResultException",
                "The result contains the unsupported data type money."
            ),
            Some(DataApiErrorKind::UnsupportedResult)
        );
        assert_eq!(data_api_error_kind(&Error::NotFound), None);
        assert_eq!(data_api_error_kind(&Error::RollbackTransaction), None);
    }
}
