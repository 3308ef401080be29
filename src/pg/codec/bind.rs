//! Bind encoding: the placeholder, and the dispatch from a parameter's type to its family's
//! text or JSON form.

use std::borrow::Cow;

use aws_sdk_rdsdata::primitives::Blob;
use aws_sdk_rdsdata::types::Field;
use diesel::pg::PgTypeMetadata;

use super::array::array_literal;
use super::datetime::{date_text, time_text, timestamp_text, timetz_text};
use super::interval::interval_text;
use super::network::{inet_text, lsn_text, mac_text};
use super::numeric::{double_field, float_text, money_text, numeric_text};
use super::range::{multirange_text, range_text};
use super::record::custom_text;
use super::text::{bytea_hex, char_text, uuid_text};
use super::types::{BuiltinType, Kind, Resolved, TypeRegistry};
use super::{fixed, utf8, Reader};
use crate::codec::CodecError;

/// One bind parameter ready for the Data API.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedBind {
    /// The parameter's value (`isNull` for SQL NULL).
    pub value: Field,
    /// The SQL type for `:pN::<cast>`, e.g. `int4`, `text[]`, `"public"."mood"` (a built-in
    /// scalar's name is borrowed, not allocated per bind).
    pub cast: Cow<'static, str>,
}

/// The SQL that replaces diesel's `$index`: `:p{index}::{cast}`. The `::` form rather than
/// `CAST(… AS …)`: 8 characters less per parameter keeps a 1,000-row, 4-column INSERT under
/// the Data API's 64 KiB of SQL (one call instead of chunks in a transaction), and less SQL
/// is less to serialize and lex. `::` binds tighter than any operator, so the cast applies
/// to the parameter alone; where a subscript follows, the rewrite adds parentheses.
#[cfg(test)]
pub fn placeholder(index: usize, cast: &str) -> String {
    let mut out = String::new();
    write_placeholder(&mut out, index, Some(cast));
    out
}

/// [`placeholder`] appended to `out`; without a cast the bare `:pN` (a placeholder with no
/// bind behind it, which the server then names as missing).
pub(crate) fn write_placeholder(out: &mut String, index: usize, cast: Option<&str>) {
    crate::sql::push_named(out, index);
    if let Some(cast) = cast {
        out.push_str("::");
        out.push_str(cast);
    }
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
    let cast = resolved.cast_name();
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

/// The PostgreSQL text input form of a value of any resolvable type.
pub(super) fn text_form(
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
        Kind::PgLsn => lsn_text(u64::from_be_bytes(fixed(bytes, name)?)),
        Kind::Range(element) => range_text(bytes, element, name, registry)?,
        Kind::Multirange(element) => multirange_text(bytes, element, name, registry)?,
        Kind::Record => {
            return Err(CodecError::bind(
                "anonymous record parameters are not supported by PostgreSQL; use a named \
                 composite type",
            ))
        }
    })
}

#[cfg(test)]
mod tests;
