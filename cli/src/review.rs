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
    /// The folder of contracts before the change (every `*.yaml` in it).
    #[arg(value_name = "BASE")]
    base: PathBuf,
    /// The folder of contracts after the change.
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

/// The valid contracts of `folder` and the tree they render, index included.
fn side(
    folder: &Path,
    profile: &Profile,
) -> Result<(Vec<CheckedContract>, Vec<RenderedFile>), ExitCode> {
    let entries = std::fs::read_dir(folder)
        .map_err(|error| usage(&format_args!("{}: {error}", folder.display())))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml") && path.is_file())
        .collect();
    paths.sort();
    let mut contracts = Vec::new();
    let mut files = Vec::new();
    let mut invalid = false;
    for path in &paths {
        let source = input::read(path).map_err(|message| usage(&message))?;
        let report = |findings: &[zave::Diagnostic]| {
            let text = String::from_utf8_lossy(&source.bytes);
            eprint!(
                "{}",
                zave::Diagnostics(findings.to_vec()).to_text(
                    &source.name,
                    Some(&text),
                    zave::TextStyle::Plain
                )
            );
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
                files.extend(rendered.files);
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
    let mut names: Vec<String> = contracts.iter().map(|c| c.name.clone()).collect();
    names.sort();
    names.dedup();
    let index = zave::index_files(&names, &profile.spec.gitops.path_prefix)
        .map_err(|error| usage(&error))?;
    files.extend(index);
    Ok((contracts, files))
}
