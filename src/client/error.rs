//! [`DataApiError`]: a failed Data API call, classified by its service error code.

use std::error::Error as StdError;
use std::fmt;

use aws_sdk_rdsdata::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_rdsdata::operation::RequestId;

/// What kind of failure a [`DataApiError`] is; `#[non_exhaustive]` as the service may add
/// codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DataApiErrorKind {
    /// `DatabaseErrorException`: the database rejected the SQL (the message carries the
    /// database's text and SQLState), or "Transaction is still running a query".
    DatabaseError,
    /// `TransactionNotFoundException`: unknown, expired, ended or aborted transaction.
    TransactionNotFound,
    /// `NotFoundException`: unknown resource, or unknown transaction on commit / rollback.
    NotFound,
    /// `StatementTimeoutException`: the statement ran over the call timeout (it may still
    /// be running).
    StatementTimeout,
    /// `DatabaseResumingException`: an auto-paused Serverless v2 instance is resuming; retry
    /// after a few seconds.
    DatabaseResuming,
    /// `BadRequestException`: malformed request, bad secret.
    BadRequest,
    /// `ValidationException`: e.g. multi-statement SQL, array parameters.
    Validation,
    /// `UnsupportedResultException`: the result has a type the Data API cannot return.
    UnsupportedResult,
    /// `ServiceUnavailableError` (503).
    ServiceUnavailable,
    /// `InternalServerErrorException` (500).
    InternalServerError,
    /// `DatabaseUnavailableException` (504): writer unavailable (failover, scaling).
    DatabaseUnavailable,
    /// `AccessDeniedException`: IAM denies the call.
    AccessDenied,
    /// `ForbiddenException`.
    Forbidden,
    /// Any other service error code (see [`DataApiError::code`]).
    Other,
    /// Refused before sending: the request would exceed the Data API's 4 MiB limit
    /// (see [`limits`](super::limits)).
    RequestTooLarge,
    /// A result this crate cannot fetch within the Data API's response limit (a single row
    /// over 1 MiB); raised on this side with what to do instead.
    ResponseTooLarge,
    /// No service response: the request could not be built or sent (connection refused,
    /// missing credentials or region), timed out, or the response could not be read. The code
    /// is `ConstructionFailure`, `DispatchFailure`, `TimeoutError` or `ResponseError`.
    Transport,
}

impl DataApiErrorKind {
    /// The kind of an error code as [`DataApiError::code`] gives it: a service error code, or
    /// one this crate uses for failures on its side; `None` for anything else.
    pub(crate) fn from_any_code(code: &str) -> Option<Self> {
        Some(match code {
            "RequestTooLarge" => Self::RequestTooLarge,
            "ResponseTooLarge" => Self::ResponseTooLarge,
            "ConstructionFailure" | "DispatchFailure" | "TimeoutError" | "ResponseError" => {
                Self::Transport
            }
            other => match Self::from_code(other) {
                Self::Other => return None,
                kind => kind,
            },
        })
    }

    /// The kind of a service error code.
    fn from_code(code: &str) -> Self {
        match code {
            "DatabaseErrorException" => Self::DatabaseError,
            "TransactionNotFoundException" => Self::TransactionNotFound,
            "NotFoundException" => Self::NotFound,
            "StatementTimeoutException" => Self::StatementTimeout,
            "DatabaseResumingException" => Self::DatabaseResuming,
            "BadRequestException" => Self::BadRequest,
            "ValidationException" => Self::Validation,
            "UnsupportedResultException" => Self::UnsupportedResult,
            "ServiceUnavailableError" => Self::ServiceUnavailable,
            "InternalServerErrorException" => Self::InternalServerError,
            "DatabaseUnavailableException" => Self::DatabaseUnavailable,
            "AccessDeniedException" => Self::AccessDenied,
            "ForbiddenException" => Self::Forbidden,
            _ => Self::Other,
        }
    }
}

