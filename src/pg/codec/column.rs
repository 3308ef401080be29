//! Result decoding: the per-column decoder and the dispatch from a column's type to its
//! family's parser.

use aws_sdk_rdsdata::types::Field;

use super::array::array_value;
use super::datetime::{parse_date, parse_time, parse_timestamp, parse_timetz};
use super::interval::parse_interval;
use super::network::{parse_inet, parse_lsn, parse_mac};
use super::numeric::{integer, numeric_bytes, parse_float, parse_money};
use super::range::{parse_multirange, parse_range};
use super::text::{parse_bool, parse_bytea, parse_char};
use super::types::{
    builtin_by_array_oid, builtin_by_name, builtin_by_oid, BuiltinType, Kind, TEXT_OID,
};
use super::{invalid, mismatch, Parser};
use crate::codec::CodecError;
use crate::connection::cell_bytes::CellBytes;

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
    /// The common scalars (integers and booleans in their native `Field`) as inline bytes
    /// and their OID, without a buffer; `None` for anything else, which [`decode`](Self::decode)
    /// reads (and reports, when out of range).
    pub(crate) fn decode_inline(&self, field: &Field) -> Option<(CellBytes, u32)> {
        let Column::Scalar(Some(t)) = &self.column else {
            return None;
        };
        let bytes = match (t.kind, field) {
            (Kind::Int2, Field::LongValue(v)) => {
                CellBytes::inline(i16::try_from(*v).ok()?.to_be_bytes())
            }
            (Kind::Int4, Field::LongValue(v)) => {
                CellBytes::inline(i32::try_from(*v).ok()?.to_be_bytes())
            }
            (Kind::Int8, Field::LongValue(v)) => CellBytes::inline(v.to_be_bytes()),
            (Kind::Bool, Field::BooleanValue(b)) => CellBytes::inline([u8::from(*b)]),
            _ => return None,
        };
        Some((bytes, t.oid))
    }

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
pub(super) fn unknown_value(field: &Field, type_name: &str) -> Result<RawValue, CodecError> {
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

pub(super) fn scalar_bytes(
    t: &BuiltinType,
    field: &Field,
    type_name: &str,
) -> Result<Vec<u8>, CodecError> {
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

#[cfg(test)]
mod tests;
