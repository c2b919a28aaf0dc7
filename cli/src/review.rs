//! `zave review BASE HEAD`: what a change of contracts does, for a pull request comment.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use zave::review::{Side, review};
use zave::{CheckedContract, Profile, RenderInputs, RenderedFile, ValidateOptions};

use crate::args::{Format, FormatArg, ProfileArg};
use crate::{input, print, usage};

/// The arguments of `zave review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The contracts before the change: a folder (every `*.yaml` in it), or a git revision
    /// of the working directory's repository (its `*.yaml` files there).
    #[arg(value_name = "BASE")]
    base: PathBuf,
    /// The contracts after the change: a folder or a git revision, as BASE.
    #[arg(value_name = "HEAD")]
    head: PathBuf,
    #[command(flatten)]
    profile: ProfileArg,
    /// `human` and `github` print Markdown for the pull request, `json` one JSON document.
    #[command(flatten)]
    format: FormatArg,
}

/// Prints the review; exit 0 reviewed, 1 a contract on either side is invalid (its findings
/// on standard error), 2 usage or I/O errors.
pub fn run(args: &ReviewArgs) -> ExitCode {
    let profile = match args.profile.load_or_report(false) {
        Ok(profile) => profile,
        Err(code) => return code,
    };
    let sides = [&args.base, &args.head].map(|folder| side(folder, &profile));
    let [base, head] = match sides {
        [Ok(base), Ok(head)] => [base, head],
        [Err(code), _] | [_, Err(code)] => return code,
    };
    let review = review(
        &Side {
            contracts: &base.0,
            files: &base.1,
        },
        &Side {
            contracts: &head.0,
            files: &head.1,
        },
        &profile,
    );
    match args.format.format {
        Format::Json => match serde_json::to_string_pretty(&review) {
            Ok(json) => print(&format!("{json}\n")),
            Err(error) => usage(&error),
        },
        Format::Human | Format::Github => print(&review.to_markdown()),
    }
}

/// The contracts of one side: every `*.yaml` of `place` when it is a folder, else of the
/// working directory at the git revision `place`, each read whole.
fn sources(place: &Path) -> Result<Vec<input::Input>, String> {
    if place.is_dir() {
        let entries =
            std::fs::read_dir(place).map_err(|error| format!("{}: {error}", place.display()))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml") && path.is_file())
            .collect();
        paths.sort();
        return paths.iter().map(|path| input::read(path)).collect();
    }
    let revision = place.to_string_lossy();
    if revision.starts_with('-') {
        return Err(format!("{revision} is neither a folder nor a git revision"));
    }
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let output = std::process::Command::new("git")
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|error| format!("git: {error}"))?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            Err(format!(
                "{revision} is neither a folder nor a git revision here: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    };
    let listing = git(&["ls-tree", "-z", "--name-only", &revision, "--", "."])?;
    let mut names: Vec<String> = listing
        .split(|&byte| byte == 0)
        .filter_map(|name| std::str::from_utf8(name).ok())
        .filter(|name| name.ends_with(".yaml") && !name.contains('/'))
        .map(str::to_owned)
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let bytes = git(&["show", &format!("{revision}:./{name}")])?;
            Ok(input::Input {
                name: format!("{revision}:{name}"),
                bytes,
            })
        })
        .collect()
}

/// The valid contracts of `place` and the tree they render, index included.
fn side(
    place: &Path,
    profile: &Profile,
) -> Result<(Vec<CheckedContract>, Vec<RenderedFile>), ExitCode> {
    let mut contracts = Vec::new();
    let mut tenants = Vec::new();
    let mut invalid = false;
    for source in sources(place).map_err(|message| usage(&message))? {
        let report = |findings: &[zave::Diagnostic]| {
            source.eprint_findings(&zave::Diagnostics(findings.to_vec()));
        };
        let options = ValidateOptions {
            strict: false,
            profile: Some(profile),
        };
        let rendered = zave::validate(&source.bytes, options).and_then(|checked| {
            let kept = checked.clone();
            zave::render_checked(checked, profile, RenderInputs::default())
                .map(|rendered| (kept, rendered))
        });
        match rendered {
            Ok((checked, rendered)) => {
                contracts.push(checked);
                tenants.push(rendered);
            }
            Err(refused) => {
                report(&refused.0);
                invalid = true;
            }
        }
    }
    if invalid {
        return Err(ExitCode::FAILURE);
    }
    let files = zave::tree::fresh_tree(&tenants, profile).map_err(|error| usage(&error))?;
    Ok((contracts, files))
}
