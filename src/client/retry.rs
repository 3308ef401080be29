//! When a failed Data API call is sent again.
//!
//! The rule, in one place:
//!
//! - **DatabaseResumingException** (an auto-paused Aurora Serverless v2 cluster waking up) is
//!   retried for every operation: the call never reached the database. The SDK does not
//!   retry it. The client waits at most the **resume budget**,
//!   [`RetryPolicy::max_total_wait`] (default **40 s**, [`DEFAULT_RESUME_TIMEOUT`]); see
//!   "The budget" below.
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
//! - **StatementTimeoutException is not retried** (the statement may still be running), with
//!   one exception: a **read-only statement outside a transaction, sent without
//!   `continueAfterTimeout`** (so the service cancelled it), that times out **right after an
//!   idle period** is sent once more, within the budget. "Right after an idle period" means
//!   the client (or a clone of it) has had no successful call yet, or none for at least
//!   [`RetryPolicy::idle_threshold`] (default 5 minutes, Aurora's shortest auto-pause delay),
//!   or it has seen a DatabaseResumingException since its last successful call: the first
//!   call to a cluster that is still waking up can time out. A write, or any statement in a
//!   transaction, is never retried after a timeout.
//! - Everything else (SQL errors, validation, not found, access) is final.
//!
//! # The budget
//!
//! The budget is a **total wait**, not an attempt count: the client sleeps `base_delay`
//! (250 ms) after the first failure, doubling after each further one up to `max_delay`
//! (5 s), and the last sleep is cut so that the sleeps add up to exactly `max_total_wait`;
//! the last attempt is sent then. With the defaults that is 0.25 + 0.5 + 1 + 2 + 4 + 6 × 5 +
//! 2.25 = 40 s in 12 sleeps, 13 attempts ([`RetryPolicy::delays`] lists them). The time of
//! the attempts themselves comes on top (a DatabaseResumingException answers in
//! milliseconds). So a resume is waited out if it ends within the budget: a 20 s resume
//! succeeds with the defaults, a 100 s one fails with a DatabaseResumingException whose
//! message names the budget and how to raise it.
//!
//! AWS documents about 15 s for a resume, longer after a pause of more than a day. Raise the
//! budget per connection with `resume_timeout=<seconds>` in the `dataapi://` URL, with
//! [`DataApiConfig::with_resume_timeout`](crate::config::DataApiConfig::with_resume_timeout),
//! or on a client (every connection type exposes its client) with
//! [`DataApiClient::set_resume_timeout`](super::DataApiClient::set_resume_timeout) /
//! [`with_retry_policy`](super::DataApiClient::with_retry_policy). Zero turns all retries off.
//! To start a resume before the first request (a Lambda's init phase), call
//! [`DataApiClient::wake_up`](super::DataApiClient::wake_up).
//!
//! Every retry is logged with `tracing` at `warn` level (operation, error code, attempt,
//! delay, time waited so far and the budget: fields `operation`, `code`, `attempt`,
//! `delay_ms`, `waited_ms`, `budget_ms`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::error::{DataApiError, DataApiErrorKind};
use crate::sql::{Dialect, Lexer, TokenKind};

/// The default resume budget ([`RetryPolicy::max_total_wait`]): 40 s.
pub const DEFAULT_RESUME_TIMEOUT: Duration = Duration::from_secs(40);

/// The default [`RetryPolicy::idle_threshold`]: 5 minutes.
pub const DEFAULT_IDLE_THRESHOLD: Duration = Duration::from_secs(300);

/// The shortest sleep between attempts, so that a zero `base_delay` cannot spin.
const MIN_DELAY: Duration = Duration::from_millis(1);

