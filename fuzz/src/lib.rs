//! The fuzz targets' checks, as functions of the raw input bytes, and the Data API values they
//! build from fuzz input.
//!
//! Each module's `run` is what its libFuzzer entry point (`fuzz_targets/`) calls. The main
//! crate's `tests/fuzz_replay.rs` includes this file as a module and feeds it the committed
//! minimized corpora (`fuzz/replay/<target>`), so CI replays them without libFuzzer.

use std::fmt::Debug;

use arbitrary::{Arbitrary, Unstructured};

pub mod lexer;
pub mod mysql_codec;
pub mod pg_codec;
pub mod server_request;
pub mod splitter;

/// The input `T` that libfuzzer-sys's `fuzz_target!` would build from `bytes`, or `None` where
/// it would skip them: too short for `T`'s size hint, or not decodable. The same steps, so a
/// corpus file means the same input here as under libFuzzer.
pub fn decode<'a, T: Arbitrary<'a>>(bytes: &'a [u8]) -> Option<T> {
    if bytes.len() < T::size_hint(0).0 {
        return None;
    }
    T::arbitrary_take_rest(Unstructured::new(bytes)).ok()
}

/// Runs `check` on the input [`decode`] builds from `bytes`; false when there is none (libFuzzer
/// keeps no such unit). Every structured target's `run`.
pub fn run_decoded<'a, T: Arbitrary<'a>>(bytes: &'a [u8], check: impl FnOnce(T)) -> bool {
    decode::<T>(bytes).map(check).is_some()
}

/// The `Debug` text of the input [`decode`] builds from `bytes`: the replay test digests these
/// to notice when a changed input type gives the committed corpus files another meaning.
pub fn describe<'a, T: Arbitrary<'a> + Debug>(bytes: &'a [u8]) -> Option<String> {
    decode::<T>(bytes).map(|input| format!("{input:?}"))
}
use aurora_data_api::fuzzing::{ArrayValue, Blob, Field};

/// Nested arrays deeper than this become empty (the Data API itself nests a few levels).
const MAX_ARRAY_DEPTH: usize = 6;

/// A Data API `Field` as fuzz input. Strings are either arbitrary or shaped like what a
/// database prints (numbers, dates, times, intervals, array literals), so that the decoders'
/// success paths are reached too, not only their error paths.
#[derive(Arbitrary, Debug, Clone)]
pub enum FuzzField {
    IsNull(bool),
    Boolean(bool),
    Long(i64),
    Double(f64),
    String(Text),
    Blob(Vec<u8>),
    Array(FuzzArray),
}

/// The `ArrayValue` union as fuzz input.
#[derive(Arbitrary, Debug, Clone)]
pub enum FuzzArray {
    Booleans(Vec<Option<bool>>),
    Longs(Vec<Option<i64>>),
    Doubles(Vec<Option<f64>>),
    Strings(Vec<Option<Text>>),
    Arrays(Vec<Option<FuzzArray>>),
}

/// A string value.
#[derive(Arbitrary, Debug, Clone)]
pub enum Text {
    Raw(String),
    Integer(i128),
    Decimal {
        negative: bool,
        int: u128,
        frac: u64,
        exponent: Option<i16>,
    },
    DateTime {
        year: i32,
        month: u8,
        day: u8,
        time: Option<(u8, u8, u8, Option<u32>)>,
        /// Minutes east of UTC, printed as `+hh[:mm]`.
        offset: Option<i16>,
        bc: bool,
        iso_t: bool,
    },
    Time {
        negative: bool,
        hours: u32,
        minutes: u8,
        seconds: u8,
        micros: Option<u32>,
        offset: Option<i16>,
    },
    Interval {
        years: i32,
        months: i32,
        days: i32,
        hours: i64,
        minutes: u8,
        seconds: u8,
        micros: Option<u32>,
    },
    /// A PostgreSQL array / range literal built from pieces.
    Literal(Vec<LiteralPiece>),
    /// A keyword the decoders special-case.
    Word(Keyword),
}

#[derive(Arbitrary, Debug, Clone)]
pub enum LiteralPiece {
    Open,
    Close,
    Comma,
    Null,
    Quoted(String),
    Bare(Box<Text>),
    RangeOpen(bool),
    RangeClose(bool),
    Empty,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Keyword {
    Infinity,
    NegInfinity,
    NaN,
    True,
    False,
    T,
    F,
    Empty,
    Null,
    Allballs,
    Epoch,
}

fn offset_text(minutes: i16) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    if m.is_multiple_of(60) {
        format!("{sign}{:02}", m / 60)
    } else {
        format!("{sign}{:02}:{:02}", m / 60, m % 60)
    }
}

