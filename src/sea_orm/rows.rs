//! Data API result `Field`s → `sea_query::Value`s, the variant each Rust type needs.
//!
//! SeaORM reads a proxy row's value with `ValueType::try_from`, which accepts exactly one
//! `Value` variant per Rust type (`i32` only `Value::Int`, `DateTime<FixedOffset>` only
//! `Value::ChronoDateTimeWithTimeZone`, …) and reports any other variant as NULL. So each
//! column's variant is chosen once, from (in order) a per-column override (see
//! [`TypeOptions::entity`]), the column's `typeName`, and for the few types several Rust types
//! share (NUMERIC, zoned timestamps) the connection's [`TypeOptions`].

use std::collections::BTreeMap;

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use aws_sdk_rdsdata::types::{ArrayValue, Field};
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone as _, Utc};
use sea_orm::sea_query::{ArrayType, Value};
use sea_orm::{DbErr, ProxyRow};

use crate::sql::Dialect;

mod kind;

use kind::column_kind;
pub use kind::{TypeOptions, ValueKind};

/// A decode failure as SeaORM reports conversion problems.
fn decode_err(column: &str, kind: ValueKind, field: &Field) -> DbErr {
    let shown = match field {
        Field::StringValue(s) => format!("{:?}", s.chars().take(64).collect::<String>()),
        Field::BlobValue(b) => format!("{} bytes", b.as_ref().len()),
        other => format!("{other:?}"),
    };
    DbErr::Type(format!(
        "cannot decode column `{column}` as {kind:?} from the Data API value {shown}"
    ))
}

/// The typed NULL of a kind (`Option<T>` fields need their own variant's `None`).
fn null_of(kind: ValueKind) -> Value {
    use ValueKind as K;
    match kind {
        K::Bool => Value::Bool(None),
        K::TinyInt => Value::TinyInt(None),
        K::SmallInt => Value::SmallInt(None),
        K::Int => Value::Int(None),
        K::BigInt => Value::BigInt(None),
        K::TinyUnsigned => Value::TinyUnsigned(None),
        K::SmallUnsigned => Value::SmallUnsigned(None),
        K::Unsigned => Value::Unsigned(None),
        K::BigUnsigned => Value::BigUnsigned(None),
        K::Float => Value::Float(None),
        K::Double => Value::Double(None),
        K::String => Value::String(None),
        K::Bytes => Value::Bytes(None),
        K::Json => Value::Json(None),
        K::Date => Value::ChronoDate(None),
        K::Time => Value::ChronoTime(None),
        K::DateTime => Value::ChronoDateTime(None),
        K::DateTimeUtc => Value::ChronoDateTimeUtc(None),
        K::DateTimeLocal => Value::ChronoDateTimeLocal(None),
        K::DateTimeWithTimeZone => Value::ChronoDateTimeWithTimeZone(None),
        K::Uuid => Value::Uuid(None),
        K::BigDecimal => Value::BigDecimal(None),
        #[cfg(feature = "sea-orm-rust_decimal")]
        K::Decimal => Value::Decimal(None),
        K::Array(element) => Value::Array(array_type(*element), None),
    }
}

/// sea-query's array type of elements of `kind`.
fn array_type(kind: ValueKind) -> ArrayType {
    use ValueKind as K;
    match kind {
        K::Bool => ArrayType::Bool,
        K::TinyInt => ArrayType::TinyInt,
        K::SmallInt => ArrayType::SmallInt,
        K::Int => ArrayType::Int,
        K::BigInt => ArrayType::BigInt,
        K::TinyUnsigned => ArrayType::TinyUnsigned,
        K::SmallUnsigned => ArrayType::SmallUnsigned,
        K::Unsigned => ArrayType::Unsigned,
        K::BigUnsigned => ArrayType::BigUnsigned,
        K::Float => ArrayType::Float,
        K::Double => ArrayType::Double,
        K::String => ArrayType::String,
        K::Bytes => ArrayType::Bytes,
        K::Json => ArrayType::Json,
        K::Date => ArrayType::ChronoDate,
        K::Time => ArrayType::ChronoTime,
        K::DateTime => ArrayType::ChronoDateTime,
        K::DateTimeUtc => ArrayType::ChronoDateTimeUtc,
        K::DateTimeLocal => ArrayType::ChronoDateTimeLocal,
        K::DateTimeWithTimeZone => ArrayType::ChronoDateTimeWithTimeZone,
        K::Uuid => ArrayType::Uuid,
        K::BigDecimal => ArrayType::BigDecimal,
        #[cfg(feature = "sea-orm-rust_decimal")]
        K::Decimal => ArrayType::Decimal,
        // `array_of` never nests arrays.
        K::Array(_) => ArrayType::Json,
    }
}

