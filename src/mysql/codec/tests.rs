//! Helpers shared by the codec's tests (diesel's real binds and reads), the bind dispatch's
//! tests, and the round trips through both directions.

pub(super) use super::*;
pub(super) use aws_sdk_rdsdata::types::ArrayValue;
pub(super) use bigdecimal::BigDecimal;
pub(super) use diesel::deserialize::FromSql;
pub(super) use diesel::mysql::data_types::{MysqlTime, MysqlTimestampType};
pub(super) use diesel::mysql::sql_types::{Datetime, Unsigned};
pub(super) use diesel::mysql::{Mysql, MysqlValue};
pub(super) use diesel::query_builder::bind_collector::RawBytesBindCollector;
pub(super) use diesel::query_builder::BindCollector;
pub(super) use diesel::serialize::ToSql;
pub(super) use diesel::sql_types::{self as st, HasSqlType};
pub(super) use proptest::prelude::*;
pub(super) use std::fmt::Debug;
pub(super) use std::os::raw::c_ulong;
pub(super) use std::str::FromStr;

// ---- helpers ----

pub(super) fn s(v: &str) -> Field {
    Field::StringValue(v.into())
}

pub(super) fn decode(type_name: &str, expected: Option<MysqlType>, field: Field) -> RawValue {
    ColumnDecoder::new(type_name, expected)
        .decode(field)
        .unwrap()
        .expect("not NULL")
}

pub(super) fn decode_err(type_name: &str, expected: Option<MysqlType>, field: Field) -> String {
    ColumnDecoder::new(type_name, expected)
        .decode(field)
        .unwrap_err()
        .to_string()
}

/// Reads a decoded value through diesel's own `FromSql`.
pub(super) fn read<ST, T: FromSql<ST, Mysql>>(raw: &RawValue) -> diesel::deserialize::Result<T> {
    T::from_sql(MysqlValue::new(&raw.bytes, raw.ty))
}

pub(super) fn get<ST, T: FromSql<ST, Mysql>>(
    type_name: &str,
    expected: Option<MysqlType>,
    field: Field,
) -> T {
    read::<ST, T>(&decode(type_name, expected, field)).unwrap()
}

/// Fractional seconds as the Data API prints them: none when zero, else trailing zeros
/// stripped (the local server's `fraction`).
pub(super) fn strip_fraction(text: &str) -> String {
    match text.split_once('.') {
        Some((whole, frac)) => match frac.trim_end_matches('0') {
            "" => whole.to_string(),
            f => format!("{whole}.{f}"),
        },
        None => text.to_string(),
    }
}

/// What the Data API returns for a column of `type_name` that stored the bound value,
/// in the local server's formats (integration/src/engine/mysql_types.rs).
pub(super) fn returned(bind: &EncodedBind, type_name: &str) -> Field {
    match (&bind.value, type_name) {
        // TINYINT(1) is reported as BIT with a booleanValue.
        (Field::LongValue(v), "BIT") => Field::BooleanValue(*v != 0),
        // The server stores the double as FLOAT and prints its shortest decimal.
        (Field::DoubleValue(d), "FLOAT") => {
            Field::DoubleValue((*d as f32).to_string().parse().unwrap())
        }
        (Field::StringValue(t), "TIME" | "DATETIME" | "TIMESTAMP") => s(&strip_fraction(t)),
        (other, _) => other.clone(),
    }
}

/// Binds `value` with diesel, encodes it, lets the "server" store it in a `type_name`
/// column and decodes what comes back, once without and once with diesel's expected
/// type; returns both reads.
pub(super) fn through<ST, T>(value: &T, type_name: &str) -> [T; 2]
where
    Mysql: HasSqlType<ST>,
    T: ToSql<ST, Mysql> + FromSql<ST, Mysql>,
{
    let (ty, bytes) = diesel_bind::<ST, T>(value);
    let bind = encode_bind(ty, bytes.as_deref()).unwrap();
    let field = returned(&bind, type_name);
    [None, Some(ty)].map(|expected| {
        read::<ST, T>(&decode(type_name, expected, field.clone()))
            .unwrap_or_else(|e| panic!("{type_name} {field:?} as {expected:?}: {e}"))
    })
}

pub(super) fn round_trip<ST, T>(value: &T, type_name: &str)
where
    Mysql: HasSqlType<ST>,
    T: ToSql<ST, Mysql> + FromSql<ST, Mysql> + PartialEq + Debug,
{
    for back in through::<ST, T>(value, type_name) {
        assert_eq!(&back, value, "{type_name}");
    }
}

