//! `DataApiMysqlConnection`: a sync `diesel::Connection` with `Backend = Mysql` over the Data API.
//! Calls block on the crate's background runtime, so it also works inside a tokio runtime.

use diesel::connection::{
    AnsiTransactionManager, CacheSize, Connection, ConnectionSealed, DefaultLoadingMode,
    Instrumentation, LoadConnection, SimpleConnection, TransactionManager,
};
use diesel::expression::QueryMetadata;
use diesel::migration::MigrationConnection;
use diesel::mysql::Mysql;
use diesel::query_builder::{Query, QueryFragment, QueryId};
use diesel::{ConnectionResult, QueryResult, RunQueryDsl};

use super::connection::generated_id;
use super::prepare::prepare;
use super::row::{rows_from_output, MysqlRow};
use crate::client::DataApiClient;
use crate::config::DataApiConfig;
use crate::error::Engine;
use crate::execution;
use crate::instrumentation::Instrumented;
use crate::runtime::block_on;
use crate::session::{Prepared, Session};

/// A sync Diesel connection to Aurora MySQL through the RDS Data API.
///
/// Drop-in for `diesel::MysqlConnection`: same backend (`diesel::mysql::Mysql`);
/// `transaction`, `save_changes`, r2d2 pools and `diesel_migrations` work as with
/// `MysqlConnection`. Auto-increment ids: [`DataApiMysqlConnection::execute_returning_generated_id`],
/// or `LAST_INSERT_ID()` inside a transaction. MySQL DDL commits the open transaction
/// implicitly, over the Data API as everywhere. It is safe to use from inside a tokio runtime (a Lambda handler,
/// `#[tokio::main]`): calls run on a background runtime of this crate.
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
pub struct DataApiMysqlConnection {
    session: Session,
    transaction_manager: AnsiTransactionManager,
    instrumentation: Instrumented,
}

impl std::fmt::Debug for DataApiMysqlConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataApiMysqlConnection")
            .field("client", &self.session.client)
            .finish_non_exhaustive()
    }
}

impl DataApiMysqlConnection {
    /// A connection over a ready client (its cluster, secret and database).
    ///
    /// The connection runs its calls on this crate's background runtime. A client that has
    /// already made calls on another runtime keeps pooled HTTP connections bound to that
    /// runtime; if that runtime is no longer running, reusing them stalls. Prefer a fresh
    /// client, `from_config`, or `establish`.
    pub fn from_client(client: DataApiClient) -> Self {
        DataApiMysqlConnection {
            session: Session::new(client, Engine::Mysql),
            transaction_manager: AnsiTransactionManager::default(),
            instrumentation: Instrumented::default_instrumentation(),
        }
    }

    /// A connection from a configuration, with credentials and region from the AWS chain.
    pub fn from_config(config: &DataApiConfig) -> Self {
        let config = config.clone();
        Self::from_client(block_on(async move {
            DataApiClient::from_config(&config).await
        }))
    }

    /// A connection over an `aws_sdk_rdsdata::Client` you built.
    pub fn from_sdk_client(client: aws_sdk_rdsdata::Client, config: DataApiConfig) -> Self {
        Self::from_client(DataApiClient::from_sdk_client(client, config))
    }

    /// A connection from a loaded AWS `SdkConfig`.
    pub fn from_sdk_config(sdk_config: &aws_config::SdkConfig, config: DataApiConfig) -> Self {
        Self::from_client(DataApiClient::from_sdk_config(sdk_config, config))
    }

    /// The Data API client this connection uses.
    pub fn client(&self) -> &DataApiClient {
        &self.session.client
    }

    /// Lets statements run on past the Data API's 45-second call limit
    /// (`continueAfterTimeout`): the call still fails with a StatementTimeoutException, but
    /// the statement completes instead of being cancelled. Meant for long DDL (migrations).
    pub fn set_continue_after_timeout(&mut self, continue_after_timeout: bool) {
        self.session.options.continue_after_timeout = continue_after_timeout;
    }

    /// Executes `source` (typically an INSERT) and returns the AUTO_INCREMENT id it generated,
    /// from the Data API's `generatedFields`. Use this instead of `SELECT LAST_INSERT_ID()`
    /// outside a transaction: each call may run on another database session.
    pub fn execute_returning_generated_id<T>(&mut self, source: &T) -> QueryResult<Option<u64>>
    where
        T: QueryFragment<Mysql> + QueryId,
    {
        self.instrumentation
            .start(&diesel::debug_query::<Mysql, _>(source));
        let prepared = prepare(source);
        generated_id(self.run(prepared)?)
    }

    fn run(
        &mut self,
        prepared: QueryResult<Prepared>,
    ) -> QueryResult<aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput> {
        execution::execute_blocking(&self.session, &mut self.instrumentation, prepared)
    }
}

