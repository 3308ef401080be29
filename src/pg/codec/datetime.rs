//! date, time, timetz, timestamp and timestamptz: PostgreSQL's ISO text forms ↔ the binary
//! counts from 2000-01-01.

use std::fmt::Write as _;

use crate::codec::calendar::{
    civil_from_days, days_from_civil, days_in_month, fraction_micros, PG_EPOCH_DAYS_1970,
    USECS_PER_DAY, USECS_PER_SEC,
};
use crate::codec::CodecError;

// ---- parsing (results) ----

/// Strips a trailing ` BC` / ` AD` era marker.
fn strip_era(s: &str) -> (&str, bool) {
    let t = s.trim();
    let upper = t.len().checked_sub(2).and_then(|i| t.get(i..));
    match upper {
        Some(era) if era.eq_ignore_ascii_case("BC") => (t[..t.len() - 2].trim_end(), true),
        Some(era) if era.eq_ignore_ascii_case("AD") => (t[..t.len() - 2].trim_end(), false),
        _ => (t, false),
    }
}

pub(super) fn digits_u64(s: &str) -> Result<u64, &'static str> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err("expected digits");
    }
    s.parse().map_err(|_| "number too large")
}

/// `YYYY-MM-DD` (BC handled by the caller) → days since 1970-01-01.
fn parse_ymd(s: &str, bc: bool) -> Result<i64, &'static str> {
    let mut parts = s.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("expected YYYY-MM-DD");
    };
    let year = digits_u64(y)?;
    if year == 0 || year > 10_000_000 {
        return Err("year out of range");
    }
    let year = year as i64;
    let year = if bc { 1 - year } else { year };
    let month = u32::try_from(digits_u64(m)?).map_err(|_| "bad month")?;
    let day = u32::try_from(digits_u64(d)?).map_err(|_| "bad day")?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err("no such date");
    }
    Ok(days_from_civil(year, month, day))
}

/// `date` text → days since 2000-01-01 (`infinity` = i32::MAX).
pub(super) fn parse_date(s: &str) -> Result<i32, &'static str> {
    match s.trim().to_ascii_lowercase().as_str() {
        "infinity" | "+infinity" => return Ok(i32::MAX),
        "-infinity" => return Ok(i32::MIN),
        _ => {}
    }
    let (s, bc) = strip_era(s);
    let days = parse_ymd(s, bc)? - PG_EPOCH_DAYS_1970;
    i32::try_from(days)
        .ok()
        .filter(|d| *d != i32::MAX && *d != i32::MIN)
        .ok_or("date out of range")
}

/// `HH:MM[:SS[.ffffff]]` → microseconds (up to 24:00:00).
pub(super) fn parse_time(s: &str) -> Result<i64, &'static str> {
    let mut parts = s.splitn(3, ':');
    let h = digits_u64(parts.next().unwrap_or_default())?;
    let m = digits_u64(parts.next().ok_or("expected HH:MM:SS")?)?;
    let (sec, frac) = match parts.next() {
        Some(rest) => rest.split_once('.').unwrap_or((rest, "")),
        None => ("0", ""),
    };
    let sec = digits_u64(sec)?;
    let micros = i64::from(fraction_micros(frac)?);
    if m > 59 || sec > 59 || h > 24 {
        return Err("time field out of range");
    }
    let us = ((h * 60 + m) * 60 + sec) as i64 * USECS_PER_SEC + micros;
    if us > USECS_PER_DAY {
        return Err("time out of range");
    }
    Ok(us)
}

/// Splits `time[offset]` at a `+` / `-` / `Z` offset; returns (time, offset seconds east).
fn split_offset(s: &str) -> Result<(&str, Option<i32>), &'static str> {
    let Some(i) = s.find(['+', '-', 'Z', 'z']) else {
        return Ok((s, None));
    };
    let (time, zone) = s.split_at(i);
    let time = time.trim_end();
    if zone.eq_ignore_ascii_case("z") {
        return Ok((time, Some(0)));
    }
    let negative = zone.starts_with('-');
    let body = zone[1..].trim();
    let fields: Vec<&str> = if body.contains(':') {
        body.split(':').collect()
    } else if (body.len() == 4 || body.len() == 6) && body.bytes().all(|c| c.is_ascii_digit()) {
        // ±HHMM[SS]
        (0..body.len())
            .step_by(2)
            .map(|i| &body[i..i + 2])
            .collect()
    } else {
        vec![body]
    };
    if fields.is_empty() || fields.len() > 3 {
        return Err("bad UTC offset");
    }
    let mut secs: u64 = 0;
    for (i, f) in fields.iter().enumerate() {
        let v = digits_u64(f).map_err(|_| "bad UTC offset")?;
        if (i == 0 && v > 15) || (i > 0 && v > 59) {
            return Err("UTC offset out of range");
        }
        secs += v * [3600, 60, 1][i];
    }
    let secs = secs as i32;
    Ok((time, Some(if negative { -secs } else { secs })))
}

