//! OpenAPI 3.1 (JSON Schema 2020-12) read as the 3.0 model the IR knows, by rewriting the
//! document tree in place. Paths and component names do not move, so every pointer a later
//! diagnostic names is the original document's.
//!
//! | 3.1 | read as |
//! |---|---|
//! | `type: [T, "null"]`, `anyOf`/`oneOf` with a `{type: "null"}` member, `type: "null"` | `T` with `nullable: true` |
//! | `type: [A, B, …]` | `oneOf` of each type (keywords of arrays and objects go with their member) |
//! | `const: v` | `enum: [v]` (with the type of `v`) |
//! | `oneOf` of `const`s (each with a `description`/`title`) | one `enum`, the descriptions as `x-enum-descriptions` |
//! | `$ref` beside other keywords | `allOf: [$ref]` beside them, so they apply at the use site |
//! | numeric `exclusiveMinimum`/`exclusiveMaximum` | `minimum`/`maximum` + `true` |
//! | `contentEncoding: base64` | `format: base64`: the runtime's `Base64` (bytes) |
//! | `examples: [..]` | `example` (the first) |
//! | `prefixItems` of a fixed length (`minItems` its length, and `items: false` or the same `maxItems`) | a tuple `(A, B)` |
//! | other `prefixItems` | `items: {}` (any JSON values) |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |
//! | no `paths` (webhooks only) | `paths: {}` |
//!
//! Inline `webhooks` payloads become component schemas first (`super::webhooks`).
//! `$schema`, `$id`, `$comment`, `$anchor`, `jsonSchemaDialect`, `contentMediaType`,
//! `info.summary` and `license.identifier` are read and ignored.

use super::walk;
use serde_json::{Map, Value, json};

pub fn downgrade(tree: &mut Value) {
    if let Value::Object(root) = tree {
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        root.remove("jsonSchemaDialect");
        root.entry("paths").or_insert_with(|| json!({}));
    }
    walk::schemas_mut(tree, &mut rewrite);
}

/// Keywords that say nothing about the value; beside a `$ref` they need no `allOf`.
const INERT: &[&str] = &[
    "$ref", "$comment", "$id", "$schema", "$anchor", "examples", "example",
];

fn rewrite(s: &mut Value) {
    if let Value::Bool(accepts) = s {
        *s = if *accepts {
            json!({})
        } else {
            json!({"not": {}})
        };
        return;
    }
    let Value::Object(map) = s else { return };
    if map.keys().any(|k| !INERT.contains(&k.as_str()))
        && let Some(reference) = map.remove("$ref")
    {
        let mut all_of = vec![json!({ "$ref": reference })];
        if let Some(Value::Array(more)) = map.remove("allOf") {
            all_of.extend(more);
        }
        map.insert("allOf".into(), Value::Array(all_of));
    }
    type_list(map);
    if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
    for key in ["anyOf", "oneOf"] {
        null_member(map, key);
    }
    documented_enum(map);
    if let Some(value) = map.remove("const") {
        if !map.contains_key("enum") {
            map.insert("enum".into(), Value::Array(vec![value.clone()]));
        }
        if !map.contains_key("type")
            && let Some(t) = type_of(&value)
        {
            map.insert("type".into(), Value::String(t.into()));
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some(Value::Array(examples)) = map.remove("examples")
        && !map.contains_key("example")
        && let Some(first) = examples.into_iter().next()
    {
        map.insert("example".into(), first);
    }
    if map.get("contentEncoding").and_then(Value::as_str) == Some("base64") {
        map.remove("contentEncoding");
        map.insert("format".into(), json!("base64"));
    }
    if let Some(Value::Array(members)) = map.remove("prefixItems") {
        // Every member present (`minItems`) and nothing after them.
        let length = Some(members.len() as u64);
        let fixed = map.get("minItems").and_then(Value::as_u64) == length
            && (map.get("items") == Some(&Value::Bool(false))
                || map.get("unevaluatedItems") == Some(&Value::Bool(false))
                || map.get("maxItems").and_then(Value::as_u64) == length);
        if fixed && !members.is_empty() {
            // A tuple: the members as numbered properties the IR reads in order.
            let properties: Map<String, Value> = members
                .into_iter()
                .enumerate()
                .map(|(i, m)| (i.to_string(), m))
                .collect();
            for key in ["items", "minItems", "maxItems", "unevaluatedItems"] {
                map.remove(key);
            }
            map.insert("type".into(), json!("object"));
            map.insert("properties".into(), Value::Object(properties));
            map.insert("x-tuple".into(), Value::Bool(true));
        } else if !matches!(map.get("items"), Some(Value::Object(_))) {
            map.insert("items".into(), json!({}));
        }
    }
    if matches!(map.get("items"), Some(Value::Bool(_))) {
        map.insert("items".into(), json!({}));
    }
}

fn type_of(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::String(_) => "string",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        _ => return None,
    })
}

