//! insta snapshots of the generated code: one small fixture spec per construct, plus the
//! project's own spec. Runtime modules are copied verbatim, so only the emitted files are
//! snapshotted.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use std::path::Path;

fn render(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("file name");
    let krate = openapi_gen::generate(name, &text, &openapi_gen::Options::new("fixture"))
        .unwrap_or_else(|e| panic!("{name} generates: {e}"));
    let again = openapi_gen::generate(name, &text, &openapi_gen::Options::new("fixture"))
        .expect("generates");
    assert_eq!(krate, again, "generation is deterministic");
    let mut out = String::new();
    for (file, contents) in &krate.files {
        let emitted = [
            "Cargo.toml",
            "src/lib.rs",
            "src/about.rs",
            "src/types.rs",
            "src/operations.rs",
        ]
        .contains(&file.as_str())
            || file.starts_with("src/types/")
            || file.starts_with("src/operations/");
        if emitted {
            out.push_str(&format!("==== {file} ====\n{contents}\n"));
        }
    }
    for warning in &krate.warnings {
        out.push_str(&format!("==== warning ====\n{warning}\n"));
    }
    out
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.yaml", |path| {
        insta::assert_snapshot!(render(path));
    });
}

#[test]
fn hubspot_conversations_spec() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/hubspot-conversations.yaml");
    insta::assert_snapshot!(render(&spec));
}
