//! HTTP front: restJson1 routing, body limits, optional SigV4 check, request ids, and the
//! local-only fault-control endpoint.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Deserialize;

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
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let request_id = uuid_like();
    let mut response = match handle(&state, &method, uri.path(), &headers, body).await {
        Ok(response) => response,
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
        });
    }
    let c = state.service.fault_counts();
    Ok(ok(serde_json::json!({
        "injected": {
            "resuming": c.resuming,
            "error5xx": c.error_5xx,
            "error5xxAfterApply": c.error_5xx_after_apply,
            "droppedConnections": c.dropped_connections,
        },
        "limitsHit": {
            "statementTimeouts": c.statement_timeouts,
            "expiredTransactions": c.expired_transactions,
        }
    })))
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
