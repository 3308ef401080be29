//! The local Data API server's request handling that needs no database: arbitrary bytes as an
//! `ExecuteStatement` body, then (when it parses) the named-parameter lexer and rewriter for
//! both engines, parameter resolution and the `typeHint` checks the engines run before binding.
//!
//! Checks: no panic; a rewritten statement has exactly one positional slot per placeholder the
//! rewrite reports (`?` count on MySQL, highest `$N` on PostgreSQL is the number of distinct
//! names); resolution returns one parameter per slot, each with that name.

use data_api_local::engine::{check_hint_format, check_hint_name, hint_of, resolve_parameters};
use data_api_local::params::{parse, prepare, Dialect};
use data_api_local::protocol::{ExecuteStatementRequest, Field};

/// The target's checks on one input as libFuzzer hands it over (every byte string is one).
pub fn run(data: &[u8]) -> bool {
    one(data);
    true
}

/// Whether the bytes are an `ExecuteStatement` body (only those reach the checks past parsing).
pub fn parses(data: &[u8]) -> bool {
    serde_json::from_slice::<ExecuteStatementRequest>(data).is_ok()
}

fn one(data: &[u8]) {
    let Ok(req) = serde_json::from_slice::<ExecuteStatementRequest>(data) else {
        return;
    };
    let sql = req.sql.as_deref().unwrap_or("");
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        let parsed = parse(sql, dialect);
        for (range, name) in &parsed.placeholders {
            assert_eq!(sql.get(range.clone()).map(|s| &s[1..]), Some(name.as_str()));
        }
        let Ok((text, slots)) = prepare(sql, dialect) else {
            continue;
        };
        match dialect {
            Dialect::Mysql => assert_eq!(slots.len(), parsed.placeholders.len()),
            Dialect::Postgres => {
                assert!(slots.len() <= parsed.placeholders.len());
                let mut distinct = slots.clone();
                distinct.sort();
                distinct.dedup();
                assert_eq!(
                    distinct.len(),
                    slots.len(),
                    "a name with two slots: {slots:?}"
                );
            }
        }
        if parsed.placeholders.is_empty() {
            assert_eq!(text, sql);
        }
        if let Ok(resolved) = resolve_parameters(&slots, &req.parameters) {
            assert_eq!(resolved.len(), slots.len());
            for (p, slot) in resolved.iter().zip(&slots) {
                assert_eq!(p.name.as_deref(), Some(slot.as_str()));
                assert!(p.value.is_some());
            }
        }
    }
    for p in &req.parameters {
        let _ = check_hint_name(p);
        if let (Some(hint), Some(Field::StringValue(s))) = (hint_of(p), &p.value) {
            let _ = check_hint_format(&hint, s);
        }
    }
    // The hint checks on the raw SQL text too: any string, not only JSON-escaped ones.
    for hint in ["DATE", "TIME", "TIMESTAMP"] {
        let _ = check_hint_format(hint, sql);
    }
}
