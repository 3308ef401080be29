//! [`AsyncDieselConnection`]: the `diesel_async::AsyncConnection` of both engines. All AST
//! work happens synchronously before the returned `Send` future is built, as in
//! diesel-async's own connections.

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use diesel::query_builder::{AsQuery, QueryFragment, QueryId};
use diesel::{ConnectionResult, QueryResult};
use diesel_async::pooled_connection::{PoolableConnection, RecyclingMethod};
use diesel_async::{
    AnsiTransactionManager, AsyncConnection, AsyncConnectionCore, SimpleAsyncConnection,
};
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::FutureExt;

use super::adapter::Adapter;
use super::core::{affected_rows, batch, send, send_query, track_outcome};
use super::cursor::row_stream;
use super::generic::AsyncDieselConnection;
use super::instrumentation::Instrumented;
use super::row::DataApiRow;
use crate::client::DataApiClient;
use crate::config::DataApiConfig;
use crate::session::Prepared;

impl<A: Adapter> AsyncDieselConnection<A> {
    /// A connection from a configuration, with credentials and region from the AWS chain.
    pub async fn from_config(config: &DataApiConfig) -> Self {
        Self::from_client(DataApiClient::from_config(config).await)
    }

    /// Sends a statement built by `self.core.start` (which emitted its start event); the
    /// future emits the finish event. Not generic over the query, so the future borrows only
    /// the connection.
    pub(crate) fn send(
        &mut self,
        prepared: QueryResult<Prepared>,
    ) -> impl std::future::Future<Output = QueryResult<ExecuteStatementOutput>> + Send + '_ {
        let session = self.core.session.clone();
        async move {
            let result = send(session, &mut self.core.instrumentation, prepared).await;
            self.track(&result);
            result
        }
    }

    /// Updates diesel-async's transaction manager from a statement's outcome as its own
    /// connections do (see [`track_outcome`]).
    fn track<T>(&mut self, result: &QueryResult<T>) {
        let status = <AnsiTransactionManager as diesel_async::TransactionManager<Self>>::transaction_manager_status_mut(self);
        track_outcome(status, false, false, result);
    }
}

impl<A: Adapter> SimpleAsyncConnection for AsyncDieselConnection<A> {
    fn batch_execute(
        &mut self,
        query: &str,
    ) -> impl std::future::Future<Output = QueryResult<()>> + Send {
        self.core.start_batch(query);
        let session = self.core.session.clone();
        let sql = query.to_string();
        // Boxed: diesel-async's transaction manager nests this future in its own, and an
        // unboxed chain makes users' futures deep enough to hit rustc's recursion limit.
        async move {
            // diesel-async leaves a failed COMMIT's state to its transaction manager.
            let commit = sql.trim().eq_ignore_ascii_case("COMMIT");
            let result = batch(session, &mut self.core.instrumentation, sql).await;
            if !commit {
                self.track(&result);
            }
            result
        }
        .boxed()
    }
}

impl<A: Adapter> AsyncConnectionCore for AsyncDieselConnection<A> {
    type ExecuteFuture<'conn, 'query> = BoxFuture<'conn, QueryResult<usize>>;
    type LoadFuture<'conn, 'query> = BoxFuture<'conn, QueryResult<Self::Stream<'conn, 'query>>>;
    type Stream<'conn, 'query> = BoxStream<'static, QueryResult<DataApiRow<A::Cell>>>;
    type Row<'conn, 'query> = DataApiRow<A::Cell>;
    type Backend = A::Backend;

    fn load<'conn, 'query, T>(&'conn mut self, source: T) -> Self::LoadFuture<'conn, 'query>
    where
        T: AsQuery + 'query,
        T::Query: QueryFragment<Self::Backend> + QueryId + 'query,
    {
        let prepared = self.core.start(&source.as_query());
        let session = self.core.session.clone();
        async move {
            let query = send_query(session, &mut self.core.instrumentation, prepared).await;
            self.track(&query);
            row_stream::<A>(query?)
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
        let prepared = self.core.start(&source);
        let sent = self.send(prepared);
        async move { sent.await.map(|out| affected_rows(&out)) }.boxed()
    }
}

impl<A: Adapter> AsyncConnection for AsyncDieselConnection<A> {
    type TransactionManager = AnsiTransactionManager;

    async fn establish(database_url: &str) -> ConnectionResult<Self> {
        let (instrumentation, config) = Instrumented::establishing(database_url);
        let result = match config {
            Ok(config) => Ok(Self::from_config(&config).await),
            Err(e) => Err(e),
        };
        instrumentation.established(database_url, result, |conn| &mut conn.core.instrumentation)
    }

    connection_accessors!(AnsiTransactionManager);
}

/// Pools (deadpool, bb8) check a connection with [`PoolableConnection::ping`] each time they
/// hand it out. A Data API connection has no socket that could have died: it is usable
/// exactly when its transaction state is clean, which the pool has already checked
/// (`is_broken`). So `RecyclingMethod::Verified` (the default) and `Fast` make no Data API
/// call; saving the `SELECT 1` round trip that diesel-async's default check would cost every
/// checkout (one HTTPS call per Lambda invocation). `CustomQuery` and `CustomFunction` run
/// what the user asked for, as on any connection.
impl<A: Adapter> PoolableConnection for AsyncDieselConnection<A> {
    fn ping(
        &mut self,
        config: &RecyclingMethod<Self>,
    ) -> impl std::future::Future<Output = QueryResult<()>> + Send {
        use diesel_async::RunQueryDsl;
        async move {
            match config {
                RecyclingMethod::CustomQuery(query) => diesel::sql_query(query.as_ref())
                    .execute(self)
                    .await
                    .map(|_| ()),
                RecyclingMethod::CustomFunction(check) => check(self).await,
                // Fast, Verified and whatever diesel-async adds later.
                _ => usable_without_a_call(self),
            }
        }
    }
}

/// The check a pooled Data API connection needs: no transaction left open or broken.
fn usable_without_a_call<A: Adapter>(conn: &mut AsyncDieselConnection<A>) -> QueryResult<()> {
    if <AnsiTransactionManager as diesel_async::TransactionManager<_>>::is_broken_transaction_manager(conn) {
        Err(diesel::result::Error::BrokenTransactionManager)
    } else {
        Ok(())
    }
}
