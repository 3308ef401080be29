//! Data API parameters → MySQL values: typed binds, type-hint checks, and the statements
//! that must be sent as text with the values inlined.

use super::*;

/// Binds one parameter. Date/time hints are checked as the Data API does; TIME and
/// TIMESTAMP are sent typed, DATE as its text (a typed DATE would go out as DATETIME, which
/// changes the type of expressions like `:d + INTERVAL 1 DAY`; MySQL casts the string).
/// DECIMAL, UUID and JSON hints send the string, which MySQL converts on use.
pub(super) fn bind(p: &SqlParameter) -> Result<Bound, ApiError> {
    let text = |value| Bound {
        value,
        binary: false,
    };
    Ok(match &p.value {
        None | Some(Field::IsNull(_)) => text(Value::NULL),
        Some(Field::BooleanValue(b)) => text(Value::Int(i64::from(*b))),
        Some(Field::LongValue(n)) => text(Value::Int(*n)),
        Some(Field::DoubleValue(d)) => text(Value::Double(*d)),
        Some(Field::BlobValue(b)) => Bound {
            value: Value::Bytes(b.clone()),
            binary: true,
        },
        Some(Field::StringValue(s)) => {
            let hint = hint_of(p);
            if let Some(h) = hint.as_deref() {
                check_hint_format(h, s)?;
            }
            match hint.as_deref() {
                Some("TIME") => text(time_value(s)),
                Some("TIMESTAMP") => text(timestamp_value(s)),
                _ => text(Value::Bytes(s.as_bytes().to_vec())),
            }
        }
        // resolve_parameters refuses arrays before binding.
        Some(Field::ArrayValue(_)) => {
            return Err(ApiError::validation(
                crate::error::messages::ARRAY_PARAMETERS,
            ));
        }
    })
}

/// `HH:MM:SS[.f]` (format already checked) as a TIME value.
pub(super) fn time_value(s: &str) -> Value {
    let (hms, frac) = s.split_once('.').unwrap_or((s, ""));
    let n: Vec<u32> = hms.split(':').map(|x| x.parse().unwrap_or(0)).collect();
    let micros = mysql_types::parse_micros(frac).unwrap_or(0);
    Value::Time(
        false,
        n[0] / 24,
        (n[0] % 24) as u8,
        n[1] as u8,
        n[2] as u8,
        micros,
    )
}

/// `YYYY-MM-DD HH:MM:SS[.f]` (format already checked) as a DATETIME value.
pub(super) fn timestamp_value(s: &str) -> Value {
    let (date, time) = s.split_at(10);
    let d: Vec<u16> = date.split('-').map(|x| x.parse().unwrap_or(0)).collect();
    match time_value(time.trim_start()) {
        Value::Time(_, _, h, mi, sec, us) => {
            Value::Date(d[0], d[1] as u8, d[2] as u8, h, mi, sec, us)
        }
        other => other,
    }
}

/// The SQL with each placeholder replaced by its value as a literal that does not depend on
/// sql_mode (hex for strings, so no escaping rules apply).
pub(super) fn interpolate(sql: &str, bound: &[Bound]) -> String {
    let parsed = params::parse(sql, Dialect::Mysql);
    let mut out = String::with_capacity(sql.len());
    let mut last = 0;
    for ((range, _), b) in parsed.placeholders.iter().zip(bound) {
        out.push_str(&sql[last..range.start]);
        out.push_str(&literal(b));
        last = range.end;
    }
    out.push_str(&sql[last..]);
    out
}

