//! A real AWS Lambda function on Diesel over the RDS Data API: no VPC database socket, no
//! connection to lose when the execution environment freezes.
//!
//! The pool is created once per cold start and reused by every invocation. Configuration
//! comes from the environment: `DATABASE_URL=dataapi://<db>` plus `AURORA_CLUSTER_ARN` and
//! `AURORA_SECRET_ARN` (or everything in the URL); credentials and region from the Lambda
//! role. Build with `cargo lambda build --release --example lambda` or
//! `cargo build --release --example lambda --target x86_64-unknown-linux-musl`.

mod handler;

use aurora_data_api::pg::AsyncDataApiPgConnection;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "dataapi://postgres".into());
    let pool = Pool::builder(AsyncDieselConnectionManager::<AsyncDataApiPgConnection>::new(url))
        .max_size(4)
        .build()?;
    handler::prepare(&pool).await?;
    let pool = &pool;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handler::handle(event.payload, pool).await
    }))
    .await
}
