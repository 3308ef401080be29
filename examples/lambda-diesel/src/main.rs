//! An AWS Lambda function behind API Gateway, on Diesel over the RDS Data API: no VPC, no
//! database socket to lose when the execution environment freezes, IAM instead of passwords.
//!
//! The pool is made once per cold start and serves every invocation. Configuration comes
//! from the environment: `DATABASE_URL=dataapi://<db>` plus `AURORA_CLUSTER_ARN` and
//! `AURORA_SECRET_ARN` (or everything in the URL); region and credentials from the
//! function's role. See the README's "AWS Lambda" section and `template.yaml`.

use lambda_diesel::{handle, pool, prepare};
use lambda_http::{service_fn, Request};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set")?;
    let pool = pool(&url)?;
    // A real function runs its migrations at deploy time; the example makes its table. A
    // database that cannot be reached now is reported by each invocation, not by a crash.
    if let Err(e) = prepare(&pool).await {
        eprintln!("could not create the example's table: {e}");
    }
    let pool = &pool;
    lambda_http::run(service_fn(move |request: Request| async move {
        handle(request, pool).await
    }))
    .await
}
