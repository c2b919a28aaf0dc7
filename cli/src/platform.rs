//! `zave platform`: the bootstrap a new cluster needs before any tenant reconciles.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use zave::manifest::is_generated;
use zave_tree::{Folder, OnDisk};

use crate::args::ProfileArg;
use crate::{print, usage};

/// The largest file `--out` reads back to see whether zave wrote it.
const READ_LIMIT: u64 = 1 << 20;

/// The arguments of `zave platform`.
#[derive(Debug, Args)]
pub struct PlatformArgs {
    #[command(flatten)]
    profile: ProfileArg,
    /// The GitOps repository root to write `platform/bootstrap/` into; without it, the objects
    /// go to standard output.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Renders the bootstrap to standard output or into `--out`, replacing only files zave wrote;
/// exit 0 written, 1 an invalid profile file, 2 usage or I/O errors.
pub fn run(args: &PlatformArgs) -> ExitCode {
    let profile = match args.profile.load_or_report(false) {
        Ok(profile) => profile,
        Err(code) => return code,
    };
    let files = match zave::platform::platform_files(&profile) {
        Ok(files) => files,
        Err(error) => return usage(&error),
    };
    let Some(out) = &args.out else {
        return print(&zave::to_stream(&files));
    };
    let shown = |path: &str| out.join(path).display().to_string();
    let folder = match Folder::open(out, true) {
        Ok(folder) => folder,
        Err(error) => return usage(&error),
    };
    // Every refusal before the first byte is written.
    for file in &files {
        match folder.inspect(&file.path, READ_LIMIT) {
            Ok(OnDisk::Missing) => {}
            Ok(OnDisk::File(bytes)) if is_generated(&bytes) => {}
            Ok(_) => {
                return usage(&format_args!(
                    "{} is not a file zave generated; move it away, nothing written",
                    shown(&file.path)
                ));
            }
            Err(error) => return usage(&error),
        }
    }
    for file in &files {
        if let Err(error) = folder.write_file(&file.path, &file.content) {
            return usage(&error);
        }
        eprintln!("wrote {}", shown(&file.path));
    }
    ExitCode::SUCCESS
}