/// diesel's real bind (type tag and bytes) of `value` as SQL type `ST`.
pub(crate) fn diesel_bind<ST, T>(value: &T) -> (MysqlType, Option<Vec<u8>>)
where
    Mysql: HasSqlType<ST>,
    T: ToSql<ST, Mysql> + ?Sized,
{
    let mut collector = RawBytesBindCollector::<Mysql>::new();
    collector
        .push_bound_value::<ST, T>(value, &mut ())
        .expect("diesel serializes the test value");
    (
        collector.metadata.pop().expect("one bind"),
        collector.binds.pop().expect("one bind"),
    )
}

pub(crate) fn enc<ST, T>(value: &T) -> EncodedBind
where
    Mysql: HasSqlType<ST>,
    T: ToSql<ST, Mysql> + ?Sized,
{
    let (ty, bytes) = diesel_bind::<ST, T>(value);
    encode_bind(ty, bytes.as_deref()).unwrap()
}

pub(super) fn time_bytes(t: MysqlTime) -> Vec<u8> {
    t.serialize().to_vec()
}

#[allow(clippy::too_many_arguments)]
pub(super) fn mysql_time(
    y: u32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    sec: u32,
    us: u32,
    neg: bool,
    tt: MysqlTimestampType,
) -> Vec<u8> {
    time_bytes(MysqlTime::new(
        y,
        mo,
        d,
        h,
        mi,
        sec,
        c_ulong::from(us),
        neg,
        tt,
        0,
    ))
}

// ---- binds ----

#[test]
pub(super) fn placeholders() {
    assert_eq!(placeholder(3, None), ":p3");
    assert_eq!(
        placeholder(12, Some("DATETIME(6)")),
        "CAST(:p12 AS DATETIME(6))"
    );
}

#[test]
pub(super) fn nulls_stay_plain() {
    for ty in [
        MysqlType::Long,
        MysqlType::DateTime,
        MysqlType::UnsignedLongLong,
        MysqlType::Numeric,
    ] {
        assert_eq!(
            encode_bind(ty, None).unwrap(),
            EncodedBind::plain(Field::IsNull(true))
        );
    }
    let (ty, bytes) =
        diesel_bind::<st::Nullable<st::Timestamp>, Option<chrono::NaiveDateTime>>(&None);
    assert_eq!(
        (ty, encode_bind(ty, bytes.as_deref()).unwrap().wrap),
        (MysqlType::Timestamp, None)
    );
}

#[test]
pub(super) fn text_and_bytes() {
    assert_eq!(
        enc::<st::Text, _>("héllo ✓"),
        EncodedBind::plain(s("héllo ✓"))
    );
    assert_eq!(enc::<st::VarChar, _>("").value, s(""));
    let j = serde_json::json!({"a": [1, "x"]});
    assert_eq!(
        enc::<st::Json, _>(&j),
        EncodedBind::plain(s(&j.to_string()))
    );
    assert_eq!(
        encode_bind(MysqlType::Enum, Some(b"small")).unwrap().value,
        s("small")
    );
    assert_eq!(
        encode_bind(MysqlType::Set, Some(b"a,b")).unwrap().value,
        s("a,b")
    );
    let err = encode_bind(MysqlType::String, Some(&[0x66, 0xff])).unwrap_err();
    assert!(err.to_string().contains("not valid UTF-8"), "{err}");
    assert_eq!(
        enc::<st::Binary, _>(&vec![0u8, 255, 16]),
        EncodedBind::plain(Field::BlobValue(Blob::new(vec![0, 255, 16])))
    );
}

// ---- round trips through diesel's own impls ----

#[test]
pub(super) fn integer_round_trips_at_the_limits() {
    for v in [i8::MIN, -1, 0, i8::MAX] {
        round_trip::<st::TinyInt, i8>(&v, "TINYINT");
    }
    for v in [i16::MIN, i16::MAX] {
        round_trip::<st::SmallInt, i16>(&v, "SMALLINT");
    }
    for v in [i32::MIN, i32::MAX] {
        round_trip::<st::Integer, i32>(&v, "INT");
    }
    for v in [i64::MIN, i64::MAX] {
        round_trip::<st::BigInt, i64>(&v, "BIGINT");
    }
    round_trip::<Unsigned<st::TinyInt>, u8>(&u8::MAX, "TINYINT UNSIGNED");
    round_trip::<Unsigned<st::SmallInt>, u16>(&u16::MAX, "SMALLINT UNSIGNED");
    round_trip::<Unsigned<st::Integer>, u32>(&u32::MAX, "INT UNSIGNED");
    for v in [0, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
        round_trip::<Unsigned<st::BigInt>, u64>(&v, "BIGINT UNSIGNED");
    }
    for b in [true, false] {
        round_trip::<st::Bool, bool>(&b, "BIT");
        round_trip::<st::Bool, bool>(&b, "TINYINT");
    }
}

