//! When a failed Data API call is sent again.
//!
//! The rule, in one place:
//!
//! - **DatabaseResumingException** (an auto-paused Aurora Serverless v2 cluster waking up) is
//!   retried for every operation: the call never reached the database. The SDK does not
//!   retry it. Default: back-off up to ~40 s in all.
//! - **5xx answers and transport failures** (InternalServerError, ServiceUnavailable,
//!   DatabaseUnavailable, a dropped connection) are retried **only when sending the call twice
//!   cannot apply a write twice**: `BeginTransaction` (a duplicate transaction just expires),
//!   `RollbackTransaction`, and `ExecuteStatement` outside a transaction whose SQL only reads
//!   (`SELECT` / `SHOW` / `EXPLAIN` / `VALUES`, without data-modifying keywords). A write, a
//!   statement inside a transaction, `BatchExecuteStatement` and `CommitTransaction` surface
//!   the error instead: the first attempt may have been applied, and only the caller knows
//!   whether to check or redo. (A `SELECT` calling a function with side effects counts as
//!   read-only; turn 5xx retries off with [`RetryPolicy::retry_server_errors`] if you have such
//!   queries.)
//!   A transport failure (no answer at all) gets at most three attempts: an endpoint that stays
//!   unreachable is reported quickly.
//! - **StatementTimeoutException is never retried**: the statement may still be running.
//! - Everything else (SQL errors, validation, not found, access) is final.
//!
//! Every retry is logged with `tracing` at `warn` level (operation, error code, attempt, delay).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::error::{DataApiError, DataApiErrorKind};
use crate::sql::{Dialect, Lexer, TokenKind};

/// How calls are retried. The default follows the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (default 10).
    pub max_attempts: u32,
    /// Total time spent waiting between attempts, at most (default 40 s, what a resume takes).
    pub max_total_wait: Duration,
    /// First delay; doubled after each attempt (default 250 ms).
    pub base_delay: Duration,
    /// Longest single delay (default 5 s).
    pub max_delay: Duration,
    /// Retry 5xx / transport failures of calls that are safe to repeat (default `true`).
    pub retry_server_errors: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            max_total_wait: Duration::from_secs(40),
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(5),
            retry_server_errors: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Default::default()
        }
    }
}

static RETRIES: AtomicU64 = AtomicU64::new(0);

/// Retries made by every client of this process so far (for reports and tests).
pub fn retries_so_far() -> u64 {
    RETRIES.load(Ordering::Relaxed)
}

pub(crate) fn count_retry() {
    RETRIES.fetch_add(1, Ordering::Relaxed);
}

/// Whether sending a call twice could apply it twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// Repeating cannot change data.
    Safe,
    /// The first attempt may have been applied.
    Unsafe,
}

/// `Repeat` of an `ExecuteStatement`.
pub(crate) fn execute_repeat(sql: &str, in_transaction: bool) -> Repeat {
    if !in_transaction && is_read_only(sql) {
        Repeat::Safe
    } else {
        Repeat::Unsafe
    }
}

/// True for a statement that starts with SELECT / SHOW / EXPLAIN / VALUES / WITH / TABLE and
/// names no data-modifying or locking keyword outside literals and comments.
pub(crate) fn is_read_only(sql: &str) -> bool {
    // Both dialects' lexers agree on words; PostgreSQL's is the stricter about `$` bodies.
    let mut words = Lexer::new(sql, Dialect::Postgres)
        .filter_map(|t| t.ok())
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text.to_ascii_uppercase());
    let Some(first) = words.next() else {
        return false;
    };
    if !matches!(
        first.as_str(),
        "SELECT" | "SHOW" | "EXPLAIN" | "VALUES" | "WITH" | "TABLE"
    ) {
        return false;
    }
    !words.any(|w| {
        matches!(
            w.as_str(),
            "INSERT"
                | "UPDATE"
                | "DELETE"
                | "MERGE"
                | "INTO"
                | "CREATE"
                | "DROP"
                | "ALTER"
                | "TRUNCATE"
                | "CALL"
                | "GRANT"
                | "LOCK"
                | "NEXTVAL"
                | "SETVAL"
                | "ANALYZE"
        )
    })
}

