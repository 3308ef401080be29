//! Positional → named placeholders.
//!
//! Diesel's query builders write `$1, $2, …` (PostgreSQL) or `?, ?, …` (MySQL) and cannot be
//! told otherwise; the Data API only accepts `:name`. We rename the N-th parameter `pN`.

use std::fmt;

use super::lexer::{is_word_continue, LexError, Lexer, TokenKind};
use super::Dialect;

/// Highest PostgreSQL parameter number: the wire protocol counts binds in an `Int16`, so no
/// query diesel renders can go beyond it, and capping it bounds what callers allocate.
const MAX_PARAM: usize = u16::MAX as usize;

/// SQL rewritten to named placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedSql {
    /// The rewritten SQL.
    pub sql: String,
    /// How many parameters the SQL refers to: the highest `N` of any `$N` on PostgreSQL (so
    /// `$1, $3` gives 3), the number of `?` on MySQL. Parameter `i` (1-based) is named
    /// [`param_name(i)`](param_name).
    pub params: usize,
}

/// Why positional placeholders could not be rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlaceholderError {
    /// The SQL ends inside a literal, quoted identifier, comment or dollar quote.
    Lex(LexError),
    /// A PostgreSQL `$N` with `N` = 0 or `N` > 65535.
    IndexOutOfRange {
        /// Byte offset of the `$`.
        offset: usize,
        /// The placeholder as written, e.g. `$0`.
        text: String,
    },
    /// A PostgreSQL `$N` directly followed by identifier characters, e.g. `$1abc`, which
    /// PostgreSQL rejects and which would otherwise turn into the name `p1abc`.
    TrailingJunk {
        /// Byte offset of the `$`.
        offset: usize,
        /// The placeholder with its junk, e.g. `$1abc`.
        text: String,
    },
}

impl fmt::Display for PlaceholderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lex(e) => e.fmt(f),
            Self::IndexOutOfRange { offset, text } => write!(
                f,
                "placeholder {text} at byte {offset} is out of range (must be $1 to ${MAX_PARAM})"
            ),
            Self::TrailingJunk { offset, text } => {
                write!(f, "trailing junk after placeholder {text} at byte {offset}")
            }
        }
    }
}

impl std::error::Error for PlaceholderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Lex(e) => Some(e),
            _ => None,
        }
    }
}

impl From<LexError> for PlaceholderError {
    fn from(e: LexError) -> Self {
        Self::Lex(e)
    }
}

/// The Data API parameter name of the `index`-th (1-based) parameter: `p1`, `p2`, …
/// (without the colon, as `SqlParameter::name` wants it).
pub fn param_name(index: usize) -> String {
    let mut name = String::with_capacity(8);
    push_param_name(&mut name, index);
    name
}

/// Appends the bare placeholder of the `index`-th parameter, `:pN`, to `out`.
pub(crate) fn push_named(out: &mut String, index: usize) {
    out.push(':');
    push_param_name(out, index);
}

