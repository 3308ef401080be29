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
mod pg;
mod render;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use clap::{ArgAction, ArgMatches, Args, ValueEnum};
use regex::Regex;

use crate::config::{Filtering, PrintSchema, RootPrintSchema};
use crate::connect::AnyConnection;
use crate::error::CliError;

/// Options of `print-schema`, as `diesel print-schema` has them. With `[print_schema.<key>]`
/// sections in `diesel.toml`, each option applies to the `--schema-key` before it.
#[derive(Debug, Args)]
pub struct Options {
    /// The schema to print (PostgreSQL; for MySQL another database). Default: `public` /
    /// the connection's database. A schema given explicitly wraps the output in `pub mod`.
    #[arg(long, short = 's', action = ArgAction::Append)]
    pub schema: Vec<String>,
    /// Table names to filter with `--only-tables` / `--except-tables`: regular expressions,
    /// matched anywhere in the name unless anchored (`^authors$`).
    #[arg(value_name = "TABLE_NAME", action = ArgAction::Append)]
    pub table_names: Vec<String>,
    /// Only include the tables matching one of the TABLE_NAME regexes.
    #[arg(long, short = 'o', num_args = 0, default_missing_value = "true", action = ArgAction::Append, conflicts_with = "except_tables")]
    pub only_tables: Vec<bool>,
    /// Exclude the tables matching one of the TABLE_NAME regexes.
    #[arg(long, short = 'e', num_args = 0, default_missing_value = "true", action = ArgAction::Append)]
    pub except_tables: Vec<bool>,
    /// Render documentation comments for tables and columns (database comments, else
    /// generated ones).
    #[arg(long, num_args = 0, default_missing_value = "true", action = ArgAction::Append)]
    pub with_docs: Vec<bool>,
    /// Which documentation comments to render.
    #[arg(long, value_enum, value_name = "MODE", action = ArgAction::Append)]
    pub with_docs_config: Vec<DocConfig>,
    /// How to group tables in `allow_tables_to_appear_in_same_query!()` (default all_tables).
    #[arg(long, value_enum, value_name = "MODE", action = ArgAction::Append)]
    pub allow_tables_to_appear_in_same_query_config: Vec<AllowTablesConfig>,
    /// Sort order for table columns (default ordinal_position).
    #[arg(long, value_enum, value_name = "ORDER", action = ArgAction::Append)]
    pub column_sorting: Vec<ColumnSorting>,
    /// A unified diff to apply to the generated schema.
    #[arg(long, value_name = "FILE", action = ArgAction::Append)]
    pub patch_file: Vec<PathBuf>,
    /// A type to import for every table (`use <TYPE>;`); repeat for more.
    #[arg(long, value_name = "TYPE", num_args = 1, action = ArgAction::Append)]
    pub import_types: Vec<String>,
    /// Do not generate SQL type definitions for types not provided by diesel.
    #[arg(long = "no-generate-missing-sql-type-definitions", num_args = 0, default_missing_value = "true", action = ArgAction::Append)]
    pub no_generate_missing_sql_type_definitions: Vec<bool>,
    /// Regular expressions: custom types whose Rust name matches get no generated definition.
    #[arg(long, value_name = "REGEX", num_args = 1.., action = ArgAction::Append)]
    pub except_custom_type_definitions: Vec<String>,
    /// A derive for every generated SQL type (repeat for more; `diesel::sql_types::SqlType`
    /// is always added). Replaces the `diesel.toml` ones; without a `diesel.toml`, the
    /// default is `diesel::query_builder::QueryId` and `Clone`, as `diesel setup` writes.
    #[arg(long, value_name = "DERIVE", num_args = 1, action = ArgAction::Append)]
    pub custom_type_derives: Vec<String>,
    /// PostgreSQL: regular expressions naming domains to print as custom types instead of
    /// their underlying type.
    #[arg(long, value_name = "REGEX", num_args = 1, action = ArgAction::Append)]
    pub pg_domains_as_custom_types: Vec<String>,
    /// Which `[print_schema.<KEY>]` section of `diesel.toml` the options after it apply to
    /// (`default` is plain `[print_schema]`).
    #[arg(long, value_name = "KEY", action = ArgAction::Append)]
    pub schema_key: Vec<String>,
    /// SQLite only in diesel; accepted and ignored.
    #[arg(long, num_args = 0, default_missing_value = "true", action = ArgAction::Append, hide = true)]
    pub sqlite_integer_primary_key_is_bigint: Vec<bool>,
}

