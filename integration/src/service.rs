//! The five Data API operations, engine-agnostic: validation, cluster and transaction
//! lookup, statement timeouts, result limits and fault injection.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::OwnedMutexGuard;

use crate::cluster::{Cluster, PoolKey};
use crate::engine::{Engine, ResultOptions, Session, StatementResult};
use crate::error::{messages, ApiError, ErrorCode};
use crate::faults::{FaultCounts, Faults, InTransaction, Injection};
use crate::limits::Limits;
use crate::protocol::*;
use crate::transactions::{short, CallClaim, Transaction, Transactions};

/// State shared by all requests of one server.
pub struct Service {
    pub clusters: HashMap<String, Arc<Cluster>>,
    pub transactions: Transactions,
    pub limits: Limits,
    pub faults: Faults,
    /// Calls received, per operation.
    pub calls: crate::calls::Calls,
}

/// A session lent to one call: from the pool, or a transaction's.
enum Lease {
    Pooled {
        cluster: Arc<Cluster>,
        key: PoolKey,
        session: Session,
    },
    Tx {
        tx: Arc<Transaction>,
        session: OwnedMutexGuard<Session>,
        /// The call's claim on the transaction; taken out by `run` so that it ends with the
        /// call even when the statement goes on (`continueAfterTimeout`).
        claim: Option<CallClaim>,
    },
}

impl Lease {
    fn session(&mut self) -> &mut Session {
        match self {
            Lease::Pooled { session, .. } => session,
            Lease::Tx { session, .. } => session,
        }
    }

    /// Ends the call: the pooled session goes back, the transaction's idle clock restarts.
    fn finish(self, transactions: &Transactions) {
        match self {
            Lease::Pooled {
                cluster,
                key,
                session,
            } => cluster.release(key, session),
            Lease::Tx { tx, session, .. } => {
                let usable = session.is_usable();
                drop(session);
                if usable {
                    tx.touch();
                } else {
                    // The connection is gone and the transaction with it.
                    transactions.abort(&tx.id);
                }
            }
        }
    }

    /// Counts the statement call in its transaction; true when the expiry fault is to end
    /// the transaction after it.
    fn expires_after(&self, faults: &Faults) -> bool {
        match self {
            Lease::Tx { tx, .. } => faults.expire_after_statement(tx.count_statement()),
            Lease::Pooled { .. } => false,
        }
    }

    fn take_claim(&mut self) -> Option<CallClaim> {
        match self {
            Lease::Tx { claim, .. } => claim.take(),
            Lease::Pooled { .. } => None,
        }
    }
}

fn required<'a>(value: &'a Option<String>, member: &str) -> Result<&'a str, ApiError> {
    value.as_deref().ok_or_else(|| {
        ApiError::validation(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ))
    })
}

fn check_length(value: &str, member: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n < min || n > max {
        let bound = if n < min {
            format!("greater than or equal to {min}")
        } else {
            format!("less than or equal to {max}")
        };
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length {bound}"
        )));
    }
    Ok(())
}

fn check_schema(schema: &Option<String>) -> Result<(), ApiError> {
    match schema.as_deref() {
        Some(s) if !s.is_empty() => Err(ApiError::validation(messages::SCHEMA_UNSUPPORTED)),
        _ => Ok(()),
    }
}

fn result_options(options: &Option<ResultSetOptions>) -> Result<ResultOptions, ApiError> {
    let Some(o) = options else {
        return Ok(ResultOptions::default());
    };
    let decimal_as_number = match o.decimal_return_type.as_deref() {
        None | Some("STRING") => false,
        Some("DOUBLE_OR_LONG") => true,
        Some(other) => {
            return Err(enum_error(
                "resultSetOptions.decimalReturnType",
                other,
                "[STRING, DOUBLE_OR_LONG]",
            ))
        }
    };
    let long_as_string = match o.long_return_type.as_deref() {
        None | Some("LONG") => false,
        Some("STRING") => true,
        Some(other) => {
            return Err(enum_error(
                "resultSetOptions.longReturnType",
                other,
                "[STRING, LONG]",
            ))
        }
    };
    Ok(ResultOptions {
        long_as_string,
        decimal_as_number,
    })
}

fn enum_error(member: &str, value: &str, set: &str) -> ApiError {
    ApiError::validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: {set}"
    ))
}

