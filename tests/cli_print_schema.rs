//! `aurora-data-api print-schema` as a subprocess against the local Data API server (running in
//! this test process), compared byte for byte with what the real `diesel print-schema` prints
//! for the same databases.
//!
//! How the golden files under tests/golden/ were produced: diesel_cli 2.3.14 was built here
//! (`cargo install diesel_cli --version '~2.3' --no-default-features --features postgres,mysql`,
//! libpq and libmariadb), these tests were run once to build the databases (migrations from
//! migrations-example/ applied through the library, plus the `odd` fixtures below), and then
//! `diesel print-schema` was run against the very same databases, from a directory without a
//! `diesel.toml`, with rustfmt 1.9 on the PATH (diesel formats its output with it), as
//!
//! ```text
//! diesel print-schema --database-url postgres://postgres@127.0.0.1/dataapi_cli_schema_pg \
//!     --custom-type-derives diesel::query_builder::QueryId --custom-type-derives Clone [ARGS]
//! ```
//!
//! (`mysql://root@127.0.0.1:3306/dataapi_cli_schema_my` for MySQL) with the ARGS each test
//! names. The two `--custom-type-derives` are the ones the `diesel.toml` of `diesel setup`
//! sets, and this tool's default when there is no `diesel.toml` (these tests run in the crate
//! root, which has none).
//! tests/golden/regenerate.sh does all of that but the build and the first test run.
//!
//! Known difference from diesel_cli, not exercised here: derives long enough for rustfmt to
//! wrap the `#[derive(…)]` line. `diesel.toml`, `--patch-file` and `--schema-key` are covered by
//! tests/cli_diesel_toml.rs.

mod common;

use std::process::{Command, Output};
use std::sync::OnceLock;

use aurora_data_api::mysql::DataApiMysqlConnection;
use aurora_data_api::pg::DataApiPgConnection;
use common::*;
use diesel::connection::SimpleConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const BIN: &str = env!("CARGO_BIN_EXE_aurora-data-api");
const PG_DB: &str = "dataapi_cli_schema_pg";
const MY_DB: &str = "dataapi_cli_schema_my";
const MY_ODD_DB: &str = "dataapi_cli_schema_my_odd";

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations-example/postgres");
const MY_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations-example/mysql");

