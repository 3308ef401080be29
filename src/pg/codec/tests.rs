//! Helpers shared by the codec's tests (diesel's real binds, both round trips through the
//! local Data API server's formatting), and the round trips that cross every family.

pub(super) use super::array::parse_array_literal;
pub(super) use super::column::decode_field;
pub(super) use super::*;
pub(super) use aws_sdk_rdsdata::primitives::Blob;
pub(super) use aws_sdk_rdsdata::types::ArrayValue;
pub(super) use bigdecimal::BigDecimal;
pub(super) use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use data_api_local::engine::pg_types::ColumnDecoder::{Array as A, Scalar as S};
use data_api_local::engine::pg_types::{self as server, ColumnDecoder, Decoder};
use data_api_local::engine::ResultOptions;
use data_api_local::protocol as wire;
pub(super) use diesel::deserialize::FromSql;
pub(super) use diesel::pg::data_types::{
    PgDate, PgInterval, PgMoney, PgNumeric, PgTime, PgTimestamp,
};
pub(super) use diesel::pg::{Pg, PgTypeMetadata, PgValue};
pub(super) use diesel::query_builder::bind_collector::RawBytesBindCollector;
pub(super) use diesel::query_builder::BindCollector;
pub(super) use diesel::serialize::ToSql;
pub(super) use diesel::sql_types::{self as st, HasSqlType};
pub(super) use proptest::prelude::*;
pub(super) use std::collections::Bound;
pub(super) use std::fmt::Debug;
pub(super) use std::num::NonZeroU32;
pub(super) use std::str::FromStr;

// ---- helpers ----

pub(super) fn s(v: &str) -> Field {
    Field::StringValue(v.to_string())
}

pub(super) fn dec(field: Field, type_name: &str) -> RawValue {
    decode_field(&field, type_name)
        .unwrap_or_else(|e| panic!("{type_name}: {e}"))
        .expect("not NULL")
}

pub(super) fn dec_err(field: Field, type_name: &str) -> String {
    decode_field(&field, type_name)
        .expect_err("should not decode")
        .to_string()
}

pub(super) fn from_raw<ST, T: FromSql<ST, Pg>>(raw: &RawValue) -> T {
    let oid = NonZeroU32::new(raw.oid).expect("non-zero OID");
    <T as FromSql<ST, Pg>>::from_sql(PgValue::new(&raw.bytes, &oid))
        .unwrap_or_else(|e| panic!("diesel rejects {raw:?}: {e}"))
}

/// diesel's value of a decoded field.
pub(super) fn read<ST, T: FromSql<ST, Pg>>(field: Field, type_name: &str) -> T {
    from_raw::<ST, T>(&dec(field, type_name))
}

/// What the Data API returns for a value that was bound as `field`: the same text, but
/// timestamptz in UTC without the offset, and arrays as `arrayValue`.
pub(super) fn echo(field: Field, type_name: &str) -> Field {
    match field {
        Field::StringValue(text) => match type_name.strip_prefix('_') {
            Some(element) => {
                let elements = parse_array_literal(&text).expect("a literal we wrote parses");
                Field::ArrayValue(echo_array(elements, element))
            }
            None if type_name == "timestamptz" => Field::StringValue(text.replace("+00", "")),
            None => Field::StringValue(text),
        },
        other => other,
    }
}

