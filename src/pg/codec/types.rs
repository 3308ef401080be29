//! PostgreSQL type knowledge shared by the bind and result codecs: the built-in type table
//! (OID ↔ name ↔ cast) and the registry of custom types (enums, citext, composites) with
//! synthetic OIDs.
//!
//! The Data API never sees an OID: binds are sent as `:pN::<type name>` and results
//! carry a `typeName`. OIDs only exist between diesel and this crate, so custom types can get
//! synthetic ones without a round trip to `pg_type`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use diesel::pg::{PgMetadataLookup, PgTypeMetadata};

// ---- built-in types ----

/// How values of a (scalar) type are converted; shared by binds and results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    Int2,
    Int4,
    Int8,
    Oid,
    Float4,
    Float8,
    Numeric,
    Money,
    /// UTF-8 text: text, varchar, bpchar, name, xml, citext, enums, unknown custom types.
    Text,
    /// The one-byte `"char"` type.
    Char,
    Bytea,
    Uuid,
    Json,
    Jsonb,
    Date,
    Time,
    TimeTz,
    Timestamp,
    TimestampTz,
    Interval,
    Inet,
    Cidr,
    MacAddr,
    MacAddr8,
    PgLsn,
    /// A range over the built-in element type with this OID.
    Range(u32),
    /// A multirange over the built-in element type with this OID.
    Multirange(u32),
    /// Anonymous `record`: PostgreSQL cannot take it as a parameter.
    Record,
}

/// One built-in PostgreSQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BuiltinType {
    pub oid: u32,
    pub array_oid: u32,
    /// `pg_type.typname`, as the Data API reports it in `typeName`.
    pub name: &'static str,
    /// The SQL spelling used in the `:pN::<cast>` of a parameter.
    pub cast: &'static str,
    pub kind: Kind,
}

const fn b(
    oid: u32,
    array_oid: u32,
    name: &'static str,
    cast: &'static str,
    kind: Kind,
) -> BuiltinType {
    BuiltinType {
        oid,
        array_oid,
        name,
        cast,
        kind,
    }
}

/// Every type diesel's `Pg` backend knows (plus `timetz` and `xml`), with OIDs from
/// `pg_type.dat`.
pub(crate) const BUILTINS: &[BuiltinType] = &[
    b(16, 1000, "bool", "bool", Kind::Bool),
    b(17, 1001, "bytea", "bytea", Kind::Bytea),
    // Quoted: a bare `char` is `character(1)`.
    b(18, 1002, "char", "\"char\"", Kind::Char),
    b(19, 1003, "name", "name", Kind::Text),
    b(20, 1016, "int8", "int8", Kind::Int8),
    b(21, 1005, "int2", "int2", Kind::Int2),
    b(23, 1007, "int4", "int4", Kind::Int4),
    b(25, 1009, "text", "text", Kind::Text),
    b(26, 1028, "oid", "oid", Kind::Oid),
    b(114, 199, "json", "json", Kind::Json),
    b(142, 143, "xml", "xml", Kind::Text),
    b(650, 651, "cidr", "cidr", Kind::Cidr),
    b(700, 1021, "float4", "float4", Kind::Float4),
    b(701, 1022, "float8", "float8", Kind::Float8),
    b(774, 775, "macaddr8", "macaddr8", Kind::MacAddr8),
    b(790, 791, "money", "money", Kind::Money),
    b(829, 1040, "macaddr", "macaddr", Kind::MacAddr),
    b(869, 1041, "inet", "inet", Kind::Inet),
    b(1042, 1014, "bpchar", "bpchar", Kind::Text),
    b(1043, 1015, "varchar", "varchar", Kind::Text),
    b(1082, 1182, "date", "date", Kind::Date),
    b(1083, 1183, "time", "time", Kind::Time),
    b(1114, 1115, "timestamp", "timestamp", Kind::Timestamp),
    b(1184, 1185, "timestamptz", "timestamptz", Kind::TimestampTz),
    b(1186, 1187, "interval", "interval", Kind::Interval),
    b(1266, 1270, "timetz", "timetz", Kind::TimeTz),
    b(1700, 1231, "numeric", "numeric", Kind::Numeric),
    b(2249, 2287, "record", "record", Kind::Record),
    b(2950, 2951, "uuid", "uuid", Kind::Uuid),
    b(3220, 3221, "pg_lsn", "pg_lsn", Kind::PgLsn),
    b(3802, 3807, "jsonb", "jsonb", Kind::Jsonb),
    b(3904, 3905, "int4range", "int4range", Kind::Range(23)),
    b(3906, 3907, "numrange", "numrange", Kind::Range(1700)),
    b(3908, 3909, "tsrange", "tsrange", Kind::Range(1114)),
    b(3910, 3911, "tstzrange", "tstzrange", Kind::Range(1184)),
    b(3912, 3913, "daterange", "daterange", Kind::Range(1082)),
    b(3926, 3927, "int8range", "int8range", Kind::Range(20)),
    b(
        4451,
        6150,
        "int4multirange",
        "int4multirange",
        Kind::Multirange(23),
    ),
    b(
        4532,
        6151,
        "nummultirange",
        "nummultirange",
        Kind::Multirange(1700),
    ),
    b(
        4533,
        6152,
        "tsmultirange",
        "tsmultirange",
        Kind::Multirange(1114),
    ),
    b(
        4534,
        6153,
        "tstzmultirange",
        "tstzmultirange",
        Kind::Multirange(1184),
    ),
    b(
        4535,
        6155,
        "datemultirange",
        "datemultirange",
        Kind::Multirange(1082),
    ),
    b(
        4536,
        6157,
        "int8multirange",
        "int8multirange",
        Kind::Multirange(20),
    ),
];

