//! Transactions that end before a deadline: [`AsyncDieselConnection::transaction_before`].
//!
//! A Lambda function that runs past its timeout is killed: no `Drop` runs, so a transaction
//! it had open keeps its locks until the Data API's 3-minute idle expiry. Rolling back a
//! little before the deadline, while the process still runs, frees them at once.

use std::time::{Duration, SystemTime};

use diesel::result::Error;
use diesel_async::{AnsiTransactionManager, TransactionManager};

use super::adapter::Adapter;
use super::generic::AsyncDieselConnection;
use crate::error::to_diesel;
use crate::session::{time_left, ROLLBACK_PAST_DEADLINE};

/// How long before its deadline [`AsyncDieselConnection::transaction_before`] gives up on a
/// transaction's callback and rolls back: time for the rollback call and for the handler to
/// answer.
pub const DEADLINE_MARGIN: Duration = Duration::from_millis(500);

/// The outcome of a `transaction_before` that did not commit
/// ([`AsyncDieselConnection::transaction_before`], and SeaORM's
/// `DataApiConnection::transaction_before`, whose rollback error `R` is a `DbErr`).
#[derive(Debug)]
pub enum DeadlineError<E, R = Error> {
    /// The callback had not finished [`DEADLINE_MARGIN`] before the deadline: its future was
    /// dropped and the transaction rolled back (`rollback_error: None`), or the rollback
    /// failed too (the Data API then ends the transaction after its 3-minute idle expiry).
    Exceeded {
        /// Why the rollback failed, if it did.
        rollback_error: Option<R>,
    },
    /// The transaction failed as [`diesel_async::AsyncConnection::transaction`] fails: the
    /// callback's error (after a rollback), or a begin / commit / rollback error.
    Failed(E),
}

impl<E: std::fmt::Display, R: std::fmt::Display> std::fmt::Display for DeadlineError<E, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeadlineError::Exceeded {
                rollback_error: None,
            } => f.write_str(
                "the transaction did not finish before its deadline and was rolled back",
            ),
            DeadlineError::Exceeded {
                rollback_error: Some(e),
            } => write!(
                f,
                "the transaction did not finish before its deadline, and rolling it back failed \
                 ({e}); the Data API ends it after 3 idle minutes"
            ),
            DeadlineError::Failed(e) => e.fmt(f),
        }
    }
}

impl<E, R> std::error::Error for DeadlineError<E, R>
where
    E: std::error::Error + 'static,
    R: std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DeadlineError::Exceeded { rollback_error } => rollback_error
                .as_ref()
                .map(|e| e as &(dyn std::error::Error + 'static)),
            DeadlineError::Failed(e) => Some(e),
        }
    }
}

impl<A: Adapter> AsyncDieselConnection<A> {
    /// Runs `callback` in a transaction, as [`diesel_async::AsyncConnection::transaction`]
    /// does, but gives up on it [`DEADLINE_MARGIN`] before `deadline`: the callback's future
    /// is dropped, the transaction is rolled back and [`DeadlineError::Exceeded`] returned,
    /// so its locks go at once instead of when the Data API expires it. Made for Lambda
    /// handlers, whose process is killed at the deadline without running any `Drop`: pass
    /// the invocation context's `deadline()`.
    ///
    /// With less than the margin left, nothing is sent and `Exceeded` comes back at once.
    /// Once the callback has finished in time, the commit runs whatever the clock says (a
    /// commit cut off midway could have been applied). Outermost transactions only: inside
    /// one, this returns `Failed(Error::AlreadyInTransaction)`. A statement still running on
    /// the server when the deadline comes holds its locks until it ends (the rollback is
    /// retried until then, up to the deadline): bound statements with the database's own
    /// timeout (`SET LOCAL statement_timeout` on PostgreSQL) if they may run long.
    pub async fn transaction_before<R, E, F>(
        &mut self,
        deadline: SystemTime,
        callback: F,
    ) -> Result<R, DeadlineError<E>>
    where
        F: AsyncFnOnce(&mut Self) -> Result<R, E>,
        E: From<Error>,
    {
        if self.core.session.in_transaction() {
            return Err(DeadlineError::Failed(Error::AlreadyInTransaction.into()));
        }
        let left = time_left(deadline, DEADLINE_MARGIN);
        if left.is_zero() {
            // No time to do anything: not even a BEGIN is sent.
            return Err(DeadlineError::Exceeded {
                rollback_error: None,
            });
        }
        let give_up_at = tokio::time::Instant::now() + left;
        let ran = tokio::time::timeout_at(give_up_at, async {
            AnsiTransactionManager::begin_transaction(self).await?;
            Ok::<_, E>(callback(self).await)
        })
        .await;
        match ran {
            Ok(Ok(Ok(value))) => match AnsiTransactionManager::commit_transaction(self).await {
                Ok(()) => Ok(value),
                Err(e) => Err(DeadlineError::Failed(e.into())),
            },
            Ok(Ok(Err(user_error))) => {
                match AnsiTransactionManager::rollback_transaction(self).await {
                    Ok(()) | Err(Error::BrokenTransactionManager) => {
                        Err(DeadlineError::Failed(user_error))
                    }
                    Err(rollback_error) => Err(DeadlineError::Failed(rollback_error.into())),
                }
            }
            Ok(Err(begin_error)) => Err(DeadlineError::Failed(begin_error)),
            Err(_elapsed) => {
                let rollback_error = self.abandon_transaction(deadline).await.err();
                Err(DeadlineError::Exceeded { rollback_error })
            }
        }
    }

    /// Rolls back the Data API transaction whose callback was dropped, and resets diesel's
    /// transaction state (which the dropped future left mid-transaction), before `deadline`.
    async fn abandon_transaction(&mut self, deadline: SystemTime) -> Result<(), Error> {
        self.transaction_manager = AnsiTransactionManager::default();
        let Some(id) = self.core.session.take_transaction() else {
            // Cut off before BEGIN answered: the server's transaction (if any) holds no
            // locks and expires by itself.
            return Ok(());
        };
        let session = &self.core.session.session;
        session
            .rollback_before(&id, deadline)
            .await
            .map_err(|failed| match failed {
                Some(e) => to_diesel(e, session.engine),
                None => Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::Unknown,
                    Box::new(crate::error::ErrorInfo {
                        message: ROLLBACK_PAST_DEADLINE.into(),
                        ..Default::default()
                    }),
                ),
            })
    }
}
