//! The MySQL connections: the generic Diesel connections over [`MysqlAdapter`], plus what
//! only MySQL has (`execute_returning_generated_id`, `save_changes` by update then reload).

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use diesel::expression::QueryMetadata;
use diesel::mysql::{Mysql, MysqlType};
use std::num::NonZeroU64;

use diesel::connection::DatabaseVersion;
use diesel::query_builder::{
    AsQuery, InsertStatement, IntoUpdateTarget, QueryFragment, QueryId, SingleRowInsertValues,
};
use diesel::query_source::{AutoIncrementTable, QuerySource};
use diesel::{QueryResult, RunQueryDsl};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;

use super::prepare::prepare;
use super::row::{rows_from_output, MysqlCell, MysqlRow};
use crate::connection::statement_cache::StatementCache;
use crate::connection::{Adapter, AsyncDieselConnection, Sealed, SyncDieselConnection};
use crate::engine::Engine;
use crate::session::Prepared;

/// A sync Diesel connection to Aurora MySQL through the RDS Data API.
///
/// Drop-in for `diesel::MysqlConnection`: same backend (`diesel::mysql::Mysql`);
/// `transaction`, `save_changes`, r2d2 pools and `diesel_migrations` work as with
/// `MysqlConnection`. Auto-increment ids: [`DataApiMysqlConnection::execute_returning_generated_id`],
/// or `LAST_INSERT_ID()` inside a transaction. MySQL DDL commits the open transaction
/// implicitly, over the Data API as everywhere. It is safe to use from inside a tokio runtime
/// (a Lambda handler, `#[tokio::main]`): calls run on a background runtime of this crate.
/// Nothing is prepared over the Data API, so instrumentation sees no `CacheQuery` events.
///
/// ```no_run
/// use aurora_data_api::mysql::DataApiMysqlConnection;
/// use diesel::prelude::*;
///
/// let mut conn = DataApiMysqlConnection::establish(
///     "dataapi://mydb?cluster_arn=arn:aws:rds:us-east-1:123456789012:cluster:prod\
///      &secret_arn=arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-AbCdEf",
/// )?;
/// let answer: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("41 + 1")).get_result(&mut conn)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type DataApiMysqlConnection = SyncDieselConnection<MysqlAdapter>;

/// An async Diesel connection to Aurora MySQL through the RDS Data API.
///
/// Drop-in for `diesel_async::AsyncMysqlConnection`: same backend (`diesel::mysql::Mysql`), so
/// schemas, models and queries compile unchanged; usable with diesel-async's deadpool and
/// bb8 pools. There is no socket: every query is one HTTPS call, transactions are Data API
/// transactions. Nothing is prepared over the Data API, so instrumentation sees no
/// `CacheQuery` events.
///
/// ```no_run
/// # async fn demo() -> diesel::QueryResult<()> {
/// use aurora_data_api::mysql::AsyncDataApiMysqlConnection;
/// use diesel_async::{AsyncConnection, RunQueryDsl};
///
/// let mut conn = AsyncDataApiMysqlConnection::establish(
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
pub type AsyncDataApiMysqlConnection = AsyncDieselConnection<MysqlAdapter>;

/// The MySQL part of the generic connections: diesel's `Mysql` backend and `?` → `:pN`
/// binds. You never use it directly.
#[derive(Debug, Default)]
pub struct MysqlAdapter {
    statements: StatementCache<Option<&'static str>>,
}

impl Sealed for MysqlAdapter {}

impl Adapter for MysqlAdapter {
    type Backend = Mysql;
    type Cell = MysqlCell;
    type Expected = MysqlType;
    const ENGINE: Engine = Engine::Mysql;
    const NAMES: (&'static str, &'static str) =
        ("DataApiMysqlConnection", "AsyncDataApiMysqlConnection");

    fn prepare<T>(&mut self, query: &T) -> QueryResult<Prepared>
    where
        T: QueryFragment<Mysql> + QueryId,
    {
        prepare(query, &mut self.statements)
    }

    fn expected_columns<ST>(&self) -> Vec<Option<MysqlType>>
    where
        Mysql: QueryMetadata<ST>,
    {
        let mut expected = Vec::new();
        <Mysql as QueryMetadata<ST>>::row_metadata(&mut (), &mut expected);
        expected
    }

    fn rows(
        output: ExecuteStatementOutput,
        expected: &[Option<MysqlType>],
    ) -> QueryResult<Vec<MysqlRow>> {
        rows_from_output(output, expected)
    }
}

impl DataApiMysqlConnection {
    /// Executes `source` (typically an INSERT) and returns the AUTO_INCREMENT id it generated,
    /// from the Data API's `generatedFields`. Use this instead of `SELECT LAST_INSERT_ID()`
    /// outside a transaction: each call may run on another database session.
    pub fn execute_returning_generated_id<T>(&mut self, source: &T) -> QueryResult<Option<u64>>
    where
        T: QueryFragment<Mysql> + QueryId,
    {
        self.run(source).and_then(generated_id)
    }
}

