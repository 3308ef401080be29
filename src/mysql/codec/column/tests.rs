use super::*;
use crate::mysql::codec::tests::*;

#[test]
fn type_names_resolve() {
    use MysqlType as T;
    let cases = [
        ("INT", Column::Int(T::Long)),
        ("int unsigned", Column::Int(T::UnsignedLong)),
        ("TINYINT", Column::Int(T::Tiny)),
        ("tinyint(4) unsigned zerofill", Column::Int(T::UnsignedTiny)),
        ("SMALLINT UNSIGNED", Column::Int(T::UnsignedShort)),
        ("MEDIUMINT", Column::Int(T::Long)),
        ("BIGINT UNSIGNED", Column::Int(T::UnsignedLongLong)),
        ("SERIAL", Column::Int(T::UnsignedLongLong)),
        ("BIT", Column::Bit),
        ("BOOLEAN", Column::Bool),
        ("YEAR", Column::Year),
        ("FLOAT UNSIGNED", Column::Float),
        ("DOUBLE", Column::Double),
        ("DECIMAL(10,2)", Column::Decimal),
        ("DATE", Column::Temporal(T::Date)),
        ("TIME", Column::Temporal(T::Time)),
        ("DATETIME", Column::Temporal(T::DateTime)),
        ("TIMESTAMP", Column::Temporal(T::Timestamp)),
        ("VARCHAR", Column::Text(T::String)),
        ("LONGTEXT", Column::Text(T::String)),
        ("JSON", Column::Text(T::String)),
        ("ENUM", Column::Text(T::Enum)),
        ("SET", Column::Text(T::Set)),
        ("VARBINARY", Column::Binary),
        ("MEDIUMBLOB", Column::Binary),
        ("GEOMETRY", Column::Binary),
        ("NULL", Column::Unknown),
        ("", Column::Unknown),
        ("VECTOR", Column::Unknown),
    ];
    for (name, want) in cases {
        assert_eq!(column_kind(name), want, "{name}");
    }
}

#[test]
fn nulls() {
    assert_eq!(
        ColumnDecoder::new("INT", None).decode(Field::IsNull(true)),
        Ok(None)
    );
    assert_eq!(
        ColumnDecoder::new("NULL", Some(MysqlType::String)).decode(Field::IsNull(true)),
        Ok(None)
    );
    assert!(decode_err("INT", None, Field::IsNull(false)).contains("isNull: false"));
}

