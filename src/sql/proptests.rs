//! Property tests for the scanner, the placeholder rewriter and the splitter.
//!
//! Scripts are generated as statements made of pieces (code words, placeholders, and
//! "regions": literals, quoted identifiers, comments, dollar bodies) whose contents are full
//! of `$1`, `?`, `;`, `:x`, quotes and backslashes, so the expected output is known exactly.

use proptest::prelude::*;

use super::{split_statements, to_named, Dialect, Lexer, TokenKind};

/// Tricky fragments for the inside of regions.
const ATOMS: &[&str] = &[
    "$1",
    "$2",
    "$12",
    "?",
    ";",
    ":x",
    ":p1",
    "::",
    "'",
    "\"",
    "`",
    "\\",
    " ",
    "a",
    "--",
    "#",
    "$$",
    "$a$",
    "/",
    "*",
    "BEGIN",
    "END",
    "DELIMITER",
    "\n",
    "é",
    "E'",
    "!",
    "$",
];

/// Code words that neither nest (no parentheses, no block keywords) nor start comments.
const WORDS: &[&str] = &[
    "x", "1", ",", "+", "=", "::", ":x", "t.a", "int", "AS", "FROM", "<>",
];

#[derive(Debug, Clone)]
enum Piece {
    /// Code copied unchanged.
    Code(String),
    /// `$k` (PostgreSQL) or `?` (MySQL).
    Placeholder(usize),
    /// A literal, identifier, comment or dollar body: never changed, never split.
    Region(String),
}

fn content() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ATOMS), 0..10).prop_map(|v| v.concat())
}

fn no_newlines(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// A region of `dialect`, built from `body` with the dialect's escaping.
fn region(dialect: Dialect, form: u8, body: &str) -> String {
    match (dialect, form % 6) {
        (Dialect::Postgres, 0) => format!("'{}'", body.replace('\'', "''")),
        (Dialect::Postgres, 1) => {
            format!("E'{}'", body.replace('\\', "\\\\").replace('\'', "\\'"))
        }
        (Dialect::Postgres, 2) => format!("\"{}\"", body.replace('"', "\"\"")),
        (Dialect::Postgres, 3) => {
            // The body must not contain (or end in a prefix of) the closing tag.
            let tag = ["$$", "$a$", "$fn$"][body.len() % 3];
            let safe = if (body.to_owned() + tag).find(tag) == Some(body.len()) {
                body.to_owned()
            } else {
                body.replace('$', "S")
            };
            format!("{tag}{safe}{tag}")
        }
        (Dialect::Mysql, 0) => format!("'{}'", body.replace('\\', "\\\\").replace('\'', "\\'")),
        (Dialect::Mysql, 1) => format!("\"{}\"", body.replace('\\', "\\\\").replace('"', "\"\"")),
        (Dialect::Mysql, 2) => format!("`{}`", body.replace('`', "``")),
        (Dialect::Mysql, 3) => format!("# {}\n", no_newlines(body)),
        // `*` removed so that neither `*/` nor `/*` can appear inside.
        (_, 4) => format!("/* {} */", body.replace('*', "+")),
        _ => format!("-- {}\n", no_newlines(body)),
    }
}

fn piece(dialect: Dialect) -> impl Strategy<Value = Piece> {
    prop_oneof![
        prop::sample::select(WORDS).prop_map(|w| Piece::Code(w.to_owned())),
        // The other dialect's placeholder is plain code.
        Just(Piece::Code(
            if dialect == Dialect::Postgres {
                "?"
            } else {
                "$1"
            }
            .to_owned()
        )),
        (1usize..=12).prop_map(Piece::Placeholder),
        (any::<u8>(), content())
            .prop_map(move |(form, body)| Piece::Region(region(dialect, form, &body))),
    ]
}

type Script = Vec<Vec<Piece>>;

fn script(dialect: Dialect) -> impl Strategy<Value = Script> {
    prop::collection::vec(prop::collection::vec(piece(dialect), 0..8), 1..6)
}

fn placeholder_text(dialect: Dialect, k: usize) -> String {
    match dialect {
        Dialect::Postgres => format!("${k}"),
        Dialect::Mysql => "?".to_owned(),
    }
}

/// Each statement's source text: `SELECT` and its pieces, space-separated.
fn statement_texts(dialect: Dialect, script: &Script) -> Vec<String> {
    script
        .iter()
        .map(|pieces| {
            let mut text = "SELECT".to_owned();
            for p in pieces {
                text.push(' ');
                match p {
                    Piece::Code(s) | Piece::Region(s) => text.push_str(s),
                    Piece::Placeholder(k) => text.push_str(&placeholder_text(dialect, *k)),
                }
            }
            text
        })
        .collect()
}

/// The script as `to_named` should return it, and its parameter count.
fn expected_named(dialect: Dialect, script: &Script) -> (String, usize) {
    let mut count = 0;
    let mut max = 0;
    let statements: Vec<String> = script
        .iter()
        .map(|pieces| {
            let mut text = "SELECT".to_owned();
            for p in pieces {
                text.push(' ');
                match p {
                    Piece::Code(s) | Piece::Region(s) => text.push_str(s),
                    Piece::Placeholder(k) => {
                        count += 1;
                        max = max.max(*k);
                        let n = if dialect == Dialect::Postgres {
                            *k
                        } else {
                            count
                        };
                        text.push_str(&format!(":p{n}"));
                    }
                }
            }
            text
        })
        .collect();
    let params = if dialect == Dialect::Postgres {
        max
    } else {
        count
    };
    (statements.join(";\n"), params)
}

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b')
}

