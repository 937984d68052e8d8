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
///
/// Only files that carry the generated marker are ever replaced or removed: every path is
/// checked before the first write, and any other file (or a directory) in the way is an
/// error naming it, with nothing written. Each file is written to a temporary file beside
/// it and renamed into place, so an interrupted run leaves whole files only.
pub fn write_crate(krate: &GeneratedCrate, out: &Path) -> io::Result<Vec<PathBuf>> {
    let mut pending = Vec::new();
    for (rel, text) in &krate.files {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            refuse_file_in_the_way(out, parent)?;
        }
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if !meta.is_file() => {
                return Err(refusal(&path, "is not a regular file"));
            }
            Ok(_) => {
                let old = std::fs::read(&path)?;
                if old == text.as_bytes() {
                    continue;
                }
                if !is_generated(&old) {
                    return Err(refusal(&path, "was not written by openapi-gen"));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        pending.push((path, text));
    }
    let stale = stale_files(krate, out)?;
    let mut changed = Vec::new();
    for (path, text) in pending {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_atomically(&path, text.as_bytes())?;
        changed.push(path);
    }
    let src = out.join("src");
    for stale in stale {
        std::fs::remove_file(&stale)?;
        // A module folder the crate no longer has goes too, if nothing else is in it.
        if let Some(dir) = stale.parent().filter(|dir| *dir != src) {
            let _ = std::fs::remove_dir(dir);
        }
        changed.push(stale);
    }
    Ok(changed)
}

fn refusal(path: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "refusing to replace {}: it {why}; move it away or choose another output directory (nothing was written)",
            path.display()
        ),
    )
}

/// A regular file where a directory of the crate must go (`src` as a file) is refused.
fn refuse_file_in_the_way(out: &Path, dir: &Path) -> io::Result<()> {
    let mut current = Some(dir);
    while let Some(path) = current {
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_dir() => return Err(refusal(path, "is not a directory")),
            Ok(_) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        if path == out {
            return Ok(());
        }
        current = path.parent();
    }
    Ok(())
}

fn is_generated(bytes: &[u8]) -> bool {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(first_line).contains(MARKER)
}

/// Write beside, then rename: readers see the old file or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = path.with_file_name(format!(".{name}.openapi-gen-{}.tmp", std::process::id()));
    let result = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
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

/// Generated `.rs` files under `out/src` (and its module folders, `src/types/`…) that
/// `krate` does not contain. Files without the generated marker are the user's and are
/// never touched.
fn stale_files(krate: &GeneratedCrate, out: &Path) -> io::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    let mut dirs = vec![(out.join("src"), "src".to_owned(), 0)];
    while let Some((dir, rel_dir, depth)) = dirs.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let rel = format!("{rel_dir}/{name}");
            if entry.file_type()?.is_dir() {
                // Module folders only; the generator writes none deeper than one level.
                if depth == 0 {
                    dirs.push((path, rel, depth + 1));
                }
                continue;
            }
            if !name.ends_with(".rs") || krate.files.iter().any(|(r, _)| *r == rel) {
                continue;
            }
            if std::fs::read(&path).is_ok_and(|bytes| is_generated(&bytes)) {
                stale.push(path);
            }
        }
    }
    stale.sort();
    Ok(stale)
}
