//! The SDK layer: `aws-sdk-rdsdata` calls with the cluster, secret and database of a
//! [`DataApiConfig`] filled in, errors classified into [`DataApiError`], one `tracing` span
//! per call.
//!
//! Every call goes through one private function (`send`): the span, the size checks of
//! [`limits`] and the retry rule of [`retry`] are applied there, once. The SDK's own retries
//! are turned off, so a call is never sent more often than [`retry`] allows.
//!
//! Logging: `tracing` debug spans carry the operation, the SQL (first 200 characters), the
//! number of parameters, whether a transaction is used, the duration and the error code.
//! Parameter values, error messages (they can quote values), the secret ARN and credentials
//! are never logged.

mod error;
pub mod limits;
pub mod retry;

pub use error::{DataApiError, DataApiErrorKind};

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, SdkConfig};
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials};
use aws_sdk_rdsdata::config::{Credentials, Region, SharedCredentialsProvider};
use aws_sdk_rdsdata::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_rdsdata::operation::batch_execute_statement::BatchExecuteStatementOutput;
use aws_sdk_rdsdata::operation::execute_statement::ExecuteStatementOutput;
use aws_sdk_rdsdata::operation::RequestId;
use aws_sdk_rdsdata::types::{DecimalReturnType, LongReturnType, ResultSetOptions, SqlParameter};
use tracing::Instrument;

use crate::config::DataApiConfig;
use retry::{
    budget_spent_note, execute_repeat, next_delay, Activity, CallKind, Decision, Progress, Repeat,
    RetryPolicy,
};

/// How many characters of SQL a log span carries.
const LOGGED_SQL_CHARS: usize = 200;

/// A Data API client bound to one cluster, secret and database.
///
/// Cloning is cheap (the SDK client and the config are shared), so clone it into tasks
/// instead of wrapping it in an `Arc`. Clones also share the retry policy (so
/// [`set_retry_policy`](Self::set_retry_policy) reaches the clones a connection keeps) and
/// the record of when a call last succeeded (see [`retry`]).
#[derive(Clone)]
pub struct DataApiClient {
    sdk: aws_sdk_rdsdata::Client,
    config: Arc<DataApiConfig>,
    retry: Arc<RwLock<RetryPolicy>>,
    limits: limits::Limits,
    activity: Arc<Activity>,
}

/// What [`DataApiClient::wake_up`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WakeUp {
    /// The database answered: it is awake.
    Awake,
    /// The database answered DatabaseResumingException: it is resuming after an auto-pause
    /// (the call started the resume, or one was under way). The next calls wait for it
    /// within their budget; nothing failed.
    Resuming,
}

impl fmt::Debug for DataApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `DataApiConfig`'s Debug redacts the secret ARN.
        f.debug_struct("DataApiClient")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Options of [`DataApiClient::execute`]. The default asks for column metadata and decimals
/// as exact strings, which the row decoders rely on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecuteOptions {
    /// Return `columnMetadata` with the records (default `true`).
    pub include_result_metadata: bool,
    /// Let the statement run to completion after the 45 s call timeout instead of
    /// cancelling it (default `false`).
    pub continue_after_timeout: bool,
    /// How DECIMAL / NUMERIC values are returned (default `STRING`, exact).
    pub decimal_return_type: DecimalReturnType,
    /// How BIGINT values are returned (default `LONG`).
    pub long_return_type: LongReturnType,
}

impl Default for ExecuteOptions {
    fn default() -> Self {
        ExecuteOptions {
            include_result_metadata: true,
            continue_after_timeout: false,
            decimal_return_type: DecimalReturnType::String,
            long_return_type: LongReturnType::Long,
        }
    }
}

