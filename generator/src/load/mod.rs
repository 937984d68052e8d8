//! Load: bytes → `openapiv3::OpenAPI`.
//!
//! The document is read into a generic tree first so that syntax errors carry
//! `line:column`, the `openapi` version can be checked before anything else (openapiv3
//! accepts 3.1 silently), and type errors can name the JSON pointer of the bad field.

mod bounded;
mod keywords;
mod lax;
mod locate;
mod swagger2;
mod v31;
mod walk;
mod webhooks;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer, Severity};

/// A parsed document and the name it is reported under.
pub struct Loaded {
    pub file: String,
    pub api: openapiv3::OpenAPI,
    /// Swagger 2.0 documents are moved into 3.0 places; diagnostics name the original ones.
    swagger2: bool,
    /// Time spent turning the tree into the 3.0 model (versions, repairs, keyword checks).
    pub normalize: std::time::Duration,
    /// What was repaired or found while reading ([`lax`], [`keywords`]): warnings, and
    /// errors the IR turns into warnings under `--lenient`.
    pub warnings: Vec<Diagnostic>,
}

/// A spec file's bytes as text: YAML and JSON are UTF-8, and a file that is not is a bad
/// spec whose error names the first invalid byte.
pub fn text<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostics> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let before = &bytes[..offset];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = offset - before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
        Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            pointer: "#".to_owned(),
            line_col: Some((line, column)),
            message: format!(
                "the document is not UTF-8: byte {offset} (0x{:02X}) cannot start a character; save it as UTF-8",
                bytes[offset]
            ),
        }])
    })
}

/// Parses `text` (YAML or JSON) as an OpenAPI 3.0 document; `file` names it in diagnostics.
pub fn load(file: &str, text: &str) -> Result<Loaded, Diagnostics> {
    load_with(file, text, false)
}

/// Keywords dropped under `--lenient` before giving up: each drop reads the document again.
const MAX_DROPPED: usize = 200;

/// [`load`]; with `lenient`, a keyword whose value has the wrong type (`pattern: 0`, a map
/// where `type` wants a string, a callback that is not a path item) is dropped with a
/// located warning and the rest is read.
pub fn load_with(file: &str, text: &str, lenient: bool) -> Result<Loaded, Diagnostics> {
    let error = |pointer: String, line_col, message: String| {
        Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            pointer,
            line_col,
            message,
        }])
    };

    let mut tree: serde_json::Value = if looks_like_json(text) {
        serde_json::from_str(text).map_err(|e| {
            error(
                "#".into(),
                Some((e.line(), e.column())),
                format!("invalid JSON: {e}"),
            )
        })?
    } else {
        let parsed = bounded::from_str(text).or_else(|e| {
            // serde_yaml refuses integers beyond 64 bits (OpenAI's spec bounds an integer
            // by ±9223372036854776000); read such numbers as floats and try again.
            match widen_huge_integers(text) {
                Some(widened) => bounded::from_str(&widened).map_err(|_| e),
                None => Err(e),
            }
        });
        let yaml: serde_yaml::Value = parsed.map_err(|e| {
            // A document of another version is reported as such, even when it is also
            // not YAML serde_yaml can read.
            if let Some((pointer, message)) = sniff_version(text) {
                return error(pointer, None, message);
            }
            let at = e.location().map(|l| (l.line(), l.column()));
            error("#".into(), at, format!("invalid YAML: {e}"))
        })?;
        yaml_to_json(yaml).map_err(|(pointer, msg)| error(pointer, None, msg))?
    };

    let version = check_version(&tree).map_err(|(pointer, msg)| error(pointer, None, msg))?;
    let swagger2 = matches!(version, Version::Swagger2);
    let started = std::time::Instant::now();
    if !swagger2 {
        webhooks::payloads(&mut tree);
    }
    match version {
        Version::V30 => {}
        Version::V31 => v31::downgrade(&mut tree),
        Version::Swagger2 => swagger2::convert(&mut tree),
    }
    let mut warnings = lax::repair(&mut tree, file);
    if !matches!(version, Version::V31) {
        // Real 2.0 and 3.0 documents borrow 3.1's `type: [string, "null"]` (Weaviate's).
        let lists = v31::type_lists(&mut tree);
        if lists > 0 {
            warnings.push(Diagnostic {
                severity: Severity::Warning,
                file: file.to_owned(),
                pointer: "#".to_owned(),
                line_col: None,
                message: format!(
                    "{lists} schema(s) give `type` as a list, as OpenAPI 3.1 does; read as one type (`nullable` for \"null\", a `oneOf` for several)"
                ),
            });
        }
    }
    warnings.extend(keywords::check(&mut tree, file));
    let normalize = started.elapsed();

    let mut dropped = 0;
    let api = loop {
        match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&tree) {
            Ok(api) => break api,
            Err(e) => {
                let mut segments = path_segments(e.path());
                let mut message = e.into_inner().to_string();
                refine(&tree, &mut segments, &mut message);
                let pointer = segments
                    .iter()
                    .fold(Pointer::root(), |p, s| p.join(s))
                    .to_string();
                if lenient
                    && dropped < MAX_DROPPED
                    && let Some(keyword) = drop_keyword(&mut tree, &segments)
                {
                    dropped += 1;
                    warnings.push(Diagnostic {
                        severity: Severity::Warning,
                        file: file.to_owned(),
                        pointer: keyword,
                        line_col: None,
                        message: format!("dropped (--lenient): {message}"),
                    });
                    continue;
                }
                // A 2.0 document's problems are named in its own pointers.
                let pointer = original_pointer(&pointer, swagger2);
                let what = if swagger2 {
                    "not a valid Swagger 2.0 document"
                } else {
                    "not a valid OpenAPI 3.0 document"
                };
                return Err(error(pointer, None, format!("{what}: {message}")));
            }
        }
    };
    Ok(Loaded {
        file: file.to_owned(),
        api,
        swagger2,
        normalize,
        warnings,
    })
}

