//! Statements too large for one Data API call (65,536 characters of SQL, 4 MiB of request):
//! a multi-row `INSERT … VALUES` is cut into row chunks that each fit both limits, measured
//! on what is actually sent; anything else is refused before sending with an error naming
//! the limit, the size and the remedy.

use std::collections::HashMap;

use aws_sdk_rdsdata::types::SqlParameter;

use super::Prepared;
use crate::client::limits::{
    parameter_bytes, request_bytes, sql_chars, sql_chars_against, too_large, Limits,
};
use crate::client::DataApiError;
use crate::engine::Engine;
use crate::sql::{named_placeholders, parse_multi_row_insert};

/// How a statement is sent.
#[derive(Debug)]
pub(crate) enum Plan {
    /// As it is.
    One(Prepared),
    /// As these statements, in order, in one transaction.
    Chunks(Vec<Prepared>),
}

/// Room kept under each limit: the request size is an estimate.
const MARGIN_PERCENT: usize = 2;

fn under(limit: usize) -> usize {
    limit - limit * MARGIN_PERCENT / 100
}

/// Whether `prepared` fits one call; if not, its chunks.
pub(crate) fn plan(
    prepared: Prepared,
    engine: Engine,
    limits: &Limits,
) -> Result<Plan, DataApiError> {
    let chars = sql_chars_against(&prepared.sql, limits.max_sql_chars);
    let bytes = request_bytes(&prepared.sql, &[&prepared.params]);
    if chars <= limits.max_sql_chars && bytes <= limits.max_request_bytes {
        return Ok(Plan::One(prepared));
    }
    let size = if chars > limits.max_sql_chars {
        format!(
            "the SQL is {chars} characters, over the Data API's limit of {}",
            limits.max_sql_chars
        )
    } else {
        format!(
            "the request would be about {bytes} bytes, over the Data API's limit of {}",
            limits.max_request_bytes
        )
    };
    let Some(insert) = parse_multi_row_insert(&prepared.sql, engine) else {
        return Err(too_large(size));
    };
    let by_name: HashMap<&str, &SqlParameter> = prepared
        .params
        .iter()
        .filter_map(|p| Some((p.name()?, p)))
        .collect();
    let params_of = |sql: &str| -> Vec<SqlParameter> {
        let mut names = named_placeholders(sql, engine);
        names.dedup();
        names
            .into_iter()
            .filter_map(|n| by_name.get(n).map(|p| (*p).clone()))
            .collect()
    };
    let shared = [params_of(insert.head), params_of(insert.tail)].concat();
    let text_bytes = |s: &str| s.len() + s.len() / 8;
    let base_chars = sql_chars(insert.head) + 1 + sql_chars(insert.tail);
    let base_bytes = 512
        + text_bytes(insert.head)
        + text_bytes(insert.tail)
        + shared.iter().map(parameter_bytes).sum::<usize>();
    let (max_chars, max_bytes) = (under(limits.max_sql_chars), under(limits.max_request_bytes));
    let mut chunks = Vec::new();
    let (mut rows, mut params): (Vec<&str>, Vec<SqlParameter>) = (Vec::new(), shared.clone());
    let (mut chars, mut bytes) = (base_chars, base_bytes);
    for row in &insert.rows {
        let row_params = params_of(row);
        let row_chars = sql_chars(row) + 2;
        let row_bytes = text_bytes(row) + 3 + row_params.iter().map(parameter_bytes).sum::<usize>();
        if base_chars + row_chars > max_chars || base_bytes + row_bytes > max_bytes {
            return Err(too_large(format!(
                "{size}, and one row of this INSERT alone needs {} characters / about {} bytes",
                base_chars + row_chars,
                base_bytes + row_bytes
            )));
        }
        if chars + row_chars > max_chars || bytes + row_bytes > max_bytes {
            chunks.push(Prepared {
                sql: insert.with_rows(&rows),
                params: std::mem::replace(&mut params, shared.clone()),
                shape: None,
            });
            rows.clear();
            (chars, bytes) = (base_chars, base_bytes);
        }
        rows.push(row);
        params.extend(row_params);
        chars += row_chars;
        bytes += row_bytes;
    }
    chunks.push(Prepared {
        sql: insert.with_rows(&rows),
        params,
        shape: None,
    });
    tracing::debug!(
        rows = insert.rows.len(),
        chunks = chunks.len(),
        "multi-row INSERT too large for one Data API call: sent in chunks in one transaction"
    );
    Ok(Plan::Chunks(chunks))
}

#[cfg(test)]
mod tests;
