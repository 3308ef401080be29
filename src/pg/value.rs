//! Result values: Data API `Field` + the column's `typeName` → the exact binary bytes (and OID)
//! diesel's `FromSql<_, Pg>` impls expect, i.e. what PostgreSQL's binary protocol would have
//! sent: big-endian, exact widths (int2 = 2 bytes even though the Data API sends a `longValue`),
//! dates from 2000-01-01, numeric in base-10000 digits, jsonb with its version byte, 1-D arrays
//! with the 20-byte header.
//!
//! Strings are parsed in the forms PostgreSQL prints them (default `DateStyle = ISO`,
//! `IntervalStyle = postgres`), and leniently in the obvious variants (ISO `T`, offsets,
//! `postgres_verbose` / ISO 8601 intervals), because the real Data API's exact formats are
//! partly unverified. Anything that does not parse is an error, never a guessed value.

use std::net::IpAddr;

use aws_sdk_rdsdata::types::{ArrayValue, Field};

use super::types::{
    builtin_by_array_oid, builtin_by_name, builtin_by_oid, BuiltinType, Kind, TEXT_ARRAY_OID,
    TEXT_OID,
};
use crate::codec::calendar::{
    days_from_civil, days_in_month, fraction_micros, PG_EPOCH_DAYS_1970, USECS_PER_DAY,
    USECS_PER_SEC,
};
use crate::codec::{field_kind, CodecError};

/// One decoded value: diesel's binary bytes and the OID to hand to `PgValue::new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawValue {
    /// Binary-format bytes, as PostgreSQL would send them.
    pub bytes: Vec<u8>,
    /// The value's type OID (never 0); `text` for types unknown to this crate (enums, citext).
    pub oid: u32,
}

/// Decodes one result field of a column whose `columnMetadata.typeName` is `type_name`;
/// `Ok(None)` for SQL NULL.
#[cfg(test)]
pub fn decode_field(field: &Field, type_name: &str) -> Result<Option<RawValue>, CodecError> {
    decode_field_expecting(field, type_name, None)
}

/// Like [`decode_field`], with the OID diesel expects for the column (from
/// `QueryMetadata::row_metadata` in a sync `load`). It is used only when `type_name` is not a
/// built-in type, e.g. a domain over `int4`, whose width the `typeName` does not reveal.
#[cfg(test)]
pub fn decode_field_expecting(
    field: &Field,
    type_name: &str,
    expected_oid: Option<u32>,
) -> Result<Option<RawValue>, CodecError> {
    decode_with(field, type_name, &column_type(type_name, expected_oid))
}

fn decode_with(
    field: &Field,
    type_name: &str,
    column: &Column,
) -> Result<Option<RawValue>, CodecError> {
    if let Field::IsNull(is_null) = field {
        return if *is_null {
            Ok(None)
        } else {
            Err(CodecError::result(format!(
                "a {type_name} column has isNull: false, which is not a value"
            )))
        };
    }
    match column {
        Column::Scalar(Some(t)) => Ok(Some(RawValue {
            bytes: scalar_bytes(t, field, type_name)?,
            oid: t.oid,
        })),
        Column::Scalar(None) if matches!(field, Field::ArrayValue(_)) => {
            array_value(None, field, type_name).map(Some)
        }
        Column::Scalar(None) => unknown_value(field, type_name).map(Some),
        Column::Array(element) => array_value(*element, field, type_name).map(Some),
    }
}

/// The decoder of one result column, resolved once from its `typeName` so a load does not
/// look the type up again for every value.
pub(crate) struct ColumnDecoder {
    type_name: String,
    column: Column,
}

impl ColumnDecoder {
    /// Resolves the column's type (`expected_oid` from `row_metadata` where known).
    pub(crate) fn new(type_name: &str, expected_oid: Option<u32>) -> Self {
        ColumnDecoder {
            type_name: type_name.to_string(),
            column: column_type(type_name, expected_oid),
        }
    }

    /// Decodes one value, moving text into place instead of copying it.
    pub(crate) fn decode(&self, field: Field) -> Result<Option<RawValue>, CodecError> {
        let text_oid = match &self.column {
            Column::Scalar(Some(t)) if matches!(t.kind, Kind::Text | Kind::Json) => Some(t.oid),
            Column::Scalar(None) => Some(TEXT_OID),
            _ => None,
        };
        match (field, text_oid) {
            (Field::StringValue(s), Some(oid)) => Ok(Some(RawValue {
                bytes: s.into_bytes(),
                oid,
            })),
            (field, _) => decode_with(&field, &self.type_name, &self.column),
        }
    }
}