/// The one 3.1 form real 2.0 and 3.0 documents use (`type: [T, "null"]`), rewritten as in
/// a 3.1 document; returns how many schemas had it.
pub fn type_lists(tree: &mut Value) -> usize {
    let mut count = 0;
    walk::schemas_mut(tree, &mut |s| {
        if let Value::Object(map) = s
            && map.get("type").is_some_and(Value::is_array)
        {
            count += 1;
            type_list(map);
        }
    });
    count
}

/// `type: [T, "null"]` → `T` + nullable; several types → a `oneOf`.
fn type_list(map: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = map.get("type").cloned() else {
        return;
    };
    let named: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
    let others: Vec<&str> = named.iter().copied().filter(|t| *t != "null").collect();
    if others.len() < named.len() {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match others.as_slice() {
        [] => {
            map.remove("type");
        }
        [one] => {
            map.insert("type".into(), Value::String((*one).to_owned()));
        }
        several => {
            map.remove("type");
            let members = several
                .iter()
                .map(|t| {
                    let mut member = Map::new();
                    member.insert("type".into(), Value::String((*t).to_owned()));
                    let own: &[&str] = match *t {
                        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
                        "object" => &["properties", "required", "additionalProperties"],
                        _ => &[],
                    };
                    for key in own {
                        if let Some(v) = map.remove(*key) {
                            member.insert((*key).into(), v);
                        }
                    }
                    Value::Object(member)
                })
                .collect();
            map.insert("oneOf".into(), Value::Array(members));
        }
    }
}

fn is_null_schema(s: &Value) -> bool {
    match s.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().all(|t| t == "null"),
        _ => false,
    }
}

/// `anyOf: [X, {type: "null"}]` → `X` + nullable; with several others, a nullable union.
fn null_member(map: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(members)) = map.get_mut(key) else {
        return;
    };
    let before = members.len();
    members.retain(|m| !is_null_schema(m));
    if members.len() == before {
        return;
    }
    map.insert("nullable".into(), Value::Bool(true));
    let Some(Value::Array(members)) = map.get_mut(key) else {
        return;
    };
    if members.len() > 1 {
        return;
    }
    let only = members.pop();
    map.remove(key);
    match only {
        Some(Value::Object(member)) if member.contains_key("$ref") => {
            let mut all_of = vec![Value::Object(member)];
            if let Some(Value::Array(more)) = map.remove("allOf") {
                all_of.extend(more);
            }
            map.insert("allOf".into(), Value::Array(all_of));
        }
        Some(Value::Object(member)) => {
            for (k, v) in member {
                map.entry(k).or_insert(v);
            }
        }
        _ => {}
    }
}

/// Discord's "documented enums": `oneOf` members that are each one constant with a title or
/// description become one `enum`, the texts kept for the variants' docs.
fn documented_enum(map: &mut Map<String, Value>) {
    let Some(Value::Array(members)) = map.get("oneOf") else {
        return;
    };
    let constant = |m: &Value| -> Option<Value> {
        m.get("const").cloned().or_else(|| match m.get("enum") {
            Some(Value::Array(values)) if values.len() == 1 => values.first().cloned(),
            _ => None,
        })
    };
    let values: Option<Vec<Value>> = members.iter().map(constant).collect();
    let Some(values) = values.filter(|v| !v.is_empty()) else {
        return;
    };
    let kinds: Vec<Option<&str>> = values.iter().map(type_of).collect();
    let Some(kind) = kinds.first().copied().flatten() else {
        return;
    };
    if kinds.iter().any(|k| *k != Some(kind)) || !matches!(kind, "string" | "integer") {
        return;
    }
    let docs: Vec<Value> = members
        .iter()
        .map(|m| {
            m.get("description")
                .or_else(|| m.get("title"))
                .cloned()
                .unwrap_or(Value::Null)
        })
        .collect();
    map.remove("oneOf");
    map.insert("type".into(), Value::String(kind.into()));
    map.insert("enum".into(), Value::Array(values));
    map.insert("x-enum-descriptions".into(), Value::Array(docs));
}
