//! The PostgreSQL connections: the generic Diesel connections over [`PgAdapter`], plus what
//! only PostgreSQL has (`build_transaction`, `save_changes` through `RETURNING`).

use std::sync::Arc;

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use diesel::connection::DatabaseVersion;
use diesel::expression::QueryMetadata;
use diesel::pg::{Pg, PgMetadataLookup, PgTypeMetadata, TransactionBuilder};
use diesel::query_builder::{AsQuery, IntoUpdateTarget, QueryFragment, QueryId};
use diesel::{QueryResult, RunQueryDsl};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;

use super::codec::{RegistryLookup, TypeRegistry};
use super::prepare::prepare;
use super::row::{rows_from_output, PgCell, PgRow};
use crate::connection::statement_cache::StatementCache;
use crate::connection::{
    Adapter, AsyncDieselConnection, DieselConnection, Flavour, Sealed, SyncDieselConnection,
};
use crate::engine::Engine;
use crate::session::Prepared;

/// A sync Diesel connection to Aurora PostgreSQL through the RDS Data API.
///
/// Drop-in for `diesel::PgConnection`: same backend (`diesel::pg::Pg`), `transaction`,
/// `build_transaction()`, `save_changes`, r2d2 pools and `diesel_migrations` work as with
/// `PgConnection`. It is safe to use from inside a tokio runtime (a Lambda handler,
/// `#[tokio::main]`): calls run on a background runtime of this crate. Nothing is prepared
/// over the Data API, so instrumentation sees no `CacheQuery` events.
///
/// ```no_run
/// use aurora_data_api::pg::DataApiPgConnection;
/// use diesel::prelude::*;
///
/// let mut conn = DataApiPgConnection::establish(
///     "dataapi://mydb?cluster_arn=arn:aws:rds:us-east-1:123456789012:cluster:prod\
///      &secret_arn=arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-AbCdEf",
/// )?;
/// let answer: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("41 + 1")).get_result(&mut conn)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type DataApiPgConnection = SyncDieselConnection<PgAdapter>;

/// An async Diesel connection to Aurora PostgreSQL through the RDS Data API.
///
/// Drop-in for `diesel_async::AsyncPgConnection`: same backend (`diesel::pg::Pg`), so
/// schemas, models and queries compile unchanged; usable with diesel-async's deadpool and
/// bb8 pools. There is no socket: every query is one HTTPS call, transactions are Data API
/// transactions. Nothing is prepared over the Data API, so instrumentation sees no
/// `CacheQuery` events.
///
/// ```no_run
/// # async fn demo() -> diesel::QueryResult<()> {
/// use aurora_data_api::pg::AsyncDataApiPgConnection;
/// use diesel_async::{AsyncConnection, RunQueryDsl};
///
/// let mut conn = AsyncDataApiPgConnection::establish(
///     "dataapi://mydb?cluster_arn=arn:aws:rds:us-east-1:123456789012:cluster:prod\
///      &secret_arn=arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-AbCdEf",
/// )
/// .await
/// .expect("valid URL");
/// let answer: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("41 + 1"))
///     .get_result(&mut conn)
///     .await?;
/// # Ok(()) }
/// ```
pub type AsyncDataApiPgConnection = AsyncDieselConnection<PgAdapter>;

/// The PostgreSQL part of the generic connections: diesel's `Pg` backend, `$N` →
/// `:pN::<type>` binds, and the registry of custom types (enums) a connection has
/// seen. You never use it directly.
#[derive(Debug, Default)]
pub struct PgAdapter {
    registry: Arc<TypeRegistry>,
    statements: StatementCache<std::borrow::Cow<'static, str>>,
}

impl Sealed for PgAdapter {}

impl Adapter for PgAdapter {
    type Backend = Pg;
    type Cell = PgCell;
    type Expected = u32;
    const ENGINE: Engine = Engine::Postgres;
    const NAMES: (&'static str, &'static str) = ("DataApiPgConnection", "AsyncDataApiPgConnection");

    fn prepare<T>(&mut self, query: &T) -> QueryResult<Prepared>
    where
        T: QueryFragment<Pg> + QueryId,
    {
        prepare(query, &self.registry, &mut self.statements)
    }

