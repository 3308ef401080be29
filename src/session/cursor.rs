//! Reads larger than one Data API response (1 MiB), page by page inside one Data API
//! transaction: on PostgreSQL through a server-side cursor (`FETCH FORWARD n`), on MySQL in
//! keyset pages (see [`super::keyset`]); `n` is adapted to the bytes per row seen so every
//! page stays well under the limit. The rows and their order are the query's own.

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use aws_sdk_rdsdata::types::Field;

use super::keyset::{self, Keyset};
use super::{Prepared, Session};
use crate::client::{DataApiError, DataApiErrorKind};
use crate::engine::Engine;

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

/// The error for a MySQL result over 1 MiB that cannot be read in keyset pages.
fn not_pageable(reason: String) -> DataApiError {
    DataApiError::client_side(
        DataApiErrorKind::ResponseTooLarge,
        "ResponseTooLarge",
        reason,
    )
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
/// caller's, or one of its own that ends with the last page (or when the read is dropped).
#[derive(Debug)]
pub(crate) struct PagedRead {
    session: Session,
    tx: String,
    own_tx: bool,
    page: usize,
    widest: usize,
    done: bool,
    mode: Mode,
    /// The query, to measure a row too large for any page.
    query: Prepared,
    /// Rows read so far.
    rows_read: usize,
}

/// How the pages are read.
#[derive(Debug)]
enum Mode {
    /// PostgreSQL: `FETCH FORWARD` from a declared cursor.
    Cursor,
    /// MySQL: the query with a key condition and a `LIMIT` per page.
    Keyset(Box<KeysetRead>),
}

/// The state of a MySQL keyset read (its query is the read's own).
#[derive(Debug)]
struct KeysetRead {
    keyset: Keyset,
    /// Where the key columns are in a result row (known from the first page).
    key_at: Vec<usize>,
    /// The key values of the last row read.
    last: Option<Vec<Field>>,
}

impl PagedRead {
    /// Starts reading `prepared` page by page, in `tx` or in a transaction begun for it: on
    /// PostgreSQL declares the cursor; on MySQL checks the query can be read in keyset pages.
    pub(crate) async fn open(
        session: &Session,
        prepared: Prepared,
        tx: Option<&str>,
    ) -> Result<Self, DataApiError> {
        let mode = match session.engine {
            Engine::Postgres => Mode::Cursor,
            Engine::Mysql => Mode::Keyset(Box::new(KeysetRead {
                keyset: keyset::plan(&prepared.sql).map_err(not_pageable)?,
                key_at: Vec::new(),
                last: None,
            })),
        };
        let (tx, own_tx) = match tx {
            Some(tx) => (tx.to_owned(), false),
            // MySQL: one consistent snapshot for all the pages.
            None => (
                session
                    .begin(
                        Some("ISOLATION LEVEL REPEATABLE READ")
                            .filter(|_| session.engine == Engine::Mysql),
                    )
                    .await?,
                true,
            ),
        };
        let mut read = PagedRead {
            session: session.clone(),
            tx,
            own_tx,
            page: FIRST_PAGE,
            widest: 0,
            done: false,
            mode,
            query: prepared,
            rows_read: 0,
        };
        let opened = match &read.mode {
            Mode::Cursor => {
                let declare = Prepared {
                    sql: format!("DECLARE {CURSOR} NO SCROLL CURSOR FOR {}", read.query.sql),
                    params: read.query.params.clone(),
                    shape: None,
                };
                read.session
                    .execute_one(&declare, Some(&read.tx))
                    .await
                    .map(drop)
            }
            Mode::Keyset(k) => read.check_unique_key(k.keyset.clone()).await,
        };
        if let Err(e) = opened {
            read.finish().await;
            return Err(e);
        }
        Ok(read)
    }

    /// MySQL: the `ORDER BY` keys must cover a unique index of NOT NULL columns of their
    /// table, or the pages could skip or repeat rows.
    async fn check_unique_key(&self, keyset: Keyset) -> Result<(), DataApiError> {
        let table = keyset.table.clone().ok_or_else(|| {
            not_pageable(keyset::why_not(
                "the `ORDER BY` keys are not qualified with their table",
            ))
        })?;
        let sql = "SELECT INDEX_NAME, GROUP_CONCAT(COLUMN_NAME), MAX(NULLABLE = 'YES') \
                   FROM information_schema.STATISTICS \
                   WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t AND NON_UNIQUE = 0 \
                   GROUP BY INDEX_NAME";
        let query = Prepared {
            sql: sql.into(),
            params: vec![aws_sdk_rdsdata::types::SqlParameter::builder()
                .name("t")
                .value(Field::StringValue(table.clone()))
                .build()],
            shape: None,
        };
        let out = self.session.execute_one(&query, Some(&self.tx)).await?;
        let keys: Vec<String> = keyset.key_names().map(str::to_ascii_lowercase).collect();
        let unique = out.records.unwrap_or_default().iter().any(|r| {
            let columns = match r.get(1) {
                Some(Field::StringValue(c)) => c.to_ascii_lowercase(),
                _ => return false,
            };
            let nullable = matches!(
                r.get(2),
                Some(Field::LongValue(1)) | Some(Field::BooleanValue(true))
            );
            !nullable && columns.split(',').all(|c| keys.iter().any(|k| k == c))
        });
        if unique {
            Ok(())
        } else {
            Err(not_pageable(keyset::why_not(&format!(
                "the `ORDER BY` keys are not a unique key of NOT NULL columns of `{table}`"
            ))))
        }
    }

    /// The next page (with its column metadata), or `None` after the last one.
    pub(crate) async fn next_page(
        &mut self,
    ) -> Result<Option<ExecuteStatementOutput>, DataApiError> {
        if self.done {
            return Ok(None);
        }
        let statement = match &self.mode {
            Mode::Cursor => Prepared::plain(format!("FETCH FORWARD {} FROM {CURSOR}", self.page)),
            Mode::Keyset(k) => k.keyset.page(&self.query, k.last.as_deref(), self.page),
        };
        let out = match self.session.execute_one(&statement, Some(&self.tx)).await {
            Ok(out) => out,
            Err(e) => {
                let single_row = is_response_too_large(&e) && self.page == 1;
                self.finish().await;
                return Err(if single_row {
                    self.row_too_large().await
                } else {
                    e
                });
            }
        };
        if let Err(e) = self.remember_last_key(&out) {
            self.finish().await;
            return Err(e);
        }
        let records = out.records.as_deref().unwrap_or_default();
        let fetched = records.len();
        self.rows_read += fetched;
        self.widest = records
            .iter()
            .map(|r| record_bytes(r))
            .fold(self.widest, usize::max);
        if fetched < self.page {
            self.finish().await;
        } else {
            let target = self.session.client.limits().max_response_bytes / 2;
            self.page = (target / self.widest.max(1)).clamp(1, MAX_PAGE);
        }
        Ok((fetched > 0).then_some(out))
    }

    /// Closes the cursor and ends the transaction if it is this read's own.
    async fn finish(&mut self) {
        if !std::mem::replace(&mut self.done, true) {
            close(&self.session, &self.tx, self.own_tx).await;
        }
    }

    /// MySQL: the key values of the page's last row, where the next page starts.
    fn remember_last_key(&mut self, out: &ExecuteStatementOutput) -> Result<(), DataApiError> {
        let Mode::Keyset(k) = &mut self.mode else {
            return Ok(());
        };
        let KeysetRead {
            keyset,
            key_at,
            last,
            ..
        } = &mut **k;
        if key_at.is_empty() {
            let columns: Vec<String> = out
                .column_metadata
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(super::column_label)
                .collect();
            for key in keyset.key_names() {
                let at = columns
                    .iter()
                    .position(|c| c.eq_ignore_ascii_case(key))
                    .ok_or_else(|| {
                        not_pageable(keyset::why_not(&format!(
                            "the `ORDER BY` key `{key}` is not among the selected columns"
                        )))
                    })?;
                key_at.push(at);
            }
        }
        if let Some(row) = out.records.as_deref().and_then(<[_]>::last) {
            *last = Some(key_at.iter().map(|i| row[*i].clone()).collect());
        }
        Ok(())
    }

    /// The error for a row no page can hold, with its size and widest columns when they can
    /// be measured (a query of their lengths, outside the ended transaction).
    async fn row_too_large(&self) -> DataApiError {
        let limit = self.session.client.limits().max_response_bytes;
        let measured = match self.column_sizes().await {
            Some(mut sizes) if !sizes.is_empty() => {
                sizes.sort_by_key(|s| std::cmp::Reverse(s.1));
                let total: u64 = sizes.iter().map(|(_, n)| n).sum();
                let widest: Vec<String> = sizes
                    .iter()
                    .take(3)
                    .map(|(c, n)| format!("`{c}` ({n} bytes)"))
                    .collect();
                format!(
                    "row {} of the result is about {total} bytes; its widest columns are {}; ",
                    self.rows_read + 1,
                    widest.join(", ")
                )
            }
            _ => String::new(),
        };
        DataApiError::client_side(
            DataApiErrorKind::ResponseTooLarge,
            "ResponseTooLarge",
            format!(
                "{measured}one row of the result is larger than the Data API's {limit} bytes per \
                 response, which no paging can split: select its widest columns separately (e.g. \
                 by primary key, one large column per query), or a substring / length of them"
            ),
        )
    }

    /// The byte length of each column of the row after the ones read, by name.
    async fn column_sizes(&self) -> Option<Vec<(String, u64)>> {
        let offset = Field::LongValue(i64::try_from(self.rows_read).ok()?);
        let mut params = self.query.params.clone();
        params.push(
            aws_sdk_rdsdata::types::SqlParameter::builder()
                .name("aurora_offset")
                .value(offset)
                .build(),
        );
        let sql = match self.session.engine {
            Engine::Postgres => format!(
                "SELECT (SELECT json_object_agg(key, octet_length(value))::text \
                 FROM json_each_text(to_json(q))) FROM ({}) q OFFSET :aurora_offset LIMIT 1",
                self.query.sql
            ),
            Engine::Mysql => {
                // The column names first (no rows), then their lengths.
                let probe = Prepared {
                    sql: format!("SELECT * FROM ({}) q LIMIT 0", self.query.sql),
                    params: self.query.params.clone(),
                    shape: None,
                };
                let out = self.session.execute_one(&probe, None).await.ok()?;
                let names: Vec<String> = out
                    .column_metadata?
                    .iter()
                    .map(super::column_label)
                    .collect();
                let pairs: Vec<String> = names
                    .iter()
                    .map(|n| {
                        let quoted = n.replace('`', "``");
                        format!("'{}', LENGTH(q.`{quoted}`)", n.replace('\'', "''"))
                    })
                    .collect();
                format!(
                    "SELECT CAST(JSON_OBJECT({}) AS CHAR) FROM ({}) q LIMIT :aurora_offset, 1",
                    pairs.join(", "),
                    self.query.sql
                )
            }
        };
        let out = self
            .session
            .execute_one(&Prepared::new(sql, params), None)
            .await
            .ok()?;
        let Some(Field::StringValue(json)) = out.records?.first()?.first().cloned() else {
            return None;
        };
        let sizes: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&json).ok()?;
        Some(
            sizes
                .into_iter()
                .map(|(c, n)| (c, n.as_u64().unwrap_or(0)))
                .collect(),
        )
    }
}

/// Ends a read: rolls back its own transaction, or closes the PostgreSQL cursor in the
/// caller's (a MySQL keyset read leaves nothing open there).
async fn close(session: &Session, tx: &str, own_tx: bool) {
    if own_tx {
        let _ = session.end(tx, false).await;
    } else if session.engine == Engine::Postgres {
        let close = Prepared::plain(format!("CLOSE {CURSOR}"));
        let _ = session.execute_one(&close, Some(tx)).await;
    }
}

/// A read dropped before its last page: the cursor is closed (or its own transaction rolled
/// back) in the background, so nothing is left holding a transaction open.
impl Drop for PagedRead {
    fn drop(&mut self) {
        if std::mem::replace(&mut self.done, true) {
            return;
        }
        let (session, tx, own_tx) = (
            self.session.clone(),
            std::mem::take(&mut self.tx),
            self.own_tx,
        );
        crate::runtime::spawn_waiting_at_most(
            async move { close(&session, &tx, own_tx).await },
            std::time::Duration::ZERO,
        );
    }
}
