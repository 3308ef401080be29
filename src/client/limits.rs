//! The Data API's size limits, checked on our side before a request is sent, so an oversized
//! request fails with an error that says what to do instead of an opaque rejection.

use aws_sdk_rdsdata::types::{Field, SqlParameter};

use super::error::{DataApiError, DataApiErrorKind};

/// Largest request body the Data API accepts.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;
/// Largest result a call may return.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// An upper estimate of the JSON size of one parameter as the SDK sends it.
fn parameter_bytes(p: &SqlParameter) -> usize {
    let value = match p.value() {
        Some(Field::StringValue(s)) => s.len() + s.len() / 8 + 2, // escapes
        Some(Field::BlobValue(b)) => b.as_ref().len().div_ceil(3) * 4 + 2,
        _ => 24,
    };
    // {"name":"…","value":{"stringValue":…},"typeHint":"TIMESTAMP"}
    64 + p.name().map_or(0, str::len) + value
}

/// Refuses a request whose body would exceed [`MAX_REQUEST_BYTES`].
pub(crate) fn check_request(
    sql: &str,
    parameter_sets: &[&[SqlParameter]],
) -> Result<(), DataApiError> {
    let params: usize = parameter_sets
        .iter()
        .flat_map(|set| set.iter())
        .map(parameter_bytes)
        .sum();
    let estimate = 512 + sql.len() + sql.len() / 8 + params;
    if estimate <= MAX_REQUEST_BYTES {
        return Ok(());
    }
    Err(DataApiError::client_side(
        DataApiErrorKind::RequestTooLarge,
        "RequestTooLarge",
        format!(
            "the request would be about {estimate} bytes, over the Data API's 4 MiB request limit; \
             insert fewer rows per statement (e.g. chunks of 1,000 with `.chunks()`), run the chunks in one \
             transaction if they must be atomic, or send large values separately"
        ),
    ))
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
        assert!(check_request("SELECT :p1", &[&small]).is_ok());
        let big = [p(Field::StringValue("x".repeat(4 * 1024 * 1024)))];
        let e = check_request("SELECT :p1", &[&big]).unwrap_err();
        assert_eq!(e.kind(), DataApiErrorKind::RequestTooLarge);
        assert!(
            e.message().contains("4 MiB") && e.message().contains("chunks"),
            "{}",
            e.message()
        );
        let many: Vec<SqlParameter> = (0..60_000).map(|_| p(Field::LongValue(1))).collect();
        assert!(check_request("INSERT …", &[&many]).is_err());
    }
}