impl DataApiClient {
    /// A client configured from the AWS default chain (credentials, region, retries,
    /// timeouts: environment, profile, web identity, container and instance metadata), with
    /// the config's region and endpoint applied on top.
    ///
    /// With an endpoint override (a local Data API server) it works on a machine without any
    /// AWS setup: the region falls back to the cluster ARN's (see
    /// [`from_sdk_config`](Self::from_sdk_config)) and, when the chain finds no credentials,
    /// static dummy credentials are used (requests are still SigV4-signed; the local server
    /// accepts any signature unless told otherwise). For a plain `http://` endpoint the dummy
    /// credentials are also used when the chain fails outright; for `https://` a failing chain
    /// stays an error. Nothing is checked here: missing credentials or region show up as a
    /// [`DataApiErrorKind::Transport`] error on the first call.
    pub async fn from_config(config: &DataApiConfig) -> DataApiClient {
        // Timers on the crate's runtime: the caller's may have none (see `runtime::sleep`).
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).sleep_impl(
            aws_sdk_rdsdata::config::SharedAsyncSleep::new(crate::runtime::BackgroundSleep),
        );
        if let Some(region) = config.region() {
            // Given to the loader too, so credential providers (STS, SSO) use it.
            loader = loader.region(Region::new(region.to_owned()));
        }
        let sdk_config = loader.load().await;
        Self::from_sdk_config(&sdk_config, config.clone())
    }

    /// A client built from a shared AWS SDK config, with the config's region and endpoint
    /// applied on top.
    ///
    /// The region is, in order: the config's, the SDK config's, else the region in the
    /// cluster ARN (`arn:aws:rds:<region>:…`; only reached without any AWS region setup). The
    /// endpoint override is applied to the Data API client only, never to credential
    /// providers. With an endpoint override, credentials fall back to static dummy ones as
    /// described in [`from_config`](Self::from_config).
    pub fn from_sdk_config(sdk_config: &SdkConfig, config: DataApiConfig) -> DataApiClient {
        let mut builder = aws_sdk_rdsdata::config::Builder::from(sdk_config);
        if sdk_config.behavior_version().is_none() {
            // A hand-built SdkConfig may lack it; the client would panic on construction.
            builder = builder.behavior_version(BehaviorVersion::latest());
        }
        let region = config
            .region()
            .map(str::to_owned)
            .or_else(|| sdk_config.region().map(|r| r.to_string()))
            .or_else(|| arn_region(config.cluster_arn()));
        builder = builder.region(region.map(Region::new));
        // Timers on the crate's runtime, so calls also work on a runtime without them
        // (diesel-async's `AsyncConnectionWrapper` runs connections on an I/O-only one).
        builder = builder.sleep_impl(aws_sdk_rdsdata::config::SharedAsyncSleep::new(
            crate::runtime::BackgroundSleep,
        ));
        // Retries are this crate's policy (`retry`): the SDK's would resend writes
        // after a 5xx and cannot retry DatabaseResumingException.
        builder = builder.retry_config(aws_sdk_rdsdata::config::retry::RetryConfig::disabled());
        if let Some(endpoint) = config.endpoint() {
            builder = builder.endpoint_url(endpoint);
            builder = builder.credentials_provider(EndpointCredentials {
                configured: sdk_config.credentials_provider(),
                plain_http: endpoint
                    .get(..7)
                    .is_some_and(|s| s.eq_ignore_ascii_case("http://")),
            });
        }
        Self::from_sdk_client(aws_sdk_rdsdata::Client::from_conf(builder.build()), config)
    }

    /// Wraps a ready SDK client, used as is: the config's region and endpoint are **not**
    /// applied (configure them on the client); its cluster, secret and database are.
    pub fn from_sdk_client(
        client: aws_sdk_rdsdata::Client,
        config: DataApiConfig,
    ) -> DataApiClient {
        let mut policy = RetryPolicy::default();
        if let Some(budget) = config.resume_timeout() {
            policy.max_total_wait = budget;
        }
        DataApiClient {
            sdk: client,
            config: Arc::new(config),
            retry: Arc::new(RwLock::new(policy)),
            activity: Arc::default(),
            limits: limits::Limits::default(),
        }
    }

    /// The same client with another retry policy (see [`retry`] for the rule), replacing the
    /// config's `resume_timeout` too. The returned client has a policy of its own: clones made
    /// before keep theirs.
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Arc::new(RwLock::new(policy));
        self
    }

    /// The same client working to other size limits (see [`limits::Limits`]): for a local
    /// server started with smaller ones.
    pub fn with_limits(mut self, limits: limits::Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The size limits this client works to.
    pub fn limits(&self) -> &limits::Limits {
        &self.limits
    }

    /// Replaces the retry policy of this client and of its clones (the ones a connection
    /// keeps included), from the next call on. Reachable from every connection type:
    /// `conn.client().set_retry_policy(…)`.
    pub fn set_retry_policy(&self, policy: RetryPolicy) {
        *self.retry.write().unwrap_or_else(|e| e.into_inner()) = policy;
    }

    /// Sets the resume budget ([`RetryPolicy::max_total_wait`]: the total wait for an
    /// auto-paused cluster to resume, default 40 s) of this client and its clones, from the
    /// next call on; e.g. `conn.client().set_resume_timeout(Duration::from_secs(60))`. The
    /// URL key `resume_timeout=<seconds>` sets it at connection time.
    pub fn set_resume_timeout(&self, budget: Duration) {
        self.retry
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .max_total_wait = budget;
    }

    /// The retry policy in force (a copy).
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Starts the resume of an auto-paused cluster early, e.g. in a Lambda's init phase,
    /// without failing anything: sends `SELECT 1` once, outside a transaction.
    ///
    /// Returns [`WakeUp::Awake`] when the database answered, [`WakeUp::Resuming`] when it
    /// answered DatabaseResumingException (the resume has started; the Data API does not
    /// keep the call waiting, so this returns in one round trip). The first request then
    /// finds the cluster awake, or waits only for the rest of the resume within its own
    /// budget. Other errors (wrong ARN, access denied, endpoint unreachable) are returned:
    /// they would fail the first request too. Use [`wake_up_within`](Self::wake_up_within)
    /// to wait for the resume, and [`wake_up_blocking`](Self::wake_up_blocking) from sync
    /// code.
    ///
    /// After [`WakeUp::Resuming`] the client counts its next calls as "right after an idle
    /// period" (see [`retry`]): a read that times out while the cluster finishes waking is
    /// retried.
    pub async fn wake_up(&self) -> Result<WakeUp, DataApiError> {
        self.wake_up_within(Duration::ZERO).await
    }

    /// Like [`wake_up`](Self::wake_up), but waits up to `timeout` for the database to be
    /// awake, retrying on the client's back-off schedule with `timeout` as the budget.
    /// Returns [`WakeUp::Resuming`] if it is still resuming then (not an error: the next
    /// calls keep waiting within their own budget).
    pub async fn wake_up_within(&self, timeout: Duration) -> Result<WakeUp, DataApiError> {
        let policy = RetryPolicy {
            max_total_wait: timeout,
            idle_threshold: None,
            ..self.retry_policy()
        };
        let options = ExecuteOptions {
            include_result_metadata: false,
            ..Default::default()
        };
        let statement = Statement {
            sql: "SELECT 1",
            params: &[],
            transaction_id: None,
            options: &options,
            repeat: Repeat::Safe,
            sizes_checked: false,
        };
        match self.execute_statement(policy, statement).await {
            Ok(_) => Ok(WakeUp::Awake),
            Err(e) if e.kind() == DataApiErrorKind::DatabaseResuming => Ok(WakeUp::Resuming),
            Err(e) => Err(e),
        }
    }

    /// [`wake_up_within`](Self::wake_up_within) for sync code (a Lambda's init with a sync
    /// Diesel connection): runs on this crate's background runtime, so it works with or
    /// without a tokio runtime around. `Duration::ZERO` sends one call and does not wait for
    /// the resume.
    pub fn wake_up_blocking(&self, timeout: Duration) -> Result<WakeUp, DataApiError> {
        let client = self.clone();
        crate::runtime::block_on(async move { client.wake_up_within(timeout).await })
    }

    /// The config this client sends with every call.
    pub fn config(&self) -> &DataApiConfig {
        &self.config
    }

    /// The underlying SDK client, for operations this type does not wrap.
    pub fn sdk_client(&self) -> &aws_sdk_rdsdata::Client {
        &self.sdk
    }

    /// `ExecuteStatement`: runs one SQL statement with named parameters (`:name` in `sql`),
    /// inside `transaction_id` if given, else autocommitted.
    pub async fn execute(
        &self,
        sql: &str,
        params: Vec<SqlParameter>,
        transaction_id: Option<&str>,
        options: ExecuteOptions,
    ) -> Result<ExecuteStatementOutput, DataApiError> {
        let statement = Statement {
            sql,
            params: &params,
            transaction_id,
            options: &options,
            repeat: execute_repeat(sql, transaction_id.is_some()),
            sizes_checked: false,
        };
        self.execute_statement(self.retry_policy(), statement).await
    }

    /// `ExecuteStatement` of a statement the session has read already (its [`Repeat`] is
    /// known): the SQL and parameters are borrowed, so the caller keeps them (for a retry
    /// through a cursor, or its finish event) without a copy. Not an `async fn` of its own:
    /// every layer of nested futures counts against rustc's layout depth in users' code.
    pub(crate) fn execute_known<'a>(
        &'a self,
        statement: Statement<'a>,
    ) -> impl Future<Output = Result<ExecuteStatementOutput, DataApiError>> + Send + 'a {
        self.execute_statement(self.retry_policy(), statement)
    }

    async fn execute_statement(
        &self,
        policy: RetryPolicy,
        statement: Statement<'_>,
    ) -> Result<ExecuteStatementOutput, DataApiError> {
        let Statement {
            sql,
            params,
            transaction_id,
            options,
            repeat,
            sizes_checked,
        } = statement;
        let call = Call {
            operation: "ExecuteStatement",
            sql: Some(sql),
            parameters: params.len(),
            in_transaction: transaction_id.is_some(),
            kind: CallKind {
                repeat,
                cancelled_on_timeout: !options.continue_after_timeout,
            },
        };
        if !sizes_checked {
            limits::check_request(sql, &[params], &self.limits)?;
        }
        // The service's defaults (STRING decimals, LONG longs) go unsaid, as a hand-written
        // call leaves them: the option object costs serialization on every call.
        let result_set_options = (options.decimal_return_type != DecimalReturnType::String
            || options.long_return_type != LongReturnType::Long)
            .then(|| {
                ResultSetOptions::builder()
                    .decimal_return_type(options.decimal_return_type.clone())
                    .long_return_type(options.long_return_type.clone())
                    .build()
            });
        // Each attempt builds its request from the borrowed statement: a request is consumed
        // by `send`, and building one costs what cloning a prepared one would.
        let make = || {
            self.sdk
                .execute_statement()
                .resource_arn(self.config.cluster_arn())
                .secret_arn(self.config.secret_arn())
                .set_database(self.config.database().map(str::to_owned))
                .sql(sql)
                .set_parameters((!params.is_empty()).then(|| params.to_vec()))
                .set_transaction_id(transaction_id.map(str::to_owned))
                .include_result_metadata(options.include_result_metadata)
                .continue_after_timeout(options.continue_after_timeout)
                .set_result_set_options(result_set_options.clone())
                .send()
        };
        send(&policy, &self.activity, call, make).await
    }

    /// `BatchExecuteStatement`: runs `sql` once per parameter set (sent as given, even when
    /// empty), inside `transaction_id` if given.
    pub async fn batch_execute(
        &self,
        sql: &str,
        parameter_sets: Vec<Vec<SqlParameter>>,
        transaction_id: Option<&str>,
    ) -> Result<BatchExecuteStatementOutput, DataApiError> {
        let call = Call {
            operation: "BatchExecuteStatement",
            sql: Some(sql),
            parameters: parameter_sets.iter().map(Vec::len).sum(),
            in_transaction: transaction_id.is_some(),
            kind: CallKind {
                repeat: Repeat::Unsafe,
                cancelled_on_timeout: false,
            },
        };
        let sets: Vec<&[SqlParameter]> = parameter_sets.iter().map(Vec::as_slice).collect();
        limits::check_request(sql, &sets, &self.limits)?;
        let request = self
            .sdk
            .batch_execute_statement()
            .resource_arn(self.config.cluster_arn())
            .secret_arn(self.config.secret_arn())
            .set_database(self.config.database().map(str::to_owned))
            .sql(sql)
            .set_parameter_sets(Some(parameter_sets))
            .set_transaction_id(transaction_id.map(str::to_owned));
        self.send(call, || request.clone().send()).await
    }

    /// `BeginTransaction` on the config's database; returns the transaction id.
    pub async fn begin_transaction(&self) -> Result<String, DataApiError> {
        let request = self
            .sdk
            .begin_transaction()
            .resource_arn(self.config.cluster_arn())
            .secret_arn(self.config.secret_arn())
            .set_database(self.config.database().map(str::to_owned));
        let call = Call::transaction("BeginTransaction", Repeat::Safe);
        let out = self.send(call, || request.clone().send()).await?;
        out.transaction_id.ok_or_else(|| {
            DataApiError::client_side(
                DataApiErrorKind::Other,
                "MissingTransactionId",
                "BeginTransaction returned no transactionId".into(),
            )
        })
    }

    /// `CommitTransaction`: commits and ends the transaction.
    pub async fn commit_transaction(&self, transaction_id: &str) -> Result<(), DataApiError> {
        let request = self
            .sdk
            .commit_transaction()
            .resource_arn(self.config.cluster_arn())
            .secret_arn(self.config.secret_arn())
            .transaction_id(transaction_id);
        let call = Call::transaction("CommitTransaction", Repeat::Unsafe);
        self.send(call, || request.clone().send()).await?;
        Ok(())
    }

    /// `RollbackTransaction`: rolls back and ends the transaction.
    pub async fn rollback_transaction(&self, transaction_id: &str) -> Result<(), DataApiError> {
        let request = self
            .sdk
            .rollback_transaction()
            .resource_arn(self.config.cluster_arn())
            .secret_arn(self.config.secret_arn())
            .transaction_id(transaction_id);
        let call = Call::transaction("RollbackTransaction", Repeat::Safe);
        self.send(call, || request.clone().send()).await?;
        Ok(())
    }
}