/// The delay before attempt `attempt + 1` after `error`, or `None` to give up.
pub(crate) fn next_delay(
    policy: &RetryPolicy,
    error: &DataApiError,
    repeat: Repeat,
    attempt: u32,
    waited: Duration,
) -> Option<Duration> {
    if attempt >= policy.max_attempts {
        return None;
    }
    // A transport failure that persists (endpoint down, wrong URL) is not worth waiting out:
    // a brief network blip is covered by two more tries.
    if error.kind() == DataApiErrorKind::Transport && attempt >= TRANSPORT_ATTEMPTS {
        return None;
    }
    let retryable = match error.kind() {
        DataApiErrorKind::DatabaseResuming => true,
        DataApiErrorKind::InternalServerError
        | DataApiErrorKind::ServiceUnavailable
        | DataApiErrorKind::DatabaseUnavailable
        | DataApiErrorKind::Transport => {
            policy.retry_server_errors && repeat == Repeat::Safe && !is_permanent_transport(error)
        }
        _ => false,
    };
    if !retryable {
        return None;
    }
    let exponent = attempt.saturating_sub(1).min(16);
    let delay = policy
        .base_delay
        .saturating_mul(1 << exponent)
        .min(policy.max_delay);
    let left = policy.max_total_wait.checked_sub(waited)?;
    (left > Duration::ZERO).then(|| delay.min(left))
}

/// Attempts in all for a transport failure (no answer at all).
const TRANSPORT_ATTEMPTS: u32 = 3;

/// Transport failures that another attempt cannot fix (no credentials, bad configuration).
fn is_permanent_transport(error: &DataApiError) -> bool {
    error.kind() == DataApiErrorKind::Transport && matches!(error.code(), "ConstructionFailure")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: &str) -> DataApiError {
        DataApiError::from_service(code, "m")
    }

    #[test]
    fn read_only_detection() {
        assert!(is_read_only("SELECT * FROM t WHERE name = 'DELETE'"));
        assert!(is_read_only("  select 1 -- update\n"));
        assert!(is_read_only("WITH x AS (SELECT 1) SELECT * FROM x"));
        assert!(!is_read_only(
            "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x"
        ));
        assert!(!is_read_only("SELECT nextval('s')"));
        assert!(!is_read_only("SELECT * INTO new_table FROM t"));
        assert!(!is_read_only("INSERT INTO t VALUES (1)"));
        assert!(!is_read_only(""));
    }

    #[test]
    fn resuming_always_retries_with_backoff_until_the_budget() {
        let p = RetryPolicy::default();
        let e = err("DatabaseResumingException");
        assert_eq!(
            next_delay(&p, &e, Repeat::Unsafe, 1, Duration::ZERO),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            next_delay(&p, &e, Repeat::Unsafe, 2, Duration::ZERO),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            next_delay(&p, &e, Repeat::Unsafe, 9, Duration::ZERO),
            Some(Duration::from_secs(5))
        );
        assert_eq!(next_delay(&p, &e, Repeat::Unsafe, 10, Duration::ZERO), None);
        assert_eq!(
            next_delay(&p, &e, Repeat::Unsafe, 3, Duration::from_secs(39)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            next_delay(&p, &e, Repeat::Unsafe, 3, Duration::from_secs(40)),
            None
        );
    }

    #[test]
    fn server_errors_only_when_safe() {
        let p = RetryPolicy::default();
        for code in [
            "InternalServerErrorException",
            "ServiceUnavailableError",
            "DatabaseUnavailableException",
        ] {
            assert!(
                next_delay(&p, &err(code), Repeat::Safe, 1, Duration::ZERO).is_some(),
                "{code}"
            );
            assert!(
                next_delay(&p, &err(code), Repeat::Unsafe, 1, Duration::ZERO).is_none(),
                "{code}"
            );
        }
        let off = RetryPolicy {
            retry_server_errors: false,
            ..Default::default()
        };
        assert!(next_delay(
            &off,
            &err("InternalServerErrorException"),
            Repeat::Safe,
            1,
            Duration::ZERO
        )
        .is_none());
    }

    #[test]
    fn transport_failures_get_three_attempts() {
        let p = RetryPolicy::default();
        let e = DataApiError::client_side(
            DataApiErrorKind::Transport,
            "DispatchFailure",
            "refused".into(),
        );
        assert!(next_delay(&p, &e, Repeat::Safe, 1, Duration::ZERO).is_some());
        assert!(next_delay(&p, &e, Repeat::Safe, 2, Duration::ZERO).is_some());
        assert!(next_delay(&p, &e, Repeat::Safe, 3, Duration::ZERO).is_none());
    }

    #[test]
    fn never_retried() {
        let p = RetryPolicy::default();
        for code in [
            "StatementTimeoutException",
            "DatabaseErrorException",
            "BadRequestException",
            "TransactionNotFoundException",
        ] {
            assert!(
                next_delay(&p, &err(code), Repeat::Safe, 1, Duration::ZERO).is_none(),
                "{code}"
            );
        }
    }
}