impl SimpleConnection for DataApiMysqlConnection {
    fn batch_execute(&mut self, query: &str) -> QueryResult<()> {
        execution::batch_blocking(&self.session, &mut self.instrumentation, query)
    }
}

impl ConnectionSealed for DataApiMysqlConnection {}

impl Connection for DataApiMysqlConnection {
    type Backend = Mysql;
    type TransactionManager = AnsiTransactionManager;

    fn establish(database_url: &str) -> ConnectionResult<Self> {
        let (instrumentation, config) = Instrumented::establishing(database_url);
        let result = config.map(|config| Self::from_config(&config));
        instrumentation.established(database_url, result, |conn| &mut conn.instrumentation)
    }

    fn execute_returning_count<T>(&mut self, source: &T) -> QueryResult<usize>
    where
        T: QueryFragment<Self::Backend> + QueryId,
    {
        self.instrumentation
            .start(&diesel::debug_query::<Mysql, _>(source));
        let prepared = prepare(source);
        let out = self.run(prepared)?;
        Ok(execution::affected_rows(&out))
    }

    fn transaction_state(&mut self) -> &mut AnsiTransactionManager {
        &mut self.transaction_manager
    }

    fn instrumentation(&mut self) -> &mut dyn Instrumentation {
        self.instrumentation.as_dyn()
    }

    fn set_instrumentation(&mut self, instrumentation: impl Instrumentation) {
        self.instrumentation = Instrumented::from(instrumentation);
    }

    fn set_prepared_statement_cache_size(&mut self, _size: CacheSize) {
        // Nothing is prepared on our side of the Data API.
    }
}

impl LoadConnection<DefaultLoadingMode> for DataApiMysqlConnection {
    type Cursor<'conn, 'query> =
        std::iter::Map<std::vec::IntoIter<MysqlRow>, fn(MysqlRow) -> QueryResult<MysqlRow>>;
    type Row<'conn, 'query> = MysqlRow;

    fn load<'conn, 'query, T>(
        &'conn mut self,
        source: T,
    ) -> QueryResult<Self::Cursor<'conn, 'query>>
    where
        T: Query + QueryFragment<Self::Backend> + QueryId + 'query,
        Self::Backend: QueryMetadata<T::SqlType>,
    {
        self.instrumentation
            .start(&diesel::debug_query::<Mysql, _>(&source));
        let prepared = prepare(&source);
        let mut expected = Vec::new();
        <Mysql as QueryMetadata<T::SqlType>>::row_metadata(&mut (), &mut expected);
        let rows = rows_from_output(self.run(prepared)?, &expected)?;
        Ok(rows
            .into_iter()
            .map(Ok as fn(MysqlRow) -> QueryResult<MysqlRow>))
    }
}

impl MigrationConnection for DataApiMysqlConnection {
    fn setup(&mut self) -> QueryResult<usize> {
        diesel::sql_query(diesel::migration::CREATE_MIGRATIONS_TABLE).execute(self)
    }
}

impl diesel::r2d2::R2D2Connection for DataApiMysqlConnection {
    fn ping(&mut self) -> QueryResult<()> {
        self.batch_execute("SELECT 1")
    }

    fn is_broken(&mut self) -> bool {
        AnsiTransactionManager::is_broken_transaction_manager(self)
    }
}

impl<'b, Changes, Output> diesel::query_dsl::UpdateAndFetchResults<Changes, Output> for DataApiMysqlConnection
where
    Changes: Copy + diesel::Identifiable,
    Changes: diesel::AsChangeset<Target = <Changes as diesel::associations::HasTable>::Table>
        + diesel::query_builder::IntoUpdateTarget,
    Changes::Table: diesel::query_dsl::methods::FindDsl<Changes::Id>,
    diesel::dsl::Update<Changes, Changes>: diesel::query_dsl::methods::ExecuteDsl<DataApiMysqlConnection>,
    diesel::dsl::Find<Changes::Table, Changes::Id>: diesel::query_dsl::LoadQuery<'b, DataApiMysqlConnection, Output>,
    <Changes::Table as diesel::Table>::AllColumns: diesel::expression::ValidGrouping<()>,
    <<Changes::Table as diesel::Table>::AllColumns as diesel::expression::ValidGrouping<()>>::IsAggregate:
        diesel::expression::MixedAggregates<diesel::expression::is_aggregate::No, Output = diesel::expression::is_aggregate::No>,
{
    fn update_and_fetch(&mut self, changeset: Changes) -> QueryResult<Output> {
        use diesel::query_dsl::methods::FindDsl;
        diesel::update(changeset).set(changeset).execute(self)?;
        Changes::table().find(changeset.id()).get_result(self)
    }
}
