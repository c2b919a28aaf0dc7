//! Contracts against the GitOps tree in `--out`: the one run behind `render --out`,
//! `render --check` and `diff --out`. Contracts are read, rendered and compared in chunks, so
//! memory stays flat however many there are; writing, each differing tenant is staged beside
//! its place and swapped in only when every contract rendered and nothing refused.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use indicatif::ProgressBar;
use rayon::prelude::*;
use zave::{Diagnostics, Profile, ValidateOptions};
use zave_tree::{Access, Given, Outcome, Run, SyncError, Tree};

use crate::render::CHUNK;
use crate::report::{self, FileResult, Format};
use crate::set_check::SetFindings;
use crate::{EXIT_USAGE, input};

/// One run over the tree.
pub struct TreeJob<'a> {
    /// The contract files.
    pub contracts: &'a [PathBuf],
    /// The environment.
    pub profile: &'a Profile,
    /// CI's inputs.
    pub given: &'a Given,
    /// The output folder.
    pub out: &'a Path,
    /// Write, or only compare.
    pub access: Access,
    /// Take out the zave tenants the run does not render.
    pub prune: bool,
    /// Keep a unified diff of each difference.
    pub unified: bool,
    /// How findings are reported.
    pub format: Format,
    /// How long to wait for another run holding the tree.
    pub wait: Duration,
}

/// The tenants a run rendered and what it found or did, or the exit status it failed with
/// (having reported why, and changed nothing in the tree).
pub fn run(job: &TreeJob<'_>, progress: &ProgressBar) -> Result<(usize, Outcome), ExitCode> {
    let usage = |error: &dyn std::fmt::Display| {
        progress.suspend(|| eprintln!("zave: {error}"));
        ExitCode::from(EXIT_USAGE)
    };
    let mut waiting = || {
        progress.suspend(|| {
            eprintln!(
                "zave: waiting for another zave run to finish with {}",
                job.out.display()
            );
        });
    };
    let tree = Tree::open(job.out, job.access, job.wait, &mut waiting).map_err(|e| usage(&e))?;
    let run = Run::begin(&tree, job.profile).map_err(|e| usage(&e))?;
    let run = if job.unified {
        run.with_unified_diffs()
    } else {
        run
    };
    let options = ValidateOptions {
        strict: job.given.strict,
        profile: Some(job.profile),
    };
    // The set stage first, from small facts only: a contract the set refuses is not synced.
    let mut set = SetFindings::collect(job.contracts, options);
    let mut results = Vec::new();
    let (mut failed, mut unusable) = (false, false);
    let mut rendered = 0;
    let mut stderr = std::io::stderr().lock();
    for (number, chunk) in job.contracts.chunks(CHUNK).enumerate() {
        let base = number * CHUNK;
        let indexed: Vec<(usize, &PathBuf)> = chunk
            .iter()
            .enumerate()
            .map(|(offset, path)| (base + offset, path))
            .collect();
        let outcomes: Vec<_> = indexed
            .par_iter()
            .map(|&(position, path)| {
                let outcome = input::read(path).map(|input| {
                    // Only the report is kept: a chunk of whole renders would hold every object.
                    let synced = zave::validate(&input.bytes, options)
                        .map_err(SyncError::Contract)
                        .and_then(|checked| {
                            if set.refuses(position) {
                                // Reported with the set's findings below.
                                return Err(SyncError::Contract(Diagnostics(checked.findings)));
                            }
                            run.sync(checked, job.given)
                        })
                        .map(|tenant| (tenant.hash.to_string(), tenant.findings));
                    (input, synced)
                });
                progress.inc(1);
                outcome
            })
            .collect();
        for (offset, outcome) in outcomes.into_iter().enumerate() {
            let found = set.take(base + offset);
            let result = match outcome {
                Ok((input, Ok((hash, findings)))) => {
                    rendered += 1;
                    let mut result = FileResult::from_findings(input, true, Some(hash), findings);
                    result.add_findings(found);
                    result
                }
                Ok((input, Err(SyncError::Contract(diagnostics)))) => {
                    failed = true;
                    let mut result = FileResult::from_findings(input, false, None, diagnostics.0);
                    result.add_findings(found);
                    result
                }
                Ok((input, Err(SyncError::Duplicate(name)))) => {
                    // Two contracts of one set share a name: the set is invalid.
                    let message = format!("two contracts are named \"{name}\" ({})", input.name);
                    progress.suspend(|| eprintln!("zave: {message}"));
                    failed = true;
                    continue;
                }
                Ok((_, Err(SyncError::Tree(error)))) => {
                    progress.suspend(|| eprintln!("zave: {error}"));
                    unusable = true;
                    continue;
                }
                Err(error) => {
                    progress.suspend(|| eprintln!("zave: {error}"));
                    unusable = true;
                    continue;
                }
            };
            if job.format == Format::Json {
                results.push(result);
            } else if !result.is_quiet() {
                let text = report::render_findings(&result, job.format, false);
                progress.suspend(|| stderr.write_all(text.as_bytes()).ok());
            }
        }
    }
    if job.format == Format::Json {
        let _ = stderr.write_all(report::render(&results, Format::Json, false).as_bytes());
    }
    if unusable {
        return Err(ExitCode::from(EXIT_USAGE));
    }
    if failed {
        if job.format != Format::Json {
            let _ = writeln!(stderr, "zave: nothing was rendered: fix the errors above");
        }
        return Err(ExitCode::FAILURE);
    }
    drop(stderr);
    let outcome = run.finish(job.given, job.prune).map_err(|e| usage(&e))?;
    Ok((rendered, outcome))
}
