use super::*;

fn numeric(weight: i16, sign: u16, dscale: u16, digits: &[i16]) -> Vec<u8> {
    let mut v = Vec::new();
    for w in [digits.len() as u16, weight as u16, sign, dscale] {
        v.extend_from_slice(&w.to_be_bytes());
    }
    for d in digits {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v
}

fn num_text(raw: &[u8]) -> String {
    numeric_value(raw).unwrap().to_string()
}

#[test]
fn numeric_text_keeps_scale() {
    assert_eq!(num_text(&numeric(0, 0, 3, &[12, 3400])), "12.340");
    assert_eq!(
        num_text(&numeric(1, 0, 4, &[12, 3456, 7890])),
        "123456.7890"
    );
    assert_eq!(num_text(&numeric(0, 0, 0, &[])), "0");
    assert_eq!(num_text(&numeric(0, 0, 2, &[])), "0.00");
    assert_eq!(num_text(&numeric(-2, NUMERIC_NEG, 8, &[12])), "-0.00000012");
    assert_eq!(num_text(&numeric(-1, 0, 1, &[5000])), "0.5");
    assert_eq!(num_text(&numeric(2, 0, 0, &[1])), "100000000");
    assert_eq!(num_text(&numeric(0, NUMERIC_NAN, 0, &[])), "NaN");
    assert_eq!(num_text(&numeric(0, NUMERIC_NINF, 0, &[])), "-Infinity");
    assert!(numeric_value(&[0, 1, 0, 0]).is_err());
}

#[test]
fn numeric_as_number() {
    let opts = ResultOptions {
        decimal_as_number: true,
        ..Default::default()
    };
    let dec = ColumnDecoder::Scalar(Decoder::Numeric);
    let f = |raw: &[u8]| decode_value(dec, Some(raw), opts, "numeric").unwrap();
    assert_eq!(f(&numeric(1, 0, 0, &[12, 3456])), Field::LongValue(123456));
    assert_eq!(f(&numeric(0, 0, 3, &[12, 3400])), Field::DoubleValue(12.34));
    assert_eq!(f(&numeric(5, 0, 0, &[9])), Field::DoubleValue(9e20));
    assert_eq!(
        f(&numeric(0, NUMERIC_PINF, 0, &[])),
        Field::StringValue("Infinity".into())
    );
}

#[test]
fn dates_and_times() {
    assert_eq!(date_text(0), "2000-01-01");
    assert_eq!(date_text(8825), "2024-02-29");
    assert_eq!(date_text(-1), "1999-12-31");
    // 0044-03-15 BC = astronomical year -43
    assert_eq!(date_text(-746_117), "0044-03-15 BC");
    assert_eq!(date_text(i32::MAX), "infinity");
    assert_eq!(date_text(i32::MIN), "-infinity");
    assert_eq!(time_text(45_296_500_000), "12:34:56.5");
    assert_eq!(time_text(0), "00:00:00");
    assert_eq!(time_text(USECS_PER_DAY), "24:00:00");
    // 12:00:00+02 is 10:00:00 UTC; the zone is stored as seconds west (-7200).
    assert_eq!(timetz_utc_text(43_200_000_000, -7200), "10:00:00");
    assert_eq!(timetz_utc_text(3_600_000_000, -7200), "23:00:00");
    let ts = 8825 * USECS_PER_DAY + 45_296_123_456;
    assert_eq!(timestamp_text(ts), "2024-02-29 12:34:56.123456");
    assert_eq!(timestamp_text(-1), "1999-12-31 23:59:59.999999");
    assert_eq!(
        timestamp_text(-746_117 * USECS_PER_DAY + 1_000_000),
        "0044-03-15 00:00:01 BC"
    );
    assert_eq!(timestamp_text(i64::MAX), "infinity");
}

#[test]
fn intervals_in_postgres_style() {
    let us = |h: i64, m: i64, s: i64, f: i64| ((h * 60 + m) * 60 + s) * 1_000_000 + f;
    assert_eq!(
        interval_text(us(4, 5, 6, 789_000), 3, 14),
        "1 year 2 mons 3 days 04:05:06.789"
    );
    assert_eq!(interval_text(0, 0, 0), "00:00:00");
    assert_eq!(interval_text(-1_000_000, 0, 0), "-00:00:01");
    assert_eq!(interval_text(us(2, 0, 0, 0), 1, 0), "1 day 02:00:00");
    assert_eq!(interval_text(us(2, 0, 0, 0), -1, 0), "-1 days +02:00:00");
    assert_eq!(interval_text(0, 0, -12), "-1 years");
    assert_eq!(interval_text(0, 5, -13), "-1 years -1 mons +5 days");
    assert_eq!(interval_text(us(100, 0, 0, 0), 0, 1), "1 mon 100:00:00");
}

#[test]
fn uuids_and_inets() {
    let raw: Vec<u8> = (0..16).map(|i| 0xa0 + i).collect();
    assert_eq!(
        uuid_text(&raw).unwrap(),
        "a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf"
    );
    assert_eq!(inet_text(&[2, 8, 0, 4, 10, 0, 0, 1]).unwrap(), "10.0.0.1/8");
    assert_eq!(inet_text(&[2, 32, 0, 4, 10, 0, 0, 1]).unwrap(), "10.0.0.1");
    assert_eq!(
        inet_text(&[2, 32, 1, 4, 10, 0, 0, 1]).unwrap(),
        "10.0.0.1/32"
    );
    let v6 = |bits: u8, words: [u16; 8]| {
        let mut v = vec![3, bits, 0, 16];
        words
            .iter()
            .for_each(|w| v.extend_from_slice(&w.to_be_bytes()));
        inet_text(&v).unwrap()
    };
    assert_eq!(v6(128, [0, 0, 0, 0, 0, 0, 0, 1]), "::1");
    assert_eq!(v6(128, [0; 8]), "::");
    assert_eq!(
        v6(64, [0x2001, 0xdb8, 0, 0, 1, 0, 0, 0]),
        "2001:db8:0:0:1::/64"
    );
    assert_eq!(
        v6(128, [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]),
        "::ffff:1.2.3.4"
    );
    assert_eq!(v6(128, [0, 0, 0, 0, 0, 0, 0x102, 0x304]), "::1.2.3.4");
    assert_eq!(v6(128, [1, 0, 0, 2, 0, 0, 0, 3]), "1:0:0:2::3");
}

fn array(elem_oid: u32, elements: &[Option<&[u8]>]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&1i32.to_be_bytes());
    v.extend_from_slice(&(elements.iter().any(Option::is_none) as i32).to_be_bytes());
    v.extend_from_slice(&elem_oid.to_be_bytes());
    v.extend_from_slice(&(elements.len() as i32).to_be_bytes());
    v.extend_from_slice(&1i32.to_be_bytes());
    for e in elements {
        match e {
            None => v.extend_from_slice(&(-1i32).to_be_bytes()),
            Some(b) => {
                v.extend_from_slice(&(b.len() as i32).to_be_bytes());
                v.extend_from_slice(b);
            }
        }
    }
    v
}

