//! The crate's background tokio runtime. The sync connections block on it: it runs on threads
//! of its own, so a sync connection also works when called from inside another tokio runtime
//! (a Lambda handler, `#[tokio::main]`) instead of panicking as `Runtime::block_on` would.
//! Work that must happen whatever runtime the caller has (or has not), such as the rollback
//! of a dropped connection's transaction, is spawned on it too.

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("aurora-data-api-sync")
            .enable_all()
            .build()
            .expect("cannot start the background tokio runtime of the sync Data API connections")
    })
}

/// Runs `future` on the background runtime and waits for it on this thread.
pub(crate) fn block_on<F>(future: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    // On a thread outside any runtime (where sync connections usually run) the future is
    // polled right here with the background runtime's drivers: no task, channel or hand-over
    // of the result between threads. Inside a runtime (an async context, or another runtime's
    // blocking task) blocking on a second runtime is refused, so the future runs there as a
    // task and this thread waits for its result.
    if tokio::runtime::Handle::try_current().is_err() {
        return runtime().block_on(future);
    }
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    runtime().spawn(async move {
        let _ = tx.send(future.await);
    });
    // The task only ends without sending if it panicked; resurface that here.
    rx.recv()
        .expect("a Data API call panicked on the background runtime")
}

/// Runs `future` on the background runtime and waits for it at most `wait` (not at all for
/// zero); past that it goes on alone. Never panics, inside or outside another runtime.
pub(crate) fn spawn_waiting_at_most<F>(future: F, wait: Duration)
where
    F: Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    runtime().spawn(async move {
        future.await;
        let _ = tx.send(());
    });
    if !wait.is_zero() {
        let _ = rx.recv_timeout(wait);
    }
}

/// Sleeps without needing a timer from the caller's runtime: the timer belongs to the
/// background runtime (it is made inside that runtime's context) but is polled right here,
/// so a sleep costs no task, channel or thread hop, and dropping it (the SDK drops most of
/// its timeout sleeps unfired) just cancels the timer. diesel-async's
/// `AsyncConnectionWrapper` drives connections on a runtime with I/O only, where
/// `tokio::time::sleep` made in the caller's context panics.
pub(crate) async fn sleep(duration: Duration) {
    let sleep = {
        let _context = runtime().enter();
        tokio::time::sleep(duration)
    };
    sleep.await
}

/// [`sleep`] as the AWS SDK's sleep implementation (timeouts, credential refresh), so SDK
/// calls work on whatever runtime polls them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BackgroundSleep;

impl aws_sdk_rdsdata::config::AsyncSleep for BackgroundSleep {
    fn sleep(&self, duration: Duration) -> aws_sdk_rdsdata::config::Sleep {
        aws_sdk_rdsdata::config::Sleep::new(sleep(duration))
    }
}
