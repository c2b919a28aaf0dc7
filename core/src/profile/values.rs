//! Every profile value that reaches an object, checked with Kubernetes' own grammar at load
//! (Z307), so a profile that loads never renders an object the API server refuses.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::findings::Findings;
use super::grammar::{
    annotation_key, dns_label, dns_subdomain, duration, label_key, label_value, quantity,
};
use super::model::{DatabaseServer, FluxSettings, Peer, Profile};
use crate::diagnostic::Code;
use crate::document::Path;

/// The placeholder patterns hold: the contract's name.
pub const NAME_PLACEHOLDER: &str = "{name}";

/// The name a pattern is checked with: as long as a contract name may be (40 characters), so a
/// pattern that fits with it fits with every name.
pub fn worst_case_name() -> String {
    "a".repeat(crate::contract::model::NAME_MAX_LENGTH as usize)
}

/// The most bytes the annotations one profile map adds to an object may hold, leaving room in
/// Kubernetes' 256 KiB bound for the annotations zave adds.
const ANNOTATIONS_BUDGET: usize = 64 * 1024;

/// Every finding about values that break their grammar.
pub(super) fn check(profile: &Profile, findings: &mut Findings<'_>) {
    let spec = &profile.spec;
    let root = Path::root().key("spec");
    pattern(
        findings,
        &root.key("namespacePattern"),
        "the namespace",
        &spec.namespace_pattern,
        dns_label,
    );

    let ingress = root.key("ingress");
    if let Some(class) = &spec.ingress.class_name {
        findings.grammar(
            &ingress.key("className"),
            "the ingress class",
            class,
            dns_subdomain,
        );
    }
    if let Some((namespace, name)) = spec
        .ingress
        .gateway
        .as_deref()
        .and_then(|g| g.split_once('/'))
    {
        let path = ingress.key("gateway");
        findings.grammar(&path, "the gateway namespace", namespace, dns_label);
        findings.grammar(&path, "the gateway name", name, dns_subdomain);
    }
    pattern(
        findings,
        &ingress.key("host"),
        "the host",
        &spec.ingress.host,
        dns_subdomain,
    );
    if let Some(issuer) = &spec.ingress.tls.cluster_issuer {
        let path = ingress.key("tls").key("clusterIssuer");
        findings.grammar(&path, "the cluster issuer", issuer, dns_subdomain);
    }
    annotations(
        findings,
        &ingress.key("annotations"),
        &spec.ingress.annotations,
    );
    peer(findings, &ingress.key("from"), &spec.ingress.from);

    if let Some(secret) = &spec.registry.pull_secret {
        let path = root.key("registry").key("pullSecret");
        findings.grammar(&path, "the pull secret", secret, dns_subdomain);
    }

    let secrets = root.key("secrets");
    findings.grammar(
        &secrets.key("store"),
        "the secret store",
        &spec.secrets.store,
        dns_subdomain,
    );
    pattern(
        findings,
        &secrets.key("keyPattern"),
        "the key",
        &spec.secrets.key_pattern,
        |_| Ok(()),
    );
    findings.grammar(
        &secrets.key("refreshInterval"),
        "the refresh interval",
        &spec.secrets.refresh_interval,
        duration,
    );
    annotations(
        findings,
        &secrets.key("serviceAccountAnnotations"),
        &spec.secrets.service_account_annotations,
    );

    let databases = root.key("databases");
    for (engine, server) in spec.databases.offered() {
        database(findings, &databases.key(engine), server);
    }

    findings.grammar(
        &root.key("storageClass"),
        "the storage class",
        &spec.storage_class,
        dns_subdomain,
    );
    for (tier, settings) in [
        ("small", &spec.tiers.small),
        ("standard", &spec.tiers.standard),
        ("large", &spec.tiers.large),
    ] {
        let path = root.key("tiers").key(tier);
        for (key, set) in [
            ("requests", &settings.requests),
            ("limits", &settings.limits),
        ] {
            quantities(findings, &path.key(key), &set.cpu, &set.memory);
        }
        let quota = &settings.quota;
        quantities(findings, &path.key("quota"), &quota.cpu, &quota.memory);
    }
    if let Some(flags) = &spec.feature_flags {
        let path = root.key("featureFlags");
        for (key, set) in [("requests", &flags.requests), ("limits", &flags.limits)] {
            quantities(findings, &path.key(key), &set.cpu, &set.memory);
        }
    }

    let telemetry = root.key("telemetry");
    peer(
        findings,
        &telemetry.key("collector"),
        &spec.telemetry.collector,
    );
    peer(
        findings,
        &telemetry.key("prometheus"),
        &spec.telemetry.prometheus,
    );
    findings.map(
        &telemetry.key("serviceMonitorLabels"),
        "the label",
        &spec.telemetry.service_monitor_labels,
        label_key,
        label_value,
    );

    let gitops = root.key("gitops");
    let argocd = &spec.gitops.argocd_namespace;
    findings.grammar(
        &gitops.key("argocdNamespace"),
        "the namespace",
        argocd,
        dns_label,
    );
    let project = &spec.gitops.argocd_project;
    findings.grammar(
        &gitops.key("argocdProject"),
        "the project",
        project,
        dns_subdomain,
    );
    let platform = &spec.gitops.platform_namespace;
    findings.grammar(
        &gitops.key("platformNamespace"),
        "the namespace",
        platform,
        dns_label,
    );

    flux(findings, &gitops.key("flux"), &spec.gitops.flux);

    peer(findings, &root.key("dns"), &spec.dns);
}

