//! MySQL reads larger than one Data API response (1 MiB), which has no server-side cursor
//! over the Data API: keyset pages over the query's `ORDER BY` on a unique key, inside one
//! transaction (InnoDB's consistent snapshot at REPEATABLE READ), so the pages together are
//! exactly the rows of the query in its order. Each page is the query with
//! `(key…) > (last key…)` added to its `WHERE` and a `LIMIT`.

use aws_sdk_rdsdata::types::{Field, SqlParameter};

use super::Prepared;
use crate::sql::{Dialect, Lexer, Token, TokenKind};

/// A query cut for keyset paging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Keyset {
    /// The query up to its `WHERE` condition (or up to `ORDER BY` when it has none).
    select: String,
    /// The `WHERE` condition, if any, without the keyword.
    condition: Option<String>,
    /// `ORDER BY …` to the end.
    order_by: String,
    /// The key columns as written in `ORDER BY`, and their bare names.
    keys: Vec<(String, String)>,
    /// The table the key columns belong to (bare name), when qualified.
    pub table: Option<String>,
    descending: bool,
}

/// Why a query cannot be read in keyset pages.
pub(crate) fn why_not(reason: &str) -> String {
    format!(
        "{reason}; a MySQL result over the Data API's 1 MiB is read page by page only when the \
         query ends in `ORDER BY` on a unique key (e.g. `.order(table::id)`) without `LIMIT`, \
         `GROUP BY` or `UNION` — order it so, or page it yourself with \
         `aurora_data_api::paging::load_in_pages`"
    )
}

fn bare(ident: &str) -> String {
    ident.trim_matches('`').to_owned()
}

/// Cuts a `SELECT … [WHERE …] ORDER BY key…` for keyset paging.
pub(crate) fn plan(sql: &str) -> Result<Keyset, String> {
    let tokens: Vec<Token<'_>> = Lexer::new(sql, Dialect::Mysql)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| why_not(&format!("the query cannot be read ({e})")))?;
    let (mut depth, mut where_at, mut order_at) = (0usize, None, None);
    let code: Vec<&Token<'_>> = tokens.iter().filter(|t| !t.is_trivia()).collect();
    for (i, t) in code.iter().enumerate() {
        match (t.kind, t.text) {
            (TokenKind::Punct, "(") => depth += 1,
            (TokenKind::Punct, ")") => depth = depth.saturating_sub(1),
            (TokenKind::Word, _) if depth == 0 => {
                let next_by = code.get(i + 1).is_some_and(|n| n.is_keyword("BY"));
                if t.is_keyword("WHERE") && where_at.is_none() {
                    where_at = Some(i);
                } else if t.is_keyword("ORDER") && next_by {
                    order_at = Some(i);
                } else if ["LIMIT", "UNION", "HAVING", "FOR", "INTO", "OFFSET"]
                    .iter()
                    .any(|k| t.is_keyword(k))
                    || (t.is_keyword("GROUP") && next_by)
                {
                    return Err(why_not(&format!("the query has `{}`", t.text)));
                }
            }
            _ => {}
        }
    }
    let order_at = order_at.ok_or_else(|| why_not("the query has no `ORDER BY`"))?;
    let order_start = code[order_at].start;
    // `ORDER BY a.b [ASC|DESC], …`
    let mut keys = Vec::new();
    let mut directions = Vec::new();
    let mut item: Vec<&Token<'_>> = Vec::new();
    let items = &code[order_at + 2..];
    for t in items.iter().chain(std::iter::once(&&Token {
        kind: TokenKind::Punct,
        start: sql.len(),
        text: ",",
    })) {
        if t.kind == TokenKind::Punct && t.text == "," {
            let mut parts: Vec<&Token<'_>> = item.clone();
            let descending = match parts.last() {
                Some(d) if d.is_keyword("DESC") => {
                    parts.pop();
                    true
                }
                Some(a) if a.is_keyword("ASC") => {
                    parts.pop();
                    false
                }
                _ => false,
            };
            let column = match parts.as_slice() {
                [c] if matches!(c.kind, TokenKind::Word | TokenKind::QuotedIdentifier) => {
                    (c.text.to_owned(), None, bare(c.text))
                }
                [t, dot, c]
                    if dot.text == "."
                        && matches!(c.kind, TokenKind::Word | TokenKind::QuotedIdentifier) =>
                {
                    (
                        format!("{}.{}", t.text, c.text),
                        Some(bare(t.text)),
                        bare(c.text),
                    )
                }
                _ => return Err(why_not("an `ORDER BY` item is not a plain column")),
            };
            keys.push(column);
            directions.push(descending);
            item.clear();
        } else {
            item.push(t);
        }
    }
    if directions.iter().any(|d| *d != directions[0]) {
        return Err(why_not(
            "the `ORDER BY` mixes ascending and descending keys",
        ));
    }
    let tables: Vec<Option<String>> = keys.iter().map(|k| k.1.clone()).collect();
    let table = tables[0].clone();
    if tables.iter().any(|t| *t != table) {
        return Err(why_not("the `ORDER BY` keys come from several tables"));
    }
    let (select, condition) = match where_at {
        Some(w) => (
            sql[..code[w].start].to_owned(),
            Some(sql[code[w].end()..order_start].trim().to_owned()),
        ),
        None => (sql[..order_start].to_owned(), None),
    };
    Ok(Keyset {
        select,
        condition,
        order_by: sql[order_start..].trim_end().to_owned(),
        keys: keys.into_iter().map(|(q, _, b)| (q, b)).collect(),
        table,
        descending: directions[0],
    })
}

impl Keyset {
    /// The bare names of the key columns, in order.
    pub fn key_names(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(_, b)| b.as_str())
    }

    /// The statement of one page: `limit` rows after `last` (the last row's key values;
    /// none for the first page), with the query's own parameters.
    pub fn page(&self, query: &Prepared, last: Option<&[Field]>, limit: usize) -> Prepared {
        let mut params = query.params.clone();
        let mut sql = self.select.trim_end().to_owned();
        let mut conditions = Vec::new();
        if let Some(last) = last {
            let names: Vec<String> = (0..last.len()).map(|i| format!("aurora_k{i}")).collect();
            let columns: Vec<&str> = self.keys.iter().map(|(q, _)| q.as_str()).collect();
            let placeholders: Vec<String> = names.iter().map(|n| format!(":{n}")).collect();
            conditions.push(format!(
                "({}) {} ({})",
                columns.join(", "),
                if self.descending { "<" } else { ">" },
                placeholders.join(", ")
            ));
            params.extend(names.into_iter().zip(last).map(|(name, value)| {
                SqlParameter::builder()
                    .name(name)
                    .value(value.clone())
                    .build()
            }));
        }
        if let Some(condition) = &self.condition {
            conditions.push(format!("({condition})"));
        }
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push(' ');
        sql.push_str(&self.order_by);
        sql.push_str(&format!(" LIMIT {limit}"));
        Prepared::new(sql, params)
    }
}

#[cfg(test)]
mod tests;
