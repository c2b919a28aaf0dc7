//! `zave explain`: for each object a contract renders to, where each part comes from.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use zave::RenderInputs;
use zave::render::explain::{Explanation, Origin};

use crate::profile_arg::ProfileArg;
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
    /// The image CI built.
    #[arg(long, value_name = "REF")]
    image: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `zave explain`.
pub fn run(args: &ExplainArgs) -> ExitCode {
    let profile = match args.profile.load_or_report(false) {
        Ok(profile) => profile,
        Err(status) => return status,
    };
    let inputs = RenderInputs {
        image: args.image.as_deref(),
        ..RenderInputs::default()
    };
    let plan = match input::plan(&args.contract, &profile, inputs) {
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
    if args.json {
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