/// Appends [`param_name(index)`](param_name) to `out`, without `format!`'s machinery (a
/// 1,000-row INSERT names thousands of parameters).
fn push_param_name(out: &mut String, index: usize) {
    let mut digits = [0u8; 21];
    let mut at = digits.len();
    let mut n = index;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    at -= 1;
    digits[at] = b'p';
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// Rewrites diesel's positional placeholders to Data API named ones: `$N` → `:pN` on
/// PostgreSQL, the k-th `?` → `:pk` on MySQL.
///
/// Placeholders inside string literals, quoted identifiers, comments and dollar-quoted bodies
/// are left alone, as are `?` on PostgreSQL (the jsonb operator) and `$N` on MySQL (plain
/// text). Text that is not a placeholder is copied unchanged.
///
/// ```
/// use aurora_data_api::sql::{to_named, Dialect};
///
/// let named = to_named("SELECT $1::int, '$2' WHERE a = $1", Dialect::Postgres)?;
/// assert_eq!(named.sql, "SELECT :p1::int, '$2' WHERE a = :p1");
/// assert_eq!(named.params, 1);
///
/// let named = to_named("INSERT INTO t VALUES (?, '?', ?)", Dialect::Mysql)?;
/// assert_eq!(named.sql, "INSERT INTO t VALUES (:p1, '?', :p2)");
/// assert_eq!(named.params, 2);
/// # Ok::<(), aurora_data_api::sql::PlaceholderError>(())
/// ```
pub fn to_named(sql: &str, dialect: Dialect) -> Result<NamedSql, PlaceholderError> {
    to_named_with(sql, dialect, |i| format!(":{}", param_name(i)))
}

/// Like [`to_named`], but each placeholder is replaced by `wrap(index)` (1-based), called once
/// per occurrence in order. The connections use it (without a `String` per placeholder) to
/// emit `:pN::<type>` on PostgreSQL, so that parameters get the exact types native diesel
/// would send.
///
/// A space is inserted where the replacement would otherwise fuse with its neighbours
/// (`:` before it would make `::`, an identifier character after it would lengthen the name).
///
/// ```
/// use aurora_data_api::sql::{to_named_with, Dialect};
///
/// let types = ["int4", "text"];
/// let named = to_named_with("SELECT $1, $2", Dialect::Postgres, |i| {
///     format!("CAST(:p{i} AS {})", types.get(i - 1).copied().unwrap_or("text"))
/// })?;
/// assert_eq!(named.sql, "SELECT CAST(:p1 AS int4), CAST(:p2 AS text)");
/// # Ok::<(), aurora_data_api::sql::PlaceholderError>(())
/// ```
pub fn to_named_with(
    sql: &str,
    dialect: Dialect,
    mut wrap: impl FnMut(usize) -> String,
) -> Result<NamedSql, PlaceholderError> {
    to_named_into(sql, dialect, |index, out| out.push_str(&wrap(index)))
}

/// [`to_named_with`] with `write(index, out)` appending each replacement to the output
/// itself: no `String` per placeholder. SQL as diesel's query builders write it (no string
/// literal, comment or dollar quote) is rewritten in one pass over its bytes; anything else
/// goes through the lexer.
pub(crate) fn to_named_into(
    sql: &str,
    dialect: Dialect,
    mut write: impl FnMut(usize, &mut String),
) -> Result<NamedSql, PlaceholderError> {
    let mut out = String::with_capacity(sql.len() + sql.len() / 4);
    if let Some(params) = rewrite_plain(sql, dialect, &mut out, &mut write) {
        return Ok(NamedSql { sql: out, params });
    }
    out.clear();
    rewrite_lexed(sql, dialect, out, &mut write)
}

/// The rewrite through the lexer: any SQL.
fn rewrite_lexed(
    sql: &str,
    dialect: Dialect,
    mut out: String,
    write: &mut impl FnMut(usize, &mut String),
) -> Result<NamedSql, PlaceholderError> {
    let mut params = 0usize;
    for token in Lexer::new(sql, dialect) {
        let token = token?;
        let index = match (dialect, token.kind) {
            (Dialect::Postgres, TokenKind::Positional) => {
                let index = positional_index(token.text, token.start)?;
                params = params.max(index);
                index
            }
            (Dialect::Mysql, TokenKind::QuestionMark) => {
                params += 1;
                params
            }
            _ => {
                out.push_str(token.text);
                continue;
            }
        };
        push_placeholder(&mut out, sql, index, token.end(), write);
    }
    Ok(NamedSql { sql: out, params })
}

/// The rewrite of SQL holding nothing but plain text, quoted identifiers and placeholders
/// (see [`plain_placeholders`]); the number of parameters, or `None` (nothing written) for
/// SQL that needs the lexer.
fn rewrite_plain(
    sql: &str,
    dialect: Dialect,
    out: &mut String,
    write: &mut impl FnMut(usize, &mut String),
) -> Option<usize> {
    let placeholders = plain_placeholders(sql, dialect)?;
    // Room for replacements such as `:p1234::timestamptz`, so a long INSERT's output does not
    // grow (and copy itself) many times over.
    out.reserve(placeholders.len() * 16);
    let mut copied = 0;
    for &(start, end, index) in &placeholders {
        out.push_str(&sql[copied..start]);
        push_placeholder(out, sql, index, end, write);
        copied = end;
    }
    out.push_str(&sql[copied..]);
    Some(placeholders.iter().map(|p| p.2).max().unwrap_or(0))
}

/// Where the placeholders of `sql` are, `(start, end, index)`, found in one pass over its
/// bytes, if it holds nothing but plain text, quoted identifiers and placeholders: `None` as
/// soon as something needs the lexer (a string literal, a comment, a dollar quote, a `$`
/// inside a word, a placeholder with junk after it or out of range).
fn plain_placeholders(sql: &str, dialect: Dialect) -> Option<Vec<(usize, usize, usize)>> {
    let bytes = sql.as_bytes();
    let identifier_quote = match dialect {
        Dialect::Postgres => b'"',
        Dialect::Mysql => b'`',
    };
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        match c {
            _ if c == identifier_quote => {
                // Skipped whole: a doubled quote inside reads as two quoted parts.
                let close = bytes[i + 1..].iter().position(|&b| b == identifier_quote)?;
                i += close + 2;
                continue;
            }
            b'\'' | b'"' => return None,
            b'#' if dialect == Dialect::Mysql => return None,
            b'-' if next == Some(b'-') => return None,
            b'/' if next == Some(b'*') => return None,
            b'$' if dialect == Dialect::Postgres => {
                if i > 0 && is_word_continue(bytes[i - 1]) {
                    return None;
                }
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let end = i + 1 + digits;
                if digits == 0 || bytes.get(end).is_some_and(|&b| is_word_continue(b)) {
                    return None;
                }
                found.push((i, end, positional_index(&sql[i..end], i).ok()?));
                i = end;
                continue;
            }
            b'?' if dialect == Dialect::Mysql => found.push((i, i + 1, found.len() + 1)),
            _ => {}
        }
        i += 1;
    }
    Some(found)
}

