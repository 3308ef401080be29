//! [`SyncDieselConnection`]: the sync `diesel::Connection` of both engines. Calls block on the
//! crate's background runtime, so it also works inside a tokio runtime.

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use diesel::connection::{
    AnsiTransactionManager, Connection, ConnectionSealed, DefaultLoadingMode, LoadConnection,
    SimpleConnection, TransactionManager,
};
use diesel::expression::QueryMetadata;
use diesel::query_builder::{Query, QueryFragment, QueryId};
use diesel::{ConnectionResult, QueryResult};

use super::adapter::Adapter;
use super::core::{affected_rows, track_outcome};
use super::cursor::Cursor;
use super::generic::SyncDieselConnection;
use super::instrumentation::Instrumented;
use super::row::DataApiRow;
use crate::client::DataApiClient;
use crate::config::DataApiConfig;
use crate::engine::Engine;
use crate::runtime::block_on;

impl<A: Adapter> SyncDieselConnection<A> {
    /// A connection from a configuration, with credentials and region from the AWS chain.
    pub fn from_config(config: &DataApiConfig) -> Self {
        let config = config.clone();
        Self::from_client(block_on(async move {
            DataApiClient::from_config(&config).await
        }))
    }

    /// Runs `query` with its instrumentation events and returns the raw Data API output.
    pub(crate) fn run<T>(&mut self, query: &T) -> QueryResult<ExecuteStatementOutput>
    where
        T: QueryFragment<A::Backend> + QueryId,
    {
        let prepared = self.core.start(query);
        let result = self.core.send_blocking(prepared);
        self.track(&result);
        result
    }

    /// Updates diesel's transaction manager from a statement's outcome (see
    /// [`track_outcome`]); the sync PostgreSQL connection follows `PgConnection`.
    fn track<T>(&mut self, result: &QueryResult<T>) {
        let in_transaction = self.core.session.in_transaction();
        let pg_status = A::ENGINE == Engine::Postgres;
        let status = AnsiTransactionManager::transaction_manager_status_mut(self);
        track_outcome(status, pg_status, in_transaction, result);
    }
}

impl<A: Adapter> SimpleConnection for SyncDieselConnection<A> {
    fn batch_execute(&mut self, query: &str) -> QueryResult<()> {
        let result = self.core.batch_blocking(query);
        self.track(&result);
        result
    }
}

impl<A: Adapter> ConnectionSealed for SyncDieselConnection<A> {}

impl<A: Adapter> Connection for SyncDieselConnection<A> {
    type Backend = A::Backend;
    type TransactionManager = AnsiTransactionManager;

    fn establish(database_url: &str) -> ConnectionResult<Self> {
        let (instrumentation, config) = Instrumented::establishing(database_url);
        let result = config.map(|config| Self::from_config(&config));
        instrumentation.established(database_url, result, |conn| &mut conn.core.instrumentation)
    }

    fn execute_returning_count<T>(&mut self, source: &T) -> QueryResult<usize>
    where
        T: QueryFragment<Self::Backend> + QueryId,
    {
        self.run(source).map(|out| affected_rows(&out))
    }

    connection_accessors!(AnsiTransactionManager);
}

impl<A: Adapter> LoadConnection<DefaultLoadingMode> for SyncDieselConnection<A> {
    type Cursor<'conn, 'query> = Cursor<A>;
    type Row<'conn, 'query> = DataApiRow<A::Cell>;

    fn load<'conn, 'query, T>(
        &'conn mut self,
        source: T,
    ) -> QueryResult<Self::Cursor<'conn, 'query>>
    where
        T: Query + QueryFragment<Self::Backend> + QueryId + 'query,
        Self::Backend: QueryMetadata<T::SqlType>,
    {
        let expected = self.core.adapter.expected_columns::<T::SqlType>();
        let prepared = self.core.start(&source);
        let query = self.core.query_blocking(prepared);
        self.track(&query);
        Cursor::new(query?, expected)
    }
}

/// r2d2 checks a connection with `ping` each time it hands it out (`test_on_check_out`). A
/// Data API connection has no socket that could have died: it is usable exactly when its
/// transaction state is clean, so the check makes no Data API call (diesel's own connections
/// send `SELECT 1`, a whole HTTPS round trip here). Run a query yourself after `get()` to
/// check the cluster.
impl<A: Adapter> diesel::r2d2::R2D2Connection for SyncDieselConnection<A> {
    fn ping(&mut self) -> QueryResult<()> {
        if AnsiTransactionManager::is_broken_transaction_manager(self) {
            Err(diesel::result::Error::BrokenTransactionManager)
        } else {
            Ok(())
        }
    }

    fn is_broken(&mut self) -> bool {
        AnsiTransactionManager::is_broken_transaction_manager(self)
    }
}
