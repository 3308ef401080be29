//! Dates, times, timestamps and intervals as PostgreSQL prints them (ISO DateStyle).

use super::*;

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01, with astronomical
/// years (0 = 1 BC); H. Hinnant's `civil_from_days`.
pub(super) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `YYYY-MM-DD` and whether the year is BC (PostgreSQL prints `0044-03-15 BC`).
pub(super) fn ymd(days_since_2000: i64) -> (String, bool) {
    let (y, m, d) = civil_from_days(days_since_2000 + EPOCH_DAYS_1970);
    let bc = y <= 0;
    let year = if bc { 1 - y } else { y };
    (format!("{year:04}-{m:02}-{d:02}"), bc)
}

/// `date` (days since 2000-01-01) as `YYYY-MM-DD`, `… BC`, `infinity` or `-infinity`.
pub fn date_text(days: i32) -> String {
    match days {
        i32::MAX => "infinity".into(),
        i32::MIN => "-infinity".into(),
        _ => {
            let (date, bc) = ymd(days.into());
            if bc {
                format!("{date} BC")
            } else {
                date
            }
        }
    }
}

/// `HH:MM:SS[.ffffff]` of microseconds, trailing fractional zeros stripped; hours may exceed 23.
pub(super) fn push_hms(s: &mut String, us: u64) {
    let secs = us / 1_000_000;
    let _ = write!(
        s,
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    push_fraction(s, us % 1_000_000);
}

pub(super) fn push_fraction(s: &mut String, micros: u64) {
    if micros != 0 {
        let frac = format!("{micros:06}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
}

/// `time` (microseconds since midnight).
pub fn time_text(us: i64) -> String {
    let mut s = String::new();
    push_hms(&mut s, us.max(0) as u64);
    s
}

/// `timetz` converted to UTC with the offset dropped (the zone is in seconds west of UTC).
pub fn timetz_utc_text(us: i64, zone_west_secs: i32) -> String {
    time_text((us + i64::from(zone_west_secs) * 1_000_000).rem_euclid(USECS_PER_DAY))
}

/// `timestamp` / `timestamptz` (microseconds since 2000-01-01 00:00, UTC for timestamptz) as
/// `YYYY-MM-DD HH:MM:SS[.ffffff]`, no zone.
pub fn timestamp_text(us: i64) -> String {
    match us {
        i64::MAX => "infinity".into(),
        i64::MIN => "-infinity".into(),
        _ => {
            let (mut s, bc) = ymd(us.div_euclid(USECS_PER_DAY));
            s.push(' ');
            push_hms(&mut s, us.rem_euclid(USECS_PER_DAY) as u64);
            if bc {
                s.push_str(" BC");
            }
            s
        }
    }
}

/// `interval` as PostgreSQL prints it with the default `IntervalStyle = postgres`
/// (`EncodeInterval`, INTSTYLE_POSTGRES): `1 year 2 mons 3 days 04:05:06.789`, `-1 days +02:00:00`.
pub fn interval_text(us: i64, days: i32, months: i32) -> String {
    // PostgreSQL 17 infinite intervals.
    if (us, days, months) == (i64::MAX, i32::MAX, i32::MAX) {
        return "infinity".into();
    }
    if (us, days, months) == (i64::MIN, i32::MIN, i32::MIN) {
        return "-infinity".into();
    }
    let mut s = String::new();
    let mut is_zero = true;
    let mut is_before = false;
    // Each nonzero part gets a "+" when the part before it was negative, as PostgreSQL does.
    let mut part = |s: &mut String, value: i64, unit: &str| {
        if value == 0 {
            return;
        }
        let plus = if is_before && value > 0 { "+" } else { "" };
        let space = if is_zero { "" } else { " " };
        let plural = if value != 1 { "s" } else { "" };
        let _ = write!(s, "{space}{plus}{value} {unit}{plural}");
        is_before = value < 0;
        is_zero = false;
    };
    part(&mut s, i64::from(months / 12), "year");
    part(&mut s, i64::from(months % 12), "mon");
    part(&mut s, i64::from(days), "day");
    if is_zero || us != 0 {
        if !is_zero {
            s.push(' ');
        }
        if us < 0 {
            s.push('-');
        } else if is_before {
            s.push('+');
        }
        push_hms(&mut s, us.unsigned_abs());
    }
    s
}
