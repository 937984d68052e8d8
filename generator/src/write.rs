//! Write: put a generated crate on disk, or check that the disk already matches it
//! (rust-analyzer's `ensure_file_contents` idea: stale output can never land silently).
//!
//! The output folder is untrusted. Below `out` (which may itself be a link the user made),
//! no symbolic link is read, written, followed or removed: every path is checked component
//! by component before it is used, a file is read only when the handle opened is the file
//! checked, and temporary files are created exclusively (never through a planted link).
//! Only files that carry the generated marker are replaced or removed, and `--check` shows
//! the contents of no other file.

use crate::format::MARKER;
use crate::output::GeneratedCrate;
use std::fmt::Write as _;
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};

/// Writes every file of `krate` under `out`, skipping files that are already identical,
/// and removes generated `.rs` files under `out/src` that are no longer produced.
/// Returns the paths it changed.
///
/// Only files that carry the generated marker are ever replaced or removed: every path is
/// checked before the first write, and any other file (or a directory, or a symbolic
/// link) in the way is an error naming it, with nothing written. Each file is written to
/// a new temporary file beside it and renamed into place, so an interrupted run leaves
/// whole files only.
pub fn write_crate(krate: &GeneratedCrate, out: &Path) -> io::Result<Vec<PathBuf>> {
    let mut pending = Vec::new();
    for (rel, text) in &krate.files {
        let path = out.join(rel);
        match read_own(out, &path)? {
            Existing::Missing => {}
            Existing::Ours(old) if old == text.as_bytes() => continue,
            Existing::Ours(_) => {}
            Existing::Foreign => return Err(refusal(&path, "was not written by openapi-gen")),
        }
        pending.push((path, text));
    }
    let stale = stale_files(krate, out)?;
    let mut changed = Vec::new();
    for (path, text) in pending {
        if let Some(parent) = path.parent() {
            create_dirs(out, parent)?;
        }
        write_atomically(out, &path, text.as_bytes())?;
        changed.push(path);
    }
    let src = out.join("src");
    for stale in stale {
        ensure_no_link(out, &stale)?;
        std::fs::remove_file(&stale).map_err(|e| at(&stale, e))?;
        // A module folder the crate no longer has goes too, if nothing else is in it.
        if let Some(dir) = stale.parent().filter(|dir| *dir != src) {
            let _ = std::fs::remove_dir(dir);
        }
        changed.push(stale);
    }
    Ok(changed)
}

/// Writes a file the user named (a report), whole or not at all, never through a link:
/// a symbolic link at `path` is refused.
pub fn write_report(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let path = dir.join(path.file_name().unwrap_or_default());
    write_atomically(dir, &path, bytes)
}

/// An I/O error that names its path (the OS's own message does not).
pub(crate) fn at(path: &Path, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
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

/// Every component of `path` below `out` is checked: a symbolic link is refused, and so is
/// a file where a directory must be. Components that do not exist yet are fine.
fn ensure_no_link(out: &Path, path: &Path) -> io::Result<()> {
    let Ok(rel) = path.strip_prefix(out) else {
        return Err(refusal(path, "is outside the output directory"));
    };
    let mut current = out.to_path_buf();
    let mut components = rel.components().peekable();
    while let Some(component) = components.next() {
        current.push(component);
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(refusal(&current, "is a symbolic link"));
            }
            Ok(meta) if components.peek().is_some() && !meta.is_dir() => {
                return Err(refusal(&current, "is not a directory"));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(at(&current, e)),
        }
    }
    Ok(())
}

/// What is at a path the crate writes.
enum Existing {
    Missing,
    /// A file with the generated marker, and its bytes.
    Ours(Vec<u8>),
    /// A file openapi-gen did not write (its contents are not read further).
    Foreign,
}

/// Reads a file under `out` without following a link: the path is checked, and the
/// handle opened must be the very file checked (a link swapped in between is refused).
fn read_own(out: &Path, path: &Path) -> io::Result<Existing> {
    ensure_no_link(out, path)?;
    let checked = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Existing::Missing),
        Err(e) => return Err(at(path, e)),
    };
    if !checked.is_file() {
        return Err(refusal(path, "is not a regular file"));
    }
    let mut file = std::fs::File::open(path).map_err(|e| at(path, e))?;
    let opened = file.metadata().map_err(|e| at(path, e))?;
    if !same_file(&checked, &opened) {
        return Err(refusal(path, "changed while it was read"));
    }
    let mut first = Vec::new();
    // The marker is on the first line; nothing else of a foreign file is read.
    (&mut file)
        .take(512)
        .read_to_end(&mut first)
        .map_err(|e| at(path, e))?;
    if !is_generated(&first) {
        return Ok(Existing::Foreign);
    }
    let mut bytes = first;
    file.read_to_end(&mut bytes).map_err(|e| at(path, e))?;
    Ok(Existing::Ours(bytes))
}

