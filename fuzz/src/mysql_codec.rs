//! The MySQL value codec, both directions.
//!
//! - Bind encoding: diesel's bind bytes tagged with any `MysqlType` → Data API `Field` (+ type
//!   hint, + cast). The bytes are either arbitrary or what diesel's own `ToSql` writes for an
//!   arbitrary value (a `MysqlTime` with any fields, a decimal, a number, text).
//! - Result decoding: a `Field` + `typeName` (+ the `MysqlType` diesel expects) → the bytes
//!   and tag for `MysqlValue`, which are then fed to diesel's `FromSql` impls.
//!
//! Checks: no panic anywhere (ours or diesel's on bytes we produced); NULL stays NULL; a
//! decoded value's bytes have the width its tag promises (diesel's reader for the tag accepts
//! them); an encoded date/time/decimal string is decoded back by our decoder.

use std::os::raw::c_ulong;

use super::FuzzField;
use arbitrary::Arbitrary;
use aurora_data_api::fuzzing::{mysql_decode, mysql_encode_bind, Field, MysqlType};
use diesel::deserialize::FromSql;
use diesel::mysql::data_types::{MysqlTime, MysqlTimestampType};
use diesel::mysql::{Mysql, MysqlValue};
use diesel::query_builder::bind_collector::RawBytesBindCollector;
use diesel::query_builder::BindCollector;
use diesel::serialize::ToSql;
use diesel::sql_types::{self as st, HasSqlType, Unsigned};

const TYPES: &[MysqlType] = &[
    MysqlType::Tiny,
    MysqlType::UnsignedTiny,
    MysqlType::Short,
    MysqlType::UnsignedShort,
    MysqlType::Long,
    MysqlType::UnsignedLong,
    MysqlType::LongLong,
    MysqlType::UnsignedLongLong,
    MysqlType::Float,
    MysqlType::Double,
    MysqlType::Numeric,
    MysqlType::Time,
    MysqlType::Date,
    MysqlType::DateTime,
    MysqlType::Timestamp,
    MysqlType::String,
    MysqlType::Blob,
    MysqlType::Bit,
    MysqlType::Set,
    MysqlType::Enum,
];

const NAMES: &[&str] = &[
    "BIT",
    "BOOL",
    "TINYINT",
    "TINYINT UNSIGNED",
    "SMALLINT",
    "SMALLINT UNSIGNED",
    "MEDIUMINT",
    "INT",
    "INT UNSIGNED",
    "BIGINT",
    "BIGINT UNSIGNED",
    "SERIAL",
    "YEAR",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "DECIMAL(10,2)",
    "DATE",
    "TIME",
    "DATETIME",
    "TIMESTAMP",
    "ENUM",
    "SET",
    "VARCHAR",
    "LONGTEXT",
    "JSON",
    "BLOB",
    "VARBINARY",
    "GEOMETRY",
    "NULL",
    "",
];

fn pick<T: Copy>(list: &[T], i: u8) -> T {
    list[usize::from(i) % list.len()]
}

#[derive(Arbitrary, Debug)]
enum Input {
    Bind {
        ty: u8,
        bytes: Option<Vec<u8>>,
    },
    /// Bytes written by diesel's `ToSql`.
    Diesel(Value),
    Decode {
        name: Name,
        expected: Option<u8>,
        field: FuzzField,
    },
}

