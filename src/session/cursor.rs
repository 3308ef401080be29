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

impl Session {
    /// Runs `prepared` through a cursor in transaction `tx` and returns all its rows.
    pub(crate) async fn read_through_cursor(
        &self,
        prepared: Prepared,
        tx: &str,
    ) -> Result<ExecuteStatementOutput, DataApiError> {
        let declare = Prepared {
            sql: format!("DECLARE {CURSOR} NO SCROLL CURSOR FOR {}", prepared.sql),
            params: prepared.params,
        };
        self.execute_one(declare, Some(tx)).await?;
        let target = self.client.limits().max_response_bytes / 4;
        let (mut page, mut widest) = (FIRST_PAGE, 0usize);
        let mut merged: Option<ExecuteStatementOutput> = None;
        loop {
            let fetch = Prepared::plain(format!("FETCH FORWARD {page} FROM {CURSOR}"));
            let mut out = match self.execute_one(fetch, Some(tx)).await {
                Ok(out) => out,
                Err(e) if is_response_too_large(&e) && page == 1 => {
                    return Err(DataApiError::client_side(
                        DataApiErrorKind::ResponseTooLarge,
                        "ResponseTooLarge",
                        format!(
                            "one row of the result is larger than the Data API's {} bytes per \
                             response, which no paging can split: select its widest columns \
                             separately (e.g. by primary key, one large column per query), or \
                             a substring / length of them",
                            self.client.limits().max_response_bytes
                        ),
                    ))
                }
                Err(e) => return Err(e),
            };
            let records = out.records.take().unwrap_or_default();
            let fetched = records.len();
            widest = records
                .iter()
                .map(|r| record_bytes(r))
                .fold(widest, usize::max);
            match &mut merged {
                None => {
                    out.records = Some(records);
                    merged = Some(out);
                }
                Some(total) => total.records.get_or_insert_with(Vec::new).extend(records),
            }
            if fetched < page {
                break;
            }
            page = (target / widest.max(1)).clamp(1, MAX_PAGE);
        }
        self.execute_one(Prepared::plain(format!("CLOSE {CURSOR}")), Some(tx))
            .await?;
        Ok(merged.unwrap_or_else(|| ExecuteStatementOutput::builder().build()))
    }
}
