//! Loading results larger than the Data API's 1 MiB per call. Mostly nothing to do: `load`,
//! `load_iter` (sync) and `load_stream` (async) read such a result page by page by
//! themselves — a PostgreSQL cursor, MySQL keyset pages over the query's `ORDER BY` on a
//! unique key — outside transactions, and inside them with
//! `set_cursor_reads_in_transactions(true)` (see the README's "Large data").
//!
//! [`load_in_pages`] is that path for one query, inside a transaction too, without changing
//! the connection's setting:
//!
//! ```no_run
//! # use diesel::prelude::*;
//! # diesel::table! { events (id) { id -> Int8, body -> Text } }
//! # fn demo(conn: &mut aurora_data_api::pg::DataApiPgConnection) -> QueryResult<()> {
//! use aurora_data_api::paging::load_in_pages;
//! let all: Vec<(i64, String)> = load_in_pages(conn, events::table.order_by(events::id), 1_000)?;
//! # Ok(()) }
//! ```

use diesel::query_dsl::LoadQuery;
use diesel::{Connection, QueryResult};

use crate::connection::{Adapter, SyncDieselConnection};

/// Loads every row of `query` page by page in one transaction (a savepoint if one is already
/// open), whatever the result's size: the connection's own paging, turned on for this call.
/// On MySQL the query must end in `ORDER BY` on a unique key (the error says so otherwise).
/// `page_size` must be positive; pages are sized by the bytes of the widest row read (at most
/// half the response limit each), which keeps every page under the Data API's limit whatever
/// the row width.
pub fn load_in_pages<A, Q, U>(
    conn: &mut SyncDieselConnection<A>,
    query: Q,
    page_size: i64,
) -> QueryResult<Vec<U>>
where
    A: Adapter,
    Q: for<'q> LoadQuery<'q, SyncDieselConnection<A>, U>,
{
    if page_size <= 0 {
        return Err(diesel::result::Error::QueryBuilderError(
            format!("page_size must be positive, got {page_size}").into(),
        ));
    }
    let previous = conn.cursor_reads_in_transactions();
    conn.set_cursor_reads_in_transactions(true);
    let result = conn.transaction(|conn| query.load(conn));
    conn.set_cursor_reads_in_transactions(previous);
    result
}
