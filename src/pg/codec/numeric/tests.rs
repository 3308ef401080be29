use super::*;
use crate::pg::codec::tests::*;
use data_api_local::engine::pg_types as server;

#[test]
fn integers_have_exact_widths() {
    assert_eq!(
        dec(Field::LongValue(7), "int2"),
        RawValue {
            bytes: vec![0, 7],
            oid: 21
        }
    );
    assert_eq!(
        dec(Field::LongValue(-8), "int4"),
        RawValue {
            bytes: (-8i32).to_be_bytes().to_vec(),
            oid: 23
        }
    );
    assert_eq!(
        read::<st::BigInt, i64>(Field::LongValue(i64::MAX), "int8"),
        i64::MAX
    );
    assert_eq!(
        read::<st::BigInt, i64>(s("-9223372036854775808"), "int8"),
        i64::MIN
    );
    assert_eq!(read::<st::Integer, i32>(s(" 5 "), "int4"), 5);
    assert_eq!(read::<st::SmallInt, i16>(s("-32768"), "int2"), i16::MIN);
    assert_eq!(
        read::<st::Oid, u32>(Field::LongValue(4_000_000_000), "oid"),
        4_000_000_000
    );
    assert!(dec_err(Field::LongValue(70_000), "int2").contains("out of range for int2"));
    assert!(dec_err(Field::LongValue(1 << 40), "int4").contains("out of range"));
    assert!(dec_err(Field::LongValue(-1), "oid").contains("out of range"));
    let e = dec_err(Field::BooleanValue(true), "int4");
    assert!(e.contains("int4") && e.contains("booleanValue"), "{e}");
    assert!(dec_err(s("12x"), "int8").contains("invalid int8 value \"12x\""));
    assert!(dec_err(Field::DoubleValue(1.0), "int4").contains("doubleValue"));
    // SQL aliases work as type names too.
    assert_eq!(dec(Field::LongValue(1), "integer").oid, 23);
}

#[test]
fn floats() {
    assert_eq!(
        read::<st::Float, f32>(Field::DoubleValue(1.1), "float4"),
        1.1f32
    );
    assert_eq!(dec(Field::DoubleValue(1.5), "float4").bytes.len(), 4);
    assert_eq!(
        read::<st::Double, f64>(Field::DoubleValue(0.1), "float8"),
        0.1
    );
    assert!(read::<st::Double, f64>(s("NaN"), "float8").is_nan());
    assert_eq!(
        read::<st::Double, f64>(s("Infinity"), "float8"),
        f64::INFINITY
    );
    assert_eq!(
        read::<st::Float, f32>(s("-Infinity"), "float4"),
        f32::NEG_INFINITY
    );
    assert_eq!(
        read::<st::Float, f32>(s("3.4028235e38"), "float4"),
        f32::MAX
    );
    assert_eq!(read::<st::Double, f64>(Field::LongValue(3), "float8"), 3.0);
    assert!(dec_err(Field::DoubleValue(1e39), "float4").contains("out of range"));
    assert!(dec_err(s("fast"), "float8").contains("float8"));
    assert!(dec_err(Field::BooleanValue(false), "float4").contains("booleanValue"));
}

