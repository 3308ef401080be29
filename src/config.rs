//! Where to send Data API calls: cluster, secret, database, region and endpoint.
//!
//! A [`DataApiConfig`] is built in code with [`DataApiConfig::new`] or parsed from the URL
//! that diesel's `Connection::establish` receives:
//!
//! ```text
//! dataapi://<database>?cluster_arn=<arn>&secret_arn=<arn>[&region=<r>][&endpoint=<url>][&resume_timeout=<seconds>]
//! ```
//!
//! ARNs and the endpoint URL may be written unescaped (`:` and `/` are fine in the query);
//! percent-escapes are decoded as well. A `+` stays a `+` (secret names may contain it), it
//! does not mean a space. Missing values come from the environment:
//!
//! | URL key       | environment fallback        |
//! |---------------|-----------------------------|
//! | `cluster_arn` | `AURORA_CLUSTER_ARN`        |
//! | `secret_arn`  | `AURORA_SECRET_ARN`         |
//! | `endpoint`    | `AWS_ENDPOINT_URL_RDS_DATA` |
//! | `region`      | the AWS default chain (`AWS_REGION`, profile, …), resolved by the client |
//!
//! `resume_timeout` is the resume budget in seconds (e.g. `60` or `2.5`): how long in all a
//! call waits for an auto-paused cluster to resume before it fails (default 40 s; `0` turns
//! retries off; see [`crate::retry`]). It has no environment fallback.
//!
//! ```
//! use aurora_data_api::config::DataApiConfig;
//!
//! let config = DataApiConfig::parse_with_env(
//!     "dataapi://shop?cluster_arn=arn:aws:rds:eu-west-1:123456789012:cluster:shop\
//!      &secret_arn=arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-AbCdEf\
//!      &endpoint=http://127.0.0.1:8080",
//!     |_| None,
//! )?;
//! assert_eq!(config.database(), Some("shop"));
//! assert_eq!(config.endpoint(), Some("http://127.0.0.1:8080"));
//! # Ok::<(), aurora_data_api::config::ConfigError>(())
//! ```

use std::fmt;
use std::time::Duration;

/// Environment variable supplying the cluster ARN when the URL has no `cluster_arn`.
pub const CLUSTER_ARN_ENV: &str = "AURORA_CLUSTER_ARN";
/// Environment variable supplying the secret ARN when the URL has no `secret_arn`.
pub const SECRET_ARN_ENV: &str = "AURORA_SECRET_ARN";
/// Environment variable supplying the endpoint when the URL has no `endpoint` (the same
/// variable the AWS SDK reads for the Data API's endpoint override).
pub const ENDPOINT_ENV: &str = "AWS_ENDPOINT_URL_RDS_DATA";

const SCHEME: &str = "dataapi://";
const KEYS: [&str; 5] = [
    "cluster_arn",
    "secret_arn",
    "region",
    "endpoint",
    "resume_timeout",
];
const FORM: &str = "dataapi://<database>?cluster_arn=<arn>&secret_arn=<arn>[&region=<r>][&endpoint=<url>][&resume_timeout=<seconds>] (or dataapi://<host>/<database>?…)";
/// The largest `resume_timeout` accepted: a day.
const MAX_RESUME_TIMEOUT_SECS: f64 = 86_400.0;

/// The target of Data API calls. Cheap to clone.
///
/// `Debug` never shows the secret ARN.
#[derive(Clone, PartialEq, Eq)]
pub struct DataApiConfig {
    database: Option<String>,
    cluster_arn: String,
    secret_arn: String,
    region: Option<String>,
    endpoint: Option<String>,
    resume_timeout: Option<Duration>,
}

impl DataApiConfig {
    /// A config for `cluster_arn` authenticated with the Secrets Manager secret `secret_arn`,
    /// on the cluster's default database, region and endpoint from the AWS default chain.
    ///
    /// The values are not checked here (the service rejects bad ones); the URL parsers check them.
    pub fn new(cluster_arn: impl Into<String>, secret_arn: impl Into<String>) -> Self {
        DataApiConfig {
            database: None,
            cluster_arn: cluster_arn.into(),
            secret_arn: secret_arn.into(),
            region: None,
            endpoint: None,
            resume_timeout: None,
        }
    }

