//! One small SQL scanner shared by the placeholder rewriter and the statement splitter.
//!
//! It does not parse SQL. It only finds where string literals, quoted identifiers, comments,
//! dollar-quoted bodies and MySQL executable comments begin and end — the regions whose text
//! must never be rewritten or split — and cuts everything else into small code tokens.
//! Tokens tile the input exactly: concatenating their texts gives back the input.
//!
//! The scanner works on bytes but only ever stops at ASCII bytes (every non-ASCII byte is
//! part of a word or of a quoted region), so every token is a valid `&str` slice.

use std::fmt;

use super::Dialect;

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenKind {
    /// A run of whitespace (space, tab, newline, carriage return, vertical tab, form feed).
    Whitespace,
    /// An identifier, keyword or number: `[A-Za-z0-9_$]` and any non-ASCII character.
    /// On MySQL `$1` is a word too (plain text, no placeholder).
    Word,
    /// A string literal including its quotes and prefix (`E'..'` on PostgreSQL; `'..'` and
    /// `".."` on MySQL).
    String,
    /// A quoted identifier including its quotes: `".."` on PostgreSQL, `` `..` `` on MySQL.
    QuotedIdentifier,
    /// `--` (and MySQL `#`) up to, not including, the end of the line.
    LineComment,
    /// `/* .. */`, nested on PostgreSQL.
    BlockComment,
    /// A PostgreSQL dollar-quoted string `$tag$ .. $tag$`, both tags included.
    DollarQuoted,
    /// The opening of a MySQL `/*! .. */` or MariaDB `/*M! .. */` executable comment with its
    /// version digits. What follows is code, up to [`TokenKind::ExecutableCommentEnd`].
    ExecutableCommentStart,
    /// The `*/` closing an executable comment.
    ExecutableCommentEnd,
    /// A PostgreSQL positional placeholder `$N`. Identifier characters right after the digits
    /// are included (PostgreSQL rejects `$1abc` as trailing junk; so do we, later).
    Positional,
    /// `?`: a placeholder on MySQL, an operator (jsonb `?`, `?|`, `?&`) on PostgreSQL.
    QuestionMark,
    /// `::` (a PostgreSQL cast). Kept whole so that no `:name` is seen inside it.
    Cast,
    /// `;`.
    Semicolon,
    /// The client-side delimiter set by a MySQL `DELIMITER` directive.
    Delimiter,
    /// Any other single character: operators, parentheses, commas, `@`, a lone `$`, …
    Punct,
}

/// One token: its kind, where it starts and its exact text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// What the token is.
    pub kind: TokenKind,
    /// Byte offset of the token in the scanned SQL.
    pub start: usize,
    /// The token's text, exactly as in the input.
    pub text: &'a str,
}

impl Token<'_> {
    /// Byte offset just past the token.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// True for whitespace and comments: tokens that never change what a statement means.
    /// (Executable comment markers are not trivia: their inside runs on MySQL.)
    pub fn is_trivia(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Whitespace | TokenKind::LineComment | TokenKind::BlockComment
        )
    }

    /// True when the token is the bare word `keyword`, compared ASCII case-insensitively.
    pub fn is_keyword(&self, keyword: &str) -> bool {
        self.kind == TokenKind::Word && self.text.eq_ignore_ascii_case(keyword)
    }
}

/// The kind of region the input ended inside of.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unterminated {
    /// A `'..'` (or MySQL `".."`) string literal.
    StringLiteral,
    /// A `".."` (PostgreSQL) or `` `..` `` (MySQL) identifier.
    QuotedIdentifier,
    /// A `/* .. */` comment.
    BlockComment,
    /// A `$tag$ .. $tag$` body; holds the opening tag, e.g. `$fn$` or `$$`.
    DollarQuote(String),
    /// A MySQL `/*! .. */` executable comment.
    ExecutableComment,
}

