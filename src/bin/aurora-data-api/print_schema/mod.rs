//! `print-schema`: diesel `table!` definitions read from the catalog over the Data API.
//!
//! The output is meant to be byte for byte what `diesel print-schema` (diesel_cli 2.3) prints
//! for the same database, so a project can switch between the two tools without a diff in
//! `src/schema.rs`. The inference rules (type names, custom types, `#[max_length]`, Rust
//! names for SQL names, which foreign keys become `joinable!`) and the text layout are ported
//! from diesel_cli's `print_schema.rs` and `infer_schema_internals` (MIT OR Apache-2.0, as this
//! project); the catalog is read with plain, self-contained SQL (the Data API keeps no session
//! state), a few batched queries per run instead of diesel's queries per table.
//!
//! Differences from diesel_cli, on purpose or by necessity:
//! - diesel pipes its output through `rustfmt`; this tool prints the formatted text directly
//!   (what rustfmt changes in diesel's raw output is the `allow_tables_to_appear_in_same_query!`
//!   call, laid out here as rustfmt 1.x does, an empty `pub mod x {}` and trailing blank lines).
//!   Custom derives long enough for rustfmt to wrap the `#[derive(…)]` line are not wrapped.
//! - A table without primary key that is the parent of a foreign key makes diesel panic; this
//!   tool reports it as it reports any table without primary key. Table names given without
//!   `--only-tables` / `--except-tables` are ignored, as by diesel, but with a warning.
//! - `diesel.toml` is read as diesel reads it (see [`crate::config`]); without one, the custom
//!   type derives default to the ones `diesel setup` writes into a new project's
//!   `diesel.toml` (`diesel::query_builder::QueryId, Clone`) instead of none.

mod mysql;
mod names;
mod options;
mod pg;
mod render;

pub(crate) use names::*;
pub use options::*;

use std::collections::HashMap;
use std::fmt;

use crate::config::PrintSchema;
use crate::connect::AnyConnection;
use crate::error::CliError;

/// The schema file text of one `[print_schema]` section for the database `conn` talks to,
/// with its patch file applied.
pub fn print(conn: &mut AnyConnection, config: &PrintSchema) -> Result<String, CliError> {
    let settings = Settings::from_config(config);
    let catalog = match conn {
        AnyConnection::Pg(c) => pg::load(c, &settings)?,
        AnyConnection::Mysql(c) => mysql::load(c, &settings)?,
    };
    let out = output_schema(catalog, &settings)?;
    match &config.patch_file {
        Some(patch_file) => apply_patch(&out, patch_file),
        None => Ok(out),
    }
}

/// Applies a unified diff as diesel does (with `diffy`).
fn apply_patch(schema: &str, patch_file: &std::path::Path) -> Result<String, CliError> {
    let patch = std::fs::read_to_string(patch_file).map_err(|e| {
        CliError::Io(format!(
            "Failed to read patch file at {}: {e}",
            patch_file.display()
        ))
    })?;
    let patch = diffy::Patch::from_str(&patch).map_err(|e| {
        CliError::Config(format!(
            "Failed to parse patch file {}: {e}",
            patch_file.display()
        ))
    })?;
    diffy::apply(schema, &patch).map_err(|e| {
        CliError::Config(format!(
            "Failed to apply patch {}: {e} (the generated schema no longer matches the patch's context; regenerate the patch)",
            patch_file.display()
        ))
    })
}

/// The database engine, for the few places where inference differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Pg,
    Mysql,
}

/// What the catalog queries of one backend found.
pub(crate) struct Catalog {
    backend: Backend,
    /// Tables of the schema, sorted by SQL name (bytewise, as diesel sorts them).
    tables: Vec<TableName>,
    /// Primary key columns in key order, by table SQL name.
    primary_keys: HashMap<String, Vec<String>>,
    /// Columns in the requested order, by table SQL name.
    columns: HashMap<String, Vec<ColumnInformation>>,
    /// Table comments (only loaded when docs are printed), by table SQL name.
    table_comments: HashMap<String, String>,
    /// Foreign keys of the schema, in no particular order.
    foreign_keys: Vec<ForeignKeyConstraint>,
}

/// A table's SQL and Rust names; `schema` is set only for a schema other than the default.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TableName {
    sql_name: String,
    rust_name: String,
    schema: Option<String>,
    rust_schema: Option<String>,
}

impl TableName {
    fn new(name: String, schema: Option<String>) -> TableName {
        TableName {
            rust_name: rust_name_for_sql_name(&name, None),
            sql_name: name,
            rust_schema: schema.as_deref().map(|s| rust_name_for_sql_name(s, None)),
            schema,
        }
    }

    /// A name read with its schema, which is dropped when it is the default one.
    fn with_schema(name: String, schema: String, default_schema: &str) -> TableName {
        TableName::new(name, (schema != default_schema).then_some(schema))
    }

    fn full_sql_name(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{schema}.{}", self.sql_name),
            None => self.sql_name.clone(),
        }
    }
}

