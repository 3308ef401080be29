//! [`DieselConnection`]: the one connection struct of both engines and both flavours. The
//! engine comes from the [`Adapter`], the flavour from the transaction manager: diesel's
//! (sync, [`SyncDieselConnection`]) or diesel-async's ([`AsyncDieselConnection`]). What does
//! not depend on the flavour is written here once.

use std::time::Duration;

use super::adapter::Adapter;
use super::core::Core;
use crate::client::DataApiClient;
use crate::config::DataApiConfig;

/// A Diesel connection over the RDS Data API, generic over the engine (`A`) and the flavour
/// (`M`, the transaction manager). Use it by its engine's names:
/// [`crate::pg::DataApiPgConnection`], [`crate::pg::AsyncDataApiPgConnection`],
/// [`crate::mysql::DataApiMysqlConnection`], [`crate::mysql::AsyncDataApiMysqlConnection`].
///
/// Nothing is prepared over the Data API, so diesel's instrumentation sees no `CacheQuery`
/// events; it sees every query, transaction and connection event.
pub struct DieselConnection<A: Adapter, M: Flavour> {
    pub(crate) core: Core<A>,
    pub(crate) transaction_manager: M,
}

/// The sync flavour: a `diesel::Connection`.
pub type SyncDieselConnection<A> = DieselConnection<A, diesel::connection::AnsiTransactionManager>;
/// The async flavour: a `diesel_async::AsyncConnection`.
pub type AsyncDieselConnection<A> = DieselConnection<A, diesel_async::AnsiTransactionManager>;

mod sealed {
    pub trait Sealed {}
    impl Sealed for diesel::connection::AnsiTransactionManager {}
    impl Sealed for diesel_async::AnsiTransactionManager {}
}

/// The sync or async flavour of a [`DieselConnection`]: diesel's or diesel-async's
/// `AnsiTransactionManager`. Sealed.
pub trait Flavour: sealed::Sealed + Default + Send + 'static {
    /// Whether this is the async flavour.
    const ASYNC: bool;
}

impl Flavour for diesel::connection::AnsiTransactionManager {
    const ASYNC: bool = false;
}

impl Flavour for diesel_async::AnsiTransactionManager {
    const ASYNC: bool = true;
}

impl<A: Adapter, M: Flavour> std::fmt::Debug for DieselConnection<A, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = if M::ASYNC { A::NAMES.1 } else { A::NAMES.0 };
        f.debug_struct(name)
            .field("client", &self.core.session.session.client)
            .finish_non_exhaustive()
    }
}

/// How long dropping a sync connection waits for the rollback of its open transaction: long
/// enough that the next statement of the dropping thread never meets its locks, short
/// enough not to stall on an unreachable endpoint. Async connections do not wait.
const SYNC_DROP_WAIT: Duration = Duration::from_secs(2);

/// A connection dropped inside a transaction rolls it back at once, as a native one does when
/// its socket closes (a panic in a handler, a Lambda timeout, `begin_test_transaction`, a
/// pooled connection returned mid-transaction), instead of keeping its locks until the Data
/// API's idle expiry.
impl<A: Adapter, M: Flavour> Drop for DieselConnection<A, M> {
    fn drop(&mut self) {
        if let Some(id) = self.core.session.take_transaction() {
            let wait = if M::ASYNC {
                Duration::ZERO
            } else {
                SYNC_DROP_WAIT
            };
            self.core.session.session.rollback_dropped(id, wait);
        }
    }
}

impl<A: Adapter, M: Flavour> DieselConnection<A, M> {
    /// A connection over a ready client (its cluster, secret and database).
    ///
    /// A sync connection runs its calls on this crate's background runtime. A client that
    /// has already made calls on another runtime keeps pooled HTTP connections bound to that
    /// runtime; if that runtime is no longer running, reusing them stalls. Prefer a fresh
    /// client, `from_config`, or `establish`.
    pub fn from_client(client: DataApiClient) -> Self {
        DieselConnection {
            core: Core::new(client),
            transaction_manager: M::default(),
        }
    }

    /// A connection over an `aws_sdk_rdsdata::Client` you built.
    pub fn from_sdk_client(client: aws_sdk_rdsdata::Client, config: DataApiConfig) -> Self {
        Self::from_client(DataApiClient::from_sdk_client(client, config))
    }

    /// A connection from a loaded AWS `SdkConfig`.
    pub fn from_sdk_config(sdk_config: &aws_config::SdkConfig, config: DataApiConfig) -> Self {
        Self::from_client(DataApiClient::from_sdk_config(sdk_config, config))
    }

    /// The Data API client this connection uses.
    pub fn client(&self) -> &DataApiClient {
        &self.core.session.session.client
    }

    /// Read-only queries inside a transaction are read page by page from the start (a
    /// PostgreSQL cursor, MySQL keyset pages over the query's `ORDER BY` on a unique key), so
    /// a result over the Data API's 1 MiB never ends the transaction (outside transactions
    /// that happens by itself, after the 1 MiB error). Costs a few calls per read; off by
    /// default.
    pub fn set_cursor_reads_in_transactions(&mut self, on: bool) {
        self.core.session.session.cursor_reads_in_transactions = on;
    }

    /// Whether read-only queries in transactions are read page by page from the start.
    pub fn cursor_reads_in_transactions(&self) -> bool {
        self.core.session.session.cursor_reads_in_transactions
    }

    /// Lets statements run on past the Data API's 45-second call limit
    /// (`continueAfterTimeout`): the call still fails with a StatementTimeoutException, but
    /// the statement completes instead of being cancelled. Meant for long DDL (migrations).
    pub fn set_continue_after_timeout(&mut self, continue_after_timeout: bool) {
        self.core.session.session.options.continue_after_timeout = continue_after_timeout;
    }
}
