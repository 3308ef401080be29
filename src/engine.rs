//! [`Engine`]: which database a cluster runs. The one place the library names the engines;
//! the SQL dialect ([`crate::sql::Dialect`]), the error parsing and the codecs all key on it.

/// The database engine of an Aurora cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Aurora PostgreSQL: `$N` placeholders, `E'..'` strings, `".."` identifiers, nested
    /// `/* */` comments, `$tag$ .. $tag$` bodies; errors end in `SQLState: XXXXX`.
    Postgres,
    /// Aurora MySQL (and MariaDB locally): `?` placeholders, backslash escapes in `'..'` and
    /// `".."` strings, `` `..` `` identifiers, `#` comments, `/*! .. */` executable comments;
    /// errors carry `Error code: N; SQLState: …`.
    Mysql,
}
