//! `zave render`: many contracts in parallel, to standard output or a GitOps tree, with the
//! `--check` gate. Contracts are processed in chunks so memory stays flat however many there
//! are: only the tenant names are kept.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use zave::manifest::{applications_dir, platform_dir, tenant_folders, workload_dir};
use zave::{Profile, RenderInputs, Rendered, RenderedFile};

use crate::profile_arg::ProfileArg;
use crate::report::{self, FileResult, Format};
use crate::tree::{Difference, Tree};
use crate::{EXIT_USAGE, input};

/// How many contracts are rendered at once, between two writes of output.
const CHUNK: usize = 256;

/// Arguments of `zave render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Contract files; `-` reads standard input.
    #[arg(required = true, value_name = "CONTRACT")]
    contracts: Vec<PathBuf>,
    #[command(flatten)]
    profile: ProfileArg,
    /// The image CI built (one contract only); without it, the bootstrap image (W004).
    #[arg(long, value_name = "REF")]
    image: Option<String>,
    /// The version label, `sha-` and seven hex digits.
    #[arg(long, value_name = "sha-xxxxxxx")]
    version: Option<String>,
    /// The platform bundle recorded on every object.
    #[arg(long, value_name = "NAME")]
    bundle: Option<String>,
    /// The GitOps repository root to write into; without it, objects go to standard output.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write nothing; exit 1 and list the files that differ when the tree in --out is not what
    /// the contracts produce.
    #[arg(long, requires = "out")]
    check: bool,
    /// Treat warnings (defaults zave applied) as errors.
    #[arg(long)]
    strict: bool,
    /// How findings are reported (on standard error).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Runs `zave render`.
