//! Column metadata (pgjdbc's TypeInfoCache / PgResultSetMetaData): java.sql.Types codes,
//! precision, scale, signedness, case sensitivity.

use super::*;

/// java.sql.Types code of a column type, as pgjdbc reports it.
pub fn jdbc_type(ty: &Type) -> i32 {
    let ty = base_type(ty);
    if matches!(ty.kind(), Kind::Array(_)) {
        return jdbc::ARRAY;
    }
    match *ty {
        Type::BOOL | Type::BIT => jdbc::BIT,
        Type::INT2 => jdbc::SMALLINT,
        Type::INT4 => jdbc::INTEGER,
        Type::INT8 | Type::OID => jdbc::BIGINT,
        Type::FLOAT4 => jdbc::REAL,
        Type::FLOAT8 => jdbc::DOUBLE,
        Type::NUMERIC => jdbc::NUMERIC,
        Type::TEXT | Type::VARCHAR | Type::NAME => jdbc::VARCHAR,
        Type::BPCHAR | Type::CHAR => jdbc::CHAR,
        Type::BYTEA => jdbc::BINARY,
        Type::DATE => jdbc::DATE,
        Type::TIME | Type::TIMETZ => jdbc::TIME,
        Type::TIMESTAMP | Type::TIMESTAMPTZ => jdbc::TIMESTAMP,
        Type::XML => jdbc::SQLXML,
        Type::REFCURSOR => jdbc::REF_CURSOR,
        _ if ty.name() == "citext" => jdbc::VARCHAR,
        _ => jdbc::OTHER,
    }
}

/// `arrayBaseColumnType`: the element's code for arrays, else 0.
pub fn array_base_type(ty: &Type) -> i32 {
    match base_type(ty).kind() {
        Kind::Array(element) => jdbc_type(element),
        _ => 0,
    }
}

/// pgjdbc `getDisplaySize` of the date/time types: their length in characters.
pub(super) fn datetime_width(ty: &Type, typmod: i32) -> i32 {
    let seconds = match typmod {
        -1 => 7,
        0 => 0,
        1 => 3,
        n => n + 1,
    };
    match *ty {
        Type::DATE => 13,
        Type::TIME => 8 + seconds,
        Type::TIMETZ => 8 + seconds + 6,
        Type::TIMESTAMP => 13 + 1 + 8 + seconds,
        Type::TIMESTAMPTZ => 13 + 1 + 8 + seconds + 6,
        _ => 49, // interval: '-123456789 years 11 months 33 days 23 hours 10.123456 seconds'
    }
}

/// `precision` from the type and its modifier (pgjdbc `getPrecision`).
pub fn precision(ty: &Type, typmod: i32) -> i32 {
    let ty = base_type(ty);
    match *ty {
        Type::INT2 => 5,
        Type::INT4 | Type::OID => 10,
        Type::INT8 => 19,
        Type::FLOAT4 => 8,
        Type::FLOAT8 => 17,
        Type::NUMERIC if typmod == -1 => 0,
        Type::NUMERIC => ((typmod - 4) >> 16) & 0xffff,
        Type::BOOL | Type::CHAR => 1,
        Type::BPCHAR | Type::VARCHAR if typmod != -1 => typmod - 4,
        Type::DATE
        | Type::TIME
        | Type::TIMETZ
        | Type::TIMESTAMP
        | Type::TIMESTAMPTZ
        | Type::INTERVAL => datetime_width(ty, typmod),
        Type::BIT => typmod,
        Type::VARBIT if typmod != -1 => typmod,
        _ => UNKNOWN_LENGTH,
    }
}

/// `scale` from the type and its modifier (pgjdbc `getScale`).
pub fn scale(ty: &Type, typmod: i32) -> i32 {
    match *base_type(ty) {
        Type::FLOAT4 => 8,
        Type::FLOAT8 => 17,
        Type::NUMERIC if typmod == -1 => 0,
        Type::NUMERIC => (typmod - 4) & 0xffff,
        Type::TIME | Type::TIMETZ | Type::TIMESTAMP | Type::TIMESTAMPTZ if typmod == -1 => 6,
        Type::TIME | Type::TIMETZ | Type::TIMESTAMP | Type::TIMESTAMPTZ => typmod,
        Type::INTERVAL if typmod == -1 => 6,
        Type::INTERVAL => typmod & 0xffff,
        _ => 0,
    }
}

/// `isSigned`: the numeric types.
pub fn is_signed(ty: &Type) -> bool {
    matches!(
        *base_type(ty),
        Type::INT2 | Type::INT4 | Type::INT8 | Type::FLOAT4 | Type::FLOAT8 | Type::NUMERIC
    )
}

/// `isCaseSensitive`: pgjdbc answers false only for numbers, booleans, bit strings and
/// date/time types, true for everything else (text, uuid, json, arrays, …).
pub fn is_case_sensitive(ty: &Type) -> bool {
    !matches!(
        *base_type(ty),
        Type::OID
            | Type::INT2
            | Type::INT4
            | Type::INT8
            | Type::FLOAT4
            | Type::FLOAT8
            | Type::NUMERIC
            | Type::BOOL
            | Type::BIT
            | Type::VARBIT
            | Type::DATE
            | Type::TIME
            | Type::TIMETZ
            | Type::TIMESTAMP
            | Type::TIMESTAMPTZ
            | Type::INTERVAL
    )
}
