//! `zave render`: many contracts in parallel, to standard output or a GitOps tree, with the
//! `--check` gate. Contracts are processed in chunks so memory stays flat however many there
//! are: only the tenant names are kept.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use zave::tree::{Change, Recorded};
use zave::{Profile, SetMember, ValidateOptions};
use zave_tree::{Access, Given};

use crate::args::{Format, FormatArg, InputArgs, ProfileArg, StrictArg};
use crate::report::{FileResult, counted};
use crate::run_report::RunReport;
use crate::tree_run::{self, TreeJob};
use crate::{EXIT_USAGE, input};

/// How many contracts are rendered at once, between two writes of output.
pub const CHUNK: usize = 256;

/// Arguments of `zave render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Contract files; `-` reads standard input.
    #[arg(required = true, value_name = "CONTRACT")]
    contracts: Vec<PathBuf>,
    #[command(flatten)]
    profile: ProfileArg,
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    strict: StrictArg,
    #[command(flatten)]
    tree: TreeArgs,
    /// Write nothing; exit 1 and list the files that differ when the tree in --out is not what
    /// the contracts produce.
    #[arg(long, requires = "out")]
    check: bool,
    #[command(flatten)]
    format: FormatArg,
}

/// The flags of a run over the tree on disk, shared by `render` and `diff`.
#[derive(Debug, Clone, Args)]
pub struct TreeArgs {
    /// The GitOps repository root; without it, objects go to standard output.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also take out every zave tenant in --out that no contract of this run names (only files
    /// with zave's header; anything else there is refused).
    #[arg(long, requires = "out")]
    pub prune: bool,
    /// How long to wait for another zave run on the same --out, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub wait: u64,
}

impl TreeArgs {
    /// The run over `out` for `contracts`.
    pub fn job<'a>(
        &'a self,
        out: &'a std::path::Path,
        contracts: &'a [PathBuf],
        profile: &'a Profile,
        given: &'a Given,
        access: Access,
        format: Format,
    ) -> TreeJob<'a> {
        TreeJob {
            contracts,
            profile,
            given,
            out,
            access,
            prune: self.prune,
            unified: false,
            format,
            wait: Duration::from_secs(self.wait),
        }
    }
}

/// Runs `zave render`.
pub fn run(args: &RenderArgs) -> ExitCode {
    let (profile, given) =
        match args
            .inputs
            .load(&args.profile, args.contracts.len(), args.strict.strict)
        {
            Ok(loaded) => loaded,
            Err(status) => return status,
        };
    let Some(out) = &args.tree.out else {
        let progress = progress_bar(args.contracts.len() * 2);
        let status = match check_all(args, &profile, &given, &progress) {
            Ok(plans) => print_stream(plans, &progress),
            Err(status) => status,
        };
        progress.finish_and_clear();
        return status;
    };
    let access = if args.check {
        Access::Check
    } else {
        Access::Write
    };
    let job = args.tree.job(
        out,
        &args.contracts,
        &profile,
        &given,
        access,
        args.format.format,
    );
    let progress = progress_bar(args.contracts.len());
    progress.set_message(if args.check { "comparing" } else { "rendering" });
    let outcome = tree_run::run(&job, &progress);
    progress.finish_and_clear();
    let (rendered, outcome) = match outcome {
        Ok(found) => found,
        Err(status) => return status,
    };
    let shown = out.display();
    let differences = &outcome.differences;
    if args.check {
        if differences.is_empty() {
            eprintln!(
                "zave: {shown} is up to date ({})",
                counted(outcome.tenants, "tenant")
            );
            return ExitCode::SUCCESS;
        }
        let listing: String = differences.iter().map(|d| format!("{d}\n")).collect();
        crate::print(&listing);
        eprintln!(
            "zave: {} in {shown} differ from what the contracts produce",
            counted(differences.len(), "file")
        );
        return ExitCode::FAILURE;
    }
    let count = |change: Change| differences.iter().filter(|d| d.change == change).count();
    for difference in differences {
        if matches!(difference.change, Change::Removed | Change::Leftover) {
            eprintln!("{}", difference.done());
        }
    }
    eprintln!(
        "zave: rendered {} into {shown}: {} added, {} changed, {} removed; {} in the tree",
        counted(rendered, "tenant"),
        counted(count(Change::Added), "file"),
        count(Change::Changed),
        count(Change::Removed),
        counted(outcome.tenants, "tenant"),
    );
    ExitCode::SUCCESS
}

