//! What the API sends to the application: 3.1 `webhooks`, 3.0's `x-webhooks` extension (the
//! same shape, Redocly's convention) and operations' `callbacks`. None has client methods,
//! but their payloads are types a receiver needs: an inline payload schema becomes the
//! component `<Name> <method> payload`, and every JSON payload joins one union component,
//! `WebhookEvent`, marked with [`WEBHOOK_EVENT`], that the webhook verifier decodes into.
//!
//! Runs before the 3.1 rewrite, so a payload moved into the components is rewritten with
//! them.

use super::walk::METHODS;
use crate::diagnostics::Pointer;
use serde_json::{Map, Value, json};

/// Marks the component that holds the union of webhook payloads.
pub const WEBHOOK_EVENT: &str = "x-openapi-gen-webhook-event";

/// A request body the API sends: its name for the payload, its method, and the JSON
/// pointer of its `content` map.
struct Delivery {
    name: String,
    method: String,
    content: Pointer,
}

/// The value at `pointer` in the document.
fn at<'a>(tree: &'a Value, pointer: &Pointer) -> Option<&'a Value> {
    tree.pointer(pointer.as_str().trim_start_matches('#'))
}

/// Where a `$ref` into this document's `#/components/<section>/<name>` points; `None` for
/// any other reference.
fn local(reference: &Value, section: &str) -> Option<Pointer> {
    let pointer = Pointer::from_ref(reference.get("$ref")?.as_str()?)?;
    let segments: Vec<String> = pointer.segments().collect();
    matches!(segments.as_slice(), [components, s, _] if components == "components" && s == section)
        .then_some(pointer)
}

/// The deliveries of the path item at `pointer` (following one `$ref` to a component
/// path item), named `name`.
fn path_item(tree: &Value, pointer: Pointer, name: &str, out: &mut Vec<Delivery>) {
    let Some(item) = at(tree, &pointer) else {
        return;
    };
    let pointer = local(item, "pathItems").unwrap_or(pointer);
    let Some(Value::Object(item)) = at(tree, &pointer) else {
        return;
    };
    for (method, op) in item {
        if !METHODS.contains(&method.as_str()) {
            continue;
        }
        let Some(body) = op.get("requestBody") else {
            continue;
        };
        let content = local(body, "requestBodies")
            .unwrap_or_else(|| pointer.join(method).join("requestBody"))
            .join("content");
        if at(tree, &content).is_some_and(Value::is_object) {
            out.push(Delivery {
                name: name.to_owned(),
                method: method.clone(),
                content,
            });
        }
    }
}

