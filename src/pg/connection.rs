//! The PostgreSQL connections: the generic Diesel connections over [`PgAdapter`], plus what
//! only PostgreSQL has (`build_transaction`, `save_changes` through `RETURNING`).

use std::sync::Arc;

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use diesel::expression::QueryMetadata;
use diesel::pg::{Pg, TransactionBuilder};
use diesel::query_builder::QueryFragment;
use diesel::{QueryResult, RunQueryDsl};

use super::codec::TypeRegistry;
use super::prepare::prepare;
use super::row::{rows_from_output, PgCell, PgRow};
use crate::connection::{Adapter, AsyncDieselConnection, Sealed, SyncDieselConnection};
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
/// `CAST(:pN AS <type>)` binds, and the registry of custom types (enums) a connection has
/// seen. You never use it directly.
#[derive(Debug, Default)]
pub struct PgAdapter {
    registry: Arc<TypeRegistry>,
}

impl Sealed for PgAdapter {}

impl Adapter for PgAdapter {
    type Backend = Pg;
    type Cell = PgCell;
    type Expected = u32;
    const ENGINE: Engine = Engine::Postgres;
    const NAMES: (&'static str, &'static str) = ("DataApiPgConnection", "AsyncDataApiPgConnection");

    fn prepare<T>(&self, query: &T) -> QueryResult<Prepared>
    where
        T: QueryFragment<Pg>,
    {
        prepare(query, &self.registry)
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
    <Changes::Table as diesel::Table>::AllColumns: diesel::expression::ValidGrouping<()>,
    <<Changes::Table as diesel::Table>::AllColumns as diesel::expression::ValidGrouping<()>>::IsAggregate:
        diesel::expression::MixedAggregates<diesel::expression::is_aggregate::No, Output = diesel::expression::is_aggregate::No>,
{
    fn update_and_fetch(&mut self, changeset: Changes) -> QueryResult<Output> {
        diesel::update(changeset).set(changeset).get_result(self)
    }
}