pub use locate::locate;
pub use webhooks::WEBHOOK_EVENT;

/// Writes the configuration's paging declarations into the operations they name, as
/// `x-openapi-gen-pagination` (replacing the spec's own); a declaration that names no
/// operation is an error at its place in the configuration.
pub fn declare_paging(
    loaded: &mut Loaded,
    declarations: &[crate::settings::PagingDeclaration],
) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    use crate::settings::OperationSelector;
    let mut errors = Vec::new();
    // Where each declaration went, and where it was written: a declaration that does not fit
    // its operation is reported at the extension's pointer, and must name its own line too.
    let mut placed = Vec::new();
    for declaration in declarations {
        let mut found = false;
        for (path, item) in loaded.api.paths.paths.iter_mut() {
            let openapiv3::ReferenceOr::Item(item) = item else {
                continue;
            };
            let operations = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("options", &mut item.options),
                ("head", &mut item.head),
                ("patch", &mut item.patch),
                ("trace", &mut item.trace),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                let this = match &declaration.operation {
                    OperationSelector::Id(id) => operation.operation_id.as_deref() == Some(id),
                    OperationSelector::Route { method: m, path: p } => m == method && p == path,
                };
                if this {
                    let at = &declaration.at;
                    let line = at
                        .line_col
                        .map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
                    placed.push((
                        crate::diagnostics::Pointer::root()
                            .join("paths")
                            .join(path)
                            .join(method)
                            .join(crate::settings::PAGING_EXTENSION)
                            .as_str()
                            .to_owned(),
                        format!("{}{line}", at.file),
                    ));
                    operation.extensions.insert(
                        crate::settings::PAGING_EXTENSION.to_owned(),
                        declaration.value.clone(),
                    );
                    found = true;
                }
            }
        }
        if !found {
            errors.push(Diagnostic {
                message: format!(
                    "the paging declaration names {}, which {} does not have",
                    declaration.operation, loaded.file
                ),
                ..declaration.at.clone()
            });
        }
    }
    if errors.is_empty() {
        Ok(placed)
    } else {
        Err(errors)
    }
}

