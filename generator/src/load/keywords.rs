//! Spec mistakes that would otherwise pass silently: a misspelt `type` (`integr`) read as
//! "any JSON value", a misspelt keyword (`requried`, `nulable`, `propeties`) ignored. The
//! first is an error (under `--lenient`, the schema is read as any JSON value, with a
//! warning); the second a warning that names the closest keyword.

use crate::diagnostics::{Diagnostic, Pointer, Severity};
use serde_json::{Map, Value};

const TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null",
];

const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "$schema",
    "$id",
    "$comment",
    "$defs",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "type",
    "format",
    "title",
    "description",
    "default",
    "enum",
    "const",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
    "examples",
    "externalDocs",
    "xml",
    "discriminator",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "items",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "if",
    "then",
    "else",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "definitions",
];

const OPERATION_KEYWORDS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A type the reader would not recognise: an error. A keyword nobody defines: a warning.
pub fn check(tree: &mut Value, file: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let root = Pointer::root();
    if let Some(Value::Object(paths)) = tree.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = root.join("paths").join(path);
            let Value::Object(item) = item else { continue };
            if let Some(Value::Array(params)) = item.get_mut("parameters") {
                for (i, p) in params.iter_mut().enumerate() {
                    parameter(p, &at.join("parameters").join(i), &mut found);
                }
            }
            for method in METHODS {
                if let Some(op) = item.get_mut(*method) {
                    operation(op, &at.join(method), &mut found);
                }
            }
        }
    }
    if let Some(Value::Object(components)) = tree.get_mut("components") {
        let at = root.join("components");
        for (section, visit) in [
            (
                "schemas",
                schema as fn(&mut Value, &Pointer, &mut Vec<Found>),
            ),
            ("parameters", parameter),
            ("requestBodies", content_holder),
            ("responses", content_holder),
        ] {
            if let Some(Value::Object(entries)) = components.get_mut(section) {
                for (name, entry) in entries.iter_mut() {
                    visit(entry, &at.join(section).join(name), &mut found);
                }
            }
        }
    }
    found
        .into_iter()
        .map(|f| Diagnostic {
            severity: if f.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            file: file.to_owned(),
            pointer: f.pointer,
            line_col: None,
            message: f.message,
        })
        .collect()
}

struct Found {
    error: bool,
    pointer: String,
    message: String,
}

fn unknown_keys(map: &Map<String, Value>, known: &[&str], at: &Pointer, found: &mut Vec<Found>) {
    for key in map.keys() {
        if key.starts_with("x-") || known.contains(&key.as_str()) {
            continue;
        }
        let hint = closest(key, known)
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        found.push(Found {
            error: false,
            pointer: at.join(key).to_string(),
            message: format!(
                "`{key}` is not an OpenAPI or JSON Schema keyword here and is ignored{hint}"
            ),
        });
    }
}

fn operation(op: &mut Value, at: &Pointer, found: &mut Vec<Found>) {
    let Value::Object(op) = op else { return };
    unknown_keys(op, OPERATION_KEYWORDS, at, found);
    if let Some(Value::Array(params)) = op.get_mut("parameters") {
        for (i, p) in params.iter_mut().enumerate() {
            parameter(p, &at.join("parameters").join(i), found);
        }
    }
    if let Some(body) = op.get_mut("requestBody") {
        content_holder(body, &at.join("requestBody"), found);
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        for (code, response) in responses.iter_mut() {
            content_holder(response, &at.join("responses").join(code), found);
        }
    }
}

fn parameter(p: &mut Value, at: &Pointer, found: &mut Vec<Found>) {
    if let Some(s) = p.get_mut("schema") {
        schema(s, &at.join("schema"), found);
    }
    content_holder(p, at, found);
}

/// A request body, response or parameter: `content/<type>/schema`.
fn content_holder(holder: &mut Value, at: &Pointer, found: &mut Vec<Found>) {
    if let Some(Value::Object(content)) = holder.get_mut("content") {
        for (media, m) in content.iter_mut() {
            if let Some(s) = m.get_mut("schema") {
                schema(s, &at.join("content").join(media).join("schema"), found);
            }
        }
    }
}

fn schema(s: &mut Value, at: &Pointer, found: &mut Vec<Found>) {
    let Value::Object(map) = s else { return };
    if map.contains_key("$ref") {
        return;
    }
    unknown_keys(map, SCHEMA_KEYWORDS, at, found);
    let bad_type = match map.get("type") {
        Some(Value::String(t)) if !TYPES.contains(&t.as_str()) => Some(t.clone()),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| !TYPES.contains(t))
            .map(str::to_owned),
        _ => None,
    };
    if let Some(t) = bad_type {
        let hint = closest(&t, TYPES)
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        found.push(Found {
            error: true,
            pointer: at.join("type").to_string(),
            message: format!("`{t}` is not a JSON Schema type{hint}"),
        });
        // Read as untyped (any JSON value) should the caller go on (`--lenient`).
        map.remove("type");
    }
    for key in ["properties", "patternProperties", "$defs", "definitions"] {
        if let Some(Value::Object(children)) = map.get_mut(key) {
            for (name, child) in children.iter_mut() {
                schema(child, &at.join(key).join(name), found);
            }
        }
    }
    for key in [
        "items",
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
    ] {
        if let Some(child @ Value::Object(_)) = map.get_mut(key) {
            schema(child, &at.join(key), found);
        }
    }
    for key in ["allOf", "oneOf", "anyOf", "prefixItems"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            for (i, member) in members.iter_mut().enumerate() {
                schema(member, &at.join(key).join(i), found);
            }
        }
    }
}

/// The known word within two edits (and closer than the word's own length).
fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| {
            (
                distance(&word.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(d, k)| *d <= 2 && *d < k.len().min(word.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance, with a transposition as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, row);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_find_their_keyword() {
        assert_eq!(closest("requried", SCHEMA_KEYWORDS), Some("required"));
        assert_eq!(closest("nulable", SCHEMA_KEYWORDS), Some("nullable"));
        assert_eq!(closest("propeties", SCHEMA_KEYWORDS), Some("properties"));
        assert_eq!(closest("integr", TYPES), Some("integer"));
        assert_eq!(
            closest("operationID", OPERATION_KEYWORDS),
            Some("operationId")
        );
        assert_eq!(closest("zzz", SCHEMA_KEYWORDS), None);
    }
}
