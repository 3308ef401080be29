//! Text-like scalars: bool, `"char"`, bytea, uuid.

use std::fmt::Write as _;

pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "t" | "true" | "y" | "yes" | "on" | "1" => Some(true),
        "f" | "false" | "n" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// `"char"`: empty = NUL, `\ooo` = that byte, else a single ASCII character.
pub(super) fn parse_char(s: &str) -> Option<u8> {
    let b = s.as_bytes();
    match b {
        [] => Some(0),
        [c] => Some(*c),
        [b'\\', o @ ..] if o.len() == 3 && o.iter().all(|c| (b'0'..=b'7').contains(c)) => {
            u8::from_str_radix(std::str::from_utf8(o).ok()?, 8).ok()
        }
        _ => None,
    }
}

/// `"char"` output: printable ASCII as is, NUL as empty, high-bit bytes as `\ooo`
/// (PostgreSQL ≥ 15 reads that back; older versions take the first byte).
pub(super) fn char_text(byte: u8) -> String {
    match byte {
        0 => String::new(),
        b if b >= 0x80 => format!("\\{b:03o}"),
        b => char::from(b).to_string(),
    }
}

/// bytea text: hex (`\x0aff`, whitespace between pairs allowed) or the escape format.
pub(crate) fn parse_bytea(s: &str) -> Option<Vec<u8>> {
    if let Some(hex) = s.strip_prefix("\\x") {
        let digits: Vec<u8> = hex.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
        if !digits.len().is_multiple_of(2) {
            return None;
        }
        return digits
            .chunks(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
            .collect();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
        } else if b.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else {
            let octal = b.get(i + 1..i + 4)?;
            if !octal.iter().all(|c| (b'0'..=b'7').contains(c)) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(octal).ok()?, 8).ok()?);
            i += 4;
        }
    }
    Some(out)
}

/// bytea's hex text form `\x0a1b…` (used for bytea array elements).
pub(crate) fn bytea_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 + 2 * bytes.len());
    s.push_str("\\x");
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

pub(super) fn uuid_text(bytes: &[u8; 16]) -> String {
    let mut s = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests;
