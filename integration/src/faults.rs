//! Fault injection for reliability tests, off by default: an auto-paused cluster that is
//! resuming (before any call, or in the middle of a transaction's calls), 5xx answers before
//! or after a statement or commit ran, dropped database connections, HTTP connections closed
//! without an answer after the call was applied, and transactions the server expires between
//! two of their calls.
//!
//! Rates (`*_rate`) suit long randomized runs; counts (`*_calls`) hit exactly the next N
//! eligible calls, for tests that set a fault right before the call it is meant for.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::Rng;

/// What to inject. All zero / `None` means no faults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultConfig {
    /// Answer DatabaseResumingException to the next N calls.
    pub resuming_calls: u32,
    /// After this long without a call, the cluster "auto-pauses": the next calls get
    /// DatabaseResumingException for `resuming_duration`.
    pub resuming_after_idle: Option<Duration>,
    /// How long a resume takes (default 5 s when `resuming_after_idle` is set).
    pub resuming_duration: Option<Duration>,
    /// Probability of a 500/503 answer before the call does anything.
    pub error_5xx_rate: f64,
    /// Probability of a 500/503 answer after the statement or commit was applied: the
    /// client sees a failure for work that happened (the case that makes blind retries
    /// apply writes twice).
    pub error_5xx_after_apply_rate: f64,
    /// Probability that the database connection is killed just before the statement runs.
    pub drop_connection_rate: f64,
    /// Answer DatabaseResumingException to the next N calls made inside an open transaction
    /// (ExecuteStatement / BatchExecuteStatement with a `transactionId`, CommitTransaction,
    /// RollbackTransaction). Nothing runs and the transaction stays open: a retry of the same
    /// call continues it.
    pub resuming_in_transaction_calls: u32,
    /// Probability of the same for each call inside a transaction.
    pub resuming_in_transaction_rate: f64,
    /// The next N CommitTransaction calls commit, then answer 500 / 503: the transaction is
    /// stored although the client saw a failure (a blind retry gets NotFoundException, a
    /// client that re-runs the transaction writes it twice).
    pub commit_5xx_after_apply_calls: u32,
    /// Probability of the same for each CommitTransaction.
    pub commit_5xx_after_apply_rate: f64,
    /// The next N calls that succeed (any operation) are applied, then their HTTP connection
    /// is closed without an answer: the client sees a transport error (connection closed
    /// before the response) for work that happened.
    pub drop_http_after_apply_calls: u32,
    /// Probability of the same for each call that succeeds.
    pub drop_http_after_apply_rate: f64,
    /// The next N calls made inside an open transaction find it expired: the server rolls it
    /// back and answers TransactionNotFoundException (NotFoundException to Commit /
    /// RollbackTransaction), as after the 3-minute idle timeout.
    pub expire_transaction_calls: u32,
    /// Every transaction is rolled back by the server right after its Nth statement call
    /// (ExecuteStatement / BatchExecuteStatement; counted per transaction, answered
    /// normally): its next call gets TransactionNotFoundException. With chunked bulk inserts,
    /// `Some(2)` expires a transaction between its second and third chunk.
    pub expire_transactions_after_statements: Option<u32>,
}

/// Fault counts, for reports: what was injected, and the limits calls ran into (a test
/// provokes those with short limits, so they are faults of the run too).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultCounts {
    pub resuming: u64,
    pub error_5xx: u64,
    pub error_5xx_after_apply: u64,
    pub dropped_connections: u64,
    /// Calls answered StatementTimeoutException.
    pub statement_timeouts: u64,
    /// Transactions rolled back by the server for idling or living too long, or by the
    /// `expire_*` faults.
    pub expired_transactions: u64,
    /// DatabaseResumingException answers to calls inside a transaction (also in `resuming`).
    pub resuming_in_transaction: u64,
    /// Commits applied and answered 5xx (also in `error_5xx_after_apply`).
    pub commit_5xx_after_apply: u64,
    /// Calls applied whose HTTP connection was then closed without an answer.
    pub dropped_http_after_apply: u64,
    /// Transactions expired by the `expire_*` faults (also in `expired_transactions`).
    pub expired_by_fault: u64,
}

/// Decision for one call, before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injection {
    None,
    Resuming,
    Error5xx,
}

struct State {
    config: FaultConfig,
    counts: FaultCounts,
    last_call: Instant,
    resuming_until: Option<Instant>,
}

