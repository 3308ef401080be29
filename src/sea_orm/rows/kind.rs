//! Which `sea_query::Value` variant a column is decoded into: [`ValueKind`], the connection's
//! [`TypeOptions`], and the choice from an entity's column type or the column's `typeName`.

use std::collections::HashMap;
use std::fmt;

use aws_sdk_rdsdata::types::ColumnMetadata;
use sea_orm::sea_query::ColumnType;
use sea_orm::{ColumnTrait, EntityTrait, IdenStatic, Iterable};

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
    /// `Vec<T>` / `Vec<Option<T>>` of a PostgreSQL array column (SeaORM's `postgres-array`),
    /// `T` of the element kind. Build it with [`ValueKind::array_of`].
    Array(&'static ValueKind),
}

/// Every scalar kind once, so array kinds can refer to their element kind by `'static`
/// reference and `ValueKind` stays `Copy`.
static SCALARS: &[ValueKind] = &[
    ValueKind::Bool,
    ValueKind::TinyInt,
    ValueKind::SmallInt,
    ValueKind::Int,
    ValueKind::BigInt,
    ValueKind::TinyUnsigned,
    ValueKind::SmallUnsigned,
    ValueKind::Unsigned,
    ValueKind::BigUnsigned,
    ValueKind::Float,
    ValueKind::Double,
    ValueKind::String,
    ValueKind::Bytes,
    ValueKind::Json,
    ValueKind::Date,
    ValueKind::Time,
    ValueKind::DateTime,
    ValueKind::DateTimeUtc,
    ValueKind::DateTimeLocal,
    ValueKind::DateTimeWithTimeZone,
    ValueKind::Uuid,
    ValueKind::BigDecimal,
    #[cfg(feature = "sea-orm-rust_decimal")]
    ValueKind::Decimal,
];

impl ValueKind {
    /// The kind of a one-dimensional array of `element`s (`Vec<T>`); `None` for an array
    /// element (arrays of arrays have no SeaORM type).
    pub fn array_of(element: ValueKind) -> Option<ValueKind> {
        SCALARS
            .iter()
            .find(|k| **k == element)
            .map(ValueKind::Array)
    }
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
        C::Array(element) => ValueKind::array_of(kind_of_column_type(element)?)?,
        _ => return None,
    })
}

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
    match dialect {
        Dialect::Postgres => pg_kind(type_name, types),
        Dialect::Mysql => mysql_kind(type_name, meta.precision, types),
    }
}

fn pg_kind(type_name: &str, types: &TypeOptions) -> ValueKind {
    if let Some(element) = type_name.strip_prefix('_') {
        // 1-D arrays arrive as `arrayValue` (or their literal): `Vec<T>` of the element's kind.
        return ValueKind::array_of(pg_kind(element, types)).unwrap_or(ValueKind::Json);
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

pub(super) fn mysql_kind(type_name: &str, precision: i32, types: &TypeOptions) -> ValueKind {
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
