//! Diesel query → Data API statement for MySQL, done synchronously before any future:
//! diesel's `MysqlQueryBuilder` writes `?`, binds are collected as diesel's bytes and
//! re-encoded as Data API parameters; a placeholder gets a `CAST` only where the plain
//! value would lose information (DATETIME(6), TIME(6), UNSIGNED).

use diesel::mysql::{Mysql, MysqlQueryBuilder};
use diesel::query_builder::bind_collector::RawBytesBindCollector;
use diesel::query_builder::{QueryBuilder, QueryFragment};
use diesel::result::Error;
use diesel::QueryResult;

use super::codec::{encode_bind, placeholder, EncodedBind};
use crate::session::{numbered_parameters, Prepared};
use crate::sql::{to_named_with, Dialect};

/// Builds the SQL text and parameters of `query`.
pub(crate) fn prepare<T>(query: &T) -> QueryResult<Prepared>
where
    T: QueryFragment<Mysql> + ?Sized,
{
    let mut builder = MysqlQueryBuilder::new();
    query.to_sql(&mut builder, &Mysql)?;
    let sql = builder.finish();
    let mut binds = RawBytesBindCollector::<Mysql>::new();
    query.collect_binds(&mut binds, &mut (), &Mysql)?;
    let encoded: Vec<EncodedBind> = binds
        .metadata
        .iter()
        .zip(&binds.binds)
        .map(|(ty, bytes)| encode_bind(*ty, bytes.as_deref()))
        .collect::<Result<_, _>>()
        .map_err(|e| Error::SerializationError(Box::new(e)))?;
    let named = to_named_with(&sql, Dialect::Mysql, |index| {
        placeholder(index, encoded.get(index - 1).and_then(|b| b.wrap))
    })
    .map_err(|e| Error::QueryBuilderError(Box::new(e)))?;
    Ok(Prepared {
        sql: named.sql,
        params: numbered_parameters(encoded.into_iter().map(|bind| (bind.value, bind.type_hint))),
    })
}