/// How calls are retried. The default follows the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The budget: time spent sleeping between the attempts of one call, exactly, when every
    /// attempt fails with a retryable error (default 40 s, [`DEFAULT_RESUME_TIMEOUT`]). The
    /// number of attempts follows from it and the delays. Zero means no retries. Set it in
    /// the URL with `resume_timeout=<seconds>`.
    pub max_total_wait: Duration,
    /// First delay; doubled after each attempt (default 250 ms).
    pub base_delay: Duration,
    /// Longest single delay (default 5 s).
    pub max_delay: Duration,
    /// Retry 5xx / transport failures of calls that are safe to repeat (default `true`).
    pub retry_server_errors: bool,
    /// A client without a successful call for this long counts as "right after an idle
    /// period": a cancelled read-only statement that times out then is retried once
    /// (default 5 minutes; `None` never retries a timeout).
    pub idle_threshold: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_total_wait: DEFAULT_RESUME_TIMEOUT,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(5),
            retry_server_errors: true,
            idle_threshold: Some(DEFAULT_IDLE_THRESHOLD),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_total_wait: Duration::ZERO,
            retry_server_errors: false,
            idle_threshold: None,
            ..Default::default()
        }
    }

    /// The same policy with another budget ([`max_total_wait`](Self::max_total_wait)).
    pub fn with_resume_timeout(mut self, budget: Duration) -> Self {
        self.max_total_wait = budget;
        self
    }

    /// The sleeps of one call whose every attempt fails with a retryable error
    /// (DatabaseResumingException): they add up to exactly
    /// [`max_total_wait`](Self::max_total_wait), and there is one attempt more than sleeps.
    ///
    /// ```
    /// use std::time::Duration;
    /// use aurora_data_api::retry::RetryPolicy;
    ///
    /// let delays = RetryPolicy::default().delays();
    /// assert_eq!(delays.iter().sum::<Duration>(), Duration::from_secs(40));
    /// assert_eq!(delays.len() + 1, 13); // attempts
    /// ```
    pub fn delays(&self) -> Vec<Duration> {
        let mut out = Vec::new();
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        while let Some(delay) = self.delay_after(attempt, waited) {
            out.push(delay);
            waited += delay;
            attempt += 1;
        }
        out
    }

    /// The sleep after failed attempt `attempt` (1-based) when `waited` was slept already,
    /// or `None` when the budget is spent.
    fn delay_after(&self, attempt: u32, waited: Duration) -> Option<Duration> {
        let left = self.max_total_wait.checked_sub(waited)?;
        if left.is_zero() {
            return None;
        }
        let exponent = attempt.saturating_sub(1).min(16);
        let delay = self
            .base_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay)
            .max(MIN_DELAY);
        Some(delay.min(left))
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
    repeat_of(in_transaction, || is_read_only(sql))
}

/// `Repeat` of an `ExecuteStatement` in a transaction or not, that reads only or not (asked
/// only outside a transaction: inside one a repeat is never safe, whatever the statement).
pub(crate) fn repeat_of(in_transaction: bool, read_only: impl FnOnce() -> bool) -> Repeat {
    if !in_transaction && read_only() {
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
        .map(|t| t.text);
    let Some(first) = words.next() else {
        return false;
    };
    const READS: [&str; 6] = ["SELECT", "SHOW", "EXPLAIN", "VALUES", "WITH", "TABLE"];
    const WRITES: [&str; 15] = [
        "INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "CREATE", "DROP", "ALTER", "TRUNCATE",
        "CALL", "GRANT", "LOCK", "NEXTVAL", "SETVAL", "ANALYZE",
    ];
    // Compared in place, without an upper-cased copy of every word.
    let is = |word: &str, list: &[&str]| list.iter().any(|k| word.eq_ignore_ascii_case(k));
    is(first, &READS) && !words.any(|w| is(w, &WRITES))
}

/// What the retry rule needs to know about a call besides its error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CallKind {
    pub repeat: Repeat,
    /// An `ExecuteStatement` the service cancels at its timeout (no `continueAfterTimeout`).
    pub cancelled_on_timeout: bool,
}

/// Where a call stands when an attempt failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Progress {
    /// The attempt that failed (1-based).
    pub attempt: u32,
    /// Time slept so far.
    pub waited: Duration,
    /// The call came right after an idle period (see the module documentation), or met a
    /// resuming cluster.
    pub after_idle: bool,
    /// A timeout of this call was retried already.
    pub timeout_retried: bool,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Sleep this long, then send the call again.
    Retry(Duration),
    /// The error is final.
    Final,
    /// The error would be retried, but the budget is spent.
    BudgetSpent,
}

