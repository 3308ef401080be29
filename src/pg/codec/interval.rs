//! interval: (µs, days, months) ↔ PostgreSQL's text forms.

use std::fmt::Write as _;

use super::datetime::{digits_u64, push_hms};
use crate::codec::calendar::{fraction_micros, USECS_PER_SEC};
use crate::codec::number::{is_mantissa, split_sign};

/// `interval` text → (µs, days, months). Accepts PostgreSQL's `postgres` style
/// (`1 year 2 mons -3 days +04:05:06.5`), `postgres_verbose` (`@ 1 year 2 mons 6.5 secs ago`)
/// and `iso_8601` (`P1Y2M3DT4H5M6.5S`) output, and `infinity` / `-infinity` (PostgreSQL 17).
pub(super) fn parse_interval(s: &str) -> Result<(i64, i32, i32), &'static str> {
    let t = s.trim();
    match t.to_ascii_lowercase().as_str() {
        "infinity" | "+infinity" => return Ok((i64::MAX, i32::MAX, i32::MAX)),
        "-infinity" => return Ok((i64::MIN, i32::MIN, i32::MIN)),
        _ => {}
    }
    let mut acc = IntervalAcc::default();
    if let Some(iso) = t.strip_prefix('P') {
        parse_iso_interval(iso, &mut acc)?;
    } else {
        let t = t.strip_prefix('@').unwrap_or(t);
        let mut tokens: Vec<&str> = t.split_whitespace().collect();
        let ago = tokens.last().is_some_and(|w| w.eq_ignore_ascii_case("ago"));
        if ago {
            tokens.pop();
        }
        if tokens.is_empty() {
            return Err("empty interval");
        }
        // postgres_verbose prints a zero interval as `@ 0`.
        if tokens == ["0"] {
            return Ok((0, 0, 0));
        }
        let mut i = 0;
        while i < tokens.len() {
            let tok = tokens[i];
            if tok.contains(':') {
                let (negative, body) = split_sign(tok);
                let us = parse_interval_time(body)?;
                add_checked(&mut acc.us, if negative { -us } else { us })?;
                i += 1;
            } else {
                let unit = tokens.get(i + 1).ok_or("a number without a unit")?;
                acc.add(tok, unit)?;
                i += 2;
            }
        }
        if ago {
            acc = IntervalAcc {
                us: -acc.us,
                days: -acc.days,
                months: -acc.months,
            };
        }
    }
    acc.finish()
}

#[derive(Default)]
struct IntervalAcc {
    us: i128,
    days: i128,
    months: i128,
}

impl IntervalAcc {
    /// Adds `number unit`.
    fn add(&mut self, number: &str, unit: &str) -> Result<(), &'static str> {
        enum Target {
            Months,
            Days,
            Micros,
        }
        let unit = unit.to_ascii_lowercase();
        let unit = unit.trim_end_matches(',');
        let (target, factor): (Target, i128) = match unit {
            "year" | "years" | "yr" | "yrs" | "y" => (Target::Months, 12),
            "mon" | "mons" | "month" | "months" => (Target::Months, 1),
            "week" | "weeks" | "w" => (Target::Days, 7),
            "day" | "days" | "d" => (Target::Days, 1),
            "hour" | "hours" | "hr" | "hrs" | "h" => (Target::Micros, 3_600_000_000),
            "minute" | "minutes" | "min" | "mins" | "m" => (Target::Micros, 60_000_000),
            "second" | "seconds" | "sec" | "secs" | "s" => (Target::Micros, 1_000_000),
            "millisecond" | "milliseconds" | "msec" | "msecs" | "ms" => (Target::Micros, 1_000),
            "microsecond" | "microseconds" | "usec" | "usecs" | "us" => (Target::Micros, 1),
            _ => return Err("unknown interval unit"),
        };
        match target {
            Target::Months => add_checked(&mut self.months, scaled(number, factor, true)?),
            Target::Days => add_checked(&mut self.days, scaled(number, factor, true)?),
            Target::Micros => add_checked(&mut self.us, scaled(number, factor, false)?),
        }
    }

    fn finish(self) -> Result<(i64, i32, i32), &'static str> {
        Ok((
            i64::try_from(self.us).map_err(|_| "interval out of range")?,
            i32::try_from(self.days).map_err(|_| "interval out of range")?,
            i32::try_from(self.months).map_err(|_| "interval out of range")?,
        ))
    }
}

/// `*field += value`, kept far from i128 overflow (the result must fit i64 / i32 anyway).
fn add_checked(field: &mut i128, value: i128) -> Result<(), &'static str> {
    const LIMIT: i128 = 1 << 100;
    match field.checked_add(value) {
        Some(v) if v.abs() < LIMIT => {
            *field = v;
            Ok(())
        }
        _ => Err("interval out of range"),
    }
}

