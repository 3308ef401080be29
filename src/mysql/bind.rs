//! Bind parameters: diesel's MySQL bind bytes (native-endian numbers, ASCII decimals, the
//! 48-byte `MysqlTime` struct) → a Data API `Field`, plus the cast to wrap around the
//! placeholder where the plain `Field` would lose information.
//!
//! MySQL converts a string parameter implicitly wherever a typed value is needed, so most
//! binds need no cast (unlike PostgreSQL). The exceptions get `CAST(:pN AS <wrap>)`:
//! - dates and times travel as strings; the cast keeps them temporal in expressions
//!   (`GREATEST`, `CASE`, `:p + INTERVAL 1 DAY` compare / compute as strings otherwise) and
//!   `DATETIME(6)` / `TIME(6)` keep the microseconds a bare `DATETIME` would round away;
//! - `u64` above `i64::MAX` cannot be a `longValue`: it goes as a string cast to `UNSIGNED`,
//!   because a string in arithmetic or comparisons is converted to DOUBLE (inexact).
//!
//! Decimals go as strings with the `DECIMAL` type hint, so the Data API sends an exact decimal
//! rather than a string MySQL would compare as DOUBLE.

use std::fmt::Write as _;

use aws_sdk_rdsdata::primitives::Blob;
use aws_sdk_rdsdata::types::{Field, TypeHint};
use diesel::deserialize::FromSql;
use diesel::mysql::data_types::MysqlTime;
use diesel::mysql::{Mysql, MysqlType, MysqlValue};

use crate::codec::calendar::days_in_month;
use crate::codec::CodecError;

/// One bind parameter ready for the Data API.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EncodedBind {
    /// The parameter's value (`isNull` for SQL NULL).
    pub value: Field,
    /// The `typeHint` to send with the parameter, if any.
    pub type_hint: Option<TypeHint>,
    /// The SQL type to cast the placeholder to (`CAST(:pN AS <wrap>)`), if the plain value
    /// would lose information.
    pub wrap: Option<&'static str>,
}

impl EncodedBind {
    fn plain(value: Field) -> Self {
        Self {
            value,
            type_hint: None,
            wrap: None,
        }
    }

    fn wrapped(value: Field, wrap: &'static str) -> Self {
        Self {
            value,
            type_hint: None,
            wrap: Some(wrap),
        }
    }
}

/// The SQL that replaces diesel's `index`-th (1-based) `?`: `:pN`, or `CAST(:pN AS <wrap>)`.
pub(crate) fn placeholder(index: usize, wrap: Option<&str>) -> String {
    let name = crate::sql::param_name(index);
    match wrap {
        Some(ty) => format!("CAST(:{name} AS {ty})"),
        None => format!(":{name}"),
    }
}

/// Encodes one of diesel's MySQL binds (`bytes` = `None` for NULL) tagged `ty`.
pub(crate) fn encode_bind(ty: MysqlType, bytes: Option<&[u8]>) -> Result<EncodedBind, CodecError> {
    let Some(bytes) = bytes else {
        return Ok(EncodedBind::plain(Field::IsNull(true)));
    };
    Ok(match ty {
        // diesel's `bool` is a 4-byte i32 tagged Tiny, so the width comes from the byte count.
        MysqlType::Tiny | MysqlType::Short | MysqlType::Long | MysqlType::LongLong => {
            EncodedBind::plain(Field::LongValue(signed(bytes, ty)?))
        }
        MysqlType::UnsignedTiny
        | MysqlType::UnsignedShort
        | MysqlType::UnsignedLong
        | MysqlType::UnsignedLongLong => unsigned_bind(unsigned(bytes, ty)?),
        MysqlType::Float | MysqlType::Double => {
            let f = float(bytes, ty)?;
            if !f.is_finite() {
                return Err(CodecError::bind(
                    "MySQL cannot store NaN or infinite floating point values",
                ));
            }
            EncodedBind::plain(Field::DoubleValue(f))
        }
        MysqlType::Numeric => EncodedBind {
            value: Field::StringValue(decimal_text(bytes)?),
            type_hint: Some(TypeHint::Decimal),
            wrap: None,
        },
        MysqlType::Date => {
            EncodedBind::wrapped(Field::StringValue(date_text(&read_time(bytes)?)?), "DATE")
        }
        MysqlType::Time => EncodedBind::wrapped(
            Field::StringValue(time_text(&read_time(bytes)?)?),
            "TIME(6)",
        ),
        MysqlType::DateTime | MysqlType::Timestamp => EncodedBind::wrapped(
            Field::StringValue(datetime_text(&read_time(bytes)?)?),
            "DATETIME(6)",
        ),
        MysqlType::String | MysqlType::Enum | MysqlType::Set => {
            EncodedBind::plain(Field::StringValue(utf8(bytes, ty)?))
        }
        MysqlType::Blob => EncodedBind::plain(Field::BlobValue(Blob::new(bytes.to_vec()))),
        MysqlType::Bit => bit_bind(bytes)?,
        other => {
            return Err(CodecError::bind(format!(
                "unsupported MySQL parameter type {other:?}"
            )))
        }
    })
}