#[test]
fn integers_take_the_column_width() {
    let cases: [(&str, i64, MysqlType, Vec<u8>); 8] = [
        (
            "TINYINT",
            -128,
            MysqlType::Tiny,
            (-128i8).to_ne_bytes().to_vec(),
        ),
        ("TINYINT UNSIGNED", 255, MysqlType::UnsignedTiny, vec![255]),
        (
            "SMALLINT",
            -32768,
            MysqlType::Short,
            i16::MIN.to_ne_bytes().to_vec(),
        ),
        (
            "SMALLINT UNSIGNED",
            65535,
            MysqlType::UnsignedShort,
            u16::MAX.to_ne_bytes().to_vec(),
        ),
        (
            "MEDIUMINT",
            -8_388_608,
            MysqlType::Long,
            (-8_388_608i32).to_ne_bytes().to_vec(),
        ),
        (
            "INT UNSIGNED",
            4_294_967_295,
            MysqlType::UnsignedLong,
            u32::MAX.to_ne_bytes().to_vec(),
        ),
        (
            "BIGINT",
            i64::MIN,
            MysqlType::LongLong,
            i64::MIN.to_ne_bytes().to_vec(),
        ),
        (
            "BIGINT UNSIGNED",
            i64::MAX,
            MysqlType::UnsignedLongLong,
            i64::MAX.to_ne_bytes().to_vec(),
        ),
    ];
    for (name, v, ty, bytes) in cases {
        assert_eq!(
            decode(name, None, Field::LongValue(v)),
            RawValue {
                bytes: bytes.clone(),
                ty
            },
            "{name}"
        );
        // longReturnType = STRING
        assert_eq!(
            decode(name, None, s(&v.to_string())),
            RawValue { bytes, ty }
        );
    }
    // BIGINT UNSIGNED above i64::MAX arrives as a string.
    let raw = decode("BIGINT UNSIGNED", None, s("18446744073709551615"));
    assert_eq!(raw.ty, MysqlType::UnsignedLongLong);
    assert_eq!(read::<Unsigned<st::BigInt>, u64>(&raw).unwrap(), u64::MAX);
    // Never truncated.
    let err = decode_err("TINYINT", None, Field::LongValue(300));
    assert_eq!(
        err,
        "cannot decode a result value: 300 is out of range for a TINYINT column"
    );
    assert!(decode_err("INT UNSIGNED", None, Field::LongValue(-1)).contains("out of range"));
    assert!(decode_err("BIGINT", None, s("18446744073709551615")).contains("out of range"));
    assert!(decode_err("INT", None, s("12a")).contains("not an integer"));
    // Mismatches name the column type and the Field kind.
    assert_eq!(
        decode_err("INT", None, Field::DoubleValue(1.5)),
        "cannot decode a result value: a INT column cannot hold a doubleValue"
    );
    assert!(
        decode_err("INT", None, Field::BlobValue(Blob::new(vec![1])))
            .contains("cannot hold a blobValue")
    );
    // Any integer tag reads as any integer type (diesel narrows with overflow checks).
    assert_eq!(
        get::<st::BigInt, i64>("TINYINT", None, Field::LongValue(-5)),
        -5
    );
    assert_eq!(
        get::<st::TinyInt, i8>("BIGINT", None, Field::LongValue(-5)),
        -5
    );
}

#[test]
fn booleans_and_bits() {
    for name in ["BIT", "BOOLEAN", "TINYINT", "WHATEVER"] {
        for (b, byte) in [(true, 1u8), (false, 0)] {
            let raw = decode(name, None, Field::BooleanValue(b));
            assert_eq!(
                raw,
                RawValue {
                    bytes: vec![byte],
                    ty: MysqlType::Tiny
                }
            );
            assert_eq!(read::<st::Bool, bool>(&raw).unwrap(), b);
            assert_eq!(read::<st::Integer, i32>(&raw).unwrap(), i32::from(b));
        }
    }
    // BIT(n) as bytes: a big-endian integer (or the raw bits when diesel asks for Bit).
    let bits = Field::BlobValue(Blob::new(vec![0x01, 0x02]));
    let raw = decode("BIT", None, bits.clone());
    assert_eq!(read::<Unsigned<st::BigInt>, u64>(&raw).unwrap(), 0x0102);
    assert_eq!(
        decode("BIT", Some(MysqlType::Bit), bits),
        RawValue {
            bytes: vec![1, 2],
            ty: MysqlType::Bit
        }
    );
    assert_eq!(
        decode("BIT", Some(MysqlType::Bit), Field::BooleanValue(true)),
        RawValue {
            bytes: vec![1],
            ty: MysqlType::Bit
        }
    );
    assert_eq!(
        decode("BIT", Some(MysqlType::Bit), Field::LongValue(5)),
        RawValue {
            bytes: 5i64.to_be_bytes().to_vec(),
            ty: MysqlType::Bit
        }
    );
    assert!(decode_err("BIT", None, Field::BlobValue(Blob::new(vec![1; 9]))).contains("64 bits"));
    let raw = decode("BIT", None, Field::LongValue(5));
    assert_eq!(read::<st::BigInt, i64>(&raw).unwrap(), 5);
    assert!(read::<st::Bool, bool>(&raw).unwrap());
    assert!(!read::<st::Bool, bool>(&decode("BOOLEAN", None, s("0"))).unwrap());
    assert!(decode_err("DATE", None, Field::BooleanValue(true)).contains("booleanValue"));
}

