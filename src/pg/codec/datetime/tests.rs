use super::*;
use crate::pg::codec::tests::*;

#[test]
fn dates() {
    let days = |text: &str| i32::from_be_bytes(dec(s(text), "date").bytes.try_into().unwrap());
    assert_eq!(days("2000-01-01"), 0);
    assert_eq!(days("2024-02-29"), 8825);
    assert_eq!(days("1999-12-31"), -1);
    assert_eq!(days("0044-03-15 BC"), -746_117);
    assert_eq!(days("infinity"), i32::MAX);
    assert_eq!(days("-infinity"), i32::MIN);
    // PostgreSQL's last date (Julian day 2147483493).
    assert_eq!(days("5874897-12-31"), 2_145_031_948);
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "0000-01-01",
        "2024-1",
        "junk",
        "2024-01-01x",
    ] {
        assert!(decode_field(&s(bad), "date").is_err(), "{bad}");
    }
    let d: NaiveDate = read::<st::Date, _>(s("2024-02-29"), "date");
    assert_eq!(d, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
}

#[test]
fn times() {
    let us =
        |text: &str, ty: &str| i64::from_be_bytes(dec(s(text), ty).bytes[..8].try_into().unwrap());
    assert_eq!(us("12:34:56", "time"), 45_296_000_000);
    assert_eq!(us("12:34:56.1234", "time"), 45_296_123_400);
    assert_eq!(us("12:34:56.123456000", "time"), 45_296_123_456);
    assert_eq!(us("24:00:00", "time"), USECS_PER_DAY);
    assert_eq!(us("00:00", "time"), 0);
    for bad in [
        "25:00:00",
        "24:00:01",
        "12:60:00",
        "12:34:56.1234567",
        "12",
        "ab:cd:ef",
        "-01:00:00",
    ] {
        assert!(decode_field(&s(bad), "time").is_err(), "{bad}");
    }
    let t: NaiveTime = read::<st::Time, _>(s("12:34:56.5"), "time");
    assert_eq!(t, NaiveTime::from_hms_milli_opt(12, 34, 56, 500).unwrap());
    // timetz: UTC without offset (zone 0), or an explicit offset (zone = seconds west).
    let raw = dec(s("10:00:00"), "timetz");
    assert_eq!((raw.bytes.len(), raw.oid), (12, 1266));
    assert_eq!(raw.bytes[8..], 0i32.to_be_bytes());
    let raw = dec(s("12:00:00+02"), "timetz");
    assert_eq!(raw.bytes[..8], (12 * 3600 * USECS_PER_SEC).to_be_bytes());
    assert_eq!(raw.bytes[8..], (-7200i32).to_be_bytes());
    assert_eq!(
        dec(s("12:00:00-05:30"), "timetz").bytes[8..],
        19_800i32.to_be_bytes()
    );
}

