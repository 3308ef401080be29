//! Ranges and multiranges: PostgreSQL's range literals ↔ the binary range (flags byte, then
//! the bounds with their lengths).

use aws_sdk_rdsdata::types::Field;

use super::bind::text_form;
use super::column::scalar_bytes;
use super::types::{builtin_by_oid, TypeRegistry};
use super::{push_quoted, Parser, Reader};
use crate::codec::CodecError;

// The flags byte of the binary range, in both directions.
const RANGE_EMPTY: u8 = 0x01;
const RANGE_LB_INC: u8 = 0x02;
const RANGE_UB_INC: u8 = 0x04;
const RANGE_LB_INF: u8 = 0x08;
const RANGE_UB_INF: u8 = 0x10;

// ---- results ----

/// One range bound's text (quoted with `\` escapes or `""`, or bare), `None` when omitted.
fn range_bound(p: &mut Parser<'_>) -> Result<Option<String>, String> {
    let mut v = String::new();
    let mut any = false;
    while let Some(c) = p.peek() {
        match c {
            ',' | ')' | ']' => break,
            '"' => {
                p.bump();
                any = true;
                loop {
                    match p.bump().ok_or("unterminated quoted bound")? {
                        '\\' => v.push(p.bump().ok_or("dangling backslash")?),
                        '"' if p.peek() == Some('"') => {
                            p.bump();
                            v.push('"');
                        }
                        '"' => break,
                        c => v.push(c),
                    }
                }
            }
            '\\' => {
                p.bump();
                any = true;
                v.push(p.bump().ok_or("dangling backslash")?);
            }
            c => {
                p.bump();
                any = true;
                v.push(c);
            }
        }
    }
    Ok(any.then_some(v))
}

/// A range literal (`empty`, `[1,5)`, `(,"2024-01-01")`) → diesel's binary range.
pub(super) fn parse_range(p: &mut Parser<'_>, element_oid: u32) -> Result<Vec<u8>, String> {
    let element = builtin_by_oid(element_oid).ok_or("unknown range element type")?;
    p.skip_ws();
    if p.s
        .get(p.pos..p.pos + 5)
        .is_some_and(|w| w.eq_ignore_ascii_case("empty"))
    {
        p.pos += 5;
        return Ok(vec![RANGE_EMPTY]);
    }
    let mut flags = match p.bump() {
        Some('[') => RANGE_LB_INC,
        Some('(') => 0,
        _ => return Err("a range starts with [ or (".into()),
    };
    let lower = range_bound(p)?;
    if !p.eat(',') {
        return Err("expected , between range bounds".into());
    }
    let upper = range_bound(p)?;
    match p.bump() {
        Some(']') => flags |= RANGE_UB_INC,
        Some(')') => {}
        _ => return Err("a range ends with ] or )".into()),
    }
    let mut out = vec![0];
    for (bound, inf, inc) in [
        (lower, RANGE_LB_INF, RANGE_LB_INC),
        (upper, RANGE_UB_INF, RANGE_UB_INC),
    ] {
        match bound {
            None => {
                // An infinite bound is never inclusive.
                flags = (flags | inf) & !inc;
            }
            Some(text) => {
                let bytes = scalar_bytes(element, &Field::StringValue(text), element.name)
                    .map_err(|e| e.message().to_string())?;
                let len = i32::try_from(bytes.len()).map_err(|_| "bound too large")?;
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(&bytes);
            }
        }
    }
    out[0] = flags;
    Ok(out)
}

/// `{[1,3),[5,7)}` → u32 count, then each range as i32 length + range bytes.
pub(super) fn parse_multirange(s: &str, element_oid: u32) -> Result<Vec<u8>, String> {
    let mut p = Parser::new(s.trim());
    if !p.eat('{') {
        return Err("a multirange starts with {".into());
    }
    let mut ranges = Vec::new();
    p.skip_ws();
    if !p.eat('}') {
        loop {
            ranges.push(parse_range(&mut p, element_oid)?);
            p.skip_ws();
            match p.bump() {
                Some(',') => continue,
                Some('}') => break,
                _ => return Err("expected , or } in a multirange".into()),
            }
        }
    }
    p.skip_ws();
    if !p.at_end() {
        return Err("trailing characters".into());
    }
    let mut out = (ranges.len() as u32).to_be_bytes().to_vec();
    for r in ranges {
        out.extend_from_slice(&(r.len() as i32).to_be_bytes());
        out.extend_from_slice(&r);
    }
    Ok(out)
}

// ---- binds ----

/// Range literal: `empty`, `[lo,hi)`, `(,hi]` with quoted bounds.
pub(super) fn range_text(
    bytes: &[u8],
    element_oid: u32,
    name: &str,
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    let element = registry.resolve(element_oid).ok_or_else(|| {
        CodecError::bind(format!("unknown range element type (OID {element_oid})"))
    })?;
    let mut r = Reader::new(bytes, name);
    let flags = r.u8()?;
    if flags & RANGE_EMPTY != 0 {
        r.finish()?;
        return Ok("empty".to_string());
    }
    let mut s = String::from(if flags & RANGE_LB_INC != 0 { "[" } else { "(" });
    for (inf, last) in [(RANGE_LB_INF, false), (RANGE_UB_INF, true)] {
        if flags & inf == 0 {
            let len = usize::try_from(r.i32()?).map_err(|_| r.malformed("bound length"))?;
            let value = r.take(len)?;
            push_quoted(&mut s, &text_form(&element, value, registry)?);
        }
        if !last {
            s.push(',');
        }
    }
    s.push(if flags & RANGE_UB_INC != 0 { ']' } else { ')' });
    r.finish()?;
    Ok(s)
}

/// Multirange literal: `{[1,3),[5,7)}` from u32 count, then each range as i32 length + range
/// bytes.
pub(super) fn multirange_text(
    bytes: &[u8],
    element: u32,
    name: &str,
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    let mut r = Reader::new(bytes, name);
    let count = r.u32()?;
    let mut s = String::from("{");
    for i in 0..count {
        if i > 0 {
            s.push(',');
        }
        let len = r.i32()?;
        let range = r.take(usize::try_from(len).map_err(|_| r.malformed("NULL range"))?)?;
        s.push_str(&range_text(range, element, name, registry)?);
    }
    r.finish()?;
    s.push('}');
    Ok(s)
}

#[cfg(test)]
mod tests;
