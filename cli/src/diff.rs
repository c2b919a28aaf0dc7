//! `zave diff`: what one contract becomes under two profiles, or against the tree on disk, as
//! unified diffs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use zave::{Profile, RenderInputs};

use crate::profile_arg::{ProfileArg, ProfileError};
use crate::{EXIT_USAGE, input};

/// Arguments of `zave diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The contract file; `-` reads standard input.
    #[arg(value_name = "CONTRACT")]
    contract: PathBuf,
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
    /// Compare with the GitOps tree in this folder.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The image CI built.
    #[arg(long, value_name = "REF")]
    image: Option<String>,
}

/// Runs `zave diff`: exit 0 when nothing differs, 1 when something does, 2 on errors.
pub fn run(args: &DiffArgs) -> ExitCode {
    match diff(args) {
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

fn diff(args: &DiffArgs) -> Result<String, String> {
    let input = input::read(&args.contract).map_err(|e| format!("zave: {e}\n"))?;
    let from = load(&args.profile)?;
    let inputs = RenderInputs {
        image: args.image.as_deref(),
        ..RenderInputs::default()
    };
    let source = String::from_utf8_lossy(&input.bytes).into_owned();
    let render = |profile: &Profile| {
        zave::render(&input.bytes, profile, inputs)
            .map(|rendered| rendered.files)
            .map_err(|d| d.to_text(&input.name, Some(&source), zave::TextStyle::Plain))
    };
    let before = render(&from)?;
    if let Some(out) = &args.out {
        let on_disk: Vec<(String, String)> = before
            .iter()
            .map(|file| {
                let text = std::fs::read_to_string(out.join(&file.path)).unwrap_or_default();
                (file.path.clone(), text)
            })
            .collect();
        let mut text = String::new();
        for (file, (path, disk)) in before.iter().zip(on_disk) {
            text.push_str(&zave::diff::unified(
                &disk,
                &file.content,
                &format!("disk/{path}"),
                &format!("render/{path}"),
            ));
        }
        return Ok(text);
    }
    let to_name = args.to_profile.as_deref().unwrap_or_default();
    let to = load(&ProfileArg {
        profile: to_name.to_owned(),
        profile_file: None,
    })?;
    let after = render(&to)?;
    Ok(zave::diff::between_profiles(&before, &from, &after, &to)
        .into_iter()
        .map(|file| file.unified)
        .collect())
}

fn load(profile: &ProfileArg) -> Result<Profile, String> {
    profile.load().map_err(|error| match error {
        ProfileError::Usage(message) => format!("zave: {message}\n"),
        ProfileError::Invalid(text) => text,
    })
}
