//! The function's logic: API Gateway requests in, JSON responses out, Diesel over the Data
//! API in between. `GET /notes` lists notes (one Data API call); `POST /notes` with
//! `{"title": "...", "body": "..."}` stores one and counts them in one transaction that is
//! rolled back before the invocation's deadline if it runs late.

use std::time::{Duration, SystemTime};

use aurora_data_api::client::DataApiErrorKind;
use aurora_data_api::connection::DeadlineError;
use aurora_data_api::error::data_api_error_kind;
use aurora_data_api::pg::AsyncDataApiPgConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::pooled_connection::deadpool::{Pool, PoolError};
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use lambda_http::lambda_runtime::Diagnostic;
use lambda_http::{Body, Request, RequestExt, Response};
use serde_json::{json, Value};

diesel::table! {
    lambda_notes (id) {
        id -> Int4,
        title -> Text,
        body -> Text,
        created_at -> Timestamptz,
    }
}

/// A note as the API returns it.
#[derive(Debug, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = lambda_notes, check_for_backend(diesel::pg::Pg))]
pub struct Note {
    pub id: i32,
    pub title: String,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// What `POST /notes` takes. `delay_ms` stands in for slow work inside the transaction (a
/// call to another service, say), to try the deadline.
#[derive(Debug, serde::Deserialize)]
struct NewNote {
    title: String,
    body: String,
    #[serde(default)]
    delay_ms: u64,
}

/// The pool made once per cold start.
pub type DbPool = Pool<AsyncDataApiPgConnection>;

/// The pool over `url` (`dataapi://…`). Connections are checked out without a Data API
/// call: the default `RecyclingMethod::Verified` only looks at their transaction state.
pub fn pool(url: &str) -> Result<DbPool, lambda_http::Error> {
    let manager = AsyncDieselConnectionManager::<AsyncDataApiPgConnection>::new(url);
    Ok(Pool::builder(manager).max_size(2).build()?)
}

/// Creates the example's table (a real function runs migrations at deploy time).
pub async fn prepare(pool: &DbPool) -> Result<(), FunctionError> {
    let mut conn = pool.get().await?;
    conn.batch_execute(
        "CREATE TABLE IF NOT EXISTS lambda_notes (\
           id SERIAL PRIMARY KEY, \
           title TEXT NOT NULL UNIQUE, \
           body TEXT NOT NULL CHECK (length(body) <= 1000), \
           created_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .await?;
    Ok(())
}

/// A failure the function cannot answer with an HTTP response: the invocation fails, and
/// Lambda reports it with this `errorType` (API Gateway answers 502).
#[derive(Debug)]
pub enum FunctionError {
    /// No connection could be made (bad `DATABASE_URL`, missing configuration).
    Connection(String),
    /// A database failure outside any request's control while starting.
    Database(DieselError),
}

impl std::fmt::Display for FunctionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FunctionError::Connection(e) => write!(f, "no database connection: {e}"),
            FunctionError::Database(e) => write!(f, "database error: {e}"),
        }
    }
}

impl std::error::Error for FunctionError {}

impl From<PoolError> for FunctionError {
    fn from(e: PoolError) -> Self {
        FunctionError::Connection(e.to_string())
    }
}

impl From<DieselError> for FunctionError {
    fn from(e: DieselError) -> Self {
        FunctionError::Database(e)
    }
}

impl From<FunctionError> for Diagnostic {
    fn from(e: FunctionError) -> Diagnostic {
        let error_type = match e {
            FunctionError::Connection(_) => "DatabaseConnectionError",
            FunctionError::Database(_) => "DatabaseError",
        };
        Diagnostic {
            error_type: error_type.into(),
            error_message: e.to_string(),
        }
    }
}