    fn expected_columns<ST>(&self) -> Vec<Option<u32>>
    where
        Pg: QueryMetadata<ST>,
    {
        let mut metadata = Vec::new();
        <Pg as QueryMetadata<ST>>::row_metadata(&mut self.registry.lookup(), &mut metadata);
        metadata
            .iter()
            .map(|m| m.as_ref().and_then(|m| m.oid().ok()))
            .collect()
    }

    fn rows(output: ExecuteStatementOutput, expected: &[Option<u32>]) -> QueryResult<Vec<PgRow>> {
        rows_from_output(output, expected)
    }
}

impl DataApiPgConnection {
    /// A transaction with isolation level, read-only and deferrable settings, as
    /// `PgConnection::build_transaction` (they become `SET TRANSACTION …` as the first
    /// statement of the Data API transaction).
    pub fn build_transaction(&mut self) -> TransactionBuilder<'_, Self> {
        TransactionBuilder::new(self)
    }
}

impl<'b, Changes, Output> diesel::query_dsl::UpdateAndFetchResults<Changes, Output> for DataApiPgConnection
where
    Changes: Copy + diesel::AsChangeset<Target = <Changes as diesel::associations::HasTable>::Table> + diesel::query_builder::IntoUpdateTarget,
    diesel::dsl::Update<Changes, Changes>: diesel::query_dsl::LoadQuery<'b, DataApiPgConnection, Output>,
    <Changes::Table as diesel::Table>::AllColumns: diesel::expression::ValidGrouping<()>
        + diesel::expression::SelectableExpression<
            diesel::query_builder::returning::ReturningQuerySource<
                diesel::query_builder::returning::UpdateStmt,
                Changes::Table,
            >,
        >,
    <<Changes::Table as diesel::Table>::AllColumns as diesel::expression::ValidGrouping<()>>::IsAggregate:
        diesel::expression::MixedAggregates<diesel::expression::is_aggregate::No, Output = diesel::expression::is_aggregate::No>,
{
    fn update_and_fetch(&mut self, changeset: Changes) -> QueryResult<Output> {
        diesel::update(changeset).set(changeset).get_result(self)
    }
}

/// diesel's type lookup (`<Pg as HasSqlType<T>>::metadata(&mut conn)`, used for custom types
/// in dynamic queries) over the connection's type registry: custom types get stable synthetic
/// OIDs without a round trip, since the Data API never sees an OID.
impl<M: Flavour> PgMetadataLookup for DieselConnection<PgAdapter, M> {
    fn lookup_type(&mut self, type_name: &str, schema: Option<&str>) -> PgTypeMetadata {
        let mut registry = self.core.adapter.registry.as_ref().clone();
        registry.lookup_type(type_name, schema)
    }

    fn as_any<'a>(&mut self) -> &mut (dyn std::any::Any + 'a)
    where
        Self: 'a,
    {
        self
    }
}

impl DataApiPgConnection {
    /// The server's version, as `PgConnection::version` gives it (`major.minor.0` from
    /// `server_version_num`; `major.minor.patch` before PostgreSQL 10), e.g. to gate
    /// `RETURNING old.*` on PostgreSQL 18. One Data API call.
    pub fn version(&mut self) -> QueryResult<DatabaseVersion> {
        decode_server_version(&diesel::select(version_sql()).get_result::<String>(self)?)
    }
}

/// `diesel_migrations` on PostgreSQL, with diesel 2.4's `search_path` handling as on
/// `PgConnection`: the harness reads the path before each migration and sets it back inside
/// the migration's transaction (so a migration's `SET search_path` does not redirect the
/// insert into `__diesel_schema_migrations`) and after it. Outside a transaction the Data API
/// keeps no session state, so there a `SET search_path` never outlives its own call anyway.
impl diesel::migration::MigrationConnection for DataApiPgConnection {
    fn setup(&mut self) -> QueryResult<usize> {
        diesel::sql_query(diesel::migration::CREATE_MIGRATIONS_TABLE).execute(self)
    }

    fn read_search_path(&mut self) -> QueryResult<Option<String>> {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
            "current_setting('search_path')",
        ))
        .get_result(self)
        .map(Some)
    }

    fn set_search_path(&mut self, search_path: &str) -> QueryResult<()> {
        diesel::sql_query("SELECT set_config('search_path', $1, false)")
            .bind::<diesel::sql_types::Text, _>(search_path)
            .execute(self)
            .map(drop)
    }
}

