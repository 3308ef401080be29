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

/// Turns a driver error into the Data API error; the flag says the connection is unusable.
/// Server errors read `<message>; Error code: <n>; SQLState: <state>` as on Aurora MySQL.
fn error_to_api(e: &mysql_async::Error) -> (ApiError, bool) {
    use mysql_async::DriverError as D;
    match e {
        mysql_async::Error::Server(s) => (
            ApiError::database(format!(
                "{}; Error code: {}; SQLState: {}",
                s.message, s.code, s.state
            )),
            false,
        ),
        // Errors about the request itself leave the connection in a clean state.
        mysql_async::Error::Driver(
            d @ (D::MixedParams
            | D::StmtParamsMismatch { .. }
            | D::StmtParamsNumberExceedsLimit { .. }
            | D::Params(_)),
        ) => (ApiError::database(d.to_string()), false),
        other => (link_failure(other), true),
    }
}

fn link_failure(e: &dyn std::fmt::Display) -> ApiError {
    ApiError::database(format!("Communications link failure: {e}"))
}

/// Binds one parameter. Date/time hints are checked as the Data API does; TIME and
/// TIMESTAMP are sent typed, DATE as its text (a typed DATE would go out as DATETIME, which
/// changes the type of expressions like `:d + INTERVAL 1 DAY`; MySQL casts the string).
/// DECIMAL, UUID and JSON hints send the string, which MySQL converts on use.
fn bind(p: &SqlParameter) -> Result<Bound, ApiError> {
    let text = |value| Bound {
        value,
        binary: false,
    };
    Ok(match &p.value {
        None | Some(Field::IsNull(_)) => text(Value::NULL),
        Some(Field::BooleanValue(b)) => text(Value::Int(i64::from(*b))),
        Some(Field::LongValue(n)) => text(Value::Int(*n)),
        Some(Field::DoubleValue(d)) => text(Value::Double(*d)),
        Some(Field::BlobValue(b)) => Bound {
            value: Value::Bytes(b.clone()),
            binary: true,
        },
        Some(Field::StringValue(s)) => {
            let hint = hint_of(p);
            if let Some(h) = hint.as_deref() {
                check_hint_format(h, s)?;
            }
            match hint.as_deref() {
                Some("TIME") => text(time_value(s)),
                Some("TIMESTAMP") => text(timestamp_value(s)),
                _ => text(Value::Bytes(s.as_bytes().to_vec())),
            }
        }
        // resolve_parameters refuses arrays before binding.
        Some(Field::ArrayValue(_)) => {
            return Err(ApiError::validation(
                crate::error::messages::ARRAY_PARAMETERS,
            ));
        }
    })
}

/// `HH:MM:SS[.f]` (format already checked) as a TIME value.
fn time_value(s: &str) -> Value {
    let (hms, frac) = s.split_once('.').unwrap_or((s, ""));
    let n: Vec<u32> = hms.split(':').map(|x| x.parse().unwrap_or(0)).collect();
    let micros = mysql_types::parse_micros(frac).unwrap_or(0);
    Value::Time(
        false,
        n[0] / 24,
        (n[0] % 24) as u8,
        n[1] as u8,
        n[2] as u8,
        micros,
    )
}

/// `YYYY-MM-DD HH:MM:SS[.f]` (format already checked) as a DATETIME value.
fn timestamp_value(s: &str) -> Value {
    let (date, time) = s.split_at(10);
    let d: Vec<u16> = date.split('-').map(|x| x.parse().unwrap_or(0)).collect();
    match time_value(time.trim_start()) {
        Value::Time(_, _, h, mi, sec, us) => {
            Value::Date(d[0], d[1] as u8, d[2] as u8, h, mi, sec, us)
        }
        other => other,
    }
}

/// The SQL with each placeholder replaced by its value as a literal that does not depend on
/// sql_mode (hex for strings, so no escaping rules apply).
fn interpolate(sql: &str, bound: &[Bound]) -> String {
    let parsed = params::parse(sql, Dialect::Mysql);
    let mut out = String::with_capacity(sql.len());
    let mut last = 0;
    for ((range, _), b) in parsed.placeholders.iter().zip(bound) {
        out.push_str(&sql[last..range.start]);
        out.push_str(&literal(b));
        last = range.end;
    }
    out.push_str(&sql[last..]);
    out
}

