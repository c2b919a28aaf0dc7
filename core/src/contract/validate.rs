//! The validation pipeline: load, stage 1 (schema), stage 2 (compatibility), mutations.

use std::sync::OnceLock;

use serde_json::Value as Json;

use super::checked::{CheckedContract, DEFAULT_TIER};
use super::compat;
use super::hints::ContractHints;
use super::model::Contract;
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

/// Validates contract source text: every finding of the stage that failed, or the checked
/// contract with its warnings.
pub fn validate(source: &[u8], options: ValidateOptions) -> Result<CheckedContract, Diagnostics> {
    let document = document::load(source).map_err(|d| Diagnostics(vec![d]))?;
    validate_document(&document, options)
}

/// Validates an already loaded document (for inputs that are data rather than text, such as a
/// Python dict, whose nodes carry no positions).
///
/// Stage 2 runs whenever the typed model can be read (unknown keys aside), so a contract with
/// a typo and a reserved value shows both at once.
pub fn validate_document(
    document: &Node,
    options: ValidateOptions,
) -> Result<CheckedContract, Diagnostics> {
    let stage1 = schema::check(compiled_schema(), document, &ContractHints);
    let mut findings = stage1.findings;
    let mut json = document.to_json();
    for path in &stage1.unknown_keys {
        remove(&mut json, path);
    }
    match serde_json::from_value::<Contract>(json) {
        Ok(contract) => {
            findings.extend(compat::check(&contract, document));
            if findings.is_empty() {
                let default_tier = options
                    .profile
                    .map_or(DEFAULT_TIER, |p| p.spec.default_tier);
                let mut checked = CheckedContract::new(contract, document, default_tier);
                if let Some(profile) = options.profile {
                    let policy_findings = profile::apply_policy(&mut checked, document, profile);
                    checked.findings.extend(policy_findings);
                }
                finish(&mut checked.findings, options);
                if !checked.findings.iter().any(Diagnostic::is_error) {
                    return Ok(checked);
                }
                return Err(Diagnostics(checked.findings));
            }
        }
        Err(error) if findings.is_empty() => findings.push(Diagnostic::new(
            Code::WrongType,
            &Path::root(),
            Some(document.span),
            format!("the contract does not fit its model: {error}"),
        )),
        Err(_) => {}
    }
    finish(&mut findings, options);
    Err(Diagnostics(findings))
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
