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

fn decode_row(
    row: &Row,
    columns: &[Column],
    decoders: &[ColumnDecoder],
    options: ResultOptions,
) -> Result<Vec<Field>, ApiError> {
    decoders
        .iter()
        .zip(columns)
        .enumerate()
        .map(|(i, (decoder, column))| {
            pg_types::decode_value(*decoder, raw(row, i), options, column.type_().name())
        })
        .collect()
}

/// The raw binary bytes of a value (`None` for NULL).
fn raw(row: &Row, i: usize) -> Option<&[u8]> {
    row.try_get::<_, Raw>(i).ok().and_then(|r| r.0)
}

/// Accepts any column type and keeps the value's bytes, for our own decoders.
struct Raw<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(Some(raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A pre-encoded parameter value. Text values go in PostgreSQL's text format, so the server's
/// own input function parses them (dates, numerics, uuids, json…); bytes go in binary.
#[derive(Debug)]
enum RawParam {
    Null,
    Text(String),
    Binary(Vec<u8>),
}

impl ToSql for RawParam {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            RawParam::Null => return Ok(IsNull::Yes),
            RawParam::Text(s) => out.extend_from_slice(s.as_bytes()),
            RawParam::Binary(b) => out.extend_from_slice(b),
        }
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, _: &Type) -> Format {
        match self {
            RawParam::Binary(_) => Format::Binary,
            _ => Format::Text,
        }
    }

    to_sql_checked!();
}

/// Parameter type oid 0: "unspecified", the server infers it from the context, as pgjdbc's
/// `setNull(i, Types.NULL)` does. Used for NULLs without a typeHint so that
/// `int_col = :p` and `INSERT … VALUES (:p)` work with a NULL.
fn unspecified() -> Type {
    Type::new("unspecified".into(), 0, Kind::Pseudo, "pg_catalog".into())
}

fn hint_type(hint: &str) -> Option<Type> {
    Some(match hint {
        "DATE" => Type::DATE,
        "TIME" => Type::TIME,
        "TIMESTAMP" => Type::TIMESTAMP,
        "DECIMAL" => Type::NUMERIC,
        "UUID" => Type::UUID,
        // jsonb, as on Aurora PostgreSQL ("Cannot cast jsonb to int8range").
        "JSON" => Type::JSONB,
        _ => return None,
    })
}

/// The declared type and encoded value of one parameter: stringValue is text (or the hinted
/// type), longValue int8, doubleValue float8, booleanValue bool, blobValue bytea.
fn bind(p: &SqlParameter) -> Result<(Type, RawParam), ApiError> {
    let hint = hint_of(p);
    let hinted = hint.as_deref().and_then(hint_type);
    Ok(match &p.value {
        None | Some(Field::IsNull(_)) => (hinted.unwrap_or_else(unspecified), RawParam::Null),
        Some(Field::StringValue(s)) => {
            if let Some(h) = &hint {
                check_hint_format(h, s)?;
            }
            (hinted.unwrap_or(Type::TEXT), RawParam::Text(s.clone()))
        }
        Some(Field::LongValue(n)) => (Type::INT8, RawParam::Text(n.to_string())),
        // `{}` is the shortest text that round-trips; PostgreSQL reads "NaN" and "inf" too.
        Some(Field::DoubleValue(f)) => (Type::FLOAT8, RawParam::Text(f.to_string())),
        Some(Field::BooleanValue(b)) => (
            Type::BOOL,
            RawParam::Text(if *b { "t" } else { "f" }.into()),
        ),
        Some(Field::BlobValue(b)) => (Type::BYTEA, RawParam::Binary(b.clone())),
        Some(Field::ArrayValue(_)) => {
            return Err(ApiError::validation(
                crate::error::messages::ARRAY_PARAMETERS,
            ))
        }
    })
}

/// The Data API's text of a server error:
/// `ERROR: <msg>[; Detail: …][; Hint: …][; Position: N]; SQLState: XXXXX`.
fn db_error_message(e: &DbError) -> String {
    let mut s = format!("{}: {}", e.severity(), e.message());
    if let Some(detail) = e.detail() {
        s.push_str(&format!("; Detail: {detail}"));
    }
    if let Some(hint) = e.hint() {
        s.push_str(&format!("; Hint: {hint}"));
    }
    if let Some(ErrorPosition::Original(n)) = e.position() {
        s.push_str(&format!("; Position: {n}"));
    }
    s.push_str(&format!("; SQLState: {}", e.code().code()));
    s
}

