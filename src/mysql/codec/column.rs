//! Result values: Data API `Field` + the column's `typeName` (and, where known, the
//! `MysqlType` diesel expects) → the bytes and type tag diesel's `FromSql<_, Mysql>` impls
//! read through `MysqlValue::new`: native-endian integers as wide as the column (TINYINT = 1
//! byte even though the Data API sends a `longValue`), FLOAT as 4 bytes, DECIMAL as ASCII,
//! dates and times as the 48-byte `MysqlTime` struct, text and blobs as their bytes.
//!
//! diesel dispatches on the tag and converts between numeric representations itself, so the
//! column's own representation is kept. The expected type matters where the Data API's value
//! is a string the column type does not explain (a VARCHAR expression read as a number or a
//! date, as libmysqlclient would convert it) and where diesel wants text (any value read as
//! `Text` / `Binary` keeps its text, as a native connection would hand it over). Anything that
//! does not parse is an error, never a guessed value.

use aws_sdk_rdsdata::types::Field;
use diesel::mysql::MysqlType;

use super::datetime::parse_temporal;
use super::numeric::{bit_value, is_decimal};
use crate::codec::{field_kind, CodecError};
use crate::connection::cell_bytes::CellBytes;

/// One decoded value: the bytes and type tag to hand to `MysqlValue::new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawValue {
    /// The value as diesel's MySQL `FromSql` impls read it.
    pub bytes: Vec<u8>,
    /// The tag `MysqlValue` dispatches on.
    pub ty: MysqlType,
}

/// How a column's values are represented, from its `typeName`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// `BIT` (also what the Data API reports for TINYINT(1)): `booleanValue`.
    Bit,
    /// `BOOL` / `BOOLEAN`.
    Bool,
    /// An integer column, with the tag of its width and signedness.
    Int(MysqlType),
    /// `YEAR`: a `stringValue` such as `"2021"` (diesel reads it as an unsigned SMALLINT).
    Year,
    Float,
    Double,
    Decimal,
    /// DATE / TIME / DATETIME / TIMESTAMP, with that tag.
    Temporal(MysqlType),
    /// Character data, tagged String, Enum or Set.
    Text(MysqlType),
    /// BINARY / VARBINARY / BLOB / GEOMETRY.
    Binary,
    /// A type name this crate does not know (or `NULL`): decoded by the `Field`'s kind.
    Unknown,
}

/// The decoder of one result column, resolved once from its `typeName` so a load does not
/// look the type up again for every value.
#[derive(Debug, Clone)]
pub(crate) struct ColumnDecoder {
    type_name: String,
    column: Column,
    expected: Option<MysqlType>,
}

impl ColumnDecoder {
    /// Resolves the column's type; `expected` is the type diesel's row metadata asks for,
    /// where known (sync `load`).
    pub(crate) fn new(type_name: &str, expected: Option<MysqlType>) -> Self {
        ColumnDecoder {
            type_name: type_name.to_string(),
            column: column_kind(type_name),
            expected,
        }
    }

    /// Decodes one value (`Ok(None)` for SQL NULL), moving text into place instead of
    /// copying it.
    pub(crate) fn decode(&self, field: Field) -> Result<Option<RawValue>, CodecError> {
        if let Field::IsNull(is_null) = field {
            return if is_null {
                Ok(None)
            } else {
                Err(CodecError::result(format!(
                    "a {} column has isNull: false, which is not a value",
                    self.type_name
                )))
            };
        }
        if let Some(ty) = self.expected.filter(|t| is_textual(*t)) {
            return self.as_text(field, ty).map(Some);
        }
        let column = match (&field, self.column, self.expected) {
            (Field::StringValue(_), Column::Text(_) | Column::Unknown, Some(expected)) => {
                for_expected(expected).unwrap_or(self.column)
            }
            _ => self.column,
        };
        self.decode_as(column, field).map(Some)
    }

    /// The value's text (or bytes) under a text / blob tag, as a native connection converts
    /// any column read into a string buffer.
    fn as_text(&self, field: Field, ty: MysqlType) -> Result<RawValue, CodecError> {
        let bytes = match field {
            Field::StringValue(s) => s.into_bytes(),
            Field::BlobValue(b) => b.into_inner(),
            Field::LongValue(v) => v.to_string().into_bytes(),
            Field::DoubleValue(v) => v.to_string().into_bytes(),
            Field::BooleanValue(b) => vec![if b { b'1' } else { b'0' }],
            other => return Err(self.mismatch(&other)),
        };
        Ok(RawValue { bytes, ty })
    }

