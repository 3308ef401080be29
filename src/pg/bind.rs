//! Bind parameters: diesel's binary PostgreSQL bytes → Data API `Field` + the SQL type to cast
//! the placeholder to.
//!
//! Every Pg parameter is sent as `CAST(:pN AS <exact type>)` because the Data API binds a
//! `stringValue` as `text` (not as an untyped literal): with the cast PostgreSQL parses the
//! string with the type's own input function, so uuid / jsonb / enum / interval / array /
//! timestamptz columns behave as with a native connection. Numbers and booleans travel as
//! JSON numbers / booleans, everything else as PostgreSQL's text input form.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use aws_sdk_rdsdata::primitives::Blob;
use aws_sdk_rdsdata::types::Field;
use diesel::pg::PgTypeMetadata;

use super::types::{BuiltinType, Kind, Resolved, TypeRegistry};
use crate::codec::calendar::{civil_from_days, PG_EPOCH_DAYS_1970, USECS_PER_DAY};
use crate::codec::CodecError;

/// One bind parameter ready for the Data API.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedBind {
    /// The parameter's value (`isNull` for SQL NULL).
    pub value: Field,
    /// The SQL type for `CAST(:pN AS <cast>)`, e.g. `int4`, `text[]`, `"public"."mood"`.
    pub cast: String,
}

/// The SQL that replaces diesel's `$index`: `CAST(:p{index} AS {cast})`.
pub fn placeholder(index: usize, cast: &str) -> String {
    format!("CAST(:{} AS {cast})", crate::sql::param_name(index))
}

/// Encodes one of diesel's binds (`bytes` = `None` for NULL) of the type `meta`.
///
/// Custom types must have been looked up through `registry` (it is the `PgMetadataLookup`
/// given to `collect_binds`), otherwise their OIDs are unknown here.
pub fn encode_bind(
    meta: &PgTypeMetadata,
    bytes: Option<&[u8]>,
    registry: &TypeRegistry,
) -> Result<EncodedBind, CodecError> {
    let oid = meta
        .oid()
        .map_err(|e| CodecError::bind(format!("the type of a parameter is unknown: {e}")))?;
    let resolved = registry.resolve(oid).ok_or_else(|| {
        CodecError::bind(format!(
            "unsupported parameter type (OID {oid}): not a built-in type diesel supports and not \
             looked up through this connection's type registry"
        ))
    })?;
    let cast = resolved.cast();
    let Some(bytes) = bytes else {
        return Ok(EncodedBind {
            value: Field::IsNull(true),
            cast,
        });
    };
    let value = match &resolved {
        Resolved::Builtin(t) => scalar_field(t, bytes, registry)?,
        other => Field::StringValue(text_form(other, bytes, registry)?),
    };
    Ok(EncodedBind { value, cast })
}

/// The `Field` of a built-in scalar: JSON numbers / booleans / blobs where they are exact,
/// otherwise the PostgreSQL text form.
fn scalar_field(
    t: &BuiltinType,
    bytes: &[u8],
    registry: &TypeRegistry,
) -> Result<Field, CodecError> {
    Ok(match t.kind {
        Kind::Bool => Field::BooleanValue(fixed::<1>(bytes, t.name)?[0] != 0),
        Kind::Int2 => Field::LongValue(i16::from_be_bytes(fixed(bytes, t.name)?).into()),
        Kind::Int4 => Field::LongValue(i32::from_be_bytes(fixed(bytes, t.name)?).into()),
        Kind::Int8 => Field::LongValue(i64::from_be_bytes(fixed(bytes, t.name)?)),
        Kind::Oid => Field::LongValue(u32::from_be_bytes(fixed(bytes, t.name)?).into()),
        Kind::Float4 => double_field(f32::from_be_bytes(fixed(bytes, t.name)?).into()),
        Kind::Float8 => double_field(f64::from_be_bytes(fixed(bytes, t.name)?)),
        Kind::Bytea => Field::BlobValue(Blob::new(bytes.to_vec())),
        _ => Field::StringValue(builtin_text(t, bytes, registry)?),
    })
}

