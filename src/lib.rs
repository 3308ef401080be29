//! Run Diesel (and SeaORM) code on Amazon Aurora through the RDS Data API.
//!
//! - [`pg::DataApiPgConnection`] / [`pg::AsyncDataApiPgConnection`]: drop-in replacements for
//!   `diesel::PgConnection` / `diesel_async::AsyncPgConnection`.
//! - [`config::DataApiConfig`]: the `dataapi://` URL and its environment fallbacks.
//! - [`client::DataApiClient`]: the underlying `aws-sdk-rdsdata` calls.

pub mod client;
mod codec;
pub mod config;
mod engine;
pub use engine::Engine;
pub mod connection;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod mysql;
pub mod paging;
pub mod pg;
pub use client::{limits, retry};
pub use connection::row;
mod runtime;
#[cfg(feature = "sea-orm")]
pub mod sea_orm;
mod session;
pub mod sql;

/// The README's Rust examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
