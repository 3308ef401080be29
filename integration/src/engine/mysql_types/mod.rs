//! MySQL/MariaDB type tables: how a result column maps to a Data API `Field` and to
//! `ColumnMetadata` (type names and java.sql.Types codes as MySQL Connector/J reports them),
//! and how request parameters bind. Every mapping decision lives here so a correction from a
//! real cluster is a change in one place; inferred choices are marked *unverified*.

use mysql_async::consts::{ColumnFlags, ColumnType};
use mysql_async::{Column, Value};

use super::ResultOptions;
use crate::protocol::{ColumnMetadata, Field};

mod metadata;
mod temporal;
#[cfg(test)]
mod tests;
mod values;

pub use self::{metadata::*, temporal::*, values::*};

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
