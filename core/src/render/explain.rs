//! `explain`: for each rendered object, which contract field, profile setting, input, default
//! or platform convention produced each part.

use serde::Serialize;

use super::context::{Context, GRPC_PORT, HTTP_PORT, METRICS_PORT};
use super::persistence::pooler;
use crate::contract::model::{CapabilityName, Exposure};
use crate::diagnostic::{Code, Diagnostic};
use crate::manifest::{Manifest, Object};

/// Where a part of an object came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "lowercase")]
pub enum Origin {
    /// A field of the contract, as written (`spec.exposure`).
    Contract(String),
    /// A setting of the profile (`spec.tiers.standard.requests`).
    Profile(String),
    /// A default or injection zave applied, with its code.
    Mutation(String),
    /// An input from CI (`--image`, `--version-label`, `--bundle`).
    Input(String),
    /// A platform convention zave always applies.
    Convention(String),
}

/// One part of one object and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The object, as `Kind/name`.
    pub object: String,
    /// The part of the object, as a field path such as `spec.replicas`.
    pub part: String,
    /// Where it came from.
    pub origins: Vec<Origin>,
}

/// Every explanation of a render, object by object in the one order.
pub fn explain(
    ctx: &Context<'_>,
    manifests: &[Manifest],
    findings: &[Diagnostic],
) -> Vec<Explanation> {
    let mut out = Vec::new();
    let profile = |setting: &str| Origin::Profile(format!("{}: {setting}", ctx.profile.name()));
    let contract = |field: &str| Origin::Contract(field.to_owned());
    let convention = |text: &str| Origin::Convention(text.to_owned());
    let tier = ctx.contract.tier.as_str();
    let tier_origin = if findings.iter().any(|f| f.code == Code::TierDefaulted) {
        Origin::Mutation(format!(
            "W002: spec.resources.tier defaulted to {tier} (profile spec.defaultTier)"
        ))
    } else {
        contract("spec.resources.tier")
    };
    for manifest in manifests {
        let object = &manifest.object;
        let id = format!("{}/{}", object.kind(), object.name());
        let mut part = |part: &str, origins: Vec<Origin>| {
            out.push(Explanation {
                object: id.clone(),
                part: part.to_owned(),
                origins,
            });
        };
        part(
            "metadata.labels, metadata.annotations",
            vec![
                contract("metadata.name"),
                convention(
                    "labels and annotations every object carries (contract hash, generator version)",
                ),
                profile("metadata.name (zave.io/profile)"),
                Origin::Input("--bundle (zave.io/platform-bundle)".to_owned()),
            ],
        );
        let namespace = object.metadata().namespace.as_deref();
        if namespace == Some(ctx.profile.spec.gitops.platform_namespace.as_str()) {
            part(
                "metadata.namespace",
                vec![
                    profile("spec.gitops.platformNamespace"),
                    convention("database provisioning runs in the platform namespace"),
                ],
            );
        } else if namespace.is_some()
            && !matches!(
                object,
                Object::Application(_) | Object::FluxKustomization(_)
            )
        {
            part(
                "metadata.namespace",
                vec![profile("spec.namespacePattern"), contract("metadata.name")],
            );
        }
        match object {
            Object::Namespace(_) => {
                part(
                    "metadata.name",
                    vec![profile("spec.namespacePattern"), contract("metadata.name")],
                );
                part(
                    "metadata.labels[pod-security.kubernetes.io/*]",
                    vec![
                        convention("Pod Security restricted"),
                        profile("spec.kubernetesVersion"),
                    ],
                );
            }
            Object::ResourceQuota(_) => {
                part(
                    "spec.hard",
                    vec![
                        tier_origin.clone(),
                        profile(&format!("spec.tiers.{tier}.quota")),
                    ],
                );
                part(
                    "spec.hard[services.*]",
                    vec![convention("no LoadBalancer or NodePort services")],
                );
            }
            Object::LimitRange(_) => part(
                "spec.limits",
                vec![
                    tier_origin.clone(),
                    profile(&format!("spec.tiers.{tier}.requests, limits")),
                ],
            ),
            Object::NetworkPolicy(policy) => {
                let name = policy.metadata.name.as_deref().unwrap_or_default();
                let origins = match name {
                    "default-deny" => vec![convention("deny all ingress and egress by default")],
                    "allow-dns" => vec![
                        convention("every namespace resolves names"),
                        profile("spec.dns"),
                    ],
                    "allow-from-ingress" => {
                        vec![contract("spec.exposure"), profile("spec.ingress.from")]
                    }
                    "allow-from-tenants" => {
                        vec![contract("spec.exposure"), convention("tenant namespaces")]
                    }
                    "allow-from-prometheus" => vec![
                        contract("spec.capabilities (metrics)"),
                        profile("spec.telemetry.prometheus"),
                    ],
                    "allow-to-database" => vec![
                        contract("spec.persistence.engine"),
                        profile("spec.databases.<engine>.network"),
                    ],
                    "allow-to-otlp-collector" => vec![
                        contract("spec.capabilities (tracing)"),
                        profile("spec.telemetry.collector"),
                    ],
                    "allow-to-dependencies" => vec![
                        contract("spec.dependencies"),
                        profile("spec.namespacePattern"),
                    ],
                    _ if name.ends_with("-migrate") => vec![
                        contract("spec.persistence.migrations"),
                        profile("spec.databases.<engine>.serverNetwork (else network)"),
                        convention("migrations connect to the server itself, for advisory locks"),
                    ],
                    _ => vec![
                        contract("spec.persistence.engine"),
                        profile("spec.databases.<engine>.serverNetwork"),
                        convention("the provisioning Job reaches only DNS and its server"),
                    ],
                };
                part("spec", origins);
            }
            Object::ServiceAccount(_) => {
                part(
                    "automountServiceAccountToken",
                    vec![convention("no API token in tenant pods")],
                );
                if !ctx
                    .profile
                    .spec
                    .secrets
                    .service_account_annotations
                    .is_empty()
                {
                    part(
                        "metadata.annotations",
                        vec![profile("spec.secrets.serviceAccountAnnotations")],
                    );
                }
            }
            Object::Deployment(_) => explain_deployment(ctx, &tier_origin, findings, &mut part),
            Object::Service(_) => part(
                "spec.ports",
                vec![
                    contract("spec.exposure"),
                    convention(&format!(
                        "http {HTTP_PORT} behind port 80, grpc {GRPC_PORT}, metrics {METRICS_PORT}"
                    )),
                ],
            ),
            Object::Ingress(_) | Object::HttpRoute(_) => {
                part(
                    "spec",
                    vec![
                        contract("spec.exposure (public-http)"),
                        profile("spec.ingress"),
                    ],
                );
                part(
                    "host",
                    vec![profile("spec.ingress.host"), contract("metadata.name")],
                );
            }
            Object::HorizontalPodAutoscaler(_) => part(
                "spec",
                vec![
                    profile("spec.availability.autoscaling"),
                    tier_origin.clone(),
                    profile(&format!("spec.tiers.{tier}.autoscaling")),
                ],
            ),
            Object::PodDisruptionBudget(_) => part(
                "spec.minAvailable",
                vec![
                    profile("spec.availability.disruptionBudget"),
                    convention("keep one replica up"),
                ],
            ),
            Object::Password(_) | Object::PushSecret(_) => part(
                "spec",
                vec![
                    contract("spec.persistence.engine"),
                    profile("spec.secrets.store, keyPattern"),
                    convention(
                        "the tenant password is generated in the cluster and pushed to the store once",
                    ),
                ],
            ),
            Object::ConfigMap(map)
                if map.metadata.name.as_deref() == Some(&pooler::entry_name(ctx.name())) =>
            {
                part(
                    "data",
                    vec![
                        contract("spec.persistence.engine"),
                        profile("spec.databases.postgres (host, port, pooler)"),
                        tier_origin.clone(),
                        profile(&format!("spec.tiers.{tier}.dbPool, dbConnectionLimit")),
                        convention("gathered with every tenant's into platform/pooler/"),
                    ],
                );
            }
            Object::ConfigMap(map) if map.metadata.namespace.as_deref() == Some(&ctx.namespace) => {
                part(
                    "metadata.name",
                    vec![convention(
                        "<name>-flags-<hash of the flag set>: a changed set rolls the pods",
                    )],
                );
                part(
                    "data",
                    vec![
                        capability_origin(findings, CapabilityName::FeatureFlags),
                        Origin::Input("--flags-file".to_owned()),
                    ],
                );
            }
            Object::Job(job) if job.metadata.namespace.as_deref() == Some(&ctx.namespace) => {
                part(
                    "metadata.name",
                    vec![convention(
                        "<name>-migrate-<hash of the image and command>: an Argo CD PreSync hook",
                    )],
                );
                part(
                    "spec",
                    vec![
                        contract("spec.persistence.migrations.command"),
                        Origin::Input("--image".to_owned()),
                        convention("the migrator's Secret, straight to the server"),
                    ],
                );
            }
            Object::ConfigMap(_) | Object::Job(_) => {
                part(
                    "metadata.name",
                    vec![convention(
                        "<name>-db-init-<hash of the script and image>: a changed script runs again",
                    )],
                );
                part(
                    "spec",
                    vec![
                        contract("spec.persistence.engine"),
                        profile(
                            "spec.databases.<engine> (host, port, isolation, provisioningImage)",
                        ),
                        tier_origin.clone(),
                        profile(&format!("spec.tiers.{tier}.dbConnectionLimit, dbTimeouts")),
                        convention("the platform's hardened tenant model"),
                    ],
                );
            }
            Object::ExternalSecret(secret) => {
                let secret_name = secret.metadata.name.as_deref().unwrap_or_default();
                let is_database =
                    secret_name.ends_with("-db") || secret_name.ends_with("-db-migrator");
                let mut origins = vec![profile("spec.secrets.store, keyPattern, refreshInterval")];
                if secret_name.ends_with("-db-provision") {
                    origins.insert(0, contract("spec.persistence.engine"));
                    origins.push(profile("spec.databases.<engine>.adminSecretKey"));
                    origins.push(convention(
                        "admin credentials only in the platform namespace, for the provisioning Job",
                    ));
                } else if is_database {
                    origins.insert(0, contract("spec.persistence.engine"));
                    origins.push(profile("spec.databases.<engine> (host, port, pooler)"));
                    origins.push(convention(
                        "password referenced from the store, never written",
                    ));
                } else {
                    origins.push(convention("the tenant's own secrets under <key>/app"));
                }
                part("spec", origins);
            }
            Object::ServiceMonitor(_) | Object::PodMonitor(_) => {
                part(
                    "spec",
                    vec![
                        capability_origin(findings, CapabilityName::Metrics),
                        profile("spec.telemetry.serviceMonitorLabels"),
                    ],
                );
            }
            Object::Application(_) => {
                part(
                    "metadata.annotations[argocd.argoproj.io/manifest-generate-paths], metadata.finalizers",
                    vec![convention(
                        "refreshed only by commits to its own folder; its resources deleted in foreground first",
                    )],
                );
                part(
                    "spec",
                    vec![
                        profile("spec.gitops"),
                        convention("automated prune and self-heal of tenants/<name>"),
                    ],
                );
            }
            Object::FluxKustomization(_) => {
                part(
                    "metadata.namespace, spec.sourceRef, spec.interval, spec.dependsOn",
                    vec![profile("spec.gitops.flux")],
                );
                part(
                    "spec.path",
                    vec![
                        profile("spec.gitops.pathPrefix"),
                        convention("prune of platform/tenants/<name>, and nothing else"),
                    ],
                );
            }
        }
    }
    out
}