pub fn run(args: &RenderArgs) -> ExitCode {
    if args.image.is_some() && args.contracts.len() > 1 {
        eprintln!("zave: --image names the image of one contract; render one contract with it");
        return ExitCode::from(EXIT_USAGE);
    }
    let profile = match args.profile.load_or_report() {
        Ok(profile) => profile,
        Err(status) => return status,
    };
    let inputs = RenderInputs {
        image: args.image.as_deref(),
        version: args.version.as_deref(),
        bundle: args.bundle.as_deref(),
        strict: args.strict,
    };
    let progress = progress_bar(args.contracts.len() * 2);
    let names = match check_all(args, &profile, inputs, &progress) {
        Ok(names) => names,
        Err(code) => {
            progress.finish_and_clear();
            return code;
        }
    };
    let outcome = match &args.out {
        None => print_stream(args, &profile, inputs, &progress),
        Some(out) => write_tree(args, out, &profile, inputs, &names, &progress),
    };
    progress.finish_and_clear();
    outcome
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
fn map_chunk<T, F>(chunk: &[PathBuf], f: F) -> Vec<T>
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

/// Renders one contract file: the input and its outcome, or an I/O error.
fn render_one(
    path: &std::path::Path,
    profile: &Profile,
    inputs: RenderInputs<'_>,
) -> Result<(input::Input, Result<Rendered, zave::Diagnostics>), String> {
    let input = input::read(path)?;
    let outcome = zave::render(&input.bytes, profile, inputs);
    Ok((input, outcome))
}

/// Pass 1: plans every contract (checks it without building objects), reports findings in input order, and returns the tenant
/// names; fails (writing nothing) when any contract has an error or two share a name.
fn check_all(
    args: &RenderArgs,
    profile: &Profile,
    inputs: RenderInputs<'_>,
    progress: &ProgressBar,
) -> Result<BTreeSet<String>, ExitCode> {
    progress.set_message("checking");
    let mut names = BTreeSet::new();
    let mut results = Vec::new();
    let mut failed = false;
    let mut io_failed = false;
    let mut stderr = std::io::stderr().lock();
    for chunk in args.contracts.chunks(CHUNK) {
        let planned: Vec<_> = map_chunk(chunk, |path| {
            let outcome = input::read(path).map(|input| {
                let plan = zave::plan(&input.bytes, profile, inputs).map(|plan| {
                    (
                        plan.name().to_owned(),
                        plan.hash().to_string(),
                        plan.findings().to_vec(),
                    )
                });
                (input, plan)
            });
            progress.inc(1);
            outcome
        });
        for outcome in planned {
            let result = match outcome {
                Ok((input, Ok((name, hash, findings)))) => {
                    if !names.insert(name.clone()) {
                        let _ = writeln!(
                            stderr,
                            "zave: two contracts are named \"{name}\" ({})",
                            input.name
                        );
                        failed = true;
                    }
                    FileResult::from_findings(input, true, Some(hash), findings)
                }
                Ok((input, Err(diagnostics))) => {
                    failed = true;
                    FileResult::from_findings(input, false, None, diagnostics.0)
                }
                Err(error) => {
                    let _ = writeln!(stderr, "zave: {error}");
                    io_failed = true;
                    continue;
                }
            };
            if args.format == Format::Json {
                results.push(result);
            } else if !result.is_quiet() {
                let _ = stderr
                    .write_all(report::render_findings(&result, args.format, false).as_bytes());
            }
        }
    }
    if args.format == Format::Json {
        let _ = stderr.write_all(report::render(&results, Format::Json, false).as_bytes());
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
    Ok(names)
}

/// Pass 2 without `--out`: every object as one YAML stream, in input order.
fn print_stream(
    args: &RenderArgs,
    profile: &Profile,
    inputs: RenderInputs<'_>,
    progress: &ProgressBar,
) -> ExitCode {
    progress.set_message("rendering");
    let mut stdout = std::io::stdout().lock();
    for chunk in args.contracts.chunks(CHUNK) {
        let streams: Vec<String> = map_chunk(chunk, |path| {
            let outcome = render_one(path, profile, inputs);
            progress.inc(1);
            match outcome {
                Ok((_, Ok(rendered))) => zave::to_stream(&rendered.files),
                _ => String::new(),
            }
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

/// Pass 2 with `--out`: writes (or, with `--check`, compares) every tenant's files, the index
/// kustomizations, and prunes (or reports) files zave generated that are no longer produced.
fn write_tree(
    args: &RenderArgs,
    out: &std::path::Path,
    profile: &Profile,
    inputs: RenderInputs<'_>,
    names: &BTreeSet<String>,
    progress: &ProgressBar,
) -> ExitCode {
    progress.set_message(if args.check { "comparing" } else { "writing" });
    let tree = match Tree::open(out, !args.check) {
        Ok(tree) => tree,
        Err(message) => {
            eprintln!("zave: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let prefix = profile.spec.gitops.path_prefix.as_str();
    let mut differences = Vec::new();
    for chunk in args.contracts.chunks(CHUNK) {
        let outcomes: Vec<Result<Vec<Difference>, String>> = map_chunk(chunk, |path| {
            let outcome = render_one(path, profile, inputs);
            progress.inc(1);
            match outcome? {
                (_, Ok(rendered)) => sync_tenant(&tree, &rendered, prefix, args.check),
                (input, Err(_)) => Err(format!("{} changed while rendering", input.name)),
            }
        });
        for outcome in outcomes {
            match outcome {
                Ok(found) => differences.extend(found),
                Err(message) => {
                    eprintln!("zave: {message}");
                    return ExitCode::from(EXIT_USAGE);
                }
            }
        }
    }
    let names: Vec<String> = names.iter().cloned().collect();
    match sync_index(&tree, &names, prefix, args.check) {
        Ok(found) => differences.extend(found),
        Err(message) => {
            eprintln!("zave: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    differences.sort();
    if args.check {
        if differences.is_empty() {
            eprintln!(
                "zave: {} is up to date ({} tenants)",
                out.display(),
                names.len()
            );
            return ExitCode::SUCCESS;
        }
        let listing: String = differences.iter().map(|d| format!("{d}\n")).collect();
        crate::print(&listing);
        eprintln!(
            "zave: {} files in {} differ from what the contracts produce",
            differences.len(),
            out.display()
        );
        return ExitCode::FAILURE;
    }
    eprintln!(
        "zave: rendered {} tenants into {}",
        names.len(),
        out.display()
    );
    ExitCode::SUCCESS
}

/// Writes (or compares) one tenant's files and prunes (or reports) its stale generated files.
fn sync_tenant(
    tree: &Tree,
    rendered: &Rendered,
    prefix: &str,
    check: bool,
) -> Result<Vec<Difference>, String> {
    let keep: BTreeSet<String> = rendered.files.iter().map(|f| f.path.clone()).collect();
    let mut stale = tree.stale_in(&platform_dir(prefix, &rendered.name), &keep)?;
    stale.extend(tree.stale_in(&workload_dir(prefix, &rendered.name), &keep)?);
    sync(tree, &rendered.files, stale, check)
}

/// Writes (or compares) the index kustomizations and prunes tenants no contract produces.
fn sync_index(
    tree: &Tree,
    names: &[String],
    prefix: &str,
    check: bool,
) -> Result<Vec<Difference>, String> {
    let files = zave::index_files(names, prefix).map_err(|e| e.to_string())?;
    let known: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let mut stale = Vec::new();
    let nothing = BTreeSet::new();
    let [platform_tenants, workloads] = tenant_folders(prefix);
    for folder in tree.folders_in(&platform_tenants)? {
        if !known.contains(folder.as_str()) {
            stale.extend(tree.stale_in(&platform_dir(prefix, &folder), &nothing)?);
        }
    }
    for folder in tree.folders_in(&workloads)? {
        if !known.contains(folder.as_str()) {
            stale.extend(tree.stale_in(&workload_dir(prefix, &folder), &nothing)?);
        }
    }
    let mut applications: BTreeSet<String> = names
        .iter()
        .map(|name| format!("{}/{name}.yaml", applications_dir(prefix)))
        .collect();
    applications.extend(files.iter().map(|f| f.path.clone()));
    stale.extend(tree.stale_in(&applications_dir(prefix), &applications)?);
    sync(tree, &files, stale, check)
}

fn sync(
    tree: &Tree,
    files: &[RenderedFile],
    stale: Vec<String>,
    check: bool,
) -> Result<Vec<Difference>, String> {
    if check {
        let mut differences = tree.compare(files)?;
        differences.extend(stale.into_iter().map(Difference::Removed));
        return Ok(differences);
    }
    tree.write(files)?;
    for path in &stale {
        tree.remove(path)?;
    }
    Ok(Vec::new())
}