// ---- numbers ----

fn wrong_size(ty: MysqlType, allowed: &str, len: usize) -> CodecError {
    CodecError::bind(format!(
        "a {ty:?} parameter must be {allowed} bytes, got {len}"
    ))
}

/// A native-endian signed integer of 1, 2, 4 or 8 bytes.
fn signed(bytes: &[u8], ty: MysqlType) -> Result<i64, CodecError> {
    Ok(match *bytes {
        [a] => i8::from_ne_bytes([a]).into(),
        [a, b] => i16::from_ne_bytes([a, b]).into(),
        [a, b, c, d] => i32::from_ne_bytes([a, b, c, d]).into(),
        [a, b, c, d, e, f, g, h] => i64::from_ne_bytes([a, b, c, d, e, f, g, h]),
        _ => return Err(wrong_size(ty, "1, 2, 4 or 8", bytes.len())),
    })
}

/// A native-endian unsigned integer of 1, 2, 4 or 8 bytes.
fn unsigned(bytes: &[u8], ty: MysqlType) -> Result<u64, CodecError> {
    Ok(match *bytes {
        [a] => a.into(),
        [a, b] => u16::from_ne_bytes([a, b]).into(),
        [a, b, c, d] => u32::from_ne_bytes([a, b, c, d]).into(),
        [a, b, c, d, e, f, g, h] => u64::from_ne_bytes([a, b, c, d, e, f, g, h]),
        _ => return Err(wrong_size(ty, "1, 2, 4 or 8", bytes.len())),
    })
}

/// `longValue` where it fits, else the digits cast to `UNSIGNED` (BIGINT UNSIGNED).
fn unsigned_bind(v: u64) -> EncodedBind {
    match i64::try_from(v) {
        Ok(v) => EncodedBind::plain(Field::LongValue(v)),
        Err(_) => EncodedBind::wrapped(Field::StringValue(v.to_string()), "UNSIGNED"),
    }
}

fn float(bytes: &[u8], ty: MysqlType) -> Result<f64, CodecError> {
    Ok(match *bytes {
        [a, b, c, d] => f32::from_ne_bytes([a, b, c, d]).into(),
        [a, b, c, d, e, f, g, h] => f64::from_ne_bytes([a, b, c, d, e, f, g, h]),
        _ => return Err(wrong_size(ty, "4 or 8", bytes.len())),
    })
}

/// BIT values are big-endian bit strings (at most 64 bits); sent as the integer they spell,
/// which MySQL assigns and compares to BIT columns bit for bit.
fn bit_bind(bytes: &[u8]) -> Result<EncodedBind, CodecError> {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let significant = &bytes[start..];
    if significant.len() > 8 {
        return Err(CodecError::bind(format!(
            "a Bit parameter has {} significant bytes; MySQL BIT holds at most 64 bits",
            significant.len()
        )));
    }
    Ok(unsigned_bind(
        significant
            .iter()
            .fold(0u64, |acc, b| acc << 8 | u64::from(*b)),
    ))
}

/// diesel's ASCII decimal (BigDecimal's `Display`, which switches to exponent form such as
/// `1E-7` for many leading or trailing zeros) as plain decimal text.
fn decimal_text(bytes: &[u8]) -> Result<String, CodecError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| CodecError::bind("a Numeric parameter is not ASCII decimal text"))?
        .trim();
    plain_decimal(text).ok_or_else(|| {
        let shown: String = text.chars().take(64).collect();
        CodecError::bind(format!(
            "a Numeric parameter is not a decimal number: {shown:?}"
        ))
    })
}

/// `[+-]digits[.digits][e[+-]digits]` without exponent; `None` if not a decimal number. An
/// exponent beyond ±1000 is left for MySQL to read (nothing that large fits a DECIMAL).
pub(crate) fn plain_decimal(text: &str) -> Option<String> {
    let (sign, unsigned) = match text.as_bytes().first() {
        Some(b'-') => ("-", &text[1..]),
        Some(b'+') => ("", &text[1..]),
        _ => ("", text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits_only = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits_only(int) || !digits_only(frac) {
        return None;
    }
    let Some(exponent) = exponent else {
        return Some(text.strip_prefix('+').unwrap_or(text).to_string());
    };
    let exponent: i64 = exponent.parse().ok()?;
    if exponent.abs() > 1000 {
        return Some(text.to_string());
    }
    let digits: String = [int, frac].concat();
    // The decimal point sits `point` digits into `digits` (may be outside it).
    let point = int.len() as i64 + exponent;
    let mut out = String::from(sign);
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(&digits);
    } else if point as usize >= digits.len() {
        let whole = format!("{digits}{}", "0".repeat(point as usize - digits.len()));
        out.push_str(trim_int(&whole));
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        let _ = write!(out, "{}.{fraction}", trim_int(whole));
    }
    Some(out)
}

/// An integer part without leading zeros (`"0"` if nothing is left).
fn trim_int(s: &str) -> &str {
    match s.trim_start_matches('0') {
        "" => "0",
        t => t,
    }
}

// ---- text ----

fn utf8(bytes: &[u8], ty: MysqlType) -> Result<String, CodecError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|e| CodecError::bind(format!("a {ty:?} parameter is not valid UTF-8: {e}")))
}

