//! SeaORM on Aurora PostgreSQL and Aurora MySQL through the Data API (feature `sea-orm`).
//!
//! Two faces over one core (the crate's client, placeholder lexer, statement splitter and
//! error classification):
//!
//! - **Proxy** ([`connect_proxy`], [`DataApiProxy`]): a plain `sea_orm::DatabaseConnection`,
//!   so existing code that takes `&DatabaseConnection` (and `sea-orm-migration`) works
//!   unchanged. Built on SeaORM's `ProxyDatabaseTrait`, which cannot report a failed
//!   begin / commit, has no isolation level, and shares one transaction state per connection:
//!   see [`proxy`](DataApiProxy) for exactly what that means.
//! - **Native** ([`DataApiConnection`]): implements `ConnectionTrait`, `StreamTrait` and
//!   `TransactionTrait` directly, with its own [`DataApiTransaction`] whose `begin`, `commit`
//!   and `rollback` return the Data API's answer (fallible `BeginTransaction` / `CommitTransaction`),
//!   isolation level and access mode, independent transactions per `begin`, and
//!   [`positional`](DataApiConnection::positional) rows for `into_tuple`.
//!
//! ```no_run
//! use aurora_data_api::sea_orm::{connect_proxy, DataApiConnection};
//! use sea_orm::{ConnectionTrait, DbBackend, Statement};
//!
//! # async fn run() -> Result<(), sea_orm::DbErr> {
//! let url = "dataapi://shop?cluster_arn=arn:aws:rds:eu-west-1:123456789012:cluster:shop\
//!            &secret_arn=arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-AbCdEf";
//! let db = connect_proxy(url, DbBackend::Postgres).await?; // sea_orm::DatabaseConnection
//! let native = DataApiConnection::connect(url, DbBackend::Postgres).await?;
//! native.execute_raw(Statement::from_string(DbBackend::Postgres, "SELECT 1")).await?;
//! # let _ = db; Ok(()) }
//! ```
//!
//! Parameters: SeaORM's `$N` / `?` become `:pN`; on PostgreSQL each is `:pN::<type>`
//! with the type sqlx would bind (the Data API would bind strings as `text`). Results: each
//! column is decoded into the `sea_query::Value` variant its Rust type needs (SeaORM reads a
//! wrong variant as NULL), chosen from the column's `typeName` and [`TypeOptions`] for the
//! SQL types several Rust types share (NUMERIC, zoned timestamps) or that an engine does not
//! reveal (MariaDB's JSON is LONGTEXT: register the entity with [`TypeOptions::entity`]).
//! `last_insert_id` comes from MySQL's `generatedFields`, `rows_affected` from
//! `numberOfRecordsUpdated`; PostgreSQL inserts use `RETURNING`.
//!
//! Errors are `DbErr::Query` / `DbErr::Exec` / `DbErr::Conn` carrying the Data API's text;
//! [`error_kind`] and [`sql_err`] classify them (SeaORM's own `DbErr::sql_err` only knows
//! sqlx errors).

mod exec;
mod native;
mod proxy;
mod rows;
mod transaction;
mod values;

use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// The kinds [`error_kind`] names (diesel's enum, re-exported so SeaORM code can match on
/// them without depending on diesel).
pub use diesel::result::DatabaseErrorKind;

pub use exec::RowStream;
pub use native::DataApiConnection;
pub use proxy::{connect_proxy, DataApiProxy};
pub use rows::{TypeOptions, ValueKind};
pub use transaction::DataApiTransaction;

use crate::error::{kind_for_mysql_code, kind_for_sqlstate, parse_mysql_message, parse_pg_message};

