//! Reading contract files and standard input, bounded so a huge file is never read whole.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The bytes of one input and the name diagnostics show for it.
pub struct Input {
    /// The path as given, or `<stdin>`.
    pub name: String,
    /// At most one byte more than the core accepts, so the core can say it is too large.
    pub bytes: Vec<u8>,
}

/// Reads `path` (`-` for standard input), stopping just past the size the core accepts.
pub fn read(path: &Path) -> Result<Input, String> {
    let limit = u64::try_from(zave::document::MAX_INPUT_BYTES + 1).unwrap_or(u64::MAX);
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(Input {
            name: "<stdin>".to_owned(),
            bytes,
        });
    }
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| format!("cannot open {name}: {e}"))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!("{name} is a directory, not a contract file"));
    }
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    Ok(Input { name, bytes })
}