/// The rule of the module documentation for one failed attempt.
pub(crate) fn next_delay(
    policy: &RetryPolicy,
    error: &DataApiError,
    call: CallKind,
    progress: &Progress,
) -> Decision {
    // A transport failure that persists (endpoint down, wrong URL) is not worth waiting out:
    // a brief network blip is covered by two more tries.
    if error.kind() == DataApiErrorKind::Transport && progress.attempt >= TRANSPORT_ATTEMPTS {
        return Decision::Final;
    }
    let retryable = match error.kind() {
        DataApiErrorKind::DatabaseResuming => true,
        DataApiErrorKind::InternalServerError
        | DataApiErrorKind::ServiceUnavailable
        | DataApiErrorKind::DatabaseUnavailable
        | DataApiErrorKind::Transport => {
            policy.retry_server_errors
                && call.repeat == Repeat::Safe
                && !is_permanent_transport(error)
        }
        DataApiErrorKind::StatementTimeout => {
            policy.idle_threshold.is_some()
                && call.repeat == Repeat::Safe
                && call.cancelled_on_timeout
                && progress.after_idle
                && !progress.timeout_retried
        }
        _ => false,
    };
    if !retryable {
        return Decision::Final;
    }
    match policy.delay_after(progress.attempt, progress.waited) {
        Some(delay) => Decision::Retry(delay),
        None => Decision::BudgetSpent,
    }
}

/// The note added to an error that was still being retried when the budget ran out.
pub(crate) fn budget_spent_note(error: &DataApiError, policy: &RetryPolicy) -> String {
    let budget = seconds(policy.max_total_wait);
    let how = "raise it with `resume_timeout=<seconds>` in the dataapi:// URL, \
               `DataApiConfig::with_resume_timeout` or `DataApiClient::set_resume_timeout` \
               (`RetryPolicy::max_total_wait`)";
    if error.kind() == DataApiErrorKind::DatabaseResuming {
        format!(
            "the database was still resuming after the client waited {budget}, its resume \
             budget; {how}, or call `DataApiClient::wake_up` earlier (e.g. in a Lambda's init \
             phase)"
        )
    } else {
        format!("still failing after the client waited {budget}, its retry budget; {how}")
    }
}

/// `40 s`, `2.5 s`, `0.25 s`.
fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        let s = format!("{:.3}", d.as_secs_f64());
        format!("{} s", s.trim_end_matches('0'))
    }
}

/// Whether a client's calls come right after an idle period: shared by a client and its
/// clones (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct Activity {
    state: Mutex<ActivityState>,
}

#[derive(Debug, Default)]
struct ActivityState {
    /// When a call last succeeded.
    last_success: Option<Instant>,
    /// A DatabaseResumingException was seen after that.
    resuming_seen: bool,
}

impl Activity {
    fn state(&self) -> std::sync::MutexGuard<'_, ActivityState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// True when a call starting now comes right after an idle period of `threshold`.
    pub fn after_idle(&self, threshold: Option<Duration>) -> bool {
        let Some(threshold) = threshold else {
            return false;
        };
        let s = self.state();
        s.resuming_seen || s.last_success.is_none_or(|at| at.elapsed() >= threshold)
    }

    /// A call succeeded.
    pub fn succeeded(&self) {
        let mut s = self.state();
        s.last_success = Some(Instant::now());
        s.resuming_seen = false;
    }

    /// A call met a resuming cluster.
    pub fn resuming(&self) {
        self.state().resuming_seen = true;
    }
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

    const SAFE: CallKind = CallKind {
        repeat: Repeat::Safe,
        cancelled_on_timeout: true,
    };
    const UNSAFE: CallKind = CallKind {
        repeat: Repeat::Unsafe,
        cancelled_on_timeout: true,
    };