/// A 1-D array column (`arrayValue`, or the array's literal text) as `Value::Array` of
/// elements decoded as `element`.
fn decode_array(field: Field, element: ValueKind, column: &str) -> Result<Value, DbErr> {
    let elements: Vec<Field> = match field {
        Field::ArrayValue(array) => match array {
            ArrayValue::BooleanValues(v) => v
                .into_iter()
                .map(|e| e.map_or(Field::IsNull(true), Field::BooleanValue))
                .collect(),
            ArrayValue::LongValues(v) => v
                .into_iter()
                .map(|e| e.map_or(Field::IsNull(true), Field::LongValue))
                .collect(),
            ArrayValue::DoubleValues(v) => v
                .into_iter()
                .map(|e| e.map_or(Field::IsNull(true), Field::DoubleValue))
                .collect(),
            ArrayValue::StringValues(v) => v
                .into_iter()
                .map(|e| e.map_or(Field::IsNull(true), Field::StringValue))
                .collect(),
            other => {
                return Err(DbErr::Type(format!(
                    "column `{column}` is a multi-dimensional or unknown array ({other:?}); \
                     SeaORM arrays have one dimension"
                )))
            }
        },
        Field::StringValue(s) => crate::pg::codec::parse_array_literal(&s)
            .map_err(|why| {
                DbErr::Type(format!(
                    "column `{column}` is not a PostgreSQL array ({why}): {s:?}"
                ))
            })?
            .into_iter()
            .map(|e| e.map_or(Field::IsNull(true), Field::StringValue))
            .collect(),
        other => {
            return Err(DbErr::Type(format!(
                "column `{column}` is an array column but holds {other:?}"
            )))
        }
    };
    let values = elements
        .into_iter()
        .map(|e| match (element, e) {
            // bytea elements arrive in PostgreSQL's text form (`\x0102`), not as blobs.
            (ValueKind::Bytes, Field::StringValue(s)) => crate::pg::codec::parse_bytea(&s)
                .map(|b| Value::Bytes(Some(b)))
                .ok_or_else(|| {
                    DbErr::Type(format!(
                        "column `{column}` holds an invalid bytea element {s:?}"
                    ))
                }),
            (_, e) => decode(e, element, column),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::Array(array_type(element), Some(Box::new(values))))
}

/// Converts one field of column `column` into the `kind` variant.
pub(crate) fn decode(field: Field, kind: ValueKind, column: &str) -> Result<Value, DbErr> {
    use ValueKind as K;
    if matches!(field, Field::IsNull(_)) {
        return Ok(null_of(kind));
    }
    let err = |f: &Field| decode_err(column, kind, f);
    let int = |f: &Field| -> Result<i64, DbErr> {
        match f {
            Field::LongValue(v) => Ok(*v),
            Field::BooleanValue(b) => Ok(i64::from(*b)),
            Field::StringValue(s) => s.trim().parse().map_err(|_| err(f)),
            _ => Err(err(f)),
        }
    };
    macro_rules! narrow {
        ($variant:ident, $ty:ty) => {{
            let v = match &field {
                // u64 beyond i64 arrives as text (longReturnType STRING or an unverified
                // Data API case); parse it directly.
                Field::StringValue(s) => s.trim().parse::<$ty>().map_err(|_| err(&field))?,
                other => <$ty>::try_from(int(other)?).map_err(|_| err(&field))?,
            };
            Value::$variant(Some(v))
        }};
    }
    let text = |f: &Field| -> Result<String, DbErr> {
        match f {
            Field::StringValue(s) => Ok(s.clone()),
            _ => Err(err(f)),
        }
    };
    Ok(match kind {
        K::Bool => Value::Bool(Some(match &field {
            Field::BooleanValue(b) => *b,
            Field::LongValue(v) => *v != 0,
            Field::StringValue(s) => match s.as_str() {
                "t" | "true" | "1" => true,
                "f" | "false" | "0" => false,
                _ => return Err(err(&field)),
            },
            _ => return Err(err(&field)),
        })),
        K::TinyInt => narrow!(TinyInt, i8),
        K::SmallInt => narrow!(SmallInt, i16),
        K::Int => narrow!(Int, i32),
        K::BigInt => narrow!(BigInt, i64),
        K::TinyUnsigned => narrow!(TinyUnsigned, u8),
        K::SmallUnsigned => narrow!(SmallUnsigned, u16),
        K::Unsigned => narrow!(Unsigned, u32),
        K::BigUnsigned => narrow!(BigUnsigned, u64),
        K::Float => Value::Float(Some(float(&field).ok_or_else(|| err(&field))? as f32)),
        K::Double => Value::Double(Some(float(&field).ok_or_else(|| err(&field))?)),
        K::String => Value::String(Some(match field {
            Field::StringValue(s) => s,
            Field::LongValue(v) => v.to_string(),
            Field::DoubleValue(v) => v.to_string(),
            Field::BooleanValue(b) => b.to_string(),
            Field::BlobValue(b) => String::from_utf8(b.into_inner())
                .map_err(|e| DbErr::Type(format!("column `{column}` is not UTF-8 text: {e}")))?,
            other => return Err(err(&other)),
        })),
        K::Bytes => Value::Bytes(Some(match field {
            Field::BlobValue(b) => b.into_inner(),
            Field::StringValue(s) => s.into_bytes(),
            other => return Err(err(&other)),
        })),
        K::Json => Value::Json(Some(Box::new(match field {
            Field::StringValue(s) => serde_json::from_str(&s)
                .map_err(|e| DbErr::Json(format!("column `{column}` is not valid JSON: {e}")))?,
            Field::ArrayValue(a) => array_json(a),
            Field::LongValue(v) => v.into(),
            Field::DoubleValue(v) => v.into(),
            Field::BooleanValue(b) => b.into(),
            other => return Err(err(&other)),
        }))),
        K::Date => Value::ChronoDate(Some(parse_date(&text(&field)?).ok_or_else(|| err(&field))?)),
        K::Time => Value::ChronoTime(Some(
            NaiveTime::parse_from_str(&text(&field)?, "%H:%M:%S%.f").map_err(|_| err(&field))?,
        )),
        K::DateTime => Value::ChronoDateTime(Some(
            parse_timestamp(&text(&field)?).ok_or_else(|| err(&field))?,
        )),
        // Zoned values arrive in UTC without an offset (PostgreSQL timestamptz, MySQL
        // TIMESTAMP in the Data API's UTC session).
        K::DateTimeUtc => Value::ChronoDateTimeUtc(Some(utc(&field).ok_or_else(|| err(&field))?)),
        K::DateTimeLocal => Value::ChronoDateTimeLocal(Some(
            utc(&field)
                .ok_or_else(|| err(&field))?
                .with_timezone(&Local),
        )),
        K::DateTimeWithTimeZone => Value::ChronoDateTimeWithTimeZone(Some(
            utc(&field).ok_or_else(|| err(&field))?.fixed_offset(),
        )),
        K::Uuid => Value::Uuid(Some(match &field {
            Field::StringValue(s) => uuid::Uuid::parse_str(s).map_err(|_| err(&field))?,
            Field::BlobValue(b) => match uuid::Uuid::from_slice(b.as_ref()) {
                Ok(u) => u,
                // MariaDB's UUID type, or text in a binary column.
                Err(_) => std::str::from_utf8(b.as_ref())
                    .ok()
                    .and_then(|s| uuid::Uuid::parse_str(s).ok())
                    .ok_or_else(|| err(&field))?,
            },
            _ => return Err(err(&field)),
        })),
        K::BigDecimal => Value::BigDecimal(Some(Box::new(match &field {
            Field::StringValue(s) => s.trim().parse().map_err(|_| err(&field))?,
            Field::LongValue(v) => (*v).into(),
            Field::DoubleValue(v) => {
                bigdecimal::BigDecimal::try_from(*v).map_err(|_| err(&field))?
            }
            _ => return Err(err(&field)),
        }))),
        #[cfg(feature = "sea-orm-rust_decimal")]
        K::Decimal => Value::Decimal(Some(match &field {
            // `from_str_exact` refuses values that would lose digits instead of rounding
            // them silently; configure BigDecimal for such columns.
            Field::StringValue(s) => {
                rust_decimal::Decimal::from_str_exact(s.trim()).map_err(|_| err(&field))?
            }
            Field::LongValue(v) => (*v).into(),
            _ => return Err(err(&field)),
        })),
        K::Array(element) => decode_array(field, *element, column)?,
    })
}

fn float(field: &Field) -> Option<f64> {
    match field {
        Field::DoubleValue(v) => Some(*v),
        Field::LongValue(v) => Some(*v as f64),
        Field::StringValue(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            other => other.trim().parse().ok(),
        },
        _ => None,
    }
}

/// `YYYY-MM-DD[ BC]`.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let (s, bc) = match s.strip_suffix(" BC") {
        Some(s) => (s, true),
        None => (s, false),
    };
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    if bc {
        // PostgreSQL's 1 BC is chrono's year 0.
        NaiveDate::from_ymd_opt(
            1 - chrono::Datelike::year(&d),
            chrono::Datelike::month(&d),
            chrono::Datelike::day(&d),
        )
    } else {
        Some(d)
    }
}

