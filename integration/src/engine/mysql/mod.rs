//! MySQL/MariaDB executor: one `mysql_async` connection per session, statements run through
//! the binary (prepared-statement) protocol, results mapped by the tables in
//! [`super::mysql_types`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use mysql_async::prelude::{Protocol, Queryable};
use mysql_async::{Column, Conn, Opts, OptsBuilder, Params, QueryResult, Value};

use super::mysql_types::{self, ColumnInfo};
use super::{
    check_hint_format, check_hint_name, hint_of, resolve_parameters, CancelHandle, ResultOptions,
    StatementResult,
};
use crate::error::ApiError;
use crate::params::{self, Dialect};
use crate::protocol::{Field, SqlParameter};

mod binds;
#[cfg(test)]
mod db_tests;
mod error;
#[cfg(test)]
mod tests;

use self::{binds::*, error::*};

/// MySQL's ER_UNSUPPORTED_PS: "This command is not supported in the prepared statement
/// protocol yet" (SQL-level PREPARE/EXECUTE/DEALLOCATE everywhere; on some server versions
/// also LOCK TABLES, XA and some admin statements).
const ER_UNSUPPORTED_PS: u16 = 1295;

/// How long `kill_query` may take before it gives up.
const KILL_TIMEOUT: Duration = Duration::from_secs(5);

/// One MySQL/MariaDB connection behind the Data API.
pub struct MysqlSession {
    conn: Conn,
    url: String,
    id: u32,
    /// Set on I/O or protocol errors: the connection must not be reused.
    broken: bool,
    /// True while a call is running; still true if its future was dropped midway, which
    /// leaves the connection in an unknown protocol state.
    busy: bool,
    /// Per (schema, table): for each of its LONGTEXT columns, whether it is a MariaDB JSON
    /// column. Filled lazily, one lookup per table; forgotten after DDL on this session, and
    /// a column not seen before reloads its table.
    json_columns: HashMap<(String, String), HashMap<String, bool>>,
}

/// The LONGTEXT columns of one table and whether each has MariaDB's JSON check
/// (`json_valid(`col`)`, a column-level CHECK constraint named after the column).
/// On MySQL (whose JSON is a type of its own) the query fails and nothing is marked.
const JSON_COLUMNS_SQL: &str = "\
SELECT c.COLUMN_NAME, EXISTS (SELECT 1 FROM information_schema.CHECK_CONSTRAINTS k \
  WHERE k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME \
  AND k.CONSTRAINT_NAME = c.COLUMN_NAME \
  AND k.CHECK_CLAUSE = CONCAT('json_valid(`', REPLACE(c.COLUMN_NAME, '`', '``'), '`)')) \
FROM information_schema.COLUMNS c \
WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? AND c.DATA_TYPE = 'longtext'";

/// A bound parameter; `binary` distinguishes blobValue from stringValue for the text-protocol
/// path, where both must be written as literals.
struct Bound {
    value: Value,
    binary: bool,
}

/// The raw result of one statement, before mapping.
struct RawResult {
    columns: Vec<ColumnInfo>,
    rows: Vec<Vec<Value>>,
}

impl MysqlSession {
    /// Connects to `url` (a `mysql://` URL), using `database` instead of the URL's database
    /// when given.
    pub async fn connect(url: &str, database: Option<&str>) -> Result<Self, ApiError> {
        let opts = Opts::from_url(url).map_err(|e| link_failure(&e))?;
        let mut builder = OptsBuilder::from_opts(opts)
            // Affected rows count the rows an UPDATE / upsert *matched*, not only those it
            // changed, as MySQL Connector/J's default (useAffectedRows=false) and diesel's
            // MysqlConnection do. *unverified* for the real Data API (its JDBC layer most
            // likely keeps Connector/J's default).
            .client_found_rows(true);
        if let Some(db) = database {
            builder = builder.db_name(Some(db));
        }
        let opts: Opts = builder.into();
        let conn = Conn::new(opts).await.map_err(|e| error_to_api(&e).0)?;
        let id = conn.id();
        Ok(MysqlSession {
            conn,
            url: url.to_string(),
            id,
            broken: false,
            busy: false,
            json_columns: HashMap::new(),
        })
    }

