//! Script → single statements, for `batch_execute`.
//!
//! The Data API rejects multi-statement SQL, but diesel's `batch_execute` (and so every
//! migration's `up.sql`) hands over whole scripts. We cut them where the database's own
//! command-line client would: at `;` outside literals, comments and dollar quotes, keeping
//! routine bodies whole. The block tracking is a heuristic in the spirit of `psql` and
//! `mysql`, not a parser; both clients have lived with theirs for decades.

use std::fmt;

use super::lexer::{is_space, LexError, Lexer, Token, TokenKind};
use super::Dialect;

/// Why a script could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SplitError {
    /// The script ends inside a literal, quoted identifier, comment or dollar quote.
    Lex(LexError),
    /// A MySQL `DELIMITER` directive without a usable delimiter (missing, or containing a
    /// backslash, which the `mysql` client rejects too).
    InvalidDelimiter {
        /// Byte offset of the word `DELIMITER`.
        offset: usize,
        /// The delimiter as written (empty when missing).
        delimiter: String,
    },
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lex(e) => e.fmt(f),
            Self::InvalidDelimiter { offset, delimiter } if delimiter.is_empty() => {
                write!(f, "DELIMITER directive at byte {offset} has no delimiter")
            }
            Self::InvalidDelimiter { offset, delimiter } => write!(
                f,
                "DELIMITER directive at byte {offset}: delimiter {delimiter} must not contain a backslash"
            ),
        }
    }
}

impl std::error::Error for SplitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Lex(e) => Some(e),
            Self::InvalidDelimiter { .. } => None,
        }
    }
}

impl From<LexError> for SplitError {
    fn from(e: LexError) -> Self {
        Self::Lex(e)
    }
}

/// Splits a script into single statements.
///
/// Statements are cut at `;` outside string literals, quoted identifiers, comments and
/// dollar-quoted bodies, trimmed, and returned without the `;`. Statements that are empty or
/// only whitespace and comments are dropped; comments inside or before a statement are kept.
///
/// Kept whole:
/// - PostgreSQL: `$$` / `$tag$` bodies, `E'..'` strings, `(..)` groups (multi-action
///   `CREATE RULE`), and `BEGIN ATOMIC .. END` bodies of `CREATE [OR REPLACE]
///   FUNCTION|PROCEDURE` (with `CASE .. END` inside them), much as `psql` does.
/// - MySQL: `BEGIN .. END` compound bodies after a `CREATE [OR REPLACE] [DEFINER = ..]
///   [AGGREGATE] PROCEDURE|FUNCTION|TRIGGER|EVENT` header, with `IF`, `CASE`, `LOOP`, `WHILE`,
///   `REPEAT` blocks inside, and MariaDB's `BEGIN NOT ATOMIC .. END`. A transaction `BEGIN;`
///   or `BEGIN WORK` is an ordinary statement.
/// - MySQL `DELIMITER xx` lines (the `mysql` client's directive, recognized as the first word
///   of a statement) switch the delimiter and are not returned; while a delimiter other than
///   `;` is active, only it separates statements (a `;` right before it is dropped).
///
/// ```
/// use aurora_data_api::sql::{split_statements, Dialect};
///
/// let sql = "-- Your SQL goes here\nCREATE TABLE t (s text DEFAULT ';');\n\
///            CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n";
/// assert_eq!(
///     split_statements(sql, Dialect::Postgres)?,
///     [
///         "-- Your SQL goes here\nCREATE TABLE t (s text DEFAULT ';')",
///         "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
///     ]
/// );
/// # Ok::<(), aurora_data_api::sql::SplitError>(())
/// ```
pub fn split_statements(sql: &str, dialect: Dialect) -> Result<Vec<String>, SplitError> {
    let mut lexer = Lexer::new(sql, dialect);
    let mut splitter = Splitter::new(sql, dialect);
    while let Some(token) = lexer.next() {
        let token = token?;
        match token.kind {
            TokenKind::Whitespace => {}
            // Not code, and invisible to block tracking (MySQL dumps wrap headers in them).
            TokenKind::LineComment
            | TokenKind::BlockComment
            | TokenKind::ExecutableCommentStart
            | TokenKind::ExecutableCommentEnd => splitter.trailing_semicolon = None,
            TokenKind::Delimiter => splitter.finish(token.start, token.end()),
            TokenKind::Semicolon => {
                if !splitter.custom_delimiter && splitter.blocks.semicolon() {
                    splitter.finish(token.start, token.end());
                } else {
                    splitter.trailing_semicolon.get_or_insert(token.start);
                }
            }
            _ if dialect == Dialect::Mysql
                && !splitter.has_code
                && token.is_keyword("DELIMITER")
                && sql.as_bytes().get(token.end()).is_none_or(|&c| is_space(c)) =>
            {
                let (_, line) = lexer.take_line();
                let delimiter = delimiter_argument(line);
                if delimiter.is_empty() || delimiter.contains('\\') {
                    return Err(SplitError::InvalidDelimiter {
                        offset: token.start,
                        delimiter: delimiter.to_owned(),
                    });
                }
                splitter.custom_delimiter = delimiter != ";";
                lexer.set_delimiter(Some(delimiter).filter(|_| splitter.custom_delimiter));
                // Only comments can precede the directive in this statement: drop them.
                splitter.finish(token.start, lexer.offset());
            }
            _ => {
                splitter.has_code = true;
                splitter.trailing_semicolon = None;
                if !splitter.custom_delimiter {
                    splitter.blocks.feed(&token);
                }
            }
        }
    }
    splitter.finish(sql.len(), sql.len());
    Ok(splitter.out)
}

