//! MySQL/MariaDB type tables: how a result column maps to a Data API `Field` and to
//! `ColumnMetadata` (type names and java.sql.Types codes as MySQL Connector/J reports them),
//! and how request parameters bind. Every mapping decision lives here so a correction from a
//! real cluster is a change in one place; inferred choices are marked *unverified*.

use mysql_async::consts::{ColumnFlags, ColumnType};
use mysql_async::{Column, Value};

use super::ResultOptions;
use crate::protocol::{ColumnMetadata, Field};

/// java.sql.Types codes used below.
mod jdbc {
    pub const BIT: i32 = -7;
    pub const TINYINT: i32 = -6;
    pub const SMALLINT: i32 = 5;
    pub const INTEGER: i32 = 4;
    pub const BIGINT: i32 = -5;
    pub const REAL: i32 = 7;
    pub const DOUBLE: i32 = 8;
    pub const DECIMAL: i32 = 3;
    pub const CHAR: i32 = 1;
    pub const VARCHAR: i32 = 12;
    pub const LONGVARCHAR: i32 = -1;
    pub const BINARY: i32 = -2;
    pub const VARBINARY: i32 = -3;
    pub const LONGVARBINARY: i32 = -4;
    pub const DATE: i32 = 91;
    pub const TIME: i32 = 92;
    pub const TIMESTAMP: i32 = 93;
    pub const NULL: i32 = 0;
}

/// The collation id of the `binary` character set: BINARY/VARBINARY/BLOB and non-text types.
const BINARY_COLLATION: u16 = 63;

/// MySQL's "not fixed decimals" marker (31; MariaDB uses 39) for FLOAT/DOUBLE and expressions.
const NOT_FIXED_DECIMALS: u8 = 31;

/// How a result column's values are turned into `Field`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueClass {
    /// `SELECT NULL`: every value is NULL.
    Null,
    /// TINYINT(1) / BOOL / BOOLEAN → booleanValue.
    Bool,
    /// BIT(n) → booleanValue, true when any bit is set (lossy for n > 1, as the Data API is).
    Bit,
    /// TINYINT … BIGINT → longValue.
    Integer,
    /// YEAR → stringValue `"2021"`.
    Year,
    /// FLOAT / DOUBLE → doubleValue.
    Float,
    /// DECIMAL → stringValue with the scale kept.
    Decimal,
    /// CHAR, VARCHAR, TEXT, ENUM, SET, JSON → stringValue.
    Text,
    /// BINARY, VARBINARY, BLOB (binary charset), GEOMETRY → blobValue.
    Binary,
    /// DATE → `YYYY-MM-DD`.
    Date,
    /// TIME → `[-]HH:MM:SS[.ffffff]`, hours may exceed 24.
    Time,
    /// DATETIME / TIMESTAMP → `YYYY-MM-DD HH:MM:SS[.ffffff]`, no zone.
    DateTime,
}

/// The parts of a column definition the mappings read (a plain struct so the tables can be
/// unit-tested without a server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    pub column_type: ColumnType,
    pub flags: ColumnFlags,
    /// Collation id (`character_set` in the protocol); 63 = binary.
    pub collation: u16,
    /// Display length in bytes, as sent by the server.
    pub length: u32,
    pub decimals: u8,
    pub name: String,
    pub table: String,
    pub schema: String,
    /// The column's name and table in the table definition (not the aliases), for lookups.
    pub org_name: String,
    pub org_table: String,
    /// A MariaDB JSON column (LONGTEXT with a `json_valid` check), found by
    /// [`super::mysql::MysqlSession`]'s lookup: reported as `JSON`, as Aurora MySQL does.
    pub json: bool,
}

impl ColumnInfo {
    /// Reads the definition of a result column.
    pub fn from_column(col: &Column) -> Self {
        ColumnInfo {
            column_type: col.column_type(),
            flags: col.flags(),
            collation: col.character_set(),
            length: col.column_length(),
            decimals: col.decimals(),
            name: col.name_str().into_owned(),
            table: col.table_str().into_owned(),
            schema: col.schema_str().into_owned(),
            org_name: col.org_name_str().into_owned(),
            org_table: col.org_table_str().into_owned(),
            json: false,
        }
    }

    /// A LONGTEXT column straight from a table: MariaDB's JSON columns are such.
    pub fn may_be_mariadb_json(&self) -> bool {
        matches!(
            self.column_type,
            ColumnType::MYSQL_TYPE_BLOB | ColumnType::MYSQL_TYPE_LONG_BLOB
        ) && blob_type(self).0 == "LONGTEXT"
            && !self.org_table.is_empty()
            && !self.org_name.is_empty()
            && !self.schema.is_empty()
    }

    fn unsigned(&self) -> bool {
        self.flags.contains(ColumnFlags::UNSIGNED_FLAG)
    }

