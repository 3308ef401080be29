//! `aurora-data-api`: diesel's migration workflow, `print-schema` and quick SQL over the RDS
//! Data API, for databases with no network path but HTTPS.

mod connect;
mod error;
mod migration;
mod print_schema;
mod sql;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use connect::Target;
use error::CliError;

/// Diesel migrations, print-schema and SQL over the Amazon RDS Data API.
///
/// The database is named by a `dataapi://<database>?cluster_arn=…&secret_arn=…` URL
/// (`--database-url` or `DATABASE_URL`) or by the flags below; ARNs fall back to
/// `AURORA_CLUSTER_ARN` / `AURORA_SECRET_ARN`, the endpoint to `AWS_ENDPOINT_URL_RDS_DATA`,
/// credentials and region to the AWS default chain.
#[derive(Debug, Parser)]
#[command(name = "aurora-data-api", version)]
struct Cli {
    /// `dataapi://<database>?cluster_arn=<arn>&secret_arn=<arn>[&region=…][&endpoint=…]`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Cluster ARN (instead of, or overriding, the URL's).
    #[arg(long, global = true)]
    cluster_arn: Option<String>,
    /// Secret ARN (instead of, or overriding, the URL's).
    #[arg(long, global = true)]
    secret_arn: Option<String>,
    /// Database name.
    #[arg(long, global = true)]
    database: Option<String>,
    /// AWS region.
    #[arg(long, global = true)]
    region: Option<String>,
    /// Data API endpoint, e.g. a local `data-api-local` server.
    #[arg(long, global = true)]
    endpoint_url: Option<String>,
    /// Database engine; detected by asking the database when not given.
    #[arg(long, value_enum, global = true)]
    engine: Option<Engine>,
    #[command(subcommand)]
    command: Command,
}

/// The engine behind the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// Aurora PostgreSQL.
    Postgres,
    /// Aurora MySQL.
    Mysql,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run, revert, redo, list or create diesel migrations.
    Migration {
        /// The migrations directory (diesel layout).
        #[arg(long, default_value = "migrations", global = true)]
        migration_dir: PathBuf,
        #[command(subcommand)]
        action: migration::Action,
    },
    /// Print diesel `table!` definitions for the database, as `diesel print-schema` does.
    PrintSchema(print_schema::Options),
    /// Run one SQL statement and print its result as a table (or JSON).
    Sql {
        /// The statement.
        statement: String,
        /// Print rows as a JSON array of objects.
        #[arg(long)]
        json: bool,
    },
}

fn run(cli: Cli) -> Result<(), CliError> {
    // Creating files needs no database.
    if let Command::Migration {
        migration_dir,
        action: migration::Action::Generate { name },
    } = &cli.command
    {
        return migration::generate(migration_dir, name);
    }
    let target = Target::from_flags(
        cli.database_url.as_deref(),
        cli.cluster_arn,
        cli.secret_arn,
        cli.database,
        cli.region,
        cli.endpoint_url,
    )?;
    match cli.command {
        Command::Migration {
            migration_dir,
            action,
        } => {
            let mut conn = target.connect(cli.engine)?;
            migration::run(&mut conn, &migration_dir, action)
        }
        Command::PrintSchema(options) => {
            let mut conn = target.connect(cli.engine)?;
            print!("{}", print_schema::print(&mut conn, &options)?);
            Ok(())
        }
        Command::Sql { statement, json } => {
            let target_client = target.client();
            sql::run(&target_client, &statement, json)
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}
