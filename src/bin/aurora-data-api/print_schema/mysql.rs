//! The MySQL / MariaDB catalog, read the way diesel_cli reads it (`information_schema`),
//! batched per schema (database).

use std::collections::HashMap;

use aurora_data_api::mysql::DataApiMysqlConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::{
    catalog_error, upper_camel_case, Backend, Catalog, ColumnInformation, ColumnSorting,
    ColumnType, ForeignKeyConstraint, Settings, TableName,
};
use crate::error::CliError;

/// MySQL types diesel provides (diesel_cli's `mysql_diesel_types`, beside the common ones).
pub(super) const DIESEL_TYPES: &[&str] = &["TinyInt", "Tinyint", "Datetime", "Json"];

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
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
    #[diesel(sql_type = Text)]
    nullable: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    max_length: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
}

#[derive(QueryableByName)]
struct CommentRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    comment: String,
}

#[derive(QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    child_table: String,
    #[diesel(sql_type = Text)]
    child_schema: String,
    #[diesel(sql_type = Text)]
    parent_table: String,
    #[diesel(sql_type = Text)]
    parent_schema: String,
    #[diesel(sql_type = Text)]
    fk_column: String,
    #[diesel(sql_type = Text)]
    pk_column: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
}

const DATABASE: &str = "SELECT DATABASE() AS name";

/// Tables: diesel's `information_schema.tables` query (base tables, no `__` names).
const TABLES: &str = "SELECT table_name AS name FROM information_schema.tables \
     WHERE table_schema = ? AND table_name NOT LIKE ? AND table_type LIKE 'BASE TABLE'";

/// Primary keys of every table of the schema, in key order.
const PRIMARY_KEYS: &str = "SELECT kcu.table_name AS table_name, kcu.column_name AS column_name \
     FROM information_schema.key_column_usage kcu \
     WHERE kcu.constraint_name IN (SELECT tc.constraint_name \
       FROM information_schema.table_constraints tc WHERE tc.constraint_type = 'PRIMARY KEY') \
     AND kcu.table_schema = ? \
     ORDER BY kcu.table_name, kcu.ordinal_position";

/// Foreign keys: diesel's query, grouped by constraint name in Rust as diesel does.
const FOREIGN_KEYS: &str = "SELECT kcu.table_name AS child_table, kcu.table_schema AS child_schema, \
       kcu.referenced_table_name AS parent_table, kcu.referenced_table_schema AS parent_schema, \
       kcu.column_name AS fk_column, kcu.referenced_column_name AS pk_column, \
       kcu.constraint_name AS constraint_name \
     FROM information_schema.table_constraints tc \
       INNER JOIN information_schema.key_column_usage kcu \
         ON tc.constraint_schema = kcu.constraint_schema AND tc.constraint_name = kcu.constraint_name \
     WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = ? \
       AND kcu.referenced_column_name IS NOT NULL \
     ORDER BY kcu.constraint_name, kcu.ordinal_position";

const TABLE_COMMENTS: &str = "SELECT table_name AS table_name, table_comment AS comment \
     FROM information_schema.tables WHERE table_schema = ?";

fn columns_query(sorting: ColumnSorting) -> String {
    let order = match sorting {
        ColumnSorting::OrdinalPosition => "c.ordinal_position",
        ColumnSorting::Name => "c.column_name",
    };
    // MySQL comments are not nullable and are empty strings if not set.
    format!(
        "SELECT c.table_name AS table_name, c.column_name AS column_name, \
         c.column_type AS type_name, c.is_nullable AS nullable, \
         CAST(c.character_maximum_length AS SIGNED) AS max_length, \
         NULLIF(c.column_comment, '') AS comment \
         FROM information_schema.columns c WHERE c.table_schema = ? \
         ORDER BY c.table_name, {order}"
    )
}

