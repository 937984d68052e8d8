//! One shape, one type: identical inline schemas become one type, named by what their uses'
//! names share, and an inline copy of a component schema is that component.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use openapi_gen::{Options, generate};
use std::path::Path;

fn types_rs(krate: &openapi_gen::GeneratedCrate) -> &str {
    &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/types.rs")
        .unwrap()
        .1
}

/// 60 operator schemas each carrying the same inline 60-member `oneOf` (HubSpot Media
/// Bridge's shape): one union, not 60. That it is `Send + Sync` is compiled by CI
/// (`edge_cases/inline_union_copies.test.rs`).
#[test]
fn sixty_copies_of_a_union_are_one_type() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/edge_cases/inline_union_copies.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let krate = generate("copies.yaml", &text, &Options::new("copies")).unwrap();
    let types = types_rs(&krate);
    assert_eq!(types.matches("pub enum ").count(), 1, "{types}");
    assert!(types.contains("pub enum InputsItem {"));
    assert!(types.contains("pub inputs: Option<Vec<InputsItem>>"));
    assert_eq!(krate.merged_types, 59);
}

/// The same inline enum in 12 list operations (`order: asc|desc`) is one `Order`-like type,
/// whose name does not change when one of its uses goes away; an inline copy of a
/// component is the component.
#[test]
fn repeated_inline_enums_are_one_type_with_a_stable_name() {
    let spec = |operations: usize| {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: o, version: '1'}\npaths:\n");
        for i in 0..operations {
            text.push_str(&format!(
                "  /things{i}:\n    get:\n      operationId: listThings{i}\n      parameters:\n        - {{name: order, in: query, schema: {{type: string, enum: [asc, desc]}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{id: {{type: string}}, size: {{type: integer}}}}}}\n"
            ));
        }
        text.push_str("components:\n  schemas:\n    Thing: {type: object, properties: {id: {type: string}, size: {type: integer}}}\n");
        text
    };
    let all = generate("o.yaml", &spec(12), &Options::new("o")).unwrap();
    let types = types_rs(&all);
    assert_eq!(types.matches("pub enum ").count(), 1, "{types}");
    assert!(types.contains("pub enum AscDescOrder {"), "{types}");
    // Every response is the component `Thing`.
    assert_eq!(types.matches("pub struct ").count(), 1, "{types}");
    let operations = &all
        .files
        .iter()
        .find(|(p, _)| p == "src/operations.rs")
        .unwrap()
        .1;
    assert!(operations.contains("crate::types::Thing"), "{operations}");
    let fewer = generate("o.yaml", &spec(2), &Options::new("o")).unwrap();
    assert!(types_rs(&fewer).contains("pub enum AscDescOrder {"));
}

/// Inline copies of a shape that two components also have (OpenAI's statuses) are not
/// guessed to be either component, but they are one type, not one per use.
#[test]
fn inline_copies_of_a_shape_two_components_share_are_one_type() {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: o, version: '1'}\npaths:\n");
    for i in 0..5 {
        text.push_str(&format!(
            "  /calls{i}:\n    get:\n      operationId: getCall{i}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{status: {{type: string, enum: [in_progress, completed]}}}}}}\n"
        ));
    }
    text.push_str("components:\n  schemas:\n    MessageStatus: {type: string, enum: [in_progress, completed]}\n    CallStatus: {type: string, enum: [in_progress, completed]}\n");
    let krate = generate("o.yaml", &text, &Options::new("o")).unwrap();
    let types = types_rs(&krate);
    // The two components, as the spec names them, and one type for the five inline copies.
    assert_eq!(types.matches("pub enum ").count(), 3, "{types}");
    assert!(types.contains("pub enum MessageStatus {"), "{types}");
    assert!(types.contains("pub enum CallStatus {"), "{types}");
}

/// Types that reach each other through a chain as heavy as Stripe's (143) make rustdoc's auto
/// trait checks overflow the default recursion limit (E0275 on `cargo doc`); such a crate
/// sets a higher limit, and a shallow one sets none. (`cargo xtask corpus` runs `cargo doc`
/// on every corpus crate, Stripe's included.)
#[test]
fn a_deep_chain_of_types_raises_the_recursion_limit() {
    let spec = |n: usize| {
        let mut text = String::from(
            "openapi: 3.0.3\ninfo: {title: c, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
        );
        for i in 0..n {
            text.push_str(&format!(
                "    T{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/T{}'}}, all: {{type: array, items: {{$ref: '#/components/schemas/T0'}}}}}}}}\n",
                (i + 1) % n
            ));
        }
        text
    };
    let lib = |n| {
        let krate = generate("c.yaml", &spec(n), &Options::new("c")).unwrap();
        krate
            .files
            .iter()
            .find(|(p, _)| p == "src/lib.rs")
            .unwrap()
            .1
            .clone()
    };
    assert!(lib(100).contains("#![recursion_limit = \"256\"]"));
    assert!(!lib(10).contains("recursion_limit"));
}

/// Past seven required fields the constructor takes them by name, in a struct of their
/// own; up to seven it takes them in order.
#[test]
fn constructors_past_seven_required_fields_take_a_record() {
    let spec = |n: usize| {
        let props: Vec<String> = (0..n).map(|i| format!("f{i}: {{type: string}}")).collect();
        let required: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
        format!(
            "openapi: 3.0.3\ninfo: {{title: r, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Wide:\n      type: object\n      required: [{}]\n      properties: {{{}, note: {{type: string}}}}\n",
            required.join(", "),
            props.join(", ")
        )
    };
    let wide = generate("r.yaml", &spec(9), &Options::new("r")).unwrap();
    let types = types_rs(&wide);
    assert!(types.contains("pub struct WideRequired {"), "{types}");
    assert!(
        types.contains("pub fn new(required: WideRequired) -> Self"),
        "{types}"
    );
    assert!(!types.contains("too_many_arguments"));
    let narrow = generate("r.yaml", &spec(7), &Options::new("r")).unwrap();
    assert!(!types_rs(&narrow).contains("Required"));
    assert!(types_rs(&narrow).contains("f6: impl Into<String>"));
}

/// Names we make up for inline schemas stay at most 60 characters, keeping their last words
/// (what the type is); component names stay as the spec writes them.
#[test]
fn derived_type_names_are_at_most_60_characters() {
    let spec = r#"
openapi: 3.0.3
info: {title: long, version: '1'}
paths: {}
components:
  schemas:
    PaymentMethodOptionsUsBankAccountFinancialConnectionsSettings:
      type: object
      properties:
        preferredSettlementSpeedForInstantVerification:
          type: object
          properties:
            requestedSettlementSpeedOptionsWhenAvailable:
              type: string
              enum: [fastest, standard]
        permissionsRequestedFromTheAccountHolderAtSetup:
          type: array
          items: {type: string, enum: [balances, ownership]}
"#;
    let krate = generate("long.yaml", spec, &Options::new("long")).unwrap();
    let types = types_rs(&krate);
    let names: Vec<&str> = types
        .lines()
        .filter_map(|l| {
            l.strip_prefix("pub struct ")
                .or(l.strip_prefix("pub enum "))
        })
        .map(|l| l.trim_end_matches(" {"))
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names.contains(&"PaymentMethodOptionsUsBankAccountFinancialConnectionsSettings"));
    for name in names
        .iter()
        .filter(|n| !n.starts_with("PaymentMethodOptionsUsBank"))
    {
        assert!(name.len() <= 60, "{name} is {} characters", name.len());
    }
    assert!(
        names.contains(&"VerificationRequestedSettlementSpeedOptionsWhenAvailable"),
        "the last words are kept: {names:?}"
    );
}
