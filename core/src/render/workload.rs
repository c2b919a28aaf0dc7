//! The workload: service account, Deployment with a restricted pod, Service, autoscaler and
//! disruption budget.

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
};
use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, MetricSpec,
    MetricTarget, ResourceMetricSource,
};
use k8s_openapi::api::core::v1::{
    Capabilities, Container, ContainerPort, EmptyDirVolumeSource, EnvFromSource, EnvVar,
    EnvVarSource, GRPCAction, HTTPGetAction, LocalObjectReference, PodSecurityContext, PodSpec,
    PodTemplateSpec, Probe, SeccompProfile, SecretEnvSource, SecretKeySelector, SecurityContext,
    Service, ServiceAccount, ServicePort, ServiceSpec, TopologySpreadConstraint, Volume,
    VolumeMount,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::context::{Context, GRPC_PORT, HTTP_PORT, METRICS_PORT};
use super::environment::{PlatformVariable, dependency_host, platform_environment};
use super::flags;
use super::secrets;
use super::tenancy::resources;
use crate::contract::model::CapabilityName;
use crate::manifest::{Manifest, Object, Zone};

/// The workload's objects.
pub fn render(ctx: &Context<'_>) -> Vec<Manifest> {
    let availability = &ctx.profile.spec.availability;
    let replicas = availability.replicas.unwrap_or(ctx.tier.replicas);
    let mut manifests = vec![
        Manifest::new(Zone::Workload, Object::ServiceAccount(service_account(ctx))),
        Manifest::new(
            Zone::Workload,
            Object::Deployment(Box::new(deployment(ctx, replicas))),
        ),
    ];
    if ctx.has_service() {
        manifests.push(Manifest::new(Zone::Workload, Object::Service(service(ctx))));
    }
    if availability.autoscaling {
        manifests.push(Manifest::new(
            Zone::Workload,
            Object::HorizontalPodAutoscaler(autoscaler(ctx)),
        ));
    }
    let several = availability.autoscaling || replicas > 1;
    if availability.disruption_budget && several {
        manifests.push(Manifest::new(
            Zone::Workload,
            Object::PodDisruptionBudget(disruption_budget(ctx)),
        ));
    }
    manifests
}

fn service_account(ctx: &Context<'_>) -> ServiceAccount {
    let mut metadata = ctx.tenant_meta(ctx.name());
    let extra = &ctx.profile.spec.secrets.service_account_annotations;
    if let Some(annotations) = metadata.annotations.as_mut() {
        for (key, value) in extra {
            annotations.insert(key.clone(), ctx.expand(value));
        }
    }
    ServiceAccount {
        metadata,
        automount_service_account_token: Some(false),
        image_pull_secrets: pull_secrets(ctx),
        ..ServiceAccount::default()
    }
}

/// The image pull secret of the tenant's pods, when the registry needs one.
pub(super) fn pull_secrets(ctx: &Context<'_>) -> Option<Vec<LocalObjectReference>> {
    let secret = ctx.profile.spec.registry.pull_secret.as_ref()?;
    Some(vec![LocalObjectReference {
        name: secret.clone(),
    }])
}

// `.into()` fits both k8s-openapi shapes of `spec`: optional up to Kubernetes 1.36, required
// from 1.37; under the newer one it is the identity.
#[allow(clippy::useless_conversion)]
fn deployment(ctx: &Context<'_>, replicas: u32) -> Deployment {
    let mut metadata = ctx.tenant_meta(ctx.name());
    let mut pod_labels = ctx.labels();
    if let Some(version) = &ctx.version {
        pod_labels.insert("app.kubernetes.io/version".to_owned(), version.clone());
        if let Some(labels) = metadata.labels.as_mut() {
            labels.insert("app.kubernetes.io/version".to_owned(), version.clone());
        }
    }
    let autoscaled = ctx.profile.spec.availability.autoscaling;
    let spec = DeploymentSpec {
        replicas: (!autoscaled).then(|| i32::try_from(replicas).unwrap_or(1)),
        revision_history_limit: Some(5),
        selector: ctx.selector(),
        strategy: Some(DeploymentStrategy {
            type_: Some("RollingUpdate".to_owned()),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(IntOrString::String("25%".to_owned())),
                max_unavailable: Some(IntOrString::Int(0)),
            }),
        }),
        template: PodTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some(pod_labels),
                ..ObjectMeta::default()
            }),
            spec: Some(pod_spec(ctx)),
        },
        ..DeploymentSpec::default()
    };
    Deployment {
        metadata,
        spec: spec.into(),
        ..Deployment::default()
    }
}

