//! Service limits of the Data API, configurable so tests can shrink the time-based ones.

use std::time::Duration;

/// Limits the server enforces. Defaults are the real Data API's.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body (4 MiB).
    pub max_request_bytes: usize,
    /// Largest result set, measured as the JSON of `records` (1 MiB).
    pub max_response_bytes: usize,
    // No per-row limit: the current Data API returns rows far over the old API's 64 KB
    // (100,000-character TEXT and 500 KiB BLOB / BYTEA values, read back by the Node
    // `data-api-client` suite from Aurora Serverless v2).
    /// Longest SQL text in characters (65,536).
    pub max_sql_chars: usize,
    /// Call time before StatementTimeoutException (45 s).
    pub statement_timeout: Duration,
    /// A transaction without a call for this long is rolled back (3 min).
    pub transaction_idle_timeout: Duration,
    /// A transaction older than this is rolled back (24 h).
    pub transaction_max_lifetime: Duration,
    /// Largest `formattedRecords` string (10 MB).
    pub max_formatted_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_request_bytes: 4 * 1024 * 1024,
            max_response_bytes: 1024 * 1024,
            max_sql_chars: 65_536,
            statement_timeout: Duration::from_secs(45),
            transaction_idle_timeout: Duration::from_secs(180),
            transaction_max_lifetime: Duration::from_secs(24 * 3600),
            max_formatted_bytes: 10 * 1024 * 1024,
        }
    }
}
