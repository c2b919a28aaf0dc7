//! `zave provision-script`: the database provisioning script of a contract, for review.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::args::ProfileArg;
use crate::{EXIT_USAGE, input};
use clap::Args;
use zave_tree::Folder as Tree;

/// Arguments of `zave provision-script`.
#[derive(Debug, Args)]
pub struct ProvisionArgs {
    /// The contract file; `-` reads standard input.
    #[arg(value_name = "CONTRACT")]
    contract: PathBuf,
    #[command(flatten)]
    profile: ProfileArg,
    /// Write the script's files (`run.sh`, `provision.sql`) into this directory instead.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Runs `zave provision-script`: exit 0 with the script, 1 when the contract is invalid or
/// has no database, 2 on usage or I/O errors.
pub fn run(args: &ProvisionArgs) -> ExitCode {
    let profile = match args.profile.load_or_report(false) {
        Ok(profile) => profile,
        Err(status) => return status,
    };
    let plan = match input::plan(&args.contract, &profile, &zave_tree::Given::default()) {
        Ok(plan) => plan,
        Err(status) => return status,
    };
    let Some(script) = plan.provision_script() else {
        eprintln!(
            "zave: contract \"{}\" declares no database (spec.persistence); there is nothing to provision",
            plan.name()
        );
        return ExitCode::FAILURE;
    };
    let Some(dir) = &args.out else {
        return crate::print(&script.to_text());
    };
    // The same safe writing as the render's: atomic, never through a symbolic link.
    let written = Tree::open(dir, true).and_then(|tree| {
        script.files.iter().try_for_each(|(name, content)| {
            if name.ends_with(".sh") {
                tree.write_executable(name, content)
            } else {
                tree.write_file(name, content)
            }
        })
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("zave: {error}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