/// Names, types and keys the example migrations do not have, in schema `odd`: keywords and
/// spaces in names, a column named like its table, a composite key, custom types in another
/// schema and in `pg_catalog` (timetz), a domain, a varchar array, comments, two foreign keys
/// between the same tables and a self-reference (neither becomes `joinable!`), a table
/// without foreign keys, and what is never printed (a view, a `__` table). Beside it: a schema
/// with a table without primary key, an empty schema, and two schemas whose
/// `allow_tables_to_appear_in_same_query!` line is just short enough / one column too long
/// for rustfmt's 100 columns.
const PG_ODD: &str = r#"
DROP SCHEMA IF EXISTS odd CASCADE;
DROP SCHEMA IF EXISTS odd_nopk CASCADE;
DROP SCHEMA IF EXISTS odd_empty CASCADE;
DROP SCHEMA IF EXISTS odd_wide_a CASCADE;
DROP SCHEMA IF EXISTS odd_wide_b CASCADE;
CREATE SCHEMA odd;
CREATE TYPE odd.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN odd.positive_int AS integer CHECK (VALUE > 0);
CREATE TABLE odd.users (
    id BIGSERIAL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "Display Name" VARCHAR(64),
    code CHAR(3) NOT NULL,
    mood odd.mood,
    users TEXT,
    starts_at TIMETZ,
    score DOUBLE PRECISION,
    ratio REAL,
    balance MONEY,
    addr INET,
    during TSTZRANGE,
    avatar BYTEA NOT NULL,
    flags BOOL NOT NULL DEFAULT false,
    nicknames VARCHAR(10)[],
    qty odd.positive_int,
    data JSON,
    elapsed INTERVAL,
    at_time TIME,
    at_ts TIMESTAMP,
    small SMALLINT,
    moods odd.mood[] NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE odd.users IS 'People who log in.
  Indented second line.';
COMMENT ON COLUMN odd.users."type" IS 'admin or member';
CREATE TABLE odd."Group Members" (
    group_id INT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES odd.users (id),
    PRIMARY KEY (group_id, user_id)
);
CREATE TABLE odd.posts (
    id SERIAL PRIMARY KEY,
    author BIGINT REFERENCES odd.users (id),
    editor BIGINT REFERENCES odd.users (id),
    parent_id INT REFERENCES odd.posts (id),
    mood odd.mood NOT NULL
);
CREATE TABLE odd.solo (id INT PRIMARY KEY, "fn" TEXT);
CREATE TABLE odd.__hidden (id INT PRIMARY KEY);
CREATE VIEW odd.a_view AS SELECT 1 AS one;
CREATE SCHEMA odd_nopk;
CREATE TABLE odd_nopk.has_key (id INT PRIMARY KEY);
CREATE TABLE odd_nopk.no_key (x INT);
CREATE SCHEMA odd_empty;
CREATE SCHEMA odd_wide_a;
CREATE TABLE odd_wide_a.wwwwwwwwwwwwwwwwwwwwwww (id INT PRIMARY KEY);
CREATE TABLE odd_wide_a.xxxxxxxxxxxxxxxxxxxxxxx (id INT PRIMARY KEY);
CREATE SCHEMA odd_wide_b;
CREATE TABLE odd_wide_b.wwwwwwwwwwwwwwwwwwwwwww (id INT PRIMARY KEY);
CREATE TABLE odd_wide_b.xxxxxxxxxxxxxxxxxxxxxxxx (id INT PRIMARY KEY);
"#;

/// The MySQL counterpart, in a database of its own (printed with `--schema`).
const MY_ODD: &str = r#"
CREATE TABLE users (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY COMMENT 'surrogate key',
    `type` VARCHAR(20) NOT NULL,
    `Display Name` VARCHAR(64),
    code CHAR(3) NOT NULL,
    active TINYINT(1) NOT NULL DEFAULT 1,
    level MEDIUMINT,
    roles SET('a', 'b'),
    born YEAR,
    score DOUBLE,
    ratio FLOAT,
    small SMALLINT UNSIGNED,
    tiny TINYINT UNSIGNED,
    avatar BLOB,
    bio MEDIUMTEXT,
    raw_bytes VARBINARY(16),
    bits BIT(8),
    at_time TIME,
    users TEXT,
    mood ENUM('sad', 'ok') NOT NULL
) COMMENT 'People who log in';
CREATE TABLE `Group Members` (
    group_id INT NOT NULL,
    user_id BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (group_id, user_id),
    FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE TABLE posts (
    id INT PRIMARY KEY,
    author BIGINT UNSIGNED,
    editor BIGINT UNSIGNED,
    parent_id INT,
    mood ENUM('sad', 'ok'),
    FOREIGN KEY (author) REFERENCES users (id),
    FOREIGN KEY (editor) REFERENCES users (id),
    FOREIGN KEY (parent_id) REFERENCES posts (id)
);
CREATE TABLE solo (id INT PRIMARY KEY, `fn` TEXT);
CREATE TABLE nopk (x INT);
"#;

/// PostgreSQL: a fresh `public` schema with the example migrations, and the `odd` schemas.
fn pg() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let url = pg_url(PG_DB);
        let mut conn = DataApiPgConnection::establish(&url).unwrap();
        conn.batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            .unwrap();
        conn.run_pending_migrations(PG_MIGRATIONS).unwrap();
        conn.batch_execute(PG_ODD).unwrap();
        url
    })
}

/// MySQL: fresh databases, the example migrations in one, the odd tables in the other.
fn my() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        reset_mysql_database(MY_DB);
        reset_mysql_database(MY_ODD_DB);
        let url = mysql_url(MY_DB);
        let mut conn = DataApiMysqlConnection::establish(&url).unwrap();
        conn.run_pending_migrations(MY_MIGRATIONS).unwrap();
        let mut odd = DataApiMysqlConnection::establish(&mysql_url(MY_ODD_DB)).unwrap();
        odd.batch_execute(MY_ODD).unwrap();
        url
    })
}