/// Which documentation comments to print (diesel's `with_docs` settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum DocConfig {
    /// Database comments, else a generated description.
    DatabaseCommentsFallbackToAutoGeneratedDocComment,
    /// Database comments only.
    OnlyDatabaseComments,
    /// None (the default).
    #[default]
    NoDocComments,
}

impl DocConfig {
    /// The names `diesel.toml` accepts (besides `true` / `false`).
    pub const VARIANTS_STR: &'static [&'static str] = &[
        "database-comments-fallback-to-auto-generated-doc-comment",
        "only-database-comments",
        "no-doc-comments",
    ];

    /// The variant of a `diesel.toml` name.
    pub fn from_name(name: &str) -> Option<DocConfig> {
        match name {
            "database-comments-fallback-to-auto-generated-doc-comment" => {
                Some(DocConfig::DatabaseCommentsFallbackToAutoGeneratedDocComment)
            }
            "only-database-comments" => Some(DocConfig::OnlyDatabaseComments),
            "no-doc-comments" => Some(DocConfig::NoDocComments),
            _ => None,
        }
    }
}

/// How `allow_tables_to_appear_in_same_query!` groups the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum AllowTablesConfig {
    /// One invocation per group of tables connected by foreign keys.
    #[value(name = "fk_related_tables")]
    FkRelatedTables,
    /// One invocation with all tables (the default).
    #[value(name = "all_tables")]
    #[default]
    AllTables,
    /// No invocation.
    #[value(name = "none")]
    None,
}

/// Column order within a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColumnSorting {
    /// As declared (the default).
    #[value(name = "ordinal_position")]
    #[default]
    OrdinalPosition,
    /// By name (as the database sorts them).
    #[value(name = "name")]
    Name,
}

/// The values of option `id` given on the command line, with their positions.
fn indexed<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Vec<(usize, T)> {
    if m.value_source(id) != Some(clap::parser::ValueSource::CommandLine) {
        return Vec::new();
    }
    match (m.indices_of(id), m.get_many::<T>(id)) {
        (Some(indices), Some(values)) => indices.zip(values.cloned()).collect(),
        _ => Vec::new(),
    }
}

