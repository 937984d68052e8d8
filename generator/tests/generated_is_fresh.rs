//! Every crate `openapi-gen.toml` lists (the product in `generated/`, the fixture crates the
//! tests drive) must be exactly what the generator makes of its specs. Like rust-analyzer's
//! `ensure_file_contents`: when one is stale this test rewrites it, then fails, so a stale
//! crate can never pass unnoticed (and a local rerun passes).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot set up should fail loudly"
)]

use openapi_gen::config::{Config, Outcome};
use std::path::Path;

#[test]
fn every_configured_crate_matches_its_specs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config = Config::load(&root.join("openapi-gen.toml")).expect("the configuration reads");
    assert!(
        config
            .crates
            .iter()
            .any(|c| c.name == "hubspot-conversations")
    );
    let mut stale = Vec::new();
    for krate in &config.crates {
        let generated = krate.generate().expect("the project's specs generate");
        if let Outcome::Stale(diff) = krate
            .apply(&generated, true)
            .expect("the crate is readable")
        {
            if std::env::var_os("CI").is_none() {
                krate
                    .apply(&generated, false)
                    .expect("the crate is writable");
            }
            stale.push(format!("{}:\n{diff}", krate.out_as_written));
        }
    }
    assert!(
        stale.is_empty(),
        "stale crates (rewritten unless CI is set); commit the result:\n{}",
        stale.join("\n")
    );
}
