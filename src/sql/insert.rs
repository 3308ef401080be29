//! Multi-row `INSERT … VALUES (…), (…)` cut at its row tuples, so a statement too large for
//! one Data API call can be sent as several with the same head and tail. Only SQL this crate
//! produced (diesel's or SeaORM's query builders with named placeholders) needs to be
//! understood, but the cut uses the lexer, so literals and comments never confuse it.

use super::lexer::{Lexer, TokenKind};
use super::Dialect;

/// An `INSERT` / `REPLACE` with a `VALUES` list: `head` (up to and including `VALUES`), the
/// row tuples (each `(…)`), and `tail` (after the last tuple: `ON CONFLICT …`,
/// `ON DUPLICATE KEY UPDATE …`, `RETURNING …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiRowInsert<'a> {
    /// Everything up to and including `VALUES`.
    pub head: &'a str,
    /// The row tuples, each with its parentheses.
    pub rows: Vec<&'a str>,
    /// Everything after the last row tuple.
    pub tail: &'a str,
}

impl MultiRowInsert<'_> {
    /// The statement with only `rows` (a sub-list of [`Self::rows`]).
    pub fn with_rows(&self, rows: &[&str]) -> String {
        let mut sql = String::with_capacity(
            self.head.len() + 1 + self.tail.len() + rows.iter().map(|r| r.len() + 2).sum::<usize>(),
        );
        sql.push_str(self.head);
        sql.push(' ');
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(row);
        }
        sql.push_str(self.tail);
        sql
    }
}

/// Cuts `sql` into head, row tuples and tail, or `None` when it is not an `INSERT` /
/// `REPLACE` with a `VALUES` list (an `INSERT … SELECT`, any other statement, unbalanced
/// parentheses, a lexer error).
pub fn parse_multi_row_insert(sql: &str, dialect: Dialect) -> Option<MultiRowInsert<'_>> {
    let mut tokens = Lexer::new(sql, dialect)
        .collect::<Result<Vec<_>, _>>()
        .ok()?
        .into_iter()
        .filter(|t| !t.is_trivia());
    let first = tokens.next()?;
    if !(first.is_keyword("INSERT") || first.is_keyword("REPLACE")) {
        return None;
    }
    let mut depth = 0usize;
    let mut values_end = None;
    for t in tokens.by_ref() {
        match (t.kind, t.text) {
            (TokenKind::Punct, "(") => depth += 1,
            (TokenKind::Punct, ")") => depth = depth.checked_sub(1)?,
            (TokenKind::Word, _)
                if depth == 0 && (t.is_keyword("VALUES") || t.is_keyword("VALUE")) =>
            {
                values_end = Some(t.end());
                break;
            }
            // `INSERT … SELECT` / `DEFAULT VALUES`: nothing to cut.
            (TokenKind::Word, _) if depth == 0 && t.is_keyword("SELECT") => return None,
            _ => {}
        }
    }
    let head = &sql[..values_end?];
    let mut rows = Vec::new();
    let mut row_start = None;
    let mut after_last = None;
    let mut expect_row = true;
    for t in tokens {
        match (t.kind, t.text, depth) {
            (TokenKind::Punct, "(", 0) if expect_row => {
                row_start = Some(t.start);
                depth = 1;
            }
            (TokenKind::Punct, "(", _) if depth > 0 => depth += 1,
            (TokenKind::Punct, ")", d) if d > 0 => {
                depth -= 1;
                if depth == 0 {
                    rows.push(&sql[row_start?..t.end()]);
                    after_last = Some(t.end());
                    expect_row = false;
                }
            }
            (TokenKind::Punct, ",", 0) if !expect_row => expect_row = true,
            (_, _, 0) => {
                // The first token after the list that is not a comma: the tail begins.
                if expect_row {
                    return None;
                }
                break;
            }
            _ => {}
        }
    }
    if depth != 0 || rows.is_empty() {
        return None;
    }
    Some(MultiRowInsert {
        head,
        rows,
        tail: &sql[after_last?..],
    })
}

/// The named placeholders (`:name`, without the colon) in `sql`, in order.
pub fn named_placeholders(sql: &str, dialect: Dialect) -> Vec<&str> {
    let mut names = Vec::new();
    let mut colon = false;
    for t in Lexer::new(sql, dialect).flatten() {
        if colon && t.kind == TokenKind::Word {
            names.push(t.text);
        }
        colon = t.kind == TokenKind::Punct && t.text == ":";
    }
    names
}

#[cfg(test)]
mod tests;
