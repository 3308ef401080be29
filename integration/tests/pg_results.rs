//! Every row of the reference's PostgreSQL result table, through aws-sdk-rdsdata: the Field
//! member, its format, and the column's typeName / java.sql.Types code.

mod common;

use aws_sdk_rdsdata::primitives::Blob;
use aws_sdk_rdsdata::types::{ArrayValue, Field, ResultSetOptions};
use common::*;

fn s(v: &str) -> Field {
    Field::StringValue(v.into())
}

#[tokio::test]
async fn scalar_types() {
    let (_server, client) = setup().await;
    let cases: Vec<(&str, Field, &str, i32)> = vec![
        ("SELECT true", Field::BooleanValue(true), "bool", -7),
        ("SELECT 7::int2", Field::LongValue(7), "int2", 5),
        ("SELECT -8::int4", Field::LongValue(-8), "int4", 4),
        (
            "SELECT 9223372036854775807::int8",
            Field::LongValue(i64::MAX),
            "int8",
            -5,
        ),
        ("SELECT 1.5::float4", Field::DoubleValue(1.5), "float4", 7),
        ("SELECT 0.1::float8", Field::DoubleValue(0.1), "float8", 8),
        (
            "SELECT 123456.7890::numeric(12,4)",
            s("123456.7890"),
            "numeric",
            2,
        ),
        (
            "SELECT 0.000000000000000000000001::numeric",
            s("0.000000000000000000000001"),
            "numeric",
            2,
        ),
        (
            "SELECT -99999999999999999999999999999.5::numeric",
            s("-99999999999999999999999999999.5"),
            "numeric",
            2,
        ),
        ("SELECT 'hello'::text", s("hello"), "text", 12),
        ("SELECT 'v'::varchar(5)", s("v"), "varchar", 12),
        ("SELECT 'ab'::char(4)", s("ab  "), "bpchar", 1),
        ("SELECT 'nm'::name", s("nm"), "name", 12),
        (
            "SELECT '\\x00ff10'::bytea",
            Field::BlobValue(Blob::new(vec![0, 255, 16])),
            "bytea",
            -2,
        ),
        (
            "SELECT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid",
            s("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            "uuid",
            1111,
        ),
        (
            "SELECT '{\"a\": [1, 2]}'::json",
            s("{\"a\":[1,2]}"),
            "json",
            1111,
        ),
        (
            "SELECT '{\"b\": 1,   \"a\": [1, 2]}'::jsonb",
            s("{\"a\":[1,2],\"b\":1}"),
            "jsonb",
            1111,
        ),
        ("SELECT '2024-02-29'::date", s("2024-02-29"), "date", 91),
        ("SELECT '12:34:56'::time", s("12:34:56"), "time", 92),
        (
            "SELECT '12:34:56.123400'::time",
            s("12:34:56.1234"),
            "time",
            92,
        ),
        ("SELECT '12:00:00+02'::timetz", s("10:00:00"), "timetz", 92),
        (
            "SELECT '2024-02-29 12:34:56.120000'::timestamp",
            s("2024-02-29 12:34:56.12"),
            "timestamp",
            93,
        ),
        (
            "SELECT '2024-02-29 12:34:56'::timestamp",
            s("2024-02-29 12:34:56"),
            "timestamp",
            93,
        ),
        (
            "SELECT '2024-02-29 12:34:56.5+02'::timestamptz",
            s("2024-02-29 10:34:56.5"),
            "timestamptz",
            93,
        ),
        (
            "SELECT '1 year 2 months 3 days 04:05:06.5'::interval",
            s("1 year 2 mons 3 days 04:05:06.5"),
            "interval",
            1111,
        ),
        ("SELECT '192.168.0.1'::inet", s("192.168.0.1"), "inet", 1111),
        ("SELECT '10.0.0.0/8'::cidr", s("10.0.0.0/8"), "cidr", 1111),
        ("SELECT NULL::int4", Field::IsNull(true), "int4", 4),
    ];
    for (sql, want, type_name, code) in cases {
        let out = exec(&client, PG_ARN, sql).await;
        assert_eq!(out.records.as_ref().unwrap()[0][0], want, "{sql}");
        let meta = &out.column_metadata.as_ref().unwrap()[0];
        assert_eq!(meta.type_name.as_deref(), Some(type_name), "{sql}");
        assert_eq!(meta.r#type, code, "{sql}");
        assert_eq!(out.number_of_records_updated, 0, "{sql}");
    }
}

#[tokio::test]
async fn citext_and_enum_are_strings() {
    let (_server, client) = setup().await;
    let ty = unique("mood");
    exec(
        &client,
        PG_ARN,
        &format!("CREATE TYPE {ty} AS ENUM ('sad', 'happy')"),
    )
    .await;
    let out = exec(&client, PG_ARN, &format!("SELECT 'happy'::{ty}")).await;
    assert_eq!(out.records.unwrap()[0][0], s("happy"));
    assert_eq!(
        out.column_metadata.unwrap()[0].type_name.as_deref(),
        Some(ty.as_str())
    );
    exec(&client, PG_ARN, &format!("DROP TYPE {ty}")).await;
    let has_citext = exec(
        &client,
        PG_ARN,
        "SELECT 1 FROM pg_available_extensions WHERE name = 'citext'",
    )
    .await;
    if !has_citext.records.unwrap().is_empty() {
        exec(&client, PG_ARN, "CREATE EXTENSION IF NOT EXISTS citext").await;
        let out = exec(&client, PG_ARN, "SELECT 'MiXed'::citext").await;
        assert_eq!(out.records.unwrap()[0][0], s("MiXed"));
        assert_eq!(
            out.column_metadata.unwrap()[0].type_name.as_deref(),
            Some("citext")
        );
    }
}

#[tokio::test]
async fn arrays() {
    let (_server, client) = setup().await;
    let cases: Vec<(&str, ArrayValue, &str)> = vec![
        (
            "SELECT ARRAY[1, NULL, 3]::int4[]",
            ArrayValue::LongValues(vec![Some(1), None, Some(3)]),
            "_int4",
        ),
        (
            "SELECT ARRAY[1.5, 2]::float8[]",
            ArrayValue::DoubleValues(vec![Some(1.5), Some(2.0)]),
            "_float8",
        ),
        (
            "SELECT ARRAY[true, false]",
            ArrayValue::BooleanValues(vec![Some(true), Some(false)]),
            "_bool",
        ),
        (
            "SELECT ARRAY['a', NULL, 'c']::text[]",
            ArrayValue::StringValues(vec![Some("a".into()), None, Some("c".into())]),
            "_text",
        ),
        (
            "SELECT ARRAY['2024-01-02'::date]",
            ArrayValue::StringValues(vec![Some("2024-01-02".into())]),
            "_date",
        ),
        (
            "SELECT ARRAY['2024-01-02 03:04:05.6'::timestamp]",
            ArrayValue::StringValues(vec![Some("2024-01-02 03:04:05.6".into())]),
            "_timestamp",
        ),
        (
            "SELECT ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid]",
            ArrayValue::StringValues(vec![Some("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11".into())]),
            "_uuid",
        ),
        (
            "SELECT ARRAY['{\"a\": 1}'::json]",
            ArrayValue::StringValues(vec![Some("{\"a\":1}".into())]),
            "_json",
        ),
        (
            "SELECT ARRAY['{\"a\": [1, 2]}'::jsonb, NULL]",
            ArrayValue::StringValues(vec![Some("{\"a\":[1,2]}".into()), None]),
            "_jsonb",
        ),
        (
            "SELECT ARRAY[1.50::numeric(4,2)]",
            ArrayValue::StringValues(vec![Some("1.50".into())]),
            "_numeric",
        ),
        (
            "SELECT '{}'::text[]",
            ArrayValue::StringValues(vec![]),
            "_text",
        ),
    ];
    for (sql, want, type_name) in cases {
        let out = exec(&client, PG_ARN, sql).await;
        assert_eq!(
            out.records.as_ref().unwrap()[0][0],
            Field::ArrayValue(want),
            "{sql}"
        );
        let meta = &out.column_metadata.as_ref().unwrap()[0];
        assert_eq!(meta.type_name.as_deref(), Some(type_name), "{sql}");
        assert_eq!(meta.r#type, 2003, "{sql}");
    }
}

#[tokio::test]
async fn result_set_options() {
    let (_server, client) = setup().await;
    let run = |sql: &'static str, options: ResultSetOptions| {
        let client = client.clone();
        async move {
            client
                .execute_statement()
                .resource_arn(PG_ARN)
                .secret_arn(SECRET_ARN)
                .sql(sql)
                .result_set_options(options)
                .send()
                .await
                .unwrap()
                .records
                .unwrap()[0][0]
                .clone()
        }
    };
    use aws_sdk_rdsdata::types::{DecimalReturnType, LongReturnType};
    let long_string = ResultSetOptions::builder()
        .long_return_type(LongReturnType::String)
        .build();
    assert_eq!(
        run("SELECT 9223372036854775807::int8", long_string.clone()).await,
        s("9223372036854775807")
    );
    assert_eq!(run("SELECT 5::int4", long_string).await, s("5"));
    let numbers = ResultSetOptions::builder()
        .decimal_return_type(DecimalReturnType::DoubleOrLong)
        .build();
    assert_eq!(
        run("SELECT 42::numeric", numbers.clone()).await,
        Field::LongValue(42)
    );
    assert_eq!(
        run("SELECT 1.25::numeric", numbers).await,
        Field::DoubleValue(1.25)
    );
    let strings = ResultSetOptions::builder()
        .decimal_return_type(DecimalReturnType::String)
        .build();
    assert_eq!(run("SELECT 1.250::numeric", strings).await, s("1.250"));
}

#[tokio::test]
async fn column_metadata_of_a_table() {
    let (_server, client) = setup().await;
    let table = unique("meta");
    exec(&client, PG_ARN, &format!("CREATE TABLE {table} (id serial PRIMARY KEY, price numeric(10,2) NOT NULL, note varchar(20))")).await;
    let out = exec(
        &client,
        PG_ARN,
        &format!("SELECT id, price AS cost, note FROM {table}"),
    )
    .await;
    assert_eq!(out.records.unwrap().len(), 0);
    let meta = out.column_metadata.unwrap();
    assert_eq!(meta.len(), 3);
    assert_eq!(
        (
            meta[0].type_name.as_deref(),
            meta[0].is_auto_increment,
            meta[0].nullable
        ),
        (Some("int4"), true, 0)
    );
    assert_eq!(meta[0].table_name.as_deref(), Some(table.as_str()));
    assert_eq!(meta[1].label.as_deref(), Some("cost"));
    assert_eq!(
        (meta[1].precision, meta[1].scale, meta[1].nullable),
        (10, 2, 0)
    );
    assert_eq!((meta[2].precision, meta[2].nullable), (20, 1));
    exec(&client, PG_ARN, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn records_updated_and_returning() {
    let (_server, client) = setup().await;
    let table = unique("upd");
    exec(
        &client,
        PG_ARN,
        &format!("CREATE TABLE {table} (id serial PRIMARY KEY, v int)"),
    )
    .await;
    let out = exec(
        &client,
        PG_ARN,
        &format!("INSERT INTO {table} (v) VALUES (1), (2), (3)"),
    )
    .await;
    assert_eq!(out.number_of_records_updated, 3);
    assert!(out.records.is_none() && out.generated_fields.is_none());
    let out = exec(
        &client,
        PG_ARN,
        &format!("UPDATE {table} SET v = v + 1 WHERE v >= 2"),
    )
    .await;
    assert_eq!(out.number_of_records_updated, 2);
    let out = exec(
        &client,
        PG_ARN,
        &format!("INSERT INTO {table} (v) VALUES (9) RETURNING id, v"),
    )
    .await;
    assert_eq!(
        out.records.unwrap()[0],
        vec![Field::LongValue(4), Field::LongValue(9)]
    );
    exec(&client, PG_ARN, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn formatted_records_as_json() {
    let (_server, client) = setup().await;
    let out = client.execute_statement().resource_arn(PG_ARN).secret_arn(SECRET_ARN)
        .sql("SELECT 1 AS n, 'x' AS s, NULL::int AS z, true AS b, 2.5::float8 AS d, 1.50::numeric AS m, '\\x01'::bytea AS bin, ARRAY[1,2] AS arr")
        .format_records_as(aws_sdk_rdsdata::types::RecordsFormatType::Json)
        .send().await.unwrap();
    assert!(out.records.is_none() && out.column_metadata.is_none());
    let v: serde_json::Value =
        serde_json::from_str(out.formatted_records.as_deref().unwrap()).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{"n": 1, "s": "x", "z": null, "b": true, "d": 2.5, "m": "1.50", "bin": "AQ==", "arr": [1, 2]}])
    );
}

/// json and jsonb come back as compact JSON text (the `aurora-data-api` suite's v2
/// expectation `{"x":0,"y":"0","z":[0,0,1]}`), not in PostgreSQL's output format; whitespace
/// inside strings is kept.
#[tokio::test]
async fn json_results_are_compact() {
    let (_server, client) = setup().await;
    let table = unique("pgjson");
    exec(
        &client,
        PG_ARN,
        &format!("CREATE TABLE {table} (j json, b jsonb)"),
    )
    .await;
    let value = r#"{"x": 0, "y": "0", "z": [0, 0, 1]}"#;
    client
        .execute_statement()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .sql(format!("INSERT INTO {table} VALUES (:v::json, :v::jsonb)"))
        .parameters(param("v", s(value)))
        .send()
        .await
        .unwrap_or_else(|e| panic!("insert: {}", describe(&e)));
    let out = exec(&client, PG_ARN, &format!("SELECT j, b FROM {table}")).await;
    let compact = s(r#"{"x":0,"y":"0","z":[0,0,1]}"#);
    assert_eq!(out.records.unwrap()[0], vec![compact.clone(), compact]);
    let f = scalar(
        &client,
        PG_ARN,
        r#"SELECT '{ "a b" : "c\" d",  "e": [ true , null ] }'::jsonb"#,
    )
    .await;
    assert_eq!(f, s(r#"{"e":[true,null],"a b":"c\" d"}"#));
    exec(&client, PG_ARN, &format!("DROP TABLE {table}")).await;
}

/// Ranges, multiranges, macaddr8 and pg_lsn come back as their PostgreSQL text in
/// stringValue (int4range and numrange seen on Aurora by the Node `data-api-client` suite;
/// the others *unverified*), except daterange and tsrange, which Aurora refuses; arrays of
/// them stay unsupported.
#[tokio::test]
async fn ranges_and_other_text_types() {
    let (_server, client) = setup().await;
    let cases = [
        ("SELECT '[1,10)'::int4range", "[1,10)", "int4range"),
        ("SELECT '[1,10]'::int4range", "[1,11)", "int4range"),
        ("SELECT 'empty'::int4range", "empty", "int4range"),
        ("SELECT '(,5]'::int8range", "(,6)", "int8range"),
        ("SELECT '[1.50,2.5]'::numrange", "[1.50,2.5]", "numrange"),
        (
            "SELECT '[2024-01-01 10:00+02,)'::tstzrange",
            "[\"2024-01-01 08:00:00+00\",)",
            "tstzrange",
        ),
        (
            "SELECT '{[1,3),[5,7)}'::int4multirange",
            "{[1,3),[5,7)}",
            "int4multirange",
        ),
        ("SELECT '{}'::nummultirange", "{}", "nummultirange"),
        (
            "SELECT '08:00:2b:01:02:03:04:05'::macaddr8",
            "08:00:2b:01:02:03:04:05",
            "macaddr8",
        ),
        ("SELECT '16/B374D848'::pg_lsn", "16/B374D848", "pg_lsn"),
    ];
    for (sql, text, type_name) in cases {
        let out = exec(&client, PG_ARN, sql).await;
        assert_eq!(out.records.as_ref().unwrap()[0][0], s(text), "{sql}");
        let meta = &out.column_metadata.as_ref().unwrap()[0];
        assert_eq!(meta.type_name.as_deref(), Some(type_name), "{sql}");
        assert_eq!(meta.r#type, 1111, "{sql}");
    }
    let e = exec_err(&client, PG_ARN, "SELECT ARRAY['[1,2)'::int4range]").await;
    assert_eq!(code_and_message(&e).0, "UnsupportedResultException");
    // daterange and tsrange are refused by Aurora (data-api-client's suite), as money is.
    for (sql, type_name) in [
        ("SELECT '[2024-01-01,2024-02-01)'::daterange", "daterange"),
        ("SELECT '[2024-01-01 10:00,2024-01-02)'::tsrange", "tsrange"),
    ] {
        let (code, message) = code_and_message(&exec_err(&client, PG_ARN, sql).await);
        assert_eq!(code, "UnsupportedResultException", "{sql}");
        assert_eq!(
            message,
            format!("The result contains the unsupported data type {type_name}."),
            "{sql}"
        );
    }
}

/// `"char"` bytes ≥ 0x80 come back as PostgreSQL's text (`\\351`), which reads back into the
/// same byte: the value round-trips as a stringValue.
#[tokio::test]
async fn char_high_bytes_round_trip() {
    let (_server, client) = setup().await;
    let table = unique("pgchar");
    exec(
        &client,
        PG_ARN,
        &format!("CREATE TABLE {table} (id int, c \"char\")"),
    )
    .await;
    exec(
        &client,
        PG_ARN,
        &format!("INSERT INTO {table} VALUES (1, '\\351'), (2, 'a'), (3, '\\200')"),
    )
    .await;
    let out = exec(
        &client,
        PG_ARN,
        &format!("SELECT c FROM {table} ORDER BY id"),
    )
    .await;
    let values: Vec<Field> = out
        .records
        .unwrap()
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(values, vec![s("\\351"), s("a"), s("\\200")]);
    for (id, value) in [(1, "\\351"), (2, "a"), (3, "\\200")] {
        let out = client
            .execute_statement()
            .resource_arn(PG_ARN)
            .secret_arn(SECRET_ARN)
            .sql(format!(
                "SELECT c = :v::\"char\", ascii(c::text) FROM {table} WHERE id = :id"
            ))
            .parameters(param("v", s(value)))
            .parameters(param("id", Field::LongValue(id)))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{value}: {}", describe(&e)));
        assert_eq!(
            out.records.unwrap()[0][0],
            Field::BooleanValue(true),
            "{value}"
        );
    }
    exec(&client, PG_ARN, &format!("DROP TABLE {table}")).await;
}

/// Empty SQL (*unverified*: the service model allows a zero-length `sql`; no recorded
/// response). PostgreSQL answers an empty query without error, as pgjdbc does: an empty
/// response with no records. MySQL refuses it (ER_EMPTY_QUERY).
#[tokio::test]
async fn empty_sql() {
    let (_server, client) = setup().await;
    let out = exec(&client, PG_ARN, "").await;
    assert_eq!(out.number_of_records_updated, 0);
    assert!(
        out.records.is_none() && out.generated_fields.is_none(),
        "{out:?}"
    );
    let e = exec_err(&client, MY_ARN, "").await;
    assert_eq!(
        code_and_message(&e),
        (
            "DatabaseErrorException".into(),
            "Query was empty; Error code: 1065; SQLState: 42000".into()
        )
    );
}
