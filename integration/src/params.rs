//! Named-parameter lexer: finds `:name` placeholders outside string literals, quoted
//! identifiers, comments, dollar quotes and `::` casts, detects multi-statement SQL, and
//! rewrites the text for the engine's positional style (`$N` for PostgreSQL, `?` for MySQL).

use crate::error::{messages, ApiError};

/// SQL dialect: decides which quoting and comment rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Mysql,
}

/// SQL split into literal text and placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSql {
    /// `(byte range of ":name", name)` in order of appearance.
    pub placeholders: Vec<(std::ops::Range<usize>, String)>,
    /// True when a `;` is followed by more than whitespace and comments.
    pub multi_statement: bool,
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Lexes `sql` for `dialect`.
pub fn parse(sql: &str, dialect: Dialect) -> ParsedSql {
    let b = sql.as_bytes();
    let mut i = 0;
    let mut placeholders = Vec::new();
    let mut after_semicolon = false;
    let mut multi_statement = false;
    while i < b.len() {
        let c = b[i];
        let mut content = true;
        match c {
            b'\'' => {
                let backslash = dialect == Dialect::Mysql
                    || (i > 0
                        && (b[i - 1] == b'E' || b[i - 1] == b'e')
                        && (i < 2 || !is_ident(b[i - 2])));
                i = skip_quoted(b, i, b'\'', backslash);
            }
            b'"' => i = skip_quoted(b, i, b'"', dialect == Dialect::Mysql),
            b'`' if dialect == Dialect::Mysql => i = skip_quoted(b, i, b'`', false),
            b'-' if b.get(i + 1) == Some(&b'-')
                && (dialect == Dialect::Postgres
                    || b.get(i + 2).is_none_or(|c| c.is_ascii_whitespace())) =>
            {
                i = skip_line(b, i);
                content = false;
            }
            b'#' if dialect == Dialect::Mysql => {
                i = skip_line(b, i);
                content = false;
            }
            // MySQL executable comments `/*! ... */` are code: lex their inside.
            b'/' if dialect == Dialect::Mysql
                && b.get(i + 1) == Some(&b'*')
                && b.get(i + 2) == Some(&b'!') =>
            {
                i += 3;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(b, i, dialect == Dialect::Postgres);
                content = false;
            }
            b'$' if dialect == Dialect::Postgres => {
                i = match dollar_tag(b, i) {
                    Some(tag) => skip_dollar_body(b, i, tag),
                    None => i + 1,
                };
            }
            b':' if b.get(i + 1) == Some(&b':') => i += 2,
            b':' if b.get(i + 1).is_some_and(|c| is_ident(*c)) => {
                let mut j = i + 1;
                while j < b.len() && is_ident(b[j]) {
                    j += 1;
                }
                placeholders.push((i..j, sql[i + 1..j].to_string()));
                i = j;
            }
            b';' => {
                i += 1;
                after_semicolon = true;
                content = false;
            }
            c if c.is_ascii_whitespace() => {
                i += 1;
                content = false;
            }
            _ => i += 1,
        }
        if content && after_semicolon && c != b';' {
            multi_statement = true;
        }
    }
    ParsedSql {
        placeholders,
        multi_statement,
    }
}

fn skip_quoted(b: &[u8], start: usize, quote: u8, backslash: bool) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if backslash && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

fn skip_line(b: &[u8], start: usize) -> usize {
    b[start..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| start + p + 1)
}

