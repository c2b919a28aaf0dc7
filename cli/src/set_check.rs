//! The set stage (Z4xx) of a run over several contracts: a first cheap pass keeps only each
//! valid contract's [`SetMember`] (name, exposure, dependencies), so memory stays flat, and
//! the core's `check_set` finds what only the set shows. One contract alone is not a set.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use zave::{Diagnostic, SetMember, ValidateOptions};

use crate::input;
use crate::render::CHUNK;

/// The set findings of a run, by the contract's position among the inputs.
#[derive(Debug, Default)]
pub struct SetFindings(BTreeMap<usize, Vec<Diagnostic>>);

impl SetFindings {
    /// Checks the set of `members`, each with its position among the inputs (the invalid
    /// ones left out), when there are at least two inputs.
    pub fn of(inputs: usize, members: Vec<(usize, SetMember)>, strict: bool) -> SetFindings {
        if inputs < 2 {
            return SetFindings::default();
        }
        let (positions, members): (Vec<usize>, Vec<SetMember>) = members.into_iter().unzip();
        let mut found: BTreeMap<usize, Vec<Diagnostic>> = BTreeMap::new();
        for (index, finding) in zave::check_set(&members, strict) {
            if let Some(&position) = positions.get(index) {
                found.entry(position).or_default().push(finding);
            }
        }
        SetFindings(found)
    }

    /// Reads and validates every contract file (unreadable or invalid ones are left to the
    /// run that follows to report) and checks the set.
    pub fn collect(paths: &[PathBuf], options: ValidateOptions) -> SetFindings {
        if paths.len() < 2 {
            return SetFindings::default();
        }
        let mut members = Vec::new();
        for (number, chunk) in paths.chunks(CHUNK).enumerate() {
            let base = number * CHUNK;
            let found: Vec<Option<(usize, SetMember)>> = chunk
                .par_iter()
                .enumerate()
                .map(|(offset, path)| {
                    let input = input::read(path).ok()?;
                    let checked = zave::validate(&input.bytes, options).ok()?;
                    Some((base + offset, SetMember::of(&checked)))
                })
                .collect();
            members.extend(found.into_iter().flatten());
        }
        SetFindings::of(paths.len(), members, options.strict)
    }

    /// The findings of the input at `position`, taken out of the set.
    pub fn take(&mut self, position: usize) -> Vec<Diagnostic> {
        self.0.remove(&position).unwrap_or_default()
    }

    /// Whether the input at `position` has a set finding that is an error.
    pub fn refuses(&self, position: usize) -> bool {
        self.0
            .get(&position)
            .is_some_and(|found| found.iter().any(Diagnostic::is_error))
    }
}
