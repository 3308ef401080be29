//! Loading results larger than the Data API's 1 MiB per-call limit: the query runs page by
//! page (`LIMIT` / `OFFSET`) inside one transaction.
//!
//! ```no_run
//! # use diesel::prelude::*;
//! # diesel::table! { events (id) { id -> Int8, body -> Text } }
//! # fn demo(conn: &mut aurora_data_api::pg::DataApiPgConnection) -> QueryResult<()> {
//! use aurora_data_api::paging::load_in_pages;
//! // `order_by` makes the pages well defined.
//! let all: Vec<(i64, String)> = load_in_pages(conn, events::table.order_by(events::id), 1_000)?;
//! # Ok(()) }
//! ```
//!
//! The query must be ordered by a unique key, or rows may repeat or go missing between pages.
//! PostgreSQL's default isolation (READ COMMITTED) gives each page its own snapshot; run the
//! helper inside `build_transaction().repeatable_read().run(…)` to read one consistent
//! snapshot. Choose `page_size` so a page stays well under 1 MiB. Async (diesel-async) code can
//! do the same loop with `.limit(n).offset(k)` inside `transaction`.

use diesel::connection::Connection;
use diesel::dsl::{Limit, Offset};
use diesel::query_dsl::methods::{LimitDsl, OffsetDsl};
use diesel::query_dsl::LoadQuery;
use diesel::{QueryResult, RunQueryDsl};

/// Loads every row of `query`, `page_size` rows per Data API call, in one transaction (a
/// savepoint if one is already open).
pub fn load_in_pages<Conn, Q, U>(conn: &mut Conn, query: Q, page_size: i64) -> QueryResult<Vec<U>>
where
    Conn: Connection,
    Q: LimitDsl + Clone,
    Limit<Q>: OffsetDsl,
    Offset<Limit<Q>>: for<'q> LoadQuery<'q, Conn, U>,
{
    if page_size <= 0 {
        return Err(diesel::result::Error::QueryBuilderError(
            format!("page_size must be positive, got {page_size}").into(),
        ));
    }
    conn.transaction(|conn| {
        let mut rows = Vec::new();
        let mut offset = 0;
        loop {
            let page: Vec<U> = query.clone().limit(page_size).offset(offset).load(conn)?;
            let full = page.len() as i64 == page_size;
            rows.extend(page);
            if !full {
                return Ok(rows);
            }
            offset += page_size;
        }
    })
}
