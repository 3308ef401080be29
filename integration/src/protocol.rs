//! Wire types of the RDS Data API (restJson1, API version 2018-08-01).
//!
//! Unions (`Field`, `ArrayValue`) are externally tagged enums: serde then accepts exactly one
//! member and writes exactly one, as the service model requires.

use serde::{Deserialize, Serialize};

/// A single value: the `Field` union.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    /// SQL NULL (`{"isNull": true}`).
    IsNull(bool),
    /// A boolean.
    BooleanValue(bool),
    /// A 64-bit signed integer.
    LongValue(i64),
    /// A double.
    DoubleValue(f64),
    /// A string.
    StringValue(String),
    /// Bytes, base64 on the wire.
    BlobValue(#[serde(with = "base64_bytes")] Vec<u8>),
    /// An array (results only; rejected as a parameter).
    ArrayValue(ArrayValue),
}

/// The `ArrayValue` union. Element lists may hold `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ArrayValue {
    /// Booleans.
    BooleanValues(Vec<Option<bool>>),
    /// Longs.
    LongValues(Vec<Option<i64>>),
    /// Doubles.
    DoubleValues(Vec<Option<f64>>),
    /// Strings.
    StringValues(Vec<Option<String>>),
    /// Nested arrays.
    ArrayValues(Vec<ArrayValue>),
}

/// A named parameter of a statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SqlParameter {
    /// Name without the colon.
    #[serde(default)]
    pub name: Option<String>,
    /// The value.
    #[serde(default)]
    pub value: Option<Field>,
    /// `DATE`, `TIME`, `TIMESTAMP`, `DECIMAL`, `UUID` or `JSON`.
    #[serde(default)]
    pub type_hint: Option<String>,
}

/// `resultSetOptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultSetOptions {
    /// `STRING` (default) or `DOUBLE_OR_LONG`.
    #[serde(default)]
    pub decimal_return_type: Option<String>,
    /// `LONG` (default) or `STRING`.
    #[serde(default)]
    pub long_return_type: Option<String>,
}

/// Body of `POST /Execute`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecuteStatementRequest {
    pub resource_arn: Option<String>,
    pub secret_arn: Option<String>,
    pub sql: Option<String>,
    pub database: Option<String>,
    pub schema: Option<String>,
    #[serde(default)]
    pub parameters: Vec<SqlParameter>,
    pub transaction_id: Option<String>,
    #[serde(default)]
    pub include_result_metadata: bool,
    #[serde(default)]
    pub continue_after_timeout: bool,
    pub result_set_options: Option<ResultSetOptions>,
    pub format_records_as: Option<String>,
}

/// Body of `POST /BatchExecute`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchExecuteStatementRequest {
    pub resource_arn: Option<String>,
    pub secret_arn: Option<String>,
    pub sql: Option<String>,
    pub database: Option<String>,
    pub schema: Option<String>,
    #[serde(default)]
    pub parameter_sets: Vec<Vec<SqlParameter>>,
    pub transaction_id: Option<String>,
}

/// Body of `POST /BeginTransaction`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BeginTransactionRequest {
    pub resource_arn: Option<String>,
    pub secret_arn: Option<String>,
    pub database: Option<String>,
    pub schema: Option<String>,
}

/// Body of `POST /CommitTransaction` and `POST /RollbackTransaction`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndTransactionRequest {
    pub resource_arn: Option<String>,
    pub secret_arn: Option<String>,
    pub transaction_id: Option<String>,
}

/// `ColumnMetadata`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnMetadata {
    pub name: String,
    pub label: String,
    /// java.sql.Types code.
    #[serde(rename = "type")]
    pub type_code: i32,
    pub type_name: String,
    pub schema_name: String,
    pub table_name: String,
    pub is_auto_increment: bool,
    pub is_signed: bool,
    pub is_currency: bool,
    pub is_case_sensitive: bool,
    /// 0 no nulls, 1 nullable, 2 unknown.
    pub nullable: i32,
    pub precision: i32,
    pub scale: i32,
    pub array_base_column_type: i32,
}

/// Response of `POST /Execute`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecuteStatementResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<Vec<Vec<Field>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column_metadata: Option<Vec<ColumnMetadata>>,
    pub number_of_records_updated: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_fields: Option<Vec<Field>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formatted_records: Option<String>,
}

/// One entry of `updateResults`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateResult {
    pub generated_fields: Vec<Field>,
}

/// Response of `POST /BatchExecute`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchExecuteStatementResponse {
    pub update_results: Vec<UpdateResult>,
}

/// Response of `POST /BeginTransaction`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BeginTransactionResponse {
    pub transaction_id: String,
}

/// Response of `POST /CommitTransaction` / `POST /RollbackTransaction`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EndTransactionResponse {
    pub transaction_status: String,
}

mod base64_bytes {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map_err(|e| serde::de::Error::custom(format!("blobValue is not valid base64: {e}")))
    }
}