#[test]
fn floats() {
    let raw = decode("FLOAT", None, Field::DoubleValue(1.1));
    assert_eq!(
        raw,
        RawValue {
            bytes: 1.1f32.to_ne_bytes().to_vec(),
            ty: MysqlType::Float
        }
    );
    assert_eq!(read::<st::Float, f32>(&raw).unwrap(), 1.1f32);
    assert!(decode_err("FLOAT", None, Field::DoubleValue(1e300)).contains("out of range"));
    assert_eq!(
        get::<st::Float, f32>("FLOAT", None, Field::LongValue(3)),
        3.0
    );
    assert_eq!(get::<st::Float, f32>("FLOAT", None, s("2.5")), 2.5);
    let raw = decode("DOUBLE", None, Field::DoubleValue(0.1));
    assert_eq!(
        raw,
        RawValue {
            bytes: 0.1f64.to_ne_bytes().to_vec(),
            ty: MysqlType::Double
        }
    );
    assert_eq!(
        get::<st::Double, f64>("DOUBLE", None, Field::LongValue(-7)),
        -7.0
    );
    assert_eq!(get::<st::Double, f64>("DOUBLE", None, s("1e300")), 1e300);
    assert!(decode_err("DOUBLE", None, s("x")).contains("not a floating-point number"));
    assert!(decode_err("DOUBLE", None, Field::BooleanValue(true)).contains("booleanValue"));
}

#[test]
fn decimals_are_ascii() {
    let raw = decode("DECIMAL", None, s("0.10"));
    assert_eq!(
        raw,
        RawValue {
            bytes: b"0.10".to_vec(),
            ty: MysqlType::Numeric
        }
    );
    let dec = |v: &str| BigDecimal::from_str(v).unwrap();
    assert_eq!(read::<st::Numeric, BigDecimal>(&raw).unwrap(), dec("0.1"));
    assert_eq!(read::<st::Double, f64>(&raw).unwrap(), 0.1);
    assert_eq!(get::<st::BigInt, i64>("DECIMAL", None, s("-42")), -42);
    // decimalReturnType = DOUBLE_OR_LONG
    assert_eq!(
        get::<st::Numeric, BigDecimal>("DECIMAL", None, Field::LongValue(42)),
        dec("42")
    );
    assert_eq!(
        get::<st::Numeric, BigDecimal>("DECIMAL", None, Field::DoubleValue(1.25)),
        dec("1.25")
    );
    assert_eq!(
        get::<st::Numeric, BigDecimal>("DECIMAL", None, Field::DoubleValue(1e-7)),
        dec("0.0000001")
    );
    assert!(decode_err("DECIMAL", None, Field::DoubleValue(f64::NAN)).contains("doubleValue"));
    for bad in ["", "1.2.3", "abc", "1e", "--1", "NaN"] {
        assert!(
            decode_err("DECIMAL", None, s(bad)).contains("not a decimal"),
            "{bad}"
        );
    }
    assert!(is_decimal("-1.5E+3") && is_decimal(".5") && is_decimal("5."));
    // An exponent whose scale leaves i64 is refused here, not handed to diesel's BigDecimal
    // (which would refuse it with a parse error); the largest one it reads still decodes.
    let huge = "1093356.18230852766558081697e-13825109347851528761702682514923843817353523";
    assert!(decode_err("DECIMAL", None, s(huge)).contains("not a decimal"));
    assert!(decode_err("DECIMAL", None, s("1e9223372036854775809")).contains("not a decimal"));
    let edge = format!("1e{}", i64::MAX);
    assert!(get::<st::Numeric, BigDecimal>("DECIMAL", None, s(&edge)) > dec("1"));
}