/// OID of `text`, used for values of unknown types.
pub(crate) const TEXT_OID: u32 = 25;
/// OID of `text[]`.
pub(crate) const TEXT_ARRAY_OID: u32 = 1009;

/// The built-in type with this (element) OID.
pub(crate) fn builtin_by_oid(oid: u32) -> Option<&'static BuiltinType> {
    BUILTINS.iter().find(|t| t.oid == oid)
}

/// The built-in type whose array type has this OID.
pub(crate) fn builtin_by_array_oid(array_oid: u32) -> Option<&'static BuiltinType> {
    BUILTINS.iter().find(|t| t.array_oid == array_oid)
}

/// The built-in type with this `typname` (or a common SQL alias of it).
pub(crate) fn builtin_by_name(name: &str) -> Option<&'static BuiltinType> {
    let name = match name {
        "boolean" => "bool",
        "smallint" | "smallserial" | "serial2" => "int2",
        "integer" | "int" | "serial" | "serial4" => "int4",
        "bigint" | "bigserial" | "serial8" => "int8",
        "real" => "float4",
        "double precision" => "float8",
        "decimal" => "numeric",
        "character varying" => "varchar",
        "character" => "bpchar",
        "timestamp without time zone" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        "time without time zone" => "time",
        "time with time zone" => "timetz",
        other => other,
    };
    BUILTINS.iter().find(|t| t.name == name)
}

/// The cast of a built-in type or built-in array type (`int4`, `int4[]`).
#[cfg(test)]
pub fn builtin_cast_type(oid: u32) -> Option<String> {
    if let Some(t) = builtin_by_oid(oid) {
        return Some(t.cast.to_string());
    }
    builtin_by_array_oid(oid).map(|t| format!("{}[]", t.cast))
}

/// `"ident"`, with `"` doubled, as PostgreSQL quotes identifiers.
pub(crate) fn quote_ident(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

// ---- custom types ----

/// First synthetic OID. PostgreSQL's built-in OIDs are below 16384 and the Data API never
/// sees OIDs, so anything far above is free; each custom type takes two (type, array).
pub const FIRST_SYNTHETIC_OID: u32 = 0x7000_0000;

/// A custom type (enum, extension type such as `citext`, composite) known by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CustomType {
    /// The schema given to `lookup_type`, if any.
    pub schema: Option<String>,
    /// The type name given to `lookup_type`.
    pub name: String,
    /// The synthetic OID of the type.
    pub oid: u32,
    /// The synthetic OID of its array type.
    pub array_oid: u32,
}

impl CustomType {
    /// `"schema"."name"` or `"name"`.
    pub fn cast(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{}.{}", quote_ident(schema), quote_ident(&self.name)),
            None => quote_ident(&self.name),
        }
    }
}

/// What an OID stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    Builtin(&'static BuiltinType),
    Custom(CustomType),
    /// A 1-D (or n-D) array of the element type.
    Array(Box<Resolved>),
}

impl Resolved {
    /// [`Resolved::cast`], borrowed for a built-in scalar.
    pub(crate) fn cast_name(&self) -> std::borrow::Cow<'static, str> {
        match self {
            Resolved::Builtin(t) => std::borrow::Cow::Borrowed(t.cast),
            other => std::borrow::Cow::Owned(other.cast()),
        }
    }

    /// The SQL type to cast a parameter to.
    pub(crate) fn cast(&self) -> String {
        match self {
            Resolved::Builtin(t) => t.cast.to_string(),
            Resolved::Custom(c) => c.cast(),
            Resolved::Array(e) => format!("{}[]", e.cast()),
        }
    }
}

#[derive(Debug)]
struct Inner {
    next_oid: Option<u32>,
    by_name: HashMap<(Option<String>, String), CustomType>,
    by_oid: HashMap<u32, CustomType>,
    by_array_oid: HashMap<u32, CustomType>,
}

/// Hands out synthetic OIDs for custom PostgreSQL types looked up by `(name, schema)` and
/// remembers them, so binds of those OIDs can later be cast to `"schema"."name"`.
///
/// Cloning is cheap and **shares** the table (it is an `Arc`), so one registry can serve a
/// connection and every lookup handle made from it. It is also diesel's
/// [`PgMetadataLookup`]: pass `&mut registry` to `collect_binds`.
#[derive(Debug, Clone)]
pub struct TypeRegistry {
    inner: Arc<Mutex<Inner>>,
}

