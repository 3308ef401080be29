//! Diesel query → Data API statement, done synchronously before any future is built (the
//! query itself is not `Send`): `to_sql` with diesel's own `PgQueryBuilder`, binds collected
//! as diesel's binary bytes and re-encoded as Data API parameters, and every `$N` rewritten
//! to `:pN::<exact type>` so parameters get the types a native connection sends.

use std::borrow::Cow;

use diesel::pg::{Pg, PgQueryBuilder};
use diesel::query_builder::bind_collector::RawBytesBindCollector;
use diesel::query_builder::{QueryBuilder, QueryFragment, QueryId};
use diesel::result::Error;
use diesel::QueryResult;

use super::codec::{encode_bind, write_placeholder, EncodedBind, TypeRegistry};
use crate::connection::statement_cache::{self, StatementCache};
use crate::engine::Engine;
use crate::session::{numbered_parameters, Prepared};
use crate::sql::{to_named_into, Dialect};

/// Builds the SQL text and parameters of `query`, the SQL from `cache` when diesel marks the
/// query cacheable and its binds have the types it was built with.
pub(crate) fn prepare<T>(
    query: &T,
    registry: &TypeRegistry,
    cache: &mut StatementCache<Cow<'static, str>>,
) -> QueryResult<Prepared>
where
    T: QueryFragment<Pg> + QueryId + ?Sized,
{
    let key = statement_cache::key(query, &Pg)?;
    let mut binds = RawBytesBindCollector::<Pg>::new();
    query.collect_binds(&mut binds, &mut registry.lookup(), &Pg)?;
    let encoded: Vec<EncodedBind> = binds
        .metadata
        .iter()
        .zip(&binds.binds)
        .map(|(meta, bytes)| encode_bind(meta, bytes.as_deref(), registry))
        .collect::<Result<_, _>>()
        .map_err(|e| Error::SerializationError(Box::new(e)))?;
    let casts = || encoded.iter().map(|bind| bind.cast.clone());
    let (sql, shape) = cache.sql(key, casts, Engine::Postgres, || rewrite(query, &encoded))?;
    Ok(Prepared {
        sql,
        params: numbered_parameters(encoded.into_iter().map(|bind| (bind.value, None))),
        shape: Some(shape),
    })
}

/// diesel's SQL of `query` with every `$N` rewritten to the named, cast placeholder of the
/// `N`-th bind.
fn rewrite<T>(query: &T, encoded: &[EncodedBind]) -> QueryResult<String>
where
    T: QueryFragment<Pg> + ?Sized,
{
    let mut builder = PgQueryBuilder::new();
    query.to_sql(&mut builder, &Pg)?;
    let sql = builder.finish();
    // More placeholders than binds: the extra ones stay bare; the server names the missing one.
    let named = to_named_into(&sql, Dialect::Postgres, |index, out| {
        write_placeholder(
            out,
            index,
            encoded.get(index - 1).map(|bind| bind.cast.as_ref()),
        )
    })
    .map_err(|e| Error::QueryBuilderError(Box::new(e)))?;
    Ok(named.sql)
}
