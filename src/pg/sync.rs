//! `DataApiPgConnection`: a sync `diesel::Connection` with `Backend = Pg` over the Data API.
//! Calls block on the crate's background runtime, so it also works inside a tokio runtime.

use std::sync::Arc;

use diesel::connection::{
    AnsiTransactionManager, CacheSize, Connection, ConnectionSealed, DefaultLoadingMode,
    Instrumentation, LoadConnection, SimpleConnection, TransactionManager,
};
use diesel::expression::QueryMetadata;
use diesel::migration::MigrationConnection;
use diesel::pg::{Pg, TransactionBuilder};
use diesel::query_builder::{Query, QueryFragment, QueryId};
use diesel::{ConnectionResult, QueryResult, RunQueryDsl};

use super::codec::TypeRegistry;
use super::prepare::prepare;
use super::row::{rows_from_output, PgRow};
use crate::client::DataApiClient;
use crate::config::DataApiConfig;
use crate::error::Engine;
use crate::execution;
use crate::instrumentation::Instrumented;
use crate::runtime::block_on;
use crate::session::{Prepared, Session};

/// A sync Diesel connection to Aurora PostgreSQL through the RDS Data API.
///
/// Drop-in for `diesel::PgConnection`: same backend (`diesel::pg::Pg`), `transaction`,
/// `build_transaction()`, `save_changes`, r2d2 pools and `diesel_migrations` work as with
/// `PgConnection`. It is safe to use from inside a tokio runtime (a Lambda handler,
/// `#[tokio::main]`): calls run on a background runtime of this crate.
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
pub struct DataApiPgConnection {
    session: Session,
    registry: Arc<TypeRegistry>,
    transaction_manager: AnsiTransactionManager,
    instrumentation: Instrumented,
}

impl std::fmt::Debug for DataApiPgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataApiPgConnection")
            .field("client", &self.session.client)
            .finish_non_exhaustive()
    }
}

impl DataApiPgConnection {
    /// A connection over a ready client (its cluster, secret and database).
    ///
    /// The connection runs its calls on this crate's background runtime. A client that has
    /// already made calls on another runtime keeps pooled HTTP connections bound to that
    /// runtime; if that runtime is no longer running, reusing them stalls. Prefer a fresh
    /// client, `from_config`, or `establish`.
    pub fn from_client(client: DataApiClient) -> Self {
        DataApiPgConnection {
            session: Session::new(client, Engine::Postgres),
            registry: Arc::new(TypeRegistry::default()),
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

    /// A transaction with isolation level, read-only and deferrable settings, as
    /// `PgConnection::build_transaction` (they become `SET TRANSACTION …` as the first
    /// statement of the Data API transaction).
    pub fn build_transaction(&mut self) -> TransactionBuilder<'_, Self> {
        TransactionBuilder::new(self)
    }

    fn run(
        &mut self,
        prepared: QueryResult<Prepared>,
    ) -> QueryResult<aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput> {
        execution::execute_blocking(&self.session, &mut self.instrumentation, prepared)
    }
}

impl SimpleConnection for DataApiPgConnection {
    fn batch_execute(&mut self, query: &str) -> QueryResult<()> {
        execution::batch_blocking(&self.session, &mut self.instrumentation, query)
    }
}

impl ConnectionSealed for DataApiPgConnection {}

impl Connection for DataApiPgConnection {
    type Backend = Pg;
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
            .start(&diesel::debug_query::<Pg, _>(source));
        let prepared = prepare(source, &self.registry);
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

impl LoadConnection<DefaultLoadingMode> for DataApiPgConnection {
    type Cursor<'conn, 'query> =
        std::iter::Map<std::vec::IntoIter<PgRow>, fn(PgRow) -> QueryResult<PgRow>>;
    type Row<'conn, 'query> = PgRow;

    fn load<'conn, 'query, T>(
        &'conn mut self,
        source: T,
    ) -> QueryResult<Self::Cursor<'conn, 'query>>
    where
        T: Query + QueryFragment<Self::Backend> + QueryId + 'query,
        Self::Backend: QueryMetadata<T::SqlType>,
    {
        self.instrumentation
            .start(&diesel::debug_query::<Pg, _>(&source));
        let prepared = prepare(&source, &self.registry);
        let mut metadata = Vec::new();
        <Pg as QueryMetadata<T::SqlType>>::row_metadata(&mut self.registry.lookup(), &mut metadata);
        let expected: Vec<Option<u32>> = metadata
            .iter()
            .map(|m| m.as_ref().and_then(|m| m.oid().ok()))
            .collect();
        let rows = rows_from_output(self.run(prepared)?, &expected)?;
        Ok(rows.into_iter().map(Ok as fn(PgRow) -> QueryResult<PgRow>))
    }
}

impl MigrationConnection for DataApiPgConnection {
    fn setup(&mut self) -> QueryResult<usize> {
        diesel::sql_query(diesel::migration::CREATE_MIGRATIONS_TABLE).execute(self)
    }
}

impl diesel::r2d2::R2D2Connection for DataApiPgConnection {
    fn ping(&mut self) -> QueryResult<()> {
        self.batch_execute("SELECT 1")
    }

    fn is_broken(&mut self) -> bool {
        AnsiTransactionManager::is_broken_transaction_manager(self)
    }
}

impl<'b, Changes, Output> diesel::query_dsl::UpdateAndFetchResults<Changes, Output> for DataApiPgConnection
where
    Changes: Copy + diesel::AsChangeset<Target = <Changes as diesel::associations::HasTable>::Table> + diesel::query_builder::IntoUpdateTarget,
    diesel::dsl::Update<Changes, Changes>: diesel::query_dsl::LoadQuery<'b, DataApiPgConnection, Output>,
    <Changes::Table as diesel::Table>::AllColumns: diesel::expression::ValidGrouping<()>,
    <<Changes::Table as diesel::Table>::AllColumns as diesel::expression::ValidGrouping<()>>::IsAggregate:
        diesel::expression::MixedAggregates<diesel::expression::is_aggregate::No, Output = diesel::expression::is_aggregate::No>,
{
    fn update_and_fetch(&mut self, changeset: Changes) -> QueryResult<Output> {
        diesel::update(changeset).set(changeset).get_result(self)
    }
}
