//! Property test (proptest): random OpenAPI documents with hostile names, unicode,
//! keywords, nesting, `$ref`s and enums. Whatever the document, generation must not panic
//! or hang; whatever it accepts must be valid Rust; and no spec text may become code — a
//! marker word planted in every name, enum value and description never appears as an
//! identifier in the output, only inside string literals and docs.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use proptest::prelude::*;
use std::time::{Duration, Instant};

/// Planted in spec text; it must never come out as a bare identifier. Upper case, so case
/// conversion of a name can never produce it either.
const MARKER: &str = "PWNED";

/// Name material: keywords, std names, punctuation that would break out of a literal or a
/// comment if pasted as code, digits first, unicode.
fn name() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "type",
        "self",
        "Self",
        "crate",
        "super",
        "Option",
        "Result",
        "String",
        "Box",
        "Vec",
        "Error",
        "Client",
        "a-b",
        "x.y",
        "[0]",
        "2fa",
        "é",
        "日本",
        " ",
        "\"",
        "\\",
        "*/",
        "/*",
        "}",
        "{",
        ");",
        "#[",
        "r#",
        "'",
        "\n",
        "IN_PROGRESS",
        "in_progress",
        "_",
    ]);
    prop::collection::vec(pieces, 0..4)
        .prop_map(|parts| format!("{}{MARKER}{}", parts.join(""), parts.len()))
}

#[derive(Debug, Clone)]
enum Shape {
    Str,
    Int,
    Enum(Vec<String>),
    IntEnum(Vec<i64>),
    Array(Box<Shape>),
    Map(Box<Shape>),
    Object(Vec<(String, Shape, bool)>),
    Ref(usize),
    OneOf(Vec<Shape>),
    AllOf(Vec<Shape>),
    Any,
}

fn shape() -> impl Strategy<Value = Shape> {
    let leaf = prop_oneof![
        Just(Shape::Str),
        Just(Shape::Int),
        Just(Shape::Any),
        prop::collection::vec(name(), 1..4).prop_map(Shape::Enum),
        prop::collection::vec(-3i64..3, 1..4).prop_map(Shape::IntEnum),
        (0usize..6).prop_map(Shape::Ref),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|s| Shape::Array(Box::new(s))),
            inner.clone().prop_map(|s| Shape::Map(Box::new(s))),
            prop::collection::vec((name(), inner.clone(), any::<bool>()), 0..4)
                .prop_map(Shape::Object),
            prop::collection::vec(inner.clone(), 1..3).prop_map(Shape::OneOf),
            prop::collection::vec(inner, 1..3).prop_map(Shape::AllOf),
        ]
    })
}

fn schema(shape: &Shape, names: &[String]) -> serde_json::Value {
    use serde_json::json;
    match shape {
        Shape::Str => json!({"type": "string", "description": format!("*/ {MARKER}() /*")}),
        Shape::Int => json!({"type": "integer", "format": "int32"}),
        Shape::Any => json!({}),
        Shape::Enum(values) => json!({"type": "string", "enum": values}),
        Shape::IntEnum(values) => json!({"type": "integer", "enum": values}),
        Shape::Array(item) => json!({"type": "array", "items": schema(item, names)}),
        Shape::Map(value) => {
            json!({"type": "object", "additionalProperties": schema(value, names)})
        }
        Shape::Object(props) => {
            let properties: serde_json::Map<_, _> = props
                .iter()
                .map(|(n, s, _)| (n.clone(), schema(s, names)))
                .collect();
            let required: Vec<&String> = props
                .iter()
                .filter(|(_, _, r)| *r)
                .map(|(n, _, _)| n)
                .collect();
            json!({"type": "object", "properties": properties, "required": required, "title": format!("\"{MARKER}")})
        }
        Shape::Ref(i) => {
            json!({"$ref": format!("#/components/schemas/{}", names[i % names.len()].replace('~', "~0").replace('/', "~1"))})
        }
        Shape::OneOf(members) => {
            json!({"oneOf": members.iter().map(|m| schema(m, names)).collect::<Vec<_>>()})
        }
        Shape::AllOf(members) => {
            json!({"allOf": members.iter().map(|m| schema(m, names)).collect::<Vec<_>>()})
        }
    }
}

fn document(names: &[String], shapes: &[Shape], op: &str, param: &str) -> String {
    let schemas: serde_json::Map<_, _> = names
        .iter()
        .zip(shapes)
        .map(|(n, s)| (n.clone(), schema(s, names)))
        .collect();
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": format!("{MARKER} \"}}"), "version": "2026-09-beta", "description": format!("*/ {MARKER}")},
        "paths": {
            format!("/x/{{{param}}}"): {
                "get": {
                    "operationId": op,
                    "parameters": [{"name": param, "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}", names[0].replace('~', "~0").replace('/', "~1"))}}}}}
                }
            }
        },
        "components": {"schemas": schemas}
    })
    .to_string()
}

