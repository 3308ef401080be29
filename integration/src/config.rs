//! Server configuration: command line (`clap`) and TOML file.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use serde::Deserialize;

use crate::engine::Engine;
use crate::faults::FaultConfig;
use crate::limits::Limits;
use crate::sigv4::VerifyKey;

/// Database credentials a secret ARN stands for.
#[derive(Clone, Deserialize, PartialEq)]
pub struct SecretCredentials {
    pub username: String,
    #[serde(default)]
    pub password: String,
}

impl std::fmt::Debug for SecretCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretCredentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// One emulated cluster: its ARN and the database behind it.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    pub arn: String,
    pub engine: Engine,
    /// `postgres://…` or `mysql://…` (`mariadb://` is accepted as MySQL).
    pub url: String,
    /// Secret ARN → credentials. Empty: any secret ARN is accepted and the URL's user is used.
    pub secrets: HashMap<String, SecretCredentials>,
}

impl ClusterConfig {
    /// A cluster from `arn` and a database URL; the engine comes from the URL scheme.
    pub fn new(arn: impl Into<String>, url: impl Into<String>) -> Result<Self, String> {
        let url = url.into();
        let engine = engine_of(&url)?;
        let url = match url.strip_prefix("mariadb://") {
            Some(rest) => format!("mysql://{rest}"),
            None => url,
        };
        Ok(ClusterConfig {
            arn: arn.into(),
            engine,
            url,
            secrets: HashMap::new(),
        })
    }
}

fn engine_of(url: &str) -> Result<Engine, String> {
    match url.split_once("://").map(|(s, _)| s) {
        Some("postgres" | "postgresql") => Ok(Engine::Postgres),
        Some("mysql" | "mariadb") => Ok(Engine::Mysql),
        _ => Err(format!(
            "cannot tell the engine of database URL `{}`: it must start with postgres://, postgresql://, mysql:// or mariadb://",
            redact_url(url)
        )),
    }
}

/// The URL with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some(parts) => parts,
        None => return url.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    pub clusters: Vec<ClusterConfig>,
    pub limits: Limits,
    pub faults: FaultConfig,
    pub verify_sigv4: Option<VerifyKey>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            clusters: Vec::new(),
            limits: Limits::default(),
            faults: FaultConfig::default(),
            verify_sigv4: None,
        }
    }
}

impl ServerConfig {
    /// A loopback server on a free port with the given clusters (for tests and examples).
    pub fn ephemeral(clusters: Vec<ClusterConfig>) -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            clusters,
            ..Default::default()
        }
    }
}

