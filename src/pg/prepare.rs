//! Diesel query → Data API statement, done synchronously before any future is built (the
//! query itself is not `Send`): `to_sql` with diesel's own `PgQueryBuilder`, binds collected
//! as diesel's binary bytes and re-encoded as Data API parameters, and every `$N` rewritten
//! to `CAST(:pN AS <exact type>)` so parameters get the types a native connection sends.

use diesel::pg::{Pg, PgQueryBuilder};
use diesel::query_builder::bind_collector::RawBytesBindCollector;
use diesel::query_builder::{QueryBuilder, QueryFragment};
use diesel::result::Error;
use diesel::QueryResult;

use super::codec::{encode_bind, placeholder, EncodedBind, TypeRegistry};
use crate::session::{numbered_parameters, Prepared};
use crate::sql::{param_name, to_named_with, Dialect};

/// Builds the SQL text and parameters of `query`.
pub(crate) fn prepare<T>(query: &T, registry: &TypeRegistry) -> QueryResult<Prepared>
where
    T: QueryFragment<Pg> + ?Sized,
{
    let mut builder = PgQueryBuilder::new();
    query.to_sql(&mut builder, &Pg)?;
    let sql = builder.finish();
    let mut binds = RawBytesBindCollector::<Pg>::new();
    query.collect_binds(&mut binds, &mut registry.lookup(), &Pg)?;
    let encoded: Vec<EncodedBind> = binds
        .metadata
        .iter()
        .zip(&binds.binds)
        .map(|(meta, bytes)| encode_bind(meta, bytes.as_deref(), registry))
        .collect::<Result<_, _>>()
        .map_err(|e| Error::SerializationError(Box::new(e)))?;
    let named = to_named_with(&sql, Dialect::Postgres, |index| {
        match encoded.get(index - 1) {
            Some(bind) => placeholder(index, &bind.cast),
            // More placeholders than binds: leave it plain; the server names the missing one.
            None => format!(":{}", param_name(index)),
        }
    })
    .map_err(|e| Error::QueryBuilderError(Box::new(e)))?;
    Ok(Prepared {
        sql: named.sql,
        params: numbered_parameters(encoded.into_iter().map(|bind| (bind.value, None))),
    })
}
