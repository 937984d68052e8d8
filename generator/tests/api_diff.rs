//! `openapi-gen diff`: each kind of spec change, judged by what it does to code written
//! against the old crate, and the bump that follows; and a one-field change is a small diff
//! of the generated code.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use openapi_gen::diff::{Bump, Report, compare};
use openapi_gen::{Options, api_surface};

/// The spec every change is made to (`cargo xtask semver` makes the same changes and asks
/// cargo-semver-checks).
const BASE: &str = include_str!("../../xtask/semver/pets.yaml");

fn report(new: &str) -> Report {
    let options = Options::new("pets");
    let old = api_surface("old.yaml", BASE, &options).unwrap();
    let new = api_surface("new.yaml", new, &options).unwrap();
    compare(&old, &new)
}

/// The one change `edit` makes, as (item, kind, breaking), and the bump.
fn one_change(edit: (&str, &str)) -> ((String, &'static str, bool), Bump) {
    assert!(BASE.contains(edit.0), "{}", edit.0);
    let report = report(&BASE.replacen(edit.0, edit.1, 1));
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
    let c = &report.changes[0];
    assert!(!c.reason.is_empty());
    ((c.item.clone(), c.kind, c.breaking), report.bump)
}

#[test]
fn a_removed_operation_is_a_breaking_removed_method() {
    let removed = "    delete:\n      operationId: deletePet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"204\": {description: gone}\n";
    assert_eq!(
        one_change((removed, "")),
        (
            ("client.delete_pet".into(), "method removed", true),
            Bump::Major
        )
    );
}

#[test]
fn a_removed_enum_value_is_breaking() {
    assert_eq!(
        one_change(("enum: [cat, dog, bird]", "enum: [cat, dog]")),
        (
            ("types::Kind::bird".into(), "enum value removed", true),
            Bump::Major
        )
    );
}

#[test]
fn a_parameter_type_change_is_breaking() {
    assert_eq!(
        one_change((
            "{name: limit, in: query, schema: {type: integer, format: int32}}",
            "{name: limit, in: query, schema: {type: string}}"
        )),
        (
            (
                "client.list_pets().limit".into(),
                "parameter type changed",
                true
            ),
            Bump::Major
        )
    );
    // A required path parameter's type is an argument of the method.
    assert_eq!(
        one_change((
            "operationId: getPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}",
            "operationId: getPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}"
        )),
        (
            ("client.get_pet".into(), "arguments changed", true),
            Bump::Major
        )
    );
}

#[test]
fn an_added_operation_is_a_minor_addition() {
    let added = "  /owners:\n    get:\n      operationId: listOwners\n      responses:\n        \"200\": {description: ok}\n";
    assert_eq!(
        one_change(("components:\n", &format!("{added}components:\n"))),
        (
            ("client.list_owners".into(), "method added", false),
            Bump::Minor
        )
    );
}

#[test]
fn an_added_optional_parameter_is_a_new_setter() {
    assert_eq!(
        one_change((
            "        - {name: limit, in: query, schema: {type: integer, format: int32}}\n",
            "        - {name: limit, in: query, schema: {type: integer, format: int32}}\n        - {name: after, in: query, schema: {type: string}}\n"
        )),
        (
            (
                "client.list_pets().after".into(),
                "optional parameter added",
                false
            ),
            Bump::Minor
        )
    );
}

#[test]
fn a_description_edit_is_a_patch() {
    assert_eq!(
        one_change((
            "description: Lists pets.",
            "description: Lists every pet, oldest first."
        )),
        (
            ("client.list_pets".into(), "docs changed", false),
            Bump::Patch
        )
    );
    assert_eq!(
        one_change(("The pet's name.", "What the owner calls the pet.")),
        (
            ("types::Pet::name".into(), "docs changed", false),
            Bump::Patch
        )
    );
}

#[test]
fn a_renamed_operation_id_is_a_breaking_rename() {
    let ((item, kind, breaking), bump) =
        one_change(("operationId: getPet", "operationId: fetchPet"));
    assert_eq!(
        (item.as_str(), kind, breaking, bump),
        ("client.get_pet", "method renamed", true, Bump::Major)
    );
    let report = report(&BASE.replace("operationId: getPet", "operationId: fetchPet"));
    assert!(
        report.changes[0].reason.contains("client.fetch_pet"),
        "{:?}",
        report.changes
    );
}

#[test]
fn an_added_field_and_enum_value_say_what_they_break() {
    let ((item, kind, breaking), _) = one_change((
        "        name: {type: string, description: The pet's name.}\n",
        "        name: {type: string, description: The pet's name.}\n        age: {type: integer, format: int32}\n",
    ));
    assert_eq!(
        (item.as_str(), kind, breaking),
        ("types::Pet::age", "optional field added", true)
    );
    let ((item, kind, breaking), _) =
        one_change(("enum: [cat, dog, bird]", "enum: [cat, dog, bird, fish]"));
    assert_eq!(
        (item.as_str(), kind, breaking),
        ("types::Kind::fish", "enum value added", true)
    );
    let ((item, kind, breaking), _) =
        one_change(("required: [id, kind]", "required: [id, kind, name]"));
    assert_eq!(
        (item.as_str(), kind, breaking),
        ("types::Pet::name", "field type changed", true)
    );
}

#[test]
fn no_change_is_no_bump_and_bumps_follow_cargo_below_one() {
    let report = report(BASE);
    assert!(report.changes.is_empty());
    assert_eq!(report.bump, Bump::None);
    assert_eq!(Bump::Major.next("0.3.1").as_deref(), Some("0.4.0"));
    assert_eq!(Bump::Minor.next("0.3.1").as_deref(), Some("0.3.2"));
    assert_eq!(Bump::Major.next("1.3.1").as_deref(), Some("2.0.0"));
    assert_eq!(Bump::Minor.next("1.3.1").as_deref(), Some("1.4.0"));
    assert_eq!(Bump::Patch.next("1.3.1").as_deref(), Some("1.3.2"));
    assert_eq!(Bump::Major.next("0.0.7").as_deref(), Some("0.0.8"));
    assert_eq!(Bump::Major.next("v1"), None);
}

#[test]
fn the_cli_prints_json_and_exits_5_on_a_breaking_change() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("api-diff-cli");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("old.yaml"), BASE).unwrap();
    std::fs::write(
        dir.join("new.yaml"),
        BASE.replace("operationId: getPet", "operationId: fetchPet"),
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .args([
            "diff",
            "old.yaml",
            "new.yaml",
            "--format",
            "json",
            "--crate-version",
            "1.2.3",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["bump"], "major");
    assert_eq!(json["next_version"], "2.0.0");
    let change = &json["changes"][0];
    assert_eq!(change["item"], "client.get_pet");
    assert_eq!(change["kind"], "method renamed");
    assert_eq!(change["breaking"], true);
    assert!(change["reason"].as_str().unwrap().contains("fetch_pet"));
}

/// Generated output stays diff-friendly: one new field in the spec changes a handful of
/// generated lines, not the file.
#[test]
fn a_one_field_spec_change_is_a_small_diff() {
    let options = Options::new("pets");
    let old = openapi_gen::generate("pets.yaml", BASE, &options).unwrap();
    let edited = BASE.replace(
        "        name: {type: string, description: The pet's name.}\n",
        "        name: {type: string, description: The pet's name.}\n        age: {type: integer, format: int32}\n",
    );
    let new = openapi_gen::generate("pets.yaml", &edited, &options).unwrap();
    let (mut added, mut removed) = (0, 0);
    for ((path, a), (path_b, b)) in old.files.iter().zip(&new.files) {
        assert_eq!(path, path_b);
        for change in similar::TextDiff::from_lines(a, b).iter_all_changes() {
            match change.tag() {
                similar::ChangeTag::Insert => added += 1,
                similar::ChangeTag::Delete => removed += 1,
                similar::ChangeTag::Equal => {}
            }
        }
    }
    // The field, its line in `new()`, its slot, match arm and initialiser in the decoder,
    // its line in the encoder: its own lines. Only the list of keys and the encoder's field
    // count are changed lines; no other field's line moves (slots were numbered once, and
    // every later one changed).
    assert_eq!(
        (added, removed),
        (8, 2),
        "{added} lines added, {removed} removed"
    );
}

/// `git` in `dir`, which must succeed.
fn git(dir: &std::path::Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn config_run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .args(["--config", "openapi-gen.toml"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `openapi-gen --config` after a spec change: the report on stderr, the Markdown for a pull
/// request, and on request the version the change calls for, written into the
/// configuration (its comments kept) and the generated manifest — once, however often it
/// runs before a commit.
#[test]
fn regenerating_from_a_configuration_reports_the_changes_and_bumps_on_request() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("api-diff-config");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::write(dir.join("spec/pets.yaml"), BASE).unwrap();
    let config = "# the pets client\n[[crate]]\nname = \"pets\"  # as published\nversion = \"0.3.1\"\nout = \"out/pets\"\n\n[[crate.spec]]\npath = \"spec/pets.yaml\"\n";
    std::fs::write(dir.join("openapi-gen.toml"), config).unwrap();
    git(&dir, &["init", "--quiet"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "--quiet", "-m", "pets"]);

    // Unchanged specs: nothing to report, nothing bumped.
    let first = config_run(&dir, &["--bump-version", "--changes", "changes.md"]);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    assert!(!String::from_utf8_lossy(&first.stderr).contains("API changes"));
    assert_eq!(
        std::fs::read_to_string(dir.join("changes.md")).unwrap(),
        "No API changes since `HEAD`.\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("openapi-gen.toml")).unwrap(),
        config
    );

    // A renamed operation: breaking, so 0.3.1 → 0.4.0 by Cargo's rules.
    std::fs::write(
        dir.join("spec/pets.yaml"),
        BASE.replace("operationId: getPet", "operationId: fetchPet"),
    )
    .unwrap();
    for _ in 0..2 {
        let run = config_run(&dir, &["--bump-version", "--changes", "changes.md"]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(0), "{stderr}");
        assert!(
            stderr.contains("API changes: 1 (1 breaking); version bump: major (0.3.1 → 0.4.0)"),
            "{stderr}"
        );
        assert!(
            stderr.contains("client.get_pet: method renamed"),
            "{stderr}"
        );
        let markdown = std::fs::read_to_string(dir.join("changes.md")).unwrap();
        assert!(
            markdown
                .starts_with("### `pets`: 1 API changes, 1 breaking; bump major (0.3.1 → 0.4.0)\n"),
            "{markdown}"
        );
        assert!(markdown.contains("| `client.get_pet` | method renamed | **yes** |"));
        // Only the version's value changed in the configuration, however often it ran.
        assert_eq!(
            std::fs::read_to_string(dir.join("openapi-gen.toml")).unwrap(),
            config.replace("\"0.3.1\"", "\"0.4.0\"")
        );
        let manifest = std::fs::read_to_string(dir.join("out/pets/Cargo.toml")).unwrap();
        assert!(manifest.contains("version = \"0.4.0\""), "{manifest}");
    }

    // Without --bump-version the report is printed and nothing else is written.
    git(&dir, &["checkout", "--quiet", "openapi-gen.toml"]);
    let plain = config_run(&dir, &["--check"]);
    assert_eq!(plain.status.code(), Some(3), "stale: generated with 0.4.0");
    assert!(String::from_utf8_lossy(&plain.stderr).contains("version bump: major"));
    assert_eq!(
        std::fs::read_to_string(dir.join("openapi-gen.toml")).unwrap(),
        config
    );

    // A revision that is not one is a usage error; outside git, a revision asked for is too.
    let bad = config_run(&dir, &["--since=-x"]);
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    let bad = config_run(&dir, &["--since", "nope"]);
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("cannot compare with git revision `nope`")
    );
}

/// A crate entry without a `version` line gets one after its name.
#[test]
fn a_version_is_added_where_the_configuration_has_none() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("api-diff-set-version");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pets.yaml"), BASE).unwrap();
    let path = dir.join("openapi-gen.toml");
    std::fs::write(
        &path,
        "[[crate]]\nname = \"pets\" # ours\nout = \"out\"\n[[crate.spec]]\npath = \"pets.yaml\"\n",
    )
    .unwrap();
    openapi_gen::changes::set_version(&path, "pets", "0.2.0").unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "[[crate]]\nname = \"pets\" # ours\nversion = \"0.2.0\"\nout = \"out\"\n[[crate.spec]]\npath = \"pets.yaml\"\n"
    );
    let config = openapi_gen::config::Config::load(&path).unwrap();
    assert_eq!(config.crates[0].version, "0.2.0");
    assert!(openapi_gen::changes::set_version(&path, "cats", "1.0.0").is_err());
}
