//! The CLI's errors: each says what failed and maps to an exit code.

use std::fmt;
use std::process::ExitCode;

/// What went wrong, by the part of the job that failed.
#[derive(Debug)]
pub enum CliError {
    /// Bad URL, flags or environment (exit 2).
    Config(String),
    /// The Data API endpoint could not be reached or refused us (exit 3).
    Connection(String),
    /// A migration failed: which one, and the database's message (exit 4).
    Migration { migration: String, message: String },
    /// A statement failed (exit 5).
    Query(String),
    /// Reading or writing files (exit 6).
    Io(String),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            CliError::Config(_) => 2,
            CliError::Connection(_) => 3,
            CliError::Migration { .. } => 4,
            CliError::Query(_) => 5,
            CliError::Io(_) => 6,
        })
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Config(m) => write!(f, "configuration: {m}"),
            CliError::Connection(m) => write!(f, "cannot reach the Data API: {m}"),
            CliError::Migration { migration, message } => {
                write!(f, "migration {migration} failed: {message}")
            }
            CliError::Query(m) => write!(f, "{m}"),
            CliError::Io(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for CliError {}

/// A diesel error, as a query error unless it says the endpoint is unreachable.
pub fn from_diesel(e: diesel::result::Error) -> CliError {
    match &e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ClosedConnection,
            info,
        ) => CliError::Connection(info.message().to_string()),
        _ => CliError::Query(e.to_string()),
    }
}

/// A Data API client error: unreachable endpoints and auth problems are connection errors.
pub fn from_data_api(e: aurora_data_api::client::DataApiError) -> CliError {
    use aurora_data_api::client::DataApiErrorKind as K;
    match e.kind() {
        K::Transport | K::AccessDenied | K::Forbidden | K::NotFound => {
            CliError::Connection(e.to_string())
        }
        _ => CliError::Query(e.to_string()),
    }
}
