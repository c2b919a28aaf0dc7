//! `zave review`: what a change of contracts does, in the platform's terms: per tenant the
//! contract-level changes, then which files of the rendered tree it adds, changes or removes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::contract::CheckedContract;
use crate::contract::model::{CapabilityName, Engine, Exposure, Runtime, Tier};
use crate::manifest::RenderedFile;
use crate::profile::Profile;
use crate::profile::model::{Quantities, Quota};

/// One contract-level change of a tenant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[allow(
    missing_docs,
    reason = "the fields say what they hold: `from` before the change, `to` after"
)]
pub enum Change {
    /// A new tenant: namespace, quota, workload and Application.
    TenantAdded,
    /// A tenant taken out (its tree pruned with `render --prune`).
    TenantRemoved,
    /// Reachable by more: the cluster's tenants, or the internet.
    ExposureWidened { from: Exposure, to: Exposure },
    /// Reachable by fewer.
    ExposureNarrowed { from: Exposure, to: Exposure },
    /// Another protocol at the same reach (HTTP and gRPC, none and async).
    ExposureChanged { from: Exposure, to: Exposure },
    /// New egress: to this workload's pods on `http` and `grpc`.
    DependencyAdded { workload: String },
    /// Egress to this workload withdrawn.
    DependencyRemoved { workload: String },
    /// A capability added (`tracing` also opens egress to the collector).
    CapabilityAdded { capability: CapabilityName },
    /// A capability removed.
    CapabilityRemoved { capability: CapabilityName },
    /// Another tier: the namespace quota and the container limits it implies.
    TierChanged {
        from: Tier,
        to: Tier,
        quota_from: Quota,
        quota_to: Quota,
        limits_from: Quantities,
        limits_to: Quantities,
    },
    /// Another database engine: the data does not move with it.
    EngineChanged {
        from: Option<Engine>,
        to: Option<Engine>,
        data_risk: bool,
    },
    /// Another runtime.
    RuntimeChanged { from: Runtime, to: Runtime },
}

/// One tenant's changes, in a fixed order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenantReview {
    /// The tenant.
    pub name: String,
    /// What changes.
    pub changes: Vec<Change>,
}

/// The files of the tree the change touches, each list sorted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileSummary {
    /// New files.
    pub added: Vec<String>,
    /// Files whose bytes differ.
    pub changed: Vec<String>,
    /// Files no longer rendered.
    pub removed: Vec<String>,
}

/// A review: the tenants that change, by name, then the files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// The profile both sides were rendered under.
    pub profile: String,
    /// Tenants with at least one change.
    pub tenants: Vec<TenantReview>,
    /// The file-level summary, as `render --check` would list it.
    pub files: FileSummary,
}

/// One side of a review: the contracts and the tree they render.
pub struct Side<'a> {
    /// The valid contracts.
    pub contracts: &'a [CheckedContract],
    /// Their rendered files, index included.
    pub files: &'a [RenderedFile],
}

/// The review of going from `base` to `head` under `profile`.
pub fn review(base: &Side<'_>, head: &Side<'_>, profile: &Profile) -> Review {
    let by_name = |side: &Side<'_>| -> BTreeMap<String, CheckedContract> {
        side.contracts
            .iter()
            .map(|contract| (contract.name.clone(), contract.clone()))
            .collect()
    };
    let (before, after) = (by_name(base), by_name(head));
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    let tenants = names
        .into_iter()
        .filter_map(|name| {
            let changes = match (before.get(name), after.get(name)) {
                (None, Some(_)) => vec![Change::TenantAdded],
                (Some(_), None) => vec![Change::TenantRemoved],
                (Some(old), Some(new)) => changes(old, new, profile),
                (None, None) => Vec::new(),
            };
            (!changes.is_empty()).then(|| TenantReview {
                name: name.clone(),
                changes,
            })
        })
        .collect();
    Review {
        profile: profile.name().to_owned(),
        tenants,
        files: files(base.files, head.files),
    }
}

/// How far an exposure reaches: nothing, the cluster's tenants, the internet.
fn reach(exposure: Exposure) -> u8 {
    match exposure {
        Exposure::PublicHttp => 2,
        Exposure::InternalHttp | Exposure::Grpc => 1,
        _ => 0,
    }
}

fn changes(old: &CheckedContract, new: &CheckedContract, profile: &Profile) -> Vec<Change> {
    let mut changes = Vec::new();
    if old.runtime != new.runtime {
        changes.push(Change::RuntimeChanged {
            from: old.runtime,
            to: new.runtime,
        });
    }
    let (from, to) = (old.exposure, new.exposure);
    if from != to {
        changes.push(match reach(to).cmp(&reach(from)) {
            std::cmp::Ordering::Greater => Change::ExposureWidened { from, to },
            std::cmp::Ordering::Less => Change::ExposureNarrowed { from, to },
            std::cmp::Ordering::Equal => Change::ExposureChanged { from, to },
        });
    }
    for workload in added(&old.dependencies, &new.dependencies) {
        changes.push(Change::DependencyAdded { workload });
    }
    for workload in added(&new.dependencies, &old.dependencies) {
        changes.push(Change::DependencyRemoved { workload });
    }
    if old.tier != new.tier {
        let tiers = &profile.spec.tiers;
        let (was, is) = (tiers.settings(old.tier), tiers.settings(new.tier));
        changes.push(Change::TierChanged {
            from: old.tier,
            to: new.tier,
            quota_from: was.quota.clone(),
            quota_to: is.quota.clone(),
            limits_from: was.limits.clone(),
            limits_to: is.limits.clone(),
        });
    }
    for capability in added(&old.capabilities, &new.capabilities) {
        changes.push(Change::CapabilityAdded { capability });
    }
    for capability in added(&new.capabilities, &old.capabilities) {
        changes.push(Change::CapabilityRemoved { capability });
    }
    if old.engine != new.engine {
        changes.push(Change::EngineChanged {
            from: old.engine,
            to: new.engine,
            // A tenant that had data loses access to it: nothing migrates between engines.
            data_risk: old.engine.is_some(),
        });
    }
    changes
}