/// Reads everything `print-schema` needs from database `settings.schema` (default: the
/// connection's).
pub(super) fn load(
    conn: &mut DataApiMysqlConnection,
    settings: &Settings,
) -> Result<Catalog, CliError> {
    let default_schema = diesel::sql_query(DATABASE)
        .load::<NameRow>(conn)
        .map_err(catalog_error("current database"))?
        .into_iter()
        .next()
        .and_then(|r| r.name)
        .ok_or_else(|| {
            CliError::Config("no database selected: name one in the URL or with --database".into())
        })?;
    let schema = settings
        .schema
        .clone()
        .unwrap_or_else(|| default_schema.clone());
    let bound = |sql: &str| diesel::sql_query(sql.to_string()).bind::<Text, _>(schema.clone());

    let mut names: Vec<String> = bound(TABLES)
        .bind::<Text, _>("\\_\\_%")
        .load::<NameRow>(conn)
        .map_err(catalog_error("tables"))?
        .into_iter()
        .filter_map(|r| r.name)
        .collect();
    names.sort_unstable();
    let table_schema = (schema != default_schema).then(|| schema.clone());
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
    for row in bound(&columns_query(settings.column_sorting))
        .load::<ColumnRow>(conn)
        .map_err(catalog_error("columns"))?
    {
        // MySQL reports a character_maximum_length for TEXT and the like too, where no
        // length was declared; diesel keeps it only when the type has one: `varchar(200)`.
        let max_length = row
            .max_length
            .filter(|_| row.type_name.contains('('))
            .map(|n| u64::try_from(n).unwrap_or_default());
        columns
            .entry(row.table_name)
            .or_default()
            .push(ColumnInformation {
                column_name: row.column_name,
                type_name: row.type_name,
                type_schema: None,
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
            if !row.comment.is_empty() {
                table_comments.insert(row.table_name, row.comment);
            }
        }
    }

    // Grouped by constraint name alone, as diesel groups them.
    struct Group {
        name: String,
        child: TableName,
        parent: TableName,
        columns: Vec<String>,
        primary_key_columns: Vec<String>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for row in bound(FOREIGN_KEYS)
        .load::<ForeignKeyRow>(conn)
        .map_err(catalog_error("foreign keys"))?
    {
        let i = match groups.iter().position(|g| g.name == row.constraint_name) {
            Some(i) => i,
            None => {
                groups.push(Group {
                    name: row.constraint_name,
                    child: TableName::with_schema(
                        row.child_table,
                        row.child_schema,
                        &default_schema,
                    ),
                    parent: TableName::with_schema(
                        row.parent_table,
                        row.parent_schema,
                        &default_schema,
                    ),
                    columns: Vec::new(),
                    primary_key_columns: Vec::new(),
                });
                groups.len() - 1
            }
        };
        groups[i].columns.push(row.fk_column);
        groups[i].primary_key_columns.push(row.pk_column);
    }
    let foreign_keys = groups
        .into_iter()
        .map(|g| ForeignKeyConstraint::new(g.child, g.parent, g.columns, g.primary_key_columns))
        .collect();

    Ok(Catalog {
        backend: Backend::Mysql,
        tables,
        primary_keys,
        columns,
        table_comments,
        foreign_keys,
    })
}

/// diesel_cli's `mysql::determine_column_type`, from `information_schema.columns.column_type`.
pub(super) fn determine_column_type(attr: &ColumnInformation) -> Result<ColumnType, CliError> {
    let tpe = determine_type_name(&attr.type_name)?;
    Ok(ColumnType {
        schema: None,
        sql_name: tpe.trim().to_string(),
        rust_name: upper_camel_case(tpe.trim()),
        is_array: false,
        is_nullable: attr.nullable,
        is_unsigned: determine_unsigned(&attr.type_name),
        max_length: attr.max_length,
    })
}

fn determine_type_name(sql_type_name: &str) -> Result<String, CliError> {
    let result = if sql_type_name == "tinyint(1)" {
        "bool"
    } else if sql_type_name.starts_with("int") {
        "integer"
    } else if let Some(idx) = sql_type_name.find('(') {
        &sql_type_name[..idx]
    } else {
        sql_type_name
    };
    if determine_unsigned(result) {
        Ok(result
            .to_lowercase()
            .replace("unsigned", "")
            .trim()
            .to_owned())
    } else if result.contains(' ') {
        Err(CliError::Query(format!("Unsupported type: `{result}`")))
    } else {
        Ok(result.to_owned())
    }
}

fn determine_unsigned(sql_type_name: &str) -> bool {
    sql_type_name.to_lowercase().contains("unsigned")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_like_diesel() {
        assert_eq!(determine_type_name("varchar(255)").unwrap(), "varchar");
        assert_eq!(determine_type_name("decimal(10,2)").unwrap(), "decimal");
        assert_eq!(determine_type_name("tinyint(1)").unwrap(), "bool");
        assert_eq!(determine_type_name("tinyint(4)").unwrap(), "tinyint");
        assert_eq!(determine_type_name("int(11)").unwrap(), "integer");
        assert_eq!(
            determine_type_name("bigint(20) unsigned").unwrap(),
            "bigint"
        );
        assert_eq!(determine_type_name("float unsigned").unwrap(), "float");
        assert!(determine_unsigned("bigint(20) unsigned"));
        assert!(determine_type_name("lol wat").is_err());
    }
}
