//! Stage 4, the set: findings about contracts validated or rendered together (duplicate names,
//! dependencies nobody can answer, dependencies outside the set).

use std::collections::BTreeMap;

use super::checked::{CheckedContract, SetSpans};
use super::left_out::LeftOut;
use super::model::Exposure;
use crate::diagnostic::{self, Code, Diagnostic, Severity};
use crate::document::Path;

/// What the set check needs of one checked contract: its name, exposure and dependencies, with
/// their positions. Small, so a run over many contracts can keep one per contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetMember {
    name: String,
    /// `None` when the contract's exposure was refused: whether it can be called is unknown.
    exposure: Option<Exposure>,
    dependencies: Vec<String>,
    spans: SetSpans,
}

impl SetMember {
    /// The facts of `checked` the set check reads.
    pub fn of(checked: &CheckedContract) -> SetMember {
        SetMember {
            name: checked.name.clone(),
            exposure: Some(checked.exposure),
            dependencies: checked.dependencies.clone(),
            spans: checked.spans.clone(),
        }
    }

    /// The facts of a contract stage 1 may have refused in part: none without a valid name,
    /// and only the exposure and dependencies that are valid.
    pub(crate) fn valid_part(checked: &CheckedContract, left_out: &LeftOut) -> Option<SetMember> {
        if left_out.contains("metadata.name") || left_out.contains("metadata") {
            return None;
        }
        let mut member = SetMember::of(checked);
        if left_out.contains("spec") || left_out.contains("spec.exposure") {
            member.exposure = None;
        }
        if left_out.contains("spec") || left_out.contains("spec.dependencies") {
            member.dependencies.clear();
            member.spans.dependencies.clear();
        }
        Some(member)
    }

    /// The contract's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The set stage of a run, gathered as its contracts are checked: each valid contract's facts
/// by its position among the run's inputs. One contract alone is not a set, so a run of one
/// input finds nothing (a dependency on a tenant the tree holds is the normal case then).
#[derive(Debug, Clone, Default)]
pub struct SetCheck {
    members: Vec<(usize, SetMember)>,
}

impl SetCheck {
    /// Adds the facts of the valid contract at `position` among the inputs.
    pub fn add(&mut self, position: usize, member: SetMember) {
        self.members.push((position, member));
    }

    /// What the set shows, by position, for a run of `inputs` contracts.
    pub fn findings(mut self, inputs: usize, strict: bool) -> SetFindings {
        let mut found: BTreeMap<usize, Vec<Diagnostic>> = BTreeMap::new();
        if inputs < 2 {
            return SetFindings(found);
        }
        self.members.sort_by_key(|(position, _)| *position);
        let (positions, members): (Vec<usize>, Vec<SetMember>) = self.members.into_iter().unzip();
        for (index, finding) in check_set(&members, strict) {
            if let Some(&position) = positions.get(index) {
                found.entry(position).or_default().push(finding);
            }
        }
        SetFindings(found)
    }
}

/// The set stage's findings of a run, by the contract's position among its inputs.
#[derive(Debug, Clone, Default)]
pub struct SetFindings(BTreeMap<usize, Vec<Diagnostic>>);

impl SetFindings {
    /// The findings of the input at `position`, taken out.
    pub fn take(&mut self, position: usize) -> Vec<Diagnostic> {
        self.0.remove(&position).unwrap_or_default()
    }
}

/// Whether other tenants can call a workload of this exposure (it has a Service and allows
/// ingress from tenant namespaces).
pub fn is_callable(exposure: Exposure) -> bool {
    matches!(exposure, Exposure::InternalHttp | Exposure::Grpc)
}

/// Every finding about a set of contracts, as the index of the member it belongs to and the
/// finding, by index then source position. Z401 is on the later of two contracts with one
/// name; Z402 (error) and Z403 (warning, an error when `strict`) on the dependency entry.
pub fn check_set(members: &[SetMember], strict: bool) -> Vec<(usize, Diagnostic)> {
    let mut first_named: BTreeMap<&str, usize> = BTreeMap::new();
    let mut findings = Vec::new();
    for (index, member) in members.iter().enumerate() {
        if first_named.contains_key(member.name.as_str()) {
            let path = Path::root().key("metadata").key("name");
            findings.push((
                index,
                Diagnostic::new(
                    Code::DuplicateName,
                    &path,
                    member.spans.name,
                    format!(
                        "another contract of this set is already named \"{}\"",
                        member.name
                    ),
                )
                .with_help("rename one of the two: each tenant needs a name of its own"),
            ));
        } else {
            first_named.insert(&member.name, index);
        }
    }
    for (index, member) in members.iter().enumerate() {
        let mut own = Vec::new();
        for (position, workload) in member.dependencies.iter().enumerate() {
            let path = Path::root()
                .key("spec")
                .key("dependencies")
                .index(position)
                .key("workload");
            let span = member.spans.dependencies.get(position).copied().flatten();
            match first_named.get(workload.as_str()).map(|&i| &members[i]) {
                Some(SetMember {
                    exposure: Some(exposure),
                    ..
                }) if !is_callable(*exposure) => own.push(
                    Diagnostic::new(
                        Code::UncallableDependency,
                        &path,
                        span,
                        format!(
                            "workload \"{workload}\" cannot be called by other tenants: its exposure is \"{exposure}\""
                        ),
                    )
                    .with_help(format!(
                        "give \"{workload}\" exposure \"internal-http\" or \"grpc\", or remove this dependency"
                    )),
                ),
                Some(_) => {}
                None => {
                    let mut finding = Diagnostic::new(
                        Code::DependencyOutsideSet,
                        &path,
                        span,
                        format!("workload \"{workload}\" is not among the contracts given"),
                    )
                    .with_help(format!(
                        "give \"{workload}\"'s contract too, or make sure the tree already holds it"
                    ));
                    if strict {
                        finding.severity = Severity::Error;
                    }
                    own.push(finding);
                }
            }
        }
        diagnostic::sort(&mut own);
        findings.extend(own.into_iter().map(|finding| (index, finding)));
    }
    findings.sort_by_key(|(index, _)| *index);
    findings
}
