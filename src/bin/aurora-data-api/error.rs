//! The CLI's errors: each is one line saying what failed (and, for setup problems, where and
//! the likely fix), and maps to an exit code.

use std::error::Error as StdError;
use std::fmt;
use std::process::ExitCode;

/// What went wrong, by the part of the job that failed.
#[derive(Debug)]
pub enum CliError {
    /// Bad URL, flags, environment, `diesel.toml`, or a cluster / secret / database the Data
    /// API does not know (exit 2).
    Config(String),
    /// The Data API endpoint could not be reached or refused us (exit 3).
    Connection(String),
    /// A migration failed: which one, and the database's message (exit 4).
    Migration { migration: String, message: String },
    /// A statement failed (exit 5).
    Query(String),
    /// Reading or writing files (exit 6).
    Io(String),
    /// `--locked-schema`: the schema file would change (exit 7).
    SchemaWouldChange(String),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            CliError::Config(_) => 2,
            CliError::Connection(_) => 3,
            CliError::Migration { .. } => 4,
            CliError::Query(_) => 5,
            CliError::Io(_) => 6,
            CliError::SchemaWouldChange(_) => 7,
        })
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Config(m) => write!(f, "configuration: {m}"),
            CliError::Connection(m) => write!(f, "{m}"),
            CliError::Migration { migration, message } => {
                write!(f, "migration {migration} failed: {message}")
            }
            CliError::Query(m) => write!(f, "{m}"),
            CliError::Io(m) => write!(f, "{m}"),
            CliError::SchemaWouldChange(file) => write!(
                f,
                "Command would result in changes to `{file}`. Rerun the command locally, and commit the changes."
            ),
        }
    }
}

impl std::error::Error for CliError {}

/// One line: newlines of multi-line messages become spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where calls go, for messages (set once the target is known).
static WHERE: std::sync::OnceLock<Where> = std::sync::OnceLock::new();

/// The configured endpoint and resources, for error messages.
#[derive(Debug, Clone, Default)]
pub struct Where {
    /// `http://127.0.0.1:8080`, or the regional AWS endpoint.
    pub endpoint: String,
    /// Whether the endpoint was set explicitly (`--endpoint-url`, the URL, the environment).
    pub endpoint_override: bool,
    pub cluster_arn: String,
    pub secret_arn: String,
    pub database: Option<String>,
}

/// Records where calls go (first call wins).
pub fn set_where(w: Where) {
    let _ = WHERE.set(w);
}

fn where_() -> Where {
    WHERE.get().cloned().unwrap_or_default()
}

/// Classifies a failed Data API call by its error code and message (the shape of
/// `DataApiError`'s `Display`, which the Diesel connections carry as the message of
/// non-database errors: `CODE: message`).
pub fn classify(code: &str, message: &str) -> CliError {
    let w = where_();
    match code {
        "DispatchFailure" | "TimeoutError" | "ResponseError" | "ConstructionFailure" => {
            let fix = if code == "ConstructionFailure" {
                "check the AWS region and credentials (AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID)"
            } else if w.endpoint_override {
                "check --endpoint-url / AWS_ENDPOINT_URL_RDS_DATA and that the server is running"
            } else {
                "check the region (--region / AWS_REGION) and the network path to it"
            };
            CliError::Connection(format!(
                "cannot reach the Data API at {}: {}; {fix}",
                if w.endpoint.is_empty() {
                    "the AWS default endpoint"
                } else {
                    &w.endpoint
                },
                transport_cause(code, message)
            ))
        }
        "NotFoundException" | "HttpEndpointNotEnabledException" | "DatabaseNotFoundException"
            if !message.contains("ransaction") =>
        {
            CliError::Config(format!(
                "the Data API does not know the cluster `{}` ({code}: {}); check --cluster-arn \
                 (or the URL's cluster_arn), the region, and that the Data API (HTTP endpoint) \
                 is enabled on the cluster",
                w.cluster_arn,
                one_line(message)
            ))
        }
        "InvalidSecretException" | "SecretsErrorException" => secret_error(&w, code, message),
        "BadRequestException" if message.to_ascii_lowercase().contains("secret") => {
            secret_error(&w, code, message)
        }
        "AccessDeniedException" | "ForbiddenException" | "UnrecognizedClientException" => {
            CliError::Connection(format!(
                "the Data API at {} refused the call ({code}: {}); check the AWS credentials and \
                 that their IAM policy allows rds-data:ExecuteStatement on the cluster and \
                 secretsmanager:GetSecretValue on the secret",
                w.endpoint,
                one_line(message)
            ))
        }
        _ => match unknown_database(message) {
            Some(e) => e,
            None if code.is_empty() => CliError::Query(one_line(message)),
            None => CliError::Query(format!("{code}: {}", one_line(message))),
        },
    }
}

fn secret_error(w: &Where, code: &str, message: &str) -> CliError {
    let message = message.split("; Error code").next().unwrap_or(message);
    let message = message.split("; SQLState").next().unwrap_or(message);
    CliError::Config(format!(
        "the Data API cannot use the secret `{}` ({code}: {}); check --secret-arn (or the URL's \
         secret_arn) and that the secret holds the database user's credentials",
        w.secret_arn,
        one_line(message.trim_start_matches("FATAL: "))
    ))
}

