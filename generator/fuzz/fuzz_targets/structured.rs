//! Structure-aware: random but well-formed OpenAPI documents (names with keywords, unicode
//! and comment/literal breakers, nested and recursive schemas, refs, enums, compositions).
//! Properties: no panic; accepted documents give valid Rust in which the marker planted in
//! every piece of spec text never appears as an identifier.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const MARKER: &str = "PWNED";
const PIECES: &[&str] = &[
    "type", "self", "Self", "crate", "Option", "Result", "String", "Error", "a-b", "x.y", "[0]", "2fa", "é", "日本",
    " ", "\"", "\\", "*/", "/*", "}", ");", "#[", "r#", "\n", "IN_PROGRESS", "in_progress", "_",
];

#[derive(Arbitrary, Debug)]
struct Name(Vec<u8>);

impl Name {
    fn text(&self) -> String {
        let parts: Vec<&str> = self.0.iter().take(4).map(|b| PIECES[*b as usize % PIECES.len()]).collect();
        format!("{}{MARKER}{}", parts.join(""), parts.len())
    }
}

#[derive(Arbitrary, Debug)]
enum Shape {
    Str,
    Int,
    Any,
    Enum(Vec<Name>),
    IntEnum(Vec<i8>),
    Array(Box<Shape>),
    Map(Box<Shape>),
    Object(Vec<(Name, Shape, bool)>),
    Ref(u8),
    OneOf(Vec<Shape>),
    AllOf(Vec<Shape>),
    Nullable(Box<Shape>),
}

fn schema(shape: &Shape, names: &[String], depth: usize) -> Value {
    if depth > 12 {
        return json!({});
    }
    let d = depth + 1;
    match shape {
        Shape::Str => json!({"type": "string", "description": format!("*/ {MARKER}() /*")}),
        Shape::Int => json!({"type": "integer"}),
        Shape::Any => json!({}),
        Shape::Enum(values) => json!({"type": "string", "enum": values.iter().map(Name::text).collect::<Vec<_>>()}),
        Shape::IntEnum(values) => json!({"type": "integer", "enum": values}),
        Shape::Array(item) => json!({"type": "array", "items": schema(item, names, d)}),
        Shape::Map(value) => json!({"type": "object", "additionalProperties": schema(value, names, d)}),
        Shape::Object(props) => {
            let properties: serde_json::Map<_, _> = props.iter().map(|(n, s, _)| (n.text(), schema(s, names, d))).collect();
            let required: Vec<String> = props.iter().filter(|(_, _, r)| *r).map(|(n, _, _)| n.text()).collect();
            json!({"type": "object", "properties": properties, "required": required})
        }
        Shape::Ref(i) => json!({"$ref": format!("#/components/schemas/{}", names[*i as usize % names.len()].replace('~', "~0").replace('/', "~1"))}),
        Shape::OneOf(members) => json!({"oneOf": members.iter().map(|m| schema(m, names, d)).collect::<Vec<_>>()}),
        Shape::AllOf(members) => json!({"allOf": members.iter().map(|m| schema(m, names, d)).collect::<Vec<_>>()}),
        Shape::Nullable(inner) => {
            let mut s = schema(inner, names, d);
            if let Some(map) = s.as_object_mut() {
                map.insert("nullable".into(), Value::Bool(true));
            }
            s
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Doc {
    schemas: Vec<(Name, Shape)>,
    operation: Name,
    param: Name,
}

fn identifiers(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
            proc_macro2::TokenTree::Group(g) => identifiers(g.stream(), out),
            _ => {}
        }
    }
}

fuzz_target!(|doc: Doc| {
    let mut names: Vec<String> = Vec::new();
    for (n, _) in &doc.schemas {
        let n = n.text();
        if !names.contains(&n) {
            names.push(n);
        }
    }
    if names.is_empty() {
        return;
    }
    let schemas: serde_json::Map<_, _> = names.iter().zip(&doc.schemas).map(|(n, (_, s))| (n.clone(), schema(s, &names, 0))).collect();
    let param = doc.param.text();
    let text = json!({
        "openapi": "3.0.3",
        "info": {"title": format!("{MARKER} \"}}"), "version": "1", "description": format!("*/ {MARKER}")},
        "paths": {format!("/x/{{{param}}}"): {"get": {
            "operationId": doc.operation.text(),
            "parameters": [{"name": param, "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}", names[0].replace('~', "~0").replace('/', "~1"))}}}}}
        }}},
        "components": {"schemas": schemas}
    })
    .to_string();
    if let Ok(krate) = openapi_gen::generate("structured.json", &text, &openapi_gen::Options::new("fuzz")) {
        for (path, source) in krate.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
            let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
            let mut idents = Vec::new();
            identifiers(quote_tokens(&file), &mut idents);
            if let Some(leak) = idents.iter().find(|i| i.contains(MARKER)) {
                panic!("{path}: spec text became the identifier {leak}");
            }
        }
    }
});

fn quote_tokens(file: &syn::File) -> proc_macro2::TokenStream {
    quote::ToTokens::to_token_stream(file)
}
