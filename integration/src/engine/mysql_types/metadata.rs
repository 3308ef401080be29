//! Column metadata as Connector/J reports it: type names, java.sql.Types codes, precision
//! from the column length and collation, signedness and case sensitivity.

use super::*;

/// Type name and java.sql.Types code, as Connector/J reports them (its `MysqlType`).
/// Unsigned numeric types get a `" UNSIGNED"` suffix in the name.
pub(super) fn type_name_and_code(col: &ColumnInfo) -> (String, i32) {
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
pub(super) fn blob_type(col: &ColumnInfo) -> (&'static str, i32, bool) {
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
pub(super) fn max_bytes_per_char(collation: u16) -> u32 {
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
pub(super) fn collation_is_case_insensitive(collation: u16) -> bool {
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