/// Every delivery of the document, in document order, each content map once.
fn deliveries(tree: &Value) -> Vec<Delivery> {
    let mut found = Vec::new();
    for key in ["webhooks", "x-webhooks"] {
        if let Some(Value::Object(hooks)) = tree.get(key) {
            for hook in hooks.keys() {
                path_item(tree, Pointer::root().join(key).join(hook), hook, &mut found);
            }
        }
    }
    // Callbacks: each operation's, by name (a `$ref` to a component callback followed).
    if let Some(Value::Object(paths)) = tree.get("paths") {
        for (path, item) in paths {
            let Value::Object(item) = item else { continue };
            for (method, op) in item {
                let Some(Value::Object(callbacks)) = op.get("callbacks") else {
                    continue;
                };
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                for (name, callback) in callbacks {
                    let pointer = local(callback, "callbacks").unwrap_or_else(|| {
                        Pointer::root()
                            .join("paths")
                            .join(path)
                            .join(method)
                            .join("callbacks")
                            .join(name)
                    });
                    let Some(Value::Object(expressions)) = at(tree, &pointer) else {
                        continue;
                    };
                    for expression in expressions.keys() {
                        path_item(tree, pointer.join(expression), name, &mut found);
                    }
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|d| seen.insert(d.content.clone()));
    found
}

fn is_json(media_type: &str) -> bool {
    media_type.split(';').next().is_some_and(|m| {
        let m = m.trim();
        m == "application/json" || m.ends_with("+json")
    })
}

/// Moves inline payloads into the components, adds the union of JSON payloads, and writes
/// each operation's `$ref` to a component callback out in full (the 3.0 model the IR reads
/// has no references there).
pub fn payloads(tree: &mut Value) {
    move_payloads(tree);
    inline_callback_refs(tree);
}

/// Replaces each operation's `$ref` to `#/components/callbacks/…` with a copy of it; one
/// that names nothing is left for the reader to report.
fn inline_callback_refs(tree: &mut Value) {
    let Some(Value::Object(components)) = tree.pointer("/components/callbacks").cloned() else {
        return;
    };
    let Some(Value::Object(paths)) = tree.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Value::Object(item) = item else { continue };
        for (method, op) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(Value::Object(callbacks)) = op.get_mut("callbacks") else {
                continue;
            };
            for callback in callbacks.values_mut() {
                let target = local(callback, "callbacks")
                    .and_then(|p| p.segments().last())
                    .and_then(|name| components.get(&name));
                if let Some(target) = target.filter(|t| t.get("$ref").is_none()) {
                    *callback = target.clone();
                }
            }
        }
    }
}

fn move_payloads(tree: &mut Value) {
    let found = deliveries(tree);
    // Where the components would go must be able to hold them.
    let holds = |value: Option<&Value>| value.is_none_or(Value::is_object);
    if found.is_empty()
        || !holds(tree.get("components"))
        || !holds(tree.pointer("/components/schemas"))
    {
        return;
    }
    let mut taken: std::collections::HashSet<String> = tree
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let mut moved: Vec<(String, Value)> = Vec::new();
    let mut events: Vec<Value> = Vec::new();
    for delivery in found {
        let Some(Value::Object(content)) =
            tree.pointer_mut(delivery.content.as_str().trim_start_matches('#'))
        else {
            continue;
        };
        for (media_type, media) in content.iter_mut() {
            let Some(schema) = media.get_mut("schema") else {
                continue;
            };
            let json = is_json(media_type);
            if let Some(reference) = schema.get("$ref") {
                let event = json!({ "$ref": reference });
                if json && !events.contains(&event) {
                    events.push(event);
                }
                continue;
            }
            let base = format!("{} {} payload", delivery.name, delivery.method);
            let name = (1..)
                .map(|n| match n {
                    1 => base.clone(),
                    n => format!("{base} {n}"),
                })
                .find(|name| !taken.contains(name))
                .unwrap_or_default();
            taken.insert(name.clone());
            let reference = Pointer::root()
                .join("components")
                .join("schemas")
                .join(&name);
            let reference = json!({ "$ref": reference.as_str() });
            let mut schema = std::mem::replace(schema, reference.clone());
            if let Value::Object(m) = &mut schema {
                m.entry("description").or_insert_with(|| {
                    json!(format!(
                        "The payload of the `{}` webhook ({}), which the API sends to you.",
                        delivery.name, delivery.method
                    ))
                });
            }
            if json {
                events.push(reference);
            }
            moved.push((name, schema));
        }
    }
    let Value::Object(root) = tree else { return };
    let components = root.entry("components").or_insert_with(|| json!({}));
    let Value::Object(components) = components else {
        return;
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(schemas) = schemas else {
        return;
    };
    for (name, schema) in moved {
        schemas.insert(name, schema);
    }
    if !events.is_empty() {
        let name = (1..)
            .map(|n| match n {
                1 => "WebhookEvent".to_owned(),
                n => format!("WebhookEvent{n}"),
            })
            .find(|name| !schemas.contains_key(name))
            .unwrap_or_default();
        schemas.insert(
            name,
            json!({
                "oneOf": events,
                "description": "A webhook the API sends: one variant per payload its description documents.",
                WEBHOOK_EVENT: true,
            }),
        );
    }
}
