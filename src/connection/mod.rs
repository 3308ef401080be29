//! The Diesel core: one generic connection ([`DieselConnection`]) in two flavours, sync
//! ([`SyncDieselConnection`]) and async ([`AsyncDieselConnection`]), over a small sealed
//! per-engine [`Adapter`]. It owns
//! what a connection is — the session and its Data API transaction, the interception of
//! diesel's transaction SQL, instrumentation, the background runtime of the sync flavour and
//! the rows — so each capability is written once for both engines. Users name them through
//! `pg::{DataApiPgConnection, AsyncDataApiPgConnection}` and
//! `mysql::{DataApiMysqlConnection, AsyncDataApiMysqlConnection}`.

mod adapter;
mod async_connection;
mod core;
mod cursor;
mod generic;
mod instrumentation;
pub mod row;
mod sync_connection;
mod transaction;

pub use adapter::Adapter;
pub(crate) use adapter::Sealed;
pub use cursor::Cursor;
pub use generic::{AsyncDieselConnection, DieselConnection, Flavour, SyncDieselConnection};