/// A database name the cluster does not have (PostgreSQL `3D000`, MySQL 1049), or a
/// secret whose credentials the database refuses (PostgreSQL `28xxx`, MySQL 1045).
fn unknown_database(message: &str) -> Option<CliError> {
    let refused = message.contains("SQLState: 28")
        || message.contains("password authentication failed")
        || (message.contains("role \"") && message.contains("\" does not exist"))
        || message.contains("Access denied for user")
        || message.contains("Error code: 1045");
    if refused {
        let w = where_();
        return Some(secret_error(
            &w,
            "the database refused its credentials",
            message,
        ));
    }
    let pg = message.contains("SQLState: 3D000")
        || (message.contains("database \"") && message.contains("\" does not exist"));
    let my = message.contains("Unknown database") || message.contains("Error code: 1049");
    if !(pg || my) {
        return None;
    }
    let db = where_()
        .database
        .unwrap_or_else(|| "(the secret's default)".into());
    Some(CliError::Config(format!(
        "the database `{db}` does not exist on the cluster ({}); check --database (or the \
         URL's database name), or create it",
        one_line(
            message
                .split("; Error code")
                .next()
                .unwrap_or(message)
                .split("; SQLState")
                .next()
                .unwrap_or(message)
                .trim_start_matches("FATAL: ")
                .trim_start_matches("ERROR: ")
        )
    )))
}

/// The root cause of a transport failure, in a few words, from the SDK's error chain
/// (`dispatch failure: io error: …: Connection refused (os error 111) (DispatchFailure(…))`).
fn transport_cause(code: &str, message: &str) -> String {
    if code == "TimeoutError" {
        return "the call timed out".into();
    }
    let lower = message.to_ascii_lowercase();
    if lower.contains("connection refused") {
        return "connection refused".into();
    }
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        return "the host name does not resolve".into();
    }
    if lower.contains("timed out") || lower.contains("timeout") {
        return "the connection timed out".into();
    }
    if lower.contains("certificate") || lower.contains("tls") {
        return "TLS handshake failed".into();
    }
    // The chain without the trailing `(Debug…)`; its last link is the cause.
    let chain = message.split(" (").next().unwrap_or(message);
    let last = chain.rsplit(": ").next().unwrap_or(chain);
    one_line(last)
}

/// `CODE: message` of a non-database Data API error as the Diesel connections report it;
/// `None` for a database error (whose message is the database's).
fn split_code(message: &str) -> Option<(&str, &str)> {
    let (code, rest) = message.split_once(": ")?;
    let known = code.ends_with("Exception")
        || code.ends_with("Error")
        || matches!(
            code,
            "DispatchFailure" | "ConstructionFailure" | "TimeoutError" | "ResponseError"
        );
    (known && !code.contains(' ')).then_some((code, rest))
}

/// A diesel error: Data API failures classified as [`classify`] does, the rest as query
/// errors.
pub fn from_diesel(e: diesel::result::Error) -> CliError {
    match &e {
        diesel::result::Error::DatabaseError(_, info) => {
            let message = info.message();
            match split_code(message) {
                Some((code, rest)) => classify(code, rest),
                None => match unknown_database(message) {
                    Some(err) => err,
                    None => CliError::Query(one_line(&e.to_string())),
                },
            }
        }
        _ => CliError::Query(one_line(&e.to_string())),
    }
}

/// A boxed error from diesel's migration harness: a diesel error inside is classified with
/// [`from_diesel`], anything else is a query error with `what` before it.
pub fn from_harness(what: &str, e: &(dyn StdError + Send + Sync + 'static)) -> CliError {
    if let Some(d) = e.downcast_ref::<diesel::result::Error>() {
        return match from_diesel(clone_diesel(d)) {
            CliError::Query(m) => CliError::Query(format!("{what}: {m}")),
            other => other,
        };
    }
    if let Some(m) = e.downcast_ref::<diesel_migrations::MigrationError>() {
        return CliError::Io(format!("{what}: {m}"));
    }
    // `RunMigrationsError` is private to diesel_migrations: its text carries the cause.
    let text = e.to_string();
    match split_code(&text) {
        Some((code, rest)) => classify(code, rest),
        None => CliError::Query(format!("{what}: {}", one_line(&text))),
    }
}

/// diesel errors are not `Clone`; the classification needs the kind and message only.
fn clone_diesel(e: &diesel::result::Error) -> diesel::result::Error {
    match e {
        diesel::result::Error::DatabaseError(kind, info) => {
            diesel::result::Error::DatabaseError(*kind, Box::new(info.message().to_string()))
        }
        other => diesel::result::Error::QueryBuilderError(other.to_string().into()),
    }
}

/// A Data API client error: see [`classify`].
pub fn from_data_api(e: aurora_data_api::client::DataApiError) -> CliError {
    use aurora_data_api::client::DataApiErrorKind as K;
    match e.kind() {
        K::DatabaseError => match unknown_database(e.message()) {
            Some(err) => err,
            None => CliError::Query(one_line(&e.to_string())),
        },
        _ => classify(e.code(), e.message()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_causes() {
        assert_eq!(
            transport_cause("DispatchFailure", "dispatch failure: io error: client error (Connect): tcp connect error: Connection refused (os error 111) (DispatchFailure(…))"),
            "connection refused"
        );
        assert_eq!(
            transport_cause(
                "DispatchFailure",
                "dispatch failure: other: weird thing (X)"
            ),
            "weird thing"
        );
    }

    #[test]
    fn codes_in_messages() {
        assert_eq!(
            split_code("NotFoundException: Unable to find resource"),
            Some(("NotFoundException", "Unable to find resource"))
        );
        assert_eq!(split_code("relation \"x\" does not exist"), None);
        assert_eq!(split_code("statement 2 of 2: CREATE"), None);
    }
}