impl fmt::Display for TableName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rust_schema {
            Some(schema) => write!(f, "{schema}.{}", self.rust_name),
            None => write!(f, "{}", self.rust_name),
        }
    }
}

/// One column as the catalog describes it.
#[derive(Debug, Clone)]
pub(crate) struct ColumnInformation {
    column_name: String,
    type_name: String,
    type_schema: Option<String>,
    nullable: bool,
    max_length: Option<u64>,
    comment: Option<String>,
}

/// A column's inferred diesel SQL type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnType {
    schema: Option<String>,
    rust_name: String,
    sql_name: String,
    is_array: bool,
    is_nullable: bool,
    is_unsigned: bool,
    max_length: Option<u64>,
}

impl fmt::Display for ColumnType {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_nullable {
            write!(out, "Nullable<")?;
        }
        if self.is_array {
            write!(out, "Array<Nullable<")?;
        }
        if self.is_unsigned {
            write!(out, "Unsigned<")?;
        }
        write!(out, "{}", self.rust_name)?;
        if self.is_unsigned {
            write!(out, ">")?;
        }
        if self.is_array {
            write!(out, ">>")?;
        }
        if self.is_nullable {
            write!(out, ">")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ColumnDefinition {
    sql_name: String,
    rust_name: String,
    ty: ColumnType,
    comment: Option<String>,
}

#[derive(Debug)]
pub(crate) struct TableData {
    name: TableName,
    primary_key: Vec<String>,
    column_data: Vec<ColumnDefinition>,
    comment: Option<String>,
}

/// A foreign key; the derived order is diesel's (child, parent, columns).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ForeignKeyConstraint {
    child_table: TableName,
    parent_table: TableName,
    foreign_key_columns: Vec<String>,
    foreign_key_columns_rust: Vec<String>,
    primary_key_columns: Vec<String>,
}

impl ForeignKeyConstraint {
    fn new(
        child_table: TableName,
        parent_table: TableName,
        columns: Vec<String>,
        primary_key_columns: Vec<String>,
    ) -> Self {
        let foreign_key_columns_rust = columns
            .iter()
            .map(|c| rust_name_for_sql_name(c, Some(&child_table.rust_name)))
            .collect();
        ForeignKeyConstraint {
            child_table,
            parent_table,
            foreign_key_columns: columns,
            foreign_key_columns_rust,
            primary_key_columns,
        }
    }