    /// Sets the database every call (and every transaction) uses.
    pub fn with_database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }

    /// Sets the AWS region, overriding the AWS default chain.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends calls to `endpoint` (e.g. the local server `http://127.0.0.1:8080`) instead of
    /// the regional AWS endpoint.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sets the resume budget of the clients built from this config: the total wait for an
    /// auto-paused cluster to resume ([`RetryPolicy::max_total_wait`](crate::retry::RetryPolicy::max_total_wait),
    /// default 40 s). The URL key is `resume_timeout=<seconds>`.
    pub fn with_resume_timeout(mut self, budget: Duration) -> Self {
        self.resume_timeout = Some(budget);
        self
    }

    /// Parses a `dataapi://` URL, with fallbacks from the process environment.
    pub fn from_url(url: &str) -> Result<Self, ConfigError> {
        Self::parse_with_env(url, |name| std::env::var(name).ok())
    }

    /// Parses a `dataapi://` URL, reading fallbacks through `env` (a variable name to its
    /// value) instead of the process environment. Empty values count as unset.
    pub fn parse_with_env(
        url: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let rest = match url.get(..SCHEME.len()) {
            Some(scheme) if scheme.eq_ignore_ascii_case(SCHEME) => &url[SCHEME.len()..],
            // Echo only the scheme: the rest of the URL may carry the secret ARN.
            _ => {
                return Err(match url.split_once("://") {
                    Some((scheme, _)) => ConfigError::new(format!(
                        "unsupported URL scheme `{scheme}://`; expected {FORM}"
                    )),
                    None => ConfigError::new(format!(
                        "the URL does not start with `dataapi://`; expected {FORM}"
                    )),
                })
            }
        };
        let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
        // `dataapi://<database>?…`, or the database as the URL's path,
        // `dataapi://<anything>/<database>?…`: what tools make with `Url::set_path` (the host
        // is then not read).
        let database = match location.split_once('/') {
            None => location,
            Some((_, path)) if path.contains('/') => {
                return Err(ConfigError::new(format!(
                    "unexpected `/` in the database path `/{path}`: the path names one \
                     database; expected {FORM}"
                )));
            }
            Some((_, path)) => path,
        };
        let database =
            decode(database).map_err(|e| ConfigError::new(format!("database name: {e}")))?;

        let mut q = Query::default();
        for (n, pair) in query.split('&').filter(|p| !p.is_empty()).enumerate() {
            let (key, value) = pair.split_once('=').ok_or_else(|| {
                ConfigError::new(if KEYS.contains(&pair) {
                    format!("query parameter `{pair}` has no value (expected key=value)")
                } else {
                    // Not echoed: a stray segment may be a secret ARN missing its key.
                    format!("query parameter #{} has no `=` (expected key=value)", n + 1)
                })
            })?;
            let key =
                decode(key).map_err(|e| ConfigError::new(format!("query parameter name: {e}")))?;
            let slot = match key.as_str() {
                "cluster_arn" => &mut q.cluster_arn,
                "secret_arn" => &mut q.secret_arn,
                "region" => &mut q.region,
                "endpoint" => &mut q.endpoint,
                "resume_timeout" => &mut q.resume_timeout,
                // Typo protection: `secret_ar=` must not silently fall back to the environment.
                _ => {
                    return Err(ConfigError::new(format!(
                        "unknown query parameter `{key}`; expected cluster_arn, secret_arn, region, endpoint or resume_timeout"
                    )))
                }
            };
            if slot.is_some() {
                return Err(ConfigError::new(format!(
                    "query parameter `{key}` is given twice"
                )));
            }
            // Decoding errors name the key only: the value may be the secret ARN.
            let value = decode(value)
                .map_err(|e| ConfigError::new(format!("query parameter `{key}`: {e}")))?;
            if value.is_empty() {
                return Err(ConfigError::new(format!(
                    "query parameter `{key}` is empty"
                )));
            }
            *slot = Some(value);
        }

        let env = |name: &str| env(name).filter(|v| !v.is_empty());
        let cluster_arn = required(q.cluster_arn, "cluster_arn", CLUSTER_ARN_ENV, &env)?;
        let secret_arn = required(q.secret_arn, "secret_arn", SECRET_ARN_ENV, &env)?;
        if !cluster_arn.value.starts_with("arn:") {
            return Err(ConfigError::new(format!(
                "cluster ARN `{}` ({}) is not an ARN: it must start with `arn:`",
                cluster_arn.value, cluster_arn.source
            )));
        }
        if !secret_arn.value.starts_with("arn:") {
            // Not echoed: a value that is not an ARN may be a pasted password.
            return Err(ConfigError::new(format!(
                "secret ARN ({}) is not an ARN: it must start with `arn:` (value not shown)",
                secret_arn.source
            )));
        }
        let endpoint = match q.endpoint {
            Some(value) => Some(Sourced {
                value,
                source: "URL parameter `endpoint`".into(),
            }),
            None => env(ENDPOINT_ENV).map(|value| Sourced {
                value,
                source: ENDPOINT_ENV.into(),
            }),
        };
        if let Some(e) = &endpoint {
            if !is_http_url(&e.value) {
                return Err(ConfigError::new(format!(
                    "endpoint `{}` ({}) must be an http:// or https:// URL",
                    e.value, e.source
                )));
            }
        }

        let resume_timeout = q
            .resume_timeout
            .as_deref()
            .map(parse_seconds)
            .transpose()
            .map_err(|value| {
                ConfigError::new(format!(
                    "query parameter `resume_timeout` must be a number of seconds from 0 to                      {MAX_RESUME_TIMEOUT_SECS} (e.g. `resume_timeout=60`), got `{value}`"
                ))
            })?;

        Ok(DataApiConfig {
            database: Some(database).filter(|d| !d.is_empty()),
            cluster_arn: cluster_arn.value,
            secret_arn: secret_arn.value,
            region: q.region,
            endpoint: endpoint.map(|e| e.value),
            resume_timeout,
        })
    }

    /// The database calls run in; `None` means the cluster's default.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The Aurora cluster ARN (`resourceArn` of every call).
    pub fn cluster_arn(&self) -> &str {
        &self.cluster_arn
    }

    /// The Secrets Manager secret ARN holding the database credentials (`secretArn`).
    pub fn secret_arn(&self) -> &str {
        &self.secret_arn
    }

    /// The explicit region; `None` means the AWS default chain decides.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint override (e.g. a local Data API server); `None` means AWS's endpoint.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The resume budget set by `resume_timeout` or
    /// [`with_resume_timeout`](Self::with_resume_timeout); `None` means the default (40 s).
    pub fn resume_timeout(&self) -> Option<Duration> {
        self.resume_timeout
    }
}