/// diesel_cli's `set_filter` + `update_config`: the command-line options, over the
/// `diesel.toml` sections. Without keyed sections they all apply to `default`; with them,
/// each option applies to the nearest `--schema-key` before it.
pub fn apply_options(root: &mut RootPrintSchema, m: &ArgMatches) -> Result<(), CliError> {
    let keys: Vec<(usize, String)> = if root.has_multiple_schema {
        let keys = indexed::<String>(m, "schema_key");
        if keys.is_empty() {
            vec![(0, "default".to_string())]
        } else {
            keys
        }
    } else {
        let keys = indexed::<String>(m, "schema_key");
        if let Some((_, key)) = keys.iter().find(|(_, k)| k != "default") {
            return Err(CliError::Config(format!(
                "No `[print_schema.{key}]` entries in your diesel.toml"
            )));
        }
        vec![(0, "default".to_string())]
    };
    for (i, (start, key)) in keys.iter().enumerate() {
        let end = keys.get(i + 1).map_or(usize::MAX, |k| k.0);
        let within = |idx: &usize| (*start..end).contains(idx);
        fn all<T>(v: Vec<(usize, T)>, within: impl Fn(&usize) -> bool) -> Vec<T> {
            v.into_iter()
                .filter(|(i, _)| within(i))
                .map(|(_, v)| v)
                .collect()
        }
        let first = |id: &str| all::<String>(indexed(m, id), within).into_iter().next();
        let flag = |id: &str| !all::<bool>(indexed(m, id), within).is_empty();
        let config = root.all_configs.get_mut(key).ok_or_else(|| {
            CliError::Config(format!(
                "No `[print_schema.{key}]` entries in your diesel.toml"
            ))
        })?;
        // Filter.
        let names = all::<String>(indexed(m, "table_names"), within);
        let only = flag("only_tables");
        let except = flag("except_tables");
        if !names.is_empty() || !root.has_multiple_schema {
            let names = regexes("table name", &names)?;
            if only {
                config.filter = Filtering::OnlyTables(names);
            } else if except {
                config.filter = Filtering::ExceptTables(names);
            } else if !names.is_empty() {
                // diesel ignores table names without either flag; say so rather than
                // printing every table silently.
                eprintln!(
                    "warning: table names are ignored without --only-tables or --except-tables"
                );
            }
        }
        if let Some(schema) = first("schema") {
            config.schema = Some(schema);
        }
        if flag("with_docs") {
            config.with_docs = DocConfig::DatabaseCommentsFallbackToAutoGeneratedDocComment;
        }
        if let Some(c) = all::<DocConfig>(indexed(m, "with_docs_config"), within).first() {
            config.with_docs = *c;
        }
        if let Some(c) = all::<AllowTablesConfig>(
            indexed(m, "allow_tables_to_appear_in_same_query_config"),
            within,
        )
        .first()
        {
            config.allow_tables_to_appear_in_same_query_config = *c;
        }
        if let Some(c) = all::<ColumnSorting>(indexed(m, "column_sorting"), within).first() {
            config.column_sorting = *c;
        }
        if let Some(p) = all::<PathBuf>(indexed(m, "patch_file"), within).first() {
            config.patch_file = Some(p.clone());
        }
        let import_types = all::<String>(indexed(m, "import_types"), within);
        if !import_types.is_empty() {
            config.import_types = Some(import_types);
        }
        if flag("no_generate_missing_sql_type_definitions") {
            config.generate_missing_sql_type_definitions = Some(false);
        }
        let except_defs = all::<String>(indexed(m, "except_custom_type_definitions"), within);
        if !except_defs.is_empty() {
            config.except_custom_type_definitions = regexes("custom type", &except_defs)?
                .into_iter()
                .map(crate::config::SerdeRegex)
                .collect();
        }
        let derives = all::<String>(indexed(m, "custom_type_derives"), within);
        if !derives.is_empty() {
            config.custom_type_derives = Some(derives);
        }
        let domains = all::<String>(indexed(m, "pg_domains_as_custom_types"), within);
        if !domains.is_empty() {
            config.pg_domains_as_custom_types = regexes("domain", &domains)?
                .into_iter()
                .map(crate::config::SerdeRegex)
                .collect();
        }
    }
    Ok(())
}

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

/// The options, parsed.
pub(crate) struct Settings {
    schema: Option<String>,
    filter: Filtering,
    with_docs: DocConfig,
    allow_tables: AllowTablesConfig,
    column_sorting: ColumnSorting,
    import_types: Option<Vec<String>>,
    generate_custom_types: bool,
    except_custom_type_definitions: Vec<Regex>,
    custom_type_derives: Vec<String>,
    pg_domains_as_custom_types: Vec<Regex>,
}

fn regexes(what: &str, sources: &[String]) -> Result<Vec<Regex>, CliError> {
    sources
        .iter()
        .map(|s| {
            Regex::new(s).map_err(|e| CliError::Config(format!("bad {what} regex `{s}`: {e}")))
        })
        .collect()
}

