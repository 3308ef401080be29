//! Data API result `Field`s → `sea_query::Value`s, the variant each Rust type needs.
//!
//! SeaORM reads a proxy row's value with `ValueType::try_from`, which accepts exactly one
//! `Value` variant per Rust type (`i32` only `Value::Int`, `DateTime<FixedOffset>` only
//! `Value::ChronoDateTimeWithTimeZone`, …) and reports any other variant as NULL. So each
//! column's variant is chosen once, from (in order) a per-column override (see
//! [`TypeOptions::entity`]), the column's `typeName`, and for the few types several Rust types
//! share (NUMERIC, zoned timestamps) the connection's [`TypeOptions`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use aws_sdk_rdsdata::types::{ArrayValue, ColumnMetadata, Field};
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone as _, Utc};
use sea_orm::sea_query::{ColumnType, Value};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, IdenStatic, Iterable, ProxyRow};

use crate::pg::codec::{builtin_by_name, Kind};
use crate::sql::Dialect;

/// The `sea_query::Value` variant a column is decoded into, i.e. the Rust type of the model
/// field that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueKind {
    /// `bool`
    Bool,
    /// `i8`
    TinyInt,
    /// `i16`
    SmallInt,
    /// `i32`
    Int,
    /// `i64`
    BigInt,
    /// `u8`
    TinyUnsigned,
    /// `u16`
    SmallUnsigned,
    /// `u32`
    Unsigned,
    /// `u64`
    BigUnsigned,
    /// `f32`
    Float,
    /// `f64`
    Double,
    /// `String` (also enums, intervals, inet, … in their text form)
    String,
    /// `Vec<u8>`
    Bytes,
    /// `serde_json::Value` (SeaORM's `Json`)
    Json,
    /// `chrono::NaiveDate` (SeaORM's `Date`)
    Date,
    /// `chrono::NaiveTime` (SeaORM's `Time`)
    Time,
    /// `chrono::NaiveDateTime` (SeaORM's `DateTime`)
    DateTime,
    /// `chrono::DateTime<Utc>` (SeaORM's `DateTimeUtc`)
    DateTimeUtc,
    /// `chrono::DateTime<Local>` (SeaORM's `DateTimeLocal`)
    DateTimeLocal,
    /// `chrono::DateTime<FixedOffset>` (SeaORM's `DateTimeWithTimeZone`)
    DateTimeWithTimeZone,
    /// `uuid::Uuid`
    Uuid,
    /// `bigdecimal::BigDecimal`
    BigDecimal,
    /// `rust_decimal::Decimal` (SeaORM's `Decimal`; feature `sea-orm-rust_decimal`)
    #[cfg(feature = "sea-orm-rust_decimal")]
    Decimal,
}

/// How the columns whose SQL type several Rust types share are decoded, plus per-column
/// overrides. The defaults follow what `sea-orm-cli` generates, except NUMERIC.
///
/// ```
/// use aurora_data_api::sea_orm::{TypeOptions, ValueKind};
///
/// let types = TypeOptions::new()
///     .zoned_timestamps(ValueKind::DateTimeUtc)
///     .column("events", "payload", ValueKind::Json);
/// # let _ = types;
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct TypeOptions {
    numeric: ValueKind,
    zoned: ValueKind,
    mysql_binary16_uuid: bool,
    columns: HashMap<(String, String), ValueKind>,
}

impl Default for TypeOptions {
    fn default() -> Self {
        TypeOptions {
            numeric: ValueKind::BigDecimal,
            zoned: ValueKind::DateTimeWithTimeZone,
            mysql_binary16_uuid: true,
            columns: HashMap::new(),
        }
    }
}

impl fmt::Debug for TypeOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypeOptions")
            .field("numeric", &self.numeric)
            .field("zoned", &self.zoned)
            .field("mysql_binary16_uuid", &self.mysql_binary16_uuid)
            .field("columns", &self.columns.len())
            .finish()
    }
}

impl TypeOptions {
    /// The defaults: NUMERIC / DECIMAL → `BigDecimal`; PostgreSQL `timestamptz` and MySQL
    /// `TIMESTAMP` → `DateTimeWithTimeZone`; MySQL `BINARY(16)` → `Uuid` (SeaORM's column
    /// type for `Uuid` on MySQL).
    pub fn new() -> Self {
        Self::default()
    }