/// The delimiter in the rest of a `DELIMITER` line: its first whitespace-separated word,
/// without surrounding quotes (`DELIMITER '//'` is allowed by the `mysql` client).
fn delimiter_argument(line: &str) -> &str {
    let word = line
        .split(|c: char| c.is_ascii() && is_space(c as u8))
        .find(|w| !w.is_empty())
        .unwrap_or("");
    for quote in ['\'', '"', '`'] {
        if let Some(inner) = word
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    word
}

/// Trims SQL whitespace only: other Unicode spaces are part of words, not separators.
fn trim_sql(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_ascii() && is_space(c as u8))
}

/// The statement being collected.
struct Splitter<'a> {
    sql: &'a str,
    out: Vec<String>,
    /// Byte offset where the current statement starts.
    start: usize,
    /// Whether the current statement has anything besides whitespace and comments.
    has_code: bool,
    /// Start of a run of `;` that nothing but whitespace follows yet (inside a routine, or
    /// under a custom delimiter): cut off if the statement ends there.
    trailing_semicolon: Option<usize>,
    /// A MySQL `DELIMITER` other than `;` is active.
    custom_delimiter: bool,
    blocks: Blocks,
}

impl<'a> Splitter<'a> {
    fn new(sql: &'a str, dialect: Dialect) -> Self {
        Self {
            sql,
            out: Vec::new(),
            start: 0,
            has_code: false,
            trailing_semicolon: None,
            custom_delimiter: false,
            blocks: Blocks::new(dialect),
        }
    }

    /// Ends the current statement at `end`; the next one starts at `next`.
    fn finish(&mut self, end: usize, next: usize) {
        let end = self.trailing_semicolon.take().unwrap_or(end);
        if self.has_code {
            let text = trim_sql(self.sql.get(self.start..end).unwrap_or(""));
            if !text.is_empty() {
                self.out.push(text.to_owned());
            }
        }
        self.start = next;
        self.has_code = false;
        self.blocks.reset();
    }
}

/// Per-dialect tracking of bodies whose `;` do not end the statement.
enum Blocks {
    Pg(PgBlocks),
    Mysql(MysqlBlocks),
}

impl Blocks {
    fn new(dialect: Dialect) -> Self {
        match dialect {
            Dialect::Postgres => Self::Pg(PgBlocks::default()),
            Dialect::Mysql => Self::Mysql(MysqlBlocks::default()),
        }
    }

    fn reset(&mut self) {
        match self {
            Self::Pg(b) => *b = PgBlocks::default(),
            Self::Mysql(b) => *b = MysqlBlocks::default(),
        }
    }

    /// Feeds one code token (not whitespace, comments or `;`).
    fn feed(&mut self, token: &Token<'_>) {
        match self {
            Self::Pg(b) => b.feed(token),
            Self::Mysql(b) => b.feed(token),
        }
    }

    /// A `;` was seen: true if it ends the statement.
    fn semicolon(&mut self) -> bool {
        match self {
            Self::Pg(b) => b.semicolon(),
            Self::Mysql(b) => b.semicolon(),
        }
    }
}

fn is_punct(token: &Token<'_>, punct: &str) -> bool {
    token.kind == TokenKind::Punct && token.text == punct
}

fn is_any_keyword(token: &Token<'_>, keywords: &[&str]) -> bool {
    keywords.iter().any(|k| token.is_keyword(k))
}