#[test]
fn text_and_binary() {
    for (name, ty) in [
        ("VARCHAR", MysqlType::String),
        ("CHAR", MysqlType::String),
        ("TEXT", MysqlType::String),
        ("JSON", MysqlType::String),
        ("ENUM", MysqlType::Enum),
        ("SET", MysqlType::Set),
    ] {
        let raw = decode(name, None, s("x,ü"));
        assert_eq!(
            raw,
            RawValue {
                bytes: "x,ü".as_bytes().to_vec(),
                ty
            }
        );
        assert_eq!(read::<st::Text, String>(&raw).unwrap(), "x,ü");
    }
    assert!(decode_err("VARCHAR", None, Field::LongValue(1)).contains("cannot hold a longValue"));
    let raw = decode(
        "BINARY",
        None,
        Field::BlobValue(Blob::new(vec![1, 2, 0, 0])),
    );
    assert_eq!(
        raw,
        RawValue {
            bytes: vec![1, 2, 0, 0],
            ty: MysqlType::Blob
        }
    );
    assert_eq!(read::<st::Binary, Vec<u8>>(&raw).unwrap(), vec![1, 2, 0, 0]);
    assert_eq!(
        decode("BLOB", None, s("ab")),
        RawValue {
            bytes: b"ab".to_vec(),
            ty: MysqlType::Blob
        }
    );
    let json: serde_json::Value = get::<st::Json, _>("LONGTEXT", None, s("{\"a\": [1, null]}"));
    assert_eq!(json, serde_json::json!({"a": [1, null]}));
    let arr = Field::ArrayValue(ArrayValue::LongValues(vec![Some(1)]));
    assert!(decode_err("TEXT", None, arr.clone()).contains("arrayValue"));
    assert!(decode_err("VARCHAR", Some(MysqlType::String), arr).contains("arrayValue"));
}

#[test]
fn years() {
    let raw = decode("YEAR", None, s("2021"));
    assert_eq!(
        raw,
        RawValue {
            bytes: 2021u16.to_ne_bytes().to_vec(),
            ty: MysqlType::UnsignedShort
        }
    );
    assert_eq!(read::<st::SmallInt, i16>(&raw).unwrap(), 2021);
    assert_eq!(read::<st::Integer, i32>(&raw).unwrap(), 2021);
    assert_eq!(
        get::<Unsigned<st::SmallInt>, u16>("YEAR", None, Field::LongValue(1901)),
        1901
    );
    assert!(decode_err("YEAR", None, s("20x1")).contains("invalid YEAR value"));
}

#[test]
fn unknown_types_go_by_field_kind() {
    let cases = [
        (s("a"), MysqlType::String, b"a".to_vec()),
        (
            Field::LongValue(-2),
            MysqlType::LongLong,
            (-2i64).to_ne_bytes().to_vec(),
        ),
        (
            Field::DoubleValue(0.5),
            MysqlType::Double,
            0.5f64.to_ne_bytes().to_vec(),
        ),
        (
            Field::BlobValue(Blob::new(vec![9])),
            MysqlType::Blob,
            vec![9],
        ),
        (Field::BooleanValue(true), MysqlType::Tiny, vec![1]),
    ];
    for (field, ty, bytes) in cases {
        assert_eq!(decode("GEOGRAPHY", None, field), RawValue { bytes, ty });
    }
}