    /// The Rust type of NUMERIC / DECIMAL columns: [`ValueKind::BigDecimal`] (default) or
    /// `ValueKind::Decimal` (feature `sea-orm-rust_decimal`). Other kinds are ignored.
    pub fn numeric(mut self, kind: ValueKind) -> Self {
        if is_decimal(kind) {
            self.numeric = kind;
        }
        self
    }

    /// The Rust type of zoned timestamps (PostgreSQL `timestamptz`, MySQL `TIMESTAMP`):
    /// [`ValueKind::DateTimeWithTimeZone`] (default), [`ValueKind::DateTimeUtc`] or
    /// [`ValueKind::DateTimeLocal`]. Other kinds are ignored.
    pub fn zoned_timestamps(mut self, kind: ValueKind) -> Self {
        if matches!(
            kind,
            ValueKind::DateTimeWithTimeZone | ValueKind::DateTimeUtc | ValueKind::DateTimeLocal
        ) {
            self.zoned = kind;
        }
        self
    }

    /// Whether MySQL `BINARY(16)` columns are read as `Uuid` (default `true`) or as bytes.
    pub fn mysql_binary16_as_uuid(mut self, yes: bool) -> Self {
        self.mysql_binary16_uuid = yes;
        self
    }

    /// Decodes column `column` of table `table` (as the Data API's column metadata names
    /// them) as `kind`, whatever its `typeName`. Also matches SeaORM's join aliases
    /// (`A_column`, `B_column`, …) of that column.
    pub fn column(mut self, table: &str, column: &str, kind: ValueKind) -> Self {
        self.columns
            .insert((table.to_owned(), column.to_owned()), kind);
        self
    }

    /// Registers the columns of entity `E` whose SQL type does not reveal their Rust type
    /// on every engine: JSON (MariaDB stores it as LONGTEXT), UUID (BINARY(16) on MySQL),
    /// booleans and integers of a width other than the column's. NUMERIC and zoned
    /// timestamps follow [`numeric`](Self::numeric) / [`zoned_timestamps`](Self::zoned_timestamps),
    /// since their column type is the same for several Rust types.
    pub fn entity<E: EntityTrait>(mut self) -> Self {
        let table = E::default().table_name().to_owned();
        for column in E::Column::iter() {
            if let Some(kind) = kind_of_column_type(column.def().get_column_type()) {
                self.columns
                    .insert((table.clone(), column.as_str().to_owned()), kind);
            }
        }
        self
    }

    /// The override for a column, trying SeaORM's join alias prefixes too.
    fn column_override(&self, table: &str, label: &str) -> Option<ValueKind> {
        if self.columns.is_empty() || table.is_empty() {
            return None;
        }
        let lookup = |name: &str| {
            self.columns
                .get(&(table.to_owned(), name.to_owned()))
                .copied()
        };
        lookup(label).or_else(|| {
            // SeaORM aliases joined columns `A_col`, `B_col`, … (`SelectA`, `SelectB`, …).
            let b = label.as_bytes();
            (b.len() > 2 && b[0].is_ascii_uppercase() && b[1] == b'_')
                .then(|| lookup(&label[2..]))
                .flatten()
        })
    }
}

fn is_decimal(kind: ValueKind) -> bool {
    #[cfg(feature = "sea-orm-rust_decimal")]
    if kind == ValueKind::Decimal {
        return true;
    }
    kind == ValueKind::BigDecimal
}

/// The kind an entity column's declared type pins down, if it does.
fn kind_of_column_type(ty: &ColumnType) -> Option<ValueKind> {
    use ColumnType as C;
    Some(match ty {
        C::Json | C::JsonBinary => ValueKind::Json,
        C::Uuid => ValueKind::Uuid,
        C::Boolean => ValueKind::Bool,
        C::TinyInteger => ValueKind::TinyInt,
        C::SmallInteger => ValueKind::SmallInt,
        C::Integer => ValueKind::Int,
        C::BigInteger => ValueKind::BigInt,
        C::TinyUnsigned => ValueKind::TinyUnsigned,
        C::SmallUnsigned => ValueKind::SmallUnsigned,
        C::Unsigned => ValueKind::Unsigned,
        C::BigUnsigned => ValueKind::BigUnsigned,
        C::Float => ValueKind::Float,
        C::Double => ValueKind::Double,
        C::Date => ValueKind::Date,
        C::Time => ValueKind::Time,
        C::DateTime => ValueKind::DateTime,
        C::Binary(_) | C::VarBinary(_) | C::Blob => ValueKind::Bytes,
        C::Char(_) | C::String(_) | C::Text | C::Enum { .. } => ValueKind::String,
        _ => return None,
    })
}