    fn decode_as(&self, column: Column, field: Field) -> Result<RawValue, CodecError> {
        let raw = |bytes: Vec<u8>, ty| Ok(RawValue { bytes, ty });
        match (column, field) {
            // BOOL and BIT: 0 / 1 in one byte (FromSql<Bool> reads any non-zero byte, the
            // integer impls read a Tiny).
            (
                Column::Bit | Column::Bool | Column::Int(_) | Column::Unknown,
                Field::BooleanValue(b),
            ) if self.expected != Some(MysqlType::Bit) => raw(vec![u8::from(b)], MysqlType::Tiny),
            (
                Column::Bit | Column::Bool | Column::Int(_) | Column::Unknown,
                Field::BooleanValue(b),
            ) => raw(vec![u8::from(b)], MysqlType::Bit),
            (Column::Bit, Field::LongValue(v)) if self.expected == Some(MysqlType::Bit) => {
                raw(v.to_be_bytes().to_vec(), MysqlType::Bit)
            }
            (Column::Bit, Field::BlobValue(b)) if self.expected == Some(MysqlType::Bit) => {
                raw(b.into_inner(), MysqlType::Bit)
            }
            (Column::Bit, Field::BlobValue(b)) => {
                let v = bit_value(b.as_ref()).ok_or_else(|| {
                    CodecError::result(format!(
                        "a {} value of {} bytes does not fit 64 bits",
                        self.type_name,
                        b.as_ref().len()
                    ))
                })?;
                raw(v.to_ne_bytes().to_vec(), MysqlType::UnsignedLongLong)
            }
            (Column::Bit | Column::Unknown, Field::LongValue(v)) => {
                raw(v.to_ne_bytes().to_vec(), MysqlType::LongLong)
            }
            (Column::Bool, Field::LongValue(v)) => self.integer(v.into(), MysqlType::Tiny),
            (Column::Int(ty), Field::LongValue(v)) => self.integer(v.into(), ty),
            (Column::Bool | Column::Int(_) | Column::Year, Field::StringValue(s)) => {
                let v = s
                    .trim()
                    .parse::<i128>()
                    .map_err(|_| self.invalid(&s, "not an integer"))?;
                let ty = match column {
                    Column::Int(ty) => ty,
                    Column::Year => MysqlType::UnsignedShort,
                    _ => MysqlType::Tiny,
                };
                self.integer(v, ty)
            }
            (Column::Year, Field::LongValue(v)) => self.integer(v.into(), MysqlType::UnsignedShort),
            (Column::Float, Field::DoubleValue(v)) => {
                // The server prints a FLOAT as its shortest decimal, which rounds back exactly.
                let f = v as f32;
                if v.is_finite() && f.is_infinite() {
                    return Err(self.out_of_range(v));
                }
                raw(f.to_ne_bytes().to_vec(), MysqlType::Float)
            }
            (Column::Float, Field::LongValue(v)) => {
                raw((v as f32).to_ne_bytes().to_vec(), MysqlType::Float)
            }
            (Column::Float, Field::StringValue(s)) => {
                let f = s
                    .trim()
                    .parse::<f32>()
                    .map_err(|_| self.invalid(&s, "not a floating-point number"))?;
                raw(f.to_ne_bytes().to_vec(), MysqlType::Float)
            }
            (Column::Double | Column::Unknown, Field::DoubleValue(v)) => {
                raw(v.to_ne_bytes().to_vec(), MysqlType::Double)
            }
            (Column::Double, Field::LongValue(v)) => {
                raw((v as f64).to_ne_bytes().to_vec(), MysqlType::Double)
            }
            (Column::Double, Field::StringValue(s)) => {
                let f = s
                    .trim()
                    .parse::<f64>()
                    .map_err(|_| self.invalid(&s, "not a floating-point number"))?;
                raw(f.to_ne_bytes().to_vec(), MysqlType::Double)
            }
            (Column::Decimal, Field::StringValue(s)) => {
                let t = s.trim();
                if !is_decimal(t) {
                    return Err(self.invalid(&s, "not a decimal number"));
                }
                let bytes = if t.len() == s.len() {
                    s.into_bytes()
                } else {
                    t.as_bytes().to_vec()
                };
                raw(bytes, MysqlType::Numeric)
            }
            // decimalReturnType = DOUBLE_OR_LONG. Display prints the shortest exact decimal,
            // never in exponent form.
            (Column::Decimal, Field::LongValue(v)) => {
                raw(v.to_string().into_bytes(), MysqlType::Numeric)
            }
            (Column::Decimal, Field::DoubleValue(v)) if v.is_finite() => {
                raw(v.to_string().into_bytes(), MysqlType::Numeric)
            }
            (Column::Temporal(ty), Field::StringValue(s)) => {
                let t = parse_temporal(&s, ty).map_err(|why| self.invalid(&s, why))?;
                raw(t.serialize().to_vec(), ty)
            }
            (Column::Text(ty), Field::StringValue(s)) => raw(s.into_bytes(), ty),
            (Column::Text(ty), Field::BlobValue(b)) => raw(b.into_inner(), ty),
            (Column::Unknown, Field::StringValue(s)) => raw(s.into_bytes(), MysqlType::String),
            (Column::Binary | Column::Unknown, Field::BlobValue(b)) => {
                raw(b.into_inner(), MysqlType::Blob)
            }
            (Column::Binary, Field::StringValue(s)) => raw(s.into_bytes(), MysqlType::Blob),
            (_, other) => Err(self.mismatch(&other)),
        }
    }

