//! Diesel on Aurora MySQL through the Data API: [`DataApiMysqlConnection`] (sync, for
//! `diesel::MysqlConnection` users) and [`AsyncDataApiMysqlConnection`] (for
//! `diesel_async::AsyncMysqlConnection` users). Both use diesel's own `Mysql` backend.

pub(crate) mod bind;
mod connection;
mod prepare;
mod row;
mod sync;
pub(crate) mod value;

pub use connection::AsyncDataApiMysqlConnection;
pub use row::{MysqlCell, MysqlField, MysqlRow};
pub use sync::DataApiMysqlConnection;
