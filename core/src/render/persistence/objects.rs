//! The Kubernetes side of provisioning, all in the platform namespace: the generated tenant
//! password pushed to the store, the Job's credentials, the script, the Job that runs it and
//! the Job's NetworkPolicy.

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapVolumeSource, Container, EnvFromSource, EnvVar, PodSpec, PodTemplateSpec,
    ResourceRequirements, SecretEnvSource, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{Tenant, isolation};
use crate::contract::model::Engine;
use crate::manifest::{Manifest, Object, Zone};
use crate::render::context::Context;
use crate::render::custom::{
    CustomResource, ExternalSecretData, ExternalSecretSpec, ExternalSecretTarget, GeneratorRef,
    PasswordSpec, PushRemoteRef, PushSecretData, PushSecretMatch, PushSecretSelector,
    PushSecretSpec, RemoteRef, SecretStoreRef,
};
use crate::render::workload::{
    restricted_container, restricted_pod, scratch_mount, scratch_volume,
};

/// Where the script is mounted in the Job's container.
const SCRIPT_DIR: &str = "/zave";

/// A generated password of the tenant: the generator, and where the push puts it.
struct GeneratedPassword {
    /// The generator's and the PushSecret's name.
    object: String,
    /// The store key (property `password`).
    store_key: String,
    /// The variable the Job reads it from.
    variable: &'static str,
}

fn generated_passwords(ctx: &Context<'_>, tenant: &Tenant<'_>) -> Vec<GeneratedPassword> {
    let mut passwords = vec![GeneratedPassword {
        object: format!("{}-db-password", tenant.name),
        store_key: ctx.secret_key("db"),
        variable: "ZAVE_APP_PASSWORD",
    }];
    if tenant.engine == Engine::Postgres {
        passwords.push(GeneratedPassword {
            object: format!("{}-db-migrator-password", tenant.name),
            store_key: ctx.secret_key("db-migrator"),
            variable: "ZAVE_MIGRATOR_PASSWORD",
        });
    }
    passwords
}

/// Every provisioning object of the tenant.
pub fn render(ctx: &Context<'_>, tenant: &Tenant<'_>) -> Vec<Manifest> {
    let namespace = ctx.profile.spec.gitops.platform_namespace.as_str();
    let meta = |name: &str| ctx.meta(name, Some(namespace));
    let store = SecretStoreRef {
        kind: "ClusterSecretStore",
        name: ctx.profile.spec.secrets.store.clone(),
    };
    let passwords = generated_passwords(ctx, tenant);
    let mut manifests = Vec::new();
    for password in &passwords {
        manifests.push(Manifest::new(
            Zone::Platform,
            Object::Password(CustomResource {
                api_version: "generators.external-secrets.io/v1alpha1",
                kind: "Password",
                metadata: meta(&password.object),
                spec: PasswordSpec {
                    length: 32,
                    digits: 8,
                    symbols: 0,
                    no_upper: false,
                    allow_repeat: true,
                },
            }),
        ));
        manifests.push(Manifest::new(
            Zone::Platform,
            Object::PushSecret(CustomResource {
                api_version: "external-secrets.io/v1alpha1",
                kind: "PushSecret",
                metadata: meta(&password.object),
                spec: PushSecretSpec {
                    refresh_interval: ctx.profile.spec.secrets.refresh_interval.clone(),
                    update_policy: "IfNotExists",
                    deletion_policy: "None",
                    secret_store_refs: vec![store.clone()],
                    selector: PushSecretSelector {
                        generator_ref: GeneratorRef {
                            api_version: "generators.external-secrets.io/v1alpha1",
                            kind: "Password",
                            name: password.object.clone(),
                        },
                    },
                    data: vec![PushSecretData {
                        matching: PushSecretMatch {
                            secret_key: "password".to_owned(),
                            remote_ref: PushRemoteRef {
                                remote_key: password.store_key.clone(),
                                property: "password".to_owned(),
                            },
                        },
                    }],
                },
            }),
        ));
    }

    let credentials = format!("{}-db-provision", tenant.name);
    let admin_key = &tenant.server.admin_secret_key;
    let read = |variable: &str, key: &str, property: &str| ExternalSecretData {
        secret_key: variable.to_owned(),
        remote_ref: RemoteRef {
            key: key.to_owned(),
            property: Some(property.to_owned()),
        },
    };
    let mut data = vec![
        read("ZAVE_ADMIN_PASSWORD", admin_key, "password"),
        read("ZAVE_ADMIN_USER", admin_key, "username"),
    ];
    data.extend(
        passwords
            .iter()
            .map(|p| read(p.variable, &p.store_key, "password")),
    );
    manifests.push(Manifest::new(
        Zone::Platform,
        Object::ExternalSecret(CustomResource {
            api_version: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: meta(&credentials),
            spec: ExternalSecretSpec {
                refresh_interval: ctx.profile.spec.secrets.refresh_interval.clone(),
                secret_store_ref: store,
                target: ExternalSecretTarget {
                    name: credentials.clone(),
                    creation_policy: "Owner",
                    template: None,
                },
                data,
                data_from: Vec::new(),
            },
        }),
    ));

    let script = tenant.script();
    let image = &tenant.server.provisioning_image;
    let run_name = format!("{}-db-init-{}", tenant.name, run_hash(&script, image));
    let config_map = ConfigMap {
        metadata: meta(&run_name),
        data: Some(
            script
                .files
                .iter()
                .map(|(name, content)| ((*name).to_owned(), content.clone()))
                .collect(),
        ),
        immutable: Some(true),
        ..ConfigMap::default()
    };
    manifests.push(Manifest::new(Zone::Platform, Object::ConfigMap(config_map)));
    manifests.push(Manifest::new(
        Zone::Platform,
        Object::Job(Box::new(job(
            ctx,
            tenant,
            meta(&run_name),
            image,
            &credentials,
        ))),
    ));
    manifests.push(isolation::policy(ctx, tenant));
    manifests
}

