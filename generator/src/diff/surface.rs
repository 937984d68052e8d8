//! What code written against a generated crate can name: its client methods (arguments,
//! setters, what they return), and its types (fields, enum values, variants). Read from the
//! IR, so it is exactly what the emitter makes public, with each item's docs beside it.

use crate::ir::{Api, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// The public API of one generated crate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Surface {
    /// By how code calls it: `client.get_thread`, `client.crm().list_contacts` in a family.
    pub methods: BTreeMap<String, Method>,
    /// By path: `types::PublicThread`, `crm::types::Contact` in a family.
    pub types: BTreeMap<String, Shape>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    /// `GET /threads/{threadId}`: a method whose name changed keeps its route.
    pub route: String,
    /// The positional arguments, in order: required parameters, then a required body.
    pub arguments: Vec<(String, String)>,
    /// The builder's setters: optional parameters (and an optional body), by name.
    pub setters: BTreeMap<String, String>,
    pub returns: String,
    /// The `E` of `Error<E>`.
    pub error: String,
    pub pages: bool,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Struct {
        /// By Rust name: the type as declared (`Option<…>` when it may be absent).
        fields: BTreeMap<String, Field>,
        docs: Option<String>,
    },
    /// A string or integer enum: its values as sent.
    Enum {
        values: Vec<String>,
        docs: Option<String>,
    },
    /// A union (or an operation's error bodies by status): its variants and their types.
    Union {
        variants: BTreeMap<String, String>,
        docs: Option<String>,
    },
    Alias {
        target: String,
        docs: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub ty: String,
    /// A `new()` argument (or one of its required-fields record).
    pub required: bool,
    pub docs: Option<String>,
}

impl Shape {
    pub fn docs(&self) -> Option<&str> {
        match self {
            Shape::Struct { docs, .. }
            | Shape::Enum { docs, .. }
            | Shape::Union { docs, .. }
            | Shape::Alias { docs, .. } => docs.as_deref(),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Shape::Struct { .. } => "struct",
            Shape::Enum { .. } => "enum",
            Shape::Union { .. } => "union",
            Shape::Alias { .. } => "type alias",
        }
    }
}

/// The surface of the crate `apis` make (one API, or a family's modules).
pub fn surface(apis: &[Api]) -> Surface {
    let mut out = Surface::default();
    for api in apis {
        let (reach, types) = match &api.module {
            Some(m) => (
                format!("client.{}().", m.name),
                format!("{}::types::", m.name),
            ),
            None => ("client.".to_owned(), "types::".to_owned()),
        };
        for op in &api.operations {
            let mut arguments = Vec::new();
            let mut setters = BTreeMap::new();
            for p in &op.params {
                let entry = (p.name.clone(), rust(&p.ty));
                if p.required {
                    arguments.push(entry);
                } else {
                    setters.insert(entry.0, entry.1);
                }
            }
            if let Some(body) = &op.body {
                if body.required {
                    arguments.push((body.name.clone(), rust(&body.ty)));
                } else {
                    setters.insert(body.name.clone(), rust(&body.ty));
                }
            }
            out.methods.insert(
                format!("{reach}{}", op.method_name.trim_start_matches("r#")),
                Method {
                    route: format!("{} {}", op.http_method.as_str(), op.path_template),
                    arguments,
                    setters,
                    returns: rust(&op.success),
                    error: rust(&op.error),
                    pages: op.pagination.is_some(),
                    docs: op.docs.clone(),
                },
            );
        }
        for def in &api.types {
            let docs = def.docs.clone();
            let shape = match &def.kind {
                TypeKind::Struct { fields } => Shape::Struct {
                    fields: fields
                        .iter()
                        .map(|f| {
                            let ty = if f.is_option() {
                                format!("Option<{}>", rust(&f.ty))
                            } else {
                                rust(&f.ty)
                            };
                            let field = Field {
                                ty,
                                required: f.is_constructor_arg(),
                                docs: f.docs.clone(),
                            };
                            (f.name.trim_start_matches("r#").to_owned(), field)
                        })
                        .collect(),
                    docs,
                },
                TypeKind::StringEnum { variants, .. } => Shape::Enum {
                    values: variants.iter().map(|v| v.wire.clone()).collect(),
                    docs,
                },
                TypeKind::IntEnum { variants, .. } => Shape::Enum {
                    values: variants.iter().map(|(_, v)| v.to_string()).collect(),
                    docs,
                },
                TypeKind::Union { variants, .. } => Shape::Union {
                    variants: variants
                        .iter()
                        .map(|v| (v.name.clone(), rust(&v.ty)))
                        .collect(),
                    docs,
                },
                TypeKind::ErrorUnion { variants } => Shape::Union {
                    variants: variants
                        .iter()
                        .map(|v| (v.name.clone(), rust(&v.ty)))
                        .collect(),
                    docs,
                },
                TypeKind::Alias(target) | TypeKind::Newtype(target) => Shape::Alias {
                    target: rust(target),
                    docs,
                },
            };
            out.types.insert(
                format!("{types}{}", def.name.trim_start_matches("r#")),
                shape,
            );
        }
    }
    out
}

/// A type as code names it (`Vec<PublicThread>`, `Option<String>`).
pub fn rust(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.trim_start_matches("r#").to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::DateTime => "DateTime<Utc>".to_owned(),
        TypeRef::Date => "NaiveDate".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust(inner)),
        TypeRef::Map(inner) => format!("HashMap<String, {}>", rust(inner)),
        TypeRef::Tuple(items) => format!(
            "({})",
            items.iter().map(rust).collect::<Vec<_>>().join(", ")
        ),
        TypeRef::Unit => "()".to_owned(),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::Base64 => "Base64".to_owned(),
        TypeRef::Multipart => "Multipart".to_owned(),
    }
}
