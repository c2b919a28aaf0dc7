//! `zave diff`: what contracts become under two profiles, or against the tree on disk, as
//! unified diffs. Against the tree it is `render --check` with the text of each difference:
//! the same run, the same rule, the same flags.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Args};
use zave::Profile;
use zave::tree::{Change, Recorded};
use zave_tree::{Access, TreeError};

use crate::args::Format;
use crate::args::{InputArgs, ProfileArg, StrictArg, ToProfileArg};
use crate::profile_arg::ProfileError;
use crate::render::TreeArgs;
use crate::{EXIT_USAGE, input, tree_run};

/// Arguments of `zave diff`.
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("other_side")
        .args(["to_profile", "to_profile_file", "out"])
        .required(true)
))]
pub struct DiffArgs {
    /// Contract files (one with --to-profile or --to-profile-file); `-` reads standard input.
    #[arg(required = true, value_name = "CONTRACT")]
    contracts: Vec<PathBuf>,
    #[command(flatten)]
    profile: ProfileArg,
    #[command(flatten)]
    to: ToProfileArg,
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    strict: StrictArg,
    #[command(flatten)]
    tree: TreeArgs,
}

/// Runs `zave diff`: exit 0 when nothing differs, 1 when something does, 2 on errors.
pub fn run(args: &DiffArgs) -> ExitCode {
    if let Some(out) = &args.tree.out {
        return against_tree(args, out);
    }
    match between_profiles(args) {
        Ok(text) if text.is_empty() => {
            eprintln!("zave: no differences: the two profiles render the same files");
            ExitCode::SUCCESS
        }
        Ok(text) => {
            crate::print(&text);
            ExitCode::FAILURE
        }
        Err(message) => {
            eprint!("{message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn against_tree(args: &DiffArgs, out: &std::path::Path) -> ExitCode {
    let (profile, given) =
        match args
            .inputs
            .load(&args.profile, args.contracts.len(), args.strict.strict)
        {
            Ok(loaded) => loaded,
            Err(status) => return status,
        };
    let mut job = args.tree.job(
        out,
        &args.contracts,
        &profile,
        &given,
        Access::Check,
        Format::Human,
    );
    job.unified = true;
    let (_, outcome) = match tree_run::run(&job, &indicatif::ProgressBar::hidden()) {
        Ok(found) => found,
        Err(status) => return status,
    };
    if outcome.differences.is_empty() {
        eprintln!(
            "zave: no differences: {} is what the contracts produce",
            out.display()
        );
        return ExitCode::SUCCESS;
    }
    let text: String = outcome
        .differences
        .iter()
        .zip(&outcome.unified)
        .map(|(difference, unified)| match difference.change {
            Change::Leftover => format!("{difference}\n"),
            _ => unified.clone(),
        })
        .collect();
    crate::print(&text);
    ExitCode::FAILURE
}

fn between_profiles(args: &DiffArgs) -> Result<String, String> {
    let [contract] = args.contracts.as_slice() else {
        return Err(
            "zave: --to-profile and --to-profile-file compare one contract; name one\n".to_owned(),
        );
    };
    let input = input::read(contract).map_err(|e| format!("zave: {e}\n"))?;
    let strict = args.strict.strict;
    let from = load(&args.profile, strict)?;
    let mut given = args
        .inputs
        .given(1, strict)
        .map_err(|e| format!("zave: {e}\n"))?;
    // What is wrong with a flags file is already said, on standard error.
    args.inputs
        .read_flags(&mut given, 1)
        .map_err(|_| String::new())?;
    let source = String::from_utf8_lossy(&input.bytes).into_owned();
    let refused =
        |d: zave::Diagnostics| d.to_text(&input.name, Some(&source), zave::TextStyle::Plain);
    let render = |profile: &Profile| {
        let options = zave::ValidateOptions {
            strict: given.strict,
            profile: Some(profile),
        };
        let checked = zave::validate(&input.bytes, options).map_err(refused)?;
        if let Some(stray) = given.stray(&BTreeSet::from([checked.name.clone()])) {
            return Err(format!("zave: {}\n", TreeError::NotInRun(stray.to_owned())));
        }
        let recorded = Recorded::default();
        let inputs = given.inputs(&checked.name, &recorded);
        zave::render_checked(checked, profile, inputs)
            .map(|rendered| rendered.files)
            .map_err(refused)
    };
    let before = render(&from)?;
    let to = load(&args.to.choice().unwrap_or_default(), strict)?;
    let after = render(&to)?;
    Ok(zave::diff::between_profiles(&before, &from, &after, &to)
        .into_iter()
        .map(|file| file.unified)
        .collect())
}

fn load(profile: &ProfileArg, strict: bool) -> Result<Profile, String> {
    profile.load(strict).map_err(|error| match error {
        ProfileError::Usage(message) => format!("zave: {message}\n"),
        ProfileError::Invalid(text) => text,
    })
}
