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

use std::os::raw::c_ulong;

use aws_sdk_rdsdata::types::Field;
use diesel::mysql::data_types::{MysqlTime, MysqlTimestampType};
use diesel::mysql::MysqlType;

use crate::codec::calendar::fraction_micros;
use crate::codec::{field_kind, CodecError};

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
        let range = |_| self.out_of_range(v);
        let bytes = match ty {
            MysqlType::Tiny => i8::try_from(v).map_err(range)?.to_ne_bytes().to_vec(),
            MysqlType::UnsignedTiny => u8::try_from(v).map_err(range)?.to_ne_bytes().to_vec(),
            MysqlType::Short => i16::try_from(v).map_err(range)?.to_ne_bytes().to_vec(),
            MysqlType::UnsignedShort => u16::try_from(v).map_err(range)?.to_ne_bytes().to_vec(),
            MysqlType::Long => i32::try_from(v).map_err(range)?.to_ne_bytes().to_vec(),
            MysqlType::UnsignedLong => u32::try_from(v).map_err(range)?.to_ne_bytes().to_vec(),
            MysqlType::UnsignedLongLong => u64::try_from(v).map_err(range)?.to_ne_bytes().to_vec(),
            _ => i64::try_from(v).map_err(range)?.to_ne_bytes().to_vec(),
        };
        let ty = if is_integer(ty) {
            ty
        } else {
            MysqlType::LongLong
        };
        Ok(RawValue { bytes, ty })
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

/// A big-endian bit string of at most 64 significant bits.
fn bit_value(bytes: &[u8]) -> Option<u64> {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let significant = &bytes[start..];
    (significant.len() <= 8).then(|| {
        significant
            .iter()
            .fold(0u64, |acc, b| acc << 8 | u64::from(*b))
    })
}

/// `[+-]digits[.digits][e[+-]digits]`, at least one digit in the mantissa.
fn is_decimal(s: &str) -> bool {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    !(int.is_empty() && frac.is_empty()) && digits(int) && digits(frac) && exponent_ok
}

// ---- dates and times ----

fn number(s: &str, len: Option<usize>) -> Result<u32, &'static str> {
    if s.is_empty() || len.is_some_and(|n| s.len() != n) || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err("malformed date or time");
    }
    s.parse().map_err(|_| "number too large")
}

/// `H+:MM:SS[.f]` → (hours, minutes, seconds, microseconds).
fn parse_hms(s: &str) -> Result<(u32, u32, u32, u32), &'static str> {
    let (hms, frac) = match s.split_once('.') {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (s, None),
    };
    let mut parts = hms.split(':');
    let (Some(h), Some(m), Some(sec), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("expected HH:MM:SS");
    };
    let (h, m, sec) = (number(h, None)?, number(m, Some(2))?, number(sec, Some(2))?);
    if m > 59 || sec > 59 {
        return Err("minutes or seconds out of range");
    }
    Ok((
        h,
        m,
        sec,
        frac.map(|f| {
            if f.is_empty() {
                Err("bad fractional seconds")
            } else {
                fraction_micros(f)
            }
        })
        .transpose()?
        .unwrap_or(0),
    ))
}

/// `YYYY-MM-DD` → (year, month, day); zero months / days (MySQL's zero dates) allowed.
fn parse_ymd(s: &str) -> Result<(u32, u32, u32), &'static str> {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("expected YYYY-MM-DD");
    };
    let (y, m, d) = (
        number(y, Some(4))?,
        number(m, Some(2))?,
        number(d, Some(2))?,
    );
    if m > 12 || d > 31 {
        return Err("month or day out of range");
    }
    Ok((y, m, d))
}