    /// An integer in the width of `ty`, refusing values that do not fit (never truncating).
    fn integer(&self, v: i128, ty: MysqlType) -> Result<RawValue, CodecError> {
        let (bytes, ty) = self.integer_bytes(v, ty)?;
        Ok(RawValue {
            bytes: bytes.as_slice().to_vec(),
            ty,
        })
    }

    /// `v` as the integer of tag `ty` (native byte order, as diesel's `FromSql` reads it).
    fn integer_bytes(&self, v: i128, ty: MysqlType) -> Result<(CellBytes, MysqlType), CodecError> {
        let range = |_| self.out_of_range(v);
        let bytes = match ty {
            MysqlType::Tiny => CellBytes::inline(i8::try_from(v).map_err(range)?.to_ne_bytes()),
            MysqlType::UnsignedTiny => {
                CellBytes::inline(u8::try_from(v).map_err(range)?.to_ne_bytes())
            }
            MysqlType::Short => CellBytes::inline(i16::try_from(v).map_err(range)?.to_ne_bytes()),
            MysqlType::UnsignedShort => {
                CellBytes::inline(u16::try_from(v).map_err(range)?.to_ne_bytes())
            }
            MysqlType::Long => CellBytes::inline(i32::try_from(v).map_err(range)?.to_ne_bytes()),
            MysqlType::UnsignedLong => {
                CellBytes::inline(u32::try_from(v).map_err(range)?.to_ne_bytes())
            }
            MysqlType::UnsignedLongLong => {
                CellBytes::inline(u64::try_from(v).map_err(range)?.to_ne_bytes())
            }
            _ => CellBytes::inline(i64::try_from(v).map_err(range)?.to_ne_bytes()),
        };
        let ty = if is_integer(ty) {
            ty
        } else {
            MysqlType::LongLong
        };
        Ok((bytes, ty))
    }

    /// A character column's `stringValue` (or any `stringValue` diesel reads as text) as its
    /// bytes, moved, without the general dispatch of [`decode`](Self::decode) (which gives
    /// the same); the field back for anything else.
    pub(crate) fn decode_text(&self, field: Field) -> Result<RawValue, Field> {
        match (field, self.column, self.expected) {
            (Field::StringValue(s), _, Some(ty)) if is_textual(ty) => Ok(RawValue {
                bytes: s.into_bytes(),
                ty,
            }),
            (Field::StringValue(s), Column::Text(ty), None) => Ok(RawValue {
                bytes: s.into_bytes(),
                ty,
            }),
            (field, ..) => Err(field),
        }
    }

    /// An integer column's `longValue` as inline bytes and its tag, without a buffer; `None`
    /// for anything else, which [`decode`](Self::decode) reads (and reports, when out of
    /// range).
    pub(crate) fn decode_inline(&self, field: &Field) -> Option<(CellBytes, MysqlType)> {
        if self.expected.is_some_and(is_textual) {
            return None;
        }
        match (self.column, field) {
            (Column::Int(ty), Field::LongValue(v)) => self.integer_bytes(i128::from(*v), ty).ok(),
            _ => None,
        }
    }

    fn mismatch(&self, field: &Field) -> CodecError {
        CodecError::result(format!(
            "a {} column cannot hold {}",
            self.type_name,
            field_kind(field)
        ))
    }

    fn invalid(&self, text: &str, why: &str) -> CodecError {
        let mut shown: String = text.chars().take(64).collect();
        if shown.len() < text.len() {
            shown.push('…');
        }
        CodecError::result(format!("invalid {} value {shown:?}: {why}", self.type_name))
    }

    fn out_of_range(&self, v: impl std::fmt::Display) -> CodecError {
        CodecError::result(format!(
            "{v} is out of range for a {} column",
            self.type_name
        ))
    }
}

