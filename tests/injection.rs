//! Hostile values travel as data, never as SQL: quotes, placeholder look-alikes (`:name`,
//! `:p1`, `$1`, `?`), comments, dollar quotes, backslashes, NUL and invalid UTF-8 (where bytes
//! are allowed) round-trip through every text and binary path, on both engines.

mod common;

use aurora_data_api::mysql::DataApiMysqlConnection;
use aurora_data_api::pg::DataApiPgConnection;
use common::*;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

const HOSTILE: &[&str] = &[
    "'; DROP TABLE victims; --",
    "' OR '1'='1",
    ":name",
    ":p1",
    "::text",
    "$1",
    "$$ body $$",
    "$tag$x$tag$",
    "?",
    "??",
    "/* comment */",
    "-- comment",
    "# comment",
    "\\",
    "\\'",
    "E'\\x41'",
    "\"quoted\"",
    "`backtick`",
    "line\nbreak\r\n\ttab",
    "émoji 🦀 中文",
    "",
    " ",
];

fn hostile_bytes() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = HOSTILE.iter().map(|s| s.as_bytes().to_vec()).collect();
    v.push(vec![0]);
    v.push(vec![0xff, 0xfe, 0x00, 0x27, 0x3a, 0x70, 0x31]); // invalid UTF-8, NUL, "'", ":p1"
    v.push((0..=255).collect());
    v
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Back {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
    #[diesel(sql_type = diesel::sql_types::Binary)]
    b: Vec<u8>,
}

#[test]
fn postgres_text_and_bytea() {
    let mut conn = DataApiPgConnection::establish(&pg_url("dataapi_injection")).unwrap();
    let table = unique("victims");
    conn.batch_execute(&format!("CREATE TABLE {table} (id INT, t TEXT, b BYTEA)"))
        .unwrap();
    for (i, s) in HOSTILE.iter().enumerate() {
        let bytes = s.as_bytes().to_vec();
        diesel::sql_query(format!("INSERT INTO {table} VALUES ($1, $2, $3)"))
            .bind::<diesel::sql_types::Integer, _>(i as i32)
            .bind::<diesel::sql_types::Text, _>(*s)
            .bind::<diesel::sql_types::Binary, _>(&bytes)
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("{s:?}: {e}"));
        let back: Back =
            diesel::sql_query(format!("SELECT t, b FROM {table} WHERE id = $1 AND t = $2"))
                .bind::<diesel::sql_types::Integer, _>(i as i32)
                .bind::<diesel::sql_types::Text, _>(*s)
                .get_result(&mut conn)
                .unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert_eq!(
            back,
            Back {
                t: s.to_string(),
                b: bytes
            },
            "{s:?}"
        );
        // The value also survives as a bare SELECT of the bind.
        let echoed: String = diesel::select(s.into_sql::<diesel::sql_types::Text>())
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(echoed, *s);
    }
    for (i, bytes) in hostile_bytes().into_iter().enumerate() {
        let id = 1000 + i as i32;
        diesel::sql_query(format!(
            "INSERT INTO {table} (id, t, b) VALUES ($1, '', $2)"
        ))
        .bind::<diesel::sql_types::Integer, _>(id)
        .bind::<diesel::sql_types::Binary, _>(&bytes)
        .execute(&mut conn)
        .unwrap();
        let back: Vec<u8> = diesel::select(diesel::dsl::sql::<diesel::sql_types::Binary>(
            &format!("(SELECT b FROM {table} WHERE id = {id})"),
        ))
        .get_result(&mut conn)
        .unwrap();
        assert_eq!(back, bytes);
    }
    // PostgreSQL text cannot hold NUL: a clear error, not a truncated value.
    let e = diesel::select("a\0b".into_sql::<diesel::sql_types::Text>())
        .execute(&mut conn)
        .unwrap_err();
    assert!(
        e.to_string().to_lowercase().contains("0x00") || e.to_string().contains("null character"),
        "{e}"
    );
    let count: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
        "(SELECT COUNT(*) FROM {table})"
    )))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(
        count as usize,
        HOSTILE.len() + hostile_bytes().len(),
        "the table is intact"
    );
    conn.batch_execute(&format!("DROP TABLE {table}")).unwrap();
}

#[test]
fn mysql_text_and_blob() {
    let mut conn = DataApiMysqlConnection::establish(&mysql_url("dataapi_injection")).unwrap();
    let table = unique("victims");
    conn.batch_execute(&format!(
        "CREATE TABLE {table} (id INT, t TEXT CHARACTER SET utf8mb4, b BLOB)"
    ))
    .unwrap();
    let mut texts: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    texts.push("nul\0inside".into()); // MySQL strings may hold NUL
    for (i, s) in texts.iter().enumerate() {
        let bytes = s.as_bytes().to_vec();
        diesel::sql_query(format!("INSERT INTO {table} VALUES (?, ?, ?)"))
            .bind::<diesel::sql_types::Integer, _>(i as i32)
            .bind::<diesel::sql_types::Text, _>(s)
            .bind::<diesel::sql_types::Blob, _>(&bytes)
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("{s:?}: {e}"));
        let back: Back =
            diesel::sql_query(format!("SELECT t, b FROM {table} WHERE id = ? AND t = ?"))
                .bind::<diesel::sql_types::Integer, _>(i as i32)
                .bind::<diesel::sql_types::Text, _>(s)
                .get_result(&mut conn)
                .unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert_eq!(
            back,
            Back {
                t: s.clone(),
                b: bytes
            },
            "{s:?}"
        );
    }
    for (i, bytes) in hostile_bytes().into_iter().enumerate() {
        let id = 1000 + i as i32;
        diesel::sql_query(format!("INSERT INTO {table} (id, t, b) VALUES (?, '', ?)"))
            .bind::<diesel::sql_types::Integer, _>(id)
            .bind::<diesel::sql_types::Blob, _>(&bytes)
            .execute(&mut conn)
            .unwrap();
        let back: Vec<u8> = diesel::select(diesel::dsl::sql::<diesel::sql_types::Blob>(&format!(
            "(SELECT b FROM {table} WHERE id = {id})"
        )))
        .get_result(&mut conn)
        .unwrap();
        assert_eq!(back, bytes);
    }
    let count: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
        "(SELECT COUNT(*) FROM {table})"
    )))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(
        count as usize,
        texts.len() + hostile_bytes().len(),
        "the table is intact"
    );
    conn.batch_execute(&format!("DROP TABLE {table}")).unwrap();
}
