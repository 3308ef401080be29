//! DATE / DATETIME / TIMESTAMP / TIME values, from the binary protocol or their text.

use super::*;

/// A date-time value independent of the protocol it came by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Temporal {
    /// year, month, day, hour, minute, second, microsecond
    Date(u16, u8, u8, u8, u8, u8, u32),
    /// negative, total hours, minute, second, microsecond
    Time(bool, u32, u8, u8, u32),
}

pub(super) fn temporal_of(value: &Value) -> Option<Temporal> {
    match *value {
        Value::Date(y, mo, d, h, mi, s, us) => Some(Temporal::Date(y, mo, d, h, mi, s, us)),
        Value::Time(neg, days, h, mi, s, us) => {
            Some(Temporal::Time(neg, days * 24 + u32::from(h), mi, s, us))
        }
        Value::Bytes(ref b) => parse_temporal_text(std::str::from_utf8(b).ok()?),
        _ => None,
    }
}

/// Parses the text protocol's `YYYY-MM-DD[ HH:MM:SS[.f]]` or `[-]H+:MM:SS[.f]`.
pub(super) fn parse_temporal_text(s: &str) -> Option<Temporal> {
    if s.len() >= 10 && s.as_bytes()[4] == b'-' {
        let (date, time) = s.split_at(10);
        let mut p = date.split('-');
        let (y, mo, d) = (
            p.next()?.parse().ok()?,
            p.next()?.parse().ok()?,
            p.next()?.parse().ok()?,
        );
        let time = time.trim_start();
        if time.is_empty() {
            return Some(Temporal::Date(y, mo, d, 0, 0, 0, 0));
        }
        let (false, h, mi, sec, us) = parse_time_text(time)? else {
            return None;
        };
        return Some(Temporal::Date(y, mo, d, u8::try_from(h).ok()?, mi, sec, us));
    }
    let (neg, h, mi, sec, us) = parse_time_text(s)?;
    Some(Temporal::Time(neg, h, mi, sec, us))
}

pub(super) fn parse_time_text(s: &str) -> Option<(bool, u32, u8, u8, u32)> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (hms, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut p = hms.split(':');
    let h = p.next()?.parse().ok()?;
    let mi = p.next()?.parse().ok()?;
    let sec = p.next()?.parse().ok()?;
    if p.next().is_some() {
        return None;
    }
    Some((neg, h, mi, sec, parse_micros(frac)?))
}

/// Fractional-second digits to microseconds (extra digits are truncated).
pub fn parse_micros(frac: &str) -> Option<u32> {
    if !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut digits: String = frac.chars().take(6).collect();
    while digits.len() < 6 {
        digits.push('0');
    }
    digits.parse().ok()
}
