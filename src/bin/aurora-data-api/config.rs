//! `diesel.toml`, read as diesel_cli 2.3 reads it: the same file lookup (`--config-file`,
//! `DIESEL_CONFIG_FILE`, else `diesel.toml` in the nearest directory holding a `diesel.toml`
//! or a `Cargo.toml`), the same keys with the same defaults, unknown keys refused, relative
//! paths taken from the file's directory, and `[print_schema.<key>]` sections for several
//! schema files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::error::CliError;
use crate::print_schema::{AllowTablesConfig, ColumnSorting, DocConfig};

/// The whole file.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub print_schema: RootPrintSchema,
    #[serde(default)]
    pub migrations_directory: Option<MigrationsDirectory>,
}

/// `[migrations_directory]`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MigrationsDirectory {
    pub dir: PathBuf,
}

/// `[print_schema]` and its keyed sub-sections.
#[derive(Debug, Clone, Default)]
pub struct RootPrintSchema {
    /// Whether `[print_schema.<key>]` sections exist (options then go to `--schema-key`s).
    pub has_multiple_schema: bool,
    /// By key; `default` is the plain `[print_schema]` section.
    pub all_configs: BTreeMap<String, PrintSchema>,
}

impl<'de> Deserialize<'de> for RootPrintSchema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Inner {
            #[serde(flatten)]
            default_config: PrintSchema,
            #[serde(flatten)]
            other_configs: BTreeMap<String, PrintSchema>,
        }
        let Inner {
            default_config,
            mut other_configs,
        } = Inner::deserialize(deserializer)?;
        if other_configs.is_empty() {
            Ok(RootPrintSchema {
                has_multiple_schema: false,
                all_configs: BTreeMap::from([("default".into(), default_config)]),
            })
        } else {
            other_configs
                .entry("default".to_string())
                .or_insert(default_config);
            Ok(RootPrintSchema {
                has_multiple_schema: true,
                all_configs: other_configs,
            })
        }
    }
}

/// One `[print_schema]` section (diesel_cli's `PrintSchema`, less nothing).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintSchema {
    #[serde(default)]
    pub file: Option<PathBuf>,
    #[serde(default)]
    pub with_docs: DocConfig,
    #[serde(default)]
    pub allow_tables_to_appear_in_same_query_config: AllowTablesConfig,
    #[serde(default)]
    pub filter: Filtering,
    #[serde(default)]
    pub column_sorting: ColumnSorting,
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub patch_file: Option<PathBuf>,
    #[serde(default)]
    pub import_types: Option<Vec<String>>,
    #[serde(default)]
    pub generate_missing_sql_type_definitions: Option<bool>,
    #[serde(default)]
    pub except_custom_type_definitions: Vec<SerdeRegex>,
    #[serde(default)]
    pub custom_type_derives: Option<Vec<String>>,
    /// SQLite only in diesel; accepted and ignored here.
    #[serde(default)]
    #[allow(dead_code)]
    pub sqlite_integer_primary_key_is_bigint: Option<bool>,
    #[serde(default)]
    pub pg_domains_as_custom_types: Vec<SerdeRegex>,
}

/// A regular expression read from the file.
#[derive(Debug, Clone)]
pub struct SerdeRegex(pub Regex);

impl<'de> Deserialize<'de> for SerdeRegex {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Regex::new(&s).map(SerdeRegex).map_err(de::Error::custom)
    }
}

/// `filter = { only_tables = [...] }` or `{ except_tables = [...] }`.
#[derive(Debug, Clone, Default)]
pub enum Filtering {
    OnlyTables(Vec<Regex>),
    ExceptTables(Vec<Regex>),
    #[default]
    None,
}

impl Filtering {
    /// Diesel's rule: `Regex::is_match` on the table's SQL name, so unanchored.
    pub fn should_ignore_table(&self, sql_name: &str) -> bool {
        match self {
            Filtering::OnlyTables(rx) => !rx.iter().any(|r| r.is_match(sql_name)),
            Filtering::ExceptTables(rx) => rx.iter().any(|r| r.is_match(sql_name)),
            Filtering::None => false,
        }
    }
}

impl<'de> Deserialize<'de> for Filtering {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FilteringVisitor;
        impl<'de> Visitor<'de> for FilteringVisitor {
            type Value = Filtering;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("either only_tables or except_tables")
            }
            fn visit_map<V: MapAccess<'de>>(self, mut map: V) -> Result<Filtering, V::Error> {
                let mut only = None::<Vec<SerdeRegex>>;
                let mut except = None::<Vec<SerdeRegex>>;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "only_tables" if only.is_some() => {
                            return Err(de::Error::duplicate_field("only_tables"))
                        }
                        "only_tables" => only = Some(map.next_value()?),
                        "except_tables" if except.is_some() => {
                            return Err(de::Error::duplicate_field("except_tables"))
                        }
                        "except_tables" => except = Some(map.next_value()?),
                        _ => {
                            return Err(de::Error::unknown_field(
                                &key,
                                &["only_tables", "except_tables"],
                            ))
                        }
                    }
                }
                let plain = |v: Vec<SerdeRegex>| v.into_iter().map(|r| r.0).collect();
                match (only, except) {
                    (Some(t), None) => Ok(Filtering::OnlyTables(plain(t))),
                    (None, Some(t)) => Ok(Filtering::ExceptTables(plain(t))),
                    (None, None) => Ok(Filtering::None),
                    _ => Err(de::Error::duplicate_field("only_tables except_tables")),
                }
            }
        }
        deserializer.deserialize_map(FilteringVisitor)
    }
}

