//! Number text helpers both engines' codecs (and SeaORM's binds) use.

use std::fmt::Write as _;

/// A leading `-` or `+` split off: (negative, the rest).
pub(crate) fn split_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

/// Unsigned decimal text `int[.frac][e|E exponent]` in its parts (none of them checked).
pub(crate) fn decimal_parts(unsigned: &str) -> (&str, &str, Option<&str>) {
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    (int, frac, exponent)
}

/// Whether `int` and `frac` are ASCII digits with at least one digit between them.
pub(crate) fn is_mantissa(int: &str, frac: &str) -> bool {
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    !(int.is_empty() && frac.is_empty()) && digits(int) && digits(frac)
}

/// `[+-]digits[.digits][e[+-]digits]` without exponent; `None` if not a decimal number. An
/// exponent beyond ±1000 is left for MySQL to read (nothing that large fits a DECIMAL).
pub(crate) fn plain_decimal(text: &str) -> Option<String> {
    let (negative, unsigned) = split_sign(text);
    let sign = if negative { "-" } else { "" };
    let (int, frac, exponent) = decimal_parts(unsigned);
    if !is_mantissa(int, frac) {
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
