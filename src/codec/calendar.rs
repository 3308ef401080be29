//! Calendar arithmetic on the proleptic Gregorian calendar (both engines' dates and
//! timestamps), and fractional seconds.

/// Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01.
pub(crate) const PG_EPOCH_DAYS_1970: i64 = 10_957;
pub(crate) const USECS_PER_SEC: i64 = 1_000_000;
pub(crate) const USECS_PER_DAY: i64 = 86_400 * USECS_PER_SEC;

/// Proleptic Gregorian (astronomical year, month, day) of a day count since 1970-01-01
/// (H. Hinnant's `civil_from_days`); year 0 is 1 BC.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of an astronomical (year, month, day) (Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days in a month of an astronomical year.
pub(crate) fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Up to six fractional digits (the text after the `.`) as microseconds; further digits must
/// be zero (never round). Empty is zero.
pub(crate) fn fraction_micros(frac: &str) -> Result<u32, &'static str> {
    if !frac.bytes().all(|c| c.is_ascii_digit()) {
        return Err("bad fractional seconds");
    }
    let (kept, rest) = frac.split_at(frac.len().min(6));
    if rest.bytes().any(|c| c != b'0') {
        return Err("more than microsecond precision");
    }
    let mut us = 0;
    for (i, c) in kept.bytes().enumerate() {
        us += u32::from(c - b'0') * 10u32.pow(5 - i as u32);
    }
    Ok(us)
}

#[cfg(test)]
mod tests;
