//! The provisioning Job's own network boundary: its pods' labels, which no tenant or database
//! selector matches, and the NetworkPolicy that lets them reach DNS and their database server
//! only, with no ingress at all.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicySpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::Tenant;
use crate::manifest::{Manifest, Object, Zone};
use crate::render::context::Context;
use crate::render::network::{dns_rule, egress_rule};

/// `app.kubernetes.io/name` of every provisioning Job's pods: never a tenant's name, so a tenant
/// called `pgbouncer` or `redis` does not make its Job look like a database server.
pub const PROVISIONER_NAME: &str = "zave-db-provisioner";
/// The label naming the tenant a provisioning pod works for; only the Job's own policy selects
/// on it.
pub const PROVISIONS_LABEL: &str = "zave.io/provisions";

/// The labels a provisioning pod's policy selects on.
fn selector_labels(tenant: &Tenant<'_>) -> BTreeMap<String, String> {
    BTreeMap::from([
        (
            "app.kubernetes.io/name".to_owned(),
            PROVISIONER_NAME.to_owned(),
        ),
        (PROVISIONS_LABEL.to_owned(), tenant.name.to_owned()),
    ])
}

/// The labels of the provisioning Job's pods.
pub fn pod_labels(tenant: &Tenant<'_>) -> BTreeMap<String, String> {
    let mut labels = selector_labels(tenant);
    labels.insert("app.kubernetes.io/managed-by".to_owned(), "zave".to_owned());
    labels
}

/// The NetworkPolicy of the tenant's provisioning pods, in the platform namespace: no ingress,
/// egress to DNS and to the database server the Job connects to (not the pooler).
pub fn policy(ctx: &Context<'_>, tenant: &Tenant<'_>) -> Manifest {
    let namespace = ctx.profile.spec.gitops.platform_namespace.as_str();
    let server = tenant
        .server
        .server_network
        .as_ref()
        .unwrap_or(&tenant.server.network);
    let spec = NetworkPolicySpec {
        pod_selector: Some(LabelSelector {
            match_labels: Some(selector_labels(tenant)),
            ..LabelSelector::default()
        }),
        policy_types: Some(vec!["Ingress".to_owned(), "Egress".to_owned()]),
        ingress: None,
        egress: Some(vec![dns_rule(ctx.profile), egress_rule(server)]),
    };
    Manifest::new(
        Zone::Platform,
        Object::NetworkPolicy(NetworkPolicy {
            metadata: ctx.meta(format!("{}-db-provision", tenant.name), Some(namespace)),
            spec: Some(spec),
        }),
    )
}