/// The items of `new` not in `old`, in `new`'s order.
fn added<T: PartialEq + Clone>(old: &[T], new: &[T]) -> Vec<T> {
    new.iter()
        .filter(|item| !old.contains(item))
        .cloned()
        .collect()
}

fn files(base: &[RenderedFile], head: &[RenderedFile]) -> FileSummary {
    let content = |files: &[RenderedFile]| -> BTreeMap<String, String> {
        files
            .iter()
            .map(|file| (file.path.clone(), file.content.clone()))
            .collect()
    };
    let (before, after) = (content(base), content(head));
    let mut summary = FileSummary::default();
    for (path, text) in &after {
        match before.get(path) {
            None => summary.added.push(path.clone()),
            Some(old) if old != text => summary.changed.push(path.clone()),
            Some(_) => {}
        }
    }
    summary.removed = before
        .keys()
        .filter(|path| !after.contains_key(*path))
        .cloned()
        .collect();
    summary
}

impl Review {
    /// The review as Markdown for a pull request comment.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("## zave review (profile `{}`)\n\n", self.profile);
        if self.tenants.is_empty() {
            out.push_str("No contract-level change.\n\n");
        }
        for tenant in &self.tenants {
            out.push_str(&format!("### `{}`\n\n", tenant.name));
            for change in &tenant.changes {
                out.push_str(&format!("- {}\n", describe(change)));
            }
            out.push('\n');
        }
        let files = &self.files;
        out.push_str(&format!(
            "### Files\n\n{} added, {} changed, {} removed.\n",
            files.added.len(),
            files.changed.len(),
            files.removed.len()
        ));
        let lists = [
            ("added", &files.added),
            ("changed", &files.changed),
            ("removed", &files.removed),
        ];
        if lists.iter().any(|(_, paths)| !paths.is_empty()) {
            // Folded: a changed tenant changes every file (its contract hash is on each).
            out.push_str("\n<details><summary>Every file</summary>\n\n");
            for (word, paths) in lists {
                for path in paths {
                    out.push_str(&format!("- {word} `{path}`\n"));
                }
            }
            out.push_str("\n</details>\n");
        }
        out
    }
}

fn engine(engine: Option<Engine>) -> &'static str {
    engine.map_or("no database", Engine::as_str)
}

fn describe(change: &Change) -> String {
    match change {
        Change::TenantAdded => "**new tenant**: namespace, quota, workload and Application".into(),
        Change::TenantRemoved => "**tenant removed**: its tree goes with `render --prune`".into(),
        Change::ExposureWidened { from, to } => {
            format!("**exposure widened**: `{from}` → `{to}`")
        }
        Change::ExposureNarrowed { from, to } => format!("exposure narrowed: `{from}` → `{to}`"),
        Change::ExposureChanged { from, to } => format!("exposure changed: `{from}` → `{to}`"),
        Change::DependencyAdded { workload } => {
            format!("**new egress**: calls `{workload}` (its pods, ports `http` and `grpc`)")
        }
        Change::DependencyRemoved { workload } => format!("egress to `{workload}` withdrawn"),
        Change::CapabilityAdded { capability } => format!("capability added: `{capability}`"),
        Change::CapabilityRemoved { capability } => {
            format!("capability removed: `{capability}`")
        }
        Change::TierChanged {
            from,
            to,
            quota_from,
            quota_to,
            limits_from,
            limits_to,
        } => format!(
            "tier `{from}` → `{to}`: namespace quota {} CPU / {} memory / {} pods → {} / {} / {}; \
             container limits {} / {} → {} / {}",
            quota_from.cpu,
            quota_from.memory,
            quota_from.pods,
            quota_to.cpu,
            quota_to.memory,
            quota_to.pods,
            limits_from.cpu,
            limits_from.memory,
            limits_to.cpu,
            limits_to.memory
        ),
        Change::EngineChanged {
            from,
            to,
            data_risk,
        } => format!(
            "{}database `{}` → `{}`{}",
            if *data_risk { "**data risk**: " } else { "" },
            engine(*from),
            engine(*to),
            if *data_risk {
                " (nothing migrates: the new database starts empty)"
            } else {
                ""
            }
        ),
        Change::RuntimeChanged { from, to } => format!("runtime `{from}` → `{to}`"),
    }
}
