//! The function's logic: API Gateway requests in, JSON responses out, SeaORM over the Data
//! API in between. `GET /notes` lists notes (one Data API call); `POST /notes` with
//! `{"title": "...", "body": "..."}` stores one and counts them in one transaction that is
//! rolled back before the invocation's deadline if it runs late.

use std::time::{Duration, SystemTime};

use aurora_data_api::client::DataApiErrorKind;
use aurora_data_api::connection::DeadlineError;
use aurora_data_api::sea_orm::{
    data_api_error_kind, error_kind, DataApiConnection, DatabaseErrorKind,
};
use lambda_http::{Body, Request, RequestExt, Response};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect,
    Set, TransactionError,
};
use serde_json::{json, Value};

/// The notes table.
pub mod note {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lambda_sea_notes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub title: String,
        pub body: String,
        pub created_at: DateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
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

fn note_json(n: &note::Model) -> Value {
    json!({"id": n.id, "title": n.title, "body": n.body, "created_at": n.created_at.to_rfc3339()})
}

/// Creates the example's table (a real function runs migrations at deploy time).
pub async fn prepare(db: &DataApiConnection) -> Result<(), DbErr> {
    db.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS lambda_sea_notes (\
           id SERIAL PRIMARY KEY, \
           title TEXT NOT NULL UNIQUE, \
           body TEXT NOT NULL CHECK (length(body) <= 1000), \
           created_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .await?;
    Ok(())
}

/// Handles one request; database errors become HTTP answers ([`error_response`]).
pub async fn handle(
    request: Request,
    db: &DataApiConnection,
) -> Result<Response<Body>, lambda_http::Error> {
    let outcome = match (request.method().as_str(), request.uri().path()) {
        ("GET", "/notes") => list(db).await,
        ("POST", "/notes") => match serde_json::from_slice::<NewNote>(request.body().as_ref()) {
            Ok(new) => create(db, new, deadline(&request)).await,
            Err(e) => Err(json_response(
                400,
                json!({"error": format!("the body must be JSON like {{\"title\": \"…\", \"body\": \"…\"}}: {e}")}),
            )),
        },
        (_, "/notes") => Err(json_response(405, json!({"error": "use GET or POST"}))),
        (_, path) => Err(json_response(
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

async fn list(db: &DataApiConnection) -> Result<Response<Body>, Response<Body>> {
    let notes = note::Entity::find()
        .order_by_desc(note::Column::Id)
        .limit(10)
        .all(db)
        .await
        .map_err(|e| error_response(&e))?;
    let notes: Vec<Value> = notes.iter().map(note_json).collect();
    Ok(json_response(200, json!({ "notes": notes })))
}

async fn create(
    db: &DataApiConnection,
    new: NewNote,
    deadline: SystemTime,
) -> Result<Response<Body>, Response<Body>> {
    let saved = db
        .transaction_before(deadline, async |txn| {
            let note = note::ActiveModel {
                title: Set(new.title.clone()),
                body: Set(new.body.clone()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            if new.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(new.delay_ms)).await;
            }
            let count = note::Entity::find().count(txn).await?;
            Ok::<_, DbErr>((note, count))
        })
        .await;
    match saved {
        Ok((note, count)) => Ok(json_response(
            201,
            json!({ "note": note_json(&note), "count": count }),
        )),
        Err(DeadlineError::Failed(
            TransactionError::Transaction(e) | TransactionError::Connection(e),
        )) => Err(error_response(&e)),
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
pub fn error_response(error: &DbErr) -> Response<Body> {
    match error_kind(error) {
        Some(DatabaseErrorKind::UniqueViolation) => {
            return json_response(409, json!({"error": "already exists"}))
        }
        Some(DatabaseErrorKind::CheckViolation | DatabaseErrorKind::NotNullViolation) => {
            return json_response(400, json!({"error": "invalid value"}))
        }
        _ => {}
    }
    if data_api_error_kind(error) == Some(DataApiErrorKind::DatabaseResuming) {
        let mut response = json_response(
            503,
            json!({"error": "the database is starting; retry shortly"}),
        );
        retry_after(&mut response, 5);
        return response;
    }
    eprintln!("database error: {error}");
    json_response(500, json!({"error": "internal error"}))
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
