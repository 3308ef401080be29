//! The Diesel core: one generic connection ([`DieselConnection`]) in two flavours, sync
//! ([`SyncDieselConnection`]) and async ([`AsyncDieselConnection`]), over a small sealed
//! per-engine [`Adapter`]. It owns
//! what a connection is — the session and its Data API transaction, the interception of
//! diesel's transaction SQL, instrumentation, the background runtime of the sync flavour and
//! the rows — so each capability is written once for both engines. Users name them through
//! `pg::{DataApiPgConnection, AsyncDataApiPgConnection}` and
//! `mysql::{DataApiMysqlConnection, AsyncDataApiMysqlConnection}`.

/// The accessors diesel's `Connection` and diesel-async's `AsyncConnection` both require, for
/// the connection's transaction manager `$manager` (the flavour's `AnsiTransactionManager`).
macro_rules! connection_accessors {
    ($manager:ty) => {
        fn transaction_state(&mut self) -> &mut $manager {
            &mut self.transaction_manager
        }

        fn instrumentation(&mut self) -> &mut dyn diesel::connection::Instrumentation {
            self.core.instrumentation.as_dyn()
        }

        fn set_instrumentation(
            &mut self,
            instrumentation: impl diesel::connection::Instrumentation,
        ) {
            self.core.instrumentation = super::instrumentation::Instrumented::from(instrumentation);
        }

        fn set_prepared_statement_cache_size(&mut self, _size: diesel::connection::CacheSize) {
            // Nothing is prepared on our side of the Data API.
        }
    };
}

mod adapter;
mod async_connection;
pub(crate) mod cell_bytes;
mod core;
mod cursor;
mod deadline;
mod generic;
mod instrumentation;
pub mod row;
pub(crate) mod statement_cache;
mod sync_connection;
mod transaction;

pub use adapter::Adapter;
pub(crate) use adapter::Sealed;
pub use cursor::Cursor;
pub use deadline::{DeadlineError, DEADLINE_MARGIN};
pub use generic::{AsyncDieselConnection, DieselConnection, Flavour, SyncDieselConnection};
