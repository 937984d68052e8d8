//! Write: put a generated crate on disk, or check that the disk already matches it
//! (rust-analyzer's `ensure_file_contents` idea: stale output can never land silently).

use crate::GeneratedCrate;
use crate::format::MARKER;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// Writes every file of `krate` under `out`, skipping files that are already identical,
/// and removes generated `.rs` files under `out/src` that are no longer produced.
/// Returns the paths it changed.
pub fn write_crate(krate: &GeneratedCrate, out: &Path) -> io::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for (rel, text) in &krate.files {
        let path = out.join(rel);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == *text) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        changed.push(path);
    }
    for stale in stale_files(krate, out)? {
        std::fs::remove_file(&stale)?;
        changed.push(stale);
    }
    Ok(changed)
}

/// Compares `out` with `krate`; `Err` holds a readable unified diff per differing file.
pub fn check_crate(krate: &GeneratedCrate, out: &Path) -> io::Result<Result<(), String>> {
    let mut report = String::new();
    for (rel, text) in &krate.files {
        let path = out.join(rel);
        let old = match std::fs::read_to_string(&path) {
            Ok(old) => old,
            Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e),
        };
        if old != *text {
            let diff = similar::TextDiff::from_lines(&old, text);
            let _ = write!(
                report,
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{rel}"), &format!("b/{rel}"))
            );
        }
    }
    for stale in stale_files(krate, out)? {
        let _ = writeln!(
            report,
            "{} is generated but no longer produced",
            stale.display()
        );
    }
    Ok(if report.is_empty() {
        Ok(())
    } else {
        Err(report)
    })
}

/// Generated `.rs` files under `out/src` that `krate` does not contain. Files without
/// the generated marker are the user's and are never touched.
fn stale_files(krate: &GeneratedCrate, out: &Path) -> io::Result<Vec<PathBuf>> {
    let src = out.join("src");
    let entries = match std::fs::read_dir(&src) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut stale = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let rel = format!("src/{name}");
        if !name.ends_with(".rs") || krate.files.iter().any(|(r, _)| *r == rel) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if text.lines().next().is_some_and(|l| l.contains(MARKER)) {
            stale.push(path);
        }
    }
    stale.sort();
    Ok(stale)
}