    fn at(attempt: u32, waited: Duration) -> Progress {
        Progress {
            attempt,
            waited,
            ..Default::default()
        }
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
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

    /// The documented default budget: exactly 40 s of sleeps, 13 attempts; a resume is
    /// waited out if it ends by the last attempt.
    #[test]
    fn default_schedule_is_exactly_the_documented_budget() {
        let p = RetryPolicy::default();
        let delays = p.delays();
        let expected: Vec<Duration> = [250, 500, 1000, 2000, 4000]
            .into_iter()
            .chain([5000; 6])
            .chain([2250])
            .map(ms)
            .collect();
        assert_eq!(delays, expected);
        let total: Duration = delays.iter().sum();
        assert_eq!(total, DEFAULT_RESUME_TIMEOUT);
        assert_eq!(total, Duration::from_secs(40));
        // When attempts are sent (sleep time only; each answer takes milliseconds on top).
        let attempts: Vec<Duration> = std::iter::once(Duration::ZERO)
            .chain(delays.iter().scan(Duration::ZERO, |t, d| {
                *t += *d;
                Some(*t)
            }))
            .collect();
        assert_eq!(attempts.len(), 13);
        let covers = |resume: Duration| attempts.iter().any(|&a| a >= resume);
        assert!(covers(Duration::from_secs(15)), "AWS's typical resume");
        assert!(covers(Duration::from_secs(20)));
        assert!(covers(Duration::from_secs(40)));
        assert!(!covers(Duration::from_millis(40_001)));
        assert!(!covers(Duration::from_secs(100)));
    }

    /// The README and this module's documentation state the default schedule; both must
    /// match the code.
    #[test]
    fn documented_budget_matches_the_code() {
        let delays = RetryPolicy::default().delays();
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < delays.len() {
            let run = delays[i..].iter().take_while(|d| **d == delays[i]).count();
            let s = seconds(delays[i]);
            let s = s.trim_end_matches(" s");
            parts.push(if run > 1 {
                format!("{run} × {s}")
            } else {
                s.to_string()
            });
            i += run;
        }
        let total = seconds(delays.iter().sum());
        let sum = format!("{} = {total}", parts.join(" + "));
        assert_eq!(sum, "0.25 + 0.5 + 1 + 2 + 4 + 6 × 5 + 2.25 = 40 s");
        let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let readme = flat(include_str!("../../README.md"));
        assert!(readme.contains(&sum), "README");
        assert!(readme.contains(&format!("default **{total}**")), "README");
        assert!(
            readme.contains(&format!("{} attempts", delays.len() + 1)),
            "README"
        );
        let module: String = include_str!("retry.rs")
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("//!"))
            .collect::<Vec<_>>()
            .join(" ");
        let module = flat(&module);
        assert!(module.contains(&sum), "module docs");
    }

    #[test]
    fn budget_sets_the_attempts_and_is_exact() {
        for secs in [1, 7, 60, 120] {
            let p = RetryPolicy::default().with_resume_timeout(Duration::from_secs(secs));
            let delays = p.delays();
            assert_eq!(delays.iter().sum::<Duration>(), Duration::from_secs(secs));
            assert!(delays.iter().all(|d| *d <= p.max_delay), "{delays:?}");
        }
        assert_eq!(
            RetryPolicy::default().with_resume_timeout(ms(600)).delays(),
            [ms(250), ms(350)]
        );
        assert!(RetryPolicy::none().delays().is_empty());
        // A zero base delay still waits (1 ms steps), it never spins.
        let zero = RetryPolicy {
            base_delay: Duration::ZERO,
            max_total_wait: ms(5),
            ..Default::default()
        };
        assert_eq!(zero.delays(), [ms(1); 5]);
    }

    #[test]
    fn resuming_always_retries_until_the_budget() {
        let p = RetryPolicy::default();
        let e = err("DatabaseResumingException");
        assert_eq!(
            next_delay(&p, &e, UNSAFE, &at(1, Duration::ZERO)),
            Decision::Retry(ms(250))
        );
        assert_eq!(
            next_delay(&p, &e, UNSAFE, &at(2, ms(250))),
            Decision::Retry(ms(500))
        );
        assert_eq!(
            next_delay(&p, &e, UNSAFE, &at(9, ms(22_750))),
            Decision::Retry(Duration::from_secs(5))
        );
        // Attempts do not matter, time does.
        assert_eq!(
            next_delay(&p, &e, UNSAFE, &at(50, Duration::from_secs(39))),
            Decision::Retry(Duration::from_secs(1))
        );
        assert_eq!(
            next_delay(&p, &e, UNSAFE, &at(3, Duration::from_secs(40))),
            Decision::BudgetSpent
        );
        assert_eq!(
            next_delay(&RetryPolicy::none(), &e, SAFE, &at(1, Duration::ZERO)),
            Decision::BudgetSpent
        );
    }