impl Default for TypeRegistry {
    fn default() -> Self {
        Self::new()
    }
}

impl TypeRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner {
                next_oid: Some(FIRST_SYNTHETIC_OID),
                by_name: HashMap::new(),
                by_oid: HashMap::new(),
                by_array_oid: HashMap::new(),
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The table stays consistent even if a holder panicked: every insert is complete
        // before the guard is released.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `(oid, array_oid)` for a type name: built-in OIDs for built-in names (diesel looks up
    /// e.g. `"text"` by name), otherwise a synthetic pair, stable for the registry's life.
    /// `None` only when the synthetic OID space is exhausted.
    pub fn oids_for(&self, name: &str, schema: Option<&str>) -> Option<(u32, u32)> {
        if matches!(schema, None | Some("pg_catalog")) {
            if let Some(t) = BUILTINS.iter().find(|t| t.name == name) {
                return Some((t.oid, t.array_oid));
            }
        }
        let key = (schema.map(str::to_owned), name.to_owned());
        let mut inner = self.lock();
        if let Some(t) = inner.by_name.get(&key) {
            return Some((t.oid, t.array_oid));
        }
        let oid = inner.next_oid?;
        let array_oid = oid.checked_add(1)?;
        inner.next_oid = array_oid.checked_add(1);
        let t = CustomType {
            schema: key.0.clone(),
            name: key.1.clone(),
            oid,
            array_oid,
        };
        inner.by_oid.insert(oid, t.clone());
        inner.by_array_oid.insert(array_oid, t.clone());
        inner.by_name.insert(key, t);
        Some((oid, array_oid))
    }

    /// A [`PgMetadataLookup`] handle for `collect_binds` / `row_metadata` that shares this
    /// registry's table.
    pub fn lookup(&self) -> RegistryLookup {
        RegistryLookup(self.clone())
    }

    /// The custom type with this synthetic OID.
    #[cfg(test)]
    pub fn custom_type(&self, oid: u32) -> Option<CustomType> {
        self.lock().by_oid.get(&oid).cloned()
    }

    /// The element OID of an array OID (built-in or synthetic).
    #[cfg(test)]
    pub fn array_element(&self, array_oid: u32) -> Option<u32> {
        if let Some(t) = builtin_by_array_oid(array_oid) {
            return Some(t.oid);
        }
        self.lock().by_array_oid.get(&array_oid).map(|t| t.oid)
    }

    /// The SQL type a bind of this OID is cast to: `int4`, `int4[]`, `"s"."mood"`,
    /// `"citext"[]`; `None` for an OID this registry never handed out.
    #[cfg(test)]
    pub fn cast_type(&self, oid: u32) -> Option<String> {
        self.resolve(oid).map(|r| r.cast())
    }

    pub(crate) fn resolve(&self, oid: u32) -> Option<Resolved> {
        if let Some(t) = builtin_by_oid(oid) {
            return Some(Resolved::Builtin(t));
        }
        if let Some(t) = builtin_by_array_oid(oid) {
            return Some(Resolved::Array(Box::new(Resolved::Builtin(t))));
        }
        let inner = self.lock();
        if let Some(t) = inner.by_oid.get(&oid) {
            return Some(Resolved::Custom(t.clone()));
        }
        inner
            .by_array_oid
            .get(&oid)
            .map(|t| Resolved::Array(Box::new(Resolved::Custom(t.clone()))))
    }
}

/// diesel's metadata lookup over a [`TypeRegistry`] (see [`TypeRegistry::lookup`]); owns a
/// shared handle, so it is `'static` and `as_any` works (`#[derive(MultiConnection)]`).
#[derive(Debug, Clone)]
pub struct RegistryLookup(pub TypeRegistry);

impl PgMetadataLookup for RegistryLookup {
    fn lookup_type(&mut self, type_name: &str, schema: Option<&str>) -> PgTypeMetadata {
        self.0.lookup_type(type_name, schema)
    }

    fn as_any<'a>(&mut self) -> &mut (dyn std::any::Any + 'a)
    where
        Self: 'a,
    {
        self
    }
}

impl PgMetadataLookup for TypeRegistry {
    fn lookup_type(&mut self, type_name: &str, schema: Option<&str>) -> PgTypeMetadata {
        match self.oids_for(type_name, schema) {
            Some(pair) => PgTypeMetadata::from_result(Ok(pair)),
            None => {
                use std::borrow::Cow;
                let key = diesel::pg::PgMetadataCacheKey::new(
                    schema.map(|s| Cow::Owned(s.to_owned())),
                    Cow::Owned(type_name.to_owned()),
                );
                PgTypeMetadata::from_result(Err(diesel::pg::FailedToLookupTypeError::new(key)))
            }
        }
    }

    fn as_any<'a>(&mut self) -> &mut (dyn std::any::Any + 'a)
    where
        Self: 'a,
    {
        self
    }
}

#[cfg(test)]
mod tests;