/// `YYYY-MM-DD HH:MM:SS[.ffffff][ BC]` (also with a `T`).
fn parse_timestamp(s: &str) -> Option<NaiveDateTime> {
    let (s, bc) = match s.strip_suffix(" BC") {
        Some(s) => (s, " BC"),
        None => (s, ""),
    };
    let (date, time) = s.split_once([' ', 'T'])?;
    let date = parse_date(&format!("{date}{bc}"))?;
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S%.f").ok()?;
    Some(date.and_time(time))
}

fn utc(field: &Field) -> Option<DateTime<Utc>> {
    match field {
        Field::StringValue(s) => {
            // Tolerate an explicit offset (formatRecordsAs / other servers).
            if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z") {
                return Some(t.with_timezone(&Utc));
            }
            parse_timestamp(s).map(|t| Utc.from_utc_datetime(&t))
        }
        _ => None,
    }
}

/// A 1-D array as a JSON array (SeaORM without `postgres-array` has no array `Value`).
fn array_json(a: ArrayValue) -> serde_json::Value {
    let list = match a {
        ArrayValue::BooleanValues(v) => v.into_iter().map(serde_json::Value::from).collect(),
        ArrayValue::LongValues(v) => v.into_iter().map(serde_json::Value::from).collect(),
        ArrayValue::DoubleValues(v) => v.into_iter().map(serde_json::Value::from).collect(),
        ArrayValue::StringValues(v) => v.into_iter().map(serde_json::Value::from).collect(),
        ArrayValue::ArrayValues(v) => v
            .into_iter()
            .map(|a| a.map_or(serde_json::Value::Null, array_json))
            .collect(),
        _ => Vec::new(),
    };
    serde_json::Value::Array(list)
}