impl fmt::Display for Unterminated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::StringLiteral => f.write_str("string literal"),
            Self::QuotedIdentifier => f.write_str("quoted identifier"),
            Self::BlockComment => f.write_str("block comment"),
            Self::DollarQuote(tag) => write!(f, "dollar-quoted string {tag}"),
            Self::ExecutableComment => f.write_str("executable comment /*! */"),
        }
    }
}

/// The input ended inside a literal, quoted identifier, comment or dollar quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// What was left open.
    pub what: Unterminated,
    /// Byte offset where the open region starts.
    pub offset: usize,
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unterminated {} starting at byte {}",
            self.what, self.offset
        )
    }
}

impl std::error::Error for LexError {}

/// Scanner over SQL text: an iterator of [`Token`]s.
///
/// Yields one `Err` and then stops if the input ends inside a quoted region or comment.
#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    sql: &'a str,
    dialect: Dialect,
    pos: usize,
    /// Start of the open MySQL executable comment, if inside one.
    exec_comment: Option<usize>,
    /// Client-side delimiter (MySQL `DELIMITER`), matched before anything else in code.
    delimiter: Option<&'a str>,
    done: bool,
}

impl<'a> Lexer<'a> {
    /// A scanner over `sql` with `dialect`'s rules.
    pub fn new(sql: &'a str, dialect: Dialect) -> Self {
        Self {
            sql,
            dialect,
            pos: 0,
            exec_comment: None,
            delimiter: None,
            done: false,
        }
    }

    /// Byte offset of the next token.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Makes `delimiter` a [`TokenKind::Delimiter`] token from here on (`None` or empty: no
    /// custom delimiter). Like the `mysql` client, it is matched at any position in code,
    /// even inside a word, so `END$$` ends at `$$`.
    pub(crate) fn set_delimiter(&mut self, delimiter: Option<&'a str>) {
        self.delimiter = delimiter.filter(|d| !d.is_empty());
    }

    /// Consumes the rest of the current line (not its newline) without tokenizing it.
    /// Returns its start offset and text. Used for the `DELIMITER` directive's argument.
    pub(crate) fn take_line(&mut self) -> (usize, &'a str) {
        let start = self.pos;
        let end = self.find_from(start, |c| c == b'\n');
        self.pos = end;
        (start, self.slice(start, end))
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.sql.as_bytes().get(i).copied()
    }

