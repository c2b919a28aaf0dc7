//! Capabilities: `metrics` becomes a scrape target for Prometheus; `tracing` is environment and
//! an egress rule (see the workload and network modules).

use std::collections::BTreeMap;

use super::context::Context;
use super::custom::{CustomResource, MetricsEndpoint, PodMonitorSpec, ServiceMonitorSpec};
use crate::contract::model::CapabilityName;
use crate::manifest::{Manifest, Object, Zone};

/// The scrape target of a workload with `metrics`: a ServiceMonitor when it has a Service,
/// otherwise a PodMonitor (workers have no Service).
pub fn render(ctx: &Context<'_>) -> Vec<Manifest> {
    if !ctx.contract.capabilities.contains(&CapabilityName::Metrics) {
        return Vec::new();
    }
    let mut metadata = ctx.tenant_meta(ctx.name());
    let extra: &BTreeMap<String, String> = &ctx.profile.spec.telemetry.service_monitor_labels;
    if let Some(labels) = metadata.labels.as_mut() {
        labels.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let endpoint = MetricsEndpoint {
        port: "metrics".to_owned(),
        path: "/metrics".to_owned(),
        interval: "30s".to_owned(),
    };
    let object = if ctx.has_service() {
        Object::ServiceMonitor(CustomResource {
            api_version: "monitoring.coreos.com/v1",
            kind: "ServiceMonitor",
            metadata,
            spec: ServiceMonitorSpec {
                selector: ctx.selector(),
                endpoints: vec![endpoint],
            },
        })
    } else {
        Object::PodMonitor(CustomResource {
            api_version: "monitoring.coreos.com/v1",
            kind: "PodMonitor",
            metadata,
            spec: PodMonitorSpec {
                selector: ctx.selector(),
                pod_metrics_endpoints: vec![endpoint],
            },
        })
    };
    vec![Manifest::new(Zone::Workload, object)]
}
