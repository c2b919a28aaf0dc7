//! `zave validate`: every stage over each contract, the set stage over what each left valid,
//! and one report of every file, the unreadable ones included.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::args::{Format, FormatArg, ProfileArg, StrictArg};
use crate::report::{self, FileResult};
use crate::{EXIT_USAGE, input};

/// Arguments of `zave validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Contract files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Without --profile or --profile-file the environment stage (Z3xx) is skipped.
    #[command(flatten)]
    profile: ProfileArg,
    #[command(flatten)]
    format: FormatArg,
    #[command(flatten)]
    strict: StrictArg,
}

/// Runs `zave validate`: exit 0 when every contract is valid, 1 when any is not, 2 when a
/// file cannot be read (it is still reported, with the others).
pub fn run(args: &ValidateArgs) -> ExitCode {
    let strict = args.strict.strict;
    let profile = if args.profile.given() {
        match args.profile.load_or_report(strict) {
            Ok(profile) => Some(profile),
            Err(status) => return status,
        }
    } else {
        None
    };
    let options = zave::ValidateOptions {
        strict,
        profile: profile.as_ref(),
    };
    let mut results = Vec::with_capacity(args.files.len());
    let mut set = zave::SetCheck::default();
    for path in &args.files {
        match input::read(path) {
            Ok(input) => {
                let validation = zave::validate_for_set(&input.bytes, options);
                if let Some(member) = validation.member {
                    set.add(results.len(), member);
                }
                results.push(FileResult::new(input, validation.outcome));
            }
            Err(error) => {
                if args.format.format == Format::Human {
                    eprintln!("zave: {error}");
                }
                results.push(FileResult::unreadable(path, error));
            }
        }
    }
    let mut found = set.findings(args.files.len(), strict);
    for (position, result) in results.iter_mut().enumerate() {
        result.add_findings(found.take(position));
    }
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let status = crate::print(&report::render(&results, args.format.format, colour));
    if results.iter().any(FileResult::unread) {
        ExitCode::from(EXIT_USAGE)
    } else if results.iter().any(|r| !r.valid()) {
        ExitCode::FAILURE
    } else {
        status
    }
}
