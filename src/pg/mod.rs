//! Diesel on Aurora PostgreSQL through the Data API: [`DataApiPgConnection`] (sync, for
//! `diesel::PgConnection` users) and [`AsyncDataApiPgConnection`] (for
//! `diesel_async::AsyncPgConnection` users). Both use diesel's own `Pg` backend.

pub(crate) mod codec;
mod connection;
mod prepare;
mod row;

pub use connection::{
    AsyncDataApiPgConnection, AsyncFunc, AsyncTransactionBuilder, DataApiPgConnection, PgAdapter,
};
pub use row::{PgCell, PgField, PgRow};

/// Decodes a raw `ExecuteStatement` output into Diesel structs the way `load` does (for the
/// decode-cost benchmark; not part of the stable API).
#[doc(hidden)]
pub fn decode_output_for_bench<T, ST>(
    output: aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput,
) -> diesel::QueryResult<Vec<T>>
where
    T: diesel::deserialize::FromSqlRow<ST, diesel::pg::Pg>,
{
    row::rows_from_output(output, &[])?
        .iter()
        .map(|r| T::build_from_row(r).map_err(diesel::result::Error::DeserializationError))
        .collect()
}