/// The label of SeaORM's paginator count column.
const PAGINATOR_COUNT: &str = "num_items";

/// The kind of a column from its metadata.
pub(crate) fn column_kind(
    meta: &ColumnMetadata,
    dialect: Dialect,
    types: &TypeOptions,
) -> ValueKind {
    let label = meta.label.as_deref().or(meta.name.as_deref()).unwrap_or("");
    if let Some(kind) = types.column_override(meta.table_name.as_deref().unwrap_or(""), label) {
        return kind;
    }
    let type_name = meta.type_name.as_deref().unwrap_or("");
    if dialect == Dialect::Mysql
        && label == PAGINATOR_COUNT
        && meta.table_name.as_deref().unwrap_or("").is_empty()
    {
        // SeaORM's paginator (and `count()`) reads MySQL's `COUNT(*) AS num_items`, a
        // BIGINT, as `i32` (sqlx decodes it leniently; a proxy row must hold `Value::Int`).
        return ValueKind::Int;
    }
    match dialect {
        Dialect::Postgres => pg_kind(type_name, types),
        Dialect::Mysql => mysql_kind(type_name, meta.precision, types),
    }
}

fn pg_kind(type_name: &str, types: &TypeOptions) -> ValueKind {
    if type_name.starts_with('_') {
        // 1-D arrays arrive as `arrayValue`; without SeaORM's postgres-array they read as JSON.
        return ValueKind::Json;
    }
    let Some(t) = builtin_by_name(type_name) else {
        // Enums, citext, domains over text and other custom types: their text form.
        return ValueKind::String;
    };
    match t.kind {
        Kind::Bool => ValueKind::Bool,
        Kind::Int2 => ValueKind::SmallInt,
        Kind::Int4 => ValueKind::Int,
        Kind::Int8 => ValueKind::BigInt,
        Kind::Oid => ValueKind::Unsigned,
        Kind::Float4 => ValueKind::Float,
        Kind::Float8 => ValueKind::Double,
        Kind::Numeric => types.numeric,
        Kind::Bytea => ValueKind::Bytes,
        Kind::Uuid => ValueKind::Uuid,
        Kind::Json | Kind::Jsonb => ValueKind::Json,
        Kind::Date => ValueKind::Date,
        Kind::Time => ValueKind::Time,
        Kind::Timestamp => ValueKind::DateTime,
        Kind::TimestampTz => types.zoned,
        _ => ValueKind::String,
    }
}

