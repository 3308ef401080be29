//! Data API transactions: each holds its own database session, is addressed by a long
//! random id, expires after an idle period or a maximum lifetime, and answers
//! "still running a query" to concurrent calls.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use rand::RngCore;
use tokio::sync::OwnedMutexGuard;

use crate::cluster::{Cluster, PoolKey};
use crate::engine::Session;
use crate::error::{messages, ApiError, ErrorCode};
use crate::limits::Limits;

/// Random bytes per id: 138 bytes are 184 base64 characters, like the service's ids.
const ID_BYTES: usize = 138;

/// One open transaction.
pub struct Transaction {
    pub id: String,
    pub cluster: Arc<Cluster>,
    pub key: PoolKey,
    session: Arc<tokio::sync::Mutex<Session>>,
    /// A client call is in flight on this transaction. Separate from the session lock: a
    /// statement left running by `continueAfterTimeout` holds the session but not this flag,
    /// so the next call waits for it instead of being refused.
    in_call: Arc<AtomicBool>,
    created: Instant,
    last_used: Mutex<Instant>,
    /// Statement calls (Execute / BatchExecute) run in it so far, for the expiry fault.
    statements: AtomicU32,
}

/// One client call's claim on a transaction; released when dropped.
pub struct CallClaim(Arc<AtomicBool>);

impl Drop for CallClaim {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl Transaction {
    /// Claims the transaction for one call, or fails at once ("Transaction is still running
    /// a query") while another call is in flight on it.
    pub fn claim(&self) -> Result<CallClaim, ApiError> {
        self.in_call
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .map_err(|_| ApiError::database(messages::STILL_RUNNING))?;
        Ok(CallClaim(self.in_call.clone()))
    }

    /// Takes the session for a claimed call, first waiting (up to `wait`) for a statement
    /// still running after a `continueAfterTimeout` timeout: the real service runs the next
    /// statement of the transaction after it. `None` when the wait timed out.
    pub async fn lock(
        &self,
        _claim: &CallClaim,
        wait: Duration,
    ) -> Option<OwnedMutexGuard<Session>> {
        tokio::time::timeout(wait, self.session.clone().lock_owned())
            .await
            .ok()
    }

    /// Counts a statement call run in the transaction; returns how many have run, this one
    /// included.
    pub fn count_statement(&self) -> u32 {
        self.statements.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Records the end of a call: the idle clock restarts.
    pub fn touch(&self) {
        *self.last_used.lock().unwrap() = Instant::now();
    }

    /// The session and its pool key, once no call holds the transaction any more.
    pub fn into_session(self) -> Option<(PoolKey, Session)> {
        let session = Arc::try_unwrap(self.session).ok()?.into_inner();
        Some((self.key, session))
    }

    fn expired(&self, now: Instant, limits: &Limits) -> bool {
        let busy = self.session.try_lock().is_err();
        now.duration_since(self.created) >= limits.transaction_max_lifetime
            || (!busy
                && now.duration_since(*self.last_used.lock().unwrap())
                    >= limits.transaction_idle_timeout)
    }
}

/// All open transactions of a server.
pub struct Transactions {
    open: Mutex<HashMap<String, Arc<Transaction>>>,
    limits: Limits,
    /// Transactions rolled back for expiry, for fault reports.
    expired: AtomicU64,
}

impl Transactions {
    pub fn new(limits: Limits) -> Self {
        Transactions {
            open: Mutex::new(HashMap::new()),
            limits,
            expired: AtomicU64::new(0),
        }
    }

    /// Registers a transaction whose session already ran BEGIN.
    pub fn insert(&self, cluster: Arc<Cluster>, key: PoolKey, session: Session) -> String {
        let mut bytes = [0u8; ID_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        let id = base64::engine::general_purpose::STANDARD.encode(bytes);
        let now = Instant::now();
        let tx = Transaction {
            id: id.clone(),
            cluster,
            key,
            session: Arc::new(tokio::sync::Mutex::new(session)),
            in_call: Arc::new(AtomicBool::new(false)),
            created: now,
            last_used: Mutex::new(now),
            statements: AtomicU32::new(0),
        };
        self.open.lock().unwrap().insert(id.clone(), Arc::new(tx));
        id
    }

    /// The open transaction `id` on cluster `arn`. Expired ones are rolled back here.
    pub fn get(&self, id: &str, arn: &str, code: ErrorCode) -> Result<Arc<Transaction>, ApiError> {
        let not_found = || ApiError::new(code, messages::transaction_not_found(id));
        let tx = self
            .open
            .lock()
            .unwrap()
            .get(id)
            .cloned()
            .ok_or_else(not_found)?;
        if tx.cluster.config.arn != arn {
            return Err(not_found());
        }
        if tx.expired(Instant::now(), &self.limits) {
            self.expire(id);
            return Err(not_found());
        }
        Ok(tx)
    }

    /// Removes `id` and returns it, for commit / rollback.
    pub fn remove(&self, id: &str) -> Option<Arc<Transaction>> {
        self.open.lock().unwrap().remove(id)
    }

    /// Removes `id` and rolls it back in the background (expiry, oversized result, lost
    /// connection, timeout).
    /// Returns whether `id` was still open.
    pub fn abort(&self, id: &str) -> bool {
        let Some(tx) = self.remove(id) else {
            return false;
        };
        tokio::spawn(async move {
            let mut session = tx.session.clone().lock_owned().await;
            if session.is_usable() {
                // The session is dropped afterwards either way: never reused after an abort.
                let _ = session.simple("ROLLBACK").await;
            }
            tracing::info!(transaction = %short(&tx.id), "transaction rolled back by the server");
        });
        true
    }

    /// Rolls back every expired transaction; run periodically.
    pub fn sweep(&self) {
        let now = Instant::now();
        let expired: Vec<String> = self
            .open
            .lock()
            .unwrap()
            .values()
            .filter(|tx| tx.expired(now, &self.limits))
            .map(|tx| tx.id.clone())
            .collect();
        for id in expired {
            self.expire(&id);
        }
    }

    /// Aborts `id` for expiry, counting it once even when `get` and `sweep` race. Returns
    /// whether `id` was still open (the expiry faults use it too).
    pub fn expire(&self, id: &str) -> bool {
        let open = self.abort(id);
        if open {
            self.expired.fetch_add(1, Ordering::Relaxed);
        }
        open
    }

    /// Transactions rolled back for expiry so far.
    pub fn expired_count(&self) -> u64 {
        self.expired.load(Ordering::Relaxed)
    }

    /// Number of open transactions.
    pub fn len(&self) -> usize {
        self.open.lock().unwrap().len()
    }

    /// True when no transaction is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How often `sweep` should run for these limits.
    pub fn sweep_interval(&self) -> Duration {
        (self.limits.transaction_idle_timeout / 4)
            .clamp(Duration::from_millis(50), Duration::from_secs(5))
    }
}

/// First characters of an id, for logs.
pub fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}