/// `[-]int[.frac]` × factor, exactly; a fraction that does not come out whole is rejected for
/// month / day fields (PostgreSQL would spill it into smaller units) and rounded for µs.
fn scaled(number: &str, factor: i128, exact_only: bool) -> Result<i128, &'static str> {
    let (negative, body) = split_sign(number);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if !is_mantissa(int, frac) || int.len() > 30 {
        return Err("bad number in interval");
    }
    let int: i128 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| "bad number")?
    };
    let frac = &frac[..frac.len().min(18)];
    let mut value = int.checked_mul(factor).ok_or("interval out of range")?;
    if !frac.is_empty() {
        let denominator = 10i128.pow(frac.len() as u32);
        let numerator = frac.parse::<i128>().map_err(|_| "bad number")? * factor;
        if exact_only && numerator % denominator != 0 {
            return Err("fractional months or days are not supported");
        }
        value = value
            .checked_add((numerator * 2 + denominator) / (2 * denominator))
            .ok_or("interval out of range")?;
    }
    Ok(if negative { -value } else { value })
}

/// `H:MM[:SS[.ffffff]]` with any number of hours → µs.
fn parse_interval_time(s: &str) -> Result<i128, &'static str> {
    let mut parts = s.splitn(3, ':');
    let h = parts.next().unwrap_or_default();
    if h.is_empty() || h.len() > 20 || !h.bytes().all(|c| c.is_ascii_digit()) {
        return Err("bad hours");
    }
    let h: i128 = h.parse().map_err(|_| "bad hours")?;
    let m = digits_u64(parts.next().ok_or("bad time")?)?;
    let (sec, frac) = match parts.next() {
        Some(rest) => rest.split_once('.').unwrap_or((rest, "")),
        None => ("0", ""),
    };
    let sec = digits_u64(sec)?;
    if m > 59 || sec > 59 {
        return Err("time field out of range");
    }
    Ok(h * 3_600_000_000
        + i128::from(m * 60 + sec) * i128::from(USECS_PER_SEC)
        + i128::from(fraction_micros(frac)?))
}

/// ISO 8601 `[-]nY[-]nM[-]nW[-]nDT[-]nH[-]nM[-]n.nS` (after the `P`).
fn parse_iso_interval(s: &str, acc: &mut IntervalAcc) -> Result<(), &'static str> {
    let mut time = false;
    let mut rest = s;
    if rest.is_empty() {
        return Err("empty ISO 8601 interval");
    }
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix(['T', 't']) {
            time = true;
            rest = r;
            continue;
        }
        let end = rest
            .find(|c: char| c.is_ascii_alphabetic())
            .ok_or("ISO 8601 number without designator")?;
        let (number, tail) = rest.split_at(end);
        let designator = tail.as_bytes()[0].to_ascii_uppercase();
        let unit = match (time, designator) {
            (false, b'Y') => "year",
            (false, b'M') => "mon",
            (false, b'W') => "week",
            (false, b'D') => "day",
            (true, b'H') => "hour",
            (true, b'M') => "min",
            (true, b'S') => "sec",
            _ => return Err("bad ISO 8601 designator"),
        };
        acc.add(number, unit)?;
        rest = &tail[1..];
    }
    Ok(())
}

/// `interval` in an input form every PostgreSQL version and `IntervalStyle` parses exactly:
/// every field carries its own sign (`+1 mons -2 days +03:04:05.000006`), so no sign is
/// inherited, and the time is `H:MM:SS.ffffff` (integer parsing; PostgreSQL < 15 limits
/// the hour field to `i32`, ~245,000 years). The one exception is `i64::MIN` µs, whose
/// magnitude PostgreSQL cannot read as `H:MM:SS` (it parses the unsigned time, then negates,
/// and 2^63 µs overflows): it is written as `-9223372036854775808 usec`, which it reads.
pub(super) fn interval_text(us: i64, days: i32, months: i32) -> String {
    // PostgreSQL 17's infinite intervals.
    if (us, days, months) == (i64::MAX, i32::MAX, i32::MAX) {
        return "infinity".to_string();
    }
    if (us, days, months) == (i64::MIN, i32::MIN, i32::MIN) {
        return "-infinity".to_string();
    }
    let sign = |negative: bool| if negative { '-' } else { '+' };
    let mut s = format!(
        "{}{} mons {}{} days {}",
        sign(months < 0),
        months.unsigned_abs(),
        sign(days < 0),
        days.unsigned_abs(),
        sign(us < 0)
    );
    if us == i64::MIN {
        let _ = write!(s, "{} usec", us.unsigned_abs());
    } else {
        push_hms(&mut s, us.unsigned_abs());
    }
    s
}

#[cfg(test)]
mod tests;
