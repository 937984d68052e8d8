//! Names survive an API version bump: no version segment (`v3`, `2026-03`) in any name the
//! generator makes, so regenerating after the API's next dated release renames nothing
//! that did not change. Each fixture's paths and path-like operationIds are rewritten to
//! another version and regenerated: the public items (types, fields, methods) are the same.
//! The one exception is by design: two operations that only their versions tell apart.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use openapi_gen::{GeneratedCrate, Options, generate};
use std::collections::BTreeSet;
use std::path::Path;

/// Every `pub` item and field name, by file.
fn public_names(krate: &GeneratedCrate) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (path, text) in krate.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        for line in text.lines() {
            let line = line.trim_start();
            let Some(rest) = line.strip_prefix("pub ") else {
                continue;
            };
            let name: String = rest
                .split_whitespace()
                .find(|w| !["struct", "enum", "fn", "type", "const", "mod", "use"].contains(w))
                .unwrap_or("")
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '#')
                .collect();
            names.insert(format!("{path}: {name}"));
        }
    }
    names
}

#[test]
fn a_new_api_version_renames_nothing() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    // hubspot_shapes.yaml also holds `/crm/v3/objects/{objectType}/batch/read` and
    // `/crm/objects/2026-03/{objectType}/batch/read`, which only their versions tell apart
    // (`batch_read_objects_v3`, `…_2026_03`): there a version is the name, so its `/v3/`
    // is not bumped here. One description per API version, as HubSpot publishes, has none.
    for (file, from, to) in [
        ("hubspot_shapes.yaml", "/2025-09/", "/2026-03/"),
        (
            "hubspot_shapes.yaml",
            "/conversations/v3/",
            "/conversations/v4/",
        ),
        ("paging_hubspot.yaml", "/v3/", "/v2026-09/"),
    ] {
        let text = std::fs::read_to_string(fixtures.join(file)).unwrap();
        let bumped = text.replace(from, to);
        assert_ne!(text, bumped, "{file} has {from}");
        let old = generate(file, &text, &Options::new("v")).unwrap();
        let new = generate(file, &bumped, &Options::new("v")).unwrap();
        let (old_names, new_names) = (public_names(&old), public_names(&new));
        let gone: Vec<_> = old_names.difference(&new_names).collect();
        let came: Vec<_> = new_names.difference(&old_names).collect();
        assert!(
            gone.is_empty() && came.is_empty(),
            "{file} {from} → {to}: renamed {gone:?} → {came:?}"
        );
    }
}

/// A readable operationId's leading version goes too (`v1.application.create` →
/// `application_create`); it stays where two operations differ by it alone.
#[test]
fn a_version_leading_an_operation_id_is_dropped_unless_it_tells_two_apart() {
    let spec = "openapi: 3.0.3\ninfo: {title: v, version: '1'}\npaths:\n  /app:\n    post:\n      operationId: v1.application.create\n      parameters: [{name: order, in: query, schema: {type: string, enum: [asc, desc]}}]\n      responses: {'204': {description: ok}}\n  /app2:\n    get:\n      operationId: v1ApplicationList\n      responses: {'204': {description: ok}}\n  /v2/app:\n    get:\n      operationId: v2ApplicationList\n      responses: {'204': {description: ok}}\n";
    let krate = generate("v.yaml", spec, &Options::new("v")).unwrap();
    let names: Vec<&str> = krate
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "application_create",
            "v1_application_list",
            "v2_application_list"
        ]
    );
    let types = &krate
        .files
        .iter()
        .find(|(p, _)| p == "src/types.rs")
        .unwrap()
        .1;
    assert!(types.contains("pub enum ApplicationCreateOrder"), "{types}");
}

/// A path-like operationId (`get-/crm/v3/owners/{ownerId}_getById`) names no type: an
/// inline parameter enum is named after the method (`GetOwnerIdProperty`), not
/// `GetCrmV3OwnersOwnerIdGetByIdIdProperty`, which the next version renamed.
#[test]
fn a_path_like_operation_id_puts_no_version_into_type_names() {
    let spec = |version: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: o, version: '1'}}\npaths:\n  /crm/{version}/owners/{{ownerId}}:\n    get:\n      operationId: get-/crm/{version}/owners/{{ownerId}}_getById\n      parameters:\n        - {{name: ownerId, in: path, required: true, schema: {{type: string}}}}\n        - {{name: idProperty, in: query, schema: {{type: string, enum: [id, userId]}}}}\n      responses: {{'204': {{description: ok}}}}\n"
        )
    };
    let old = generate("o.yaml", &spec("v3"), &Options::new("o")).unwrap();
    let new = generate("o.yaml", &spec("2026-09"), &Options::new("o")).unwrap();
    assert_eq!(public_names(&old), public_names(&new));
    let types = &old
        .files
        .iter()
        .find(|(p, _)| p == "src/types.rs")
        .unwrap()
        .1;
    assert!(!types.contains("V3"), "{types}");
}