#[test]
fn strings_of_text_columns_become_what_diesel_expects() {
    assert_eq!(
        get::<st::Integer, i32>("VARCHAR", Some(MysqlType::Long), s("42")),
        42
    );
    let raw = decode("VARCHAR", Some(MysqlType::Long), s("42"));
    assert_eq!(raw.ty, MysqlType::Long);
    assert!(!get::<st::Bool, bool>(
        "VARCHAR",
        Some(MysqlType::Tiny),
        s("0")
    ));
    assert_eq!(
        get::<st::Numeric, BigDecimal>("VARCHAR", Some(MysqlType::Numeric), s("1.50")),
        BigDecimal::from_str("1.5").unwrap()
    );
    assert_eq!(
        get::<st::Double, f64>("TEXT", Some(MysqlType::Double), s("0.25")),
        0.25
    );
    assert_eq!(
        get::<st::Float, f32>("TEXT", Some(MysqlType::Float), s("0.25")),
        0.25
    );
    assert_eq!(
        get::<st::Timestamp, chrono::NaiveDateTime>(
            "VARCHAR",
            Some(MysqlType::Timestamp),
            s("2024-02-29 01:02:03.5")
        ),
        chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
            .unwrap()
            .and_hms_micro_opt(1, 2, 3, 500_000)
            .unwrap()
    );
    assert_eq!(
        get::<st::Date, chrono::NaiveDate>("MYSTERY", Some(MysqlType::Date), s("2024-02-29")),
        chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
    );
    assert!(decode_err("VARCHAR", Some(MysqlType::Long), s("4.5")).contains("not an integer"));
    // Without an expected type the string stays a string.
    assert_eq!(decode("VARCHAR", None, s("42")).ty, MysqlType::String);
    // A numeric column keeps its own representation whatever diesel expects.
    assert_eq!(
        decode("INT", Some(MysqlType::Double), Field::LongValue(1)).ty,
        MysqlType::Long
    );
}

#[test]
fn anything_read_as_text_keeps_its_text() {
    let text = |name, field| get::<st::Text, String>(name, Some(MysqlType::String), field);
    assert_eq!(text("DATE", s("2024-02-29")), "2024-02-29");
    assert_eq!(text("INT", Field::LongValue(-5)), "-5");
    assert_eq!(text("DOUBLE", Field::DoubleValue(0.5)), "0.5");
    assert_eq!(text("BIT", Field::BooleanValue(true)), "1");
    assert_eq!(text("DECIMAL", s("0.10")), "0.10");
    let raw = decode("DATETIME", Some(MysqlType::Blob), s("2024-02-29 00:00:00"));
    assert_eq!(
        raw,
        RawValue {
            bytes: b"2024-02-29 00:00:00".to_vec(),
            ty: MysqlType::Blob
        }
    );
    let raw = decode(
        "VARBINARY",
        Some(MysqlType::Enum),
        Field::BlobValue(Blob::new(b"a".to_vec())),
    );
    assert_eq!(
        raw,
        RawValue {
            bytes: b"a".to_vec(),
            ty: MysqlType::Enum
        }
    );
}

/// The shortcuts of a load (inline integers, moved text) give what the general decode gives.
#[test]
fn shortcuts_decode_as_the_general_path() {
    use MysqlType as T;
    let fields = || {
        [
            Field::LongValue(-5),
            Field::LongValue(300),
            Field::LongValue(i64::MAX),
            Field::StringValue("abc".into()),
            Field::BooleanValue(true),
            Field::DoubleValue(1.5),
        ]
    };
    let names = [
        "INT",
        "TINYINT",
        "BIGINT UNSIGNED",
        "SMALLINT",
        "VARCHAR",
        "ENUM",
        "TEXT",
        "DOUBLE",
        "YEAR",
    ];
    let expected = [
        None,
        Some(T::String),
        Some(T::Long),
        Some(T::Blob),
        Some(T::LongLong),
    ];
    for name in names {
        for want in expected {
            let decoder = ColumnDecoder::new(name, want);
            for field in fields() {
                let general = decoder
                    .decode(field.clone())
                    .map(|v| v.map(|v| (v.bytes, v.ty)));
                if let Some((bytes, ty)) = decoder.decode_inline(&field) {
                    assert_eq!(
                        Ok(Some((bytes.as_slice().to_vec(), ty))),
                        general.clone().map_err(|e| e.to_string()),
                        "{name} {want:?} {field:?}"
                    );
                }
                if let Ok(v) = decoder.decode_text(field.clone()) {
                    assert_eq!(
                        Ok(Some((v.bytes, v.ty))),
                        general.map_err(|e| e.to_string()),
                        "{name} {want:?} {field:?}"
                    );
                }
            }
        }
    }
}