/// `psql`'s heuristic, tightened: in a statement starting `CREATE [OR REPLACE]
/// FUNCTION|PROCEDURE`, count `BEGIN ATOMIC` (and `CASE` once inside) up and `END` down,
/// outside parentheses; a `;` ends the statement only at depth 0 and outside parentheses.
/// Unlike `psql` we require `ATOMIC` after `BEGIN` (the only body PostgreSQL accepts), so a
/// function named `begin` does not swallow the rest of the script.
#[derive(Default)]
struct PgBlocks {
    header: PgHeader,
    parens: usize,
    depth: usize,
    /// The previous code token was the word `BEGIN`.
    after_begin: bool,
    /// The previous code token was `.`: the word is a qualified name (`t.end`), not a keyword.
    after_dot: bool,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum PgHeader {
    #[default]
    Start,
    Create,
    CreateOr,
    CreateOrReplace,
    Routine,
    Other,
}

impl PgHeader {
    fn next(self, word: &Token<'_>) -> Self {
        let routine = is_any_keyword(word, &["FUNCTION", "PROCEDURE"]);
        match self {
            Self::Start if word.is_keyword("CREATE") => Self::Create,
            Self::Create if word.is_keyword("OR") => Self::CreateOr,
            Self::CreateOr if word.is_keyword("REPLACE") => Self::CreateOrReplace,
            Self::Create | Self::CreateOrReplace if routine => Self::Routine,
            Self::Routine => Self::Routine,
            _ => Self::Other,
        }
    }
}

impl PgBlocks {
    fn feed(&mut self, token: &Token<'_>) {
        let after_begin = std::mem::take(&mut self.after_begin);
        let after_dot = std::mem::replace(&mut self.after_dot, is_punct(token, "."));
        match token.kind {
            TokenKind::Punct if token.text == "(" => self.parens += 1,
            TokenKind::Punct if token.text == ")" => self.parens = self.parens.saturating_sub(1),
            TokenKind::Word => {
                self.header = self.header.next(token);
                if self.header != PgHeader::Routine || self.parens > 0 || after_dot {
                    return;
                }
                self.after_begin = token.is_keyword("BEGIN");
                let opens = (after_begin && token.is_keyword("ATOMIC"))
                    || (token.is_keyword("CASE") && self.depth > 0);
                if opens {
                    self.depth += 1;
                } else if token.is_keyword("END") {
                    self.depth = self.depth.saturating_sub(1);
                }
            }
            _ => {}
        }
    }

    fn semicolon(&mut self) -> bool {
        self.parens == 0 && self.depth == 0
    }
}

/// MySQL compound-statement tracking inside routine bodies (without `DELIMITER`).
///
/// Every block ends with `END` (plus `IF`/`CASE`/`LOOP`/`WHILE`/`REPEAT` for most), so a
/// stack of openers suffices; the work is telling openers from look-alikes: the `IF()`
/// function and `IF [NOT] EXISTS`, the `REPEAT()` function, and `CASE` expressions (inside
/// which no statement can open a block). Statement openers follow a statement boundary.
#[derive(Default)]
struct MysqlBlocks {
    header: MysqlHeader,
    parens: usize,
    stack: Vec<Frame>,
    /// The previous code token ends a statement or starts a statement list.
    boundary: bool,
    /// The previous code token was `END`: a following `IF`, `CASE`, … closes, not opens.
    after_end: bool,
    /// An `IF` after a non-boundary token: a block only if not followed by `(`, `EXISTS`
    /// or `NOT` (the `IF()` function, `IF [NOT] EXISTS`).
    pending_if: bool,
    /// The previous code token was `.`: the word is a qualified name (`t.end`), not a keyword.
    after_dot: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Block,
    If,
    CaseStatement,
    CaseExpression,
    Loop,
}

/// Tokens after which a statement starts: `;`, a label's `:`, the end of a routine header
/// (`)`, characteristics, `FOR EACH ROW`, an event's `DO`) and the words that open
/// statement lists.
const BOUNDARY_WORDS: &[&str] = &[
    "BEGIN",
    "THEN",
    "ELSE",
    "DO",
    "LOOP",
    "REPEAT",
    "ROW",
    "ATOMIC",
    "DETERMINISTIC",
    "INVOKER",
    "DEFINER",
    "SQL",
    "DATA",
];

/// Words that follow `END` to close their block.
const CLOSERS: &[&str] = &["IF", "CASE", "LOOP", "WHILE", "REPEAT"];

impl MysqlBlocks {
    fn feed(&mut self, token: &Token<'_>) {
        let previous = self.header;
        self.header = self.header.next(token);
        if self.header != MysqlHeader::Routine {
            return;
        }
        if previous == MysqlHeader::BeginNot {
            // `BEGIN NOT ATOMIC`: the BEGIN went by before we knew it opened a block.
            self.stack.push(Frame::Block);
        }
        let after_end = std::mem::take(&mut self.after_end);
        let after_dot = std::mem::replace(&mut self.after_dot, is_punct(token, "."));
        if std::mem::take(&mut self.pending_if) {
            let look_alike = is_punct(token, "(") || is_any_keyword(token, &["EXISTS", "NOT"]);
            if !look_alike {
                self.stack.push(Frame::If);
            }
        }
        match token.kind {
            TokenKind::Punct if token.text == "(" => self.parens += 1,
            TokenKind::Punct if token.text == ")" => self.parens = self.parens.saturating_sub(1),
            // Block keywords never appear inside parentheses; parameter names might.
            TokenKind::Word if self.parens == 0 && !after_dot => self.keyword(token, after_end),
            _ => {}
        }
        self.boundary = match token.kind {
            TokenKind::Punct => token.text == ":" || token.text == ")",
            TokenKind::Word => is_any_keyword(token, BOUNDARY_WORDS),
            _ => false,
        };
    }

