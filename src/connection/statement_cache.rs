//! The rewritten SQL of the statements diesel marks as cacheable (a static [`QueryId`] and
//! `is_safe_to_cache_prepared`), per connection, as diesel's own connections cache their
//! prepared statements: a repeated query skips `to_sql`, the placeholder rewrite and the
//! lexer passes that read its shape; only its binds are collected and encoded again.
//!
//! The SQL of such a statement is the same every time, but the casts written into it come
//! from its binds' types (and, on MySQL, from whether a value is NULL), so an entry is used
//! only when the binds give the casts it was built with.

use std::any::TypeId;
use std::collections::HashMap;

use diesel::backend::Backend;
use diesel::query_builder::{QueryFragment, QueryId};
use diesel::QueryResult;

use crate::engine::Engine;
use crate::session::Shape;

/// Entries kept before the cache starts over (a program has as many static queries as it
/// has query types; this bounds a pathological one).
const MAX_ENTRIES: usize = 1024;

/// One statement's rewritten SQL, the casts it was written with, and its shape.
#[derive(Debug)]
pub(crate) struct Cached<C> {
    pub sql: String,
    pub casts: Vec<C>,
    pub shape: Shape,
}

/// The cache of one connection; `C` is what one bind contributes to the SQL (its cast).
#[derive(Debug)]
pub(crate) struct StatementCache<C> {
    entries: HashMap<TypeId, Cached<C>>,
}

impl<C> Default for StatementCache<C> {
    fn default() -> Self {
        StatementCache {
            entries: HashMap::new(),
        }
    }
}

/// The key of `query` if diesel would cache its prepared statement, else `None`.
pub(crate) fn key<T, DB>(query: &T, backend: &DB) -> QueryResult<Option<TypeId>>
where
    T: QueryFragment<DB> + QueryId + ?Sized,
    DB: Backend,
{
    Ok(match T::query_id() {
        Some(id) if query.is_safe_to_cache_prepared(backend)? => Some(id),
        _ => None,
    })
}

impl<C: PartialEq> StatementCache<C> {
    /// The entry for `key` if it was built with these `casts`.
    pub fn get(
        &self,
        key: Option<TypeId>,
        casts: impl ExactSizeIterator<Item = C>,
    ) -> Option<&Cached<C>> {
        let entry = self.entries.get(&key?)?;
        let mut casts = casts;
        (casts.len() == entry.casts.len()
            && entry.casts.iter().all(|c| casts.next().as_ref() == Some(c)))
        .then_some(entry)
    }

    /// The SQL and shape of a statement: the cached ones when `key`'s entry was built with
    /// these `casts`, else what `rewrite` writes (then remembered, when there is a key).
    pub fn sql<I>(
        &mut self,
        key: Option<TypeId>,
        casts: impl Fn() -> I,
        engine: Engine,
        rewrite: impl FnOnce() -> QueryResult<String>,
    ) -> QueryResult<(String, Shape)>
    where
        I: ExactSizeIterator<Item = C>,
    {
        if let Some(hit) = self.get(key, casts()) {
            return Ok((hit.sql.clone(), hit.shape));
        }
        let sql = rewrite()?;
        let shape = Shape::of(&sql, engine);
        if key.is_some() {
            let entry = Cached {
                sql: sql.clone(),
                casts: casts().collect(),
                shape,
            };
            self.insert(key, entry);
        }
        Ok((sql, shape))
    }

    /// Remembers the statement of `key` (nothing without a key).
    pub fn insert(&mut self, key: Option<TypeId>, entry: Cached<C>) {
        let Some(key) = key else { return };
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.clear();
        }
        self.entries.insert(key, entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(casts: Vec<&'static str>) -> Cached<&'static str> {
        Cached {
            sql: "SELECT 1".into(),
            casts,
            shape: Shape {
                read_only: true,
                pageable: true,
            },
        }
    }

    #[test]
    fn entries_are_used_only_with_the_casts_they_were_built_with() {
        let mut cache = StatementCache::default();
        let key = Some(TypeId::of::<u8>());
        cache.insert(key, entry(vec!["int4", "text"]));
        assert!(cache.get(key, ["int4", "text"].into_iter()).is_some());
        assert!(cache.get(key, ["int4", "int8"].into_iter()).is_none());
        assert!(cache.get(key, ["int4"].into_iter()).is_none());
        assert!(cache
            .get(Some(TypeId::of::<u16>()), ["int4", "text"].into_iter())
            .is_none());
        // Without a key nothing is kept or found.
        cache.insert(None, entry(vec![]));
        assert!(cache.get(None, [].into_iter()).is_none());
    }

    #[test]
    fn sql_is_rewritten_only_on_a_miss() {
        let mut cache = StatementCache::default();
        let key = Some(TypeId::of::<u8>());
        let mut rewrites = 0;
        let mut sql = |cache: &mut StatementCache<&'static str>, key, casts: [&'static str; 1]| {
            cache
                .sql(
                    key,
                    || casts.into_iter(),
                    Engine::Postgres,
                    || {
                        rewrites += 1;
                        Ok(format!("SELECT :p1::{}", casts[0]))
                    },
                )
                .unwrap()
        };
        let (first, shape) = sql(&mut cache, key, ["int4"]);
        assert_eq!(
            (first.as_str(), shape.read_only),
            ("SELECT :p1::int4", true)
        );
        assert_eq!(sql(&mut cache, key, ["int4"]).0, "SELECT :p1::int4");
        assert_eq!(sql(&mut cache, key, ["text"]).0, "SELECT :p1::text");
        sql(&mut cache, None, ["int4"]);
        sql(&mut cache, None, ["int4"]);
        assert_eq!(rewrites, 4, "a miss, a hit, other casts, two without a key");
    }
}
