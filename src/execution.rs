//! Running a prepared statement or a script for a Diesel connection, with diesel's
//! instrumentation events around it: shared by the PostgreSQL and MySQL connections, sync and
//! async.

use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use diesel::connection::StrQueryHelper;
use diesel::QueryResult;

use crate::instrumentation::Instrumented;
use crate::runtime::block_on;
use crate::session::{Prepared, Session};

/// Runs `prepared` (or reports why it could not be built) and emits the finish event; the
/// caller emitted the start event while it still had the query.
pub(crate) async fn execute(
    session: Session,
    instrumentation: &mut Instrumented,
    prepared: QueryResult<Prepared>,
) -> QueryResult<ExecuteStatementOutput> {
    match prepared {
        Ok(prepared) => {
            let sql = prepared.sql.clone();
            let result = session.execute(prepared).await;
            instrumentation.finish(&StrQueryHelper::new(&sql), result.as_ref().err());
            result
        }
        Err(e) => {
            instrumentation.finish(&StrQueryHelper::new(""), Some(&e));
            Err(e)
        }
    }
}

/// [`execute`] for the sync connections: the call runs on the background runtime.
pub(crate) fn execute_blocking(
    session: &Session,
    instrumentation: &mut Instrumented,
    prepared: QueryResult<Prepared>,
) -> QueryResult<ExecuteStatementOutput> {
    match prepared {
        Ok(prepared) => {
            let sql = prepared.sql.clone();
            let session = session.clone();
            let result = block_on(async move { session.execute(prepared).await });
            instrumentation.finish(&StrQueryHelper::new(&sql), result.as_ref().err());
            result
        }
        Err(e) => {
            instrumentation.finish(&StrQueryHelper::new(""), Some(&e));
            Err(e)
        }
    }
}

/// `batch_execute` with its start and finish events.
pub(crate) async fn batch(
    session: Session,
    instrumentation: &mut Instrumented,
    sql: String,
) -> QueryResult<()> {
    let result = session.batch_execute(sql.clone()).await;
    instrumentation.finish(&StrQueryHelper::new(&sql), result.as_ref().err());
    result
}

/// [`batch`] for the sync connections.
pub(crate) fn batch_blocking(
    session: &Session,
    instrumentation: &mut Instrumented,
    sql: &str,
) -> QueryResult<()> {
    instrumentation.start(&StrQueryHelper::new(sql));
    let session = session.clone();
    let owned = sql.to_string();
    let result = block_on(async move { session.batch_execute(owned).await });
    instrumentation.finish(&StrQueryHelper::new(sql), result.as_ref().err());
    result
}

/// `numberOfRecordsUpdated` as diesel's affected-row count.
pub(crate) fn affected_rows(output: &ExecuteStatementOutput) -> usize {
    usize::try_from(output.number_of_records_updated).unwrap_or(0)
}