/// Credentials for a client with an endpoint override: the configured provider's, else
/// dummy ones, so a local Data API server works on a machine without AWS credentials.
///
/// Dummy credentials are used when the configured chain finds none ("not loaded") and, for a
/// plain `http://` endpoint (never the real, HTTPS-only Data API), also when the chain fails:
/// aws-config reports a hard error, not "not loaded", when something other than an instance
/// metadata service answers at its address (proxies, sandboxes). For an `https://` endpoint
/// (e.g. a VPC endpoint) a failing chain stays an error, so real credential problems are not
/// masked.
#[derive(Debug)]
struct EndpointCredentials {
    configured: Option<SharedCredentialsProvider>,
    plain_http: bool,
}

impl ProvideCredentials for EndpointCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let dummy = || {
                Credentials::new(
                    "AKIDDATAAPILOCAL",
                    "aurora-data-api-local",
                    None,
                    None,
                    "aurora-data-api endpoint fallback",
                )
            };
            let Some(configured) = &self.configured else {
                return Ok(dummy());
            };
            match configured.provide_credentials().await {
                Ok(credentials) => Ok(credentials),
                Err(CredentialsError::CredentialsNotLoaded(_)) => {
                    tracing::debug!("no AWS credentials found; using dummy credentials for the endpoint override");
                    Ok(dummy())
                }
                Err(e) if self.plain_http => {
                    tracing::debug!(
                        error = %DisplayErrorContext(&e),
                        "AWS credential chain failed; using dummy credentials for the http:// endpoint override"
                    );
                    Ok(dummy())
                }
                Err(e) => Err(e),
            }
        })
    }
}

