//! `cargo xtask codegen [--check]`: regenerate every crate `openapi-gen.toml` lists, or
//! fail with a diff when one is stale. `cargo xtask corpus [DIR|FILE…]`: generate and check many specs.
//! `cargo xtask directory`: the public APIs.guru directory, generated and sampled for compiling.

mod codegen;
mod corpus;
mod directory;
mod directory_family;
mod draw;
mod families;
mod semver;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
        ["codegen", rest @ ..] => codegen::run(
            &workspace_root(),
            &rest.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ),
        ["bench", rest @ ..] => bench(rest),
        ["directory", rest @ ..] => directory::run(
            &workspace_root(),
            &rest.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ),
        ["semver", rest @ ..] => semver::run(
            &workspace_root(),
            &rest.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ),
        ["families"] => families::run(&workspace_root(), false),
        ["families", "--timings"] => families::run(&workspace_root(), true),
        ["corpus", rest @ ..] => corpus::run(
            &workspace_root(),
            &rest.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ),
        _ => {
            eprintln!(
                "usage: cargo xtask codegen [--check] [--since REV] [--changes FILE] | cargo xtask corpus [DIR|FILE…] | cargo xtask directory [--sample N] [--compile N] [--seed S] [--timeout S] [--chunk N] [--only TEXT] [--max-mb N] [--dev] [--list-failures] | cargo xtask directory --family PROVIDER [--limit N] [--alone N|all] | cargo xtask families [--timings] | cargo xtask semver [--ghes N] | cargo xtask bench [--quick] [--dev] [--only PART]"
            );
            ExitCode::from(2)
        }
    }
}

/// Benchmarks run optimised, in their own package (so codegen never depends on the crate it
/// writes). `--dev` builds them with the dev profile instead: CI only checks that the bench
/// runs, and after the tests a dev build reuses their dependencies (an optimised build of
/// them took 2 of CI's minutes); its figures are not for the README.
fn bench(args: &[&str]) -> ExitCode {
    let dev = args.contains(&"--dev");
    let args: Vec<&str> = args.iter().copied().filter(|a| *a != "--dev").collect();
    let profile = if dev { "dev" } else { "release" };
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "run",
                "--profile",
                profile,
                "--quiet",
                "--package",
                "bench",
                "--",
            ])
            .args(&args)
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
