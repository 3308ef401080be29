//! DATE, TIME, DATETIME and TIMESTAMP: MySQL's text forms ↔ diesel's 48-byte `MysqlTime`.

use std::os::raw::c_ulong;

use diesel::deserialize::FromSql;
use diesel::mysql::data_types::{MysqlTime, MysqlTimestampType};
use diesel::mysql::{Mysql, MysqlType, MysqlValue};

use crate::codec::calendar::{days_in_month, fraction_micros};
use crate::codec::CodecError;

// ---- results ----

fn number(s: &str, len: Option<usize>) -> Result<u32, &'static str> {
    if s.is_empty() || len.is_some_and(|n| s.len() != n) || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err("malformed date or time");
    }
    s.parse().map_err(|_| "number too large")
}

/// `H+:MM:SS[.f]` → (hours, minutes, seconds, microseconds).
fn parse_hms(s: &str) -> Result<(u32, u32, u32, u32), &'static str> {
    let (hms, frac) = match s.split_once('.') {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (s, None),
    };
    let mut parts = hms.split(':');
    let (Some(h), Some(m), Some(sec), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("expected HH:MM:SS");
    };
    let (h, m, sec) = (number(h, None)?, number(m, Some(2))?, number(sec, Some(2))?);
    if m > 59 || sec > 59 {
        return Err("minutes or seconds out of range");
    }
    Ok((
        h,
        m,
        sec,
        frac.map(|f| {
            if f.is_empty() {
                Err("bad fractional seconds")
            } else {
                fraction_micros(f)
            }
        })
        .transpose()?
        .unwrap_or(0),
    ))
}

/// `YYYY-MM-DD` → (year, month, day); zero months / days (MySQL's zero dates) allowed.
fn parse_ymd(s: &str) -> Result<(u32, u32, u32), &'static str> {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("expected YYYY-MM-DD");
    };
    let (y, m, d) = (
        number(y, Some(4))?,
        number(m, Some(2))?,
        number(d, Some(2))?,
    );
    if m > 12 || d > 31 {
        return Err("month or day out of range");
    }
    Ok((y, m, d))
}

/// A DATE (`YYYY-MM-DD`), DATETIME / TIMESTAMP (`YYYY-MM-DD HH:MM:SS[.ffffff]`, `T` also
/// accepted) or TIME (`[-]H+:MM:SS[.ffffff]`, hours past 24) string as diesel's `MysqlTime`
/// for a value tagged `ty`.
pub(super) fn parse_temporal(s: &str, ty: MysqlType) -> Result<MysqlTime, &'static str> {
    let s = s.trim();
    let time = |y, mo, d, h, mi, sec, us: u32, neg, tt| {
        MysqlTime::new(y, mo, d, h, mi, sec, c_ulong::from(us), neg, tt, 0)
    };
    if ty == MysqlType::Time {
        let (neg, hms) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (h, mi, sec, us) = parse_hms(hms)?;
        return Ok(time(
            0,
            0,
            0,
            h,
            mi,
            sec,
            us,
            neg,
            MysqlTimestampType::MYSQL_TIMESTAMP_TIME,
        ));
    }
    let (date, rest) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim_start())),
        None => (s, None),
    };
    let (y, mo, d) = parse_ymd(date)?;
    let Some(rest) = rest else {
        let tt = if ty == MysqlType::Date {
            MysqlTimestampType::MYSQL_TIMESTAMP_DATE
        } else {
            MysqlTimestampType::MYSQL_TIMESTAMP_DATETIME
        };
        return Ok(time(y, mo, d, 0, 0, 0, 0, false, tt));
    };
    let (h, mi, sec, us) = parse_hms(rest)?;
    if h > 23 {
        return Err("hour out of range");
    }
    Ok(time(
        y,
        mo,
        d,
        h,
        mi,
        sec,
        us,
        false,
        MysqlTimestampType::MYSQL_TIMESTAMP_DATETIME,
    ))
}

// ---- binds ----

/// diesel's 48-byte `MysqlTime` and whether it is negative. The flag is cleared before
/// reading and returned aside (diesel before 2.4 refused `neg`; reading through the
/// `Timestamp` impl keeps one path for dates, times and datetimes).
pub(super) fn read_time(bytes: &[u8]) -> Result<(MysqlTime, bool), CodecError> {
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
pub(super) fn date_text((t, neg): &(MysqlTime, bool)) -> Result<String, CodecError> {
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
pub(super) fn time_text((t, neg): &(MysqlTime, bool)) -> Result<String, CodecError> {
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
pub(super) fn datetime_text(time: &(MysqlTime, bool)) -> Result<String, CodecError> {
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
mod tests;