/// Every identifier in a token stream, including inside groups.
fn identifiers(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
            proc_macro2::TokenTree::Group(g) => identifiers(g.stream(), out),
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_document_generates_valid_rust_or_a_located_error(
        names in prop::collection::vec(name(), 1..6),
        shapes in prop::collection::vec(shape(), 6),
        op in name(),
        param in name(),
    ) {
        // Distinct component names, as a mapping requires.
        let mut unique = Vec::new();
        for n in names {
            if !unique.contains(&n) {
                unique.push(n);
            }
        }
        let text = document(&unique, &shapes, &op, &param);
        // A crash that aborts (stack overflow) leaves no proptest report; this keeps the input.
        if let Some(dump) = std::env::var_os("OPENAPI_GEN_DUMP") {
            std::fs::write(dump, &text).expect("dump");
        }
        let started = Instant::now();
        let result = openapi_gen::generate("random.json", &text, &openapi_gen::Options::new("random"));
        prop_assert!(started.elapsed() < Duration::from_secs(10), "bounded time per document");
        match result {
            Err(openapi_gen::Error::Spec(d)) => {
                for d in &d.0 {
                    prop_assert!(d.pointer.starts_with('#'), "located: {d}");
                }
            }
            Err(other) => prop_assert!(false, "only spec errors are expected, got {other}"),
            Ok(krate) => {
                for (path, text) in krate.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
                    let file = syn::parse_file(text);
                    prop_assert!(file.is_ok(), "{path} does not parse: {:?}", file.err());
                    let tokens: proc_macro2::TokenStream = text.parse().expect("parsed above");
                    let mut idents = Vec::new();
                    identifiers(tokens, &mut idents);
                    let leaked: Vec<&String> = idents.iter().filter(|i| i.contains(MARKER)).collect();
                    prop_assert!(leaked.is_empty(), "{path}: spec text became code: {leaked:?}");
                }
            }
        }
    }
}

/// The property above only has teeth if most random documents are accepted (and so checked
/// as code); this counts them on a fixed seed.
#[test]
fn most_random_documents_are_accepted() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = (
        prop::collection::vec(name(), 1..6),
        prop::collection::vec(shape(), 6),
        name(),
        name(),
    );
    let (mut accepted, total) = (0, 200);
    for _ in 0..total {
        let (names, shapes, op, param) = strategy.new_tree(&mut runner).expect("a value").current();
        let mut unique = Vec::new();
        for n in names {
            if !unique.contains(&n) {
                unique.push(n);
            }
        }
        let text = document(&unique, &shapes, &op, &param);
        if openapi_gen::generate("random.json", &text, &openapi_gen::Options::new("random")).is_ok()
        {
            accepted += 1;
        }
    }
    eprintln!("{accepted} of {total} random documents accepted");
    assert!(
        accepted * 100 >= total * 60,
        "only {accepted} of {total} accepted"
    );
}

/// Accepted documents must also compile: parsing proves the syntax, not the types (a
/// recursive alias, a method called on a type that lacks it). A sample of random documents
/// with `$ref`s — recursion through maps, arrays, aliases, unions and allOf — is generated
/// into one workspace and clippy'd with warnings counted. The sample differs per run;
/// `PROPERTY_COMPILE_SEED=n` repeats one. The target dir is the corpus step's, so the
/// dependencies are built once for both.
#[test]
fn a_sample_of_accepted_documents_compiles_without_warnings() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    const SAMPLE: usize = 12;
    let seed: u64 = std::env::var("PROPERTY_COMPILE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let strategy = (
        prop::collection::vec(name(), 1..6),
        prop::collection::vec(shape(), 6),
        name(),
        name(),
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let work = root.join("target/property-crates");
    let _ = std::fs::remove_dir_all(&work);
    let mut members = Vec::new();
    let mut tried = 0;
    while members.len() < SAMPLE && tried < 2000 {
        tried += 1;
        let (names, shapes, op, param) = strategy.new_tree(&mut runner).expect("a value").current();
        let text = format!("{shapes:?}");
        if !text.contains("Ref(") {
            continue;
        }
        let mut unique = Vec::new();
        for n in names {
            if !unique.contains(&n) {
                unique.push(n);
            }
        }
        let document = document(&unique, &shapes, &op, &param);
        let name = format!("random-{}", members.len());
        let Ok(krate) =
            openapi_gen::generate("random.json", &document, &openapi_gen::Options::new(&name))
        else {
            continue;
        };
        let dir = work.join(&name);
        openapi_gen::write::write_crate(&krate, &dir).expect("writes");
        std::fs::write(dir.join("spec.json"), &document).expect("keeps the spec");
        members.push(format!("\"{name}\""));
    }
    assert_eq!(
        members.len(),
        SAMPLE,
        "seed {seed}: too few accepted documents"
    );
    std::fs::write(
        work.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("workspace");
    std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock")).expect("lock file");
    let output =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["clippy", "--workspace", "--quiet", "--message-format=short"])
            .current_dir(&work)
            .env("CARGO_TARGET_DIR", root.join("target/corpus-target"))
            .output()
            .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning") || l.contains("error"))
        .collect();
    assert!(
        output.status.success() && problems.is_empty(),
        "seed {seed} (PROPERTY_COMPILE_SEED={seed} repeats it; the crates are in {}):\n{stderr}",
        work.display()
    );
    eprintln!(
        "seed {seed}: {SAMPLE} random documents with $refs compiled without warnings ({tried} drawn)"
    );
}
