use crate::pg::codec::tests::*;

#[test]
fn intervals() {
    let iv = |text: &str| -> PgInterval { read::<st::Interval, _>(s(text), "interval") };
    let us = |h: i64, m: i64, s: i64, f: i64| ((h * 60 + m) * 60 + s) * 1_000_000 + f;
    assert_eq!(
        iv("1 year 2 mons 3 days 04:05:06.5"),
        PgInterval::new(us(4, 5, 6, 500_000), 3, 14)
    );
    assert_eq!(iv("00:00:00"), PgInterval::new(0, 0, 0));
    assert_eq!(iv("-00:00:01"), PgInterval::new(-1_000_000, 0, 0));
    assert_eq!(iv("1 day 02:00:00"), PgInterval::new(us(2, 0, 0, 0), 1, 0));
    assert_eq!(
        iv("-1 days +02:00:00"),
        PgInterval::new(us(2, 0, 0, 0), -1, 0)
    );
    assert_eq!(iv("-1 years"), PgInterval::new(0, 0, -12));
    assert_eq!(iv("-1 years -1 mons +5 days"), PgInterval::new(0, 5, -13));
    assert_eq!(
        iv("1 mon 100:00:00"),
        PgInterval::new(us(100, 0, 0, 0), 0, 1)
    );
    assert_eq!(
        iv("+14 mons -2 days -00:00:00.000001"),
        PgInterval::new(-1, -2, 14)
    );
    assert_eq!(
        iv("-2562047788:00:54.775808"),
        PgInterval::new(i64::MIN, 0, 0)
    );
    assert_eq!(
        iv("infinity"),
        PgInterval::new(i64::MAX, i32::MAX, i32::MAX)
    );
    assert_eq!(
        iv("-infinity"),
        PgInterval::new(i64::MIN, i32::MIN, i32::MIN)
    );
    // postgres_verbose
    assert_eq!(
        iv("@ 1 year 2 mons -3 days 4 hours 5 mins 6.5 secs ago"),
        PgInterval::new(-us(4, 5, 6, 500_000), 3, -14)
    );
    assert_eq!(iv("@ 0"), PgInterval::new(0, 0, 0));
    // iso_8601
    assert_eq!(
        iv("P1Y2M3DT4H5M6.5S"),
        PgInterval::new(us(4, 5, 6, 500_000), 3, 14)
    );
    assert_eq!(
        iv("P-1Y-2M3DT-4H-5M-6.5S"),
        PgInterval::new(-us(4, 5, 6, 500_000), 3, -14)
    );
    assert_eq!(iv("PT0S"), PgInterval::new(0, 0, 0));
    assert_eq!(iv("P1W"), PgInterval::new(0, 7, 0));
    assert_eq!(iv("1.5 hours"), PgInterval::new(us(1, 30, 0, 0), 0, 0));
    for bad in [
        "",
        "1 fortnight",
        "1.5 days",
        "5",
        "P",
        "P1X",
        "1 day 25:61:00",
        "99999999999 years",
    ] {
        assert!(decode_field(&s(bad), "interval").is_err(), "{bad:?}");
    }
}

#[test]
fn intervals_carry_every_sign() {
    let us = |h: i64, m: i64, s: i64, f: i64| ((h * 60 + m) * 60 + s) * 1_000_000 + f;
    let i =
        |micros, days, months| string::<st::Interval, _>(&PgInterval::new(micros, days, months));
    assert_eq!(
        i(us(4, 5, 6, 789_000), 3, 14),
        (
            "+14 mons +3 days +04:05:06.789000".into(),
            "interval".into()
        )
    );
    assert_eq!(i(0, 0, 0).0, "+0 mons +0 days +00:00:00.000000");
    assert_eq!(i(-1, -2, -14).0, "-14 mons -2 days -00:00:00.000001");
    assert_eq!(i(i64::MIN, i32::MIN, i32::MIN).0, "-infinity");
    assert_eq!(i(i64::MAX, i32::MAX, i32::MAX).0, "infinity");
    assert_eq!(
        i(i64::MIN, 0, i32::MIN).0,
        "-2147483648 mons +0 days -9223372036854775808 usec"
    );
    assert_eq!(
        i(i64::MIN + 1, 0, 0).0,
        "+0 mons +0 days -2562047788:00:54.775807"
    );
}
