use super::*;

fn col(t: ColumnType, flags: ColumnFlags, collation: u16, length: u32, decimals: u8) -> ColumnInfo {
    ColumnInfo {
        column_type: t,
        flags,
        collation,
        length,
        decimals,
        name: "c".into(),
        table: "t".into(),
        schema: "s".into(),
        org_name: "c".into(),
        org_table: "t".into(),
        json: false,
    }
}

fn num(t: ColumnType, length: u32) -> ColumnInfo {
    col(t, ColumnFlags::empty(), 63, length, 0)
}

fn blob_of(length: u32) -> ColumnInfo {
    col(
        ColumnType::MYSQL_TYPE_BLOB,
        ColumnFlags::BLOB_FLAG | ColumnFlags::BINARY_FLAG,
        63,
        length,
        0,
    )
}

fn field(c: &ColumnInfo, v: Value) -> Field {
    to_field(c, value_class(c), v, ResultOptions::default())
}

const NONE: ColumnFlags = ColumnFlags::empty();
const UNSIGNED: ColumnFlags = ColumnFlags::UNSIGNED_FLAG;

#[test]
fn booleans_and_bits() {
    let b = num(ColumnType::MYSQL_TYPE_TINY, 1);
    assert_eq!(field(&b, Value::Int(1)), Field::BooleanValue(true));
    assert_eq!(
        field(&b, Value::Bytes(b"0".to_vec())),
        Field::BooleanValue(false)
    );
    let meta = column_metadata(&b);
    assert_eq!((meta.type_name.as_str(), meta.type_code), ("BIT", -7));
    let bit = num(ColumnType::MYSQL_TYPE_BIT, 8);
    assert_eq!(
        field(&bit, Value::Bytes(vec![0x80])),
        Field::BooleanValue(true)
    );
    assert_eq!(
        field(&bit, Value::Bytes(vec![0, 0])),
        Field::BooleanValue(false)
    );
    // TINYINT(4) and TINYINT(1) UNSIGNED stay integers.
    assert_eq!(
        field(&num(ColumnType::MYSQL_TYPE_TINY, 4), Value::Int(1)),
        Field::LongValue(1)
    );
    let tu = col(ColumnType::MYSQL_TYPE_TINY, UNSIGNED, 63, 1, 0);
    assert_eq!(field(&tu, Value::UInt(1)), Field::LongValue(1));
}

#[test]
fn integers() {
    let big = col(ColumnType::MYSQL_TYPE_LONGLONG, UNSIGNED, 63, 20, 0);
    assert_eq!(field(&big, Value::UInt(5)), Field::LongValue(5));
    assert_eq!(
        field(&big, Value::UInt(u64::MAX)),
        Field::StringValue("18446744073709551615".into())
    );
    assert_eq!(
        field(&big, Value::Bytes(b"18446744073709551615".to_vec())),
        Field::StringValue("18446744073709551615".into())
    );
    let opts = ResultOptions {
        long_as_string: true,
        decimal_as_number: false,
    };
    let int = num(ColumnType::MYSQL_TYPE_LONG, 11);
    assert_eq!(
        to_field(&int, ValueClass::Integer, Value::Int(-3), opts),
        Field::StringValue("-3".into())
    );
    assert_eq!(
        field(&int, Value::Bytes(b"-3".to_vec())),
        Field::LongValue(-3)
    );
    let meta = column_metadata(&big);
    assert_eq!(
        (meta.type_name.as_str(), meta.type_code, meta.is_signed),
        ("BIGINT UNSIGNED", -5, false)
    );
    let meta = column_metadata(&num(ColumnType::MYSQL_TYPE_INT24, 9));
    assert_eq!(
        (meta.type_name.as_str(), meta.type_code, meta.is_signed),
        ("MEDIUMINT", 4, true)
    );
}