#[test]
fn arrays() {
    let opts = ResultOptions::default();
    let ints = array(
        23,
        &[Some(&1i32.to_be_bytes()), None, Some(&3i32.to_be_bytes())],
    );
    let dec = column_decoder(&Type::INT4_ARRAY).unwrap();
    assert_eq!(
        decode_value(dec, Some(&ints), opts, "_int4").unwrap(),
        Field::ArrayValue(ArrayValue::LongValues(vec![Some(1), None, Some(3)]))
    );
    let empty = [0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25];
    let dec = column_decoder(&Type::TEXT_ARRAY).unwrap();
    assert_eq!(
        decode_value(dec, Some(&empty), opts, "_text").unwrap(),
        Field::ArrayValue(ArrayValue::StringValues(vec![]))
    );
    let floats = array(
        701,
        &[Some(&f64::NAN.to_be_bytes()), Some(&1.5f64.to_be_bytes())],
    );
    let dec = column_decoder(&Type::FLOAT8_ARRAY).unwrap();
    assert_eq!(
        decode_value(dec, Some(&floats), opts, "_float8").unwrap(),
        Field::ArrayValue(ArrayValue::StringValues(vec![
            Some("NaN".into()),
            Some("1.5".into())
        ]))
    );
    let mut two_dims = vec![0, 0, 0, 2];
    two_dims.extend_from_slice(&[0; 24]);
    let err = decode_value(
        ColumnDecoder::Array(Decoder::Int4),
        Some(&two_dims),
        opts,
        "_int4",
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::UnsupportedResult);
}

