//! A contract that passed validation: its effective values, with every default recorded.

use super::hash::ContractHash;
use super::model::{
    BuildMode, CapabilityName, Contract, Delivery, Engine, Exposure, Runtime, Tier,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Node, Path, Span};

/// The tier used when neither the contract nor a profile names one.
pub const DEFAULT_TIER: Tier = Tier::Standard;
/// The Dockerfile used when the contract names none.
pub const DEFAULT_DOCKERFILE: &str = "Dockerfile";

/// A valid contract with every default applied; the input of a render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedContract {
    /// The contract as written.
    pub written: Contract,
    /// `sha256:` of the contract's canonical JSON, as written.
    pub hash: ContractHash,
    /// `metadata.name`.
    pub name: String,
    /// How the workload runs.
    pub runtime: Runtime,
    /// How it is reached.
    pub exposure: Exposure,
    /// How it rolls out (`rolling` when missing, W001).
    pub delivery: Delivery,
    /// How its image is built.
    pub build_mode: BuildMode,
    /// Its Dockerfile, relative to the repository root.
    pub dockerfile_path: String,
    /// Its database engine; `None` for no persistence (or engine `none`).
    pub engine: Option<Engine>,
    /// Its migration command (`spec.persistence.migrations.command`), when it has one.
    pub migrations: Option<Vec<String>>,
    /// Its capabilities, in contract order.
    pub capabilities: Vec<CapabilityName>,
    /// Its resource tier (the default tier when missing, W002).
    pub tier: Tier,
    /// The workloads it calls (`spec.dependencies`), in contract order.
    pub dependencies: Vec<String>,
    /// Warnings and mutations found while checking, sorted by position.
    pub findings: Vec<Diagnostic>,
    /// Where `metadata.name` and each dependency are in the source, for findings about a set.
    pub(crate) spans: SetSpans,
}

/// The source spans findings about a set of contracts point at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SetSpans {
    /// `metadata.name`.
    pub name: Option<Span>,
    /// `spec.dependencies[i].workload`, in contract order.
    pub dependencies: Vec<Option<Span>>,
}

impl CheckedContract {
    /// Applies defaults to a contract that passed stages 1 and 2, recording each as a mutation.
    pub(crate) fn new(written: Contract, document: &Node, default_tier: Tier) -> CheckedContract {
        let spec = &written.spec;
        let mut findings = Vec::new();
        let delivery = spec.delivery.unwrap_or_else(|| {
            let path = Path::root().key("spec").key("delivery");
            findings.push(
                Diagnostic::new(
                    Code::DeliveryDefaulted,
                    &path,
                    Some(document.span_for(&path)),
                    "missing; zave uses \"rolling\"",
                )
                .with_help("write `delivery: rolling` under spec to make it explicit"),
            );
            Delivery::Rolling
        });
        let tier = spec
            .resources
            .as_ref()
            .and_then(|r| r.tier)
            .unwrap_or_else(|| {
                let path = Path::root().key("spec").key("resources").key("tier");
                findings.push(
                    Diagnostic::new(
                        Code::TierDefaulted,
                        &path,
                        Some(document.span_for(&path)),
                        format!("missing; zave uses the default tier \"{default_tier}\""),
                    )
                    .with_help(format!(
                        "write `resources: {{tier: {default_tier}}}` under spec to make it explicit"
                    )),
                );
                default_tier
            });
        let build = spec.build.as_ref();
        let dependencies: Vec<String> = spec
            .dependencies
            .iter()
            .flatten()
            .map(|d| d.workload.clone())
            .collect();
        let dependency_path = |index: usize| {
            Path::root()
                .key("spec")
                .key("dependencies")
                .index(index)
                .key("workload")
        };
        let spans = SetSpans {
            name: Some(document.span_for(&Path::root().key("metadata").key("name"))),
            dependencies: (0..dependencies.len())
                .map(|index| Some(document.span_for(&dependency_path(index))))
                .collect(),
        };
        CheckedContract {
            hash: ContractHash::of(document),
            name: written.metadata.name.clone(),
            runtime: spec.runtime,
            exposure: spec.exposure,
            delivery,
            build_mode: build.and_then(|b| b.mode).unwrap_or(BuildMode::Dockerfile),
            dockerfile_path: build
                .and_then(|b| b.dockerfile_path.clone())
                .unwrap_or_else(|| DEFAULT_DOCKERFILE.to_owned()),
            engine: spec
                .persistence
                .as_ref()
                .map(|p| p.engine)
                .filter(|e| *e != Engine::None),
            migrations: spec
                .persistence
                .as_ref()
                .and_then(|p| p.migrations.as_ref())
                .map(|m| m.command.clone()),
            capabilities: spec.capabilities.iter().flatten().map(|c| c.name).collect(),
            tier,
            dependencies,
            findings,
            spans,
            written,
        }
    }
}