/// One `ExecuteStatement`, borrowed from its caller.
pub(crate) struct Statement<'a> {
    pub sql: &'a str,
    pub params: &'a [SqlParameter],
    pub transaction_id: Option<&'a str>,
    pub options: &'a ExecuteOptions,
    /// Whether sending it twice could apply it twice (`retry::repeat_of`: never safe inside
    /// a transaction).
    pub repeat: Repeat,
    /// Whether its sizes were checked against the limits already (the session's chunk plan).
    pub sizes_checked: bool,
}

/// What a call is, for its log span and the retry rule.
struct Call<'a> {
    operation: &'static str,
    sql: Option<&'a str>,
    parameters: usize,
    in_transaction: bool,
    kind: CallKind,
}

impl Call<'_> {
    fn transaction(operation: &'static str, repeat: Repeat) -> Self {
        Call {
            operation,
            sql: None,
            parameters: 0,
            in_transaction: true,
            kind: CallKind {
                repeat,
                cancelled_on_timeout: false,
            },
        }
    }
}

impl DataApiClient {
    /// [`send`] with the policy in force.
    async fn send<T, E, F, Fut>(&self, call: Call<'_>, make: F) -> Result<T, DataApiError>
    where
        E: ProvideErrorMetadata + RequestId + StdError + Send + Sync + 'static,
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E>>>,
    {
        let policy = self.retry_policy();
        send(&policy, &self.activity, call, make).await
    }
}

/// Sends one SDK call inside a debug span, timing it, classifying its error and retrying it
/// as `policy` allows (see [`retry`]). Every call goes through here.
async fn send<T, E, F, Fut>(
    policy: &RetryPolicy,
    activity: &Activity,
    call: Call<'_>,
    make: F,
) -> Result<T, DataApiError>
where
    E: ProvideErrorMetadata + RequestId + StdError + Send + Sync + 'static,
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, SdkError<E>>>,
{
    let span = tracing::debug_span!(
        "data_api",
        operation = call.operation,
        sql = call.sql.map(truncate_sql),
        parameters = call.parameters,
        in_transaction = call.in_transaction,
    );
    async move {
        let started = Instant::now();
        let mut progress = Progress {
            attempt: 1,
            waited: Duration::ZERO,
            after_idle: activity.after_idle(policy.idle_threshold),
            timeout_retried: false,
        };
        loop {
            let result = make().await.map_err(DataApiError::from_sdk);
            let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
            let attempt = progress.attempt;
            let error = match result {
                Ok(value) => {
                    activity.succeeded();
                    tracing::debug!(elapsed_ms, attempt, "Data API call succeeded");
                    return Ok(value);
                }
                Err(error) => error,
            };
            if error.kind() == DataApiErrorKind::DatabaseResuming {
                activity.resuming();
                progress.after_idle |= policy.idle_threshold.is_some();
            }
            // The message is not logged: database errors quote values ("Key (email)=(…)").
            match next_delay(policy, &error, call.kind, &progress) {
                Decision::Retry(delay) => {
                    tracing::warn!(
                        operation = call.operation,
                        code = error.code(),
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        waited_ms = progress.waited.as_millis() as u64,
                        budget_ms = policy.max_total_wait.as_millis() as u64,
                        "Data API call failed; retrying"
                    );
                    retry::count_retry();
                    crate::runtime::sleep(delay).await;
                    if error.kind() == DataApiErrorKind::StatementTimeout {
                        progress.timeout_retried = true;
                    }
                    progress.waited += delay;
                    progress.attempt += 1;
                }
                decision => {
                    tracing::debug!(
                        elapsed_ms,
                        attempt,
                        code = error.code(),
                        budget_spent = decision == Decision::BudgetSpent,
                        "Data API call failed"
                    );
                    return Err(if decision == Decision::BudgetSpent {
                        let note = budget_spent_note(&error, policy);
                        error.with_note(note)
                    } else {
                        error
                    });
                }
            }
        }
    }
    .instrument(span)
    .await
}

/// The first [`LOGGED_SQL_CHARS`] characters of `sql`.
fn truncate_sql(sql: &str) -> &str {
    // No more bytes than characters wanted: nothing to cut, no characters to count (the span
    // is built on every call, whether or not anything listens).
    if sql.len() <= LOGGED_SQL_CHARS {
        return sql;
    }
    match sql.char_indices().nth(LOGGED_SQL_CHARS) {
        Some((end, _)) => &sql[..end],
        None => sql,
    }
}

/// The region field of an ARN (`arn:partition:service:region:…`).
fn arn_region(arn: &str) -> Option<String> {
    let region = arn.split(':').nth(3)?;
    (!region.is_empty()).then(|| region.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_is_truncated_on_a_char_boundary() {
        assert_eq!(truncate_sql("select 1"), "select 1");
        let long = "é".repeat(300);
        assert_eq!(truncate_sql(&long).chars().count(), LOGGED_SQL_CHARS);
        let exact = "x".repeat(LOGGED_SQL_CHARS);
        assert_eq!(truncate_sql(&exact), exact);
    }

    #[test]
    fn region_from_arn() {
        assert_eq!(
            arn_region("arn:aws:rds:eu-west-1:123456789012:cluster:c").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(arn_region("arn:aws:rds::123:cluster:c"), None);
        assert_eq!(arn_region("nonsense"), None);
    }

    #[test]
    fn default_options_ask_for_metadata_and_string_decimals() {
        let o = ExecuteOptions::default();
        assert!(o.include_result_metadata);
        assert!(!o.continue_after_timeout);
        assert_eq!(o.decimal_return_type, DecimalReturnType::String);
        assert_eq!(o.long_return_type, LongReturnType::Long);
    }

    /// A provider answering with a fixed result.
    #[derive(Debug)]
    struct Fixed(fn() -> Result<Credentials, CredentialsError>);

    impl ProvideCredentials for Fixed {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::ready(self.0())
        }
    }

    async fn endpoint_credentials(
        configured: Option<Fixed>,
        plain_http: bool,
    ) -> Result<String, CredentialsError> {
        let provider = EndpointCredentials {
            configured: configured.map(SharedCredentialsProvider::new),
            plain_http,
        };
        provider
            .provide_credentials()
            .await
            .map(|c| c.access_key_id().to_owned())
    }

    #[tokio::test]
    async fn endpoint_credentials_fall_back_to_dummy() {
        let real = || Ok(Credentials::new("AKIDREAL", "s", None, None, "test"));
        let not_loaded = || Err(CredentialsError::not_loaded("nothing here"));
        let failed = || Err(CredentialsError::provider_error("IMDS answered 403"));
        let dummy = "AKIDDATAAPILOCAL";
        for plain_http in [true, false] {
            assert_eq!(endpoint_credentials(None, plain_http).await.unwrap(), dummy);
            assert_eq!(
                endpoint_credentials(Some(Fixed(real)), plain_http)
                    .await
                    .unwrap(),
                "AKIDREAL"
            );
            assert_eq!(
                endpoint_credentials(Some(Fixed(not_loaded)), plain_http)
                    .await
                    .unwrap(),
                dummy
            );
        }
        assert_eq!(
            endpoint_credentials(Some(Fixed(failed)), true)
                .await
                .unwrap(),
            dummy
        );
        // https endpoints may be real (VPC endpoints): a failing chain is not masked.
        assert!(matches!(
            endpoint_credentials(Some(Fixed(failed)), false).await,
            Err(CredentialsError::ProviderError(_))
        ));
    }

    #[test]
    fn client_debug_redacts_secret_and_futures_are_send() {
        let config = DataApiConfig::new(
            "arn:aws:rds:us-east-1:123456789012:cluster:c",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf",
        )
        .with_endpoint("http://127.0.0.1:9");
        let client = DataApiClient::from_sdk_config(&SdkConfig::builder().build(), config);
        let debug = format!("{client:?}");
        assert!(!debug.contains("secretsmanager"), "{debug}");
        assert_eq!(
            client.sdk_client().config().region().map(|r| r.as_ref()),
            Some("us-east-1")
        );

        // The async connections need Send futures.
        fn assert_send<T: Send>(_: &T) {}
        assert_send(&client.execute("select 1", vec![], None, ExecuteOptions::default()));
        assert_send(&client.batch_execute("select 1", vec![], Some("t")));
        assert_send(&client.begin_transaction());
        assert_send(&client.commit_transaction("t"));
        assert_send(&client.rollback_transaction("t"));
        assert_send(&client.wake_up());
        assert_send(&DataApiClient::from_config(client.config()));
    }
}