#[test]
fn scalars_and_options() {
    let opts = ResultOptions::default();
    let f = |d, raw: &[u8], o| decode_value(ColumnDecoder::Scalar(d), Some(raw), o, "t").unwrap();
    assert_eq!(
        f(Decoder::Int2, &(-2i16).to_be_bytes(), opts),
        Field::LongValue(-2)
    );
    let as_string = ResultOptions {
        long_as_string: true,
        ..opts
    };
    assert_eq!(
        f(Decoder::Int8, &7i64.to_be_bytes(), as_string),
        Field::StringValue("7".into())
    );
    assert_eq!(
        f(Decoder::Float4, &1.1f32.to_be_bytes(), opts),
        Field::DoubleValue(1.1)
    );
    assert_eq!(
        f(Decoder::Float8, &f64::NEG_INFINITY.to_be_bytes(), opts),
        Field::StringValue("-Infinity".into())
    );
    assert_eq!(
        f(Decoder::Jsonb, b"\x01{\"a\": 1}", opts),
        Field::StringValue("{\"a\":1}".into())
    );
    assert_eq!(
        compact_json("{ \"a b\" : [1, \"x \\\" y\"],\n\t\"c\": {} }"),
        "{\"a b\":[1,\"x \\\" y\"],\"c\":{}}"
    );
    assert_eq!(f(Decoder::Bool, &[1], opts), Field::BooleanValue(true));
    assert_eq!(
        f(Decoder::Bytea, &[1, 2], opts),
        Field::BlobValue(vec![1, 2])
    );
    assert_eq!(text_value(Decoder::Bytea, &[1, 0xab]).unwrap(), "\\x01ab");
    assert_eq!(
        decode_value(ColumnDecoder::Scalar(Decoder::Int4), None, opts, "int4").unwrap(),
        Field::IsNull(true)
    );
    let err = decode_value(
        ColumnDecoder::Scalar(Decoder::Int4),
        Some(&[1]),
        opts,
        "int4",
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InternalServerError);
}

#[test]
fn type_tables() {
    assert_eq!(
        column_decoder(&Type::MONEY).unwrap_err().message,
        "The result contains the unsupported data type money."
    );
    assert!(column_decoder(&Type::POINT).is_err());
    assert!(column_decoder(&Type::MACADDR_ARRAY).is_err());
    assert!(column_decoder(&Type::REGCLASS).is_err());
    assert_eq!(
        column_decoder(&Type::UUID_ARRAY).unwrap(),
        ColumnDecoder::Array(Decoder::Uuid)
    );
    let mood = Type::new(
        "mood".into(),
        90000,
        Kind::Enum(vec!["ok".into()]),
        "public".into(),
    );
    assert_eq!(
        column_decoder(&mood).unwrap(),
        ColumnDecoder::Scalar(Decoder::Text)
    );
    assert_eq!(jdbc_type(&mood), jdbc::OTHER);
    assert_eq!(jdbc_type(&Type::INT4_ARRAY), jdbc::ARRAY);
    assert_eq!(array_base_type(&Type::INT4_ARRAY), jdbc::INTEGER);
    assert_eq!(array_base_type(&Type::INT4), 0);
    assert_eq!(jdbc_type(&Type::BPCHAR), jdbc::CHAR);
    // numeric(10,3): typmod = (10 << 16 | 3) + 4
    assert_eq!(precision(&Type::NUMERIC, (10 << 16 | 3) + 4), 10);
    assert_eq!(scale(&Type::NUMERIC, (10 << 16 | 3) + 4), 3);
    assert_eq!(precision(&Type::VARCHAR, 36), 32);
    assert_eq!(precision(&Type::TEXT, -1), UNKNOWN_LENGTH);
    assert_eq!(precision(&Type::TIMESTAMP, -1), 29);
    assert_eq!(precision(&Type::DATE, -1), 13);
    assert!(is_signed(&Type::NUMERIC) && !is_signed(&Type::TEXT));
    assert!(is_case_sensitive(&Type::TEXT) && !is_case_sensitive(&Type::INT4));
}
