//! `migration run | revert | redo | list | pending | generate`, with diesel's migrations
//! directory layout and bookkeeping table (`__diesel_schema_migrations`), so this tool and
//! `diesel` can be used on the same database.

use std::path::Path;

use clap::Subcommand;
use diesel::backend::Backend;
use diesel::migration::{Migration, MigrationSource, MigrationVersion};
use diesel_migrations::{FileBasedMigrations, MigrationHarness};

use crate::connect::AnyConnection;
use crate::error::CliError;

/// What to do with the migrations.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Run all pending migrations.
    Run,
    /// Revert the last migration (or `-n` of them, or `--all`).
    Revert {
        /// Revert every applied migration.
        #[arg(long, conflicts_with = "number")]
        all: bool,
        /// How many to revert.
        #[arg(short = 'n', long = "number", default_value_t = 1)]
        number: usize,
    },
    /// Revert and run again the last migration (or `-n` of them, or `--all`).
    Redo {
        /// Redo every applied migration.
        #[arg(long, conflicts_with = "number")]
        all: bool,
        /// How many to redo.
        #[arg(short = 'n', long = "number", default_value_t = 1)]
        number: usize,
    },
    /// List migrations, `[X]` applied, `[ ]` pending.
    List,
    /// Print `true` when migrations are pending, `false` otherwise.
    Pending,
    /// Create `<dir>/<timestamp>_<name>/{up,down}.sql`.
    Generate {
        /// Name of the migration.
        name: String,
    },
}

fn source(dir: &Path) -> Result<FileBasedMigrations, CliError> {
    FileBasedMigrations::from_path(dir)
        .map_err(|e| CliError::Io(format!("cannot read migrations in {}: {e}", dir.display())))
}

/// Runs `action` on `conn` with the migrations in `dir`.
pub fn run(conn: &mut AnyConnection, dir: &Path, action: Action) -> Result<(), CliError> {
    let migrations = source(dir)?;
    match conn {
        AnyConnection::Pg(conn) => act(conn, migrations, action),
        AnyConnection::Mysql(conn) => act(conn, migrations, action),
    }
}

fn failed(name: impl std::fmt::Display, e: impl std::fmt::Display) -> CliError {
    CliError::Migration {
        migration: name.to_string(),
        message: e.to_string(),
    }
}

fn act<DB, C>(conn: &mut C, source: FileBasedMigrations, action: Action) -> Result<(), CliError>
where
    DB: Backend,
    C: MigrationHarness<DB>,
    FileBasedMigrations: MigrationSource<DB>,
{
    let mut all =
        MigrationSource::<DB>::migrations(&source).map_err(|e| CliError::Io(e.to_string()))?;
    all.sort_by_key(|m| m.name().version().as_owned());
    let name_of = |version: &MigrationVersion<'_>| {
        all.iter()
            .find(|m| m.name().version() == *version)
            .map_or_else(|| version.to_string(), |m| m.name().to_string())
    };
    let applied = |conn: &mut C| -> Result<Vec<MigrationVersion<'static>>, CliError> {
        conn.applied_migrations()
            .map_err(|e| CliError::Query(format!("cannot read applied migrations: {e}")))
    };
    match action {
        Action::Run => {
            let pending = conn
                .pending_migrations(source)
                .map_err(|e| CliError::Query(e.to_string()))?;
            for migration in pending {
                println!("Running migration {}", migration.name());
                conn.run_migration(&migration)
                    .map_err(|e| failed(migration.name(), e))?;
            }
        }
        Action::Revert { all: every, number } => {
            let count = if every { applied(conn)?.len() } else { number };
            for _ in 0..count {
                let Some(last) = applied(conn)?.into_iter().next() else {
                    break;
                };
                let name = name_of(&last);
                println!("Rolling back migration {name}");
                conn.revert_last_migration(source.clone())
                    .map_err(|e| failed(&name, e))?;
            }
        }
        Action::Redo { all: every, number } => {
            let count = if every { applied(conn)?.len() } else { number };
            let mut reverted = Vec::new();
            for _ in 0..count {
                let Some(last) = applied(conn)?.into_iter().next() else {
                    break;
                };
                let name = name_of(&last);
                println!("Rolling back migration {name}");
                conn.revert_last_migration(source.clone())
                    .map_err(|e| failed(&name, e))?;
                reverted.push(name);
            }
            for name in reverted.iter().rev() {
                let migration = all
                    .iter()
                    .find(|m| m.name().to_string() == *name)
                    .ok_or_else(|| failed(name, "not found in the migrations directory"))?;
                println!("Running migration {name}");
                conn.run_migration(migration).map_err(|e| failed(name, e))?;
            }
        }
        Action::List => {
            let done = applied(conn)?;
            println!("Migrations:");
            for m in &all {
                let mark = if done.contains(&m.name().version()) {
                    "X"
                } else {
                    " "
                };
                println!("  [{mark}] {}", m.name());
            }
        }
        Action::Pending => {
            let pending = conn
                .has_pending_migration(source)
                .map_err(|e| CliError::Query(e.to_string()))?;
            println!("{pending}");
        }
        Action::Generate { .. } => unreachable!("handled without a connection"),
    }
    Ok(())
}

/// `migration generate NAME`: diesel's directory naming and file templates.
pub fn generate(dir: &Path, name: &str) -> Result<(), CliError> {
    if name.is_empty() || name.contains(['/', '\\']) {
        return Err(CliError::Config(format!("invalid migration name `{name}`")));
    }
    let stamp = chrono::Utc::now().format("%Y-%m-%d-%H%M%S");
    let path = dir.join(format!("{stamp}_{name}"));
    std::fs::create_dir_all(&path)
        .map_err(|e| CliError::Io(format!("cannot create {}: {e}", path.display())))?;
    for (file, text) in [
        ("up.sql", "-- Your SQL goes here\n"),
        (
            "down.sql",
            "-- This file should undo anything in `up.sql`\n",
        ),
    ] {
        let file = path.join(file);
        println!("Creating {}", file.display());
        std::fs::write(&file, text)
            .map_err(|e| CliError::Io(format!("cannot write {}: {e}", file.display())))?;
    }
    Ok(())
}