fn dialect() -> impl Strategy<Value = Dialect> {
    prop_oneof![Just(Dialect::Postgres), Just(Dialect::Mysql)]
}

fn dialect_and_script() -> impl Strategy<Value = (Dialect, Script)> {
    dialect().prop_flat_map(|d| (Just(d), script(d)))
}

/// SQL-ish soup: any mix of fragments, valid or not.
fn soup() -> impl Strategy<Value = String> {
    let fragments: Vec<&str> = ATOMS.iter().chain(WORDS).copied().collect();
    prop::collection::vec(prop::sample::select(fragments), 0..40).prop_map(|v| v.concat())
}

fn region_texts(sql: &str, dialect: Dialect) -> Option<Vec<String>> {
    let tokens: Result<Vec<_>, _> = Lexer::new(sql, dialect).collect();
    Some(
        tokens
            .ok()?
            .into_iter()
            .filter(|t| {
                matches!(
                    t.kind,
                    TokenKind::String
                        | TokenKind::QuotedIdentifier
                        | TokenKind::LineComment
                        | TokenKind::BlockComment
                        | TokenKind::DollarQuoted
                )
            })
            .map(|t| t.text.to_owned())
            .collect(),
    )
}

proptest! {
    /// (a) + (c): placeholders outside regions become `:pN`; everything else, in particular
    /// region text full of `$1`, `?`, `;`, `:x`, comes out unchanged.
    #[test]
    fn to_named_rewrites_exactly_the_placeholders((d, script) in dialect_and_script()) {
        let sql = statement_texts(d, &script).join(";\n");
        let (expected, params) = expected_named(d, &script);
        let named = to_named(&sql, d).map(|n| (n.sql, n.params));
        prop_assert_eq!(named, Ok((expected, params)));
    }

    /// (a) + (b): statements joined with `;\n` come back exactly, however many `;` their
    /// regions contain.
    #[test]
    fn split_returns_the_generated_statements((d, script) in dialect_and_script()) {
        let statements = statement_texts(d, &script);
        let sql = statements.join(";\n");
        let expected: Vec<String> = statements.iter().map(|s| trim(s).to_owned()).collect();
        prop_assert_eq!(split_statements(&sql, d), Ok(expected));
    }

    /// (b) with varied separators and surrounding whitespace and comments.
    #[test]
    fn split_simple_statements(
        d in dialect(),
        statements in prop::collection::vec(
            prop::collection::vec(prop::sample::select(WORDS), 0..6)
                .prop_map(|w| format!("SELECT {}", w.join(" "))),
            1..8,
        ),
        separator in prop::sample::select(vec![";", ";\n", " ; ", ";;", "; -- c\n;", "; /* ; */ ;\n"]),
    ) {
        let sql = format!("\n{}{separator}", statements.join(separator));
        let expected: Vec<String> = statements.iter().map(|s| trim(s).to_owned()).collect();
        prop_assert_eq!(split_statements(&sql, d), Ok(expected));
    }

    /// (c) on its own: every `$k` outside regions maps to `:pk`, in any order and repeated.
    #[test]
    fn pg_positional_maps_to_pk(ks in prop::collection::vec(1usize..=70000, 0..20)) {
        let sql: Vec<String> = ks.iter().map(|k| format!("${k}")).collect();
        let sql = format!("SELECT {}", sql.join(", "));
        let out = to_named(&sql, Dialect::Postgres);
        if ks.iter().any(|&k| k > 65535) {
            prop_assert!(out.is_err());
        } else {
            let expected: Vec<String> = ks.iter().map(|k| format!(":p{k}")).collect();
            let out = out.map(|n| (n.sql, n.params));
            prop_assert_eq!(
                out,
                Ok((format!("SELECT {}", expected.join(", ")), ks.iter().copied().max().unwrap_or(0)))
            );
        }
    }

    /// Nothing panics on arbitrary input, and tokens tile whatever was scanned.
    #[test]
    fn arbitrary_input_never_panics(sql in any::<String>(), d in dialect()) {
        check_total(&sql, d)?;
    }

    /// The same on SQL-ish soup, which reaches far more of the scanner.
    #[test]
    fn soup_never_panics(sql in soup(), d in dialect()) {
        check_total(&sql, d)?;
    }

    /// The one-pass rewrite of plain SQL gives what the lexer's gives, errors included.
    #[test]
    fn plain_rewrite_is_the_lexed_rewrite(sql in soup(), d in dialect()) {
        prop_assert_eq!(to_named(&sql, d), super::placeholders::to_named_lexed(&sql, d));
    }

    #[test]
    fn plain_rewrite_is_the_lexed_rewrite_on_scripts((d, script) in dialect_and_script()) {
        let sql = statement_texts(d, &script).join(";\n");
        prop_assert_eq!(to_named(&sql, d), super::placeholders::to_named_lexed(&sql, d));
    }

    /// Rewriting never changes region text, on any input it accepts.
    #[test]
    fn to_named_preserves_regions(sql in soup(), d in dialect()) {
        if let Ok(named) = to_named(&sql, d) {
            prop_assert_eq!(region_texts(&named.sql, d), region_texts(&sql, d));
        }
    }
}

fn check_total(sql: &str, d: Dialect) -> Result<(), TestCaseError> {
    let mut joined = String::new();
    let mut failed = false;
    for token in Lexer::new(sql, d) {
        match token {
            Ok(t) => {
                prop_assert_eq!(t.start, joined.len());
                prop_assert!(!t.text.is_empty());
                joined.push_str(t.text);
            }
            Err(e) => {
                prop_assert!(e.offset <= sql.len());
                failed = true;
            }
        }
    }
    if !failed {
        prop_assert_eq!(&joined, sql);
    }
    prop_assert!(sql.starts_with(&joined));
    if let Ok(named) = to_named(sql, d) {
        let has_placeholder = Lexer::new(sql, d).filter_map(Result::ok).any(|t| match d {
            Dialect::Postgres => t.kind == TokenKind::Positional,
            Dialect::Mysql => t.kind == TokenKind::QuestionMark,
        });
        if !has_placeholder {
            prop_assert_eq!(named.sql, sql);
        }
    }
    if let Ok(statements) = split_statements(sql, d) {
        for s in statements {
            prop_assert!(!s.is_empty());
            prop_assert_eq!(trim(&s), s.as_str());
            prop_assert!(sql.contains(s.as_str()));
        }
    }
    Ok(())
}
