//! The SQL scanner and the placeholder rewriter on arbitrary UTF-8, in both dialects.
//!
//! Checks: no panic; tokens tile the input exactly (each starts where the previous ended, is
//! non-empty, and their texts concatenate to the input); a lex error is reported once, at the
//! end, for a region that opened inside the input; `to_named` fails exactly when lexing does,
//! and its output lexes cleanly with no positional placeholder left in it.

use aurora_data_api::sql::{to_named, to_named_with, Dialect, Lexer, TokenKind, Unterminated};

/// The target's checks on one input as libFuzzer hands it over; false when the bytes do not
/// decode to an input (such a unit is not kept in the corpus).
pub fn run(data: &[u8]) -> bool {
    super::run_decoded(data, |input: &str| one(input))
}

fn one(sql: &str) {
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        check(sql, dialect);
    }
}

fn check(sql: &str, dialect: Dialect) {
    let mut rebuilt = String::with_capacity(sql.len());
    let mut end = 0;
    let mut error = None;
    for token in Lexer::new(sql, dialect) {
        assert!(error.is_none(), "{dialect:?}: a token after the lex error");
        match token {
            Ok(t) => {
                assert_eq!(t.start, end, "{dialect:?}: gap or overlap before {t:?}");
                assert!(!t.text.is_empty(), "{dialect:?}: empty token {t:?}");
                assert_eq!(
                    sql.get(t.start..t.end()),
                    Some(t.text),
                    "{dialect:?}: {t:?}"
                );
                rebuilt.push_str(t.text);
                end = t.end();
            }
            Err(e) => error = Some(e),
        }
    }
    match &error {
        None => assert_eq!(rebuilt, sql, "{dialect:?}: tokens do not tile the input"),
        Some(e) => {
            assert!(sql.is_char_boundary(e.offset), "{dialect:?}: {e:?}");
            if matches!(e.what, Unterminated::ExecutableComment) {
                // Opened earlier, still open at the end of the input.
                assert!(e.offset < end, "{dialect:?}: {e:?} at {end}");
            } else {
                // The region that failed is the next token.
                assert_eq!(e.offset, end, "{dialect:?}: {e:?}");
            }
        }
    }

    let placeholder = match dialect {
        Dialect::Postgres => TokenKind::Positional,
        Dialect::Mysql => TokenKind::QuestionMark,
    };
    match to_named(sql, dialect) {
        Ok(named) => {
            assert!(
                error.is_none(),
                "{dialect:?}: to_named accepted what did not lex"
            );
            for token in Lexer::new(&named.sql, dialect) {
                let token = token.unwrap_or_else(|e| {
                    panic!(
                        "{dialect:?}: rewritten SQL {:?} does not lex: {e}",
                        named.sql
                    )
                });
                assert_ne!(
                    token.kind, placeholder,
                    "{dialect:?}: placeholder left in {:?}",
                    named.sql
                );
            }
        }
        Err(_) if error.is_some() => {}
        // PostgreSQL `$0`, `$99999`, `$1abc`: only placeholders can be refused.
        Err(e) => assert_eq!(dialect, Dialect::Postgres, "{e}"),
    }
    // What the PostgreSQL connection does: every placeholder wrapped in a cast.
    let _ = to_named_with(sql, dialect, |i| format!("CAST(:p{i} AS int4)"));
}
