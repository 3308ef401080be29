//! Rows of a Data API result as diesel `Row`s, for both backends: each value holds the bytes
//! diesel's `FromSql` expects plus its type tag; columns are found by index or by label
//! (`sql_query` + `QueryableByName`). The backends differ only in their cell type.

use std::sync::Arc;

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use aws_sdk_rdsdata::types::Field as DataApiValue;
use diesel::backend::Backend;
use diesel::row::{Field, PartialRow, Row, RowIndex, RowSealed};

use crate::codec::CodecError;
use crate::session::column_label;

/// A decoded value that can be handed to diesel as `DB`'s raw value.
pub trait Cell<DB: Backend> {
    /// The value as diesel's `FromSql` reads it.
    fn raw(&self) -> DB::RawValue<'_>;
}

/// Decodes one result column's values (resolved once from its `typeName`).
pub(crate) trait ColumnDecode: Sized {
    /// What diesel's row metadata says it expects for the column.
    type Expected: Copy;
    /// The decoded value.
    type Cell;
    /// The decoder of a column of `type_name`.
    fn for_column(type_name: &str, expected: Option<Self::Expected>) -> Self;
    /// One value; `None` for NULL.
    fn decode_value(&self, value: DataApiValue) -> Result<Option<Self::Cell>, CodecError>;
}

/// One row of a Data API result.
#[derive(Debug, Clone)]
pub struct DataApiRow<C> {
    names: Arc<[String]>,
    cells: Vec<Option<C>>,
}

/// Decodes every record of `output` using its `columnMetadata`; `expected` holds what diesel
/// expects per column where known (sync `load`), `default_type` stands in for a missing
/// `typeName`.
pub(crate) fn rows_from_output<D: ColumnDecode>(
    output: ExecuteStatementOutput,
    expected: &[Option<D::Expected>],
    default_type: &str,
) -> diesel::QueryResult<Vec<DataApiRow<D::Cell>>> {
    let records = output.records.unwrap_or_default();
    let metadata = output.column_metadata.unwrap_or_default();
    let names: Arc<[String]> = metadata.iter().map(column_label).collect();
    let decoders: Vec<D> = metadata
        .iter()
        .enumerate()
        .map(|(i, c)| {
            D::for_column(
                c.type_name.as_deref().unwrap_or(default_type),
                expected.get(i).copied().flatten(),
            )
        })
        .collect();
    records
        .into_iter()
        .map(|record| {
            if record.len() != decoders.len() {
                return Err(diesel::result::Error::DeserializationError(
                    format!(
                        "a record has {} values for {} columns",
                        record.len(),
                        decoders.len()
                    )
                    .into(),
                ));
            }
            let cells = record
                .into_iter()
                .zip(&decoders)
                .map(|(value, decoder)| {
                    decoder
                        .decode_value(value)
                        .map_err(diesel::result::Error::from)
                })
                .collect::<diesel::QueryResult<Vec<_>>>()?;
            Ok(DataApiRow {
                names: names.clone(),
                cells,
            })
        })
        .collect()
}

impl<C> RowSealed for DataApiRow<C> {}

impl<'a, DB: Backend, C: Cell<DB>> Row<'a, DB> for DataApiRow<C> {
    type Field<'f>
        = DataApiField<'f, C>
    where
        'a: 'f,
        Self: 'f;
    type InnerPartialRow = Self;

    fn field_count(&self) -> usize {
        self.cells.len()
    }

    fn get<'b, I>(&'b self, idx: I) -> Option<Self::Field<'b>>
    where
        'a: 'b,
        Self: RowIndex<I>,
    {
        let idx = self.idx(idx)?;
        Some(DataApiField {
            name: &self.names[idx],
            cell: self.cells[idx].as_ref(),
        })
    }

    fn partial_row(&self, range: std::ops::Range<usize>) -> PartialRow<'_, Self::InnerPartialRow> {
        PartialRow::new(self, range)
    }
}

impl<C> RowIndex<usize> for DataApiRow<C> {
    fn idx(&self, idx: usize) -> Option<usize> {
        (idx < self.cells.len()).then_some(idx)
    }
}

impl<'a, C> RowIndex<&'a str> for DataApiRow<C> {
    fn idx(&self, name: &'a str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// One value of a [`DataApiRow`].
#[derive(Debug)]
pub struct DataApiField<'a, C> {
    name: &'a str,
    cell: Option<&'a C>,
}

impl<'a, DB: Backend, C: Cell<DB>> Field<'a, DB> for DataApiField<'a, C> {
    fn field_name(&self) -> Option<&str> {
        Some(self.name)
    }

    fn value(&self) -> Option<DB::RawValue<'_>> {
        self.cell.map(Cell::raw)
    }
}
