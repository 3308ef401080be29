//! PostgreSQL cells of [`DataApiRow`]: binary bytes plus the type OID `PgValue` borrows.

use std::num::NonZeroU32;

use aws_sdk_rdsdata::types::Field;
use diesel::pg::{Pg, PgValue};

use super::codec::{ColumnDecoder, RawValue};
use crate::codec::CodecError;
use crate::connection::cell_bytes::CellBytes;
use crate::row::{Cell, ColumnDecode, DataApiField, DataApiRow};

/// A row of a Data API result on PostgreSQL.
pub type PgRow = DataApiRow<PgCell>;
/// One value of a [`PgRow`].
pub type PgField<'a> = DataApiField<'a, PgCell>;

/// OID 0 never names a type; text is the safe reading of such a value.
const TEXT_OID: NonZeroU32 = match NonZeroU32::new(25) {
    Some(oid) => oid,
    None => unreachable!(),
};

/// A PostgreSQL value: binary bytes and a non-zero type OID.
#[derive(Debug, Clone)]
pub struct PgCell {
    bytes: CellBytes,
    oid: NonZeroU32,
}

impl Cell<Pg> for PgCell {
    fn raw(&self) -> PgValue<'_> {
        PgValue::new(self.bytes.as_slice(), &self.oid)
    }
}

impl ColumnDecode for ColumnDecoder {
    type Expected = u32;
    type Cell = PgCell;

    fn for_column(type_name: &str, expected: Option<u32>) -> Self {
        ColumnDecoder::new(type_name, expected)
    }

    fn decode_value(&self, value: Field) -> Result<Option<PgCell>, CodecError> {
        let (bytes, oid) = match self.decode_inline(&value) {
            Some(inline) => inline,
            None => match self.decode(value)? {
                Some(RawValue { bytes, oid }) => (bytes.into(), oid),
                None => return Ok(None),
            },
        };
        Ok(Some(PgCell {
            bytes,
            oid: NonZeroU32::new(oid).unwrap_or(TEXT_OID),
        }))
    }
}

/// Decodes every record of `output`; `expected` holds the OIDs diesel expects per column (sync
/// `load` knows them; they settle domains, whose `typeName` does not reveal the base type).
pub(crate) fn rows_from_output(
    output: aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput,
    expected: &[Option<u32>],
) -> diesel::QueryResult<Vec<PgRow>> {
    crate::row::rows_from_output::<ColumnDecoder>(output, expected, "text")
}
