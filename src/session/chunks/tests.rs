use aws_sdk_rdsdata::types::Field;

use super::*;
use crate::client::DataApiErrorKind;

fn insert(rows: usize, value_len: usize) -> Prepared {
    let mut sql = String::from("INSERT INTO \"t\" (\"a\", \"b\") VALUES ");
    let mut params = Vec::new();
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        let (a, b) = (2 * i + 1, 2 * i + 2);
        sql.push_str(&format!("(CAST(:p{a} AS int4), CAST(:p{b} AS text))"));
        for (n, v) in [
            (a, Field::LongValue(i as i64)),
            (b, Field::StringValue("x".repeat(value_len))),
        ] {
            params.push(
                SqlParameter::builder()
                    .name(format!("p{n}"))
                    .value(v)
                    .build(),
            );
        }
    }
    let tail = 2 * rows + 1;
    sql.push_str(&format!(
        " ON CONFLICT (\"a\") DO UPDATE SET \"b\" = CAST(:p{tail} AS text)"
    ));
    params.push(
        SqlParameter::builder()
            .name(format!("p{tail}"))
            .value(Field::StringValue("t".into()))
            .build(),
    );
    Prepared::new(sql, params)
}

#[test]
fn small_statements_go_as_they_are() {
    let p = insert(10, 5);
    assert!(matches!(
        plan(p, Engine::Postgres, &Limits::default()),
        Ok(Plan::One(_))
    ));
}

#[test]
fn long_sql_is_cut_into_chunks_that_fit_with_all_rows_in_order() {
    let limits = Limits {
        max_sql_chars: 8_000,
        ..Limits::default()
    };
    let Plan::Chunks(chunks) = plan(insert(2_000, 5), Engine::Postgres, &limits).unwrap() else {
        panic!("expected chunks")
    };
    assert!(chunks.len() > 10);
    let mut next = 0;
    for c in &chunks {
        assert!(sql_chars(&c.sql) <= 8_000, "{}", c.sql.len());
        assert!(c
            .sql
            .ends_with("DO UPDATE SET \"b\" = CAST(:p4001 AS text)"));
        // Every placeholder of the chunk has its parameter, and no other parameter is sent.
        let mut names: Vec<&str> = named_placeholders(&c.sql, Engine::Postgres);
        names.sort();
        let mut sent: Vec<&str> = c.params.iter().filter_map(|p| p.name()).collect();
        sent.sort();
        assert_eq!(names, sent);
        for row in parse_multi_row_insert(&c.sql, Engine::Postgres)
            .unwrap()
            .rows
        {
            assert!(
                row.starts_with(&format!("(CAST(:p{} ", 2 * next + 1)),
                "{row}"
            );
            next += 1;
        }
    }
    assert_eq!(next, 2_000);
}

#[test]
fn large_requests_are_cut_by_bytes() {
    let limits = Limits {
        max_request_bytes: 64 * 1024,
        ..Limits::default()
    };
    let Plan::Chunks(chunks) = plan(insert(100, 4_000), Engine::Postgres, &limits).unwrap() else {
        panic!("expected chunks")
    };
    for c in &chunks {
        assert!(request_bytes(&c.sql, &[&c.params]) <= 64 * 1024);
    }
}

#[test]
fn what_cannot_be_split_is_refused_with_the_remedy() {
    let limits = Limits {
        max_sql_chars: 100,
        ..Limits::default()
    };
    let select = Prepared {
        sql: format!("SELECT 1 WHERE 1 IN ({})", vec!["1"; 200].join(", ")),
        params: Vec::new(),
        shape: None,
    };
    let e = plan(select, Engine::Mysql, &limits).unwrap_err();
    assert_eq!(e.kind(), DataApiErrorKind::RequestTooLarge);
    assert!(
        e.message().contains("over the Data API's limit of 100"),
        "{}",
        e.message()
    );
    assert!(e.message().contains("cannot be split"), "{}", e.message());
    let limits = Limits {
        max_request_bytes: 16 * 1024,
        ..Limits::default()
    };
    let e = plan(insert(2, 20_000), Engine::Postgres, &limits).unwrap_err();
    assert!(
        e.message().contains("one row of this INSERT alone"),
        "{}",
        e.message()
    );
}
