//! [`Adapter`]: what one engine brings to the generic Diesel connections — diesel's backend
//! type, the query → SQL + parameters step, the column types diesel expects, and rows from a
//! Data API result. Everything else (session, transactions, instrumentation, runtime) is
//! written once in the generic connections.

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use diesel::backend::{Backend, DieselReserveSpecialization};
use diesel::expression::QueryMetadata;
use diesel::query_builder::{QueryFragment, QueryId};
use diesel::QueryResult;

use super::row::{Cell, DataApiRow};
use crate::engine::Engine;
use crate::session::Prepared;

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// One engine's part of the Diesel connections. Implemented by this crate only
/// ([`crate::pg::PgAdapter`], [`crate::mysql::MysqlAdapter`]); users never name it except
/// through the connection type aliases.
pub trait Adapter: Sealed + Default + Send + Sync + 'static {
    /// diesel's own backend (`diesel::pg::Pg`, `diesel::mysql::Mysql`).
    type Backend: Backend<QueryBuilder: Default> + Default + DieselReserveSpecialization;
    /// One decoded value of a result row.
    type Cell: Cell<Self::Backend> + std::fmt::Debug + Clone + Send + 'static;
    /// What diesel's row metadata says a column holds (an OID, a `MysqlType`).
    type Expected: Copy + Send;
    /// The engine.
    const ENGINE: Engine;
    /// The public names of the sync and async connections (for `Debug`).
    const NAMES: (&'static str, &'static str);

    /// The SQL text (named placeholders) and parameters of `query`. Done synchronously,
    /// before any future is built: the query itself is not `Send`.
    #[doc(hidden)]
    fn prepare<T>(&mut self, query: &T) -> QueryResult<Prepared>
    where
        T: QueryFragment<Self::Backend> + QueryId;

    /// The column types diesel expects for a result of SQL type `ST` (sync `load`).
    #[doc(hidden)]
    fn expected_columns<ST>(&self) -> Vec<Option<Self::Expected>>
    where
        Self::Backend: QueryMetadata<ST>;

    /// Decodes every record of `output`; `expected` as from [`Adapter::expected_columns`] or
    /// empty.
    #[doc(hidden)]
    fn rows(
        output: ExecuteStatementOutput,
        expected: &[Option<Self::Expected>],
    ) -> QueryResult<Vec<DataApiRow<Self::Cell>>>;
}
