//! `cargo xtask codegen [--check]`: regenerate every crate `openapi-gen.toml` lists, or fail
//! with a diff when one is stale; for each crate whose specs changed since a git revision
//! (`--since`, default `HEAD`), what the change does to its API, and `--changes FILE` writes
//! that as Markdown for a pull request.

use openapi_gen::config::{CrateConfig, Outcome};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let mut check = false;
    let mut since = "HEAD".to_owned();
    let mut changes_file: Option<PathBuf> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.clone().next()) {
            ("--check", _) => check = true,
            ("--since", Some(rev)) => {
                since = rev.clone();
                rest.next();
            }
            ("--changes", Some(file)) => {
                changes_file = Some(PathBuf::from(file));
                rest.next();
            }
            _ => {
                eprintln!("usage: cargo xtask codegen [--check] [--since REV] [--changes FILE]");
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
    let mut status = ExitCode::SUCCESS;
    for krate in &config.crates {
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
        if let Some(section) = api_changes(root, krate, &since) {
            summary.push_str(&section);
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
        if let Err(e) = std::fs::write(&file, text) {
            eprintln!("error: cannot write {}: {e}", file.display());
            return ExitCode::from(2);
        }
    }
    status
}

/// What the crate's spec changes since `since` (a git revision) do to its API: printed, and
/// returned as a Markdown section for a pull request. `None` when no spec changed.
fn api_changes(root: &Path, krate: &CrateConfig, since: &str) -> Option<String> {
    let mut old = Vec::new();
    let mut new = Vec::new();
    for spec in &krate.specs {
        let relative = spec.path.strip_prefix(root).unwrap_or(&spec.path);
        let shown = Command::new("git")
            .arg("show")
            .arg(format!("{since}:{}", relative.display()))
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok());
        old.push(shown);
        new.push(std::fs::read_to_string(&spec.path).ok());
    }
    if old == new {
        return None;
    }
    let out = &krate.out_as_written;
    let report = match (krate.surface(&old), krate.surface(&new)) {
        (Ok(old), Ok(new)) => openapi_gen::diff::compare(&old, &new),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{out}/: API changes since `{since}` unknown: {e}");
            return None;
        }
    };
    eprint!("{out}/: {}", report.human(Some(&krate.version)));
    let next = report
        .bump
        .next(&krate.version)
        .map(|v| format!(" ({} → {v})", krate.version))
        .unwrap_or_default();
    let mut section = format!(
        "### `{}`: {} API changes, {} breaking; bump {}{next}\n\n",
        krate.name,
        report.changes.len(),
        report.breaking(),
        report.bump.as_str()
    );
    if !report.changes.is_empty() {
        section.push_str("| item | change | breaking | why |\n|---|---|---|---|\n");
        for c in &report.changes {
            section.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                c.item,
                c.kind,
                if c.breaking { "**yes**" } else { "no" },
                c.reason.replace('|', "\\|")
            ));
        }
    }
    section.push('\n');
    Some(section)
}
