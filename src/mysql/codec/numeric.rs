//! Numbers: native-endian integers and floats, BIT strings and ASCII decimals.

use aws_sdk_rdsdata::types::Field;
use diesel::mysql::MysqlType;

use super::EncodedBind;
use crate::codec::number::{decimal_parts, is_mantissa, plain_decimal, split_sign};
use crate::codec::CodecError;

// ---- binds ----

fn wrong_size(ty: MysqlType, allowed: &str, len: usize) -> CodecError {
    CodecError::bind(format!(
        "a {ty:?} parameter must be {allowed} bytes, got {len}"
    ))
}

/// A native-endian signed integer of 1, 2, 4 or 8 bytes.
pub(super) fn signed(bytes: &[u8], ty: MysqlType) -> Result<i64, CodecError> {
    Ok(match *bytes {
        [a] => i8::from_ne_bytes([a]).into(),
        [a, b] => i16::from_ne_bytes([a, b]).into(),
        [a, b, c, d] => i32::from_ne_bytes([a, b, c, d]).into(),
        [a, b, c, d, e, f, g, h] => i64::from_ne_bytes([a, b, c, d, e, f, g, h]),
        _ => return Err(wrong_size(ty, "1, 2, 4 or 8", bytes.len())),
    })
}

/// A native-endian unsigned integer of 1, 2, 4 or 8 bytes.
pub(super) fn unsigned(bytes: &[u8], ty: MysqlType) -> Result<u64, CodecError> {
    Ok(match *bytes {
        [a] => a.into(),
        [a, b] => u16::from_ne_bytes([a, b]).into(),
        [a, b, c, d] => u32::from_ne_bytes([a, b, c, d]).into(),
        [a, b, c, d, e, f, g, h] => u64::from_ne_bytes([a, b, c, d, e, f, g, h]),
        _ => return Err(wrong_size(ty, "1, 2, 4 or 8", bytes.len())),
    })
}

/// `longValue` where it fits, else the digits cast to `UNSIGNED` (BIGINT UNSIGNED).
pub(super) fn unsigned_bind(v: u64) -> EncodedBind {
    match i64::try_from(v) {
        Ok(v) => EncodedBind::plain(Field::LongValue(v)),
        Err(_) => EncodedBind::wrapped(Field::StringValue(v.to_string()), "UNSIGNED"),
    }
}

pub(super) fn float(bytes: &[u8], ty: MysqlType) -> Result<f64, CodecError> {
    Ok(match *bytes {
        [a, b, c, d] => f32::from_ne_bytes([a, b, c, d]).into(),
        [a, b, c, d, e, f, g, h] => f64::from_ne_bytes([a, b, c, d, e, f, g, h]),
        _ => return Err(wrong_size(ty, "4 or 8", bytes.len())),
    })
}

/// BIT values are big-endian bit strings (at most 64 bits); sent as the integer they spell,
/// which MySQL assigns and compares to BIT columns bit for bit.
pub(super) fn bit_bind(bytes: &[u8]) -> Result<EncodedBind, CodecError> {
    let v = bit_value(bytes).ok_or_else(|| {
        CodecError::bind(format!(
            "a Bit parameter has {} significant bytes; MySQL BIT holds at most 64 bits",
            significant(bytes).len()
        ))
    })?;
    Ok(unsigned_bind(v))
}

/// diesel's ASCII decimal (BigDecimal's `Display`, which switches to exponent form such as
/// `1E-7` for many leading or trailing zeros) as plain decimal text.
pub(super) fn decimal_text(bytes: &[u8]) -> Result<String, CodecError> {
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

// ---- results ----

/// A big-endian bit string without its leading zero bytes.
fn significant(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// A big-endian bit string of at most 64 significant bits.
pub(super) fn bit_value(bytes: &[u8]) -> Option<u64> {
    let significant = significant(bytes);
    (significant.len() <= 8).then(|| {
        significant
            .iter()
            .fold(0u64, |acc, b| acc << 8 | u64::from(*b))
    })
}

/// `[+-]digits[.digits][e[+-]digits]`, at least one digit in the mantissa, and an exponent
/// that leaves the scale (digits after the point, minus the exponent) within `i64`: diesel's
/// `BigDecimal` refuses a larger one, and no DECIMAL comes near it (found by fuzzing).
pub(super) fn is_decimal(s: &str) -> bool {
    let (_, unsigned) = split_sign(s);
    let (int, frac, exponent) = decimal_parts(unsigned);
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = split_sign(e).1;
        let scale = e
            .parse::<i128>()
            .ok()
            .and_then(|e| (frac.len() as i128).checked_sub(e))
            .and_then(|scale| i64::try_from(scale).ok());
        !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) && scale.is_some()
    });
    is_mantissa(int, frac) && exponent_ok
}

#[cfg(test)]
mod tests;