    fn keyword(&mut self, word: &Token<'_>, after_end: bool) {
        if after_end && is_any_keyword(word, CLOSERS) {
            return;
        }
        let in_expression = self.stack.last() == Some(&Frame::CaseExpression);
        if word.is_keyword("END") {
            self.stack.pop();
            self.after_end = true;
        } else if word.is_keyword("CASE") {
            self.stack.push(if self.boundary && !in_expression {
                Frame::CaseStatement
            } else {
                Frame::CaseExpression
            });
        } else if in_expression {
            // Only CASE and END matter inside a CASE expression.
        } else if word.is_keyword("BEGIN") {
            self.stack.push(Frame::Block);
        } else if word.is_keyword("IF") {
            if self.boundary {
                self.stack.push(Frame::If);
            } else {
                self.pending_if = true;
            }
        } else if is_any_keyword(word, &["LOOP", "WHILE"])
            || (word.is_keyword("REPEAT") && self.boundary)
        {
            self.stack.push(Frame::Loop);
        }
    }

    fn semicolon(&mut self) -> bool {
        self.after_end = false;
        self.pending_if = false;
        self.after_dot = false;
        if self.header != MysqlHeader::Routine {
            return true;
        }
        // A `;` is never inside parentheses in MySQL: recover from an unbalanced one.
        self.parens = 0;
        self.boundary = true;
        self.stack.is_empty()
    }
}

/// Recognizes `CREATE [OR REPLACE] [DEFINER = user] [AGGREGATE]
/// PROCEDURE|FUNCTION|TRIGGER|EVENT` and `BEGIN NOT ATOMIC`, token by token.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum MysqlHeader {
    #[default]
    Start,
    Create,
    CreateOr,
    DefinerEquals,
    DefinerUser,
    DefinerCurrentUser,
    DefinerCloseParen,
    DefinerAfterUser,
    DefinerHost,
    Begin,
    BeginNot,
    Routine,
    Plain,
}