/// A failed Data API call: its [`kind`](Self::kind), the service's error code and message.
///
/// `Display` is `CODE: message`, followed by `; note` when the client added a
/// [`note`](Self::note) (e.g. that the retry budget ran out, and how to raise it). The SDK
/// error is kept as [`source`](StdError::source).
pub struct DataApiError {
    kind: DataApiErrorKind,
    code: String,
    message: String,
    note: Option<String>,
    request_id: Option<String>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl DataApiError {
    /// An error raised on this side (before a request was sent, or about an odd answer).
    pub(crate) fn client_side(kind: DataApiErrorKind, code: &str, message: String) -> Self {
        DataApiError {
            kind,
            code: code.to_owned(),
            message,
            note: None,
            request_id: None,
            source: None,
        }
    }

    /// An error from a service error code and message, classified like a real response (for
    /// tests of code that handles these errors).
    pub fn from_service(code: impl Into<String>, message: impl Into<String>) -> Self {
        let code = code.into();
        DataApiError {
            kind: DataApiErrorKind::from_code(&code),
            code,
            message: message.into(),
            note: None,
            request_id: None,
            source: None,
        }
    }

    pub(crate) fn from_sdk<E>(err: SdkError<E>) -> Self
    where
        E: ProvideErrorMetadata + RequestId + StdError + Send + Sync + 'static,
    {
        let (kind, code, message, request_id) = match &err {
            SdkError::ServiceError(context) => {
                let e = context.err();
                let code = e.code().unwrap_or("Unknown");
                (
                    DataApiErrorKind::from_code(code),
                    code.to_owned(),
                    e.message().unwrap_or_default().to_owned(),
                    e.request_id().map(str::to_owned),
                )
            }
            other => {
                let code = match other {
                    SdkError::ConstructionFailure(_) => "ConstructionFailure",
                    SdkError::DispatchFailure(_) => "DispatchFailure",
                    SdkError::TimeoutError(_) => "TimeoutError",
                    SdkError::ResponseError(_) => "ResponseError",
                    _ => "Unknown",
                };
                // The SDK's own Display is just "dispatch failure"; the context has the cause.
                let message = DisplayErrorContext(other).to_string();
                (DataApiErrorKind::Transport, code.to_owned(), message, None)
            }
        };
        DataApiError {
            kind,
            code,
            message,
            note: None,
            request_id,
            source: Some(Box::new(err)),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> DataApiErrorKind {
        self.kind
    }

    /// The service error code (`DatabaseErrorException`, …) or, for
    /// [`Transport`](DataApiErrorKind::Transport), the SDK failure class.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The service's message (for a database error, the database's text with its SQLState).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What the client adds to the service's message: set when a retryable error was still
    /// failing at the end of the retry budget (naming the budget and how to raise it).
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    pub(crate) fn with_note(mut self, note: String) -> Self {
        self.note = Some(note);
        self
    }

    /// The AWS request id of the failed call, when the service answered.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for DataApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(&self.code)?;
        } else {
            write!(f, "{}: {}", self.code, self.message)?;
        }
        match &self.note {
            Some(note) => write!(f, "; {note}"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for DataApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The source is left out: it holds the raw HTTP response.
        f.debug_struct("DataApiError")
            .field("kind", &self.kind)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("note", &self.note)
            .field("request_id", &self.request_id)
            .finish()
    }
}

impl StdError for DataApiError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_classified() {
        use DataApiErrorKind::*;
        for (code, kind) in [
            ("DatabaseErrorException", DatabaseError),
            ("TransactionNotFoundException", TransactionNotFound),
            ("NotFoundException", NotFound),
            ("StatementTimeoutException", StatementTimeout),
            ("DatabaseResumingException", DatabaseResuming),
            ("BadRequestException", BadRequest),
            ("ValidationException", Validation),
            ("UnsupportedResultException", UnsupportedResult),
            ("ServiceUnavailableError", ServiceUnavailable),
            ("InternalServerErrorException", InternalServerError),
            ("DatabaseUnavailableException", DatabaseUnavailable),
            ("AccessDeniedException", AccessDenied),
            ("ForbiddenException", Forbidden),
            ("HttpEndpointNotEnabledException", Other),
            ("", Other),
        ] {
            let e = DataApiError::from_service(code, "m");
            assert_eq!(e.kind(), kind, "{code}");
            assert_eq!(e.code(), code);
        }
    }

    #[test]
    fn display_is_code_colon_message() {
        let e =
            DataApiError::from_service("ValidationException", "Multistatements aren't supported.");
        assert_eq!(
            e.to_string(),
            "ValidationException: Multistatements aren't supported."
        );
        assert_eq!(e.message(), "Multistatements aren't supported.");
        assert_eq!(
            DataApiError::from_service("NotFoundException", "").to_string(),
            "NotFoundException"
        );
        assert!(e.source().is_none());
        let noted = DataApiError::from_service("DatabaseResumingException", "resuming")
            .with_note("waited 40 s".into());
        assert_eq!(
            noted.to_string(),
            "DatabaseResumingException: resuming; waited 40 s"
        );
        assert_eq!(noted.message(), "resuming");
        assert_eq!(noted.note(), Some("waited 40 s"));
        assert!(format!("{e:?}").contains("Validation"));
    }
}
