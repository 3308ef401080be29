//! Diesel on Aurora MySQL through the Data API: [`DataApiMysqlConnection`] (sync, for
//! `diesel::MysqlConnection` users) and [`AsyncDataApiMysqlConnection`] (for
//! `diesel_async::AsyncMysqlConnection` users). Both use diesel's own `Mysql` backend.

pub(crate) mod bind;
mod connection;
mod prepare;
mod row;
pub(crate) mod value;

pub use connection::{AsyncDataApiMysqlConnection, DataApiMysqlConnection, MysqlAdapter};
pub use row::{MysqlCell, MysqlField, MysqlRow};
