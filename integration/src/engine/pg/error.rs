//! PostgreSQL and driver errors → Data API errors, in the message shape Aurora uses.

use super::*;

/// The Data API's text of a server error:
/// `ERROR: <msg>[; Detail: …][; Hint: …][; Position: N]; SQLState: XXXXX`.
pub(super) fn db_error_message(e: &DbError) -> String {
    let mut s = format!("{}: {}", e.severity(), e.message());
    if let Some(detail) = e.detail() {
        s.push_str(&format!("; Detail: {detail}"));
    }
    if let Some(hint) = e.hint() {
        s.push_str(&format!("; Hint: {hint}"));
    }
    if let Some(ErrorPosition::Original(n)) = e.position() {
        s.push_str(&format!("; Position: {n}"));
    }
    s.push_str(&format!("; SQLState: {}", e.code().code()));
    s
}

/// Maps a driver error: server errors keep their text, a lost connection is a
/// "Communications link failure" (the session is then unusable), anything else is reported as is.
pub(super) fn map_error(e: &tokio_postgres::Error) -> ApiError {
    if let Some(db) = e.as_db_error() {
        return ApiError::database(db_error_message(db));
    }
    let io = std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>());
    if e.is_closed() || io {
        return ApiError::database(format!("Communications link failure: {e}"));
    }
    ApiError::new(ErrorCode::DatabaseError, e.to_string())
}
