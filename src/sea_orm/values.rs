//! `sea_query::Value` → Data API parameters, per engine, and SeaORM statements → named SQL.
//!
//! PostgreSQL: every placeholder becomes `:pN::<type>` with the type a native driver
//! (sqlx) would bind the value as, spelled as in the Diesel side's built-in type table. The
//! Data API binds a `stringValue` as `text`, so without the cast uuid / json / timestamp /
//! numeric parameters would be text and fail (`column "id" is of type uuid but expression is
//! of type text`).
//!
//! MySQL: a string converts implicitly wherever MySQL needs a typed value, so only values the
//! plain `Field` would lose information for are wrapped, as on the Diesel side: dates and
//! times (`DATE`, `TIME(6)`, `DATETIME(6)`: stay temporal in expressions and keep
//! microseconds), `u64` above `i64::MAX` (`UNSIGNED`), and decimals get the `DECIMAL` type
//! hint (otherwise compared as DOUBLE).

use aws_sdk_rdsdata::primitives::Blob;
use aws_sdk_rdsdata::types::{Field, TypeHint};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use sea_orm::sea_query::{ArrayType, OptionEnum, Value};
use sea_orm::{DbBackend, DbErr, Statement};

use crate::pg::codec::{builtin_by_oid, bytea_hex, double_field, text_array_literal};
use crate::session::{numbered_parameters, Prepared};
use crate::sql::{to_named_into, Dialect};

/// One encoded parameter: its value, optional type hint, and the SQL type to cast the
/// placeholder to (always on PostgreSQL, only where needed on MySQL).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Param {
    pub value: Field,
    pub hint: Option<TypeHint>,
    pub cast: Option<String>,
}

/// The Aurora engine a SeaORM backend runs on; SQLite is not one.
pub(crate) fn dialect(backend: DbBackend) -> Result<Dialect, DbErr> {
    match backend {
        DbBackend::Postgres => Ok(Dialect::Postgres),
        DbBackend::MySql => Ok(Dialect::Mysql),
        DbBackend::Sqlite => Err(DbErr::Conn(sea_orm::RuntimeErr::Internal(
            "the RDS Data API serves Aurora PostgreSQL and Aurora MySQL, not SQLite".into(),
        ))),
        other => Err(DbErr::Conn(sea_orm::RuntimeErr::Internal(format!(
            "the RDS Data API serves Aurora PostgreSQL and Aurora MySQL, not {other:?}"
        )))),
    }
}

/// A bind error as SeaORM reports conversion problems.
fn bind_err(message: impl Into<String>) -> DbErr {
    DbErr::Type(format!(
        "cannot send a parameter to the Data API: {}",
        message.into()
    ))
}

/// Rewrites `$N` / `?` to named placeholders and encodes the statement's values.
pub(crate) fn bind(statement: &Statement) -> Result<Prepared, DbErr> {
    let dialect = dialect(statement.db_backend)?;
    let values: &[Value] = statement.values.as_ref().map_or(&[], |v| &v.0);
    let params: Vec<Param> = values
        .iter()
        .map(|v| match dialect {
            Dialect::Postgres => pg_param(v),
            Dialect::Mysql => mysql_param(v),
        })
        .collect::<Result<_, _>>()?;
    // As the Diesel connections write them (`crate::pg::codec::placeholder`,
    // `crate::mysql::codec::placeholder`).
    let named = to_named_into(&statement.sql, dialect, |i, out| {
        let cast = params.get(i - 1).and_then(|p| p.cast.as_deref());
        match dialect {
            Dialect::Postgres => crate::pg::codec::write_placeholder(out, i, cast),
            Dialect::Mysql => crate::mysql::codec::write_placeholder(out, i, cast),
        }
    })
    .map_err(|e| DbErr::Custom(format!("cannot rewrite placeholders: {e}")))?;
    if named.params > params.len() {
        return Err(bind_err(format!(
            "the SQL refers to {} parameters but the statement has {} values",
            named.params,
            params.len()
        )));
    }
    Ok(Prepared {
        sql: named.sql,
        params: numbered_parameters(
            params
                .into_iter()
                .take(named.params)
                .map(|p| (p.value, p.hint)),
        ),
        shape: None,
    })
}