/// Seconds (`60`, `2.5`) as a duration; the value back when it is not a number of seconds
/// from 0 to a day.
fn parse_seconds(value: &str) -> Result<Duration, &str> {
    let ok = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && value.bytes().filter(|&b| b == b'.').count() <= 1;
    value
        .parse::<f64>()
        .ok()
        .filter(|s| ok && s.is_finite() && (0.0..=MAX_RESUME_TIMEOUT_SECS).contains(s))
        .map(Duration::from_secs_f64)
        .ok_or(value)
}

impl fmt::Debug for DataApiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataApiConfig")
            .field("database", &self.database)
            .field("cluster_arn", &self.cluster_arn)
            .field("secret_arn", &"<redacted>")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("resume_timeout", &self.resume_timeout)
            .finish()
    }
}

/// A `dataapi://` URL that cannot be used; the message says exactly what is wrong and never
/// contains the secret ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    fn new(message: String) -> Self {
        ConfigError { message }
    }

    /// What is wrong, e.g. "unknown query parameter `secret_ar`; …".
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid Data API connection URL: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

impl From<ConfigError> for diesel::ConnectionError {
    fn from(e: ConfigError) -> Self {
        diesel::ConnectionError::InvalidConnectionUrl(e.to_string())
    }
}

#[derive(Default)]
struct Query {
    cluster_arn: Option<String>,
    secret_arn: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
    resume_timeout: Option<String>,
}