/// Writes the replacement of the placeholder of `index` that ends at byte `end` of `sql`,
/// with what keeps it from fusing with its neighbours: a space after a `:` (else `::`),
/// parentheses before a subscript, a space before an identifier character.
fn push_placeholder(
    out: &mut String,
    sql: &str,
    index: usize,
    end: usize,
    write: &mut impl FnMut(usize, &mut String),
) {
    let after_colon = out.ends_with(':');
    let start = out.len();
    write(index, out);
    let replacement = &out[start..];
    let bare = replacement.starts_with(':') && !replacement.contains("::");
    let starts_with_colon = replacement.starts_with(':');
    let ends_in_word = replacement.bytes().last().is_some_and(is_word_continue);
    if after_colon && starts_with_colon {
        out.insert(start, ' ');
    }
    // `$1[2]` subscripts the parameter; `CAST(…)[2]` is a syntax error and `:p1::int4[2]`
    // a cast to an array type, `(CAST(…))[2]` and `(:p1::int4)[2]` are neither.
    if sql.as_bytes().get(end) == Some(&b'[') && !bare {
        let at = if after_colon && starts_with_colon {
            start + 1
        } else {
            start
        };
        out.insert(at, '(');
        out.push(')');
    }
    let glued_after = sql
        .as_bytes()
        .get(end)
        .is_some_and(|&c| is_word_continue(c))
        && ends_in_word;
    if glued_after {
        out.push(' ');
    }
}

/// [`to_named`] through the lexer only (the fast path's oracle in tests).
#[cfg(test)]
pub(crate) fn to_named_lexed(sql: &str, dialect: Dialect) -> Result<NamedSql, PlaceholderError> {
    rewrite_lexed(sql, dialect, String::new(), &mut |i, out: &mut String| {
        push_named(out, i)
    })
}

