//! Fault injection for reliability tests, off by default: an auto-paused cluster that is
//! resuming, 5xx answers before or after a statement ran, and dropped database connections.

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
    /// Transactions rolled back by the server for idling or living too long.
    pub expired_transactions: u64,
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
        let idle = now.duration_since(s.last_call);
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
    fn always_5xx() {
        let f = Faults::new(FaultConfig {
            error_5xx_rate: 1.0,
            ..Default::default()
        });
        assert_eq!(f.before_call(), Injection::Error5xx);
    }
}