    fn binary_charset(&self) -> bool {
        self.collation == BINARY_COLLATION
    }

    /// TINYINT(1) is the MySQL boolean. Connector/J (tinyInt1isBit, its default) only treats
    /// the signed form so; we follow it (*unverified* for TINYINT(1) UNSIGNED).
    fn is_bool(&self) -> bool {
        self.column_type == ColumnType::MYSQL_TYPE_TINY && self.length == 1 && !self.unsigned()
    }

    /// Fractional digits for FLOAT/DECIMAL/temporal columns; 0 for the "not fixed" marker.
    fn fixed_decimals(&self) -> u8 {
        if self.decimals >= NOT_FIXED_DECIMALS {
            0
        } else {
            self.decimals
        }
    }
}

/// Classifies a column for value conversion.
pub fn value_class(col: &ColumnInfo) -> ValueClass {
    use ColumnType::*;
    match col.column_type {
        MYSQL_TYPE_NULL => ValueClass::Null,
        MYSQL_TYPE_TINY if col.is_bool() => ValueClass::Bool,
        MYSQL_TYPE_BIT => ValueClass::Bit,
        MYSQL_TYPE_TINY | MYSQL_TYPE_SHORT | MYSQL_TYPE_INT24 | MYSQL_TYPE_LONG
        | MYSQL_TYPE_LONGLONG => ValueClass::Integer,
        MYSQL_TYPE_YEAR => ValueClass::Year,
        MYSQL_TYPE_FLOAT | MYSQL_TYPE_DOUBLE => ValueClass::Float,
        MYSQL_TYPE_DECIMAL | MYSQL_TYPE_NEWDECIMAL => ValueClass::Decimal,
        MYSQL_TYPE_DATE | MYSQL_TYPE_NEWDATE => ValueClass::Date,
        MYSQL_TYPE_TIME | MYSQL_TYPE_TIME2 => ValueClass::Time,
        MYSQL_TYPE_DATETIME
        | MYSQL_TYPE_DATETIME2
        | MYSQL_TYPE_TIMESTAMP
        | MYSQL_TYPE_TIMESTAMP2 => ValueClass::DateTime,
        // MySQL sends JSON with the binary charset, but it is text.
        MYSQL_TYPE_JSON => ValueClass::Text,
        // ENUM/SET arrive as MYSQL_TYPE_STRING with a flag; they are always text.
        _ if col
            .flags
            .intersects(ColumnFlags::ENUM_FLAG | ColumnFlags::SET_FLAG) =>
        {
            ValueClass::Text
        }
        _ if col.binary_charset() => ValueClass::Binary,
        _ => ValueClass::Text,
    }
}

