//! Spec names → valid, readable Rust identifiers.
//!
//! Only ASCII letters, digits and `_` survive, so nothing from a spec reaches the output
//! as code; keywords become raw identifiers (`r#type`) or, where Rust forbids that
//! (`self`, `Self`, `crate`, `super`), get a trailing `_`.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Splits on anything that is not an ASCII letter or digit, so heck sees plain words.
fn ascii_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` type or variant name; `fallback` when nothing usable is left.
pub fn pascal_ident(raw: &str, fallback: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'X');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `snake_case` field, parameter or method name; keywords come back raw (`r#type`).
pub fn snake_ident(raw: &str, fallback: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'x');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if is_keyword(&name) {
        name.insert_str(0, "r#");
    }
    name
}

/// A `snake_case` name cut to at most `max` characters, at a word boundary where one is
/// near (`list_every_pet_in_the_store` → `list_every_pet`), never ending in `_`.
pub fn shortened(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    let cut = &name[..max];
    let cut = match cut.rfind('_') {
        Some(at) if at >= max / 2 => &cut[..at],
        _ => cut,
    };
    cut.trim_end_matches('_').to_owned()
}

/// A `PascalCase` name's last words, as many as fit in `max` characters; `None` when it is
/// short enough already or its last word alone is longer.
pub fn last_words(name: &str, max: usize) -> Option<String> {
    if name.len() <= max {
        return None;
    }
    // Word starts: an uppercase letter, or a digit after a non-digit.
    let starts: Vec<usize> = name
        .char_indices()
        .zip(std::iter::once(None).chain(name.chars().map(Some)))
        .filter(|((_, c), prev)| {
            c.is_ascii_uppercase()
                || (c.is_ascii_digit() && !prev.is_some_and(|p| p.is_ascii_digit()))
        })
        .map(|((i, _), _)| i)
        .collect();
    starts
        .iter()
        .find(|&&at| {
            name.len() - at <= max && name[at..].starts_with(|c: char| c.is_ascii_uppercase())
        })
        .map(|&at| name[at..].to_owned())
}

/// A namespace in which every name handed out is distinct.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    used: HashSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks names the generated code already uses in this namespace.
    pub fn reserve(&mut self, names: &[&str]) {
        self.used.extend(names.iter().map(|n| (*n).to_owned()));
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// `candidate`, or `candidate` with the smallest numeric suffix that is free. Raw
    /// identifiers are compared without their `r#`, as serde and rustc see them.
    pub fn unique(&mut self, candidate: String) -> String {
        let bare = candidate
            .strip_prefix("r#")
            .unwrap_or(&candidate)
            .to_owned();
        if self.used.insert(bare.clone()) {
            return candidate;
        }
        // `self_` + 2 is `self_2`: a doubled `_` is not snake_case.
        let sep = if bare.ends_with('_') {
            ""
        } else if bare.contains('_') || bare.starts_with(|c: char| c.is_ascii_lowercase()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{bare}{sep}{n}"))
            .find(|name| self.used.insert(name.clone()))
            .unwrap_or(bare)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_keep_their_last_words() {
        let long = "BodyPaymentMethodOptionsUsBankAccountVariant1PreferredSettlementSpeed";
        assert_eq!(
            last_words(long, 60).as_deref(),
            Some("MethodOptionsUsBankAccountVariant1PreferredSettlementSpeed")
        );
        assert_eq!(last_words("Short", 60), None);
        assert_eq!(last_words(&format!("A{}", "b".repeat(69)), 60), None);
    }

    #[test]
    fn keywords_and_odd_names_become_valid_identifiers() {
        assert_eq!(snake_ident("in", "f"), "r#in");
        assert_eq!(snake_ident("type", "f"), "r#type");
        assert_eq!(snake_ident("self", "f"), "self_");
        assert_eq!(snake_ident("2fa", "f"), "x2fa");
        assert_eq!(
            snake_ident("associatedContactId", "f"),
            "associated_contact_id"
        );
        assert_eq!(snake_ident("a-b.c[d] e", "f"), "a_b_c_d_e");
        assert_eq!(snake_ident("ñ", "field"), "field");
        assert_eq!(pascal_ident("Self", "T"), "Self_");
        assert_eq!(pascal_ident("2xx", "T"), "X2xx");
        assert_eq!(pascal_ident("IN_PROGRESS", "T"), "InProgress");
        assert_eq!(pascal_ident("", "Value"), "Value");
    }

    #[test]
    fn scope_suffixes_collisions_deterministically() {
        let mut scope = Scope::new();
        assert_eq!(scope.unique("InProgress".into()), "InProgress");
        assert_eq!(scope.unique("InProgress".into()), "InProgress2");
        assert_eq!(scope.unique("r#type".into()), "r#type");
        assert_eq!(scope.unique("type".into()), "type_2");
        assert_eq!(scope.unique("a_b".into()), "a_b");
        assert_eq!(scope.unique("a_b".into()), "a_b_2");
        assert_eq!(scope.unique("self_".into()), "self_");
        assert_eq!(scope.unique("self_".into()), "self_2");
    }
}
