//! PostgreSQL reads larger than one Data API response (1 MiB): the query runs through a
//! server-side cursor inside a Data API transaction, `FETCH FORWARD n` at a time, `n` adapted
//! to the bytes per row seen so every page stays well under the limit, and the pages are put
//! back together into one result — the rows and their order are the query's own.

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use aws_sdk_rdsdata::types::Field;

use super::{Prepared, Session};
use crate::client::{DataApiError, DataApiErrorKind};
use crate::sql::{Dialect, Lexer, TokenKind};

/// The cursor's name (one at a time per transaction: calls on a transaction are serialized).
const CURSOR: &str = "aurora_data_api_read";
/// Rows in the first page, before any row size is known: one, so that a single row too
/// large for a response is told apart from a page too large.
const FIRST_PAGE: usize = 1;
/// Most rows per page.
const MAX_PAGE: usize = 50_000;

/// Whether `error` is the Data API's "result over 1 MiB".
pub(crate) fn is_response_too_large(error: &DataApiError) -> bool {
    error.kind() == DataApiErrorKind::DatabaseError
        && error.message().contains("allowed response size limit")
}

/// Whether `sql` can be the query of a `DECLARE … CURSOR` (a SELECT, VALUES, TABLE or WITH
/// query that only reads).
pub(crate) fn cursor_capable(sql: &str) -> bool {
    let first = Lexer::new(sql, Dialect::Postgres)
        .filter_map(Result::ok)
        .find(|t| !t.is_trivia());
    matches!(first, Some(t) if t.kind == TokenKind::Word
        && ["SELECT", "VALUES", "TABLE", "WITH"].iter().any(|k| t.text.eq_ignore_ascii_case(k)))
        && crate::client::retry::is_read_only(sql)
}

/// An upper estimate of one record's share of the response JSON.
fn record_bytes(record: &[Field]) -> usize {
    record.iter().map(field_bytes).sum::<usize>() + 2
}

fn field_bytes(field: &Field) -> usize {
    match field {
        Field::StringValue(s) => s.len() + s.len() / 8 + 20,
        Field::BlobValue(b) => b.as_ref().len().div_ceil(3) * 4 + 20,
        Field::ArrayValue(a) => {
            use aws_sdk_rdsdata::types::ArrayValue;
            match a {
                ArrayValue::StringValues(v) => v
                    .iter()
                    .map(|s| s.as_deref().map_or(4, |s| s.len() + s.len() / 8 + 4))
                    .sum(),
                ArrayValue::ArrayValues(v) => v.len() * 64,
                _ => 24 * 8,
            }
        }
        _ => 24,
    }
}

/// A query being read through a cursor, one page per call of [`PagedRead::next_page`]: the
/// streaming form (rows page by page, memory bounded by a page). The transaction is the
/// caller's, or one of its own that ends with the last page (or [`PagedRead::abandon`]).
#[derive(Debug)]
pub(crate) struct PagedRead {
    session: Session,
    tx: String,
    own_tx: bool,
    page: usize,
    widest: usize,
    done: bool,
}

impl PagedRead {
    /// Declares the cursor for `prepared`, in `tx` or in a transaction begun for it.
    pub(crate) async fn open(
        session: &Session,
        prepared: Prepared,
        tx: Option<&str>,
    ) -> Result<Self, DataApiError> {
        let (tx, own_tx) = match tx {
            Some(tx) => (tx.to_owned(), false),
            None => (session.begin(None).await?, true),
        };
        let mut read = PagedRead {
            session: session.clone(),
            tx,
            own_tx,
            page: FIRST_PAGE,
            widest: 0,
            done: false,
        };
        let declare = Prepared {
            sql: format!("DECLARE {CURSOR} NO SCROLL CURSOR FOR {}", prepared.sql),
            params: prepared.params,
        };
        if let Err(e) = read.session.execute_one(declare, Some(&read.tx)).await {
            read.finish().await;
            return Err(e);
        }
        Ok(read)
    }

    /// The next page (with its column metadata), or `None` after the last one.
    pub(crate) async fn next_page(
        &mut self,
    ) -> Result<Option<ExecuteStatementOutput>, DataApiError> {
        if self.done {
            return Ok(None);
        }
        let fetch = Prepared::plain(format!("FETCH FORWARD {} FROM {CURSOR}", self.page));
        let out = match self.session.execute_one(fetch, Some(&self.tx)).await {
            Ok(out) => out,
            Err(e) => {
                let single_row = is_response_too_large(&e) && self.page == 1;
                self.finish().await;
                return Err(if single_row { self.row_too_large() } else { e });
            }
        };
        let records = out.records.as_deref().unwrap_or_default();
        let fetched = records.len();
        self.widest = records
            .iter()
            .map(|r| record_bytes(r))
            .fold(self.widest, usize::max);
        if fetched < self.page {
            self.finish().await;
        } else {
            let target = self.session.client.limits().max_response_bytes / 4;
            self.page = (target / self.widest.max(1)).clamp(1, MAX_PAGE);
        }
        Ok((fetched > 0).then_some(out))
    }

    /// Closes the cursor and ends the transaction if it is this read's own.
    async fn finish(&mut self) {
        if std::mem::replace(&mut self.done, true) {
            return;
        }
        if self.own_tx {
            let _ = self.session.end(&self.tx, false).await;
        } else {
            let close = Prepared::plain(format!("CLOSE {CURSOR}"));
            let _ = self.session.execute_one(close, Some(&self.tx)).await;
        }
    }

    fn row_too_large(&self) -> DataApiError {
        DataApiError::client_side(
            DataApiErrorKind::ResponseTooLarge,
            "ResponseTooLarge",
            format!(
                "one row of the result is larger than the Data API's {} bytes per response, \
                 which no paging can split: select its widest columns separately (e.g. by \
                 primary key, one large column per query), or a substring / length of them",
                self.session.client.limits().max_response_bytes
            ),
        )
    }
}

/// A read dropped before its last page: the cursor is closed (or its own transaction rolled
/// back) in the background, so nothing is left holding a transaction open.
impl Drop for PagedRead {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut rest = PagedRead {
            session: self.session.clone(),
            tx: std::mem::take(&mut self.tx),
            own_tx: self.own_tx,
            page: 0,
            widest: 0,
            done: false,
        };
        self.done = true;
        crate::runtime::spawn_waiting_at_most(
            async move { rest.finish().await },
            std::time::Duration::ZERO,
        );
    }
}
