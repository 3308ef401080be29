//! The PostgreSQL catalog, read the way diesel_cli reads it (`information_schema` for tables,
//! keys and columns, `pg_constraint` for foreign keys), batched per schema.

use std::collections::HashMap;

use aurora_data_api::pg::DataApiPgConnection;
use diesel::sql_types::{Integer, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::{
    catalog_error, upper_camel_case, Backend, Catalog, ColumnInformation, ColumnSorting,
    ColumnType, ForeignKeyConstraint, Settings, TableName,
};
use crate::error::CliError;

/// diesel_cli's default schema for PostgreSQL: always `public` (not `current_schema()`).
const DEFAULT_SCHEMA: &str = "public";

/// PostgreSQL types diesel provides (diesel_cli's `pg_diesel_types`, beside the common ones).
pub(super) const DIESEL_TYPES: &[&str] = &[
    "Cidr",
    "Citext",
    "Inet",
    "Jsonb",
    "MacAddr",
    "MacAddr8",
    "Money",
    "Oid",
    "Range",
    "Timestamptz",
    "Uuid",
    "Json",
    "PgLsn",
    "Record",
    "Interval", // hidden type defs
    "Int4range",
    "Int8range",
    "Daterange",
    "Numrange",
    "Tsrange",
    "Tstzrange",
    "Int4multirange",
    "Int8multirange",
    "Datemultirange",
    "Nummultirange",
    "Tsmultirange",
    "Tstzmultirange",
    "SmallSerial",
    "BigSerial",
    "Serial",
    "Bytea",
    "Bpchar",
    "Macaddr",
    "Macaddr8",
];

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct KeyRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    type_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    type_schema: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    domain_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    domain_schema: Option<String>,
    #[diesel(sql_type = Text)]
    nullable: String,
    #[diesel(sql_type = Nullable<Integer>)]
    max_length: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
}

#[derive(QueryableByName)]
struct CommentRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
}

#[derive(QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    self_schema: String,
    #[diesel(sql_type = Text)]
    self_table: String,
    #[diesel(sql_type = Nullable<Text>)]
    self_column: Option<String>,
    #[diesel(sql_type = Text)]
    foreign_schema: String,
    #[diesel(sql_type = Text)]
    foreign_table: String,
    #[diesel(sql_type = Nullable<Text>)]
    foreign_column: Option<String>,
}

/// Tables: diesel's `information_schema.tables` query (base tables, no `__` names).
const TABLES: &str = "SELECT table_name::text AS name FROM information_schema.tables \
     WHERE table_schema = $1 AND table_name NOT LIKE '\\_\\_%' AND table_type LIKE 'BASE TABLE'";

/// Primary keys of every table of the schema, in key order (diesel's query without the
/// table filter).
const PRIMARY_KEYS: &str = "SELECT kcu.table_name::text AS table_name, \
     kcu.column_name::text AS column_name \
     FROM information_schema.key_column_usage kcu \
     WHERE kcu.constraint_name IN (SELECT tc.constraint_name \
       FROM information_schema.table_constraints tc WHERE tc.constraint_type = 'PRIMARY KEY') \
     AND kcu.table_schema = $1 \
     ORDER BY kcu.table_name, kcu.ordinal_position";

/// Foreign keys: diesel's `load_foreign_keys.sql` with one row per column instead of arrays,
/// grouped in Rust as diesel groups them (by child and parent table, not by constraint).
const FOREIGN_KEYS: &str =
    "SELECT sch.nspname::text AS self_schema, tbl.relname::text AS self_table, \
       col.attname::text AS self_column, f_sch.nspname::text AS foreign_schema, \
       f_tbl.relname::text AS foreign_table, f_col.attname::text AS foreign_column \
     FROM pg_constraint c \
       LEFT JOIN LATERAL UNNEST(c.conkey) WITH ORDINALITY AS u(attnum, attposition) ON TRUE \
       LEFT JOIN LATERAL UNNEST(c.confkey) WITH ORDINALITY AS f_u(attnum, attposition) \
         ON f_u.attposition = u.attposition \
       JOIN pg_class tbl ON tbl.oid = c.conrelid \
       JOIN pg_namespace sch ON sch.oid = tbl.relnamespace \
       LEFT JOIN pg_attribute col ON (col.attrelid = tbl.oid AND col.attnum = u.attnum) \
       LEFT JOIN pg_class f_tbl ON f_tbl.oid = c.confrelid \
       LEFT JOIN pg_namespace f_sch ON f_sch.oid = f_tbl.relnamespace \
       LEFT JOIN pg_attribute f_col ON (f_col.attrelid = f_tbl.oid AND f_col.attnum = f_u.attnum) \
     WHERE sch.nspname = $1 AND f_sch.nspname = $1 AND c.contype = 'f' \
     ORDER BY sch.nspname, tbl.relname, f_sch.nspname, f_tbl.relname, c.oid, u.attposition";

const TABLE_COMMENTS: &str = "SELECT t.table_name::text AS table_name, \
     obj_description(format('%I.%I', t.table_schema, t.table_name)::regclass, 'pg_class') AS comment \
     FROM information_schema.tables t WHERE t.table_schema = $1 AND t.table_type LIKE 'BASE TABLE'";

