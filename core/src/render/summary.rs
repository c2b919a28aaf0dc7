//! The summary of a render in the platform's words: what the contract gets under the profile,
//! each line pointing at the file and object that carries it and at `explain`'s origins.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::DeploymentSpec;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscalerSpec;
use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

use super::context::Context;
use super::context::{FLAGD_PORT, METRICS_PORT};
use super::explain::{Explanation, Origin, capability_origin};
use crate::contract::model::{CapabilityName, Engine, Exposure};
use crate::diagnostic::Diagnostic;
use crate::manifest::{Manifest, Object, object_path};
use crate::profile::model::{Isolation, TlsMode};
use crate::profile::server;

/// One thing the contract gets, and where the tree says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryLine {
    /// What the line is about: `namespace`, `reached`, `replicas`, `autoscaling`,
    /// `disruption budget`, `resources`, `database`, `secret`, `capability`, `network`.
    pub topic: &'static str,
    /// What the contract gets, in one sentence.
    pub text: String,
    /// The object that carries it, as `Kind/name`.
    pub object: String,
    /// The file that object is written to.
    pub path: String,
    /// Where it came from, as `explain` says for that object.
    pub origins: Vec<Origin>,
}

/// The summary of a render: one line per thing the tenant gets, in the objects' order within
/// each topic, topics in a fixed order.
pub fn summarize(
    ctx: &Context<'_>,
    manifests: &[Manifest],
    findings: &[Diagnostic],
    explanations: &[Explanation],
) -> Vec<SummaryLine> {
    let prefix = &ctx.profile.spec.gitops.path_prefix;
    let mut lines = Vec::new();
    for manifest in manifests {
        let object = &manifest.object;
        let id = format!("{}/{}", object.kind(), object.name());
        let mut line = |topic: &'static str, part: Option<&str>, text: String| {
            let origins = explanations
                .iter()
                .filter(|e| e.object == id)
                .filter(|e| match part {
                    Some(part) => e.part == part,
                    None => !SHARED_PARTS.contains(&e.part.as_str()),
                })
                .flat_map(|e| e.origins.iter().cloned())
                .collect();
            lines.push(SummaryLine {
                topic,
                text,
                object: id.clone(),
                path: object_path(manifest, ctx.name(), prefix),
                origins,
            });
        };
        match object {
            Object::Namespace(_) => line(
                "namespace",
                Some("metadata.name"),
                format!(
                    "namespace {}, restricted Pod Security, everything else denied by default",
                    object.name()
                ),
            ),
            Object::Deployment(deployment) => {
                // `.into()` reads both k8s-openapi shapes of `spec`: optional up to Kubernetes
                // 1.36, required from 1.37.
                let spec: Option<&DeploymentSpec> = (&deployment.spec).into();
                let replicas = match spec.and_then(|spec| spec.replicas) {
                    Some(1) => "1 replica".to_owned(),
                    Some(count) => format!("{count} replicas"),
                    None => "replicas set by the autoscaler".to_owned(),
                };
                line("replicas", Some("spec.replicas"), replicas);
                let resources = spec
                    .and_then(|spec| spec.template.spec.as_ref())
                    .and_then(|pod| pod.containers.first())
                    .and_then(|container| container.resources.as_ref());
                if let Some(resources) = resources {
                    line(
                        "resources",
                        Some("spec.template.spec.containers[app].resources"),
                        describe_resources(resources),
                    );
                }
                if !ctx.has_service() {
                    line(
                        "reached",
                        None,
                        "not reached over the network: a worker, with no Service".to_owned(),
                    );
                }
            }
            Object::Service(_) if ctx.contract.exposure != Exposure::PublicHttp => {
                let (what, port) = if ctx.serves_grpc() {
                    ("gRPC", super::context::GRPC_PORT)
                } else {
                    ("HTTP", 80)
                };
                line(
                    "reached",
                    None,
                    format!(
                        "{what} from other tenants at {}.{}.svc:{port}, nothing from outside",
                        object.name(),
                        ctx.namespace
                    ),
                );
            }
            Object::Ingress(_) | Object::HttpRoute(_) => {
                let host = ctx.expand(&ctx.profile.spec.ingress.host);
                let tls = match ctx.profile.spec.ingress.tls.mode {
                    TlsMode::None => "plain HTTP",
                    TlsMode::CertManager => "TLS from cert-manager",
                    TlsMode::LoadBalancer => "TLS at the load balancer",
                };
                let scheme = if ctx.profile.spec.ingress.tls.mode == TlsMode::None {
                    "http"
                } else {
                    "https"
                };
                line(
                    "reached",
                    Some("host"),
                    format!("public at {scheme}://{host}/ ({tls})"),
                );
            }
            Object::HorizontalPodAutoscaler(hpa) => {
                let spec: Option<&HorizontalPodAutoscalerSpec> = (&hpa.spec).into();
                let min = spec.and_then(|spec| spec.min_replicas).unwrap_or(1);
                let max = spec.map_or(min, |spec| spec.max_replicas);
                line(
                    "autoscaling",
                    None,
                    format!(
                        "{min} to {max} replicas at {}% CPU",
                        ctx.tier.autoscaling.cpu_utilization
                    ),
                );
            }
            Object::PodDisruptionBudget(pdb) => {
                let min = pdb
                    .spec
                    .as_ref()
                    .and_then(|spec| spec.min_available.as_ref())
                    .map_or_else(|| "0".to_owned(), int_or_string);
                line(
                    "disruption budget",
                    None,
                    format!("at least {min} available during voluntary disruptions"),
                );
            }
            Object::Job(_) => {
                if let Some(text) = database(ctx) {
                    line("database", Some("spec"), text);
                }
            }
            Object::ExternalSecret(secret) => {
                let keys: Vec<&str> = secret
                    .spec
                    .data
                    .iter()
                    .map(|data| data.remote_ref.key.as_str())
                    .chain(secret.spec.data_from.iter().map(|d| d.extract.key.as_str()))
                    .collect();
                let mut keys = keys;
                keys.dedup();
                line(
                    "secret",
                    None,
                    format!(
                        "Secret {} from store {}, key {} (a reference: no value is written)",
                        secret.spec.target.name,
                        secret.spec.secret_store_ref.name,
                        keys.join(", ")
                    ),
                );
            }
            Object::NetworkPolicy(policy) => line("network", None, describe_policy(policy)),
            _ => {}
        }
    }
    for &capability in &ctx.contract.capabilities {
        let (carrier, how) = match capability {
            CapabilityName::Metrics => (
                manifests.iter().find(|m| {
                    matches!(m.object, Object::ServiceMonitor(_) | Object::PodMonitor(_))
                }),
                format!("Prometheus scrapes port {METRICS_PORT}"),
            ),
            CapabilityName::FeatureFlags => (
                manifests
                    .iter()
                    .find(|m| matches!(m.object, Object::Deployment(_))),
                format!(
                    "flags evaluated by a flagd sidecar on localhost:{FLAGD_PORT}, from ConfigMap {}",
                    super::flags::config_map_name(ctx)
                ),
            ),
            _ => (
                manifests
                    .iter()
                    .find(|m| matches!(m.object, Object::Deployment(_))),
                "traces sent over OTLP to the profile's collector".to_owned(),
            ),
        };
        let Some(carrier) = carrier else { continue };
        let origin = capability_origin(findings, capability);
        let who = if matches!(origin, Origin::Mutation(_)) {
            format!("injected by profile {}", ctx.profile.name())
        } else {
            "asked for by the contract".to_owned()
        };
        lines.push(SummaryLine {
            topic: "capability",
            text: format!("{capability}: {how} ({who})"),
            object: format!("{}/{}", carrier.object.kind(), carrier.object.name()),
            path: object_path(carrier, ctx.name(), prefix),
            origins: vec![origin],
        });
    }
    lines.sort_by_key(|line| topic_order(line.topic));
    lines
}

