#!/usr/bin/env bash
# Regenerates the golden files of tests/cli_print_schema.rs and tests/cli_diesel_toml.rs with
# the real diesel_cli.
#
# 1. Build diesel_cli 2.3 (needs libpq-dev and libmariadb-dev-compat):
#      cargo install diesel_cli --version '~2.3' --no-default-features \
#        --features postgres,mysql --root /tmp/diesel-cli --target-dir target
# 2. Run `cargo test -p aurora-data-api --test cli_print_schema` once: it builds the databases
#    (the comparisons may fail; only the databases matter here). The diesel.toml projects below
#    need no preparation (psql and mysql create their databases).
# 3. Run this script from anywhere (rustfmt must be on the PATH: diesel formats with it).
set -euo pipefail
DIESEL=${DIESEL:-/tmp/diesel-cli/bin/diesel}
GOLDEN=$(cd "$(dirname "$0")" && pwd)
PG=${PG:-postgres://postgres@127.0.0.1:5432/dataapi_cli_schema_pg}
MY=${MY:-mysql://root@127.0.0.1:3306/dataapi_cli_schema_my}
# No diesel.toml may be found: run from an empty directory.
WORK=$(mktemp -d)
cd "$WORK"
# The derives of the diesel.toml that `diesel setup` writes (this tool's default).
DERIVES=(--custom-type-derives diesel::query_builder::QueryId --custom-type-derives Clone)
gen() { # url golden args...
    local url=$1 out=$2
    shift 2
    "$DIESEL" print-schema --database-url "$url" "${DERIVES[@]}" "$@" > "$GOLDEN/$out"
}
gen "$PG" print_schema_pg.rs.txt
gen "$PG" print_schema_pg_only_authors.rs.txt --only-tables authors
gen "$PG" print_schema_pg_only_o.rs.txt o -o
gen "$PG" print_schema_pg_except_reviews.rs.txt --except-tables reviews
gen "$PG" print_schema_pg_odd_docs.rs.txt --schema odd --with-docs
gen "$PG" print_schema_pg_odd_options.rs.txt --schema odd \
    --with-docs-config only-database-comments \
    --allow-tables-to-appear-in-same-query-config fk_related_tables \
    --column-sorting name --pg-domains-as-custom-types positive_int
gen "$PG" print_schema_pg_odd_imports.rs.txt --schema odd \
    --import-types 'diesel::sql_types::*' --import-types crate::Extra \
    --except-custom-type-definitions Time --custom-type-derives Debug \
    --allow-tables-to-appear-in-same-query-config none
gen "$PG" print_schema_pg_public_module.rs.txt --schema public
gen "$PG" print_schema_pg_empty.rs.txt --schema odd_empty
gen "$PG" print_schema_pg_wide_a.rs.txt --schema odd_wide_a
gen "$PG" print_schema_pg_wide_b.rs.txt --schema odd_wide_b
gen "$MY" print_schema_mysql.rs.txt
gen "$MY" print_schema_mysql_only_authors.rs.txt --only-tables authors
gen "$MY" print_schema_mysql_except_reviews.rs.txt --except-tables reviews
gen "$MY" print_schema_mysql_no_custom_types.rs.txt --no-generate-missing-sql-type-definitions
gen "$MY" print_schema_mysql_odd_docs.rs.txt --schema dataapi_cli_schema_my_odd \
    --except-tables nopk --with-docs
cd "$GOLDEN"
rmdir "$WORK"

# diesel.toml projects (tests/cli_diesel_toml.rs): a copy of toml_pg/ with the example
# migrations, or of toml_my/ with its own (the MySQL example uses DELIMITER, which diesel's
# native connection cannot run); the schema files diesel writes after `migration run`, `revert`, `run`
# + `redo`, and what `print-schema` prints there.
ROOT=$(cd "$GOLDEN/../.." && pwd)
TPG=${TPG:-postgres://postgres@127.0.0.1:5432/dataapi_cli_toml_pg}
TMY=${TMY:-mysql://root@127.0.0.1:3306/dataapi_cli_toml_my}
# Empty databases, as the test starts from.
psql "${TPG%/*}/test" -qc 'CREATE DATABASE dataapi_cli_toml_pg' 2>/dev/null || true
PGOPTIONS=--client-min-messages=warning psql "$TPG" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public'
mysql -h 127.0.0.1 -u root -e 'DROP DATABASE IF EXISTS dataapi_cli_toml_my; CREATE DATABASE dataapi_cli_toml_my'
project() { # fixture [example migrations]
    local dir
    dir=$(mktemp -d)
    cp -r "$GOLDEN/$1/." "$dir/"
    if [ -n "${2:-}" ]; then cp -r "$ROOT/migrations-example/$2" "$dir/migrations"; fi
    echo "$dir"
}
P=$(project toml_pg postgres)
(
    cd "$P"
    export DATABASE_URL=$TPG
    "$DIESEL" migration run > /dev/null
    cp src/schema.rs "$GOLDEN/toml_pg_run.rs.txt"
    cp src/library/schema.rs "$GOLDEN/toml_pg_library_run.rs.txt"
    "$DIESEL" migration revert > /dev/null
    cp src/schema.rs "$GOLDEN/toml_pg_revert.rs.txt"
    cp src/library/schema.rs "$GOLDEN/toml_pg_library_revert.rs.txt"
    "$DIESEL" migration run > /dev/null
    "$DIESEL" migration redo > /dev/null
    cp src/schema.rs "$GOLDEN/toml_pg_redo.rs.txt"
    cp src/library/schema.rs "$GOLDEN/toml_pg_library_redo.rs.txt"
    "$DIESEL" print-schema > "$GOLDEN/toml_pg_print.rs.txt"
    "$DIESEL" print-schema --schema-key library --only-tables books --with-docs-config no-doc-comments \
        > "$GOLDEN/toml_pg_print_library_books.rs.txt"
)
rm -r "$P"
P=$(project toml_my)
(
    cd "$P"
    export DATABASE_URL=$TMY MIGRATION_DIRECTORY=$P/migrations
    "$DIESEL" migration run > /dev/null
    cp schema/mysql.rs "$GOLDEN/toml_my_run.rs.txt"
    "$DIESEL" migration revert > /dev/null
    cp schema/mysql.rs "$GOLDEN/toml_my_revert.rs.txt"
    "$DIESEL" migration run > /dev/null
    "$DIESEL" migration redo > /dev/null
    cp schema/mysql.rs "$GOLDEN/toml_my_redo.rs.txt"
)
rm -r "$P"
