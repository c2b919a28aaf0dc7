//! Network guard rails: default deny, DNS, and one allow rule per declared need (exposure,
//! metrics, database, tracing, the workloads it calls).

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer,
    NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::context::{Context, GRPC_PORT, HTTP_PORT, METRICS_PORT};
use crate::contract::model::{CapabilityName, Exposure};
use crate::manifest::{Manifest, Object, Zone};
use crate::profile::model::Peer;
use crate::profile::{Profile, server};

/// The DNS port when the profile's peer names none.
const DNS_PORT: u16 = 53;

/// Every NetworkPolicy of the tenant namespace.
pub fn render(ctx: &Context<'_>) -> Vec<Manifest> {
    let mut policies = vec![
        policy(
            ctx,
            "default-deny",
            LabelSelector::default(),
            Vec::new(),
            Vec::new(),
        ),
        policy(
            ctx,
            "allow-dns",
            LabelSelector::default(),
            Vec::new(),
            vec![dns_rule(ctx.profile)],
        ),
    ];
    let workload = ctx.selector();
    let mut ingress_from = |name: &str, from: NetworkPolicyPeer, port_number: u16| {
        policies.push(policy(
            ctx,
            name,
            workload.clone(),
            vec![NetworkPolicyIngressRule {
                from: Some(vec![from]),
                ports: Some(vec![port(port_number, "TCP")]),
            }],
            Vec::new(),
        ));
    };
    match ctx.contract.exposure {
        Exposure::PublicHttp => ingress_from(
            "allow-from-ingress",
            peer(&ctx.profile.spec.ingress.from),
            HTTP_PORT,
        ),
        Exposure::InternalHttp => {
            ingress_from("allow-from-tenants", tenant_namespaces(), HTTP_PORT)
        }
        Exposure::Grpc => ingress_from("allow-from-tenants", tenant_namespaces(), GRPC_PORT),
        Exposure::None | Exposure::Async => {}
    }
    let capabilities = &ctx.contract.capabilities;
    if capabilities.contains(&CapabilityName::Metrics) {
        ingress_from(
            "allow-from-prometheus",
            peer(&ctx.profile.spec.telemetry.prometheus),
            METRICS_PORT,
        );
    }
    let mut egress_to = |name: &str, target: &Peer| {
        policies.push(policy(
            ctx,
            name,
            workload.clone(),
            Vec::new(),
            vec![egress_rule(target)],
        ));
    };
    if let Some(database) = ctx
        .contract
        .engine
        .and_then(|engine| server(ctx.profile, engine))
    {
        egress_to("allow-to-database", &database.network);
    }
    if capabilities.contains(&CapabilityName::Tracing) {
        egress_to(
            "allow-to-otlp-collector",
            &ctx.profile.spec.telemetry.collector,
        );
    }
    if !ctx.contract.dependencies.is_empty() {
        let rules = ctx
            .contract
            .dependencies
            .iter()
            .map(|workload| dependency_rule(ctx.profile, workload))
            .collect();
        policies.push(policy(
            ctx,
            "allow-to-dependencies",
            workload.clone(),
            Vec::new(),
            rules,
        ));
    }
    policies
}

/// The egress rule to DNS: the profile's peer on its port (53 when it names none), UDP and TCP.
pub(crate) fn dns_rule(profile: &Profile) -> NetworkPolicyEgressRule {
    let dns = &profile.spec.dns;
    let number = dns.port.unwrap_or(DNS_PORT);
    NetworkPolicyEgressRule {
        to: Some(vec![peer(dns)]),
        ports: Some(vec![port(number, "UDP"), port(number, "TCP")]),
    }
}