// ---- PostgreSQL ----

/// OIDs of the built-in types parameters are cast to (names from `pg::codec::BUILTINS`).
mod oid {
    pub const BOOL: u32 = 16;
    pub const BYTEA: u32 = 17;
    pub const INT8: u32 = 20;
    pub const INT2: u32 = 21;
    pub const INT4: u32 = 23;
    pub const TEXT: u32 = 25;
    pub const FLOAT4: u32 = 700;
    pub const FLOAT8: u32 = 701;
    pub const DATE: u32 = 1082;
    pub const TIME: u32 = 1083;
    pub const TIMESTAMP: u32 = 1114;
    pub const TIMESTAMPTZ: u32 = 1184;
    pub const NUMERIC: u32 = 1700;
    pub const UUID: u32 = 2950;
    pub const JSONB: u32 = 3802;
}

fn pg_cast(oid: u32) -> String {
    builtin_by_oid(oid).map_or("text", |t| t.cast).to_string()
}

/// The `Field` and cast of one value on PostgreSQL (the types sqlx would bind).
pub(crate) fn pg_param(value: &Value) -> Result<Param, DbErr> {
    use Value as V;
    let (field, type_oid) = match value {
        V::Bool(v) => (v.map(Field::BooleanValue), oid::BOOL),
        V::TinyInt(v) => (v.map(|v| Field::LongValue(v.into())), oid::INT2),
        V::SmallInt(v) => (v.map(|v| Field::LongValue(v.into())), oid::INT2),
        V::Int(v) => (v.map(|v| Field::LongValue(v.into())), oid::INT4),
        V::BigInt(v) => (v.map(Field::LongValue), oid::INT8),
        // PostgreSQL has no unsigned types; sqlx widens them the same way.
        V::TinyUnsigned(v) => (v.map(|v| Field::LongValue(v.into())), oid::INT2),
        V::SmallUnsigned(v) => (v.map(|v| Field::LongValue(v.into())), oid::INT4),
        V::Unsigned(v) => (v.map(|v| Field::LongValue(v.into())), oid::INT8),
        V::BigUnsigned(v) => match v.map(i64::try_from) {
            None => (None, oid::INT8),
            Some(Ok(v)) => (Some(Field::LongValue(v)), oid::INT8),
            // Beyond int8: exact as numeric rather than an error sqlx would give.
            Some(Err(_)) => (v.map(|v| Field::StringValue(v.to_string())), oid::NUMERIC),
        },
        V::Float(v) => (v.map(|v| double_field(v.into())), oid::FLOAT4),
        V::Double(v) => (v.map(double_field), oid::FLOAT8),
        V::String(v) => (
            v.as_ref().map(|s| Field::StringValue(s.to_string())),
            oid::TEXT,
        ),
        V::Char(v) => (v.map(|c| Field::StringValue(c.to_string())), oid::TEXT),
        V::Bytes(v) => (
            v.as_ref().map(|b| Field::BlobValue(Blob::new(b.to_vec()))),
            oid::BYTEA,
        ),
        V::Json(v) => (
            v.as_ref().map(|j| Field::StringValue(j.to_string())),
            oid::JSONB,
        ),
        V::ChronoDate(v) => (
            v.as_ref().map(|d| Field::StringValue(pg_date(d))),
            oid::DATE,
        ),
        V::ChronoTime(v) => (
            v.as_ref().map(|t| Field::StringValue(time_text(t))),
            oid::TIME,
        ),
        V::ChronoDateTime(v) => (
            v.as_ref().map(|t| Field::StringValue(pg_timestamp(t))),
            oid::TIMESTAMP,
        ),
        V::ChronoDateTimeUtc(v) => (v.as_ref().map(zoned), oid::TIMESTAMPTZ),
        V::ChronoDateTimeLocal(v) => (v.as_ref().map(zoned), oid::TIMESTAMPTZ),
        V::ChronoDateTimeWithTimeZone(v) => (v.as_ref().map(zoned), oid::TIMESTAMPTZ),
        V::Uuid(v) => (
            v.as_ref().map(|u| Field::StringValue(u.to_string())),
            oid::UUID,
        ),
        V::BigDecimal(v) => (
            v.as_ref()
                .map(|d| decimal_field(&d.to_string()))
                .transpose()?,
            oid::NUMERIC,
        ),
        #[cfg(feature = "sea-orm-rust_decimal")]
        V::Decimal(v) => (
            v.as_ref()
                .map(|d| decimal_field(&d.to_string()))
                .transpose()?,
            oid::NUMERIC,
        ),
        // `build()` already turns enums into a text bind followed by `::"type"`; a raw
        // statement's enum value is cast to its type here (sqlx would send text).
        V::Enum(e) => {
            return Ok(Param {
                value: enum_field(e),
                hint: None,
                cast: Some(quoted_type(enum_type_name(e))),
            })
        }
        V::Array(ty, values) => return pg_array(ty, values.as_deref()),
        #[allow(unreachable_patterns)]
        other => return Err(bind_err(format!("unsupported value type {other:?}"))),
    };
    Ok(Param {
        value: field.unwrap_or(Field::IsNull(true)),
        hint: None,
        cast: Some(pg_cast(type_oid)),
    })
}