fn pod_spec(ctx: &Context<'_>) -> PodSpec {
    let id = i64::from(ctx.profile.spec.run_as_user);
    let zone_spread = ctx.profile.spec.availability.zone_spread.then(|| {
        vec![TopologySpreadConstraint {
            label_selector: Some(ctx.selector()),
            max_skew: 1,
            topology_key: "topology.kubernetes.io/zone".to_owned(),
            when_unsatisfiable: "ScheduleAnyway".to_owned(),
            ..TopologySpreadConstraint::default()
        }]
    });
    PodSpec {
        automount_service_account_token: Some(false),
        containers: vec![container(ctx, id)],
        init_containers: flags::sidecar(ctx, id).map(|sidecar| vec![sidecar]),
        enable_service_links: Some(false),
        image_pull_secrets: pull_secrets(ctx),
        security_context: Some(PodSecurityContext {
            fs_group: Some(id),
            ..restricted_pod(id)
        }),
        service_account_name: Some(ctx.name().to_owned()),
        topology_spread_constraints: zone_spread,
        volumes: Some(
            std::iter::once(scratch_volume("64Mi"))
                .chain(flags::volume(ctx))
                .collect(),
        ),
        ..PodSpec::default()
    }
}

/// A pod under the restricted Pod Security Standard, running as user and group `id`.
pub(super) fn restricted_pod(id: i64) -> PodSecurityContext {
    PodSecurityContext {
        run_as_group: Some(id),
        run_as_non_root: Some(true),
        run_as_user: Some(id),
        seccomp_profile: Some(runtime_default()),
        ..PodSecurityContext::default()
    }
}

/// A container under the restricted Pod Security Standard, running as user and group `id`:
/// no privilege escalation, every capability dropped, a read-only root file system.
pub(super) fn restricted_container(id: i64) -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".to_owned()]),
            add: None,
        }),
        read_only_root_filesystem: Some(true),
        run_as_group: Some(id),
        run_as_non_root: Some(true),
        run_as_user: Some(id),
        seccomp_profile: Some(runtime_default()),
        ..SecurityContext::default()
    }
}

/// The writable `/tmp` of a container whose root file system is read-only: an in-memory
/// volume of at most `size_limit`, mounted by [`scratch_mount`].
pub(super) fn scratch_volume(size_limit: &str) -> Volume {
    Volume {
        name: "tmp".to_owned(),
        empty_dir: Some(EmptyDirVolumeSource {
            size_limit: Some(Quantity(size_limit.to_owned())),
            ..EmptyDirVolumeSource::default()
        }),
        ..Volume::default()
    }
}

/// The mount of [`scratch_volume`] at `/tmp`.
pub(super) fn scratch_mount() -> VolumeMount {
    VolumeMount {
        mount_path: "/tmp".to_owned(),
        name: "tmp".to_owned(),
        ..VolumeMount::default()
    }
}

/// The container runtime's default seccomp profile.
fn runtime_default() -> SeccompProfile {
    SeccompProfile {
        type_: "RuntimeDefault".to_owned(),
        localhost_profile: None,
    }
}

fn container(ctx: &Context<'_>, id: i64) -> Container {
    let metrics = ctx.contract.capabilities.contains(&CapabilityName::Metrics);
    let mut ports = Vec::new();
    if ctx.serves_http() {
        ports.push(container_port("http", HTTP_PORT));
    }
    if ctx.serves_grpc() {
        ports.push(container_port("grpc", GRPC_PORT));
    }
    if metrics {
        ports.push(container_port("metrics", METRICS_PORT));
    }
    let probe = probe(ctx);
    Container {
        name: "app".to_owned(),
        image: Some(ctx.image.clone()),
        image_pull_policy: Some("IfNotPresent".to_owned()),
        env: Some(environment(ctx)).filter(|env| !env.is_empty()),
        env_from: Some(vec![EnvFromSource {
            secret_ref: Some(SecretEnvSource {
                name: secrets::app_secret_name(ctx),
                optional: Some(true),
            }),
            ..EnvFromSource::default()
        }]),
        ports: (!ports.is_empty()).then_some(ports),
        readiness_probe: probe.clone(),
        liveness_probe: probe,
        resources: Some(resources(&ctx.tier.requests, &ctx.tier.limits)),
        security_context: Some(restricted_container(id)),
        volume_mounts: Some(vec![scratch_mount()]),
        ..Container::default()
    }
}

fn container_port(name: &str, port: u16) -> ContainerPort {
    ContainerPort {
        container_port: i32::from(port),
        name: Some(name.to_owned()),
        protocol: Some("TCP".to_owned()),
        ..ContainerPort::default()
    }
}

/// HTTP workloads answer `GET /healthz` (a static site `/`); gRPC uses the gRPC health probe.
fn probe(ctx: &Context<'_>) -> Option<Probe> {
    let base = Probe {
        period_seconds: Some(10),
        timeout_seconds: Some(2),
        failure_threshold: Some(3),
        ..Probe::default()
    };
    if ctx.serves_http() {
        let path = if ctx.is_static() { "/" } else { "/healthz" };
        return Some(Probe {
            http_get: Some(HTTPGetAction {
                path: Some(path.to_owned()),
                port: IntOrString::String("http".to_owned()),
                ..HTTPGetAction::default()
            }),
            ..base
        });
    }
    ctx.serves_grpc().then(|| Probe {
        grpc: Some(GRPCAction {
            port: i32::from(GRPC_PORT),
            ..GRPCAction::default()
        }),
        ..base
    })
}

