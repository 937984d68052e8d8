//! Load: bytes → `openapiv3::OpenAPI`.
//!
//! The document is read into a generic tree first so that syntax errors carry
//! `line:column`, the `openapi` version can be checked before anything else (openapiv3
//! accepts 3.1 silently), and type errors can name the JSON pointer of the bad field.

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// A parsed document and the name it is reported under.
pub struct Loaded {
    pub file: String,
    pub api: openapiv3::OpenAPI,
}

/// Parses `text` (YAML or JSON) as an OpenAPI 3.0 document; `file` names it in diagnostics.
pub fn load(file: &str, text: &str) -> Result<Loaded, Diagnostics> {
    let error = |pointer: String, line_col, message: String| {
        Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            pointer,
            line_col,
            message,
        }])
    };

    let tree: serde_json::Value = if looks_like_json(text) {
        serde_json::from_str(text).map_err(|e| {
            error(
                "#".into(),
                Some((e.line(), e.column())),
                format!("invalid JSON: {e}"),
            )
        })?
    } else {
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
            let at = e.location().map(|l| (l.line(), l.column()));
            error("#".into(), at, format!("invalid YAML: {e}"))
        })?;
        yaml_to_json(yaml).map_err(|(pointer, msg)| error(pointer, None, msg))?
    };

    check_version(&tree).map_err(|(pointer, msg)| error(pointer, None, msg))?;

    let api = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(tree).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let inner = e.into_inner();
        error(
            pointer,
            None,
            format!("not a valid OpenAPI 3.0 document: {inner}"),
        )
    })?;
    Ok(Loaded {
        file: file.to_owned(),
        api,
    })
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

fn check_version(tree: &serde_json::Value) -> Result<(), (String, String)> {
    let Some(root) = tree.as_object() else {
        return Err(("#".into(), "the document is not a mapping".into()));
    };
    if let Some(v) = root.get("swagger") {
        return Err((
            "#/swagger".into(),
            format!(
                "this is a Swagger {} document; openapi-gen reads OpenAPI 3.0 (convert it first, e.g. with swagger2openapi)",
                v.as_str().unwrap_or("2.0")
            ),
        ));
    }
    match root.get("openapi") {
        None => Err((
            "#".into(),
            "missing `openapi` field; expected an OpenAPI 3.0.x document".into(),
        )),
        Some(serde_json::Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => Ok(()),
        Some(serde_json::Value::String(v)) if v.starts_with("3.1") => Err((
            "#/openapi".into(),
            format!("OpenAPI {v} is not supported yet; openapi-gen reads OpenAPI 3.0.x"),
        )),
        Some(other) => Err((
            "#/openapi".into(),
            format!("unsupported `openapi` version {other}; expected 3.0.x"),
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

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = crate::diagnostics::Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.join(index),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { variant } => pointer.join(variant),
            Segment::Unknown => pointer,
        };
    }
    pointer.to_string()
}
