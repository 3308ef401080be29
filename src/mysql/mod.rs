//! Diesel on Aurora MySQL through the Data API: [`DataApiMysqlConnection`] (sync, for
//! `diesel::MysqlConnection` users) and [`AsyncDataApiMysqlConnection`] (for
//! `diesel_async::AsyncMysqlConnection` users). Both use diesel's own `Mysql` backend.

pub(crate) mod codec;
mod connection;
mod prepare;
mod row;

pub use connection::{AsyncDataApiMysqlConnection, DataApiMysqlConnection, MysqlAdapter};
pub use row::{MysqlCell, MysqlField, MysqlRow};
