use super::*;
use crate::pg::codec::tests::*;

#[test]
fn ranges() {
    type IntRange = (Bound<i32>, Bound<i32>);
    let r: IntRange = read::<st::Range<st::Integer>, _>(s("[1,10)"), "int4range");
    assert_eq!(r, (Bound::Included(1), Bound::Excluded(10)));
    let r: IntRange = read::<st::Range<st::Integer>, _>(s("(,5]"), "int4range");
    assert_eq!(r, (Bound::Unbounded, Bound::Included(5)));
    let r: IntRange = read::<st::Range<st::Integer>, _>(s("empty"), "int4range");
    assert_eq!(r, (Bound::Excluded(0), Bound::Excluded(0)));
    assert_eq!(dec(s("empty"), "int4range").bytes, vec![RANGE_EMPTY]);
    let r: (Bound<NaiveDateTime>, Bound<NaiveDateTime>) = read::<st::Range<st::Timestamp>, _>(
        s(r#"["2024-01-01 00:00:00","2024-02-01 00:00:00")"#),
        "tsrange",
    );
    assert_eq!(
        r.0,
        Bound::Included(
            NaiveDate::from_ymd_opt(2024, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        )
    );
    let r: (Bound<BigDecimal>, Bound<BigDecimal>) =
        read::<st::Range<st::Numeric>, _>(s("[1.5,2.25]"), "numrange");
    assert_eq!(r.1, Bound::Included(BigDecimal::from_str("2.25").unwrap()));
    let m: Vec<IntRange> =
        read::<st::Multirange<st::Integer>, _>(s("{[1,3), [5,7)}"), "int4multirange");
    assert_eq!(
        m,
        vec![
            (Bound::Included(1), Bound::Excluded(3)),
            (Bound::Included(5), Bound::Excluded(7))
        ]
    );
    let m: Vec<IntRange> = read::<st::Multirange<st::Integer>, _>(s("{}"), "int4multirange");
    assert!(m.is_empty());
    for bad in ["[1,10", "1,10)", "[a,10)", "[1,10) x", "[1;10)"] {
        assert!(decode_field(&s(bad), "int4range").is_err(), "{bad}");
    }
}

#[test]
fn ranges_and_multiranges() {
    let r = (Bound::Included(1i32), Bound::Excluded(5i32));
    assert_eq!(
        string::<st::Range<st::Integer>, _>(&r),
        ("[\"1\",\"5\")".into(), "int4range".into())
    );
    let r = (Bound::Unbounded, Bound::Included(5i64));
    assert_eq!(
        string::<st::Range<st::BigInt>, _>(&r),
        ("(,\"5\"]".into(), "int8range".into())
    );
    let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
    let r = (Bound::Excluded(d), Bound::Unbounded);
    assert_eq!(string::<st::Range<st::Date>, _>(&r).0, "(\"2024-01-02\",)");
    assert_eq!(raw(3904, &[1]).unwrap().value, s("empty"));
    let m = vec![
        (Bound::Included(1i32), Bound::Excluded(3i32)),
        (Bound::Included(5), Bound::Excluded(7)),
    ];
    assert_eq!(
        string::<st::Multirange<st::Integer>, _>(&m),
        (
            "{[\"1\",\"3\"),[\"5\",\"7\")}".into(),
            "int4multirange".into()
        )
    );
    let r = (
        Bound::Included(BigDecimal::from_str("1.50").unwrap()),
        Bound::Unbounded,
    );
    assert_eq!(
        string::<st::Range<st::Numeric>, _>(&r),
        ("[\"1.50\",)".into(), "numrange".into())
    );
}
