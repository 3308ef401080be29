//! PostgreSQL executor: runs one Data API statement on a tokio-postgres connection, binding
//! named parameters the way the Data API does and shaping results per the reference's
//! "Results: PostgreSQL" table (decoders in [`super::pg_types`]).

use std::collections::HashMap;
use std::pin::pin;

use futures_util::TryStreamExt;
use tokio_postgres::error::{DbError, ErrorPosition};
use tokio_postgres::types::private::BytesMut;
use tokio_postgres::types::{to_sql_checked, Format, FromSql, IsNull, Kind, ToSql, Type};
use tokio_postgres::{Client, Column, Config, NoTls, Row};

use super::pg_types::{self, ColumnDecoder};
use super::{check_hint_format, check_hint_name, hint_of, resolve_parameters, starts_ddl};
use super::{CancelHandle, ResultOptions, StatementResult};
use crate::error::{ApiError, ErrorCode};
use crate::params::{self, Dialect};
use crate::protocol::{ColumnMetadata, Field, SqlParameter};

mod binds;
mod error;
mod rows;
#[cfg(test)]
mod tests;

use self::{binds::*, error::*, rows::*};

/// One PostgreSQL connection serving Data API calls.
pub struct PgSession {
    /// Boxed: `Client` is a few hundred bytes and sessions are moved around in enums.
    client: Box<Client>,
    pid: i32,
    /// Per table oid: its name and per column number its (not null, auto increment) flags;
    /// `None` when the oid is not a table any more. Filled lazily for column metadata.
    tables: HashMap<u32, Option<TableInfo>>,
    /// The server ended this session (FATAL error, terminated backend) even if the socket
    /// has not noticed yet: the session must not be reused.
    lost: bool,
    /// SQL with the word PREPARE ran since the last reset: SQL-level prepared statements
    /// may exist and the reset deallocates them.
    may_have_prepared: bool,
}

#[derive(Debug, Clone)]
struct TableInfo {
    name: String,
    columns: HashMap<i16, ColumnFlags>,
}

#[derive(Debug, Clone, Copy)]
struct ColumnFlags {
    not_null: bool,
    auto_increment: bool,
}

/// Session reset between calls (see [`PgSession::reset`]).
const RESET_SQL: &str = "\
CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *; \
SELECT pg_advisory_unlock_all(); DISCARD PLANS; DISCARD TEMP; DISCARD SEQUENCES";

/// Deallocates the statements made with SQL `PREPARE`.
const DEALLOCATE_SQL: &str = "\
DO $$DECLARE n text; BEGIN \
FOR n IN SELECT name FROM pg_catalog.pg_prepared_statements WHERE from_sql LOOP \
EXECUTE 'DEALLOCATE ' || quote_ident(n); END LOOP; END$$";