#[test]
fn floats_and_decimals() {
    let f = col(ColumnType::MYSQL_TYPE_FLOAT, NONE, 63, 12, 31);
    assert_eq!(field(&f, Value::Float(1.1)), Field::DoubleValue(1.1));
    assert_eq!(column_metadata(&f).type_code, 7);
    let d = col(ColumnType::MYSQL_TYPE_NEWDECIMAL, NONE, 63, 12, 2);
    assert_eq!(
        field(&d, Value::Bytes(b"0.10".to_vec())),
        Field::StringValue("0.10".into())
    );
    let opts = ResultOptions {
        long_as_string: false,
        decimal_as_number: true,
    };
    assert_eq!(
        to_field(
            &d,
            ValueClass::Decimal,
            Value::Bytes(b"0.10".to_vec()),
            opts
        ),
        Field::DoubleValue(0.1)
    );
    let d0 = col(ColumnType::MYSQL_TYPE_NEWDECIMAL, NONE, 63, 11, 0);
    assert_eq!(
        to_field(&d0, ValueClass::Decimal, Value::Bytes(b"42".to_vec()), opts),
        Field::LongValue(42)
    );
    let big = b"123456789012345678901234567890".to_vec();
    assert!(matches!(
        to_field(&d0, ValueClass::Decimal, Value::Bytes(big), opts),
        Field::DoubleValue(_)
    ));
    let meta = column_metadata(&d);
    assert_eq!(
        (
            meta.type_name.as_str(),
            meta.type_code,
            meta.precision,
            meta.scale
        ),
        ("DECIMAL", 3, 10, 2)
    );
}

#[test]
fn strings_and_blobs() {
    let v = col(ColumnType::MYSQL_TYPE_VAR_STRING, NONE, 45, 40, 0);
    assert_eq!(
        field(&v, Value::Bytes(b"hi".to_vec())),
        Field::StringValue("hi".into())
    );
    let meta = column_metadata(&v);
    assert_eq!(
        (meta.type_name.as_str(), meta.type_code, meta.precision),
        ("VARCHAR", 12, 10)
    );
    let vb = col(
        ColumnType::MYSQL_TYPE_VAR_STRING,
        ColumnFlags::BINARY_FLAG,
        63,
        8,
        0,
    );
    assert_eq!(
        field(&vb, Value::Bytes(vec![0, 1])),
        Field::BlobValue(vec![0, 1])
    );
    assert_eq!(column_metadata(&vb).type_name, "VARBINARY");
    let e = col(
        ColumnType::MYSQL_TYPE_STRING,
        ColumnFlags::ENUM_FLAG,
        45,
        4,
        0,
    );
    assert_eq!(column_metadata(&e).type_name, "ENUM");
    let s = col(
        ColumnType::MYSQL_TYPE_STRING,
        ColumnFlags::SET_FLAG,
        45,
        12,
        0,
    );
    assert_eq!(
        field(&s, Value::Bytes(b"a,b".to_vec())),
        Field::StringValue("a,b".into())
    );
    let b = col(
        ColumnType::MYSQL_TYPE_STRING,
        ColumnFlags::BINARY_FLAG,
        63,
        4,
        0,
    );
    assert_eq!(
        (
            column_metadata(&b).type_name.as_str(),
            column_metadata(&b).type_code
        ),
        ("BINARY", -2)
    );
    let text = col(
        ColumnType::MYSQL_TYPE_BLOB,
        ColumnFlags::BLOB_FLAG,
        45,
        262_140,
        0,
    );
    assert_eq!(
        (
            column_metadata(&text).type_name.as_str(),
            column_metadata(&text).type_code
        ),
        ("TEXT", -1)
    );
    let long_text = col(
        ColumnType::MYSQL_TYPE_BLOB,
        ColumnFlags::BLOB_FLAG,
        45,
        u32::MAX,
        0,
    );
    assert_eq!(column_metadata(&long_text).type_name, "LONGTEXT");
    let blob = col(
        ColumnType::MYSQL_TYPE_BLOB,
        ColumnFlags::BLOB_FLAG,
        63,
        65_535,
        0,
    );
    assert_eq!(
        (
            column_metadata(&blob).type_name.as_str(),
            column_metadata(&blob).type_code
        ),
        ("BLOB", -4)
    );
    // MySQL's JSON type arrives with the binary charset but is text.
    assert!(!column_metadata(&text).is_case_sensitive);
    assert!(column_metadata(&blob_of(65_535)).is_case_sensitive);
    let j = col(
        ColumnType::MYSQL_TYPE_JSON,
        ColumnFlags::BLOB_FLAG,
        63,
        u32::MAX,
        0,
    );
    assert_eq!(
        field(&j, Value::Bytes(b"{}".to_vec())),
        Field::StringValue("{}".into())
    );
    assert_eq!(
        (
            column_metadata(&j).type_name.as_str(),
            column_metadata(&j).type_code
        ),
        ("JSON", -1)
    );
    assert!(column_metadata(&j).is_case_sensitive);
}

