//! mysql_async errors → Data API errors (`…; Error code: N; SQLState: S` as on Aurora MySQL).

use super::*;

/// Turns a driver error into the Data API error; the flag says the connection is unusable.
/// Server errors read `<message>; Error code: <n>; SQLState: <state>` as on Aurora MySQL.
pub(super) fn error_to_api(e: &mysql_async::Error) -> (ApiError, bool) {
    use mysql_async::DriverError as D;
    match e {
        mysql_async::Error::Server(s) => (
            ApiError::database(format!(
                "{}; Error code: {}; SQLState: {}",
                s.message, s.code, s.state
            )),
            false,
        ),
        // Errors about the request itself leave the connection in a clean state.
        mysql_async::Error::Driver(
            d @ (D::MixedParams
            | D::StmtParamsMismatch { .. }
            | D::StmtParamsNumberExceedsLimit { .. }
            | D::Params(_)),
        ) => (ApiError::database(d.to_string()), false),
        other => (link_failure(other), true),
    }
}

pub(super) fn link_failure(e: &dyn std::fmt::Display) -> ApiError {
    ApiError::database(format!("Communications link failure: {e}"))
}