impl Loaded {
    /// Where a pointer into the document as read lies in the original: a Swagger 2.0
    /// document's `components/schemas` are its `definitions`, a request body its body or
    /// form parameters, a response's `content/<type>/schema` its `schema`.
    /// Where a schema pointer into the original lies in the document as read: a Swagger 2.0
    /// `#/definitions/X` is `#/components/schemas/X` (the inverse of [`Self::original_pointer`]
    /// for schemas).
    pub fn read_pointer(&self, original: &str) -> String {
        match original.strip_prefix("#/definitions/") {
            Some(rest) if self.swagger2 => format!("#/components/schemas/{rest}"),
            _ => original.to_owned(),
        }
    }

    pub fn original_pointer(&self, pointer: &str) -> String {
        original_pointer(pointer, self.swagger2)
    }
}

/// Where a pointer into the document as read lies in the original (see
/// [`Loaded::original_pointer`]).
fn original_pointer(pointer: &str, swagger2: bool) -> String {
    if !swagger2 {
        return pointer.to_owned();
    }
    let mut p = pointer.to_owned();
    for (from, to) in [
        ("#/components/schemas/", "#/definitions/"),
        ("#/components/parameters/", "#/parameters/"),
        ("#/components/responses/", "#/responses/"),
        ("#/components/securitySchemes/", "#/securityDefinitions/"),
    ] {
        if let Some(rest) = p.strip_prefix(from) {
            p = format!("{to}{rest}");
        }
    }
    if let Some((before, _)) = p.split_once("/requestBody") {
        p = format!("{before}/parameters");
    }
    if let Some((before, after)) = p.split_once("/content/")
        && before.contains("/responses/")
    {
        let rest = after.split_once("/schema").map_or("", |(_, r)| r);
        p = format!("{before}/schema{rest}");
    }
    p
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// The version check on raw text: a top-level `openapi:` or `swagger:` line.
fn sniff_version(text: &str) -> Option<(String, String)> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        if !matches!(key, "openapi" | "swagger" | "\"openapi\"" | "\"swagger\"") {
            return None;
        }
        let value = value
            .trim()
            .trim_matches(|c| c == '"' || c == '\'' || c == ',');
        let mut tree = serde_json::Map::new();
        tree.insert(
            key.trim_matches('"').to_owned(),
            serde_json::Value::String(value.to_owned()),
        );
        check_version(&serde_json::Value::Object(tree)).err()
    })
}

/// The versions openapi-gen reads; each becomes the 3.0 model.
enum Version {
    V30,
    V31,
    Swagger2,
}

/// Plain integers with more digits than 64 bits hold (`minimum: -9223372036854776000`, also
/// inside flow mappings) rewritten as floats; `None` when the text has none.
fn widen_huge_integers(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let starts = (bytes[i].is_ascii_digit() || bytes[i] == b'-')
            && (i == 0 || matches!(bytes[i - 1], b' ' | b':' | b',' | b'[' | b'{' | b'\t'));
        if !starts {
            i += 1;
            continue;
        }
        let digits_from = if bytes[i] == b'-' { i + 1 } else { i };
        let mut end = digits_from;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        let bounded = end == bytes.len()
            || matches!(
                bytes[end],
                b' ' | b',' | b']' | b'}' | b'\n' | b'\r' | b'\t'
            );
        let number = &text[i..end];
        if end - digits_from >= 19
            && bounded
            && number.parse::<i64>().is_err()
            && number.parse::<u64>().is_err()
            && let Ok(float) = number.parse::<f64>()
        {
            out.push_str(&text[copied..i]);
            out.push_str(&format!("{float:e}"));
            copied = end;
            changed = true;
        }
        i = end.max(i + 1);
    }
    out.push_str(&text[copied..]);
    changed.then_some(out)
}