impl Text {
    /// The string this input stands for.
    pub fn render(&self) -> String {
        match self {
            Text::Raw(s) => s.clone(),
            Text::Integer(v) => v.to_string(),
            Text::Decimal {
                negative,
                int,
                frac,
                exponent,
            } => {
                let mut s = format!("{}{int}.{frac}", if *negative { "-" } else { "" });
                if let Some(e) = exponent {
                    s.push_str(&format!("e{e}"));
                }
                s
            }
            Text::DateTime {
                year,
                month,
                day,
                time,
                offset,
                bc,
                iso_t,
            } => {
                let mut s = format!("{year:04}-{month:02}-{day:02}");
                if let Some((h, m, sec, us)) = time {
                    s.push(if *iso_t { 'T' } else { ' ' });
                    s.push_str(&format!("{h:02}:{m:02}:{sec:02}"));
                    if let Some(us) = us {
                        s.push_str(&format!(".{us:06}"));
                    }
                }
                if let Some(o) = offset {
                    s.push_str(&offset_text(*o));
                }
                if *bc {
                    s.push_str(" BC");
                }
                s
            }
            Text::Time {
                negative,
                hours,
                minutes,
                seconds,
                micros,
                offset,
            } => {
                let mut s = format!(
                    "{}{hours:02}:{minutes:02}:{seconds:02}",
                    if *negative { "-" } else { "" }
                );
                if let Some(us) = micros {
                    s.push_str(&format!(".{us:06}"));
                }
                if let Some(o) = offset {
                    s.push_str(&offset_text(*o));
                }
                s
            }
            Text::Interval {
                years,
                months,
                days,
                hours,
                minutes,
                seconds,
                micros,
            } => {
                let mut s = String::new();
                if *years != 0 {
                    s.push_str(&format!("{years} years "));
                }
                if *months != 0 {
                    s.push_str(&format!("{months} mons "));
                }
                if *days != 0 {
                    s.push_str(&format!("{days} days "));
                }
                s.push_str(&format!("{hours:02}:{minutes:02}:{seconds:02}"));
                if let Some(us) = micros {
                    s.push_str(&format!(".{us:06}"));
                }
                s
            }
            Text::Literal(pieces) => {
                let mut s = String::new();
                for p in pieces {
                    match p {
                        LiteralPiece::Open => s.push('{'),
                        LiteralPiece::Close => s.push('}'),
                        LiteralPiece::Comma => s.push(','),
                        LiteralPiece::Null => s.push_str("NULL"),
                        LiteralPiece::Quoted(q) => {
                            s.push('"');
                            for c in q.chars() {
                                if c == '"' || c == '\\' {
                                    s.push('\\');
                                }
                                s.push(c);
                            }
                            s.push('"');
                        }
                        LiteralPiece::Bare(t) => s.push_str(&t.render()),
                        LiteralPiece::RangeOpen(inclusive) => {
                            s.push(if *inclusive { '[' } else { '(' })
                        }
                        LiteralPiece::RangeClose(inclusive) => {
                            s.push(if *inclusive { ']' } else { ')' })
                        }
                        LiteralPiece::Empty => s.push_str("empty"),
                    }
                }
                s
            }
            Text::Word(k) => match k {
                Keyword::Infinity => "infinity",
                Keyword::NegInfinity => "-infinity",
                Keyword::NaN => "NaN",
                Keyword::True => "true",
                Keyword::False => "false",
                Keyword::T => "t",
                Keyword::F => "f",
                Keyword::Empty => "",
                Keyword::Null => "NULL",
                Keyword::Allballs => "allballs",
                Keyword::Epoch => "epoch",
            }
            .to_string(),
        }
    }
}

impl FuzzArray {
    fn to_array(&self, depth: usize) -> ArrayValue {
        match self {
            FuzzArray::Booleans(v) => ArrayValue::BooleanValues(v.clone()),
            FuzzArray::Longs(v) => ArrayValue::LongValues(v.clone()),
            FuzzArray::Doubles(v) => ArrayValue::DoubleValues(v.clone()),
            FuzzArray::Strings(v) => {
                ArrayValue::StringValues(v.iter().map(|t| t.as_ref().map(Text::render)).collect())
            }
            FuzzArray::Arrays(_) if depth >= MAX_ARRAY_DEPTH => ArrayValue::ArrayValues(Vec::new()),
            FuzzArray::Arrays(v) => ArrayValue::ArrayValues(
                v.iter()
                    .map(|a| a.as_ref().map(|a| a.to_array(depth + 1)))
                    .collect(),
            ),
        }
    }
}

impl FuzzField {
    /// The SDK `Field` the connections decode.
    pub fn to_field(&self) -> Field {
        match self {
            FuzzField::IsNull(b) => Field::IsNull(*b),
            FuzzField::Boolean(b) => Field::BooleanValue(*b),
            FuzzField::Long(v) => Field::LongValue(*v),
            FuzzField::Double(v) => Field::DoubleValue(*v),
            FuzzField::String(t) => Field::StringValue(t.render()),
            FuzzField::Blob(b) => Field::BlobValue(Blob::new(b.clone())),
            FuzzField::Array(a) => Field::ArrayValue(a.to_array(0)),
        }
    }
}