/// `timetz` text → (µs of local time, offset seconds east); no offset means UTC (the Data
/// API converts to UTC and drops it).
pub(super) fn parse_timetz(s: &str) -> Result<(i64, i32), &'static str> {
    let (time, offset) = split_offset(s)?;
    Ok((parse_time(time.trim())?, offset.unwrap_or(0)))
}

/// `timestamp[tz]` text → µs since 2000-01-01 (UTC for timestamptz: an offset, if present,
/// is applied; the Data API sends UTC without one).
pub(super) fn parse_timestamp(s: &str, tz: bool) -> Result<i64, &'static str> {
    match s.trim().to_ascii_lowercase().as_str() {
        "infinity" | "+infinity" => return Ok(i64::MAX),
        "-infinity" => return Ok(i64::MIN),
        _ => {}
    }
    let (s, bc) = strip_era(s);
    let (date, rest) = s
        .split_once([' ', 'T', 't'])
        .map(|(d, r)| (d, r.trim()))
        .unwrap_or((s, "00:00:00"));
    let days = parse_ymd(date, bc)? - PG_EPOCH_DAYS_1970;
    let (time, offset) = split_offset(rest)?;
    if offset.is_some() && !tz {
        return Err("a timestamp without time zone has no UTC offset");
    }
    let us = i128::from(days) * i128::from(USECS_PER_DAY) + i128::from(parse_time(time)?)
        - i128::from(offset.unwrap_or(0)) * i128::from(USECS_PER_SEC);
    i64::try_from(us)
        .ok()
        .filter(|us| *us != i64::MAX && *us != i64::MIN)
        .ok_or("timestamp out of range")
}

// ---- text forms (binds) ----

/// `YYYY-MM-DD` (at least 4 year digits) and whether it is BC.
fn ymd(days_since_2000: i64) -> (String, bool) {
    let (y, m, d) = civil_from_days(days_since_2000 + PG_EPOCH_DAYS_1970);
    let bc = y <= 0;
    let year = if bc { 1 - y } else { y };
    (format!("{year:04}-{m:02}-{d:02}"), bc)
}

/// `date`: days since 2000-01-01 → `YYYY-MM-DD`, `YYYY-MM-DD BC`, `infinity`, `-infinity`.
pub(super) fn date_text(days: i32) -> String {
    match days {
        i32::MAX => "infinity".to_string(),
        i32::MIN => "-infinity".to_string(),
        _ => match ymd(days.into()) {
            (s, true) => format!("{s} BC"),
            (s, false) => s,
        },
    }
}

/// `HH:MM:SS.ffffff` of a non-negative microsecond count (hours may exceed 23).
pub(super) fn push_hms(s: &mut String, us: u64) {
    let secs = us / 1_000_000;
    let _ = write!(
        s,
        "{:02}:{:02}:{:02}.{:06}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        us % 1_000_000
    );
}

/// `time`: microseconds since midnight (0 ..= 24:00:00).
pub(super) fn time_text(us: i64) -> Result<String, CodecError> {
    if !(0..=USECS_PER_DAY).contains(&us) {
        return Err(CodecError::bind(format!(
            "time value out of range: {us} µs"
        )));
    }
    let mut s = String::new();
    push_hms(&mut s, us.unsigned_abs());
    Ok(s)
}

/// `timetz`: local time plus the zone in seconds **west** of UTC, as `HH:MM:SS.ffffff+HH:MM:SS`.
pub(super) fn timetz_text(us: i64, zone_west: i32) -> Result<String, CodecError> {
    let mut s = time_text(us)?;
    let east = -i64::from(zone_west);
    let abs = east.unsigned_abs();
    let _ = write!(
        s,
        "{}{:02}:{:02}:{:02}",
        if east < 0 { '-' } else { '+' },
        abs / 3600,
        abs / 60 % 60,
        abs % 60
    );
    Ok(s)
}

/// `timestamp` / `timestamptz`: µs since 2000-01-01 (UTC for timestamptz, marked `+00`) with
/// all six fractional digits; ±infinity for i64::MAX / MIN.
pub(super) fn timestamp_text(us: i64, utc: bool) -> String {
    match us {
        i64::MAX => return "infinity".to_string(),
        i64::MIN => return "-infinity".to_string(),
        _ => {}
    }
    let (mut s, bc) = ymd(us.div_euclid(USECS_PER_DAY));
    s.push(' ');
    push_hms(&mut s, us.rem_euclid(USECS_PER_DAY).unsigned_abs());
    if utc {
        s.push_str("+00");
    }
    if bc {
        s.push_str(" BC");
    }
    s
}

#[cfg(test)]
mod tests;
