//! The report of a run over many contracts (`render`, `render --out`, `diff --out`): each
//! file's findings kept in input order until the set stage has run over the valid ones, then
//! written to standard error, and the run's verdict.

use std::io::Write;
use std::process::ExitCode;

use indicatif::ProgressBar;
use zave::{Diagnostic, SetCheck, SetMember};

use crate::EXIT_USAGE;
use crate::args::Format;
use crate::report::{self, FileResult};

/// What a run has found so far.
#[derive(Debug, Default)]
pub struct RunReport {
    results: Vec<FileResult>,
    set: SetCheck,
    unusable: bool,
}

impl RunReport {
    /// Records the next file's outcome, with its set facts when it is a valid contract.
    pub fn push(&mut self, result: FileResult, member: Option<SetMember>) {
        if let Some(member) = member {
            self.set.add(self.results.len(), member);
        }
        self.results.push(result);
    }

    /// Records an input that could not be read: reported in its place among the files (and
    /// in the JSON document), and the run ends with exit status 2.
    pub fn unreadable(&mut self, path: &std::path::Path, error: String) {
        self.results.push(FileResult::unreadable(path, error));
        self.unusable = true;
    }

    /// Says (on standard error) why an input or the tree could not be used: the run ends
    /// with exit status 2.
    pub fn unusable(&mut self, progress: &ProgressBar, message: &dyn std::fmt::Display) {
        progress.suspend(|| eprintln!("zave: {message}"));
        self.unusable = true;
    }

    /// Runs the set stage over the run's `inputs` contracts, reports every file in input
    /// order (one JSON document with `--format json`), and gives the exit status when the run
    /// must stop: 2 for an unusable input, 1 when any contract or the set is refused.
    pub fn finish(
        mut self,
        inputs: usize,
        strict: bool,
        format: Format,
        progress: &ProgressBar,
    ) -> Result<(), ExitCode> {
        let mut found = std::mem::take(&mut self.set).findings(inputs, strict);
        let mut stderr = std::io::stderr().lock();
        let mut refused = false;
        for (position, result) in self.results.iter_mut().enumerate() {
            let set = found.take(position);
            refused |= set.iter().any(Diagnostic::is_error);
            result.add_findings(set);
            refused |= !result.valid();
            if format != Format::Json && !result.is_quiet() {
                let text = report::render_findings(result, format, false);
                progress.suspend(|| stderr.write_all(text.as_bytes()).ok());
            }
        }
        if format == Format::Json {
            let _ = stderr.write_all(report::render(&self.results, Format::Json, false).as_bytes());
        }
        if self.unusable {
            return Err(ExitCode::from(EXIT_USAGE));
        }
        if refused {
            // With --format json standard error stays one JSON document; the exit status says it.
            if format != Format::Json {
                let _ = writeln!(stderr, "zave: nothing was rendered: fix the errors above");
            }
            return Err(ExitCode::FAILURE);
        }
        Ok(())
    }
}
