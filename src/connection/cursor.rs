//! The rows of a `load`: all of one response, or — a PostgreSQL read over one Data API
//! response — page by page from a server-side cursor as they are read, so `load_iter` (sync)
//! and `load_stream` (async) hold one page at a time.

use diesel::QueryResult;
use futures_util::stream::BoxStream;

use super::adapter::Adapter;
use super::row::DataApiRow;
use crate::error::to_diesel;
use crate::runtime::block_on;
use crate::session::{PagedRead, Query};

/// The sync `LoadConnection::Cursor`: rows of the current page, then the next page fetched
/// when they run out.
pub struct Cursor<A: Adapter> {
    rows: std::vec::IntoIter<DataApiRow<A::Cell>>,
    pages: Option<PagedRead>,
    expected: Vec<Option<A::Expected>>,
}

impl<A: Adapter> Cursor<A> {
    pub(crate) fn new(query: Query, expected: Vec<Option<A::Expected>>) -> QueryResult<Self> {
        Ok(match query {
            Query::All(out) => Cursor {
                rows: A::rows(out, &expected)?.into_iter(),
                pages: None,
                expected,
            },
            Query::Pages(pages) => Cursor {
                rows: Vec::new().into_iter(),
                pages: Some(*pages),
                expected,
            },
        })
    }
}

impl<A: Adapter> Iterator for Cursor<A> {
    type Item = QueryResult<DataApiRow<A::Cell>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.rows.next() {
                return Some(Ok(row));
            }
            let mut pages = self.pages.take()?;
            let (pages, page) = block_on(async move {
                let page = pages.next_page().await;
                (pages, page)
            });
            match page {
                Ok(Some(out)) => match A::rows(out, &self.expected) {
                    Ok(rows) => {
                        self.rows = rows.into_iter();
                        self.pages = Some(pages);
                    }
                    Err(e) => return Some(Err(e)),
                },
                Ok(None) => return None,
                Err(e) => return Some(Err(to_diesel(e, A::ENGINE))),
            }
        }
    }
}

/// The async connections' row stream: the same, as a `Stream`.
pub(crate) fn row_stream<A: Adapter>(
    query: Query,
) -> QueryResult<BoxStream<'static, QueryResult<DataApiRow<A::Cell>>>> {
    query.into_stream(|out| A::rows(out, &[]), |e| to_diesel(e, A::ENGINE))
}
