//! Engine-neutral pieces of the value codecs: the codec error, and calendar and number
//! helpers both engines' codecs use. The per-engine codecs live in `pg/` and `mysql/`.

use std::fmt;

use aws_sdk_rdsdata::types::Field;

pub(crate) mod calendar;
pub(crate) mod number;

/// Which direction a [`CodecError`] happened in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodecErrorKind {
    /// Turning a diesel bind into a Data API parameter.
    Bind,
    /// Turning a Data API result field into diesel's bytes.
    Result,
}

/// A value that cannot be converted between diesel's binary format and a Data API `Field`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError {
    kind: CodecErrorKind,
    message: String,
}

impl CodecError {
    /// An error while encoding a bind parameter (maps to `Error::SerializationError`).
    pub fn bind(message: impl Into<String>) -> Self {
        Self {
            kind: CodecErrorKind::Bind,
            message: message.into(),
        }
    }

    /// An error while decoding a result field (maps to `Error::DeserializationError`).
    pub fn result(message: impl Into<String>) -> Self {
        Self {
            kind: CodecErrorKind::Result,
            message: message.into(),
        }
    }

    /// The direction of the failed conversion.
    pub fn kind(&self) -> CodecErrorKind {
        self.kind
    }

    /// The message, without the direction prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            CodecErrorKind::Bind => write!(f, "cannot encode a bind parameter: {}", self.message),
            CodecErrorKind::Result => write!(f, "cannot decode a result value: {}", self.message),
        }
    }
}

impl std::error::Error for CodecError {}

impl From<CodecError> for diesel::result::Error {
    fn from(e: CodecError) -> Self {
        match e.kind {
            CodecErrorKind::Bind => diesel::result::Error::SerializationError(Box::new(e)),
            CodecErrorKind::Result => diesel::result::Error::DeserializationError(Box::new(e)),
        }
    }
}

/// How a `Field` member is named in error messages.
pub(crate) fn field_kind(field: &Field) -> &'static str {
    match field {
        Field::ArrayValue(_) => "an arrayValue",
        Field::BlobValue(_) => "a blobValue",
        Field::BooleanValue(_) => "a booleanValue",
        Field::DoubleValue(_) => "a doubleValue",
        Field::IsNull(_) => "isNull",
        Field::LongValue(_) => "a longValue",
        Field::StringValue(_) => "a stringValue",
        _ => "an unknown Field member",
    }
}

#[cfg(test)]
mod tests;
