//! Swagger 2.0 read as OpenAPI 3.0, converted on the document tree the way swagger2openapi
//! does it, before anything is read as types.
//!
//! | Swagger 2.0 | OpenAPI 3.0 |
//! |---|---|
//! | `host`, `basePath`, `schemes` | `servers` |
//! | `definitions`, `parameters`, `responses`, `securityDefinitions` | `components/…` (`$ref`s rewritten everywhere) |
//! | `in: body` | `requestBody`, one entry per `consumes` type |
//! | `in: formData` | a form (`application/x-www-form-urlencoded`) or, with `type: file` or a multipart `consumes`, `multipart/form-data` body |
//! | `type`, `format`, `items`, `enum`… on a parameter | its `schema` |
//! | `collectionFormat` | `style`/`explode` (`csv` form/simple, `multi` exploded form, `ssv` space, `pipes` pipe) |
//! | response `schema` | `content`, one entry per `produces` type |
//! | `type: file` | `type: string, format: binary` |
//! | `x-nullable` | `nullable` |
//! | `basic`, `apiKey`, `oauth2` security | `http`/`basic`, `apiKey`, `oauth2` flows |

use super::walk;
use serde_json::{Map, Value, json};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The 2.0 keys a parameter's value description has, which move into `schema`.
const VALUE_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
];