impl DataApiMysqlConnection {
    /// diesel 2.4's `InsertStatement::execute_returning_id`, which diesel ties to its own
    /// `MysqlConnection`: executes a single-row insert into a table with an
    /// `#[auto_increment]` column and returns the `AUTO_INCREMENT` value it set (the Data
    /// API's `generatedFields`), `None` when it set none (e.g. an `INSERT IGNORE` that skipped
    /// its row). An explicit key, and the key of a row an `ON DUPLICATE KEY UPDATE` updated,
    /// are reported back as by diesel.
    ///
    /// ```no_run
    /// # use diesel::prelude::*;
    /// # diesel::table! { users (id) { #[auto_increment] id -> Integer, name -> Text, } }
    /// # fn demo(conn: &mut aurora_data_api::mysql::DataApiMysqlConnection) -> QueryResult<()> {
    /// let id = conn.execute_returning_id(diesel::insert_into(users::table).values(users::name.eq("Ada")))?;
    /// # let _ = id; Ok(()) }
    /// ```
    pub fn execute_returning_id<T, U, Op, Ret>(
        &mut self,
        insert: InsertStatement<T, U, Op, Ret>,
    ) -> QueryResult<Option<NonZeroU64>>
    where
        T: AutoIncrementTable + QuerySource,
        U: SingleRowInsertValues<T>,
        InsertStatement<T, U, Op, Ret>: QueryFragment<Mysql> + QueryId,
    {
        self.execute_returning_generated_id(&insert)
            .map(|id| id.and_then(NonZeroU64::new))
    }

    /// The server's version, as `MysqlConnection::version` reads it (`SELECT VERSION()`,
    /// MariaDB's `5.5.5-` replication prefix dropped). One Data API call.
    pub fn version(&mut self) -> QueryResult<DatabaseVersion> {
        parse_server_version(&diesel::select(version_sql()).get_result::<String>(self)?)
    }
}

/// `diesel_migrations` on MySQL (no `search_path`: the defaults, as `MysqlConnection`).
impl diesel::migration::MigrationConnection for DataApiMysqlConnection {
    fn setup(&mut self) -> QueryResult<usize> {
        diesel::sql_query(diesel::migration::CREATE_MIGRATIONS_TABLE).execute(self)
    }
}

impl AsyncDataApiMysqlConnection {
    /// diesel 2.4's `InsertStatement::execute_returning_id` for this connection; see
    /// [`DataApiMysqlConnection::execute_returning_id`].
    pub fn execute_returning_id<T, U, Op, Ret>(
        &mut self,
        insert: InsertStatement<T, U, Op, Ret>,
    ) -> impl std::future::Future<Output = QueryResult<Option<NonZeroU64>>> + Send + '_
    where
        T: AutoIncrementTable + QuerySource,
        U: SingleRowInsertValues<T>,
        InsertStatement<T, U, Op, Ret>: QueryFragment<Mysql> + QueryId,
    {
        let prepared = self.core.start(&insert);
        let sent = self.send(prepared);
        async move {
            sent.await
                .and_then(generated_id)
                .map(|id| id.and_then(NonZeroU64::new))
        }
    }

    /// The server's version; see [`DataApiMysqlConnection::version`].
    pub async fn version(&mut self) -> QueryResult<DatabaseVersion> {
        let text: String =
            diesel_async::RunQueryDsl::get_result(diesel::select(version_sql()), self).await?;
        parse_server_version(&text)
    }
}

fn version_sql() -> diesel::expression::SqlLiteral<diesel::sql_types::Text> {
    diesel::dsl::sql::<diesel::sql_types::Text>("VERSION()")
}

/// MariaDB prefixes its version with this for old replication clients.
const MARIADB_REPLICATION_PREFIX: &str = "5.5.5-";

/// `major.minor.patch` from the start of `VERSION()` (`10.11.19-MariaDB-deb12`,
/// `8.0.39`), as diesel parses the server info.
fn parse_server_version(info: &str) -> QueryResult<DatabaseVersion> {
    let trimmed = match info.strip_prefix(MARIADB_REPLICATION_PREFIX) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => info,
    };
    let end = trimmed
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(trimmed.len());
    trimmed[..end].parse().map_err(|_| {
        diesel::result::Error::DeserializationError(
            format!("Unrecognized server version `{info}`").into(),
        )
    })
}

impl AsyncDataApiMysqlConnection {
    /// Executes `source` (typically an INSERT) and returns the AUTO_INCREMENT id it generated,
    /// from the Data API's `generatedFields`. Use this instead of `SELECT LAST_INSERT_ID()`
    /// outside a transaction: each call may run on another database session.
    pub fn execute_returning_generated_id<T>(
        &mut self,
        source: T,
    ) -> impl std::future::Future<Output = QueryResult<Option<u64>>> + Send + '_
    where
        T: QueryFragment<Mysql> + QueryId,
    {
        let prepared = self.core.start(&source);
        let sent = self.send(prepared);
        async move { sent.await.and_then(generated_id) }
    }
}