/// Type name and java.sql.Types code, as Connector/J reports them (its `MysqlType`).
/// Unsigned numeric types get a `" UNSIGNED"` suffix in the name.
fn type_name_and_code(col: &ColumnInfo) -> (String, i32) {
    use ColumnType::*;
    let (base, code, numeric) = match col.column_type {
        // Connector/J (tinyInt1isBit=true, transformedBitIsBoolean=false) reports TINYINT(1)
        // as BIT / -7 (*unverified* for the Data API).
        MYSQL_TYPE_TINY if col.is_bool() => ("BIT", jdbc::BIT, false),
        _ if col.json => ("JSON", jdbc::LONGVARCHAR, false),
        MYSQL_TYPE_TINY => ("TINYINT", jdbc::TINYINT, true),
        MYSQL_TYPE_SHORT => ("SMALLINT", jdbc::SMALLINT, true),
        MYSQL_TYPE_INT24 => ("MEDIUMINT", jdbc::INTEGER, true),
        MYSQL_TYPE_LONG => ("INT", jdbc::INTEGER, true),
        MYSQL_TYPE_LONGLONG => ("BIGINT", jdbc::BIGINT, true),
        MYSQL_TYPE_FLOAT => ("FLOAT", jdbc::REAL, true),
        MYSQL_TYPE_DOUBLE => ("DOUBLE", jdbc::DOUBLE, true),
        MYSQL_TYPE_DECIMAL | MYSQL_TYPE_NEWDECIMAL => ("DECIMAL", jdbc::DECIMAL, true),
        MYSQL_TYPE_BIT => ("BIT", jdbc::BIT, false),
        MYSQL_TYPE_NULL => ("NULL", jdbc::NULL, false),
        MYSQL_TYPE_DATE | MYSQL_TYPE_NEWDATE => ("DATE", jdbc::DATE, false),
        MYSQL_TYPE_TIME | MYSQL_TYPE_TIME2 => ("TIME", jdbc::TIME, false),
        MYSQL_TYPE_DATETIME | MYSQL_TYPE_DATETIME2 => ("DATETIME", jdbc::TIMESTAMP, false),
        MYSQL_TYPE_TIMESTAMP | MYSQL_TYPE_TIMESTAMP2 => ("TIMESTAMP", jdbc::TIMESTAMP, false),
        // Connector/J's yearIsDateType=true default.
        MYSQL_TYPE_YEAR => ("YEAR", jdbc::DATE, false),
        MYSQL_TYPE_JSON => ("JSON", jdbc::LONGVARCHAR, false),
        MYSQL_TYPE_GEOMETRY => ("GEOMETRY", jdbc::BINARY, false),
        MYSQL_TYPE_ENUM => ("ENUM", jdbc::CHAR, false),
        MYSQL_TYPE_SET => ("SET", jdbc::CHAR, false),
        _ if col.flags.contains(ColumnFlags::ENUM_FLAG) => ("ENUM", jdbc::CHAR, false),
        _ if col.flags.contains(ColumnFlags::SET_FLAG) => ("SET", jdbc::CHAR, false),
        MYSQL_TYPE_STRING if col.binary_charset() => ("BINARY", jdbc::BINARY, false),
        MYSQL_TYPE_STRING => ("CHAR", jdbc::CHAR, false),
        MYSQL_TYPE_VAR_STRING | MYSQL_TYPE_VARCHAR if col.binary_charset() => {
            ("VARBINARY", jdbc::VARBINARY, false)
        }
        MYSQL_TYPE_VAR_STRING | MYSQL_TYPE_VARCHAR => ("VARCHAR", jdbc::VARCHAR, false),
        MYSQL_TYPE_TINY_BLOB | MYSQL_TYPE_BLOB | MYSQL_TYPE_MEDIUM_BLOB | MYSQL_TYPE_LONG_BLOB => {
            blob_type(col)
        }
        _ if col.binary_charset() => ("VARBINARY", jdbc::VARBINARY, false),
        _ => ("VARCHAR", jdbc::VARCHAR, false),
    };
    if numeric && col.unsigned() {
        (format!("{base} UNSIGNED"), code)
    } else {
        (base.to_string(), code)
    }
}

/// The server sends every BLOB/TEXT variant as MYSQL_TYPE_BLOB; like Connector/J, the size
/// class is read from the length (in characters for text). MariaDB stores JSON as LONGTEXT;
/// such a column is reported as JSON when the session's lookup marked it (`ColumnInfo::json`).
fn blob_type(col: &ColumnInfo) -> (&'static str, i32, bool) {
    let binary = col.binary_charset();
    let size = if binary {
        col.length
    } else {
        col.length / max_bytes_per_char(col.collation)
    };
    match (binary, size) {
        (true, 0..=255) => ("TINYBLOB", jdbc::VARBINARY, false),
        (true, 256..=65_535) => ("BLOB", jdbc::LONGVARBINARY, false),
        (true, 65_536..=16_777_215) => ("MEDIUMBLOB", jdbc::LONGVARBINARY, false),
        (true, _) => ("LONGBLOB", jdbc::LONGVARBINARY, false),
        (false, 0..=255) => ("TINYTEXT", jdbc::VARCHAR, false),
        (false, 256..=65_535) => ("TEXT", jdbc::LONGVARCHAR, false),
        (false, 65_536..=16_777_215) => ("MEDIUMTEXT", jdbc::LONGVARCHAR, false),
        (false, _) => ("LONGTEXT", jdbc::LONGVARCHAR, false),
    }
}

/// Bytes per character of a collation's character set. Text columns arrive in the
/// connection's result charset, which mysql_async sets to utf8mb4, so unknown ids count as 4.
fn max_bytes_per_char(collation: u16) -> u32 {
    match collation {
        BINARY_COLLATION => 1,
        // latin1, ascii, latin2, cp1250/1251/1252-ish single-byte sets seen in practice.
        5 | 8 | 9 | 11 | 15 | 21 | 31 | 47 | 48 | 49 | 65 | 94 => 1,
        // utf8mb3 (MySQL's and MariaDB's ids).
        33 | 83 | 192..=215 | 223 | 576..=578 | 1057 | 1107 | 1216..=1247 | 1280..=1311 => 3,
        // ucs2
        35 | 90 | 128..=151 | 159 => 2,
        _ => 4,
    }
}

/// Whether a collation's name ends in `_ci`. Only the binary charset and the `_bin`/`_cs`
/// collations that can be a connection's result collation are listed; all others are `_ci`.
fn collation_is_case_insensitive(collation: u16) -> bool {
    // 46 utf8mb4_bin, 83 utf8mb3_bin, 47 latin1_bin, 65 ascii_bin, 278 utf8mb4_0900_as_cs,
    // 309 utf8mb4_0900_bin.
    !matches!(collation, BINARY_COLLATION | 46 | 47 | 65 | 83 | 278 | 309)
}

