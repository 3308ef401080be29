//! Booleans, integers, floats and numeric from PostgreSQL's binary format.

use super::*;

pub(super) fn fixed<const N: usize>(raw: &[u8]) -> Result<[u8; N], DecodeError> {
    raw.try_into().map_err(|_| "unexpected length")
}

pub(super) fn be_i32(raw: &[u8]) -> Result<i32, DecodeError> {
    Ok(i32::from_be_bytes(fixed(raw)?))
}

pub(super) fn be_i64(raw: &[u8]) -> Result<i64, DecodeError> {
    Ok(i64::from_be_bytes(fixed(raw)?))
}

pub(super) fn bool_value(raw: &[u8]) -> Result<bool, DecodeError> {
    Ok(fixed::<1>(raw)?[0] != 0)
}

pub(super) fn int_value(d: Decoder, raw: &[u8]) -> Result<i64, DecodeError> {
    Ok(match d {
        Decoder::Int2 => i16::from_be_bytes(fixed(raw)?).into(),
        Decoder::Int4 => be_i32(raw)?.into(),
        Decoder::Oid => u32::from_be_bytes(fixed(raw)?).into(),
        _ => be_i64(raw)?,
    })
}

pub(super) fn float_value(d: Decoder, raw: &[u8]) -> Result<f64, DecodeError> {
    Ok(match d {
        // Via the shortest decimal text of the f32, so 1.1::float4 gives 1.1, not 1.100000023841858.
        Decoder::Float4 => {
            let f = f32::from_be_bytes(fixed(raw)?);
            if f.is_finite() {
                f.to_string().parse().map_err(|_| "float4")?
            } else {
                f.into()
            }
        }
        _ => f64::from_be_bytes(fixed(raw)?),
    })
}

/// A decoded `numeric` (binary form: ndigits, weight, sign, dscale, base-10000 digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numeric {
    pub sign: u16,
    pub weight: i16,
    pub dscale: u16,
    pub digits: Vec<i16>,
}

pub(super) const NUMERIC_NEG: u16 = 0x4000;
pub(super) const NUMERIC_NAN: u16 = 0xC000;
pub(super) const NUMERIC_PINF: u16 = 0xD000;
pub(super) const NUMERIC_NINF: u16 = 0xF000;

/// Parses the binary `numeric` form.
pub fn numeric_value(raw: &[u8]) -> Result<Numeric, DecodeError> {
    let word = |i: usize| -> Result<[u8; 2], DecodeError> {
        raw.get(i * 2..i * 2 + 2)
            .ok_or("short numeric")?
            .try_into()
            .map_err(|_| "short numeric")
    };
    let ndigits = u16::from_be_bytes(word(0)?) as usize;
    if raw.len() != 8 + 2 * ndigits {
        return Err("numeric length");
    }
    Ok(Numeric {
        weight: i16::from_be_bytes(word(1)?),
        sign: u16::from_be_bytes(word(2)?),
        dscale: u16::from_be_bytes(word(3)?),
        digits: (0..ndigits)
            .map(|i| word(4 + i).map(i16::from_be_bytes))
            .collect::<Result<_, _>>()?,
    })
}

/// PostgreSQL's `numeric_out`: exact, with the display scale kept (`12.340`).
impl std::fmt::Display for Numeric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.sign {
            NUMERIC_NAN => return f.write_str("NaN"),
            NUMERIC_PINF => return f.write_str("Infinity"),
            NUMERIC_NINF => return f.write_str("-Infinity"),
            _ => {}
        }
        let digit = |i: i32| -> i16 {
            usize::try_from(i)
                .ok()
                .and_then(|i| self.digits.get(i))
                .copied()
                .unwrap_or(0)
        };
        let mut s = String::new();
        if self.sign == NUMERIC_NEG {
            s.push('-');
        }
        let weight = i32::from(self.weight);
        if weight < 0 {
            s.push('0');
        } else {
            for i in 0..=weight {
                let _ = if i == 0 {
                    write!(s, "{}", digit(i))
                } else {
                    write!(s, "{:04}", digit(i))
                };
            }
        }
        if self.dscale > 0 {
            s.push('.');
            let start = s.len();
            let mut i = weight + 1;
            while s.len() - start < usize::from(self.dscale) {
                let _ = write!(s, "{:04}", digit(i));
                i += 1;
            }
            s.truncate(start + usize::from(self.dscale));
        }
        f.write_str(&s)
    }
}