/// The first generated key of a statement, as MySQL's `LAST_INSERT_ID()` would give it.
fn generated_id(output: ExecuteStatementOutput) -> QueryResult<Option<u64>> {
    use aws_sdk_rdsdata::types::Field;
    match output
        .generated_fields
        .unwrap_or_default()
        .into_iter()
        .next()
    {
        None => Ok(None),
        Some(Field::LongValue(v)) => u64::try_from(v)
            .map(Some)
            .map_err(|_| bad_generated(&v.to_string())),
        Some(Field::StringValue(s)) => s.parse().map(Some).map_err(|_| bad_generated(&s)),
        Some(other) => Err(bad_generated(&format!("{other:?}"))),
    }
}

fn bad_generated(value: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(
        format!("generatedFields holds {value}, not an AUTO_INCREMENT id").into(),
    )
}

impl<'b, Changes, Output> diesel::query_dsl::UpdateAndFetchResults<Changes, Output> for DataApiMysqlConnection
where
    Changes: Copy + diesel::Identifiable,
    Changes: diesel::AsChangeset<Target = <Changes as diesel::associations::HasTable>::Table>
        + diesel::query_builder::IntoUpdateTarget,
    Changes::Table: diesel::query_dsl::methods::FindDsl<Changes::Id>,
    diesel::dsl::Update<Changes, Changes>: diesel::query_dsl::methods::ExecuteDsl<DataApiMysqlConnection>,
    diesel::dsl::Find<Changes::Table, Changes::Id>: diesel::query_dsl::LoadQuery<'b, DataApiMysqlConnection, Output>,
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
        use diesel::query_dsl::methods::FindDsl;
        diesel::update(changeset).set(changeset).execute(self)?;
        Changes::table().find(changeset.id()).get_result(self)
    }
}

impl<'b, Changes, Output, Tab, V> diesel_async::UpdateAndFetchResults<Changes, Output>
    for AsyncDataApiMysqlConnection
where
    Output: Send + 'static,
    Changes: Copy
        + diesel::AsChangeset<Target = Tab>
        + Send
        + diesel::associations::Identifiable<Table = Tab>,
    Tab: diesel::Table + diesel::query_dsl::methods::FindDsl<Changes::Id> + 'b,
    diesel::dsl::Find<Tab, Changes::Id>: IntoUpdateTarget<Table = Tab, WhereClause = V>,
    diesel::query_builder::UpdateStatement<Tab, V, Changes::Changeset>: AsQuery,
    diesel::dsl::Update<Changes, Changes>: diesel_async::methods::ExecuteDsl<Self>,
    V: Send + 'b,
    Changes::Changeset: Send + 'b,
    Changes::Id: 'b,
    Tab::FromClause: Send,
    diesel::dsl::Find<Changes::Table, Changes::Id>:
        diesel_async::methods::LoadQuery<'b, Self, Output> + diesel_async::RunQueryDsl<Self> + Send,
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
            diesel_async::RunQueryDsl::execute(
                diesel::update(changeset).set(changeset),
                &mut *self,
            )
            .await?;
            diesel_async::RunQueryDsl::get_result(Changes::table().find(changeset.id()), self).await
        }
        .boxed()
    }
}

/// `#[derive(diesel::MultiConnection)]` (sync) and `#[diesel_async]` (async) over these
/// connections: MySQL's lookup is `()`, as for `MysqlConnection`.
macro_rules! multi_connection_lookup {
    ($helper:path, $conn:ty) => {
        impl $helper for $conn {
            fn to_any<'a>(lookup: &mut ()) -> &mut (dyn std::any::Any + 'a) {
                lookup
            }

            fn from_any(lookup: &mut dyn std::any::Any) -> Option<&mut ()> {
                lookup.downcast_mut()
            }
        }
    };
}

multi_connection_lookup!(
    diesel::connection::MultiConnectionHelper,
    DataApiMysqlConnection
);
multi_connection_lookup!(
    diesel_async::AsyncMultiConnectionHelper,
    AsyncDataApiMysqlConnection
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_versions_parse_as_diesel_parses_them() {
        let v = |s| parse_server_version(s).map(|v| (v.major(), v.minor(), v.patch()));
        assert_eq!(v("10.11.19-MariaDB-0+deb12u1").unwrap(), (10, 11, 19));
        assert_eq!(v("5.5.5-10.6.4-MariaDB").unwrap(), (10, 6, 4));
        assert_eq!(v("8.0.39").unwrap(), (8, 0, 39));
        assert_eq!(
            v("8.0.mysql_aurora.3.08.0").unwrap_err().to_string(),
            "Unrecognized server version `8.0.mysql_aurora.3.08.0`"
        );
        assert!(v("").is_err());
    }
}
