//! Which database the CLI talks to, and the Diesel connection for it.

use aurora_data_api::client::DataApiClient;
use aurora_data_api::config::{DataApiConfig, CLUSTER_ARN_ENV, ENDPOINT_ENV, SECRET_ARN_ENV};
use aurora_data_api::mysql::DataApiMysqlConnection;
use aurora_data_api::pg::DataApiPgConnection;

use crate::error::CliError;
use crate::Engine;

/// The configured target: cluster, secret, database, region, endpoint.
pub struct Target {
    config: DataApiConfig,
}

/// A Diesel connection of either engine.
pub enum AnyConnection {
    /// Aurora PostgreSQL.
    Pg(DataApiPgConnection),
    /// Aurora MySQL.
    Mysql(DataApiMysqlConnection),
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Target {
    /// From `--database-url` / `DATABASE_URL` and the flags (flags win over the URL, the URL
    /// over `AURORA_CLUSTER_ARN` / `AURORA_SECRET_ARN` / `AWS_ENDPOINT_URL_RDS_DATA`).
    pub fn from_flags(
        url: Option<&str>,
        cluster_arn: Option<String>,
        secret_arn: Option<String>,
        database: Option<String>,
        region: Option<String>,
        endpoint: Option<String>,
    ) -> Result<Target, CliError> {
        let base = match url {
            Some(url) => {
                Some(DataApiConfig::from_url(url).map_err(|e| CliError::Config(e.to_string()))?)
            }
            None => None,
        };
        let cluster = cluster_arn
            .or_else(|| base.as_ref().map(|c| c.cluster_arn().to_string()))
            .or_else(|| env(CLUSTER_ARN_ENV))
            .ok_or_else(|| {
                CliError::Config(format!(
                    "no cluster ARN: pass --database-url, --cluster-arn or set {CLUSTER_ARN_ENV}"
                ))
            })?;
        let secret = secret_arn
            .or_else(|| base.as_ref().map(|c| c.secret_arn().to_string()))
            .or_else(|| env(SECRET_ARN_ENV))
            .ok_or_else(|| {
                CliError::Config(format!(
                    "no secret ARN: pass --database-url, --secret-arn or set {SECRET_ARN_ENV}"
                ))
            })?;
        for (what, arn) in [("cluster", &cluster), ("secret", &secret)] {
            if !arn.starts_with("arn:") {
                return Err(CliError::Config(format!(
                    "the {what} ARN must start with `arn:`"
                )));
            }
        }
        let mut config = DataApiConfig::new(cluster, secret);
        if let Some(db) =
            database.or_else(|| base.as_ref().and_then(|c| c.database().map(str::to_string)))
        {
            config = config.with_database(db);
        }
        if let Some(region) =
            region.or_else(|| base.as_ref().and_then(|c| c.region().map(str::to_string)))
        {
            config = config.with_region(region);
        }
        let endpoint = endpoint
            .or_else(|| base.as_ref().and_then(|c| c.endpoint().map(str::to_string)))
            .or_else(|| env(ENDPOINT_ENV));
        let region = config
            .region()
            .map(str::to_string)
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .or_else(|| {
                config
                    .cluster_arn()
                    .split(':')
                    .nth(3)
                    .filter(|r| !r.is_empty())
                    .map(str::to_string)
            });
        crate::error::set_where(crate::error::Where {
            endpoint: endpoint.clone().unwrap_or_else(|| match &region {
                Some(region) => format!("https://rds-data.{region}.amazonaws.com"),
                None => "the AWS Data API (no region configured)".into(),
            }),
            endpoint_override: endpoint.is_some(),
            cluster_arn: config.cluster_arn().to_string(),
            secret_arn: config.secret_arn().to_string(),
            database: config.database().map(str::to_string),
        });
        if let Some(endpoint) = endpoint {
            if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
                return Err(CliError::Config(format!(
                    "the endpoint URL must start with http:// or https://, got `{endpoint}`"
                )));
            }
            config = config.with_endpoint(endpoint);
        }
        Ok(Target { config })
    }

    /// A Data API client (blocking construction on a small runtime).
    pub fn client(&self) -> DataApiClient {
        let config = self.config.clone();
        let client = runtime().block_on(async move { DataApiClient::from_config(&config).await });
        crate::progress::set_budget(client.retry_policy().max_total_wait);
        client
    }

    /// A Diesel connection for `engine`, detected by asking the database when `None`.
    /// Statements run on past the 45-second call limit (`continueAfterTimeout`): migrations
    /// are DDL, which must not be cut off half-way.
    pub fn connect(&self, engine: Option<Engine>) -> Result<AnyConnection, CliError> {
        // Built on the connections' own runtime (not the CLI's): an SDK client's pooled HTTP
        // connections belong to the runtime that opened them.
        let mut probe = DataApiPgConnection::from_config(&self.config);
        crate::progress::set_budget(probe.client().retry_policy().max_total_wait);
        let engine = match engine {
            Some(engine) => engine,
            None => detect(&mut probe)?,
        };
        Ok(match engine {
            Engine::Postgres => {
                probe.set_continue_after_timeout(true);
                AnyConnection::Pg(probe)
            }
            Engine::Mysql => {
                let mut conn = DataApiMysqlConnection::from_client(probe.client().clone());
                conn.set_continue_after_timeout(true);
                AnyConnection::Mysql(conn)
            }
        })
    }
}

/// The CLI's own small runtime for plain client calls (the Diesel connections have theirs).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime for the CLI")
    })
}

/// Asks the server which engine it is: `SELECT version()` names PostgreSQL; MySQL and
/// MariaDB answer with a bare version number. (Plain SQL, valid on both.)
fn detect(conn: &mut DataApiPgConnection) -> Result<Engine, CliError> {
    use diesel::RunQueryDsl;
    let version: String = diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>("version()"))
        .get_result(conn)
        .map_err(crate::error::from_diesel)?;
    Ok(if version.contains("PostgreSQL") {
        Engine::Postgres
    } else {
        Engine::Mysql
    })
}
