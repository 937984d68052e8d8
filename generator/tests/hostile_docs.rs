//! Spec text never runs: `fixtures/hostile_docs.yaml` puts every Markdown construct that
//! could open a block rustdoc compiles (fences with each info string rustdoc reads as Rust,
//! in quotes, lists and footnotes, indented blocks, a fake fence, an unclosed one, lone CRs)
//! in every place spec text reaches a doc comment: the crate page, a module of a crate of
//! several specs and its title, operations, parameters, schemas, properties, enum values,
//! union tags and a declared paging rule. Each block would write a marker file and exit 1.
//! `cargo xtask codegen` generates the crates (workspace members, so `cargo test
//! --workspace` runs their doctests too); this test runs them itself and counts.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use std::path::Path;

#[test]
fn spec_text_never_runs_as_a_doctest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let marker = root.join("target/hostile-doctest-ran");
    let _ = std::fs::remove_file(&marker);
    let mut cargo = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
    // What Cargo sets for this test's own package would change build scripts' inputs
    // (ring's reads `CARGO_PKG_*`) and rebuild them, here and in the next outer build.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_CRATE_",
            "CARGO_BIN_",
            "CARGO_PRIMARY_",
        ]
        .iter()
        .any(|prefix| key.starts_with(prefix))
            || key == "CARGO_TARGET_TMPDIR"
        {
            cargo.env_remove(&*key);
        }
    }
    let output = cargo
        .args([
            "test",
            "--doc",
            "-p",
            "hostile-docs-fixture",
            "-p",
            "hostile-family-fixture",
        ])
        .current_dir(&root)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !marker.exists(),
        "a description ran as a doctest and wrote {}:\n{stdout}",
        marker.display()
    );
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // Each crate has exactly one doctest: the crate page's example, compiled (`no_run`).
    let tests: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("test ") && l.contains(" - (line "))
        .collect();
    assert_eq!(tests.len(), 2, "{stdout}");
    assert!(
        tests
            .iter()
            .all(|t| t.contains("src/lib.rs") && t.ends_with("compile ... ok")),
        "{stdout}"
    );
}

/// Every string from the spec is valid where it lands: the title's DEL, CR, quote and bidi
/// control are escaped in `Cargo.toml` (which Cargo parsed to build the crate above), shown
/// as `\u{…}` in comments, and an operationId `match` is called as `client.r#match(…)`.
#[test]
fn spec_strings_are_escaped_where_they_land() {
    let krate = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generated/hostile_docs");
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).expect("manifest");
    let description = manifest
        .lines()
        .find(|l| l.starts_with("description = "))
        .expect("a description");
    assert!(
        description.contains(r#"Hostile\u202E docs\u000D\u007F \"quoted\" \\ title\n"#),
        "{description}"
    );
    let lib = std::fs::read_to_string(krate.join("src/lib.rs")).expect("lib.rs");
    assert!(
        // The title is the page's first line, on one line and escaped for Markdown (the
        // backslash of `\u{…}` too, so it renders as written).
        lib.contains("//! Hostile\\\\u{202e} docs \\\\u{7f} \"quoted\" \\\\ title \\`\\`\\`rust"),
        "{lib}"
    );
    assert!(lib.contains("client.r#match(\"…\")"), "{lib}");
    for (path, text) in [("Cargo.toml", &manifest), ("src/lib.rs", &lib)] {
        assert!(
            !text.contains(['\r', '\u{7f}', '\u{202e}']),
            "{path} holds a raw control or bidi character"
        );
    }
    let operations = std::fs::read_to_string(krate.join("src/operations.rs")).expect("ops");
    assert!(
        operations.contains("pub struct Match {"),
        "the builder of `match`"
    );
}
