use super::*;
use crate::mysql::codec::tests::*;

#[test]
fn signed_integers_by_byte_count() {
    assert_eq!(
        enc::<st::TinyInt, _>(&-128i8),
        EncodedBind::plain(Field::LongValue(-128))
    );
    assert_eq!(
        enc::<st::SmallInt, _>(&i16::MIN).value,
        Field::LongValue(-32768)
    );
    assert_eq!(
        enc::<st::Integer, _>(&i32::MIN).value,
        Field::LongValue(i32::MIN.into())
    );
    assert_eq!(
        enc::<st::BigInt, _>(&i64::MIN).value,
        Field::LongValue(i64::MIN)
    );
    assert_eq!(
        enc::<st::BigInt, _>(&i64::MAX).value,
        Field::LongValue(i64::MAX)
    );
    // bool is a 4-byte i32 tagged Tiny.
    let (ty, bytes) = diesel_bind::<st::Bool, _>(&true);
    assert_eq!(
        (ty, bytes.as_ref().map(Vec::len)),
        (MysqlType::Tiny, Some(4))
    );
    assert_eq!(enc::<st::Bool, _>(&true).value, Field::LongValue(1));
    assert_eq!(enc::<st::Bool, _>(&false).value, Field::LongValue(0));
    // Any width under any integer tag.
    assert_eq!(
        encode_bind(MysqlType::Long, Some(&(-5i16).to_ne_bytes()))
            .unwrap()
            .value,
        Field::LongValue(-5)
    );
    let err = encode_bind(MysqlType::Long, Some(&[1, 2, 3])).unwrap_err();
    assert!(
        err.to_string().contains("1, 2, 4 or 8 bytes, got 3"),
        "{err}"
    );
    assert!(encode_bind(MysqlType::Tiny, Some(&[])).is_err());
}

#[test]
fn unsigned_integers() {
    assert_eq!(
        enc::<Unsigned<st::TinyInt>, _>(&255u8).value,
        Field::LongValue(255)
    );
    assert_eq!(
        enc::<Unsigned<st::SmallInt>, _>(&65535u16).value,
        Field::LongValue(65535)
    );
    assert_eq!(
        enc::<Unsigned<st::Integer>, _>(&u32::MAX).value,
        Field::LongValue(u32::MAX.into())
    );
    assert_eq!(
        enc::<Unsigned<st::BigInt>, _>(&(i64::MAX as u64)),
        EncodedBind::plain(Field::LongValue(i64::MAX))
    );
    assert_eq!(
        enc::<Unsigned<st::BigInt>, _>(&u64::MAX),
        EncodedBind::wrapped(s("18446744073709551615"), "UNSIGNED")
    );
    assert_eq!(
        enc::<Unsigned<st::BigInt>, _>(&(i64::MAX as u64 + 1)).value,
        s("9223372036854775808")
    );
    assert!(encode_bind(MysqlType::UnsignedLong, Some(&[0; 5])).is_err());
}

#[test]
fn floats() {
    assert_eq!(
        enc::<st::Double, _>(&-0.1f64),
        EncodedBind::plain(Field::DoubleValue(-0.1))
    );
    assert_eq!(
        enc::<st::Float, _>(&1.1f32).value,
        Field::DoubleValue(f64::from(1.1f32))
    );
    assert_eq!(
        enc::<st::Double, _>(&f64::MAX).value,
        Field::DoubleValue(f64::MAX)
    );
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let (ty, bytes) = diesel_bind::<st::Double, _>(&bad);
        let err = encode_bind(ty, bytes.as_deref()).unwrap_err();
        assert_eq!(
            err.message(),
            "MySQL cannot store NaN or infinite floating point values"
        );
        let (ty, bytes) = diesel_bind::<st::Float, _>(&(bad as f32));
        assert!(encode_bind(ty, bytes.as_deref()).is_err());
    }
    assert!(encode_bind(MysqlType::Double, Some(&[0; 2])).is_err());
}

#[test]
fn decimals_are_exact_strings_with_the_decimal_hint() {
    let dec = |v: &str| enc::<st::Numeric, _>(&BigDecimal::from_str(v).unwrap());
    let e = dec("123456.7890");
    assert_eq!(
        e,
        EncodedBind {
            value: s("123456.7890"),
            type_hint: Some(TypeHint::Decimal),
            wrap: None
        }
    );
    assert_eq!(dec("-0.10").value, s("-0.10"));
    // BigDecimal prints these in exponent form; they go as plain decimals.
    let (_, raw) = diesel_bind::<st::Numeric, _>(&BigDecimal::from_str("0.0000001").unwrap());
    assert!(raw.unwrap().contains(&b'E'));
    assert_eq!(dec("0.0000001").value, s("0.0000001"));
    assert_eq!(
        dec("-0.00000000000000000000000000012").value,
        s("-0.00000000000000000000000000012")
    );
    assert_eq!(dec("1e20").value, s("100000000000000000000"));
    assert_eq!(
        dec("99999999999999999999999999999999999.999999999999999999999999999999").value,
        s("99999999999999999999999999999999999.999999999999999999999999999999")
    );
    assert_eq!(plain_decimal("1.5E-7").as_deref(), Some("0.00000015"));
    assert_eq!(plain_decimal("+12.5e+1").as_deref(), Some("125"));
    assert_eq!(plain_decimal("12.345e1").as_deref(), Some("123.45"));
    assert_eq!(plain_decimal("0012e0").as_deref(), Some("12"));
    assert_eq!(plain_decimal(".5").as_deref(), Some(".5"));
    assert_eq!(plain_decimal("1e99999").as_deref(), Some("1e99999"));
    for bad in ["", "-", "1.2.3", "abc", "1e", "1e1.5", "1 2", "NaN"] {
        assert_eq!(plain_decimal(bad), None, "{bad}");
    }
    let err = encode_bind(MysqlType::Numeric, Some(b"12x")).unwrap_err();
    assert!(err.to_string().contains("not a decimal number"), "{err}");
    assert!(encode_bind(MysqlType::Numeric, Some(&[0xff])).is_err());
}

#[test]
fn bits_are_big_endian_integers() {
    let bit = |b: &[u8]| encode_bind(MysqlType::Bit, Some(b));
    assert_eq!(bit(&[0x01, 0x02]).unwrap().value, Field::LongValue(0x0102));
    assert_eq!(bit(&[]).unwrap().value, Field::LongValue(0));
    assert_eq!(bit(&[0; 12]).unwrap().value, Field::LongValue(0));
    assert_eq!(
        bit(&[0xff; 8]).unwrap(),
        EncodedBind::wrapped(s("18446744073709551615"), "UNSIGNED")
    );
    assert!(bit(&[1; 9]).is_err());
}