fn columns_query(with_comments: bool, sorting: ColumnSorting) -> String {
    let comment = if with_comments {
        "col_description(format('%I.%I', c.table_schema, c.table_name)::regclass, \
         c.ordinal_position::int4)"
    } else {
        "NULL::text"
    };
    let order = match sorting {
        ColumnSorting::OrdinalPosition => "c.ordinal_position",
        ColumnSorting::Name => "c.column_name",
    };
    format!(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
         c.udt_name::text AS type_name, c.udt_schema::text AS type_schema, \
         c.domain_name::text AS domain_name, c.domain_schema::text AS domain_schema, \
         c.is_nullable::text AS nullable, c.character_maximum_length::int4 AS max_length, \
         {comment} AS comment \
         FROM information_schema.columns c WHERE c.table_schema = $1 \
         ORDER BY c.table_name, {order}"
    )
}

/// Reads everything `print-schema` needs from schema `settings.schema` (default `public`).
pub(super) fn load(
    conn: &mut DataApiPgConnection,
    settings: &Settings,
) -> Result<Catalog, CliError> {
    let schema = settings.schema.as_deref().unwrap_or(DEFAULT_SCHEMA);
    let bound = |sql: &str| diesel::sql_query(sql.to_string()).bind::<Text, _>(schema.to_string());

    let mut names: Vec<String> = bound(TABLES)
        .load::<NameRow>(conn)
        .map_err(catalog_error("tables"))?
        .into_iter()
        .map(|r| r.name)
        .collect();
    names.sort_unstable();
    let table_schema = (schema != DEFAULT_SCHEMA).then(|| schema.to_string());
    let tables = names
        .into_iter()
        .map(|n| TableName::new(n, table_schema.clone()))
        .collect();

    let mut primary_keys: HashMap<String, Vec<String>> = HashMap::new();
    for row in bound(PRIMARY_KEYS)
        .load::<KeyRow>(conn)
        .map_err(catalog_error("primary keys"))?
    {
        primary_keys
            .entry(row.table_name)
            .or_default()
            .push(row.column_name);
    }

    let mut columns: HashMap<String, Vec<ColumnInformation>> = HashMap::new();
    let rows = bound(&columns_query(
        settings.wants_comments(),
        settings.column_sorting,
    ))
    .load::<ColumnRow>(conn)
    .map_err(catalog_error("columns"))?;
    for row in rows {
        let (type_name, type_schema) = match row.domain_name {
            Some(domain)
                if settings
                    .pg_domains_as_custom_types
                    .iter()
                    .any(|rx| rx.is_match(&domain)) =>
            {
                (domain, row.domain_schema)
            }
            _ => (row.type_name, row.type_schema),
        };
        let max_length = row
            .max_length
            .map(|n| {
                u64::try_from(n).map_err(|e| {
                    CliError::Query(format!(
                        "Max column length can't be converted to u64: {e} (got: {n})"
                    ))
                })
            })
            .transpose()?;
        columns
            .entry(row.table_name)
            .or_default()
            .push(ColumnInformation {
                column_name: row.column_name,
                type_name,
                type_schema,
                nullable: row.nullable == "YES",
                max_length,
                comment: row.comment,
            });
    }

    let mut table_comments = HashMap::new();
    if settings.wants_comments() {
        for row in bound(TABLE_COMMENTS)
            .load::<CommentRow>(conn)
            .map_err(catalog_error("table comments"))?
        {
            if let Some(comment) = row.comment {
                table_comments.insert(row.table_name, comment);
            }
        }
    }

    // Group by (child schema, child table, parent schema, parent table), as diesel's
    // GROUP BY does: two constraints between the same tables become one with several columns.
    struct Group {
        key: (String, String, String, String),
        columns: Vec<String>,
        primary_key_columns: Vec<String>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for row in bound(FOREIGN_KEYS)
        .load::<ForeignKeyRow>(conn)
        .map_err(catalog_error("foreign keys"))?
    {
        let key = (
            row.self_schema,
            row.self_table,
            row.foreign_schema,
            row.foreign_table,
        );
        let i = match groups.iter().position(|g| g.key == key) {
            Some(i) => i,
            None => {
                groups.push(Group {
                    key,
                    columns: Vec::new(),
                    primary_key_columns: Vec::new(),
                });
                groups.len() - 1
            }
        };
        groups[i].columns.extend(row.self_column);
        groups[i].primary_key_columns.extend(row.foreign_column);
    }
    let foreign_keys = groups
        .into_iter()
        .map(|g| {
            let (self_schema, self_table, foreign_schema, foreign_table) = g.key;
            ForeignKeyConstraint::new(
                TableName::with_schema(self_table, self_schema, DEFAULT_SCHEMA),
                TableName::with_schema(foreign_table, foreign_schema, DEFAULT_SCHEMA),
                g.columns,
                g.primary_key_columns,
            )
        })
        .collect();

    Ok(Catalog {
        backend: Backend::Pg,
        tables,
        primary_keys,
        columns,
        table_comments,
        foreign_keys,
    })
}

/// diesel_cli's `pg::determine_column_type`: the `udt_name` in UpperCamelCase, `_`-prefixed
/// names are arrays, the type's schema kept unless it is `public`.
pub(super) fn determine_column_type(attr: &ColumnInformation) -> ColumnType {
    let is_array = attr.type_name.starts_with('_');
    let tpe = if is_array {
        &attr.type_name[1..]
    } else {
        &attr.type_name[..]
    };
    if is_array && matches!(tpe.to_lowercase().as_str(), "varchar" | "citext") {
        eprintln!(
            "The column `{}` is of type `{}[]`. This will cause problems when using Diesel. You should consider changing the column type to `text[]`.",
            attr.column_name, tpe
        );
    }
    ColumnType {
        schema: attr.type_schema.clone().filter(|s| s != DEFAULT_SCHEMA),
        sql_name: tpe.to_string(),
        rust_name: upper_camel_case(tpe),
        is_array,
        is_nullable: attr.nullable,
        is_unsigned: false,
        max_length: attr.max_length,
    }
}
