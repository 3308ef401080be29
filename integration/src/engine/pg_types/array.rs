//! One-dimensional arrays: the binary header and the `arrayValue` of their elements.

use super::*;

/// A 1-D array's elements, or the marker of a multi-dimensional one.
#[derive(Debug, PartialEq, Eq)]
pub enum ParsedArray<'a> {
    Elements(Vec<Option<&'a [u8]>>),
    MultiDimensional,
}

/// Parses the binary array form (ndim, has-null flag, element oid, per dimension length and
/// lower bound, then length-prefixed elements, -1 for NULL).
pub fn parse_array(raw: &[u8]) -> Result<ParsedArray<'_>, DecodeError> {
    let int = |at: usize| -> Result<i32, DecodeError> {
        be_i32(raw.get(at..at + 4).ok_or("short array")?)
    };
    let ndim = int(0)?;
    if ndim == 0 {
        return Ok(ParsedArray::Elements(Vec::new()));
    }
    if ndim > 1 {
        return Ok(ParsedArray::MultiDimensional);
    }
    let count = usize::try_from(int(12)?).map_err(|_| "array length")?;
    let mut at = 20;
    let mut elements = Vec::with_capacity(count.min(raw.len() / 4));
    for _ in 0..count {
        let len = int(at)?;
        at += 4;
        if len < 0 {
            elements.push(None);
        } else {
            let end = at + len as usize;
            elements.push(Some(raw.get(at..end).ok_or("short array element")?));
            at = end;
        }
    }
    Ok(ParsedArray::Elements(elements))
}

/// Builds the `arrayValue` member chosen by the element type (even for an empty array).
pub(super) fn array_value(
    d: Decoder,
    elements: &[Option<&[u8]>],
) -> Result<ArrayValue, ValueError> {
    fn each<T>(
        elements: &[Option<&[u8]>],
        f: impl Fn(&[u8]) -> Result<T, DecodeError>,
    ) -> Result<Vec<Option<T>>, DecodeError> {
        elements.iter().map(|e| e.map(&f).transpose()).collect()
    }
    Ok(match d {
        Decoder::Int2 | Decoder::Int4 | Decoder::Int8 | Decoder::Oid => {
            ArrayValue::LongValues(each(elements, |raw| int_value(d, raw))?)
        }
        Decoder::Bool => ArrayValue::BooleanValues(each(elements, bool_value)?),
        Decoder::Float4 | Decoder::Float8 => {
            let values = each(elements, |raw| float_value(d, raw))?;
            // JSON cannot carry NaN / infinities: fall back to strings for the whole array.
            if values.iter().flatten().all(|f| f.is_finite()) {
                ArrayValue::DoubleValues(values)
            } else {
                ArrayValue::StringValues(each(elements, |raw| {
                    let f = float_value(d, raw)?;
                    Ok(match double_field(f) {
                        Field::StringValue(s) => s,
                        _ => f.to_string(),
                    })
                })?)
            }
        }
        _ => ArrayValue::StringValues(each(elements, |raw| text_value(d, raw))?),
    })
}