pub fn convert(tree: &mut Value) {
    let Value::Object(root) = tree else { return };
    let consumes = media_types(root.get("consumes"));
    let produces = media_types(root.get("produces"));
    let globals: Map<String, Value> = match root.get("parameters") {
        Some(Value::Object(p)) => p.clone(),
        _ => Map::new(),
    };

    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    if let Some(info) = root.remove("info") {
        out.insert("info".into(), info);
    }
    if let Some(servers) = servers(root) {
        out.insert("servers".into(), servers);
    }
    for key in ["tags", "externalDocs", "security"] {
        if let Some(v) = root.remove(key) {
            out.insert(key.into(), v);
        }
    }
    for (key, value) in root.iter() {
        if key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }

    let mut components = Map::new();
    if let Some(definitions) = root.remove("definitions") {
        components.insert("schemas".into(), definitions);
    }
    let mut parameters = Map::new();
    for (name, p) in &globals {
        if !matches!(
            p.get("in").and_then(Value::as_str),
            Some("body" | "formData")
        ) {
            parameters.insert(name.clone(), parameter(p.clone()));
        }
    }
    if !parameters.is_empty() {
        components.insert("parameters".into(), Value::Object(parameters));
    }
    if let Some(Value::Object(responses)) = root.remove("responses") {
        let converted = responses
            .into_iter()
            .map(|(name, r)| (name, response(r, &produces)))
            .collect();
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(Value::Object(schemes)) = root.remove("securityDefinitions") {
        let converted = schemes
            .into_iter()
            .map(|(name, s)| (name, security_scheme(s)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(converted));
    }

    let mut paths = Map::new();
    if let Some(Value::Object(items)) = root.remove("paths") {
        for (path, item) in items {
            let Value::Object(mut item) = item else {
                paths.insert(path, item);
                continue;
            };
            let shared: Vec<Value> = match item.remove("parameters") {
                Some(Value::Array(p)) => p,
                _ => Vec::new(),
            };
            for method in METHODS {
                if let Some(Value::Object(op)) = item.remove(*method) {
                    let op = operation(op, &shared, &globals, &consumes, &produces);
                    item.insert((*method).to_owned(), Value::Object(op));
                }
            }
            // Path-level parameters that are not bodies stay shared.
            let shared: Vec<Value> = shared
                .into_iter()
                .map(|p| resolve(p, &globals))
                .filter(|p| {
                    !matches!(
                        p.get("in").and_then(Value::as_str),
                        Some("body" | "formData")
                    )
                })
                .map(parameter)
                .collect();
            if !shared.is_empty() {
                item.insert("parameters".into(), Value::Array(shared));
            }
            paths.insert(path, Value::Object(item));
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    *tree = Value::Object(out);
    walk::refs_mut(tree, &mut rewrite_ref);
    walk::schemas_mut(tree, &mut schema);
}

fn media_types(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn servers(root: &Map<String, Value>) -> Option<Value> {
    let host = root.get("host").and_then(Value::as_str);
    let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    let schemes = media_types(root.get("schemes"));
    let url = match host {
        Some(host) => {
            let scheme = if schemes.iter().any(|s| s == "https") || schemes.is_empty() {
                "https"
            } else {
                schemes[0].as_str()
            };
            format!("{scheme}://{host}{base}")
        }
        None if !base.is_empty() => base.to_owned(),
        None => return None,
    };
    Some(json!([{ "url": url }]))
}

/// A parameter `$ref` to `#/parameters/X`, replaced by its target (bodies must be seen).
fn resolve(p: Value, globals: &Map<String, Value>) -> Value {
    match p.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix("#/parameters/")
            .and_then(|name| globals.get(name))
            .cloned()
            .unwrap_or(p),
        None => p,
    }
}

/// A non-body parameter: its value description moves into `schema`, `collectionFormat`
/// becomes `style`/`explode`.
fn parameter(p: Value) -> Value {
    let Value::Object(mut p) = p else { return p };
    if p.contains_key("$ref") {
        return Value::Object(p);
    }
    let mut schema = Map::new();
    for key in VALUE_KEYS {
        if let Some(v) = p.remove(*key) {
            schema.insert((*key).to_owned(), v);
        }
    }
    let location = p
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or("query")
        .to_owned();
    match p
        .remove("collectionFormat")
        .as_ref()
        .and_then(Value::as_str)
    {
        Some("multi") => {
            p.insert("style".into(), json!("form"));
            p.insert("explode".into(), json!(true));
        }
        Some("ssv") => {
            p.insert("style".into(), json!("spaceDelimited"));
            p.insert("explode".into(), json!(false));
        }
        Some("pipes") => {
            p.insert("style".into(), json!("pipeDelimited"));
            p.insert("explode".into(), json!(false));
        }
        // `csv` (the default) and `tsv`, which 3.0 has no style for: comma-separated.
        _ if schema.get("type").and_then(Value::as_str) == Some("array") => {
            let style = if location == "query" || location == "cookie" {
                "form"
            } else {
                "simple"
            };
            p.insert("style".into(), json!(style));
            p.insert("explode".into(), json!(false));
        }
        _ => {}
    }
    if let Some(Value::Object(items)) = schema.get_mut("items") {
        items.remove("collectionFormat");
    }
    p.insert("schema".into(), Value::Object(schema));
    p.remove("allowEmptyValue");
    Value::Object(p)
}

fn operation(
    mut op: Map<String, Value>,
    shared: &[Value],
    globals: &Map<String, Value>,
    consumes: &[String],
    produces: &[String],
) -> Map<String, Value> {
    let consumes = match media_types(op.get("consumes")) {
        own if !own.is_empty() => own,
        _ if consumes.is_empty() => vec!["application/json".to_owned()],
        _ => consumes.to_vec(),
    };
    let produces = match media_types(op.get("produces")) {
        own if !own.is_empty() => own,
        _ if produces.is_empty() => vec!["application/json".to_owned()],
        _ => produces.to_vec(),
    };
    op.remove("consumes");
    op.remove("produces");
    op.remove("schemes");
    let own: Vec<Value> = match op.remove("parameters") {
        Some(Value::Array(p)) => p,
        _ => Vec::new(),
    };
    // The operation's parameters override the path's of the same name and place; bodies and
    // form fields of both become the request body.
    let mut all: Vec<Value> = own.into_iter().map(|p| resolve(p, globals)).collect();
    for p in shared {
        let p = resolve(p.clone(), globals);
        let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
        if matches!(
            p.get("in").and_then(Value::as_str),
            Some("body" | "formData")
        ) && !all.iter().any(|o| key(o) == key(&p))
        {
            all.push(p);
        }
    }
    let mut parameters = Vec::new();
    let mut body: Option<Value> = None;
    let mut form = Map::new();
    let mut form_required = Vec::new();
    let mut has_file = false;
    for p in all {
        match p.get("in").and_then(Value::as_str) {
            Some("body") => {
                let mut content = Map::new();
                let schema = p.get("schema").cloned().unwrap_or_else(|| json!({}));
                for t in &consumes {
                    content.insert(t.clone(), json!({ "schema": schema }));
                }
                let mut request = Map::new();
                request.insert("content".into(), Value::Object(content));
                if let Some(d) = p.get("description") {
                    request.insert("description".into(), d.clone());
                }
                if p.get("required") == Some(&Value::Bool(true)) {
                    request.insert("required".into(), Value::Bool(true));
                }
                body = Some(Value::Object(request));
            }
            Some("formData") => {
                let Some(name) = p.get("name").and_then(Value::as_str).map(str::to_owned) else {
                    continue;
                };
                let converted = parameter(p.clone());
                let mut schema = converted
                    .get("schema")
                    .cloned()
                    .unwrap_or_else(|| json!({}));
                if schema.get("type").and_then(Value::as_str) == Some("file") {
                    has_file = true;
                    schema = json!({"type": "string", "format": "binary"});
                }
                if let (Some(d), Value::Object(s)) = (p.get("description"), &mut schema) {
                    s.entry("description").or_insert_with(|| d.clone());
                }
                if p.get("required") == Some(&Value::Bool(true)) {
                    form_required.push(Value::String(name.clone()));
                }
                form.insert(name, schema);
            }
            _ => parameters.push(parameter(p)),
        }
    }
    if !form.is_empty() && body.is_none() {
        let multipart = has_file || consumes.iter().any(|c| c.starts_with("multipart/"));
        let media = if multipart {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut schema = json!({"type": "object", "properties": form});
        if !form_required.is_empty() {
            schema["required"] = Value::Array(form_required.clone());
        }
        let mut request = json!({ "content": { media: { "schema": schema } } });
        if !form_required.is_empty() {
            request["required"] = Value::Bool(true);
        }
        body = Some(request);
    }
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = body {
        op.insert("requestBody".into(), body);
    }
    if let Some(Value::Object(responses)) = op.remove("responses") {
        let converted = responses
            .into_iter()
            .map(|(code, r)| (code, response(r, &produces)))
            .collect();
        op.insert("responses".into(), Value::Object(converted));
    }
    op
}

fn response(r: Value, produces: &[String]) -> Value {
    let Value::Object(mut r) = r else { return r };
    if r.contains_key("$ref") {
        return Value::Object(r);
    }
    if let Some(schema) = r.remove("schema") {
        let produces: Vec<String> = if produces.is_empty() {
            vec!["application/json".to_owned()]
        } else {
            produces.to_vec()
        };
        let mut content = Map::new();
        for t in produces {
            content.insert(t, json!({ "schema": schema }));
        }
        r.insert("content".into(), Value::Object(content));
    }
    r.remove("examples");
    if let Some(Value::Object(headers)) = r.remove("headers") {
        let converted: Map<String, Value> = headers
            .into_iter()
            .map(|(name, h)| {
                let mut header = Map::new();
                let mut schema = Map::new();
                if let Value::Object(h) = h {
                    for (k, v) in h {
                        if k == "description" {
                            header.insert(k, v);
                        } else if VALUE_KEYS.contains(&k.as_str()) {
                            schema.insert(k, v);
                        }
                    }
                }
                header.insert("schema".into(), Value::Object(schema));
                (name, Value::Object(header))
            })
            .collect();
        r.insert("headers".into(), Value::Object(converted));
    }
    r.entry("description").or_insert_with(|| json!(""));
    Value::Object(r)
}

fn security_scheme(s: Value) -> Value {
    let Value::Object(s) = s else { return s };
    let get = |k: &str| s.get(k).cloned().unwrap_or(Value::Null);
    match s.get("type").and_then(Value::as_str) {
        Some("basic") => {
            json!({"type": "http", "scheme": "basic", "description": get("description")})
        }
        Some("oauth2") => {
            let flow = match s.get("flow").and_then(Value::as_str) {
                Some("implicit") => "implicit",
                Some("password") => "password",
                Some("application") => "clientCredentials",
                _ => "authorizationCode",
            };
            let mut details = Map::new();
            for (from, to) in [
                ("authorizationUrl", "authorizationUrl"),
                ("tokenUrl", "tokenUrl"),
            ] {
                if let Some(v) = s.get(from) {
                    details.insert(to.into(), v.clone());
                }
            }
            details.insert(
                "scopes".into(),
                s.get("scopes").cloned().unwrap_or_else(|| json!({})),
            );
            json!({"type": "oauth2", "flows": { flow: details }})
        }
        _ => Value::Object(s),
    }
}

/// `#/definitions/X` and the other 2.0 locations, rewritten to their 3.0 places.
fn rewrite_ref(r: &mut String) {
    for (from, to) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ] {
        if let Some(rest) = r.strip_prefix(from) {
            *r = format!("{to}{rest}");
            return;
        }
    }
}

/// Schema keywords 2.0 spells differently.
fn schema(s: &mut Value) {
    let Value::Object(map) = s else { return };
    if let Some(nullable) = map.remove("x-nullable") {
        map.insert("nullable".into(), nullable);
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), json!("string"));
        map.insert("format".into(), json!("binary"));
    }
    if let Some(Value::String(property)) = map.get("discriminator").cloned() {
        map.insert("discriminator".into(), json!({ "propertyName": property }));
    }
}
