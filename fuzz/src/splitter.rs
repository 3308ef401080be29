//! The statement splitter (`batch_execute`, migrations) on arbitrary UTF-8, in both dialects.
//!
//! Checks: no panic; every statement is non-empty, has no SQL whitespace at either end and is
//! a piece of the input; statements come in input order; a script fails to split only where it
//! fails to lex or has a bad MySQL `DELIMITER`; and a PostgreSQL statement lexes on its own and
//! splits into just itself again.

use aurora_data_api::sql::{split_statements, Dialect, Lexer, SplitError};

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

fn is_sql_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

fn check(sql: &str, dialect: Dialect) {
    let lexes = Lexer::new(sql, dialect).all(|t| t.is_ok());
    let statements = match split_statements(sql, dialect) {
        Ok(statements) => statements,
        Err(SplitError::Lex(e)) => {
            // Without a DELIMITER directive the splitter lexes exactly as the lexer does.
            if dialect == Dialect::Postgres {
                assert!(!lexes, "{dialect:?}: split failed to lex ({e}) what lexes");
            }
            return;
        }
        Err(e) => {
            assert_eq!(dialect, Dialect::Mysql, "{e}");
            return;
        }
    };
    if dialect == Dialect::Postgres {
        assert!(lexes, "{dialect:?}: split a script that does not lex");
    }
    let mut from = 0;
    for statement in &statements {
        assert!(!statement.is_empty(), "{dialect:?}: empty statement");
        assert_eq!(
            statement.trim_matches(is_sql_space),
            statement,
            "{dialect:?}: untrimmed statement"
        );
        // In order, each a substring of the input after the previous one.
        let at = sql[from..].find(statement.as_str()).unwrap_or_else(|| {
            panic!("{dialect:?}: {statement:?} is not in the input after {from}")
        });
        from += at + statement.len();
        if dialect == Dialect::Postgres {
            assert!(
                Lexer::new(statement, dialect).all(|t| t.is_ok()),
                "{dialect:?}: statement {statement:?} does not lex on its own"
            );
            let again = split_statements(statement, dialect).expect("a statement splits");
            assert_eq!(
                again,
                std::slice::from_ref(statement),
                "{dialect:?}: a statement splits differently on its own"
            );
        }
    }
}