    fn ordered_tables(&self) -> (&TableName, &TableName) {
        (
            std::cmp::min(&self.parent_table, &self.child_table),
            std::cmp::max(&self.parent_table, &self.child_table),
        )
    }
}

/// diesel's `output_schema`, from the catalog instead of a live connection.
fn output_schema(catalog: Catalog, settings: &Settings) -> Result<String, CliError> {
    let Catalog {
        backend,
        tables,
        primary_keys,
        mut columns,
        mut table_comments,
        foreign_keys,
    } = catalog;
    let tables: Vec<TableName> = tables
        .into_iter()
        .filter(|t| !settings.filter.should_ignore_table(&t.sql_name))
        .collect();

    let no_primary_key = |t: &TableName| {
        CliError::Query(format!(
            "Diesel only supports tables with primary keys. Table `{t}` has no primary key"
        ))
    };

    // load_foreign_key_constraints: sorted, reserved Rust names suffixed.
    let mut foreign_keys = foreign_keys;
    foreign_keys.sort();
    for fk in &mut foreign_keys {
        for name in &mut fk.foreign_key_columns_rust {
            if is_reserved_name(name) {
                name.push('_');
            }
        }
    }
    // remove_unsafe_foreign_keys_for_codegen
    let duplicates: Vec<(&TableName, &TableName)> = foreign_keys
        .iter()
        .map(ForeignKeyConstraint::ordered_tables)
        .filter(|pair| {
            foreign_keys
                .iter()
                .filter(|fk| fk.ordered_tables() == *pair)
                .count()
                > 1
        })
        .collect();
    let mut safe_foreign_keys = Vec::new();
    for fk in &foreign_keys {
        if fk.parent_table == fk.child_table
            || !tables.contains(&fk.parent_table)
            || !tables.contains(&fk.child_table)
            || fk.foreign_key_columns.len() != 1
        {
            continue;
        }
        let pk = primary_keys
            .get(&fk.parent_table.sql_name)
            .filter(|pk| !pk.is_empty())
            .ok_or_else(|| no_primary_key(&fk.parent_table))?;
        if pk.len() != 1 || Some(&pk[0]) != fk.primary_key_columns.first() {
            continue;
        }
        if duplicates.contains(&fk.ordered_tables()) {
            continue;
        }
        safe_foreign_keys.push(fk.clone());
    }

    // load_table_data
    let mut table_data = Vec::with_capacity(tables.len());
    for name in tables {
        let primary_key = primary_keys
            .get(&name.sql_name)
            .filter(|pk| !pk.is_empty())
            .ok_or_else(|| no_primary_key(&name))?;
        let infos = columns.remove(&name.sql_name).unwrap_or_default();
        let mut column_data = Vec::with_capacity(infos.len());
        for info in infos {
            let ty = match backend {
                Backend::Pg => pg::determine_column_type(&info),
                Backend::Mysql => mysql::determine_column_type(&info)?,
            };
            column_data.push(ColumnDefinition {
                rust_name: rust_name_for_sql_name(&info.column_name, Some(&name.rust_name)),
                sql_name: info.column_name,
                ty,
                comment: info.comment,
            });
        }
        let primary_key = primary_key
            .iter()
            .map(|k| rust_name_for_sql_name(k, Some(&name.rust_name)))
            .collect();
        let comment = table_comments.remove(&name.sql_name);
        table_data.push(TableData {
            name,
            primary_key,
            column_data,
            comment,
        });
    }

    let custom_types = settings.generate_custom_types.then(|| {
        let provided = match backend {
            Backend::Pg => pg::DIESEL_TYPES,
            Backend::Mysql => mysql::DIESEL_TYPES,
        };
        table_data
            .iter()
            .map(|t| {
                t.column_data
                    .iter()
                    .map(|c| {
                        Some(&c.ty)
                            .filter(|ty| {
                                !provided.contains(&ty.rust_name.as_str())
                                    && !COMMON_DIESEL_TYPES.contains(&ty.rust_name.as_str())
                            })
                            .filter(|ty| {
                                !settings
                                    .except_custom_type_definitions
                                    .iter()
                                    .any(|rx| rx.is_match(&ty.rust_name))
                            })
                            .map(|ty| match backend {
                                Backend::Pg => ty.clone(),
                                // MySQL: a type of its own for each column.
                                Backend::Mysql => ColumnType {
                                    rust_name: upper_camel_case(&format!(
                                        "{} {} {}",
                                        t.name.rust_name, c.rust_name, ty.rust_name
                                    )),
                                    ..ty.clone()
                                },
                            })
                    })
                    .collect::<Vec<Option<ColumnType>>>()
            })
            .collect::<Vec<_>>()
    });

    let definitions = render::TableDefinitions {
        tables: &table_data,
        fk_constraints: &safe_foreign_keys,
        with_docs: settings.with_docs,
        allow_tables: settings.allow_tables,
        import_types: settings.import_types.as_deref(),
        custom_types: custom_types.map(|types| render::CustomTypes {
            backend,
            types_overrides_sorted: types,
            with_docs: settings.with_docs
                == DocConfig::DatabaseCommentsFallbackToAutoGeneratedDocComment,
            derives: settings.custom_type_derives.clone(),
        }),
        indent: 0,
    };
    Ok(render::render(settings.schema.as_deref(), definitions))
}

/// Types of diesel's `sql_types` common to all backends (diesel_cli's `common_diesel_types`).
const COMMON_DIESEL_TYPES: &[&str] = &[
    "Bool",
    "Integer",
    "SmallInt",
    "BigInt",
    "Binary",
    "Text",
    "Double",
    "Float",
    "Numeric",
    "Timestamp",
    "Date",
    "Time", // hidden type defs
    "Float4",
    "Smallint",
    "Int2",
    "Int4",
    "Int8",
    "Bigint",
    "Float8",
    "Decimal",
    "VarChar",
    "Varchar",
    "Char",
    "Tinytext",
    "Mediumtext",
    "Longtext",
    "Tinyblob",
    "Blob",
    "Mediumblob",
    "Longblob",
    "Varbinary",
    "Bit",
];

/// A diesel error from a catalog query, saying which query failed.
fn catalog_error(what: &str) -> impl FnOnce(diesel::result::Error) -> CliError + '_ {
    move |e| match crate::error::from_diesel(e) {
        CliError::Query(m) => {
            CliError::Query(format!("cannot read the {what} from the catalog: {m}"))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_like_heck() {
        assert_eq!(upper_camel_case("int4"), "Int4");
        assert_eq!(upper_camel_case("book_status"), "BookStatus");
        assert_eq!(upper_camel_case("books status Enum"), "BooksStatusEnum");
        assert_eq!(upper_camel_case("HTTPServer"), "HttpServer");
        assert_eq!(upper_camel_case("timestamptz"), "Timestamptz");
        assert_eq!(upper_camel_case("my-Type"), "MyType");
    }

    #[test]
    fn rust_names_like_diesel() {
        assert_eq!(rust_name_for_sql_name("type", None), "type_");
        assert_eq!(rust_name_for_sql_name("table", None), "table_");
        assert_eq!(rust_name_for_sql_name("1st col", None), "_1st_col");
        assert_eq!(rust_name_for_sql_name("a  b-c", None), "a_b_c");
        assert_eq!(rust_name_for_sql_name("__x", None), "__x_");
        assert_eq!(rust_name_for_sql_name("users", Some("users")), "users_");
        assert_eq!(rust_name_for_sql_name("_", None), "__");
        assert_eq!(rust_name_for_sql_name("id", None), "id");
    }
}
