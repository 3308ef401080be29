use super::*;
use crate::protocol::ArrayValue;

const URL: &str = "postgres://postgres@127.0.0.1:5432/test";

async fn session() -> PgSession {
    PgSession::connect(URL, None)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL must be running at {URL} for these tests: {e}"))
}

fn param(name: &str, value: Field) -> SqlParameter {
    SqlParameter {
        name: Some(name.into()),
        value: Some(value),
        type_hint: None,
    }
}

fn s(v: &str) -> Field {
    Field::StringValue(v.into())
}

#[test]
fn binding() {
    let p = |v| bind(&param("a", v)).unwrap();
    assert!(matches!(p(Field::LongValue(5)), (Type::INT8, RawParam::Text(t)) if t == "5"));
    assert!(matches!(p(Field::DoubleValue(0.1)), (Type::FLOAT8, RawParam::Text(t)) if t == "0.1"));
    assert!(matches!(p(Field::BooleanValue(false)), (Type::BOOL, RawParam::Text(t)) if t == "f"));
    assert!(matches!(
        p(Field::BlobValue(vec![1])),
        (Type::BYTEA, RawParam::Binary(_))
    ));
    assert_eq!(p(Field::IsNull(true)).0.oid(), 0);
    let hinted = |hint: &str, v: &str| {
        bind(&SqlParameter {
            type_hint: Some(hint.into()),
            ..param("a", s(v))
        })
    };
    assert_eq!(hinted("date", "2024-02-29").unwrap().0, Type::DATE);
    assert_eq!(
        hinted("DATE", "29/02/2024").unwrap_err().message,
        "Cannot parse date or time"
    );
    assert_eq!(hinted("UUID", "x").unwrap().0, Type::UUID);
    assert!(starts_ddl("  alter table t add c int") && !starts_ddl("SELECT 1"));
}

