//! Reading the user's inputs (specs, the configuration): regular files only, never through
//! a symbolic link, and never more than a bound — `/dev/zero` or a FIFO named as a spec is
//! an error, not an endless read or a hang.

use std::io::{self, Read as _};
use std::path::Path;

/// The largest spec read (the largest public description, Microsoft Graph beta, is 47 MB).
pub const MAX_SPEC_BYTES: u64 = 128 << 20;

/// The largest configuration file read.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The bytes of the regular file at `path`, at most `limit` of them; errors name the path.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let refuse = |why: String| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: {why}", path.display()),
        )
    };
    let checked = std::fs::symlink_metadata(path).map_err(|e| crate::write::at(path, e))?;
    if checked.file_type().is_symlink() {
        return Err(refuse(
            "is a symbolic link; name the file it points to".to_owned(),
        ));
    }
    if !checked.is_file() {
        return Err(refuse(
            "is not a regular file (a folder, FIFO or device)".to_owned(),
        ));
    }
    if checked.len() > limit {
        return Err(refuse(format!(
            "is {} bytes, more than the {limit} bytes openapi-gen reads",
            checked.len()
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| crate::write::at(path, e))?;
    let opened = file.metadata().map_err(|e| crate::write::at(path, e))?;
    if !crate::write::same_file(&checked, &opened) {
        return Err(refuse("changed while it was opened".to_owned()));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| crate::write::at(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(refuse(format!(
            "grew past the {limit} bytes openapi-gen reads"
        )));
    }
    Ok(bytes)
}