/// JSON cannot carry NaN / ±Infinity: they go as the strings PostgreSQL's float input takes.
fn double_field(f: f64) -> Field {
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

/// The PostgreSQL text input form of a value of any resolvable type.
pub(crate) fn text_form(
    resolved: &Resolved,
    bytes: &[u8],
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    match resolved {
        Resolved::Builtin(t) => builtin_text(t, bytes, registry),
        Resolved::Custom(c) => custom_text(&c.cast(), bytes, registry),
        Resolved::Array(element) => array_literal(bytes, element, registry),
    }
}

fn builtin_text(
    t: &BuiltinType,
    bytes: &[u8],
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    let name = t.name;
    Ok(match t.kind {
        Kind::Bool => if fixed::<1>(bytes, name)?[0] != 0 {
            "t"
        } else {
            "f"
        }
        .to_string(),
        Kind::Int2 => i16::from_be_bytes(fixed(bytes, name)?).to_string(),
        Kind::Int4 => i32::from_be_bytes(fixed(bytes, name)?).to_string(),
        Kind::Int8 => i64::from_be_bytes(fixed(bytes, name)?).to_string(),
        Kind::Oid => u32::from_be_bytes(fixed(bytes, name)?).to_string(),
        Kind::Float4 => float_text(f32::from_be_bytes(fixed(bytes, name)?).into(), true),
        Kind::Float8 => float_text(f64::from_be_bytes(fixed(bytes, name)?), false),
        Kind::Numeric => numeric_text(bytes)?,
        Kind::Money => money_text(i64::from_be_bytes(fixed(bytes, name)?)),
        Kind::Text | Kind::Json => utf8(bytes, name)?,
        Kind::Jsonb => match bytes.split_first() {
            Some((1, json)) => utf8(json, name)?,
            Some((v, _)) => return Err(CodecError::bind(format!("unsupported jsonb version {v}"))),
            None => return Err(CodecError::bind("empty jsonb value (no version byte)")),
        },
        Kind::Char => char_text(fixed::<1>(bytes, name)?[0]),
        Kind::Bytea => bytea_hex(bytes),
        Kind::Uuid => uuid_text(&fixed(bytes, name)?),
        Kind::Date => date_text(i32::from_be_bytes(fixed(bytes, name)?)),
        Kind::Time => time_text(i64::from_be_bytes(fixed(bytes, name)?))?,
        Kind::TimeTz => {
            let raw: [u8; 12] = fixed(bytes, name)?;
            let mut us = [0; 8];
            us.copy_from_slice(&raw[..8]);
            let mut zone = [0; 4];
            zone.copy_from_slice(&raw[8..]);
            timetz_text(i64::from_be_bytes(us), i32::from_be_bytes(zone))?
        }
        Kind::Timestamp => timestamp_text(i64::from_be_bytes(fixed(bytes, name)?), false),
        Kind::TimestampTz => timestamp_text(i64::from_be_bytes(fixed(bytes, name)?), true),
        Kind::Interval => {
            let mut r = Reader::new(bytes, name);
            let (us, days, months) = (r.i64()?, r.i32()?, r.i32()?);
            r.finish()?;
            interval_text(us, days, months)
        }
        Kind::Inet | Kind::Cidr => inet_text(bytes, name)?,
        Kind::MacAddr => mac_text(&fixed::<6>(bytes, name)?),
        Kind::MacAddr8 => mac_text(&fixed::<8>(bytes, name)?),
        Kind::PgLsn => {
            let lsn = u64::from_be_bytes(fixed(bytes, name)?);
            format!("{:X}/{:X}", lsn >> 32, lsn & 0xFFFF_FFFF)
        }
        Kind::Range(element) => range_text(bytes, element, name, registry)?,
        Kind::Multirange(element) => {
            let mut r = Reader::new(bytes, name);
            let count = r.u32()?;
            let mut s = String::from("{");
            for i in 0..count {
                if i > 0 {
                    s.push(',');
                }
                let len = r.i32()?;
                let range = r.take(usize::try_from(len).map_err(|_| r.malformed("NULL range"))?)?;
                s.push_str(&range_text(range, element, name, registry)?);
            }
            r.finish()?;
            s.push('}');
            s
        }
        Kind::Record => {
            return Err(CodecError::bind(
                "anonymous record parameters are not supported by PostgreSQL; use a named \
                 composite type",
            ))
        }
    })
}

/// Custom types: enums / citext / domains are UTF-8 text; diesel's `WriteTuple` composites are
/// the binary record format, recognised by its NUL bytes (PostgreSQL text never holds NUL).
fn custom_text(
    type_name: &str,
    bytes: &[u8],
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    if bytes.contains(&0) {
        if let Some(fields) = parse_record(bytes) {
            return composite_literal(&fields, registry);
        }
        return Err(CodecError::bind(format!(
            "a value of type {type_name} contains a NUL byte and is not a binary record"
        )));
    }
    utf8(bytes, type_name)
}

/// One field of a binary record: its type OID and bytes (`None` = NULL).
type RecordField<'a> = (u32, Option<&'a [u8]>);

/// Binary record: i32 count, then per field u32 OID, i32 length (-1 NULL) and bytes; `None`
/// unless the bytes are exactly that.
fn parse_record(bytes: &[u8]) -> Option<Vec<RecordField<'_>>> {
    let mut r = Reader::new(bytes, "record");
    let count = usize::try_from(r.i32().ok()?).ok()?;
    if count > bytes.len() / 8 {
        return None;
    }
    let mut fields = Vec::with_capacity(count);
    for _ in 0..count {
        let oid = r.u32().ok()?;
        let len = r.i32().ok()?;
        let value = match usize::try_from(len) {
            Ok(len) => Some(r.take(len).ok()?),
            Err(_) if len == -1 => None,
            Err(_) => return None,
        };
        fields.push((oid, value));
    }
    r.finish().ok()?;
    Some(fields)
}

/// `("a",,"1")`: NULL fields are empty, the others quoted.
fn composite_literal(
    fields: &[RecordField<'_>],
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    let mut s = String::from("(");
    for (i, (oid, value)) in fields.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        if let Some(value) = value {
            let resolved = registry.resolve(*oid).ok_or_else(|| {
                CodecError::bind(format!("unsupported composite field type (OID {oid})"))
            })?;
            push_quoted(&mut s, &text_form(&resolved, value, registry)?);
        }
    }
    s.push(')');
    Ok(s)
}

/// `"…"` with `"` and `\` backslash-escaped (array, range and record literals).
fn push_quoted(s: &mut String, text: &str) {
    s.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
}

