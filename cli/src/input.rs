//! Reading contract files and standard input, bounded so a huge file is never read whole.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

/// The bytes of one input and the name diagnostics show for it.
pub struct Input {
    /// The path as given, or `<stdin>`.
    pub name: String,
    /// At most one byte more than the core accepts, so the core can say it is too large.
    pub bytes: Vec<u8>,
}

impl Input {
    /// Prints `findings` on standard error, each with its snippet of this input.
    pub fn eprint_findings(&self, findings: &zave::Diagnostics) {
        let source = String::from_utf8_lossy(&self.bytes);
        eprint!(
            "{}",
            findings.to_text(&self.name, Some(&source), zave::TextStyle::Plain)
        );
    }
}

/// Standard input, read once per process: a render reads its contracts more than once.
static STDIN: OnceLock<Result<Vec<u8>, String>> = OnceLock::new();

/// Reads `path` (`-` for standard input, read once however often it is named), stopping just
/// past the size the core accepts.
pub fn read(path: &Path) -> Result<Input, String> {
    let limit = u64::try_from(zave::document::MAX_INPUT_BYTES + 1).unwrap_or(u64::MAX);
    if path.as_os_str() == "-" {
        let bytes = STDIN.get_or_init(|| {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(limit)
                .read_to_end(&mut bytes)
                .map(|_| bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))
        });
        return bytes.clone().map(|bytes| Input {
            name: "<stdin>".to_owned(),
            bytes,
        });
    }
    let mut bytes = Vec::new();
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

/// Reads one contract and plans it under `profile` with CI's inputs, or reports why not on
/// standard error: exit 2 when it cannot be read or an input names another tenant, 1 with
/// its findings when it is refused.
pub fn plan<'p>(
    path: &Path,
    profile: &'p zave::Profile,
    given: &zave_tree::Given,
) -> Result<zave::Plan<'p>, std::process::ExitCode> {
    let input = read(path).map_err(|error| {
        eprintln!("zave: {error}");
        std::process::ExitCode::from(crate::EXIT_USAGE)
    })?;
    let refused = |diagnostics: zave::Diagnostics| {
        input.eprint_findings(&diagnostics);
        std::process::ExitCode::FAILURE
    };
    let options = zave::ValidateOptions {
        strict: given.strict,
        profile: Some(profile),
    };
    let checked = zave::validate(&input.bytes, options).map_err(refused)?;
    if let Some(stray) = given.stray(&std::collections::BTreeSet::from([checked.name.clone()])) {
        eprintln!("zave: {}", zave_tree::TreeError::NotInRun(stray.to_owned()));
        return Err(std::process::ExitCode::from(crate::EXIT_USAGE));
    }
    let recorded = zave::tree::Recorded::default();
    let inputs = given.inputs(&checked.name, &recorded);
    zave::plan_checked(checked, profile, inputs).map_err(refused)
}