/// A local RDS Data API server over real PostgreSQL and MySQL/MariaDB databases.
///
/// Point any Data API client at it: the Rust SDK with `endpoint_url("http://127.0.0.1:8080")`
/// (or `AWS_ENDPOINT_URL_RDS_DATA`), aws-cli and boto3 with `--endpoint-url` / `endpoint_url`.
/// Any credentials and any SigV4 signature are accepted unless `--verify-sigv4` is given.
#[derive(Debug, Parser)]
#[command(name = "data-api-local", version, verbatim_doc_comment)]
pub struct Cli {
    /// Address to listen on [default: 127.0.0.1:8080]. Keep it on loopback: binding
    /// elsewhere exposes your databases to the network.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// A cluster: `<cluster-arn>=<database-url>`, engine from the scheme
    /// (postgres://user@host/db or mysql://user:pass@host/db). Repeatable.
    #[arg(long = "cluster", value_name = "ARN=URL")]
    pub clusters: Vec<String>,
    /// Map a secret ARN to database credentials for every cluster: `<secret-arn>=<user>:<password>`.
    /// Without any, every secret ARN is accepted and the URL's user is used. Repeatable.
    #[arg(long = "secret", value_name = "ARN=USER:PASSWORD")]
    pub secrets: Vec<String>,
    /// TOML file with `listen`, `[[cluster]]` (arn, url, [cluster.secrets]), `[limits]`, `[faults]`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Verify SigV4 signatures against this key pair and reject others: `ACCESS_KEY:SECRET`.
    #[arg(long, value_name = "ACCESS_KEY:SECRET")]
    pub verify_sigv4: Option<String>,
    /// Roll back a transaction after this many seconds without a call (Data API: 180).
    #[arg(long, value_name = "SECS")]
    pub transaction_idle_timeout: Option<f64>,
    /// Roll back a transaction this many seconds after it began (Data API: 86400).
    #[arg(long, value_name = "SECS")]
    pub transaction_max_lifetime: Option<f64>,
    /// Answer StatementTimeoutException after this many seconds (Data API: 45).
    #[arg(long, value_name = "SECS")]
    pub statement_timeout: Option<f64>,
    /// Fault injection: answer DatabaseResumingException to the first N calls.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_resuming_calls: u32,
    /// Fault injection: auto-pause after this many idle seconds; calls then get
    /// DatabaseResumingException for --fault-resuming-duration seconds.
    #[arg(long, value_name = "SECS")]
    pub fault_resuming_after_idle: Option<f64>,
    /// Fault injection: how long a resume takes (default 5).
    #[arg(long, value_name = "SECS")]
    pub fault_resuming_duration: Option<f64>,
    /// Fault injection: probability (0..1) of a 500/503 answer before a call runs.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub fault_5xx_rate: f64,
    /// Fault injection: probability of a 500/503 answer after a statement or commit was applied.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub fault_5xx_after_apply_rate: f64,
    /// Fault injection: probability that the database connection is killed before a statement.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub fault_drop_connection_rate: f64,
    /// Fault injection: probability of DatabaseResumingException for a call inside an open
    /// transaction (the transaction stays open).
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub fault_resuming_in_transaction_rate: f64,
    /// Fault injection: probability of a 500/503 answer to a CommitTransaction that committed.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub fault_commit_5xx_after_apply_rate: f64,
    /// Fault injection: probability that a call that succeeded gets its HTTP connection closed
    /// instead of an answer.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub fault_drop_http_after_apply_rate: f64,
    /// Fault injection: roll every transaction back after its Nth statement call (its next
    /// call gets TransactionNotFoundException).
    #[arg(long, value_name = "N")]
    pub fault_expire_transactions_after_statements: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    #[serde(default)]
    cluster: Vec<FileCluster>,
    #[serde(default)]
    limits: FileLimits,
    #[serde(default)]
    faults: FileFaults,
    verify_sigv4: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCluster {
    arn: String,
    url: String,
    #[serde(default)]
    secrets: HashMap<String, SecretCredentials>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLimits {
    transaction_idle_timeout: Option<f64>,
    transaction_max_lifetime: Option<f64>,
    statement_timeout: Option<f64>,
    max_response_bytes: Option<usize>,
    max_request_bytes: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFaults {
    #[serde(default)]
    resuming_calls: u32,
    resuming_after_idle: Option<f64>,
    resuming_duration: Option<f64>,
    #[serde(default)]
    error_5xx_rate: f64,
    #[serde(default)]
    error_5xx_after_apply_rate: f64,
    #[serde(default)]
    drop_connection_rate: f64,
    #[serde(default)]
    resuming_in_transaction_calls: u32,
    #[serde(default)]
    resuming_in_transaction_rate: f64,
    #[serde(default)]
    commit_5xx_after_apply_calls: u32,
    #[serde(default)]
    commit_5xx_after_apply_rate: f64,
    #[serde(default)]
    drop_http_after_apply_calls: u32,
    #[serde(default)]
    drop_http_after_apply_rate: f64,
    #[serde(default)]
    expire_transaction_calls: u32,
    expire_transactions_after_statements: Option<u32>,
}

fn secs(v: f64, what: &str) -> Result<Duration, String> {
    Duration::try_from_secs_f64(v)
        .map_err(|_| format!("{what} must be a non-negative number of seconds, got {v}"))
}

fn rate(v: f64, what: &str) -> Result<f64, String> {
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{what} must be between 0 and 1, got {v}"))
    }
}

/// A rate flag wins over the file when given (non-zero).
fn flag_or(flag: f64, file: f64) -> f64 {
    if flag > 0.0 {
        flag
    } else {
        file
    }
}

fn parse_key(s: &str) -> Result<VerifyKey, String> {
    let (access_key, secret_key) = s
        .split_once(':')
        .ok_or("--verify-sigv4 takes ACCESS_KEY:SECRET")?;
    Ok(VerifyKey {
        access_key: access_key.into(),
        secret_key: secret_key.into(),
    })
}

impl Cli {
    /// Merges the file (if any) and the flags (flags win) into a `ServerConfig`.
    pub fn into_config(self) -> Result<ServerConfig, String> {
        let file = match &self.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .map_err(|e| format!("invalid config file {}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let mut config = ServerConfig::default();
        if let Some(listen) = self.listen.or(file.listen) {
            config.listen = listen;
        }
        for c in file.cluster {
            let mut cluster = ClusterConfig::new(c.arn, c.url)?;
            cluster.secrets = c.secrets;
            config.clusters.push(cluster);
        }
        for spec in &self.clusters {
            let (arn, url) = spec.split_once('=').ok_or_else(|| {
                format!("--cluster takes <cluster-arn>=<database-url>, got `{spec}`")
            })?;
            config.clusters.push(ClusterConfig::new(arn, url)?);
        }
        for spec in &self.secrets {
            let (arn, creds) = spec
                .split_once('=')
                .ok_or_else(|| "--secret takes <secret-arn>=<user>:<password>".to_string())?;
            let (username, password) = creds.split_once(':').unwrap_or((creds, ""));
            let creds = SecretCredentials {
                username: username.into(),
                password: password.into(),
            };
            for cluster in &mut config.clusters {
                cluster.secrets.insert(arn.to_string(), creds.clone());
            }
        }
        if config.clusters.is_empty() {
            return Err("no cluster configured: pass --cluster <cluster-arn>=<database-url> or --config <file>".into());
        }
        let l = &mut config.limits;
        if let Some(v) = self
            .transaction_idle_timeout
            .or(file.limits.transaction_idle_timeout)
        {
            l.transaction_idle_timeout = secs(v, "transaction idle timeout")?;
        }
        if let Some(v) = self
            .transaction_max_lifetime
            .or(file.limits.transaction_max_lifetime)
        {
            l.transaction_max_lifetime = secs(v, "transaction max lifetime")?;
        }
        if let Some(v) = self.statement_timeout.or(file.limits.statement_timeout) {
            l.statement_timeout = secs(v, "statement timeout")?;
        }
        if let Some(v) = file.limits.max_response_bytes {
            l.max_response_bytes = v;
        }
        if let Some(v) = file.limits.max_request_bytes {
            l.max_request_bytes = v;
        }
        let ff = file.faults;
        config.faults = FaultConfig {
            resuming_calls: self.fault_resuming_calls.max(ff.resuming_calls),
            resuming_after_idle: self
                .fault_resuming_after_idle
                .or(ff.resuming_after_idle)
                .map(|v| secs(v, "resuming-after-idle"))
                .transpose()?,
            resuming_duration: self
                .fault_resuming_duration
                .or(ff.resuming_duration)
                .map(|v| secs(v, "resuming duration"))
                .transpose()?,
            error_5xx_rate: rate(
                if self.fault_5xx_rate > 0.0 {
                    self.fault_5xx_rate
                } else {
                    ff.error_5xx_rate
                },
                "5xx rate",
            )?,
            error_5xx_after_apply_rate: rate(
                if self.fault_5xx_after_apply_rate > 0.0 {
                    self.fault_5xx_after_apply_rate
                } else {
                    ff.error_5xx_after_apply_rate
                },
                "5xx-after-apply rate",
            )?,
            drop_connection_rate: rate(
                if self.fault_drop_connection_rate > 0.0 {
                    self.fault_drop_connection_rate
                } else {
                    ff.drop_connection_rate
                },
                "drop-connection rate",
            )?,
            resuming_in_transaction_calls: ff.resuming_in_transaction_calls,
            resuming_in_transaction_rate: rate(
                flag_or(
                    self.fault_resuming_in_transaction_rate,
                    ff.resuming_in_transaction_rate,
                ),
                "resuming-in-transaction rate",
            )?,
            commit_5xx_after_apply_calls: ff.commit_5xx_after_apply_calls,
            commit_5xx_after_apply_rate: rate(
                flag_or(
                    self.fault_commit_5xx_after_apply_rate,
                    ff.commit_5xx_after_apply_rate,
                ),
                "commit-5xx-after-apply rate",
            )?,
            drop_http_after_apply_calls: ff.drop_http_after_apply_calls,
            drop_http_after_apply_rate: rate(
                flag_or(
                    self.fault_drop_http_after_apply_rate,
                    ff.drop_http_after_apply_rate,
                ),
                "drop-HTTP-after-apply rate",
            )?,
            expire_transaction_calls: ff.expire_transaction_calls,
            expire_transactions_after_statements: self
                .fault_expire_transactions_after_statements
                .or(ff.expire_transactions_after_statements),
        };
        config.verify_sigv4 = self
            .verify_sigv4
            .or(file.verify_sigv4)
            .as_deref()
            .map(parse_key)
            .transpose()?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("mysql://root:hunter2@h/db"),
            "mysql://root:***@h/db"
        );
        assert_eq!(
            redact_url("postgres://postgres@h/db"),
            "postgres://postgres@h/db"
        );
    }

    #[test]
    fn parses_flags() {
        let cli = Cli::parse_from([
            "data-api-local",
            "--cluster",
            "arn:aws:rds:us-east-1:123456789012:cluster:pg=postgres://postgres@127.0.0.1/test",
            "--cluster",
            "arn:aws:rds:us-east-1:123456789012:cluster:my=mariadb://root@127.0.0.1/test",
            "--transaction-idle-timeout",
            "2.5",
        ]);
        let c = cli.into_config().unwrap();
        assert_eq!(c.clusters[0].engine, Engine::Postgres);
        assert_eq!(c.clusters[1].engine, Engine::Mysql);
        assert_eq!(c.clusters[1].url, "mysql://root@127.0.0.1/test");
        assert_eq!(
            c.limits.transaction_idle_timeout,
            Duration::from_millis(2500)
        );
        assert!(c.listen.ip().is_loopback());
    }

    #[test]
    fn new_fault_knobs_from_file_and_flags() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("local.toml");
        std::fs::write(
            &path,
            "[[cluster]]\narn = \"arn:aws:rds:us-east-1:123456789012:cluster:pg\"\nurl = \"postgres://postgres@127.0.0.1/test\"\n[faults]\nresuming_in_transaction_calls = 2\ncommit_5xx_after_apply_rate = 0.5\ndrop_http_after_apply_calls = 1\nexpire_transactions_after_statements = 3\n",
        )
        .unwrap();
        let cli = Cli::parse_from([
            "data-api-local",
            "--config",
            path.to_str().unwrap(),
            "--fault-drop-http-after-apply-rate",
            "0.25",
        ]);
        let f = cli.into_config().unwrap().faults;
        assert_eq!(f.resuming_in_transaction_calls, 2);
        assert_eq!(f.commit_5xx_after_apply_rate, 0.5);
        assert_eq!(f.drop_http_after_apply_calls, 1);
        assert_eq!(f.drop_http_after_apply_rate, 0.25);
        assert_eq!(f.expire_transactions_after_statements, Some(3));
    }

    #[test]
    fn rejects_unknown_scheme() {
        let err = ClusterConfig::new("arn:x", "sqlite://x").unwrap_err();
        assert!(err.contains("cannot tell the engine"), "{err}");
    }
}