/// `N` of a `$N` token, validated like PostgreSQL does (leading zeros are fine: `$01` is 1).
fn positional_index(text: &str, offset: usize) -> Result<usize, PlaceholderError> {
    let digits = text.get(1..).unwrap_or("");
    if !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(PlaceholderError::TrailingJunk {
            offset,
            text: text.to_owned(),
        });
    }
    // Leading zeros could overflow `parse` on a harmless value, so strip them first.
    let significant = digits.trim_start_matches('0');
    match significant.parse::<usize>() {
        Ok(n) if (1..=MAX_PARAM).contains(&n) => Ok(n),
        _ => Err(PlaceholderError::IndexOutOfRange {
            offset,
            text: text.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::Unterminated;

    const PG: Dialect = Dialect::Postgres;
    const MY: Dialect = Dialect::Mysql;

    fn named(sql: &str, dialect: Dialect) -> (String, usize) {
        match to_named(sql, dialect) {
            Ok(n) => (n.sql, n.params),
            Err(e) => panic!("{sql:?}: {e}"),
        }
    }

    fn pg(sql: &str) -> String {
        named(sql, PG).0
    }

    fn my(sql: &str) -> String {
        named(sql, MY).0
    }

    #[test]
    fn pg_basic() {
        assert_eq!(
            named("SELECT * FROM t WHERE a = $1 AND b = $2", PG),
            ("SELECT * FROM t WHERE a = :p1 AND b = :p2".into(), 2)
        );
        assert_eq!(named("SELECT 1", PG), ("SELECT 1".into(), 0));
        assert_eq!(named("", PG), (String::new(), 0));
    }

    #[test]
    fn a_subscripted_cast_placeholder_is_parenthesized() {
        let cast = |sql| {
            to_named_with(sql, Dialect::Postgres, |i| format!("CAST(:p{i} AS int4[])"))
                .unwrap()
                .sql
        };
        assert_eq!(
            cast("SELECT $1[2], $1"),
            "SELECT (CAST(:p1 AS int4[]))[2], CAST(:p1 AS int4[])"
        );
        assert_eq!(cast("SELECT $1[1:2]"), "SELECT (CAST(:p1 AS int4[]))[1:2]");
        let short = |sql| {
            to_named_with(sql, Dialect::Postgres, |i| format!(":p{i}::int4[]"))
                .unwrap()
                .sql
        };
        assert_eq!(
            short("SELECT $1[1:2], $1"),
            "SELECT (:p1::int4[])[1:2], :p1::int4[]"
        );
        // A bare name needs no parentheses.
        assert_eq!(pg("SELECT $1[2]"), "SELECT :p1[2]");
    }

    #[test]
    fn pg_repeated_and_out_of_order() {
        assert_eq!(
            named("SELECT $2, $1, $2", PG),
            ("SELECT :p2, :p1, :p2".into(), 2)
        );
        assert_eq!(named("$1 = $1", PG), (":p1 = :p1".into(), 1));
        // Gaps count up to the highest number.
        assert_eq!(named("SELECT $1, $3", PG), ("SELECT :p1, :p3".into(), 3));
        assert_eq!(named("SELECT $10,$11", PG), ("SELECT :p10,:p11".into(), 11));
        assert_eq!(named("SELECT $01", PG), ("SELECT :p1".into(), 1));
        assert_eq!(named("SELECT $65535", PG).1, 65535);
    }

    #[test]
    fn pg_adjacent_syntax() {
        assert_eq!(pg("($1,$2)"), "(:p1,:p2)");
        assert_eq!(pg("a=$1"), "a=:p1");
        assert_eq!(pg("$1::int"), ":p1::int");
        assert_eq!(pg("$1::int[]"), ":p1::int[]");
        assert_eq!(pg("ARRAY[$1]"), "ARRAY[:p1]");
        assert_eq!(pg("-$1"), "-:p1");
        assert_eq!(pg("$1||$2"), ":p1||:p2");
        assert_eq!(pg("x = ANY($1)"), "x = ANY(:p1)");
        assert_eq!(pg("$1\n"), ":p1\n");
        // A `:` right before would make `::p1`, a cast.
        assert_eq!(pg("a:$1"), "a: :p1");
    }

    #[test]
    fn pg_leaves_non_placeholders_alone() {
        let cases = [
            "SELECT '$1', 'it''s $2'",
            r"SELECT E'\' $1', e'$2\\'",
            r#"SELECT "$1", "a""$2""#,
            "SELECT 1 -- $1 ?\n",
            "SELECT /* $1 /* $2 */ $3 */ 1",
            "SELECT $$ $1 $$, $fn$ $2 $$ $fn$, $a$$1$a$",
            "SELECT a$1, b$2$",
            "SELECT x ? 'k', x ?| array['a'], x ?& array['b']",
            "SELECT :name, :1, a::text, ':x'",
            "SELECT $ 1",
        ];
        for sql in cases {
            assert_eq!(named(sql, PG), (sql.to_owned(), 0), "{sql}");
        }
        assert_eq!(
            pg("SELECT '$1', $1, \"$1\", $1 -- $1\n, $$ $1 $$, $1 /* $1 */"),
            "SELECT '$1', :p1, \"$1\", :p1 -- $1\n, $$ $1 $$, :p1 /* $1 */"
        );
        assert_eq!(pg(r"SELECT E'\'', $1"), r"SELECT E'\'', :p1");
        assert_eq!(pg(r"SELECT '\', $1"), r"SELECT '\', :p1");
    }

    #[test]
    fn pg_errors() {
        assert_eq!(
            to_named("SELECT $0", PG),
            Err(PlaceholderError::IndexOutOfRange {
                offset: 7,
                text: "$0".into()
            })
        );
        assert!(matches!(
            to_named("SELECT $65536", PG),
            Err(PlaceholderError::IndexOutOfRange { .. })
        ));
        assert!(matches!(
            to_named("SELECT $99999999999999999999999999999", PG),
            Err(PlaceholderError::IndexOutOfRange { .. })
        ));
        let e = to_named("SELECT $1abc", PG);
        assert_eq!(
            e,
            Err(PlaceholderError::TrailingJunk {
                offset: 7,
                text: "$1abc".into()
            })
        );
        assert_eq!(
            e.map_err(|e| e.to_string()),
            Err("trailing junk after placeholder $1abc at byte 7".into())
        );
        let e = to_named("SELECT $1, 'x", PG);
        assert_eq!(
            e,
            Err(PlaceholderError::Lex(LexError {
                what: Unterminated::StringLiteral,
                offset: 11
            }))
        );
        assert_eq!(
            e.map_err(|e| e.to_string()),
            Err("unterminated string literal starting at byte 11".into())
        );
        assert!(to_named("SELECT $$ $1", PG).is_err());
        assert!(to_named("SELECT /* /* */ $1", PG).is_err());
        assert!(to_named(r#"SELECT "a"#, PG).is_err());
        let e = to_named("$0", PG).map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err("placeholder $0 at byte 0 is out of range (must be $1 to $65535)".into())
        );
    }

    #[test]
    fn mysql_basic() {
        assert_eq!(
            named("INSERT INTO t (a, b) VALUES (?, ?)", MY),
            ("INSERT INTO t (a, b) VALUES (:p1, :p2)".into(), 2)
        );
        assert_eq!(named("SELECT ?,?,?", MY), ("SELECT :p1,:p2,:p3".into(), 3));
        assert_eq!(named("SELECT 1", MY), ("SELECT 1".into(), 0));
    }

    #[test]
    fn mysql_leaves_non_placeholders_alone() {
        let cases = [
            "SELECT '?', 'it''s ?', 'a\\'?'",
            "SELECT \"?\", \"a\\\"?\", \"a\"\"?\"",
            "SELECT `?`, `a``?`",
            "SELECT 1 -- ?\n",
            "SELECT 1 # ?\n",
            "SELECT /* ? /* */ 1",
            "SELECT /*+ ? */ 1",
            "SELECT $1, $$, :x, a::b",
        ];
        for sql in cases {
            assert_eq!(named(sql, MY), (sql.to_owned(), 0), "{sql}");
        }
        // `--` without a following space is two minus signs.
        assert_eq!(my("SELECT 5--?"), "SELECT 5--:p1");
        assert_eq!(my("SELECT 1 -- ?\n, ?"), "SELECT 1 -- ?\n, :p1");
        assert_eq!(my("SELECT '\\'', ?"), "SELECT '\\'', :p1");
    }

    #[test]
    fn mysql_executable_comments_are_code() {
        assert_eq!(
            my("SELECT /*!50000 ? */ 1, ?"),
            "SELECT /*!50000 :p1 */ 1, :p2"
        );
        assert_eq!(my("/*M! ? */"), "/*M! :p1 */");
    }

    #[test]
    fn mysql_spacing_guards() {
        assert_eq!(my("SELECT ?a"), "SELECT :p1 a");
        assert_eq!(my("SELECT :?"), "SELECT : :p1");
        assert_eq!(my("SELECT ?1"), "SELECT :p1 1");
        assert_eq!(my("SELECT ?é"), "SELECT :p1 é");
        assert_eq!(my("SELECT ?,a"), "SELECT :p1,a");
    }

    #[test]
    fn mysql_errors() {
        assert!(matches!(
            to_named("SELECT ?, '", MY),
            Err(PlaceholderError::Lex(LexError {
                what: Unterminated::StringLiteral,
                offset: 10
            }))
        ));
        assert!(to_named("SELECT `a", MY).is_err());
        assert!(to_named("SELECT /*! ?", MY).is_err());
    }

    #[test]
    fn wrap_is_called_per_occurrence_in_order() {
        let mut seen = Vec::new();
        let out = to_named_with("SELECT $2, $1::int, $2, '$3'", PG, |i| {
            seen.push(i);
            format!("CAST(:p{i} AS int4)")
        });
        assert_eq!(
            out,
            Ok(NamedSql {
                sql: "SELECT CAST(:p2 AS int4), CAST(:p1 AS int4)::int, CAST(:p2 AS int4), '$3'"
                    .into(),
                params: 2
            })
        );
        assert_eq!(seen, [2, 1, 2]);
        let out = to_named_with("? ?", MY, |i| format!("CAST(:p{i} AS DATETIME(6))"));
        assert_eq!(
            out.map(|n| n.sql),
            Ok("CAST(:p1 AS DATETIME(6)) CAST(:p2 AS DATETIME(6))".into())
        );
        // No space when the replacement does not end with an identifier character.
        assert_eq!(
            to_named_with("?a", MY, |_| "(x)".into()).map(|n| n.sql),
            Ok("(x)a".into())
        );
    }

    /// The rustdoc examples, kept runnable with `--lib`.
    #[test]
    fn doc_examples() {
        assert_eq!(
            named("SELECT $1::int, '$2' WHERE a = $1", PG),
            ("SELECT :p1::int, '$2' WHERE a = :p1".into(), 1)
        );
        assert_eq!(
            named("INSERT INTO t VALUES (?, '?', ?)", MY),
            ("INSERT INTO t VALUES (:p1, '?', :p2)".into(), 2)
        );
        let types = ["int4", "text"];
        let out = to_named_with("SELECT $1, $2", PG, |i| {
            format!(
                "CAST(:p{i} AS {})",
                types.get(i - 1).copied().unwrap_or("text")
            )
        });
        assert_eq!(
            out.map(|n| n.sql),
            Ok("SELECT CAST(:p1 AS int4), CAST(:p2 AS text)".into())
        );
    }

    #[test]
    fn param_names() {
        assert_eq!(param_name(1), "p1");
        assert_eq!(param_name(42), "p42");
        for i in [0, 9, 10, 99, 100, 65_535, usize::MAX] {
            assert_eq!(param_name(i), format!("p{i}"));
        }
    }

    #[test]
    fn error_source() {
        use std::error::Error;
        let e = to_named("'", PG).err();
        assert!(e.as_ref().and_then(|e| e.source()).is_some());
        let e = to_named("$0", PG).err();
        assert!(e.as_ref().and_then(|e| e.source()).is_none());
    }
}
