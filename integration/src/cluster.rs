//! Emulated clusters: ARN → engine + database URL, and a small pool of idle sessions per
//! (database, credentials) so calls outside transactions autocommit on some pooled session,
//! as on the real Data API.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::config::{ClusterConfig, SecretCredentials};
use crate::engine::{Engine, Session};
use crate::error::{ApiError, ErrorCode};

/// Idle sessions kept per pool key; more are closed when returned.
const MAX_IDLE: usize = 32;

/// How long `acquire` waits for a session being reset before opening a new one.
const RESET_WAIT: Duration = Duration::from_millis(500);

/// Which pool a session belongs to: database and secret it was opened for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PoolKey {
    pub database: Option<String>,
    pub secret: Option<String>,
}

/// One cluster the server emulates.
pub struct Cluster {
    pub config: ClusterConfig,
    pools: Mutex<HashMap<PoolKey, Pool>>,
    /// Signalled whenever a reset session goes back to its pool.
    returned: tokio::sync::Notify,
}

/// The sessions of one pool key not lent to a call.
#[derive(Default)]
struct Pool {
    idle: Vec<Session>,
    /// Sessions returned by a call and being reset before they are idle again.
    resetting: usize,
    /// Calls in `acquire` waiting for one of those: each reset session serves one waiter,
    /// further calls open a session rather than queue (which would cap concurrency).
    waiting: usize,
}

impl Cluster {
    pub fn new(config: ClusterConfig) -> Self {
        Cluster {
            config,
            pools: Mutex::new(HashMap::new()),
            returned: tokio::sync::Notify::new(),
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

    /// An idle session, else one that is being reset (waiting briefly for it is cheaper
    /// than connecting), else a new one.
    pub async fn acquire(&self, key: &PoolKey) -> Result<Session, ApiError> {
        let deadline = tokio::time::Instant::now() + RESET_WAIT;
        loop {
            let returned = self.returned.notified();
            let mut returned = std::pin::pin!(returned);
            {
                let mut pools = self.pools.lock().unwrap();
                let Some(pool) = pools.get_mut(key) else {
                    break;
                };
                if let Some(session) = pool.idle.pop() {
                    if session.is_usable() {
                        return Ok(session);
                    }
                    continue;
                }
                if pool.resetting <= pool.waiting {
                    break;
                }
                pool.waiting += 1;
                // Registered before the lock is released, so a return in between is seen.
                returned.as_mut().enable();
            }
            let woken = tokio::time::timeout_at(deadline, returned).await.is_ok();
            if let Some(pool) = self.pools.lock().unwrap().get_mut(key) {
                pool.waiting -= 1;
            }
            if !woken {
                break;
            }
        }
        Session::connect(self.engine(), &self.url_for(key), key.database.as_deref()).await
    }

    /// Returns a session to the pool after resetting it in the background, so no session
    /// state (temporary tables, `SET`s, …) reaches the next call, as on the real service.
    /// Broken sessions, sessions whose reset failed and those over the pool size are closed.
    pub fn release(self: &Arc<Self>, key: PoolKey, mut session: Session) {
        if !session.is_usable() {
            return;
        }
        self.pools
            .lock()
            .unwrap()
            .entry(key.clone())
            .or_default()
            .resetting += 1;
        let cluster = self.clone();
        tokio::spawn(async move {
            let reset = session.reset().await;
            if let Err(e) = &reset {
                tracing::warn!("closing a session whose reset failed: {e}");
            }
            {
                let mut pools = cluster.pools.lock().unwrap();
                let pool = pools.entry(key).or_default();
                pool.resetting -= 1;
                if reset.is_ok() && session.is_usable() && pool.idle.len() < MAX_IDLE {
                    pool.idle.push(session);
                }
            }
            cluster.returned.notify_waiters();
        });
    }

    /// Closes the idle sessions this server keeps on `database` (waiting a moment for those
    /// being reset), so that a `DROP DATABASE` of it is not refused for "being accessed by
    /// other users" by sessions only the emulation holds open: the real service's pooled
    /// connections are not the caller's concern either. Sessions lent to a call or held by a
    /// transaction stay open, and such a DROP fails as it would natively.
    pub async fn close_idle_sessions(&self, database: &str) {
        let deadline = tokio::time::Instant::now() + RESET_WAIT * 4;
        loop {
            let returned = self.returned.notified();
            let mut returned = std::pin::pin!(returned);
            returned.as_mut().enable();
            let (closing, resetting): (Vec<Session>, usize) = {
                let mut pools = self.pools.lock().unwrap();
                let mut closing = Vec::new();
                let mut resetting = 0;
                for (key, pool) in pools.iter_mut() {
                    if key.database.as_deref() == Some(database) {
                        closing.append(&mut pool.idle);
                        resetting += pool.resetting;
                    }
                }
                (closing, resetting)
            };
            if !closing.is_empty() {
                tracing::debug!(
                    database,
                    sessions = closing.len(),
                    "closing idle sessions before DROP DATABASE"
                );
            }
            // Dropping a session closes its connection; the database's own DROP waits a few
            // seconds for the backends to exit.
            drop(closing);
            if resetting == 0 || tokio::time::timeout_at(deadline, returned).await.is_err() {
                return;
            }
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

/// The database a PostgreSQL `DROP DATABASE [IF EXISTS] <name> …` drops (a bare name folded
/// to lower case, as PostgreSQL does), or `None` for any other statement.
pub fn dropped_database(sql: &str) -> Option<String> {
    fn word<'a>(sql: &'a str, w: &str) -> Option<&'a str> {
        let sql = sql.trim_start();
        let rest = sql.get(w.len()..)?;
        let ends = rest
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$'));
        (sql.get(..w.len())?.eq_ignore_ascii_case(w) && ends).then_some(rest)
    }
    let rest = word(word(sql, "DROP")?, "DATABASE")?;
    let rest = word(rest, "IF")
        .and_then(|r| word(r, "EXISTS"))
        .unwrap_or(rest)
        .trim_start();
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = quoted.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    name.push('"');
                }
                '"' => return Some(name),
                c => name.push(c),
            }
        }
        return None;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
        .collect();
    (!name.is_empty()).then(|| name.to_lowercase())
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
    fn dropped_databases_are_named() {
        assert_eq!(
            dropped_database("DROP DATABASE app_test").as_deref(),
            Some("app_test")
        );
        assert_eq!(
            dropped_database("  drop database if exists App_Test WITH (FORCE)").as_deref(),
            Some("app_test")
        );
        assert_eq!(
            dropped_database(r#"DROP DATABASE IF EXISTS "Mixed ""q"" Case""#).as_deref(),
            Some(r#"Mixed "q" Case"#)
        );
        assert_eq!(dropped_database("DROP DATABASE \"unterminated"), None);
        assert_eq!(dropped_database("DROP TABLE t"), None);
        assert_eq!(dropped_database("DROP DATABASES x"), None);
        assert_eq!(dropped_database("SELECT 'DROP DATABASE x'"), None);
        assert_eq!(dropped_database("DROP DATABASE"), None);
    }

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