/// Live fault settings of a server; changeable while it runs.
pub struct Faults {
    state: Mutex<State>,
}

impl Faults {
    pub fn new(config: FaultConfig) -> Self {
        Faults {
            state: Mutex::new(State {
                config,
                counts: FaultCounts::default(),
                last_call: Instant::now(),
                resuming_until: None,
            }),
        }
    }

    /// Replaces the fault configuration (counts are kept).
    pub fn set(&self, config: FaultConfig) {
        let mut s = self.state.lock().unwrap();
        s.config = config;
        s.resuming_until = None;
        s.last_call = Instant::now();
    }

    /// The current configuration.
    pub fn config(&self) -> FaultConfig {
        self.state.lock().unwrap().config.clone()
    }

    /// Faults counted here so far (`expired_transactions` is kept by the transactions).
    pub fn counts(&self) -> FaultCounts {
        self.state.lock().unwrap().counts.clone()
    }

    /// Decides the fault (if any) for a call arriving now.
    pub fn before_call(&self) -> Injection {
        let mut s = self.state.lock().unwrap();
        let now = Instant::now();
        // The cluster is idle from its last call or, if it resumed after that, from the end
        // of the resume: a client retrying a few seconds after a resume finds it awake.
        let active_until = match s.resuming_until {
            Some(until) if until > s.last_call => until,
            _ => s.last_call,
        };
        let idle = now.saturating_duration_since(active_until);
        s.last_call = now;
        if s.config.resuming_calls > 0 {
            s.config.resuming_calls -= 1;
            s.counts.resuming += 1;
            return Injection::Resuming;
        }
        if let Some(after) = s.config.resuming_after_idle {
            if idle >= after && s.resuming_until.is_none_or(|u| u <= now) {
                let took = s.config.resuming_duration.unwrap_or(Duration::from_secs(5));
                s.resuming_until = Some(now + took);
            }
            if s.resuming_until.is_some_and(|u| u > now) {
                s.counts.resuming += 1;
                return Injection::Resuming;
            }
        }
        if roll(s.config.error_5xx_rate) {
            s.counts.error_5xx += 1;
            return Injection::Error5xx;
        }
        Injection::None
    }

    /// Whether to kill the database connection before this statement.
    pub fn drop_connection(&self) -> bool {
        let mut s = self.state.lock().unwrap();
        let hit = roll(s.config.drop_connection_rate);
        if hit {
            s.counts.dropped_connections += 1;
        }
        hit
    }

    /// Records a call that ran past the statement timeout.
    pub fn count_statement_timeout(&self) {
        self.state.lock().unwrap().counts.statement_timeouts += 1;
    }

    /// Decides the fault (if any) for a call inside an open transaction, after
    /// `before_call` let it through.
    pub fn in_transaction(&self) -> InTransaction {
        let mut s = self.state.lock().unwrap();
        if take(&mut s.config.resuming_in_transaction_calls)
            || roll(s.config.resuming_in_transaction_rate)
        {
            s.counts.resuming += 1;
            s.counts.resuming_in_transaction += 1;
            return InTransaction::Resuming;
        }
        if take(&mut s.config.expire_transaction_calls) {
            return InTransaction::Expire;
        }
        InTransaction::None
    }

    /// Whether a transaction that has just run its `statements`th statement call is to be
    /// expired now.
    pub fn expire_after_statement(&self, statements: u32) -> bool {
        let s = self.state.lock().unwrap();
        s.config
            .expire_transactions_after_statements
            .is_some_and(|n| statements >= n)
    }

    /// Records a transaction expired by an `expire_*` fault.
    pub fn count_expired_by_fault(&self) {
        self.state.lock().unwrap().counts.expired_by_fault += 1;
    }

    /// Whether to answer 5xx to a CommitTransaction that committed.
    pub fn commit_error_after_apply(&self) -> bool {
        let mut s = self.state.lock().unwrap();
        let hit = take(&mut s.config.commit_5xx_after_apply_calls)
            || roll(s.config.commit_5xx_after_apply_rate);
        if hit {
            s.counts.commit_5xx_after_apply += 1;
            s.counts.error_5xx_after_apply += 1;
        }
        hit
    }