fn mysql_kind(type_name: &str, precision: i32, types: &TypeOptions) -> ValueKind {
    let upper = type_name.to_ascii_uppercase();
    let (base, unsigned) = match upper.strip_suffix(" UNSIGNED") {
        Some(base) => (base, true),
        None => (upper.as_str(), false),
    };
    match (base, unsigned) {
        ("BIT" | "BOOL" | "BOOLEAN", _) => ValueKind::Bool,
        ("TINYINT", false) => ValueKind::TinyInt,
        ("TINYINT", true) => ValueKind::TinyUnsigned,
        ("SMALLINT", false) => ValueKind::SmallInt,
        ("SMALLINT", true) => ValueKind::SmallUnsigned,
        ("MEDIUMINT" | "INT" | "INTEGER", false) => ValueKind::Int,
        ("MEDIUMINT" | "INT" | "INTEGER", true) => ValueKind::Unsigned,
        ("BIGINT", false) => ValueKind::BigInt,
        ("BIGINT", true) => ValueKind::BigUnsigned,
        ("FLOAT", _) => ValueKind::Float,
        ("DOUBLE" | "REAL", _) => ValueKind::Double,
        ("DECIMAL" | "NUMERIC", _) => types.numeric,
        ("DATE", _) => ValueKind::Date,
        ("TIME", _) => ValueKind::Time,
        ("DATETIME", _) => ValueKind::DateTime,
        ("TIMESTAMP", _) => types.zoned,
        ("YEAR", _) => ValueKind::SmallUnsigned,
        ("JSON", _) => ValueKind::Json,
        ("UUID", _) => ValueKind::Uuid,
        ("BINARY", _) if precision == 16 && types.mysql_binary16_uuid => ValueKind::Uuid,
        ("BINARY" | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB", _) => {
            ValueKind::Bytes
        }
        _ => ValueKind::String,
    }
}

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
    }
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
        K::String => Value::String(Some(Box::new(match field {
            Field::StringValue(s) => s,
            Field::LongValue(v) => v.to_string(),
            Field::DoubleValue(v) => v.to_string(),
            Field::BooleanValue(b) => b.to_string(),
            Field::BlobValue(b) => String::from_utf8(b.into_inner())
                .map_err(|e| DbErr::Type(format!("column `{column}` is not UTF-8 text: {e}")))?,
            other => return Err(err(&other)),
        }))),
        K::Bytes => Value::Bytes(Some(Box::new(match field {
            Field::BlobValue(b) => b.into_inner(),
            Field::StringValue(s) => s.into_bytes(),
            other => return Err(err(&other)),
        }))),
        K::Json => Value::Json(Some(Box::new(match field {
            Field::StringValue(s) => serde_json::from_str(&s)
                .map_err(|e| DbErr::Json(format!("column `{column}` is not valid JSON: {e}")))?,
            Field::ArrayValue(a) => array_json(a),
            Field::LongValue(v) => v.into(),
            Field::DoubleValue(v) => v.into(),
            Field::BooleanValue(b) => b.into(),
            other => return Err(err(&other)),
        }))),
        K::Date => Value::ChronoDate(Some(Box::new(
            parse_date(&text(&field)?).ok_or_else(|| err(&field))?,
        ))),
        K::Time => Value::ChronoTime(Some(Box::new(
            NaiveTime::parse_from_str(&text(&field)?, "%H:%M:%S%.f").map_err(|_| err(&field))?,
        ))),
        K::DateTime => Value::ChronoDateTime(Some(Box::new(
            parse_timestamp(&text(&field)?).ok_or_else(|| err(&field))?,
        ))),
        // Zoned values arrive in UTC without an offset (PostgreSQL timestamptz, MySQL
        // TIMESTAMP in the Data API's UTC session).
        K::DateTimeUtc => {
            Value::ChronoDateTimeUtc(Some(Box::new(utc(&field).ok_or_else(|| err(&field))?)))
        }
        K::DateTimeLocal => Value::ChronoDateTimeLocal(Some(Box::new(
            utc(&field)
                .ok_or_else(|| err(&field))?
                .with_timezone(&Local),
        ))),
        K::DateTimeWithTimeZone => Value::ChronoDateTimeWithTimeZone(Some(Box::new(
            utc(&field).ok_or_else(|| err(&field))?.fixed_offset(),
        ))),
        K::Uuid => Value::Uuid(Some(Box::new(match &field {
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
        }))),
        K::BigDecimal => Value::BigDecimal(Some(Box::new(match &field {
            Field::StringValue(s) => s.trim().parse().map_err(|_| err(&field))?,
            Field::LongValue(v) => (*v).into(),
            Field::DoubleValue(v) => {
                bigdecimal::BigDecimal::try_from(*v).map_err(|_| err(&field))?
            }
            _ => return Err(err(&field)),
        }))),
        #[cfg(feature = "sea-orm-rust_decimal")]
        K::Decimal => Value::Decimal(Some(Box::new(match &field {
            // `from_str_exact` refuses values that would lose digits instead of rounding
            // them silently; configure BigDecimal for such columns.
            Field::StringValue(s) => {
                rust_decimal::Decimal::from_str_exact(s.trim()).map_err(|_| err(&field))?
            }
            Field::LongValue(v) => (*v).into(),
            _ => return Err(err(&field)),
        }))),
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
    let columns: Vec<String> = metadata
        .iter()
        .map(|c| {
            c.label
                .clone()
                .or_else(|| c.name.clone())
                .unwrap_or_default()
        })
        .collect();
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
mod tests {
    use super::*;

    fn meta(type_name: &str) -> ColumnMetadata {
        ColumnMetadata::builder()
            .name("c")
            .label("c")
            .type_name(type_name)
            .build()
    }

    #[test]
    fn pg_kinds_follow_type_names() {
        let t = TypeOptions::new();
        let k = |n: &str| column_kind(&meta(n), Dialect::Postgres, &t);
        assert_eq!(k("int2"), ValueKind::SmallInt);
        assert_eq!(k("int4"), ValueKind::Int);
        assert_eq!(k("int8"), ValueKind::BigInt);
        assert_eq!(k("float4"), ValueKind::Float);
        assert_eq!(k("numeric"), ValueKind::BigDecimal);
        assert_eq!(k("timestamptz"), ValueKind::DateTimeWithTimeZone);
        assert_eq!(k("timestamp"), ValueKind::DateTime);
        assert_eq!(k("jsonb"), ValueKind::Json);
        assert_eq!(k("mood"), ValueKind::String);
        assert_eq!(k("_int4"), ValueKind::Json);
        let utc = TypeOptions::new().zoned_timestamps(ValueKind::DateTimeUtc);
        assert_eq!(
            column_kind(&meta("timestamptz"), Dialect::Postgres, &utc),
            ValueKind::DateTimeUtc
        );
    }

