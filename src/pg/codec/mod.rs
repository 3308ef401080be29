//! The PostgreSQL value codec, by type family, each family's bind encoding and result decoding
//! in one file.
//!
//! - Binds ([`bind`]): diesel's binary PostgreSQL bytes → Data API `Field` + the SQL type to
//!   cast the placeholder to. Every parameter is sent as `:pN::<exact type>` because
//!   the Data API binds a `stringValue` as `text` (not as an untyped literal): with the cast
//!   PostgreSQL parses the string with the type's own input function, so uuid / jsonb / enum /
//!   interval / array / timestamptz columns behave as with a native connection. Numbers and
//!   booleans travel as JSON numbers / booleans, everything else as PostgreSQL's text input
//!   form.
//! - Results ([`column`]): Data API `Field` + the column's `typeName` → the exact binary bytes
//!   (and OID) diesel's `FromSql<_, Pg>` impls expect, i.e. what PostgreSQL's binary protocol
//!   would have sent: big-endian, exact widths (int2 = 2 bytes even though the Data API sends
//!   a `longValue`), dates from 2000-01-01, numeric in base-10000 digits, jsonb with its
//!   version byte, 1-D arrays with the 20-byte header. Strings are parsed in the forms
//!   PostgreSQL prints them (default `DateStyle = ISO`, `IntervalStyle = postgres`), and
//!   leniently in the obvious variants (ISO `T`, offsets, `postgres_verbose` / ISO 8601
//!   intervals), because the real Data API's exact formats are partly unverified. Anything
//!   that does not parse is an error, never a guessed value.
//! - [`types`]: the built-in type table and the registry of custom types, shared by both.
//! - The families: [`numeric`] (integers, floats, numeric, money), [`text`] (bool, "char",
//!   bytea, uuid), [`datetime`], [`interval`], [`network`] (inet, cidr, macaddr, pg_lsn),
//!   [`array`], [`range`] (ranges, multiranges), [`record`] (custom types, composites).

use aws_sdk_rdsdata::types::Field;

use crate::codec::{field_kind, CodecError};

mod array;
mod bind;
mod column;
mod datetime;
mod interval;
mod network;
mod numeric;
mod range;
mod record;
mod text;
mod types;

pub(crate) use bind::{encode_bind, write_placeholder, EncodedBind};
pub(crate) use column::{ColumnDecoder, RawValue};
pub(crate) use types::{RegistryLookup, TypeRegistry, BUILTINS};
// SeaORM's value and row conversion share these with the Diesel codec.
#[cfg(feature = "sea-orm")]
pub(crate) use array::parse_array_literal;
#[cfg(feature = "sea-orm")]
pub(crate) use numeric::double_field;
#[cfg(feature = "sea-orm")]
pub(crate) use text::{bytea_hex, parse_bytea};

/// A one-dimensional text array literal (`{"a","b",NULL}`) of elements in their text forms.
#[cfg(feature = "sea-orm")]
pub(crate) fn text_array_literal<'a>(elements: impl Iterator<Item = Option<&'a str>>) -> String {
    let mut s = String::from("{");
    for (i, element) in elements.enumerate() {
        if i > 0 {
            s.push(',');
        }
        match element {
            None => s.push_str("NULL"),
            Some(text) => push_quoted(&mut s, text),
        }
    }
    s.push('}');
    s
}
#[cfg(feature = "sea-orm")]
pub(crate) use types::{builtin_by_name, builtin_by_oid, Kind};

// ---- errors ----

fn mismatch(type_name: &str, field: &Field) -> CodecError {
    CodecError::result(format!(
        "a {type_name} column cannot hold {}",
        field_kind(field)
    ))
}

fn invalid(type_name: &str, text: &str, why: &str) -> CodecError {
    let mut shown: String = text.chars().take(64).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    CodecError::result(format!("invalid {type_name} value {shown:?}: {why}"))
}

fn utf8(bytes: &[u8], type_name: &str) -> Result<String, CodecError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|e| CodecError::bind(format!("a {type_name} value is not valid UTF-8: {e}")))
}

fn fixed<const N: usize>(bytes: &[u8], type_name: &str) -> Result<[u8; N], CodecError> {
    bytes.try_into().map_err(|_| {
        CodecError::bind(format!(
            "a {type_name} value must be {N} bytes, got {}",
            bytes.len()
        ))
    })
}

// ---- readers and writers shared by the families ----

/// `"…"` with `"` and `\` backslash-escaped (array, range and record literals).
fn push_quoted(s: &mut String, text: &str) {
    s.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
}

/// Big-endian reader over a binary value that reports malformed input as a [`CodecError`].
struct Reader<'a> {
    bytes: &'a [u8],
    what: &'a str,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], what: &'a str) -> Self {
        Self { bytes, what }
    }

    fn malformed(&self, why: &str) -> CodecError {
        CodecError::bind(format!("malformed {} value: {why}", self.what))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        if n > self.bytes.len() {
            return Err(self.malformed("too short"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CodecError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, CodecError> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, CodecError> {
        Ok(u16::from_be_bytes(self.array()?))
    }
    fn i16(&mut self) -> Result<i16, CodecError> {
        Ok(i16::from_be_bytes(self.array()?))
    }
    fn i32(&mut self) -> Result<i32, CodecError> {
        Ok(i32::from_be_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, CodecError> {
        Ok(u32::from_be_bytes(self.array()?))
    }
    fn i64(&mut self) -> Result<i64, CodecError> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    fn finish(&self) -> Result<(), CodecError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(self.malformed("trailing bytes"))
        }
    }
}

/// A character cursor for the literal parsers.
struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(s: &'a str) -> Self {
        Self { s, pos: 0 }
    }
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }
    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.bump();
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests;
