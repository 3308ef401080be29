//! The Lambda example's handler, invoked with constructed API Gateway-style events against
//! the local Data API server (no AWS).

mod common;
#[path = "../examples/lambda/handler.rs"]
mod handler;

use aurora_data_api::pg::AsyncDataApiPgConnection;
use common::*;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use serde_json::{json, Value};

fn body(response: &Value) -> Value {
    serde_json::from_str(response["body"].as_str().expect("body is a string"))
        .expect("body is JSON")
}

#[tokio::test]
async fn handler_inserts_and_lists_in_a_transaction() {
    let pool = Pool::builder(
        AsyncDieselConnectionManager::<AsyncDataApiPgConnection>::new(pg_url("dataapi_lambda")),
    )
    .max_size(2)
    .build()
    .unwrap();
    handler::prepare(&pool).await.unwrap();
    let post = |text: &str| json!({"httpMethod": "POST", "path": "/notes", "body": json!({"body": text}).to_string()});
    let first = handler::handle(post("hello"), &pool).await.unwrap();
    assert_eq!(first["statusCode"], 201, "{first}");
    let b1 = body(&first);
    let second = handler::handle(post("again"), &pool).await.unwrap();
    let b2 = body(&second);
    assert_eq!(b2["note"]["body"], "again");
    assert_eq!(
        b2["count"].as_i64().unwrap(),
        b1["count"].as_i64().unwrap() + 1
    );
    assert!(b2["note"]["id"].as_i64().unwrap() > b1["note"]["id"].as_i64().unwrap());

    let list = handler::handle(json!({"httpMethod": "GET", "path": "/notes"}), &pool)
        .await
        .unwrap();
    assert_eq!(list["statusCode"], 200);
    assert_eq!(body(&list)["notes"][0]["body"], "again");

    let bad = handler::handle(json!({"httpMethod": "POST", "body": "not json"}), &pool)
        .await
        .unwrap();
    assert_eq!(bad["statusCode"], 400);
    let nope = handler::handle(json!({"httpMethod": "DELETE"}), &pool)
        .await
        .unwrap();
    assert_eq!(nope["statusCode"], 405);
}
