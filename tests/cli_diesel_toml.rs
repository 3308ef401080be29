//! `diesel.toml` handling, checked against diesel_cli: `aurora-data-api` runs in a copy of a
//! project (tests/golden/toml_pg/, toml_my/) as diesel_cli 2.3.14 did in
//! tests/golden/regenerate.sh, and the schema files it writes after `migration run`, `revert`
//! and `redo` (and what `print-schema` prints there) must be the ones diesel wrote, byte for
//! byte. The projects exercise `[print_schema]` keys (`file`, `custom_type_derives`,
//! `with_docs`, `column_sorting`, `import_types`, `patch_file`, `filter`,
//! `allow_tables_to_appear_in_same_query_config`, `generate_missing_sql_type_definitions`),
//! a keyed `[print_schema.library]` section, `[migrations_directory]`, `MIGRATION_DIRECTORY`
//! and `--locked-schema`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aurora_data_api::pg::DataApiPgConnection;
use common::*;
use diesel::connection::SimpleConnection;
use diesel::Connection;

const BIN: &str = env!("CARGO_BIN_EXE_aurora-data-api");
const PG_DB: &str = "dataapi_cli_toml_pg";
const MY_DB: &str = "dataapi_cli_toml_my";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of tests/golden/`fixture` (and of migrations-example/`example` as `migrations/`).
fn project(fixture: &str, example: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/golden").join(fixture), dir.path());
    if let Some(example) = example {
        copy_dir(
            &root().join("migrations-example").join(example),
            &dir.path().join("migrations"),
        );
    }
    dir
}

/// The binary, run in `dir` as a user of the project would run it.
fn cli(dir: &Path, url: &str, envs: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("DIESEL_CONFIG_FILE")
        .env_remove("MIGRATION_DIRECTORY")
        .env_remove("RUST_LOG")
        .env_remove("AURORA_CLUSTER_ARN")
        .env_remove("AURORA_SECRET_ARN")
        .env_remove("AWS_ENDPOINT_URL_RDS_DATA")
        .env("AWS_ACCESS_KEY_ID", "local")
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(envs.iter().copied())
        .output()
        .expect("run aurora-data-api")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
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

/// A line diff of `expected` and `actual` (- diesel, + ours).
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0usize; a.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if e[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            out.push_str(&format!("   {:?}\n", e[i]));
            i += 1;
            j += 1;
        } else if j < a.len() && (i == e.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!(" + {:?}\n", a[j]));
            j += 1;
        } else {
            out.push_str(&format!(" - {:?}\n", e[i]));
            i += 1;
        }
    }
    out
}

fn same_as_golden(actual: &str, golden: &str, what: &str) {
    let path = root().join("tests/golden").join(golden);
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    assert!(
        actual == expected,
        "{what} differs from diesel's {golden} (- diesel, + ours):\n{}",
        diff(&expected, actual)
    );
}

fn file_as_golden(dir: &Path, file: &str, golden: &str, step: &str) {
    let actual = std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{file} after {step}: {e}"));
    same_as_golden(&actual, golden, &format!("{file} after {step}"));
}

/// PostgreSQL: migrations from `[migrations_directory]`, two schema files (one patched, one
/// from a keyed section) rewritten after run / revert / redo, print-schema with both
/// sections, `--schema-key`, and `--locked-schema`.
#[test]
fn pg_project_schema_files_follow_migrations_as_with_diesel() {
    let url = pg_url(PG_DB);
    DataApiPgConnection::establish(&url)
        .unwrap()
        .batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        .unwrap();
    let p = project("toml_pg", Some("postgres"));
    let dir = p.path();
    let run = |args: &[&str]| cli(dir, &url, &[], args);

    let out = ok(&run(&["migration", "run"]));
    assert_eq!(
        out,
        "Running migration 2024-01-01-000001_create_library\nRunning migration 2024-01-02-000001_add_reviews\n"
    );
    file_as_golden(dir, "src/schema.rs", "toml_pg_run.rs.txt", "run");
    file_as_golden(
        dir,
        "src/library/schema.rs",
        "toml_pg_library_run.rs.txt",
        "run",
    );

    ok(&run(&["migration", "revert"]));
    file_as_golden(dir, "src/schema.rs", "toml_pg_revert.rs.txt", "revert");
    file_as_golden(
        dir,
        "src/library/schema.rs",
        "toml_pg_library_revert.rs.txt",
        "revert",
    );

    ok(&run(&["migration", "run"]));
    ok(&run(&["migration", "redo"]));
    file_as_golden(dir, "src/schema.rs", "toml_pg_redo.rs.txt", "redo");
    file_as_golden(
        dir,
        "src/library/schema.rs",
        "toml_pg_library_redo.rs.txt",
        "redo",
    );

    // print-schema prints every section; options go to the `--schema-key` before them.
    same_as_golden(
        &ok(&run(&["print-schema"])),
        "toml_pg_print.rs.txt",
        "print-schema",
    );
    same_as_golden(
        &ok(&run(&[
            "print-schema",
            "--schema-key",
            "library",
            "--only-tables",
            "books",
            "--with-docs-config",
            "no-doc-comments",
        ])),
        "toml_pg_print_library_books.rs.txt",
        "print-schema --schema-key library …",
    );
    let out = run(&["print-schema", "--schema-key", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: configuration: No `[print_schema.nope]` entries in your diesel.toml\n"
    );

    // --locked-schema: an out-of-date schema file is refused (after the migrations ran, as
    // diesel does), with a diff on stdout, and left as it was.
    let schema = dir.join("src/schema.rs");
    let tampered = std::fs::read_to_string(&schema)
        .unwrap()
        .replace("        title -> Text,\n", "");
    std::fs::write(&schema, &tampered).unwrap();
    let out = run(&["--quiet", "migration", "redo", "--locked-schema"]);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    let canonical = dir.canonicalize().unwrap().join("src/schema.rs");
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: Command would result in changes to `{}`. Rerun the command locally, and commit the changes.\n",
            canonical.display()
        )
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("+++ new schema\n") && stdout.contains("\n+        title -> Text,\n"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(&schema).unwrap(), tampered);
    // Up to date, it passes.
    std::fs::copy(root().join("tests/golden/toml_pg_redo.rs.txt"), &schema).unwrap();
    ok(&run(&["migration", "redo", "--locked-schema"]));
}