/// An enum value's label as text (NULL for `OptionEnum::None`), as sea-query-sqlx binds it.
fn enum_field(e: &OptionEnum) -> Field {
    match e {
        OptionEnum::Some(e) => Field::StringValue(e.value.to_string()),
        OptionEnum::None(_) => Field::IsNull(true),
    }
}

fn enum_type_name(e: &OptionEnum) -> &str {
    match e {
        OptionEnum::Some(e) => &e.type_name,
        OptionEnum::None(name) => name,
    }
}

/// A type name as one quoted identifier, as sea-query writes `$N::"type"`.
fn quoted_type(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A PostgreSQL array parameter: the Data API refuses array parameters, so the array travels
/// as its text literal cast to `<element>[]` (as the Diesel side sends arrays).
fn pg_array(ty: &ArrayType, values: Option<&Vec<Value>>) -> Result<Param, DbErr> {
    use Value as V;
    let element_cast = match ty {
        ArrayType::Enum(name) => quoted_type(name),
        other => pg_param(&null_of_array_type(other)?)?
            .cast
            .unwrap_or_else(|| "text".into()),
    };
    let value = match values {
        None => Field::IsNull(true),
        Some(values) => {
            let elements = values
                .iter()
                .map(|v| {
                    let field = match v {
                        V::Enum(e) => enum_field(e),
                        V::Array(..) => {
                            return Err(bind_err("arrays of arrays cannot be bound"));
                        }
                        other => pg_param(other)?.value,
                    };
                    array_element_text(field)
                })
                .collect::<Result<Vec<_>, _>>()?;
            Field::StringValue(text_array_literal(elements.iter().map(Option::as_deref)))
        }
    };
    Ok(Param {
        value,
        hint: None,
        cast: Some(format!("{element_cast}[]")),
    })
}

/// A NULL of an array's element type, to find the element's cast.
fn null_of_array_type(ty: &ArrayType) -> Result<Value, DbErr> {
    use ArrayType as A;
    use Value as V;
    Ok(match ty {
        A::Bool => V::Bool(None),
        A::TinyInt => V::TinyInt(None),
        A::SmallInt => V::SmallInt(None),
        A::Int => V::Int(None),
        A::BigInt => V::BigInt(None),
        A::TinyUnsigned => V::TinyUnsigned(None),
        A::SmallUnsigned => V::SmallUnsigned(None),
        A::Unsigned => V::Unsigned(None),
        A::BigUnsigned => V::BigUnsigned(None),
        A::Float => V::Float(None),
        A::Double => V::Double(None),
        A::String => V::String(None),
        A::Char => V::Char(None),
        A::Bytes => V::Bytes(None),
        A::Json => V::Json(None),
        A::ChronoDate => V::ChronoDate(None),
        A::ChronoTime => V::ChronoTime(None),
        A::ChronoDateTime => V::ChronoDateTime(None),
        A::ChronoDateTimeUtc => V::ChronoDateTimeUtc(None),
        A::ChronoDateTimeLocal => V::ChronoDateTimeLocal(None),
        A::ChronoDateTimeWithTimeZone => V::ChronoDateTimeWithTimeZone(None),
        A::Uuid => V::Uuid(None),
        A::BigDecimal => V::BigDecimal(None),
        #[cfg(feature = "sea-orm-rust_decimal")]
        A::Decimal => V::Decimal(None),
        #[allow(unreachable_patterns)]
        other => {
            return Err(bind_err(format!(
                "unsupported array element type {other:?}"
            )))
        }
    })
}

/// One array element's text form for the array literal (`None` = NULL).
fn array_element_text(field: Field) -> Result<Option<String>, DbErr> {
    Ok(Some(match field {
        Field::IsNull(_) => return Ok(None),
        Field::StringValue(s) => s,
        Field::LongValue(v) => v.to_string(),
        // `Display` is the shortest text that parses back to the same f64.
        Field::DoubleValue(v) => v.to_string(),
        Field::BooleanValue(b) => if b { "t" } else { "f" }.to_string(),
        Field::BlobValue(b) => bytea_hex(b.as_ref()),
        other => return Err(bind_err(format!("unsupported array element {other:?}"))),
    }))
}

/// A timestamptz in PostgreSQL's input form, in UTC with an explicit offset.
fn zoned<Tz: TimeZone>(t: &DateTime<Tz>) -> Field {
    let utc = t.with_timezone(&Utc).naive_utc();
    Field::StringValue(format!("{}+00:00", pg_timestamp(&utc)).replace(" BC+00:00", "+00:00 BC"))
}

/// `YYYY-MM-DD`, with PostgreSQL's ` BC` for years ≤ 0 (chrono's year 0 is 1 BC).
fn pg_date(d: &NaiveDate) -> String {
    let (year, bc) = match d.year() {
        y if y <= 0 => (1 - y, " BC"),
        y => (y, ""),
    };
    format!("{year:04}-{:02}-{:02}{bc}", d.month(), d.day())
}

/// `HH:MM:SS.ffffff` (all six digits; a leap second's 60 is kept).
fn time_text(t: &NaiveTime) -> String {
    t.format("%H:%M:%S%.6f").to_string()
}

fn pg_timestamp(t: &NaiveDateTime) -> String {
    let date = pg_date(&t.date());
    match date.strip_suffix(" BC") {
        Some(date) => format!("{date} {} BC", time_text(&t.time())),
        None => format!("{date} {}", time_text(&t.time())),
    }
}

/// A decimal's `Display` (which may use exponent form) as plain digits.
fn decimal_field(text: &str) -> Result<Field, DbErr> {
    crate::codec::number::plain_decimal(text)
        .map(Field::StringValue)
        .ok_or_else(|| bind_err(format!("not a decimal number: {text:?}")))
}

// ---- MySQL ----

/// The `Field`, hint and cast of one value on MySQL / MariaDB.
pub(crate) fn mysql_param(value: &Value) -> Result<Param, DbErr> {
    use Value as V;
    let plain = |f: Option<Field>| Param {
        value: f.unwrap_or(Field::IsNull(true)),
        hint: None,
        cast: None,
    };
    let cast = |f: Option<Field>, ty: &str| Param {
        value: f.unwrap_or(Field::IsNull(true)),
        hint: None,
        cast: Some(ty.to_string()),
    };
    let decimal = |f: Option<Field>| Param {
        value: f.unwrap_or(Field::IsNull(true)),
        hint: Some(TypeHint::Decimal),
        cast: None,
    };
    Ok(match value {
        V::Bool(v) => plain(v.map(Field::BooleanValue)),
        V::TinyInt(v) => plain(v.map(|v| Field::LongValue(v.into()))),
        V::SmallInt(v) => plain(v.map(|v| Field::LongValue(v.into()))),
        V::Int(v) => plain(v.map(|v| Field::LongValue(v.into()))),
        V::BigInt(v) => plain(v.map(Field::LongValue)),
        V::TinyUnsigned(v) => plain(v.map(|v| Field::LongValue(v.into()))),
        V::SmallUnsigned(v) => plain(v.map(|v| Field::LongValue(v.into()))),
        V::Unsigned(v) => plain(v.map(|v| Field::LongValue(v.into()))),
        V::BigUnsigned(v) => match v.map(i64::try_from) {
            None => plain(None),
            Some(Ok(v)) => plain(Some(Field::LongValue(v))),
            // A string in arithmetic or comparisons would be converted to DOUBLE (inexact).
            Some(Err(_)) => cast(v.map(|v| Field::StringValue(v.to_string())), "UNSIGNED"),
        },
        V::Float(v) => plain(v.map(f64::from).map(mysql_double).transpose()?),
        V::Double(v) => plain(v.map(mysql_double).transpose()?),
        V::String(v) => plain(v.as_ref().map(|s| Field::StringValue(s.to_string()))),
        V::Char(v) => plain(v.map(|c| Field::StringValue(c.to_string()))),
        V::Bytes(v) => plain(v.as_ref().map(|b| Field::BlobValue(Blob::new(b.to_vec())))),
        V::Json(v) => plain(v.as_ref().map(|j| Field::StringValue(j.to_string()))),
        V::ChronoDate(v) => cast(
            v.as_ref()
                .map(mysql_date)
                .transpose()?
                .map(Field::StringValue),
            "DATE",
        ),
        V::ChronoTime(v) => cast(
            v.as_ref().map(|t| Field::StringValue(time_text(t))),
            "TIME(6)",
        ),
        V::ChronoDateTime(v) => cast(
            v.as_ref()
                .map(mysql_datetime)
                .transpose()?
                .map(Field::StringValue),
            "DATETIME(6)",
        ),
        // MySQL has no zoned type: like sqlx, the UTC wall clock is stored.
        V::ChronoDateTimeUtc(v) => cast(
            v.as_ref()
                .map(|t| mysql_datetime(&t.naive_utc()))
                .transpose()?
                .map(Field::StringValue),
            "DATETIME(6)",
        ),
        V::ChronoDateTimeLocal(v) => cast(
            v.as_ref()
                .map(|t| mysql_datetime(&t.naive_utc()))
                .transpose()?
                .map(Field::StringValue),
            "DATETIME(6)",
        ),
        V::ChronoDateTimeWithTimeZone(v) => cast(
            v.as_ref()
                .map(|t| mysql_datetime(&t.naive_utc()))
                .transpose()?
                .map(Field::StringValue),
            "DATETIME(6)",
        ),
        // SeaORM's MySQL column for `Uuid` is BINARY(16); sqlx binds the 16 bytes.
        V::Uuid(v) => plain(
            v.as_ref()
                .map(|u| Field::BlobValue(Blob::new(u.as_bytes().to_vec()))),
        ),
        V::BigDecimal(v) => decimal(
            v.as_ref()
                .map(|d| decimal_field(&d.to_string()))
                .transpose()?,
        ),
        #[cfg(feature = "sea-orm-rust_decimal")]
        V::Decimal(v) => decimal(
            v.as_ref()
                .map(|d| decimal_field(&d.to_string()))
                .transpose()?,
        ),
        // As sea-query-sqlx: the label as text, NULL for `None`.
        V::Enum(e) => plain(Some(enum_field(e))),
        #[allow(unreachable_patterns)]
        other => return Err(bind_err(format!("unsupported value type {other:?}"))),
    })
}

fn mysql_double(f: f64) -> Result<Field, DbErr> {
    if f.is_finite() {
        Ok(Field::DoubleValue(f))
    } else {
        Err(bind_err(
            "MySQL cannot store NaN or infinite floating point values",
        ))
    }
}

/// `YYYY-MM-DD` within MySQL's range (years 0–9999; MySQL's CAST turns others into NULL).
fn mysql_date(d: &NaiveDate) -> Result<String, DbErr> {
    if !(0..=9999).contains(&d.year()) {
        return Err(bind_err(format!(
            "MySQL dates hold years 0 to 9999, not {}",
            d.year()
        )));
    }
    Ok(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
}

fn mysql_datetime(t: &NaiveDateTime) -> Result<String, DbErr> {
    Ok(format!(
        "{} {}",
        mysql_date(&t.date())?,
        time_text(&t.time())
    ))
}

/// The UTC offset in seconds of a zoned value (for tests of the encoders).
#[cfg(test)]
fn offset_seconds<Tz: TimeZone>(t: &DateTime<Tz>) -> i32 {
    use chrono::Offset;
    t.offset().fix().local_minus_utc()
}

#[cfg(test)]
mod tests;
