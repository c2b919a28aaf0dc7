//! The tenant boundary: namespace with Pod Security, resource quota, and container defaults.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    LimitRange, LimitRangeItem, LimitRangeSpec, Namespace, ResourceQuota, ResourceQuotaSpec,
    ResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::context::Context;
use crate::manifest::{Manifest, Object, Zone};
use crate::profile::model::Quantities;

/// The Pod Security labels that enforce, audit and warn on `restricted` at the policy version
/// of `kubernetes_version` (`1.36` gives `v1.36`).
pub fn pod_security_restricted(kubernetes_version: &str) -> BTreeMap<String, String> {
    let version = format!("v{kubernetes_version}");
    ["enforce", "audit", "warn"]
        .into_iter()
        .flat_map(|mode| {
            [
                (
                    format!("pod-security.kubernetes.io/{mode}"),
                    "restricted".to_owned(),
                ),
                (
                    format!("pod-security.kubernetes.io/{mode}-version"),
                    version.clone(),
                ),
            ]
        })
        .collect()
}

/// The namespace, its quota and its limit range.
pub fn render(ctx: &Context<'_>) -> Vec<Manifest> {
    let mut namespace_meta = ctx.meta(ctx.namespace.clone(), None);
    if let Some(labels) = namespace_meta.labels.as_mut() {
        labels.extend(pod_security_restricted(
            &ctx.profile.spec.kubernetes_version,
        ));
    }
    let namespace = Namespace {
        metadata: namespace_meta,
        ..Namespace::default()
    };

    let quota = &ctx.tier.quota;
    let hard = BTreeMap::from([
        ("limits.cpu".to_owned(), Quantity(quota.cpu.clone())),
        ("limits.memory".to_owned(), Quantity(quota.memory.clone())),
        ("pods".to_owned(), Quantity(quota.pods.to_string())),
        ("requests.cpu".to_owned(), Quantity(quota.cpu.clone())),
        ("requests.memory".to_owned(), Quantity(quota.memory.clone())),
        (
            "services.loadbalancers".to_owned(),
            Quantity("0".to_owned()),
        ),
        ("services.nodeports".to_owned(), Quantity("0".to_owned())),
    ]);
    let resource_quota = ResourceQuota {
        metadata: ctx.tenant_meta(ctx.name()),
        spec: Some(ResourceQuotaSpec {
            hard: Some(hard),
            ..ResourceQuotaSpec::default()
        }),
        ..ResourceQuota::default()
    };

    let limit_range = LimitRange {
        metadata: ctx.tenant_meta(ctx.name()),
        spec: Some(LimitRangeSpec {
            limits: vec![LimitRangeItem {
                type_: "Container".to_owned(),
                default: Some(quantities(&ctx.tier.limits)),
                default_request: Some(quantities(&ctx.tier.requests)),
                max: Some(quantities(&ctx.tier.limits)),
                ..LimitRangeItem::default()
            }],
        }),
    };

    vec![
        Manifest::new(Zone::Platform, Object::Namespace(namespace)),
        Manifest::new(Zone::Platform, Object::ResourceQuota(resource_quota)),
        Manifest::new(Zone::Platform, Object::LimitRange(limit_range)),
    ]
}

/// A container's requests and limits, each CPU and memory.
pub fn resources(requests: &Quantities, limits: &Quantities) -> ResourceRequirements {
    ResourceRequirements {
        limits: Some(quantities(limits)),
        requests: Some(quantities(requests)),
        ..ResourceRequirements::default()
    }
}

/// CPU and memory as a Kubernetes resource list.
pub fn quantities(values: &Quantities) -> BTreeMap<String, Quantity> {
    BTreeMap::from([
        ("cpu".to_owned(), Quantity(values.cpu.clone())),
        ("memory".to_owned(), Quantity(values.memory.clone())),
    ])
}
