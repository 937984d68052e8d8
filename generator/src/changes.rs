//! What regenerating a configured crate does to its API since a git revision: the report
//! `openapi-gen --config` and `cargo xtask codegen` print for each crate whose specs
//! changed, the Markdown a pull request shows, and the version the change calls for, which
//! `--bump-version` writes into the configuration.
//!
//! The old specs (and the old configuration, for the version the bump starts from) are read
//! with `git show REV:./FILE` in each file's folder, so a crate's report does not depend on
//! where the repository's root is.

use crate::config::{Config, CrateConfig, VersionAt};
use crate::diff::Report;
use crate::error::Error;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// A configured crate's API changes since a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateChanges {
    pub report: Report,
    /// The crate's version at the revision: the one the bump applies to, so asking twice
    /// does not bump twice.
    pub base_version: String,
}

impl CrateChanges {
    /// The version the changes call for, by Cargo's rules (`None` for an unparsable one).
    pub fn next_version(&self) -> Option<String> {
        self.report.bump.next(&self.base_version)
    }

    /// A Markdown section for a pull request: a verdict heading and a table of changes.
    pub fn markdown(&self, krate: &CrateConfig) -> String {
        let report = &self.report;
        let next = self
            .next_version()
            .filter(|next| *next != self.base_version)
            .map(|next| format!(" ({} → {next})", self.base_version))
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
                let _ = writeln!(
                    section,
                    "| `{}` | {} | {} | {} |",
                    c.item,
                    c.kind,
                    if c.breaking { "**yes**" } else { "no" },
                    c.reason.replace('|', "\\|")
                );
            }
        }
        section.push('\n');
        section
    }
}

/// Why a revision cannot be compared with.
fn revision_error(rev: &str, dir: &Path, why: &str) -> Error {
    Error::Usage(format!(
        "cannot compare with git revision `{rev}` in {}: {why}",
        dir.display()
    ))
}

/// Whether `rev` names a commit of the repository holding `dir`.
fn check_revision(dir: &Path, rev: &str) -> Result<(), Error> {
    // A revision is never an option to git.
    if rev.starts_with('-') || rev.is_empty() {
        return Err(revision_error(rev, dir, "not a revision"));
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .map_err(|e| revision_error(rev, dir, &format!("cannot run git: {e}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(revision_error(
            rev,
            dir,
            "not a git repository, or no such commit",
        ))
    }
}

/// A file's text at `rev`; `None` when it did not exist then (or is not UTF-8).
fn at_revision(path: &Path, rev: &str) -> Option<String> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let name = path.file_name()?.to_str()?;
    let output = Command::new("git")
        .arg("-C")
        .arg(dir.unwrap_or(Path::new(".")))
        .arg("show")
        .arg(format!("{rev}:./{name}"))
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()
}

/// What `krate`'s spec changes since `rev` do to its API; `Ok(None)` when no spec of it
/// changed. An error when `rev` is not a commit of the repository holding the configuration.
pub fn since(
    config: &Config,
    krate: &CrateConfig,
    rev: &str,
) -> Result<Option<CrateChanges>, Error> {
    let dir = config
        .path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    check_revision(dir, rev)?;
    let mut old = Vec::new();
    let mut new = Vec::new();
    for spec in &krate.specs {
        old.push(at_revision(&spec.path, rev));
        let text = crate::input::read_regular(&spec.path, crate::input::MAX_SPEC_BYTES)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        new.push(text);
    }
    if old == new {
        return Ok(None);
    }
    let report = crate::diff::compare(&krate.surface(&old)?, &krate.surface(&new)?);
    // The version the crate had then: a bump counts from there.
    let base_version = at_revision(&config.path, rev)
        .and_then(|text| Config::parse(&config.path, &text).ok())
        .and_then(|then| then.crates.into_iter().find(|c| c.name == krate.name))
        .map_or_else(|| krate.version.clone(), |c| c.version);
    Ok(Some(CrateChanges {
        report,
        base_version,
    }))
}

/// A crate's changes since a revision, as `openapi-gen --config` and `cargo xtask codegen`
/// review them before generating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    pub changes: CrateChanges,
    /// The version the crate had before `bump` wrote the one the changes call for.
    pub bumped_from: Option<String>,
}

/// [`since`], and with `bump` the version the changes call for written into the
/// configuration and into `krate`, which is then generated with it.
pub fn review(
    config: &Config,
    krate: &mut CrateConfig,
    rev: &str,
    bump: bool,
) -> Result<Option<Reviewed>, Error> {
    let Some(changes) = since(config, krate, rev)? else {
        return Ok(None);
    };
    let mut bumped_from = None;
    if let Some(next) = changes.next_version().filter(|_| bump)
        && next != krate.version
    {
        set_version(&config.path, &krate.name, &next)?;
        bumped_from = Some(std::mem::replace(&mut krate.version, next));
    }
    Ok(Some(Reviewed {
        changes,
        bumped_from,
    }))
}

/// Writes `version` as crate `name`'s `version` in the configuration at `path`, changing
/// nothing else of the file (its comments and layout stay); a file that is a link is
/// refused, and an edit that would change more than the version is not written.
pub fn set_version(path: &Path, name: &str, version: &str) -> Result<(), Error> {
    let bytes = crate::input::read_regular(path, crate::input::MAX_CONFIG_BYTES)
        .map_err(|e| Error::Usage(format!("cannot read the configuration {e}")))?;
    let mut text = String::from_utf8(bytes).map_err(|_| {
        Error::Usage(format!(
            "{}: the configuration is not UTF-8",
            path.display()
        ))
    })?;
    // The spans to edit come from this very text.
    let config = Config::parse(path, &text).map_err(Error::Config)?;
    let Some(krate) = config.crates.iter().find(|c| c.name == name) else {
        return Err(Error::Usage(format!(
            "{}: no crate `{name}` to set the version of",
            path.display()
        )));
    };
    let quoted = toml_string(version);
    match &krate.version_at {
        VersionAt::Value(range) => {
            // Spans come from this text; checked so a bad one is an error, not a panic.
            if text.get(range.clone()).is_none() {
                return Err(Error::Internal(format!(
                    "{}: the version's place is not in the file",
                    path.display()
                )));
            }
            text.replace_range(range.clone(), &quoted);
        }
        VersionAt::AfterName(end) => {
            // Only where the name ends its line: `[[crate]]` tables, not inline ones.
            let rest = text.get(*end..).unwrap_or("");
            let line = rest.split('\n').next().unwrap_or("");
            let trimmed = line.trim();
            if !(trimmed.is_empty() || trimmed.starts_with('#')) {
                return Err(Error::Usage(format!(
                    "{}: crate `{name}` has no `version` line to bump; add `version = \"{}\"` to it",
                    path.display(),
                    krate.version
                )));
            }
            let at = end + line.len();
            text.insert_str(at, &format!("\nversion = {quoted}"));
        }
    }
    // The edit must leave a configuration that says the same, but for the version.
    let edited = Config::parse(path, &text).map_err(Error::Config)?;
    let same = edited.crates.len() == config.crates.len()
        && edited.crates.iter().zip(&config.crates).all(|(a, b)| {
            a.name == b.name && a.specs == b.specs && (a.name == name || a.version == b.version)
        });
    if !same
        || !edited
            .crates
            .iter()
            .any(|c| c.name == name && c.version == version)
    {
        return Err(Error::Internal(format!(
            "setting the version in {} would change more than the version",
            path.display()
        )));
    }
    crate::write::write_report(path, text.as_bytes())
        .map_err(|e| Error::Usage(format!("cannot write the configuration: {e}")))
}

/// `value` as a TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
