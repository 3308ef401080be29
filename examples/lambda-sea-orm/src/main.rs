//! An AWS Lambda function behind API Gateway, on SeaORM over the RDS Data API: the
//! connection is made once per cold start and serves every invocation. Configuration comes
//! from the environment: `DATABASE_URL=dataapi://<db>` plus `AURORA_CLUSTER_ARN` and
//! `AURORA_SECRET_ARN` (or everything in the URL); region and credentials from the
//! function's role. See the README's "AWS Lambda" section.

use aurora_data_api::sea_orm::DataApiConnection;
use lambda_http::{service_fn, Request};
use lambda_sea_orm::{handle, prepare};
use sea_orm::DbBackend;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set")?;
    // Makes no call: a Data API connection is a configured HTTPS client.
    let db = DataApiConnection::connect(&url, DbBackend::Postgres).await?;
    // A real function runs its migrations at deploy time; the example makes its table.
    if let Err(e) = prepare(&db).await {
        eprintln!("could not create the example's table: {e}");
    }
    let db = &db;
    lambda_http::run(service_fn(move |request: Request| async move {
        handle(request, db).await
    }))
    .await
}
