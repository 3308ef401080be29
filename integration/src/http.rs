//! HTTP front: restJson1 routing, body limits, optional SigV4 check, request ids, the
//! local-only fault-control endpoint, and a listener whose connections a call can cut (the
//! "HTTP connection dropped after the call was applied" fault).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use axum::{Extension, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::error::{messages, ApiError, ErrorCode};
use crate::faults::FaultConfig;
use crate::service::Service;
use crate::sigv4::{self, VerifyKey};

/// Everything a request handler needs.
pub struct AppState {
    pub service: Arc<Service>,
    pub verify: Option<VerifyKey>,
}

/// The server's router: every path goes through one dispatcher, like the service's front door.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new().fallback(dispatch).with_state(state)
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let body = if body.is_empty() {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("Invalid request body: {e}")))
}

fn ok<T: serde::Serialize>(value: T) -> Response {
    (StatusCode::OK, axum::Json(value)).into_response()
}

async fn dispatch(
    State(state): State<Arc<AppState>>,
    cut: Option<Extension<ConnectInfo<Cut>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let request_id = uuid_like();
    let mut response = match handle(&state, &method, uri.path(), &headers, body).await {
        Ok(response) => {
            // Only operations (not the control endpoint), only where the connection can be
            // cut (the server's own listener).
            if let Some(Extension(ConnectInfo(cut))) = &cut {
                if uri.path() != "/_local/faults" && state.service.faults.drop_http_after_apply() {
                    tracing::debug!(path = uri.path(), "HTTP connection cut (injected)");
                    cut.cut();
                }
            }
            response
        }
        Err(error) => {
            tracing::debug!(
                path = uri.path(),
                code = error.code.name(),
                "{}",
                error.message
            );
            error.into_response()
        }
    };
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-amzn-requestid", v);
    }
    response
}

async fn handle(
    state: &AppState,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let limit = state.service.limits.max_request_bytes;
    let body: Bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::bad_request(messages::REQUEST_TOO_LARGE))?;
    if path == "/_local/faults" {
        return faults(state, method, &body);
    }
    if method != Method::POST {
        return Err(ApiError::bad_request(format!(
            "{method} is not supported; Data API operations are POST"
        )));
    }
    if let Some(key) = &state.verify {
        sigv4::verify(key, path, headers, &body)?;
    }
    let service = &state.service;
    service.calls.count(path);
    Ok(match path {
        "/Execute" => ok(service.execute(parse(&body)?).await?),
        "/BatchExecute" => ok(service.batch_execute(parse(&body)?).await?),
        "/BeginTransaction" => ok(service.begin(parse(&body)?).await?),
        "/CommitTransaction" => ok(service.end(parse(&body)?, true).await?),
        "/RollbackTransaction" => ok(service.end(parse(&body)?, false).await?),
        "/ExecuteSql" => return Err(ApiError::bad_request(messages::EXECUTE_SQL_UNSUPPORTED)),
        other => {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("Unknown operation {other}"),
            ));
        }
    })
}

/// Fault settings as the control endpoint takes them (seconds as numbers).
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
struct FaultBody {
    resuming_calls: u32,
    resuming_after_idle: Option<f64>,
    resuming_duration: Option<f64>,
    error_5xx_rate: f64,
    error_5xx_after_apply_rate: f64,
    drop_connection_rate: f64,
    resuming_in_transaction_calls: u32,
    resuming_in_transaction_rate: f64,
    commit_5xx_after_apply_calls: u32,
    commit_5xx_after_apply_rate: f64,
    drop_http_after_apply_calls: u32,
    drop_http_after_apply_rate: f64,
    expire_transaction_calls: u32,
    expire_transactions_after_statements: Option<u32>,
}

