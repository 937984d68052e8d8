//! Every `cfg(feature = …)` in a generated crate names a feature its manifest declares: a
//! `cfg` on a missing feature is compiled out in every build (a field of it silently
//! dropped when decoding). Checked over every fixture alone and over a crate of several
//! specs in which one spec (`tagged_areas.yaml`, with area-gated error-body fields) would
//! be split into areas on its own.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use openapi_gen::{GeneratedCrate, Options, SpecInput, generate, generate_family};
use std::collections::BTreeSet;
use std::path::Path;

/// The features `[features]` declares.
fn declared(krate: &GeneratedCrate) -> BTreeSet<String> {
    let manifest = &krate
        .files
        .iter()
        .find(|(p, _)| p == "Cargo.toml")
        .unwrap()
        .1;
    manifest
        .split_once("[features]")
        .map(|(_, rest)| rest)
        .unwrap_or("")
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name.trim().to_owned()))
        .collect()
}

/// Every `feature = "…"` the crate's sources name.
fn used(krate: &GeneratedCrate) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (_, text) in krate.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        let mut rest = text.as_str();
        while let Some(at) = rest.find("feature = \"") {
            rest = &rest[at + "feature = \"".len()..];
            if let Some(end) = rest.find('"') {
                names.insert(rest[..end].to_owned());
            }
        }
    }
    names
}

fn undeclared(krate: &GeneratedCrate) -> Vec<String> {
    let declared = declared(krate);
    used(krate).difference(&declared).cloned().collect()
}

#[test]
fn every_cfg_feature_is_declared() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let options = Options {
            lenient: true,
            ..Options::new("fixture")
        };
        let Ok(krate) = generate(&name, &text, &options) else {
            continue;
        };
        assert_eq!(undeclared(&krate), Vec::<String>::new(), "{name}");
        checked += 1;
    }
    assert!(checked >= 20, "{checked} fixtures");

    let tagged = std::fs::read_to_string(fixtures.join("tagged_areas.yaml")).unwrap();
    let threads = std::fs::read_to_string(fixtures.join("family_threads.yaml")).unwrap();
    let alone = generate("tagged_areas.yaml", &tagged, &Options::new("alone")).unwrap();
    assert!(
        !alone.groups.is_empty() && used(&alone).len() > 2,
        "split on its own"
    );
    let specs = [
        SpecInput {
            file: "tagged_areas.yaml",
            text: &tagged,
            module: "store".into(),
            lenient: false,
            base_url: None,
            overrides: &[],
            paging: &[],
        },
        SpecInput {
            file: "family_threads.yaml",
            text: &threads,
            module: "threads".into(),
            lenient: false,
            base_url: None,
            overrides: &[],
            paging: &[],
        },
    ];
    let family = generate_family(&specs, &Options::new("family")).unwrap();
    assert_eq!(undeclared(&family), Vec::<String>::new());
    assert_eq!(
        used(&family),
        BTreeSet::from(["full", "store", "threads", "traceparent"].map(str::to_owned))
    );
}
