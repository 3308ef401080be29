//! Entry points for the cargo-fuzz targets in `fuzz/` (see `fuzz/run.sh`). Not a stable API.
//!
//! The value codecs are crate-private; these wrappers expose them with plain inputs (OIDs,
//! type tags, bytes, type names, `Field`s) and plain outputs. Each one calls exactly what the
//! connections call (`encode_bind`, `ColumnDecoder::decode`) and only changes the shape of
//! the result: errors become their message, so nothing here can change behaviour.

use diesel::pg::PgTypeMetadata;

pub use aws_sdk_rdsdata::primitives::Blob;
pub use aws_sdk_rdsdata::types::{ArrayValue, Field};
pub use diesel::mysql::MysqlType;

use crate::pg::codec::{TypeRegistry, BUILTINS};

/// Every built-in PostgreSQL type the codec knows: `(oid, array_oid, typname)`.
pub fn pg_builtin_types() -> Vec<(u32, u32, &'static str)> {
    BUILTINS
        .iter()
        .map(|t| (t.oid, t.array_oid, t.name))
        .collect()
}

/// A PostgreSQL type registry (what a connection hands diesel's `collect_binds`), so custom
/// types (enums, composites, extension types) get OIDs the bind encoder resolves.
#[derive(Debug, Default)]
pub struct PgTypes(TypeRegistry);

impl PgTypes {
    /// An empty registry: only built-in OIDs resolve.
    pub fn new() -> Self {
        Self(TypeRegistry::new())
    }

    /// Looks a type up as diesel's `PgMetadataLookup::lookup_type` does: `(oid, array_oid)`,
    /// built-in OIDs for built-in names, synthetic ones otherwise.
    pub fn register(&self, name: &str, schema: Option<&str>) -> Option<(u32, u32)> {
        self.0.oids_for(name, schema)
    }

    /// PostgreSQL bind encoding: diesel's binary bind bytes (`None` = NULL) of type `oid` →
    /// the Data API `Field` and the SQL type of the `:pN::<cast>` after it.
    pub fn encode_bind(&self, oid: u32, bytes: Option<&[u8]>) -> Result<(Field, String), String> {
        crate::pg::codec::encode_bind(&PgTypeMetadata::new(oid, 0), bytes, &self.0)
            .map(|e| (e.value, e.cast.into_owned()))
            .map_err(|e| e.to_string())
    }
}

/// PostgreSQL result decoding: a Data API `Field` of a column whose `typeName` is `type_name`
/// (and whose OID diesel expects to be `expected_oid`, where known) → diesel's binary bytes
/// and the value's OID; `Ok(None)` for SQL NULL.
pub fn pg_decode(
    type_name: &str,
    expected_oid: Option<u32>,
    field: Field,
) -> Result<Option<(Vec<u8>, u32)>, String> {
    crate::pg::codec::ColumnDecoder::new(type_name, expected_oid)
        .decode(field)
        .map(|v| v.map(|v| (v.bytes, v.oid)))
        .map_err(|e| e.to_string())
}

/// What the MySQL bind encoder produced: the value, its `typeHint` and the placeholder cast.
#[derive(Debug, Clone, PartialEq)]
pub struct MysqlBind {
    /// The parameter's value.
    pub value: Field,
    /// The `typeHint` sent with it (`DECIMAL`, …), if any.
    pub type_hint: Option<String>,
    /// The type of the `CAST(:pN AS <wrap>)` around the placeholder, if any.
    pub wrap: Option<&'static str>,
}

/// MySQL bind encoding: diesel's bind bytes (`None` = NULL) tagged `ty` → the Data API value.
pub fn mysql_encode_bind(ty: MysqlType, bytes: Option<&[u8]>) -> Result<MysqlBind, String> {
    crate::mysql::codec::encode_bind(ty, bytes)
        .map(|e| MysqlBind {
            value: e.value,
            type_hint: e.type_hint.map(|h| h.as_str().to_string()),
            wrap: e.wrap,
        })
        .map_err(|e| e.to_string())
}

/// MySQL result decoding: a Data API `Field` of a column whose `typeName` is `type_name` (read
/// as `expected`, where diesel's row metadata says) → the bytes and tag for
/// `MysqlValue::new`; `Ok(None)` for SQL NULL.
pub fn mysql_decode(
    type_name: &str,
    expected: Option<MysqlType>,
    field: Field,
) -> Result<Option<(Vec<u8>, MysqlType)>, String> {
    crate::mysql::codec::ColumnDecoder::new(type_name, expected)
        .decode(field)
        .map(|v| v.map(|v| (v.bytes, v.ty)))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
