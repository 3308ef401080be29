//! The Data API's size limits, checked on our side before a request is sent, so an oversized
//! request fails with an error that says what to do instead of an opaque rejection.

use aws_sdk_rdsdata::types::{Field, SqlParameter};

use super::error::{DataApiError, DataApiErrorKind};

/// Largest request body the Data API accepts.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;
/// Largest result a call may return.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// Longest SQL text a call may carry, in characters (the service counts UTF-16 units).
pub const MAX_SQL_CHARS: usize = 65_536;

/// The size limits a client works to: the Data API's by default. Lower them to match a
/// local server started with smaller limits (tests of large-data handling stay fast).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest SQL text, in UTF-16 units (default [`MAX_SQL_CHARS`]).
    pub max_sql_chars: usize,
    /// Largest request body, estimated on what is sent (default [`MAX_REQUEST_BYTES`]).
    pub max_request_bytes: usize,
    /// Largest result (default [`MAX_RESPONSE_BYTES`]).
    pub max_response_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_sql_chars: MAX_SQL_CHARS,
            max_request_bytes: MAX_REQUEST_BYTES,
            max_response_bytes: MAX_RESPONSE_BYTES,
        }
    }
}

/// The length of `sql` as the service measures it (UTF-16 units).
pub(crate) fn sql_chars(sql: &str) -> usize {
    sql.encode_utf16().count()
}

/// [`sql_chars`] where it matters against `max`: UTF-16 units never outnumber UTF-8 bytes,
/// so SQL no longer in bytes than `max` gets its byte length (a bound within `max`) without
/// counting — the common case on every call.
pub(crate) fn sql_chars_against(sql: &str, max: usize) -> usize {
    if sql.len() <= max {
        sql.len()
    } else {
        sql_chars(sql)
    }
}

/// An upper estimate of the request body of `sql` with `parameter_sets`.
pub(crate) fn request_bytes(sql: &str, parameter_sets: &[&[SqlParameter]]) -> usize {
    let params: usize = parameter_sets
        .iter()
        .flat_map(|set| set.iter())
        .map(parameter_bytes)
        .sum();
    512 + sql.len() + sql.len() / 8 + params
}

/// An upper estimate of the JSON size of one parameter as the SDK sends it.
pub(crate) fn parameter_bytes(p: &SqlParameter) -> usize {
    let value = match p.value() {
        Some(Field::StringValue(s)) => s.len() + s.len() / 8 + 2, // escapes
        Some(Field::BlobValue(b)) => b.as_ref().len().div_ceil(3) * 4 + 2,
        _ => 24,
    };
    // {"name":"…","value":{"stringValue":…},"typeHint":"TIMESTAMP"}
    64 + p.name().map_or(0, str::len) + value
}

/// Refuses a request over `limits` before it is sent (never the service's raw
/// ValidationException). Multi-row INSERTs never get here too large: the session splits them.
pub(crate) fn check_request(
    sql: &str,
    parameter_sets: &[&[SqlParameter]],
    limits: &Limits,
) -> Result<(), DataApiError> {
    let chars = sql_chars_against(sql, limits.max_sql_chars);
    if chars > limits.max_sql_chars {
        return Err(too_large(format!(
            "the SQL is {chars} characters, over the Data API's limit of {} per statement",
            limits.max_sql_chars
        )));
    }
    let estimate = request_bytes(sql, parameter_sets);
    if estimate <= limits.max_request_bytes {
        return Ok(());
    }
    Err(too_large(format!(
        "the request would be about {estimate} bytes, over the Data API's limit of {} bytes",
        limits.max_request_bytes
    )))
}

/// The error for a statement too large to send, with what to do instead.
pub(crate) fn too_large(what: String) -> DataApiError {
    DataApiError::client_side(
        DataApiErrorKind::RequestTooLarge,
        "RequestTooLarge",
        format!(
            "{what}; a multi-row INSERT is split into chunks automatically, but this statement \
             cannot be split (one row or value too large, or not a multi-row INSERT, e.g. a long \
             IN (…) list): send large values separately, use fewer values per statement (e.g. \
             a temporary table joined instead of IN), or cut it into several statements in one \
             transaction"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: Field) -> SqlParameter {
        SqlParameter::builder().name("p1").value(v).build()
    }

    #[test]
    fn small_requests_pass_large_ones_are_refused_with_the_remedy() {
        let small = [p(Field::StringValue("x".repeat(1000)))];
        let limits = Limits::default();
        assert!(check_request("SELECT :p1", &[&small], &limits).is_ok());
        let big = [p(Field::StringValue("x".repeat(4 * 1024 * 1024)))];
        let e = check_request("SELECT :p1", &[&big], &limits).unwrap_err();
        assert_eq!(e.kind(), DataApiErrorKind::RequestTooLarge);
        assert!(
            e.message().contains("4194304 bytes") && e.message().contains("chunks"),
            "{}",
            e.message()
        );
        let many: Vec<SqlParameter> = (0..60_000).map(|_| p(Field::LongValue(1))).collect();
        assert!(check_request("INSERT …", &[&many], &limits).is_err());
        let long_sql = format!("SELECT {}", "é".repeat(MAX_SQL_CHARS));
        let e = check_request(&long_sql, &[], &limits).unwrap_err();
        assert!(e.message().contains("65536"), "{}", e.message());
    }
}
