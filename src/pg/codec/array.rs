//! 1-D arrays in results (an `arrayValue` or an array literal), any-dimensional array
//! literals in binds.

use std::fmt::Write as _;

use aws_sdk_rdsdata::types::{ArrayValue, Field};

use super::bind::text_form;
use super::column::{scalar_bytes, unknown_value, RawValue};
use super::types::{builtin_by_oid, BuiltinType, Resolved, TypeRegistry, TEXT_ARRAY_OID, TEXT_OID};
use super::{invalid, mismatch, push_quoted, Parser, Reader};
use crate::codec::CodecError;

// ---- results ----

/// A 1-D array column: from an `arrayValue`, or from a PostgreSQL array literal string.
pub(super) fn array_value(
    element: Option<&'static BuiltinType>,
    field: &Field,
    type_name: &str,
) -> Result<RawValue, CodecError> {
    let elements: Vec<Option<Field>> = match field {
        Field::ArrayValue(array) => match array {
            ArrayValue::BooleanValues(v) => v.iter().map(|e| e.map(Field::BooleanValue)).collect(),
            ArrayValue::LongValues(v) => v.iter().map(|e| e.map(Field::LongValue)).collect(),
            ArrayValue::DoubleValues(v) => v.iter().map(|e| e.map(Field::DoubleValue)).collect(),
            ArrayValue::StringValues(v) => v
                .iter()
                .map(|e| e.as_ref().map(|s| Field::StringValue(s.clone())))
                .collect(),
            ArrayValue::ArrayValues(_) => {
                return Err(CodecError::result(format!(
                "a {type_name} value is a multi-dimensional array, which diesel does not support"
            )))
            }
            _ => {
                return Err(CodecError::result(format!(
                    "a {type_name} value is an unknown arrayValue member"
                )))
            }
        },
        Field::StringValue(s) if s.trim_start().starts_with(['{', '[']) => parse_array_literal(s)
            .map_err(|why| invalid(type_name, s, why))?
            .into_iter()
            .map(|e| e.map(Field::StringValue))
            .collect(),
        // An unknown type whose name merely starts with `_`.
        other if element.is_none() => return unknown_value(other, type_name),
        other => return Err(mismatch(type_name, other)),
    };
    // Elements of unknown types keep their natural form, like unknown scalars.
    let (element_oid, array_oid) = match element {
        Some(t) => (t.oid, t.array_oid),
        None => match field {
            Field::ArrayValue(ArrayValue::LongValues(_)) => (20, 1016),
            Field::ArrayValue(ArrayValue::DoubleValues(_)) => (701, 1022),
            Field::ArrayValue(ArrayValue::BooleanValues(_)) => (16, 1000),
            _ => (TEXT_OID, TEXT_ARRAY_OID),
        },
    };
    let element_type = element.or_else(|| builtin_by_oid(element_oid));
    let has_null = elements.iter().any(Option::is_none);
    let mut bytes = Vec::new();
    if elements.is_empty() {
        // PostgreSQL sends an empty array as ndim 0 with no dimension entries.
        bytes.extend_from_slice(&0i32.to_be_bytes());
        bytes.extend_from_slice(&0i32.to_be_bytes());
        bytes.extend_from_slice(&element_oid.to_be_bytes());
        return Ok(RawValue {
            bytes,
            oid: array_oid,
        });
    }
    let len = i32::try_from(elements.len())
        .map_err(|_| CodecError::result(format!("a {type_name} value has too many elements")))?;
    bytes.extend_from_slice(&1i32.to_be_bytes());
    bytes.extend_from_slice(&i32::from(has_null).to_be_bytes());
    bytes.extend_from_slice(&element_oid.to_be_bytes());
    bytes.extend_from_slice(&len.to_be_bytes());
    bytes.extend_from_slice(&1i32.to_be_bytes());
    let element_name = element_type.map_or("text", |t| t.name);
    for e in &elements {
        match e {
            None => bytes.extend_from_slice(&(-1i32).to_be_bytes()),
            Some(f) => {
                let value = match element_type {
                    Some(t) => scalar_bytes(t, f, element_name)?,
                    None => unknown_value(f, type_name)?.bytes,
                };
                let size = i32::try_from(value.len()).map_err(|_| {
                    CodecError::result(format!("a {type_name} element is too large"))
                })?;
                bytes.extend_from_slice(&size.to_be_bytes());
                bytes.extend_from_slice(&value);
            }
        }
    }
    Ok(RawValue {
        bytes,
        oid: array_oid,
    })
}

