//! MySQL cells of [`DataApiRow`]: the bytes and `MysqlType` tag `MysqlValue` reads.

use aws_sdk_rdsdata::types::Field;
use diesel::mysql::{Mysql, MysqlType, MysqlValue};

use super::codec::{ColumnDecoder, RawValue};
use crate::codec::CodecError;
use crate::connection::cell_bytes::CellBytes;
use crate::row::{Cell, ColumnDecode, DataApiField, DataApiRow};

/// A row of a Data API result on MySQL.
pub type MysqlRow = DataApiRow<MysqlCell>;
/// One value of a [`MysqlRow`].
pub type MysqlField<'a> = DataApiField<'a, MysqlCell>;

/// A MySQL value: bytes and the type tag diesel dispatches on.
#[derive(Debug, Clone)]
pub struct MysqlCell {
    bytes: CellBytes,
    ty: MysqlType,
}

impl Cell<Mysql> for MysqlCell {
    fn raw(&self) -> MysqlValue<'_> {
        MysqlValue::new(self.bytes.as_slice(), self.ty)
    }
}

impl ColumnDecode for ColumnDecoder {
    type Expected = MysqlType;
    type Cell = MysqlCell;

    fn for_column(type_name: &str, expected: Option<MysqlType>) -> Self {
        ColumnDecoder::new(type_name, expected)
    }

    fn decode_value(&self, value: Field) -> Result<Option<MysqlCell>, CodecError> {
        if let Some((bytes, ty)) = self.decode_inline(&value) {
            return Ok(Some(MysqlCell { bytes, ty }));
        }
        let raw = match self.decode_text(value) {
            Ok(text) => Some(text),
            Err(value) => self.decode(value)?,
        };
        Ok(raw.map(|RawValue { bytes, ty }| MysqlCell {
            bytes: bytes.into(),
            ty,
        }))
    }
}

/// Decodes every record of `output`; `expected` holds the types diesel expects per column
/// where known (sync `load`).
pub(crate) fn rows_from_output(
    output: aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput,
    expected: &[Option<MysqlType>],
) -> diesel::QueryResult<Vec<MysqlRow>> {
    crate::row::rows_from_output::<ColumnDecoder>(output, expected, "VARCHAR")
}
