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
use zave::tree::{Change, Difference, Recorded};
use zave::{Profile, SetMember, ValidateOptions};
use zave_tree::{Access, Given};

use crate::inputs_arg::InputArgs;
use crate::profile_arg::ProfileArg;
use crate::report::{self, FileResult, Format};
use crate::set_check::SetFindings;
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
    tree: TreeArgs,
    /// Write nothing; exit 1 and list the files that differ when the tree in --out is not what
    /// the contracts produce.
    #[arg(long, requires = "out")]
    check: bool,
    /// How findings are reported (on standard error).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
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
    let (profile, given) = match args.inputs.load(&args.profile, args.contracts.len()) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let Some(out) = &args.tree.out else {
        let progress = progress_bar(args.contracts.len() * 2);
        let status = match check_all(args, &profile, &given, &progress) {
            Ok(()) => print_stream(args, &profile, &given, &progress),
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
    let job = args
        .tree
        .job(out, &args.contracts, &profile, &given, access, args.format);
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
            eprintln!("zave: {shown} is up to date ({} tenants)", outcome.tenants);
            return ExitCode::SUCCESS;
        }
        crate::print(&listing(differences));
        eprintln!(
            "zave: {} files in {shown} differ from what the contracts produce",
            differences.len()
        );
        return ExitCode::FAILURE;
    }
    let count = |change: Change| differences.iter().filter(|d| d.change == change).count();
    let untold: Vec<Difference> = differences
        .iter()
        .filter(|d| matches!(d.change, Change::Removed | Change::Leftover))
        .cloned()
        .collect();
    eprint!("{}", listing(&untold).replace("leftover:", "cleared: "));
    eprintln!(
        "zave: rendered {rendered} tenants into {shown}: {} files added, {} changed, {} removed; {} tenants in the tree",
        count(Change::Added),
        count(Change::Changed),
        count(Change::Removed),
        outcome.tenants
    );
    ExitCode::SUCCESS
}

/// One line per difference.
pub fn listing(differences: &[Difference]) -> String {
    differences.iter().map(|d| format!("{d}\n")).collect()
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
    if chunk.len() < 2 {
        chunk.iter().map(f).collect()
    } else {
        chunk.par_iter().map(f).collect()
    }
}

/// Checks one contract under the profile with the inputs given for it, without building an
/// object; with `member`, also keeps its set facts when it is valid.
fn plan_one<'p>(
    bytes: &[u8],
    profile: &'p Profile,
    given: &Given,
    member: Option<&mut Option<SetMember>>,
) -> Result<zave::Plan<'p>, zave::Diagnostics> {
    let options = ValidateOptions {
        strict: given.strict,
        profile: Some(profile),
    };
    let checked = zave::validate(bytes, options)?;
    if let Some(member) = member {
        *member = Some(SetMember::of(&checked));
    }
    let recorded = Recorded::default();
    let inputs = given.inputs(&checked.name, &recorded);
    zave::plan_checked(checked, profile, inputs)
}

/// Pass 1 without `--out`: plans every contract, checks the set, reports findings in input
/// order; fails (printing nothing) when any contract or the set has an error.
fn check_all(
    args: &RenderArgs,
    profile: &Profile,
    given: &Given,
    progress: &ProgressBar,
) -> Result<(), ExitCode> {
    progress.set_message("checking");
    let mut names = BTreeSet::new();
    let mut results = Vec::with_capacity(args.contracts.len());
    let mut members = Vec::new();
    let mut failed = false;
    let mut io_failed = false;
    let mut stderr = std::io::stderr().lock();
    for chunk in args.contracts.chunks(CHUNK) {
        let planned: Vec<_> = map_chunk(chunk, |path| {
            let outcome = input::read(path).map(|input| {
                let mut member = None;
                let plan = plan_one(&input.bytes, profile, given, Some(&mut member)).map(|plan| {
                    (
                        plan.name().to_owned(),
                        plan.hash().to_string(),
                        plan.findings().to_vec(),
                    )
                });
                (input, member, plan)
            });
            progress.inc(1);
            outcome
        });
        for outcome in planned {
            let (input, member, plan) = match outcome {
                Ok(found) => found,
                Err(error) => {
                    let _ = writeln!(stderr, "zave: {error}");
                    io_failed = true;
                    continue;
                }
            };
            if let Some(member) = member {
                members.push((results.len(), member));
            }
            results.push(match plan {
                Ok((name, hash, findings)) => {
                    names.insert(name);
                    FileResult::from_findings(input, true, Some(hash), findings)
                }
                Err(diagnostics) => FileResult::from_findings(input, false, None, diagnostics.0),
            });
        }
    }
    // The set stage over every valid contract's facts (Z401 among them: a shared name).
    let mut set = SetFindings::of(args.contracts.len(), members, given.strict);
    for (position, result) in results.iter_mut().enumerate() {
        result.add_findings(set.take(position));
        failed |= !result.valid();
        if args.format != Format::Json && !result.is_quiet() {
            let _ =
                stderr.write_all(report::render_findings(result, args.format, false).as_bytes());
        }
    }
    if args.format == Format::Json {
        let _ = stderr.write_all(report::render(&results, Format::Json, false).as_bytes());
    }
    if let Some(stray) = given.stray(&names).filter(|_| !failed) {
        let _ = writeln!(
            stderr,
            "zave: {}",
            zave_tree::TreeError::NotInRun(stray.to_owned())
        );
        io_failed = true;
    }
    if io_failed {
        return Err(ExitCode::from(EXIT_USAGE));
    }
    if failed {
        // With --format json standard error stays one JSON document; the exit status says it.
        if args.format != Format::Json {
            let _ = writeln!(stderr, "zave: nothing was rendered: fix the errors above");
        }
        return Err(ExitCode::FAILURE);
    }
    Ok(())
}

/// Pass 2 without `--out`: every object as one YAML stream, in input order.
fn print_stream(
    args: &RenderArgs,
    profile: &Profile,
    given: &Given,
    progress: &ProgressBar,
) -> ExitCode {
    progress.set_message("rendering");
    let mut stdout = std::io::stdout().lock();
    for chunk in args.contracts.chunks(CHUNK) {
        let streams: Vec<String> = map_chunk(chunk, |path| {
            let outcome = input::read(path)
                .ok()
                .and_then(|input| plan_one(&input.bytes, profile, given, None).ok())
                .and_then(|plan| plan.render().ok());
            progress.inc(1);
            outcome
                .map(|rendered| zave::to_stream(&rendered.files))
                .unwrap_or_default()
        });
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
    ExitCode::SUCCESS
}