#[derive(Arbitrary, Debug)]
enum Name {
    Known(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Value {
    Time {
        kind: u8,
        year: u32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        second_part: u32,
        neg: bool,
        time_type: u8,
        zone: i32,
    },
    Decimal {
        mantissa: i128,
        scale: i16,
    },
    I8(i8),
    I16(i16),
    I32(i32),
    I64(i64),
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    F32(f32),
    F64(f64),
    Bool(bool),
    Text(String),
    Bytes(Vec<u8>),
}

fn diesel_bind<ST, T>(value: &T) -> Option<(MysqlType, Option<Vec<u8>>)>
where
    Mysql: HasSqlType<ST>,
    T: ToSql<ST, Mysql> + ?Sized,
{
    let mut collector = RawBytesBindCollector::<Mysql>::new();
    collector.push_bound_value::<ST, T>(value, &mut ()).ok()?;
    Some((collector.metadata.pop()?, collector.binds.pop()?))
}

impl Value {
    fn bind(&self) -> Option<(MysqlType, Option<Vec<u8>>)> {
        match self {
            Value::Time {
                kind,
                year,
                month,
                day,
                hour,
                minute,
                second,
                second_part,
                neg,
                time_type,
                zone,
            } => {
                let time_type = match time_type % 5 {
                    0 => MysqlTimestampType::MYSQL_TIMESTAMP_DATE,
                    1 => MysqlTimestampType::MYSQL_TIMESTAMP_DATETIME,
                    2 => MysqlTimestampType::MYSQL_TIMESTAMP_TIME,
                    3 => MysqlTimestampType::MYSQL_TIMESTAMP_DATETIME_TZ,
                    _ => MysqlTimestampType::MYSQL_TIMESTAMP_ERROR,
                };
                let t = MysqlTime::new(
                    *year,
                    *month,
                    *day,
                    *hour,
                    *minute,
                    *second,
                    c_ulong::from(*second_part),
                    *neg,
                    time_type,
                    *zone,
                );
                match kind % 4 {
                    0 => diesel_bind::<st::Date, _>(&t),
                    1 => diesel_bind::<st::Time, _>(&t),
                    2 => diesel_bind::<st::Datetime, _>(&t),
                    _ => diesel_bind::<st::Timestamp, _>(&t),
                }
            }
            Value::Decimal { mantissa, scale } => {
                let d = bigdecimal::BigDecimal::new((*mantissa).into(), i64::from(*scale));
                diesel_bind::<st::Numeric, _>(&d)
            }
            Value::I8(v) => diesel_bind::<st::TinyInt, _>(v),
            Value::I16(v) => diesel_bind::<st::SmallInt, _>(v),
            Value::I32(v) => diesel_bind::<st::Integer, _>(v),
            Value::I64(v) => diesel_bind::<st::BigInt, _>(v),
            Value::U8(v) => diesel_bind::<Unsigned<st::TinyInt>, _>(v),
            Value::U16(v) => diesel_bind::<Unsigned<st::SmallInt>, _>(v),
            Value::U32(v) => diesel_bind::<Unsigned<st::Integer>, _>(v),
            Value::U64(v) => diesel_bind::<Unsigned<st::BigInt>, _>(v),
            Value::F32(v) => diesel_bind::<st::Float, _>(v),
            Value::F64(v) => diesel_bind::<st::Double, _>(v),
            Value::Bool(v) => diesel_bind::<st::Bool, _>(v),
            Value::Text(v) => diesel_bind::<st::Text, _>(v.as_str()),
            Value::Bytes(v) => diesel_bind::<st::Binary, _>(v.as_slice()),
        }
    }
}

/// The target's checks on one input as libFuzzer hands it over; false when the bytes do not
/// decode to an input (such a unit is not kept in the corpus).
pub fn run(data: &[u8]) -> bool {
    super::run_decoded(data, |input: Input| one(input))
}

/// The `Debug` text of the input `run` would check (see [`super::describe`]).
pub fn describe(data: &[u8]) -> Option<String> {
    super::describe::<Input>(data)
}

fn one(input: Input) {
    match input {
        Input::Bind { ty, bytes } => encode(pick(TYPES, ty), bytes.as_deref()),
        Input::Diesel(value) => {
            if let Some((ty, bytes)) = value.bind() {
                encode(ty, bytes.as_deref());
            }
        }
        Input::Decode {
            name,
            expected,
            field,
        } => {
            let name = match &name {
                Name::Known(i) => pick(NAMES, *i).to_string(),
                Name::Raw(s) => s.clone(),
            };
            let expected = expected.map(|e| pick(TYPES, e));
            decode(&name, expected, field.to_field());
        }
    }
}

fn encode(ty: MysqlType, bytes: Option<&[u8]>) {
    let Ok(bind) = mysql_encode_bind(ty, bytes) else {
        return;
    };
    assert_eq!(
        bytes.is_none(),
        matches!(bind.value, Field::IsNull(true)),
        "{bind:?}"
    );
    // Strings we send for dates, times and decimals are what MySQL prints for them too: our
    // own decoder must read them back.
    let column = match ty {
        MysqlType::Date => "DATE",
        MysqlType::Time => "TIME",
        MysqlType::DateTime | MysqlType::Timestamp => "DATETIME",
        MysqlType::Numeric => "DECIMAL",
        _ => {
            decode("VARCHAR", Some(ty), bind.value);
            return;
        }
    };
    if let Field::StringValue(_) = &bind.value {
        if let Err(e) = mysql_decode(column, None, bind.value.clone()) {
            panic!("{column} bind {bind:?} does not decode back: {e}");
        }
    }
    decode(column, Some(ty), bind.value);
}

fn decode(name: &str, expected: Option<MysqlType>, field: Field) {
    let is_null = matches!(field, Field::IsNull(true));
    match mysql_decode(name, expected, field) {
        Ok(Some((bytes, ty))) => from_sql_checks(&bytes, ty),
        Ok(None) => assert!(is_null, "SQL NULL from a value"),
        Err(_) => {}
    }
}

fn must<ST, T>(bytes: &[u8], ty: MysqlType)
where
    T: FromSql<ST, Mysql>,
{
    if let Err(e) = T::from_sql(MysqlValue::new(bytes, ty)) {
        panic!(
            "diesel rejects the decoded {ty:?} bytes {bytes:?} as {}: {e}",
            std::any::type_name::<T>()
        );
    }
}

fn may<ST, T>(bytes: &[u8], ty: MysqlType)
where
    T: FromSql<ST, Mysql>,
{
    let _ = T::from_sql(MysqlValue::new(bytes, ty));
}

fn from_sql_checks(b: &[u8], ty: MysqlType) {
    match ty {
        // diesel converts between its numeric representations; its reader must accept the
        // bytes as the width the tag names.
        MysqlType::Tiny
        | MysqlType::UnsignedTiny
        | MysqlType::Short
        | MysqlType::UnsignedShort
        | MysqlType::Long
        | MysqlType::UnsignedLong
        | MysqlType::LongLong
        | MysqlType::UnsignedLongLong
        | MysqlType::Float
        | MysqlType::Double => {
            must::<st::Double, f64>(b, ty);
            may::<st::Bool, bool>(b, ty);
            may::<st::TinyInt, i8>(b, ty);
            may::<st::SmallInt, i16>(b, ty);
            may::<st::Integer, i32>(b, ty);
            may::<st::BigInt, i64>(b, ty);
            may::<Unsigned<st::BigInt>, u64>(b, ty);
            may::<st::Float, f32>(b, ty);
            may::<st::Numeric, bigdecimal::BigDecimal>(b, ty);
        }
        MysqlType::Numeric => {
            must::<st::Numeric, bigdecimal::BigDecimal>(b, ty);
            may::<st::Double, f64>(b, ty);
            may::<st::BigInt, i64>(b, ty);
        }
        MysqlType::Date | MysqlType::Time | MysqlType::DateTime | MysqlType::Timestamp => {
            // diesel refuses negative values (a negative TIME) by design.
            if b.get(std::mem::offset_of!(MysqlTime, neg)) == Some(&1) {
                may::<st::Timestamp, MysqlTime>(b, ty);
            } else {
                must::<st::Timestamp, MysqlTime>(b, ty);
            }
            may::<st::Date, chrono::NaiveDate>(b, ty);
            may::<st::Time, chrono::NaiveTime>(b, ty);
            may::<st::Timestamp, chrono::NaiveDateTime>(b, ty);
            may::<st::Datetime, chrono::NaiveDateTime>(b, ty);
            may::<st::Date, time::Date>(b, ty);
            may::<st::Time, time::Time>(b, ty);
            may::<st::Timestamp, time::PrimitiveDateTime>(b, ty);
            may::<st::Timestamp, time::OffsetDateTime>(b, ty);
        }
        MysqlType::String | MysqlType::Enum | MysqlType::Set => {
            may::<st::Text, String>(b, ty);
            may::<st::Binary, Vec<u8>>(b, ty);
            may::<st::Json, serde_json::Value>(b, ty);
        }
        MysqlType::Blob | MysqlType::Bit => {
            must::<st::Binary, Vec<u8>>(b, ty);
            may::<st::Bool, bool>(b, ty);
            may::<st::Text, String>(b, ty);
        }
        _ => {}
    }
}