/// The container's environment, one value per variable of [`platform_environment`]. Names
/// depend on the contract only (the portability invariant); values may depend on the profile.
fn environment(ctx: &Context<'_>) -> Vec<EnvVar> {
    let plain = |variable: PlatformVariable, value: String| EnvVar {
        name: variable.name(),
        value: Some(value),
        value_from: None,
    };
    platform_environment(ctx.contract)
        .into_iter()
        .map(|variable| match variable {
            PlatformVariable::Database(key) => EnvVar {
                name: key.name().to_owned(),
                value: None,
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector {
                        key: key.name().to_owned(),
                        name: secrets::database_secret_name(ctx),
                        optional: Some(false),
                    }),
                    ..EnvVarSource::default()
                }),
            },
            PlatformVariable::OtlpEndpoint => {
                plain(variable, ctx.profile.spec.telemetry.otlp_endpoint.clone())
            }
            PlatformVariable::ServiceName => plain(variable, ctx.name().to_owned()),
            PlatformVariable::DependencyHost(workload) => plain(
                variable,
                dependency_host(workload, &ctx.profile.spec.namespace_pattern),
            ),
            PlatformVariable::ResourceAttributes => {
                let classification = serde_json::to_value(ctx.profile.spec.classification)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                plain(variable, format!("deployment.environment={classification}"))
            }
            PlatformVariable::Port
            | PlatformVariable::GrpcPort
            | PlatformVariable::MetricsPort
            | PlatformVariable::OtlpProtocol
            | PlatformVariable::FlagdHost
            | PlatformVariable::FlagdPort => {
                plain(variable, variable.fixed_value().unwrap_or_default())
            }
        })
        .collect()
}

fn service(ctx: &Context<'_>) -> Service {
    let (name, port, target) = if ctx.serves_grpc() {
        ("grpc", GRPC_PORT, "grpc")
    } else {
        ("http", 80, "http")
    };
    let mut ports = vec![ServicePort {
        name: Some(name.to_owned()),
        port: i32::from(port),
        protocol: Some("TCP".to_owned()),
        target_port: Some(IntOrString::String(target.to_owned())),
        ..ServicePort::default()
    }];
    if ctx.contract.capabilities.contains(&CapabilityName::Metrics) {
        ports.push(ServicePort {
            name: Some("metrics".to_owned()),
            port: i32::from(METRICS_PORT),
            protocol: Some("TCP".to_owned()),
            target_port: Some(IntOrString::String("metrics".to_owned())),
            ..ServicePort::default()
        });
    }
    Service {
        metadata: ctx.tenant_meta(ctx.name()),
        spec: Some(ServiceSpec {
            type_: Some("ClusterIP".to_owned()),
            selector: Some(ctx.selector_labels()),
            ports: Some(ports),
            ..ServiceSpec::default()
        }),
        ..Service::default()
    }
}

// See `deployment` for `.into()` on `spec`.
#[allow(clippy::useless_conversion)]
fn autoscaler(ctx: &Context<'_>) -> HorizontalPodAutoscaler {
    let bounds = &ctx.tier.autoscaling;
    HorizontalPodAutoscaler {
        metadata: ctx.tenant_meta(ctx.name()),
        spec: HorizontalPodAutoscalerSpec {
            scale_target_ref: CrossVersionObjectReference {
                api_version: Some("apps/v1".to_owned()),
                kind: "Deployment".to_owned(),
                name: ctx.name().to_owned(),
            },
            min_replicas: Some(i32::try_from(bounds.min_replicas).unwrap_or(1)),
            max_replicas: i32::try_from(bounds.max_replicas).unwrap_or(1),
            metrics: Some(vec![MetricSpec {
                type_: "Resource".to_owned(),
                resource: Some(ResourceMetricSource {
                    name: "cpu".to_owned(),
                    target: MetricTarget {
                        type_: "Utilization".to_owned(),
                        average_utilization: Some(
                            i32::try_from(bounds.cpu_utilization).unwrap_or(80),
                        ),
                        ..MetricTarget::default()
                    },
                }),
                ..MetricSpec::default()
            }]),
            ..HorizontalPodAutoscalerSpec::default()
        }
        .into(),
        ..HorizontalPodAutoscaler::default()
    }
}

fn disruption_budget(ctx: &Context<'_>) -> PodDisruptionBudget {
    PodDisruptionBudget {
        metadata: ctx.tenant_meta(ctx.name()),
        spec: Some(PodDisruptionBudgetSpec {
            min_available: Some(IntOrString::Int(1)),
            selector: Some(ctx.selector()),
            ..PodDisruptionBudgetSpec::default()
        }),
        ..PodDisruptionBudget::default()
    }
}
