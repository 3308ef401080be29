//! Diesel query → Data API statement for MySQL, done synchronously before any future:
//! diesel's `MysqlQueryBuilder` writes `?`, binds are collected as diesel's bytes and
//! re-encoded as Data API parameters; a placeholder gets a `CAST` only where the plain
//! value would lose information (DATETIME(6), TIME(6), UNSIGNED).

use diesel::mysql::{Mysql, MysqlQueryBuilder};
use diesel::query_builder::bind_collector::RawBytesBindCollector;
use diesel::query_builder::{QueryBuilder, QueryFragment, QueryId};
use diesel::result::Error;
use diesel::QueryResult;

use super::codec::{encode_bind, write_placeholder, EncodedBind};
use crate::connection::statement_cache::{self, StatementCache};
use crate::engine::Engine;
use crate::session::{numbered_parameters, Prepared};
use crate::sql::{to_named_into, Dialect};

/// Builds the SQL text and parameters of `query`, the SQL from `cache` when diesel marks the
/// query cacheable and its binds need the casts it was built with.
pub(crate) fn prepare<T>(
    query: &T,
    cache: &mut StatementCache<Option<&'static str>>,
) -> QueryResult<Prepared>
where
    T: QueryFragment<Mysql> + QueryId + ?Sized,
{
    let key = statement_cache::key(query, &Mysql)?;
    let mut binds = RawBytesBindCollector::<Mysql>::new();
    query.collect_binds(&mut binds, &mut (), &Mysql)?;
    let encoded: Vec<EncodedBind> = binds
        .metadata
        .iter()
        .zip(&binds.binds)
        .map(|(ty, bytes)| encode_bind(*ty, bytes.as_deref()))
        .collect::<Result<_, _>>()
        .map_err(|e| Error::SerializationError(Box::new(e)))?;
    let casts = || encoded.iter().map(|bind| bind.wrap);
    let (sql, shape) = cache.sql(key, casts, Engine::Mysql, || rewrite(query, &encoded))?;
    Ok(Prepared {
        sql,
        params: numbered_parameters(encoded.into_iter().map(|bind| (bind.value, bind.type_hint))),
        shape: Some(shape),
    })
}

/// diesel's SQL of `query` with every `?` rewritten to the named placeholder of its bind.
fn rewrite<T>(query: &T, encoded: &[EncodedBind]) -> QueryResult<String>
where
    T: QueryFragment<Mysql> + ?Sized,
{
    let mut builder = MysqlQueryBuilder::new();
    query.to_sql(&mut builder, &Mysql)?;
    let sql = builder.finish();
    let named = to_named_into(&sql, Dialect::Mysql, |index, out| {
        write_placeholder(out, index, encoded.get(index - 1).and_then(|b| b.wrap))
    })
    .map_err(|e| Error::QueryBuilderError(Box::new(e)))?;
    Ok(named.sql)
}
