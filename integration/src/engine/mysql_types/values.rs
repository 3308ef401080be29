//! Result values → Data API `Field`s, per value class, with the result-set options.

use super::*;

/// Converts one value of a result column. Values come from the binary protocol (typed) or,
/// for statements MySQL cannot prepare, from the text protocol (always `Bytes`); both give
/// the same `Field`.
pub fn to_field(
    col: &ColumnInfo,
    class: ValueClass,
    value: Value,
    options: ResultOptions,
) -> Field {
    if value == Value::NULL {
        return Field::IsNull(true);
    }
    match class {
        ValueClass::Null => Field::IsNull(true),
        ValueClass::Bool => match integer_of(&value) {
            Some(n) => Field::BooleanValue(n != 0),
            None => fallback(col, value),
        },
        ValueClass::Bit => match value {
            Value::Bytes(b) => Field::BooleanValue(b.iter().any(|&x| x != 0)),
            other => match integer_of(&other) {
                Some(n) => Field::BooleanValue(n != 0),
                None => fallback(col, other),
            },
        },
        ValueClass::Integer => match integer_of(&value) {
            Some(n) => long_field(n, options),
            None => fallback(col, value),
        },
        ValueClass::Year => match integer_of(&value) {
            Some(n) => Field::StringValue(format!("{n:04}")),
            None => fallback(col, value),
        },
        ValueClass::Float => match value {
            // FLOAT through its shortest decimal form, as the text protocol (and so
            // Connector/J's default client-side statements) gives it: 1.1, not 1.100000023841858.
            Value::Float(f) => Field::DoubleValue(f.to_string().parse().unwrap_or(f64::from(f))),
            Value::Double(d) => Field::DoubleValue(d),
            Value::Bytes(ref b) => match std::str::from_utf8(b).ok().and_then(|s| s.parse().ok()) {
                Some(d) => Field::DoubleValue(d),
                None => fallback(col, value),
            },
            other => fallback(col, other),
        },
        ValueClass::Decimal => match value {
            Value::Bytes(b) => decimal_field(
                String::from_utf8_lossy(&b).into_owned(),
                col.decimals,
                options,
            ),
            other => fallback(col, other),
        },
        ValueClass::Text => match value {
            Value::Bytes(b) => Field::StringValue(bytes_to_string(b)),
            other => fallback(col, other),
        },
        ValueClass::Binary => match value {
            Value::Bytes(b) => Field::BlobValue(b),
            other => fallback(col, other),
        },
        ValueClass::Date => match temporal_of(&value) {
            Some(Temporal::Date(y, m, d, ..)) => {
                Field::StringValue(format!("{y:04}-{m:02}-{d:02}"))
            }
            _ => fallback(col, value),
        },
        ValueClass::Time => match temporal_of(&value) {
            Some(Temporal::Time(neg, hours, m, s, us)) => {
                Field::StringValue(format_time(neg, hours, m, s, us))
            }
            _ => fallback(col, value),
        },
        ValueClass::DateTime => match temporal_of(&value) {
            Some(Temporal::Date(y, mo, d, h, mi, s, us)) => Field::StringValue(format!(
                "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}{}",
                fraction(us)
            )),
            _ => fallback(col, value),
        },
    }
}

/// Fractional seconds of TIME/DATETIME/TIMESTAMP results: none when zero, otherwise six
/// digits with trailing zeros stripped (`.12`), as the Data API does for PostgreSQL
/// timestamps. *unverified* for MySQL (it might pad to the column's precision instead).
pub fn fraction(micros: u32) -> String {
    if micros == 0 {
        return String::new();
    }
    let digits = format!("{micros:06}");
    format!(".{}", digits.trim_end_matches('0'))
}

pub(super) fn format_time(
    negative: bool,
    hours: u32,
    minutes: u8,
    seconds: u8,
    micros: u32,
) -> String {
    let sign = if negative { "-" } else { "" };
    format!(
        "{sign}{hours:02}:{minutes:02}:{seconds:02}{}",
        fraction(micros)
    )
}

/// An integer result as longValue (or stringValue with longReturnType=STRING).
///
/// BIGINT UNSIGNED above i64::MAX cannot be a longValue: we return it as stringValue
/// (*unverified*: the reference leaves this case open).
pub(super) fn long_field(n: i128, options: ResultOptions) -> Field {
    match i64::try_from(n) {
        Ok(v) if !options.long_as_string => Field::LongValue(v),
        _ => Field::StringValue(n.to_string()),
    }
}

/// DECIMAL keeps its exact text (scale kept, `"0.10"`); with decimalReturnType=DOUBLE_OR_LONG
/// it becomes longValue when the column has no fraction and the value fits, else doubleValue.
pub(super) fn decimal_field(text: String, decimals: u8, options: ResultOptions) -> Field {
    if options.decimal_as_number {
        if decimals == 0 {
            if let Ok(v) = text.parse::<i64>() {
                return Field::LongValue(v);
            }
        }
        if let Ok(d) = text.parse::<f64>() {
            return Field::DoubleValue(d);
        }
    }
    Field::StringValue(text)
}

pub(super) fn bytes_to_string(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Any integer representation (binary Int/UInt, or text digits) widened to i128.
pub(super) fn integer_of(value: &Value) -> Option<i128> {
    match value {
        Value::Int(i) => Some(i128::from(*i)),
        Value::UInt(u) => Some(i128::from(*u)),
        Value::Bytes(b) => std::str::from_utf8(b).ok()?.trim().parse().ok(),
        _ => None,
    }
}

/// A value that did not have the representation its column type implies: keep it rather
/// than fail the call.
pub(super) fn fallback(col: &ColumnInfo, value: Value) -> Field {
    match value {
        Value::NULL => Field::IsNull(true),
        Value::Bytes(b)
            if col.binary_charset() && col.column_type != ColumnType::MYSQL_TYPE_JSON =>
        {
            Field::BlobValue(b)
        }
        Value::Bytes(b) => Field::StringValue(bytes_to_string(b)),
        Value::Int(i) => Field::LongValue(i),
        Value::UInt(u) => {
            i64::try_from(u).map_or_else(|_| Field::StringValue(u.to_string()), Field::LongValue)
        }
        Value::Float(f) => Field::DoubleValue(f64::from(f)),
        Value::Double(d) => Field::DoubleValue(d),
        Value::Date(y, mo, d, h, mi, s, us) => Field::StringValue(format!(
            "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}{}",
            fraction(us)
        )),
        Value::Time(neg, days, h, mi, s, us) => {
            Field::StringValue(format_time(neg, days * 24 + u32::from(h), mi, s, us))
        }
    }
}
