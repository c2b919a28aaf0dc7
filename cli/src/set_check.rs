//! The set stage (Z4xx) of a run over several contracts: the run keeps only each valid
//! contract's [`SetMember`] (name, exposure, dependencies), and the core's `check_set` finds
//! what only the set shows. One contract alone is not a set.

use std::collections::BTreeMap;

use zave::{Diagnostic, SetMember};

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

    /// The findings of the input at `position`, taken out of the set.
    pub fn take(&mut self, position: usize) -> Vec<Diagnostic> {
        self.0.remove(&position).unwrap_or_default()
    }
}
