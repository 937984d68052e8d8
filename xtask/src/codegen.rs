//! `cargo xtask codegen [--check]`: regenerate every crate `openapi-gen.toml` lists, or fail
//! with a diff when one is stale; for each crate whose specs changed since a git revision
//! (`--since`, default `HEAD`), what the change does to its API, and `--changes FILE` writes
//! that as Markdown for a pull request.

use openapi_gen::config::Outcome;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let mut check = false;
    let mut bump = false;
    let mut since = "HEAD".to_owned();
    let mut changes_file: Option<PathBuf> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.clone().next()) {
            ("--check", _) => check = true,
            ("--bump-version", _) => bump = true,
            ("--since", Some(rev)) => {
                since = rev.clone();
                rest.next();
            }
            ("--changes", Some(file)) => {
                changes_file = Some(PathBuf::from(file));
                rest.next();
            }
            _ => {
                eprintln!(
                    "usage: cargo xtask codegen [--check] [--since REV] [--changes FILE] [--bump-version]"
                );
                return ExitCode::from(2);
            }
        }
    }
    let mut summary = String::new();
    let config = match openapi_gen::config::Config::load(&root.join("openapi-gen.toml")) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if check && bump {
        eprintln!("error: --bump-version writes the configuration; --check writes nothing");
        return ExitCode::from(2);
    }
    let mut status = ExitCode::SUCCESS;
    for krate in &config.crates {
        let mut krate = krate.clone();
        match openapi_gen::changes::review(&config, &mut krate, &since, bump) {
            Ok(None) => {}
            Ok(Some(reviewed)) => {
                let changes = &reviewed.changes;
                let out = &krate.out_as_written;
                eprint!(
                    "{out}/: {}",
                    changes.report.human(Some(&changes.base_version))
                );
                summary.push_str(&changes.markdown(&krate));
                if let Some(before) = &reviewed.bumped_from {
                    eprintln!(
                        "{}: version {before} → {} (openapi-gen.toml)",
                        krate.name, krate.version
                    );
                }
            }
            // Asked to bump, a version the changes cannot tell is not to be guessed.
            Err(e) if bump => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
            Err(e) => eprintln!(
                "{}/: API changes since `{since}` unknown: {e}",
                krate.out_as_written
            ),
        }
        let out = &krate.out_as_written;
        let specs: Vec<&str> = krate
            .specs
            .iter()
            .map(|s| s.path_as_written.as_str())
            .collect();
        let specs = specs.join(", ");
        let generated = match krate.generate() {
            Ok(generated) => generated,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
        for warning in &generated.warnings {
            eprintln!("{warning}");
        }
        match krate.apply(&generated, check) {
            Ok(Outcome::Fresh) => eprintln!("{out}/ is up to date with {specs}"),
            Ok(Outcome::Stale(diff)) => {
                eprint!("{diff}");
                eprintln!(
                    "error: {out}/ is stale; run `cargo xtask codegen` and commit the result"
                );
                status = ExitCode::FAILURE;
            }
            Ok(Outcome::Written(changed)) => {
                for path in &changed {
                    let shown = path.strip_prefix(root).unwrap_or(path);
                    eprintln!("updated {}", shown.display());
                }
                eprintln!(
                    "{out}/ generated from {specs} ({} files changed)",
                    changed.len()
                );
            }
            Err(e) => {
                eprintln!("error: cannot write or read {out}/: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(file) = changes_file {
        let text = if summary.is_empty() {
            format!("No API changes since `{since}`.\n")
        } else {
            summary
        };
        if let Err(e) = openapi_gen::write::write_report(&file, text.as_bytes()) {
            eprintln!("error: cannot write {}: {e}", file.display());
            return ExitCode::from(2);
        }
    }
    status
}
