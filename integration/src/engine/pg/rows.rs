//! Result rows: raw binary column values (decoded by `pg_types`).

use super::*;

pub(super) fn decode_row(
    row: &Row,
    columns: &[Column],
    decoders: &[ColumnDecoder],
    options: ResultOptions,
) -> Result<Vec<Field>, ApiError> {
    decoders
        .iter()
        .zip(columns)
        .enumerate()
        .map(|(i, (decoder, column))| {
            pg_types::decode_value(*decoder, raw(row, i), options, column.type_().name())
        })
        .collect()
}

/// The raw binary bytes of a value (`None` for NULL).
pub(super) fn raw(row: &Row, i: usize) -> Option<&[u8]> {
    row.try_get::<_, Raw>(i).ok().and_then(|r| r.0)
}

/// Accepts any column type and keeps the value's bytes, for our own decoders.
pub(super) struct Raw<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(Some(raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}
