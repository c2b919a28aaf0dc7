//! The GitOps tree on disk: one run of the tree crate, the same run as the CLI's
//! `zave render --out` (writing) and `--check` (comparing). Every rule (the path rule, links,
//! zave's header, the index, pruning, the staged swap) is the tree crate's; this converts the
//! arguments and the outcome.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use zave::{Diagnostic, Diagnostics, Profile, SetCheck, SetMember, TextStyle, ValidateOptions};
use zave_tree::{Access, Given, Outcome, Run, SyncError, Tree, TreeError};

use crate::source::Source;
use crate::{NativeProfile, Refusal, findings_json};

/// What a run found or did: each difference as `(change, path)`, sorted by path, and how many
/// zave tenants the tree holds after it.
type Found = (Vec<(&'static str, String)>, usize);

/// A refusal of the tree: the tree crate's message, and the OS error number when the
/// operating system refused.
type TreeRefusal = (String, Option<i32>);

/// Why a run changed nothing.
enum Failed {
    /// Contracts that do not render, or two contracts of one name: every finding in input
    /// order, and the text of each refused contract.
    Contracts(Vec<Diagnostic>, Vec<String>),
    /// The tree refused.
    Tree(TreeError),
}

/// One run over the tree at `out`: `(found, None, None)`, or `(None, refusal, None)` when
/// contracts are refused, or `(None, None, tree_refusal)` when the tree refuses. Nothing in
/// the tree changes unless every contract renders and nothing refuses. The GIL is released
/// for the whole run.
#[pyfunction]
#[pyo3(signature = (out, write, sources, profile, images, versions, bundle, strict, prune, wait))]
#[allow(
    clippy::too_many_arguments,
    reason = "mirrors the keyword arguments of zave.write_tree"
)]
pub fn tree_run(
    py: Python<'_>,
    out: PathBuf,
    write: bool,
    sources: Vec<(Bound<'_, PyAny>, String)>,
    profile: &NativeProfile,
    images: BTreeMap<String, String>,
    versions: BTreeMap<String, String>,
    bundle: Option<String>,
    strict: bool,
    prune: bool,
    wait: f64,
) -> PyResult<(Option<Found>, Option<Refusal>, Option<TreeRefusal>)> {
    let wait = Duration::try_from_secs_f64(wait)
        .map_err(|_| PyValueError::new_err(format!("wait is a number of seconds; got {wait}")))?;
    let sources = sources
        .iter()
        .map(|(source, file_name)| Ok((Source::extract(source)?, file_name.as_str())))
        .collect::<PyResult<Vec<_>>>()?;
    let given = Given {
        images,
        versions,
        bundle,
        strict,
        ..Given::default()
    };
    let access = if write { Access::Write } else { Access::Check };
    let profile = profile.profile.as_ref();
    let outcome = py.detach(|| run(&out, access, &sources, profile, &given, prune, wait));
    Ok(match outcome {
        Ok(outcome) => {
            let differences = outcome
                .differences
                .into_iter()
                .map(|difference| (difference.change.as_str(), difference.path))
                .collect();
            (Some((differences, outcome.tenants)), None, None)
        }
        Err(Failed::Contracts(findings, texts)) => (
            None,
            Some((findings_json(&findings), texts.join("\n"))),
            None,
        ),
        Err(Failed::Tree(error)) => {
            let errno = match &error {
                TreeError::Io { source, .. } => source.raw_os_error(),
                _ => None,
            };
            (None, None, Some((error.to_string(), errno)))
        }
    })
}

/// The run of `cli/src/tree_run.rs`, one contract after another: each valid contract is
/// rendered and staged and its set facts kept; then the set stage runs. A tree refusal ends it
/// at once; refused contracts are all reported, and then nothing is finished.
fn run(
    out: &Path,
    access: Access,
    sources: &[(Source<'_>, &str)],
    profile: &Profile,
    given: &Given,
    prune: bool,
    wait: Duration,
) -> Result<Outcome, Failed> {
    let tree = Tree::open(out, access, wait, &mut || {}).map_err(Failed::Tree)?;
    let run = Run::begin(&tree, profile).map_err(Failed::Tree)?;
    let options = ValidateOptions {
        strict: given.strict,
        profile: Some(profile),
    };
    let mut set = SetCheck::default();
    // Each contract's own findings (a report, or why it was refused) and whether it was.
    let mut outcomes: Vec<(Vec<Diagnostic>, bool)> = Vec::with_capacity(sources.len());
    for (position, (source, _)) in sources.iter().enumerate() {
        let synced = source
            .validate(options)
            .map_err(SyncError::Contract)
            .and_then(|checked| {
                set.add(position, SetMember::of(&checked));
                run.sync(checked, given)
            });
        outcomes.push(match synced {
            Ok(rendered) => (rendered.findings, false),
            Err(SyncError::Contract(Diagnostics(findings))) => (findings, true),
            // Two contracts of one set share a name: the set stage says so (Z401).
            Err(SyncError::Duplicate(_)) => (Vec::new(), true),
            Err(SyncError::Tree(error)) => return Err(Failed::Tree(error)),
        });
    }
    let mut found = set.findings(sources.len(), given.strict);
    let mut findings = Vec::new();
    let mut texts = Vec::new();
    for (position, ((source, file_name), (mut own, refused))) in
        sources.iter().zip(outcomes).enumerate()
    {
        let from_set = found.take(position);
        if !refused && !from_set.iter().any(Diagnostic::is_error) {
            continue;
        }
        own.extend(from_set);
        zave::diagnostic::sort(&mut own);
        let text = source.text();
        let own = Diagnostics(own);
        texts.push(own.to_text(file_name, text.as_deref(), TextStyle::Plain));
        findings.extend(own.0);
    }
    if !texts.is_empty() {
        return Err(Failed::Contracts(findings, texts));
    }
    run.finish(given, prune).map_err(Failed::Tree)
}