/// Builds the `ColumnMetadata` of a result column, following Connector/J's
/// `ResultSetMetaData` (precision, scale, signedness, case sensitivity).
pub fn column_metadata(col: &ColumnInfo) -> ColumnMetadata {
    let (type_name, type_code) = type_name_and_code(col);
    let class = value_class(col);
    let numeric = matches!(
        class,
        ValueClass::Integer
            | ValueClass::Float
            | ValueClass::Decimal
            | ValueClass::Bool
            | ValueClass::Bit
    );
    let length = i32::try_from(col.length).unwrap_or(i32::MAX);
    let precision = match class {
        ValueClass::Decimal => {
            // The length counts the sign and the decimal point.
            let sign = i32::from(!col.unsigned());
            let point = i32::from(col.decimals > 0);
            length - sign - point
        }
        ValueClass::Integer | ValueClass::Float | ValueClass::Bool | ValueClass::Bit => length,
        ValueClass::Text => length / max_bytes_per_char(col.collation) as i32,
        _ => length,
    };
    let scale = match class {
        ValueClass::Decimal | ValueClass::Float | ValueClass::Time | ValueClass::DateTime => {
            i32::from(col.fixed_decimals())
        }
        _ => 0,
    };
    // Connector/J: numbers and dates are case-insensitive, text follows the collation the
    // server reports (for text columns that is the result charset's default collation, a
    // `_ci` one, whatever the column's own collation), everything else (DECIMAL, binary,
    // MySQL's JSON with the binary charset) is case-sensitive.
    let is_case_sensitive = match class {
        ValueClass::Integer
        | ValueClass::Float
        | ValueClass::Bool
        | ValueClass::Bit
        | ValueClass::Year
        | ValueClass::Date
        | ValueClass::Time
        | ValueClass::DateTime
        | ValueClass::Null => false,
        ValueClass::Text => !collation_is_case_insensitive(col.collation),
        ValueClass::Decimal | ValueClass::Binary => true,
    };
    ColumnMetadata {
        name: col.name.clone(),
        label: col.name.clone(),
        type_code,
        type_name,
        // Recorded responses of two clients against Aurora MySQL have "" here, not the
        // database name.
        schema_name: String::new(),
        table_name: col.table.clone(),
        is_auto_increment: col.flags.contains(ColumnFlags::AUTO_INCREMENT_FLAG),
        is_signed: numeric
            && !matches!(class, ValueClass::Bool | ValueClass::Bit)
            && !col.unsigned(),
        is_currency: false,
        is_case_sensitive,
        nullable: if col.flags.contains(ColumnFlags::NOT_NULL_FLAG) {
            0
        } else {
            1
        },
        precision,
        scale,
        array_base_column_type: 0,
    }
}

/// Converts one value of a result column. Values come from the binary protocol (typed) or,
/// for statements MySQL cannot prepare, from the text protocol (always `Bytes`); both give
/// the same `Field`.
pub fn to_field(
    col: &ColumnInfo,
    class: ValueClass,
    value: Value,
    options: ResultOptions,
) -> Field {
    if value == Value::NULL {
        return Field::IsNull(true);
    }
    match class {
        ValueClass::Null => Field::IsNull(true),
        ValueClass::Bool => match integer_of(&value) {
            Some(n) => Field::BooleanValue(n != 0),
            None => fallback(col, value),
        },
        ValueClass::Bit => match value {
            Value::Bytes(b) => Field::BooleanValue(b.iter().any(|&x| x != 0)),
            other => match integer_of(&other) {
                Some(n) => Field::BooleanValue(n != 0),
                None => fallback(col, other),
            },
        },
        ValueClass::Integer => match integer_of(&value) {
            Some(n) => long_field(n, options),
            None => fallback(col, value),
        },
        ValueClass::Year => match integer_of(&value) {
            Some(n) => Field::StringValue(format!("{n:04}")),
            None => fallback(col, value),
        },
        ValueClass::Float => match value {
            // FLOAT through its shortest decimal form, as the text protocol (and so
            // Connector/J's default client-side statements) gives it: 1.1, not 1.100000023841858.
            Value::Float(f) => Field::DoubleValue(f.to_string().parse().unwrap_or(f64::from(f))),
            Value::Double(d) => Field::DoubleValue(d),
            Value::Bytes(ref b) => match std::str::from_utf8(b).ok().and_then(|s| s.parse().ok()) {
                Some(d) => Field::DoubleValue(d),
                None => fallback(col, value),
            },
            other => fallback(col, other),
        },
        ValueClass::Decimal => match value {
            Value::Bytes(b) => decimal_field(
                String::from_utf8_lossy(&b).into_owned(),
                col.decimals,
                options,
            ),
            other => fallback(col, other),
        },
        ValueClass::Text => match value {
            Value::Bytes(b) => Field::StringValue(bytes_to_string(b)),
            other => fallback(col, other),
        },
        ValueClass::Binary => match value {
            Value::Bytes(b) => Field::BlobValue(b),
            other => fallback(col, other),
        },
        ValueClass::Date => match temporal_of(&value) {
            Some(Temporal::Date(y, m, d, ..)) => {
                Field::StringValue(format!("{y:04}-{m:02}-{d:02}"))
            }
            _ => fallback(col, value),
        },
        ValueClass::Time => match temporal_of(&value) {
            Some(Temporal::Time(neg, hours, m, s, us)) => {
                Field::StringValue(format_time(neg, hours, m, s, us))
            }
            _ => fallback(col, value),
        },
        ValueClass::DateTime => match temporal_of(&value) {
            Some(Temporal::Date(y, mo, d, h, mi, s, us)) => Field::StringValue(format!(
                "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}{}",
                fraction(us)
            )),
            _ => fallback(col, value),
        },
    }
}