/// Handles one request. Database errors become HTTP answers API Gateway clients understand
/// ([`error_response`]); only a missing connection fails the invocation.
pub async fn handle(request: Request, pool: &DbPool) -> Result<Response<Body>, FunctionError> {
    let mut conn = pool.get().await?;
    let outcome = match (request.method().as_str(), request.uri().path()) {
        ("GET", "/notes") => list(&mut conn).await,
        ("POST", "/notes") => {
            let new: NewNote = match serde_json::from_slice(request.body().as_ref()) {
                Ok(new) => new,
                Err(e) => {
                    return Ok(json_response(
                        400,
                        json!({"error": format!("the body must be JSON like {{\"title\": \"…\", \"body\": \"…\"}}: {e}")}),
                    ))
                }
            };
            create(&mut conn, new, deadline(&request)).await
        }
        (_, "/notes") => Ok(json_response(405, json!({"error": "use GET or POST"}))),
        (_, path) => Ok(json_response(
            404,
            json!({"error": format!("no route {path}")}),
        )),
    };
    Ok(outcome.unwrap_or_else(|e| e))
}

/// The invocation's deadline. One already past when the invocation starts is not a real
/// Lambda deadline: `cargo lambda watch` sends a fixed `600000` ms (1970); then, as without
/// any Lambda context, a minute from now.
fn deadline(request: &Request) -> SystemTime {
    let now = SystemTime::now();
    match request.lambda_context_ref().map(|cx| cx.deadline()) {
        Some(deadline) if deadline > now => deadline,
        _ => now + Duration::from_secs(60),
    }
}

async fn list(conn: &mut AsyncDataApiPgConnection) -> Result<Response<Body>, Response<Body>> {
    let notes: Vec<Note> = lambda_notes::table
        .select(Note::as_select())
        .order(lambda_notes::id.desc())
        .limit(10)
        .load(conn)
        .await
        .map_err(|e| error_response(&e))?;
    Ok(json_response(200, json!({ "notes": notes })))
}

async fn create(
    conn: &mut AsyncDataApiPgConnection,
    new: NewNote,
    deadline: SystemTime,
) -> Result<Response<Body>, Response<Body>> {
    let saved = conn
        .transaction_before(deadline, async |conn| {
            let note: Note = diesel::insert_into(lambda_notes::table)
                .values((
                    lambda_notes::title.eq(&new.title),
                    lambda_notes::body.eq(&new.body),
                ))
                .returning(Note::as_returning())
                .get_result(conn)
                .await?;
            if new.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(new.delay_ms)).await;
            }
            let count: i64 = lambda_notes::table.count().get_result(conn).await?;
            Ok::<_, DieselError>((note, count))
        })
        .await;
    match saved {
        Ok((note, count)) => Ok(json_response(201, json!({ "note": note, "count": count }))),
        Err(DeadlineError::Failed(e)) => Err(error_response(&e)),
        Err(DeadlineError::Exceeded { .. }) => {
            let mut response = json_response(
                503,
                json!({"error": "the request ran out of time and was rolled back; nothing was saved"}),
            );
            retry_after(&mut response, 1);
            Err(response)
        }
    }
}

/// The HTTP answer for a database error: 409 for a unique violation, 400 for values the
/// table refuses, 503 with `Retry-After` while an auto-paused cluster resumes, 500 otherwise
/// (logged, not shown: its text may name tables and values).
pub fn error_response(error: &DieselError) -> Response<Body> {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => json_response(
            409,
            json!({"error": "already exists", "constraint": info.constraint_name()}),
        ),
        DieselError::DatabaseError(
            DatabaseErrorKind::CheckViolation | DatabaseErrorKind::NotNullViolation,
            info,
        ) => json_response(
            400,
            json!({"error": "invalid value", "constraint": info.constraint_name(), "column": info.column_name()}),
        ),
        e if data_api_error_kind(e) == Some(DataApiErrorKind::DatabaseResuming) => {
            let mut response = json_response(
                503,
                json!({"error": "the database is starting; retry shortly"}),
            );
            retry_after(&mut response, 5);
            response
        }
        e => {
            eprintln!("database error: {e}");
            json_response(500, json!({"error": "internal error"}))
        }
    }
}

fn json_response(status: u16, body: Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::Text(body.to_string()))
        .expect("a valid response")
}

fn retry_after(response: &mut Response<Body>, seconds: u32) {
    response
        .headers_mut()
        .insert("retry-after", seconds.to_string().parse().expect("digits"));
}
