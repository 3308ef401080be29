//! The `aurora-data-api` binary as a subprocess against the local Data API server (running in
//! this test process) on PostgreSQL and MariaDB: migrations run → list → revert → redo,
//! `sql` output, `migration generate` (diesel 2.3 naming), help, and every error path with
//! its exit code and its one-line message.

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

/// `migration generate` in `dir` (no database needed).
fn generate(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(cwd)
        .args(["migration", "generate"])
        .args(args)
        .env_remove("MIGRATION_DIRECTORY")
        .env_remove("DIESEL_CONFIG_FILE")
        .output()
        .unwrap()
}

fn dirs_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn files_in(dir: &Path) -> Vec<String> {
    dirs_in(dir)
}

#[test]
fn generate_names_like_diesel_2_3() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let stdout = ok(&generate(cwd, &["add_things"]));
    let created = dirs_in(&cwd.join("migrations"));
    assert_eq!(created.len(), 1);
    let name = &created[0];
    // YYYY-MM-DD-HHMMSS-NNNN_name, the counter in hex.
    assert_eq!(
        name.len(),
        "2024-01-01-000000-0000_add_things".len(),
        "{name}"
    );
    assert!(name.ends_with("-0000_add_things"), "{name}");
    assert!(
        name[..17].chars().all(|c| c.is_ascii_digit() || c == '-'),
        "{name}"
    );
    assert_eq!(
        stdout,
        format!("Creating migrations/{name}/up.sql\nCreating migrations/{name}/down.sql\n")
    );
    let dir = cwd.join("migrations").join(name);
    assert_eq!(files_in(&dir), ["down.sql", "up.sql"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("up.sql")).unwrap(),
        "-- Your SQL goes here\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("down.sql")).unwrap(),
        "-- This file should undo anything in `up.sql`\n"
    );
}

#[test]
fn generate_in_the_same_second_gets_distinct_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let migrations = cwd.join("migrations");
    // Occupy the `-0000` version of this second and the next few, so the generations below
    // fall in an occupied second whatever the clock does meanwhile.
    let now = chrono::Utc::now();
    for s in 0..5 {
        let stamp = (now + chrono::Duration::seconds(s)).format("%Y-%m-%d-%H%M%S");
        std::fs::create_dir_all(migrations.join(format!("{stamp}-0000_taken"))).unwrap();
    }
    ok(&generate(cwd, &["same"]));
    ok(&generate(cwd, &["same"]));
    let ours: Vec<String> = dirs_in(&migrations)
        .into_iter()
        .filter(|n| n.ends_with("_same"))
        .collect();
    assert_eq!(ours.len(), 2, "{ours:?}");
    // Each got a counter after the one taken: two directories, none overwritten.
    for name in &ours {
        assert!(
            name.ends_with("-0001_same") || name.ends_with("-0002_same"),
            "{ours:?}"
        );
    }
    if ours[0][..17] == ours[1][..17] {
        assert!(ours[0].ends_with("-0001_same") && ours[1].ends_with("-0002_same"));
    }
}