/// A value and where it came from, for error messages.
struct Sourced {
    value: String,
    source: String,
}

fn required(
    from_url: Option<String>,
    key: &str,
    env_name: &str,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Sourced, ConfigError> {
    if let Some(value) = from_url {
        return Ok(Sourced {
            value,
            source: format!("URL parameter `{key}`"),
        });
    }
    match env(env_name) {
        Some(value) => Ok(Sourced {
            value,
            source: env_name.to_string(),
        }),
        None => Err(ConfigError::new(format!(
            "missing {key}: add `{key}=<arn>` to the URL or set {env_name}"
        ))),
    }
}

fn is_http_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    ["http://", "https://"].iter().any(|scheme| {
        lower
            .strip_prefix(scheme)
            .is_some_and(|host| !host.is_empty())
    })
}

/// Decodes `%XX` escapes (UTF-8). Everything else, `+` included, is taken literally.
fn decode(s: &str) -> Result<String, String> {
    if !s.contains('%') {
        return Ok(s.to_string());
    }
    let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16));
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(hi), Some(lo)) => out.push((hi * 16 + lo) as u8),
                _ => {
                    return Err("malformed percent-escape (expected `%` and two hex digits)".into())
                }
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "percent-escapes do not decode to UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLUSTER: &str = "arn:aws:rds:us-east-1:123456789012:cluster:my-cluster";
    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:my-secret-AbCdEf";

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn parse(url: &str) -> Result<DataApiConfig, ConfigError> {
        DataApiConfig::parse_with_env(url, no_env)
    }

    fn err(url: &str) -> String {
        parse(url).expect_err(url).message().to_string()
    }

    fn url(query: &str) -> String {
        format!("dataapi://db?cluster_arn={CLUSTER}&secret_arn={SECRET}{query}")
    }

    #[test]
    fn full_url_with_unescaped_arns_and_endpoint() {
        let c = parse(&url("&region=eu-west-1&endpoint=http://127.0.0.1:8080")).unwrap();
        assert_eq!(c.database(), Some("db"));
        assert_eq!(c.cluster_arn(), CLUSTER);
        assert_eq!(c.secret_arn(), SECRET);
        assert_eq!(c.region(), Some("eu-west-1"));
        assert_eq!(c.endpoint(), Some("http://127.0.0.1:8080"));
    }

    #[test]
    fn minimal_url() {
        let c = parse(&url("")).unwrap();
        assert_eq!(c, DataApiConfig::new(CLUSTER, SECRET).with_database("db"));
        assert_eq!(c.region(), None);
        assert_eq!(c.endpoint(), None);
    }

    #[test]
    fn keys_in_any_order_and_empty_segments_ignored() {
        let c = parse(&format!(
            "dataapi://db?&endpoint=https://rds-data.example.com/&secret_arn={SECRET}&&cluster_arn={CLUSTER}&"
        ))
        .unwrap();
        assert_eq!(c.endpoint(), Some("https://rds-data.example.com/"));
        assert_eq!(c.secret_arn(), SECRET);
    }

    #[test]
    fn percent_escapes_are_decoded() {
        let c = parse(
            "dataapi://my%2Ddb?cluster_arn=arn%3Aaws%3Ards%3Aus-east-1%3A123456789012%3Acluster%3Ac\
             &secret_arn=arn:aws:secretsmanager:us-east-1:123456789012:secret:a%2Fb%2bc-AbCdEf\
             &endpoint=http%3A%2F%2Flocalhost%3A8080",
        )
        .unwrap();
        assert_eq!(c.database(), Some("my-db"));
        assert_eq!(
            c.cluster_arn(),
            "arn:aws:rds:us-east-1:123456789012:cluster:c"
        );
        assert_eq!(
            c.secret_arn(),
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:a/b+c-AbCdEf"
        );
        assert_eq!(c.endpoint(), Some("http://localhost:8080"));
    }

    #[test]
    fn plus_is_literal_and_value_may_contain_equals() {
        let secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:a+b=c-AbCdEf";
        let c = parse(&format!(
            "dataapi://?cluster_arn={CLUSTER}&secret_arn={secret}"
        ))
        .unwrap();
        assert_eq!(c.secret_arn(), secret);
    }

    #[test]
    fn empty_database_means_none() {
        let c = parse(&format!(
            "dataapi://?cluster_arn={CLUSTER}&secret_arn={SECRET}"
        ))
        .unwrap();
        assert_eq!(c.database(), None);
    }

    #[test]
    fn scheme_is_case_insensitive() {
        let c = parse(&format!(
            "DataAPI://db?cluster_arn={CLUSTER}&secret_arn={SECRET}"
        ))
        .unwrap();
        assert_eq!(c.database(), Some("db"));
    }

    #[test]
    fn env_fallbacks() {
        let env = |name: &str| match name {
            CLUSTER_ARN_ENV => Some(CLUSTER.to_string()),
            SECRET_ARN_ENV => Some(SECRET.to_string()),
            ENDPOINT_ENV => Some("http://127.0.0.1:9999".to_string()),
            _ => None,
        };
        let c = DataApiConfig::parse_with_env("dataapi://", env).unwrap();
        assert_eq!(c.database(), None);
        assert_eq!(c.cluster_arn(), CLUSTER);
        assert_eq!(c.secret_arn(), SECRET);
        assert_eq!(c.endpoint(), Some("http://127.0.0.1:9999"));
        assert_eq!(c.region(), None, "region is left to the AWS chain");
    }

    #[test]
    fn url_values_win_over_env() {
        let env = |_: &str| Some("arn:aws:rds:eu-west-1:000000000000:cluster:other".to_string());
        let c = DataApiConfig::parse_with_env(&url("&endpoint=http://a:1"), env).unwrap();
        assert_eq!(c.cluster_arn(), CLUSTER);
        assert_eq!(c.secret_arn(), SECRET);
        assert_eq!(c.endpoint(), Some("http://a:1"));
    }

    #[test]
    fn empty_env_values_count_as_unset() {
        let env = |_: &str| Some(String::new());
        let c = DataApiConfig::parse_with_env(&url(""), env).unwrap();
        assert_eq!(c.endpoint(), None);
        let e = DataApiConfig::parse_with_env("dataapi://db", env).unwrap_err();
        assert!(e.message().contains(CLUSTER_ARN_ENV), "{e}");
    }

    #[test]
    fn wrong_scheme() {
        let e = err(&format!(
            "postgres://db?cluster_arn={CLUSTER}&secret_arn={SECRET}"
        ));
        assert!(e.contains("unsupported URL scheme `postgres://`"), "{e}");
        assert!(!e.contains(SECRET), "{e}");
        let e = err("dataapi:db");
        assert!(e.contains("does not start with `dataapi://`"), "{e}");
        assert!(err("").contains("does not start with"));
    }

    #[test]
    fn database_in_the_path() {
        let database = |url: &str| {
            DataApiConfig::parse_with_env(
                &format!("{url}?cluster_arn={CLUSTER}&secret_arn={SECRET}"),
                |_| None,
            )
            .map(|c| c.database().map(str::to_owned))
        };
        assert_eq!(database("dataapi://host/db"), Ok(Some("db".into())));
        assert_eq!(database("dataapi:///db"), Ok(Some("db".into())));
        assert_eq!(database("dataapi://old/my%20db"), Ok(Some("my db".into())));
        // An empty path names no database, as an empty host does.
        assert_eq!(database("dataapi://host/"), database("dataapi://"));
        let e = err(&format!(
            "dataapi://host/a/b?cluster_arn={CLUSTER}&secret_arn={SECRET}"
        ));
        assert!(
            e.contains("unexpected `/` in the database path `/a/b`"),
            "{e}"
        );
    }

    /// The URLs test harnesses build: a base URL whose path `url::Url::set_path` replaces.
    #[test]
    fn urls_made_with_set_path() {
        for base in ["dataapi://x", "dataapi://getting_started", "dataapi:///old"] {
            let mut url =
                url::Url::parse(&format!("{base}?cluster_arn={CLUSTER}&secret_arn={SECRET}"))
                    .unwrap();
            url.set_path("getting_started_step_1");
            let config = DataApiConfig::from_url(url.as_str()).unwrap();
            assert_eq!(config.database(), Some("getting_started_step_1"), "{url}");
            assert_eq!(config.cluster_arn(), CLUSTER);
        }
    }

    #[test]
    fn missing_cluster_arn_names_env_var() {
        let e = err(&format!("dataapi://db?secret_arn={SECRET}"));
        assert!(e.contains("missing cluster_arn"), "{e}");
        assert!(e.contains("AURORA_CLUSTER_ARN"), "{e}");
    }

    #[test]
    fn missing_secret_arn_names_env_var() {
        let e = err(&format!("dataapi://db?cluster_arn={CLUSTER}"));
        assert!(e.contains("missing secret_arn"), "{e}");
        assert!(e.contains("AURORA_SECRET_ARN"), "{e}");
    }

    #[test]
    fn unknown_key_is_an_error() {
        let e = err(&url("&secret_ar=x"));
        assert!(e.contains("unknown query parameter `secret_ar`"), "{e}");
        let e = err(&url("&database=x"));
        assert!(e.contains("unknown query parameter `database`"), "{e}");
    }

    #[test]
    fn duplicate_key_is_an_error() {
        let e = err(&url("&region=a&region=b"));
        assert!(e.contains("`region` is given twice"), "{e}");
        let e = err(&url(&format!("&cluster_arn={CLUSTER}")));
        assert!(e.contains("`cluster_arn` is given twice"), "{e}");
    }

    #[test]
    fn key_without_value_and_empty_value() {
        let e = err(&url("&region"));
        assert!(e.contains("`region` has no value"), "{e}");
        let e = err(&format!("dataapi://db?cluster_arn={CLUSTER}&{SECRET}"));
        assert!(e.contains("query parameter #2 has no `=`"), "{e}");
        assert!(!e.contains("my-secret"), "{e}");
        let e = err(&url("&region="));
        assert!(e.contains("`region` is empty"), "{e}");
    }

    #[test]
    fn cluster_arn_must_be_an_arn() {
        let e = err(&format!(
            "dataapi://db?cluster_arn=my-cluster&secret_arn={SECRET}"
        ));
        assert!(e.contains("cluster ARN `my-cluster`"), "{e}");
        assert!(e.contains("must start with `arn:`"), "{e}");
        let env = |name: &str| (name == CLUSTER_ARN_ENV).then(|| "nope".to_string());
        let e = DataApiConfig::parse_with_env(&format!("dataapi://?secret_arn={SECRET}"), env)
            .unwrap_err();
        assert!(e.message().contains("(AURORA_CLUSTER_ARN)"), "{e}");
    }

    #[test]
    fn secret_arn_must_be_an_arn_and_is_not_echoed() {
        let e = err(&format!(
            "dataapi://db?cluster_arn={CLUSTER}&secret_arn=hunter2"
        ));
        assert!(
            e.contains("secret ARN (URL parameter `secret_arn`) is not an ARN"),
            "{e}"
        );
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn endpoint_must_be_http() {
        let e = err(&url("&endpoint=127.0.0.1:8080"));
        assert!(e.contains("endpoint `127.0.0.1:8080`"), "{e}");
        assert!(e.contains("http:// or https://"), "{e}");
        assert!(err(&url("&endpoint=http://")).contains("http:// or https://"));
        let env = |name: &str| (name == ENDPOINT_ENV).then(|| "ftp://x".to_string());
        let e = DataApiConfig::parse_with_env(&url(""), env).unwrap_err();
        assert!(e.message().contains("(AWS_ENDPOINT_URL_RDS_DATA)"), "{e}");
        assert!(parse(&url("&endpoint=HTTPS://x.example")).is_ok());
    }

    #[test]
    fn malformed_percent_escapes() {
        let e = err(&url("&region=us%2"));
        assert!(e.contains("`region`: malformed percent-escape"), "{e}");
        let e = err(&url("&region=%zz"));
        assert!(e.contains("malformed percent-escape"), "{e}");
        // `u8::from_str_radix` would accept "+1": make sure only hex digits are.
        assert!(err(&url("&region=%+1")).contains("malformed"));
        let e = err(&url("&region=%ff"));
        assert!(e.contains("UTF-8"), "{e}");
        let e = err(&format!(
            "dataapi://a%g?cluster_arn={CLUSTER}&secret_arn={SECRET}"
        ));
        assert!(e.contains("database name: malformed"), "{e}");
        // A bad escape in the secret is reported without the value.
        let e = err(&format!(
            "dataapi://db?cluster_arn={CLUSTER}&secret_arn=top%secret"
        ));
        assert!(e.contains("`secret_arn`") && !e.contains("top"), "{e}");
    }

    #[test]
    fn resume_timeout_in_seconds() {
        assert_eq!(parse(&url("")).unwrap().resume_timeout(), None);
        for (value, expected) in [
            ("60", Duration::from_secs(60)),
            ("2.5", Duration::from_millis(2500)),
            ("0", Duration::ZERO),
            ("86400", Duration::from_secs(86_400)),
        ] {
            let c = parse(&url(&format!("&resume_timeout={value}"))).unwrap();
            assert_eq!(c.resume_timeout(), Some(expected), "{value}");
        }
        for bad in [
            "abc", "-1", "1e3", "60s", "1.2.3", "86401", "NaN", "inf", ".",
        ] {
            let e = err(&url(&format!("&resume_timeout={bad}")));
            assert!(
                e.contains("`resume_timeout` must be a number of seconds"),
                "{e}"
            );
            assert!(e.contains(&format!("got `{bad}`")), "{e}");
        }
        assert!(err(&url("&resume_timeout=")).contains("`resume_timeout` is empty"));
        assert!(err(&url("&resume_timeout=1&resume_timeout=2")).contains("given twice"));
        let c = DataApiConfig::new(CLUSTER, SECRET).with_resume_timeout(Duration::from_secs(9));
        assert_eq!(c.resume_timeout(), Some(Duration::from_secs(9)));
    }

    #[test]
    fn utf8_escapes_decode() {
        assert_eq!(decode("caf%C3%A9").unwrap(), "café");
        assert_eq!(decode("a+b").unwrap(), "a+b");
    }

    #[test]
    fn debug_redacts_secret_arn() {
        let c = parse(&url("&endpoint=http://127.0.0.1:1")).unwrap();
        let debug = format!("{c:?}");
        assert!(!debug.contains("my-secret"), "{debug}");
        assert!(!debug.contains("secretsmanager"), "{debug}");
        assert!(debug.contains(r#"secret_arn: "<redacted>""#), "{debug}");
        assert!(debug.contains(CLUSTER), "{debug}");
        let pretty = format!("{c:#?}");
        assert!(!pretty.contains("my-secret"), "{pretty}");
    }

    #[test]
    fn builders() {
        let c = DataApiConfig::new(CLUSTER, SECRET)
            .with_database("d")
            .with_region("r")
            .with_endpoint("http://e");
        assert_eq!(
            (c.database(), c.region(), c.endpoint()),
            (Some("d"), Some("r"), Some("http://e"))
        );
    }

    #[test]
    fn into_diesel_connection_error() {
        let e: diesel::ConnectionError = parse("mysql://x").unwrap_err().into();
        match e {
            diesel::ConnectionError::InvalidConnectionUrl(m) => {
                assert!(
                    m.starts_with("invalid Data API connection URL: unsupported URL scheme"),
                    "{m}"
                )
            }
            other => panic!("{other:?}"),
        }
    }
}
