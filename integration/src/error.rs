//! Data API error codes, their HTTP statuses and the response shape
//! (`X-Amzn-ErrorType` header plus `{"__type", "message"}` body).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Every error code the local server can answer with (the service's others — e.g.
/// DatabaseUnavailableException, AccessDeniedException — have no local cause).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    DatabaseError,
    BadRequest,
    Validation,
    DatabaseResuming,
    StatementTimeout,
    TransactionNotFound,
    NotFound,
    UnsupportedResult,
    InternalServerError,
    ServiceUnavailable,
    /// Generic AWS front-door errors for SigV4 failures.
    InvalidSignature,
    UnrecognizedClient,
    MissingAuthenticationToken,
}

impl ErrorCode {
    /// The wire name (`__type` and `X-Amzn-ErrorType`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::DatabaseError => "DatabaseErrorException",
            ErrorCode::BadRequest => "BadRequestException",
            ErrorCode::Validation => "ValidationException",
            ErrorCode::DatabaseResuming => "DatabaseResumingException",
            ErrorCode::StatementTimeout => "StatementTimeoutException",
            ErrorCode::TransactionNotFound => "TransactionNotFoundException",
            ErrorCode::NotFound => "NotFoundException",
            ErrorCode::UnsupportedResult => "UnsupportedResultException",
            ErrorCode::InternalServerError => "InternalServerErrorException",
            ErrorCode::ServiceUnavailable => "ServiceUnavailableError",
            ErrorCode::InvalidSignature => "InvalidSignatureException",
            ErrorCode::UnrecognizedClient => "UnrecognizedClientException",
            ErrorCode::MissingAuthenticationToken => "MissingAuthenticationTokenException",
        }
    }

    /// The HTTP status the Data API uses for this code.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::TransactionNotFound | ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::InvalidSignature
            | ErrorCode::UnrecognizedClient
            | ErrorCode::MissingAuthenticationToken => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// An error answer of the Data API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// Set on StatementTimeoutException.
    pub db_connection_id: Option<i64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            db_connection_id: None,
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }
    pub fn database(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::DatabaseError, message)
    }
    pub fn transaction_not_found(id: &str) -> Self {
        Self::new(
            ErrorCode::TransactionNotFound,
            messages::transaction_not_found(id),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "__type": self.code.name(), "message": self.message });
        if let Some(id) = self.db_connection_id {
            body["dbConnectionId"] = id.into();
        }
        let mut response = (self.code.status(), axum::Json(body)).into_response();
        response.headers_mut().insert(
            "x-amzn-errortype",
            HeaderValue::from_static(self.code.name()),
        );
        response
    }
}

/// Message texts, in one place so a correction from a real cluster is a one-line change.
/// Texts not quoted in the reference are marked *unverified*.
pub mod messages {
    pub const MULTISTATEMENTS: &str = "Multistatements aren't supported.";
    pub const SCHEMA_UNSUPPORTED: &str = "The schema parameter isn't supported";
    pub const ARRAY_PARAMETERS: &str = "Array parameters are not supported";
    pub const STILL_RUNNING: &str = "Transaction is still running a query";
    pub const RESPONSE_TOO_LARGE: &str =
        "Database returned more than the allowed response size limit";
    pub const CANNOT_PARSE_DATE: &str = "Cannot parse date or time";
    /// *unverified*
    pub const EXECUTE_SQL_UNSUPPORTED: &str =
        "ExecuteSql isn't supported for this DB cluster. Use ExecuteStatement or BatchExecuteStatement.";
    pub const STATEMENT_TIMEOUT: &str = "The statement has timed out";
    /// *unverified*
    pub const REQUEST_TOO_LARGE: &str = "Request size exceeds the maximum of 4 MiB";
    /// *unverified*
    pub const SQL_TOO_LONG: &str = "SQL statement length exceeds the maximum of 65536 characters";

    pub fn transaction_not_found(id: &str) -> String {
        format!("Transaction {id} is not found")
    }
    pub fn resuming(cluster_arn: &str) -> String {
        format!(
            "The Aurora DB instance {cluster_arn} is resuming after being auto-paused. Please wait a few seconds and try again."
        )
    }
    /// *unverified*
    pub fn missing_parameter(name: &str) -> String {
        format!("No value specified for parameter: {name}")
    }
    /// *unverified*
    pub fn unknown_cluster(arn: &str) -> String {
        format!("Unable to find resource {arn}: the HTTP endpoint is not enabled for it or it does not exist")
    }
    pub fn unsupported_type(type_name: &str) -> String {
        format!("The result contains the unsupported data type {type_name}.")
    }
}