/// The database error kind (unique / foreign key / not-null / check violation,
/// serialization failure, read-only transaction, …) of a `DbErr` returned by this module,
/// from the SQLSTATE or MySQL error code in the Data API's message. `None` for other errors.
pub fn error_kind(err: &DbErr) -> Option<DatabaseErrorKind> {
    let text = match err {
        DbErr::Query(RuntimeErr::Internal(t))
        | DbErr::Exec(RuntimeErr::Internal(t))
        | DbErr::Conn(RuntimeErr::Internal(t)) => t,
        _ => return None,
    };
    let message = text.strip_prefix("DatabaseErrorException: ")?;
    let mysql = parse_mysql_message(message);
    if let Some(code) = mysql.mysql_code {
        return Some(kind_for_mysql_code(code));
    }
    parse_pg_message(message)
        .sqlstate
        .map(|state| kind_for_sqlstate(&state))
}

/// The kind of Data API failure behind a `DbErr` from this module (as
/// [`crate::error::data_api_error_kind`] for Diesel): `Some(DatabaseError)` for an error the
/// database raised, e.g. `Some(DatabaseResuming)` once the client's retries could not wait
/// out a resuming cluster (answer HTTP 503 with `Retry-After`). `None` for SeaORM's own
/// errors (`RecordNotFound`, type errors, …).
pub fn data_api_error_kind(err: &DbErr) -> Option<crate::client::DataApiErrorKind> {
    let text = match err {
        DbErr::Query(RuntimeErr::Internal(t))
        | DbErr::Exec(RuntimeErr::Internal(t))
        | DbErr::Conn(RuntimeErr::Internal(t)) => t,
        _ => return None,
    };
    let (code, _) = text.split_once(": ")?;
    crate::client::DataApiErrorKind::from_any_code(code)
}

/// Like SeaORM's `DbErr::sql_err` (which only understands sqlx errors): the unique or
/// foreign-key violation a `DbErr` from this module reports, with the database's message.
pub fn sql_err(err: &DbErr) -> Option<SqlErr> {
    let text = err.to_string();
    match error_kind(err)? {
        DatabaseErrorKind::UniqueViolation => Some(SqlErr::UniqueConstraintViolation(text)),
        DatabaseErrorKind::ForeignKeyViolation => Some(SqlErr::ForeignKeyConstraintViolation(text)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_classified_from_the_data_api_text() {
        let pg = DbErr::Exec(RuntimeErr::Internal(
            "DatabaseErrorException: ERROR: duplicate key value violates unique constraint \"u\"; Detail: Key (a)=(1) already exists.; SQLState: 23505".into(),
        ));
        assert_eq!(error_kind(&pg), Some(DatabaseErrorKind::UniqueViolation));
        assert!(matches!(
            sql_err(&pg),
            Some(SqlErr::UniqueConstraintViolation(_))
        ));
        let my = DbErr::Exec(RuntimeErr::Internal(
            "DatabaseErrorException: Cannot add or update a child row; Error code: 1452; SQLState: 23000".into(),
        ));
        assert_eq!(
            error_kind(&my),
            Some(DatabaseErrorKind::ForeignKeyViolation)
        );
        assert!(matches!(
            sql_err(&my),
            Some(SqlErr::ForeignKeyConstraintViolation(_))
        ));
        assert_eq!(error_kind(&DbErr::RecordNotFound("x".into())), None);
        let other = DbErr::Conn(RuntimeErr::Internal("DispatchFailure: refused".into()));
        assert_eq!(error_kind(&other), None);
        use crate::client::DataApiErrorKind;
        assert_eq!(
            data_api_error_kind(&other),
            Some(DataApiErrorKind::Transport)
        );
        assert_eq!(
            data_api_error_kind(&pg),
            Some(DataApiErrorKind::DatabaseError)
        );
        let resuming = DbErr::Query(RuntimeErr::Internal(
            "DatabaseResumingException: The database is resuming".into(),
        ));
        assert_eq!(
            data_api_error_kind(&resuming),
            Some(DataApiErrorKind::DatabaseResuming)
        );
        assert_eq!(
            data_api_error_kind(&DbErr::RecordNotFound("x".into())),
            None
        );
    }
}