/// The short hash in the Job's name: of the script and the image, so a change to either is a
/// new Job that runs again (a Job's pod template cannot be changed in place).
fn run_hash(script: &super::ProvisionScript, image: &str) -> String {
    super::short_hash(script.entries().chain([("image", image)]))
}

fn job(
    ctx: &Context<'_>,
    tenant: &Tenant<'_>,
    mut metadata: ObjectMeta,
    image: &str,
    credentials: &str,
) -> Job {
    let id = i64::from(ctx.profile.spec.run_as_user);
    let name = metadata.name.clone().unwrap_or_default();
    if let Some(annotations) = metadata.annotations.as_mut() {
        // Flux creates the Job once and leaves it (a finished Job is not re-applied);
        // Argo CD, if it syncs this folder, replaces rather than patches it.
        annotations.insert(
            "kustomize.toolkit.fluxcd.io/ssa".to_owned(),
            "IfNotPresent".to_owned(),
        );
        annotations.insert(
            "argocd.argoproj.io/sync-options".to_owned(),
            "Force=true,Replace=true".to_owned(),
        );
    }
    let limits = |cpu: &str, memory: &str| {
        BTreeMap::from([
            ("cpu".to_owned(), Quantity(cpu.to_owned())),
            ("memory".to_owned(), Quantity(memory.to_owned())),
        ])
    };
    let container = Container {
        name: "provision".to_owned(),
        image: Some(image.to_owned()),
        image_pull_policy: Some("IfNotPresent".to_owned()),
        command: Some(vec!["/bin/sh".to_owned(), format!("{SCRIPT_DIR}/run.sh")]),
        env: Some(vec![EnvVar {
            name: "HOME".to_owned(),
            value: Some("/tmp".to_owned()),
            value_from: None,
        }]),
        env_from: Some(vec![EnvFromSource {
            secret_ref: Some(SecretEnvSource {
                name: credentials.to_owned(),
                optional: Some(false),
            }),
            ..EnvFromSource::default()
        }]),
        resources: Some(ResourceRequirements {
            limits: Some(limits("250m", "128Mi")),
            requests: Some(limits("50m", "64Mi")),
            ..ResourceRequirements::default()
        }),
        security_context: Some(restricted_container(id)),
        volume_mounts: Some(vec![
            VolumeMount {
                mount_path: SCRIPT_DIR.to_owned(),
                name: "script".to_owned(),
                read_only: Some(true),
                ..VolumeMount::default()
            },
            scratch_mount(),
        ]),
        ..Container::default()
    };
    let pod = PodSpec {
        automount_service_account_token: Some(false),
        containers: vec![container],
        enable_service_links: Some(false),
        restart_policy: Some("Never".to_owned()),
        security_context: Some(restricted_pod(id)),
        volumes: Some(vec![
            Volume {
                name: "script".to_owned(),
                config_map: Some(ConfigMapVolumeSource {
                    name: name.clone(),
                    default_mode: Some(0o444),
                    ..ConfigMapVolumeSource::default()
                }),
                ..Volume::default()
            },
            scratch_volume("16Mi"),
        ]),
        ..PodSpec::default()
    };
    Job {
        metadata,
        spec: Some(JobSpec {
            // Long enough for External Secrets to deliver a first password after a retry or two.
            active_deadline_seconds: Some(3600),
            backoff_limit: Some(6),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(isolation::pod_labels(tenant)),
                    ..ObjectMeta::default()
                }),
                spec: Some(pod),
            },
            ..JobSpec::default()
        }),
        ..Job::default()
    }
}