fn print_schema(url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--database-url")
        .arg(url)
        .arg("print-schema")
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("AURORA_CLUSTER_ARN")
        .env_remove("AURORA_SECRET_ARN")
        .env_remove("AWS_ENDPOINT_URL_RDS_DATA")
        .env("AWS_ACCESS_KEY_ID", "local")
        .env("AWS_SECRET_ACCESS_KEY", "local")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run aurora-data-api")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A line diff of `expected` and `actual`, the lines around each difference.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.split_inclusive('\n').collect();
    let a: Vec<&str> = actual.split_inclusive('\n').collect();
    // Longest common subsequence table: the outputs are a few hundred lines at most.
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
    let show = |s: &str| format!("{:?}", s.strip_suffix('\n').unwrap_or(s));
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            out.push_str(&format!("   {}\n", show(e[i])));
            i += 1;
            j += 1;
        } else if j < a.len() && (i == e.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!(" + {}\n", show(a[j])));
            j += 1;
        } else {
            out.push_str(&format!(" - {}\n", show(e[i])));
            i += 1;
        }
    }
    out
}

/// Runs `print-schema ARGS` and compares stdout with tests/golden/`golden`.
fn check(url: &str, args: &[&str], golden: &str) {
    let path = format!("{}/tests/golden/{golden}", env!("CARGO_MANIFEST_DIR"));
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let out = print_schema(url, args);
    let actual = text(&out.stdout);
    assert!(
        out.status.success(),
        "print-schema {args:?} exited {:?}\nstderr:\n{}",
        out.status.code(),
        text(&out.stderr)
    );
    assert!(
        actual == expected,
        "print-schema {args:?} differs from diesel's output in {golden} (- diesel, + ours):\n{}",
        diff(&expected, &actual)
    );
}

// diesel print-schema (no extra args) → print_schema_pg.rs.txt
#[test]
fn pg_default() {
    check(pg(), &[], "print_schema_pg.rs.txt");
}

// diesel print-schema --only-tables authors → print_schema_pg_only_authors.rs.txt
#[test]
fn pg_only_tables() {
    check(
        pg(),
        &["--only-tables", "authors"],
        "print_schema_pg_only_authors.rs.txt",
    );
    // Unanchored regexes, as diesel's: `o` matches authors and books.
    check(pg(), &["o", "-o"], "print_schema_pg_only_o.rs.txt");
}

// diesel print-schema --except-tables reviews → print_schema_pg_except_reviews.rs.txt
#[test]
fn pg_except_tables() {
    check(
        pg(),
        &["--except-tables", "reviews"],
        "print_schema_pg_except_reviews.rs.txt",
    );
}

// diesel print-schema --schema odd --with-docs → print_schema_pg_odd_docs.rs.txt
#[test]
fn pg_other_schema_with_docs() {
    check(
        pg(),
        &["--schema", "odd", "--with-docs"],
        "print_schema_pg_odd_docs.rs.txt",
    );
}

// diesel print-schema --schema odd --with-docs-config only-database-comments
//     --allow-tables-to-appear-in-same-query-config fk_related_tables --column-sorting name
//     --pg-domains-as-custom-types positive_int → print_schema_pg_odd_options.rs.txt
#[test]
fn pg_other_schema_options() {
    check(
        pg(),
        &[
            "--schema",
            "odd",
            "--with-docs-config",
            "only-database-comments",
            "--allow-tables-to-appear-in-same-query-config",
            "fk_related_tables",
            "--column-sorting",
            "name",
            "--pg-domains-as-custom-types",
            "positive_int",
        ],
        "print_schema_pg_odd_options.rs.txt",
    );
}