fn explain_deployment(
    ctx: &Context<'_>,
    tier_origin: &Origin,
    findings: &[Diagnostic],
    part: &mut impl FnMut(&str, Vec<Origin>),
) {
    let profile = |setting: &str| Origin::Profile(format!("{}: {setting}", ctx.profile.name()));
    let availability = &ctx.profile.spec.availability;
    if availability.autoscaling {
        part(
            "spec.replicas",
            vec![profile(
                "spec.availability.autoscaling (left to the autoscaler)",
            )],
        );
    } else if availability.replicas.is_some() {
        part("spec.replicas", vec![profile("spec.availability.replicas")]);
    } else {
        part(
            "spec.replicas",
            vec![
                tier_origin.clone(),
                profile(&format!("spec.tiers.{}.replicas", ctx.contract.tier)),
            ],
        );
    }
    let image = if findings.iter().any(|f| f.code == Code::BootstrapImage) {
        Origin::Mutation(
            "W004: no image given; bootstrap image from profile spec.registry.prefix".to_owned(),
        )
    } else {
        Origin::Input("--image".to_owned())
    };
    part("spec.template.spec.containers[app].image", vec![image]);
    part(
        "spec.template.spec.containers[app].resources",
        vec![
            tier_origin.clone(),
            profile(&format!(
                "spec.tiers.{}.requests, limits",
                ctx.contract.tier
            )),
        ],
    );
    let mut env = Vec::new();
    if ctx.serves_http() {
        env.push(Origin::Contract("spec.exposure (PORT)".to_owned()));
    }
    if ctx.serves_grpc() {
        env.push(Origin::Contract("spec.exposure (GRPC_PORT)".to_owned()));
    }
    if ctx.contract.capabilities.contains(&CapabilityName::Metrics) {
        env.push(capability_origin(findings, CapabilityName::Metrics));
    }
    if ctx.contract.capabilities.contains(&CapabilityName::Tracing) {
        env.push(Origin::Contract(
            "spec.capabilities (tracing: OTEL_*)".to_owned(),
        ));
        env.push(profile("spec.telemetry.otlpEndpoint"));
    }
    if ctx
        .contract
        .capabilities
        .contains(&CapabilityName::FeatureFlags)
    {
        env.push(capability_origin(findings, CapabilityName::FeatureFlags));
    }
    if ctx.contract.engine.is_some() {
        env.push(Origin::Contract(
            "spec.persistence.engine (DATABASE_URL, DB_* or REDIS_URL from <name>-db)".to_owned(),
        ));
    }
    part("spec.template.spec.containers[app].env", env);
    let probe = match ctx.contract.exposure {
        Exposure::PublicHttp | Exposure::InternalHttp if ctx.is_static() => "GET / on port http",
        Exposure::PublicHttp | Exposure::InternalHttp => "GET /healthz on port http",
        Exposure::Grpc => "gRPC health probe on port grpc",
        Exposure::None | Exposure::Async => "no probe for a worker",
    };
    part(
        "spec.template.spec.containers[app].readinessProbe, livenessProbe",
        vec![
            Origin::Contract("spec.exposure, spec.runtime".to_owned()),
            Origin::Convention(probe.to_owned()),
        ],
    );
    part(
        "spec.template.spec.securityContext, containers[app].securityContext",
        vec![Origin::Convention("restricted Pod Security: non-root, no escalation, drop ALL, read-only root, seccomp RuntimeDefault".to_owned()), profile("spec.runAsUser")],
    );
    if ctx
        .contract
        .capabilities
        .contains(&CapabilityName::FeatureFlags)
    {
        part(
            "spec.template.spec.initContainers[flagd]",
            vec![
                capability_origin(findings, CapabilityName::FeatureFlags),
                profile("spec.featureFlags (image, requests, limits)"),
                Origin::Convention("a native sidecar (restartPolicy: Always), restricted like the app, serving the mounted flag set on localhost".to_owned()),
            ],
        );
    }
    if availability.zone_spread {
        part(
            "spec.template.spec.topologySpreadConstraints",
            vec![profile("spec.availability.zoneSpread")],
        );
    }
    if ctx.version.is_some() {
        part(
            "metadata.labels[app.kubernetes.io/version]",
            vec![Origin::Input("--version-label".to_owned())],
        );
    }
}

/// Where a capability came from: the contract, or the profile's injection (W003).
pub(super) fn capability_origin(findings: &[Diagnostic], capability: CapabilityName) -> Origin {
    let quoted = format!("\"{capability}\"");
    if findings
        .iter()
        .any(|f| f.code == Code::CapabilityInjected && f.message.contains(&quoted))
    {
        Origin::Mutation(format!(
            "W003: capability {capability} injected by the profile's spec.policy.requiredCapabilities"
        ))
    } else {
        Origin::Contract(format!("spec.capabilities ({capability})"))
    }
}
