//! Emulated clusters: ARN → engine + database URL, and a small pool of idle sessions per
//! (database, credentials) so calls outside transactions autocommit on some pooled session,
//! as on the real Data API.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::config::{ClusterConfig, SecretCredentials};
use crate::engine::{Engine, Session};
use crate::error::{ApiError, ErrorCode};

/// Idle sessions kept per pool key; more are closed when returned.
const MAX_IDLE: usize = 32;

/// Which pool a session belongs to: database and secret it was opened for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PoolKey {
    pub database: Option<String>,
    pub secret: Option<String>,
}

/// One cluster the server emulates.
pub struct Cluster {
    pub config: ClusterConfig,
    idle: Mutex<HashMap<PoolKey, Vec<Session>>>,
}

impl Cluster {
    pub fn new(config: ClusterConfig) -> Self {
        Cluster {
            config,
            idle: Mutex::new(HashMap::new()),
        }
    }

    pub fn engine(&self) -> Engine {
        self.config.engine
    }

    /// Checks the secret ARN and returns the pool key for a call.
    pub fn key(&self, secret_arn: &str, database: Option<&str>) -> Result<PoolKey, ApiError> {
        let secret = if self.config.secrets.is_empty() {
            None
        } else if self.config.secrets.contains_key(secret_arn) {
            Some(secret_arn.to_string())
        } else {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                format!("Error fetching secret {secret_arn} : Secrets Manager can't find the specified secret."),
            ));
        };
        Ok(PoolKey {
            database: database.filter(|d| !d.is_empty()).map(str::to_string),
            secret,
        })
    }

    /// The database URL for `key` (credentials of the mapped secret substituted).
    pub fn url_for(&self, key: &PoolKey) -> String {
        match key.secret.as_ref().and_then(|s| self.config.secrets.get(s)) {
            Some(creds) => with_credentials(&self.config.url, creds),
            None => self.config.url.clone(),
        }
    }

    /// An idle session or a new one.
    pub async fn acquire(&self, key: &PoolKey) -> Result<Session, ApiError> {
        if let Some(session) = self.idle.lock().unwrap().get_mut(key).and_then(Vec::pop) {
            if session.is_usable() {
                return Ok(session);
            }
        }
        Session::connect(self.engine(), &self.url_for(key), key.database.as_deref()).await
    }

    /// Returns a session to the pool (dropped if broken or the pool is full).
    pub fn release(&self, key: PoolKey, session: Session) {
        if !session.is_usable() {
            return;
        }
        let mut idle = self.idle.lock().unwrap();
        let sessions = idle.entry(key).or_default();
        if sessions.len() < MAX_IDLE {
            sessions.push(session);
        }
    }

    /// Kills the backend of `connection_id` from a separate session (fault injection).
    pub async fn terminate_backend(&self, key: &PoolKey, connection_id: i64) {
        let sql = match self.engine() {
            Engine::Postgres => format!("SELECT pg_terminate_backend({connection_id})"),
            Engine::Mysql => format!("KILL CONNECTION {connection_id}"),
        };
        if let Ok(mut killer) =
            Session::connect(self.engine(), &self.url_for(key), key.database.as_deref()).await
        {
            if let Err(e) = killer.simple(&sql).await {
                tracing::warn!("fault injection could not kill connection {connection_id}: {e}");
            }
        }
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `scheme://user:pass@host/db` with user and password replaced.
fn with_credentials(url: &str, creds: &SecretCredentials) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host_part = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let auth = if creds.password.is_empty() {
        percent_encode(&creds.username)
    } else {
        format!(
            "{}:{}",
            percent_encode(&creds.username),
            percent_encode(&creds.password)
        )
    };
    format!("{scheme}://{auth}@{host_part}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_credentials() {
        let c = SecretCredentials {
            username: "app".into(),
            password: "p@ss:w".into(),
        };
        assert_eq!(
            with_credentials("mysql://root@127.0.0.1:3306/test", &c),
            "mysql://app:p%40ss%3Aw@127.0.0.1:3306/test"
        );
        assert_eq!(
            with_credentials("postgres://127.0.0.1/test", &c),
            "postgres://app:p%40ss%3Aw@127.0.0.1/test"
        );
    }
}
