//! Ranges and multiranges as PostgreSQL prints them.

use super::*;

/// PostgreSQL's range_out of the binary form: a flags byte, then each finite bound as a
/// length-prefixed value of the subtype.
pub fn range_text(subtype: RangeSubtype, raw: &[u8]) -> Result<String, DecodeError> {
    let (&flags, mut rest) = raw.split_first().ok_or("empty range")?;
    if flags & RANGE_EMPTY != 0 {
        return Ok("empty".into());
    }
    let mut bound = |infinite: bool| -> Result<String, DecodeError> {
        if infinite {
            return Ok(String::new());
        }
        let len = be_i32(rest.get(..4).ok_or("short range")?)?;
        let len = usize::try_from(len).map_err(|_| "range bound length")?;
        let value = rest.get(4..4 + len).ok_or("short range bound")?;
        rest = &rest[4 + len..];
        Ok(quote_range_bound(&subtype.text(value)?))
    };
    let lower = bound(flags & RANGE_LB_INF != 0)?;
    let upper = bound(flags & RANGE_UB_INF != 0)?;
    Ok(format!(
        "{}{lower},{upper}{}",
        if flags & RANGE_LB_INC != 0 { '[' } else { '(' },
        if flags & RANGE_UB_INC != 0 { ']' } else { ')' }
    ))
}

/// PostgreSQL's multirange_out: `{range,range,…}` from a count and length-prefixed ranges.
pub fn multirange_text(subtype: RangeSubtype, raw: &[u8]) -> Result<String, DecodeError> {
    let count = be_i32(raw.get(..4).ok_or("short multirange")?)?;
    let mut at = 4;
    let mut ranges = Vec::new();
    for _ in 0..count {
        let len = be_i32(raw.get(at..at + 4).ok_or("short multirange")?)?;
        let len = usize::try_from(len).map_err(|_| "multirange length")?;
        at += 4;
        let range = raw.get(at..at + len).ok_or("short multirange range")?;
        ranges.push(range_text(subtype, range)?);
        at += len;
    }
    Ok(format!("{{{}}}", ranges.join(",")))
}

/// range_bound_escape: a bound is double-quoted when empty or when it holds a quote,
/// backslash, bracket, parenthesis, comma or white space; quotes and backslashes are doubled.
pub(super) fn quote_range_bound(text: &str) -> String {
    let special =
        |c: char| matches!(c, '"' | '\\' | '(' | ')' | '[' | ']' | ',') || c.is_ascii_whitespace();
    if !text.is_empty() && !text.chars().any(special) {
        return text.to_string();
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push(c);
        }
        out.push(c);
    }
    out.push('"');
    out
}