/// The names the Flux `Kustomization` objects carry: their namespace, source and dependency.
fn flux(findings: &mut Findings<'_>, path: &Path, flux: &FluxSettings) {
    findings.grammar(
        &path.key("namespace"),
        "the namespace",
        &flux.namespace,
        dns_label,
    );
    findings.grammar(
        &path.key("source"),
        "the source",
        &flux.source,
        dns_subdomain,
    );
    if let Some(base) = &flux.depends_on {
        findings.grammar(
            &path.key("dependsOn"),
            "the dependency",
            base,
            dns_subdomain,
        );
    }
}

/// A value with `{name}` in it: no other placeholder, and valid with the longest name.
fn pattern(
    findings: &mut Findings<'_>,
    path: &Path,
    what: &str,
    value: &str,
    grammar: fn(&str) -> Result<(), String>,
) {
    let expanded = value.replace(NAME_PLACEHOLDER, &worst_case_name());
    if let Some(start) = expanded.find('{') {
        let placeholder: String = expanded[start..]
            .chars()
            .take_while(|c| *c != '}')
            .collect();
        findings.at(
            Code::InvalidProfileValue,
            path,
            format!(
                "{what} pattern has the placeholder {placeholder}}}; only {{name}} is replaced"
            ),
        );
        return;
    }
    if let Err(why) = grammar(&expanded) {
        findings.at(
            Code::InvalidProfileValue,
            path,
            format!(
                "{what} pattern {} is not valid with a 40-character name: {why}",
                super::findings::shown(value)
            ),
        );
    }
}

/// Annotation keys, and the size of the whole map once `{name}` is replaced.
fn annotations(findings: &mut Findings<'_>, path: &Path, map: &BTreeMap<String, String>) {
    findings.map(path, "the annotation", map, annotation_key, |_| Ok(()));
    let name = worst_case_name();
    let size: usize = map
        .iter()
        .map(|(key, value)| key.len() + value.replace(NAME_PLACEHOLDER, &name).len())
        .sum();
    if size > ANNOTATIONS_BUDGET {
        findings.at(
            Code::InvalidProfileValue,
            path,
            format!("the annotations hold {size} bytes, at most {ANNOTATIONS_BUDGET} are allowed"),
        );
    }
}

/// A network peer's namespace, pod labels and address block.
fn peer(findings: &mut Findings<'_>, path: &Path, peer: &Peer) {
    if let Some(namespace) = &peer.namespace {
        findings.grammar(
            &path.key("namespace"),
            "the namespace",
            namespace,
            dns_label,
        );
    }
    findings.map(
        &path.key("podLabels"),
        "the label",
        &peer.pod_labels,
        label_key,
        label_value,
    );
    if let Some(cidr) = &peer.cidr {
        findings.grammar(&path.key("cidr"), "the address block", cidr, |value| {
            super::grammar::cidr(value).map(|_| ())
        });
    }
}

/// A database server's hosts and network peer.
fn database(findings: &mut Findings<'_>, path: &Path, server: &DatabaseServer) {
    findings.grammar(&path.key("host"), "the host", &server.host, host);
    if let Some(pooler) = &server.pooler {
        findings.grammar(
            &path.key("pooler").key("host"),
            "the host",
            &pooler.host,
            host,
        );
    }
    peer(findings, &path.key("network"), &server.network);
    if let Some(itself) = &server.server_network {
        peer(findings, &path.key("serverNetwork"), itself);
    }
}

/// A host a tenant connects to: a DNS name or an IP address.
fn host(value: &str) -> Result<(), String> {
    if value.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    dns_subdomain(value)
}

/// The `cpu` and `memory` quantities under `path`.
fn quantities(findings: &mut Findings<'_>, path: &Path, cpu: &str, memory: &str) {
    for (key, value) in [("cpu", cpu), ("memory", memory)] {
        findings.grammar(&path.key(key), "the quantity", value, quantity);
    }
}