impl<'de> Deserialize<'de> for DocConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DocConfigVisitor;
        impl Visitor<'_> for DocConfigVisitor {
            type Value = DocConfig;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(
                    f,
                    "a boolean or one of the following: {:?}",
                    DocConfig::VARIANTS_STR
                )
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<DocConfig, E> {
                Ok(if v {
                    DocConfig::DatabaseCommentsFallbackToAutoGeneratedDocComment
                } else {
                    DocConfig::NoDocComments
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DocConfig, E> {
                DocConfig::from_name(v)
                    .ok_or_else(|| de::Error::unknown_variant(v, DocConfig::VARIANTS_STR))
            }
        }
        deserializer.deserialize_any(DocConfigVisitor)
    }
}

impl<'de> Deserialize<'de> for AllowTablesConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const NAMES: &[&str] = &["fk_related_tables", "all_tables", "none"];
        let s = String::deserialize(deserializer)?;
        match s.as_str() {
            "fk_related_tables" => Ok(AllowTablesConfig::FkRelatedTables),
            "all_tables" => Ok(AllowTablesConfig::AllTables),
            "none" => Ok(AllowTablesConfig::None),
            _ => Err(de::Error::unknown_variant(&s, NAMES)),
        }
    }
}

impl<'de> Deserialize<'de> for ColumnSorting {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const NAMES: &[&str] = &["ordinal_position", "name"];
        let s = String::deserialize(deserializer)?;
        match s.as_str() {
            "ordinal_position" => Ok(ColumnSorting::OrdinalPosition),
            "name" => Ok(ColumnSorting::Name),
            _ => Err(de::Error::unknown_variant(&s, NAMES)),
        }
    }
}

/// The config file's path (it may not exist): `--config-file`, `DIESEL_CONFIG_FILE` (clap
/// reads both into `explicit`), else `diesel.toml` in the project root.
pub fn file_path(explicit: Option<&Path>) -> PathBuf {
    match explicit {
        Some(p) => p.to_path_buf(),
        None => find_project_root().unwrap_or_default().join("diesel.toml"),
    }
}

/// The nearest directory, from the current one up, holding a `diesel.toml`, else the
/// nearest holding a `Cargo.toml` (diesel_cli's `find_project_root`).
pub fn find_project_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    ["diesel.toml", "Cargo.toml"]
        .iter()
        .find_map(|f| cwd.ancestors().find(|d| d.join(f).is_file()))
        .map(Path::to_path_buf)
}

/// The loaded configuration, and whether it came from a file.
pub struct Loaded {
    pub config: Config,
    pub from_file: Option<PathBuf>,
}

/// Reads the config file if it exists; the defaults otherwise.
pub fn read(explicit: Option<&Path>) -> Result<Loaded, CliError> {
    let path = file_path(explicit);
    if !path.exists() {
        return Ok(Loaded {
            config: Config::default(),
            from_file: None,
        });
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        CliError::Io(format!(
            "Encountered an IO error: {e} for `{}`",
            path.display()
        ))
    })?;
    let mut config: Config = toml::from_str(&text).map_err(|e| {
        let message = one_line(&e.to_string());
        // A misspelt key directly under [print_schema] reads as a keyed section to serde.
        let hint = if message.ends_with("expected struct PrintSchema") {
            " (a key of [print_schema] misspelt? The keys are file, with_docs, \
             allow_tables_to_appear_in_same_query_config, filter, column_sorting, schema, \
             patch_file, import_types, generate_missing_sql_type_definitions, \
             except_custom_type_definitions, custom_type_derives, \
             sqlite_integer_primary_key_is_bigint, pg_domains_as_custom_types)"
        } else {
            ""
        };
        CliError::Config(format!(
            "Failed to parse config file {}: {message}{hint}",
            path.display(),
        ))
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let rebase = |p: &mut PathBuf| {
        if p.is_relative() {
            *p = base.join(&*p);
        }
    };
    for c in config.print_schema.all_configs.values_mut() {
        if let Some(f) = c.file.as_mut() {
            rebase(f);
        }
        if let Some(f) = c.patch_file.as_mut() {
            rebase(f);
        }
    }
    if let Some(m) = config.migrations_directory.as_mut() {
        rebase(&mut m.dir);
    }
    Ok(Loaded {
        config,
        from_file: Some(path),
    })
}

/// toml's errors quote the offending line over several lines; one line is enough here.
fn one_line(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    // "TOML parse error at line 3, column 1" … "unknown field `x`, expected …": first and last.
    match (lines.first(), lines.last()) {
        (Some(first), Some(last)) if lines.len() > 1 => format!("{first}: {last}"),
        (Some(first), _) => first.to_string(),
        _ => String::new(),
    }
}

/// The migrations directory, as diesel_cli finds it: `--migration-dir`,
/// `MIGRATION_DIRECTORY`, `[migrations_directory] dir`, else a `migrations` directory in the
/// current directory or a parent (`./migrations` when there is none).
pub fn migrations_dir(cli: Option<&Path>, config: &Config) -> PathBuf {
    if let Some(dir) = cli {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os("MIGRATION_DIRECTORY").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(m) = &config.migrations_directory {
        return m.dir.clone();
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    cwd.ancestors()
        .map(|d| d.join("migrations"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| PathBuf::from("migrations"))
}