    #[test]
    fn mysql_kinds_follow_type_names() {
        let t = TypeOptions::new();
        let k = |n: &str, p: i32| mysql_kind(n, p, &t);
        assert_eq!(k("INT UNSIGNED", 10), ValueKind::Unsigned);
        assert_eq!(k("BIGINT UNSIGNED", 20), ValueKind::BigUnsigned);
        assert_eq!(k("BIT", 1), ValueKind::Bool);
        assert_eq!(k("BINARY", 16), ValueKind::Uuid);
        assert_eq!(k("BINARY", 4), ValueKind::Bytes);
        assert_eq!(k("TIMESTAMP", 26), ValueKind::DateTimeWithTimeZone);
        assert_eq!(k("LONGTEXT", 0), ValueKind::String);
    }

    #[test]
    fn overrides_match_join_aliases() {
        let t = TypeOptions::new().column("t", "doc", ValueKind::Json);
        let m = ColumnMetadata::builder()
            .label("B_doc")
            .table_name("t")
            .type_name("LONGTEXT")
            .build();
        assert_eq!(column_kind(&m, Dialect::Mysql, &t), ValueKind::Json);
    }

    #[test]
    fn decodes_and_refuses_with_typed_errors() {
        assert_eq!(
            decode(Field::LongValue(7), ValueKind::Int, "c").unwrap(),
            Value::Int(Some(7))
        );
        assert_eq!(
            decode(Field::IsNull(true), ValueKind::Uuid, "c").unwrap(),
            Value::Uuid(None)
        );
        assert!(matches!(
            decode(Field::LongValue(1 << 40), ValueKind::Int, "c"),
            Err(DbErr::Type(_))
        ));
        assert!(matches!(
            decode(Field::StringValue("{".into()), ValueKind::Json, "c"),
            Err(DbErr::Json(_))
        ));
        assert_eq!(
            decode(
                Field::StringValue("18446744073709551615".into()),
                ValueKind::BigUnsigned,
                "c"
            )
            .unwrap(),
            Value::BigUnsigned(Some(u64::MAX))
        );
        let t = decode(
            Field::StringValue("2024-01-02 03:04:05.5".into()),
            ValueKind::DateTimeWithTimeZone,
            "c",
        )
        .unwrap();
        let Value::ChronoDateTimeWithTimeZone(Some(t)) = t else {
            panic!()
        };
        assert_eq!(t.to_rfc3339(), "2024-01-02T03:04:05.500+00:00");
        assert_eq!(
            parse_date("0001-03-01 BC"),
            NaiveDate::from_ymd_opt(0, 3, 1)
        );
    }

    #[test]
    fn positional_keys_sort_in_select_order() {
        let d = Decoded {
            columns: vec!["z".into(), "a".into()],
            rows: vec![vec![Value::Int(Some(1)), Value::Int(Some(2))]],
        };
        let row = d.into_proxy_rows(true).remove(0);
        assert_eq!(row.try_get::<i32, _>(0usize).unwrap(), 1);
        assert_eq!(row.try_get::<i32, _>(1usize).unwrap(), 2);
        assert_eq!(row.try_get::<i32, _>("a").unwrap(), 2);
    }

    #[cfg(feature = "sea-orm-rust_decimal")]
    #[test]
    fn rust_decimal_on_request() {
        let t = TypeOptions::new().numeric(ValueKind::Decimal);
        assert_eq!(
            column_kind(&meta("numeric"), Dialect::Postgres, &t),
            ValueKind::Decimal
        );
        assert_eq!(
            decode(Field::StringValue("1.10".into()), ValueKind::Decimal, "c").unwrap(),
            Value::Decimal(Some(Box::new("1.10".parse().unwrap())))
        );
        // More digits than rust_decimal holds: an error, not a silently rounded value.
        let long = Field::StringValue("1234567890123456789012345678901234567890".into());
        assert!(matches!(
            decode(long, ValueKind::Decimal, "c"),
            Err(DbErr::Type(_))
        ));
    }
}