/// The egress rule to a workload this one calls: its pods in its namespace, on the named ports
/// `http` and `grpc` (whichever it serves).
fn dependency_rule(profile: &Profile, workload: &str) -> NetworkPolicyEgressRule {
    let labels = |pairs: &[(&str, String)]| LabelSelector {
        match_labels: Some(
            pairs
                .iter()
                .map(|(key, value)| ((*key).to_owned(), value.clone()))
                .collect(),
        ),
        ..LabelSelector::default()
    };
    let namespace = profile.spec.namespace_pattern.replace("{name}", workload);
    NetworkPolicyEgressRule {
        to: Some(vec![NetworkPolicyPeer {
            namespace_selector: Some(labels(&[("kubernetes.io/metadata.name", namespace)])),
            pod_selector: Some(labels(&[
                ("app.kubernetes.io/name", workload.to_owned()),
                ("zave.io/workload", workload.to_owned()),
            ])),
            ..NetworkPolicyPeer::default()
        }]),
        ports: Some(
            ["http", "grpc"]
                .into_iter()
                .map(|name| NetworkPolicyPort {
                    port: Some(IntOrString::String(name.to_owned())),
                    protocol: Some("TCP".to_owned()),
                    end_port: None,
                })
                .collect(),
        ),
    }
}

/// The egress rule to a profile peer, on its port when it names one.
pub(crate) fn egress_rule(target: &Peer) -> NetworkPolicyEgressRule {
    NetworkPolicyEgressRule {
        to: Some(vec![peer(target)]),
        ports: target.port.map(|p| vec![port(p, "TCP")]),
    }
}

fn policy(
    ctx: &Context<'_>,
    name: &str,
    pod_selector: LabelSelector,
    ingress: Vec<NetworkPolicyIngressRule>,
    egress: Vec<NetworkPolicyEgressRule>,
) -> Manifest {
    let mut types = Vec::new();
    if name == "default-deny" || !ingress.is_empty() {
        types.push("Ingress".to_owned());
    }
    if name == "default-deny" || !egress.is_empty() {
        types.push("Egress".to_owned());
    }
    let spec = NetworkPolicySpec {
        pod_selector: Some(pod_selector),
        policy_types: Some(types),
        ingress: (!ingress.is_empty()).then_some(ingress),
        egress: (!egress.is_empty()).then_some(egress),
    };
    Manifest::new(
        Zone::Platform,
        Object::NetworkPolicy(NetworkPolicy {
            metadata: ctx.tenant_meta(name),
            spec: Some(spec),
        }),
    )
}

/// Pods of every tenant namespace.
fn tenant_namespaces() -> NetworkPolicyPeer {
    NetworkPolicyPeer {
        namespace_selector: Some(LabelSelector {
            match_labels: Some(BTreeMap::from([(
                "zave.io/tenant".to_owned(),
                "true".to_owned(),
            )])),
            ..LabelSelector::default()
        }),
        ..NetworkPolicyPeer::default()
    }
}

/// A profile peer as a NetworkPolicy peer: an address block, or pods in a namespace.
fn peer(target: &Peer) -> NetworkPolicyPeer {
    if let Some(cidr) = &target.cidr {
        return NetworkPolicyPeer {
            ip_block: Some(IPBlock {
                cidr: cidr.clone(),
                except: None,
            }),
            ..NetworkPolicyPeer::default()
        };
    }
    NetworkPolicyPeer {
        namespace_selector: target.namespace.as_ref().map(|namespace| LabelSelector {
            match_labels: Some(BTreeMap::from([(
                "kubernetes.io/metadata.name".to_owned(),
                namespace.clone(),
            )])),
            ..LabelSelector::default()
        }),
        pod_selector: (!target.pod_labels.is_empty()).then(|| LabelSelector {
            match_labels: Some(target.pod_labels.clone()),
            ..LabelSelector::default()
        }),
        ..NetworkPolicyPeer::default()
    }
}

fn port(number: u16, protocol: &str) -> NetworkPolicyPort {
    NetworkPolicyPort {
        port: Some(IntOrString::Int(i32::from(number))),
        protocol: Some(protocol.to_owned()),
        end_port: None,
    }
}
