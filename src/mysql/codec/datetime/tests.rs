use super::*;
use crate::mysql::codec::tests::*;

#[test]
fn dates_and_times_are_mysql_time_structs() {
    let raw = decode("DATE", None, s("2024-02-29"));
    assert_eq!(raw.ty, MysqlType::Date);
    assert_eq!(raw.bytes.len(), std::mem::size_of::<MysqlTime>());
    let want = MysqlTime::new(
        2024,
        2,
        29,
        0,
        0,
        0,
        0,
        false,
        MysqlTimestampType::MYSQL_TIMESTAMP_DATE,
        0,
    );
    assert_eq!(raw.bytes, want.serialize().to_vec());
    assert_eq!(
        read::<st::Date, chrono::NaiveDate>(&raw).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
    );
    let raw = decode("DATETIME", None, s("2024-02-29 12:34:56.5"));
    assert_eq!(raw.ty, MysqlType::DateTime);
    let want = MysqlTime::new(
        2024,
        2,
        29,
        12,
        34,
        56,
        500_000,
        false,
        MysqlTimestampType::MYSQL_TIMESTAMP_DATETIME,
        0,
    );
    assert_eq!(raw.bytes, want.serialize().to_vec());
    assert_eq!(
        decode("TIMESTAMP", None, s("2024-02-29T12:34:56.500000")).bytes,
        raw.bytes
    );
    assert_eq!(
        decode("TIMESTAMP", None, s("2024-02-29 12:34:56")).ty,
        MysqlType::Timestamp
    );
    // TIME: hours past 24 and negative values are kept; diesel 2.4 reads a negative TIME as a
    // `MysqlTime` with `neg` set and refuses it as a `chrono::NaiveTime`.
    let raw = decode("TIME", None, s("-838:59:59.000001"));
    let want = MysqlTime::new(
        0,
        0,
        0,
        838,
        59,
        59,
        1,
        true,
        MysqlTimestampType::MYSQL_TIMESTAMP_TIME,
        0,
    );
    assert_eq!(
        (raw.ty, &raw.bytes),
        (MysqlType::Time, &want.serialize().to_vec())
    );
    let t = read::<st::Time, MysqlTime>(&raw).unwrap();
    assert_eq!(
        (t.neg, t.hour, t.minute, t.second, t.second_part),
        (true, 838, 59, 59, 1)
    );
    let err = read::<st::Time, chrono::NaiveTime>(&raw).unwrap_err();
    assert!(err.to_string().contains("Negative"), "{err}");
    let raw = decode("TIME", None, s("100:00:01"));
    let t = read::<st::Time, MysqlTime>(&raw).unwrap();
    assert_eq!((t.hour, t.minute, t.second, t.day), (100, 0, 1, 0));
    assert_eq!(
        get::<st::Time, chrono::NaiveTime>("TIME", None, s("01:02:03.000004")),
        chrono::NaiveTime::from_hms_micro_opt(1, 2, 3, 4).unwrap()
    );
    // Zero dates are representable (diesel's chrono reader refuses them).
    let raw = decode("DATE", None, s("0000-00-00"));
    assert!(read::<st::Date, chrono::NaiveDate>(&raw).is_err());
    for (name, bad) in [
        ("DATE", "2024-2-29"),
        ("DATE", "2024-13-01"),
        ("DATE", "24-02-29"),
        ("DATE", "2024-02-29-1"),
        ("DATETIME", "2024-02-29 24:00:00"),
        ("DATETIME", "2024-02-29 12:60:00"),
        ("DATETIME", "2024-02-29 12:00:00."),
        ("DATETIME", "2024-02-29 12:00:00.1234567"),
        ("DATETIME", "2024-02-29 12:00"),
        ("TIME", "12:00"),
        ("TIME", "--1:00:00"),
        ("TIME", "99999999999:00:00"),
        ("TIME", ""),
    ] {
        let err = decode_err(name, None, s(bad));
        assert!(
            err.contains(&format!("invalid {name} value")),
            "{bad}: {err}"
        );
    }
    // Extra fractional digits are fine when zero (never rounded).
    assert_eq!(
        decode("TIME", None, s("00:00:00.1000000")).bytes,
        decode("TIME", None, s("00:00:00.1")).bytes
    );
    assert!(decode_err("DATE", None, Field::LongValue(20240229)).contains("longValue"));
}

#[test]
fn diesel_drops_time_microseconds_itself() {
    // diesel's `ToSql<Time, Mysql>` for `time::Time` writes second_part 0.
    let t = time::Time::from_hms_micro(1, 2, 3, 456).unwrap();
    for back in through::<st::Time, time::Time>(&t, "TIME") {
        assert_eq!(back, time::Time::from_hms(1, 2, 3).unwrap());
    }
}