// diesel print-schema --schema odd --import-types 'diesel::sql_types::*' --import-types
//     crate::Extra --except-custom-type-definitions Time --custom-type-derives Debug
//     --allow-tables-to-appear-in-same-query-config none → print_schema_pg_odd_imports.rs.txt
#[test]
fn pg_imports_derives_and_custom_type_exceptions() {
    check(
        pg(),
        &[
            "--schema",
            "odd",
            "--import-types",
            "diesel::sql_types::*",
            "--import-types",
            "crate::Extra",
            "--except-custom-type-definitions",
            "Time",
            // diesel appends to the diesel.toml derives; this tool replaces its defaults.
            "--custom-type-derives",
            "diesel::query_builder::QueryId",
            "--custom-type-derives",
            "Clone",
            "--custom-type-derives",
            "Debug",
            "--allow-tables-to-appear-in-same-query-config",
            "none",
        ],
        "print_schema_pg_odd_imports.rs.txt",
    );
}

// diesel print-schema --schema public → print_schema_pg_public_module.rs.txt
#[test]
fn pg_explicit_default_schema() {
    check(
        pg(),
        &["--schema", "public"],
        "print_schema_pg_public_module.rs.txt",
    );
}

// diesel print-schema --schema odd_empty / odd_wide_a / odd_wide_b
#[test]
fn pg_empty_schema_and_rustfmt_width() {
    check(
        pg(),
        &["--schema", "odd_empty"],
        "print_schema_pg_empty.rs.txt",
    );
    check(
        pg(),
        &["--schema", "odd_wide_a"],
        "print_schema_pg_wide_a.rs.txt",
    );
    check(
        pg(),
        &["--schema", "odd_wide_b"],
        "print_schema_pg_wide_b.rs.txt",
    );
}

#[test]
fn pg_table_without_primary_key() {
    let out = print_schema(pg(), &["--schema", "odd_nopk"]);
    assert_eq!(out.status.code(), Some(5), "stderr: {}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "error: Diesel only supports tables with primary keys. Table `odd_nopk.no_key` has no primary key\n"
    );
    // Filtered out, it is no obstacle.
    let out = print_schema(pg(), &["--schema", "odd_nopk", "--except-tables", "no_key"]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("odd_nopk.has_key (id)"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn bad_regex_is_a_usage_error() {
    let out = print_schema(pg(), &["--only-tables", "("]);
    assert_eq!(out.status.code(), Some(2), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains("regex"), "{}", text(&out.stderr));
}

// diesel print-schema → print_schema_mysql.rs.txt
#[test]
fn mysql_default() {
    check(my(), &[], "print_schema_mysql.rs.txt");
}

// diesel print-schema --only-tables authors / --except-tables reviews
#[test]
fn mysql_filters() {
    check(
        my(),
        &["--only-tables", "authors"],
        "print_schema_mysql_only_authors.rs.txt",
    );
    check(
        my(),
        &["--except-tables", "reviews"],
        "print_schema_mysql_except_reviews.rs.txt",
    );
}

// diesel print-schema --no-generate-missing-sql-type-definitions
//     → print_schema_mysql_no_custom_types.rs.txt
#[test]
fn mysql_without_custom_types() {
    check(
        my(),
        &["--no-generate-missing-sql-type-definitions"],
        "print_schema_mysql_no_custom_types.rs.txt",
    );
}

// diesel print-schema --schema dataapi_cli_schema_my_odd --except-tables nopk --with-docs
//     → print_schema_mysql_odd_docs.rs.txt
#[test]
fn mysql_other_database_with_docs() {
    check(
        my(),
        &[
            "--schema",
            MY_ODD_DB,
            "--except-tables",
            "nopk",
            "--with-docs",
        ],
        "print_schema_mysql_odd_docs.rs.txt",
    );
}

#[test]
fn mysql_table_without_primary_key() {
    let out = print_schema(my(), &["--schema", MY_ODD_DB]);
    assert_eq!(out.status.code(), Some(5), "stderr: {}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        format!("error: Diesel only supports tables with primary keys. Table `{MY_ODD_DB}.nopk` has no primary key\n")
    );
}