fn check_version(tree: &serde_json::Value) -> Result<Version, (String, String)> {
    let Some(root) = tree.as_object() else {
        return Err(("#".into(), "the document is not a mapping".into()));
    };
    if let Some(v) = root.get("swagger") {
        return match v.as_str() {
            Some("2.0") => Ok(Version::Swagger2),
            _ => Err((
                "#/swagger".into(),
                format!("unsupported `swagger` version {v}; expected 2.0"),
            )),
        };
    }
    match root.get("openapi") {
        None => Err((
            "#".into(),
            "missing `openapi` field; expected an OpenAPI 3.0 or 3.1, or a Swagger 2.0 document"
                .into(),
        )),
        Some(serde_json::Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => {
            Ok(Version::V30)
        }
        Some(serde_json::Value::String(v)) if v.starts_with("3.1.") || v == "3.1" => {
            Ok(Version::V31)
        }
        Some(other) => Err((
            "#/openapi".into(),
            format!("unsupported `openapi` version {other}; expected 3.0.x or 3.1.x"),
        )),
    }
}

/// YAML allows keys JSON does not (Asana writes response codes as bare integers); those
/// become strings, and anything stranger is reported.
fn yaml_to_json(value: serde_yaml::Value) -> Result<serde_json::Value, (String, String)> {
    fn convert(
        value: serde_yaml::Value,
        at: &crate::diagnostics::Pointer,
    ) -> Result<serde_json::Value, (String, String)> {
        use serde_yaml::Value as Y;
        Ok(match value {
            Y::Null => serde_json::Value::Null,
            Y::Bool(b) => serde_json::Value::Bool(b),
            Y::Number(n) => {
                if let Some(i) = n.as_i64() {
                    i.into()
                } else if let Some(u) = n.as_u64() {
                    u.into()
                } else {
                    n.as_f64()
                        .and_then(serde_json::Number::from_f64)
                        .map(serde_json::Value::Number)
                        .unwrap_or(serde_json::Value::Null)
                }
            }
            Y::String(s) => serde_json::Value::String(s),
            Y::Sequence(items) => serde_json::Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| convert(v, &at.join(i)))
                    .collect::<Result<_, _>>()?,
            ),
            Y::Mapping(map) => {
                let mut out = serde_json::Map::with_capacity(map.len());
                for (k, v) in map {
                    let key = match k {
                        Y::String(s) => s,
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        Y::Null => "null".to_owned(),
                        _ => {
                            return Err((
                                at.to_string(),
                                "a mapping key is not a string".to_owned(),
                            ));
                        }
                    };
                    let child = at.join(&key);
                    out.insert(key, convert(v, &child)?);
                }
                serde_json::Value::Object(out)
            }
            Y::Tagged(tagged) => convert(tagged.value, at)?,
        })
    }
    convert(value, &crate::diagnostics::Pointer::root())
}

/// Removes the keyword at (or holding) `segments`: the deepest key of an object inside a
/// schema, parameter, header, callback… — never the document's own top-level sections.
/// Returns its pointer.
fn drop_keyword(tree: &mut serde_json::Value, segments: &[String]) -> Option<String> {
    let at = |segments: &[String]| {
        segments
            .iter()
            .fold(Pointer::root(), |p, s| p.join(s))
            .to_string()
    };
    // A schema the reader could not place the error inside: the one keyword whose removal
    // makes it a schema (`pattern: 0`), not the whole schema.
    let node = segments
        .iter()
        .try_fold(&mut *tree, |node, step| match node {
            serde_json::Value::Object(map) => map.get_mut(step),
            serde_json::Value::Array(items) => {
                step.parse::<usize>().ok().and_then(|i| items.get_mut(i))
            }
            _ => None,
        });
    if let Some(serde_json::Value::Object(map)) = node
        && serde_json::from_value::<openapiv3::Schema>(serde_json::Value::Object(map.clone()))
            .is_err()
    {
        let culprit = map.keys().find(|key| {
            let mut without = map.clone();
            without.shift_remove(*key);
            serde_json::from_value::<openapiv3::Schema>(serde_json::Value::Object(without)).is_ok()
        });
        if let Some(key) = culprit.cloned() {
            map.shift_remove(&key);
            let mut path = segments.to_vec();
            path.push(key);
            return Some(at(&path));
        }
    }
    // The deepest object key on the path, below the top level.
    for end in (2..=segments.len()).rev() {
        let (parent_path, key) = segments[..end].split_at(end - 1);
        let parent = parent_path
            .iter()
            .try_fold(&mut *tree, |node, step| match node {
                serde_json::Value::Object(map) => map.get_mut(step),
                serde_json::Value::Array(items) => {
                    step.parse::<usize>().ok().and_then(|i| items.get_mut(i))
                }
                _ => None,
            });
        if let Some(serde_json::Value::Object(map)) = parent
            && map.shift_remove(&key[0]).is_some()
        {
            return Some(at(&segments[..end]));
        }
    }
    None
}