fn skip_block_comment(b: &[u8], start: usize, nested: bool) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < b.len() {
        if b[i] == b'/' && b[i + 1] == b'*' && (nested || depth == 0) {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// `$tag$` at `start` (tag may be empty; it cannot start with a digit, so `$1` is not one).
fn dollar_tag(b: &[u8], start: usize) -> Option<&[u8]> {
    if start > 0 && is_ident(b[start - 1]) {
        return None;
    }
    let mut j = start + 1;
    if j < b.len() && b[j].is_ascii_digit() {
        return None;
    }
    while j < b.len() && is_ident(b[j]) {
        j += 1;
    }
    (j < b.len() && b[j] == b'$').then(|| &b[start..=j])
}

fn skip_dollar_body(b: &[u8], start: usize, tag: &[u8]) -> usize {
    let body = start + tag.len();
    b[body..]
        .windows(tag.len())
        .position(|w| w == tag)
        .map_or(b.len(), |p| body + p + tag.len())
}

/// Rewrites placeholders to the engine's positional form. Returns the new SQL and, per
/// positional slot, the parameter name it takes its value from.
pub fn rewrite(sql: &str, parsed: &ParsedSql, dialect: Dialect) -> (String, Vec<String>) {
    let mut out = String::with_capacity(sql.len());
    let mut slots: Vec<String> = Vec::new();
    let mut last = 0;
    for (range, name) in &parsed.placeholders {
        out.push_str(&sql[last..range.start]);
        match dialect {
            Dialect::Postgres => {
                let n = match slots.iter().position(|s| s == name) {
                    Some(p) => p + 1,
                    None => {
                        slots.push(name.clone());
                        slots.len()
                    }
                };
                out.push('$');
                out.push_str(&n.to_string());
            }
            Dialect::Mysql => {
                slots.push(name.clone());
                out.push('?');
            }
        }
        last = range.end;
    }
    out.push_str(&sql[last..]);
    (out, slots)
}

/// A MySQL stored-program definition (`CREATE … PROCEDURE | FUNCTION | TRIGGER | EVENT`):
/// its `BEGIN … END` body holds semicolons but the server parses it as one statement.
fn is_stored_program(sql: &str) -> bool {
    let mut rest = sql.trim_start();
    // Leading comments are not the statement.
    loop {
        if rest.starts_with('#') || rest.starts_with("-- ") {
            rest = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if rest.starts_with("/*") && !rest.starts_with("/*!") {
            rest = rest.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    let mut words = rest
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase);
    words.next().as_deref() == Some("CREATE")
        && words
            .take(8)
            .any(|w| matches!(w.as_str(), "PROCEDURE" | "FUNCTION" | "TRIGGER" | "EVENT"))
}

/// Parses, rejects multi-statement SQL and rewrites in one step.
pub fn prepare(sql: &str, dialect: Dialect) -> Result<(String, Vec<String>), ApiError> {
    let parsed = parse(sql, dialect);
    if parsed.multi_statement && !(dialect == Dialect::Mysql && is_stored_program(sql)) {
        return Err(ApiError::validation(messages::MULTISTATEMENTS));
    }
    Ok(rewrite(sql, &parsed, dialect))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sql: &str, d: Dialect) -> Vec<String> {
        parse(sql, d)
            .placeholders
            .into_iter()
            .map(|(_, n)| n)
            .collect()
    }

    #[test]
    fn finds_names_outside_literals() {
        let sql = "SELECT ':a', \"x:b\", $$ :c $$, $t$ :d $t$, E'\\' :e', :f::int, :1 -- :g\n /* :h /* :i */ */ FROM t WHERE x = :f";
        assert_eq!(names(sql, Dialect::Postgres), ["f", "1", "f"]);
        let (out, slots) = prepare(sql, Dialect::Postgres).unwrap();
        assert!(out.ends_with("x = $1"), "{out}");
        assert!(out.contains("$1::int, $2 --"), "{out}");
        assert_eq!(slots, ["f", "1"]);
    }

    #[test]
    fn mysql_rules() {
        let sql = "SELECT ':a', \"\\\" :b\", `:c`, :d # :e\n, :d -- :f\n, /*! :g */ 1";
        assert_eq!(names(sql, Dialect::Mysql), ["d", "d", "g"]);
        let (out, slots) = prepare("SELECT :d, :d", Dialect::Mysql).unwrap();
        assert_eq!(out, "SELECT ?, ?");
        assert_eq!(slots, ["d", "d"]);
    }

    #[test]
    fn multi_statement_detection() {
        assert!(!parse("SELECT 1;", Dialect::Postgres).multi_statement);
        assert!(!parse("SELECT 1; -- done\n  ", Dialect::Postgres).multi_statement);
        assert!(!parse("SELECT ';x'", Dialect::Postgres).multi_statement);
        assert!(parse("SELECT 1; SELECT 2", Dialect::Postgres).multi_statement);
        assert!(parse("SELECT 1;;SELECT 2", Dialect::Mysql).multi_statement);
        assert!(
            !parse(
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                Dialect::Postgres
            )
            .multi_statement
        );
    }

    #[test]
    fn mysql_stored_programs_are_one_statement() {
        let body = "CREATE DEFINER = CURRENT_USER TRIGGER t BEFORE UPDATE ON b FOR EACH ROW BEGIN SET NEW.x = 1; SET NEW.y = 2; END";
        assert!(prepare(body, Dialect::Mysql).is_ok());
        assert!(prepare(
            "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END",
            Dialect::Mysql
        )
        .is_ok());
        assert!(prepare(
            "# note; here\n/* c */ CREATE PROCEDURE p() BEGIN SELECT 1; END",
            Dialect::Mysql
        )
        .is_ok());
        assert!(prepare("CREATE TABLE t (id INT); DROP TABLE t", Dialect::Mysql).is_err());
        assert!(prepare("SELECT 1; SELECT 2", Dialect::Mysql).is_err());
    }

    #[test]
    fn positional_markers_are_not_dollar_quotes() {
        assert_eq!(names("SELECT $1, :a, $2", Dialect::Postgres), ["a"]);
    }
}