pub(super) fn echo_array(elements: Vec<Option<String>>, element: &str) -> ArrayValue {
    let map = |f: &dyn Fn(&str) -> Field| -> Vec<Option<Field>> {
        elements.iter().map(|e| e.as_deref().map(f)).collect()
    };
    match element {
        "int2" | "int4" | "int8" => ArrayValue::LongValues(
            elements
                .iter()
                .map(|e| e.as_ref().map(|v| v.parse().unwrap()))
                .collect(),
        ),
        "bool" => ArrayValue::BooleanValues(
            elements
                .iter()
                .map(|e| e.as_ref().map(|v| v == "t"))
                .collect(),
        ),
        "float4" | "float8"
            if elements
                .iter()
                .flatten()
                .all(|v| v.parse::<f64>().is_ok_and(f64::is_finite)) =>
        {
            ArrayValue::DoubleValues(
                elements
                    .iter()
                    .map(|e| e.as_ref().map(|v| v.parse().unwrap()))
                    .collect(),
            )
        }
        "timestamptz" => ArrayValue::StringValues(
            map(&|v| Field::StringValue(v.replace("+00", "")))
                .into_iter()
                .map(|f| f.map(|f| f.as_string_value().unwrap().clone()))
                .collect(),
        ),
        _ => ArrayValue::StringValues(elements),
    }
}

/// Rust value → diesel bind → `encode_bind` → what the server echoes → `decode_field` →
/// diesel `FromSql`.
pub(super) fn via_bind<ST, T>(value: &T, type_name: &str) -> T
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg> + FromSql<ST, Pg>,
{
    let registry = TypeRegistry::new();
    let (meta, bytes) = diesel_bind::<ST, T>(value, &registry);
    let encoded = encode_bind(&meta, bytes.as_deref(), &registry).expect("encodes");
    read::<ST, T>(echo(encoded.value, type_name), type_name)
}

pub(super) fn to_sdk(f: wire::Field) -> Field {
    match f {
        wire::Field::IsNull(b) => Field::IsNull(b),
        wire::Field::BooleanValue(b) => Field::BooleanValue(b),
        wire::Field::LongValue(v) => Field::LongValue(v),
        wire::Field::DoubleValue(v) => Field::DoubleValue(v),
        wire::Field::StringValue(v) => Field::StringValue(v),
        wire::Field::BlobValue(v) => Field::BlobValue(Blob::new(v)),
        wire::Field::ArrayValue(a) => Field::ArrayValue(to_sdk_array(a)),
    }
}

pub(super) fn to_sdk_array(a: wire::ArrayValue) -> ArrayValue {
    match a {
        wire::ArrayValue::BooleanValues(v) => ArrayValue::BooleanValues(v),
        wire::ArrayValue::LongValues(v) => ArrayValue::LongValues(v),
        wire::ArrayValue::DoubleValues(v) => ArrayValue::DoubleValues(v),
        wire::ArrayValue::StringValues(v) => ArrayValue::StringValues(v),
        wire::ArrayValue::ArrayValues(v) => {
            ArrayValue::ArrayValues(v.into_iter().map(|a| Some(to_sdk_array(a))).collect())
        }
    }
}

/// Rust value → diesel's bytes (= what PostgreSQL sends the server in binary) → the local
/// Data API server's own result formatting → `decode_field` → diesel `FromSql`.
pub(super) fn via_server<ST, T>(
    value: &T,
    decoder: ColumnDecoder,
    type_name: &str,
    long_as_string: bool,
) -> T
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg> + FromSql<ST, Pg>,
{
    let (_, bytes) = diesel_bind::<ST, T>(value, &TypeRegistry::new());
    let options = ResultOptions {
        long_as_string,
        ..ResultOptions::default()
    };
    let field = server::decode_value(decoder, bytes.as_deref(), options, type_name)
        .unwrap_or_else(|e| panic!("server: {e:?}"));
    read::<ST, T>(to_sdk(field), type_name)
}

/// Both round trips give the value back.
pub(super) fn check<ST, T>(value: &T, type_name: &str, decoder: ColumnDecoder)
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg> + FromSql<ST, Pg> + PartialEq + Debug,
{
    assert_eq!(
        &via_bind::<ST, T>(value, type_name),
        value,
        "bind path, {type_name}"
    );
    assert_eq!(
        &via_server::<ST, T>(value, decoder, type_name, false),
        value,
        "server path, {type_name}"
    );
}

