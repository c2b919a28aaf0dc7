//! Stage 3, environment policy: what a profile allows, the names it reserves, and the
//! capabilities it injects.

use super::Profile;
use crate::contract::CheckedContract;
use crate::contract::model::{CapabilityName, Engine, Runtime};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Node, Path};

/// Checks `checked` against the profile's policy and injects the capabilities it requires
/// (W003). Returns every finding.
pub fn apply(checked: &mut CheckedContract, document: &Node, profile: &Profile) -> Vec<Diagnostic> {
    let policy = &profile.spec.policy;
    let name = profile.name();
    let spec = Path::root().key("spec");
    let mut findings = super::reserved::check_tenant(&checked.name, document, profile);
    let at = |path: &Path| Some(document.span_for(path));
    let join = |values: Vec<&str>| values.join(", ");

    if !policy.exposures.contains(&checked.exposure) {
        let path = spec.key("exposure");
        findings.push(
            Diagnostic::new(
                Code::ExposureNotAllowed,
                &path,
                at(&path),
                format!(
                    "exposure \"{}\" is not allowed by profile \"{name}\"",
                    checked.exposure
                ),
            )
            .with_help(format!(
                "profile \"{name}\" allows: {}",
                join(policy.exposures.iter().map(|e| e.as_str()).collect())
            )),
        );
    }
    if let Some(engine) = checked.engine {
        let offered = server(profile, engine).is_some();
        if !policy.engines.contains(&engine) || !offered {
            let path = spec.key("persistence").key("engine");
            findings.push(
                Diagnostic::new(
                    Code::EngineNotAllowed,
                    &path,
                    at(&path),
                    format!("engine \"{engine}\" is not offered by profile \"{name}\""),
                )
                .with_help(format!(
                    "profile \"{name}\" offers: {}",
                    join(policy.engines.iter().map(|e| e.as_str()).collect())
                )),
            );
        }
    }
    if !policy.tiers.contains(&checked.tier) {
        let path = spec.key("resources").key("tier");
        findings.push(
            Diagnostic::new(
                Code::TierNotAllowed,
                &path,
                at(&path),
                format!(
                    "tier \"{}\" is not allowed by profile \"{name}\"",
                    checked.tier
                ),
            )
            .with_help(format!(
                "profile \"{name}\" allows: {}",
                join(policy.tiers.iter().map(|t| t.as_str()).collect())
            )),
        );
    }
    let listed_flags = checked.capabilities.contains(&CapabilityName::FeatureFlags);
    if checked.runtime == Runtime::Container {
        for required in &policy.required_capabilities {
            if !checked.capabilities.contains(required) {
                checked.capabilities.push(*required);
                let path = spec.key("capabilities");
                findings.push(
                    Diagnostic::new(
                        Code::CapabilityInjected,
                        &path,
                        at(&path),
                        format!("capability \"{required}\" is required by profile \"{name}\"; zave adds it"),
                    )
                    .with_help(format!("list `- name: {required}` under spec.capabilities to make it explicit")),
                );
            }
        }
    }
    if let Some(index) = checked
        .capabilities
        .iter()
        .position(|c| *c == CapabilityName::FeatureFlags)
    {
        findings.extend(check_feature_flags(index, document, profile));
        if !listed_flags {
            findings.extend(flags_variable_taken(checked, document));
        }
    }
    findings
}

/// The oldest Kubernetes minor version with native sidecars (init containers that keep
/// running, `restartPolicy: Always`), which `feature-flags` renders.
pub const SIDECAR_MINOR_VERSION: u32 = 29;

/// `feature-flags` needs the profile's `featureFlags` block and native sidecars.
fn check_feature_flags(index: usize, document: &Node, profile: &Profile) -> Option<Diagnostic> {
    let name = profile.name();
    let listed = Path::root().key("spec").key("capabilities");
    let path = match document.at(&listed.index(index)) {
        Some(_) => listed.index(index).key("name"),
        None => listed,
    };
    let at = Some(document.span_for(&path));
    if profile.spec.feature_flags.is_none() {
        return Some(
            Diagnostic::new(
                Code::CapabilityNotOffered,
                &path,
                at,
                format!("capability \"feature-flags\" is not offered by profile \"{name}\""),
            )
            .with_help(
                "the profile needs a featureFlags block (the flagd image and its resources)",
            ),
        );
    }
    let version = &profile.spec.kubernetes_version;
    let minor = version
        .strip_prefix("1.")
        .and_then(|minor| minor.parse::<u32>().ok());
    if minor.is_some_and(|minor| minor < SIDECAR_MINOR_VERSION) {
        return Some(
            Diagnostic::new(
                Code::SidecarsUnsupported,
                &path,
                at,
                format!(
                    "capability \"feature-flags\" runs flagd as a native sidecar, which needs Kubernetes 1.{SIDECAR_MINOR_VERSION} or later; profile \"{name}\" pins {version}"
                ),
            )
            .with_help(format!("raise the profile's kubernetesVersion to 1.{SIDECAR_MINOR_VERSION} or later, or remove the capability")),
        );
    }
    None
}

/// A dependency whose host variable is `FLAGD_HOST`, which an injected `feature-flags` sets
/// (a listed one is refused in stage 2 already).
fn flags_variable_taken(checked: &CheckedContract, document: &Node) -> Option<Diagnostic> {
    let index = checked
        .dependencies
        .iter()
        .position(|workload| crate::render::environment::is_flags_variable(workload))?;
    let path = Path::root()
        .key("spec")
        .key("dependencies")
        .index(index)
        .key("workload");
    Some(
        Diagnostic::new(
            Code::DuplicateDependency,
            &path,
            Some(document.span_for(&path)),
            "dependency \"flagd\" would be FLAGD_HOST, which the feature-flags capability the profile requires sets",
        )
        .with_help("the called workload needs another name: its host variable must be its own"),
    )
}

/// The server a profile offers for an engine.
pub fn server(profile: &Profile, engine: Engine) -> Option<&super::model::DatabaseServer> {
    let databases = &profile.spec.databases;
    match engine {
        Engine::Postgres => databases.postgres.as_ref(),
        Engine::Mysql => databases.mysql.as_ref(),
        Engine::Redis => databases.redis.as_ref(),
        Engine::None => None,
    }
}
