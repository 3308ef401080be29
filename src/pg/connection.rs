//! `AsyncDataApiPgConnection`: a `diesel_async::AsyncConnection` with `Backend = Pg` over the
//! Data API.

use std::sync::Arc;

use diesel::connection::{CacheSize, Instrumentation, StrQueryHelper};
use diesel::pg::Pg;
use diesel::query_builder::{AsQuery, QueryFragment, QueryId};
use diesel::{ConnectionResult, QueryResult};
use diesel_async::{
    AnsiTransactionManager, AsyncConnection, AsyncConnectionCore, SimpleAsyncConnection,
};
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{FutureExt, StreamExt};

use super::codec::TypeRegistry;
use super::prepare::prepare;
use super::row::{rows_from_output, PgRow};
use crate::client::DataApiClient;
use crate::config::DataApiConfig;
use crate::error::Engine;
use crate::execution;
use crate::instrumentation::Instrumented;
use crate::session::Session;

/// An async Diesel connection to Aurora PostgreSQL through the RDS Data API.
///
/// Drop-in for `diesel_async::AsyncPgConnection`: same backend (`diesel::pg::Pg`), so
/// schemas, models and queries compile unchanged; usable with diesel-async's deadpool and
/// bb8 pools. There is no socket: every query is one HTTPS call, transactions are Data API
/// transactions.
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
pub struct AsyncDataApiPgConnection {
    session: Session,
    registry: Arc<TypeRegistry>,
    transaction_manager: AnsiTransactionManager,
    instrumentation: Instrumented,
}

impl std::fmt::Debug for AsyncDataApiPgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncDataApiPgConnection")
            .field("client", &self.session.client)
            .finish_non_exhaustive()
    }
}

impl AsyncDataApiPgConnection {
    /// A connection over a ready client (its cluster, secret and database).
    pub fn from_client(client: DataApiClient) -> Self {
        AsyncDataApiPgConnection {
            session: Session::new(client, Engine::Postgres),
            registry: Arc::new(TypeRegistry::default()),
            transaction_manager: AnsiTransactionManager::default(),
            instrumentation: Instrumented::default_instrumentation(),
        }
    }

    /// A connection from a configuration, with credentials and region from the AWS chain.
    pub async fn from_config(config: &DataApiConfig) -> Self {
        Self::from_client(DataApiClient::from_config(config).await)
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
}

impl SimpleAsyncConnection for AsyncDataApiPgConnection {
    fn batch_execute(
        &mut self,
        query: &str,
    ) -> impl std::future::Future<Output = QueryResult<()>> + Send {
        self.instrumentation.start(&StrQueryHelper::new(query));
        execution::batch(
            self.session.clone(),
            &mut self.instrumentation,
            query.to_string(),
        )
    }
}

impl AsyncConnectionCore for AsyncDataApiPgConnection {
    type ExecuteFuture<'conn, 'query> = BoxFuture<'conn, QueryResult<usize>>;
    type LoadFuture<'conn, 'query> = BoxFuture<'conn, QueryResult<Self::Stream<'conn, 'query>>>;
    type Stream<'conn, 'query> = BoxStream<'static, QueryResult<PgRow>>;
    type Row<'conn, 'query> = PgRow;
    type Backend = Pg;

    fn load<'conn, 'query, T>(&'conn mut self, source: T) -> Self::LoadFuture<'conn, 'query>
    where
        T: AsQuery + 'query,
        T::Query: QueryFragment<Self::Backend> + QueryId + 'query,
    {
        let query = source.as_query();
        self.instrumentation
            .start(&diesel::debug_query::<Pg, _>(&query));
        let prepared = prepare(&query, &self.registry);
        let session = self.session.clone();
        async move {
            let result = execution::execute(session, &mut self.instrumentation, prepared)
                .await
                .and_then(|out| rows_from_output(out, &[]));
            result.map(|rows| futures_util::stream::iter(rows.into_iter().map(Ok)).boxed())
        }
        .boxed()
    }

    fn execute_returning_count<'conn, 'query, T>(
        &'conn mut self,
        source: T,
    ) -> Self::ExecuteFuture<'conn, 'query>
    where
        T: QueryFragment<Self::Backend> + QueryId + 'query,
    {
        self.instrumentation
            .start(&diesel::debug_query::<Pg, _>(&source));
        let prepared = prepare(&source, &self.registry);
        let session = self.session.clone();
        async move {
            execution::execute(session, &mut self.instrumentation, prepared)
                .await
                .map(|out| execution::affected_rows(&out))
        }
        .boxed()
    }
}

impl AsyncConnection for AsyncDataApiPgConnection {
    type TransactionManager = AnsiTransactionManager;

    async fn establish(database_url: &str) -> ConnectionResult<Self> {
        let (instrumentation, config) = Instrumented::establishing(database_url);
        let result = match config {
            Ok(config) => Ok(Self::from_config(&config).await),
            Err(e) => Err(e),
        };
        instrumentation.established(database_url, result, |conn| &mut conn.instrumentation)
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

impl diesel_async::pooled_connection::PoolableConnection for AsyncDataApiPgConnection {}