/// diesel's real bind (type metadata and bytes) of `value` as SQL type `ST`.
pub(crate) fn diesel_bind<ST, T>(
    value: &T,
    registry: &TypeRegistry,
) -> (PgTypeMetadata, Option<Vec<u8>>)
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg> + ?Sized,
{
    let mut collector = RawBytesBindCollector::<Pg>::new();
    let mut lookup = registry.lookup();
    collector
        .push_bound_value::<ST, T>(value, &mut lookup)
        .expect("diesel serializes the test value");
    (
        collector.metadata.pop().expect("one bind"),
        collector.binds.pop().expect("one bind"),
    )
}

pub(super) fn enc<ST, T>(value: &T) -> EncodedBind
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg> + ?Sized,
{
    let registry = TypeRegistry::new();
    let (meta, bytes) = diesel_bind::<ST, T>(value, &registry);
    encode_bind(&meta, bytes.as_deref(), &registry).unwrap()
}

pub(super) fn string<ST, T>(value: &T) -> (String, String)
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg> + ?Sized,
{
    let e = enc::<ST, T>(value);
    match e.value {
        Field::StringValue(s) => (s, e.cast.into_owned()),
        other => panic!("expected a stringValue, got {other:?}"),
    }
}

pub(super) fn raw(oid: u32, bytes: &[u8]) -> Result<EncodedBind, CodecError> {
    encode_bind(
        &PgTypeMetadata::new(oid, 0),
        Some(bytes),
        &TypeRegistry::new(),
    )
}

// ---- round trips across the families ----

#[test]
pub(super) fn round_trip_fixed_values() {
    check::<st::Bool, _>(&true, "bool", S(Decoder::Bool));
    check::<st::Text, _>(
        &"héllo, \"world\" \\ {}".to_string(),
        "text",
        S(Decoder::Text),
    );
    check::<st::Numeric, _>(
        &BigDecimal::from_str("-123456.7890").unwrap(),
        "numeric",
        S(Decoder::Numeric),
    );
    check::<st::Interval, _>(
        &PgInterval::new(-1, 40, -13),
        "interval",
        S(Decoder::Interval),
    );
    check::<st::Jsonb, _>(
        &serde_json::json!({"a": [1, "x", null]}),
        "jsonb",
        S(Decoder::Jsonb),
    );
    check::<st::Json, _>(&serde_json::json!([true, 1.5]), "json", S(Decoder::Text));
    check::<st::Array<st::Text>, _>(&Vec::<String>::new(), "_text", A(Decoder::Text));
    check::<st::Array<st::Nullable<st::Integer>>, _>(
        &vec![None, Some(1)],
        "_int4",
        A(Decoder::Int4),
    );
    check::<st::Array<st::Double>, _>(&vec![1.5, -0.0, 1e300], "_float8", A(Decoder::Float8));
    check::<st::Date, _>(
        &NaiveDate::from_ymd_opt(-43, 3, 15).unwrap(),
        "date",
        S(Decoder::Date),
    );
    let pts = time::macros::datetime!(2024-02-29 12:34:56.000001);
    check::<st::Timestamp, _>(&pts, "timestamp", S(Decoder::Timestamp));
    let ots = time::macros::datetime!(2024-02-29 12:34:56.5 +05:30);
    check::<st::Timestamptz, _>(&ots, "timestamptz", S(Decoder::TimestampTz));
    // Non-finite floats through both paths.
    assert!(via_bind::<st::Double, f64>(&f64::NAN, "float8").is_nan());
    assert!(via_server::<st::Float, f32>(&f32::NAN, S(Decoder::Float4), "float4", false).is_nan());
    assert_eq!(
        via_bind::<st::Float, f32>(&f32::INFINITY, "float4"),
        f32::INFINITY
    );
    let with_nan: Vec<f64> = via_server::<st::Array<st::Double>, _>(
        &vec![f64::NAN, 2.5],
        A(Decoder::Float8),
        "_float8",
        false,
    );
    assert!(with_nan[0].is_nan() && with_nan[1] == 2.5);
    // longReturnType = STRING.
    assert_eq!(
        via_server::<st::SmallInt, i16>(&-7, S(Decoder::Int2), "int2", true),
        -7
    );
    assert_eq!(
        via_server::<st::Oid, u32>(&u32::MAX, S(Decoder::Oid), "oid", false),
        u32::MAX
    );
    // Types the Data API does not return are bind-path only.
    assert_eq!(
        via_bind::<st::Money, PgMoney>(&PgMoney(-12_345), "money"),
        PgMoney(-12_345)
    );
    assert_eq!(via_bind::<st::CChar, u8>(&0xC4, "char"), 0xC4);
    let r = (
        Bound::Excluded(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()),
        Bound::Unbounded,
    );
    assert_eq!(via_bind::<st::Range<st::Date>, _>(&r, "daterange"), r);
    let mac = [1u8, 2, 3, 4, 5, 6];
    assert_eq!(via_bind::<st::MacAddr, [u8; 6]>(&mac, "macaddr"), mac);
    let lsn = diesel::pg::data_types::PgLsn(u64::MAX);
    assert_eq!(via_bind::<st::PgLsn, _>(&lsn, "pg_lsn"), lsn);
    assert_eq!(
        via_bind::<st::Citext, String>(&"MiXed".to_string(), "citext"),
        "MiXed"
    );
}

