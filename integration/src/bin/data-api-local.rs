//! `data-api-local`: serve the RDS Data API locally over real databases.

use clap::Parser;
use data_api_local::config::Cli;
use data_api_local::LocalServer;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "data_api_local=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = match Cli::parse().into_config() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("data-api-local: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let clusters: Vec<String> = config
        .clusters
        .iter()
        .map(|c| format!("{} ({:?})", c.arn, c.engine))
        .collect();
    let server = match LocalServer::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("data-api-local: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    println!(
        "data-api-local ready at {} serving {}",
        server.endpoint_url(),
        clusters.join(", ")
    );
    server.run_until_ctrl_c().await;
    std::process::ExitCode::SUCCESS
}