    /// Never panics: every offset we compute lies on a char boundary (see module docs);
    /// the fallback only guards against a bug, and the tiling tests would catch one.
    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.sql.get(start..end).unwrap_or("")
    }

    /// First index `>= from` whose byte satisfies `pred`, or the input length.
    fn find_from(&self, from: usize, pred: impl Fn(u8) -> bool) -> usize {
        let bytes = self.sql.as_bytes();
        bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|&c| pred(c)))
            .map_or(bytes.len(), |p| from + p)
    }

    fn delimiter_at(&self, i: usize) -> bool {
        self.delimiter.is_some_and(|d| {
            self.sql
                .as_bytes()
                .get(i..i + d.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(d.as_bytes()))
        })
    }

    fn scan(&mut self) -> Result<Option<Token<'a>>, LexError> {
        let start = self.pos;
        let Some(c) = self.at(start) else {
            if let Some(open) = self.exec_comment.take() {
                return Err(LexError {
                    what: Unterminated::ExecutableComment,
                    offset: open,
                });
            }
            return Ok(None);
        };
        let pg = self.dialect == Dialect::Postgres;
        let (kind, end) = if let Some(d) = self.delimiter.filter(|_| self.delimiter_at(start)) {
            (TokenKind::Delimiter, start + d.len())
        } else {
            match c {
                c if is_space(c) => (
                    TokenKind::Whitespace,
                    self.find_from(start, |c| !is_space(c)),
                ),
                b'\'' => (
                    TokenKind::String,
                    self.quoted(start, start + 1, b'\'', !pg)?,
                ),
                b'"' if pg => (
                    TokenKind::QuotedIdentifier,
                    self.quoted(start, start + 1, b'"', false)?,
                ),
                b'"' => (
                    TokenKind::String,
                    self.quoted(start, start + 1, b'"', true)?,
                ),
                b'`' if !pg => (
                    TokenKind::QuotedIdentifier,
                    self.quoted(start, start + 1, b'`', false)?,
                ),
                // MySQL needs whitespace or a control character after `--` (`5--3` is 8).
                b'-' if self.at(start + 1) == Some(b'-')
                    && (pg || self.at(start + 2).is_none_or(|c| c <= b' ' || c == 0x7f)) =>
                {
                    (TokenKind::LineComment, self.line_end(start))
                }
                b'#' if !pg => (TokenKind::LineComment, self.line_end(start)),
                b'/' if self.at(start + 1) == Some(b'*') => match self.executable_start(start) {
                    Some(end) => {
                        self.exec_comment = Some(start);
                        (TokenKind::ExecutableCommentStart, end)
                    }
                    None => (TokenKind::BlockComment, self.block_comment_end(start)?),
                },
                b'*' if self.exec_comment.is_some() && self.at(start + 1) == Some(b'/') => {
                    self.exec_comment = None;
                    (TokenKind::ExecutableCommentEnd, start + 2)
                }
                b'$' if pg => self.dollar(start)?,
                b':' if self.at(start + 1) == Some(b':') => (TokenKind::Cast, start + 2),
                b'?' => (TokenKind::QuestionMark, start + 1),
                b';' => (TokenKind::Semicolon, start + 1),
                c if is_word_start(c, self.dialect) => self.word(start)?,
                // Only ASCII gets here: every non-ASCII byte starts a word.
                _ => (TokenKind::Punct, start + 1),
            }
        };
        self.pos = end;
        Ok(Some(Token {
            kind,
            start,
            text: self.slice(start, end),
        }))
    }

    /// End (exclusive) of a quoted region whose body starts at `from`; `open` is where its
    /// token starts (for the error). A doubled quote is an escaped quote in every dialect.
    fn quoted(
        &self,
        open: usize,
        from: usize,
        quote: u8,
        backslash: bool,
    ) -> Result<usize, LexError> {
        let mut i = from;
        while let Some(c) = self.at(i) {
            if backslash && c == b'\\' {
                i += 2;
            } else if c == quote {
                if self.at(i + 1) != Some(quote) {
                    return Ok(i + 1);
                }
                i += 2;
            } else {
                i += 1;
            }
        }
        let what = if quote == b'\'' || (quote == b'"' && backslash) {
            Unterminated::StringLiteral
        } else {
            Unterminated::QuotedIdentifier
        };
        Err(LexError { what, offset: open })
    }

    fn line_end(&self, start: usize) -> usize {
        self.find_from(start, |c| c == b'\n' || c == b'\r')
    }

    /// End of the `/*!12345` / `/*M!12345` opener on MySQL, if `start` begins one.
    /// Inside an executable comment a further `/*` is an ordinary comment (no nesting).
    fn executable_start(&self, start: usize) -> Option<usize> {
        if self.dialect != Dialect::Mysql || self.exec_comment.is_some() {
            return None;
        }
        let after = match (self.at(start + 2), self.at(start + 3)) {
            (Some(b'!'), _) => start + 3,
            (Some(b'M'), Some(b'!')) => start + 4,
            _ => return None,
        };
        Some(self.find_from(after, |c| !c.is_ascii_digit()))
    }

    fn block_comment_end(&self, start: usize) -> Result<usize, LexError> {
        let nested = self.dialect == Dialect::Postgres;
        let mut depth = 1usize;
        let mut i = start + 2;
        while let Some(c) = self.at(i) {
            let next = self.at(i + 1);
            if nested && c == b'/' && next == Some(b'*') {
                depth += 1;
                i += 2;
            } else if c == b'*' && next == Some(b'/') {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Ok(i);
                }
            } else {
                i += 1;
            }
        }
        Err(LexError {
            what: Unterminated::BlockComment,
            offset: start,
        })
    }

    /// PostgreSQL `$`: a positional placeholder `$N`, a dollar quote `$tag$ .. $tag$`
    /// (the tag cannot start with a digit, which is what tells the two apart), or a lone `$`.
    fn dollar(&self, start: usize) -> Result<(TokenKind, usize), LexError> {
        if self.at(start + 1).is_some_and(|c| c.is_ascii_digit()) {
            let digits_end = self.find_from(start + 1, |c| !c.is_ascii_digit());
            return Ok((
                TokenKind::Positional,
                self.find_from(digits_end, |c| !is_word_continue(c)),
            ));
        }
        let mut j = start + 1;
        if self.at(j).is_some_and(is_tag_start) {
            j = self.find_from(j + 1, |c| !is_tag_continue(c));
        }
        if self.at(j) != Some(b'$') {
            return Ok((TokenKind::Punct, start + 1));
        }
        let tag = self.slice(start, j + 1);
        let body = self.slice(j + 1, self.sql.len());
        match body.find(tag) {
            Some(p) => Ok((TokenKind::DollarQuoted, j + 1 + p + tag.len())),
            None => Err(LexError {
                what: Unterminated::DollarQuote(tag.to_owned()),
                offset: start,
            }),
        }
    }

    fn word(&self, start: usize) -> Result<(TokenKind, usize), LexError> {
        let mut end = start + 1;
        while self.at(end).is_some_and(is_word_continue) && !self.delimiter_at(end) {
            end += 1;
        }
        // `E'..'`: the PostgreSQL escape string, where backslash escapes apply. Only a
        // standalone `E` counts (`xe'..'` is the identifier `xe` and a plain string).
        let escape_prefix = self.dialect == Dialect::Postgres
            && end == start + 1
            && matches!(self.at(start), Some(b'E' | b'e'))
            && self.at(end) == Some(b'\'');
        if escape_prefix {
            return Ok((TokenKind::String, self.quoted(start, end + 1, b'\'', true)?));
        }
        Ok((TokenKind::Word, end))
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Result<Token<'a>, LexError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.scan() {
            Ok(Some(token)) => Some(Ok(token)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl std::iter::FusedIterator for Lexer<'_> {}

/// SQL whitespace in both dialects (ASCII only: other Unicode spaces are not separators).
pub(crate) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Characters that continue an identifier (and so would be glued onto a `:name`).
pub(crate) fn is_word_continue(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// MySQL identifiers may start with `$`; on PostgreSQL `$` starts a placeholder or quote.
fn is_word_start(c: u8, dialect: Dialect) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 || (c == b'$' && dialect == Dialect::Mysql)
}

fn is_tag_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn is_tag_continue(c: u8) -> bool {
    is_tag_start(c) || c.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    fn kinds(sql: &str, dialect: Dialect) -> Vec<(TokenKind, &str)> {
        Lexer::new(sql, dialect)
            .map(|t| t.map(|t| (t.kind, t.text)))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{sql:?}: {e}"))
    }

    /// The non-whitespace tokens.
    fn code(sql: &str, dialect: Dialect) -> Vec<(TokenKind, &str)> {
        kinds(sql, dialect)
            .into_iter()
            .filter(|(k, _)| *k != Whitespace)
            .collect()
    }

    fn err(sql: &str, dialect: Dialect) -> LexError {
        match Lexer::new(sql, dialect).find_map(Result::err) {
            Some(e) => e,
            None => panic!("{sql:?} lexed without error"),
        }
    }

    const PG: Dialect = Dialect::Postgres;
    const MY: Dialect = Dialect::Mysql;

    #[test]
    fn words_punct_and_whitespace() {
        assert_eq!(
            kinds("SELECT a1,b_$ FROM\tt", PG),
            [
                (Word, "SELECT"),
                (Whitespace, " "),
                (Word, "a1"),
                (Punct, ","),
                (Word, "b_$"),
                (Whitespace, " "),
                (Word, "FROM"),
                (Whitespace, "\t"),
                (Word, "t")
            ]
        );
        assert_eq!(
            code("x<>?;", PG),
            [
                (Word, "x"),
                (Punct, "<"),
                (Punct, ">"),
                (QuestionMark, "?"),
                (Semicolon, ";")
            ]
        );
        assert_eq!(code("héllo wörld", PG), [(Word, "héllo"), (Word, "wörld")]);
    }

    #[test]
    fn pg_strings() {
        assert_eq!(code("'it''s' x", PG), [(String, "'it''s'"), (Word, "x")]);
        // Standard strings: a backslash is an ordinary character.
        assert_eq!(code(r"'a\' x", PG), [(String, r"'a\'"), (Word, "x")]);
        assert_eq!(code(r"E'a\'b' x", PG), [(String, r"E'a\'b'"), (Word, "x")]);
        assert_eq!(code(r"e'a\\' x", PG), [(String, r"e'a\\'"), (Word, "x")]);
        assert_eq!(code(r"E'a''b'", PG), [(String, r"E'a''b'")]);
        // Only a standalone E is the escape prefix.
        assert_eq!(
            code(r"xe'a\' y", PG),
            [(Word, "xe"), (String, r"'a\'"), (Word, "y")]
        );
        assert_eq!(
            code("U&'x' B'1' X'ff'", PG)[1..3],
            [(Punct, "&"), (String, "'x'")]
        );
    }

    #[test]
    fn pg_identifiers_and_casts() {
        assert_eq!(
            code(r#""a""b" x"#, PG),
            [(QuotedIdentifier, r#""a""b""#), (Word, "x")]
        );
        assert_eq!(code("`x`", PG), [(Punct, "`"), (Word, "x"), (Punct, "`")]);
        assert_eq!(
            code("a::int", PG),
            [(Word, "a"), (Cast, "::"), (Word, "int")]
        );
        assert_eq!(code(":x", PG), [(Punct, ":"), (Word, "x")]);
    }

    #[test]
    fn pg_comments() {
        assert_eq!(
            code("a -- b; 'c\nd", PG),
            [(Word, "a"), (LineComment, "-- b; 'c"), (Word, "d")]
        );
        assert_eq!(code("5--3", PG), [(Word, "5"), (LineComment, "--3")]);
        assert_eq!(
            code("a --x\r\nb", PG),
            [(Word, "a"), (LineComment, "--x"), (Word, "b")]
        );
        assert_eq!(code("# x", PG), [(Punct, "#"), (Word, "x")]);
        assert_eq!(
            code("/* a /* b */ c */ d", PG),
            [(BlockComment, "/* a /* b */ c */"), (Word, "d")]
        );
        assert_eq!(
            code("/*/ x */y", PG),
            [(BlockComment, "/*/ x */"), (Word, "y")]
        );
    }

    #[test]
    fn pg_dollar() {
        assert_eq!(code("$1", PG), [(Positional, "$1")]);
        assert_eq!(
            code("$12,$3)", PG),
            [
                (Positional, "$12"),
                (Punct, ","),
                (Positional, "$3"),
                (Punct, ")")
            ]
        );
        assert_eq!(code("$1abc", PG), [(Positional, "$1abc")]);
        assert_eq!(
            code("$1::int", PG),
            [(Positional, "$1"), (Cast, "::"), (Word, "int")]
        );
        assert_eq!(
            code("$$ a $1 ' $$ x", PG),
            [(DollarQuoted, "$$ a $1 ' $$"), (Word, "x")]
        );
        assert_eq!(
            code("$fn$ $$ $f$ $fn$;", PG),
            [(DollarQuoted, "$fn$ $$ $f$ $fn$"), (Semicolon, ";")]
        );
        assert_eq!(code("$é$x$é$", PG), [(DollarQuoted, "$é$x$é$")]);
        // `$` inside a word is part of the word, never a quote.
        assert_eq!(code("a$b$ c", PG), [(Word, "a$b$"), (Word, "c")]);
        assert_eq!(code("$ x", PG), [(Punct, "$"), (Word, "x")]);
        assert_eq!(code("$a x", PG), [(Punct, "$"), (Word, "a"), (Word, "x")]);
    }

    #[test]
    fn mysql_strings_and_identifiers() {
        assert_eq!(code(r"'a\'b' x", MY), [(String, r"'a\'b'"), (Word, "x")]);
        assert_eq!(code(r"'a''b'", MY), [(String, r"'a''b'")]);
        assert_eq!(
            code(r#""a\"b""c" x"#, MY),
            [(String, r#""a\"b""c""#), (Word, "x")]
        );
        assert_eq!(code(r"'a\\' x", MY), [(String, r"'a\\'"), (Word, "x")]);
        assert_eq!(
            code("`a``b` x", MY),
            [(QuotedIdentifier, "`a``b`"), (Word, "x")]
        );
        assert_eq!(
            code(r"`a\` x", MY),
            [(QuotedIdentifier, r"`a\`"), (Word, "x")]
        );
        assert_eq!(
            code("_utf8mb4'x'", MY),
            [(Word, "_utf8mb4"), (String, "'x'")]
        );
        // E'' is not special on MySQL, but backslashes escape anyway.
        assert_eq!(code(r"E'\''", MY), [(Word, "E"), (String, r"'\''")]);
    }

    #[test]
    fn mysql_comments() {
        assert_eq!(
            code("a -- b\nc", MY),
            [(Word, "a"), (LineComment, "-- b"), (Word, "c")]
        );
        assert_eq!(
            code("a --\tb\nc", MY),
            [(Word, "a"), (LineComment, "--\tb"), (Word, "c")]
        );
        assert_eq!(code("a --", MY), [(Word, "a"), (LineComment, "--")]);
        assert_eq!(
            code("5--3", MY),
            [(Word, "5"), (Punct, "-"), (Punct, "-"), (Word, "3")]
        );
        assert_eq!(
            code("a # b ; c\nd", MY),
            [(Word, "a"), (LineComment, "# b ; c"), (Word, "d")]
        );
        // Not nested: the first `*/` ends the comment.
        assert_eq!(
            code("/* a /* b */ c", MY),
            [(BlockComment, "/* a /* b */"), (Word, "c")]
        );
        assert_eq!(
            code("/*+ hint */ x", MY),
            [(BlockComment, "/*+ hint */"), (Word, "x")]
        );
    }

    #[test]
    fn mysql_executable_comments_are_code() {
        assert_eq!(
            code("/*!40101 SET x = ? */;", MY),
            [
                (ExecutableCommentStart, "/*!40101"),
                (Word, "SET"),
                (Word, "x"),
                (Punct, "="),
                (QuestionMark, "?"),
                (ExecutableCommentEnd, "*/"),
                (Semicolon, ";")
            ]
        );
        assert_eq!(
            code("/*M!100100 a /* c */ b */ d */", MY),
            [
                (ExecutableCommentStart, "/*M!100100"),
                (Word, "a"),
                (BlockComment, "/* c */"),
                (Word, "b"),
                (ExecutableCommentEnd, "*/"),
                (Word, "d"),
                (Punct, "*"),
                (Punct, "/")
            ]
        );
        assert_eq!(code("/*! x*/", MY)[0], (ExecutableCommentStart, "/*!"));
        // PostgreSQL has no executable comments.
        assert_eq!(code("/*! x */", PG), [(BlockComment, "/*! x */")]);
    }

    #[test]
    fn mysql_dollar_is_plain_text() {
        assert_eq!(
            code("$1 $$ $a$", MY),
            [(Word, "$1"), (Word, "$$"), (Word, "$a$")]
        );
    }

    #[test]
    fn unterminated_regions() {
        let e = err("SELECT 'abc", PG);
        assert_eq!((e.what.clone(), e.offset), (Unterminated::StringLiteral, 7));
        assert_eq!(
            e.to_string(),
            "unterminated string literal starting at byte 7"
        );
        assert_eq!(err(r"x E'a\'", PG).offset, 2);
        assert_eq!(err(r"'a\'", MY).what, Unterminated::StringLiteral);
        assert_eq!(err(r#""a\""#, MY).what, Unterminated::StringLiteral);
        assert_eq!(err(r#"x "a"#, PG).what, Unterminated::QuotedIdentifier);
        assert_eq!(err("`a", MY).what, Unterminated::QuotedIdentifier);
        assert_eq!(err("/* /* */", PG).what, Unterminated::BlockComment);
        assert_eq!(err("/* a", MY).offset, 0);
        let e = err("AS $fn$ body $f$", PG);
        assert_eq!(
            (e.what.clone(), e.offset),
            (Unterminated::DollarQuote("$fn$".into()), 3)
        );
        assert_eq!(
            e.to_string(),
            "unterminated dollar-quoted string $fn$ starting at byte 3"
        );
        let e = err("x /*!50003 CREATE", MY);
        assert_eq!((e.what, e.offset), (Unterminated::ExecutableComment, 2));
        // A trailing backslash escapes past the end.
        assert_eq!(err("'\\", MY).what, Unterminated::StringLiteral);
    }

    #[test]
    fn stops_after_error() {
        let mut lexer = Lexer::new("a 'b", PG);
        assert!(matches!(lexer.next(), Some(Ok(_))));
        assert!(matches!(lexer.next(), Some(Ok(_))));
        assert!(matches!(lexer.next(), Some(Err(_))));
        assert!(lexer.next().is_none());
        assert!(lexer.next().is_none());
    }

    #[test]
    fn custom_delimiter() {
        let sql = "END$$ a//b 'x$$' $$";
        let mut lexer = Lexer::new(sql, MY);
        lexer.set_delimiter(Some("$$"));
        let tokens: Vec<_> = lexer
            .map(|t| t.map(|t| (t.kind, t.text)))
            .collect::<Result<_, _>>()
            .unwrap_or_default();
        let tokens: Vec<_> = tokens
            .into_iter()
            .filter(|(k, _)| *k != Whitespace)
            .collect();
        assert_eq!(
            tokens,
            [
                (Word, "END"),
                (Delimiter, "$$"),
                (Word, "a"),
                (Punct, "/"),
                (Punct, "/"),
                (Word, "b"),
                (String, "'x$$'"),
                (Delimiter, "$$")
            ]
        );
        let mut lexer = Lexer::new("a end b", MY);
        lexer.set_delimiter(Some("END"));
        let texts: Vec<_> = lexer.filter_map(Result::ok).map(|t| t.kind).collect();
        assert_eq!(texts, [Word, Whitespace, Delimiter, Whitespace, Word]);
    }

    #[test]
    fn take_line_skips_to_newline() {
        let mut lexer = Lexer::new("DELIMITER // x\nSELECT", MY);
        assert!(matches!(lexer.next(), Some(Ok(t)) if t.is_keyword("delimiter")));
        assert_eq!(lexer.take_line(), (9, " // x"));
        assert_eq!(lexer.offset(), 14);
        assert!(matches!(lexer.next(), Some(Ok(t)) if t.kind == Whitespace));
    }

    #[test]
    fn tokens_tile_the_input() {
        for (sql, d) in [
            ("SELECT 'a', \"b\", $$c$$, $1 -- d\n /* e */ f;", PG),
            ("SELECT 'a', \"b\", `c`, ? # d\n /*! e */ f;", MY),
            ("\u{3000}é\u{0}\x7f", PG),
        ] {
            let joined: std::string::String = kinds(sql, d).into_iter().map(|(_, t)| t).collect();
            assert_eq!(joined, sql);
        }
    }
}