/// The positional SQL with the placeholder of each blobValue parameter written
/// `CAST(? AS BINARY)`. mysql_async sends every byte string as a VAR_STRING in the
/// connection's character set, so a bare `?` would make `SELECT :blob` a utf8mb4 VARCHAR
/// (returned as a lossy stringValue) and compare it by collation. The Data API binds a
/// blobValue as binary data (JDBC `setBytes`: a `_binary'…'` literal or a BLOB-typed
/// parameter), so the expression is a binary string, as the text-protocol path's `X'…'`.
pub(super) fn cast_binary_placeholders(sql: &str, bound: &[Bound]) -> String {
    let parsed = params::parse(sql, Dialect::Mysql);
    let mut out = String::with_capacity(sql.len() + 16 * bound.len());
    let mut last = 0;
    for ((range, _), b) in parsed.placeholders.iter().zip(bound) {
        out.push_str(&sql[last..range.start]);
        out.push_str(if b.binary { "CAST(? AS BINARY)" } else { "?" });
        last = range.end;
    }
    out.push_str(&sql[last..]);
    out
}

pub(super) fn literal(b: &Bound) -> String {
    match &b.value {
        Value::NULL => "NULL".into(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => format!("{f:e}"),
        // Exponent notation makes MySQL read a DOUBLE, not a DECIMAL.
        Value::Double(d) => format!("{d:e}"),
        Value::Bytes(bytes) => {
            let hex: String = bytes.iter().map(|x| format!("{x:02X}")).collect();
            if b.binary {
                format!("X'{hex}'")
            } else {
                format!("_utf8mb4 X'{hex}'")
            }
        }
        Value::Date(y, mo, d, h, mi, s, us) => {
            format!("TIMESTAMP'{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{us:06}'")
        }
        Value::Time(neg, days, h, mi, s, us) => {
            let sign = if *neg { "-" } else { "" };
            format!(
                "TIME'{sign}{:02}:{mi:02}:{s:02}.{us:06}'",
                days * 24 + u32::from(*h)
            )
        }
    }
}

/// Whether mysql_async would find `:name` parameters in `sql` (a replica of mysql_common's
/// `ParsedNamedParams::parse`, which every `exec_*` call with SQL text runs).
pub(super) fn driver_sees_named_params(sql: &str) -> bool {
    #[derive(Clone, Copy)]
    enum S {
        Top,
        Str(u8, u8),
        MaybeParam,
        Sharp,
        Dash1,
        Dash2,
        DashComment,
        C1,
        C2,
        CComment,
        CExit,
        Ident,
    }
    let mut state = S::Top;
    for &c in sql.as_bytes() {
        let mut rematch = false;
        state = match state {
            S::Top => match c {
                b':' => S::MaybeParam,
                b'/' => S::C1,
                b'-' => S::Dash1,
                b'#' => S::Sharp,
                b'\'' | b'"' => S::Str(c, c),
                b'`' => S::Ident,
                _ => S::Top,
            },
            S::Str(q, prev) => {
                if c == q && prev != b'\\' {
                    S::Top
                } else {
                    S::Str(q, c)
                }
            }
            S::MaybeParam => {
                if c.is_ascii_lowercase() || c == b'_' {
                    return true;
                }
                rematch = true;
                S::Top
            }
            S::Sharp => {
                if c == b'\n' {
                    S::Top
                } else {
                    S::Sharp
                }
            }
            S::Dash1 => {
                if c == b'-' {
                    S::Dash2
                } else {
                    S::Top
                }
            }
            S::Dash2 => {
                if c.is_ascii_whitespace() && c != b'\n' {
                    S::DashComment
                } else {
                    S::Top
                }
            }
            S::DashComment => {
                if c == b'\n' {
                    S::Top
                } else {
                    S::DashComment
                }
            }
            S::C1 => {
                if c == b'*' {
                    S::C2
                } else {
                    S::Top
                }
            }
            S::C2 => {
                if c == b'!' || c == b'+' {
                    S::Top
                } else {
                    S::CComment
                }
            }
            S::CComment => {
                if c == b'*' {
                    S::CExit
                } else {
                    S::CComment
                }
            }
            S::CExit => {
                if c == b'/' {
                    S::Top
                } else {
                    S::CComment
                }
            }
            S::Ident => {
                if c == b'`' {
                    S::Top
                } else {
                    S::Ident
                }
            }
        };
        if rematch {
            state = match c {
                b':' => S::MaybeParam,
                b'\'' | b'"' => S::Str(c, c),
                _ => S::Top,
            };
        }
    }
    false
}
