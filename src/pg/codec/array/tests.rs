use super::*;
use crate::pg::codec::tests::*;

#[test]
fn arrays() {
    let ints = Field::ArrayValue(ArrayValue::LongValues(vec![Some(1), None, Some(3)]));
    let raw = dec(ints.clone(), "_int4");
    assert_eq!(raw.oid, 1007);
    let mut want = Vec::new();
    for v in [1i32, 1, 23, 3, 1, 4, 1, -1, 4, 3] {
        want.extend_from_slice(&v.to_be_bytes());
    }
    assert_eq!(raw.bytes, want);
    assert_eq!(
        from_raw::<st::Array<st::Nullable<st::Integer>>, Vec<Option<i32>>>(&raw),
        vec![Some(1), None, Some(3)]
    );
    let shorts: Vec<i16> = read::<st::Array<st::SmallInt>, _>(
        Field::ArrayValue(ArrayValue::LongValues(vec![Some(1), Some(-2)])),
        "_int2",
    );
    assert_eq!(shorts, vec![1, -2]);
    // Empty: ndim 0, as PostgreSQL sends it.
    let raw = dec(Field::ArrayValue(ArrayValue::StringValues(vec![])), "_text");
    assert_eq!(
        raw,
        RawValue {
            bytes: vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25],
            oid: 1009
        }
    );
    assert!(from_raw::<st::Array<st::Text>, Vec<String>>(&raw).is_empty());
    let floats: Vec<f64> = read::<st::Array<st::Double>, _>(
        Field::ArrayValue(ArrayValue::StringValues(vec![
            Some("NaN".into()),
            Some("1.5".into()),
        ])),
        "_float8",
    );
    assert!(floats[0].is_nan() && floats[1] == 1.5);
    let bools: Vec<bool> = read::<st::Array<st::Bool>, _>(
        Field::ArrayValue(ArrayValue::BooleanValues(vec![Some(true), Some(false)])),
        "_bool",
    );
    assert_eq!(bools, vec![true, false]);
    let nums: Vec<BigDecimal> = read::<st::Array<st::Numeric>, _>(
        Field::ArrayValue(ArrayValue::StringValues(vec![Some("1.50".into())])),
        "_numeric",
    );
    assert_eq!(nums[0].to_string(), "1.50");
    // Enum arrays: text elements.
    let raw = dec(
        Field::ArrayValue(ArrayValue::StringValues(vec![Some("sad".into()), None])),
        "_mood",
    );
    assert_eq!(raw.oid, 1009);
    assert_eq!(
        from_raw::<st::Array<st::Nullable<st::Text>>, Vec<Option<String>>>(&raw),
        vec![Some("sad".into()), None]
    );
    // A literal string for an array column.
    let v: Vec<Option<i32>> =
        read::<st::Array<st::Nullable<st::Integer>>, _>(s("{1, NULL ,3}"), "_int4");
    assert_eq!(v, vec![Some(1), None, Some(3)]);
    let v: Vec<String> =
        read::<st::Array<st::Text>, _>(s(r#"{"a,b","c\"d",e\\f," NULL",null2}"#), "_text");
    assert_eq!(v, vec!["a,b", "c\"d", "e\\f", " NULL", "null2"]);
    let v: Vec<i32> = read::<st::Array<st::Integer>, _>(s("[0:1]={7,8}"), "_int4");
    assert_eq!(v, vec![7, 8]);
    // Mismatches.
    let nested = Field::ArrayValue(ArrayValue::ArrayValues(vec![Some(ArrayValue::LongValues(
        vec![Some(1)],
    ))]));
    assert!(dec_err(nested, "_int4").contains("multi-dimensional"));
    let e = dec_err(
        Field::ArrayValue(ArrayValue::BooleanValues(vec![Some(true)])),
        "_int4",
    );
    assert!(e.contains("booleanValue"), "{e}");
    assert!(dec_err(Field::LongValue(1), "_int4").contains("longValue"));
    assert!(dec_err(s("{{1},{2}}"), "_int4").contains("multi-dimensional"));
    assert!(dec_err(s("{1,2"), "_int4").contains("_int4"));
    assert!(dec_err(s("{\"x\"}"), "_int4").contains("int4"));
}

#[test]
fn arrays_become_text_literals() {
    let (v, cast) =
        string::<st::Array<st::Nullable<st::Integer>>, _>(&vec![Some(1), None, Some(3)]);
    assert_eq!(
        (v.as_str(), cast.as_ref()),
        ("{\"1\",NULL,\"3\"}", "int4[]")
    );
    let strings = vec![
        "a".to_string(),
        "b \"c\"".into(),
        "d\\e".into(),
        "NULL".into(),
        String::new(),
    ];
    let (v, cast) = string::<st::Array<st::Text>, _>(&strings);
    assert_eq!(v, r#"{"a","b \"c\"","d\\e","NULL",""}"#);
    assert_eq!(cast, "text[]");
    assert_eq!(
        string::<st::Array<st::Integer>, _>(&Vec::<i32>::new()).0,
        "{}"
    );
    let (v, cast) = string::<st::Array<st::Binary>, _>(&vec![vec![1u8, 2]]);
    assert_eq!((v.as_str(), cast.as_ref()), (r#"{"\\x0102"}"#, "bytea[]"));
    let (v, cast) = string::<st::Array<st::Citext>, _>(&vec!["x".to_string()]);
    assert_eq!((v.as_str(), cast.as_ref()), ("{\"x\"}", "\"citext\"[]"));
    let (v, _) = string::<st::Array<st::Double>, _>(&vec![f64::NAN, 1e300, -0.5]);
    assert_eq!(v, "{\"NaN\",\"1e300\",\"-0.5\"}");
    let (v, _) = string::<st::Array<st::Bool>, _>(&vec![true, false]);
    assert_eq!(v, "{\"t\",\"f\"}");
    // ndim 0 (as PostgreSQL itself sends empty arrays).
    let empty = [0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23];
    assert_eq!(raw(1007, &empty).unwrap().value, s("{}"));
    // Two dimensions and a non-default lower bound.
    let mut two = Vec::new();
    for v in [2i32, 0, 23, 2, 1, 1, 0] {
        two.extend_from_slice(&v.to_be_bytes());
    }
    for v in [1i32, 2] {
        two.extend_from_slice(&4i32.to_be_bytes());
        two.extend_from_slice(&v.to_be_bytes());
    }
    assert_eq!(
        raw(1007, &two).unwrap().value,
        s("[1:2][0:0]={{\"1\"},{\"2\"}}")
    );
    // Truncated / lying headers.
    assert!(raw(1007, &two[..two.len() - 1]).is_err());
    let mut huge = Vec::new();
    for v in [1i32, 0, 23, i32::MAX, 1] {
        huge.extend_from_slice(&v.to_be_bytes());
    }
    assert!(raw(1007, &huge).is_err());
    assert!(raw(1007, &[0, 0]).is_err());
}
