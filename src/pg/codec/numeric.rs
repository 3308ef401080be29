//! Numbers: integers, float4 / float8, numeric (base-10000 binary ↔ exact decimal text) and
//! money (cents).

use std::fmt::Write as _;

use aws_sdk_rdsdata::types::Field;

use super::{invalid, mismatch, Reader};
use crate::codec::number::{decimal_parts, is_mantissa, split_sign};
use crate::codec::CodecError;

// ---- integers and floats ----

/// An integer from a `longValue`, or from a `stringValue` (`longReturnType = STRING`).
pub(super) fn integer(field: &Field, type_name: &str) -> Result<i64, CodecError> {
    match field {
        Field::LongValue(v) => Ok(*v),
        Field::StringValue(s) => s
            .trim()
            .parse::<i64>()
            .map_err(|e| invalid(type_name, s, &e.to_string())),
        other => Err(mismatch(type_name, other)),
    }
}

pub(super) fn parse_float<F: std::str::FromStr>(s: &str, type_name: &str) -> Result<F, CodecError> {
    // Rust accepts NaN / inf / Infinity case-insensitively, as PostgreSQL prints them.
    s.trim()
        .parse::<F>()
        .map_err(|_| invalid(type_name, s, "not a floating-point number"))
}

/// JSON cannot carry NaN / ±Infinity: they go as the strings PostgreSQL's float input takes.
pub(crate) fn double_field(f: f64) -> Field {
    if f.is_finite() {
        Field::DoubleValue(f)
    } else {
        Field::StringValue(special_float(f).to_string())
    }
}

fn special_float(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
}

/// Shortest round-trip decimal (`{:?}` switches to exponent form for extreme magnitudes,
/// which float input accepts); `f32` values are printed as `f32` so float4 parses back exactly.
pub(super) fn float_text(f: f64, single: bool) -> String {
    if !f.is_finite() {
        special_float(f).to_string()
    } else if single {
        format!("{:?}", f as f32)
    } else {
        format!("{f:?}")
    }
}

// ---- numeric ----

const NUMERIC_NEG: u16 = 0x4000;

fn numeric_header(ndigits: u16, weight: i16, sign: u16, dscale: u16) -> Vec<u8> {
    let mut v = Vec::with_capacity(8 + 2 * usize::from(ndigits));
    v.extend_from_slice(&ndigits.to_be_bytes());
    v.extend_from_slice(&weight.to_be_bytes());
    v.extend_from_slice(&sign.to_be_bytes());
    v.extend_from_slice(&dscale.to_be_bytes());
    v
}

/// Decimal text (`-123.4500`, `1e5`, `NaN`, `Infinity`) → PostgreSQL's binary numeric with
/// dscale = the digits after the point, in canonical form (no leading / trailing zero digits).
pub(super) fn numeric_bytes(s: &str, type_name: &str) -> Result<Vec<u8>, CodecError> {
    let t = s.trim();
    match t.to_ascii_lowercase().as_str() {
        "nan" => return Ok(numeric_header(0, 0, 0xC000, 0)),
        "infinity" | "+infinity" | "inf" | "+inf" => return Ok(numeric_header(0, 0, 0xD000, 0)),
        "-infinity" | "-inf" => return Ok(numeric_header(0, 0, 0xF000, 0)),
        _ => {}
    }
    let bad = |why: &str| invalid(type_name, s, why);
    let (negative, unsigned) = split_sign(t);
    let (int, frac, exponent) = decimal_parts(unsigned);
    let exponent = match exponent {
        Some(e) => e
            .parse::<i64>()
            .ok()
            .filter(|e| e.abs() <= 1_000_000)
            .ok_or_else(|| bad("bad exponent"))?,
        None => 0,
    };
    if !is_mantissa(int, frac) {
        return Err(bad("not a decimal number"));
    }
    let dscale = u16::try_from((frac.len() as i64 - exponent).max(0))
        .map_err(|_| bad("too many digits after the decimal point"))?;
    let digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|c| c - b'0').collect();
    // Value = 0.d1d2d3… × 10^point.
    let mut point = int.len() as i64 + exponent;
    let leading = digits.iter().take_while(|d| **d == 0).count();
    point -= leading as i64;
    let digits = &digits[leading..];
    let trailing = digits.iter().rev().take_while(|d| **d == 0).count();
    let digits = &digits[..digits.len() - trailing];
    if digits.is_empty() {
        return Ok(numeric_header(0, 0, 0, dscale));
    }
    // The first digit has decimal exponent point-1; pad it to the top of its base-10000 group.
    let first_exp = point - 1;
    let weight = i16::try_from(first_exp.div_euclid(4)).map_err(|_| bad("out of numeric range"))?;
    let pad = (3 - first_exp.rem_euclid(4)) as usize;
    let mut padded = vec![0u8; pad];
    padded.extend_from_slice(digits);
    while !padded.len().is_multiple_of(4) {
        padded.push(0);
    }
    let groups: Vec<i16> = padded
        .chunks(4)
        .map(|c| c.iter().fold(0i16, |acc, d| acc * 10 + i16::from(*d)))
        .collect();
    let ndigits = u16::try_from(groups.len()).map_err(|_| bad("too many digits"))?;
    let sign = if negative { NUMERIC_NEG } else { 0 };
    let mut v = numeric_header(ndigits, weight, sign, dscale);
    for g in groups {
        v.extend_from_slice(&g.to_be_bytes());
    }
    Ok(v)
}

