//! The PostgreSQL value codec, both directions.
//!
//! - Bind encoding: diesel's binary bind bytes + a type OID (built-in, built-in array, custom
//!   type from the registry, or any number) → Data API `Field` + cast. An encoded scalar string
//!   is then decoded back as a result of that type (only "no panic" is asked there).
//! - Result decoding: a `Field` + `typeName` (+ the OID diesel expects) → diesel's binary
//!   bytes and OID, which are then fed to diesel's own `FromSql` for that OID.
//!
//! Checks: no panic anywhere (ours or diesel's on bytes we produced); a decoded value has a
//! non-zero OID; and diesel's byte-level representations (`i32`, `PgNumeric`, `PgTimestamp`,
//! ranges, 1-D arrays of them, …) accept whatever we decoded: decoding either fails with an
//! error or produces bytes of the right shape. Conversions that may legitimately refuse a
//! well-formed value (chrono's range, `BigDecimal` of NaN, JSON text) need only not panic.

use std::num::NonZeroU32;
use std::ops::Bound;

use super::FuzzField;
use arbitrary::Arbitrary;
use aurora_data_api::fuzzing::{pg_builtin_types, pg_decode, Field, PgTypes};
use diesel::deserialize::FromSql;
use diesel::pg::data_types::{PgDate, PgInterval, PgLsn, PgMoney, PgNumeric, PgTime, PgTimestamp};
use diesel::pg::{Pg, PgValue};
use diesel::sql_types as st;

#[derive(Arbitrary, Debug)]
enum Input {
    Bind {
        ty: TypeSel,
        bytes: Option<Vec<u8>>,
    },
    Decode {
        name: NameSel,
        expected: Option<TypeSel>,
        field: FuzzField,
    },
}

/// Which OID.
#[derive(Arbitrary, Debug)]
enum TypeSel {
    Builtin(u8),
    BuiltinArray(u8),
    Custom {
        name: String,
        schema: Option<String>,
    },
    CustomArray {
        name: String,
        schema: Option<String>,
    },
    Raw(u32),
}

/// Which `typeName`.
#[derive(Arbitrary, Debug)]
enum NameSel {
    Builtin(u8),
    /// `_int4`, as `pg_type.typname` names array types.
    Underscore(u8),
    /// `int4[]`.
    Brackets(u8),
    Alias(u8),
    Raw(String),
}

const ALIASES: &[&str] = &[
    "boolean",
    "smallint",
    "integer",
    "bigint",
    "real",
    "double precision",
    "decimal",
    "character varying",
    "character",
    "timestamp without time zone",
    "timestamp with time zone",
    "time without time zone",
    "time with time zone",
    "citext",
    "mood",
    "serial",
    " int4 ",
    "",
];

fn pick<T: Copy>(list: &[T], i: u8) -> T {
    list[usize::from(i) % list.len()]
}

impl TypeSel {
    fn oid(&self, types: &PgTypes) -> Option<u32> {
        let builtins = pg_builtin_types();
        Some(match self {
            TypeSel::Builtin(i) => pick(&builtins, *i).0,
            TypeSel::BuiltinArray(i) => pick(&builtins, *i).1,
            TypeSel::Custom { name, schema } => types.register(name, schema.as_deref())?.0,
            TypeSel::CustomArray { name, schema } => types.register(name, schema.as_deref())?.1,
            TypeSel::Raw(oid) => *oid,
        })
    }
}