enum Column {
    /// A built-in scalar, or `None` for a type unknown here (enum, citext, domain, …).
    Scalar(Option<&'static BuiltinType>),
    /// An array of a built-in element, or of an unknown one.
    Array(Option<&'static BuiltinType>),
}

fn column_type(type_name: &str, expected_oid: Option<u32>) -> Column {
    let name = type_name.trim();
    if let Some(t) = builtin_by_name(name) {
        return Column::Scalar(Some(t));
    }
    let element = name.strip_prefix('_').or_else(|| name.strip_suffix("[]"));
    if let Some(element) = element {
        return Column::Array(builtin_by_name(element));
    }
    match expected_oid {
        Some(oid) if builtin_by_oid(oid).is_some() => Column::Scalar(builtin_by_oid(oid)),
        Some(oid) if builtin_by_array_oid(oid).is_some() => {
            Column::Array(builtin_by_array_oid(oid))
        }
        _ => Column::Scalar(None),
    }
}

/// Values of types unknown here keep their natural binary form: strings as text, numbers as
/// int8 / float8.
fn unknown_value(field: &Field, type_name: &str) -> Result<RawValue, CodecError> {
    let (bytes, oid) = match field {
        Field::StringValue(s) => (s.as_bytes().to_vec(), TEXT_OID),
        Field::LongValue(v) => (v.to_be_bytes().to_vec(), 20),
        Field::DoubleValue(v) => (v.to_be_bytes().to_vec(), 701),
        Field::BooleanValue(v) => (vec![u8::from(*v)], 16),
        Field::BlobValue(b) => (b.as_ref().to_vec(), 17),
        other => return Err(mismatch(type_name, other)),
    };
    Ok(RawValue { bytes, oid })
}

// ---- errors ----

fn mismatch(type_name: &str, field: &Field) -> CodecError {
    CodecError::result(format!(
        "a {type_name} column cannot hold {}",
        field_kind(field)
    ))
}

fn invalid(type_name: &str, text: &str, why: &str) -> CodecError {
    let mut shown: String = text.chars().take(64).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    CodecError::result(format!("invalid {type_name} value {shown:?}: {why}"))
}

// ---- scalars ----

fn scalar_bytes(t: &BuiltinType, field: &Field, type_name: &str) -> Result<Vec<u8>, CodecError> {
    let text = match field {
        Field::StringValue(s) => Some(s.as_str()),
        _ => None,
    };
    let need_text = || text.ok_or_else(|| mismatch(type_name, field));
    Ok(match t.kind {
        Kind::Bool => match field {
            Field::BooleanValue(b) => vec![u8::from(*b)],
            _ => vec![u8::from(parse_bool(need_text()?).ok_or_else(|| {
                invalid(type_name, text.unwrap_or_default(), "not a boolean")
            })?)],
        },
        Kind::Int2 => {
            let v = integer(field, type_name)?;
            i16::try_from(v)
                .map_err(|_| CodecError::result(format!("{v} is out of range for {type_name}")))?
                .to_be_bytes()
                .to_vec()
        }
        Kind::Int4 => {
            let v = integer(field, type_name)?;
            i32::try_from(v)
                .map_err(|_| CodecError::result(format!("{v} is out of range for {type_name}")))?
                .to_be_bytes()
                .to_vec()
        }
        Kind::Int8 => integer(field, type_name)?.to_be_bytes().to_vec(),
        Kind::Oid => {
            let v = integer(field, type_name)?;
            u32::try_from(v)
                .map_err(|_| CodecError::result(format!("{v} is out of range for {type_name}")))?
                .to_be_bytes()
                .to_vec()
        }
        Kind::Float4 => match field {
            // The server prints a float4 as its shortest decimal, which rounds back exactly.
            Field::DoubleValue(v) if v.is_finite() && (*v as f32).is_infinite() => {
                return Err(CodecError::result(format!(
                    "{v} is out of range for {type_name}"
                )))
            }
            Field::DoubleValue(v) => (*v as f32).to_be_bytes().to_vec(),
            Field::LongValue(v) => (*v as f32).to_be_bytes().to_vec(),
            Field::StringValue(s) => parse_float::<f32>(s, type_name)?.to_be_bytes().to_vec(),
            other => return Err(mismatch(type_name, other)),
        },
        Kind::Float8 => match field {
            Field::DoubleValue(v) => v.to_be_bytes().to_vec(),
            Field::LongValue(v) => (*v as f64).to_be_bytes().to_vec(),
            Field::StringValue(s) => parse_float::<f64>(s, type_name)?.to_be_bytes().to_vec(),
            other => return Err(mismatch(type_name, other)),
        },
        Kind::Numeric => match field {
            Field::StringValue(s) => numeric_bytes(s, type_name)?,
            // decimalReturnType = DOUBLE_OR_LONG
            Field::LongValue(v) => numeric_bytes(&v.to_string(), type_name)?,
            Field::DoubleValue(v) if v.is_nan() => numeric_bytes("NaN", type_name)?,
            Field::DoubleValue(v) if v.is_infinite() => {
                numeric_bytes(if *v > 0.0 { "Infinity" } else { "-Infinity" }, type_name)?
            }
            // Display prints the shortest exact decimal without exponent.
            Field::DoubleValue(v) => numeric_bytes(&v.to_string(), type_name)?,
            other => return Err(mismatch(type_name, other)),
        },
        Kind::Money => match field {
            Field::StringValue(s) => parse_money(s)
                .ok_or_else(|| invalid(type_name, s, "not a money amount"))?
                .to_be_bytes()
                .to_vec(),
            Field::DoubleValue(v) => {
                let cents = (v * 100.0).round();
                if !(cents.is_finite() && cents.abs() < 9.2e18) {
                    return Err(CodecError::result(format!("{v} is out of range for money")));
                }
                (cents as i64).to_be_bytes().to_vec()
            }
            other => return Err(mismatch(type_name, other)),
        },
        Kind::Text | Kind::Json => need_text()?.as_bytes().to_vec(),
        Kind::Jsonb => {
            let s = need_text()?;
            let mut v = Vec::with_capacity(s.len() + 1);
            v.push(1);
            v.extend_from_slice(s.as_bytes());
            v
        }
        Kind::Char => vec![parse_char(need_text()?)
            .ok_or_else(|| invalid(type_name, text.unwrap_or_default(), "not a single byte"))?],
        Kind::Bytea => match field {
            Field::BlobValue(b) => b.as_ref().to_vec(),
            Field::StringValue(s) => {
                parse_bytea(s).ok_or_else(|| invalid(type_name, s, "not bytea text"))?
            }
            other => return Err(mismatch(type_name, other)),
        },
        Kind::Uuid => {
            let s = need_text()?;
            uuid::Uuid::try_parse(s.trim())
                .map_err(|e| invalid(type_name, s, &e.to_string()))?
                .as_bytes()
                .to_vec()
        }
        Kind::Date => {
            let s = need_text()?;
            parse_date(s)
                .map_err(|why| invalid(type_name, s, why))?
                .to_be_bytes()
                .to_vec()
        }
        Kind::Time => {
            let s = need_text()?;
            parse_time(s.trim())
                .map_err(|why| invalid(type_name, s, why))?
                .to_be_bytes()
                .to_vec()
        }
        Kind::TimeTz => {
            let s = need_text()?;
            let (us, offset) = parse_timetz(s.trim()).map_err(|why| invalid(type_name, s, why))?;
            let mut v = us.to_be_bytes().to_vec();
            // The binary zone is seconds *west* of UTC.
            v.extend_from_slice(&(-offset).to_be_bytes());
            v
        }
        Kind::Timestamp | Kind::TimestampTz => {
            let s = need_text()?;
            parse_timestamp(s, t.kind == Kind::TimestampTz)
                .map_err(|why| invalid(type_name, s, why))?
                .to_be_bytes()
                .to_vec()
        }
        Kind::Interval => {
            let s = need_text()?;
            let (us, days, months) = parse_interval(s).map_err(|why| invalid(type_name, s, why))?;
            let mut v = Vec::with_capacity(16);
            v.extend_from_slice(&us.to_be_bytes());
            v.extend_from_slice(&days.to_be_bytes());
            v.extend_from_slice(&months.to_be_bytes());
            v
        }
        Kind::Inet | Kind::Cidr => {
            let s = need_text()?;
            parse_inet(s, t.kind == Kind::Cidr).map_err(|why| invalid(type_name, s, why))?
        }
        Kind::MacAddr | Kind::MacAddr8 => {
            let s = need_text()?;
            let len = if t.kind == Kind::MacAddr { 6 } else { 8 };
            parse_mac(s, len).ok_or_else(|| invalid(type_name, s, "not a MAC address"))?
        }
        Kind::PgLsn => {
            let s = need_text()?;
            parse_lsn(s)
                .ok_or_else(|| invalid(type_name, s, "not an LSN (X/X)"))?
                .to_be_bytes()
                .to_vec()
        }
        Kind::Range(element) => {
            let s = need_text()?;
            let mut p = Parser::new(s);
            let bytes = parse_range(&mut p, element).map_err(|why| invalid(type_name, s, &why))?;
            p.skip_ws();
            if !p.at_end() {
                return Err(invalid(type_name, s, "trailing characters"));
            }
            bytes
        }
        Kind::Multirange(element) => {
            let s = need_text()?;
            parse_multirange(s, element).map_err(|why| invalid(type_name, s, &why))?
        }
        Kind::Record => {
            return Err(CodecError::result(
                "record values cannot be decoded (the Data API sends their text without field \
                 types); select the fields as separate columns",
            ))
        }
    })
}

/// An integer from a `longValue`, or from a `stringValue` (`longReturnType = STRING`).
fn integer(field: &Field, type_name: &str) -> Result<i64, CodecError> {
    match field {
        Field::LongValue(v) => Ok(*v),
        Field::StringValue(s) => s
            .trim()
            .parse::<i64>()
            .map_err(|e| invalid(type_name, s, &e.to_string())),
        other => Err(mismatch(type_name, other)),
    }
}

fn parse_float<F: std::str::FromStr>(s: &str, type_name: &str) -> Result<F, CodecError> {
    // Rust accepts NaN / inf / Infinity case-insensitively, as PostgreSQL prints them.
    s.trim()
        .parse::<F>()
        .map_err(|_| invalid(type_name, s, "not a floating-point number"))
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "t" | "true" | "y" | "yes" | "on" | "1" => Some(true),
        "f" | "false" | "n" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// `"char"`: empty = NUL, `\ooo` = that byte, else a single ASCII character.
fn parse_char(s: &str) -> Option<u8> {
    let b = s.as_bytes();
    match b {
        [] => Some(0),
        [c] => Some(*c),
        [b'\\', o @ ..] if o.len() == 3 && o.iter().all(|c| (b'0'..=b'7').contains(c)) => {
            u8::from_str_radix(std::str::from_utf8(o).ok()?, 8).ok()
        }
        _ => None,
    }
}

/// bytea text: hex (`\x0aff`, whitespace between pairs allowed) or the escape format.
fn parse_bytea(s: &str) -> Option<Vec<u8>> {
    if let Some(hex) = s.strip_prefix("\\x") {
        let digits: Vec<u8> = hex.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
        if digits.len() % 2 != 0 {
            return None;
        }
        return digits
            .chunks(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
            .collect();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
        } else if b.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else {
            let octal = b.get(i + 1..i + 4)?;
            if !octal.iter().all(|c| (b'0'..=b'7').contains(c)) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(octal).ok()?, 8).ok()?);
            i += 4;
        }
    }
    Some(out)
}

/// `money` text in the C / en_US style (`$1,234.56`, `-$1.00`, `($1.00)`, `12.5`) → cents.
fn parse_money(s: &str) -> Option<i64> {
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

fn parse_lsn(s: &str) -> Option<u64> {
    let (hi, lo) = s.trim().split_once('/')?;
    let hi = u32::from_str_radix(hi, 16).ok()?;
    let lo = u32::from_str_radix(lo, 16).ok()?;
    Some(u64::from(hi) << 32 | u64::from(lo))
}

fn parse_mac(s: &str, len: usize) -> Option<Vec<u8>> {
    let parts: Vec<&str> = s.trim().split([':', '-']).collect();
    if parts.len() != len || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    parts
        .iter()
        .map(|p| u8::from_str_radix(p, 16).ok())
        .collect()
}

/// inet / cidr text → binary (family 2 | 3, bits, is_cidr, length, address).
fn parse_inet(s: &str, cidr: bool) -> Result<Vec<u8>, &'static str> {
    let s = s.trim();
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u8>().map_err(|_| "bad prefix length")?)),
        None => (s, None),
    };
    let addr: IpAddr = addr.parse().map_err(|_| "not an IP address")?;
    let (family, width, octets) = match addr {
        IpAddr::V4(a) => (2u8, 32u8, a.octets().to_vec()),
        IpAddr::V6(a) => (3u8, 128u8, a.octets().to_vec()),
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return Err("prefix length too long");
    }
    let mut v = vec![family, bits, u8::from(cidr), octets.len() as u8];
    v.extend_from_slice(&octets);
    Ok(v)
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
pub(crate) fn numeric_bytes(s: &str, type_name: &str) -> Result<Vec<u8>, CodecError> {
    let t = s.trim();
    match t.to_ascii_lowercase().as_str() {
        "nan" => return Ok(numeric_header(0, 0, 0xC000, 0)),
        "infinity" | "+infinity" | "inf" | "+inf" => return Ok(numeric_header(0, 0, 0xD000, 0)),
        "-infinity" | "-inf" => return Ok(numeric_header(0, 0, 0xF000, 0)),
        _ => {}
    }
    let bad = |why: &str| invalid(type_name, s, why);
    let (negative, unsigned) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => {
            let exp = unsigned[i + 1..]
                .parse::<i64>()
                .ok()
                .filter(|e| e.abs() <= 1_000_000)
                .ok_or_else(|| bad("bad exponent"))?;
            (&unsigned[..i], exp)
        }
        None => (unsigned, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|c| c.is_ascii_digit())
        || !frac.bytes().all(|c| c.is_ascii_digit())
    {
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
    while padded.len() % 4 != 0 {
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

// ---- dates and times ----

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

fn digits_u64(s: &str) -> Result<u64, &'static str> {
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
pub(crate) fn parse_date(s: &str) -> Result<i32, &'static str> {
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
fn parse_time(s: &str) -> Result<i64, &'static str> {
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
fn parse_timetz(s: &str) -> Result<(i64, i32), &'static str> {
    let (time, offset) = split_offset(s)?;
    Ok((parse_time(time.trim())?, offset.unwrap_or(0)))
}

/// `timestamp[tz]` text → µs since 2000-01-01 (UTC for timestamptz: an offset, if present,
/// is applied; the Data API sends UTC without one).
pub(crate) fn parse_timestamp(s: &str, tz: bool) -> Result<i64, &'static str> {
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

// ---- intervals ----

/// `interval` text → (µs, days, months). Accepts PostgreSQL's `postgres` style
/// (`1 year 2 mons -3 days +04:05:06.5`), `postgres_verbose` (`@ 1 year 2 mons 6.5 secs ago`)
/// and `iso_8601` (`P1Y2M3DT4H5M6.5S`) output, and `infinity` / `-infinity` (PostgreSQL 17).
pub(crate) fn parse_interval(s: &str) -> Result<(i64, i32, i32), &'static str> {
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

fn split_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

/// `[-]int[.frac]` × factor, exactly; a fraction that does not come out whole is rejected for
/// month / day fields (PostgreSQL would spill it into smaller units) and rounded for µs.
fn scaled(number: &str, factor: i128, exact_only: bool) -> Result<i128, &'static str> {
    let (negative, body) = split_sign(number);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|c| c.is_ascii_digit())
        || !frac.bytes().all(|c| c.is_ascii_digit())
        || int.len() > 30
    {
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

// ---- arrays ----

/// A 1-D array column: from an `arrayValue`, or from a PostgreSQL array literal string.
fn array_value(
    element: Option<&'static BuiltinType>,
    field: &Field,
    type_name: &str,
) -> Result<RawValue, CodecError> {
    let elements: Vec<Option<Field>> = match field {
        Field::ArrayValue(array) => match array {
            ArrayValue::BooleanValues(v) => v.iter().map(|e| e.map(Field::BooleanValue)).collect(),
            ArrayValue::LongValues(v) => v.iter().map(|e| e.map(Field::LongValue)).collect(),
            ArrayValue::DoubleValues(v) => v.iter().map(|e| e.map(Field::DoubleValue)).collect(),
            ArrayValue::StringValues(v) => v
                .iter()
                .map(|e| e.as_ref().map(|s| Field::StringValue(s.clone())))
                .collect(),
            ArrayValue::ArrayValues(_) => {
                return Err(CodecError::result(format!(
                "a {type_name} value is a multi-dimensional array, which diesel does not support"
            )))
            }
            _ => {
                return Err(CodecError::result(format!(
                    "a {type_name} value is an unknown arrayValue member"
                )))
            }
        },
        Field::StringValue(s) if s.trim_start().starts_with(['{', '[']) => parse_array_literal(s)
            .map_err(|why| invalid(type_name, s, why))?
            .into_iter()
            .map(|e| e.map(Field::StringValue))
            .collect(),
        // An unknown type whose name merely starts with `_`.
        other if element.is_none() => return unknown_value(other, type_name),
        other => return Err(mismatch(type_name, other)),
    };
    // Elements of unknown types keep their natural form, like unknown scalars.
    let (element_oid, array_oid) = match element {
        Some(t) => (t.oid, t.array_oid),
        None => match field {
            Field::ArrayValue(ArrayValue::LongValues(_)) => (20, 1016),
            Field::ArrayValue(ArrayValue::DoubleValues(_)) => (701, 1022),
            Field::ArrayValue(ArrayValue::BooleanValues(_)) => (16, 1000),
            _ => (TEXT_OID, TEXT_ARRAY_OID),
        },
    };
    let element_type = element.or_else(|| builtin_by_oid(element_oid));
    let has_null = elements.iter().any(Option::is_none);
    let mut bytes = Vec::new();
    if elements.is_empty() {
        // PostgreSQL sends an empty array as ndim 0 with no dimension entries.
        bytes.extend_from_slice(&0i32.to_be_bytes());
        bytes.extend_from_slice(&0i32.to_be_bytes());
        bytes.extend_from_slice(&element_oid.to_be_bytes());
        return Ok(RawValue {
            bytes,
            oid: array_oid,
        });
    }
    let len = i32::try_from(elements.len())
        .map_err(|_| CodecError::result(format!("a {type_name} value has too many elements")))?;
    bytes.extend_from_slice(&1i32.to_be_bytes());
    bytes.extend_from_slice(&i32::from(has_null).to_be_bytes());
    bytes.extend_from_slice(&element_oid.to_be_bytes());
    bytes.extend_from_slice(&len.to_be_bytes());
    bytes.extend_from_slice(&1i32.to_be_bytes());
    let element_name = element_type.map_or("text", |t| t.name);
    for e in &elements {
        match e {
            None => bytes.extend_from_slice(&(-1i32).to_be_bytes()),
            Some(f) => {
                let value = match element_type {
                    Some(t) => scalar_bytes(t, f, element_name)?,
                    None => unknown_value(f, type_name)?.bytes,
                };
                let size = i32::try_from(value.len()).map_err(|_| {
                    CodecError::result(format!("a {type_name} element is too large"))
                })?;
                bytes.extend_from_slice(&size.to_be_bytes());
                bytes.extend_from_slice(&value);
            }
        }
    }
    Ok(RawValue {
        bytes,
        oid: array_oid,
    })
}

/// A character cursor for the literal parsers.
struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(s: &'a str) -> Self {
        Self { s, pos: 0 }
    }
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }
    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.bump();
            true
        } else {
            false
        }
    }
}