#[test]
fn dates_and_times_are_cast() {
    let d = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    assert_eq!(
        enc::<st::Date, _>(&d),
        EncodedBind::wrapped(s("2024-02-29"), "DATE")
    );
    let t = chrono::NaiveTime::from_hms_micro_opt(1, 2, 3, 4).unwrap();
    assert_eq!(
        enc::<st::Time, _>(&t),
        EncodedBind::wrapped(s("01:02:03.000004"), "TIME(6)")
    );
    let dt = d.and_hms_micro_opt(12, 34, 56, 123_456).unwrap();
    let want = EncodedBind::wrapped(s("2024-02-29 12:34:56.123456"), "DATETIME(6)");
    assert_eq!(enc::<st::Timestamp, _>(&dt), want);
    assert_eq!(enc::<Datetime, _>(&dt), want);
    // time's OffsetDateTime is converted to UTC by diesel.
    let odt = time::PrimitiveDateTime::new(
        time::Date::from_calendar_date(2024, time::Month::February, 29).unwrap(),
        time::Time::from_hms_milli(12, 0, 0, 500).unwrap(),
    )
    .assume_offset(time::UtcOffset::from_hms(2, 0, 0).unwrap());
    assert_eq!(
        enc::<st::Timestamp, _>(&odt).value,
        s("2024-02-29 10:00:00.500000")
    );
    // TIME: hours past 24 (days fold into hours), negative, MySQL's limits.
    let time = |d, h, mi, sec, us, neg| {
        encode_bind(
            MysqlType::Time,
            Some(&mysql_time(
                0,
                0,
                d,
                h,
                mi,
                sec,
                us,
                neg,
                MysqlTimestampType::MYSQL_TIMESTAMP_TIME,
            )),
        )
    };
    assert_eq!(
        time(0, 838, 59, 59, 0, true).unwrap().value,
        s("-838:59:59.000000")
    );
    assert_eq!(
        time(1, 2, 0, 0, 0, false).unwrap().value,
        s("26:00:00.000000")
    );
    assert_eq!(
        time(0, 0, 0, 1, 5, true).unwrap().value,
        s("-00:00:01.000005")
    );
    assert!(time(0, 838, 59, 59, 1, false).is_err());
    assert!(time(0, 839, 0, 0, 0, false).is_err());
    assert!(time(0, 1, 60, 0, 0, false).is_err());
    // chrono's leap second cannot be stored.
    let leap = chrono::NaiveTime::from_hms_micro_opt(23, 59, 59, 1_500_000).unwrap();
    let (ty, bytes) = diesel_bind::<st::Time, _>(&leap);
    assert!(encode_bind(ty, bytes.as_deref()).is_err());
    // Dates MySQL's CAST would turn into NULL are refused.
    let dt = |y, mo, d, h| {
        encode_bind(
            MysqlType::DateTime,
            Some(&mysql_time(
                y,
                mo,
                d,
                h,
                0,
                0,
                0,
                false,
                MysqlTimestampType::MYSQL_TIMESTAMP_DATETIME,
            )),
        )
    };
    assert!(dt(2023, 2, 29, 0).is_err());
    assert!(dt(10_000, 1, 1, 0).is_err());
    assert!(dt(2023, 13, 1, 0).is_err());
    assert!(dt(2023, 1, 1, 24).is_err());
    assert_eq!(
        dt(0, 0, 0, 0).unwrap().value,
        s("0000-00-00 00:00:00.000000")
    );
    // Zero-in-date: a zero month still bounds the day (found by fuzz/ mysql_codec, which
    // had "0000-00-393473" sent as a DATE).
    assert_eq!(
        dt(2024, 0, 31, 0).unwrap().value,
        s("2024-00-31 00:00:00.000000")
    );
    assert!(dt(2024, 0, 32, 0).is_err());
    assert!(dt(0, 0, 393_473, 0).is_err());
    let far = chrono::NaiveDate::from_ymd_opt(12345, 1, 1).unwrap();
    let (ty, bytes) = diesel_bind::<st::Date, _>(&far);
    assert!(encode_bind(ty, bytes.as_deref()).is_err());
    // Time zone displacements are refused, not dropped.
    let tz = MysqlTime::new(
        2024,
        1,
        1,
        0,
        0,
        0,
        0,
        false,
        MysqlTimestampType::MYSQL_TIMESTAMP_DATETIME_TZ,
        3600,
    );
    assert!(encode_bind(MysqlType::Timestamp, Some(&time_bytes(tz))).is_err());
    // Malformed structs.
    assert!(encode_bind(MysqlType::Date, Some(&[0; 10])).is_err());
    let mut bad_neg = mysql_time(
        2024,
        1,
        1,
        0,
        0,
        0,
        0,
        false,
        MysqlTimestampType::MYSQL_TIMESTAMP_DATE,
    );
    bad_neg[std::mem::offset_of!(MysqlTime, neg)] = 7;
    assert!(encode_bind(MysqlType::Date, Some(&bad_neg)).is_err());
}