pub(super) fn any_text() -> impl Strategy<Value = String> {
    // PostgreSQL text cannot hold NUL.
    any::<String>().prop_map(|s| s.replace('\0', ""))
}

pub(super) fn big_decimal() -> impl Strategy<Value = BigDecimal> {
    let scale = prop_oneof![-40i64..=40, 0i64..=3000, -600i64..0];
    ("-?[0-9]{1,80}", scale).prop_map(|(digits, scale)| {
        BigDecimal::from_str(&format!("{digits}E{}", -scale)).expect("valid decimal")
    })
}

pub(super) fn naive_date() -> impl Strategy<Value = NaiveDate> {
    use chrono::Datelike;
    (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
        .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).expect("in range"))
}

pub(super) fn naive_time() -> impl Strategy<Value = NaiveTime> {
    (0u32..86_400, 0u32..1_000_000).prop_map(|(s, us)| {
        NaiveTime::from_num_seconds_from_midnight_opt(s, us * 1000).expect("valid time")
    })
}

pub(super) fn time_date() -> impl Strategy<Value = time::Date> {
    // Leave room for any UTC offset at the ends of `time`'s ±9999 years.
    (time::Date::MIN.to_julian_day() + 2..=time::Date::MAX.to_julian_day() - 2)
        .prop_map(|d| time::Date::from_julian_day(d).expect("in range"))
}

pub(super) fn time_time() -> impl Strategy<Value = time::Time> {
    (0u8..24, 0u8..60, 0u8..60, 0u32..1_000_000)
        .prop_map(|(h, m, s, us)| time::Time::from_hms_micro(h, m, s, us).expect("valid"))
}

