//! Repairs applied to the document tree before it is read as OpenAPI 3.0: things other
//! generators accept and real specs contain, each reported as a warning at the pointer of
//! the original document.
//!
//! - a response without its (required) `description` gets an empty one;
//! - an operation without `responses` gets none (it returns `()`);
//! - a `$ref` into a component schema's inside (`#/components/schemas/A/properties/b`,
//!   legal JSON pointers, common in 3.1 documents) points at a copy of that schema hoisted
//!   into `components/schemas` under a name made from the path (`A_properties_b`);
//! - a path item that is a local `$ref` (`/b: {$ref: '#/paths/~1a'}`) becomes a copy of
//!   what it points at; the copied operations lose their `operationId`s (which must stay
//!   unique) and are named from their method and path instead.

use crate::diagnostics::{Diagnostic, Pointer, Severity};
use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `$ref` hops followed for one path item before giving up (a cycle is left for the
/// reader to report).
const MAX_HOPS: usize = 16;

pub fn repair(tree: &mut Value, file: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut warn = |pointer: &Pointer, message: String| {
        warnings.push(Diagnostic {
            severity: Severity::Warning,
            file: file.to_owned(),
            pointer: pointer.to_string(),
            line_col: None,
            message,
        });
    };
    let paths_at = Pointer::root().join("paths");
    if let Some(Value::Object(paths)) = tree.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            for method in METHODS {
                let Some(Value::Object(op)) = item.get_mut(method) else {
                    continue;
                };
                let at = paths_at.join(path).join(method);
                match op.get_mut("responses") {
                    None => {
                        op.insert("responses".into(), Value::Object(Default::default()));
                        warn(
                            &at,
                            "the operation has no `responses`; it is read as answering nothing (`()`)"
                                .into(),
                        );
                    }
                    Some(Value::Object(responses)) => {
                        for (code, response) in responses.iter_mut() {
                            describe(response, &at.join("responses").join(code), &mut warn);
                        }
                    }
                    Some(_) => {}
                }
            }
        }
    }
    // After the repairs above, so a copy carries them and is not reported twice.
    inline_path_item_refs(tree, &mut warn);
    hoist_inner_schema_refs(tree);
    let components_at = Pointer::root().join("components").join("responses");
    if let Some(Value::Object(responses)) = tree
        .get_mut("components")
        .and_then(|c| c.get_mut("responses"))
    {
        for (name, response) in responses.iter_mut() {
            describe(response, &components_at.join(name), &mut warn);
        }
    }
    warnings
}

fn describe(response: &mut Value, at: &Pointer, warn: &mut impl FnMut(&Pointer, String)) {
    if let Value::Object(response) = response
        && !response.contains_key("$ref")
        && !response.contains_key("description")
    {
        response.insert("description".into(), Value::String(String::new()));
        warn(
            at,
            "the response has no `description` (required); read as an empty one".into(),
        );
    }
}

fn inline_path_item_refs(tree: &mut Value, warn: &mut impl FnMut(&Pointer, String)) {
    let Some(Value::Object(paths)) = tree.get("paths") else {
        return;
    };
    let mut replacements = Vec::new();
    for (path, item) in paths {
        let Some(Value::String(reference)) = item.get("$ref") else {
            continue;
        };
        let mut target = reference.as_str();
        let mut resolved = None;
        for _ in 0..MAX_HOPS {
            let Some(found) = target.strip_prefix('#').and_then(|p| tree.pointer(p)) else {
                break;
            };
            match found.get("$ref") {
                Some(Value::String(next)) => target = next,
                _ => {
                    resolved = Some(found.clone());
                    break;
                }
            }
        }
        let Some(Value::Object(mut copy)) = resolved else {
            // External, dangling or cyclic: the reader reports it.
            continue;
        };
        // Fields beside the `$ref` are the path item's own and win.
        if let Value::Object(own) = item {
            for (key, value) in own {
                if key != "$ref" {
                    copy.insert(key.clone(), value.clone());
                }
            }
        }
        for method in METHODS {
            if let Some(Value::Object(op)) = copy.get_mut(method) {
                op.remove("operationId");
            }
        }
        replacements.push((path.clone(), reference.clone(), Value::Object(copy)));
    }
    let Some(Value::Object(paths)) = tree.get_mut("paths") else {
        return;
    };
    for (path, reference, copy) in replacements {
        warn(
            &Pointer::root().join("paths").join(&path),
            format!(
                "the path item is a `$ref` to `{reference}`: read as a copy, its operations named from their method and path"
            ),
        );
        paths.insert(path, copy);
    }
}

const SCHEMAS: &str = "#/components/schemas/";

/// Every `$ref` into a component schema's inside, pointed at a hoisted copy of its target.
fn hoist_inner_schema_refs(tree: &mut Value) {
    let mut inner: Vec<String> = Vec::new();
    super::walk::refs_mut(tree, &mut |r| inner.push(r.clone()));
    inner.retain(|r| {
        r.strip_prefix(SCHEMAS)
            .is_some_and(|rest| rest.contains('/'))
    });
    inner.sort();
    inner.dedup();
    if inner.is_empty() {
        return;
    }
    let mut renamed: Vec<(String, String)> = Vec::new();
    for reference in inner {
        let Some(target) = tree.pointer(&reference[1..]).cloned() else {
            // Dangling: the reader reports it.
            continue;
        };
        let Some(Value::Object(schemas)) = tree
            .get_mut("components")
            .and_then(|c| c.get_mut("schemas"))
        else {
            return;
        };
        let base: String = reference[SCHEMAS.len()..]
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect::<Vec<_>>()
            .join("_");
        let mut name = base.clone();
        let mut n = 2;
        while schemas.contains_key(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        schemas.insert(name.clone(), target);
        let escaped = name.replace('~', "~0").replace('/', "~1");
        renamed.push((reference, format!("{SCHEMAS}{escaped}")));
    }
    super::walk::refs_mut(tree, &mut |r| {
        if let Some((_, to)) = renamed.iter().find(|(from, _)| from == r) {
            *r = to.clone();
        }
    });
}
