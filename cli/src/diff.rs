//! `zave diff`: what contracts become under two profiles, or against the tree on disk, as
//! unified diffs. Against the tree it is `render --check` with the text of each difference:
//! the same run, the same rule, the same flags.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use zave::Profile;
use zave::tree::{Change, Recorded};
use zave_tree::{Access, TreeError};

use crate::inputs_arg::InputArgs;
use crate::profile_arg::{ProfileArg, ProfileError};
use crate::render::TreeArgs;
use crate::report::Format;
use crate::{EXIT_USAGE, input, tree_run};

/// Arguments of `zave diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Contract files (one with --to-profile); `-` reads standard input.
    #[arg(required = true, value_name = "CONTRACT")]
    contracts: Vec<PathBuf>,
    #[command(flatten)]
    profile: ProfileArg,
    /// Compare with the render under this built-in profile.
    #[arg(
        long,
        value_name = "NAME",
        required_unless_present = "out",
        conflicts_with = "out"
    )]
    to_profile: Option<String>,
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    tree: TreeArgs,
}

/// Runs `zave diff`: exit 0 when nothing differs, 1 when something does, 2 on errors.
pub fn run(args: &DiffArgs) -> ExitCode {
    if let Some(out) = &args.tree.out {
        return against_tree(args, out);
    }
    match between_profiles(args) {
        Ok(text) if text.is_empty() => ExitCode::SUCCESS,
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
    let (profile, given) = match args.inputs.load(&args.profile, args.contracts.len()) {
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
        return Err("zave: --to-profile compares one contract; name one\n".to_owned());
    };
    let input = input::read(contract).map_err(|e| format!("zave: {e}\n"))?;
    let from = load(&args.profile, args.inputs.strict)?;
    let given = args.inputs.given(1).map_err(|e| format!("zave: {e}\n"))?;
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
    let to = load(
        &ProfileArg {
            profile: args.to_profile.clone().unwrap_or_default(),
            profile_file: None,
        },
        args.inputs.strict,
    )?;
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