impl AsyncDataApiPgConnection {
    /// The server's version; see [`DataApiPgConnection::version`].
    pub async fn version(&mut self) -> QueryResult<DatabaseVersion> {
        let text: String =
            diesel_async::RunQueryDsl::get_result(diesel::select(version_sql()), self).await?;
        decode_server_version(&text)
    }
}

fn version_sql() -> diesel::expression::SqlLiteral<diesel::sql_types::Text> {
    diesel::dsl::sql::<diesel::sql_types::Text>("current_setting('server_version_num')")
}

/// diesel's decoding of libpq's `PQserverVersion` (the same number as
/// `server_version_num`): `180004` is 18.4, `90620` is 9.6.20.
fn decode_server_version(text: &str) -> QueryResult<DatabaseVersion> {
    let version = text
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|v| *v != 0)
        .ok_or_else(|| {
            diesel::result::Error::DeserializationError(
                format!("Unrecognized server_version_num `{text}`").into(),
            )
        })?;
    Ok(if version >= 100_000 {
        DatabaseVersion::new(version / 10_000, version % 10_000, 0)
    } else {
        DatabaseVersion::new(version / 10_000, version / 100 % 100, version % 100)
    })
}

impl AsyncDataApiPgConnection {
    /// A transaction with isolation level, read-only and deferrable settings, as
    /// `AsyncPgConnection::build_transaction` (they become `SET TRANSACTION …` as the first
    /// statement of the Data API transaction).
    pub fn build_transaction(&mut self) -> AsyncTransactionBuilder<'_> {
        AsyncTransactionBuilder {
            connection: self,
            characteristics: [None; 3],
        }
    }
}

/// What [`AsyncDataApiPgConnection::build_transaction`] returns: diesel-async's
/// `TransactionBuilder` for this connection, with the same methods.
#[must_use = "a transaction builder does nothing until `run` is called"]
pub struct AsyncTransactionBuilder<'a> {
    connection: &'a mut AsyncDataApiPgConnection,
    /// Isolation level, read mode, deferrable: the SQL of each, in that order.
    characteristics: [Option<&'static str>; 3],
}

impl<'a> AsyncTransactionBuilder<'a> {
    fn with(mut self, slot: usize, sql: &'static str) -> Self {
        self.characteristics[slot] = Some(sql);
        self
    }

    /// `READ ONLY`.
    pub fn read_only(self) -> Self {
        self.with(1, "READ ONLY")
    }

    /// `READ WRITE`.
    pub fn read_write(self) -> Self {
        self.with(1, "READ WRITE")
    }

    /// `DEFERRABLE` (with `SERIALIZABLE` and `READ ONLY`).
    pub fn deferrable(self) -> Self {
        self.with(2, "DEFERRABLE")
    }

    /// `NOT DEFERRABLE`.
    pub fn not_deferrable(self) -> Self {
        self.with(2, "NOT DEFERRABLE")
    }

    /// `ISOLATION LEVEL READ COMMITTED`.
    pub fn read_committed(self) -> Self {
        self.with(0, "ISOLATION LEVEL READ COMMITTED")
    }

    /// `ISOLATION LEVEL REPEATABLE READ`.
    pub fn repeatable_read(self) -> Self {
        self.with(0, "ISOLATION LEVEL REPEATABLE READ")
    }

    /// `ISOLATION LEVEL SERIALIZABLE`.
    pub fn serializable(self) -> Self {
        self.with(0, "ISOLATION LEVEL SERIALIZABLE")
    }

    /// The `BEGIN` statement diesel-async's builder would send.
    fn sql(&self) -> String {
        std::iter::once("BEGIN TRANSACTION")
            .chain(self.characteristics.iter().flatten().copied())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Runs `f` in the transaction: committed if it returns `Ok`, rolled back otherwise.
    pub async fn run<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        for<'r> F: AsyncFnOnce(&'r mut AsyncDataApiPgConnection) -> Result<T, E>
            + AsyncFunc<&'r mut AsyncDataApiPgConnection, Result<T, E>, Fut: Send>
            + Send
            + 'a,
        E: From<diesel::result::Error>,
    {
        use diesel_async::TransactionManager;
        let sql = self.sql();
        diesel_async::AnsiTransactionManager::begin_transaction_sql(&mut *self.connection, &sql)
            .await?;
        match f(&mut *self.connection).await {
            Ok(value) => {
                diesel_async::AnsiTransactionManager::commit_transaction(&mut *self.connection)
                    .await?;
                Ok(value)
            }
            Err(e) => {
                diesel_async::AnsiTransactionManager::rollback_transaction(&mut *self.connection)
                    .await?;
                Err(e)
            }
        }
    }
}

