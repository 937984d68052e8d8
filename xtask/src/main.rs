//! `cargo xtask codegen [--check]`: regenerate `generated/` from `spec/`, or fail with a
//! diff when it is stale. `cargo xtask corpus [DIR|FILE…]`: generate and check many specs.

mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Each spec the project owns and the crate generated from it: the product, and crates
/// the tests drive against local servers (hostile ones, and Prism).
const CRATES: &[(&str, &str, &str)] = &[
    (
        "spec/hubspot-conversations.yaml",
        "generated",
        "hubspot-conversations",
    ),
    (
        "generator/tests/fixtures/security.yaml",
        "generator/tests/generated/security",
        "security-fixture",
    ),
    (
        "generator/tests/fixtures/path_styles.yaml",
        "generator/tests/generated/styles",
        "styles-fixture",
    ),
    (
        "generator/tests/fixtures/openapi31.yaml",
        "generator/tests/generated/openapi31",
        "openapi31-fixture",
    ),
    (
        "generator/tests/fixtures/swagger2.yaml",
        "generator/tests/generated/swagger2",
        "swagger2-fixture",
    ),
    (
        "generator/tests/fixtures/paging_hubspot.yaml",
        "generator/tests/generated/paging_hubspot",
        "paging-hubspot-fixture",
    ),
    (
        "generator/tests/fixtures/paging_styles.yaml",
        "generator/tests/generated/paging_styles",
        "paging-styles-fixture",
    ),
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["bench", rest @ ..] => bench(rest),
        ["corpus", rest @ ..] => corpus::run(
            &workspace_root(),
            &rest.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ),
        _ => {
            eprintln!(
                "usage: cargo xtask codegen [--check] | cargo xtask corpus [DIR|FILE…] | cargo xtask bench [--quick] [--only PART]"
            );
            ExitCode::from(2)
        }
    }
}

/// Benchmarks run optimised, in their own package (so codegen never depends on the crate it
/// writes).
fn bench(args: &[&str]) -> ExitCode {
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["run", "--release", "--quiet", "--package", "bench", "--"])
            .args(args)
            .current_dir(workspace_root())
            .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::from(2)
        }
    }
}

fn codegen(check: bool) -> ExitCode {
    let root = workspace_root();
    let mut status = ExitCode::SUCCESS;
    for (spec, out, name) in CRATES {
        let text = match std::fs::read_to_string(root.join(spec)) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: cannot read {spec}: {e}");
                return ExitCode::from(2);
            }
        };
        let krate = match openapi_gen::generate(spec, &text, &openapi_gen::Options::new(*name)) {
            Ok(krate) => krate,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
        for warning in &krate.warnings {
            eprintln!("{warning}");
        }
        let out_dir = root.join(out);
        if check {
            match openapi_gen::write::check_crate(&krate, &out_dir) {
                Ok(Ok(())) => eprintln!("{out}/ is up to date with {spec}"),
                Ok(Err(diff)) => {
                    eprint!("{diff}");
                    eprintln!(
                        "error: {out}/ is stale; run `cargo xtask codegen` and commit the result"
                    );
                    status = ExitCode::FAILURE;
                }
                Err(e) => {
                    eprintln!("error: cannot read {out}/: {e}");
                    return ExitCode::from(2);
                }
            }
        } else {
            match openapi_gen::write::write_crate(&krate, &out_dir) {
                Ok(changed) => {
                    for path in &changed {
                        let shown = path.strip_prefix(&root).unwrap_or(path);
                        eprintln!("updated {}", shown.display());
                    }
                    eprintln!(
                        "{out}/ generated from {spec} ({} files changed)",
                        changed.len()
                    );
                }
                Err(e) => {
                    eprintln!("error: cannot write {out}/: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    status
}