// ---- dates and times ----

/// diesel's 48-byte `MysqlTime` and whether it is negative. diesel's reader refuses `neg`,
/// but a TIME may be negative, so the flag is cleared before reading and returned aside.
fn read_time(bytes: &[u8]) -> Result<(MysqlTime, bool), CodecError> {
    const NEG: usize = std::mem::offset_of!(MysqlTime, neg);
    let mut raw = bytes.to_vec();
    let neg = match raw.get_mut(NEG) {
        Some(flag) if *flag == 1 => {
            *flag = 0;
            true
        }
        _ => false,
    };
    let time = <MysqlTime as FromSql<diesel::sql_types::Timestamp, Mysql>>::from_sql(
        MysqlValue::new(&raw, MysqlType::Timestamp),
    )
    .map_err(|e| CodecError::bind(format!("invalid MysqlTime parameter: {e}")))?;
    Ok((time, neg))
}

fn out_of_range(what: &str, t: &MysqlTime) -> CodecError {
    CodecError::bind(format!(
        "{what} is out of MySQL's range: {:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.second_part
    ))
}

/// `YYYY-MM-DD`, checked so that MySQL's CAST (which turns invalid dates into NULL with a
/// mere warning) never sees one. Zero months / days are MySQL's "zero-in-date" values; a
/// day in an unknown (zero) month can still be at most 31.
fn date_text((t, neg): &(MysqlTime, bool)) -> Result<String, CodecError> {
    let valid_day = t.day == 0
        || (t.month == 0 && t.day <= 31)
        || (t.month <= 12 && t.day <= days_in_month(i64::from(t.year), t.month));
    if *neg || t.year > 9999 || t.month > 12 || !valid_day {
        return Err(out_of_range("a date", t));
    }
    Ok(format!("{:04}-{:02}-{:02}", t.year, t.month, t.day))
}

/// Microseconds, refusing a leap second (chrono's `second_part` ≥ 1 000 000), which MySQL
/// cannot store.
#[allow(clippy::useless_conversion)] // c_ulong is u32 on Windows
fn micros(t: &MysqlTime) -> Option<u64> {
    Some(u64::from(t.second_part)).filter(|us| *us < 1_000_000)
}

/// `[-]HH:MM:SS.ffffff`, hours up to 838 (day × 24 + hour), MySQL's TIME range.
fn time_text((t, neg): &(MysqlTime, bool)) -> Result<String, CodecError> {
    let hours = u64::from(t.day) * 24 + u64::from(t.hour);
    let us = micros(t).ok_or_else(|| out_of_range("a time", t))?;
    let past_max = (hours, t.minute, t.second, us) > (838, 59, 59, 0);
    if t.minute > 59 || t.second > 59 || past_max {
        return Err(out_of_range("a time", t));
    }
    let sign = if *neg { "-" } else { "" };
    Ok(format!(
        "{sign}{hours:02}:{:02}:{:02}.{us:06}",
        t.minute, t.second
    ))
}

/// `YYYY-MM-DD HH:MM:SS.ffffff`.
fn datetime_text(time: &(MysqlTime, bool)) -> Result<String, CodecError> {
    let t = &time.0;
    if t.time_zone_displacement != 0 {
        return Err(CodecError::bind(
            "a date-time parameter with a time zone displacement is not supported; convert \
             it to UTC (or the session time zone) first",
        ));
    }
    let date = date_text(time)?;
    let us = micros(t).ok_or_else(|| out_of_range("a date-time", t))?;
    if t.hour > 23 || t.minute > 59 || t.second > 59 {
        return Err(out_of_range("a date-time", t));
    }
    Ok(format!(
        "{date} {:02}:{:02}:{:02}.{us:06}",
        t.hour, t.minute, t.second
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use bigdecimal::BigDecimal;
    use diesel::mysql::data_types::MysqlTimestampType;
    use diesel::mysql::sql_types::{Datetime, Unsigned};
    use diesel::query_builder::bind_collector::RawBytesBindCollector;
    use diesel::query_builder::BindCollector;
    use diesel::serialize::ToSql;
    use diesel::sql_types::{self as st, HasSqlType};
    use std::os::raw::c_ulong;
    use std::str::FromStr;

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

    fn s(v: &str) -> Field {
        Field::StringValue(v.into())
    }

    fn time_bytes(t: MysqlTime) -> Vec<u8> {
        t.serialize().to_vec()
    }

    #[allow(clippy::too_many_arguments)]
    fn mysql_time(
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

    #[test]
    fn placeholders() {
        assert_eq!(placeholder(3, None), ":p3");
        assert_eq!(
            placeholder(12, Some("DATETIME(6)")),
            "CAST(:p12 AS DATETIME(6))"
        );
    }

    #[test]
    fn nulls_stay_plain() {
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

    #[test]
    fn text_and_bytes() {
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
}
