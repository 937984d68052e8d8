//! `generated/` must be exactly what the generator makes of `spec/`. Like rust-analyzer's
//! `ensure_file_contents`: when it is stale this test rewrites it, then fails, so a stale
//! crate can never pass unnoticed (and a local rerun passes).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use std::path::Path;

#[test]
fn generated_crate_matches_spec() {
    ensure_fresh(
        "spec/hubspot-conversations.yaml",
        "generated",
        "hubspot-conversations",
    );
}

#[test]
fn security_fixture_crate_matches_its_spec() {
    ensure_fresh(
        "generator/tests/fixtures/security.yaml",
        "generator/tests/generated/security",
        "security-fixture",
    );
}

#[test]
fn styles_fixture_crate_matches_its_spec() {
    ensure_fresh(
        "generator/tests/fixtures/path_styles.yaml",
        "generator/tests/generated/styles",
        "styles-fixture",
    );
}

#[test]
fn version_fixture_crates_match_their_specs() {
    ensure_fresh(
        "generator/tests/fixtures/openapi31.yaml",
        "generator/tests/generated/openapi31",
        "openapi31-fixture",
    );
    ensure_fresh(
        "generator/tests/fixtures/swagger2.yaml",
        "generator/tests/generated/swagger2",
        "swagger2-fixture",
    );
}

#[test]
fn paging_fixture_crates_match_their_specs() {
    ensure_fresh(
        "generator/tests/fixtures/paging_hubspot.yaml",
        "generator/tests/generated/paging_hubspot",
        "paging-hubspot-fixture",
    );
    ensure_fresh(
        "generator/tests/fixtures/paging_styles.yaml",
        "generator/tests/generated/paging_styles",
        "paging-styles-fixture",
    );
}

fn ensure_fresh(spec: &str, out: &str, name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(spec)).expect("spec is readable");
    let krate = openapi_gen::generate(spec, &text, &openapi_gen::Options::new(name))
        .expect("the project's spec generates");
    let out = root.join(out);
    match openapi_gen::write::check_crate(&krate, &out).expect("the crate is readable") {
        Ok(()) => {}
        Err(diff) => {
            if std::env::var_os("CI").is_none() {
                openapi_gen::write::write_crate(&krate, &out).expect("the crate is writable");
            }
            panic!(
                "{} was stale (rewritten unless CI is set); commit the result:\n{diff}",
                out.display()
            );
        }
    }
}
