//! Custom types in binds: enums / citext / domains as text, diesel's binary composites as
//! record literals.

use super::bind::text_form;
use super::types::TypeRegistry;
use super::{push_quoted, utf8, Reader};
use crate::codec::CodecError;

/// Custom types: enums / citext / domains are UTF-8 text; diesel's `WriteTuple` composites are
/// the binary record format, recognised by its NUL bytes (PostgreSQL text never holds NUL).
pub(super) fn custom_text(
    type_name: &str,
    bytes: &[u8],
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    if bytes.contains(&0) {
        if let Some(fields) = parse_record(bytes) {
            return composite_literal(&fields, registry);
        }
        return Err(CodecError::bind(format!(
            "a value of type {type_name} contains a NUL byte and is not a binary record"
        )));
    }
    utf8(bytes, type_name)
}

/// One field of a binary record: its type OID and bytes (`None` = NULL).
type RecordField<'a> = (u32, Option<&'a [u8]>);

/// Binary record: i32 count, then per field u32 OID, i32 length (-1 NULL) and bytes; `None`
/// unless the bytes are exactly that.
fn parse_record(bytes: &[u8]) -> Option<Vec<RecordField<'_>>> {
    let mut r = Reader::new(bytes, "record");
    let count = usize::try_from(r.i32().ok()?).ok()?;
    if count > bytes.len() / 8 {
        return None;
    }
    let mut fields = Vec::with_capacity(count);
    for _ in 0..count {
        let oid = r.u32().ok()?;
        let len = r.i32().ok()?;
        let value = match usize::try_from(len) {
            Ok(len) => Some(r.take(len).ok()?),
            Err(_) if len == -1 => None,
            Err(_) => return None,
        };
        fields.push((oid, value));
    }
    r.finish().ok()?;
    Some(fields)
}

/// `("a",,"1")`: NULL fields are empty, the others quoted.
fn composite_literal(
    fields: &[RecordField<'_>],
    registry: &TypeRegistry,
) -> Result<String, CodecError> {
    let mut s = String::from("(");
    for (i, (oid, value)) in fields.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        if let Some(value) = value {
            let resolved = registry.resolve(*oid).ok_or_else(|| {
                CodecError::bind(format!("unsupported composite field type (OID {oid})"))
            })?;
            push_quoted(&mut s, &text_form(&resolved, value, registry)?);
        }
    }
    s.push(')');
    Ok(s)
}

#[cfg(test)]
mod tests;