/// `GET /_local/faults` reports settings and counts; `POST` replaces the settings.
fn faults(state: &AppState, method: &Method, body: &[u8]) -> Result<Response, ApiError> {
    let faults = &state.service.faults;
    if method == Method::POST {
        let b: FaultBody = parse(body)?;
        let secs = |v: Option<f64>| v.map(std::time::Duration::try_from_secs_f64).transpose();
        faults.set(FaultConfig {
            resuming_calls: b.resuming_calls,
            resuming_after_idle: secs(b.resuming_after_idle)
                .map_err(|e| ApiError::bad_request(e.to_string()))?,
            resuming_duration: secs(b.resuming_duration)
                .map_err(|e| ApiError::bad_request(e.to_string()))?,
            error_5xx_rate: b.error_5xx_rate,
            error_5xx_after_apply_rate: b.error_5xx_after_apply_rate,
            drop_connection_rate: b.drop_connection_rate,
            resuming_in_transaction_calls: b.resuming_in_transaction_calls,
            resuming_in_transaction_rate: b.resuming_in_transaction_rate,
            commit_5xx_after_apply_calls: b.commit_5xx_after_apply_calls,
            commit_5xx_after_apply_rate: b.commit_5xx_after_apply_rate,
            drop_http_after_apply_calls: b.drop_http_after_apply_calls,
            drop_http_after_apply_rate: b.drop_http_after_apply_rate,
            expire_transaction_calls: b.expire_transaction_calls,
            expire_transactions_after_statements: b.expire_transactions_after_statements,
        });
    }
    let c = state.service.fault_counts();
    Ok(ok(serde_json::json!({
        "injected": {
            "resuming": c.resuming,
            "error5xx": c.error_5xx,
            "error5xxAfterApply": c.error_5xx_after_apply,
            "droppedConnections": c.dropped_connections,
            "resumingInTransaction": c.resuming_in_transaction,
            "commit5xxAfterApply": c.commit_5xx_after_apply,
            "droppedHttpAfterApply": c.dropped_http_after_apply,
            "expiredByFault": c.expired_by_fault,
        },
        "limitsHit": {
            "statementTimeouts": c.statement_timeouts,
            "expiredTransactions": c.expired_transactions,
        }
    })))
}

/// The server's TCP listener: each connection carries a [`Cut`] switch, handed to the
/// handlers as `ConnectInfo<Cut>`.
pub struct CuttableListener(pub TcpListener);

/// Closes one HTTP connection without an answer: once cut, the connection reads end of file
/// and every write fails, so hyper drops it before a byte of the response is sent and the
/// client sees the connection closed under its request.
#[derive(Debug, Clone, Default)]
pub struct Cut(Arc<AtomicBool>);

impl Cut {
    pub fn cut(&self) {
        self.0.store(true, Ordering::Release);
    }

    fn is_cut(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// A connection of [`CuttableListener`].
pub struct CuttableStream {
    inner: TcpStream,
    cut: Cut,
}

/// What a connection of [`CuttableListener`] is known by.
#[derive(Debug, Clone)]
pub struct ConnectionAddr {
    pub remote: SocketAddr,
    pub cut: Cut,
}

impl Listener for CuttableListener {
    type Io = CuttableStream;
    type Addr = ConnectionAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((inner, remote)) => {
                    let cut = Cut::default();
                    return (
                        CuttableStream {
                            inner,
                            cut: cut.clone(),
                        },
                        ConnectionAddr { remote, cut },
                    );
                }
                // Out of descriptors and the like: wait, as axum's own listener does.
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(ConnectionAddr {
            remote: self.0.local_addr()?,
            cut: Cut::default(),
        })
    }
}

impl Connected<IncomingStream<'_, CuttableListener>> for Cut {
    fn connect_info(stream: IncomingStream<'_, CuttableListener>) -> Self {
        stream.remote_addr().cut.clone()
    }
}

fn cut_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection cut (injected)",
    )
}

impl AsyncRead for CuttableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.cut.is_cut() {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for CuttableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.cut.is_cut() {
            return Poll::Ready(Err(cut_error()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.cut.is_cut() {
            return Poll::Ready(Err(cut_error()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

fn uuid_like() -> String {
    let b: [u8; 16] = rand::random();
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        u16::from_be_bytes([b[4], b[5]]),
        u16::from_be_bytes([b[6], b[7]]) & 0x0fff | 0x4000,
        u16::from_be_bytes([b[8], b[9]]) & 0x3fff | 0x8000,
        u64::from_be_bytes([0, 0, b[10], b[11], b[12], b[13], b[14], b[15]])
    )
}