/// Fractional seconds of TIME/DATETIME/TIMESTAMP results: none when zero, otherwise six
/// digits with trailing zeros stripped (`.12`), as the Data API does for PostgreSQL
/// timestamps. *unverified* for MySQL (it might pad to the column's precision instead).
pub fn fraction(micros: u32) -> String {
    if micros == 0 {
        return String::new();
    }
    let digits = format!("{micros:06}");
    format!(".{}", digits.trim_end_matches('0'))
}

fn format_time(negative: bool, hours: u32, minutes: u8, seconds: u8, micros: u32) -> String {
    let sign = if negative { "-" } else { "" };
    format!(
        "{sign}{hours:02}:{minutes:02}:{seconds:02}{}",
        fraction(micros)
    )
}

/// An integer result as longValue (or stringValue with longReturnType=STRING).
///
/// BIGINT UNSIGNED above i64::MAX cannot be a longValue: we return it as stringValue
/// (*unverified*: the reference leaves this case open).
fn long_field(n: i128, options: ResultOptions) -> Field {
    match i64::try_from(n) {
        Ok(v) if !options.long_as_string => Field::LongValue(v),
        _ => Field::StringValue(n.to_string()),
    }
}

/// DECIMAL keeps its exact text (scale kept, `"0.10"`); with decimalReturnType=DOUBLE_OR_LONG
/// it becomes longValue when the column has no fraction and the value fits, else doubleValue.
fn decimal_field(text: String, decimals: u8, options: ResultOptions) -> Field {
    if options.decimal_as_number {
        if decimals == 0 {
            if let Ok(v) = text.parse::<i64>() {
                return Field::LongValue(v);
            }
        }
        if let Ok(d) = text.parse::<f64>() {
            return Field::DoubleValue(d);
        }
    }
    Field::StringValue(text)
}

fn bytes_to_string(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Any integer representation (binary Int/UInt, or text digits) widened to i128.
fn integer_of(value: &Value) -> Option<i128> {
    match value {
        Value::Int(i) => Some(i128::from(*i)),
        Value::UInt(u) => Some(i128::from(*u)),
        Value::Bytes(b) => std::str::from_utf8(b).ok()?.trim().parse().ok(),
        _ => None,
    }
}

/// A date-time value independent of the protocol it came by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Temporal {
    /// year, month, day, hour, minute, second, microsecond
    Date(u16, u8, u8, u8, u8, u8, u32),
    /// negative, total hours, minute, second, microsecond
    Time(bool, u32, u8, u8, u32),
}

fn temporal_of(value: &Value) -> Option<Temporal> {
    match *value {
        Value::Date(y, mo, d, h, mi, s, us) => Some(Temporal::Date(y, mo, d, h, mi, s, us)),
        Value::Time(neg, days, h, mi, s, us) => {
            Some(Temporal::Time(neg, days * 24 + u32::from(h), mi, s, us))
        }
        Value::Bytes(ref b) => parse_temporal_text(std::str::from_utf8(b).ok()?),
        _ => None,
    }
}

/// Parses the text protocol's `YYYY-MM-DD[ HH:MM:SS[.f]]` or `[-]H+:MM:SS[.f]`.
fn parse_temporal_text(s: &str) -> Option<Temporal> {
    if s.len() >= 10 && s.as_bytes()[4] == b'-' {
        let (date, time) = s.split_at(10);
        let mut p = date.split('-');
        let (y, mo, d) = (
            p.next()?.parse().ok()?,
            p.next()?.parse().ok()?,
            p.next()?.parse().ok()?,
        );
        let time = time.trim_start();
        if time.is_empty() {
            return Some(Temporal::Date(y, mo, d, 0, 0, 0, 0));
        }
        let (false, h, mi, sec, us) = parse_time_text(time)? else {
            return None;
        };
        return Some(Temporal::Date(y, mo, d, u8::try_from(h).ok()?, mi, sec, us));
    }
    let (neg, h, mi, sec, us) = parse_time_text(s)?;
    Some(Temporal::Time(neg, h, mi, sec, us))
}