#[test]
fn dates_and_times() {
    let d = num(ColumnType::MYSQL_TYPE_DATE, 10);
    assert_eq!(
        field(&d, Value::Date(2024, 2, 29, 0, 0, 0, 0)),
        Field::StringValue("2024-02-29".into())
    );
    assert_eq!(
        field(&d, Value::Bytes(b"2024-02-29".to_vec())),
        Field::StringValue("2024-02-29".into())
    );
    let t = col(ColumnType::MYSQL_TYPE_TIME, NONE, 63, 17, 6);
    assert_eq!(
        field(&t, Value::Time(true, 34, 22, 59, 59, 0)),
        Field::StringValue("-838:59:59".into())
    );
    assert_eq!(
        field(&t, Value::Time(false, 0, 1, 2, 3, 500_000)),
        Field::StringValue("01:02:03.5".into())
    );
    assert_eq!(
        field(&t, Value::Bytes(b"-838:59:59.000000".to_vec())),
        Field::StringValue("-838:59:59".into())
    );
    assert_eq!(column_metadata(&t).scale, 6);
    let dt = col(ColumnType::MYSQL_TYPE_DATETIME, NONE, 63, 26, 6);
    assert_eq!(
        field(&dt, Value::Date(2021, 1, 2, 3, 4, 5, 120_000)),
        Field::StringValue("2021-01-02 03:04:05.12".into())
    );
    assert_eq!(
        field(&dt, Value::Bytes(b"2021-01-02 03:04:05.000001".to_vec())),
        Field::StringValue("2021-01-02 03:04:05.000001".into())
    );
    let meta = column_metadata(&dt);
    assert_eq!(
        (meta.type_name.as_str(), meta.type_code, meta.precision),
        ("DATETIME", 93, 26)
    );
    let y = col(ColumnType::MYSQL_TYPE_YEAR, UNSIGNED, 63, 4, 0);
    assert_eq!(
        field(&y, Value::UInt(2021)),
        Field::StringValue("2021".into())
    );
    assert_eq!(
        (
            column_metadata(&y).type_name.as_str(),
            column_metadata(&y).type_code
        ),
        ("YEAR", 91)
    );
}

#[test]
fn nulls() {
    let int = num(ColumnType::MYSQL_TYPE_LONG, 11);
    assert_eq!(field(&int, Value::NULL), Field::IsNull(true));
    let n = num(ColumnType::MYSQL_TYPE_NULL, 0);
    assert_eq!(field(&n, Value::NULL), Field::IsNull(true));
    let mut nn = num(ColumnType::MYSQL_TYPE_LONG, 11);
    nn.flags = ColumnFlags::NOT_NULL_FLAG | ColumnFlags::AUTO_INCREMENT_FLAG;
    let meta = column_metadata(&nn);
    assert_eq!((meta.nullable, meta.is_auto_increment), (0, true));
    assert_eq!(column_metadata(&int).nullable, 1);
}

#[test]
fn micros() {
    assert_eq!(parse_micros("5"), Some(500_000));
    assert_eq!(parse_micros("123456789"), Some(123_456));
    assert_eq!(parse_micros(""), Some(0));
    assert_eq!(parse_micros("x"), None);
    assert_eq!(fraction(0), "");
    assert_eq!(fraction(1), ".000001");
}