/// The parts `explain` gives every object (its labels and namespace), left out of a line that
/// is about the object as a whole.
const SHARED_PARTS: &[&str] = &[
    "metadata.labels, metadata.annotations",
    "metadata.namespace",
];

const TOPICS: &[&str] = &[
    "namespace",
    "reached",
    "replicas",
    "autoscaling",
    "disruption budget",
    "resources",
    "database",
    "secret",
    "capability",
    "network",
];

fn topic_order(topic: &str) -> usize {
    TOPICS
        .iter()
        .position(|t| *t == topic)
        .unwrap_or(TOPICS.len())
}

fn int_or_string(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(number) => number.to_string(),
        IntOrString::String(text) => text.clone(),
    }
}

fn describe_resources(resources: &ResourceRequirements) -> String {
    let pair = |quantities: &Option<BTreeMap<String, Quantity>>| {
        let get = |key: &str| {
            quantities
                .as_ref()
                .and_then(|map| map.get(key))
                .map_or("-", |quantity| quantity.0.as_str())
        };
        format!("CPU {}, memory {}", get("cpu"), get("memory"))
    };
    format!(
        "requests {}; limits {}",
        pair(&resources.requests),
        pair(&resources.limits)
    )
}

fn database(ctx: &Context<'_>) -> Option<String> {
    let engine = ctx.contract.engine?;
    let server = server(ctx.profile, engine)?;
    let isolation = match (engine, server.isolation) {
        (Engine::Redis, _) => "an ACL user limited to its own keys".to_owned(),
        (_, Isolation::DatabasePerTenant) => "a database of its own".to_owned(),
        (_, Isolation::SchemaPerTenant) => format!(
            "a schema of its own in the shared database {}",
            server.shared_database.as_deref().unwrap_or_default()
        ),
    };
    let reached = match &server.pooler {
        Some(pooler) => format!("through the pooler at {}:{}", pooler.host, pooler.port),
        None => format!("directly at {}:{}", server.host, server.port),
    };
    // Redis has no per-user connection limit; the SQL engines get the tier's.
    let limit = match engine {
        Engine::Redis => String::new(),
        _ => format!(", at most {} connections", ctx.tier.db_connection_limit),
    };
    Some(format!(
        "{engine}, {} at {}: {isolation}, reached {reached}{limit}",
        server.description, server.host
    ))
}