impl MysqlHeader {
    fn next(self, token: &Token<'_>) -> Self {
        let atom = matches!(
            token.kind,
            TokenKind::Word | TokenKind::String | TokenKind::QuotedIdentifier
        );
        match self {
            Self::Start if token.is_keyword("CREATE") => Self::Create,
            Self::Start if token.is_keyword("BEGIN") => Self::Begin,
            Self::Create if token.is_keyword("OR") => Self::CreateOr,
            Self::Create if token.is_keyword("DEFINER") => Self::DefinerEquals,
            Self::Create if token.is_keyword("AGGREGATE") => Self::Create,
            Self::Create
                if is_any_keyword(token, &["PROCEDURE", "FUNCTION", "TRIGGER", "EVENT"]) =>
            {
                Self::Routine
            }
            Self::CreateOr if token.is_keyword("REPLACE") => Self::Create,
            Self::DefinerEquals if is_punct(token, "=") => Self::DefinerUser,
            Self::DefinerUser if token.is_keyword("CURRENT_USER") => Self::DefinerCurrentUser,
            Self::DefinerUser if atom => Self::DefinerAfterUser,
            Self::DefinerCurrentUser if is_punct(token, "(") => Self::DefinerCloseParen,
            Self::DefinerCloseParen if is_punct(token, ")") => Self::Create,
            Self::DefinerAfterUser if is_punct(token, "@") => Self::DefinerHost,
            Self::DefinerAfterUser | Self::DefinerCurrentUser => Self::Create.next(token),
            Self::DefinerHost if atom => Self::Create,
            Self::Begin if token.is_keyword("NOT") => Self::BeginNot,
            Self::BeginNot if token.is_keyword("ATOMIC") => Self::Routine,
            Self::Routine => Self::Routine,
            _ => Self::Plain,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::Unterminated;

    const PG: Dialect = Dialect::Postgres;
    const MY: Dialect = Dialect::Mysql;

    fn split(sql: &str, dialect: Dialect) -> Vec<String> {
        split_statements(sql, dialect).unwrap_or_else(|e| panic!("{sql:?}: {e}"))
    }

    fn both(sql: &str) -> Vec<String> {
        let pg = split(sql, PG);
        assert_eq!(pg, split(sql, MY), "dialects disagree on {sql:?}");
        pg
    }

    /// The rustdoc example, kept runnable with `--lib`.
    #[test]
    fn doc_example() {
        let sql = "-- Your SQL goes here\nCREATE TABLE t (s text DEFAULT ';');\n\
                   CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n";
        assert_eq!(
            split(sql, PG),
            [
                "-- Your SQL goes here\nCREATE TABLE t (s text DEFAULT ';')",
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
            ]
        );
    }

    #[test]
    fn basic_splitting() {
        assert_eq!(both("SELECT 1; SELECT 2"), ["SELECT 1", "SELECT 2"]);
        assert_eq!(both("SELECT 1;\nSELECT 2;\n"), ["SELECT 1", "SELECT 2"]);
        assert_eq!(both("  SELECT 1  "), ["SELECT 1"]);
        assert_eq!(both("SELECT 1;;; ;\n;SELECT 2;"), ["SELECT 1", "SELECT 2"]);
        assert!(both("").is_empty());
        assert!(both(" ;\n ; ").is_empty());
        assert_eq!(both("a\r\n;\r\nb\r\n"), ["a", "b"]);
    }

    #[test]
    fn comment_only_statements_are_dropped() {
        assert!(both("-- Your SQL goes here\n").is_empty());
        assert!(both("/* nothing */ ; -- here\n;").is_empty());
        assert_eq!(
            both("-- Your SQL goes here\nCREATE TABLE t (id int);\n-- trailing\n"),
            ["-- Your SQL goes here\nCREATE TABLE t (id int)"]
        );
        assert_eq!(
            both("SELECT 1 /* a; b */ + 1; /* c */"),
            ["SELECT 1 /* a; b */ + 1"]
        );
        assert_eq!(
            both("SELECT 1 -- x; y\n; SELECT 2"),
            ["SELECT 1 -- x; y", "SELECT 2"]
        );
    }

    #[test]
    fn literals_and_identifiers_are_not_split() {
        assert_eq!(
            both("SELECT ';', 'a'';b'; SELECT 2"),
            ["SELECT ';', 'a'';b'", "SELECT 2"]
        );
        assert_eq!(split(r#"SELECT "a;b"; x"#, PG), [r#"SELECT "a;b""#, "x"]);
        assert_eq!(
            split(r#"SELECT "a\";b"; x"#, MY),
            [r#"SELECT "a\";b""#, "x"]
        );
        assert_eq!(split("SELECT `a;b`; x", MY), ["SELECT `a;b`", "x"]);
        assert_eq!(split(r"SELECT 'a\';b'; x", MY), [r"SELECT 'a\';b'", "x"]);
        // On PostgreSQL a backslash in a standard string is ordinary…
        assert_eq!(split(r"SELECT 'a\'; x", PG), [r"SELECT 'a\'", "x"]);
        // …and escapes in an E'' string.
        assert_eq!(split(r"SELECT E'a\';b'; x", PG), [r"SELECT E'a\';b'", "x"]);
    }

    #[test]
    fn pg_comments() {
        assert_eq!(
            split("SELECT 1 /* /* ; */ ; */; x", PG),
            ["SELECT 1 /* /* ; */ ; */", "x"]
        );
        assert_eq!(split("SELECT 5--3;\n; x", PG), ["SELECT 5--3;", "x"]);
    }

    #[test]
    fn mysql_comments() {
        assert_eq!(split("SELECT 1 # a;b\n; x", MY), ["SELECT 1 # a;b", "x"]);
        assert_eq!(split("SELECT 5--3; x", MY), ["SELECT 5--3", "x"]);
        assert_eq!(
            split("SELECT 1 /* a /* ; */; x", MY),
            ["SELECT 1 /* a /* ; */", "x"]
        );
        assert_eq!(split("SELECT 1 #x\n#y;\n", MY), ["SELECT 1 #x\n#y;"]);
    }

    #[test]
    fn pg_dollar_quotes() {
        let f = "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.a := ';';\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql";
        let t = "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION f()";
        assert_eq!(split(&format!("{f};\n{t};\n"), PG), [f, t]);
        let g = "DO $body$ BEGIN PERFORM 1; PERFORM $$;$$; END $body$";
        assert_eq!(split(&format!("{g}; SELECT $1"), PG), [g, "SELECT $1"]);
        // `$1` is not a dollar quote.
        assert_eq!(
            split("SELECT $1; SELECT $2", PG),
            ["SELECT $1", "SELECT $2"]
        );
        // MySQL has no dollar quotes.
        assert_eq!(split("SELECT $$; $$", MY), ["SELECT $$", "$$"]);
    }

    #[test]
    fn pg_begin_atomic() {
        let f = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  INSERT INTO t VALUES (a);\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\nEND";
        assert_eq!(split(&format!("{f};\nSELECT 1;"), PG), [f, "SELECT 1"]);
        let p = "create or replace procedure p() language sql begin atomic insert into t values (1); insert into t values (2); end";
        assert_eq!(split(&format!("{p}; select 2"), PG), [p, "select 2"]);
        // Nested BEGIN .. END inside (not valid SQL, but counted consistently).
        let n = "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; BEGIN ATOMIC SELECT 2; END; END";
        assert_eq!(split(&format!("{n};x"), PG), [n, "x"]);
    }

    #[test]
    fn pg_begin_without_atomic_or_qualified_is_a_name() {
        // A function named `begin`, a column `t.end`: no block.
        let f = "CREATE FUNCTION begin() RETURNS int AS 'select 1' LANGUAGE sql";
        assert_eq!(split(&format!("{f}; x"), PG), [f, "x"]);
        let f = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT t.end FROM t; SELECT \"end\"; END";
        assert_eq!(split(&format!("{f}; x"), PG), [f, "x"]);
    }

    #[test]
    fn pg_begin_outside_routines_is_a_transaction() {
        assert_eq!(
            split("BEGIN; SELECT 1; COMMIT;", PG),
            ["BEGIN", "SELECT 1", "COMMIT"]
        );
        assert_eq!(
            split("BEGIN ISOLATION LEVEL SERIALIZABLE; END;", PG),
            ["BEGIN ISOLATION LEVEL SERIALIZABLE", "END"]
        );
        // CASE .. END in an ordinary statement does not nest.
        assert_eq!(
            split("SELECT CASE WHEN true THEN 1 END; SELECT 2", PG),
            ["SELECT CASE WHEN true THEN 1 END", "SELECT 2"]
        );
        // `begin` inside a routine's parentheses is a parameter name.
        assert_eq!(
            split(
                "CREATE FUNCTION f(begin int) RETURNS int AS 'select 1' LANGUAGE sql; x",
                PG
            ),
            [
                "CREATE FUNCTION f(begin int) RETURNS int AS 'select 1' LANGUAGE sql",
                "x"
            ]
        );
    }

    #[test]
    fn pg_parentheses_keep_semicolons() {
        let rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))";
        assert_eq!(split(&format!("{rule}; SELECT 1"), PG), [rule, "SELECT 1"]);
    }

    #[test]
    fn mysql_transaction_begin_is_not_a_block() {
        assert_eq!(
            split("BEGIN; SELECT 1; COMMIT", MY),
            ["BEGIN", "SELECT 1", "COMMIT"]
        );
        assert_eq!(
            split("BEGIN WORK; INSERT INTO t VALUES (1); COMMIT", MY),
            ["BEGIN WORK", "INSERT INTO t VALUES (1)", "COMMIT"]
        );
        assert_eq!(
            split("START TRANSACTION; END; x", MY),
            ["START TRANSACTION", "END", "x"]
        );
    }

    #[test]
    fn mysql_procedure_without_delimiter() {
        let p = "CREATE PROCEDURE p(IN n INT)\nBEGIN\n  DECLARE i INT DEFAULT 0;\n  WHILE i < n DO\n    SET i = i + 1;\n  END WHILE;\n  IF i > 5 THEN\n    SELECT 'big';\n  ELSEIF i > 2 THEN\n    SELECT 'mid';\n  ELSE\n    SELECT 'small';\n  END IF;\nEND";
        assert_eq!(split(&format!("{p};\nCALL p(3);"), MY), [p, "CALL p(3)"]);
    }

    #[test]
    fn mysql_trigger_function_event() {
        let t = "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN IF NEW.a IS NULL THEN SET NEW.a = 0; END IF; END";
        let f = "CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC BEGIN DECLARE y INT; SET y = x * 2; RETURN y; END";
        let e = "CREATE EVENT ev ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM log WHERE ts < NOW(); INSERT INTO audit VALUES (1); END";
        let sql = format!("{t};\n{f};\n{e};\nSELECT 1;");
        assert_eq!(split(&sql, MY), [t, f, e, "SELECT 1"]);
    }

    #[test]
    fn mysql_routine_bodies_without_begin() {
        let t = "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW IF NEW.a < 0 THEN SET NEW.a = 0; END IF";
        assert_eq!(split(&format!("{t}; x"), MY), [t, "x"]);
        let t = "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1";
        assert_eq!(split(&format!("{t}; x"), MY), [t, "x"]);
        let p = "CREATE PROCEDURE p() SELECT 1";
        assert_eq!(split(&format!("{p}; SELECT 2"), MY), [p, "SELECT 2"]);
        let f = "CREATE FUNCTION f(a INT) RETURNS INT DETERMINISTIC RETURN IF(a > 0, 1, CASE WHEN a = 0 THEN 0 ELSE -1 END)";
        assert_eq!(split(&format!("{f}; x"), MY), [f, "x"]);
        let e =
            "CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO IF (SELECT 1) THEN DELETE FROM t; END IF";
        assert_eq!(split(&format!("{e}; x"), MY), [e, "x"]);
    }

    #[test]
    fn mysql_headers() {
        for header in [
            "CREATE OR REPLACE PROCEDURE p()",
            "CREATE DEFINER = 'root'@'localhost' PROCEDURE p()",
            "CREATE DEFINER=`root`@`%` TRIGGER t AFTER UPDATE ON x FOR EACH ROW",
            "CREATE DEFINER=root@localhost FUNCTION f() RETURNS INT",
            "CREATE DEFINER = CURRENT_USER PROCEDURE p()",
            "CREATE DEFINER = CURRENT_USER() PROCEDURE p()",
            "create aggregate function f() returns int",
            "CREATE OR REPLACE DEFINER=CURRENT_ROLE EVENT e ON SCHEDULE AT NOW() DO",
            "CREATE PROCEDURE IF NOT EXISTS p()",
            "/*!50003 CREATE*/ /*!50020 DEFINER=`u`@`h`*/ /*!50003 PROCEDURE p() */",
        ] {
            let stmt = format!("{header} BEGIN SELECT 1; SELECT 2; END");
            assert_eq!(
                split(&format!("-- c\n{stmt};\nx;"), MY),
                [format!("-- c\n{stmt}"), "x".into()],
                "{header}"
            );
        }
        // Not routines: `;` splits as usual.
        for sql in [
            "CREATE TABLE procedure_log (begin INT); SELECT 1",
            "CREATE DEFINER = root VIEW v AS SELECT 1; SELECT 1",
            "CREATE ALGORITHM=MERGE VIEW v AS SELECT 1; SELECT 1",
            "CREATE TABLE event (id INT); SELECT 1",
        ] {
            assert_eq!(split(sql, MY).len(), 2, "{sql}");
        }
    }

    #[test]
    fn mysql_if_look_alikes() {
        let p = "CREATE PROCEDURE p() BEGIN DROP TABLE IF EXISTS t; CREATE TABLE IF NOT EXISTS t (a INT); SET @x = IF(1, 2, 3); SELECT IF (1, 2, 3); IF NOT EXISTS (SELECT 1 FROM t) THEN INSERT INTO t VALUES (1); END IF; IF (1 = 1) THEN SELECT 1; END IF; END";
        assert_eq!(split(&format!("{p}; x"), MY), [p, "x"]);
    }

    #[test]
    fn mysql_case_statement_and_expression() {
        let p = "CREATE PROCEDURE p(v INT) BEGIN CASE v WHEN 1 THEN SELECT CASE WHEN v THEN IF(v, 1, 2) END; WHEN 2 THEN BEGIN SELECT 2; END; ELSE IF v > 3 THEN SELECT 3; END IF; END CASE; SET @y = CASE v WHEN 1 THEN 'a' ELSE CASE WHEN v THEN 'b' END END; END";
        assert_eq!(split(&format!("{p}; x"), MY), [p, "x"]);
    }

    #[test]
    fn mysql_loops_and_labels() {
        let p = "CREATE PROCEDURE p() BEGIN DECLARE i INT DEFAULT 0; outer_loop: LOOP SET i = i + 1; IF i > 3 THEN LEAVE outer_loop; END IF; END LOOP outer_loop; REPEAT SET i = i - 1; UNTIL i = 0 END REPEAT; SELECT REPEAT('a', 3); lbl: BEGIN SELECT 1; END lbl; WHILE i < 2 DO SET i = i + 1; END WHILE; END";
        assert_eq!(split(&format!("{p}; x"), MY), [p, "x"]);
    }

    #[test]
    fn mysql_handlers_and_nested_blocks() {
        let p = "CREATE PROCEDURE p() BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END; START TRANSACTION; INSERT INTO t VALUES (1); COMMIT; END";
        assert_eq!(split(&format!("{p}; x"), MY), [p, "x"]);
    }

    #[test]
    fn mysql_qualified_keywords_are_names() {
        let p = "CREATE PROCEDURE p() BEGIN SELECT t.end, t.begin, t.if FROM t; END";
        assert_eq!(split(&format!("{p}; x"), MY), [p, "x"]);
    }

    #[test]
    fn mariadb_begin_not_atomic() {
        let b = "BEGIN NOT ATOMIC DECLARE x INT; SET x = 1; IF x THEN SELECT x; END IF; END";
        assert_eq!(split(&format!("{b}; SELECT 2"), MY), [b, "SELECT 2"]);
    }

    #[test]
    fn mysql_keywords_in_parentheses_are_ignored() {
        let p = "CREATE PROCEDURE p(IN begin INT, IN end INT) BEGIN SELECT 1; END";
        assert_eq!(split(&format!("{p}; x"), MY), [p, "x"]);
    }

    #[test]
    fn mysql_delimiter() {
        let sql = "DELIMITER //\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND //\nDELIMITER ;\nCALL p();\n";
        assert_eq!(
            split(sql, MY),
            ["CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND", "CALL p()"]
        );
        // `END$$`: the delimiter is found inside a word, as the mysql client does.
        let sql = "delimiter $$\nCREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END$$\nSELECT f()$$\ndelimiter ;\nSELECT 2;";
        assert_eq!(
            split(sql, MY),
            [
                "CREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END",
                "SELECT f()",
                "SELECT 2"
            ]
        );
        // A `;` just before the delimiter is dropped; `;` elsewhere is text.
        let sql = "DELIMITER ;;\nSELECT 1;;\nSELECT 2; SELECT 3;\n;;\nDELIMITER ;\n";
        assert_eq!(split(sql, MY), ["SELECT 1", "SELECT 2; SELECT 3"]);
        // The delimiter inside literals and comments is text.
        let sql = "DELIMITER //\nSELECT '//', `a//b` -- //\n, 1 /* // */ //";
        assert_eq!(split(sql, MY), ["SELECT '//', `a//b` -- //\n, 1 /* // */"]);
        // Quoted argument, rest of the line ignored, comments before the directive dropped.
        let sql = "-- switch\nDELIMITER '//' trailing\nSELECT 1//SELECT 2";
        assert_eq!(split(sql, MY), ["SELECT 1", "SELECT 2"]);
        // Case-insensitive words as delimiters, as the client compares them.
        assert_eq!(
            split("DELIMITER GO\nSELECT 1 go\nSELECT 2 GO", MY),
            ["SELECT 1", "SELECT 2"]
        );
        // The last statement does not need a delimiter.
        assert_eq!(split("DELIMITER //\nSELECT 1;", MY), ["SELECT 1"]);
    }

    #[test]
    fn mysql_dump_style() {
        let sql = "/*!40101 SET NAMES utf8 */;\nDELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN\n  SET NEW.a = 1;\nEND */;;\nDELIMITER ;\n/*!40101 SET x = 1 */;\n";
        assert_eq!(
            split(sql, MY),
            [
                "/*!40101 SET NAMES utf8 */",
                "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN\n  SET NEW.a = 1;\nEND */",
                "/*!40101 SET x = 1 */"
            ]
        );
        // An empty executable comment is not a statement.
        assert!(split("/*!*/;", MY).is_empty());
    }

    #[test]
    fn delimiter_is_only_a_directive_at_statement_start() {
        // Inside a statement (or on PostgreSQL) it is just a word.
        assert_eq!(
            split("SELECT 1 AS delimiter; x", MY),
            ["SELECT 1 AS delimiter", "x"]
        );
        assert_eq!(split("DELIMITER //\nx", PG), ["DELIMITER //\nx"]);
        assert_eq!(split("DELIMITERS //; x", MY), ["DELIMITERS //", "x"]);
    }

    #[test]
    fn delimiter_errors() {
        assert_eq!(
            split_statements("SELECT 1;\nDELIMITER\nSELECT 2", MY),
            Err(SplitError::InvalidDelimiter {
                offset: 10,
                delimiter: String::new()
            })
        );
        assert_eq!(
            split_statements("DELIMITER", MY).map_err(|e| e.to_string()),
            Err("DELIMITER directive at byte 0 has no delimiter".into())
        );
        assert_eq!(
            split_statements("DELIMITER \\\\", MY).map_err(|e| e.to_string()),
            Err(
                "DELIMITER directive at byte 0: delimiter \\\\ must not contain a backslash".into()
            )
        );
        assert!(split_statements("DELIMITER ''", MY).is_err());
    }

    #[test]
    fn unterminated_regions_are_errors() {
        let cases: [(&str, Dialect, Unterminated, usize); 8] = [
            ("SELECT 1; SELECT 'abc", PG, Unterminated::StringLiteral, 17),
            ("SELECT E'\\'", PG, Unterminated::StringLiteral, 7),
            ("SELECT \"x", PG, Unterminated::QuotedIdentifier, 7),
            ("SELECT `x", MY, Unterminated::QuotedIdentifier, 7),
            ("SELECT 1 /* x", MY, Unterminated::BlockComment, 9),
            ("SELECT 1 /* /* */", PG, Unterminated::BlockComment, 9),
            (
                "CREATE FUNCTION f() AS $body$ x $$ ;",
                PG,
                Unterminated::DollarQuote("$body$".into()),
                23,
            ),
            ("/*!50003 CREATE", MY, Unterminated::ExecutableComment, 0),
        ];
        for (sql, dialect, what, offset) in cases {
            assert_eq!(
                split_statements(sql, dialect),
                Err(SplitError::Lex(LexError { what, offset })),
                "{sql}"
            );
        }
        assert_eq!(
            split_statements("SELECT $$;", PG).map_err(|e| e.to_string()),
            Err("unterminated dollar-quoted string $$ starting at byte 7".into())
        );
        use std::error::Error;
        assert!(split_statements("'", MY)
            .err()
            .as_ref()
            .and_then(|e| e.source())
            .is_some());
    }

    #[test]
    fn unicode_is_kept_intact() {
        assert_eq!(
            both("SELECT 'é;ü'; SELECT \u{3000}x\u{3000};"),
            ["SELECT 'é;ü'", "SELECT \u{3000}x\u{3000}"]
        );
    }

    #[test]
    fn unbalanced_blocks_keep_the_rest_together() {
        // Let the server report the broken body instead of sending fragments of it.
        assert_eq!(
            split("CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2;", MY),
            ["CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2"]
        );
        assert_eq!(split("SELECT (1; SELECT 2", PG), ["SELECT (1; SELECT 2"]);
    }
}
