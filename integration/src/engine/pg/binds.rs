//! Data API parameters → typed PostgreSQL binds (text input form, or the hinted type).

use super::*;

/// A pre-encoded parameter value. Text values go in PostgreSQL's text format, so the server's
/// own input function parses them (dates, numerics, uuids, json…); bytes go in binary.
#[derive(Debug)]
pub(super) enum RawParam {
    Null,
    Text(String),
    Binary(Vec<u8>),
}

impl ToSql for RawParam {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            RawParam::Null => return Ok(IsNull::Yes),
            RawParam::Text(s) => out.extend_from_slice(s.as_bytes()),
            RawParam::Binary(b) => out.extend_from_slice(b),
        }
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, _: &Type) -> Format {
        match self {
            RawParam::Binary(_) => Format::Binary,
            _ => Format::Text,
        }
    }

    to_sql_checked!();
}

/// Parameter type oid 0: "unspecified", the server infers it from the context, as pgjdbc's
/// `setNull(i, Types.NULL)` does. Used for NULLs without a typeHint so that
/// `int_col = :p` and `INSERT … VALUES (:p)` work with a NULL.
pub(super) fn unspecified() -> Type {
    Type::new("unspecified".into(), 0, Kind::Pseudo, "pg_catalog".into())
}

pub(super) fn hint_type(hint: &str) -> Option<Type> {
    Some(match hint {
        "DATE" => Type::DATE,
        "TIME" => Type::TIME,
        "TIMESTAMP" => Type::TIMESTAMP,
        "DECIMAL" => Type::NUMERIC,
        "UUID" => Type::UUID,
        // jsonb, as on Aurora PostgreSQL ("Cannot cast jsonb to int8range").
        "JSON" => Type::JSONB,
        _ => return None,
    })
}

/// The declared type and encoded value of one parameter: stringValue is text (or the hinted
/// type), longValue int8, doubleValue float8, booleanValue bool, blobValue bytea.
pub(super) fn bind(p: &SqlParameter) -> Result<(Type, RawParam), ApiError> {
    let hint = hint_of(p);
    let hinted = hint.as_deref().and_then(hint_type);
    Ok(match &p.value {
        None | Some(Field::IsNull(_)) => (hinted.unwrap_or_else(unspecified), RawParam::Null),
        Some(Field::StringValue(s)) => {
            if let Some(h) = &hint {
                check_hint_format(h, s)?;
            }
            (hinted.unwrap_or(Type::TEXT), RawParam::Text(s.clone()))
        }
        Some(Field::LongValue(n)) => (Type::INT8, RawParam::Text(n.to_string())),
        // `{}` is the shortest text that round-trips; PostgreSQL reads "NaN" and "inf" too.
        Some(Field::DoubleValue(f)) => (Type::FLOAT8, RawParam::Text(f.to_string())),
        Some(Field::BooleanValue(b)) => (
            Type::BOOL,
            RawParam::Text(if *b { "t" } else { "f" }.into()),
        ),
        Some(Field::BlobValue(b)) => (Type::BYTEA, RawParam::Binary(b.clone())),
        Some(Field::ArrayValue(_)) => {
            return Err(ApiError::validation(
                crate::error::messages::ARRAY_PARAMETERS,
            ))
        }
    })
}
