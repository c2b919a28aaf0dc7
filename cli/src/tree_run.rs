//! Contracts against the GitOps tree in `--out`: the one run behind `render --out`,
//! `render --check` and `diff --out`. Contracts are read, rendered and compared in chunks, so
//! memory stays flat however many there are; writing, each differing tenant is staged beside
//! its place and swapped in only when every contract rendered and nothing refused.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use indicatif::ProgressBar;
use zave::{Profile, ValidateOptions};
use zave_tree::{Access, Given, Outcome, Run, SyncError, Tree};

use crate::args::Format;
use crate::render::{CHUNK, map_chunk};
use crate::report::FileResult;
use crate::run_report::RunReport;
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
    // One pass renders and stages every contract and keeps each valid one's set facts; the
    // set stage then runs over those. A run the set refuses finishes nothing, so what it
    // staged is discarded.
    let mut report = RunReport::default();
    let mut rendered = 0;
    for chunk in job.contracts.chunks(CHUNK) {
        let outcomes = map_chunk(chunk, |path| {
            let outcome = input::read(path).map(|input| {
                let validation = zave::validate_for_set(&input.bytes, options);
                let member = validation.member;
                // Only the report is kept: a chunk of whole renders would hold every object.
                let synced = validation
                    .outcome
                    .map_err(SyncError::Contract)
                    .and_then(|checked| run.sync(checked, job.given))
                    .map(|tenant| (tenant.hash.to_string(), tenant.findings));
                (input, member, synced)
            });
            progress.inc(1);
            outcome
        });
        for (path, outcome) in chunk.iter().zip(outcomes) {
            let (input, member, synced) = match outcome {
                Ok(found) => found,
                Err(error) => {
                    report.unreadable(path, error);
                    continue;
                }
            };
            let result = match synced {
                Ok((hash, findings)) => {
                    rendered += 1;
                    FileResult::from_findings(input, true, Some(hash), findings)
                }
                Err(SyncError::Contract(diagnostics)) => {
                    FileResult::from_findings(input, false, None, diagnostics.0)
                }
                // Two contracts of one set share a name: the set stage says so (Z401).
                Err(SyncError::Duplicate(_)) => {
                    FileResult::from_findings(input, false, None, Vec::new())
                }
                Err(SyncError::Tree(error)) => {
                    report.unusable(progress, &error);
                    FileResult::from_findings(input, false, None, Vec::new())
                }
            };
            report.push(result, member);
        }
    }
    report.finish(job.contracts.len(), options.strict, job.format, progress)?;
    let outcome = run.finish(job.given, job.prune).map_err(|e| usage(&e))?;
    Ok((rendered, outcome))
}
