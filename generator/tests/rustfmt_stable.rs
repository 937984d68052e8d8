//! What the generator writes is a fixed point of `cargo fmt`: a user who runs `cargo fmt` on a
//! workspace that vendors a generated crate must not rewrite it (and so fail `codegen
//! --check`). Generated modules are `#[rustfmt::skip]`; the crate root and every file rustfmt
//! does format are checked here for every fixture and edge case, as rustfmt would format them.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use std::path::Path;

#[test]
fn every_fixture_crate_is_left_alone_by_rustfmt() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rustfmt-stable");
    let _ = std::fs::remove_dir_all(&out);
    let mut roots = Vec::new();
    for dir in ["fixtures", "edge_cases"] {
        let mut specs: Vec<_> = std::fs::read_dir(tests.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
            .collect();
        specs.sort();
        for spec in specs {
            let name = spec.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&spec).unwrap();
            let options = openapi_gen::Options::new("fixture");
            // Fixtures that are meant to be refused are other tests' business.
            let Ok(krate) = openapi_gen::generate(&name, &text, &options) else {
                continue;
            };
            let root = out.join(name.replace('.', "_"));
            for (file, contents) in &krate.files {
                let path = root.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, contents).unwrap();
            }
            roots.push(root.join("src/lib.rs"));
        }
    }
    assert!(roots.len() > 60, "only {} crates generated", roots.len());
    let output = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .args(&roots)
        .output()
        .expect("rustfmt runs");
    assert!(
        output.status.success(),
        "rustfmt would change generated files:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
