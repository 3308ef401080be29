//! The Lambda handler's logic, shared by the example binary and its test: an API
//! Gateway-style event in, a JSON response out, Diesel over the Data API in between.

use aurora_data_api::pg::AsyncDataApiPgConnection;
use diesel::prelude::*;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde_json::{json, Value};

diesel::table! {
    lambda_notes (id) {
        id -> Int4,
        body -> Text,
        created_at -> Timestamptz,
    }
}

/// A note as the API returns it.
#[derive(Debug, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = lambda_notes, check_for_backend(diesel::pg::Pg))]
pub struct Note {
    pub id: i32,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The pool type created once per cold start.
pub type DbPool = Pool<AsyncDataApiPgConnection>;

/// Creates the table the example uses (a real function would run migrations instead).
pub async fn prepare(pool: &DbPool) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = pool.get().await?;
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut *conn,
        "CREATE TABLE IF NOT EXISTS lambda_notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .await?;
    Ok(())
}

fn response(status: u16, body: Value) -> Value {
    json!({
        "statusCode": status,
        "headers": { "content-type": "application/json" },
        "body": body.to_string(),
    })
}

/// `POST` with `{"body": "..."}` stores a note and returns it with the note count, inside one
/// transaction; `GET` lists the latest notes. Anything else is a 4xx.
pub async fn handle(
    event: Value,
    pool: &DbPool,
) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
    let method = event["httpMethod"]
        .as_str()
        .or(event["requestContext"]["http"]["method"].as_str())
        .unwrap_or("GET");
    let mut conn = pool.get().await?;
    match method {
        "POST" => {
            let payload: Value = match event["body"].as_str().map(serde_json::from_str) {
                Some(Ok(v)) => v,
                _ => {
                    return Ok(response(
                        400,
                        json!({"error": "body must be JSON like {\"body\": \"text\"}"}),
                    ))
                }
            };
            let Some(text) = payload["body"].as_str().map(str::to_string) else {
                return Ok(response(400, json!({"error": "missing \"body\""})));
            };
            let (note, count) = conn
                .transaction::<_, diesel::result::Error, _>(async |conn| {
                    let note: Note = diesel::insert_into(lambda_notes::table)
                        .values(lambda_notes::body.eq(text))
                        .returning(Note::as_returning())
                        .get_result(conn)
                        .await?;
                    let count: i64 = lambda_notes::table.count().get_result(conn).await?;
                    Ok((note, count))
                })
                .await?;
            Ok(response(201, json!({ "note": note, "count": count })))
        }
        "GET" => {
            let notes: Vec<Note> = lambda_notes::table
                .select(Note::as_select())
                .order(lambda_notes::id.desc())
                .limit(10)
                .load(&mut conn)
                .await?;
            Ok(response(200, json!({ "notes": notes })))
        }
        other => Ok(response(
            405,
            json!({ "error": format!("method {other} not allowed") }),
        )),
    }
}
