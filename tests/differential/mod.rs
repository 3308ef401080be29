//! The comparison half of the differential suites (`pg_differential.rs`,
//! `mysql_differential.rs`): exact equality ([`Same`]), error comparison and the three-way
//! [`agree`] between the native diesel-async connection (the oracle) and our async and sync
//! connections. Each suite describes itself in a [`Suite`] constant named `SUITE`.

use std::fmt::Debug;

use bigdecimal::BigDecimal;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::result::Error;
use diesel::QueryResult;

/// Names for the messages, and how error texts are normalized before they are compared.
pub struct Suite {
    /// The oracle connection type.
    pub oracle: &'static str,
    /// Our async and sync connection types, in the order `agree` takes their results.
    pub ours: [&'static str; 2],
    /// Applied to both error texts (for differences the suite documents as harmless).
    pub normalize: fn(String) -> String,
}

/// Equality that is exact where `PartialEq` is not: floats by bits (any NaN equals any NaN),
/// `BigDecimal` by digits and scale, `OffsetDateTime` by instant and offset.
pub trait Same {
    fn same(&self, other: &Self) -> bool;
}

/// `Same` as `==`, for types whose equality is already exact.
macro_rules! same_by_eq {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::differential::Same for $t {
            fn same(&self, other: &Self) -> bool {
                self == other
            }
        }
    )*};
}
#[allow(unused_imports)] // the MySQL suite needs no types beyond those below
pub(crate) use same_by_eq;

same_by_eq!(
    usize,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    bool,
    String,
    NaiveDate,
    NaiveTime,
    NaiveDateTime,
    time::Date,
    time::Time,
    time::PrimitiveDateTime,
    serde_json::Value,
);

impl Same for f32 {
    fn same(&self, other: &Self) -> bool {
        (self.is_nan() && other.is_nan()) || self.to_bits() == other.to_bits()
    }
}

impl Same for f64 {
    fn same(&self, other: &Self) -> bool {
        (self.is_nan() && other.is_nan()) || self.to_bits() == other.to_bits()
    }
}

impl Same for BigDecimal {
    fn same(&self, other: &Self) -> bool {
        self.as_bigint_and_exponent() == other.as_bigint_and_exponent()
    }
}

impl Same for time::OffsetDateTime {
    fn same(&self, other: &Self) -> bool {
        self == other && self.offset() == other.offset()
    }
}

impl<T: Same> Same for Option<T> {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => a.same(b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl<T: Same> Same for Vec<T> {
    fn same(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.same(b))
    }
}

macro_rules! same_tuple {
    ($($name:ident $idx:tt),*) => {
        impl<$($name: Same),*> Same for ($($name,)*) {
            fn same(&self, other: &Self) -> bool {
                true $(&& self.$idx.same(&other.$idx))*
            }
        }
    };
}

same_tuple!(A 0, B 1);
same_tuple!(A 0, B 1, C 2);
same_tuple!(A 0, B 1, C 2, D 3);
same_tuple!(A 0, B 1, C 2, D 3, E 4);
same_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
same_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);

/// An error's message followed by those of its sources.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

/// Same variant; diesel's deserialization errors (the same `FromSql` code on every
/// connection) also with the same messages, sources included, after the suite's
/// normalization. Database errors are compared by kind only: the Data API reformats the
/// server's message.
fn same_error(oracle: &Error, ours: &Error) -> bool {
    let normalized =
        |e: &(dyn std::error::Error + 'static)| (super::SUITE.normalize)(error_chain(e));
    match (oracle, ours) {
        (Error::DeserializationError(a), Error::DeserializationError(b))
        | (Error::SerializationError(a), Error::SerializationError(b)) => {
            normalized(a.as_ref()) == normalized(b.as_ref())
        }
        (Error::DatabaseError(k1, _), Error::DatabaseError(k2, _)) => k1 == k2,
        (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// Compares our two connections' results with the oracle's; `Ok(oracle)` when all agree.
pub fn agree<T: Same + Debug>(
    what: &str,
    native: QueryResult<T>,
    adata: QueryResult<T>,
    sdata: QueryResult<T>,
) -> Result<QueryResult<T>, String> {
    let suite = &super::SUITE;
    for (name, ours) in suite.ours.into_iter().zip([&adata, &sdata]) {
        let ok = match (&native, ours) {
            (Ok(a), Ok(b)) => a.same(b),
            (Err(a), Err(b)) => same_error(a, b),
            _ => false,
        };
        if !ok {
            return Err(format!(
                "{what}: {name} differs from the native {}\n  native: {native:?}\n  {name}: {ours:?}",
                suite.oracle
            ));
        }
    }
    Ok(native)
}

/// [`agree`], panicking on a difference and on an error of the oracle.
pub fn agree_ok<T: Same + Debug>(
    what: &str,
    native: QueryResult<T>,
    adata: QueryResult<T>,
    sdata: QueryResult<T>,
) -> T {
    match agree(what, native, adata, sdata) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => panic!("{what}: all three connections failed: {e:?}"),
        Err(diff) => panic!("{diff}"),
    }
}

/// [`agree`], panicking on a difference; returns the (common) error.
#[allow(dead_code)] // the PostgreSQL suite checks its errors through `agree` directly
pub fn agree_err<T: Same + Debug>(
    what: &str,
    native: QueryResult<T>,
    adata: QueryResult<T>,
    sdata: QueryResult<T>,
) -> Error {
    match agree(what, native, adata, sdata) {
        Ok(Err(e)) => e,
        Ok(Ok(v)) => panic!("{what}: expected an error, all three connections gave {v:?}"),
        Err(diff) => panic!("{diff}"),
    }
}
