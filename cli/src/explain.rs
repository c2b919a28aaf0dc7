//! `zave explain`: for each object a contract renders to, where each part comes from.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use zave::render::explain::{Explanation, Origin};

use crate::args::{Format, FormatArg, InputArgs, ProfileArg, StrictArg};
use crate::{EXIT_USAGE, input};

/// Arguments of `zave explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The contract file; `-` reads standard input.
    #[arg(value_name = "CONTRACT")]
    contract: PathBuf,
    /// Only this object: `Kind/name` or `Kind` (any case), such as `deployment/mia`.
    #[arg(value_name = "OBJECT")]
    object: Option<String>,
    #[command(flatten)]
    profile: ProfileArg,
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    strict: StrictArg,
    #[command(flatten)]
    format: FormatArg,
}

/// Runs `zave explain`.
pub fn run(args: &ExplainArgs) -> ExitCode {
    if args.format.format == Format::Github {
        eprintln!("zave: explain prints --format human or json; annotations are for findings");
        return ExitCode::from(EXIT_USAGE);
    }
    let (profile, given) = match args.inputs.load(&args.profile, 1, args.strict.strict) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let plan = match input::plan(&args.contract, &profile, &given) {
        Ok(plan) => plan,
        Err(status) => return status,
    };
    let wanted = args.object.as_deref().map(str::to_lowercase);
    let explanations: Vec<Explanation> = plan
        .explain()
        .into_iter()
        .filter(|e| {
            wanted.as_deref().is_none_or(|w| {
                let id = e.object.to_lowercase();
                id == w || id.split('/').next() == Some(w)
            })
        })
        .collect();
    if explanations.is_empty() {
        eprintln!(
            "zave: the render has no object {}",
            args.object.as_deref().unwrap_or_default()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    if args.format.format == Format::Json {
        let mut text = serde_json::to_string_pretty(&explanations).unwrap_or_default();
        text.push('\n');
        return crate::print(&text);
    }
    crate::print(&text(&explanations))
}

fn text(explanations: &[Explanation]) -> String {
    let mut out = String::new();
    let mut current = "";
    for explanation in explanations {
        if explanation.object != current {
            if !current.is_empty() {
                out.push('\n');
            }
            current = &explanation.object;
            let _ = writeln!(out, "{current}");
        }
        let _ = writeln!(out, "  {}", explanation.part);
        for origin in &explanation.origins {
            let (kind, detail) = match origin {
                Origin::Contract(detail) => ("contract", detail),
                Origin::Profile(detail) => ("profile", detail),
                Origin::Mutation(detail) => ("mutation", detail),
                Origin::Input(detail) => ("input", detail),
                Origin::Convention(detail) => ("convention", detail),
            };
            let _ = writeln!(out, "    {kind:<10} {detail}");
        }
    }
    out
}