    /// Runs one statement with the request's named parameters.
    pub async fn execute(
        &mut self,
        sql: &str,
        params: &[SqlParameter],
        options: ResultOptions,
    ) -> Result<StatementResult, ApiError> {
        let (positional_sql, slots) = params::prepare(sql, Dialect::Mysql)?;
        for p in params {
            check_hint_name(p)?;
        }
        let resolved = resolve_parameters(&slots, params)?;
        let bound = resolved
            .iter()
            .map(|p| bind(p))
            .collect::<Result<Vec<_>, _>>()?;
        if super::starts_ddl(sql) {
            self.json_columns.clear();
        }
        self.enter()?;
        let outcome = self.run(sql, positional_sql, bound).await;
        self.busy = false;
        let mut raw = outcome.map_err(|e| self.fail(&e))?;
        self.mark_json_columns(&mut raw.columns).await;
        Ok(self.finish(raw, options))
    }

    /// Marks the result columns that are MariaDB JSON columns (see `json_columns`). Runs
    /// after the statement and only for LONGTEXT columns of tables not looked up yet, so
    /// most statements cost nothing extra. Lookup failures leave columns unmarked.
    async fn mark_json_columns(&mut self, columns: &mut [ColumnInfo]) {
        for column in columns.iter_mut() {
            if !column.may_be_mariadb_json() {
                continue;
            }
            let key = (column.schema.clone(), column.org_table.clone());
            let known = self
                .json_columns
                .get(&key)
                .and_then(|t| t.get(&column.org_name).copied());
            column.json = match known {
                Some(is_json) => is_json,
                None => {
                    let table = self.load_json_columns(&key.0, &key.1).await;
                    let is_json = table.get(&column.org_name).copied().unwrap_or(false);
                    self.json_columns.insert(key, table);
                    is_json
                }
            };
        }
    }

    async fn load_json_columns(&mut self, schema: &str, table: &str) -> HashMap<String, bool> {
        if self.enter().is_err() {
            return HashMap::new();
        }
        let rows: Result<Vec<(String, i64)>, _> =
            self.conn.exec(JSON_COLUMNS_SQL, (schema, table)).await;
        self.busy = false;
        match rows {
            Ok(rows) => rows.into_iter().map(|(c, j)| (c, j != 0)).collect(),
            Err(e) => {
                let _ = self.fail(&e);
                tracing::debug!("JSON column lookup for {schema}.{table} failed: {e}");
                HashMap::new()
            }
        }
    }

    /// Runs plain SQL without parameters or results (START TRANSACTION, COMMIT, …).
    pub async fn simple(&mut self, sql: &str) -> Result<(), ApiError> {
        self.enter()?;
        let outcome = self.conn.query_drop(sql).await;
        self.busy = false;
        outcome.map_err(|e| self.fail(&e))
    }

    /// COM_RESET_CONNECTION: rolls back, drops temporary tables, resets session variables,
    /// user variables, `LAST_INSERT_ID()` and prepared statements (mysql_async forgets its
    /// statement cache with them).
    pub async fn reset(&mut self) -> Result<(), ApiError> {
        self.enter()?;
        let outcome = self.conn.reset().await;
        self.busy = false;
        match outcome {
            Ok(true) => Ok(()),
            Ok(false) => {
                self.broken = true;
                Err(ApiError::database(
                    "COM_RESET_CONNECTION is not supported by this server (MySQL 5.7.3+ / MariaDB 10.2.4+ needed)",
                ))
            }
            Err(e) => Err(self.fail(&e)),
        }
    }