fn describe_policy(policy: &NetworkPolicy) -> String {
    let name = policy.metadata.name.as_deref().unwrap_or_default();
    let Some(spec) = policy.spec.as_ref() else {
        return name.to_owned();
    };
    if name == "default-deny" {
        return "default-deny: no traffic in or out unless a rule below allows it".to_owned();
    }
    let mut parts = Vec::new();
    for rule in spec.ingress.iter().flatten() {
        parts.push(format!(
            "in from {} on {}",
            peers(rule.from.as_deref()),
            ports(rule.ports.as_deref())
        ));
    }
    for rule in spec.egress.iter().flatten() {
        parts.push(format!(
            "out to {} on {}",
            peers(rule.to.as_deref()),
            ports(rule.ports.as_deref())
        ));
    }
    format!("{name}: {}", parts.join("; "))
}

fn peers(peers: Option<&[NetworkPolicyPeer]>) -> String {
    let Some(peers) = peers.filter(|peers| !peers.is_empty()) else {
        return "anywhere".to_owned();
    };
    let described: Vec<String> = peers.iter().map(describe_peer).collect();
    described.join(" or ")
}

fn describe_peer(peer: &NetworkPolicyPeer) -> String {
    let mut words = Vec::new();
    if let Some(block) = &peer.ip_block {
        words.push(format!("addresses {}", block.cidr));
    }
    if let Some(selector) = &peer.namespace_selector {
        let labels = match_labels(selector);
        words.push(match labels.as_slice() {
            [] => "every namespace".to_owned(),
            [("kubernetes.io/metadata.name", name)] => format!("namespace {name}"),
            [("zave.io/tenant", "true")] => "tenant namespaces".to_owned(),
            _ => format!("namespaces {}", joined(&labels)),
        });
    }
    if let Some(selector) = &peer.pod_selector {
        words.push(format!("pods {}", joined(&match_labels(selector))));
    }
    words.join(" ")
}

fn match_labels(selector: &LabelSelector) -> Vec<(&str, &str)> {
    selector
        .match_labels
        .iter()
        .flatten()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect()
}

fn joined(labels: &[(&str, &str)]) -> String {
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join(",")
}

fn ports(ports: Option<&[NetworkPolicyPort]>) -> String {
    let Some(ports) = ports.filter(|ports| !ports.is_empty()) else {
        return "every port".to_owned();
    };
    ports
        .iter()
        .map(|port| {
            let protocol = port.protocol.as_deref().unwrap_or("TCP");
            match &port.port {
                Some(number) => format!("{protocol} {}", int_or_string(number)),
                None => format!("{protocol} (every port)"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