fn is_textual(ty: MysqlType) -> bool {
    matches!(
        ty,
        MysqlType::String | MysqlType::Enum | MysqlType::Set | MysqlType::Blob
    )
}

fn is_integer(ty: MysqlType) -> bool {
    matches!(
        ty,
        MysqlType::Tiny
            | MysqlType::UnsignedTiny
            | MysqlType::Short
            | MysqlType::UnsignedShort
            | MysqlType::Long
            | MysqlType::UnsignedLong
            | MysqlType::LongLong
            | MysqlType::UnsignedLongLong
    )
}

/// How to read a string of a text column when diesel expects `expected` (libmysqlclient
/// converts such a value into the buffer type diesel asked for).
fn for_expected(expected: MysqlType) -> Option<Column> {
    match expected {
        t if is_integer(t) => Some(Column::Int(t)),
        MysqlType::Float => Some(Column::Float),
        MysqlType::Double => Some(Column::Double),
        MysqlType::Numeric => Some(Column::Decimal),
        t @ (MysqlType::Date | MysqlType::Time | MysqlType::DateTime | MysqlType::Timestamp) => {
            Some(Column::Temporal(t))
        }
        _ => None,
    }
}

/// The column kind of a MySQL `typeName` (`INT UNSIGNED`, `DECIMAL`, `varchar(10)`, …):
/// case and `(…)` modifiers are ignored, `UNSIGNED` picks the unsigned tag.
fn column_kind(type_name: &str) -> Column {
    let mut base = String::with_capacity(type_name.len());
    let mut depth = 0usize;
    for c in type_name.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => base.push(c.to_ascii_uppercase()),
            _ => {}
        }
    }
    let words: Vec<&str> = base.split_whitespace().collect();
    let unsigned = words.contains(&"UNSIGNED");
    let name = words
        .iter()
        .copied()
        .filter(|w| !matches!(*w, "UNSIGNED" | "SIGNED" | "ZEROFILL"))
        .collect::<Vec<_>>()
        .join(" ");
    let int = |signed, unsigned_ty| Column::Int(if unsigned { unsigned_ty } else { signed });
    match name.as_str() {
        "BIT" => Column::Bit,
        "BOOL" | "BOOLEAN" => Column::Bool,
        "TINYINT" | "INT1" => int(MysqlType::Tiny, MysqlType::UnsignedTiny),
        "SMALLINT" | "INT2" => int(MysqlType::Short, MysqlType::UnsignedShort),
        "MEDIUMINT" | "MIDDLEINT" | "INT3" | "INT24" | "INT" | "INTEGER" | "INT4" => {
            int(MysqlType::Long, MysqlType::UnsignedLong)
        }
        "BIGINT" | "INT8" => int(MysqlType::LongLong, MysqlType::UnsignedLongLong),
        "SERIAL" => Column::Int(MysqlType::UnsignedLongLong),
        "YEAR" => Column::Year,
        "FLOAT" | "FLOAT4" => Column::Float,
        "DOUBLE" | "DOUBLE PRECISION" | "REAL" | "FLOAT8" => Column::Double,
        "DECIMAL" | "NUMERIC" | "DEC" | "FIXED" | "NEWDECIMAL" => Column::Decimal,
        "DATE" | "NEWDATE" => Column::Temporal(MysqlType::Date),
        "TIME" => Column::Temporal(MysqlType::Time),
        "DATETIME" => Column::Temporal(MysqlType::DateTime),
        "TIMESTAMP" => Column::Temporal(MysqlType::Timestamp),
        "ENUM" => Column::Text(MysqlType::Enum),
        "SET" => Column::Text(MysqlType::Set),
        // JSON is text to diesel (its Json type is tagged String); MariaDB reports LONGTEXT.
        "CHAR" | "VARCHAR" | "NCHAR" | "NVARCHAR" | "CHARACTER" | "CHARACTER VARYING"
        | "NATIONAL CHAR" | "NATIONAL VARCHAR" | "LONG VARCHAR" | "LONG" | "TINYTEXT" | "TEXT"
        | "MEDIUMTEXT" | "LONGTEXT" | "JSON" => Column::Text(MysqlType::String),
        "BINARY" | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB"
        | "LONG VARBINARY" | "GEOMETRY" | "POINT" | "LINESTRING" | "POLYGON" | "MULTIPOINT"
        | "MULTILINESTRING" | "MULTIPOLYGON" | "GEOMETRYCOLLECTION" | "GEOMCOLLECTION" => {
            Column::Binary
        }
        _ => Column::Unknown,
    }
}

#[cfg(test)]
mod tests;