    /// Handle that kills the running statement from another connection.
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle::Mysql {
            url: self.url.clone(),
            connection_id: self.id,
        }
    }

    /// The MySQL connection id (`dbConnectionId`).
    pub fn connection_id(&self) -> i64 {
        i64::from(self.id)
    }

    /// False after a connection-level error or an interrupted call.
    pub fn is_usable(&self) -> bool {
        !self.broken && !self.busy
    }

    fn enter(&mut self) -> Result<(), ApiError> {
        if !self.is_usable() {
            self.broken = true;
            return Err(ApiError::database(
                "Communications link failure: the connection is no longer usable",
            ));
        }
        self.busy = true;
        Ok(())
    }

    /// Maps a driver error and marks the session broken when the connection is gone.
    fn fail(&mut self, e: &mysql_async::Error) -> ApiError {
        let (api, fatal) = error_to_api(e);
        if fatal {
            self.broken = true;
        }
        api
    }

    async fn run(
        &mut self,
        sql: &str,
        positional_sql: String,
        bound: Vec<Bound>,
    ) -> Result<RawResult, mysql_async::Error> {
        if driver_sees_named_params(&positional_sql) {
            // mysql_async would turn into a parameter a `:name` that our lexer left alone as
            // part of a literal (its lexer is simpler, e.g. about `'\\'`), so this SQL goes
            // through the text protocol with the values written as literals.
            let text = if bound.is_empty() {
                positional_sql
            } else {
                interpolate(sql, &bound)
            };
            let result = self.conn.query_iter(text).await?;
            return collect(result).await;
        }
        let no_params = bound.is_empty();
        let positional_sql = if bound.iter().any(|b| b.binary) {
            cast_binary_placeholders(sql, &bound)
        } else {
            positional_sql
        };
        let values: Vec<Value> = bound.into_iter().map(|b| b.value).collect();
        // The statement cache of mysql_async (stmt_cache_size, LRU, 32 by default) bounds
        // the number of statements kept prepared on the server.
        let first = self
            .conn
            .exec_iter(positional_sql.as_str(), Params::Positional(values))
            .await;
        match first {
            Ok(result) => collect(result).await,
            Err(mysql_async::Error::Server(e)) if e.code == ER_UNSUPPORTED_PS && no_params => {
                let result = self.conn.query_iter(positional_sql.as_str()).await?;
                collect(result).await
            }
            Err(e) => Err(e),
        }
    }

    fn finish(&self, raw: RawResult, options: ResultOptions) -> StatementResult {
        let has_result_set = !raw.columns.is_empty();
        let classes: Vec<_> = raw.columns.iter().map(mysql_types::value_class).collect();
        let records = raw
            .rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .zip(raw.columns.iter().zip(&classes))
                    .map(|(value, (col, class))| mysql_types::to_field(col, *class, value, options))
                    .collect()
            })
            .collect();
        let (updated, generated) = if has_result_set {
            // The OK packet after a result set may be stale or carry no counts.
            (0, Vec::new())
        } else {
            let updated = i64::try_from(self.conn.affected_rows()).unwrap_or(i64::MAX);
            let generated = match self.conn.last_insert_id() {
                Some(id) if id != 0 => vec![i64::try_from(id)
                    .map_or_else(|_| Field::StringValue(id.to_string()), Field::LongValue)],
                _ => Vec::new(),
            };
            (updated, generated)
        };
        StatementResult {
            columns: raw
                .columns
                .iter()
                .map(mysql_types::column_metadata)
                .collect(),
            records,
            has_result_set,
            updated,
            generated,
            lists_generated: !has_result_set,
        }
    }
}

/// Kills the statement running on connection `connection_id` (`KILL QUERY`), from a new
/// short-lived connection; best effort, errors are ignored.
pub async fn kill_query(url: &str, connection_id: u32) {
    let kill = async {
        let mut conn = Conn::from_url(url).await?;
        let outcome = conn.query_drop(format!("KILL QUERY {connection_id}")).await;
        let _ = conn.disconnect().await;
        outcome
    };
    match tokio::time::timeout(KILL_TIMEOUT, kill).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::debug!("KILL QUERY {connection_id} failed: {e}"),
        Err(_) => tracing::debug!("KILL QUERY {connection_id} timed out"),
    }
}

/// Reads the first result set (if any) and drains the rest (e.g. the status of a CALL).
async fn collect<P: Protocol>(
    mut result: QueryResult<'_, 'static, P>,
) -> Result<RawResult, mysql_async::Error> {
    let columns: Arc<[Column]> = result.columns().unwrap_or_else(|| Arc::from(Vec::new()));
    let rows = if columns.is_empty() {
        Vec::new()
    } else {
        result.map(|row| row.unwrap()).await?
    };
    result.drop_result().await?;
    Ok(RawResult {
        columns: columns.iter().map(ColumnInfo::from_column).collect(),
        rows,
    })
}
