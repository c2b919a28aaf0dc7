//! Reserved names (SPEC §3): no tenant derives a namespace the profile names, `default` or
//! `kube-*` (Z310), and no tenant is named like a pod selector value the profile uses (Z311).
//! Checked on the namespace pattern when a profile loads and on each contract's name at render.

use super::findings::Findings;
use super::model::{Peer, Profile};
use super::values::NAME_PLACEHOLDER;
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Node, Path};

/// Namespaces no tenant may have whatever the profile: Kubernetes' own.
const ALWAYS_RESERVED: &[&str] = &["default", "kube-system", "kube-public", "kube-node-lease"];

/// The prefix of every namespace Kubernetes keeps for itself.
const KUBE_PREFIX: &str = "kube-";

/// Every peer of the profile, the sources of its namespaces and selector values.
fn peers(profile: &Profile) -> Vec<&Peer> {
    let spec = &profile.spec;
    let mut peers = vec![
        &spec.dns,
        &spec.ingress.from,
        &spec.telemetry.collector,
        &spec.telemetry.prometheus,
    ];
    for (_, server) in spec.databases.offered() {
        peers.push(&server.network);
        peers.extend(server.server_network.as_ref());
    }
    peers
}

/// The namespaces no tenant may have: Kubernetes' own and every one the profile names.
pub fn reserved_namespaces(profile: &Profile) -> Vec<&str> {
    let spec = &profile.spec;
    let mut names: Vec<&str> = ALWAYS_RESERVED.to_vec();
    names.push(&spec.gitops.platform_namespace);
    names.push(&spec.gitops.argocd_namespace);
    names.push(&spec.gitops.flux.namespace);
    if let Some((namespace, _)) = spec
        .ingress
        .gateway
        .as_deref()
        .and_then(|g| g.split_once('/'))
    {
        names.push(namespace);
    }
    names.extend(
        peers(profile)
            .into_iter()
            .filter_map(|p| p.namespace.as_deref()),
    );
    names.sort_unstable();
    names.dedup();
    names
}

/// The pod selector values the profile uses, which no tenant may be named.
pub fn reserved_selector_values(profile: &Profile) -> Vec<&str> {
    let mut values: Vec<&str> = peers(profile)
        .into_iter()
        .flat_map(|peer| peer.pod_labels.values().map(String::as_str))
        .collect();
    values.sort_unstable();
    values.dedup();
    values
}

/// Why `namespace` is reserved, when it is.
fn why_reserved(profile: &Profile, namespace: &str) -> Option<String> {
    if namespace.starts_with(KUBE_PREFIX) {
        return Some("namespaces starting with kube- are Kubernetes' own".to_owned());
    }
    reserved_namespaces(profile).contains(&namespace).then(|| {
        format!("namespace \"{namespace}\" is reserved: the profile or Kubernetes uses it")
    })
}

/// At load: a namespace pattern that some contract name turns into a reserved namespace.
pub(super) fn check_pattern(profile: &Profile, findings: &mut Findings<'_>) {
    let pattern = &profile.spec.namespace_pattern;
    let Some((prefix, suffix)) = pattern.split_once(NAME_PLACEHOLDER) else {
        return;
    };
    let path = Path::root().key("spec").key("namespacePattern");
    let kube = prefix.starts_with(KUBE_PREFIX)
        || KUBE_PREFIX
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_lowercase()));
    let producible = reserved_namespaces(profile).into_iter().find(|namespace| {
        namespace
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .is_some_and(is_contract_name)
    });
    let example = if kube {
        let name = KUBE_PREFIX.get(prefix.len()..).unwrap_or_default();
        Some(format!("{prefix}{name}system{suffix}"))
    } else {
        producible.map(str::to_owned)
    };
    if let Some(namespace) = example {
        findings.at(
            Code::ReservedNamespace,
            &path,
            format!(
                "namespace pattern \"{pattern}\" can produce the reserved namespace \"{namespace}\"; give it a literal prefix or suffix such as ns-{{name}}"
            ),
        );
    }
}

/// Whether `name` could be a contract's name.
fn is_contract_name(name: &str) -> bool {
    let max = crate::contract::model::NAME_MAX_LENGTH as usize;
    let mut bytes = name.bytes();
    (1..=max).contains(&name.len())
        && bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.ends_with('-')
}

/// At render: a contract whose name derives a reserved namespace or is a reserved selector
/// value, reported on `metadata.name`.
pub fn check_tenant(name: &str, document: &Node, profile: &Profile) -> Vec<Diagnostic> {
    let path = Path::root().key("metadata").key("name");
    let at = Some(document.span_for(&path));
    let namespace = profile
        .spec
        .namespace_pattern
        .replace(NAME_PLACEHOLDER, name);
    let mut findings = Vec::new();
    if let Some(why) = why_reserved(profile, &namespace) {
        findings.push(
            Diagnostic::new(
                Code::ReservedNamespace,
                &path,
                at,
                format!("tenant \"{name}\" would live in namespace \"{namespace}\": {why}"),
            )
            .with_help("choose another name for the contract"),
        );
    }
    if reserved_selector_values(profile).contains(&name) {
        findings.push(
            Diagnostic::new(
                Code::ReservedName,
                &path,
                at,
                format!(
                    "tenant name \"{name}\" is reserved: profile \"{}\" selects platform pods by it, and a tenant's pods carry their name as app.kubernetes.io/name",
                    profile.name()
                ),
            )
            .with_help("choose another name for the contract"),
        );
    }
    findings
}