#[test]
pub(super) fn fixed_round_trips() {
    round_trip::<st::Text, String>(&"héllo ✓ 𝄞 '\"\\".to_string(), "VARCHAR");
    round_trip::<st::Text, String>(&String::new(), "TEXT");
    round_trip::<st::Binary, Vec<u8>>(&vec![0, 255, 1], "BLOB");
    round_trip::<st::Binary, Vec<u8>>(&Vec::new(), "VARBINARY");
    for j in [
        serde_json::json!({"a": [1, 2.5, null, "ü"], "b": {"c": true}}),
        serde_json::json!([]),
        serde_json::json!("s"),
        serde_json::json!(-1),
    ] {
        round_trip::<st::Json, serde_json::Value>(&j, "JSON");
        round_trip::<st::Json, serde_json::Value>(&j, "LONGTEXT");
    }
    let d = chrono::NaiveDate::from_ymd_opt(1000, 1, 1).unwrap();
    round_trip::<st::Date, _>(&d, "DATE");
    round_trip::<st::Date, _>(
        &chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
        "DATE",
    );
    let t = chrono::NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).unwrap();
    round_trip::<st::Time, _>(&t, "TIME");
    round_trip::<st::Time, _>(&chrono::NaiveTime::MIN, "TIME");
    let dt = d.and_time(t);
    round_trip::<st::Timestamp, _>(&dt, "DATETIME");
    round_trip::<Datetime, _>(&dt, "TIMESTAMP");
    let odt = time::PrimitiveDateTime::new(
        time::Date::from_calendar_date(2024, time::Month::February, 29).unwrap(),
        time::Time::from_hms_micro(23, 30, 0, 1).unwrap(),
    )
    .assume_offset(time::UtcOffset::from_hms(-5, 0, 0).unwrap());
    round_trip::<st::Timestamp, time::OffsetDateTime>(&odt, "DATETIME");
    round_trip::<st::Numeric, _>(&BigDecimal::from_str("0.0000001").unwrap(), "DECIMAL");
}

/// A DECIMAL(65, `scale`) column returns the value with exactly `scale` fractional digits.
pub(super) fn decimal_column(text: &str, scale: usize) -> String {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    assert!(frac.len() <= scale);
    if scale == 0 {
        int.to_string()
    } else {
        format!("{int}.{frac:0<scale$}")
    }
}

pub(super) fn days_between(a: chrono::NaiveDate, b: chrono::NaiveDate) -> i64 {
    b.signed_duration_since(a).num_days()
}

pub(super) fn first_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1000, 1, 1).unwrap()
}

pub(super) fn date_span() -> i64 {
    days_between(
        first_date(),
        chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
    )
}

pub(super) fn time_date(jd: i32) -> time::Date {
    time::Date::from_julian_day(jd).unwrap()
}

pub(super) fn julian(y: i32) -> i32 {
    time::Date::from_calendar_date(y, time::Month::January, 1)
        .unwrap()
        .to_julian_day()
}

