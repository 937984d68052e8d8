//! Every schema of a document tree, for passes that rewrite schemas in place.

use serde_json::Value;

pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Calls `visit` on every schema object of the document (each before its sub-schemas, so
/// a rewrite is followed into what it produced).
pub fn schemas_mut(tree: &mut Value, visit: &mut dyn FnMut(&mut Value)) {
    for key in ["paths", "webhooks"] {
        if let Some(Value::Object(paths)) = tree.get_mut(key) {
            for item in paths.values_mut() {
                path_item(item, visit);
            }
        }
    }
    if let Some(Value::Object(components)) = tree.get_mut("components") {
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for s in schemas.values_mut() {
                schema(s, visit, 0);
            }
        }
        for section in ["parameters", "headers"] {
            if let Some(Value::Object(entries)) = components.get_mut(section) {
                for p in entries.values_mut() {
                    parameter(p, visit);
                }
            }
        }
        for section in ["requestBodies", "responses"] {
            if let Some(Value::Object(entries)) = components.get_mut(section) {
                for b in entries.values_mut() {
                    content(b, visit);
                }
            }
        }
        if let Some(Value::Object(items)) = components.get_mut("pathItems") {
            for item in items.values_mut() {
                path_item(item, visit);
            }
        }
    }
}

fn path_item(item: &mut Value, visit: &mut dyn FnMut(&mut Value)) {
    let Value::Object(item) = item else { return };
    if let Some(Value::Array(params)) = item.get_mut("parameters") {
        params.iter_mut().for_each(|p| parameter(p, visit));
    }
    for method in METHODS {
        let Some(Value::Object(op)) = item.get_mut(*method) else {
            continue;
        };
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            params.iter_mut().for_each(|p| parameter(p, visit));
        }
        if let Some(body) = op.get_mut("requestBody") {
            content(body, visit);
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            responses.values_mut().for_each(|r| content(r, visit));
        }
    }
}

fn parameter(p: &mut Value, visit: &mut dyn FnMut(&mut Value)) {
    if let Some(s) = p.get_mut("schema") {
        schema(s, visit, 0);
    }
    content(p, visit);
}

/// A request body, response, parameter or header: `content/*/schema`, and a response's
/// `headers/*`.
fn content(holder: &mut Value, visit: &mut dyn FnMut(&mut Value)) {
    if let Some(Value::Object(content)) = holder.get_mut("content") {
        for media in content.values_mut() {
            if let Some(s) = media.get_mut("schema") {
                schema(s, visit, 0);
            }
        }
    }
    if let Some(Value::Object(headers)) = holder.get_mut("headers") {
        headers.values_mut().for_each(|h| parameter(h, visit));
    }
}

/// Documents are at most a few hundred levels deep (the parsers' limit); the bound keeps a
/// rewrite that nests from recursing without end.
const MAX_DEPTH: usize = 256;

pub fn schema(s: &mut Value, visit: &mut dyn FnMut(&mut Value), depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    visit(s);
    let Value::Object(map) = s else { return };
    for key in ["properties", "patternProperties", "$defs", "definitions"] {
        if let Some(Value::Object(children)) = map.get_mut(key) {
            children
                .values_mut()
                .for_each(|c| schema(c, visit, depth + 1));
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
            schema(child, visit, depth + 1);
        }
    }
    for key in ["allOf", "oneOf", "anyOf", "prefixItems"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            members.iter_mut().for_each(|m| schema(m, visit, depth + 1));
        }
    }
}

/// Calls `visit` on every `$ref` string anywhere in the tree (examples included: rewriting
/// a reference must reach every copy of it).
pub fn refs_mut(value: &mut Value, visit: &mut dyn FnMut(&mut String)) {
    refs_within(value, visit, 0);
}

fn refs_within(value: &mut Value, visit: &mut dyn FnMut(&mut String), depth: usize) {
    if depth > 512 {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                visit(r);
            }
            map.values_mut()
                .for_each(|v| refs_within(v, visit, depth + 1));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| refs_within(v, visit, depth + 1)),
        _ => {}
    }
}