/// Serialized size of a row, as the limits measure it.
fn json_size<T: serde::Serialize>(value: &T) -> usize {
    serde_json::to_vec(value).map_or(usize::MAX, |v| v.len())
}

impl Service {
    /// Faults injected and limits hit so far, for reports.
    pub fn fault_counts(&self) -> FaultCounts {
        FaultCounts {
            expired_transactions: self.transactions.expired_count(),
            ..self.faults.counts()
        }
    }

    fn cluster(&self, arn: &str) -> Result<Arc<Cluster>, ApiError> {
        check_length(arn, "resourceArn", 11, 100)?;
        self.clusters
            .get(arn)
            .cloned()
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, messages::unknown_cluster(arn)))
    }

    fn inject(&self, cluster: &Cluster) -> Result<(), ApiError> {
        match self.faults.before_call() {
            Injection::None => Ok(()),
            Injection::Resuming => Err(ApiError::new(
                ErrorCode::DatabaseResuming,
                messages::resuming(&cluster.config.arn),
            )),
            Injection::Error5xx => Err(server_error()),
        }
    }

    /// The faults of a call inside transaction `id` (if any), after `inject`: a resuming
    /// answer that leaves the transaction open, or its expiry (the lookup then fails as for
    /// any expired transaction).
    fn inject_in_transaction(&self, cluster: &Cluster, id: Option<&str>) -> Result<(), ApiError> {
        let Some(id) = id else {
            return Ok(());
        };
        match self.faults.in_transaction() {
            InTransaction::None => Ok(()),
            InTransaction::Resuming => Err(ApiError::new(
                ErrorCode::DatabaseResuming,
                messages::resuming(&cluster.config.arn),
            )),
            InTransaction::Expire => {
                self.expire_by_fault(id);
                Ok(())
            }
        }
    }

    fn expire_by_fault(&self, id: &str) {
        if self.transactions.expire(id) {
            self.faults.count_expired_by_fault();
            tracing::debug!(transaction = %short(id), "transaction expired (injected)");
        }
    }

    fn after_apply(&self) -> Result<(), ApiError> {
        if self.faults.error_after_apply() {
            Err(server_error())
        } else {
            Ok(())
        }
    }

    /// Takes the session the call runs on.
    async fn lease(
        &self,
        cluster: &Arc<Cluster>,
        secret_arn: &str,
        database: Option<&str>,
        transaction_id: Option<&str>,
    ) -> Result<Lease, ApiError> {
        match transaction_id {
            Some(id) => {
                check_length(id, "transactionId", 0, 192)?;
                let tx = self.transactions.get(
                    id,
                    &cluster.config.arn,
                    ErrorCode::TransactionNotFound,
                )?;
                let claim = tx.claim()?;
                let session = self.lock_transaction(&tx, &claim).await?;
                Ok(Lease::Tx {
                    tx,
                    session,
                    claim: Some(claim),
                })
            }
            None => {
                let key = cluster.key(secret_arn, database)?;
                let session = cluster.acquire(&key).await?;
                Ok(Lease::Pooled {
                    cluster: cluster.clone(),
                    key,
                    session,
                })
            }
        }
    }

    /// The session of a claimed transaction, after any statement still running from a
    /// `continueAfterTimeout` call; waiting longer than the statement timeout is a timeout.
    async fn lock_transaction(
        &self,
        tx: &Transaction,
        claim: &CallClaim,
    ) -> Result<OwnedMutexGuard<Session>, ApiError> {
        tx.lock(claim, self.limits.statement_timeout)
            .await
            .ok_or_else(|| {
                self.faults.count_statement_timeout();
                ApiError::new(ErrorCode::StatementTimeout, messages::STATEMENT_TIMEOUT)
            })
    }

    /// Runs `work` on the leased session under the statement timeout. On timeout the
    /// statement is cancelled unless `continue_after_timeout`; either way a transaction
    /// stays open, as on the real service: on PostgreSQL the cancelled statement leaves it
    /// aborted (the next statement fails with 25P02, a rollback works); on MySQL the
    /// interrupted statement is undone but the transaction and its earlier work remain
    /// (*unverified*: MySQL's KILL QUERY semantics, no recorded Data API behaviour). With
    /// `continue_after_timeout` the statement keeps the session until it ends, and the next
    /// call of the transaction waits for it.
    async fn run<F, T>(
        self: &Arc<Self>,
        cluster: &Arc<Cluster>,
        mut lease: Lease,
        continue_after_timeout: bool,
        work: F,
    ) -> Result<T, ApiError>
    where
        F: for<'s> FnOnce(
                &'s mut Session,
            ) -> futures_util::future::BoxFuture<'s, Result<T, ApiError>>
            + Send
            + 'static,
        T: Send + 'static,
    {
        if self.faults.drop_connection() {
            let key = match &lease {
                Lease::Pooled { key, .. } => key.clone(),
                Lease::Tx { tx, .. } => tx.key.clone(),
            };
            cluster
                .terminate_backend(&key, lease.session().connection_id())
                .await;
        }
        // Held until this call returns, not until the statement ends.
        let _claim = lease.take_claim();
        let cancel = lease.session().cancel_handle();
        let connection_id = lease.session().connection_id();
        let mut task = tokio::spawn(async move {
            let result = work(lease.session()).await;
            (lease, result)
        });
        let this = self.clone();
        match tokio::time::timeout(self.limits.statement_timeout, &mut task).await {
            Ok(joined) => {
                let (lease, result) = joined.map_err(|e| internal(&e))?;
                lease.finish(&this.transactions);
                result
            }
            Err(_) => {
                self.faults.count_statement_timeout();
                if continue_after_timeout {
                    tokio::spawn(async move {
                        if let Ok((lease, _)) = task.await {
                            lease.finish(&this.transactions);
                        }
                    });
                } else {
                    cancel.cancel().await;
                    if let Ok((lease, _)) = task.await {
                        lease.finish(&this.transactions);
                    }
                }
                Err(ApiError {
                    code: ErrorCode::StatementTimeout,
                    message: messages::STATEMENT_TIMEOUT.into(),
                    db_connection_id: Some(connection_id),
                })
            }
        }
    }

    /// Validates the members Execute and BatchExecute share; returns the secret ARN and SQL.
    fn statement_members<'r>(
        &self,
        secret: &'r Option<String>,
        sql: &Option<String>,
        schema: &Option<String>,
    ) -> Result<(&'r str, String), ApiError> {
        let secret = required(secret, "secretArn")?;
        let sql = required(sql, "sql")?.to_string();
        check_length(secret, "secretArn", 11, 100)?;
        check_length(&sql, "sql", 0, self.limits.max_sql_chars)?;
        check_schema(schema)?;
        Ok((secret, sql))
    }

    /// `ExecuteStatement`.
    pub async fn execute(
        self: &Arc<Self>,
        req: ExecuteStatementRequest,
    ) -> Result<ExecuteStatementResponse, ApiError> {
        let arn = required(&req.resource_arn, "resourceArn")?;
        let (secret, sql) = self.statement_members(&req.secret_arn, &req.sql, &req.schema)?;
        let options = result_options(&req.result_set_options)?;
        let as_json = match req.format_records_as.as_deref() {
            None | Some("NONE") => false,
            Some("JSON") => true,
            Some(other) => return Err(enum_error("formatRecordsAs", other, "[NONE, JSON]")),
        };
        let cluster = self.cluster(arn)?;
        self.inject(&cluster)?;
        self.inject_in_transaction(&cluster, req.transaction_id.as_deref())?;
        if cluster.engine() == Engine::Postgres {
            if let Some(database) = crate::cluster::dropped_database(&sql) {
                cluster.close_idle_sessions(&database).await;
            }
        }
        let lease = self
            .lease(
                &cluster,
                secret,
                req.database.as_deref(),
                req.transaction_id.as_deref(),
            )
            .await?;
        let expire = lease.expires_after(&self.faults);
        let params = req.parameters;
        let result = self
            .run(&cluster, lease, req.continue_after_timeout, move |s| {
                Box::pin(async move { s.execute(&sql, &params, options).await })
            })
            .await;
        if let (true, Some(id)) = (expire, &req.transaction_id) {
            self.expire_by_fault(id);
        }
        let result = result?;
        if let Err(e) = self.check_size(&result, as_json) {
            if let Some(id) = &req.transaction_id {
                self.transactions.abort(id);
            }
            return Err(e);
        }
        let response = self.shape(result, req.include_result_metadata, as_json)?;
        self.after_apply()?;
        Ok(response)
    }

    fn check_size(&self, result: &StatementResult, as_json: bool) -> Result<(), ApiError> {
        let cap = if as_json {
            self.limits.max_formatted_bytes
        } else {
            self.limits.max_response_bytes
        };
        let mut total = 0usize;
        for row in &result.records {
            total += json_size(row);
            if total > cap {
                return Err(ApiError::database(messages::RESPONSE_TOO_LARGE));
            }
        }
        Ok(())
    }

    fn shape(
        &self,
        result: StatementResult,
        with_metadata: bool,
        as_json: bool,
    ) -> Result<ExecuteStatementResponse, ApiError> {
        let mut response = ExecuteStatementResponse {
            number_of_records_updated: result.updated,
            generated_fields: (result.lists_generated || !result.generated.is_empty())
                .then_some(result.generated),
            ..Default::default()
        };
        if !result.has_result_set {
            return Ok(response);
        }
        if as_json {
            response.formatted_records = Some(format_json(&result.columns, &result.records)?);
        } else {
            response.records = Some(result.records);
            if with_metadata {
                response.column_metadata = Some(result.columns);
            }
        }
        Ok(response)
    }

    /// `BatchExecuteStatement`.
    pub async fn batch_execute(
        self: &Arc<Self>,
        req: BatchExecuteStatementRequest,
    ) -> Result<BatchExecuteStatementResponse, ApiError> {
        let arn = required(&req.resource_arn, "resourceArn")?;
        let (secret, sql) = self.statement_members(&req.secret_arn, &req.sql, &req.schema)?;
        let cluster = self.cluster(arn)?;
        self.inject(&cluster)?;
        self.inject_in_transaction(&cluster, req.transaction_id.as_deref())?;
        let in_transaction = req.transaction_id.is_some();
        let lease = self
            .lease(
                &cluster,
                secret,
                req.database.as_deref(),
                req.transaction_id.as_deref(),
            )
            .await?;
        let expire = lease.expires_after(&self.faults);
        // PostgreSQL (pgjdbc) runs a batch outside a transaction as one implicit transaction;
        // MySQL autocommits each set. *unverified*: inferred from the JDBC drivers.
        let atomic = !in_transaction && cluster.engine() == Engine::Postgres;
        let sets = if req.parameter_sets.is_empty() {
            vec![Vec::new()]
        } else {
            req.parameter_sets
        };
        let results = self
            .run(&cluster, lease, false, move |s| {
                Box::pin(async move {
                    if atomic {
                        s.begin().await?;
                    }
                    let mut results = Vec::with_capacity(sets.len());
                    for set in &sets {
                        match s.execute(&sql, set, ResultOptions::default()).await {
                            Ok(r) => results.push(UpdateResult {
                                generated_fields: r.generated,
                            }),
                            Err(e) => {
                                if atomic {
                                    let _ = s.end("ROLLBACK").await;
                                }
                                return Err(e);
                            }
                        }
                    }
                    if atomic {
                        s.end("COMMIT").await?;
                    }
                    Ok(results)
                })
            })
            .await;
        if let (true, Some(id)) = (expire, &req.transaction_id) {
            self.expire_by_fault(id);
        }
        let results = results?;
        self.after_apply()?;
        Ok(BatchExecuteStatementResponse {
            update_results: results,
        })
    }

    /// `BeginTransaction`.
    pub async fn begin(
        self: &Arc<Self>,
        req: BeginTransactionRequest,
    ) -> Result<BeginTransactionResponse, ApiError> {
        let arn = required(&req.resource_arn, "resourceArn")?;
        let secret = required(&req.secret_arn, "secretArn")?;
        check_length(secret, "secretArn", 11, 100)?;
        check_schema(&req.schema)?;
        let cluster = self.cluster(arn)?;
        self.inject(&cluster)?;
        let key = cluster.key(secret, req.database.as_deref())?;
        let mut session = cluster.acquire(&key).await?;
        session.begin().await?;
        let id = self.transactions.insert(cluster, key, session);
        tracing::debug!(transaction = %short(&id), "transaction begun");
        Ok(BeginTransactionResponse { transaction_id: id })
    }

    /// `CommitTransaction` (commit = true) or `RollbackTransaction`.
    pub async fn end(
        self: &Arc<Self>,
        req: EndTransactionRequest,
        commit: bool,
    ) -> Result<EndTransactionResponse, ApiError> {
        let arn = required(&req.resource_arn, "resourceArn")?;
        let secret = required(&req.secret_arn, "secretArn")?;
        let id = required(&req.transaction_id, "transactionId")?;
        check_length(secret, "secretArn", 11, 100)?;
        check_length(id, "transactionId", 0, 192)?;
        let cluster = self.cluster(arn)?;
        self.inject(&cluster)?;
        self.inject_in_transaction(&cluster, Some(id))?;
        let tx = self.transactions.get(id, arn, ErrorCode::NotFound)?;
        let claim = tx.claim()?;
        let mut session = self.lock_transaction(&tx, &claim).await?;
        drop(claim);
        if self.transactions.remove(id).is_none() {
            // Expired or aborted while this call waited.
            return Err(ApiError::new(
                ErrorCode::NotFound,
                messages::transaction_not_found(id),
            ));
        }
        let outcome = if commit {
            commit_session(&mut session).await
        } else {
            session.end("ROLLBACK").await
        };
        drop(session);
        if outcome.is_ok() {
            if let Some((key, session)) =
                Arc::try_unwrap(tx).ok().and_then(Transaction::into_session)
            {
                cluster.release(key, session);
            }
        }
        outcome?;
        self.after_apply()?;
        if commit && self.faults.commit_error_after_apply() {
            return Err(server_error());
        }
        Ok(EndTransactionResponse {
            transaction_status: if commit {
                "Transaction Committed"
            } else {
                "Rollback Complete"
            }
            .into(),
        })
    }
}