proptest! {
    #[test]
    fn prop_signed(a: i8, b: i16, c: i32, d: i64) {
        round_trip::<st::TinyInt, _>(&a, "TINYINT");
        round_trip::<st::SmallInt, _>(&b, "SMALLINT");
        round_trip::<st::Integer, _>(&c, "INT");
        round_trip::<st::BigInt, _>(&d, "BIGINT");
    }

    #[test]
    fn prop_unsigned(a: u8, b: u16, c: u32, d: u64) {
        round_trip::<Unsigned<st::TinyInt>, _>(&a, "TINYINT UNSIGNED");
        round_trip::<Unsigned<st::SmallInt>, _>(&b, "SMALLINT UNSIGNED");
        round_trip::<Unsigned<st::Integer>, _>(&c, "INT UNSIGNED");
        round_trip::<Unsigned<st::BigInt>, _>(&d, "BIGINT UNSIGNED");
    }

    #[test]
    fn prop_floats(f in any::<f32>().prop_filter("finite", |f| f.is_finite()),
                   d in any::<f64>().prop_filter("finite", |d| d.is_finite())) {
        for back in through::<st::Float, f32>(&f, "FLOAT") {
            prop_assert_eq!(back.to_bits(), f.to_bits());
        }
        for back in through::<st::Double, f64>(&d, "DOUBLE") {
            prop_assert_eq!(back.to_bits(), d.to_bits());
        }
    }

    #[test]
    fn prop_decimals(negative: bool, int in "[0-9]{1,35}", frac in "[0-9]{0,30}") {
        let text = format!("{}{int}{}{frac}", if negative { "-" } else { "" }, if frac.is_empty() { "" } else { "." });
        let value = BigDecimal::from_str(&text).unwrap();
        let (ty, bytes) = diesel_bind::<st::Numeric, BigDecimal>(&value);
        let bind = encode_bind(ty, bytes.as_deref()).unwrap();
        let Field::StringValue(sent) = &bind.value else { panic!("{bind:?}") };
        prop_assert_eq!(BigDecimal::from_str(sent).unwrap(), value.clone());
        prop_assert!(!sent.contains(['e', 'E']));
        for field in [s(&decimal_column(sent, 30)), s(sent)] {
            for expected in [None, Some(MysqlType::Numeric)] {
                let raw = decode("DECIMAL", expected, field.clone());
                prop_assert_eq!(read::<st::Numeric, BigDecimal>(&raw).unwrap(), value.clone());
            }
        }
    }

    #[test]
    fn prop_text_and_bytes(text: String, bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        round_trip::<st::Text, _>(&text, "VARCHAR");
        round_trip::<st::Text, _>(&text, "LONGTEXT");
        round_trip::<st::Binary, _>(&bytes, "BLOB");
    }

    #[test]
    fn prop_chrono(day in 0..=date_span(), secs in 0u32..86_400, us in 0u32..1_000_000) {
        let date = first_date() + chrono::Days::new(day as u64);
        let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs, us * 1000).unwrap();
        round_trip::<st::Date, _>(&date, "DATE");
        round_trip::<st::Time, _>(&time, "TIME");
        round_trip::<st::Timestamp, _>(&date.and_time(time), "DATETIME");
        round_trip::<Datetime, _>(&date.and_time(time), "TIMESTAMP");
    }

    #[test]
    fn prop_time(jd in julian(1001)..julian(9999), h in 0u8..24, m in 0u8..60, sec in 0u8..60,
                 us in 0u32..1_000_000, offset in -86_399i32..86_400) {
        let date = time_date(jd);
        let t = time::Time::from_hms_micro(h, m, sec, us).unwrap();
        round_trip::<st::Date, _>(&date, "DATE");
        round_trip::<st::Time, _>(&time::Time::from_hms(h, m, sec).unwrap(), "TIME");
        let prim = time::PrimitiveDateTime::new(date, t);
        round_trip::<st::Timestamp, _>(&prim, "DATETIME");
        round_trip::<Datetime, _>(&prim, "TIMESTAMP");
        let odt = prim.assume_offset(time::UtcOffset::from_whole_seconds(offset).unwrap());
        round_trip::<st::Timestamp, time::OffsetDateTime>(&odt, "DATETIME");
    }

    #[test]
    fn prop_mysql_time_strings(negative: bool, h in 0u32..=838, m in 0u32..60, sec in 0u32..60,
                               us in 0u32..1_000_000) {
        // Every TIME the server can print decodes to the same fields.
        let text = format!("{}{h:02}:{m:02}:{sec:02}.{us:06}", if negative { "-" } else { "" });
        let raw = decode("TIME", None, s(&strip_fraction(&text)));
        let want = MysqlTime::new(0, 0, 0, h, m, sec, c_ulong::from(us), negative,
                                  MysqlTimestampType::MYSQL_TIMESTAMP_TIME, 0);
        prop_assert_eq!(raw.bytes, want.serialize().to_vec());
    }

    #[test]
    fn prop_decoder_never_panics(name in "[A-Za-z ()0-9,]{0,20}", text in ".{0,40}", v: i64, d: f64, b: bool) {
        for field in [s(&text), Field::LongValue(v), Field::DoubleValue(d), Field::BooleanValue(b),
                      Field::BlobValue(Blob::new(text.clone().into_bytes()))] {
            for expected in [None, Some(MysqlType::Long), Some(MysqlType::Timestamp),
                             Some(MysqlType::Numeric), Some(MysqlType::String), Some(MysqlType::Bit)] {
                let _ = ColumnDecoder::new(&name, expected).decode(field.clone());
                for known in ["TINYINT", "DATE", "TIME", "DATETIME", "DECIMAL", "FLOAT", "YEAR", "BIT"] {
                    let _ = ColumnDecoder::new(known, expected).decode(field.clone());
                }
            }
        }
    }
}