fn path_segments(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect()
}

/// openapiv3 reads `$ref`-or-object positions as untagged enums, which report any error
/// inside them at the enum itself ("did not match any variant"). Re-reading the node at
/// that pointer as the object it must be finds the real field and message.
fn refine(tree: &serde_json::Value, segments: &mut Vec<String>, message: &mut String) {
    // Each step goes deeper, so this ends; the bound is a second guard.
    for _ in 0..64 {
        let Some(node) = segments.iter().try_fold(tree, |node, key| match node {
            serde_json::Value::Object(map) => map.get(key),
            serde_json::Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }) else {
            return;
        };
        if node.get("$ref").is_some() {
            return;
        }
        if let Some(kind) = node_kind(segments) {
            match check(&kind, node) {
                Some((more, inner)) if !more.is_empty() => {
                    segments.extend(more);
                    *message = inner;
                    continue;
                }
                // The error is somewhere inside, but serde lost where: search below.
                Some((_, inner)) => *message = inner,
                None => return,
            }
        }
        // Maps read through `flatten` lose the key: find the first entry that fails.
        let serde_json::Value::Object(map) = node else {
            return;
        };
        let failing = map.iter().find_map(|(key, child)| {
            let mut at = segments.clone();
            at.push(key.clone());
            fails(&mut at, child, 0).then(|| key.clone())
        });
        match failing {
            Some(key) => segments.push(key),
            None => return,
        }
    }
}

enum Kind {
    PathItem,
    Schema,
    Parameter,
    Response,
    RequestBody,
    SecurityScheme,
}

/// What must sit at a pointer, judged from its last keys.
fn node_kind(segments: &[String]) -> Option<Kind> {
    let n = segments.len();
    let last = segments.last()?.as_str();
    let parent = n.checked_sub(2).map(|i| segments[i].as_str());
    Some(match (parent, last) {
        (Some("paths"), _) if n == 2 => Kind::PathItem,
        (Some("components"), _) if n == 2 => return None,
        (Some("schemas" | "properties" | "allOf" | "oneOf" | "anyOf"), _) => Kind::Schema,
        (_, "schema" | "items" | "additionalProperties" | "not") => Kind::Schema,
        (Some("parameters"), _) => Kind::Parameter,
        (Some("responses"), _) => Kind::Response,
        (Some("requestBodies"), _) | (_, "requestBody") => Kind::RequestBody,
        (Some("securitySchemes"), _) => Kind::SecurityScheme,
        _ => return None,
    })
}

/// Whether `node`, at `at`, holds something openapiv3 rejects; objects of no known kind
/// are searched (to a bounded depth) for a child that does.
fn fails(at: &mut Vec<String>, node: &serde_json::Value, depth: usize) -> bool {
    if let Some(kind) = node_kind(at) {
        return check(&kind, node).is_some();
    }
    let serde_json::Value::Object(map) = node else {
        return false;
    };
    depth < 4
        && map.iter().any(|(key, child)| {
            at.push(key.clone());
            let found = fails(at, child, depth + 1);
            at.pop();
            found
        })
}

/// Reads `node` as what `kind` says it is; `Some` holds where and why that fails.
fn check(kind: &Kind, node: &serde_json::Value) -> Option<(Vec<String>, String)> {
    if node.get("$ref").is_some() {
        return None;
    }
    match kind {
        Kind::PathItem => deeper::<openapiv3::PathItem>(node),
        Kind::Schema => deeper::<openapiv3::Schema>(node),
        Kind::Parameter => deeper::<openapiv3::Parameter>(node),
        Kind::Response => deeper::<openapiv3::Response>(node),
        Kind::RequestBody => deeper::<openapiv3::RequestBody>(node),
        Kind::SecurityScheme => deeper::<openapiv3::SecurityScheme>(node),
    }
}

fn deeper<T: serde::de::DeserializeOwned>(
    node: &serde_json::Value,
) -> Option<(Vec<String>, String)> {
    match serde_path_to_error::deserialize::<_, T>(node) {
        Ok(_) => None,
        Err(e) => Some((path_segments(e.path()), e.into_inner().to_string())),
    }
}