fn progress_bar(steps: usize) -> ProgressBar {
    if steps <= 2 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(u64::try_from(steps).unwrap_or(u64::MAX));
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Maps `f` over a chunk of contract paths, in parallel when there are several, so rendering
/// one contract does not start a thread pool.
pub fn map_chunk<T, F>(chunk: &[PathBuf], f: F) -> Vec<T>
where
    T: Send,
    F: Fn(&PathBuf) -> T + Sync + Send,
{
    map_owned_chunk(chunk.iter().collect(), f)
}

/// [`map_chunk`] over items taken by value.
fn map_owned_chunk<I, T, F>(chunk: Vec<I>, f: F) -> Vec<T>
where
    I: Send,
    T: Send,
    F: Fn(I) -> T + Sync + Send,
{
    if chunk.len() < 2 {
        chunk.into_iter().map(f).collect()
    } else {
        chunk.into_par_iter().map(f).collect()
    }
}

/// Checks one contract under the profile with the inputs given for it, without building an
/// object; with its set facts when it is valid.
fn plan_one<'p>(
    bytes: &[u8],
    profile: &'p Profile,
    given: &Given,
) -> (Option<SetMember>, Result<zave::Plan<'p>, zave::Diagnostics>) {
    let options = ValidateOptions {
        strict: given.strict,
        profile: Some(profile),
    };
    let validation = zave::validate_for_set(bytes, options);
    let member = validation.member;
    let checked = match validation.outcome {
        Ok(checked) => checked,
        Err(refused) => return (member, Err(refused)),
    };
    let recorded = Recorded::default();
    let inputs = given.inputs(&checked.name, &recorded);
    (member, zave::plan_checked(checked, profile, inputs))
}

/// Pass 1 without `--out`: plans every contract, checks the set, reports findings in input
/// order; fails (printing nothing) when any contract or the set has an error, else returns the
/// plans in input order (a plan is the checked contract, a few kilobytes: pass 2 neither reads
/// nor validates again).
fn check_all<'p>(
    args: &RenderArgs,
    profile: &'p Profile,
    given: &Given,
    progress: &ProgressBar,
) -> Result<Vec<zave::Plan<'p>>, ExitCode> {
    progress.set_message("checking");
    let mut names = BTreeSet::new();
    let mut report = RunReport::default();
    let mut plans = Vec::with_capacity(args.contracts.len());
    for chunk in args.contracts.chunks(CHUNK) {
        let planned: Vec<_> = map_chunk(chunk, |path| {
            let outcome = input::read(path).map(|input| {
                let (member, plan) = plan_one(&input.bytes, profile, given);
                (input, member, plan)
            });
            progress.inc(1);
            outcome
        });
        for (path, outcome) in chunk.iter().zip(planned) {
            let (input, member, plan) = match outcome {
                Ok(found) => found,
                Err(error) => {
                    report.unreadable(path, error);
                    continue;
                }
            };
            let result = match plan {
                Ok(plan) => {
                    names.insert(plan.name().to_owned());
                    let hash = Some(plan.hash().to_string());
                    let findings = plan.findings().to_vec();
                    plans.push(plan);
                    FileResult::from_findings(input, true, hash, findings)
                }
                Err(diagnostics) => FileResult::from_findings(input, false, None, diagnostics.0),
            };
            report.push(result, member);
        }
    }
    report.finish(
        args.contracts.len(),
        given.strict,
        args.format.format,
        progress,
    )?;
    if let Some(stray) = given.stray(&names) {
        eprintln!("zave: {}", zave_tree::TreeError::NotInRun(stray.to_owned()));
        return Err(ExitCode::from(EXIT_USAGE));
    }
    Ok(plans)
}

/// Pass 2 without `--out`: every object as one YAML stream, in input order, rendered from
/// pass 1's plans a chunk at a time.
fn print_stream(plans: Vec<zave::Plan<'_>>, progress: &ProgressBar) -> ExitCode {
    progress.set_message("rendering");
    let mut stdout = std::io::stdout().lock();
    let mut plans = plans.into_iter();
    loop {
        let chunk: Vec<_> = plans.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            return ExitCode::SUCCESS;
        }
        let render = |plan: zave::Plan<'_>| {
            progress.inc(1);
            plan.render()
                .map(|rendered| zave::to_stream(&rendered.files))
                .unwrap_or_default()
        };
        let streams = map_owned_chunk(chunk, render);
        for stream in streams {
            if let Err(error) = stdout.write_all(stream.as_bytes()) {
                if error.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
                eprintln!("zave: cannot write output: {error}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
}
