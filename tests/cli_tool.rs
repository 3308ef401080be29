//! The `aurora-data-api` binary as a subprocess against the local Data API server (running in
//! this test process) on PostgreSQL and MariaDB: migrations run → list → revert → redo,
//! `sql` output, `migration generate`, and every error path with its exit code.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_aurora-data-api");

fn cli(url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("AURORA_CLUSTER_ARN")
        .env_remove("AURORA_SECRET_ARN")
        .env_remove("AWS_ENDPOINT_URL_RDS_DATA")
        // Static credentials, as a user of the local server would set: no credential-chain probing.
        .env("AWS_ACCESS_KEY_ID", "local")
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run aurora-data-api")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

fn migration_cycle(url: &str, dir: &str) {
    let dir_args = ["migration", "--migration-dir", dir];
    let run = ok(&cli(url, &[&dir_args[..], &["run"]].concat()));
    assert_eq!(
        run,
        "Running migration 2024-01-01-000001_create_library\nRunning migration 2024-01-02-000001_add_reviews\n"
    );
    let list = ok(&cli(url, &[&dir_args[..], &["list"]].concat()));
    assert_eq!(list, "Migrations:\n  [X] 2024-01-01-000001_create_library\n  [X] 2024-01-02-000001_add_reviews\n");
    assert_eq!(
        ok(&cli(url, &[&dir_args[..], &["pending"]].concat())),
        "false\n"
    );
    let revert = ok(&cli(url, &[&dir_args[..], &["revert"]].concat()));
    assert_eq!(
        revert,
        "Rolling back migration 2024-01-02-000001_add_reviews\n"
    );
    assert_eq!(
        ok(&cli(url, &[&dir_args[..], &["pending"]].concat())),
        "true\n"
    );
    let list = ok(&cli(url, &[&dir_args[..], &["list"]].concat()));
    assert_eq!(list, "Migrations:\n  [X] 2024-01-01-000001_create_library\n  [ ] 2024-01-02-000001_add_reviews\n");
    ok(&cli(url, &[&dir_args[..], &["run"]].concat()));
    let redo = ok(&cli(url, &[&dir_args[..], &["redo", "-n", "2"]].concat()));
    assert_eq!(
        redo,
        "Rolling back migration 2024-01-02-000001_add_reviews\nRolling back migration 2024-01-01-000001_create_library\nRunning migration 2024-01-01-000001_create_library\nRunning migration 2024-01-02-000001_add_reviews\n"
    );
    let all = ok(&cli(url, &[&dir_args[..], &["revert", "--all"]].concat()));
    assert_eq!(all.lines().count(), 2, "{all}");
}

#[test]
fn postgres_migrations_and_sql() {
    let db = "dataapi_cli_pg";
    let url = pg_url(db);
    // Start clean whatever an earlier run left.
    let _ = cli(
        &url,
        &[
            "migration",
            "--migration-dir",
            "migrations-example/postgres",
            "revert",
            "--all",
        ],
    );
    migration_cycle(&url, "migrations-example/postgres");

    let table = ok(&cli(
        &url,
        &[
            "sql",
            "SELECT 1 AS n, 'two' AS word, NULL::int AS nothing, 2.50::numeric AS price",
        ],
    ));
    assert_eq!(table, " n | word | nothing | price \n---+------+---------+-------\n 1 | two  | NULL    | 2.50  \n(1 row)\n");
    let json = ok(&cli(
        &url,
        &["sql", "--json", "SELECT 1 AS n, ARRAY['a', NULL] AS arr"],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v, serde_json::json!([{"n": 1, "arr": ["a", null]}]));
    let affected = ok(&cli(
        &url,
        &["sql", "CREATE TEMP TABLE IF NOT EXISTS t (id int)"],
    ));
    assert_eq!(affected, "0 row(s) affected\n");
}

#[test]
fn mysql_migrations_with_detected_engine() {
    let db = "dataapi_cli_my";
    reset_mysql_database(db);
    let url = mysql_url(db);
    migration_cycle(&url, "migrations-example/mysql");
    let out = ok(&cli(&url, &["sql", "SELECT CAST(5 AS UNSIGNED) AS five"]));
    assert_eq!(out, " five \n------\n 5    \n(1 row)\n");
}

#[test]
fn generate_creates_diesel_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let out = Command::new(BIN)
        .args(["migration", "--migration-dir"])
        .arg(&dir)
        .args(["generate", "add_things"])
        .output()
        .unwrap();
    let stdout = ok(&out);
    let created: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(created.len(), 1);
    let name = created[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(
        name.ends_with("_add_things") && name.len() == "2024-01-01-000000_add_things".len(),
        "{name}"
    );
    assert!(Path::new(&created[0]).join("up.sql").exists() && created[0].join("down.sql").exists());
    assert!(
        stdout.contains("up.sql") && stdout.contains("down.sql"),
        "{stdout}"
    );
}

#[test]
fn bad_url_is_a_configuration_error() {
    let out = cli("postgres://localhost/db", &["sql", "SELECT 1"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("invalid Data API connection URL"),
        "{}",
        text(&out.stderr)
    );
    let out = Command::new(BIN)
        .args(["sql", "SELECT 1"])
        .env_remove("DATABASE_URL")
        .env_remove("AURORA_CLUSTER_ARN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no cluster ARN"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn unreachable_endpoint_is_a_connection_error() {
    let url = format!("dataapi://x?cluster_arn={PG_ARN}&secret_arn={SECRET_ARN}&region=us-east-1&endpoint=http://127.0.0.1:9");
    for args in [
        &["sql", "SELECT 1"][..],
        &[
            "migration",
            "--migration-dir",
            "migrations-example/postgres",
            "list",
        ],
    ] {
        let out = cli(&url, args);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("cannot reach the Data API"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn failed_migration_names_migration_statement_and_message() {
    let db = "dataapi_cli_fail";
    let url = pg_url(db);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let m = dir.join("2024-03-01-000000_broken");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(
        m.join("up.sql"),
        "CREATE TABLE broken_ok (id int);\nCREATE TABLE broken_bad (id nosuchtype);\n",
    )
    .unwrap();
    std::fs::write(m.join("down.sql"), "DROP TABLE broken_ok;\n").unwrap();
    let out = cli(
        &url,
        &["migration", "--migration-dir", dir.to_str().unwrap(), "run"],
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("migration 2024-03-01-000000_broken failed"),
        "{err}"
    );
    assert!(err.contains("type \"nosuchtype\" does not exist"), "{err}");
    assert!(
        err.contains("statement 2 of 2: CREATE TABLE broken_bad"),
        "{err}"
    );
    // It ran in a transaction: nothing of it is left.
    let out = ok(&cli(
        &url,
        &[
            "sql",
            "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'broken_ok'",
        ],
    ));
    assert!(out.contains(" 0 "), "{out}");
}

#[test]
fn failed_sql_is_a_query_error() {
    let out = cli(
        &pg_url("dataapi_cli_pg"),
        &["sql", "SELECT * FROM no_such_table_here"],
    );
    assert_eq!(out.status.code(), Some(5));
    assert!(
        text(&out.stderr).contains("relation \"no_such_table_here\" does not exist"),
        "{}",
        text(&out.stderr)
    );
}
