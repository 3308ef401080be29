//! `migration run | revert | redo | list | pending | generate`, with diesel's migrations
//! directory layout and bookkeeping table (`__diesel_schema_migrations`), so this tool and
//! `diesel` can be used on the same database.

use std::fmt::Display;
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use clap::Subcommand;
use diesel::backend::Backend;
use diesel::migration::{Migration, MigrationSource, MigrationVersion};
use diesel_migrations::{FileBasedMigrations, MigrationError, MigrationHarness};

use crate::connect::AnyConnection;
use crate::error::{from_harness, CliError};
use crate::progress;

/// What to do with the migrations.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Run all pending migrations.
    Run,
    /// Revert the last migration (or `-n` of them, or `--all`).
    Revert {
        /// Revert every applied migration.
        #[arg(long, short = 'a', conflicts_with = "number")]
        all: bool,
        /// How many to revert.
        #[arg(short = 'n', long = "number", default_value_t = 1)]
        number: u64,
    },
    /// Revert and run again the last migration (or `-n` of them, or `--all`).
    Redo {
        /// Redo every applied migration.
        #[arg(long, short = 'a', conflicts_with = "number")]
        all: bool,
        /// How many to redo.
        #[arg(short = 'n', long = "number", default_value_t = 1)]
        number: u64,
    },
    /// List migrations, `[X]` applied, `[ ]` pending.
    List,
    /// Print `true` when migrations are pending, `false` otherwise.
    Pending,
    /// Create `<dir>/<timestamp>-<counter>_<name>/{up,down}.sql`, as diesel 2.3 does.
    Generate {
        /// Name of the migration.
        name: String,
        /// The version to use instead of the current time (`YYYY-MM-DD-HHMMSS-NNNN`); it must
        /// not be the prefix of an existing migration's directory name.
        #[arg(long, value_name = "VERSION")]
        version: Option<String>,
        /// Do not create `down.sql` (the migration cannot be reverted or redone).
        #[arg(short = 'u', long)]
        no_down: bool,
        /// The migration format (only `sql`).
        #[arg(long, value_parser = ["sql"], default_value = "sql")]
        format: String,
        /// diesel_cli's schema.rs diff; not supported here (see the error it gives).
        #[arg(long, value_name = "SCHEMA_RS", num_args = 0..=1, require_equals = true, default_missing_value = "NOT_SET")]
        diff_schema: Option<String>,
        /// Only with --diff-schema.
        #[arg(value_name = "TABLE_NAME", hide = true)]
        table_names: Vec<String>,
        /// Only with --diff-schema.
        #[arg(long, short = 'o', hide = true)]
        only_tables: bool,
        /// Only with --diff-schema.
        #[arg(long, short = 'e', hide = true)]
        except_tables: bool,
        /// Only with --diff-schema.
        #[arg(long, hide = true)]
        schema_key: Vec<String>,
        /// Only with --diff-schema.
        #[arg(long, hide = true)]
        sqlite_integer_primary_key_is_bigint: bool,
    },
}

fn source(dir: &Path) -> Result<FileBasedMigrations, CliError> {
    FileBasedMigrations::from_path(dir)
        .map_err(|e| CliError::Io(format!("cannot read migrations in {}: {e}", dir.display())))
}

/// Runs `action` on `conn` with the migrations in `dir`.
pub fn run(conn: &mut AnyConnection, dir: &Path, action: &Action) -> Result<(), CliError> {
    let migrations = source(dir)?;
    match conn {
        AnyConnection::Pg(conn) => act(conn, migrations, action),
        AnyConnection::Mysql(conn) => act(conn, migrations, action),
    }
}