/// A 1-D PostgreSQL array literal (`{a,"b c",NULL}`, optional `[lo:hi]=` prefix) → elements.
pub(crate) fn parse_array_literal(s: &str) -> Result<Vec<Option<String>>, &'static str> {
    let mut p = Parser::new(s.trim());
    if p.peek() == Some('[') {
        let eq = p.s.find('=').ok_or("bad array dimensions")?;
        if p.s[..eq].matches('[').count() > 1 {
            return Err("multi-dimensional arrays are not supported");
        }
        p.pos = eq + 1;
        p.skip_ws();
    }
    if !p.eat('{') {
        return Err("an array literal starts with {");
    }
    let mut out = Vec::new();
    p.skip_ws();
    if p.eat('}') {
        p.skip_ws();
        return if p.at_end() {
            Ok(out)
        } else {
            Err("trailing characters")
        };
    }
    loop {
        p.skip_ws();
        match p.peek() {
            Some('{') => return Err("multi-dimensional arrays are not supported"),
            Some('"') => {
                p.bump();
                let mut v = String::new();
                loop {
                    match p.bump().ok_or("unterminated quoted element")? {
                        '\\' => v.push(p.bump().ok_or("dangling backslash")?),
                        '"' => break,
                        c => v.push(c),
                    }
                }
                out.push(Some(v));
            }
            _ => {
                let mut v = String::new();
                let mut escaped = false;
                while let Some(c) = p.peek() {
                    match c {
                        ',' | '}' => break,
                        '\\' => {
                            p.bump();
                            v.push(p.bump().ok_or("dangling backslash")?);
                            escaped = true;
                        }
                        '"' | '{' => return Err("unexpected character in an element"),
                        c => {
                            p.bump();
                            v.push(c);
                        }
                    }
                }
                let v = v.trim_end().to_string();
                if v.is_empty() {
                    return Err("empty unquoted element");
                }
                out.push(if !escaped && v.eq_ignore_ascii_case("NULL") {
                    None
                } else {
                    Some(v)
                });
            }
        }
        p.skip_ws();
        match p.bump() {
            Some(',') => continue,
            Some('}') => break,
            _ => return Err("expected , or }"),
        }
    }
    p.skip_ws();
    if p.at_end() {
        Ok(out)
    } else {
        Err("trailing characters")
    }
}

// ---- ranges ----

const RANGE_EMPTY: u8 = 0x01;
const RANGE_LB_INC: u8 = 0x02;
const RANGE_UB_INC: u8 = 0x04;
const RANGE_LB_INF: u8 = 0x08;
const RANGE_UB_INF: u8 = 0x10;

/// One range bound's text (quoted with `\` escapes or `""`, or bare), `None` when omitted.
fn range_bound(p: &mut Parser<'_>) -> Result<Option<String>, String> {
    let mut v = String::new();
    let mut any = false;
    while let Some(c) = p.peek() {
        match c {
            ',' | ')' | ']' => break,
            '"' => {
                p.bump();
                any = true;
                loop {
                    match p.bump().ok_or("unterminated quoted bound")? {
                        '\\' => v.push(p.bump().ok_or("dangling backslash")?),
                        '"' if p.peek() == Some('"') => {
                            p.bump();
                            v.push('"');
                        }
                        '"' => break,
                        c => v.push(c),
                    }
                }
            }
            '\\' => {
                p.bump();
                any = true;
                v.push(p.bump().ok_or("dangling backslash")?);
            }
            c => {
                p.bump();
                any = true;
                v.push(c);
            }
        }
    }
    Ok(any.then_some(v))
}

/// A range literal (`empty`, `[1,5)`, `(,"2024-01-01")`) → diesel's binary range.
fn parse_range(p: &mut Parser<'_>, element_oid: u32) -> Result<Vec<u8>, String> {
    let element = builtin_by_oid(element_oid).ok_or("unknown range element type")?;
    p.skip_ws();
    if p.s
        .get(p.pos..p.pos + 5)
        .is_some_and(|w| w.eq_ignore_ascii_case("empty"))
    {
        p.pos += 5;
        return Ok(vec![RANGE_EMPTY]);
    }
    let mut flags = match p.bump() {
        Some('[') => RANGE_LB_INC,
        Some('(') => 0,
        _ => return Err("a range starts with [ or (".into()),
    };
    let lower = range_bound(p)?;
    if !p.eat(',') {
        return Err("expected , between range bounds".into());
    }
    let upper = range_bound(p)?;
    match p.bump() {
        Some(']') => flags |= RANGE_UB_INC,
        Some(')') => {}
        _ => return Err("a range ends with ] or )".into()),
    }
    let mut out = vec![0];
    for (bound, inf, inc) in [
        (lower, RANGE_LB_INF, RANGE_LB_INC),
        (upper, RANGE_UB_INF, RANGE_UB_INC),
    ] {
        match bound {
            None => {
                // An infinite bound is never inclusive.
                flags = (flags | inf) & !inc;
            }
            Some(text) => {
                let bytes = scalar_bytes(element, &Field::StringValue(text), element.name)
                    .map_err(|e| e.message().to_string())?;
                let len = i32::try_from(bytes.len()).map_err(|_| "bound too large")?;
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(&bytes);
            }
        }
    }
    out[0] = flags;
    Ok(out)
}

