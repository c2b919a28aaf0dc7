//! Network guard rails: default deny, DNS, and one allow rule per declared need.

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
use crate::profile::server;

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
            vec![NetworkPolicyEgressRule {
                to: Some(vec![peer(&ctx.profile.spec.dns)]),
                ports: Some(vec![port(53, "UDP"), port(53, "TCP")]),
            }],
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
            vec![NetworkPolicyEgressRule {
                to: Some(vec![peer(target)]),
                ports: target.port.map(|p| vec![port(p, "TCP")]),
            }],
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
    policies
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