/// A failed migration, named once: diesel_migrations' "Failed to run NAME with: " is cut.
fn failed(name: impl Display, e: &(dyn std::error::Error + Send + Sync + 'static)) -> CliError {
    let name = name.to_string();
    if let Some(d) = e.downcast_ref::<diesel::result::Error>() {
        // An error outside the migration's SQL (e.g. the endpoint went away).
        if let err @ (CliError::Connection(_) | CliError::Config(_)) =
            crate::error::from_diesel(clone_error(d))
        {
            return err;
        }
    }
    let text = e.to_string();
    let prefix = format!("Failed to run {name} with: ");
    let message = text.strip_prefix(&prefix).unwrap_or(&text);
    CliError::Migration {
        migration: name,
        message: message.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

fn clone_error(e: &diesel::result::Error) -> diesel::result::Error {
    match e {
        diesel::result::Error::DatabaseError(kind, info) => {
            diesel::result::Error::DatabaseError(*kind, Box::new(info.message().to_string()))
        }
        other => diesel::result::Error::QueryBuilderError(other.to_string().into()),
    }
}

fn run_one<DB, C>(conn: &mut C, migration: &dyn Migration<DB>) -> Result<(), CliError>
where
    DB: Backend,
    C: MigrationHarness<DB>,
{
    let name = migration.name().to_string();
    println!("Running migration {name}");
    let started = Instant::now();
    progress::migration_started("running", &name);
    conn.run_migration(migration)
        .map_err(|e| failed(&name, &*e))?;
    progress::migration_finished("ran", &name, started.elapsed());
    Ok(())
}

fn revert_one<DB, C>(conn: &mut C, source: &FileBasedMigrations, name: &str) -> Result<(), CliError>
where
    DB: Backend,
    C: MigrationHarness<DB>,
    FileBasedMigrations: MigrationSource<DB>,
{
    println!("Rolling back migration {name}");
    let started = Instant::now();
    progress::migration_started("reverting", name);
    conn.revert_last_migration(source.clone())
        .map_err(|e| failed(name, &*e))?;
    progress::migration_finished("reverted", name, started.elapsed());
    Ok(())
}

fn act<DB, C>(conn: &mut C, source: FileBasedMigrations, action: &Action) -> Result<(), CliError>
where
    DB: Backend,
    C: MigrationHarness<DB>,
    FileBasedMigrations: MigrationSource<DB>,
{
    let mut all = MigrationSource::<DB>::migrations(&source)
        .map_err(|e| from_harness("cannot read the migrations directory", &*e))?;
    all.sort_by_key(|m| m.name().version().as_owned());
    let name_of = |version: &MigrationVersion<'_>| {
        all.iter()
            .find(|m| m.name().version() == *version)
            .map(|m| m.name().to_string())
    };
    let applied = |conn: &mut C| -> Result<Vec<MigrationVersion<'static>>, CliError> {
        conn.applied_migrations()
            .map_err(|e| from_harness("cannot read applied migrations", &*e))
    };
    // The last applied migration's name, or `None` when nothing is applied; an applied
    // version missing from the directory is an error, as in diesel.
    let last_applied = |conn: &mut C| -> Result<Option<String>, CliError> {
        let Some(last) = applied(conn)?.into_iter().next() else {
            return Ok(None);
        };
        name_of(&last).map(Some).ok_or_else(|| {
            CliError::Io(format!(
                "{}",
                MigrationError::UnknownMigrationVersion(last.as_owned())
            ))
        })
    };
    match action {
        Action::Run => {
            let done = applied(conn)?;
            for migration in all.iter().filter(|m| !done.contains(&m.name().version())) {
                run_one(conn, &**migration)?;
            }
        }
        Action::Revert { all: every, number } => {
            let count = if *every {
                applied(conn)?.len() as u64
            } else {
                *number
            };
            for _ in 0..count {
                let Some(name) = last_applied(conn)? else {
                    break;
                };
                revert_one(conn, &source, &name)?;
            }
        }
        Action::Redo { all: every, number } => {
            let count = if *every {
                applied(conn)?.len() as u64
            } else {
                *number
            };
            let mut reverted = Vec::new();
            for _ in 0..count {
                let Some(name) = last_applied(conn)? else {
                    break;
                };
                revert_one(conn, &source, &name)?;
                reverted.push(name);
            }
            for name in reverted.iter().rev() {
                let migration = all
                    .iter()
                    .find(|m| m.name().to_string() == *name)
                    .expect("reverted migrations come from the directory");
                run_one(conn, &**migration)?;
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
            let done = applied(conn)?;
            let pending = all.iter().any(|m| !done.contains(&m.name().version()));
            println!("{pending}");
        }
        Action::Generate { .. } => unreachable!("handled without a connection"),
    }
    Ok(())
}

/// The version diesel_cli 2.3 puts before the name: `YYYY-MM-DD-HHMMSS`, to which a
/// four-hex-digit counter is added.
const TIMESTAMP_FORMAT: &str = "%Y-%m-%d-%H%M%S";

/// `migration generate NAME`: diesel 2.3's directory naming (`<timestamp>-<NNNN>_<name>`,
/// the counter making versions generated in one second distinct), its checks (an explicit
/// `--version` must not be a prefix of an existing directory name; the directory must not
/// exist) and file templates.
pub fn generate(
    dir: &Path,
    name: &str,
    version: Option<&str>,
    with_down: bool,
) -> Result<PathBuf, CliError> {
    if name.is_empty() || name.contains(['/', '\\']) {
        return Err(CliError::Config(format!("invalid migration name `{name}`")));
    }
    if !dir.exists() {
        // diesel fails here (`diesel setup` creates the directory); there is no setup here.
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    let existing: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| CliError::Io(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let taken = |v: &str| existing.iter().any(|f| f.starts_with(v));
    let version = match version {
        Some(v) => {
            if taken(v) {
                return Err(CliError::Config(format!(
                    "Specified migration version `{v}` already exists inside `{}`",
                    dir.display()
                )));
            }
            v.to_string()
        }
        None => {
            let stamp = chrono::Utc::now().format(TIMESTAMP_FORMAT).to_string();
            (0..=u16::MAX)
                .map(|n| format!("{stamp}-{n:04x}"))
                .find(|v| !taken(v))
                .ok_or_else(|| {
                    CliError::Io(format!(
                        "Tried to generate too many migrations with the same version `{stamp}` - Migrations folder is `{}`",
                        dir.display()
                    ))
                })?
        }
    };
    let path = dir.join(format!("{version}_{name}"));
    // `create_dir`, not `create_dir_all`: a directory that appeared meanwhile is an error,
    // never silently reused.
    std::fs::create_dir(&path)
        .map_err(|e| CliError::Io(format!("cannot create {}: {e}", path.display())))?;
    let shown = relative_to_cwd(&path);
    let mut files = vec![("up.sql", "-- Your SQL goes here\n")];
    if with_down {
        files.push((
            "down.sql",
            "-- This file should undo anything in `up.sql`\n",
        ));
    }
    for (file, text) in files {
        println!("Creating {}", shown.join(file).display());
        let file = path.join(file);
        std::fs::write(&file, text)
            .map_err(|e| CliError::Io(format!("cannot write {}: {e}", file.display())))?;
    }
    Ok(path)
}

/// diesel_cli's `convert_absolute_path_to_relative(target, cwd)`: how it prints the created
/// files.
fn relative_to_cwd(target: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return target.to_path_buf();
    };
    let abs_target = target.canonicalize().unwrap_or_else(|_| target.to_owned());
    let abs_current = cwd.canonicalize().unwrap_or(cwd);
    let mut target_components = abs_target.components();
    let mut current_components = abs_current.components();
    let mut components: Vec<Component<'_>> = Vec::new();
    loop {
        match (target_components.next(), current_components.next()) {
            (None, None) => break,
            (Some(t), None) => {
                components.push(t);
                components.extend(target_components);
                break;
            }
            (None, _) => components.push(Component::ParentDir),
            (Some(t), Some(c)) if components.is_empty() && t == c => {}
            (Some(t), Some(Component::CurDir)) => components.push(t),
            (Some(t), Some(_)) => {
                components.push(Component::ParentDir);
                components.extend(current_components.map(|_| Component::ParentDir));
                components.push(t);
                components.extend(target_components);
                break;
            }
        }
    }
    components.iter().map(|c| c.as_os_str()).collect()
}