    #[test]
    fn budget_note_names_the_budget_and_the_remedies() {
        let p = RetryPolicy::default();
        let note = budget_spent_note(&err("DatabaseResumingException"), &p);
        for part in [
            "still resuming",
            "40 s",
            "resume budget",
            "resume_timeout=",
            "set_resume_timeout",
            "wake_up",
        ] {
            assert!(note.contains(part), "{part}: {note}");
        }
        let p = p.with_resume_timeout(ms(2500));
        let note = budget_spent_note(&err("ServiceUnavailableError"), &p);
        assert!(note.contains("2.5 s, its retry budget"), "{note}");
        assert_eq!(seconds(ms(250)), "0.25 s");
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
                matches!(
                    next_delay(&p, &err(code), SAFE, &at(1, Duration::ZERO)),
                    Decision::Retry(_)
                ),
                "{code}"
            );
            assert_eq!(
                next_delay(&p, &err(code), UNSAFE, &at(1, Duration::ZERO)),
                Decision::Final,
                "{code}"
            );
        }
        let off = RetryPolicy {
            retry_server_errors: false,
            ..Default::default()
        };
        assert_eq!(
            next_delay(
                &off,
                &err("InternalServerErrorException"),
                SAFE,
                &at(1, Duration::ZERO)
            ),
            Decision::Final
        );
    }

    #[test]
    fn transport_failures_get_three_attempts() {
        let p = RetryPolicy::default();
        let e = DataApiError::client_side(
            DataApiErrorKind::Transport,
            "DispatchFailure",
            "refused".into(),
        );
        assert!(matches!(
            next_delay(&p, &e, SAFE, &at(1, Duration::ZERO)),
            Decision::Retry(_)
        ));
        assert!(matches!(
            next_delay(&p, &e, SAFE, &at(2, ms(250))),
            Decision::Retry(_)
        ));
        assert_eq!(next_delay(&p, &e, SAFE, &at(3, ms(750))), Decision::Final);
    }

    #[test]
    fn timeouts_retried_once_for_cancelled_reads_after_idle_only() {
        let p = RetryPolicy::default();
        let e = err("StatementTimeoutException");
        let idle = Progress {
            attempt: 1,
            after_idle: true,
            ..Default::default()
        };
        assert_eq!(next_delay(&p, &e, SAFE, &idle), Decision::Retry(ms(250)));
        // Not after idle, a write, a statement left running, a second timeout: final.
        assert_eq!(
            next_delay(&p, &e, SAFE, &at(1, Duration::ZERO)),
            Decision::Final
        );
        assert_eq!(next_delay(&p, &e, UNSAFE, &idle), Decision::Final);
        let running = CallKind {
            cancelled_on_timeout: false,
            ..SAFE
        };
        assert_eq!(next_delay(&p, &e, running, &idle), Decision::Final);
        let again = Progress {
            timeout_retried: true,
            ..idle
        };
        assert_eq!(next_delay(&p, &e, SAFE, &again), Decision::Final);
        let off = RetryPolicy {
            idle_threshold: None,
            ..Default::default()
        };
        assert_eq!(next_delay(&off, &e, SAFE, &idle), Decision::Final);
    }

    #[test]
    fn idle_means_no_success_yet_or_for_a_while_or_resuming_seen() {
        let a = Activity::default();
        let t = Some(Duration::from_secs(300));
        assert!(a.after_idle(t), "a fresh client");
        assert!(!a.after_idle(None));
        a.succeeded();
        assert!(!a.after_idle(t));
        assert!(a.after_idle(Some(Duration::ZERO)));
        a.resuming();
        assert!(a.after_idle(t));
        a.succeeded();
        assert!(!a.after_idle(t));
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
            assert_eq!(
                next_delay(&p, &err(code), SAFE, &at(1, Duration::ZERO)),
                Decision::Final,
                "{code}"
            );
        }
    }
}