/// The positional SQL with the placeholder of each blobValue parameter written
/// `CAST(? AS BINARY)`. mysql_async sends every byte string as a VAR_STRING in the
/// connection's character set, so a bare `?` would make `SELECT :blob` a utf8mb4 VARCHAR
/// (returned as a lossy stringValue) and compare it by collation. The Data API binds a
/// blobValue as binary data (JDBC `setBytes`: a `_binary'…'` literal or a BLOB-typed
/// parameter), so the expression is a binary string, as the text-protocol path's `X'…'`.
fn cast_binary_placeholders(sql: &str, bound: &[Bound]) -> String {
    let parsed = params::parse(sql, Dialect::Mysql);
    let mut out = String::with_capacity(sql.len() + 16 * bound.len());
    let mut last = 0;
    for ((range, _), b) in parsed.placeholders.iter().zip(bound) {
        out.push_str(&sql[last..range.start]);
        out.push_str(if b.binary { "CAST(? AS BINARY)" } else { "?" });
        last = range.end;
    }
    out.push_str(&sql[last..]);
    out
}

fn literal(b: &Bound) -> String {
    match &b.value {
        Value::NULL => "NULL".into(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => format!("{f:e}"),
        // Exponent notation makes MySQL read a DOUBLE, not a DECIMAL.
        Value::Double(d) => format!("{d:e}"),
        Value::Bytes(bytes) => {
            let hex: String = bytes.iter().map(|x| format!("{x:02X}")).collect();
            if b.binary {
                format!("X'{hex}'")
            } else {
                format!("_utf8mb4 X'{hex}'")
            }
        }
        Value::Date(y, mo, d, h, mi, s, us) => {
            format!("TIMESTAMP'{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{us:06}'")
        }
        Value::Time(neg, days, h, mi, s, us) => {
            let sign = if *neg { "-" } else { "" };
            format!(
                "TIME'{sign}{:02}:{mi:02}:{s:02}.{us:06}'",
                days * 24 + u32::from(*h)
            )
        }
    }
}

/// Whether mysql_async would find `:name` parameters in `sql` (a replica of mysql_common's
/// `ParsedNamedParams::parse`, which every `exec_*` call with SQL text runs).
fn driver_sees_named_params(sql: &str) -> bool {
    #[derive(Clone, Copy)]
    enum S {
        Top,
        Str(u8, u8),
        MaybeParam,
        Sharp,
        Dash1,
        Dash2,
        DashComment,
        C1,
        C2,
        CComment,
        CExit,
        Ident,
    }
    let mut state = S::Top;
    for &c in sql.as_bytes() {
        let mut rematch = false;
        state = match state {
            S::Top => match c {
                b':' => S::MaybeParam,
                b'/' => S::C1,
                b'-' => S::Dash1,
                b'#' => S::Sharp,
                b'\'' | b'"' => S::Str(c, c),
                b'`' => S::Ident,
                _ => S::Top,
            },
            S::Str(q, prev) => {
                if c == q && prev != b'\\' {
                    S::Top
                } else {
                    S::Str(q, c)
                }
            }
            S::MaybeParam => {
                if c.is_ascii_lowercase() || c == b'_' {
                    return true;
                }
                rematch = true;
                S::Top
            }
            S::Sharp => {
                if c == b'\n' {
                    S::Top
                } else {
                    S::Sharp
                }
            }
            S::Dash1 => {
                if c == b'-' {
                    S::Dash2
                } else {
                    S::Top
                }
            }
            S::Dash2 => {
                if c.is_ascii_whitespace() && c != b'\n' {
                    S::DashComment
                } else {
                    S::Top
                }
            }
            S::DashComment => {
                if c == b'\n' {
                    S::Top
                } else {
                    S::DashComment
                }
            }
            S::C1 => {
                if c == b'*' {
                    S::C2
                } else {
                    S::Top
                }
            }
            S::C2 => {
                if c == b'!' || c == b'+' {
                    S::Top
                } else {
                    S::CComment
                }
            }
            S::CComment => {
                if c == b'*' {
                    S::CExit
                } else {
                    S::CComment
                }
            }
            S::CExit => {
                if c == b'/' {
                    S::Top
                } else {
                    S::CComment
                }
            }
            S::Ident => {
                if c == b'`' {
                    S::Top
                } else {
                    S::Ident
                }
            }
        };
        if rematch {
            state = match c {
                b':' => S::MaybeParam,
                b'\'' | b'"' => S::Str(c, c),
                _ => S::Top,
            };
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn driver_named_param_replica() {
        assert!(!driver_sees_named_params(
            "SELECT ?, ':a', `:b` -- :c\n, /* :d */ 1"
        ));
        assert!(driver_sees_named_params("SELECT '\\\\', ':a'"));
        assert!(driver_sees_named_params("SELECT 1::int"));
        assert!(!driver_sees_named_params("SELECT ':1', :1"));
    }

    #[test]
    fn binds_hints() {
        let p = |v: Field, hint: Option<&str>| SqlParameter {
            name: Some("p".into()),
            value: Some(v),
            type_hint: hint.map(str::to_string),
        };
        let v = bind(&p(
            Field::StringValue("2024-02-29 01:02:03.5".into()),
            Some("timestamp"),
        ))
        .unwrap();
        assert_eq!(v.value, Value::Date(2024, 2, 29, 1, 2, 3, 500_000));
        let v = bind(&p(Field::StringValue("25:00:01".into()), Some("TIME"))).unwrap();
        assert_eq!(v.value, Value::Time(false, 1, 1, 0, 1, 0));
        let v = bind(&p(Field::StringValue("2024-02-29".into()), Some("DATE"))).unwrap();
        assert_eq!(v.value, Value::Bytes(b"2024-02-29".to_vec()));
        let e = bind(&p(
            Field::StringValue("2024-02-29T01:02:03".into()),
            Some("TIMESTAMP"),
        ))
        .err()
        .unwrap();
        assert_eq!(e.code, ErrorCode::BadRequest);
        assert_eq!(
            bind(&p(Field::BooleanValue(true), None)).unwrap().value,
            Value::Int(1)
        );
        assert!(bind(&p(Field::BlobValue(vec![1]), None)).unwrap().binary);
        assert_eq!(
            bind(&p(Field::IsNull(true), None)).unwrap().value,
            Value::NULL
        );
    }

    #[test]
    fn literals() {
        let b = |value, binary| Bound { value, binary };
        assert_eq!(
            literal(&b(Value::Bytes(b"a'".to_vec()), false)),
            "_utf8mb4 X'6127'"
        );
        assert_eq!(literal(&b(Value::Bytes(vec![0, 255]), true)), "X'00FF'");
        assert_eq!(literal(&b(Value::Double(1.5), false)), "1.5e0");
        assert_eq!(
            literal(&b(Value::Time(true, 1, 2, 3, 4, 5), false)),
            "TIME'-26:03:04.000005'"
        );
        let sql = "SELECT ':x', :a, :b";
        let out = interpolate(sql, &[b(Value::Int(1), false), b(Value::NULL, false)]);
        assert_eq!(out, "SELECT ':x', 1, NULL");
        let out = cast_binary_placeholders(
            "SELECT ':b', :a, :b, :a",
            &[
                b(Value::Int(1), false),
                b(Value::Bytes(vec![0]), true),
                b(Value::Int(1), false),
            ],
        );
        assert_eq!(out, "SELECT ':b', ?, CAST(? AS BINARY), ?");
    }

    #[test]
    fn server_error_shape() {
        let e = mysql_async::Error::Server(mysql_async::ServerError {
            code: 1062,
            message: "Duplicate entry '1' for key 'PRIMARY'".into(),
            state: "23000".into(),
        });
        let (api, fatal) = error_to_api(&e);
        assert!(!fatal);
        assert_eq!(api.code, ErrorCode::DatabaseError);
        assert_eq!(
            api.message,
            "Duplicate entry '1' for key 'PRIMARY'; Error code: 1062; SQLState: 23000"
        );
        let io = mysql_async::Error::Driver(mysql_async::DriverError::ConnectionClosed);
        let (api, fatal) = error_to_api(&io);
        assert!(fatal);
        assert!(
            api.message.starts_with("Communications link failure: "),
            "{}",
            api.message
        );
    }
}

/// Tests against the MariaDB/MySQL at `MYSQL_TEST_URL` (default
/// `mysql://root@127.0.0.1:3306/test`). They fail, never skip, when it is unreachable.
#[cfg(test)]
mod db_tests {
    use super::*;
    use crate::error::ErrorCode;

    fn url() -> String {
        std::env::var("MYSQL_TEST_URL")
            .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
    }

    async fn session() -> MysqlSession {
        match MysqlSession::connect(&url(), None).await {
            Ok(s) => s,
            Err(e) => {
                panic!(
                    "MariaDB/MySQL test server at {} is unreachable (set MYSQL_TEST_URL): {e}",
                    url()
                )
            }
        }
    }

    fn unique(prefix: &str) -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        format!("{prefix}_{}_{}", std::process::id(), nanos % 1_000_000_000)
    }

    fn param(name: &str, value: Field) -> SqlParameter {
        SqlParameter {
            name: Some(name.into()),
            value: Some(value),
            type_hint: None,
        }
    }

    fn hinted(name: &str, value: &str, hint: &str) -> SqlParameter {
        SqlParameter {
            name: Some(name.into()),
            value: Some(Field::StringValue(value.into())),
            type_hint: Some(hint.into()),
        }
    }

    fn s(v: &str) -> Field {
        Field::StringValue(v.into())
    }

    #[tokio::test]
    async fn every_type_round_trips() {
        let mut db = session().await;
        let table = unique("types");
        let opts = ResultOptions::default();
        db.execute(
            &format!(
                "CREATE TABLE {table} (
                    id INT AUTO_INCREMENT PRIMARY KEY,
                    b TINYINT(1), bit1 BIT(1), bit8 BIT(8),
                    ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
                    mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED,
                    bi BIGINT, biu BIGINT UNSIGNED,
                    f FLOAT, d DOUBLE, de DECIMAL(10,2) NOT NULL,
                    c CHAR(5), v VARCHAR(10), t TEXT, e ENUM('a','b'), st SET('a','b','c'),
                    bn BINARY(4), vb VARBINARY(8), bl BLOB,
                    dt DATE, tm TIME(6), dtm DATETIME(6), ts TIMESTAMP(6) NULL, y YEAR, j JSON
                ) DEFAULT CHARSET=utf8mb4"
            ),
            &[],
            opts,
        )
        .await
        .unwrap();

        let insert = format!(
            "INSERT INTO {table} (b, bit1, bit8, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, f, d, de,
                c, v, t, e, st, bn, vb, bl, dt, tm, dtm, ts, y, j)
             VALUES (:b, :bit1, :bit8, :ti, :tiu, :si, :siu, :mi, :miu, :i, :iu, :bi, :biu, :f, :d, :de,
                :c, :v, :t, :e, :st, :bn, :vb, :bl, :dt, :tm, :dtm, :ts, :y, :j)"
        );
        let params = vec![
            param("b", Field::BooleanValue(true)),
            param("bit1", Field::LongValue(1)),
            param("bit8", Field::LongValue(0x81)),
            param("ti", Field::LongValue(-128)),
            param("tiu", Field::LongValue(255)),
            param("si", Field::LongValue(-32768)),
            param("siu", Field::LongValue(65535)),
            param("mi", Field::LongValue(-8_388_608)),
            param("miu", Field::LongValue(16_777_215)),
            param("i", Field::LongValue(-2_147_483_648)),
            param("iu", Field::LongValue(4_294_967_295)),
            param("bi", Field::LongValue(i64::MIN)),
            param("biu", s("18446744073709551615")),
            param("f", Field::DoubleValue(1.5)),
            param("d", Field::DoubleValue(2.25)),
            hinted("de", "0.10", "DECIMAL"),
            param("c", s("ab")),
            param("v", s("héllo")),
            param("t", s("long text")),
            param("e", s("b")),
            param("st", s("a,c")),
            param("bn", Field::BlobValue(vec![1, 2])),
            param("vb", Field::BlobValue(vec![0, 255])),
            param("bl", Field::BlobValue(b"blob".to_vec())),
            hinted("dt", "2024-02-29", "DATE"),
            param("tm", s("-838:59:59")),
            hinted("dtm", "2021-01-02 03:04:05.12", "TIMESTAMP"),
            hinted("ts", "2021-01-02 03:04:05", "TIMESTAMP"),
            param("y", Field::LongValue(2021)),
            hinted("j", r#"{"a": [1, 2]}"#, "JSON"),
        ];
        let r = db.execute(&insert, &params, opts).await.unwrap();
        assert_eq!(r.updated, 1);
        assert_eq!(r.generated, vec![Field::LongValue(1)]);
        assert!(!r.has_result_set);
        // A row of NULLs (DECIMAL is NOT NULL).
        let r = db
            .execute(
                &format!("INSERT INTO {table} (de) VALUES (:de)"),
                &[param("de", Field::LongValue(3))],
                opts,
            )
            .await
            .unwrap();
        assert_eq!(r.generated, vec![Field::LongValue(2)]);

        let r = db
            .execute(&format!("SELECT * FROM {table} ORDER BY id"), &[], opts)
            .await
            .unwrap();
        assert!(r.has_result_set);
        assert_eq!(r.updated, 0);
        assert!(r.generated.is_empty());
        let row = &r.records[0];
        let expected = vec![
            Field::LongValue(1),
            Field::BooleanValue(true),
            Field::BooleanValue(true),
            Field::BooleanValue(true),
            Field::LongValue(-128),
            Field::LongValue(255),
            Field::LongValue(-32768),
            Field::LongValue(65535),
            Field::LongValue(-8_388_608),
            Field::LongValue(16_777_215),
            Field::LongValue(-2_147_483_648),
            Field::LongValue(4_294_967_295),
            Field::LongValue(i64::MIN),
            s("18446744073709551615"),
            Field::DoubleValue(1.5),
            Field::DoubleValue(2.25),
            s("0.10"),
            s("ab"),
            s("héllo"),
            s("long text"),
            s("b"),
            s("a,c"),
            Field::BlobValue(vec![1, 2, 0, 0]),
            Field::BlobValue(vec![0, 255]),
            Field::BlobValue(b"blob".to_vec()),
            s("2024-02-29"),
            s("-838:59:59"),
            s("2021-01-02 03:04:05.12"),
            s("2021-01-02 03:04:05"),
            s("2021"),
        ];
        assert_eq!(&row[..expected.len()], &expected[..]);
        // JSON: MySQL normalizes the text, MariaDB (LONGTEXT) keeps it; compare as JSON.
        let Field::StringValue(j) = &row[expected.len()] else {
            panic!("json: {:?}", row[expected.len()])
        };
        let j: serde_json::Value = serde_json::from_str(j).unwrap();
        assert_eq!(j, serde_json::json!({"a": [1, 2]}));

        let nulls = &r.records[1];
        assert_eq!(nulls[0], Field::LongValue(2));
        assert_eq!(nulls[16], s("3.00"));
        for (i, f) in nulls.iter().enumerate() {
            if i != 0 && i != 16 {
                assert_eq!(f, &Field::IsNull(true), "column {i}");
            }
        }

        let meta = |name: &str| r.columns.iter().find(|c| c.name == name).unwrap().clone();
        let types: Vec<(&str, &str, i32)> = vec![
            ("id", "INT", 4),
            ("b", "BIT", -7),
            ("bit8", "BIT", -7),
            ("ti", "TINYINT", -6),
            ("tiu", "TINYINT UNSIGNED", -6),
            ("siu", "SMALLINT UNSIGNED", 5),
            ("mi", "MEDIUMINT", 4),
            ("iu", "INT UNSIGNED", 4),
            ("bi", "BIGINT", -5),
            ("biu", "BIGINT UNSIGNED", -5),
            ("f", "FLOAT", 7),
            ("d", "DOUBLE", 8),
            ("de", "DECIMAL", 3),
            ("c", "CHAR", 1),
            ("v", "VARCHAR", 12),
            ("t", "TEXT", -1),
            ("e", "ENUM", 1),
            ("st", "SET", 1),
            ("bn", "BINARY", -2),
            ("vb", "VARBINARY", -3),
            ("bl", "BLOB", -4),
            ("dt", "DATE", 91),
            ("tm", "TIME", 92),
            ("dtm", "DATETIME", 93),
            ("ts", "TIMESTAMP", 93),
            ("y", "YEAR", 91),
        ];
        for (name, type_name, code) in types {
            let m = meta(name);
            assert_eq!(
                (m.type_name.as_str(), m.type_code),
                (type_name, code),
                "column {name}"
            );
            assert_eq!(m.table_name, table);
            assert_eq!(m.schema_name, "");
        }
        let id = meta("id");
        assert!(id.is_auto_increment && id.is_signed);
        assert_eq!(id.nullable, 0);
        let de = meta("de");
        assert_eq!((de.precision, de.scale, de.nullable), (10, 2, 0));
        assert_eq!(meta("v").precision, 10);
        assert_eq!(meta("dtm").scale, 6);
        assert!(!meta("iu").is_signed);
        // MariaDB stores JSON as LONGTEXT; the session's lookup reports it as JSON, as MySQL.
        assert_eq!(meta("j").type_name, "JSON");

        // longReturnType=STRING and decimalReturnType=DOUBLE_OR_LONG.
        let opts2 = ResultOptions {
            long_as_string: true,
            decimal_as_number: true,
        };
        let r = db
            .execute(
                &format!("SELECT i, biu, de, b FROM {table} WHERE id = :id"),
                &[param("id", Field::LongValue(1))],
                opts2,
            )
            .await
            .unwrap();
        assert_eq!(
            r.records,
            vec![vec![
                s("-2147483648"),
                s("18446744073709551615"),
                Field::DoubleValue(0.1),
                Field::BooleanValue(true)
            ]]
        );

        // The same parameter twice; a hinted TIME with a fraction.
        let r = db
            .execute(
                "SELECT :x + :x AS twice, :t AS t",
                &[
                    param("x", Field::LongValue(21)),
                    hinted("t", "12:34:56.5", "TIME"),
                ],
                opts,
            )
            .await
            .unwrap();
        assert_eq!(r.records, vec![vec![Field::LongValue(42), s("12:34:56.5")]]);
        assert_eq!(r.columns[0].name, "twice");

        // A blobValue parameter is binary data: `SELECT :b` is a VARBINARY column, bytes kept
        // (not a utf8mb4 VARCHAR turned into a lossy stringValue), and compares byte for byte
        // (not by the connection's case-insensitive collation).
        let bytes = vec![0x80, 0, 0xff, b'a'];
        let r = db
            .execute(
                "SELECT :b AS b, :lower = :upper AS same, :s AS s",
                &[
                    param("b", Field::BlobValue(bytes.clone())),
                    param("lower", Field::BlobValue(b"a".to_vec())),
                    param("upper", Field::BlobValue(b"A".to_vec())),
                    param("s", s("ü")),
                ],
                opts,
            )
            .await
            .unwrap();
        assert_eq!(
            r.records,
            vec![vec![Field::BlobValue(bytes), Field::LongValue(0), s("ü")]]
        );
        assert_eq!(r.columns[0].type_name, "VARBINARY");

        db.execute(&format!("DROP TABLE {table}"), &[], opts)
            .await
            .unwrap();
        assert!(db.is_usable());
    }

    #[tokio::test]
    async fn errors_and_fallbacks() {
        let mut db = session().await;
        let table = unique("errs");
        let opts = ResultOptions::default();
        db.execute(
            &format!("CREATE TABLE {table} (id INT PRIMARY KEY, name VARCHAR(20))"),
            &[],
            opts,
        )
        .await
        .unwrap();
        let insert = format!("INSERT INTO {table} VALUES (:id, :name)");
        let params = [param("id", Field::LongValue(1)), param("name", s("a"))];
        let r = db.execute(&insert, &params, opts).await.unwrap();
        assert_eq!(r.updated, 1);
        // No AUTO_INCREMENT: no generated key.
        assert!(r.generated.is_empty());

        let e = db.execute(&insert, &params, opts).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::DatabaseError);
        assert!(
            e.message.starts_with("Duplicate entry '1' for key"),
            "{}",
            e.message
        );
        assert!(
            e.message.ends_with("; Error code: 1062; SQLState: 23000"),
            "{}",
            e.message
        );
        assert!(db.is_usable());

        let e = db.execute("SELEC 1", &[], opts).await.unwrap_err();
        assert!(
            e.message.contains("; Error code: 1064; SQLState: 42000"),
            "{}",
            e.message
        );

        // Missing parameter and multi-statements are refused before reaching the server.
        let e = db.execute("SELECT :nope", &[], opts).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::BadRequest);
        let e = db
            .execute("SELECT 1; SELECT 2", &[], opts)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);

        // UPDATE counts; a statement mysql_async's own lexer would misread goes by text.
        let r = db
            .execute(
                &format!("UPDATE {table} SET name = CONCAT(:n, '\\\\', ':x') WHERE id = :id"),
                &[param("n", s("it's")), param("id", Field::LongValue(1))],
                opts,
            )
            .await
            .unwrap();
        assert_eq!(r.updated, 1);
        let r = db
            .execute(&format!("SELECT name FROM {table}"), &[], opts)
            .await
            .unwrap();
        assert_eq!(r.records, vec![vec![s("it's\\:x")]]);

        // SQL-level PREPARE/EXECUTE cannot go through the binary protocol (error 1295): they
        // run through the text protocol, results included.
        db.execute(
            &format!("PREPARE dapi_s FROM 'SELECT COUNT(*) AS n FROM {table}'"),
            &[],
            opts,
        )
        .await
        .unwrap();
        let r = db.execute("EXECUTE dapi_s", &[], opts).await.unwrap();
        assert_eq!(r.records, vec![vec![Field::LongValue(1)]]);
        assert_eq!(r.columns[0].name, "n");
        db.execute("DEALLOCATE PREPARE dapi_s", &[], opts)
            .await
            .unwrap();
        // ...but not with parameters: the server's error is returned.
        let e = db
            .execute(
                "EXECUTE dapi_s USING :p",
                &[param("p", Field::LongValue(1))],
                opts,
            )
            .await
            .unwrap_err();
        assert!(e.message.contains("Error code: 1295"), "{}", e.message);

        // Transactions through simple().
        db.simple("START TRANSACTION").await.unwrap();
        db.execute(&format!("DELETE FROM {table}"), &[], opts)
            .await
            .unwrap();
        db.simple("ROLLBACK").await.unwrap();
        let r = db
            .execute(&format!("SELECT COUNT(*) FROM {table}"), &[], opts)
            .await
            .unwrap();
        assert_eq!(r.records, vec![vec![Field::LongValue(1)]]);
        let e = db.simple("NOT SQL").await.unwrap_err();
        assert!(e.message.contains("Error code: 1064"), "{}", e.message);

        db.execute(&format!("DROP TABLE {table}"), &[], opts)
            .await
            .unwrap();
        assert!(db.is_usable());
    }

    #[tokio::test]
    async fn connect_errors_and_cancel() {
        let e = MysqlSession::connect(&url(), Some("no_such_db_for_data_api_tests"))
            .await
            .err()
            .unwrap();
        assert!(
            e.message.contains("Error code: 1049; SQLState: 42000"),
            "{}",
            e.message
        );
        let e = MysqlSession::connect("mysql://root@127.0.0.1:1/test", None)
            .await
            .err()
            .unwrap();
        assert!(
            e.message.starts_with("Communications link failure: "),
            "{}",
            e.message
        );

        let mut db = session().await;
        assert!(db.connection_id() > 0);
        let handle = db.cancel_handle();
        let killer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            handle.cancel().await;
        });
        let started = std::time::Instant::now();
        let r = db
            .execute("SELECT SLEEP(20)", &[], ResultOptions::default())
            .await;
        killer.await.unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "KILL QUERY did not stop the statement"
        );
        // MySQL makes SLEEP return 1 when killed; MariaDB reports error 1317.
        match r {
            Ok(r) => assert_eq!(r.records, vec![vec![Field::LongValue(1)]]),
            Err(e) => assert!(e.message.contains("Error code: 1317"), "{}", e.message),
        }
        assert!(db.is_usable());
        let r = db
            .execute("SELECT 1 AS one", &[], ResultOptions::default())
            .await
            .unwrap();
        assert_eq!(r.records, vec![vec![Field::LongValue(1)]]);
    }
}
