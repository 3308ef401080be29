//! Counts of the calls the server answered, per operation: what a test checks when it
//! asserts that a client makes exactly the calls its work needs.

use std::sync::atomic::{AtomicU64, Ordering};

/// Calls received per operation (whatever their outcome).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallCounts {
    pub execute_statement: u64,
    pub batch_execute_statement: u64,
    pub begin_transaction: u64,
    pub commit_transaction: u64,
    pub rollback_transaction: u64,
}

impl CallCounts {
    /// All calls.
    pub fn total(&self) -> u64 {
        self.execute_statement
            + self.batch_execute_statement
            + self.begin_transaction
            + self.commit_transaction
            + self.rollback_transaction
    }

    /// The calls made since `earlier` was taken.
    pub fn since(&self, earlier: &CallCounts) -> CallCounts {
        CallCounts {
            execute_statement: self.execute_statement - earlier.execute_statement,
            batch_execute_statement: self.batch_execute_statement - earlier.batch_execute_statement,
            begin_transaction: self.begin_transaction - earlier.begin_transaction,
            commit_transaction: self.commit_transaction - earlier.commit_transaction,
            rollback_transaction: self.rollback_transaction - earlier.rollback_transaction,
        }
    }
}

/// The live counters.
#[derive(Debug, Default)]
pub struct Calls([AtomicU64; 5]);

impl Calls {
    /// Counts a call to the operation at `path` (`/Execute`, `/BeginTransaction`, …); other
    /// paths are not operations and are not counted.
    pub fn count(&self, path: &str) {
        let slot = match path {
            "/Execute" => 0,
            "/BatchExecute" => 1,
            "/BeginTransaction" => 2,
            "/CommitTransaction" => 3,
            "/RollbackTransaction" => 4,
            _ => return,
        };
        self.0[slot].fetch_add(1, Ordering::Relaxed);
    }

    /// The counts so far.
    pub fn counts(&self) -> CallCounts {
        let n = |i: usize| self.0[i].load(Ordering::Relaxed);
        CallCounts {
            execute_statement: n(0),
            batch_execute_statement: n(1),
            begin_transaction: n(2),
            commit_transaction: n(3),
            rollback_transaction: n(4),
        }
    }
}