fn numeric_words(ndigits: u16, weight: i16, sign: u16, dscale: u16, digits: &[i16]) -> Vec<u8> {
    let mut v = Vec::new();
    for w in [ndigits, weight as u16, sign, dscale] {
        v.extend_from_slice(&w.to_be_bytes());
    }
    for d in digits {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v
}

#[test]
fn numeric_binary_form() {
    let n = |text: &str| dec(s(text), "numeric").bytes;
    assert_eq!(
        n("123456.7890"),
        numeric_words(3, 1, 0, 4, &[12, 3456, 7890])
    );
    assert_eq!(
        n("0.000000000000000000000001"),
        numeric_words(1, -6, 0, 24, &[1])
    );
    assert_eq!(n("-0.00000012"), numeric_words(1, -2, 0x4000, 8, &[12]));
    assert_eq!(n("100000000"), numeric_words(1, 2, 0, 0, &[1]));
    assert_eq!(n("0"), numeric_words(0, 0, 0, 0, &[]));
    assert_eq!(n("0.00"), numeric_words(0, 0, 0, 2, &[]));
    assert_eq!(n("-0.0"), numeric_words(0, 0, 0, 1, &[]));
    assert_eq!(n("NaN"), numeric_words(0, 0, 0xC000, 0, &[]));
    assert_eq!(n("1.5e3"), numeric_words(1, 0, 0, 0, &[1500]));
    assert_eq!(n("1.5E-3"), numeric_words(1, -1, 0, 4, &[15]));
    assert_eq!(n(".5"), numeric_words(1, -1, 0, 1, &[5000]));
    assert_eq!(n("+12."), numeric_words(1, 0, 0, 0, &[12]));
    assert_eq!(dec(Field::LongValue(42), "numeric").bytes, n("42"));
    assert_eq!(dec(Field::DoubleValue(1.25), "numeric").bytes, n("1.25"));
    for bad in [
        "",
        "-",
        ".",
        "1.2.3",
        "abc",
        "1e",
        "1e99999999",
        "--1",
        "1 2",
    ] {
        assert!(decode_field(&s(bad), "numeric").is_err(), "{bad:?}");
    }
    // The server's own numeric printer reads our bytes back as the same text.
    for text in [
        "123456.7890",
        "-99999999999999999999999999999.5",
        "0.00",
        "1.50",
        "10000.0001",
        "NaN",
    ] {
        assert_eq!(server::numeric_value(&n(text)).unwrap().to_string(), text);
    }
    let v: BigDecimal = read::<st::Numeric, _>(s("123456.7890"), "numeric");
    assert_eq!(v.to_string(), "123456.7890");
    assert_eq!(
        read::<st::Numeric, PgNumeric>(s("NaN"), "numeric"),
        PgNumeric::NaN
    );
}

#[test]
fn numbers_and_booleans_are_json() {
    assert_eq!(enc::<st::Bool, _>(&true).value, Field::BooleanValue(true));
    assert_eq!(enc::<st::Bool, _>(&false).cast, "bool");
    let e = enc::<st::SmallInt, _>(&-2i16);
    assert_eq!((e.value, e.cast.as_ref()), (Field::LongValue(-2), "int2"));
    assert_eq!(
        enc::<st::Integer, _>(&i32::MIN).value,
        Field::LongValue(i32::MIN.into())
    );
    let e = enc::<st::BigInt, _>(&i64::MAX);
    assert_eq!(
        (e.value, e.cast.as_ref()),
        (Field::LongValue(i64::MAX), "int8")
    );
    let e = enc::<st::Oid, _>(&4_000_000_000u32);
    assert_eq!(
        (e.value, e.cast.as_ref()),
        (Field::LongValue(4_000_000_000), "oid")
    );
    let e = enc::<st::Float, _>(&1.1f32);
    assert_eq!(
        (e.value, e.cast.as_ref()),
        (Field::DoubleValue(f64::from(1.1f32)), "float4")
    );
    assert_eq!(enc::<st::Double, _>(&0.1f64).value, Field::DoubleValue(0.1));
}

#[test]
fn non_finite_floats_are_strings() {
    assert_eq!(enc::<st::Double, _>(&f64::NAN).value, s("NaN"));
    assert_eq!(enc::<st::Double, _>(&f64::INFINITY).value, s("Infinity"));
    assert_eq!(
        enc::<st::Double, _>(&f64::NEG_INFINITY).value,
        s("-Infinity")
    );
    let e = enc::<st::Float, _>(&f32::NEG_INFINITY);
    assert_eq!((e.value, e.cast.as_ref()), (s("-Infinity"), "float4"));
    assert_eq!(enc::<st::Float, _>(&f32::NAN).value, s("NaN"));
}

#[test]
fn numeric_text_is_exact() {
    let dec = |v: &str| string::<st::Numeric, _>(&BigDecimal::from_str(v).unwrap());
    assert_eq!(dec("123456.7890"), ("123456.7890".into(), "numeric".into()));
    assert_eq!(dec("-0.00000012").0, "-0.00000012");
    assert_eq!(dec("0").0, "0");
    assert_eq!(dec("1E+5").0, "100000");
    assert_eq!(
        dec("0.000000000000000000000001").0,
        "0.000000000000000000000001"
    );
    assert_eq!(
        dec("-99999999999999999999999999999.5").0,
        "-99999999999999999999999999999.5"
    );
    assert_eq!(dec("10000.0001").0, "10000.0001");
    assert_eq!(string::<st::Numeric, _>(&PgNumeric::NaN).0, "NaN");
    let pg = |weight, scale, digits: Vec<i16>| {
        string::<st::Numeric, _>(&PgNumeric::Positive {
            weight,
            scale,
            digits,
        })
        .0
    };
    assert_eq!(pg(2, 0, vec![1]), "100000000");
    assert_eq!(pg(0, 3, vec![12, 3400]), "12.340");
    // Digits beyond dscale are cut, as numeric_recv does.
    assert_eq!(pg(0, 2, vec![1, 2345]), "1.23");
    assert_eq!(pg(-2, 8, vec![12]), "0.00000012");
    let neg = PgNumeric::Negative {
        weight: 0,
        scale: 1,
        digits: vec![5, 5000],
    };
    assert_eq!(string::<st::Numeric, _>(&neg).0, "-5.5");
    // Malformed: bad sign, digit out of range, wrong length.
    assert!(raw(1700, &[0, 0, 0, 0, 0x12, 0x34, 0, 0]).is_err());
    assert!(raw(1700, &[0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10]).is_err());
    assert!(raw(1700, &[0, 2, 0, 0, 0, 0, 0, 0, 0, 1]).is_err());
    assert_eq!(
        numeric_text(&[0, 0, 0, 0, 0xD0, 0, 0, 0]).unwrap(),
        "Infinity"
    );
}