/// A 1-D PostgreSQL array literal (`{a,"b c",NULL}`, optional `[lo:hi]=` prefix) → elements.
pub(crate) fn parse_array_literal(s: &str) -> Result<Vec<Option<String>>, &'static str> {
    let mut p = Parser::new(s.trim());
    if p.peek() == Some('[') {
        let eq = p.s.find('=').ok_or("bad array dimensions")?;
        if p.s[..eq].matches('[').count() > 1 {
            return Err("multi-dimensional arrays are not supported");
        }
        p.pos = eq + 1;
        p.skip_ws();
    }
    if !p.eat('{') {
        return Err("an array literal starts with {");
    }
    let mut out = Vec::new();
    p.skip_ws();
    if p.eat('}') {
        p.skip_ws();
        return if p.at_end() {
            Ok(out)
        } else {
            Err("trailing characters")
        };
    }
    loop {
        p.skip_ws();
        match p.peek() {
            Some('{') => return Err("multi-dimensional arrays are not supported"),
            Some('"') => {
                p.bump();
                let mut v = String::new();
                loop {
                    match p.bump().ok_or("unterminated quoted element")? {
                        '\\' => v.push(p.bump().ok_or("dangling backslash")?),
                        '"' => break,
                        c => v.push(c),
                    }
                }
                out.push(Some(v));
            }
            _ => {
                let mut v = String::new();
                let mut escaped = false;
                while let Some(c) = p.peek() {
                    match c {
                        ',' | '}' => break,
                        '\\' => {
                            p.bump();
                            v.push(p.bump().ok_or("dangling backslash")?);
                            escaped = true;
                        }
                        '"' | '{' => return Err("unexpected character in an element"),
                        c => {
                            p.bump();
                            v.push(c);
                        }
                    }
                }
                let v = v.trim_end().to_string();
                if v.is_empty() {
                    return Err("empty unquoted element");
                }
                out.push(if !escaped && v.eq_ignore_ascii_case("NULL") {
                    None
                } else {
                    Some(v)
                });
            }
        }
        p.skip_ws();
        match p.bump() {
            Some(',') => continue,
            Some('}') => break,
            _ => return Err("expected , or }"),
        }
    }
    p.skip_ws();
    if p.at_end() {
        Ok(out)
    } else {
        Err("trailing characters")
    }
}

// ---- binds ----

/// Text array literal of diesel's binary array (any number of dimensions; bounds other than 1
/// are written as `[lo:hi]=` decoration). The element type is taken from the header when
/// known, else from the parameter's type.
pub(super) fn array_literal(
    bytes: &[u8],
    element: &Resolved,
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    let mut r = Reader::new(bytes, "array");
    let ndim = r.i32()?;
    let _has_null = r.i32()?;
    let element_oid = r.u32()?;
    if ndim == 0 {
        return Ok("{}".to_string());
    }
    let ndim = usize::try_from(ndim)
        .ok()
        .filter(|n| *n <= 6)
        .ok_or_else(|| r.malformed("dimension count"))?;
    let mut dims = Vec::with_capacity(ndim);
    let mut total: usize = 1;
    for _ in 0..ndim {
        let len = usize::try_from(r.i32()?).map_err(|_| r.malformed("negative dimension"))?;
        let lower = r.i32()?;
        total = total
            .checked_mul(len)
            .ok_or_else(|| r.malformed("dimensions"))?;
        dims.push((len, lower));
    }
    if total > bytes.len() / 4 {
        return Err(r.malformed("more elements than bytes"));
    }
    let header_element = registry.resolve(element_oid);
    let element = header_element.as_ref().unwrap_or(element);
    let mut s = String::new();
    if dims.iter().any(|&(_, lower)| lower != 1) {
        for &(len, lower) in &dims {
            let upper = i64::from(lower) + len as i64 - 1;
            let _ = write!(s, "[{lower}:{upper}]");
        }
        s.push('=');
    }
    if total == 0 {
        s.push_str("{}");
        r.finish()?;
        return Ok(s);
    }
    write_dimension(&mut s, &dims, &mut r, element, registry)?;
    r.finish()?;
    Ok(s)
}

fn write_dimension(
    s: &mut String,
    dims: &[(usize, i32)],
    r: &mut Reader<'_>,
    element: &Resolved,
    registry: &TypeRegistry,
) -> Result<(), CodecError> {
    let Some((&(len, _), inner)) = dims.split_first() else {
        return Ok(());
    };
    s.push('{');
    for i in 0..len {
        if i > 0 {
            s.push(',');
        }
        if inner.is_empty() {
            let size = r.i32()?;
            if size == -1 {
                s.push_str("NULL");
            } else {
                let size = usize::try_from(size).map_err(|_| r.malformed("element length"))?;
                let value = r.take(size)?;
                push_quoted(s, &text_form(element, value, registry)?);
            }
        } else {
            write_dimension(s, inner, r, element, registry)?;
        }
    }
    s.push('}');
    Ok(())
}

#[cfg(test)]
mod tests;