/// `numeric` binary (u16 ndigits, i16 weight, u16 sign, u16 dscale, base-10000 digits) as
/// exact decimal text with `dscale` fractional digits (PostgreSQL's `get_str_from_var`:
/// digits beyond dscale are truncated, as `numeric_recv` does).
pub(super) fn numeric_text(bytes: &[u8]) -> Result<String, CodecError> {
    let mut r = Reader::new(bytes, "numeric");
    let ndigits = usize::from(r.u16()?);
    let weight = i64::from(r.i16()?);
    let sign = r.u16()?;
    let dscale = usize::from(r.u16()?);
    let mut digits = Vec::with_capacity(ndigits);
    for _ in 0..ndigits {
        let d = r.i16()?;
        if !(0..10_000).contains(&d) {
            return Err(r.malformed("base-10000 digit out of range"));
        }
        digits.push(d);
    }
    r.finish()?;
    let negative = match sign {
        0x0000 => false,
        0x4000 => true,
        0xC000 => return Ok("NaN".to_string()),
        0xD000 => return Ok("Infinity".to_string()),
        0xF000 => return Ok("-Infinity".to_string()),
        other => {
            return Err(CodecError::bind(format!(
                "invalid numeric sign 0x{other:04X}"
            )))
        }
    };
    let digit = |i: i64| -> i16 {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.get(i))
            .copied()
            .unwrap_or(0)
    };
    let mut int_part = String::new();
    for i in 0..=weight {
        let _ = write!(int_part, "{:04}", digit(i));
    }
    let int_part = int_part.trim_start_matches('0');
    let mut s = String::with_capacity(int_part.len() + dscale + 3);
    if negative {
        s.push('-');
    }
    s.push_str(if int_part.is_empty() { "0" } else { int_part });
    if dscale > 0 {
        s.push('.');
        let start = s.len();
        let mut i = weight + 1;
        while s.len() - start < dscale {
            let _ = write!(s, "{:04}", digit(i));
            i += 1;
        }
        s.truncate(start + dscale);
    }
    Ok(s)
}

// ---- money ----

/// `money` text in the C / en_US style (`$1,234.56`, `-$1.00`, `($1.00)`, `12.5`) → cents.
pub(super) fn parse_money(s: &str) -> Option<i64> {
    let mut t = s.trim();
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        t = inner.trim();
    }
    if let Some(rest) = t.strip_prefix('-') {
        negative = !negative;
        t = rest.trim_start();
    }
    t = t.strip_prefix('$').unwrap_or(t);
    if let Some(rest) = t.strip_prefix('-') {
        negative = !negative;
        t = rest;
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() || frac.len() > 2 || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int: String = int.chars().filter(|c| *c != ',').collect();
    if int.is_empty() || !int.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Checked: 38 digits fit an i128 but not a hundred times them.
    let cents = int
        .parse::<i128>()
        .ok()?
        .checked_mul(100)?
        .checked_add(format!("{frac:0<2}").parse::<i128>().ok()?)?;
    i64::try_from(if negative { -cents } else { cents }).ok()
}

/// `money` is an i64 count of cents; PostgreSQL's money input uses `lc_monetary`, which is
/// two fractional digits in the C / en_US locales Aurora uses.
pub(super) fn money_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests;