/// Text array literal of diesel's binary array (any number of dimensions; bounds other than 1
/// are written as `[lo:hi]=` decoration). The element type is taken from the header when
/// known, else from the parameter's type.
fn array_literal(
    bytes: &[u8],
    element: &Resolved,
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    let mut r = Reader::new(bytes, "array");
    let ndim = r.i32()?;
    let _has_null = r.i32()?;
    let element_oid = r.u32()?;
    if ndim == 0 {
        return Ok("{}".to_string());
    }
    let ndim = usize::try_from(ndim)
        .ok()
        .filter(|n| *n <= 6)
        .ok_or_else(|| r.malformed("dimension count"))?;
    let mut dims = Vec::with_capacity(ndim);
    let mut total: usize = 1;
    for _ in 0..ndim {
        let len = usize::try_from(r.i32()?).map_err(|_| r.malformed("negative dimension"))?;
        let lower = r.i32()?;
        total = total
            .checked_mul(len)
            .ok_or_else(|| r.malformed("dimensions"))?;
        dims.push((len, lower));
    }
    if total > bytes.len() / 4 {
        return Err(r.malformed("more elements than bytes"));
    }
    let header_element = registry.resolve(element_oid);
    let element = header_element.as_ref().unwrap_or(element);
    let mut s = String::new();
    if dims.iter().any(|&(_, lower)| lower != 1) {
        for &(len, lower) in &dims {
            let upper = i64::from(lower) + len as i64 - 1;
            let _ = write!(s, "[{lower}:{upper}]");
        }
        s.push('=');
    }
    if total == 0 {
        s.push_str("{}");
        r.finish()?;
        return Ok(s);
    }
    write_dimension(&mut s, &dims, &mut r, element, registry)?;
    r.finish()?;
    Ok(s)
}

fn write_dimension(
    s: &mut String,
    dims: &[(usize, i32)],
    r: &mut Reader<'_>,
    element: &Resolved,
    registry: &TypeRegistry,
) -> Result<(), CodecError> {
    let Some((&(len, _), inner)) = dims.split_first() else {
        return Ok(());
    };
    s.push('{');
    for i in 0..len {
        if i > 0 {
            s.push(',');
        }
        if inner.is_empty() {
            let size = r.i32()?;
            if size == -1 {
                s.push_str("NULL");
            } else {
                let size = usize::try_from(size).map_err(|_| r.malformed("element length"))?;
                let value = r.take(size)?;
                push_quoted(s, &text_form(element, value, registry)?);
            }
        } else {
            write_dimension(s, inner, r, element, registry)?;
        }
    }
    s.push('}');
    Ok(())
}

/// Range literal: `empty`, `[lo,hi)`, `(,hi]` with quoted bounds.
fn range_text(
    bytes: &[u8],
    element_oid: u32,
    name: &str,
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    const EMPTY: u8 = 0x01;
    const LB_INC: u8 = 0x02;
    const UB_INC: u8 = 0x04;
    const LB_INF: u8 = 0x08;
    const UB_INF: u8 = 0x10;
    let element = registry.resolve(element_oid).ok_or_else(|| {
        CodecError::bind(format!("unknown range element type (OID {element_oid})"))
    })?;
    let mut r = Reader::new(bytes, name);
    let flags = r.u8()?;
    if flags & EMPTY != 0 {
        r.finish()?;
        return Ok("empty".to_string());
    }
    let mut s = String::from(if flags & LB_INC != 0 { "[" } else { "(" });
    for (inf, last) in [(LB_INF, false), (UB_INF, true)] {
        if flags & inf == 0 {
            let len = usize::try_from(r.i32()?).map_err(|_| r.malformed("bound length"))?;
            let value = r.take(len)?;
            push_quoted(&mut s, &text_form(&element, value, registry)?);
        }
        if !last {
            s.push(',');
        }
    }
    s.push(if flags & UB_INC != 0 { ']' } else { ')' });
    r.finish()?;
    Ok(s)
}

// ---- scalar text forms ----

fn utf8(bytes: &[u8], type_name: &str) -> Result<String, CodecError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|e| CodecError::bind(format!("a {type_name} value is not valid UTF-8: {e}")))
}

fn fixed<const N: usize>(bytes: &[u8], type_name: &str) -> Result<[u8; N], CodecError> {
    bytes.try_into().map_err(|_| {
        CodecError::bind(format!(
            "a {type_name} value must be {N} bytes, got {}",
            bytes.len()
        ))
    })
}

/// Shortest round-trip decimal (`{:?}` switches to exponent form for extreme magnitudes,
/// which float input accepts); `f32` values are printed as `f32` so float4 parses back exactly.
fn float_text(f: f64, single: bool) -> String {
    if !f.is_finite() {
        special_float(f).to_string()
    } else if single {
        format!("{:?}", f as f32)
    } else {
        format!("{f:?}")
    }
}

