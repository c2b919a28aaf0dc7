//! `zave diff`: what one contract becomes under two profiles, or against the tree on disk, as
//! unified diffs.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use similar::TextDiff;
use zave::{Profile, RenderInputs, RenderedFile};

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
            text.push_str(&unified(
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
    let (a, b) = (
        by_relative_path(&before, &from),
        by_relative_path(&after, &to),
    );
    let paths: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut text = String::new();
    for path in paths {
        let old = a.get(path).map_or("", |s| s.as_str());
        let new = b.get(path).map_or("", |s| s.as_str());
        text.push_str(&unified(
            old,
            new,
            &format!("{}/{path}", from.name()),
            &format!("{}/{path}", to.name()),
        ));
    }
    Ok(text)
}

fn load(profile: &ProfileArg) -> Result<Profile, String> {
    profile.load().map_err(|error| match error {
        ProfileError::Usage(message) => format!("zave: {message}\n"),
        ProfileError::Invalid(text) => text,
    })
}

/// Files keyed by their path below the profile's prefix, so two profiles line up.
fn by_relative_path<'a>(
    files: &'a [RenderedFile],
    profile: &Profile,
) -> BTreeMap<String, &'a String> {
    let prefix = &profile.spec.gitops.path_prefix;
    files
        .iter()
        .map(|file| {
            let relative = file
                .path
                .strip_prefix(prefix.as_str())
                .map_or(file.path.as_str(), |rest| rest.trim_start_matches('/'));
            (relative.to_owned(), &file.content)
        })
        .collect()
}

fn unified(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string()
}
