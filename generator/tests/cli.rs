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
    assert!(text.contains("error: ") && text.contains("bad.yaml: #/components/schemas/A: `$ref: #/components/schemas/Gone` points to a schema that does not exist"), "{text}");
    let json = run(&[&bad_s, "--out", &out_s, "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let diagnostics: serde_json::Value =
        serde_json::from_slice(&json.stderr).expect("one JSON array");
    assert_eq!(diagnostics[0]["severity"], "error");
    assert_eq!(diagnostics[0]["pointer"], "#/components/schemas/A");
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