/// COMMIT. After a failed statement (without ROLLBACK TO SAVEPOINT) PostgreSQL answers a
/// COMMIT with ROLLBACK and no error; the Data API then still reports "Transaction
/// Committed" (reference: "Transactions"), so nothing is checked here.
async fn commit_session(session: &mut Session) -> Result<(), ApiError> {
    session.end("COMMIT").await
}

fn server_error() -> ApiError {
    if rand::random::<bool>() {
        ApiError::new(
            ErrorCode::InternalServerError,
            "An internal error occurred (injected)",
        )
    } else {
        ApiError::new(
            ErrorCode::ServiceUnavailable,
            "The service is unavailable (injected)",
        )
    }
}

fn internal(e: &dyn std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::InternalServerError,
        format!("internal error: {e}"),
    )
}

/// `formattedRecords`: a JSON array of objects keyed by column label.
fn format_json(columns: &[ColumnMetadata], records: &[Vec<Field>]) -> Result<String, ApiError> {
    fn value(field: &Field) -> serde_json::Value {
        use base64::Engine as _;
        match field {
            Field::IsNull(_) => serde_json::Value::Null,
            Field::BooleanValue(b) => (*b).into(),
            Field::LongValue(n) => (*n).into(),
            Field::DoubleValue(d) => {
                serde_json::Number::from_f64(*d).map_or(serde_json::Value::Null, Into::into)
            }
            Field::StringValue(s) => s.clone().into(),
            Field::BlobValue(b) => base64::engine::general_purpose::STANDARD.encode(b).into(),
            Field::ArrayValue(a) => array(a),
        }
    }
    fn array(a: &ArrayValue) -> serde_json::Value {
        match a {
            ArrayValue::BooleanValues(v) => serde_json::json!(v),
            ArrayValue::LongValues(v) => serde_json::json!(v),
            ArrayValue::DoubleValues(v) => serde_json::json!(v),
            ArrayValue::StringValues(v) => serde_json::json!(v),
            ArrayValue::ArrayValues(v) => v.iter().map(array).collect(),
        }
    }
    let rows: Vec<serde_json::Value> = records
        .iter()
        .map(|row| {
            let object: serde_json::Map<String, serde_json::Value> = columns
                .iter()
                .zip(row)
                .map(|(c, f)| (c.label.clone(), value(f)))
                .collect();
            serde_json::Value::Object(object)
        })
        .collect();
    serde_json::to_string(&rows).map_err(|e| internal(&e))
}
