//! The background tokio runtime the sync connections block on. It runs on threads of its
//! own, so a sync connection also works when called from inside another tokio runtime (a
//! Lambda handler, `#[tokio::main]`) instead of panicking as `Runtime::block_on` would.

use std::future::Future;
use std::sync::OnceLock;

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
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    runtime().spawn(async move {
        let _ = tx.send(future.await);
    });
    // The task only ends without sending if it panicked; resurface that here.
    rx.recv()
        .expect("a Data API call panicked on the background runtime")
}