/// A DATE (`YYYY-MM-DD`), DATETIME / TIMESTAMP (`YYYY-MM-DD HH:MM:SS[.ffffff]`, `T` also
/// accepted) or TIME (`[-]H+:MM:SS[.ffffff]`, hours past 24) string as diesel's `MysqlTime`
/// for a value tagged `ty`.
fn parse_temporal(s: &str, ty: MysqlType) -> Result<MysqlTime, &'static str> {
    let s = s.trim();
    let time = |y, mo, d, h, mi, sec, us: u32, neg, tt| {
        MysqlTime::new(y, mo, d, h, mi, sec, c_ulong::from(us), neg, tt, 0)
    };
    if ty == MysqlType::Time {
        let (neg, hms) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (h, mi, sec, us) = parse_hms(hms)?;
        return Ok(time(
            0,
            0,
            0,
            h,
            mi,
            sec,
            us,
            neg,
            MysqlTimestampType::MYSQL_TIMESTAMP_TIME,
        ));
    }
    let (date, rest) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim_start())),
        None => (s, None),
    };
    let (y, mo, d) = parse_ymd(date)?;
    let Some(rest) = rest else {
        let tt = if ty == MysqlType::Date {
            MysqlTimestampType::MYSQL_TIMESTAMP_DATE
        } else {
            MysqlTimestampType::MYSQL_TIMESTAMP_DATETIME
        };
        return Ok(time(y, mo, d, 0, 0, 0, 0, false, tt));
    };
    let (h, mi, sec, us) = parse_hms(rest)?;
    if h > 23 {
        return Err("hour out of range");
    }
    Ok(time(
        y,
        mo,
        d,
        h,
        mi,
        sec,
        us,
        false,
        MysqlTimestampType::MYSQL_TIMESTAMP_DATETIME,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mysql::bind::tests::diesel_bind;
    use crate::mysql::bind::{encode_bind, EncodedBind};
    use aws_sdk_rdsdata::primitives::Blob;
    use aws_sdk_rdsdata::types::ArrayValue;
    use bigdecimal::BigDecimal;
    use diesel::deserialize::FromSql;
    use diesel::mysql::sql_types::{Datetime, Unsigned};
    use diesel::mysql::{Mysql, MysqlValue};
    use diesel::serialize::ToSql;
    use diesel::sql_types::{self as st, HasSqlType};
    use proptest::prelude::*;
    use std::fmt::Debug;
    use std::str::FromStr;

    fn s(v: &str) -> Field {
        Field::StringValue(v.into())
    }

    fn decode(type_name: &str, expected: Option<MysqlType>, field: Field) -> RawValue {
        ColumnDecoder::new(type_name, expected)
            .decode(field)
            .unwrap()
            .expect("not NULL")
    }

    fn decode_err(type_name: &str, expected: Option<MysqlType>, field: Field) -> String {
        ColumnDecoder::new(type_name, expected)
            .decode(field)
            .unwrap_err()
            .to_string()
    }

    /// Reads a decoded value through diesel's own `FromSql`.
    fn read<ST, T: FromSql<ST, Mysql>>(raw: &RawValue) -> diesel::deserialize::Result<T> {
        T::from_sql(MysqlValue::new(&raw.bytes, raw.ty))
    }

    fn get<ST, T: FromSql<ST, Mysql>>(
        type_name: &str,
        expected: Option<MysqlType>,
        field: Field,
    ) -> T {
        read::<ST, T>(&decode(type_name, expected, field)).unwrap()
    }

    /// Fractional seconds as the Data API prints them: none when zero, else trailing zeros
    /// stripped (the local server's `fraction`).
    fn strip_fraction(text: &str) -> String {
        match text.split_once('.') {
            Some((whole, frac)) => match frac.trim_end_matches('0') {
                "" => whole.to_string(),
                f => format!("{whole}.{f}"),
            },
            None => text.to_string(),
        }
    }

    /// What the Data API returns for a column of `type_name` that stored the bound value,
    /// in the local server's formats (integration/src/engine/mysql_types.rs).
    fn returned(bind: &EncodedBind, type_name: &str) -> Field {
        match (&bind.value, type_name) {
            // TINYINT(1) is reported as BIT with a booleanValue.
            (Field::LongValue(v), "BIT") => Field::BooleanValue(*v != 0),
            // The server stores the double as FLOAT and prints its shortest decimal.
            (Field::DoubleValue(d), "FLOAT") => {
                Field::DoubleValue((*d as f32).to_string().parse().unwrap())
            }
            (Field::StringValue(t), "TIME" | "DATETIME" | "TIMESTAMP") => s(&strip_fraction(t)),
            (other, _) => other.clone(),
        }
    }

    /// Binds `value` with diesel, encodes it, lets the "server" store it in a `type_name`
    /// column and decodes what comes back, once without and once with diesel's expected
    /// type; returns both reads.
    fn through<ST, T>(value: &T, type_name: &str) -> [T; 2]
    where
        Mysql: HasSqlType<ST>,
        T: ToSql<ST, Mysql> + FromSql<ST, Mysql>,
    {
        let (ty, bytes) = diesel_bind::<ST, T>(value);
        let bind = encode_bind(ty, bytes.as_deref()).unwrap();
        let field = returned(&bind, type_name);
        [None, Some(ty)].map(|expected| {
            read::<ST, T>(&decode(type_name, expected, field.clone()))
                .unwrap_or_else(|e| panic!("{type_name} {field:?} as {expected:?}: {e}"))
        })
    }

    fn round_trip<ST, T>(value: &T, type_name: &str)
    where
        Mysql: HasSqlType<ST>,
        T: ToSql<ST, Mysql> + FromSql<ST, Mysql> + PartialEq + Debug,
    {
        for back in through::<ST, T>(value, type_name) {
            assert_eq!(&back, value, "{type_name}");
        }
    }

    // ---- type names ----

    #[test]
    fn type_names_resolve() {
        use MysqlType as T;
        let cases = [
            ("INT", Column::Int(T::Long)),
            ("int unsigned", Column::Int(T::UnsignedLong)),
            ("TINYINT", Column::Int(T::Tiny)),
            ("tinyint(4) unsigned zerofill", Column::Int(T::UnsignedTiny)),
            ("SMALLINT UNSIGNED", Column::Int(T::UnsignedShort)),
            ("MEDIUMINT", Column::Int(T::Long)),
            ("BIGINT UNSIGNED", Column::Int(T::UnsignedLongLong)),
            ("SERIAL", Column::Int(T::UnsignedLongLong)),
            ("BIT", Column::Bit),
            ("BOOLEAN", Column::Bool),
            ("YEAR", Column::Year),
            ("FLOAT UNSIGNED", Column::Float),
            ("DOUBLE", Column::Double),
            ("DECIMAL(10,2)", Column::Decimal),
            ("DATE", Column::Temporal(T::Date)),
            ("TIME", Column::Temporal(T::Time)),
            ("DATETIME", Column::Temporal(T::DateTime)),
            ("TIMESTAMP", Column::Temporal(T::Timestamp)),
            ("VARCHAR", Column::Text(T::String)),
            ("LONGTEXT", Column::Text(T::String)),
            ("JSON", Column::Text(T::String)),
            ("ENUM", Column::Text(T::Enum)),
            ("SET", Column::Text(T::Set)),
            ("VARBINARY", Column::Binary),
            ("MEDIUMBLOB", Column::Binary),
            ("GEOMETRY", Column::Binary),
            ("NULL", Column::Unknown),
            ("", Column::Unknown),
            ("VECTOR", Column::Unknown),
        ];
        for (name, want) in cases {
            assert_eq!(column_kind(name), want, "{name}");
        }
    }

    // ---- rules ----

    #[test]
    fn nulls() {
        assert_eq!(
            ColumnDecoder::new("INT", None).decode(Field::IsNull(true)),
            Ok(None)
        );
        assert_eq!(
            ColumnDecoder::new("NULL", Some(MysqlType::String)).decode(Field::IsNull(true)),
            Ok(None)
        );
        assert!(decode_err("INT", None, Field::IsNull(false)).contains("isNull: false"));
    }

    #[test]
    fn integers_take_the_column_width() {
        let cases: [(&str, i64, MysqlType, Vec<u8>); 8] = [
            (
                "TINYINT",
                -128,
                MysqlType::Tiny,
                (-128i8).to_ne_bytes().to_vec(),
            ),
            ("TINYINT UNSIGNED", 255, MysqlType::UnsignedTiny, vec![255]),
            (
                "SMALLINT",
                -32768,
                MysqlType::Short,
                i16::MIN.to_ne_bytes().to_vec(),
            ),
            (
                "SMALLINT UNSIGNED",
                65535,
                MysqlType::UnsignedShort,
                u16::MAX.to_ne_bytes().to_vec(),
            ),
            (
                "MEDIUMINT",
                -8_388_608,
                MysqlType::Long,
                (-8_388_608i32).to_ne_bytes().to_vec(),
            ),
            (
                "INT UNSIGNED",
                4_294_967_295,
                MysqlType::UnsignedLong,
                u32::MAX.to_ne_bytes().to_vec(),
            ),
            (
                "BIGINT",
                i64::MIN,
                MysqlType::LongLong,
                i64::MIN.to_ne_bytes().to_vec(),
            ),
            (
                "BIGINT UNSIGNED",
                i64::MAX,
                MysqlType::UnsignedLongLong,
                i64::MAX.to_ne_bytes().to_vec(),
            ),
        ];
        for (name, v, ty, bytes) in cases {
            assert_eq!(
                decode(name, None, Field::LongValue(v)),
                RawValue {
                    bytes: bytes.clone(),
                    ty
                },
                "{name}"
            );
            // longReturnType = STRING
            assert_eq!(
                decode(name, None, s(&v.to_string())),
                RawValue { bytes, ty }
            );
        }
        // BIGINT UNSIGNED above i64::MAX arrives as a string.
        let raw = decode("BIGINT UNSIGNED", None, s("18446744073709551615"));
        assert_eq!(raw.ty, MysqlType::UnsignedLongLong);
        assert_eq!(read::<Unsigned<st::BigInt>, u64>(&raw).unwrap(), u64::MAX);
        // Never truncated.
        let err = decode_err("TINYINT", None, Field::LongValue(300));
        assert_eq!(
            err,
            "cannot decode a result value: 300 is out of range for a TINYINT column"
        );
        assert!(decode_err("INT UNSIGNED", None, Field::LongValue(-1)).contains("out of range"));
        assert!(decode_err("BIGINT", None, s("18446744073709551615")).contains("out of range"));
        assert!(decode_err("INT", None, s("12a")).contains("not an integer"));
        // Mismatches name the column type and the Field kind.
        assert_eq!(
            decode_err("INT", None, Field::DoubleValue(1.5)),
            "cannot decode a result value: a INT column cannot hold a doubleValue"
        );
        assert!(
            decode_err("INT", None, Field::BlobValue(Blob::new(vec![1])))
                .contains("cannot hold a blobValue")
        );
        // Any integer tag reads as any integer type (diesel narrows with overflow checks).
        assert_eq!(
            get::<st::BigInt, i64>("TINYINT", None, Field::LongValue(-5)),
            -5
        );
        assert_eq!(
            get::<st::TinyInt, i8>("BIGINT", None, Field::LongValue(-5)),
            -5
        );
    }

    #[test]
    fn booleans_and_bits() {
        for name in ["BIT", "BOOLEAN", "TINYINT", "WHATEVER"] {
            for (b, byte) in [(true, 1u8), (false, 0)] {
                let raw = decode(name, None, Field::BooleanValue(b));
                assert_eq!(
                    raw,
                    RawValue {
                        bytes: vec![byte],
                        ty: MysqlType::Tiny
                    }
                );
                assert_eq!(read::<st::Bool, bool>(&raw).unwrap(), b);
                assert_eq!(read::<st::Integer, i32>(&raw).unwrap(), i32::from(b));
            }
        }
        // BIT(n) as bytes: a big-endian integer (or the raw bits when diesel asks for Bit).
        let bits = Field::BlobValue(Blob::new(vec![0x01, 0x02]));
        let raw = decode("BIT", None, bits.clone());
        assert_eq!(read::<Unsigned<st::BigInt>, u64>(&raw).unwrap(), 0x0102);
        assert_eq!(
            decode("BIT", Some(MysqlType::Bit), bits),
            RawValue {
                bytes: vec![1, 2],
                ty: MysqlType::Bit
            }
        );
        assert_eq!(
            decode("BIT", Some(MysqlType::Bit), Field::BooleanValue(true)),
            RawValue {
                bytes: vec![1],
                ty: MysqlType::Bit
            }
        );
        assert_eq!(
            decode("BIT", Some(MysqlType::Bit), Field::LongValue(5)),
            RawValue {
                bytes: 5i64.to_be_bytes().to_vec(),
                ty: MysqlType::Bit
            }
        );
        assert!(
            decode_err("BIT", None, Field::BlobValue(Blob::new(vec![1; 9]))).contains("64 bits")
        );
        let raw = decode("BIT", None, Field::LongValue(5));
        assert_eq!(read::<st::BigInt, i64>(&raw).unwrap(), 5);
        assert!(read::<st::Bool, bool>(&raw).unwrap());
        assert!(!read::<st::Bool, bool>(&decode("BOOLEAN", None, s("0"))).unwrap());
        assert!(decode_err("DATE", None, Field::BooleanValue(true)).contains("booleanValue"));
    }

    #[test]
    fn floats() {
        let raw = decode("FLOAT", None, Field::DoubleValue(1.1));
        assert_eq!(
            raw,
            RawValue {
                bytes: 1.1f32.to_ne_bytes().to_vec(),
                ty: MysqlType::Float
            }
        );
        assert_eq!(read::<st::Float, f32>(&raw).unwrap(), 1.1f32);
        assert!(decode_err("FLOAT", None, Field::DoubleValue(1e300)).contains("out of range"));
        assert_eq!(
            get::<st::Float, f32>("FLOAT", None, Field::LongValue(3)),
            3.0
        );
        assert_eq!(get::<st::Float, f32>("FLOAT", None, s("2.5")), 2.5);
        let raw = decode("DOUBLE", None, Field::DoubleValue(0.1));
        assert_eq!(
            raw,
            RawValue {
                bytes: 0.1f64.to_ne_bytes().to_vec(),
                ty: MysqlType::Double
            }
        );
        assert_eq!(
            get::<st::Double, f64>("DOUBLE", None, Field::LongValue(-7)),
            -7.0
        );
        assert_eq!(get::<st::Double, f64>("DOUBLE", None, s("1e300")), 1e300);
        assert!(decode_err("DOUBLE", None, s("x")).contains("not a floating-point number"));
        assert!(decode_err("DOUBLE", None, Field::BooleanValue(true)).contains("booleanValue"));
    }

    #[test]
    fn decimals_are_ascii() {
        let raw = decode("DECIMAL", None, s("0.10"));
        assert_eq!(
            raw,
            RawValue {
                bytes: b"0.10".to_vec(),
                ty: MysqlType::Numeric
            }
        );
        let dec = |v: &str| BigDecimal::from_str(v).unwrap();
        assert_eq!(read::<st::Numeric, BigDecimal>(&raw).unwrap(), dec("0.1"));
        assert_eq!(read::<st::Double, f64>(&raw).unwrap(), 0.1);
        assert_eq!(get::<st::BigInt, i64>("DECIMAL", None, s("-42")), -42);
        // decimalReturnType = DOUBLE_OR_LONG
        assert_eq!(
            get::<st::Numeric, BigDecimal>("DECIMAL", None, Field::LongValue(42)),
            dec("42")
        );
        assert_eq!(
            get::<st::Numeric, BigDecimal>("DECIMAL", None, Field::DoubleValue(1.25)),
            dec("1.25")
        );
        assert_eq!(
            get::<st::Numeric, BigDecimal>("DECIMAL", None, Field::DoubleValue(1e-7)),
            dec("0.0000001")
        );
        assert!(decode_err("DECIMAL", None, Field::DoubleValue(f64::NAN)).contains("doubleValue"));
        for bad in ["", "1.2.3", "abc", "1e", "--1", "NaN"] {
            assert!(
                decode_err("DECIMAL", None, s(bad)).contains("not a decimal"),
                "{bad}"
            );
        }
        assert!(is_decimal("-1.5E+3") && is_decimal(".5") && is_decimal("5."));
    }

    #[test]
    fn dates_and_times_are_mysql_time_structs() {
        let raw = decode("DATE", None, s("2024-02-29"));
        assert_eq!(raw.ty, MysqlType::Date);
        assert_eq!(raw.bytes.len(), std::mem::size_of::<MysqlTime>());
        let want = MysqlTime::new(
            2024,
            2,
            29,
            0,
            0,
            0,
            0,
            false,
            MysqlTimestampType::MYSQL_TIMESTAMP_DATE,
            0,
        );
        assert_eq!(raw.bytes, want.serialize().to_vec());
        assert_eq!(
            read::<st::Date, chrono::NaiveDate>(&raw).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        let raw = decode("DATETIME", None, s("2024-02-29 12:34:56.5"));
        assert_eq!(raw.ty, MysqlType::DateTime);
        let want = MysqlTime::new(
            2024,
            2,
            29,
            12,
            34,
            56,
            500_000,
            false,
            MysqlTimestampType::MYSQL_TIMESTAMP_DATETIME,
            0,
        );
        assert_eq!(raw.bytes, want.serialize().to_vec());
        assert_eq!(
            decode("TIMESTAMP", None, s("2024-02-29T12:34:56.500000")).bytes,
            raw.bytes
        );
        assert_eq!(
            decode("TIMESTAMP", None, s("2024-02-29 12:34:56")).ty,
            MysqlType::Timestamp
        );
        // TIME: hours past 24 and negative values are kept; diesel itself refuses negatives.
        let raw = decode("TIME", None, s("-838:59:59.000001"));
        let want = MysqlTime::new(
            0,
            0,
            0,
            838,
            59,
            59,
            1,
            true,
            MysqlTimestampType::MYSQL_TIMESTAMP_TIME,
            0,
        );
        assert_eq!(
            (raw.ty, &raw.bytes),
            (MysqlType::Time, &want.serialize().to_vec())
        );
        let err = read::<st::Time, MysqlTime>(&raw).unwrap_err();
        assert!(err.to_string().contains("Negative"), "{err}");
        let raw = decode("TIME", None, s("100:00:01"));
        let t = read::<st::Time, MysqlTime>(&raw).unwrap();
        assert_eq!((t.hour, t.minute, t.second, t.day), (100, 0, 1, 0));
        assert_eq!(
            get::<st::Time, chrono::NaiveTime>("TIME", None, s("01:02:03.000004")),
            chrono::NaiveTime::from_hms_micro_opt(1, 2, 3, 4).unwrap()
        );
        // Zero dates are representable (diesel's chrono reader refuses them).
        let raw = decode("DATE", None, s("0000-00-00"));
        assert!(read::<st::Date, chrono::NaiveDate>(&raw).is_err());
        for (name, bad) in [
            ("DATE", "2024-2-29"),
            ("DATE", "2024-13-01"),
            ("DATE", "24-02-29"),
            ("DATE", "2024-02-29-1"),
            ("DATETIME", "2024-02-29 24:00:00"),
            ("DATETIME", "2024-02-29 12:60:00"),
            ("DATETIME", "2024-02-29 12:00:00."),
            ("DATETIME", "2024-02-29 12:00:00.1234567"),
            ("DATETIME", "2024-02-29 12:00"),
            ("TIME", "12:00"),
            ("TIME", "--1:00:00"),
            ("TIME", "99999999999:00:00"),
            ("TIME", ""),
        ] {
            let err = decode_err(name, None, s(bad));
            assert!(
                err.contains(&format!("invalid {name} value")),
                "{bad}: {err}"
            );
        }
        // Extra fractional digits are fine when zero (never rounded).
        assert_eq!(
            decode("TIME", None, s("00:00:00.1000000")).bytes,
            decode("TIME", None, s("00:00:00.1")).bytes
        );
        assert!(decode_err("DATE", None, Field::LongValue(20240229)).contains("longValue"));
    }

    #[test]
    fn text_and_binary() {
        for (name, ty) in [
            ("VARCHAR", MysqlType::String),
            ("CHAR", MysqlType::String),
            ("TEXT", MysqlType::String),
            ("JSON", MysqlType::String),
            ("ENUM", MysqlType::Enum),
            ("SET", MysqlType::Set),
        ] {
            let raw = decode(name, None, s("x,ü"));
            assert_eq!(
                raw,
                RawValue {
                    bytes: "x,ü".as_bytes().to_vec(),
                    ty
                }
            );
            assert_eq!(read::<st::Text, String>(&raw).unwrap(), "x,ü");
        }
        assert!(
            decode_err("VARCHAR", None, Field::LongValue(1)).contains("cannot hold a longValue")
        );
        let raw = decode(
            "BINARY",
            None,
            Field::BlobValue(Blob::new(vec![1, 2, 0, 0])),
        );
        assert_eq!(
            raw,
            RawValue {
                bytes: vec![1, 2, 0, 0],
                ty: MysqlType::Blob
            }
        );
        assert_eq!(read::<st::Binary, Vec<u8>>(&raw).unwrap(), vec![1, 2, 0, 0]);
        assert_eq!(
            decode("BLOB", None, s("ab")),
            RawValue {
                bytes: b"ab".to_vec(),
                ty: MysqlType::Blob
            }
        );
        let json: serde_json::Value = get::<st::Json, _>("LONGTEXT", None, s("{\"a\": [1, null]}"));
        assert_eq!(json, serde_json::json!({"a": [1, null]}));
        let arr = Field::ArrayValue(ArrayValue::LongValues(vec![Some(1)]));
        assert!(decode_err("TEXT", None, arr.clone()).contains("arrayValue"));
        assert!(decode_err("VARCHAR", Some(MysqlType::String), arr).contains("arrayValue"));
    }

    #[test]
    fn years() {
        let raw = decode("YEAR", None, s("2021"));
        assert_eq!(
            raw,
            RawValue {
                bytes: 2021u16.to_ne_bytes().to_vec(),
                ty: MysqlType::UnsignedShort
            }
        );
        assert_eq!(read::<st::SmallInt, i16>(&raw).unwrap(), 2021);
        assert_eq!(read::<st::Integer, i32>(&raw).unwrap(), 2021);
        assert_eq!(
            get::<Unsigned<st::SmallInt>, u16>("YEAR", None, Field::LongValue(1901)),
            1901
        );
        assert!(decode_err("YEAR", None, s("20x1")).contains("invalid YEAR value"));
    }

    #[test]
    fn unknown_types_go_by_field_kind() {
        let cases = [
            (s("a"), MysqlType::String, b"a".to_vec()),
            (
                Field::LongValue(-2),
                MysqlType::LongLong,
                (-2i64).to_ne_bytes().to_vec(),
            ),
            (
                Field::DoubleValue(0.5),
                MysqlType::Double,
                0.5f64.to_ne_bytes().to_vec(),
            ),
            (
                Field::BlobValue(Blob::new(vec![9])),
                MysqlType::Blob,
                vec![9],
            ),
            (Field::BooleanValue(true), MysqlType::Tiny, vec![1]),
        ];
        for (field, ty, bytes) in cases {
            assert_eq!(decode("GEOGRAPHY", None, field), RawValue { bytes, ty });
        }
    }

    #[test]
    fn strings_of_text_columns_become_what_diesel_expects() {
        assert_eq!(
            get::<st::Integer, i32>("VARCHAR", Some(MysqlType::Long), s("42")),
            42
        );
        let raw = decode("VARCHAR", Some(MysqlType::Long), s("42"));
        assert_eq!(raw.ty, MysqlType::Long);
        assert!(!get::<st::Bool, bool>(
            "VARCHAR",
            Some(MysqlType::Tiny),
            s("0")
        ));
        assert_eq!(
            get::<st::Numeric, BigDecimal>("VARCHAR", Some(MysqlType::Numeric), s("1.50")),
            BigDecimal::from_str("1.5").unwrap()
        );
        assert_eq!(
            get::<st::Double, f64>("TEXT", Some(MysqlType::Double), s("0.25")),
            0.25
        );
        assert_eq!(
            get::<st::Float, f32>("TEXT", Some(MysqlType::Float), s("0.25")),
            0.25
        );
        assert_eq!(
            get::<st::Timestamp, chrono::NaiveDateTime>(
                "VARCHAR",
                Some(MysqlType::Timestamp),
                s("2024-02-29 01:02:03.5")
            ),
            chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
                .unwrap()
                .and_hms_micro_opt(1, 2, 3, 500_000)
                .unwrap()
        );
        assert_eq!(
            get::<st::Date, chrono::NaiveDate>("MYSTERY", Some(MysqlType::Date), s("2024-02-29")),
            chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert!(decode_err("VARCHAR", Some(MysqlType::Long), s("4.5")).contains("not an integer"));
        // Without an expected type the string stays a string.
        assert_eq!(decode("VARCHAR", None, s("42")).ty, MysqlType::String);
        // A numeric column keeps its own representation whatever diesel expects.
        assert_eq!(
            decode("INT", Some(MysqlType::Double), Field::LongValue(1)).ty,
            MysqlType::Long
        );
    }

    #[test]
    fn anything_read_as_text_keeps_its_text() {
        let text = |name, field| get::<st::Text, String>(name, Some(MysqlType::String), field);
        assert_eq!(text("DATE", s("2024-02-29")), "2024-02-29");
        assert_eq!(text("INT", Field::LongValue(-5)), "-5");
        assert_eq!(text("DOUBLE", Field::DoubleValue(0.5)), "0.5");
        assert_eq!(text("BIT", Field::BooleanValue(true)), "1");
        assert_eq!(text("DECIMAL", s("0.10")), "0.10");
        let raw = decode("DATETIME", Some(MysqlType::Blob), s("2024-02-29 00:00:00"));
        assert_eq!(
            raw,
            RawValue {
                bytes: b"2024-02-29 00:00:00".to_vec(),
                ty: MysqlType::Blob
            }
        );
        let raw = decode(
            "VARBINARY",
            Some(MysqlType::Enum),
            Field::BlobValue(Blob::new(b"a".to_vec())),
        );
        assert_eq!(
            raw,
            RawValue {
                bytes: b"a".to_vec(),
                ty: MysqlType::Enum
            }
        );
    }

    // ---- round trips through diesel's own impls ----

    #[test]
    fn integer_round_trips_at_the_limits() {
        for v in [i8::MIN, -1, 0, i8::MAX] {
            round_trip::<st::TinyInt, i8>(&v, "TINYINT");
        }
        for v in [i16::MIN, i16::MAX] {
            round_trip::<st::SmallInt, i16>(&v, "SMALLINT");
        }
        for v in [i32::MIN, i32::MAX] {
            round_trip::<st::Integer, i32>(&v, "INT");
        }
        for v in [i64::MIN, i64::MAX] {
            round_trip::<st::BigInt, i64>(&v, "BIGINT");
        }
        round_trip::<Unsigned<st::TinyInt>, u8>(&u8::MAX, "TINYINT UNSIGNED");
        round_trip::<Unsigned<st::SmallInt>, u16>(&u16::MAX, "SMALLINT UNSIGNED");
        round_trip::<Unsigned<st::Integer>, u32>(&u32::MAX, "INT UNSIGNED");
        for v in [0, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
            round_trip::<Unsigned<st::BigInt>, u64>(&v, "BIGINT UNSIGNED");
        }
        for b in [true, false] {
            round_trip::<st::Bool, bool>(&b, "BIT");
            round_trip::<st::Bool, bool>(&b, "TINYINT");
        }
    }

    #[test]
    fn fixed_round_trips() {
        round_trip::<st::Text, String>(&"héllo ✓ 𝄞 '\"\\".to_string(), "VARCHAR");
        round_trip::<st::Text, String>(&String::new(), "TEXT");
        round_trip::<st::Binary, Vec<u8>>(&vec![0, 255, 1], "BLOB");
        round_trip::<st::Binary, Vec<u8>>(&Vec::new(), "VARBINARY");
        for j in [
            serde_json::json!({"a": [1, 2.5, null, "ü"], "b": {"c": true}}),
            serde_json::json!([]),
            serde_json::json!("s"),
            serde_json::json!(-1),
        ] {
            round_trip::<st::Json, serde_json::Value>(&j, "JSON");
            round_trip::<st::Json, serde_json::Value>(&j, "LONGTEXT");
        }
        let d = chrono::NaiveDate::from_ymd_opt(1000, 1, 1).unwrap();
        round_trip::<st::Date, _>(&d, "DATE");
        round_trip::<st::Date, _>(
            &chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            "DATE",
        );
        let t = chrono::NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).unwrap();
        round_trip::<st::Time, _>(&t, "TIME");
        round_trip::<st::Time, _>(&chrono::NaiveTime::MIN, "TIME");
        let dt = d.and_time(t);
        round_trip::<st::Timestamp, _>(&dt, "DATETIME");
        round_trip::<Datetime, _>(&dt, "TIMESTAMP");
        let odt = time::PrimitiveDateTime::new(
            time::Date::from_calendar_date(2024, time::Month::February, 29).unwrap(),
            time::Time::from_hms_micro(23, 30, 0, 1).unwrap(),
        )
        .assume_offset(time::UtcOffset::from_hms(-5, 0, 0).unwrap());
        round_trip::<st::Timestamp, time::OffsetDateTime>(&odt, "DATETIME");
        round_trip::<st::Numeric, _>(&BigDecimal::from_str("0.0000001").unwrap(), "DECIMAL");
    }

    #[test]
    fn diesel_drops_time_microseconds_itself() {
        // diesel's `ToSql<Time, Mysql>` for `time::Time` writes second_part 0.
        let t = time::Time::from_hms_micro(1, 2, 3, 456).unwrap();
        for back in through::<st::Time, time::Time>(&t, "TIME") {
            assert_eq!(back, time::Time::from_hms(1, 2, 3).unwrap());
        }
    }

    /// A DECIMAL(65, `scale`) column returns the value with exactly `scale` fractional digits.
    fn decimal_column(text: &str, scale: usize) -> String {
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        assert!(frac.len() <= scale);
        if scale == 0 {
            int.to_string()
        } else {
            format!("{int}.{frac:0<scale$}")
        }
    }

    fn days_between(a: chrono::NaiveDate, b: chrono::NaiveDate) -> i64 {
        b.signed_duration_since(a).num_days()
    }

    fn first_date() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(1000, 1, 1).unwrap()
    }

    fn date_span() -> i64 {
        days_between(
            first_date(),
            chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
        )
    }

    fn time_date(jd: i32) -> time::Date {
        time::Date::from_julian_day(jd).unwrap()
    }

    fn julian(y: i32) -> i32 {
        time::Date::from_calendar_date(y, time::Month::January, 1)
            .unwrap()
            .to_julian_day()
    }

    proptest! {
        #[test]
        fn prop_signed(a: i8, b: i16, c: i32, d: i64) {
            round_trip::<st::TinyInt, _>(&a, "TINYINT");
            round_trip::<st::SmallInt, _>(&b, "SMALLINT");
            round_trip::<st::Integer, _>(&c, "INT");
            round_trip::<st::BigInt, _>(&d, "BIGINT");
        }

        #[test]
        fn prop_unsigned(a: u8, b: u16, c: u32, d: u64) {
            round_trip::<Unsigned<st::TinyInt>, _>(&a, "TINYINT UNSIGNED");
            round_trip::<Unsigned<st::SmallInt>, _>(&b, "SMALLINT UNSIGNED");
            round_trip::<Unsigned<st::Integer>, _>(&c, "INT UNSIGNED");
            round_trip::<Unsigned<st::BigInt>, _>(&d, "BIGINT UNSIGNED");
        }

        #[test]
        fn prop_floats(f in any::<f32>().prop_filter("finite", |f| f.is_finite()),
                       d in any::<f64>().prop_filter("finite", |d| d.is_finite())) {
            for back in through::<st::Float, f32>(&f, "FLOAT") {
                prop_assert_eq!(back.to_bits(), f.to_bits());
            }
            for back in through::<st::Double, f64>(&d, "DOUBLE") {
                prop_assert_eq!(back.to_bits(), d.to_bits());
            }
        }

        #[test]
        fn prop_decimals(negative: bool, int in "[0-9]{1,35}", frac in "[0-9]{0,30}") {
            let text = format!("{}{int}{}{frac}", if negative { "-" } else { "" }, if frac.is_empty() { "" } else { "." });
            let value = BigDecimal::from_str(&text).unwrap();
            let (ty, bytes) = diesel_bind::<st::Numeric, BigDecimal>(&value);
            let bind = encode_bind(ty, bytes.as_deref()).unwrap();
            let Field::StringValue(sent) = &bind.value else { panic!("{bind:?}") };
            prop_assert_eq!(BigDecimal::from_str(sent).unwrap(), value.clone());
            prop_assert!(!sent.contains(['e', 'E']));
            for field in [s(&decimal_column(sent, 30)), s(sent)] {
                for expected in [None, Some(MysqlType::Numeric)] {
                    let raw = decode("DECIMAL", expected, field.clone());
                    prop_assert_eq!(read::<st::Numeric, BigDecimal>(&raw).unwrap(), value.clone());
                }
            }
        }

        #[test]
        fn prop_text_and_bytes(text: String, bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            round_trip::<st::Text, _>(&text, "VARCHAR");
            round_trip::<st::Text, _>(&text, "LONGTEXT");
            round_trip::<st::Binary, _>(&bytes, "BLOB");
        }

        #[test]
        fn prop_chrono(day in 0..=date_span(), secs in 0u32..86_400, us in 0u32..1_000_000) {
            let date = first_date() + chrono::Days::new(day as u64);
            let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs, us * 1000).unwrap();
            round_trip::<st::Date, _>(&date, "DATE");
            round_trip::<st::Time, _>(&time, "TIME");
            round_trip::<st::Timestamp, _>(&date.and_time(time), "DATETIME");
            round_trip::<Datetime, _>(&date.and_time(time), "TIMESTAMP");
        }

        #[test]
        fn prop_time(jd in julian(1001)..julian(9999), h in 0u8..24, m in 0u8..60, sec in 0u8..60,
                     us in 0u32..1_000_000, offset in -86_399i32..86_400) {
            let date = time_date(jd);
            let t = time::Time::from_hms_micro(h, m, sec, us).unwrap();
            round_trip::<st::Date, _>(&date, "DATE");
            round_trip::<st::Time, _>(&time::Time::from_hms(h, m, sec).unwrap(), "TIME");
            let prim = time::PrimitiveDateTime::new(date, t);
            round_trip::<st::Timestamp, _>(&prim, "DATETIME");
            round_trip::<Datetime, _>(&prim, "TIMESTAMP");
            let odt = prim.assume_offset(time::UtcOffset::from_whole_seconds(offset).unwrap());
            round_trip::<st::Timestamp, time::OffsetDateTime>(&odt, "DATETIME");
        }

        #[test]
        fn prop_mysql_time_strings(negative: bool, h in 0u32..=838, m in 0u32..60, sec in 0u32..60,
                                   us in 0u32..1_000_000) {
            // Every TIME the server can print decodes to the same fields.
            let text = format!("{}{h:02}:{m:02}:{sec:02}.{us:06}", if negative { "-" } else { "" });
            let raw = decode("TIME", None, s(&strip_fraction(&text)));
            let want = MysqlTime::new(0, 0, 0, h, m, sec, c_ulong::from(us), negative,
                                      MysqlTimestampType::MYSQL_TIMESTAMP_TIME, 0);
            prop_assert_eq!(raw.bytes, want.serialize().to_vec());
        }

        #[test]
        fn prop_decoder_never_panics(name in "[A-Za-z ()0-9,]{0,20}", text in ".{0,40}", v: i64, d: f64, b: bool) {
            for field in [s(&text), Field::LongValue(v), Field::DoubleValue(d), Field::BooleanValue(b),
                          Field::BlobValue(Blob::new(text.clone().into_bytes()))] {
                for expected in [None, Some(MysqlType::Long), Some(MysqlType::Timestamp),
                                 Some(MysqlType::Numeric), Some(MysqlType::String), Some(MysqlType::Bit)] {
                    let _ = ColumnDecoder::new(&name, expected).decode(field.clone());
                    for known in ["TINYINT", "DATE", "TIME", "DATETIME", "DECIMAL", "FLOAT", "YEAR", "BIT"] {
                        let _ = ColumnDecoder::new(known, expected).decode(field.clone());
                    }
                }
            }
        }
    }
}
