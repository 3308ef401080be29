//! What the session reads off a statement's text before sending it: whether it only reads
//! (a retry outside a transaction cannot apply it twice) and whether it can be read page by
//! page. Kept with a statement from diesel's cacheable queries, so a repeated query is not
//! lexed again.

use crate::client::retry::is_read_only;
use crate::engine::Engine;
use crate::sql::Lexer;

/// See the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    /// SELECT / SHOW / EXPLAIN / VALUES / WITH / TABLE naming no writing or locking word.
    pub read_only: bool,
    /// A read that starts with a word its engine's paging takes: on PostgreSQL what a
    /// `DECLARE … CURSOR` takes (SELECT, VALUES, TABLE, WITH), on MySQL a SELECT (keyset
    /// pages).
    pub pageable: bool,
}

impl Shape {
    pub fn of(sql: &str, engine: Engine) -> Shape {
        let read_only = is_read_only(sql);
        Shape {
            read_only,
            pageable: read_only && starts_pageable(sql, engine),
        }
    }
}

fn starts_pageable(sql: &str, engine: Engine) -> bool {
    let starts: &[&str] = match engine {
        Engine::Postgres => &["SELECT", "VALUES", "TABLE", "WITH"],
        Engine::Mysql => &["SELECT"],
    };
    let first = Lexer::new(sql, engine)
        .filter_map(Result::ok)
        .find(|t| !t.is_trivia());
    matches!(first, Some(t) if starts.iter().any(|k| t.is_keyword(k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_writes_and_pages() {
        let pg = |sql| Shape::of(sql, Engine::Postgres);
        let my = |sql| Shape::of(sql, Engine::Mysql);
        let (page, read, write) = (
            Shape {
                read_only: true,
                pageable: true,
            },
            Shape {
                read_only: true,
                pageable: false,
            },
            Shape {
                read_only: false,
                pageable: false,
            },
        );
        assert_eq!(pg("SELECT 1"), page);
        assert_eq!(pg("/* c */ with x AS (SELECT 1) SELECT * FROM x"), page);
        assert_eq!(pg("SHOW search_path"), read);
        assert_eq!(pg("SELECT nextval('s')"), write);
        assert_eq!(pg("INSERT INTO t VALUES (1) RETURNING id"), write);
        assert_eq!(my("SELECT 1"), page);
        assert_eq!(my("VALUES (1)"), read);
        assert_eq!(my("UPDATE t SET a = 1"), write);
    }
}