#[cfg(unix)]
pub(crate) fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
pub(crate) fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.is_file() && b.is_file() && a.len() == b.len()
}

/// Creates the folders of `dir` below `out`, one at a time, none through a link.
fn create_dirs(out: &Path, dir: &Path) -> io::Result<()> {
    ensure_no_link(out, dir)?;
    std::fs::create_dir_all(out).map_err(|e| at(out, e))?;
    let Ok(rel) = dir.strip_prefix(out) else {
        return Err(refusal(dir, "is outside the output directory"));
    };
    let mut current = out.to_path_buf();
    for component in rel.components() {
        current.push(component);
        match std::fs::create_dir(&current) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let meta = std::fs::symlink_metadata(&current).map_err(|e| at(&current, e))?;
                if !meta.is_dir() {
                    return Err(refusal(&current, "is not a directory"));
                }
            }
            Err(e) => return Err(at(&current, e)),
        }
    }
    Ok(())
}

fn is_generated(bytes: &[u8]) -> bool {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(first_line).contains(MARKER)
}

/// Write beside, then rename: readers see the old file or the new one, never half of one.
/// The temporary file is created new (`O_EXCL`): a file or link already at its name is never
/// opened, so a planted link cannot redirect the write.
fn write_atomically(out: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    ensure_no_link(out, path)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let mut last = None;
    for attempt in 0..8 {
        let temp = path.with_file_name(format!(
            ".{name}.openapi-gen-{}-{attempt}.tmp",
            std::process::id()
        ));
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                last = Some(temp);
                continue;
            }
            Err(e) => return Err(at(&temp, e)),
        };
        let result = file
            .write_all(bytes)
            .and_then(|()| std::fs::rename(&temp, path));
        if let Err(e) = result {
            let _ = std::fs::remove_file(&temp);
            return Err(at(path, e));
        }
        return Ok(());
    }
    Err(refusal(
        last.as_deref().unwrap_or(path),
        "and other temporary names beside it already exist",
    ))
}

/// Compares `out` with `krate`; `Err` holds a readable unified diff per differing file.
/// A file openapi-gen did not write is named, never shown.
pub fn check_crate(krate: &GeneratedCrate, out: &Path) -> io::Result<Result<(), String>> {
    let mut report = String::new();
    for (rel, text) in &krate.files {
        let path = out.join(rel);
        let old = match read_own(out, &path)? {
            Existing::Missing => String::new(),
            Existing::Ours(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Existing::Foreign => {
                let _ = writeln!(
                    report,
                    "{} is in the way: it was not written by openapi-gen (its contents are not shown)",
                    path.display()
                );
                continue;
            }
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
/// never touched; links are neither followed nor counted.
fn stale_files(krate: &GeneratedCrate, out: &Path) -> io::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    let src = out.join("src");
    if ensure_no_link(out, &src).is_err() {
        // Refused where the crate is written; nothing in a linked folder is counted.
        return Ok(stale);
    }
    let produced: std::collections::HashSet<&str> =
        krate.files.iter().map(|(rel, _)| rel.as_str()).collect();
    let mut dirs = vec![(src, "src".to_owned(), 0)];
    while let Some((dir, rel_dir, depth)) = dirs.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(at(&dir, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| at(&dir, e))?;
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let rel = format!("{rel_dir}/{name}");
            let kind = entry.file_type().map_err(|e| at(&path, e))?;
            if kind.is_dir() {
                // Module folders only; the generator writes none deeper than one level.
                if depth == 0 {
                    dirs.push((path, rel, depth + 1));
                }
                continue;
            }
            if !kind.is_file() || !name.ends_with(".rs") || produced.contains(rel.as_str()) {
                continue;
            }
            if matches!(read_own(out, &path), Ok(Existing::Ours(_))) {
                stale.push(path);
            }
        }
    }
    stale.sort();
    Ok(stale)
}