impl NameSel {
    fn name(&self) -> String {
        let builtins = pg_builtin_types();
        match self {
            NameSel::Builtin(i) => pick(&builtins, *i).2.to_string(),
            NameSel::Underscore(i) => format!("_{}", pick(&builtins, *i).2),
            NameSel::Brackets(i) => format!("{}[]", pick(&builtins, *i).2),
            NameSel::Alias(i) => pick(ALIASES, *i).to_string(),
            NameSel::Raw(s) => s.clone(),
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
        Input::Bind { ty, bytes } => {
            let types = PgTypes::new();
            let Some(oid) = ty.oid(&types) else { return };
            let Ok((field, cast)) = types.encode_bind(oid, bytes.as_deref()) else {
                return;
            };
            assert!(!cast.is_empty(), "empty cast for OID {oid}");
            assert_eq!(
                bytes.is_none(),
                matches!(field, Field::IsNull(true)),
                "{field:?}"
            );
            // What comes back when the server echoes the value as a result of that type.
            if let Some(&(_, _, name)) = pg_builtin_types().iter().find(|t| t.0 == oid) {
                if let Ok(Some((bytes, oid))) = pg_decode(name, Some(oid), field) {
                    from_sql_checks(&bytes, oid);
                }
            }
        }
        Input::Decode {
            name,
            expected,
            field,
        } => {
            let types = PgTypes::new();
            let expected = expected.and_then(|e| e.oid(&types));
            let field = field.to_field();
            let is_null = matches!(field, Field::IsNull(true));
            match pg_decode(&name.name(), expected, field) {
                Ok(Some((bytes, oid))) => {
                    assert_ne!(oid, 0, "a decoded value has OID 0");
                    from_sql_checks(&bytes, oid);
                }
                Ok(None) => assert!(is_null, "SQL NULL from a value"),
                Err(_) => {}
            }
        }
    }
}

fn value<'a>(bytes: &'a [u8], oid: &'a NonZeroU32) -> PgValue<'a> {
    PgValue::new(bytes, oid)
}

/// `FromSql` that must accept the bytes: the representation of the OID's own type.
fn must<ST, T>(bytes: &[u8], oid: &NonZeroU32)
where
    T: FromSql<ST, Pg> + std::fmt::Debug,
{
    if let Err(e) = T::from_sql(value(bytes, oid)) {
        panic!(
            "diesel rejects the decoded OID {oid} bytes {bytes:?} as {}: {e}",
            std::any::type_name::<T>()
        );
    }
}

/// PostgreSQL 14's numeric ±Infinity (sign 0xD000 / 0xF000), which we decode to exactly
/// PostgreSQL's binary form and which diesel's `PgNumeric` (like a native connection) refuses.
const NUMERIC_INFINITY: &str = "sign for numeric field was not one of";

/// Like [`must`], but accepts diesel's refusal of numeric infinities (in arrays and ranges).
fn must_finite<ST, T>(bytes: &[u8], oid: &NonZeroU32)
where
    T: FromSql<ST, Pg> + std::fmt::Debug,
{
    match T::from_sql(value(bytes, oid)) {
        Err(e) if e.to_string().contains(NUMERIC_INFINITY) => {}
        _ => must::<ST, T>(bytes, oid),
    }
}

/// `FromSql` that may refuse (out of its range) but must not panic.
fn may<ST, T>(bytes: &[u8], oid: &NonZeroU32)
where
    T: FromSql<ST, Pg>,
{
    let _ = T::from_sql(value(bytes, oid));
}

fn from_sql_checks(bytes: &[u8], oid: u32) {
    let oid = NonZeroU32::new(oid).expect("non-zero OID");
    let b = bytes;
    let o = &oid;
    match oid.get() {
        16 => must::<st::Bool, bool>(b, o),
        17 => must::<st::Binary, Vec<u8>>(b, o),
        18 => must::<st::CChar, u8>(b, o),
        19 | 25 | 142 | 1042 | 1043 => must::<st::Text, String>(b, o),
        20 => must::<st::BigInt, i64>(b, o),
        21 => must::<st::SmallInt, i16>(b, o),
        23 => must::<st::Integer, i32>(b, o),
        26 => must::<st::Oid, u32>(b, o),
        114 => may::<st::Json, serde_json::Value>(b, o),
        3802 => may::<st::Jsonb, serde_json::Value>(b, o),
        700 => must::<st::Float, f32>(b, o),
        701 => must::<st::Double, f64>(b, o),
        790 => must::<st::Money, PgMoney>(b, o),
        829 => must::<st::MacAddr, [u8; 6]>(b, o),
        774 => must::<st::MacAddr8, [u8; 8]>(b, o),
        1082 => {
            must::<st::Date, PgDate>(b, o);
            may::<st::Date, chrono::NaiveDate>(b, o);
            may::<st::Date, time::Date>(b, o);
        }
        1083 => {
            must::<st::Time, PgTime>(b, o);
            may::<st::Time, chrono::NaiveTime>(b, o);
            may::<st::Time, time::Time>(b, o);
        }
        1114 => {
            must::<st::Timestamp, PgTimestamp>(b, o);
            may::<st::Timestamp, chrono::NaiveDateTime>(b, o);
            may::<st::Timestamp, time::PrimitiveDateTime>(b, o);
        }
        1184 => {
            must::<st::Timestamptz, PgTimestamp>(b, o);
            may::<st::Timestamptz, chrono::DateTime<chrono::Utc>>(b, o);
            may::<st::Timestamptz, time::OffsetDateTime>(b, o);
        }
        1186 => {
            must::<st::Interval, PgInterval>(b, o);
            if let Ok(i) = <PgInterval as FromSql<st::Interval, Pg>>::from_sql(value(b, o)) {
                // diesel's chrono conversion computes `months * 30 + days` in i32 and adds
                // the microseconds unchecked: it overflows (a panic with overflow checks,
                // chrono's own panic on the addition without) for intervals past about 6
                // million years and for PostgreSQL 17's `infinity`, whose bytes we decode
                // exactly as PostgreSQL sends them. A native connection hits the same; it is
                // diesel's to fix, so only intervals it can convert are fed to it.
                let fits = i
                    .months
                    .checked_mul(30)
                    .and_then(|d| d.checked_add(i.days))
                    .and_then(|d| chrono::TimeDelta::try_days(d.into()))
                    .and_then(|d| d.checked_add(&chrono::TimeDelta::microseconds(i.microseconds)));
                if fits.is_some() {
                    may::<st::Interval, chrono::TimeDelta>(b, o);
                }
            }
        }
        1700 => {
            // Only the infinities may be refused: check the sign word itself.
            if matches!(b.get(4..6), Some([0xD0, 0] | [0xF0, 0])) {
                may::<st::Numeric, PgNumeric>(b, o);
            } else {
                must::<st::Numeric, PgNumeric>(b, o);
            }
            may::<st::Numeric, bigdecimal::BigDecimal>(b, o);
        }
        2950 => must::<st::Uuid, uuid::Uuid>(b, o),
        3220 => must::<st::PgLsn, PgLsn>(b, o),
        3904 => must::<st::Range<st::Integer>, (Bound<i32>, Bound<i32>)>(b, o),
        3926 => must::<st::Range<st::BigInt>, (Bound<i64>, Bound<i64>)>(b, o),
        3906 => must_finite::<st::Range<st::Numeric>, (Bound<PgNumeric>, Bound<PgNumeric>)>(b, o),
        3908 => must::<st::Range<st::Timestamp>, (Bound<PgTimestamp>, Bound<PgTimestamp>)>(b, o),
        3910 => must::<st::Range<st::Timestamptz>, (Bound<PgTimestamp>, Bound<PgTimestamp>)>(b, o),
        3912 => must::<st::Range<st::Date>, (Bound<PgDate>, Bound<PgDate>)>(b, o),
        4451 => must::<st::Multirange<st::Integer>, Vec<(Bound<i32>, Bound<i32>)>>(b, o),
        4536 => must::<st::Multirange<st::BigInt>, Vec<(Bound<i64>, Bound<i64>)>>(b, o),
        4532 => {
            must_finite::<st::Multirange<st::Numeric>, Vec<(Bound<PgNumeric>, Bound<PgNumeric>)>>(
                b, o,
            )
        }
        4533 => {
            must::<st::Multirange<st::Timestamp>, Vec<(Bound<PgTimestamp>, Bound<PgTimestamp>)>>(
                b, o,
            )
        }
        4534 => must::<
            st::Multirange<st::Timestamptz>,
            Vec<(Bound<PgTimestamp>, Bound<PgTimestamp>)>,
        >(b, o),
        4535 => must::<st::Multirange<st::Date>, Vec<(Bound<PgDate>, Bound<PgDate>)>>(b, o),
        // 1-D arrays (the decoder's only shape) of the types above.
        1000 => must::<st::Array<st::Nullable<st::Bool>>, Vec<Option<bool>>>(b, o),
        1001 => must::<st::Array<st::Nullable<st::Binary>>, Vec<Option<Vec<u8>>>>(b, o),
        1002 => must::<st::Array<st::Nullable<st::CChar>>, Vec<Option<u8>>>(b, o),
        1003 | 1009 | 143 | 1014 | 1015 => {
            must::<st::Array<st::Nullable<st::Text>>, Vec<Option<String>>>(b, o)
        }
        1016 => must::<st::Array<st::Nullable<st::BigInt>>, Vec<Option<i64>>>(b, o),
        1005 => must::<st::Array<st::Nullable<st::SmallInt>>, Vec<Option<i16>>>(b, o),
        1007 => must::<st::Array<st::Nullable<st::Integer>>, Vec<Option<i32>>>(b, o),
        1028 => must::<st::Array<st::Nullable<st::Oid>>, Vec<Option<u32>>>(b, o),
        1021 => must::<st::Array<st::Nullable<st::Float>>, Vec<Option<f32>>>(b, o),
        1022 => must::<st::Array<st::Nullable<st::Double>>, Vec<Option<f64>>>(b, o),
        1182 => must::<st::Array<st::Nullable<st::Date>>, Vec<Option<PgDate>>>(b, o),
        1183 => must::<st::Array<st::Nullable<st::Time>>, Vec<Option<PgTime>>>(b, o),
        1115 => must::<st::Array<st::Nullable<st::Timestamp>>, Vec<Option<PgTimestamp>>>(b, o),
        1185 => must::<st::Array<st::Nullable<st::Timestamptz>>, Vec<Option<PgTimestamp>>>(b, o),
        1187 => must::<st::Array<st::Nullable<st::Interval>>, Vec<Option<PgInterval>>>(b, o),
        1231 => must_finite::<st::Array<st::Nullable<st::Numeric>>, Vec<Option<PgNumeric>>>(b, o),
        2951 => must::<st::Array<st::Nullable<st::Uuid>>, Vec<Option<uuid::Uuid>>>(b, o),
        199 => may::<st::Array<st::Nullable<st::Json>>, Vec<Option<serde_json::Value>>>(b, o),
        3807 => may::<st::Array<st::Nullable<st::Jsonb>>, Vec<Option<serde_json::Value>>>(b, o),
        // No byte-level diesel type here (inet, timetz, record, …): nothing more to feed.
        _ => {}
    }
}
