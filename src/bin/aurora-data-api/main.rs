//! `aurora-data-api`: diesel's migration workflow, `print-schema` and quick SQL over the RDS
//! Data API, for databases with no network path but HTTPS.

mod config;
mod connect;
mod error;
mod migration;
mod print_schema;
mod progress;
mod sql;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::TypedValueParser;
use clap::{ArgAction, ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};

use connect::{AnyConnection, Target};
use error::CliError;

/// Diesel migrations, print-schema and SQL over the Amazon RDS Data API.
///
/// The database is named by a `dataapi://<database>?cluster_arn=…&secret_arn=…` URL
/// (`--database-url` or `DATABASE_URL`) or by the connection options below; ARNs fall back to
/// `AURORA_CLUSTER_ARN` / `AURORA_SECRET_ARN`, the endpoint to `AWS_ENDPOINT_URL_RDS_DATA`,
/// credentials and region to the AWS default chain. `diesel.toml` is read as diesel_cli reads
/// it. The options below may also be given after the subcommand.
#[derive(Debug, Parser)]
#[command(name = "aurora-data-api", version)]
struct Cli {
    /// `dataapi://<database>?cluster_arn=<arn>&secret_arn=<arn>[&region=…][&endpoint=…]`.
    #[arg(long, env = "DATABASE_URL", global = true, help_heading = "Connection")]
    database_url: Option<String>,
    /// Cluster ARN (instead of, or overriding, the URL's).
    #[arg(long, global = true, help_heading = "Connection")]
    cluster_arn: Option<String>,
    /// Secret ARN (instead of, or overriding, the URL's).
    #[arg(long, global = true, help_heading = "Connection")]
    secret_arn: Option<String>,
    /// Database name.
    #[arg(long, global = true, help_heading = "Connection")]
    database: Option<String>,
    /// AWS region.
    #[arg(long, global = true, help_heading = "Connection")]
    region: Option<String>,
    /// Data API endpoint, e.g. a local `data-api-local` server.
    #[arg(long, global = true, help_heading = "Connection")]
    endpoint_url: Option<String>,
    /// Database engine; detected by asking the database when not given.
    #[arg(long, value_parser = engine_parser(), global = true, help_heading = "Connection")]
    engine: Option<Engine>,
    /// The diesel.toml to use (default: `diesel.toml` in the project root, the nearest
    /// directory up with a `diesel.toml` or a `Cargo.toml`).
    #[arg(long, env = "DIESEL_CONFIG_FILE", global = true, value_name = "FILE")]
    config_file: Option<PathBuf>,
    /// Fail (exit 7) instead of changing the diesel.toml `print_schema.file` after
    /// `migration run / revert / redo` (for CI and production).
    #[arg(long, global = true)]
    locked_schema: bool,
    /// Show the library's log (`-v` debug, `-vv` trace; `RUST_LOG` takes precedence).
    #[arg(short, long, action = ArgAction::Count, global = true)]
    verbose: u8,
    /// No progress lines on stderr (retry waits, migration timings).
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// The engine behind the cluster: the library's own [`Engine`].
pub use aurora_data_api::Engine;

/// `--engine postgres|mysql`.
fn engine_parser() -> impl TypedValueParser<Value = Engine> {
    clap::builder::PossibleValuesParser::new(["postgres", "mysql"]).map(|s| match s.as_str() {
        "postgres" => Engine::Postgres,
        _ => Engine::Mysql,
    })
}

// Parsed once per run: the size of the generate options does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// Run, revert, redo, list or create diesel migrations.
    Migration {
        /// The migrations directory (default: `MIGRATION_DIRECTORY`, diesel.toml's
        /// `[migrations_directory] dir`, else `migrations` here or in a parent directory).
        #[arg(long, global = true, value_name = "DIR")]
        migration_dir: Option<PathBuf>,
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

const SEE_TOP_LEVEL: &str =
    "Connection options (--database-url, --cluster-arn, …), --config-file, --locked-schema, \
     -v and -q: see `aurora-data-api --help`.";

/// The command line: the top-level options are global (accepted after any subcommand) but
/// described once, at the top; subcommands carry hidden copies.
fn command() -> clap::Command {
    fn note(cmd: clap::Command) -> clap::Command {
        cmd.after_help(SEE_TOP_LEVEL).mut_subcommands(note)
    }
    let cmd = Cli::command();
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    cmd.mut_subcommands(|sub| {
        let sub = globals
            .iter()
            .fold(sub, |sub, a| sub.arg(a.clone().hide(true)));
        note(sub)
    })
}

/// The diesel.toml, or the defaults with this tool's custom type derives (those of the
/// diesel.toml `diesel setup` writes) when there is none.
fn load_config(cli_config: Option<&Path>) -> Result<config::Loaded, CliError> {
    let mut loaded = config::read(cli_config)?;
    if loaded.from_file.is_none() {
        for c in loaded.config.print_schema.all_configs.values_mut() {
            c.custom_type_derives = Some(vec![
                "diesel::query_builder::QueryId".into(),
                "Clone".into(),
            ]);
        }
        loaded
            .config
            .print_schema
            .all_configs
            .entry("default".into())
            .or_insert_with(|| config::PrintSchema {
                custom_type_derives: Some(vec![
                    "diesel::query_builder::QueryId".into(),
                    "Clone".into(),
                ]),
                ..Default::default()
            });
    }
    Ok(loaded)
}

fn target(cli: &Cli) -> Result<Target, CliError> {
    Target::from_flags(
        cli.database_url.as_deref(),
        cli.cluster_arn.clone(),
        cli.secret_arn.clone(),
        cli.database.clone(),
        cli.region.clone(),
        cli.endpoint_url.clone(),
    )
}

fn run(cli: Cli, matches: &ArgMatches) -> Result<(), CliError> {
    match &cli.command {
        Command::Migration {
            migration_dir,
            action,
        } => {
            let loaded = load_config(cli.config_file.as_deref())?;
            let dir = config::migrations_dir(migration_dir.as_deref(), &loaded.config);
            if let migration::Action::Generate {
                name,
                version,
                no_down,
                diff_schema,
                ..
            } = action
            {
                // Creating files needs no database.
                if diff_schema.is_some() {
                    return Err(CliError::Config(
                        "--diff-schema is not supported: it needs diesel_cli's schema.rs parser \
                         and SQL generator, which this tool does not include; write up.sql / \
                         down.sql by hand, or run `diesel migration generate --diff-schema` \
                         against a direct database connection"
                            .into(),
                    ));
                }
                migration::generate(&dir, name, version.as_deref(), !no_down)?;
                return Ok(());
            }
            let mut conn = target(&cli)?.connect(cli.engine)?;
            migration::run(&mut conn, &dir, action)?;
            if matches!(
                action,
                migration::Action::Run
                    | migration::Action::Revert { .. }
                    | migration::Action::Redo { .. }
            ) {
                regenerate_schema(&mut conn, &loaded.config, cli.locked_schema)?;
            }
            Ok(())
        }
        Command::PrintSchema(_) => {
            let loaded = load_config(cli.config_file.as_deref())?;
            let mut root = loaded.config.print_schema;
            let sub = matches
                .subcommand_matches("print-schema")
                .expect("the print-schema subcommand");
            print_schema::apply_options(&mut root, sub)?;
            let mut conn = target(&cli)?.connect(cli.engine)?;
            for config in root.all_configs.values() {
                print!("{}", print_schema::print(&mut conn, config)?);
            }
            Ok(())
        }
        Command::Sql { statement, json } => {
            let client = target(&cli)?.client();
            sql::run(&client, statement, *json)
        }
    }
}

/// diesel_cli's `regenerate_schema_if_file_specified`: after `migration run / revert / redo`,
/// every `[print_schema]` section with a `file` gets it rewritten (parent directories
/// created); with `--locked-schema` a change is printed as a diff and refused instead.
fn regenerate_schema(
    conn: &mut AnyConnection,
    config: &config::Config,
    locked: bool,
) -> Result<(), CliError> {
    for section in config.print_schema.all_configs.values() {
        let Some(path) = &section.file else {
            continue;
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| CliError::Io(format!("cannot create {}: {e}", parent.display())))?;
        }
        let schema = print_schema::print(conn, section)?;
        if locked {
            let old = std::fs::read_to_string(path).map_err(|e| {
                CliError::Io(format!(
                    "Encountered an IO error: {e} for `{}`",
                    path.display()
                ))
            })?;
            if schema.lines().ne(old.lines()) {
                let label = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                print!("{}", line_diff(&old, &schema, &label, "new schema"));
                return Err(CliError::SchemaWouldChange(path.display().to_string()));
            }
        } else {
            std::fs::write(path, schema.as_bytes())
                .map_err(|e| CliError::Io(format!("cannot write {}: {e}", path.display())))?;
        }
    }
    Ok(())
}

/// A plain line diff (`-` old, `+` new) for `--locked-schema`.
fn line_diff(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = format!("--- {old_label}\n+++ {new_label}\n");
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!(" {}\n", a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+{}\n", b[j]));
            j += 1;
        } else {
            out.push_str(&format!("-{}\n", a[i]));
            i += 1;
        }
    }
    out
}

fn main() -> ExitCode {
    let matches = command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    progress::init(cli.verbose, cli.quiet);
    match run(cli, &matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}
