//! The `openapi-gen` binary: exit codes (0 ok, 1 bad spec, 2 usage/I-O, 3 stale `--check`),
//! human and JSON diagnostics.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .args(args)
        .output()
        .expect("the CLI runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-gen-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn spec() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/hubspot-conversations.yaml")
        .display()
        .to_string()
}

#[test]
fn generates_then_checks_then_detects_staleness() {
    let out = scratch("ok");
    let out_s = out.display().to_string();
    let written = run(&[&spec(), "--out", &out_s, "--crate-name", "my-hubspot"]);
    assert_eq!(
        written.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-hubspot\""));
    assert_eq!(
        run(&[
            &spec(),
            "--out",
            &out_s,
            "--crate-name",
            "my-hubspot",
            "--check"
        ])
        .status
        .code(),
        Some(0)
    );
    let types = out.join("src/types.rs");
    std::fs::write(
        &types,
        std::fs::read_to_string(&types)
            .unwrap()
            .replace("pub struct PublicThread", "pub struct Edited"),
    )
    .unwrap();
    let stale = run(&[
        &spec(),
        "--out",
        &out_s,
        "--crate-name",
        "my-hubspot",
        "--check",
    ]);
    assert_eq!(stale.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(
        stderr.contains("-pub struct Edited") && stderr.contains("+pub struct PublicThread"),
        "a readable diff: {stderr}"
    );
}

#[test]
fn a_bad_spec_exits_1_with_human_or_json_diagnostics() {
    let dir = scratch("bad");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/Gone'}\n").unwrap();
    let (bad_s, out_s) = (
        bad.display().to_string(),
        dir.join("out").display().to_string(),
    );
    let human = run(&[&bad_s, "--out", &out_s]);
    assert_eq!(human.status.code(), Some(1));
    let text = String::from_utf8_lossy(&human.stderr);
    assert!(text.contains("error: ") && text.contains("bad.yaml:6:5: #/components/schemas/A: `$ref: #/components/schemas/Gone` points to a schema that does not exist"), "{text}");
    let json = run(&[&bad_s, "--out", &out_s, "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let diagnostics: serde_json::Value =
        serde_json::from_slice(&json.stderr).expect("one JSON array");
    assert_eq!(diagnostics[0]["severity"], "error");
    assert_eq!(diagnostics[0]["pointer"], "#/components/schemas/A");
    assert_eq!(
        (
            diagnostics[0]["line"].as_u64(),
            diagnostics[0]["column"].as_u64()
        ),
        (Some(6), Some(5))
    );
    assert!(
        diagnostics[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("bad.yaml")
    );
    assert!(
        !dir.join("out").exists(),
        "nothing is written for a bad spec"
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(run(&[&spec()]).status.code(), Some(2), "--out is required");
    assert_eq!(
        run(&["/nonexistent/spec.yaml", "--out", "/tmp/x"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&[&spec(), "--out", "/tmp/x", "--crate-name", "2bad name"])
            .status
            .code(),
        Some(2)
    );
}

/// Every file under `dir`, with its bytes.
fn snapshot_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn an_existing_project_is_never_overwritten() {
    let out = scratch("project");
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    std::fs::write(out.join("src/lib.rs"), "// my code\n").unwrap();
    let before = snapshot_dir(&out);
    let result = run(&[&spec(), "--out", &out.display().to_string()]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Cargo.toml") && stderr.contains("not written by openapi-gen"),
        "{stderr}"
    );
    assert_eq!(snapshot_dir(&out), before, "nothing was written or removed");
}

#[test]
fn a_read_only_user_file_and_a_directory_in_the_way_are_refused() {
    let out = scratch("in-the-way");
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("src/types.rs"), "// mine\n").unwrap();
    let mut permissions = std::fs::metadata(out.join("src/types.rs"))
        .unwrap()
        .permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(out.join("src/types.rs"), permissions).unwrap();
    let before = snapshot_dir(&out);
    let result = run(&[&spec(), "--out", &out.display().to_string()]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("types.rs"), "{stderr}");
    assert_eq!(snapshot_dir(&out), before);

    let out = scratch("dir-in-the-way");
    std::fs::create_dir_all(out.join("src/client.rs")).unwrap();
    let result = run(&[&spec(), "--out", &out.display().to_string()]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("client.rs") && stderr.contains("not a regular file"),
        "{stderr}"
    );
    assert!(
        !out.join("Cargo.toml").exists(),
        "checked before the first write"
    );
}

#[test]
fn regenerating_replaces_generated_files_only_and_leaves_no_temporaries() {
    let out = scratch("regen");
    let out_s = out.display().to_string();
    assert_eq!(run(&[&spec(), "--out", &out_s]).status.code(), Some(0));
    // A generated file that is edited keeps its marker, so it is the generator's to restore;
    // a file of the user's beside it is left alone.
    let lib = out.join("src/lib.rs");
    let edited = std::fs::read_to_string(&lib).unwrap() + "\n// edited\n";
    std::fs::write(&lib, &edited).unwrap();
    std::fs::write(out.join("src/extra.rs"), "// mine\n").unwrap();
    assert_eq!(run(&[&spec(), "--out", &out_s]).status.code(), Some(0));
    assert!(!std::fs::read_to_string(&lib).unwrap().contains("// edited"));
    assert_eq!(
        std::fs::read_to_string(out.join("src/extra.rs")).unwrap(),
        "// mine\n"
    );
    let temporaries: Vec<_> = snapshot_dir(&out)
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains(".tmp"))
        .collect();
    assert!(temporaries.is_empty(), "{temporaries:?}");
}

#[test]
fn a_spec_that_is_not_utf8_is_a_bad_spec_naming_the_byte() {
    let dir = scratch("latin1");
    let spec = dir.join("latin1.yaml");
    let mut bytes = b"openapi: 3.0.3\ninfo: {title: caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b", version: '1'}\npaths: {}\n");
    std::fs::write(&spec, bytes).unwrap();
    let result = run(&[
        &spec.display().to_string(),
        "--out",
        &dir.join("out").display().to_string(),
    ]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("not UTF-8") && stderr.contains("byte 32"),
        "{stderr}"
    );
}