#[test]
fn generate_no_down_version_and_diff_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    // --no-down (-u): up.sql only.
    let stdout = ok(&generate(cwd, &["--no-down", "up_only"]));
    let name = dirs_in(&cwd.join("migrations")).remove(0);
    assert_eq!(stdout, format!("Creating migrations/{name}/up.sql\n"));
    assert_eq!(files_in(&cwd.join("migrations").join(&name)), ["up.sql"]);
    // --version: used as given, no counter.
    let stdout = ok(&generate(cwd, &["--version", "20240101", "pinned"]));
    assert_eq!(
        stdout,
        "Creating migrations/20240101_pinned/up.sql\nCreating migrations/20240101_pinned/down.sql\n"
    );
    // ... and refused when a directory already starts with it, as diesel does.
    let out = generate(cwd, &["--version", "20240101", "again"]);
    assert_eq!(out.status.code(), Some(2));
    let migrations = cwd.canonicalize().unwrap().join("migrations");
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: configuration: Specified migration version `20240101` already exists inside `{}`\n",
            migrations.display()
        )
    );
    assert!(!migrations.join("20240101_again").exists());
    // --diff-schema needs diesel's schema.rs parser: a clear refusal.
    let out = generate(cwd, &["--diff-schema", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: configuration: --diff-schema is not supported: it needs diesel_cli's schema.rs \
         parser and SQL generator, which this tool does not include; write up.sql / down.sql by \
         hand, or run `diesel migration generate --diff-schema` against a direct database \
         connection\n"
    );
    let out = generate(cwd, &["--diff-schema=src/schema.rs", "x"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The case of the issue: two migrations generated in one second are two versions, both
/// applied and listed.
#[test]
fn same_second_migrations_both_run() {
    let url = pg_url("dataapi_cli_gen");
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let migrations = cwd.join("migrations");
    let now = chrono::Utc::now();
    for s in 0..5 {
        let stamp = (now + chrono::Duration::seconds(s)).format("%Y-%m-%d-%H%M%S");
        // A version of this second, applied first.
        let d = migrations.join(format!("{stamp}-0000_base{s}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("up.sql"), "SELECT 1;\n").unwrap();
        std::fs::write(d.join("down.sql"), "SELECT 1;\n").unwrap();
    }
    ok(&generate(cwd, &["cli_gen_a"]));
    ok(&generate(cwd, &["cli_gen_b"]));
    for (name, table) in [("cli_gen_a", "cli_gen_a"), ("cli_gen_b", "cli_gen_b")] {
        let d = dirs_in(&migrations)
            .into_iter()
            .find(|n| n.ends_with(name))
            .unwrap();
        std::fs::write(
            migrations.join(&d).join("up.sql"),
            format!("CREATE TABLE {table} (id int);\n"),
        )
        .unwrap();
        std::fs::write(
            migrations.join(&d).join("down.sql"),
            format!("DROP TABLE {table};\n"),
        )
        .unwrap();
    }
    let dir = migrations.to_str().unwrap();
    let _ = cli(
        &url,
        &["migration", "--migration-dir", dir, "revert", "--all"],
    );
    let run = ok(&cli(&url, &["migration", "--migration-dir", dir, "run"]));
    assert_eq!(run.lines().count(), 7, "{run}");
    let list = ok(&cli(&url, &["migration", "--migration-dir", dir, "list"]));
    assert_eq!(list.matches("[X]").count(), 7, "{list}");
    assert!(!list.contains("[ ]"), "{list}");
    let out = ok(&cli(
        &url,
        &[
            "sql",
            "SELECT count(*) AS n FROM pg_tables WHERE tablename IN ('cli_gen_a', 'cli_gen_b')",
        ],
    ));
    assert!(out.contains(" 2 "), "{out}");
    ok(&cli(
        &url,
        &["migration", "--migration-dir", dir, "revert", "--all"],
    ));
}

#[test]
fn connection_options_are_described_once_at_the_top() {
    let help = |args: &[&str]| ok(&Command::new(BIN).args(args).output().unwrap());
    let top = help(&["--help"]);
    for flag in [
        "--database-url",
        "--cluster-arn",
        "--secret-arn",
        "--database ",
        "--region",
        "--endpoint-url",
        "--engine",
        "--config-file",
        "--locked-schema",
        "--verbose",
        "--quiet",
    ] {
        let flag = flag.trim();
        let described = top
            .lines()
            .map(|l| l.trim_start())
            .filter(|l| {
                l.split([' ', ',']).any(|w| w.trim_end_matches('.') == flag) && l.starts_with('-')
            })
            .count();
        assert_eq!(described, 1, "{flag} in:\n{top}");
    }
    for sub in [
        &["migration", "--help"][..],
        &["migration", "run", "--help"],
        &["migration", "generate", "--help"],
        &["print-schema", "--help"],
        &["sql", "--help"],
    ] {
        let text = help(sub);
        for flag in [
            "--database-url <",
            "--cluster-arn <",
            "--endpoint-url <",
            "--quiet",
        ] {
            assert!(!text.contains(flag), "{flag} in {sub:?}:\n{text}");
        }
        assert!(
            text.contains("Connection options (--database-url, --cluster-arn, …), --config-file, --locked-schema, -v and -q: see `aurora-data-api --help`."),
            "{sub:?}:\n{text}"
        );
    }
}

#[test]
fn connection_options_work_after_the_subcommand() {
    let url = pg_url("dataapi_cli_pg");
    let out = Command::new(BIN)
        .args(["sql", "SELECT 7 AS n", "--database-url", &url, "-q"])
        .env_remove("DATABASE_URL")
        .env("AWS_ACCESS_KEY_ID", "local")
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .output()
        .unwrap();
    assert_eq!(ok(&out), " n \n---\n 7 \n(1 row)\n");
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
fn unreachable_endpoint_is_one_line_with_the_fix() {
    let url = format!("dataapi://x?cluster_arn={PG_ARN}&secret_arn={SECRET_ARN}&region=us-east-1&endpoint=http://127.0.0.1:9");
    for args in [
        &["sql", "SELECT 1"][..],
        &[
            "migration",
            "--migration-dir",
            "migrations-example/postgres",
            "list",
        ],
        &[
            "--engine",
            "postgres",
            "migration",
            "--migration-dir",
            "migrations-example/postgres",
            "run",
        ],
        &["print-schema"],
    ] {
        let out = cli(&url, args);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(
            text(&out.stderr),
            "error: cannot reach the Data API at http://127.0.0.1:9: connection refused; check \
             --endpoint-url / AWS_ENDPOINT_URL_RDS_DATA and that the server is running\n",
            "{args:?}"
        );
    }
}

#[test]
fn unknown_cluster_is_a_configuration_error() {
    let url =
        pg_url("dataapi_cli_pg").replace(PG_ARN, "arn:aws:rds:us-east-1:123456789012:cluster:nope");
    for args in [
        &["sql", "SELECT 1"][..],
        &[
            "migration",
            "--migration-dir",
            "migrations-example/postgres",
            "list",
        ],
        &["--engine", "postgres", "print-schema"],
    ] {
        let out = cli(&url, args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(
            text(&out.stderr),
            "error: configuration: the Data API does not know the cluster \
             `arn:aws:rds:us-east-1:123456789012:cluster:nope` (NotFoundException: Unable to find \
             resource arn:aws:rds:us-east-1:123456789012:cluster:nope: the HTTP endpoint is not \
             enabled for it or it does not exist); check --cluster-arn (or the URL's \
             cluster_arn), the region, and that the Data API (HTTP endpoint) is enabled on the \
             cluster\n",
            "{args:?}"
        );
    }
}

#[test]
fn unknown_secret_is_a_configuration_error() {
    // A server that knows one secret only.
    let (_rt, _server, url) = custom_pg_server("dataapi_cli_pg", |c| {
        c.clusters[0].secrets.insert(
            SECRET_ARN.to_string(),
            data_api_local::SecretCredentials {
                username: "postgres".into(),
                password: String::new(),
            },
        );
    });
    ok(&cli(&url, &["sql", "SELECT 1"]));
    let other = "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-XyZ";
    let url = url.replace(SECRET_ARN, other);
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
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(
            text(&out.stderr),
            format!(
                "error: configuration: the Data API cannot use the secret `{other}` \
                 (BadRequestException: Error fetching secret {other} : Secrets Manager can't \
                 find the specified secret.); check --secret-arn (or the URL's secret_arn) and \
                 that the secret holds the database user's credentials\n"
            ),
            "{args:?}"
        );
    }
}

#[test]
fn unknown_database_is_a_configuration_error() {
    let pg = pg_url("dataapi_cli_pg").replace(
        "dataapi://dataapi_cli_pg?",
        "dataapi://dataapi_cli_no_such_db?",
    );
    let my = mysql_url("dataapi_cli_my").replace(
        "dataapi://dataapi_cli_my?",
        "dataapi://dataapi_cli_no_such_db?",
    );
    for (url, cause) in [
        (&pg, "database \"dataapi_cli_no_such_db\" does not exist"),
        (&my, "Unknown database 'dataapi_cli_no_such_db'"),
    ] {
        for args in [
            &["sql", "SELECT 1"][..],
            &[
                "migration",
                "--migration-dir",
                "migrations-example/postgres",
                "list",
            ],
        ] {
            let out = cli(url, args);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{args:?}: {}",
                text(&out.stderr)
            );
            assert_eq!(
                text(&out.stderr),
                format!(
                    "error: configuration: the database `dataapi_cli_no_such_db` does not exist \
                     on the cluster ({cause}); check --database (or the URL's database name), or \
                     create it\n"
                ),
                "{args:?}"
            );
        }
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
        &[
            "-q",
            "migration",
            "--migration-dir",
            dir.to_str().unwrap(),
            "run",
        ],
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    // Named once: migration, database message, statement.
    assert_eq!(
        text(&out.stderr),
        "error: migration 2024-03-01-000000_broken failed: type \"nosuchtype\" does not exist \
         (statement 2 of 2: CREATE TABLE broken_bad (id nosuchtype))\n"
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
    assert_eq!(text(&out.stderr).lines().count(), 1);
}
