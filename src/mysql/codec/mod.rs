//! The MySQL value codec: the bind dispatch here, result decoding in [`column`], and the
//! families whose two directions share rules in [`numeric`] and [`datetime`].
//!
//! Binds: diesel's MySQL bind bytes (native-endian numbers, ASCII decimals, the 48-byte
//! `MysqlTime` struct) → a Data API `Field`, plus the cast to wrap around the placeholder
//! where the plain `Field` would lose information. MySQL converts a string parameter
//! implicitly wherever a typed value is needed, so most binds need no cast (unlike
//! PostgreSQL). The exceptions get `CAST(:pN AS <wrap>)`:
//! - dates and times travel as strings; the cast keeps them temporal in expressions
//!   (`GREATEST`, `CASE`, `:p + INTERVAL 1 DAY` compare / compute as strings otherwise) and
//!   `DATETIME(6)` / `TIME(6)` keep the microseconds a bare `DATETIME` would round away;
//! - `u64` above `i64::MAX` cannot be a `longValue`: it goes as a string cast to `UNSIGNED`,
//!   because a string in arithmetic or comparisons is converted to DOUBLE (inexact).
//!
//! Decimals go as strings with the `DECIMAL` type hint, so the Data API sends an exact decimal
//! rather than a string MySQL would compare as DOUBLE.

use aws_sdk_rdsdata::primitives::Blob;
use aws_sdk_rdsdata::types::{Field, TypeHint};
use diesel::mysql::MysqlType;

use crate::codec::CodecError;

mod column;
mod datetime;
mod numeric;

pub(crate) use column::{ColumnDecoder, RawValue};
use datetime::{date_text, datetime_text, read_time, time_text};
use numeric::{bit_bind, decimal_text, float, signed, unsigned, unsigned_bind};

/// One bind parameter ready for the Data API.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EncodedBind {
    /// The parameter's value (`isNull` for SQL NULL).
    pub value: Field,
    /// The `typeHint` to send with the parameter, if any.
    pub type_hint: Option<TypeHint>,
    /// The SQL type to cast the placeholder to (`CAST(:pN AS <wrap>)`), if the plain value
    /// would lose information.
    pub wrap: Option<&'static str>,
}

impl EncodedBind {
    fn plain(value: Field) -> Self {
        Self {
            value,
            type_hint: None,
            wrap: None,
        }
    }

    fn wrapped(value: Field, wrap: &'static str) -> Self {
        Self {
            value,
            type_hint: None,
            wrap: Some(wrap),
        }
    }
}

/// The SQL that replaces diesel's `index`-th (1-based) `?`: `:pN`, or `CAST(:pN AS <wrap>)`.
#[cfg(test)]
pub(crate) fn placeholder(index: usize, wrap: Option<&str>) -> String {
    let mut out = String::new();
    write_placeholder(&mut out, index, wrap);
    out
}

/// [`placeholder`] appended to `out` (no `format!` per parameter).
pub(crate) fn write_placeholder(out: &mut String, index: usize, wrap: Option<&str>) {
    match wrap {
        Some(ty) => {
            out.push_str("CAST(");
            crate::sql::push_named(out, index);
            out.push_str(" AS ");
            out.push_str(ty);
            out.push(')');
        }
        None => crate::sql::push_named(out, index),
    }
}

/// Encodes one of diesel's MySQL binds (`bytes` = `None` for NULL) tagged `ty`.
pub(crate) fn encode_bind(ty: MysqlType, bytes: Option<&[u8]>) -> Result<EncodedBind, CodecError> {
    let Some(bytes) = bytes else {
        return Ok(EncodedBind::plain(Field::IsNull(true)));
    };
    Ok(match ty {
        // diesel's `bool` is a 4-byte i32 tagged Tiny, so the width comes from the byte count.
        MysqlType::Tiny | MysqlType::Short | MysqlType::Long | MysqlType::LongLong => {
            EncodedBind::plain(Field::LongValue(signed(bytes, ty)?))
        }
        MysqlType::UnsignedTiny
        | MysqlType::UnsignedShort
        | MysqlType::UnsignedLong
        | MysqlType::UnsignedLongLong => unsigned_bind(unsigned(bytes, ty)?),
        MysqlType::Float | MysqlType::Double => {
            let f = float(bytes, ty)?;
            if !f.is_finite() {
                return Err(CodecError::bind(
                    "MySQL cannot store NaN or infinite floating point values",
                ));
            }
            EncodedBind::plain(Field::DoubleValue(f))
        }
        MysqlType::Numeric => EncodedBind {
            value: Field::StringValue(decimal_text(bytes)?),
            type_hint: Some(TypeHint::Decimal),
            wrap: None,
        },
        MysqlType::Date => {
            EncodedBind::wrapped(Field::StringValue(date_text(&read_time(bytes)?)?), "DATE")
        }
        MysqlType::Time => EncodedBind::wrapped(
            Field::StringValue(time_text(&read_time(bytes)?)?),
            "TIME(6)",
        ),
        MysqlType::DateTime | MysqlType::Timestamp => EncodedBind::wrapped(
            Field::StringValue(datetime_text(&read_time(bytes)?)?),
            "DATETIME(6)",
        ),
        MysqlType::String | MysqlType::Enum | MysqlType::Set => {
            EncodedBind::plain(Field::StringValue(utf8(bytes, ty)?))
        }
        MysqlType::Blob => EncodedBind::plain(Field::BlobValue(Blob::new(bytes.to_vec()))),
        MysqlType::Bit => bit_bind(bytes)?,
        other => {
            return Err(CodecError::bind(format!(
                "unsupported MySQL parameter type {other:?}"
            )))
        }
    })
}

// ---- text ----

fn utf8(bytes: &[u8], ty: MysqlType) -> Result<String, CodecError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|e| CodecError::bind(format!("a {ty:?} parameter is not valid UTF-8: {e}")))
}

#[cfg(test)]
mod tests;