impl Settings {
    fn from_config(c: &PrintSchema) -> Settings {
        let mut custom_type_derives = c.custom_type_derives.clone().unwrap_or_default();
        if !custom_type_derives
            .iter()
            .any(|d| d == "diesel::sql_types::SqlType")
        {
            custom_type_derives.push("diesel::sql_types::SqlType".into());
        }
        Settings {
            schema: c.schema.clone(),
            filter: c.filter.clone(),
            with_docs: c.with_docs,
            allow_tables: c.allow_tables_to_appear_in_same_query_config,
            column_sorting: c.column_sorting,
            import_types: c.import_types.clone(),
            generate_custom_types: c.generate_missing_sql_type_definitions.unwrap_or(true),
            except_custom_type_definitions: c
                .except_custom_type_definitions
                .iter()
                .map(|r| r.0.clone())
                .collect(),
            custom_type_derives,
            pg_domains_as_custom_types: c
                .pg_domains_as_custom_types
                .iter()
                .map(|r| r.0.clone())
                .collect(),
        }
    }

    fn wants_comments(&self) -> bool {
        self.with_docs != DocConfig::NoDocComments
    }
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

const RESERVED_NAMES: &[&str] = &["table", "columns", "is_nullable"];

/// Rust keywords and what else `syn` refuses as an identifier (diesel asks `syn`).
const KEYWORDS: &[&str] = &[
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

fn is_valid_ident(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c.is_ascii_alphanumeric()) && !KEYWORDS.contains(&name)
}

fn is_reserved_name(name: &str) -> bool {
    !is_valid_ident(name)
        || RESERVED_NAMES.contains(&name)
        // Names ending in an underscore are not reserved, so appending one always works.
        || (name.starts_with("__") && !name.ends_with('_'))
}

/// diesel's `rust_name_for_sql_name`: characters outside `[A-Za-z0-9_]` become `_` (runs of
/// them one `_`), a leading digit gets a `_` before it, and reserved names (or a column
/// named like its table) get a `_` after.
pub(crate) fn rust_name_for_sql_name(sql_name: &str, table_rust_name: Option<&str>) -> String {
    let unmappable = |c: char| !(c.is_ascii_alphanumeric() || c == '_');
    let replace = |s: &mut String, tail: &str, mut last_was_underscore: bool| {
        for c in tail.chars() {
            if unmappable(c) {
                if !last_was_underscore {
                    s.push('_');
                }
                last_was_underscore = true;
            } else {
                last_was_underscore = false;
                s.push(c);
            }
        }
    };
    let mut name = sql_name.to_string();
    for (idx, c) in sql_name.char_indices() {
        if unmappable(c) {
            let mut s = sql_name[..idx].to_string();
            replace(&mut s, &sql_name[idx..], false);
            name = s;
            break;
        } else if idx == 0 && c.is_ascii_digit() {
            let mut s = String::from("_");
            replace(&mut s, sql_name, true);
            name = s;
            break;
        }
    }
    if is_reserved_name(&name) || Some(name.as_str()) == table_rust_name {
        name.push('_');
    }
    name
}

/// heck 0.5's `to_upper_camel_case`, which diesel uses for type names.
pub(crate) fn upper_camel_case(s: &str) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lowercase,
        Uppercase,
    }
    fn capitalize(word: &str, out: &mut String) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            let rest: Vec<char> = chars.collect();
            for (i, &c) in rest.iter().enumerate() {
                if c == 'Σ' && i + 1 == rest.len() {
                    out.push('ς');
                } else {
                    out.extend(c.to_lowercase());
                }
            }
        }
    }
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_alphanumeric()) {
        let mut chars = word.char_indices().peekable();
        let mut init = 0;
        let mut mode = Mode::Boundary;
        while let Some((i, c)) = chars.next() {
            if let Some(&(next_i, next)) = chars.peek() {
                let next_mode = if c.is_lowercase() {
                    Mode::Lowercase
                } else if c.is_uppercase() {
                    Mode::Uppercase
                } else {
                    mode
                };
                if next_mode == Mode::Lowercase && next.is_uppercase() {
                    capitalize(&word[init..next_i], &mut out);
                    init = next_i;
                    mode = Mode::Boundary;
                } else if mode == Mode::Uppercase && c.is_uppercase() && next.is_lowercase() {
                    capitalize(&word[init..i], &mut out);
                    init = i;
                    mode = Mode::Boundary;
                } else {
                    mode = next_mode;
                }
            } else {
                capitalize(&word[init..], &mut out);
                break;
            }
        }
    }
    out
}

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
