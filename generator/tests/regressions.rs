//! Documents that once crashed the generator, found by the property test or the fuzzers.
//! Each must now generate (or be rejected with a located error) without a panic.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

fn generates(text: &str) -> openapi_gen::GeneratedCrate {
    let krate =
        openapi_gen::generate("r.yaml", text, &openapi_gen::Options::new("r")).expect("generates");
    for (path, source) in krate.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        syn::parse_file(source).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    krate
}

/// Found by `most_random_documents_are_accepted`: a union holding a union that refers back
/// to the first sent the "has a text form" check into unbounded recursion (stack overflow).
#[test]
fn a_union_inside_a_union_that_refers_back() {
    let krate = generates(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      oneOf:\n        - oneOf: [{$ref: '#/components/schemas/A'}, {type: string, enum: [x]}]\n        - {type: integer, enum: [1]}\n",
    );
    let types = &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/types.rs")
        .expect("types")
        .1;
    assert!(types.contains("Box<A>"), "the cycle is boxed: {types}");
}

/// Found by the property test: `C: additionalProperties: allOf[$ref P, $ref C]` — merging the
/// allOf pulled C's own `additionalProperties` (the same allOf) back in, forever.
#[test]
fn an_allof_that_pulls_itself_back_in_is_a_located_error() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    P: {type: object, additionalProperties: {$ref: '#/components/schemas/C'}}\n    C:\n      type: object\n      additionalProperties:\n        allOf: [{$ref: '#/components/schemas/P'}, {$ref: '#/components/schemas/C'}]\n";
    match openapi_gen::generate("r.yaml", text, &openapi_gen::Options::new("r")) {
        Err(openapi_gen::Error::Spec(d)) => {
            assert!(
                d.0.iter()
                    .any(|d| d.message.contains("nest more than 128 levels")),
                "{d}"
            );
            assert!(
                d.0.iter()
                    .all(|d| d.pointer.starts_with("#/components/schemas/")),
                "{d}"
            );
        }
        other => panic!("expected a located error, got {other:?}"),
    }
}

/// 50 levels of nested inline objects generate; far deeper nesting is refused by the
/// parser's recursion limit, never a stack overflow.
#[test]
fn deep_nesting_is_handled_or_refused() {
    let mut schema = String::from("{\"type\": \"string\"}");
    for _ in 0..50 {
        schema = format!("{{\"type\": \"object\", \"properties\": {{\"next\": {schema}}}}}");
    }
    let text = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}"
    );
    let krate = generates(&text);
    assert_eq!(krate.type_count, 50);
    let mut schema = String::from("{}");
    for _ in 0..5_000 {
        schema = format!("{{\"type\": \"array\", \"items\": {schema}}}");
    }
    let text = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}"
    );
    match openapi_gen::generate("deep.json", &text, &openapi_gen::Options::new("r")) {
        Err(openapi_gen::Error::Spec(d)) => {
            assert!(d.to_string().contains("recursion limit"), "{d}")
        }
        other => panic!(
            "expected the parser's recursion limit, got {:?}",
            other.map(|k| k.type_count)
        ),
    }
}