#[test]
fn timestamps() {
    let us = |text: &str, ty: &str| i64::from_be_bytes(dec(s(text), ty).bytes.try_into().unwrap());
    let day = 8825 * USECS_PER_DAY;
    assert_eq!(
        us("2024-02-29 12:34:56.12", "timestamp"),
        day + 45_296_120_000
    );
    assert_eq!(us("2024-02-29 12:34:56", "timestamp"), day + 45_296_000_000);
    assert_eq!(us("2024-02-29T12:34:56", "timestamp"), day + 45_296_000_000);
    assert_eq!(us("2024-02-29", "timestamp"), day);
    assert_eq!(us("1999-12-31 23:59:59.999999", "timestamp"), -1);
    assert_eq!(
        us("0044-03-15 00:00:01 BC", "timestamp"),
        -746_117 * USECS_PER_DAY + 1_000_000
    );
    assert_eq!(us("infinity", "timestamp"), i64::MAX);
    assert_eq!(us("-infinity", "timestamptz"), i64::MIN);
    assert_eq!(
        us("2024-02-29 10:34:56.5", "timestamptz"),
        day + 38_096_500_000
    );
    assert_eq!(
        us("2024-02-29 12:34:56.5+02", "timestamptz"),
        day + 38_096_500_000
    );
    assert_eq!(
        us("2024-02-29 12:34:56.5+02:00", "timestamptz"),
        day + 38_096_500_000
    );
    assert_eq!(
        us("2024-02-29 10:34:56.5Z", "timestamptz"),
        day + 38_096_500_000
    );
    assert_eq!(
        us("2024-02-29 07:04:56.5-03:30", "timestamptz"),
        day + 38_096_500_000
    );
    assert_eq!(
        us("0044-03-15 00:00:01+00 BC", "timestamptz"),
        -746_117 * USECS_PER_DAY + 1_000_000
    );
    assert!(dec_err(s("2024-02-29 12:34:56+02"), "timestamp").contains("no UTC offset"));
    for bad in [
        "2024-02-30 00:00:00",
        "2024-02-29 12:34:56+99",
        "300000-01-01 00:00:00",
        "yesterday",
        "2024-02-29 12:34:56+€€",
    ] {
        assert!(decode_field(&s(bad), "timestamptz").is_err(), "{bad}");
    }
    let dt: chrono::DateTime<chrono::Utc> =
        read::<st::Timestamptz, _>(s("2024-02-29 10:34:56.5"), "timestamptz");
    assert_eq!(dt.to_rfc3339(), "2024-02-29T10:34:56.500+00:00");
}

#[test]
fn dates_and_times() {
    let d = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    assert_eq!(
        string::<st::Date, _>(&d),
        ("2024-02-29".into(), "date".into())
    );
    assert_eq!(string::<st::Date, _>(&PgDate(-746_117)).0, "0044-03-15 BC");
    assert_eq!(string::<st::Date, _>(&PgDate(i32::MAX)).0, "infinity");
    assert_eq!(string::<st::Date, _>(&PgDate(i32::MIN)).0, "-infinity");
    let far = chrono::NaiveDate::from_ymd_opt(12345, 6, 7).unwrap();
    assert_eq!(string::<st::Date, _>(&far).0, "12345-06-07");
    let t = chrono::NaiveTime::from_hms_micro_opt(12, 34, 56, 500_000).unwrap();
    assert_eq!(
        string::<st::Time, _>(&t),
        ("12:34:56.500000".into(), "time".into())
    );
    assert_eq!(
        string::<st::Time, _>(&PgTime(USECS_PER_DAY)).0,
        "24:00:00.000000"
    );
    assert!(raw(1083, &(-1i64).to_be_bytes()).is_err());
    let ts = d.and_hms_micro_opt(12, 34, 56, 123_456).unwrap();
    assert_eq!(
        string::<st::Timestamp, _>(&ts),
        ("2024-02-29 12:34:56.123456".into(), "timestamp".into())
    );
    let utc = ts.and_utc();
    assert_eq!(
        string::<st::Timestamptz, _>(&utc),
        ("2024-02-29 12:34:56.123456+00".into(), "timestamptz".into())
    );
    assert_eq!(
        string::<st::Timestamp, _>(&PgTimestamp(-1)).0,
        "1999-12-31 23:59:59.999999"
    );
    assert_eq!(
        string::<st::Timestamptz, _>(&PgTimestamp(-746_117 * USECS_PER_DAY + 1_000_000)).0,
        "0044-03-15 00:00:01.000000+00 BC"
    );
    assert_eq!(
        string::<st::Timestamp, _>(&PgTimestamp(i64::MAX)).0,
        "infinity"
    );
    assert_eq!(
        string::<st::Timestamptz, _>(&PgTimestamp(i64::MIN)).0,
        "-infinity"
    );
    // timetz: 12:00 at UTC+02 is stored with zone -7200 (seconds west).
    let mut tz = (12 * 3600 * USECS_PER_SEC).to_be_bytes().to_vec();
    tz.extend_from_slice(&(-7200i32).to_be_bytes());
    assert_eq!(raw(1266, &tz).unwrap().value, s("12:00:00.000000+02:00:00"));
}
