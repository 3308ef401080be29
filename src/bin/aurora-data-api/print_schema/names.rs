//! Rust names for SQL names, as diesel_cli makes them (keywords, reserved names, casing).

const RESERVED_NAMES: &[&str] = &["table", "columns", "is_nullable"];

/// Rust keywords and what else `syn` refuses as an identifier (diesel asks `syn`).
const KEYWORDS: &[&str] = &[
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

pub(crate) fn is_valid_ident(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_ascii_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c.is_ascii_alphanumeric()) && !KEYWORDS.contains(&name)
}

pub(crate) fn is_reserved_name(name: &str) -> bool {
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