    /// Whether to close the HTTP connection of a call that succeeded instead of answering.
    pub fn drop_http_after_apply(&self) -> bool {
        let mut s = self.state.lock().unwrap();
        let hit = take(&mut s.config.drop_http_after_apply_calls)
            || roll(s.config.drop_http_after_apply_rate);
        if hit {
            s.counts.dropped_http_after_apply += 1;
        }
        hit
    }

    /// Whether to answer 5xx although the work was applied.
    pub fn error_after_apply(&self) -> bool {
        let mut s = self.state.lock().unwrap();
        let hit = roll(s.config.error_5xx_after_apply_rate);
        if hit {
            s.counts.error_5xx_after_apply += 1;
        }
        hit
    }
}

/// Decision for a call inside an open transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InTransaction {
    None,
    /// Answer DatabaseResumingException; the transaction stays open.
    Resuming,
    /// Roll the transaction back and answer as for an expired one.
    Expire,
}

/// Counts down a "next N calls" fault; true when this call is one of them.
fn take(n: &mut u32) -> bool {
    if *n > 0 {
        *n -= 1;
        true
    } else {
        false
    }
}

fn roll(rate: f64) -> bool {
    rate > 0.0 && rand::rng().random_bool(rate.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resuming_for_n_calls_then_normal() {
        let f = Faults::new(FaultConfig {
            resuming_calls: 2,
            ..Default::default()
        });
        assert_eq!(f.before_call(), Injection::Resuming);
        assert_eq!(f.before_call(), Injection::Resuming);
        assert_eq!(f.before_call(), Injection::None);
        assert_eq!(f.counts().resuming, 2);
    }

    #[test]
    fn resuming_after_idle() {
        let f = Faults::new(FaultConfig {
            resuming_after_idle: Some(Duration::from_millis(100)),
            resuming_duration: Some(Duration::from_millis(50)),
            ..Default::default()
        });
        assert_eq!(f.before_call(), Injection::None);
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(f.before_call(), Injection::Resuming);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(f.before_call(), Injection::None);
    }

    #[test]
    fn the_idle_clock_starts_when_a_resume_ends() {
        let f = Faults::new(FaultConfig {
            resuming_after_idle: Some(Duration::from_millis(100)),
            resuming_duration: Some(Duration::from_millis(150)),
            ..Default::default()
        });
        assert_eq!(f.before_call(), Injection::None);
        std::thread::sleep(Duration::from_millis(120));
        assert_eq!(f.before_call(), Injection::Resuming);
        // 200 ms after the last call but only ~50 ms after the resume ended: awake.
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(f.before_call(), Injection::None);
        // Idle again for longer than the threshold: a new pause and resume.
        std::thread::sleep(Duration::from_millis(120));
        assert_eq!(f.before_call(), Injection::Resuming);
    }

    #[test]
    fn transaction_faults_count_down() {
        let f = Faults::new(FaultConfig {
            resuming_in_transaction_calls: 1,
            expire_transaction_calls: 1,
            commit_5xx_after_apply_calls: 1,
            drop_http_after_apply_calls: 2,
            expire_transactions_after_statements: Some(3),
            ..Default::default()
        });
        // Calls outside transactions are not affected by the in-transaction faults.
        assert_eq!(f.before_call(), Injection::None);
        assert_eq!(f.in_transaction(), InTransaction::Resuming);
        assert_eq!(f.in_transaction(), InTransaction::Expire);
        assert_eq!(f.in_transaction(), InTransaction::None);
        assert!(f.commit_error_after_apply());
        assert!(!f.commit_error_after_apply());
        assert!(f.drop_http_after_apply());
        assert!(f.drop_http_after_apply());
        assert!(!f.drop_http_after_apply());
        assert!(!f.expire_after_statement(2));
        assert!(f.expire_after_statement(3));
        f.count_expired_by_fault();
        let c = f.counts();
        assert_eq!(
            (
                c.resuming,
                c.resuming_in_transaction,
                c.commit_5xx_after_apply,
                c.error_5xx_after_apply,
                c.dropped_http_after_apply,
                c.expired_by_fault
            ),
            (1, 1, 1, 1, 2, 1)
        );
    }

    #[test]
    fn always_5xx() {
        let f = Faults::new(FaultConfig {
            error_5xx_rate: 1.0,
            ..Default::default()
        });
        assert_eq!(f.before_call(), Injection::Error5xx);
    }
}