fn parse_time_text(s: &str) -> Option<(bool, u32, u8, u8, u32)> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (hms, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut p = hms.split(':');
    let h = p.next()?.parse().ok()?;
    let mi = p.next()?.parse().ok()?;
    let sec = p.next()?.parse().ok()?;
    if p.next().is_some() {
        return None;
    }
    Some((neg, h, mi, sec, parse_micros(frac)?))
}

/// Fractional-second digits to microseconds (extra digits are truncated).
pub fn parse_micros(frac: &str) -> Option<u32> {
    if !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut digits: String = frac.chars().take(6).collect();
    while digits.len() < 6 {
        digits.push('0');
    }
    digits.parse().ok()
}

/// A value that did not have the representation its column type implies: keep it rather
/// than fail the call.
fn fallback(col: &ColumnInfo, value: Value) -> Field {
    match value {
        Value::NULL => Field::IsNull(true),
        Value::Bytes(b)
            if col.binary_charset() && col.column_type != ColumnType::MYSQL_TYPE_JSON =>
        {
            Field::BlobValue(b)
        }
        Value::Bytes(b) => Field::StringValue(bytes_to_string(b)),
        Value::Int(i) => Field::LongValue(i),
        Value::UInt(u) => {
            i64::try_from(u).map_or_else(|_| Field::StringValue(u.to_string()), Field::LongValue)
        }
        Value::Float(f) => Field::DoubleValue(f64::from(f)),
        Value::Double(d) => Field::DoubleValue(d),
        Value::Date(y, mo, d, h, mi, s, us) => Field::StringValue(format!(
            "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}{}",
            fraction(us)
        )),
        Value::Time(neg, days, h, mi, s, us) => {
            Field::StringValue(format_time(neg, days * 24 + u32::from(h), mi, s, us))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(
        t: ColumnType,
        flags: ColumnFlags,
        collation: u16,
        length: u32,
        decimals: u8,
    ) -> ColumnInfo {
        ColumnInfo {
            column_type: t,
            flags,
            collation,
            length,
            decimals,
            name: "c".into(),
            table: "t".into(),
            schema: "s".into(),
            org_name: "c".into(),
            org_table: "t".into(),
            json: false,
        }
    }

    fn num(t: ColumnType, length: u32) -> ColumnInfo {
        col(t, ColumnFlags::empty(), 63, length, 0)
    }

    fn blob_of(length: u32) -> ColumnInfo {
        col(
            ColumnType::MYSQL_TYPE_BLOB,
            ColumnFlags::BLOB_FLAG | ColumnFlags::BINARY_FLAG,
            63,
            length,
            0,
        )
    }

    fn field(c: &ColumnInfo, v: Value) -> Field {
        to_field(c, value_class(c), v, ResultOptions::default())
    }

    const NONE: ColumnFlags = ColumnFlags::empty();
    const UNSIGNED: ColumnFlags = ColumnFlags::UNSIGNED_FLAG;

    #[test]
    fn booleans_and_bits() {
        let b = num(ColumnType::MYSQL_TYPE_TINY, 1);
        assert_eq!(field(&b, Value::Int(1)), Field::BooleanValue(true));
        assert_eq!(
            field(&b, Value::Bytes(b"0".to_vec())),
            Field::BooleanValue(false)
        );
        let meta = column_metadata(&b);
        assert_eq!((meta.type_name.as_str(), meta.type_code), ("BIT", -7));
        let bit = num(ColumnType::MYSQL_TYPE_BIT, 8);
        assert_eq!(
            field(&bit, Value::Bytes(vec![0x80])),
            Field::BooleanValue(true)
        );
        assert_eq!(
            field(&bit, Value::Bytes(vec![0, 0])),
            Field::BooleanValue(false)
        );
        // TINYINT(4) and TINYINT(1) UNSIGNED stay integers.
        assert_eq!(
            field(&num(ColumnType::MYSQL_TYPE_TINY, 4), Value::Int(1)),
            Field::LongValue(1)
        );
        let tu = col(ColumnType::MYSQL_TYPE_TINY, UNSIGNED, 63, 1, 0);
        assert_eq!(field(&tu, Value::UInt(1)), Field::LongValue(1));
    }

    #[test]
    fn integers() {
        let big = col(ColumnType::MYSQL_TYPE_LONGLONG, UNSIGNED, 63, 20, 0);
        assert_eq!(field(&big, Value::UInt(5)), Field::LongValue(5));
        assert_eq!(
            field(&big, Value::UInt(u64::MAX)),
            Field::StringValue("18446744073709551615".into())
        );
        assert_eq!(
            field(&big, Value::Bytes(b"18446744073709551615".to_vec())),
            Field::StringValue("18446744073709551615".into())
        );
        let opts = ResultOptions {
            long_as_string: true,
            decimal_as_number: false,
        };
        let int = num(ColumnType::MYSQL_TYPE_LONG, 11);
        assert_eq!(
            to_field(&int, ValueClass::Integer, Value::Int(-3), opts),
            Field::StringValue("-3".into())
        );
        assert_eq!(
            field(&int, Value::Bytes(b"-3".to_vec())),
            Field::LongValue(-3)
        );
        let meta = column_metadata(&big);
        assert_eq!(
            (meta.type_name.as_str(), meta.type_code, meta.is_signed),
            ("BIGINT UNSIGNED", -5, false)
        );
        let meta = column_metadata(&num(ColumnType::MYSQL_TYPE_INT24, 9));
        assert_eq!(
            (meta.type_name.as_str(), meta.type_code, meta.is_signed),
            ("MEDIUMINT", 4, true)
        );
    }

    #[test]
    fn floats_and_decimals() {
        let f = col(ColumnType::MYSQL_TYPE_FLOAT, NONE, 63, 12, 31);
        assert_eq!(field(&f, Value::Float(1.1)), Field::DoubleValue(1.1));
        assert_eq!(column_metadata(&f).type_code, 7);
        let d = col(ColumnType::MYSQL_TYPE_NEWDECIMAL, NONE, 63, 12, 2);
        assert_eq!(
            field(&d, Value::Bytes(b"0.10".to_vec())),
            Field::StringValue("0.10".into())
        );
        let opts = ResultOptions {
            long_as_string: false,
            decimal_as_number: true,
        };
        assert_eq!(
            to_field(
                &d,
                ValueClass::Decimal,
                Value::Bytes(b"0.10".to_vec()),
                opts
            ),
            Field::DoubleValue(0.1)
        );
        let d0 = col(ColumnType::MYSQL_TYPE_NEWDECIMAL, NONE, 63, 11, 0);
        assert_eq!(
            to_field(&d0, ValueClass::Decimal, Value::Bytes(b"42".to_vec()), opts),
            Field::LongValue(42)
        );
        let big = b"123456789012345678901234567890".to_vec();
        assert!(matches!(
            to_field(&d0, ValueClass::Decimal, Value::Bytes(big), opts),
            Field::DoubleValue(_)
        ));
        let meta = column_metadata(&d);
        assert_eq!(
            (
                meta.type_name.as_str(),
                meta.type_code,
                meta.precision,
                meta.scale
            ),
            ("DECIMAL", 3, 10, 2)
        );
    }

    #[test]
    fn strings_and_blobs() {
        let v = col(ColumnType::MYSQL_TYPE_VAR_STRING, NONE, 45, 40, 0);
        assert_eq!(
            field(&v, Value::Bytes(b"hi".to_vec())),
            Field::StringValue("hi".into())
        );
        let meta = column_metadata(&v);
        assert_eq!(
            (meta.type_name.as_str(), meta.type_code, meta.precision),
            ("VARCHAR", 12, 10)
        );
        let vb = col(
            ColumnType::MYSQL_TYPE_VAR_STRING,
            ColumnFlags::BINARY_FLAG,
            63,
            8,
            0,
        );
        assert_eq!(
            field(&vb, Value::Bytes(vec![0, 1])),
            Field::BlobValue(vec![0, 1])
        );
        assert_eq!(column_metadata(&vb).type_name, "VARBINARY");
        let e = col(
            ColumnType::MYSQL_TYPE_STRING,
            ColumnFlags::ENUM_FLAG,
            45,
            4,
            0,
        );
        assert_eq!(column_metadata(&e).type_name, "ENUM");
        let s = col(
            ColumnType::MYSQL_TYPE_STRING,
            ColumnFlags::SET_FLAG,
            45,
            12,
            0,
        );
        assert_eq!(
            field(&s, Value::Bytes(b"a,b".to_vec())),
            Field::StringValue("a,b".into())
        );
        let b = col(
            ColumnType::MYSQL_TYPE_STRING,
            ColumnFlags::BINARY_FLAG,
            63,
            4,
            0,
        );
        assert_eq!(
            (
                column_metadata(&b).type_name.as_str(),
                column_metadata(&b).type_code
            ),
            ("BINARY", -2)
        );
        let text = col(
            ColumnType::MYSQL_TYPE_BLOB,
            ColumnFlags::BLOB_FLAG,
            45,
            262_140,
            0,
        );
        assert_eq!(
            (
                column_metadata(&text).type_name.as_str(),
                column_metadata(&text).type_code
            ),
            ("TEXT", -1)
        );
        let long_text = col(
            ColumnType::MYSQL_TYPE_BLOB,
            ColumnFlags::BLOB_FLAG,
            45,
            u32::MAX,
            0,
        );
        assert_eq!(column_metadata(&long_text).type_name, "LONGTEXT");
        let blob = col(
            ColumnType::MYSQL_TYPE_BLOB,
            ColumnFlags::BLOB_FLAG,
            63,
            65_535,
            0,
        );
        assert_eq!(
            (
                column_metadata(&blob).type_name.as_str(),
                column_metadata(&blob).type_code
            ),
            ("BLOB", -4)
        );
        // MySQL's JSON type arrives with the binary charset but is text.
        assert!(!column_metadata(&text).is_case_sensitive);
        assert!(column_metadata(&blob_of(65_535)).is_case_sensitive);
        let j = col(
            ColumnType::MYSQL_TYPE_JSON,
            ColumnFlags::BLOB_FLAG,
            63,
            u32::MAX,
            0,
        );
        assert_eq!(
            field(&j, Value::Bytes(b"{}".to_vec())),
            Field::StringValue("{}".into())
        );
        assert_eq!(
            (
                column_metadata(&j).type_name.as_str(),
                column_metadata(&j).type_code
            ),
            ("JSON", -1)
        );
        assert!(column_metadata(&j).is_case_sensitive);
    }

    #[test]
    fn dates_and_times() {
        let d = num(ColumnType::MYSQL_TYPE_DATE, 10);
        assert_eq!(
            field(&d, Value::Date(2024, 2, 29, 0, 0, 0, 0)),
            Field::StringValue("2024-02-29".into())
        );
        assert_eq!(
            field(&d, Value::Bytes(b"2024-02-29".to_vec())),
            Field::StringValue("2024-02-29".into())
        );
        let t = col(ColumnType::MYSQL_TYPE_TIME, NONE, 63, 17, 6);
        assert_eq!(
            field(&t, Value::Time(true, 34, 22, 59, 59, 0)),
            Field::StringValue("-838:59:59".into())
        );
        assert_eq!(
            field(&t, Value::Time(false, 0, 1, 2, 3, 500_000)),
            Field::StringValue("01:02:03.5".into())
        );
        assert_eq!(
            field(&t, Value::Bytes(b"-838:59:59.000000".to_vec())),
            Field::StringValue("-838:59:59".into())
        );
        assert_eq!(column_metadata(&t).scale, 6);
        let dt = col(ColumnType::MYSQL_TYPE_DATETIME, NONE, 63, 26, 6);
        assert_eq!(
            field(&dt, Value::Date(2021, 1, 2, 3, 4, 5, 120_000)),
            Field::StringValue("2021-01-02 03:04:05.12".into())
        );
        assert_eq!(
            field(&dt, Value::Bytes(b"2021-01-02 03:04:05.000001".to_vec())),
            Field::StringValue("2021-01-02 03:04:05.000001".into())
        );
        let meta = column_metadata(&dt);
        assert_eq!(
            (meta.type_name.as_str(), meta.type_code, meta.precision),
            ("DATETIME", 93, 26)
        );
        let y = col(ColumnType::MYSQL_TYPE_YEAR, UNSIGNED, 63, 4, 0);
        assert_eq!(
            field(&y, Value::UInt(2021)),
            Field::StringValue("2021".into())
        );
        assert_eq!(
            (
                column_metadata(&y).type_name.as_str(),
                column_metadata(&y).type_code
            ),
            ("YEAR", 91)
        );
    }

    #[test]
    fn nulls() {
        let int = num(ColumnType::MYSQL_TYPE_LONG, 11);
        assert_eq!(field(&int, Value::NULL), Field::IsNull(true));
        let n = num(ColumnType::MYSQL_TYPE_NULL, 0);
        assert_eq!(field(&n, Value::NULL), Field::IsNull(true));
        let mut nn = num(ColumnType::MYSQL_TYPE_LONG, 11);
        nn.flags = ColumnFlags::NOT_NULL_FLAG | ColumnFlags::AUTO_INCREMENT_FLAG;
        let meta = column_metadata(&nn);
        assert_eq!((meta.nullable, meta.is_auto_increment), (0, true));
        assert_eq!(column_metadata(&int).nullable, 1);
    }

    #[test]
    fn micros() {
        assert_eq!(parse_micros("5"), Some(500_000));
        assert_eq!(parse_micros("123456789"), Some(123_456));
        assert_eq!(parse_micros(""), Some(0));
        assert_eq!(parse_micros("x"), None);
        assert_eq!(fraction(0), "");
        assert_eq!(fraction(1), ".000001");
    }
}