#[tokio::test]
async fn end_to_end_against_postgres() {
    let mut pg = session().await;
    assert!(pg.is_usable() && pg.connection_id() > 0);
    let sql = r#"SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 'x'::text, 'a'::char(3),
        12.340::numeric(10,3), '2024-02-29'::date, '12:34:56.5'::time,
        '2024-02-29 12:34:56.123456'::timestamp, '2024-02-29 12:34:56+02'::timestamptz,
        '1 day 02:00'::interval, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{"a": 1}'::jsonb,
        '\x0102'::bytea, ARRAY[1,NULL,3], ARRAY['a','b'], '{}'::int[], '10.0.0.1/8'::inet, NULL::int"#;
    let r = pg
        .execute(sql, &[], ResultOptions::default())
        .await
        .unwrap();
    assert!(r.has_result_set);
    assert_eq!(r.updated, 0);
    let expected = vec![
        Field::LongValue(1),
        Field::LongValue(2),
        Field::LongValue(3),
        Field::DoubleValue(1.5),
        s("x"),
        s("a  "),
        s("12.340"),
        s("2024-02-29"),
        s("12:34:56.5"),
        s("2024-02-29 12:34:56.123456"),
        s("2024-02-29 10:34:56"),
        s("1 day 02:00:00"),
        s("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        s(r#"{"a":1}"#),
        Field::BlobValue(vec![1, 2]),
        Field::ArrayValue(ArrayValue::LongValues(vec![Some(1), None, Some(3)])),
        Field::ArrayValue(ArrayValue::StringValues(vec![
            Some("a".into()),
            Some("b".into()),
        ])),
        Field::ArrayValue(ArrayValue::LongValues(vec![])),
        s("10.0.0.1/8"),
        Field::IsNull(true),
    ];
    assert_eq!(r.records, vec![expected]);
    let types: Vec<(&str, i32)> = r
        .columns
        .iter()
        .map(|c| (c.type_name.as_str(), c.type_code))
        .collect();
    assert_eq!(types[..3], [("int2", 5), ("int4", 4), ("int8", -5)]);
    assert_eq!(
        (types[5], types[15], types[12]),
        (("bpchar", 1), ("_int4", 2003), ("uuid", 1111))
    );
    let numeric = &r.columns[6];
    assert_eq!(
        (numeric.precision, numeric.scale, numeric.nullable),
        (10, 3, 2)
    );
    assert_eq!(r.columns[15].array_base_column_type, 4);

    let opts = ResultOptions {
        long_as_string: true,
        decimal_as_number: true,
    };
    let r = pg
        .execute("SELECT 7::int8, 1.50::numeric, 42::numeric", &[], opts)
        .await
        .unwrap();
    assert_eq!(
        r.records[0],
        vec![s("7"), Field::DoubleValue(1.5), Field::LongValue(42)]
    );

    let err = pg
        .execute("SELECT '1'::money", &[], ResultOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UnsupportedResult);
    let err = pg
        .execute("SELECT ARRAY[[1,2],[3,4]]", &[], ResultOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UnsupportedResult);
}

/// Our decoders agree with PostgreSQL's own output functions (`format('%s', v)`) for awkward values.
#[tokio::test]
async fn decoders_match_server_text() {
    let mut pg = session().await;
    let values = [
        "'-1 day +02:00'::interval",
        "'-13 mons 5 days -00:00:01.5'::interval",
        "'1 year 2 mons 3 days 04:05:06.789'::interval",
        "'0'::interval",
        "'0044-03-15 BC'::date",
        "'12345-06-07'::date",
        "'4713-01-01 BC'::date",
        "'0001-12-31 23:59:59.5 BC'::timestamp",
        "'-infinity'::date",
        "'infinity'::timestamp",
        "'1999-12-31 23:59:59.999999'::timestamp",
        "'0.000001'::numeric",
        "'-123456789.000100'::numeric",
        "'NaN'::numeric",
        "'::1.2.3.4'::inet",
        "'::ffff:0:0/96'::cidr",
        "'2001:db8:0:0:1::/64'::inet",
        "'10.0.0.0/8'::cidr",
        "'24:00:00'::time",
        "'[1,10)'::int4range",
        "'empty'::int4range",
        "'(,5]'::int8range",
        "'[1.50,2.5]'::numrange",
        "'(,)'::numrange",
        // daterange / tsrange are refused (as on Aurora); their bounds' text is checked
        // through the multiranges, which are still returned.
        "'{[2024-01-01,2024-02-01)}'::datemultirange",
        "'{[0044-03-15 BC,)}'::datemultirange",
        "'{[\"2024-01-01 10:00\",infinity)}'::tsmultirange",
        "'[2024-01-01 10:00:00.5+02,2024-01-02)'::tstzrange",
        "'{[1,3),[5,7)}'::int4multirange",
        "'{}'::nummultirange",
        "'{[2024-01-01 00:00,2024-01-02 00:00)}'::tstzmultirange",
        "'08:00:2b:01:02:03:04:05'::macaddr8",
        "'16/B374D848'::pg_lsn",
        "'0/0'::pg_lsn",
        "'\\351'::\"char\"",
        "'a'::\"char\"",
        "''::\"char\"",
    ];
    for v in values {
        let r = pg
            .execute(
                &format!("SELECT {v}, format('%s', {v})"),
                &[],
                ResultOptions::default(),
            )
            .await
            .unwrap();
        assert_eq!(r.records[0][0], r.records[0][1], "{v}");
    }
    let r = pg
        .execute(
            "SELECT '{1.50,NULL}'::numeric[], '{2024-01-01}'::date[], '{t}'::bool[], '{NaN}'::float4[]",
            &[],
            ResultOptions::default(),
        )
        .await
        .unwrap();
    let strings = |v: &[Option<&str>]| {
        ArrayValue::StringValues(v.iter().map(|s| s.map(String::from)).collect())
    };
    assert_eq!(
        r.records[0],
        [
            Field::ArrayValue(strings(&[Some("1.50"), None])),
            Field::ArrayValue(strings(&[Some("2024-01-01")])),
            Field::ArrayValue(ArrayValue::BooleanValues(vec![Some(true)])),
            Field::ArrayValue(strings(&[Some("NaN")])),
        ]
    );
    pg.simple("SET TIME ZONE 'UTC'").await.unwrap();
    for (v, text) in [
        ("'2024-02-29 12:34:56+02'::timestamptz", "format('%s', {v})"),
        ("'12:00:00-05:30'::timetz", "({v} AT TIME ZONE 'UTC')::text"),
    ] {
        let text = text.replace("{v}", v);
        let r = pg
            .execute(
                &format!("SELECT {v}, {text}"),
                &[],
                ResultOptions::default(),
            )
            .await
            .unwrap();
        let (Field::StringValue(ours), Field::StringValue(text)) =
            (&r.records[0][0], &r.records[0][1])
        else {
            panic!("{v}: {:?}", r.records)
        };
        assert_eq!(format!("{ours}+00"), *text, "{v}");
    }
}

#[tokio::test]
async fn parameters_and_table_metadata() {
    let mut pg = session().await;
    let opts = ResultOptions::default();
    let r = pg
        .execute(
            "SELECT :a::int + 1, :b, :a",
            &[param("a", Field::LongValue(41)), param("b", s("hé"))],
            opts,
        )
        .await
        .unwrap();
    assert_eq!(
        r.records[0],
        vec![Field::LongValue(42), s("hé"), Field::LongValue(41)]
    );
    let r = pg
        .execute("SELECT :n", &[param("n", Field::IsNull(true))], opts)
        .await
        .unwrap();
    assert_eq!(r.records[0], vec![Field::IsNull(true)]);
    let date = SqlParameter {
        type_hint: Some("DATE".into()),
        ..param("d", s("2024-02-29"))
    };
    let r = pg.execute("SELECT :d + 1", &[date], opts).await.unwrap();
    assert_eq!(r.records[0], vec![s("2024-03-01")]);
    let r = pg
        .execute(
            "SELECT :b || '\\x03'::bytea",
            &[param("b", Field::BlobValue(vec![1, 2]))],
            opts,
        )
        .await
        .unwrap();
    assert_eq!(r.records[0], vec![Field::BlobValue(vec![1, 2, 3])]);
    let err = pg.execute("SELECT :x", &[], opts).await.unwrap_err();
    assert!(err.message.contains('x'), "{err}");

    let table = format!("pg_exec_test_{}", pg.connection_id());
    pg.simple(&format!("DROP TABLE IF EXISTS {table}"))
        .await
        .unwrap();
    pg.execute(
        &format!(
            "CREATE TABLE {table} (id serial PRIMARY KEY, n int, d date NOT NULL, b bytea, f float8)"
        ),
        &[],
        opts,
    )
    .await
    .unwrap();
    let insert = format!("INSERT INTO {table} (n, d, b, f) VALUES (:n, :d, :b, :f)");
    let row = [
        param("n", Field::IsNull(true)),
        SqlParameter {
            type_hint: Some("DATE".into()),
            ..param("d", s("2024-01-02"))
        },
        param("b", Field::BlobValue(vec![0, 255])),
        param("f", Field::DoubleValue(0.1)),
    ];
    let r = pg.execute(&insert, &row, opts).await;
    let r2 = pg
        .execute(
            &format!("UPDATE {table} SET n = :n WHERE n = :n"),
            &row[..1],
            opts,
        )
        .await;
    let sel = pg
        .execute(
            &format!("SELECT id, n, d, b, f, n + 1 AS e FROM {table}"),
            &[],
            opts,
        )
        .await;
    let ret = pg
        .execute(
            &format!("INSERT INTO {table} (d) VALUES ('2024-01-03') RETURNING id"),
            &[],
            opts,
        )
        .await;
    pg.simple(&format!("DROP TABLE {table}")).await.unwrap();
    let r = r.unwrap();
    assert_eq!((r.updated, r.has_result_set), (1, false));
    assert_eq!(r2.unwrap().updated, 0);
    let sel = sel.unwrap();
    assert_eq!(
        sel.records[0],
        vec![
            Field::LongValue(1),
            Field::IsNull(true),
            s("2024-01-02"),
            Field::BlobValue(vec![0, 255]),
            Field::DoubleValue(0.1),
            Field::IsNull(true)
        ]
    );
    let meta: Vec<(&str, i32, bool)> = sel
        .columns
        .iter()
        .map(|c| (c.table_name.as_str(), c.nullable, c.is_auto_increment))
        .collect();
    assert_eq!(
        meta,
        [
            (table.as_str(), 0, true),
            (table.as_str(), 1, false),
            (table.as_str(), 0, false),
            (table.as_str(), 1, false),
            (table.as_str(), 1, false),
            ("", 2, false)
        ]
    );
    let ret = ret.unwrap();
    assert_eq!(
        (ret.records.len(), ret.updated, ret.has_result_set),
        (1, 0, true)
    );
}

#[tokio::test]
async fn enums_domains_and_untyped_nulls() {
    let mut pg = session().await;
    let opts = ResultOptions::default();
    let suffix = pg.connection_id();
    pg.simple(&format!("CREATE TYPE mood_{suffix} AS ENUM ('ok', 'sad'); CREATE DOMAIN posint_{suffix} AS int CHECK (VALUE > 0)")).await.unwrap();
    let r = pg
        .execute(
            &format!("SELECT 'sad'::mood_{suffix}, ARRAY['ok'::mood_{suffix}], 5::posint_{suffix}"),
            &[],
            opts,
        )
        .await;
    let null_is_null = pg
        .execute(
            "SELECT :a IS NULL",
            &[param("a", Field::IsNull(true))],
            opts,
        )
        .await;
    pg.simple(&format!(
        "DROP TYPE mood_{suffix}; DROP DOMAIN posint_{suffix}"
    ))
    .await
    .unwrap();
    let r = r.unwrap();
    assert_eq!(
        r.records[0],
        [
            s("sad"),
            Field::ArrayValue(ArrayValue::StringValues(vec![Some("ok".into())])),
            Field::LongValue(5)
        ]
    );
    let types: Vec<(String, i32)> = r
        .columns
        .iter()
        .map(|c| (c.type_name.clone(), c.type_code))
        .collect();
    // A domain is reported by the server as its base type.
    let expected = [
        (format!("mood_{suffix}"), 1111),
        (format!("_mood_{suffix}"), 2003),
        ("int4".into(), 4),
    ];
    assert_eq!(types, expected);
    // An untyped NULL leaves the type to the server, which cannot infer one here (as with
    // pgjdbc's setNull(…, Types.NULL)); `:a::int IS NULL` works.
    assert!(null_is_null
        .unwrap_err()
        .message
        .ends_with("SQLState: 42P18"));
}

#[tokio::test]
async fn sql_errors() {
    let mut pg = session().await;
    let err = pg
        .execute(
            "SELECT * FROM no_such_table_xyz",
            &[],
            ResultOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::DatabaseError);
    assert_eq!(
        err.message,
        "ERROR: relation \"no_such_table_xyz\" does not exist; Position: 15; SQLState: 42P01"
    );
    let err = pg
        .execute("SELECT 1/0", &[], ResultOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.message, "ERROR: division by zero; SQLState: 22012");
    let err = pg.simple("SELEC 1").await.unwrap_err();
    assert!(
        err.message
            .starts_with("ERROR: syntax error at or near \"SELEC\""),
        "{err}"
    );
    let err = PgSession::connect(URL, Some("no_such_db_xyz"))
        .await
        .err()
        .unwrap();
    assert!(
        err.message.contains("does not exist; SQLState: 3D000"),
        "{err}"
    );
    // Terminating our own backend makes the session unusable.
    let pid = pg.connection_id();
    let mut other = session().await;
    other
        .execute(
            &format!("SELECT pg_terminate_backend({pid})"),
            &[],
            ResultOptions::default(),
        )
        .await
        .unwrap();
    let err = pg
        .execute("SELECT 1", &[], ResultOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::DatabaseError);
    for _ in 0..50 {
        if !pg.is_usable() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(!pg.is_usable());
}
