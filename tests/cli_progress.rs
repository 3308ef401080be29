//! What the CLI says while it waits, on stderr, against data-api-local's resume fault (an
//! auto-paused cluster answering DatabaseResumingException): a line per retry wait with the
//! time waited and the budget, a line per migration started and finished, none with
//! `--quiet`, the library's own log with `-v`.

mod common;

use std::process::{Command, Output};

use common::*;
use data_api_local::FaultConfig;

const BIN: &str = env!("CARGO_BIN_EXE_aurora-data-api");

fn cli(url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .env_remove("DIESEL_CONFIG_FILE")
        .env_remove("MIGRATION_DIRECTORY")
        .env("AWS_ACCESS_KEY_ID", "local")
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run aurora-data-api")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn resuming(calls: u32) -> FaultConfig {
    FaultConfig {
        resuming_calls: calls,
        ..Default::default()
    }
}

const WAITS: [&str; 3] = [
    "waiting: the database is resuming after an auto-pause (DatabaseResumingException); retrying ExecuteStatement in 0.25 s (attempt 2, waited 0.00 s of up to 40.0 s)",
    "waiting: the database is resuming after an auto-pause (DatabaseResumingException); retrying ExecuteStatement in 0.50 s (attempt 3, waited 0.25 s of up to 40.0 s)",
    "waiting: the database is resuming after an auto-pause (DatabaseResumingException); retrying ExecuteStatement in 1.0 s (attempt 4, waited 0.75 s of up to 40.0 s)",
];

#[test]
fn resume_waits_and_migrations_are_reported_on_stderr() {
    // A server of its own: its faults touch no other test.
    let (_rt, server, url) = custom_pg_server("dataapi_cli_progress", |c| c.faults = resuming(3));

    // `sql`: three waits, then the result.
    let out = cli(&url, &["sql", "SELECT 1 AS n"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), " n \n---\n 1 \n(1 row)\n");
    assert_eq!(text(&out.stderr), format!("{}\n", WAITS.join("\n")));
    assert_eq!(server.fault_counts().resuming, 3);

    // Migrations: the waits (on the engine probe, the first call), then a line per migration
    // started and finished with its duration.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    for (version, table) in [
        ("2024-06-01-000000", "progress_a"),
        ("2024-06-02-000000", "progress_b"),
    ] {
        let m = dir.join(format!("{version}_{table}"));
        std::fs::create_dir_all(&m).unwrap();
        std::fs::write(
            m.join("up.sql"),
            format!("CREATE TABLE {table} (id int);\n"),
        )
        .unwrap();
        std::fs::write(m.join("down.sql"), format!("DROP TABLE {table};\n")).unwrap();
    }
    let dir = dir.to_str().unwrap();
    server.set_faults(FaultConfig::default());
    let _ = cli(
        &url,
        &["-q", "migration", "--migration-dir", dir, "revert", "--all"],
    );
    server.set_faults(resuming(3));
    let out = cli(&url, &["migration", "--migration-dir", dir, "run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 7, "{stderr}");
    assert_eq!(lines[..3], WAITS, "{stderr}");
    assert_eq!(lines[3], "migration 2024-06-01-000000_progress_a: running");
    assert!(
        lines[4].starts_with("migration 2024-06-01-000000_progress_a: ran in ")
            && lines[4].ends_with(" s"),
        "{stderr}"
    );
    assert_eq!(lines[5], "migration 2024-06-02-000000_progress_b: running");
    assert!(
        lines[6].starts_with("migration 2024-06-02-000000_progress_b: ran in "),
        "{stderr}"
    );
    assert_eq!(
        text(&out.stdout),
        "Running migration 2024-06-01-000000_progress_a\nRunning migration 2024-06-02-000000_progress_b\n"
    );

    // Reverting says so too.
    let out = cli(&url, &["migration", "--migration-dir", dir, "revert"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("migration 2024-06-02-000000_progress_b: reverting\nmigration 2024-06-02-000000_progress_b: reverted in "),
        "{:?} {stderr} {}", out.status, text(&out.stdout)
    );

    // --quiet: nothing on stderr, the waits happen all the same.
    server.set_faults(resuming(2));
    let out = cli(
        &url,
        &["--quiet", "migration", "--migration-dir", dir, "run"],
    );
    assert!(out.status.success());
    assert_eq!(text(&out.stderr), "");
    assert_eq!(
        text(&out.stdout),
        "Running migration 2024-06-02-000000_progress_b\n"
    );

    // -v: the library's tracing output as well (its retry warning, its debug spans).
    server.set_faults(resuming(1));
    let out = cli(&url, &["-v", "sql", "SELECT 1 AS n"]);
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Data API call failed; retrying"),
        "{stderr}"
    );
    assert!(stderr.contains("Data API call succeeded"), "{stderr}");
    assert!(stderr.contains(WAITS[0]), "{stderr}");

    server.set_faults(FaultConfig::default());
    let _ = cli(
        &url,
        &["-q", "migration", "--migration-dir", dir, "revert", "--all"],
    );
}