/// `{[1,3),[5,7)}` → u32 count, then each range as i32 length + range bytes.
fn parse_multirange(s: &str, element_oid: u32) -> Result<Vec<u8>, String> {
    let mut p = Parser::new(s.trim());
    if !p.eat('{') {
        return Err("a multirange starts with {".into());
    }
    let mut ranges = Vec::new();
    p.skip_ws();
    if !p.eat('}') {
        loop {
            ranges.push(parse_range(&mut p, element_oid)?);
            p.skip_ws();
            match p.bump() {
                Some(',') => continue,
                Some('}') => break,
                _ => return Err("expected , or } in a multirange".into()),
            }
        }
    }
    p.skip_ws();
    if !p.at_end() {
        return Err("trailing characters".into());
    }
    let mut out = (ranges.len() as u32).to_be_bytes().to_vec();
    for r in ranges {
        out.extend_from_slice(&(r.len() as i32).to_be_bytes());
        out.extend_from_slice(&r);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::bind::encode_bind;
    use crate::pg::bind::tests::diesel_bind;
    use crate::pg::types::TypeRegistry;
    use aws_sdk_rdsdata::primitives::Blob;
    use bigdecimal::BigDecimal;
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
    use data_api_local::engine::pg_types::{self as server, ColumnDecoder, Decoder};
    use data_api_local::engine::ResultOptions;
    use data_api_local::protocol as wire;
    use diesel::deserialize::FromSql;
    use diesel::pg::data_types::{PgInterval, PgMoney, PgNumeric};
    use diesel::pg::{Pg, PgValue};
    use diesel::serialize::ToSql;
    use diesel::sql_types::{self as st, HasSqlType};
    use proptest::prelude::*;
    use std::collections::Bound;
    use std::fmt::Debug;
    use std::num::NonZeroU32;
    use std::str::FromStr;

    // ---- helpers ----

    fn s(v: &str) -> Field {
        Field::StringValue(v.to_string())
    }

    fn dec(field: Field, type_name: &str) -> RawValue {
        decode_field(&field, type_name)
            .unwrap_or_else(|e| panic!("{type_name}: {e}"))
            .expect("not NULL")
    }

    fn dec_err(field: Field, type_name: &str) -> String {
        decode_field(&field, type_name)
            .expect_err("should not decode")
            .to_string()
    }

    fn from_raw<ST, T: FromSql<ST, Pg>>(raw: &RawValue) -> T {
        let oid = NonZeroU32::new(raw.oid).expect("non-zero OID");
        <T as FromSql<ST, Pg>>::from_sql(PgValue::new(&raw.bytes, &oid))
            .unwrap_or_else(|e| panic!("diesel rejects {raw:?}: {e}"))
    }

    /// diesel's value of a decoded field.
    fn read<ST, T: FromSql<ST, Pg>>(field: Field, type_name: &str) -> T {
        from_raw::<ST, T>(&dec(field, type_name))
    }

    /// What the Data API returns for a value that was bound as `field`: the same text, but
    /// timestamptz in UTC without the offset, and arrays as `arrayValue`.
    fn echo(field: Field, type_name: &str) -> Field {
        match field {
            Field::StringValue(text) => match type_name.strip_prefix('_') {
                Some(element) => {
                    let elements = parse_array_literal(&text).expect("a literal we wrote parses");
                    Field::ArrayValue(echo_array(elements, element))
                }
                None if type_name == "timestamptz" => Field::StringValue(text.replace("+00", "")),
                None => Field::StringValue(text),
            },
            other => other,
        }
    }

    fn echo_array(elements: Vec<Option<String>>, element: &str) -> ArrayValue {
        let map = |f: &dyn Fn(&str) -> Field| -> Vec<Option<Field>> {
            elements.iter().map(|e| e.as_deref().map(f)).collect()
        };
        match element {
            "int2" | "int4" | "int8" => ArrayValue::LongValues(
                elements
                    .iter()
                    .map(|e| e.as_ref().map(|v| v.parse().unwrap()))
                    .collect(),
            ),
            "bool" => ArrayValue::BooleanValues(
                elements
                    .iter()
                    .map(|e| e.as_ref().map(|v| v == "t"))
                    .collect(),
            ),
            "float4" | "float8"
                if elements
                    .iter()
                    .flatten()
                    .all(|v| v.parse::<f64>().is_ok_and(f64::is_finite)) =>
            {
                ArrayValue::DoubleValues(
                    elements
                        .iter()
                        .map(|e| e.as_ref().map(|v| v.parse().unwrap()))
                        .collect(),
                )
            }
            "timestamptz" => ArrayValue::StringValues(
                map(&|v| Field::StringValue(v.replace("+00", "")))
                    .into_iter()
                    .map(|f| f.map(|f| f.as_string_value().unwrap().clone()))
                    .collect(),
            ),
            _ => ArrayValue::StringValues(elements),
        }
    }

    /// Rust value → diesel bind → `encode_bind` → what the server echoes → `decode_field` →
    /// diesel `FromSql`.
    fn via_bind<ST, T>(value: &T, type_name: &str) -> T
    where
        Pg: HasSqlType<ST>,
        T: ToSql<ST, Pg> + FromSql<ST, Pg>,
    {
        let registry = TypeRegistry::new();
        let (meta, bytes) = diesel_bind::<ST, T>(value, &registry);
        let encoded = encode_bind(&meta, bytes.as_deref(), &registry).expect("encodes");
        read::<ST, T>(echo(encoded.value, type_name), type_name)
    }

    fn to_sdk(f: wire::Field) -> Field {
        match f {
            wire::Field::IsNull(b) => Field::IsNull(b),
            wire::Field::BooleanValue(b) => Field::BooleanValue(b),
            wire::Field::LongValue(v) => Field::LongValue(v),
            wire::Field::DoubleValue(v) => Field::DoubleValue(v),
            wire::Field::StringValue(v) => Field::StringValue(v),
            wire::Field::BlobValue(v) => Field::BlobValue(Blob::new(v)),
            wire::Field::ArrayValue(a) => Field::ArrayValue(to_sdk_array(a)),
        }
    }

    fn to_sdk_array(a: wire::ArrayValue) -> ArrayValue {
        match a {
            wire::ArrayValue::BooleanValues(v) => ArrayValue::BooleanValues(v),
            wire::ArrayValue::LongValues(v) => ArrayValue::LongValues(v),
            wire::ArrayValue::DoubleValues(v) => ArrayValue::DoubleValues(v),
            wire::ArrayValue::StringValues(v) => ArrayValue::StringValues(v),
            wire::ArrayValue::ArrayValues(v) => {
                ArrayValue::ArrayValues(v.into_iter().map(|a| Some(to_sdk_array(a))).collect())
            }
        }
    }

    /// Rust value → diesel's bytes (= what PostgreSQL sends the server in binary) → the local
    /// Data API server's own result formatting → `decode_field` → diesel `FromSql`.
    fn via_server<ST, T>(
        value: &T,
        decoder: ColumnDecoder,
        type_name: &str,
        long_as_string: bool,
    ) -> T
    where
        Pg: HasSqlType<ST>,
        T: ToSql<ST, Pg> + FromSql<ST, Pg>,
    {
        let (_, bytes) = diesel_bind::<ST, T>(value, &TypeRegistry::new());
        let options = ResultOptions {
            long_as_string,
            ..ResultOptions::default()
        };
        let field = server::decode_value(decoder, bytes.as_deref(), options, type_name)
            .unwrap_or_else(|e| panic!("server: {e:?}"));
        read::<ST, T>(to_sdk(field), type_name)
    }

    /// Both round trips give the value back.
    fn check<ST, T>(value: &T, type_name: &str, decoder: ColumnDecoder)
    where
        Pg: HasSqlType<ST>,
        T: ToSql<ST, Pg> + FromSql<ST, Pg> + PartialEq + Debug,
    {
        assert_eq!(
            &via_bind::<ST, T>(value, type_name),
            value,
            "bind path, {type_name}"
        );
        assert_eq!(
            &via_server::<ST, T>(value, decoder, type_name, false),
            value,
            "server path, {type_name}"
        );
    }

    use ColumnDecoder::{Array as A, Scalar as S};

    // ---- unit tests per rule ----

    #[test]
    fn nulls() {
        assert_eq!(decode_field(&Field::IsNull(true), "int4").unwrap(), None);
        assert_eq!(decode_field(&Field::IsNull(true), "mood").unwrap(), None);
        assert!(decode_field(&Field::IsNull(false), "int4").is_err());
    }

    #[test]
    fn integers_have_exact_widths() {
        assert_eq!(
            dec(Field::LongValue(7), "int2"),
            RawValue {
                bytes: vec![0, 7],
                oid: 21
            }
        );
        assert_eq!(
            dec(Field::LongValue(-8), "int4"),
            RawValue {
                bytes: (-8i32).to_be_bytes().to_vec(),
                oid: 23
            }
        );
        assert_eq!(
            read::<st::BigInt, i64>(Field::LongValue(i64::MAX), "int8"),
            i64::MAX
        );
        assert_eq!(
            read::<st::BigInt, i64>(s("-9223372036854775808"), "int8"),
            i64::MIN
        );
        assert_eq!(read::<st::Integer, i32>(s(" 5 "), "int4"), 5);
        assert_eq!(read::<st::SmallInt, i16>(s("-32768"), "int2"), i16::MIN);
        assert_eq!(
            read::<st::Oid, u32>(Field::LongValue(4_000_000_000), "oid"),
            4_000_000_000
        );
        assert!(dec_err(Field::LongValue(70_000), "int2").contains("out of range for int2"));
        assert!(dec_err(Field::LongValue(1 << 40), "int4").contains("out of range"));
        assert!(dec_err(Field::LongValue(-1), "oid").contains("out of range"));
        let e = dec_err(Field::BooleanValue(true), "int4");
        assert!(e.contains("int4") && e.contains("booleanValue"), "{e}");
        assert!(dec_err(s("12x"), "int8").contains("invalid int8 value \"12x\""));
        assert!(dec_err(Field::DoubleValue(1.0), "int4").contains("doubleValue"));
        // SQL aliases work as type names too.
        assert_eq!(dec(Field::LongValue(1), "integer").oid, 23);
    }

    #[test]
    fn floats() {
        assert_eq!(
            read::<st::Float, f32>(Field::DoubleValue(1.1), "float4"),
            1.1f32
        );
        assert_eq!(dec(Field::DoubleValue(1.5), "float4").bytes.len(), 4);
        assert_eq!(
            read::<st::Double, f64>(Field::DoubleValue(0.1), "float8"),
            0.1
        );
        assert!(read::<st::Double, f64>(s("NaN"), "float8").is_nan());
        assert_eq!(
            read::<st::Double, f64>(s("Infinity"), "float8"),
            f64::INFINITY
        );
        assert_eq!(
            read::<st::Float, f32>(s("-Infinity"), "float4"),
            f32::NEG_INFINITY
        );
        assert_eq!(
            read::<st::Float, f32>(s("3.4028235e38"), "float4"),
            f32::MAX
        );
        assert_eq!(read::<st::Double, f64>(Field::LongValue(3), "float8"), 3.0);
        assert!(dec_err(Field::DoubleValue(1e39), "float4").contains("out of range"));
        assert!(dec_err(s("fast"), "float8").contains("float8"));
        assert!(dec_err(Field::BooleanValue(false), "float4").contains("booleanValue"));
    }

    fn numeric_words(ndigits: u16, weight: i16, sign: u16, dscale: u16, digits: &[i16]) -> Vec<u8> {
        let mut v = Vec::new();
        for w in [ndigits, weight as u16, sign, dscale] {
            v.extend_from_slice(&w.to_be_bytes());
        }
        for d in digits {
            v.extend_from_slice(&d.to_be_bytes());
        }
        v
    }

    #[test]
    fn numeric_binary_form() {
        let n = |text: &str| dec(s(text), "numeric").bytes;
        assert_eq!(
            n("123456.7890"),
            numeric_words(3, 1, 0, 4, &[12, 3456, 7890])
        );
        assert_eq!(
            n("0.000000000000000000000001"),
            numeric_words(1, -6, 0, 24, &[1])
        );
        assert_eq!(n("-0.00000012"), numeric_words(1, -2, 0x4000, 8, &[12]));
        assert_eq!(n("100000000"), numeric_words(1, 2, 0, 0, &[1]));
        assert_eq!(n("0"), numeric_words(0, 0, 0, 0, &[]));
        assert_eq!(n("0.00"), numeric_words(0, 0, 0, 2, &[]));
        assert_eq!(n("-0.0"), numeric_words(0, 0, 0, 1, &[]));
        assert_eq!(n("NaN"), numeric_words(0, 0, 0xC000, 0, &[]));
        assert_eq!(n("1.5e3"), numeric_words(1, 0, 0, 0, &[1500]));
        assert_eq!(n("1.5E-3"), numeric_words(1, -1, 0, 4, &[15]));
        assert_eq!(n(".5"), numeric_words(1, -1, 0, 1, &[5000]));
        assert_eq!(n("+12."), numeric_words(1, 0, 0, 0, &[12]));
        assert_eq!(dec(Field::LongValue(42), "numeric").bytes, n("42"));
        assert_eq!(dec(Field::DoubleValue(1.25), "numeric").bytes, n("1.25"));
        for bad in [
            "",
            "-",
            ".",
            "1.2.3",
            "abc",
            "1e",
            "1e99999999",
            "--1",
            "1 2",
        ] {
            assert!(decode_field(&s(bad), "numeric").is_err(), "{bad:?}");
        }
        // The server's own numeric printer reads our bytes back as the same text.
        for text in [
            "123456.7890",
            "-99999999999999999999999999999.5",
            "0.00",
            "1.50",
            "10000.0001",
            "NaN",
        ] {
            assert_eq!(server::numeric_value(&n(text)).unwrap().to_string(), text);
        }
        let v: BigDecimal = read::<st::Numeric, _>(s("123456.7890"), "numeric");
        assert_eq!(v.to_string(), "123456.7890");
        assert_eq!(
            read::<st::Numeric, PgNumeric>(s("NaN"), "numeric"),
            PgNumeric::NaN
        );
    }

    #[test]
    fn booleans() {
        assert_eq!(
            dec(Field::BooleanValue(true), "bool"),
            RawValue {
                bytes: vec![1],
                oid: 16
            }
        );
        assert_eq!(dec(Field::BooleanValue(false), "bool").bytes, vec![0]);
        assert!(read::<st::Bool, bool>(s("t"), "bool"));
        assert!(!read::<st::Bool, bool>(s("false"), "bool"));
        assert!(dec_err(Field::LongValue(1), "bool").contains("longValue"));
        assert!(dec_err(s("maybe"), "bool").contains("maybe"));
    }

    #[test]
    fn text_like_types() {
        for (name, oid) in [
            ("text", 25),
            ("varchar", 1043),
            ("bpchar", 1042),
            ("name", 19),
            ("json", 114),
        ] {
            assert_eq!(
                dec(s("ab  "), name),
                RawValue {
                    bytes: b"ab  ".to_vec(),
                    oid
                }
            );
        }
        // Types unknown here (citext, enums) are text.
        assert_eq!(
            dec(s("MiXed"), "citext"),
            RawValue {
                bytes: b"MiXed".to_vec(),
                oid: 25
            }
        );
        assert_eq!(
            dec(s("happy"), "mood"),
            RawValue {
                bytes: b"happy".to_vec(),
                oid: 25
            }
        );
        assert_eq!(read::<st::Citext, String>(s("MiXed"), "citext"), "MiXed");
        assert!(dec_err(Field::LongValue(1), "text").contains("longValue"));
        assert_eq!(
            dec(s("{\"a\":1}"), "jsonb").bytes,
            b"\x01{\"a\":1}".to_vec()
        );
        let j: serde_json::Value = read::<st::Jsonb, _>(s("{\"a\": [1, 2]}"), "jsonb");
        assert_eq!(j, serde_json::json!({"a": [1, 2]}));
        assert_eq!(read::<st::CChar, u8>(s("A"), "char"), b'A');
        assert_eq!(read::<st::CChar, u8>(s("\\304"), "char"), 0xC4);
        assert_eq!(dec(s(""), "char").bytes, vec![0]);
        assert!(dec_err(s("ab"), "char").contains("single byte"));
    }

    #[test]
    fn unknown_types_keep_natural_forms() {
        assert_eq!(
            dec(Field::LongValue(5), "posint"),
            RawValue {
                bytes: 5i64.to_be_bytes().to_vec(),
                oid: 20
            }
        );
        assert_eq!(dec(Field::DoubleValue(0.5), "dom").oid, 701);
        assert_eq!(dec(Field::BooleanValue(true), "dom").oid, 16);
        assert_eq!(dec(Field::BlobValue(Blob::new(vec![1])), "dom").oid, 17);
        // With the expected OID from diesel's row metadata, a domain over int4 gets 4 bytes.
        let raw = decode_field_expecting(&Field::LongValue(5), "posint", Some(23))
            .unwrap()
            .unwrap();
        assert_eq!(
            raw,
            RawValue {
                bytes: 5i32.to_be_bytes().to_vec(),
                oid: 23
            }
        );
        let raw = decode_field_expecting(
            &Field::ArrayValue(ArrayValue::LongValues(vec![Some(1)])),
            "posints",
            Some(1005),
        )
        .unwrap()
        .unwrap();
        assert_eq!(from_raw::<st::Array<st::SmallInt>, Vec<i16>>(&raw), vec![1]);
        // A built-in typeName wins over the expectation.
        assert_eq!(
            decode_field_expecting(&Field::LongValue(5), "int8", Some(23))
                .unwrap()
                .unwrap()
                .oid,
            20
        );
        assert!(
            dec_err(Field::ArrayValue(ArrayValue::LongValues(vec![])), "int4")
                .contains("arrayValue")
        );
    }

    #[test]
    fn bytea() {
        assert_eq!(
            dec(Field::BlobValue(Blob::new(vec![0, 255, 16])), "bytea"),
            RawValue {
                bytes: vec![0, 255, 16],
                oid: 17
            }
        );
        assert_eq!(dec(s("\\x00ff10"), "bytea").bytes, vec![0, 255, 16]);
        assert_eq!(dec(s("\\x00 FF"), "bytea").bytes, vec![0, 255]);
        assert_eq!(
            dec(s("a\\000\\\\b"), "bytea").bytes,
            vec![b'a', 0, b'\\', b'b']
        );
        assert!(dec_err(s("\\x0"), "bytea").contains("bytea"));
        assert!(dec_err(s("\\9"), "bytea").contains("bytea"));
        assert!(dec_err(Field::LongValue(1), "bytea").contains("longValue"));
    }

    #[test]
    fn uuids() {
        let raw = dec(s("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "uuid");
        assert_eq!(raw.oid, 2950);
        let u: uuid::Uuid = from_raw::<st::Uuid, _>(&raw);
        assert_eq!(u.to_string(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assert_eq!(
            dec(s("A0EEBC999C0B4EF8BB6D6BB9BD380A11"), "uuid").bytes,
            raw.bytes
        );
        assert!(dec_err(s("a0eebc99"), "uuid").contains("invalid uuid"));
    }

    #[test]
    fn dates() {
        let days = |text: &str| i32::from_be_bytes(dec(s(text), "date").bytes.try_into().unwrap());
        assert_eq!(days("2000-01-01"), 0);
        assert_eq!(days("2024-02-29"), 8825);
        assert_eq!(days("1999-12-31"), -1);
        assert_eq!(days("0044-03-15 BC"), -746_117);
        assert_eq!(days("infinity"), i32::MAX);
        assert_eq!(days("-infinity"), i32::MIN);
        // PostgreSQL's last date (Julian day 2147483493).
        assert_eq!(days("5874897-12-31"), 2_145_031_948);
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "0000-01-01",
            "2024-1",
            "junk",
            "2024-01-01x",
        ] {
            assert!(decode_field(&s(bad), "date").is_err(), "{bad}");
        }
        let d: NaiveDate = read::<st::Date, _>(s("2024-02-29"), "date");
        assert_eq!(d, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
    }

    #[test]
    fn times() {
        let us = |text: &str, ty: &str| {
            i64::from_be_bytes(dec(s(text), ty).bytes[..8].try_into().unwrap())
        };
        assert_eq!(us("12:34:56", "time"), 45_296_000_000);
        assert_eq!(us("12:34:56.1234", "time"), 45_296_123_400);
        assert_eq!(us("12:34:56.123456000", "time"), 45_296_123_456);
        assert_eq!(us("24:00:00", "time"), USECS_PER_DAY);
        assert_eq!(us("00:00", "time"), 0);
        for bad in [
            "25:00:00",
            "24:00:01",
            "12:60:00",
            "12:34:56.1234567",
            "12",
            "ab:cd:ef",
            "-01:00:00",
        ] {
            assert!(decode_field(&s(bad), "time").is_err(), "{bad}");
        }
        let t: NaiveTime = read::<st::Time, _>(s("12:34:56.5"), "time");
        assert_eq!(t, NaiveTime::from_hms_milli_opt(12, 34, 56, 500).unwrap());
        // timetz: UTC without offset (zone 0), or an explicit offset (zone = seconds west).
        let raw = dec(s("10:00:00"), "timetz");
        assert_eq!((raw.bytes.len(), raw.oid), (12, 1266));
        assert_eq!(raw.bytes[8..], 0i32.to_be_bytes());
        let raw = dec(s("12:00:00+02"), "timetz");
        assert_eq!(raw.bytes[..8], (12 * 3600 * USECS_PER_SEC).to_be_bytes());
        assert_eq!(raw.bytes[8..], (-7200i32).to_be_bytes());
        assert_eq!(
            dec(s("12:00:00-05:30"), "timetz").bytes[8..],
            19_800i32.to_be_bytes()
        );
    }

    #[test]
    fn timestamps() {
        let us =
            |text: &str, ty: &str| i64::from_be_bytes(dec(s(text), ty).bytes.try_into().unwrap());
        let day = 8825 * USECS_PER_DAY;
        assert_eq!(
            us("2024-02-29 12:34:56.12", "timestamp"),
            day + 45_296_120_000
        );
        assert_eq!(us("2024-02-29 12:34:56", "timestamp"), day + 45_296_000_000);
        assert_eq!(us("2024-02-29T12:34:56", "timestamp"), day + 45_296_000_000);
        assert_eq!(us("2024-02-29", "timestamp"), day);
        assert_eq!(us("1999-12-31 23:59:59.999999", "timestamp"), -1);
        assert_eq!(
            us("0044-03-15 00:00:01 BC", "timestamp"),
            -746_117 * USECS_PER_DAY + 1_000_000
        );
        assert_eq!(us("infinity", "timestamp"), i64::MAX);
        assert_eq!(us("-infinity", "timestamptz"), i64::MIN);
        assert_eq!(
            us("2024-02-29 10:34:56.5", "timestamptz"),
            day + 38_096_500_000
        );
        assert_eq!(
            us("2024-02-29 12:34:56.5+02", "timestamptz"),
            day + 38_096_500_000
        );
        assert_eq!(
            us("2024-02-29 12:34:56.5+02:00", "timestamptz"),
            day + 38_096_500_000
        );
        assert_eq!(
            us("2024-02-29 10:34:56.5Z", "timestamptz"),
            day + 38_096_500_000
        );
        assert_eq!(
            us("2024-02-29 07:04:56.5-03:30", "timestamptz"),
            day + 38_096_500_000
        );
        assert_eq!(
            us("0044-03-15 00:00:01+00 BC", "timestamptz"),
            -746_117 * USECS_PER_DAY + 1_000_000
        );
        assert!(dec_err(s("2024-02-29 12:34:56+02"), "timestamp").contains("no UTC offset"));
        for bad in [
            "2024-02-30 00:00:00",
            "2024-02-29 12:34:56+99",
            "300000-01-01 00:00:00",
            "yesterday",
            "2024-02-29 12:34:56+€€",
        ] {
            assert!(decode_field(&s(bad), "timestamptz").is_err(), "{bad}");
        }
        let dt: chrono::DateTime<chrono::Utc> =
            read::<st::Timestamptz, _>(s("2024-02-29 10:34:56.5"), "timestamptz");
        assert_eq!(dt.to_rfc3339(), "2024-02-29T10:34:56.500+00:00");
    }

    #[test]
    fn intervals() {
        let iv = |text: &str| -> PgInterval { read::<st::Interval, _>(s(text), "interval") };
        let us = |h: i64, m: i64, s: i64, f: i64| ((h * 60 + m) * 60 + s) * 1_000_000 + f;
        assert_eq!(
            iv("1 year 2 mons 3 days 04:05:06.5"),
            PgInterval::new(us(4, 5, 6, 500_000), 3, 14)
        );
        assert_eq!(iv("00:00:00"), PgInterval::new(0, 0, 0));
        assert_eq!(iv("-00:00:01"), PgInterval::new(-1_000_000, 0, 0));
        assert_eq!(iv("1 day 02:00:00"), PgInterval::new(us(2, 0, 0, 0), 1, 0));
        assert_eq!(
            iv("-1 days +02:00:00"),
            PgInterval::new(us(2, 0, 0, 0), -1, 0)
        );
        assert_eq!(iv("-1 years"), PgInterval::new(0, 0, -12));
        assert_eq!(iv("-1 years -1 mons +5 days"), PgInterval::new(0, 5, -13));
        assert_eq!(
            iv("1 mon 100:00:00"),
            PgInterval::new(us(100, 0, 0, 0), 0, 1)
        );
        assert_eq!(
            iv("+14 mons -2 days -00:00:00.000001"),
            PgInterval::new(-1, -2, 14)
        );
        assert_eq!(
            iv("-2562047788:00:54.775808"),
            PgInterval::new(i64::MIN, 0, 0)
        );
        assert_eq!(
            iv("infinity"),
            PgInterval::new(i64::MAX, i32::MAX, i32::MAX)
        );
        assert_eq!(
            iv("-infinity"),
            PgInterval::new(i64::MIN, i32::MIN, i32::MIN)
        );
        // postgres_verbose
        assert_eq!(
            iv("@ 1 year 2 mons -3 days 4 hours 5 mins 6.5 secs ago"),
            PgInterval::new(-us(4, 5, 6, 500_000), 3, -14)
        );
        assert_eq!(iv("@ 0"), PgInterval::new(0, 0, 0));
        // iso_8601
        assert_eq!(
            iv("P1Y2M3DT4H5M6.5S"),
            PgInterval::new(us(4, 5, 6, 500_000), 3, 14)
        );
        assert_eq!(
            iv("P-1Y-2M3DT-4H-5M-6.5S"),
            PgInterval::new(-us(4, 5, 6, 500_000), 3, -14)
        );
        assert_eq!(iv("PT0S"), PgInterval::new(0, 0, 0));
        assert_eq!(iv("P1W"), PgInterval::new(0, 7, 0));
        assert_eq!(iv("1.5 hours"), PgInterval::new(us(1, 30, 0, 0), 0, 0));
        for bad in [
            "",
            "1 fortnight",
            "1.5 days",
            "5",
            "P",
            "P1X",
            "1 day 25:61:00",
            "99999999999 years",
        ] {
            assert!(decode_field(&s(bad), "interval").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn network_and_misc() {
        assert_eq!(
            dec(s("192.168.0.1"), "inet"),
            RawValue {
                bytes: vec![2, 32, 0, 4, 192, 168, 0, 1],
                oid: 869
            }
        );
        assert_eq!(
            dec(s("10.0.0.0/8"), "cidr").bytes,
            vec![2, 8, 1, 4, 10, 0, 0, 0]
        );
        let v6 = dec(s("2001:db8::/64"), "cidr").bytes;
        assert_eq!(&v6[..6], &[3, 64, 1, 16, 0x20, 0x01]);
        assert_eq!(dec(s("::1"), "inet").bytes[..4], [3, 128, 0, 16]);
        assert!(dec_err(s("300.1.1.1"), "inet").contains("inet"));
        assert!(dec_err(s("10.0.0.1/33"), "inet").contains("prefix"));
        let mac: [u8; 6] = read::<st::MacAddr, _>(s("08:00:2b:01:02:03"), "macaddr");
        assert_eq!(mac, [8, 0, 0x2b, 1, 2, 3]);
        assert_eq!(dec(s("08-00-2b-01-02-03-04-05"), "macaddr8").bytes.len(), 8);
        assert!(dec_err(s("08:00:2b"), "macaddr").contains("MAC"));
        let lsn: diesel::pg::data_types::PgLsn = read::<st::PgLsn, _>(s("16/B374D848"), "pg_lsn");
        assert_eq!(lsn.0, 0x16_B374_D848);
        let money = |text: &str| read::<st::Money, PgMoney>(s(text), "money").0;
        assert_eq!(money("$1,234.56"), 123_456);
        assert_eq!(money("-$1.00"), -100);
        assert_eq!(money("($5.00)"), -500);
        assert_eq!(money("12.5"), 1250);
        assert_eq!(money("-92233720368547758.08"), i64::MIN);
        assert!(dec_err(s("1.234"), "money").contains("money"));
        // Found by fuzz/ pg_codec: the cents of a 38-digit amount overflowed i128 (a panic with
        // overflow checks, a wrapped value without).
        for huge in [
            "70725354693371523778662173309347902773",
            "-170141183460469231731687303715884105727.99",
        ] {
            assert!(dec_err(s(huge), "money").contains("money"), "{huge}");
        }
        assert!(dec_err(s("(1,2)"), "record").contains("record"));
    }

    #[test]
    fn arrays() {
        let ints = Field::ArrayValue(ArrayValue::LongValues(vec![Some(1), None, Some(3)]));
        let raw = dec(ints.clone(), "_int4");
        assert_eq!(raw.oid, 1007);
        let mut want = Vec::new();
        for v in [1i32, 1, 23, 3, 1, 4, 1, -1, 4, 3] {
            want.extend_from_slice(&v.to_be_bytes());
        }
        assert_eq!(raw.bytes, want);
        assert_eq!(
            from_raw::<st::Array<st::Nullable<st::Integer>>, Vec<Option<i32>>>(&raw),
            vec![Some(1), None, Some(3)]
        );
        let shorts: Vec<i16> = read::<st::Array<st::SmallInt>, _>(
            Field::ArrayValue(ArrayValue::LongValues(vec![Some(1), Some(-2)])),
            "_int2",
        );
        assert_eq!(shorts, vec![1, -2]);
        // Empty: ndim 0, as PostgreSQL sends it.
        let raw = dec(Field::ArrayValue(ArrayValue::StringValues(vec![])), "_text");
        assert_eq!(
            raw,
            RawValue {
                bytes: vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25],
                oid: 1009
            }
        );
        assert!(from_raw::<st::Array<st::Text>, Vec<String>>(&raw).is_empty());
        let floats: Vec<f64> = read::<st::Array<st::Double>, _>(
            Field::ArrayValue(ArrayValue::StringValues(vec![
                Some("NaN".into()),
                Some("1.5".into()),
            ])),
            "_float8",
        );
        assert!(floats[0].is_nan() && floats[1] == 1.5);
        let bools: Vec<bool> = read::<st::Array<st::Bool>, _>(
            Field::ArrayValue(ArrayValue::BooleanValues(vec![Some(true), Some(false)])),
            "_bool",
        );
        assert_eq!(bools, vec![true, false]);
        let nums: Vec<BigDecimal> = read::<st::Array<st::Numeric>, _>(
            Field::ArrayValue(ArrayValue::StringValues(vec![Some("1.50".into())])),
            "_numeric",
        );
        assert_eq!(nums[0].to_string(), "1.50");
        // Enum arrays: text elements.
        let raw = dec(
            Field::ArrayValue(ArrayValue::StringValues(vec![Some("sad".into()), None])),
            "_mood",
        );
        assert_eq!(raw.oid, 1009);
        assert_eq!(
            from_raw::<st::Array<st::Nullable<st::Text>>, Vec<Option<String>>>(&raw),
            vec![Some("sad".into()), None]
        );
        // A literal string for an array column.
        let v: Vec<Option<i32>> =
            read::<st::Array<st::Nullable<st::Integer>>, _>(s("{1, NULL ,3}"), "_int4");
        assert_eq!(v, vec![Some(1), None, Some(3)]);
        let v: Vec<String> =
            read::<st::Array<st::Text>, _>(s(r#"{"a,b","c\"d",e\\f," NULL",null2}"#), "_text");
        assert_eq!(v, vec!["a,b", "c\"d", "e\\f", " NULL", "null2"]);
        let v: Vec<i32> = read::<st::Array<st::Integer>, _>(s("[0:1]={7,8}"), "_int4");
        assert_eq!(v, vec![7, 8]);
        // Mismatches.
        let nested = Field::ArrayValue(ArrayValue::ArrayValues(vec![Some(
            ArrayValue::LongValues(vec![Some(1)]),
        )]));
        assert!(dec_err(nested, "_int4").contains("multi-dimensional"));
        let e = dec_err(
            Field::ArrayValue(ArrayValue::BooleanValues(vec![Some(true)])),
            "_int4",
        );
        assert!(e.contains("booleanValue"), "{e}");
        assert!(dec_err(Field::LongValue(1), "_int4").contains("longValue"));
        assert!(dec_err(s("{{1},{2}}"), "_int4").contains("multi-dimensional"));
        assert!(dec_err(s("{1,2"), "_int4").contains("_int4"));
        assert!(dec_err(s("{\"x\"}"), "_int4").contains("int4"));
    }

    #[test]
    fn ranges() {
        type IntRange = (Bound<i32>, Bound<i32>);
        let r: IntRange = read::<st::Range<st::Integer>, _>(s("[1,10)"), "int4range");
        assert_eq!(r, (Bound::Included(1), Bound::Excluded(10)));
        let r: IntRange = read::<st::Range<st::Integer>, _>(s("(,5]"), "int4range");
        assert_eq!(r, (Bound::Unbounded, Bound::Included(5)));
        let r: IntRange = read::<st::Range<st::Integer>, _>(s("empty"), "int4range");
        assert_eq!(r, (Bound::Excluded(0), Bound::Excluded(0)));
        assert_eq!(dec(s("empty"), "int4range").bytes, vec![RANGE_EMPTY]);
        let r: (Bound<NaiveDateTime>, Bound<NaiveDateTime>) = read::<st::Range<st::Timestamp>, _>(
            s(r#"["2024-01-01 00:00:00","2024-02-01 00:00:00")"#),
            "tsrange",
        );
        assert_eq!(
            r.0,
            Bound::Included(
                NaiveDate::from_ymd_opt(2024, 1, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
            )
        );
        let r: (Bound<BigDecimal>, Bound<BigDecimal>) =
            read::<st::Range<st::Numeric>, _>(s("[1.5,2.25]"), "numrange");
        assert_eq!(r.1, Bound::Included(BigDecimal::from_str("2.25").unwrap()));
        let m: Vec<IntRange> =
            read::<st::Multirange<st::Integer>, _>(s("{[1,3), [5,7)}"), "int4multirange");
        assert_eq!(
            m,
            vec![
                (Bound::Included(1), Bound::Excluded(3)),
                (Bound::Included(5), Bound::Excluded(7))
            ]
        );
        let m: Vec<IntRange> = read::<st::Multirange<st::Integer>, _>(s("{}"), "int4multirange");
        assert!(m.is_empty());
        for bad in ["[1,10", "1,10)", "[a,10)", "[1,10) x", "[1;10)"] {
            assert!(decode_field(&s(bad), "int4range").is_err(), "{bad}");
        }
    }

    // ---- round trips through diesel's own impls ----

    #[test]
    fn round_trip_fixed_values() {
        check::<st::Bool, _>(&true, "bool", S(Decoder::Bool));
        check::<st::Text, _>(
            &"héllo, \"world\" \\ {}".to_string(),
            "text",
            S(Decoder::Text),
        );
        check::<st::Numeric, _>(
            &BigDecimal::from_str("-123456.7890").unwrap(),
            "numeric",
            S(Decoder::Numeric),
        );
        check::<st::Interval, _>(
            &PgInterval::new(-1, 40, -13),
            "interval",
            S(Decoder::Interval),
        );
        check::<st::Jsonb, _>(
            &serde_json::json!({"a": [1, "x", null]}),
            "jsonb",
            S(Decoder::Jsonb),
        );
        check::<st::Json, _>(&serde_json::json!([true, 1.5]), "json", S(Decoder::Text));
        check::<st::Array<st::Text>, _>(&Vec::<String>::new(), "_text", A(Decoder::Text));
        check::<st::Array<st::Nullable<st::Integer>>, _>(
            &vec![None, Some(1)],
            "_int4",
            A(Decoder::Int4),
        );
        check::<st::Array<st::Double>, _>(&vec![1.5, -0.0, 1e300], "_float8", A(Decoder::Float8));
        check::<st::Date, _>(
            &NaiveDate::from_ymd_opt(-43, 3, 15).unwrap(),
            "date",
            S(Decoder::Date),
        );
        let pts = time::macros::datetime!(2024-02-29 12:34:56.000001);
        check::<st::Timestamp, _>(&pts, "timestamp", S(Decoder::Timestamp));
        let ots = time::macros::datetime!(2024-02-29 12:34:56.5 +05:30);
        check::<st::Timestamptz, _>(&ots, "timestamptz", S(Decoder::TimestampTz));
        // Non-finite floats through both paths.
        assert!(via_bind::<st::Double, f64>(&f64::NAN, "float8").is_nan());
        assert!(
            via_server::<st::Float, f32>(&f32::NAN, S(Decoder::Float4), "float4", false).is_nan()
        );
        assert_eq!(
            via_bind::<st::Float, f32>(&f32::INFINITY, "float4"),
            f32::INFINITY
        );
        let with_nan: Vec<f64> = via_server::<st::Array<st::Double>, _>(
            &vec![f64::NAN, 2.5],
            A(Decoder::Float8),
            "_float8",
            false,
        );
        assert!(with_nan[0].is_nan() && with_nan[1] == 2.5);
        // longReturnType = STRING.
        assert_eq!(
            via_server::<st::SmallInt, i16>(&-7, S(Decoder::Int2), "int2", true),
            -7
        );
        assert_eq!(
            via_server::<st::Oid, u32>(&u32::MAX, S(Decoder::Oid), "oid", false),
            u32::MAX
        );
        // Types the Data API does not return are bind-path only.
        assert_eq!(
            via_bind::<st::Money, PgMoney>(&PgMoney(-12_345), "money"),
            PgMoney(-12_345)
        );
        assert_eq!(via_bind::<st::CChar, u8>(&0xC4, "char"), 0xC4);
        let r = (
            Bound::Excluded(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()),
            Bound::Unbounded,
        );
        assert_eq!(via_bind::<st::Range<st::Date>, _>(&r, "daterange"), r);
        let mac = [1u8, 2, 3, 4, 5, 6];
        assert_eq!(via_bind::<st::MacAddr, [u8; 6]>(&mac, "macaddr"), mac);
        let lsn = diesel::pg::data_types::PgLsn(u64::MAX);
        assert_eq!(via_bind::<st::PgLsn, _>(&lsn, "pg_lsn"), lsn);
        assert_eq!(
            via_bind::<st::Citext, String>(&"MiXed".to_string(), "citext"),
            "MiXed"
        );
    }

    fn any_text() -> impl Strategy<Value = String> {
        // PostgreSQL text cannot hold NUL.
        any::<String>().prop_map(|s| s.replace('\0', ""))
    }

    fn big_decimal() -> impl Strategy<Value = BigDecimal> {
        let scale = prop_oneof![-40i64..=40, 0i64..=3000, -600i64..0];
        ("-?[0-9]{1,80}", scale).prop_map(|(digits, scale)| {
            BigDecimal::from_str(&format!("{digits}E{}", -scale)).expect("valid decimal")
        })
    }

    fn naive_date() -> impl Strategy<Value = NaiveDate> {
        use chrono::Datelike;
        (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
            .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).expect("in range"))
    }

    fn naive_time() -> impl Strategy<Value = NaiveTime> {
        (0u32..86_400, 0u32..1_000_000).prop_map(|(s, us)| {
            NaiveTime::from_num_seconds_from_midnight_opt(s, us * 1000).expect("valid time")
        })
    }

    fn time_date() -> impl Strategy<Value = time::Date> {
        // Leave room for any UTC offset at the ends of `time`'s ±9999 years.
        (time::Date::MIN.to_julian_day() + 2..=time::Date::MAX.to_julian_day() - 2)
            .prop_map(|d| time::Date::from_julian_day(d).expect("in range"))
    }

    fn time_time() -> impl Strategy<Value = time::Time> {
        (0u8..24, 0u8..60, 0u8..60, 0u32..1_000_000)
            .prop_map(|(h, m, s, us)| time::Time::from_hms_micro(h, m, s, us).expect("valid"))
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any_text().prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map(any_text(), inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn round_trip_integers(a in any::<i16>(), b in any::<i32>(), c in any::<i64>(), o in any::<u32>(), strings in any::<bool>()) {
            check::<st::SmallInt, _>(&a, "int2", S(Decoder::Int2));
            check::<st::Integer, _>(&b, "int4", S(Decoder::Int4));
            check::<st::BigInt, _>(&c, "int8", S(Decoder::Int8));
            check::<st::Oid, _>(&o, "oid", S(Decoder::Oid));
            prop_assert_eq!(via_server::<st::BigInt, i64>(&c, S(Decoder::Int8), "int8", strings), c);
            prop_assert_eq!(via_server::<st::Integer, i32>(&b, S(Decoder::Int4), "int4", strings), b);
        }

        #[test]
        fn round_trip_floats(f in any::<f32>().prop_filter("finite", |f| f.is_finite()),
                             d in any::<f64>().prop_filter("finite", |d| d.is_finite())) {
            // Compare bits: -0.0 must stay -0.0.
            prop_assert_eq!(via_bind::<st::Float, f32>(&f, "float4").to_bits(), f.to_bits());
            prop_assert_eq!(via_server::<st::Float, f32>(&f, S(Decoder::Float4), "float4", false).to_bits(), f.to_bits());
            prop_assert_eq!(via_bind::<st::Double, f64>(&d, "float8").to_bits(), d.to_bits());
            prop_assert_eq!(via_server::<st::Double, f64>(&d, S(Decoder::Float8), "float8", false).to_bits(), d.to_bits());
        }

        #[test]
        fn round_trip_text_and_bytes(t in any_text(), b in prop::collection::vec(any::<u8>(), 0..64)) {
            check::<st::Text, _>(&t, "text", S(Decoder::Text));
            prop_assert_eq!(via_bind::<st::Text, String>(&t, "varchar"), t.clone());
            prop_assert_eq!(via_bind::<st::Citext, String>(&t, "citext"), t);
            check::<st::Binary, _>(&b, "bytea", S(Decoder::Bytea));
        }

        #[test]
        fn round_trip_numeric(v in big_decimal()) {
            let back = via_bind::<st::Numeric, BigDecimal>(&v, "numeric");
            prop_assert_eq!(&back, &v);
            // The scale survives (diesel itself sends every zero with scale 0).
            if !bigdecimal::Zero::is_zero(&v) {
                prop_assert_eq!(back.fractional_digit_count().max(0), v.fractional_digit_count().max(0));
            }
            prop_assert_eq!(via_server::<st::Numeric, BigDecimal>(&v, S(Decoder::Numeric), "numeric", false), v);
        }

        #[test]
        fn round_trip_chrono(d in naive_date(), t in naive_time(), bc in any::<bool>()) {
            check::<st::Date, _>(&d, "date", S(Decoder::Date));
            check::<st::Time, _>(&t, "time", S(Decoder::Time));
            let dt = d.and_time(t);
            check::<st::Timestamp, _>(&dt, "timestamp", S(Decoder::Timestamp));
            check::<st::Timestamptz, _>(&dt.and_utc(), "timestamptz", S(Decoder::TimestampTz));
            check::<st::Timestamptz, NaiveDateTime>(&dt, "timestamptz", S(Decoder::TimestampTz));
            // The BC era explicitly.
            let old = NaiveDate::from_ymd_opt(if bc { -4712 } else { -1 }, 12, 31).unwrap().and_time(t);
            check::<st::Timestamp, _>(&old, "timestamp", S(Decoder::Timestamp));
        }

        #[test]
        fn round_trip_time_crate(d in time_date(), t in time_time(), offset in -86_399i32..=86_399) {
            check::<st::Date, _>(&d, "date", S(Decoder::Date));
            check::<st::Time, _>(&t, "time", S(Decoder::Time));
            let p = time::PrimitiveDateTime::new(d, t);
            check::<st::Timestamp, _>(&p, "timestamp", S(Decoder::Timestamp));
            let o = p.assume_offset(time::UtcOffset::from_whole_seconds(offset).unwrap());
            check::<st::Timestamptz, _>(&o, "timestamptz", S(Decoder::TimestampTz));
        }

        #[test]
        fn round_trip_intervals(us in any::<i64>(), days in any::<i32>(), months in any::<i32>()) {
            check::<st::Interval, _>(&PgInterval::new(us, days, months), "interval", S(Decoder::Interval));
            let small = PgInterval::new(us % (1 << 40), days % 1000, months % 1000);
            check::<st::Interval, _>(&small, "interval", S(Decoder::Interval));
        }

        #[test]
        fn round_trip_uuid_json_money(u in any::<[u8; 16]>(), j in json_value(), m in any::<i64>()) {
            check::<st::Uuid, _>(&uuid::Uuid::from_bytes(u), "uuid", S(Decoder::Uuid));
            check::<st::Json, _>(&j, "json", S(Decoder::Text));
            check::<st::Jsonb, _>(&j, "jsonb", S(Decoder::Jsonb));
            prop_assert_eq!(via_bind::<st::Money, PgMoney>(&PgMoney(m), "money"), PgMoney(m));
        }

        #[test]
        fn round_trip_arrays(
            ints in prop::collection::vec(prop::option::of(any::<i32>()), 0..12),
            longs in prop::collection::vec(any::<i64>(), 0..12),
            texts in prop::collection::vec(prop::option::of(any_text()), 0..8),
            blobs in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..8), 0..6),
            floats in prop::collection::vec(prop::option::of(any::<f64>().prop_filter("finite", |d| d.is_finite())), 0..8),
            bools in prop::collection::vec(prop::option::of(any::<bool>()), 0..8),
            dates in prop::collection::vec(prop::option::of(naive_date()), 0..6),
            nums in prop::collection::vec(prop::option::of(big_decimal()), 0..4),
            uuids in prop::collection::vec(any::<[u8; 16]>().prop_map(uuid::Uuid::from_bytes), 0..4),
        ) {
            check::<st::Array<st::Nullable<st::Integer>>, _>(&ints, "_int4", A(Decoder::Int4));
            check::<st::Array<st::BigInt>, _>(&longs, "_int8", A(Decoder::Int8));
            check::<st::Array<st::Nullable<st::Text>>, _>(&texts, "_text", A(Decoder::Text));
            check::<st::Array<st::Binary>, _>(&blobs, "_bytea", A(Decoder::Bytea));
            check::<st::Array<st::Nullable<st::Double>>, _>(&floats, "_float8", A(Decoder::Float8));
            check::<st::Array<st::Nullable<st::Bool>>, _>(&bools, "_bool", A(Decoder::Bool));
            check::<st::Array<st::Nullable<st::Date>>, _>(&dates, "_date", A(Decoder::Date));
            check::<st::Array<st::Nullable<st::Numeric>>, _>(&nums, "_numeric", A(Decoder::Numeric));
            check::<st::Array<st::Uuid>, _>(&uuids, "_uuid", A(Decoder::Uuid));
            let stamps: Vec<chrono::DateTime<chrono::Utc>> = dates.iter().flatten().map(|d| d.and_hms_opt(1, 2, 3).unwrap().and_utc()).collect();
            check::<st::Array<st::Timestamptz>, _>(&stamps, "_timestamptz", A(Decoder::TimestampTz));
            let plain: Vec<String> = texts.iter().flatten().cloned().collect();
            check::<st::Array<st::Text>, _>(&plain, "_text", A(Decoder::Text));
        }

        #[test]
        fn round_trip_ranges(a in any::<i64>(), b in any::<i64>(), lo_inc in any::<bool>(), hi_inf in any::<bool>()) {
            let lo = if lo_inc { Bound::Included(a) } else { Bound::Excluded(a) };
            let hi = if hi_inf { Bound::Unbounded } else { Bound::Included(b) };
            prop_assert_eq!(via_bind::<st::Range<st::BigInt>, _>(&(lo, hi), "int8range"), (lo, hi));
            let m = vec![(lo, hi), (Bound::Unbounded, Bound::Excluded(b))];
            prop_assert_eq!(via_bind::<st::Multirange<st::BigInt>, _>(&m, "int8multirange"), m);
        }

        /// Arbitrary strings never panic the decoder, whatever the column type.
        #[test]
        fn decoding_garbage_never_panics(text in ".{0,40}", n in any::<i64>(), f in any::<f64>()) {
            for (name, _) in crate::pg::types::BUILTINS.iter().map(|t| (t.name, t.oid)) {
                let _ = decode_field(&Field::StringValue(text.clone()), name);
                let _ = decode_field(&Field::LongValue(n), name);
                let _ = decode_field(&Field::DoubleValue(f), name);
                let _ = decode_field(&Field::StringValue(text.clone()), &format!("_{name}"));
            }
        }
    }
}