/// An `AsyncFnOnce` whose future type can be named, so [`AsyncTransactionBuilder::run`] can
/// require it to be `Send` (the same device diesel-async's `transaction` uses).
#[doc(hidden)]
pub trait AsyncFunc<T, R>:
    AsyncFnOnce(T) -> R + FnOnce(T) -> <Self as AsyncFunc<T, R>>::Fut
{
    /// The future `FnOnce` returns.
    type Fut: std::future::Future<Output = R>;
}

impl<F, T, Fut, R> AsyncFunc<T, R> for F
where
    F: AsyncFnOnce(T) -> R + FnOnce(T) -> Fut,
    Fut: std::future::Future<Output = R>,
{
    type Fut = Fut;
}

impl<'b, Changes, Output, Tab, V> diesel_async::UpdateAndFetchResults<Changes, Output>
    for AsyncDataApiPgConnection
where
    Output: Send + 'static,
    Changes: Copy
        + diesel::AsChangeset<Target = Tab>
        + Send
        + diesel::associations::Identifiable<Table = Tab>,
    Tab: diesel::Table + diesel::query_dsl::methods::FindDsl<Changes::Id> + 'b,
    diesel::dsl::Find<Tab, Changes::Id>: IntoUpdateTarget<Table = Tab, WhereClause = V>,
    diesel::query_builder::UpdateStatement<Tab, V, Changes::Changeset>: AsQuery,
    diesel::dsl::Update<Changes, Changes>: diesel_async::methods::LoadQuery<'b, Self, Output>,
    V: Send + 'b,
    Changes::Changeset: Send + 'b,
    Tab::FromClause: Send,
{
    fn update_and_fetch<'conn, 'changes>(
        &'conn mut self,
        changeset: Changes,
    ) -> BoxFuture<'changes, QueryResult<Output>>
    where
        Changes: 'changes,
        Changes::Changeset: 'changes,
        'conn: 'changes,
        Self: 'changes,
    {
        async move {
            diesel_async::RunQueryDsl::get_result(diesel::update(changeset).set(changeset), self)
                .await
        }
        .boxed()
    }
}

#[cfg(test)]
mod version_tests {
    use super::*;

    #[test]
    fn server_versions_decode_as_diesel_decodes_them() {
        let v = |s| decode_server_version(s).map(|v| (v.major(), v.minor(), v.patch()));
        assert_eq!(v("180004").unwrap(), (18, 4, 0));
        assert_eq!(v("100001").unwrap(), (10, 1, 0));
        assert_eq!(v("90620").unwrap(), (9, 6, 20));
        assert!(v("0").is_err());
        assert!(v("15.4").is_err());
    }
}

/// `#[derive(diesel::MultiConnection)]` (sync) and `#[diesel_async]` (async) over these
/// connections: the derive hands the lookup a connection collected its binds with back
/// through `Any`. Queries collect with the registry's [`RegistryLookup`]; diesel's own
/// lookups (`HasSqlType::metadata(conn)`) pass the connection or the registry itself.
type Lookup = <Pg as diesel::sql_types::TypeMetadata>::MetadataLookup;

macro_rules! multi_connection_lookup {
    ($helper:path, $conn:ty) => {
        impl $helper for $conn {
            fn to_any<'a>(lookup: &mut Lookup) -> &mut (dyn std::any::Any + 'a) {
                lookup.as_any()
            }

            fn from_any(lookup: &mut dyn std::any::Any) -> Option<&mut Lookup> {
                if lookup.is::<RegistryLookup>() {
                    return lookup
                        .downcast_mut::<RegistryLookup>()
                        .map(|l| l as &mut Lookup);
                }
                if lookup.is::<TypeRegistry>() {
                    return lookup
                        .downcast_mut::<TypeRegistry>()
                        .map(|l| l as &mut Lookup);
                }
                lookup.downcast_mut::<$conn>().map(|l| l as &mut Lookup)
            }
        }
    };
}

multi_connection_lookup!(
    diesel::connection::MultiConnectionHelper,
    DataApiPgConnection
);
multi_connection_lookup!(
    diesel_async::AsyncMultiConnectionHelper,
    AsyncDataApiPgConnection
);