/// MySQL: the migrations directory from `MIGRATION_DIRECTORY`, a filtered schema file in a
/// directory that does not exist yet.
#[test]
fn mysql_project_schema_file_follows_migrations_as_with_diesel() {
    reset_mysql_database(MY_DB);
    let url = mysql_url(MY_DB);
    let p = project("toml_my", None);
    let dir = p.path();
    let migrations = dir.join("migrations");
    let envs = [("MIGRATION_DIRECTORY", migrations.to_str().unwrap())];
    let run = |args: &[&str]| cli(dir, &url, &envs, args);

    ok(&run(&["migration", "run"]));
    file_as_golden(dir, "schema/mysql.rs", "toml_my_run.rs.txt", "run");
    ok(&run(&["migration", "revert"]));
    file_as_golden(dir, "schema/mysql.rs", "toml_my_revert.rs.txt", "revert");
    ok(&run(&["migration", "run"]));
    ok(&run(&["migration", "redo"]));
    file_as_golden(dir, "schema/mysql.rs", "toml_my_redo.rs.txt", "redo");
}

/// A diesel.toml diesel would refuse is refused, in one line naming the file and the key.
#[test]
fn bad_diesel_toml_is_a_configuration_error() {
    let url = "dataapi://x?cluster_arn=arn:aws:rds:us-east-1:1:cluster:c&secret_arn=arn:aws:secretsmanager:us-east-1:1:secret:s";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().canonicalize().unwrap().join("diesel.toml");
    let refused = |toml: &str, args: &[&str]| {
        std::fs::write(&path, toml).unwrap();
        let out = cli(dir.path(), url, &[], args);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        text(&out.stderr)
    };
    // The messages are diesel's (serde's), on one line, with the file named.
    assert_eq!(
        refused("[print_schema.a]\nfle = \"x\"\n", &["print-schema"]),
        format!(
            "error: configuration: Failed to parse config file {}: TOML parse error at line 1, column 2: \
             unknown field `fle`, expected one of `file`, `with_docs`, \
             `allow_tables_to_appear_in_same_query_config`, `filter`, `column_sorting`, `schema`, \
             `patch_file`, `import_types`, `generate_missing_sql_type_definitions`, \
             `except_custom_type_definitions`, `custom_type_derives`, \
             `sqlite_integer_primary_key_is_bigint`, `pg_domains_as_custom_types`\n",
            path.display()
        )
    );
    // Directly under [print_schema], serde's message says little: a hint is added.
    let err = refused(
        "[print_schema]\nfile = \"src/schema.rs\"\nfle = \"x\"\n",
        &["print-schema"],
    );
    assert!(
        err.starts_with(&format!(
            "error: configuration: Failed to parse config file {}: TOML parse error at line 1, column 1: \
             invalid type: string \"x\", expected struct PrintSchema (a key of [print_schema] misspelt? The keys are file, ",
            path.display()
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // Read for `migration` too, even `generate`.
    assert_eq!(
        refused(
            "[migrations_directory]\ndir = 1\n",
            &["migration", "generate", "x"]
        ),
        format!(
            "error: configuration: Failed to parse config file {}: TOML parse error at line 2, column 7: \
             invalid type: integer `1`, expected path string\n",
            path.display()
        )
    );
    // --config-file names another file.
    std::fs::write(&path, "").unwrap();
    std::fs::write(
        dir.path().join("other.toml"),
        "[print_schema]\nfilter = { only_tables = [\"(\"] }\n",
    )
    .unwrap();
    let out = cli(
        dir.path(),
        url,
        &[],
        &["--config-file", "other.toml", "print-schema"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: configuration: Failed to parse config file other.toml: ")
            && err.ends_with("unclosed group\n")
            && err.lines().count() == 1,
        "{err}"
    );
}
