//! The validation pipeline: load, then every stage over what the one before left valid.

use std::sync::OnceLock;

use serde_json::Value as Json;

use super::checked::{CheckedContract, DEFAULT_TIER};
use super::compat;
use super::hints::ContractHints;
use super::left_out::LeftOut;
use super::model::Contract;
use super::set::SetMember;
use crate::diagnostic::{self, Code, Diagnostic, Diagnostics, Severity};
use crate::document::{self, Node, Path, PathSegment};
use crate::profile::{self, Profile};
use crate::schema::{self, CompiledSchema};

/// How to validate: strictly or not, and against which environment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValidateOptions<'p> {
    /// Turn warnings (mutations) into errors.
    pub strict: bool,
    /// The environment whose policy applies (stage 3) and whose default tier fills a missing
    /// one; without it, stages 1 and 2 run and the tier defaults to `standard`.
    pub profile: Option<&'p Profile>,
}

/// The JSON Schema of the contract, as published in `schemas/contract.schema.json`.
pub fn contract_schema() -> &'static Json {
    compiled_schema().json()
}

/// The contract schema, compiled once.
pub(crate) fn compiled_schema() -> &'static CompiledSchema {
    static SCHEMA: OnceLock<CompiledSchema> = OnceLock::new();
    SCHEMA.get_or_init(CompiledSchema::of::<Contract>)
}

/// Validates contract source text: every finding of every stage, or the checked contract
/// with its warnings.
pub fn validate(source: &[u8], options: ValidateOptions) -> Result<CheckedContract, Diagnostics> {
    validate_for_set(source, options).outcome
}

/// The outcome of validating one contract of a set, and what the set stage can read of it.
#[derive(Debug)]
pub struct Validation {
    /// The checked contract with its warnings, or every finding that refuses it.
    pub outcome: Result<CheckedContract, Diagnostics>,
    /// The contract's facts for the set stage, as far as they are valid: a refused contract
    /// with a valid name still takes part (its other refused facts left out).
    pub member: Option<SetMember>,
}

/// Validates contract source text that is one of a set: the outcome, and the facts the set
/// stage reads, also of a refused contract.
pub fn validate_for_set(source: &[u8], options: ValidateOptions) -> Validation {
    match document::load(source) {
        Ok(document) => run_stages(&document, options),
        Err(diagnostic) => Validation {
            outcome: Err(Diagnostics(vec![diagnostic])),
            member: None,
        },
    }
}

/// Validates an already loaded document (for inputs that are data rather than text, such as a
/// Python dict, whose nodes carry no positions).
pub fn validate_document(
    document: &Node,
    options: ValidateOptions,
) -> Result<CheckedContract, Diagnostics> {
    run_stages(document, options).outcome
}

/// Every stage over the document (SPEC §2): stage 1 over all of it, stages 2 and 3 over
/// what stage 1 left valid, so one run shows everything to fix.
fn run_stages(document: &Node, options: ValidateOptions) -> Validation {
    let stage1 = schema::check(compiled_schema(), document, &ContractHints);
    let left_out = LeftOut::of(&stage1.findings);
    let mut findings = stage1.findings;
    let refused = |mut findings: Vec<Diagnostic>| {
        finish(&mut findings, options);
        Validation {
            outcome: Err(Diagnostics(findings)),
            member: None,
        }
    };
    if left_out.everything() {
        return refused(findings);
    }
    let mut json = document.to_json();
    for path in &stage1.unknown_keys {
        remove(&mut json, path);
    }
    left_out.apply(&mut json);
    let contract = match serde_json::from_value::<Contract>(json) {
        Ok(contract) => contract,
        Err(error) => {
            if findings.is_empty() {
                findings.push(Diagnostic::new(
                    Code::WrongType,
                    &Path::root(),
                    Some(document.span),
                    format!("the contract does not fit its model: {error}"),
                ));
            }
            return refused(findings);
        }
    };
    let mut later = compat::check(&contract, document);
    let default_tier = options
        .profile
        .map_or(DEFAULT_TIER, |p| p.spec.default_tier);
    let mut checked = CheckedContract::new(contract, document, default_tier);
    later.append(&mut checked.findings);
    if let Some(profile) = options.profile {
        // A value stage 2 refused is already wrong: the profile's word on it adds nothing.
        let refused: Vec<String> = later
            .iter()
            .filter(|finding| finding.is_error())
            .map(|finding| finding.path.clone())
            .collect();
        let policy = profile::apply_policy(&mut checked, document, profile);
        later.extend(
            policy
                .into_iter()
                .filter(|finding| !refused.contains(&finding.path)),
        );
    }
    later.retain(|finding| !left_out.covers(finding));
    findings.extend(later);
    finish(&mut findings, options);
    let member = SetMember::valid_part(&checked, &left_out);
    if findings.iter().any(Diagnostic::is_error) {
        // A refused contract renders nothing, so no default is applied: a mutation is only
        // worth reporting when it is itself an error to fix (strict).
        findings.retain(|finding| finding.is_error() || finding.code.stage() != "mutation");
        return Validation {
            outcome: Err(Diagnostics(findings)),
            member,
        };
    }
    checked.findings = findings;
    Validation {
        outcome: Ok(checked),
        member,
    }
}

/// Removes the key at `path` from a JSON document.
fn remove(json: &mut Json, path: &Path) {
    let Some((PathSegment::Key(last), parents)) = path.segments().split_last() else {
        return;
    };
    let mut node = json;
    for segment in parents {
        let next = match segment {
            PathSegment::Key(key) => node.get_mut(key.as_str()),
            PathSegment::Index(index) => node.get_mut(*index),
        };
        match next {
            Some(next) => node = next,
            None => return,
        }
    }
    if let Some(object) = node.as_object_mut() {
        object.remove(last);
    }
}

/// Applies strict mode and sorts by position.
fn finish(findings: &mut [Diagnostic], options: ValidateOptions) {
    if options.strict {
        for finding in findings.iter_mut() {
            finding.severity = Severity::Error;
        }
    }
    diagnostic::sort(findings);
}