/// A decoded result: column labels in select order and the rows' values in the same order.
#[derive(Debug, Default)]
pub(crate) struct Decoded {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Decodes every record of `output` by its `columnMetadata`.
pub(crate) fn decode_output(
    output: ExecuteStatementOutput,
    dialect: Dialect,
    types: &TypeOptions,
) -> Result<Decoded, DbErr> {
    let metadata = output.column_metadata.unwrap_or_default();
    let columns: Vec<String> = metadata.iter().map(crate::session::column_label).collect();
    let kinds: Vec<ValueKind> = metadata
        .iter()
        .map(|m| column_kind(m, dialect, types))
        .collect();
    let rows = output
        .records
        .unwrap_or_default()
        .into_iter()
        .map(|record| {
            if record.len() != kinds.len() {
                return Err(DbErr::Type(format!(
                    "a record has {} values for {} columns",
                    record.len(),
                    kinds.len()
                )));
            }
            record
                .into_iter()
                .zip(kinds.iter().zip(&columns))
                .map(|(field, (kind, column))| decode(field, *kind, column))
                .collect()
        })
        .collect::<Result<_, _>>()?;
    Ok(Decoded { columns, rows })
}

/// Prefix of the positional keys [`to_proxy_rows`] adds: NUL sorts before every column
/// name, so the `i`-th key of the row's `BTreeMap` is the `i`-th selected column.
const POSITION_PREFIX: char = '\u{0}';

impl Decoded {
    /// [`into_proxy_rows`](Self::into_proxy_rows) as SeaORM's `QueryResult`s (the native
    /// face's rows).
    pub fn into_query_results(self, positional: bool) -> Vec<sea_orm::QueryResult> {
        self.into_proxy_rows(positional)
            .into_iter()
            .map(sea_orm::QueryResult::from)
            .collect()
    }

    /// SeaORM rows (a `BTreeMap` each). With `positional`, each value is also stored under a
    /// key that sorts in select order, so index access (`into_tuple`, `try_get_by_index`)
    /// reads the `i`-th selected column instead of the `i`-th in alphabetical order.
    pub fn into_proxy_rows(self, positional: bool) -> Vec<ProxyRow> {
        let Decoded { columns, rows } = self;
        let width = columns.len().to_string().len();
        rows.into_iter()
            .map(|values| {
                let mut map = BTreeMap::new();
                for (i, (column, value)) in columns.iter().zip(values).enumerate() {
                    if positional {
                        map.insert(format!("{POSITION_PREFIX}{i:0width$}"), value.clone());
                    }
                    // A duplicate label keeps its first value, as sqlx's by-name lookup does.
                    map.entry(column.clone()).or_insert(value);
                }
                ProxyRow::new(map)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
