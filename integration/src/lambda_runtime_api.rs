//! A local AWS Lambda Runtime API: the HTTP interface a function's runtime (`lambda_runtime`,
//! `lambda_http`) polls for its next invocation and answers. With it a function binary runs
//! and is invoked end to end, through its own runtime, against the local Data API server:
//! what the function tests and the cold-start bench use. It only serves the API: killing
//! the function at a deadline, as Lambda does, is the caller's (it owns the process).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;
use tokio::sync::{oneshot, Notify};

/// How an invocation ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The function answered (`/response`): its JSON payload.
    Response(Value),
    /// The function reported an error (`/error`): Lambda's `errorType` and `errorMessage`.
    Error {
        error_type: String,
        error_message: String,
    },
    /// No answer before the deadline.
    TimedOut,
}

struct Invocation {
    id: String,
    event: Value,
    deadline: SystemTime,
}

#[derive(Default)]
struct Shared {
    queue: Mutex<VecDeque<Invocation>>,
    queued: Notify,
    waiting: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    /// Time each invocation was handed to the function (`/next`), by request id.
    delivered: Mutex<HashMap<String, std::time::Instant>>,
    init_error: Mutex<Option<Value>>,
    next_id: Mutex<u64>,
}

/// A running Runtime API. Dropping it stops it.
pub struct RuntimeApi {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RuntimeApi {
    /// Serves on a free loopback port of the current tokio runtime.
    pub async fn start() -> std::io::Result<RuntimeApi> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(respond),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(fail))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(RuntimeApi { addr, shared, task })
    }

    /// The value of `AWS_LAMBDA_RUNTIME_API` for the function: `127.0.0.1:<port>`.
    pub fn address(&self) -> String {
        self.addr.to_string()
    }

    /// The environment Lambda gives a function, for `std::process::Command::envs`.
    pub fn function_env(&self, function_name: &str) -> Vec<(String, String)> {
        [
            ("AWS_LAMBDA_RUNTIME_API", self.address()),
            ("AWS_LAMBDA_FUNCTION_NAME", function_name.to_string()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".into()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
            ("AWS_LAMBDA_LOG_STREAM_NAME", "local".into()),
            (
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/{function_name}"),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// Invokes the function with `event` and a deadline `timeout` from now, and waits for
    /// its answer until then.
    pub async fn invoke(&self, event: Value, timeout: Duration) -> Outcome {
        self.invoke_timed(event, timeout).await.0
    }

    /// [`invoke`](Self::invoke), also giving the time from handing the event to the function
    /// to its answer (`None` if it never took the event).
    pub async fn invoke_timed(
        &self,
        event: Value,
        timeout: Duration,
    ) -> (Outcome, Option<Duration>) {
        self.invoke_with_deadline(event, SystemTime::now() + timeout, timeout)
            .await
    }

    /// Invokes with the `deadline` the function is told (which need not be real: emulators
    /// such as `cargo lambda watch` send a fixed one), waiting `wait` for the answer.
    pub async fn invoke_with_deadline(
        &self,
        event: Value,
        deadline: SystemTime,
        wait: Duration,
    ) -> (Outcome, Option<Duration>) {
        let id = {
            let mut n = self.shared.next_id.lock().unwrap();
            *n += 1;
            format!("local-{:08}", *n)
        };
        let (tx, rx) = oneshot::channel();
        self.shared.waiting.lock().unwrap().insert(id.clone(), tx);
        self.shared.queue.lock().unwrap().push_back(Invocation {
            id: id.clone(),
            event,
            deadline,
        });
        self.shared.queued.notify_one();
        let outcome = match tokio::time::timeout(wait, rx).await {
            Ok(Ok(outcome)) => outcome,
            _ => {
                self.shared.waiting.lock().unwrap().remove(&id);
                Outcome::TimedOut
            }
        };
        let took = self
            .shared
            .delivered
            .lock()
            .unwrap()
            .remove(&id)
            .map(|at| at.elapsed());
        (outcome, took)
    }

    /// What the function reported to `/runtime/init/error`, if anything.
    pub fn init_error(&self) -> Option<Value> {
        self.shared.init_error.lock().unwrap().clone()
    }
}

async fn next(State(shared): State<Arc<Shared>>) -> Response {
    let invocation = loop {
        // Register interest before looking, so a push between the two is not missed.
        let queued = shared.queued.notified();
        if let Some(invocation) = shared.queue.lock().unwrap().pop_front() {
            break invocation;
        }
        queued.await;
    };
    shared
        .delivered
        .lock()
        .unwrap()
        .insert(invocation.id.clone(), std::time::Instant::now());
    let deadline_ms = invocation
        .deadline
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    set("lambda-runtime-aws-request-id", invocation.id);
    set("lambda-runtime-deadline-ms", deadline_ms.to_string());
    set(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:us-east-1:123456789012:function:local".into(),
    );
    set(
        "lambda-runtime-trace-id",
        "Root=1-00000000-000000000000000000000000".into(),
    );
    set("content-type", "application/json".into());
    (StatusCode::OK, headers, invocation.event.to_string()).into_response()
}

fn finish(shared: &Shared, id: &str, outcome: Outcome) -> StatusCode {
    match shared.waiting.lock().unwrap().remove(id) {
        Some(tx) => {
            let _ = tx.send(outcome);
            StatusCode::ACCEPTED
        }
        None => StatusCode::BAD_REQUEST,
    }
}

async fn respond(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> StatusCode {
    let payload = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    finish(&shared, &id, Outcome::Response(payload))
}

async fn fail(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> StatusCode {
    let diagnostic: Value = serde_json::from_slice(&body).unwrap_or_default();
    let field = |name: &str| diagnostic[name].as_str().unwrap_or_default().to_string();
    finish(
        &shared,
        &id,
        Outcome::Error {
            error_type: field("errorType"),
            error_message: field("errorMessage"),
        },
    )
}

async fn init_error(State(shared): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    *shared.init_error.lock().unwrap() = Some(serde_json::from_slice(&body).unwrap_or_default());
    StatusCode::ACCEPTED
}

/// A function binary started as Lambda starts an execution environment (its Runtime API,
/// Lambda's variables, local AWS credentials), for tests; killed when dropped, as Lambda
/// ends an environment.
pub struct LocalFunction {
    child: std::process::Child,
    /// The function's Runtime API.
    pub api: RuntimeApi,
}

impl Drop for LocalFunction {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl LocalFunction {
    /// Starts `binary` as function `name` with `env` on top of Lambda's variables; the
    /// `AURORA_*` variables of this process are not passed on.
    pub async fn start(binary: &str, name: &str, env: &[(&str, &str)]) -> std::io::Result<Self> {
        let api = RuntimeApi::start().await?;
        let child = std::process::Command::new(binary)
            .envs(api.function_env(name))
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "local")
            .env("AWS_SECRET_ACCESS_KEY", "local")
            .env_remove("AURORA_CLUSTER_ARN")
            .env_remove("AURORA_SECRET_ARN")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .spawn()?;
        Ok(LocalFunction { child, api })
    }

    /// Invokes with `event` and a deadline `timeout` from now.
    pub async fn invoke(&self, event: Value, timeout: Duration) -> Outcome {
        self.api.invoke(event, timeout).await
    }

    /// Invokes an API Gateway function (30 s deadline) and returns the HTTP answer: status,
    /// headers and the JSON body. Panics on anything else, as a test would.
    pub async fn request(&self, event: Value) -> (u16, Value, Value) {
        match self.invoke(event, Duration::from_secs(30)).await {
            Outcome::Response(r) => {
                let status = r["statusCode"].as_u64().expect("a statusCode") as u16;
                let body = serde_json::from_str(r["body"].as_str().unwrap_or("null"))
                    .expect("a JSON body");
                (status, r["headers"].clone(), body)
            }
            other => panic!("expected an HTTP response, got {other:?}"),
        }
    }
}