pub(super) fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any_text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(any_text(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn round_trip_integers(a in any::<i16>(), b in any::<i32>(), c in any::<i64>(), o in any::<u32>(), strings in any::<bool>()) {
        check::<st::SmallInt, _>(&a, "int2", S(Decoder::Int2));
        check::<st::Integer, _>(&b, "int4", S(Decoder::Int4));
        check::<st::BigInt, _>(&c, "int8", S(Decoder::Int8));
        check::<st::Oid, _>(&o, "oid", S(Decoder::Oid));
        prop_assert_eq!(via_server::<st::BigInt, i64>(&c, S(Decoder::Int8), "int8", strings), c);
        prop_assert_eq!(via_server::<st::Integer, i32>(&b, S(Decoder::Int4), "int4", strings), b);
    }

    #[test]
    fn round_trip_floats(f in any::<f32>().prop_filter("finite", |f| f.is_finite()),
                         d in any::<f64>().prop_filter("finite", |d| d.is_finite())) {
        // Compare bits: -0.0 must stay -0.0.
        prop_assert_eq!(via_bind::<st::Float, f32>(&f, "float4").to_bits(), f.to_bits());
        prop_assert_eq!(via_server::<st::Float, f32>(&f, S(Decoder::Float4), "float4", false).to_bits(), f.to_bits());
        prop_assert_eq!(via_bind::<st::Double, f64>(&d, "float8").to_bits(), d.to_bits());
        prop_assert_eq!(via_server::<st::Double, f64>(&d, S(Decoder::Float8), "float8", false).to_bits(), d.to_bits());
    }

    #[test]
    fn round_trip_text_and_bytes(t in any_text(), b in prop::collection::vec(any::<u8>(), 0..64)) {
        check::<st::Text, _>(&t, "text", S(Decoder::Text));
        prop_assert_eq!(via_bind::<st::Text, String>(&t, "varchar"), t.clone());
        prop_assert_eq!(via_bind::<st::Citext, String>(&t, "citext"), t);
        check::<st::Binary, _>(&b, "bytea", S(Decoder::Bytea));
    }

    #[test]
    fn round_trip_numeric(v in big_decimal()) {
        let back = via_bind::<st::Numeric, BigDecimal>(&v, "numeric");
        prop_assert_eq!(&back, &v);
        // The scale survives (diesel itself sends every zero with scale 0).
        if !bigdecimal::Zero::is_zero(&v) {
            prop_assert_eq!(back.fractional_digit_count().max(0), v.fractional_digit_count().max(0));
        }
        prop_assert_eq!(via_server::<st::Numeric, BigDecimal>(&v, S(Decoder::Numeric), "numeric", false), v);
    }

    #[test]
    fn round_trip_chrono(d in naive_date(), t in naive_time(), bc in any::<bool>()) {
        check::<st::Date, _>(&d, "date", S(Decoder::Date));
        check::<st::Time, _>(&t, "time", S(Decoder::Time));
        let dt = d.and_time(t);
        check::<st::Timestamp, _>(&dt, "timestamp", S(Decoder::Timestamp));
        check::<st::Timestamptz, _>(&dt.and_utc(), "timestamptz", S(Decoder::TimestampTz));
        check::<st::Timestamptz, NaiveDateTime>(&dt, "timestamptz", S(Decoder::TimestampTz));
        // The BC era explicitly.
        let old = NaiveDate::from_ymd_opt(if bc { -4712 } else { -1 }, 12, 31).unwrap().and_time(t);
        check::<st::Timestamp, _>(&old, "timestamp", S(Decoder::Timestamp));
    }

    #[test]
    fn round_trip_time_crate(d in time_date(), t in time_time(), offset in -86_399i32..=86_399) {
        check::<st::Date, _>(&d, "date", S(Decoder::Date));
        check::<st::Time, _>(&t, "time", S(Decoder::Time));
        let p = time::PrimitiveDateTime::new(d, t);
        check::<st::Timestamp, _>(&p, "timestamp", S(Decoder::Timestamp));
        let o = p.assume_offset(time::UtcOffset::from_whole_seconds(offset).unwrap());
        check::<st::Timestamptz, _>(&o, "timestamptz", S(Decoder::TimestampTz));
    }

    #[test]
    fn round_trip_intervals(us in any::<i64>(), days in any::<i32>(), months in any::<i32>()) {
        check::<st::Interval, _>(&PgInterval::new(us, days, months), "interval", S(Decoder::Interval));
        let small = PgInterval::new(us % (1 << 40), days % 1000, months % 1000);
        check::<st::Interval, _>(&small, "interval", S(Decoder::Interval));
    }

    #[test]
    fn round_trip_uuid_json_money(u in any::<[u8; 16]>(), j in json_value(), m in any::<i64>()) {
        check::<st::Uuid, _>(&uuid::Uuid::from_bytes(u), "uuid", S(Decoder::Uuid));
        check::<st::Json, _>(&j, "json", S(Decoder::Text));
        check::<st::Jsonb, _>(&j, "jsonb", S(Decoder::Jsonb));
        prop_assert_eq!(via_bind::<st::Money, PgMoney>(&PgMoney(m), "money"), PgMoney(m));
    }

    #[test]
    fn round_trip_arrays(
        ints in prop::collection::vec(prop::option::of(any::<i32>()), 0..12),
        longs in prop::collection::vec(any::<i64>(), 0..12),
        texts in prop::collection::vec(prop::option::of(any_text()), 0..8),
        blobs in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..8), 0..6),
        floats in prop::collection::vec(prop::option::of(any::<f64>().prop_filter("finite", |d| d.is_finite())), 0..8),
        bools in prop::collection::vec(prop::option::of(any::<bool>()), 0..8),
        dates in prop::collection::vec(prop::option::of(naive_date()), 0..6),
        nums in prop::collection::vec(prop::option::of(big_decimal()), 0..4),
        uuids in prop::collection::vec(any::<[u8; 16]>().prop_map(uuid::Uuid::from_bytes), 0..4),
    ) {
        check::<st::Array<st::Nullable<st::Integer>>, _>(&ints, "_int4", A(Decoder::Int4));
        check::<st::Array<st::BigInt>, _>(&longs, "_int8", A(Decoder::Int8));
        check::<st::Array<st::Nullable<st::Text>>, _>(&texts, "_text", A(Decoder::Text));
        check::<st::Array<st::Binary>, _>(&blobs, "_bytea", A(Decoder::Bytea));
        check::<st::Array<st::Nullable<st::Double>>, _>(&floats, "_float8", A(Decoder::Float8));
        check::<st::Array<st::Nullable<st::Bool>>, _>(&bools, "_bool", A(Decoder::Bool));
        check::<st::Array<st::Nullable<st::Date>>, _>(&dates, "_date", A(Decoder::Date));
        check::<st::Array<st::Nullable<st::Numeric>>, _>(&nums, "_numeric", A(Decoder::Numeric));
        check::<st::Array<st::Uuid>, _>(&uuids, "_uuid", A(Decoder::Uuid));
        let stamps: Vec<chrono::DateTime<chrono::Utc>> = dates.iter().flatten().map(|d| d.and_hms_opt(1, 2, 3).unwrap().and_utc()).collect();
        check::<st::Array<st::Timestamptz>, _>(&stamps, "_timestamptz", A(Decoder::TimestampTz));
        let plain: Vec<String> = texts.iter().flatten().cloned().collect();
        check::<st::Array<st::Text>, _>(&plain, "_text", A(Decoder::Text));
    }

    #[test]
    fn round_trip_ranges(a in any::<i64>(), b in any::<i64>(), lo_inc in any::<bool>(), hi_inf in any::<bool>()) {
        let lo = if lo_inc { Bound::Included(a) } else { Bound::Excluded(a) };
        let hi = if hi_inf { Bound::Unbounded } else { Bound::Included(b) };
        prop_assert_eq!(via_bind::<st::Range<st::BigInt>, _>(&(lo, hi), "int8range"), (lo, hi));
        let m = vec![(lo, hi), (Bound::Unbounded, Bound::Excluded(b))];
        prop_assert_eq!(via_bind::<st::Multirange<st::BigInt>, _>(&m, "int8multirange"), m);
    }

    /// Arbitrary strings never panic the decoder, whatever the column type.
    #[test]
    fn decoding_garbage_never_panics(text in ".{0,40}", n in any::<i64>(), f in any::<f64>()) {
        for (name, _) in crate::pg::codec::BUILTINS.iter().map(|t| (t.name, t.oid)) {
            let _ = decode_field(&Field::StringValue(text.clone()), name);
            let _ = decode_field(&Field::LongValue(n), name);
            let _ = decode_field(&Field::DoubleValue(f), name);
            let _ = decode_field(&Field::StringValue(text.clone()), &format!("_{name}"));
        }
    }
}
