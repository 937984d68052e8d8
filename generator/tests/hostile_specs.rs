//! Small specs that once exhausted the generator: each now generates, or fails with a
//! located error, within 10 s of CPU and 1 GiB of address space (the CLI runs under
//! `ulimit`, so a regression is killed and fails the test rather than the machine).

#![cfg(unix)]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use std::fmt::Write as _;
use std::path::PathBuf;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// Runs the CLI on `text` under a CPU-time and address-space limit; its exit code (`None`
/// when a limit killed it) and stderr.
fn generate_bounded(name: &str, text: &str) -> (Option<i32>, String) {
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "openapi-gen-hostile-spec-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join(format!("{name}.yaml"));
    std::fs::write(&spec, text).unwrap();
    assert!(text.len() < 1 << 20, "{name} is a small spec");
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg("ulimit -t 10 -v 1048576 && exec \"$0\" \"$1\" --out \"$2\"")
        .arg(env!("CARGO_BIN_EXE_openapi-gen"))
        .arg(&spec)
        .arg(dir.join("out"))
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `A{n}: allOf: [$ref A{n-1}, $ref A{n-1}, {own property}]`: each level doubles what a
/// naive merge visits (depth 18 took 2 s, depth 40 never ended).
fn doubling_all_of(depth: usize) -> String {
    let mut text = format!(
        "{HEAD}components:\n  schemas:\n    A0: {{type: object, properties: {{p0: {{type: string}}}}}}\n"
    );
    for i in 1..=depth {
        let _ = writeln!(
            text,
            "    A{i}: {{allOf: [{{$ref: '#/components/schemas/A{0}'}}, {{$ref: '#/components/schemas/A{0}'}}, {{type: object, properties: {{p{i}: {{type: string}}}}}}]}}",
            i - 1
        );
    }
    text
}

#[test]
fn an_all_of_that_doubles_at_each_level_is_linear() {
    let (code, stderr) = generate_bounded("allof18", &doubling_all_of(18));
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stderr) = generate_bounded("allof40", &doubling_all_of(40));
    assert_eq!(code, Some(1), "a located error, not a kill: {stderr}");
    assert!(
        stderr.contains("#/components/schemas/") && stderr.contains("nests too deep"),
        "{stderr}"
    );
}

#[test]
fn yaml_aliases_cannot_expand_a_small_document_into_a_huge_one() {
    // Nine levels of nine aliases each (the classic "billion laughs").
    let mut laughs = format!("{HEAD}x-a: &a [{}]\n", ["\"lol\""; 9].join(","));
    for level in 1..10u8 {
        let (name, previous) = (char::from(b'a' + level), char::from(b'a' + level - 1));
        let _ = writeln!(
            laughs,
            "x-{name}: &{name} [{}]",
            vec![format!("*{previous}"); 9].join(",")
        );
    }
    // Under serde_yaml's own limit (alias jumps): a big anchored value aliased 3,000 times.
    let leaf = vec![format!("\"{}\"", "x".repeat(50)); 1000].join(",");
    let wide = format!(
        "{HEAD}x-leaf: &l [{leaf}]\nx-many: [{}]\n",
        vec!["*l"; 3000].join(",")
    );
    // Aliased inline objects: 1,200 properties that are each a 300-property object.
    let props: Vec<String> = (0..300)
        .map(|i| format!("p{i}: {{type: string}}"))
        .collect();
    let mut objects = format!(
        "{HEAD}components:\n  schemas:\n    Leaf: &leaf {{type: object, properties: {{{}}}}}\n",
        props.join(", ")
    );
    let aliased: Vec<String> = (0..400).map(|i| format!("q{i}: *leaf")).collect();
    for k in 0..3 {
        let _ = writeln!(
            objects,
            "    Big{k}: {{type: object, properties: {{{}}}}}",
            aliased.join(", ")
        );
    }
    for (name, text) in [("laughs", laughs), ("wide", wide), ("objects", objects)] {
        let (code, stderr) = generate_bounded(name, &text);
        assert_eq!(
            code,
            Some(1),
            "{name}: a located error, not a kill: {stderr}"
        );
        assert!(
            stderr.contains(&format!("{name}.yaml")) && stderr.contains("#:"),
            "{name}: {stderr}"
        );
    }
}

/// Anchors used as intended (a shared response written once) still read.
#[test]
fn ordinary_yaml_anchors_still_read() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: &ok {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}}}\n  /b:\n    get:\n      operationId: getB\n      responses: *ok\n";
    let (code, stderr) = generate_bounded("anchors", text);
    assert_eq!(code, Some(0), "{stderr}");
}
