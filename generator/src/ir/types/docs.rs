//! The docs a type, a field or an enum's values carry, from the schema's title,
//! description and value descriptions.

use super::*;

/// Per-value descriptions (`x-enum-descriptions`, which the 3.1 reader makes of a `oneOf` of
/// documented constants), by position in `enum`.
pub(super) fn value_docs(schema: &Schema) -> Vec<Option<String>> {
    match schema.schema_data.extensions.get("x-enum-descriptions") {
        Some(serde_json::Value::Array(docs)) => {
            docs.iter().map(|d| d.as_str().map(str::to_owned)).collect()
        }
        _ => Vec::new(),
    }
}

/// A property's docs: its description, then what the schema adds (default, direction).
pub(super) fn field_docs(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let mut notes = Vec::new();
    if let Some(default) = &data.default {
        notes.push(format!(
            "Defaults to `{}` when absent.",
            default.to_string().replace('`', "'")
        ));
    }
    if data.read_only {
        notes.push("Read-only: set by the server, ignored in requests.".to_owned());
    }
    if data.write_only {
        notes.push("Write-only: sent in requests, never returned.".to_owned());
    }
    if data.deprecated {
        notes.push("Deprecated.".to_owned());
    }
    let base = docs_of(schema);
    if notes.is_empty() {
        return base;
    }
    let notes = notes.join(" ");
    Some(match base {
        Some(text) => format!("{text}\n\n{notes}"),
        None => notes,
    })
}

pub(super) fn docs_of(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(t), Some(d)) => Some(format!("{t}\n\n{d}")),
        (Some(t), None) => Some(t.clone()),
        (None, Some(d)) => Some(d.clone()),
        (None, None) => None,
    }
}
