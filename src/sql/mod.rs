//! SQL text handling that the Data API forces on us.
//!
//! Diesel renders queries with its own backends' placeholder styles (`$1` for PostgreSQL,
//! `?` for MySQL), but the Data API only understands named placeholders (`:name`) and rejects
//! multi-statement SQL. This module bridges both gaps without parsing SQL:
//!
//! - [`to_named`] / [`to_named_with`] rewrite positional placeholders to `:p1`, `:p2`, …
//! - [`split_statements`] cuts a script (a migration's `up.sql`) into single statements for
//!   `batch_execute`.
//! - [`parse_multi_row_insert`] cuts a multi-row `INSERT … VALUES` at its rows, so one too
//!   large for a Data API call can be sent in chunks.
//!
//! Both are built on one small scanner, [`Lexer`], which knows where string literals, quoted
//! identifiers, comments and dollar-quoted bodies begin and end: text inside those regions is
//! never rewritten and never split.
//!
//! Server settings that change lexing are assumed to have their defaults: PostgreSQL
//! `standard_conforming_strings = on`; MySQL without `ANSI_QUOTES` and without
//! `NO_BACKSLASH_ESCAPES`.

mod insert;
mod lexer;
mod placeholders;
mod split;

#[cfg(test)]
mod proptests;

pub use insert::{named_placeholders, parse_multi_row_insert, MultiRowInsert};
pub use lexer::{LexError, Lexer, Token, TokenKind, Unterminated};
pub use placeholders::{param_name, to_named, to_named_with, NamedSql, PlaceholderError};
pub(crate) use placeholders::{push_named, to_named_into};
pub use split::{split_statements, SplitError};

/// The SQL dialect: decides which quoting, comment and placeholder rules apply. It is the
/// crate's [`Engine`](crate::engine::Engine) under the name this module has always used.
pub use crate::engine::Engine as Dialect;
