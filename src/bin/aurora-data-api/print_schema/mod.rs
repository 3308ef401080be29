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
//! - There is no `diesel.toml`: the custom type derives default to the ones `diesel setup`
//!   writes into a new project's `diesel.toml` (`diesel::query_builder::QueryId, Clone`); pass
//!   `--custom-type-derives` to choose others. `--patch-file` and `--schema-key` are not
//!   supported.

mod mysql;
mod pg;
mod render;

use std::collections::HashMap;
use std::fmt;

use clap::{Args, ValueEnum};
use regex::Regex;

use crate::connect::AnyConnection;
use crate::error::CliError;

/// Options of `print-schema`, as `diesel print-schema` has them.
#[derive(Debug, Args)]
pub struct Options {
    /// The schema to print (PostgreSQL; for MySQL another database). Default: `public` /
    /// the connection's database. A schema given explicitly wraps the output in `pub mod`.
    #[arg(long, short = 's')]
    pub schema: Option<String>,
    /// Table names to filter with `--only-tables` / `--except-tables`: regular expressions,
    /// matched anywhere in the name unless anchored (`^authors$`).
    #[arg(value_name = "TABLE_NAME")]
    pub table_names: Vec<String>,
    /// Only include the tables matching one of the TABLE_NAME regexes.
    #[arg(long, short = 'o', conflicts_with = "except_tables")]
    pub only_tables: bool,
    /// Exclude the tables matching one of the TABLE_NAME regexes.
    #[arg(long, short = 'e')]
    pub except_tables: bool,
    /// Render documentation comments for tables and columns (database comments, else
    /// generated ones).
    #[arg(long)]
    pub with_docs: bool,
    /// Which documentation comments to render.
    #[arg(long, value_enum, value_name = "MODE")]
    pub with_docs_config: Option<DocConfig>,
    /// How to group tables in `allow_tables_to_appear_in_same_query!()`.
    #[arg(long, value_enum, value_name = "MODE", default_value = "all_tables")]
    pub allow_tables_to_appear_in_same_query_config: AllowTablesConfig,
    /// Sort order for table columns.
    #[arg(
        long,
        value_enum,
        value_name = "ORDER",
        default_value = "ordinal_position"
    )]
    pub column_sorting: ColumnSorting,
    /// A type to import for every table (`use <TYPE>;`); repeat for more.
    #[arg(long, value_name = "TYPE", num_args = 1, action = clap::ArgAction::Append)]
    pub import_types: Vec<String>,
    /// Do not generate SQL type definitions for types not provided by diesel.
    #[arg(long = "no-generate-missing-sql-type-definitions")]
    pub no_generate_missing_sql_type_definitions: bool,
    /// Regular expressions: custom types whose Rust name matches get no generated definition.
    #[arg(long, value_name = "REGEX", num_args = 1..)]
    pub except_custom_type_definitions: Vec<String>,
    /// A derive for every generated SQL type (repeat for more; `diesel::sql_types::SqlType`
    /// is always added). Default: `diesel::query_builder::QueryId` and `Clone`, as in the
    /// `diesel.toml` that `diesel setup` writes.
    #[arg(long, value_name = "DERIVE", num_args = 1, action = clap::ArgAction::Append)]
    pub custom_type_derives: Vec<String>,
    /// PostgreSQL: regular expressions naming domains to print as custom types instead of
    /// their underlying type.
    #[arg(long, value_name = "REGEX", num_args = 1, action = clap::ArgAction::Append)]
    pub pg_domains_as_custom_types: Vec<String>,
}

/// Which documentation comments to print (diesel's `with_docs` settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocConfig {
    /// Database comments, else a generated description.
    DatabaseCommentsFallbackToAutoGeneratedDocComment,
    /// Database comments only.
    OnlyDatabaseComments,
    /// None (the default).
    NoDocComments,
}

/// How `allow_tables_to_appear_in_same_query!` groups the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AllowTablesConfig {
    /// One invocation per group of tables connected by foreign keys.
    #[value(name = "fk_related_tables")]
    FkRelatedTables,
    /// One invocation with all tables (the default).
    #[value(name = "all_tables")]
    AllTables,
    /// No invocation.
    #[value(name = "none")]
    None,
}

/// Column order within a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColumnSorting {
    /// As declared (the default).
    #[value(name = "ordinal_position")]
    OrdinalPosition,
    /// By name (as the database sorts them).
    #[value(name = "name")]
    Name,
}

/// The schema file text for the database `conn` talks to.
pub fn print(conn: &mut AnyConnection, options: &Options) -> Result<String, CliError> {
    let settings = Settings::from_options(options)?;
    let catalog = match conn {
        AnyConnection::Pg(c) => pg::load(c, &settings)?,
        AnyConnection::Mysql(c) => mysql::load(c, &settings)?,
    };
    output_schema(catalog, &settings)
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

enum Filtering {
    OnlyTables(Vec<Regex>),
    ExceptTables(Vec<Regex>),
    None,
}

impl Filtering {
    /// Diesel's rule: `Regex::is_match` on the table's SQL name, so unanchored.
    fn should_ignore_table(&self, name: &TableName) -> bool {
        match self {
            Filtering::OnlyTables(rx) => !rx.iter().any(|r| r.is_match(&name.sql_name)),
            Filtering::ExceptTables(rx) => rx.iter().any(|r| r.is_match(&name.sql_name)),
            Filtering::None => false,
        }
    }
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
    fn from_options(o: &Options) -> Result<Settings, CliError> {
        let names = regexes("table name", &o.table_names)?;
        let filter = if o.only_tables {
            Filtering::OnlyTables(names)
        } else if o.except_tables {
            Filtering::ExceptTables(names)
        } else {
            if !o.table_names.is_empty() {
                // diesel ignores table names without either flag; say so rather than
                // printing every table silently.
                eprintln!(
                    "warning: table names are ignored without --only-tables or --except-tables"
                );
            }
            Filtering::None
        };
        let with_docs = match o.with_docs_config {
            Some(config) => config,
            None if o.with_docs => DocConfig::DatabaseCommentsFallbackToAutoGeneratedDocComment,
            None => DocConfig::NoDocComments,
        };
        let mut custom_type_derives = if o.custom_type_derives.is_empty() {
            vec![
                "diesel::query_builder::QueryId".to_string(),
                "Clone".to_string(),
            ]
        } else {
            o.custom_type_derives.clone()
        };
        if !custom_type_derives
            .iter()
            .any(|d| d == "diesel::sql_types::SqlType")
        {
            custom_type_derives.push("diesel::sql_types::SqlType".into());
        }
        Ok(Settings {
            schema: o.schema.clone(),
            filter,
            with_docs,
            allow_tables: o.allow_tables_to_appear_in_same_query_config,
            column_sorting: o.column_sorting,
            import_types: (!o.import_types.is_empty()).then(|| o.import_types.clone()),
            generate_custom_types: !o.no_generate_missing_sql_type_definitions,
            except_custom_type_definitions: regexes(
                "custom type",
                &o.except_custom_type_definitions,
            )?,
            custom_type_derives,
            pg_domains_as_custom_types: regexes("domain", &o.pg_domains_as_custom_types)?,
        })
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
        .filter(|t| !settings.filter.should_ignore_table(t))
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