/// `numeric` binary (u16 ndigits, i16 weight, u16 sign, u16 dscale, base-10000 digits) as
/// exact decimal text with `dscale` fractional digits (PostgreSQL's `get_str_from_var`:
/// digits beyond dscale are truncated, as `numeric_recv` does).
pub(crate) fn numeric_text(bytes: &[u8]) -> Result<String, CodecError> {
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

/// `money` is an i64 count of cents; PostgreSQL's money input uses `lc_monetary`, which is
/// two fractional digits in the C / en_US locales Aurora uses.
fn money_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `"char"` output: printable ASCII as is, NUL as empty, high-bit bytes as `\ooo`
/// (PostgreSQL ≥ 15 reads that back; older versions take the first byte).
fn char_text(byte: u8) -> String {
    match byte {
        0 => String::new(),
        b if b >= 0x80 => format!("\\{b:03o}"),
        b => char::from(b).to_string(),
    }
}

/// bytea's hex text form `\x0a1b…` (used for bytea array elements).
pub(crate) fn bytea_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 + 2 * bytes.len());
    s.push_str("\\x");
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn uuid_text(bytes: &[u8; 16]) -> String {
    let mut s = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `YYYY-MM-DD` (at least 4 year digits) and whether it is BC.
fn ymd(days_since_2000: i64) -> (String, bool) {
    let (y, m, d) = civil_from_days(days_since_2000 + PG_EPOCH_DAYS_1970);
    let bc = y <= 0;
    let year = if bc { 1 - y } else { y };
    (format!("{year:04}-{m:02}-{d:02}"), bc)
}

/// `date`: days since 2000-01-01 → `YYYY-MM-DD`, `YYYY-MM-DD BC`, `infinity`, `-infinity`.
pub(crate) fn date_text(days: i32) -> String {
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
fn push_hms(s: &mut String, us: u64) {
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
pub(crate) fn time_text(us: i64) -> Result<String, CodecError> {
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
fn timetz_text(us: i64, zone_west: i32) -> Result<String, CodecError> {
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
pub(crate) fn timestamp_text(us: i64, utc: bool) -> String {
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

/// `interval` in an input form every PostgreSQL version and `IntervalStyle` parses exactly:
/// every field carries its own sign (`+1 mons -2 days +03:04:05.000006`), so no sign is
/// inherited, and the time is `H:MM:SS.ffffff` (integer parsing; PostgreSQL < 15 limits
/// the hour field to `i32`, ~245,000 years). The one exception is `i64::MIN` µs, whose
/// magnitude PostgreSQL cannot read as `H:MM:SS` (it parses the unsigned time, then negates,
/// and 2^63 µs overflows): it is written as `-9223372036854775808 usec`, which it reads.
pub(crate) fn interval_text(us: i64, days: i32, months: i32) -> String {
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

/// inet / cidr binary (family 2 | 3, bits, is_cidr, address length, address) as `addr/bits`.
fn inet_text(bytes: &[u8], name: &str) -> Result<String, CodecError> {
    let mut r = Reader::new(bytes, name);
    let (family, bits, _is_cidr, len) = (r.u8()?, r.u8()?, r.u8()?, r.u8()?);
    let addr = r.take(usize::from(len))?;
    r.finish()?;
    let (text, width) = match (family, addr) {
        (2, &[a, b, c, d]) => (Ipv4Addr::new(a, b, c, d).to_string(), 32),
        (3, addr) if addr.len() == 16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(addr);
            (Ipv6Addr::from(octets).to_string(), 128)
        }
        _ => {
            return Err(CodecError::bind(format!(
                "malformed {name} value: address family {family}"
            )))
        }
    };
    if bits > width {
        return Err(CodecError::bind(format!("malformed {name} value: /{bits}")));
    }
    Ok(format!("{text}/{bits}"))
}

fn mac_text(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    parts.join(":")
}

/// Big-endian reader over a binary value that reports malformed input as a [`CodecError`].
struct Reader<'a> {
    bytes: &'a [u8],
    what: &'a str,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], what: &'a str) -> Self {
        Self { bytes, what }
    }

    fn malformed(&self, why: &str) -> CodecError {
        CodecError::bind(format!("malformed {} value: {why}", self.what))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        if n > self.bytes.len() {
            return Err(self.malformed("too short"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CodecError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, CodecError> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, CodecError> {
        Ok(u16::from_be_bytes(self.array()?))
    }
    fn i16(&mut self) -> Result<i16, CodecError> {
        Ok(i16::from_be_bytes(self.array()?))
    }
    fn i32(&mut self) -> Result<i32, CodecError> {
        Ok(i32::from_be_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, CodecError> {
        Ok(u32::from_be_bytes(self.array()?))
    }
    fn i64(&mut self) -> Result<i64, CodecError> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    fn finish(&self) -> Result<(), CodecError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(self.malformed("trailing bytes"))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::codec::calendar::USECS_PER_SEC;
    use crate::pg::types::FIRST_SYNTHETIC_OID;
    use bigdecimal::BigDecimal;
    use diesel::pg::data_types::{PgDate, PgInterval, PgMoney, PgNumeric, PgTime, PgTimestamp};
    use diesel::pg::Pg;
    use diesel::query_builder::bind_collector::RawBytesBindCollector;
    use diesel::query_builder::BindCollector;
    use diesel::serialize::ToSql;
    use diesel::sql_types::{self as st, HasSqlType};
    use std::collections::Bound;
    use std::str::FromStr;

    /// diesel's real bind (type metadata and bytes) of `value` as SQL type `ST`.
    pub(crate) fn diesel_bind<ST, T>(
        value: &T,
        registry: &TypeRegistry,
    ) -> (PgTypeMetadata, Option<Vec<u8>>)
    where
        Pg: HasSqlType<ST>,
        T: ToSql<ST, Pg> + ?Sized,
    {
        let mut collector = RawBytesBindCollector::<Pg>::new();
        let mut lookup = registry.lookup();
        collector
            .push_bound_value::<ST, T>(value, &mut lookup)
            .expect("diesel serializes the test value");
        (
            collector.metadata.pop().expect("one bind"),
            collector.binds.pop().expect("one bind"),
        )
    }

    fn enc<ST, T>(value: &T) -> EncodedBind
    where
        Pg: HasSqlType<ST>,
        T: ToSql<ST, Pg> + ?Sized,
    {
        let registry = TypeRegistry::new();
        let (meta, bytes) = diesel_bind::<ST, T>(value, &registry);
        encode_bind(&meta, bytes.as_deref(), &registry).unwrap()
    }

    fn string<ST, T>(value: &T) -> (String, String)
    where
        Pg: HasSqlType<ST>,
        T: ToSql<ST, Pg> + ?Sized,
    {
        let e = enc::<ST, T>(value);
        match e.value {
            Field::StringValue(s) => (s, e.cast),
            other => panic!("expected a stringValue, got {other:?}"),
        }
    }

    fn raw(oid: u32, bytes: &[u8]) -> Result<EncodedBind, CodecError> {
        encode_bind(
            &PgTypeMetadata::new(oid, 0),
            Some(bytes),
            &TypeRegistry::new(),
        )
    }

    fn s(v: &str) -> Field {
        Field::StringValue(v.to_string())
    }

    #[test]
    fn names_and_placeholders() {
        assert_eq!(placeholder(3, "int4[]"), "CAST(:p3 AS int4[])");
    }

    #[test]
    fn nulls_keep_their_cast() {
        let e = enc::<st::Nullable<st::Integer>, Option<i32>>(&None);
        assert_eq!(
            e,
            EncodedBind {
                value: Field::IsNull(true),
                cast: "int4".into()
            }
        );
        let e = enc::<st::Nullable<st::Array<st::Text>>, Option<Vec<String>>>(&None);
        assert_eq!(e.cast, "text[]");
        let e = enc::<st::Nullable<st::Citext>, Option<String>>(&None);
        assert_eq!(
            (e.value, e.cast.as_str()),
            (Field::IsNull(true), "\"citext\"")
        );
    }

    #[test]
    fn numbers_and_booleans_are_json() {
        assert_eq!(enc::<st::Bool, _>(&true).value, Field::BooleanValue(true));
        assert_eq!(enc::<st::Bool, _>(&false).cast, "bool");
        let e = enc::<st::SmallInt, _>(&-2i16);
        assert_eq!((e.value, e.cast.as_str()), (Field::LongValue(-2), "int2"));
        assert_eq!(
            enc::<st::Integer, _>(&i32::MIN).value,
            Field::LongValue(i32::MIN.into())
        );
        let e = enc::<st::BigInt, _>(&i64::MAX);
        assert_eq!(
            (e.value, e.cast.as_str()),
            (Field::LongValue(i64::MAX), "int8")
        );
        let e = enc::<st::Oid, _>(&4_000_000_000u32);
        assert_eq!(
            (e.value, e.cast.as_str()),
            (Field::LongValue(4_000_000_000), "oid")
        );
        let e = enc::<st::Float, _>(&1.1f32);
        assert_eq!(
            (e.value, e.cast.as_str()),
            (Field::DoubleValue(f64::from(1.1f32)), "float4")
        );
        assert_eq!(enc::<st::Double, _>(&0.1f64).value, Field::DoubleValue(0.1));
    }

    #[test]
    fn non_finite_floats_are_strings() {
        assert_eq!(enc::<st::Double, _>(&f64::NAN).value, s("NaN"));
        assert_eq!(enc::<st::Double, _>(&f64::INFINITY).value, s("Infinity"));
        assert_eq!(
            enc::<st::Double, _>(&f64::NEG_INFINITY).value,
            s("-Infinity")
        );
        let e = enc::<st::Float, _>(&f32::NEG_INFINITY);
        assert_eq!((e.value, e.cast.as_str()), (s("-Infinity"), "float4"));
        assert_eq!(enc::<st::Float, _>(&f32::NAN).value, s("NaN"));
    }

    #[test]
    fn numeric_text_is_exact() {
        let dec = |v: &str| string::<st::Numeric, _>(&BigDecimal::from_str(v).unwrap());
        assert_eq!(dec("123456.7890"), ("123456.7890".into(), "numeric".into()));
        assert_eq!(dec("-0.00000012").0, "-0.00000012");
        assert_eq!(dec("0").0, "0");
        assert_eq!(dec("1E+5").0, "100000");
        assert_eq!(
            dec("0.000000000000000000000001").0,
            "0.000000000000000000000001"
        );
        assert_eq!(
            dec("-99999999999999999999999999999.5").0,
            "-99999999999999999999999999999.5"
        );
        assert_eq!(dec("10000.0001").0, "10000.0001");
        assert_eq!(string::<st::Numeric, _>(&PgNumeric::NaN).0, "NaN");
        let pg = |weight, scale, digits: Vec<i16>| {
            string::<st::Numeric, _>(&PgNumeric::Positive {
                weight,
                scale,
                digits,
            })
            .0
        };
        assert_eq!(pg(2, 0, vec![1]), "100000000");
        assert_eq!(pg(0, 3, vec![12, 3400]), "12.340");
        // Digits beyond dscale are cut, as numeric_recv does.
        assert_eq!(pg(0, 2, vec![1, 2345]), "1.23");
        assert_eq!(pg(-2, 8, vec![12]), "0.00000012");
        let neg = PgNumeric::Negative {
            weight: 0,
            scale: 1,
            digits: vec![5, 5000],
        };
        assert_eq!(string::<st::Numeric, _>(&neg).0, "-5.5");
        // Malformed: bad sign, digit out of range, wrong length.
        assert!(raw(1700, &[0, 0, 0, 0, 0x12, 0x34, 0, 0]).is_err());
        assert!(raw(1700, &[0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10]).is_err());
        assert!(raw(1700, &[0, 2, 0, 0, 0, 0, 0, 0, 0, 1]).is_err());
        assert_eq!(
            numeric_text(&[0, 0, 0, 0, 0xD0, 0, 0, 0]).unwrap(),
            "Infinity"
        );
    }

    #[test]
    fn text_types() {
        assert_eq!(
            string::<st::Text, _>("héllo \"x\""),
            ("héllo \"x\"".into(), "text".into())
        );
        assert_eq!(string::<st::VarChar, _>("v").1, "text");
        assert_eq!(
            string::<st::Citext, _>("MiXed"),
            ("MiXed".into(), "\"citext\"".into())
        );
        assert_eq!(raw(1042, b"ab  ").unwrap().cast, "bpchar");
        assert_eq!(raw(19, b"nm").unwrap().value, s("nm"));
        let err = raw(25, &[0x66, 0xff]).unwrap_err();
        assert!(err.to_string().contains("not valid UTF-8"), "{err}");
        assert_eq!(string::<st::CChar, _>(&b'A').0, "A");
        assert_eq!(
            string::<st::CChar, _>(&0xC4u8),
            ("\\304".into(), "\"char\"".into())
        );
    }

    #[test]
    fn custom_types_are_cast_by_name() {
        let registry = TypeRegistry::new();
        let (oid, array_oid) = registry.oids_for("mood", Some("public")).unwrap();
        let meta = PgTypeMetadata::new(oid, array_oid);
        let e = encode_bind(&meta, Some(b"happy"), &registry).unwrap();
        assert_eq!(
            (e.value, e.cast.as_str()),
            (s("happy"), "\"public\".\"mood\"")
        );
        // An array of the enum (diesel's header carries the synthetic element OID).
        let mut arr = Vec::new();
        for v in [1i32, 0, oid as i32, 2, 1, 3] {
            arr.extend_from_slice(&v.to_be_bytes());
        }
        arr.extend_from_slice(b"sad");
        arr.extend_from_slice(&(-1i32).to_be_bytes());
        let e = encode_bind(&PgTypeMetadata::new(array_oid, 0), Some(&arr), &registry).unwrap();
        assert_eq!(
            (e.value, e.cast.as_str()),
            (s("{\"sad\",NULL}"), "\"public\".\"mood\"[]")
        );
        // Unknown OIDs are errors that name the OID.
        let err = encode_bind(
            &PgTypeMetadata::new(FIRST_SYNTHETIC_OID + 100, 0),
            Some(b"x"),
            &registry,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains(&(FIRST_SYNTHETIC_OID + 100).to_string()),
            "{err}"
        );
        assert!(raw(9999, b"x")
            .unwrap_err()
            .to_string()
            .contains("OID 9999"));
    }

    #[test]
    fn composites_become_record_literals() {
        let registry = TypeRegistry::new();
        let (oid, _) = registry.oids_for("pair", None).unwrap();
        let mut rec = Vec::new();
        rec.extend_from_slice(&3i32.to_be_bytes());
        rec.extend_from_slice(&23u32.to_be_bytes());
        rec.extend_from_slice(&4i32.to_be_bytes());
        rec.extend_from_slice(&7i32.to_be_bytes());
        rec.extend_from_slice(&25u32.to_be_bytes());
        rec.extend_from_slice(&4i32.to_be_bytes());
        rec.extend_from_slice(b"a\"\\b");
        rec.extend_from_slice(&25u32.to_be_bytes());
        rec.extend_from_slice(&(-1i32).to_be_bytes());
        let e = encode_bind(&PgTypeMetadata::new(oid, 0), Some(&rec), &registry).unwrap();
        assert_eq!(
            (e.value, e.cast.as_str()),
            (s("(\"7\",\"a\\\"\\\\b\",)"), "\"pair\"")
        );
        // NUL bytes that are not a record.
        assert!(encode_bind(&PgTypeMetadata::new(oid, 0), Some(&[0, 1]), &registry).is_err());
        // Anonymous records cannot be parameters.
        assert!(raw(2249, &rec)
            .unwrap_err()
            .to_string()
            .contains("anonymous record"));
    }

    #[test]
    fn bytea_is_a_blob() {
        let e = enc::<st::Binary, _>(&vec![0u8, 255, 16]);
        assert_eq!(
            (e.value, e.cast.as_str()),
            (Field::BlobValue(Blob::new(vec![0, 255, 16])), "bytea")
        );
        assert_eq!(bytea_hex(&[1, 0xab]), "\\x01ab");
    }

    #[test]
    fn dates_and_times() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(
            string::<st::Date, _>(&d),
            ("2024-02-29".into(), "date".into())
        );
        assert_eq!(string::<st::Date, _>(&PgDate(-746_117)).0, "0044-03-15 BC");
        assert_eq!(string::<st::Date, _>(&PgDate(i32::MAX)).0, "infinity");
        assert_eq!(string::<st::Date, _>(&PgDate(i32::MIN)).0, "-infinity");
        let far = chrono::NaiveDate::from_ymd_opt(12345, 6, 7).unwrap();
        assert_eq!(string::<st::Date, _>(&far).0, "12345-06-07");
        let t = chrono::NaiveTime::from_hms_micro_opt(12, 34, 56, 500_000).unwrap();
        assert_eq!(
            string::<st::Time, _>(&t),
            ("12:34:56.500000".into(), "time".into())
        );
        assert_eq!(
            string::<st::Time, _>(&PgTime(USECS_PER_DAY)).0,
            "24:00:00.000000"
        );
        assert!(raw(1083, &(-1i64).to_be_bytes()).is_err());
        let ts = d.and_hms_micro_opt(12, 34, 56, 123_456).unwrap();
        assert_eq!(
            string::<st::Timestamp, _>(&ts),
            ("2024-02-29 12:34:56.123456".into(), "timestamp".into())
        );
        let utc = ts.and_utc();
        assert_eq!(
            string::<st::Timestamptz, _>(&utc),
            ("2024-02-29 12:34:56.123456+00".into(), "timestamptz".into())
        );
        assert_eq!(
            string::<st::Timestamp, _>(&PgTimestamp(-1)).0,
            "1999-12-31 23:59:59.999999"
        );
        assert_eq!(
            string::<st::Timestamptz, _>(&PgTimestamp(-746_117 * USECS_PER_DAY + 1_000_000)).0,
            "0044-03-15 00:00:01.000000+00 BC"
        );
        assert_eq!(
            string::<st::Timestamp, _>(&PgTimestamp(i64::MAX)).0,
            "infinity"
        );
        assert_eq!(
            string::<st::Timestamptz, _>(&PgTimestamp(i64::MIN)).0,
            "-infinity"
        );
        // timetz: 12:00 at UTC+02 is stored with zone -7200 (seconds west).
        let mut tz = (12 * 3600 * USECS_PER_SEC).to_be_bytes().to_vec();
        tz.extend_from_slice(&(-7200i32).to_be_bytes());
        assert_eq!(raw(1266, &tz).unwrap().value, s("12:00:00.000000+02:00:00"));
    }

    #[test]
    fn intervals_carry_every_sign() {
        let us = |h: i64, m: i64, s: i64, f: i64| ((h * 60 + m) * 60 + s) * 1_000_000 + f;
        let i = |micros, days, months| {
            string::<st::Interval, _>(&PgInterval::new(micros, days, months))
        };
        assert_eq!(
            i(us(4, 5, 6, 789_000), 3, 14),
            (
                "+14 mons +3 days +04:05:06.789000".into(),
                "interval".into()
            )
        );
        assert_eq!(i(0, 0, 0).0, "+0 mons +0 days +00:00:00.000000");
        assert_eq!(i(-1, -2, -14).0, "-14 mons -2 days -00:00:00.000001");
        assert_eq!(i(i64::MIN, i32::MIN, i32::MIN).0, "-infinity");
        assert_eq!(i(i64::MAX, i32::MAX, i32::MAX).0, "infinity");
        assert_eq!(
            i(i64::MIN, 0, i32::MIN).0,
            "-2147483648 mons +0 days -9223372036854775808 usec"
        );
        assert_eq!(
            i(i64::MIN + 1, 0, 0).0,
            "+0 mons +0 days -2562047788:00:54.775807"
        );
    }

    #[test]
    fn other_scalars() {
        let u = uuid::Uuid::parse_str("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11").unwrap();
        assert_eq!(
            string::<st::Uuid, _>(&u),
            ("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11".into(), "uuid".into())
        );
        let j = serde_json::json!({"a": [1, 2], "b": "x"});
        assert_eq!(string::<st::Json, _>(&j), (j.to_string(), "json".into()));
        assert_eq!(string::<st::Jsonb, _>(&j), (j.to_string(), "jsonb".into()));
        assert!(raw(3802, b"\x02{}")
            .unwrap_err()
            .to_string()
            .contains("jsonb version"));
        assert!(raw(3802, b"").is_err());
        assert_eq!(
            string::<st::Money, _>(&PgMoney(12345)),
            ("123.45".into(), "money".into())
        );
        assert_eq!(string::<st::Money, _>(&PgMoney(-5)).0, "-0.05");
        assert_eq!(
            string::<st::Money, _>(&PgMoney(i64::MIN)).0,
            "-92233720368547758.08"
        );
        assert_eq!(
            raw(869, &[2, 8, 0, 4, 10, 0, 0, 1]).unwrap().value,
            s("10.0.0.1/8")
        );
        let mut v6 = vec![3, 64, 1, 16, 0x20, 0x01, 0x0d, 0xb8];
        v6.extend_from_slice(&[0; 12]);
        let e = raw(650, &v6).unwrap();
        assert_eq!((e.value, e.cast.as_str()), (s("2001:db8::/64"), "cidr"));
        assert!(raw(869, &[2, 33, 0, 4, 10, 0, 0, 1]).is_err());
        assert!(raw(869, &[2, 32, 0, 5, 10, 0, 0, 1]).is_err());
        assert_eq!(
            string::<st::MacAddr, _>(&[8u8, 0, 0x2b, 1, 2, 3]),
            ("08:00:2b:01:02:03".into(), "macaddr".into())
        );
        assert_eq!(
            string::<st::MacAddr8, _>(&[8u8, 0, 0x2b, 1, 2, 3, 4, 5]).0,
            "08:00:2b:01:02:03:04:05"
        );
        let lsn = diesel::pg::data_types::PgLsn(0x16_B374_D848);
        assert_eq!(
            string::<st::PgLsn, _>(&lsn),
            ("16/B374D848".into(), "pg_lsn".into())
        );
    }

    #[test]
    fn wrong_sizes_are_errors() {
        assert!(raw(23, &[0, 1])
            .unwrap_err()
            .to_string()
            .contains("must be 4 bytes"));
        assert!(raw(21, &[0, 0, 0, 1]).is_err());
        assert!(raw(16, &[]).is_err());
        assert!(raw(700, &[0; 8]).is_err());
        assert!(raw(1186, &[0; 12]).is_err());
        assert!(raw(2950, &[0; 15]).is_err());
        let failed = PgTypeMetadata::from_result(Err(diesel::pg::FailedToLookupTypeError::new(
            diesel::pg::PgMetadataCacheKey::new(None, "nope".into()),
        )));
        let err = encode_bind(&failed, Some(b"x"), &TypeRegistry::new()).unwrap_err();
        assert!(err.to_string().contains("unknown"), "{err}");
    }

    #[test]
    fn arrays_become_text_literals() {
        let (v, cast) =
            string::<st::Array<st::Nullable<st::Integer>>, _>(&vec![Some(1), None, Some(3)]);
        assert_eq!(
            (v.as_str(), cast.as_str()),
            ("{\"1\",NULL,\"3\"}", "int4[]")
        );
        let strings = vec![
            "a".to_string(),
            "b \"c\"".into(),
            "d\\e".into(),
            "NULL".into(),
            String::new(),
        ];
        let (v, cast) = string::<st::Array<st::Text>, _>(&strings);
        assert_eq!(v, r#"{"a","b \"c\"","d\\e","NULL",""}"#);
        assert_eq!(cast, "text[]");
        assert_eq!(
            string::<st::Array<st::Integer>, _>(&Vec::<i32>::new()).0,
            "{}"
        );
        let (v, cast) = string::<st::Array<st::Binary>, _>(&vec![vec![1u8, 2]]);
        assert_eq!((v.as_str(), cast.as_str()), (r#"{"\\x0102"}"#, "bytea[]"));
        let (v, cast) = string::<st::Array<st::Citext>, _>(&vec!["x".to_string()]);
        assert_eq!((v.as_str(), cast.as_str()), ("{\"x\"}", "\"citext\"[]"));
        let (v, _) = string::<st::Array<st::Double>, _>(&vec![f64::NAN, 1e300, -0.5]);
        assert_eq!(v, "{\"NaN\",\"1e300\",\"-0.5\"}");
        let (v, _) = string::<st::Array<st::Bool>, _>(&vec![true, false]);
        assert_eq!(v, "{\"t\",\"f\"}");
        // ndim 0 (as PostgreSQL itself sends empty arrays).
        let empty = [0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23];
        assert_eq!(raw(1007, &empty).unwrap().value, s("{}"));
        // Two dimensions and a non-default lower bound.
        let mut two = Vec::new();
        for v in [2i32, 0, 23, 2, 1, 1, 0] {
            two.extend_from_slice(&v.to_be_bytes());
        }
        for v in [1i32, 2] {
            two.extend_from_slice(&4i32.to_be_bytes());
            two.extend_from_slice(&v.to_be_bytes());
        }
        assert_eq!(
            raw(1007, &two).unwrap().value,
            s("[1:2][0:0]={{\"1\"},{\"2\"}}")
        );
        // Truncated / lying headers.
        assert!(raw(1007, &two[..two.len() - 1]).is_err());
        let mut huge = Vec::new();
        for v in [1i32, 0, 23, i32::MAX, 1] {
            huge.extend_from_slice(&v.to_be_bytes());
        }
        assert!(raw(1007, &huge).is_err());
        assert!(raw(1007, &[0, 0]).is_err());
    }

    #[test]
    fn ranges_and_multiranges() {
        let r = (Bound::Included(1i32), Bound::Excluded(5i32));
        assert_eq!(
            string::<st::Range<st::Integer>, _>(&r),
            ("[\"1\",\"5\")".into(), "int4range".into())
        );
        let r = (Bound::Unbounded, Bound::Included(5i64));
        assert_eq!(
            string::<st::Range<st::BigInt>, _>(&r),
            ("(,\"5\"]".into(), "int8range".into())
        );
        let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
        let r = (Bound::Excluded(d), Bound::Unbounded);
        assert_eq!(string::<st::Range<st::Date>, _>(&r).0, "(\"2024-01-02\",)");
        assert_eq!(raw(3904, &[1]).unwrap().value, s("empty"));
        let m = vec![
            (Bound::Included(1i32), Bound::Excluded(3i32)),
            (Bound::Included(5), Bound::Excluded(7)),
        ];
        assert_eq!(
            string::<st::Multirange<st::Integer>, _>(&m),
            (
                "{[\"1\",\"3\"),[\"5\",\"7\")}".into(),
                "int4multirange".into()
            )
        );
        let r = (
            Bound::Included(BigDecimal::from_str("1.50").unwrap()),
            Bound::Unbounded,
        );
        assert_eq!(
            string::<st::Range<st::Numeric>, _>(&r),
            ("[\"1.50\",)".into(), "numrange".into())
        );
    }
}