/// Maps a driver error: server errors keep their text, a lost connection is a
/// "Communications link failure" (the session is then unusable), anything else is reported as is.
fn map_error(e: &tokio_postgres::Error) -> ApiError {
    if let Some(db) = e.as_db_error() {
        return ApiError::database(db_error_message(db));
    }
    let io = std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>());
    if e.is_closed() || io {
        return ApiError::database(format!("Communications link failure: {e}"));
    }
    ApiError::new(ErrorCode::DatabaseError, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ArrayValue;

    const URL: &str = "postgres://postgres@127.0.0.1:5432/test";

    async fn session() -> PgSession {
        PgSession::connect(URL, None)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL must be running at {URL} for these tests: {e}"))
    }

    fn param(name: &str, value: Field) -> SqlParameter {
        SqlParameter {
            name: Some(name.into()),
            value: Some(value),
            type_hint: None,
        }
    }

    fn s(v: &str) -> Field {
        Field::StringValue(v.into())
    }

    #[test]
    fn binding() {
        let p = |v| bind(&param("a", v)).unwrap();
        assert!(matches!(p(Field::LongValue(5)), (Type::INT8, RawParam::Text(t)) if t == "5"));
        assert!(
            matches!(p(Field::DoubleValue(0.1)), (Type::FLOAT8, RawParam::Text(t)) if t == "0.1")
        );
        assert!(
            matches!(p(Field::BooleanValue(false)), (Type::BOOL, RawParam::Text(t)) if t == "f")
        );
        assert!(matches!(
            p(Field::BlobValue(vec![1])),
            (Type::BYTEA, RawParam::Binary(_))
        ));
        assert_eq!(p(Field::IsNull(true)).0.oid(), 0);
        let hinted = |hint: &str, v: &str| {
            bind(&SqlParameter {
                type_hint: Some(hint.into()),
                ..param("a", s(v))
            })
        };
        assert_eq!(hinted("date", "2024-02-29").unwrap().0, Type::DATE);
        assert_eq!(
            hinted("DATE", "29/02/2024").unwrap_err().message,
            "Cannot parse date or time"
        );
        assert_eq!(hinted("UUID", "x").unwrap().0, Type::UUID);
        assert!(starts_ddl("  alter table t add c int") && !starts_ddl("SELECT 1"));
    }

    #[tokio::test]
    async fn end_to_end_against_postgres() {
        let mut pg = session().await;
        assert!(pg.is_usable() && pg.connection_id() > 0);
        let sql = r#"SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 'x'::text, 'a'::char(3),
            12.340::numeric(10,3), '2024-02-29'::date, '12:34:56.5'::time,
            '2024-02-29 12:34:56.123456'::timestamp, '2024-02-29 12:34:56+02'::timestamptz,
            '1 day 02:00'::interval, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{"a": 1}'::jsonb,
            '\x0102'::bytea, ARRAY[1,NULL,3], ARRAY['a','b'], '{}'::int[], '10.0.0.1/8'::inet, NULL::int"#;
        let r = pg
            .execute(sql, &[], ResultOptions::default())
            .await
            .unwrap();
        assert!(r.has_result_set);
        assert_eq!(r.updated, 0);
        let expected = vec![
            Field::LongValue(1),
            Field::LongValue(2),
            Field::LongValue(3),
            Field::DoubleValue(1.5),
            s("x"),
            s("a  "),
            s("12.340"),
            s("2024-02-29"),
            s("12:34:56.5"),
            s("2024-02-29 12:34:56.123456"),
            s("2024-02-29 10:34:56"),
            s("1 day 02:00:00"),
            s("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            s(r#"{"a":1}"#),
            Field::BlobValue(vec![1, 2]),
            Field::ArrayValue(ArrayValue::LongValues(vec![Some(1), None, Some(3)])),
            Field::ArrayValue(ArrayValue::StringValues(vec![
                Some("a".into()),
                Some("b".into()),
            ])),
            Field::ArrayValue(ArrayValue::LongValues(vec![])),
            s("10.0.0.1/8"),
            Field::IsNull(true),
        ];
        assert_eq!(r.records, vec![expected]);
        let types: Vec<(&str, i32)> = r
            .columns
            .iter()
            .map(|c| (c.type_name.as_str(), c.type_code))
            .collect();
        assert_eq!(types[..3], [("int2", 5), ("int4", 4), ("int8", -5)]);
        assert_eq!(
            (types[5], types[15], types[12]),
            (("bpchar", 1), ("_int4", 2003), ("uuid", 1111))
        );
        let numeric = &r.columns[6];
        assert_eq!(
            (numeric.precision, numeric.scale, numeric.nullable),
            (10, 3, 2)
        );
        assert_eq!(r.columns[15].array_base_column_type, 4);

        let opts = ResultOptions {
            long_as_string: true,
            decimal_as_number: true,
        };
        let r = pg
            .execute("SELECT 7::int8, 1.50::numeric, 42::numeric", &[], opts)
            .await
            .unwrap();
        assert_eq!(
            r.records[0],
            vec![s("7"), Field::DoubleValue(1.5), Field::LongValue(42)]
        );

        let err = pg
            .execute("SELECT '1'::money", &[], ResultOptions::default())
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::UnsupportedResult);
        let err = pg
            .execute("SELECT ARRAY[[1,2],[3,4]]", &[], ResultOptions::default())
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::UnsupportedResult);
    }

    /// Our decoders agree with PostgreSQL's own output functions (`format('%s', v)`) for awkward values.
    #[tokio::test]
    async fn decoders_match_server_text() {
        let mut pg = session().await;
        let values = [
            "'-1 day +02:00'::interval",
            "'-13 mons 5 days -00:00:01.5'::interval",
            "'1 year 2 mons 3 days 04:05:06.789'::interval",
            "'0'::interval",
            "'0044-03-15 BC'::date",
            "'12345-06-07'::date",
            "'4713-01-01 BC'::date",
            "'0001-12-31 23:59:59.5 BC'::timestamp",
            "'-infinity'::date",
            "'infinity'::timestamp",
            "'1999-12-31 23:59:59.999999'::timestamp",
            "'0.000001'::numeric",
            "'-123456789.000100'::numeric",
            "'NaN'::numeric",
            "'::1.2.3.4'::inet",
            "'::ffff:0:0/96'::cidr",
            "'2001:db8:0:0:1::/64'::inet",
            "'10.0.0.0/8'::cidr",
            "'24:00:00'::time",
            "'[1,10)'::int4range",
            "'empty'::int4range",
            "'(,5]'::int8range",
            "'[1.50,2.5]'::numrange",
            "'(,)'::numrange",
            // daterange / tsrange are refused (as on Aurora); their bounds' text is checked
            // through the multiranges, which are still returned.
            "'{[2024-01-01,2024-02-01)}'::datemultirange",
            "'{[0044-03-15 BC,)}'::datemultirange",
            "'{[\"2024-01-01 10:00\",infinity)}'::tsmultirange",
            "'[2024-01-01 10:00:00.5+02,2024-01-02)'::tstzrange",
            "'{[1,3),[5,7)}'::int4multirange",
            "'{}'::nummultirange",
            "'{[2024-01-01 00:00,2024-01-02 00:00)}'::tstzmultirange",
            "'08:00:2b:01:02:03:04:05'::macaddr8",
            "'16/B374D848'::pg_lsn",
            "'0/0'::pg_lsn",
            "'\\351'::\"char\"",
            "'a'::\"char\"",
            "''::\"char\"",
        ];
        for v in values {
            let r = pg
                .execute(
                    &format!("SELECT {v}, format('%s', {v})"),
                    &[],
                    ResultOptions::default(),
                )
                .await
                .unwrap();
            assert_eq!(r.records[0][0], r.records[0][1], "{v}");
        }
        let r = pg
            .execute(
                "SELECT '{1.50,NULL}'::numeric[], '{2024-01-01}'::date[], '{t}'::bool[], '{NaN}'::float4[]",
                &[],
                ResultOptions::default(),
            )
            .await
            .unwrap();
        let strings = |v: &[Option<&str>]| {
            ArrayValue::StringValues(v.iter().map(|s| s.map(String::from)).collect())
        };
        assert_eq!(
            r.records[0],
            [
                Field::ArrayValue(strings(&[Some("1.50"), None])),
                Field::ArrayValue(strings(&[Some("2024-01-01")])),
                Field::ArrayValue(ArrayValue::BooleanValues(vec![Some(true)])),
                Field::ArrayValue(strings(&[Some("NaN")])),
            ]
        );
        pg.simple("SET TIME ZONE 'UTC'").await.unwrap();
        for (v, text) in [
            ("'2024-02-29 12:34:56+02'::timestamptz", "format('%s', {v})"),
            ("'12:00:00-05:30'::timetz", "({v} AT TIME ZONE 'UTC')::text"),
        ] {
            let text = text.replace("{v}", v);
            let r = pg
                .execute(
                    &format!("SELECT {v}, {text}"),
                    &[],
                    ResultOptions::default(),
                )
                .await
                .unwrap();
            let (Field::StringValue(ours), Field::StringValue(text)) =
                (&r.records[0][0], &r.records[0][1])
            else {
                panic!("{v}: {:?}", r.records)
            };
            assert_eq!(format!("{ours}+00"), *text, "{v}");
        }
    }

    #[tokio::test]
    async fn parameters_and_table_metadata() {
        let mut pg = session().await;
        let opts = ResultOptions::default();
        let r = pg
            .execute(
                "SELECT :a::int + 1, :b, :a",
                &[param("a", Field::LongValue(41)), param("b", s("hé"))],
                opts,
            )
            .await
            .unwrap();
        assert_eq!(
            r.records[0],
            vec![Field::LongValue(42), s("hé"), Field::LongValue(41)]
        );
        let r = pg
            .execute("SELECT :n", &[param("n", Field::IsNull(true))], opts)
            .await
            .unwrap();
        assert_eq!(r.records[0], vec![Field::IsNull(true)]);
        let date = SqlParameter {
            type_hint: Some("DATE".into()),
            ..param("d", s("2024-02-29"))
        };
        let r = pg.execute("SELECT :d + 1", &[date], opts).await.unwrap();
        assert_eq!(r.records[0], vec![s("2024-03-01")]);
        let r = pg
            .execute(
                "SELECT :b || '\\x03'::bytea",
                &[param("b", Field::BlobValue(vec![1, 2]))],
                opts,
            )
            .await
            .unwrap();
        assert_eq!(r.records[0], vec![Field::BlobValue(vec![1, 2, 3])]);
        let err = pg.execute("SELECT :x", &[], opts).await.unwrap_err();
        assert!(err.message.contains('x'), "{err}");

        let table = format!("pg_exec_test_{}", pg.connection_id());
        pg.simple(&format!("DROP TABLE IF EXISTS {table}"))
            .await
            .unwrap();
        pg.execute(
            &format!(
                "CREATE TABLE {table} (id serial PRIMARY KEY, n int, d date NOT NULL, b bytea, f float8)"
            ),
            &[],
            opts,
        )
        .await
        .unwrap();
        let insert = format!("INSERT INTO {table} (n, d, b, f) VALUES (:n, :d, :b, :f)");
        let row = [
            param("n", Field::IsNull(true)),
            SqlParameter {
                type_hint: Some("DATE".into()),
                ..param("d", s("2024-01-02"))
            },
            param("b", Field::BlobValue(vec![0, 255])),
            param("f", Field::DoubleValue(0.1)),
        ];
        let r = pg.execute(&insert, &row, opts).await;
        let r2 = pg
            .execute(
                &format!("UPDATE {table} SET n = :n WHERE n = :n"),
                &row[..1],
                opts,
            )
            .await;
        let sel = pg
            .execute(
                &format!("SELECT id, n, d, b, f, n + 1 AS e FROM {table}"),
                &[],
                opts,
            )
            .await;
        let ret = pg
            .execute(
                &format!("INSERT INTO {table} (d) VALUES ('2024-01-03') RETURNING id"),
                &[],
                opts,
            )
            .await;
        pg.simple(&format!("DROP TABLE {table}")).await.unwrap();
        let r = r.unwrap();
        assert_eq!((r.updated, r.has_result_set), (1, false));
        assert_eq!(r2.unwrap().updated, 0);
        let sel = sel.unwrap();
        assert_eq!(
            sel.records[0],
            vec![
                Field::LongValue(1),
                Field::IsNull(true),
                s("2024-01-02"),
                Field::BlobValue(vec![0, 255]),
                Field::DoubleValue(0.1),
                Field::IsNull(true)
            ]
        );
        let meta: Vec<(&str, i32, bool)> = sel
            .columns
            .iter()
            .map(|c| (c.table_name.as_str(), c.nullable, c.is_auto_increment))
            .collect();
        assert_eq!(
            meta,
            [
                (table.as_str(), 0, true),
                (table.as_str(), 1, false),
                (table.as_str(), 0, false),
                (table.as_str(), 1, false),
                (table.as_str(), 1, false),
                ("", 2, false)
            ]
        );
        let ret = ret.unwrap();
        assert_eq!(
            (ret.records.len(), ret.updated, ret.has_result_set),
            (1, 0, true)
        );
    }

    #[tokio::test]
    async fn enums_domains_and_untyped_nulls() {
        let mut pg = session().await;
        let opts = ResultOptions::default();
        let suffix = pg.connection_id();
        pg.simple(&format!("CREATE TYPE mood_{suffix} AS ENUM ('ok', 'sad'); CREATE DOMAIN posint_{suffix} AS int CHECK (VALUE > 0)")).await.unwrap();
        let r = pg
            .execute(
                &format!(
                    "SELECT 'sad'::mood_{suffix}, ARRAY['ok'::mood_{suffix}], 5::posint_{suffix}"
                ),
                &[],
                opts,
            )
            .await;
        let null_is_null = pg
            .execute(
                "SELECT :a IS NULL",
                &[param("a", Field::IsNull(true))],
                opts,
            )
            .await;
        pg.simple(&format!(
            "DROP TYPE mood_{suffix}; DROP DOMAIN posint_{suffix}"
        ))
        .await
        .unwrap();
        let r = r.unwrap();
        assert_eq!(
            r.records[0],
            [
                s("sad"),
                Field::ArrayValue(ArrayValue::StringValues(vec![Some("ok".into())])),
                Field::LongValue(5)
            ]
        );
        let types: Vec<(String, i32)> = r
            .columns
            .iter()
            .map(|c| (c.type_name.clone(), c.type_code))
            .collect();
        // A domain is reported by the server as its base type.
        let expected = [
            (format!("mood_{suffix}"), 1111),
            (format!("_mood_{suffix}"), 2003),
            ("int4".into(), 4),
        ];
        assert_eq!(types, expected);
        // An untyped NULL leaves the type to the server, which cannot infer one here (as with
        // pgjdbc's setNull(…, Types.NULL)); `:a::int IS NULL` works.
        assert!(null_is_null
            .unwrap_err()
            .message
            .ends_with("SQLState: 42P18"));
    }

    #[tokio::test]
    async fn sql_errors() {
        let mut pg = session().await;
        let err = pg
            .execute(
                "SELECT * FROM no_such_table_xyz",
                &[],
                ResultOptions::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::DatabaseError);
        assert_eq!(
            err.message,
            "ERROR: relation \"no_such_table_xyz\" does not exist; Position: 15; SQLState: 42P01"
        );
        let err = pg
            .execute("SELECT 1/0", &[], ResultOptions::default())
            .await
            .unwrap_err();
        assert_eq!(err.message, "ERROR: division by zero; SQLState: 22012");
        let err = pg.simple("SELEC 1").await.unwrap_err();
        assert!(
            err.message
                .starts_with("ERROR: syntax error at or near \"SELEC\""),
            "{err}"
        );
        let err = PgSession::connect(URL, Some("no_such_db_xyz"))
            .await
            .err()
            .unwrap();
        assert!(
            err.message.contains("does not exist; SQLState: 3D000"),
            "{err}"
        );
        // Terminating our own backend makes the session unusable.
        let pid = pg.connection_id();
        let mut other = session().await;
        other
            .execute(
                &format!("SELECT pg_terminate_backend({pid})"),
                &[],
                ResultOptions::default(),
            )
            .await
            .unwrap();
        let err = pg
            .execute("SELECT 1", &[], ResultOptions::default())
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::DatabaseError);
        for _ in 0..50 {
            if !pg.is_usable() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(!pg.is_usable());
    }
}