/// One table's name and column flags; identity columns and serials (a `nextval(` default)
/// are auto-increment, as pgjdbc's `isAutoIncrement` decides.
const TABLE_INFO_SQL: &str = "\
SELECT c.relname, a.attnum, a.attnotnull,
       a.attidentity <> '' OR COALESCE(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%'
FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.oid = $1";

impl PgSession {
    /// Connects to `url`, to `database` instead of the URL's database when given.
    pub async fn connect(url: &str, database: Option<&str>) -> Result<Self, ApiError> {
        let mut config: Config = url.parse().map_err(|e| {
            ApiError::database(format!(
                "Communications link failure: invalid database URL: {e}"
            ))
        })?;
        if let Some(db) = database {
            config.dbname(db);
        }
        let (client, connection) = config.connect(NoTls).await.map_err(|e| map_error(&e))?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("postgres connection ended: {e}");
            }
        });
        let row = client
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .map_err(|e| map_error(&e))?;
        let pid = row.try_get::<_, i32>(0).map_err(|e| map_error(&e))?;
        Ok(PgSession {
            client: Box::new(client),
            pid,
            tables: HashMap::new(),
            lost: false,
            may_have_prepared: false,
        })
    }

    /// Runs one statement with named parameters: `:name` placeholders become `$N`, each value is
    /// bound with the type the Data API gives it, and the results are decoded into `Field`s.
    pub async fn execute(
        &mut self,
        sql: &str,
        params: &[SqlParameter],
        options: ResultOptions,
    ) -> Result<StatementResult, ApiError> {
        self.note_prepare(sql);
        let result = self.run_statement(sql, params, options).await;
        self.note(result)
    }

    /// Remembers SQL that may create a SQL-level prepared statement, for `reset`.
    fn note_prepare(&mut self, sql: &str) {
        if !self.may_have_prepared
            && sql
                .as_bytes()
                .windows(7)
                .any(|w| w.eq_ignore_ascii_case(b"prepare"))
        {
            self.may_have_prepared = true;
        }
    }

    /// Marks the session lost when `result` says the server ended it.
    fn note<T>(&mut self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if let Err(e) = &result {
            if ["FATAL:", "PANIC:", "Communications link failure"]
                .iter()
                .any(|p| e.message.starts_with(p))
            {
                self.lost = true;
            }
        }
        result
    }

    async fn run_statement(
        &mut self,
        sql: &str,
        params: &[SqlParameter],
        options: ResultOptions,
    ) -> Result<StatementResult, ApiError> {
        let (text, slots) = params::prepare(sql, Dialect::Postgres)?;
        let bound = resolve_parameters(&slots, params)?;
        let mut types = Vec::with_capacity(bound.len());
        let mut values = Vec::with_capacity(bound.len());
        for p in bound {
            check_hint_name(p)?;
            let (ty, value) = bind(p)?;
            types.push(ty);
            values.push(value);
        }
        if starts_ddl(sql) {
            // Table definitions may change: forget cached column flags.
            self.tables.clear();
        }
        let statement = self
            .client
            .prepare_typed(&text, &types)
            .await
            .map_err(|e| map_error(&e))?;
        let columns = statement.columns();
        // An unsupported column type fails the call, but only after the statement ran, as the
        // Data API converts results after execution.
        let decoders: Result<Vec<ColumnDecoder>, ApiError> = columns
            .iter()
            .map(|c| pg_types::column_decoder(c.type_()))
            .collect();
        let mut failure = decoders.as_ref().err().cloned();
        let decoders = decoders.unwrap_or_default();

        let stream = self
            .client
            .query_raw(&statement, values.iter())
            .await
            .map_err(|e| map_error(&e))?;
        let mut stream = pin!(stream);
        let mut records = Vec::new();
        // Drain the stream even after a decoding failure so the statement completes.
        while let Some(row) = stream.try_next().await.map_err(|e| map_error(&e))? {
            if failure.is_none() {
                match decode_row(&row, columns, &decoders, options) {
                    Ok(record) => records.push(record),
                    Err(e) => failure = Some(e),
                }
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        let has_result_set = !columns.is_empty();
        // pgjdbc reports no update count for a statement that returned rows (INSERT … RETURNING
        // included), so the Data API answers 0 there.
        let updated = if has_result_set {
            0
        } else {
            stream.rows_affected().unwrap_or(0) as i64
        };
        let columns = self.column_metadata(columns).await?;
        Ok(StatementResult {
            columns,
            records,
            has_result_set,
            updated,
            generated: Vec::new(),
            lists_generated: false,
        })
    }

    /// Runs plain SQL without parameters or results (BEGIN, COMMIT, ROLLBACK, SET, …).
    pub async fn simple(&mut self, sql: &str) -> Result<(), ApiError> {
        self.note_prepare(sql);
        self.simple_unnoted(sql).await
    }

    async fn simple_unnoted(&mut self, sql: &str) -> Result<(), ApiError> {
        let result = self
            .client
            .batch_execute(sql)
            .await
            .map_err(|e| map_error(&e));
        self.note(result)
    }

    /// What `DISCARD ALL` does, except `DEALLOCATE ALL`, which would also drop the
    /// statements tokio-postgres keeps prepared for its type lookups; statements prepared
    /// with SQL `PREPARE` are deallocated one by one instead, when SQL that may have made one
    /// ran (the lookup costs as much as the rest of the reset). One round trip.
    pub async fn reset(&mut self) -> Result<(), ApiError> {
        if std::mem::take(&mut self.may_have_prepared) {
            self.simple_unnoted(&format!("{RESET_SQL}; {DEALLOCATE_SQL}"))
                .await
        } else {
            self.simple_unnoted(RESET_SQL).await
        }
    }

    /// Handle to cancel the statement running on this connection.
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle::Pg(self.client.cancel_token())
    }

    /// The backend process id (`dbConnectionId`).
    pub fn connection_id(&self) -> i64 {
        self.pid.into()
    }

    /// False once the connection is closed.
    pub fn is_usable(&self) -> bool {
        !self.lost && !self.client.is_closed()
    }

    async fn column_metadata(
        &mut self,
        columns: &[Column],
    ) -> Result<Vec<ColumnMetadata>, ApiError> {
        let mut out = Vec::with_capacity(columns.len());
        for column in columns {
            let ty = column.type_();
            let typmod = column.type_modifier();
            let source = match (column.table_oid(), column.column_id()) {
                (Some(oid), Some(attnum)) => self.table_column(oid, attnum).await?,
                _ => None,
            };
            let (table_name, flags) = match &source {
                Some((name, flags)) => (name.clone(), *flags),
                None => (String::new(), None),
            };
            out.push(ColumnMetadata {
                name: column.name().to_string(),
                label: column.name().to_string(),
                type_code: pg_types::jdbc_type(ty),
                type_name: ty.name().to_string(),
                schema_name: String::new(),
                table_name,
                is_auto_increment: flags.is_some_and(|f| f.auto_increment),
                is_signed: pg_types::is_signed(ty),
                is_currency: false,
                is_case_sensitive: pg_types::is_case_sensitive(ty),
                // 0 no nulls, 1 nullable, 2 unknown (expressions).
                nullable: flags.map_or(2, |f| if f.not_null { 0 } else { 1 }),
                precision: pg_types::precision(ty, typmod),
                scale: pg_types::scale(ty, typmod),
                array_base_column_type: pg_types::array_base_type(ty),
            });
        }
        Ok(out)
    }

    /// Table name and column flags of a result column that comes straight from a table.
    async fn table_column(
        &mut self,
        oid: u32,
        attnum: i16,
    ) -> Result<Option<(String, Option<ColumnFlags>)>, ApiError> {
        // A column added since the table was cached (by another session) is a cache miss.
        let cached = self
            .tables
            .get(&oid)
            .map(|t| t.as_ref().map(|t| t.columns.contains_key(&attnum)));
        if !matches!(cached, Some(None) | Some(Some(true))) {
            let info = self.load_table(oid).await?;
            self.tables.insert(oid, info);
        }
        Ok(self.tables[&oid]
            .as_ref()
            .map(|t| (t.name.clone(), t.columns.get(&attnum).copied())))
    }

    async fn load_table(&self, oid: u32) -> Result<Option<TableInfo>, ApiError> {
        let oid_text = RawParam::Text(oid.to_string());
        let rows = self
            .client
            .query_typed(TABLE_INFO_SQL, &[(&oid_text, Type::OID)])
            .await
            .map_err(|e| map_error(&e))?;
        let mut info: Option<TableInfo> = None;
        for row in &rows {
            let text = |i: usize| raw(row, i).map(|r| String::from_utf8_lossy(r).into_owned());
            let flag = |i: usize| raw(row, i) == Some(&[1][..]);
            let table = info.get_or_insert_with(|| TableInfo {
                name: text(0).unwrap_or_default(),
                columns: HashMap::new(),
            });
            if let Some(&[hi, lo]) = raw(row, 1) {
                let flags = ColumnFlags {
                    not_null: flag(2),
                    auto_increment: flag(3),
                };
                table.columns.insert(i16::from_be_bytes([hi, lo]), flags);
            }
        }
        Ok(info)
    }
}
