use super::kind::mysql_kind;
use super::*;
use aws_sdk_rdsdata::types::ColumnMetadata;

fn meta(type_name: &str) -> ColumnMetadata {
    ColumnMetadata::builder()
        .name("c")
        .label("c")
        .type_name(type_name)
        .build()
}

#[test]
fn pg_kinds_follow_type_names() {
    let t = TypeOptions::new();
    let k = |n: &str| column_kind(&meta(n), Dialect::Postgres, &t);
    assert_eq!(k("int2"), ValueKind::SmallInt);
    assert_eq!(k("int4"), ValueKind::Int);
    assert_eq!(k("int8"), ValueKind::BigInt);
    assert_eq!(k("float4"), ValueKind::Float);
    assert_eq!(k("numeric"), ValueKind::BigDecimal);
    assert_eq!(k("timestamptz"), ValueKind::DateTimeWithTimeZone);
    assert_eq!(k("timestamp"), ValueKind::DateTime);
    assert_eq!(k("jsonb"), ValueKind::Json);
    assert_eq!(k("mood"), ValueKind::String);
    assert_eq!(k("_int4"), ValueKind::array_of(ValueKind::Int).unwrap());
    assert_eq!(k("_text"), ValueKind::Array(&ValueKind::String));
    assert_eq!(k("_mood"), ValueKind::Array(&ValueKind::String));
    assert_eq!(ValueKind::array_of(k("_int4")), None);
    let utc = TypeOptions::new().zoned_timestamps(ValueKind::DateTimeUtc);
    assert_eq!(
        column_kind(&meta("timestamptz"), Dialect::Postgres, &utc),
        ValueKind::DateTimeUtc
    );
}

#[test]
fn mysql_kinds_follow_type_names() {
    let t = TypeOptions::new();
    let k = |n: &str, p: i32| mysql_kind(n, p, &t);
    assert_eq!(k("INT UNSIGNED", 10), ValueKind::Unsigned);
    assert_eq!(k("BIGINT UNSIGNED", 20), ValueKind::BigUnsigned);
    assert_eq!(k("BIT", 1), ValueKind::Bool);
    assert_eq!(k("BINARY", 16), ValueKind::Uuid);
    assert_eq!(k("BINARY", 4), ValueKind::Bytes);
    assert_eq!(k("TIMESTAMP", 26), ValueKind::DateTimeWithTimeZone);
    assert_eq!(k("LONGTEXT", 0), ValueKind::String);
}

#[test]
fn overrides_match_join_aliases() {
    let t = TypeOptions::new().column("t", "doc", ValueKind::Json);
    let m = ColumnMetadata::builder()
        .label("B_doc")
        .table_name("t")
        .type_name("LONGTEXT")
        .build();
    assert_eq!(column_kind(&m, Dialect::Mysql, &t), ValueKind::Json);
}

#[test]
fn decodes_and_refuses_with_typed_errors() {
    assert_eq!(
        decode(Field::LongValue(7), ValueKind::Int, "c").unwrap(),
        Value::Int(Some(7))
    );
    assert_eq!(
        decode(Field::IsNull(true), ValueKind::Uuid, "c").unwrap(),
        Value::Uuid(None)
    );
    assert!(matches!(
        decode(Field::LongValue(1 << 40), ValueKind::Int, "c"),
        Err(DbErr::Type(_))
    ));
    assert!(matches!(
        decode(Field::StringValue("{".into()), ValueKind::Json, "c"),
        Err(DbErr::Json(_))
    ));
    assert_eq!(
        decode(
            Field::StringValue("18446744073709551615".into()),
            ValueKind::BigUnsigned,
            "c"
        )
        .unwrap(),
        Value::BigUnsigned(Some(u64::MAX))
    );
    let t = decode(
        Field::StringValue("2024-01-02 03:04:05.5".into()),
        ValueKind::DateTimeWithTimeZone,
        "c",
    )
    .unwrap();
    let Value::ChronoDateTimeWithTimeZone(Some(t)) = t else {
        panic!()
    };
    assert_eq!(t.to_rfc3339(), "2024-01-02T03:04:05.500+00:00");
    assert_eq!(
        parse_date("0001-03-01 BC"),
        NaiveDate::from_ymd_opt(0, 3, 1)
    );
}

#[test]
fn positional_keys_sort_in_select_order() {
    let d = Decoded {
        columns: vec!["z".into(), "a".into()],
        rows: vec![vec![Value::Int(Some(1)), Value::Int(Some(2))]],
    };
    let row = d.into_proxy_rows(true).remove(0);
    assert_eq!(row.try_get::<i32, _>(0usize).unwrap(), 1);
    assert_eq!(row.try_get::<i32, _>(1usize).unwrap(), 2);
    assert_eq!(row.try_get::<i32, _>("a").unwrap(), 2);
}

#[cfg(feature = "sea-orm-rust_decimal")]
#[test]
fn rust_decimal_on_request() {
    let t = TypeOptions::new().numeric(ValueKind::Decimal);
    assert_eq!(
        column_kind(&meta("numeric"), Dialect::Postgres, &t),
        ValueKind::Decimal
    );
    assert_eq!(
        decode(Field::StringValue("1.10".into()), ValueKind::Decimal, "c").unwrap(),
        Value::Decimal(Some(Box::new("1.10".parse().unwrap())))
    );
    // More digits than rust_decimal holds: an error, not a silently rounded value.
    let long = Field::StringValue("1234567890123456789012345678901234567890".into());
    assert!(matches!(
        decode(long, ValueKind::Decimal, "c"),
        Err(DbErr::Type(_))
    ));
}
