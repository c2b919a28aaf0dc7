//! The tenant's schema migrations: an Argo CD `PreSync` hook Job in the tenant namespace that
//! runs the contract's migration command in the workload's own image as the migrator, and the
//! NetworkPolicy that lets exactly its pods reach the database server.
//!
//! The Job connects to the server directly, never through the pooler: migration tools hold a
//! session-level advisory lock for the whole run (so two syncs never migrate at once) and set
//! session state, and a transaction-mode pooler hands the server connection to another client
//! between transactions, which would lose the lock or leak the state. The migrator's Secret
//! (`<name>-db-migrator`) therefore names the server, not the pooler.

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{
    Container, EnvFromSource, PodSpec, PodTemplateSpec, SecretEnvSource,
};
use k8s_openapi::api::networking::v1::{NetworkPolicy, NetworkPolicySpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::Tenant;
use crate::contract::model::Engine;
use crate::manifest::{Manifest, Object, Zone};
use crate::render::context::Context;
use crate::render::network::egress_rule;
use crate::render::secrets::{database_secret_name, migrator_secret_name};
use crate::render::tenancy::resources;
use crate::render::workload::{
    pull_secrets, restricted_container, restricted_pod, scratch_mount, scratch_volume,
};

/// The longest one migration run may take before Kubernetes stops it, in seconds.
const DEADLINE_SECONDS: i64 = 900;
/// How many times a failed migration pod is retried before the sync fails.
const RETRIES: i32 = 2;

/// The migration Job and its NetworkPolicy, when the contract has a migration command.
pub fn render(ctx: &Context<'_>, tenant: &Tenant<'_>) -> Vec<Manifest> {
    let Some(command) = ctx.contract.migrations.as_deref() else {
        return Vec::new();
    };
    vec![
        Manifest::new(
            Zone::Workload,
            Object::Job(Box::new(job(ctx, tenant, command))),
        ),
        Manifest::new(Zone::Workload, Object::NetworkPolicy(policy(ctx, tenant))),
    ]
}

/// The Job's name: `<name>-migrate-<hash>`, the hash of the image and the command, so a new
/// image or command is a new Job (a Job's pod template cannot change in place).
pub fn job_name(name: &str, image: &str, command: &[String]) -> String {
    let entries = std::iter::once(("image", image)).chain(
        command
            .iter()
            .map(|argument| ("argument", argument.as_str())),
    );
    format!("{name}-migrate-{}", super::short_hash(entries))
}

/// The labels of the migration pods: not the workload's selector (they receive no traffic and
/// no Service selects them), but what their own NetworkPolicy selects.
fn pod_labels(ctx: &Context<'_>) -> BTreeMap<String, String> {
    BTreeMap::from([
        (
            "app.kubernetes.io/name".to_owned(),
            format!("{}-migrate", ctx.name()),
        ),
        ("zave.io/workload".to_owned(), ctx.name().to_owned()),
    ])
}

/// The Secret the migration reads its connection from: the migrator's on PostgreSQL (it acts
/// as the schema's owner), the application's on MySQL (whose user holds the schema rights).
fn credentials(ctx: &Context<'_>, tenant: &Tenant<'_>) -> String {
    match tenant.engine {
        Engine::Postgres => migrator_secret_name(ctx),
        _ => database_secret_name(ctx),
    }
}

fn job(ctx: &Context<'_>, tenant: &Tenant<'_>, command: &[String]) -> Job {
    let id = i64::from(ctx.profile.spec.run_as_user);
    let mut metadata = ctx.tenant_meta(job_name(ctx.name(), &ctx.image, command));
    if let Some(annotations) = metadata.annotations.as_mut() {
        // Argo CD runs it before every sync and deletes the previous run's Job first.
        annotations.insert("argocd.argoproj.io/hook".to_owned(), "PreSync".to_owned());
        annotations.insert(
            "argocd.argoproj.io/hook-delete-policy".to_owned(),
            "BeforeHookCreation".to_owned(),
        );
    }
    let container = Container {
        name: "migrate".to_owned(),
        image: Some(ctx.image.clone()),
        image_pull_policy: Some("IfNotPresent".to_owned()),
        command: Some(command.to_vec()),
        env_from: Some(vec![EnvFromSource {
            secret_ref: Some(SecretEnvSource {
                name: credentials(ctx, tenant),
                optional: Some(false),
            }),
            ..EnvFromSource::default()
        }]),
        resources: Some(resources(&ctx.tier.requests, &ctx.tier.limits)),
        security_context: Some(restricted_container(id)),
        volume_mounts: Some(vec![scratch_mount()]),
        ..Container::default()
    };
    let pod = PodSpec {
        automount_service_account_token: Some(false),
        containers: vec![container],
        enable_service_links: Some(false),
        image_pull_secrets: pull_secrets(ctx),
        restart_policy: Some("Never".to_owned()),
        security_context: Some(restricted_pod(id)),
        service_account_name: Some(ctx.name().to_owned()),
        volumes: Some(vec![scratch_volume("64Mi")]),
        ..PodSpec::default()
    };
    Job {
        metadata,
        spec: Some(JobSpec {
            active_deadline_seconds: Some(DEADLINE_SECONDS),
            backoff_limit: Some(RETRIES),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(pod_labels(ctx)),
                    ..ObjectMeta::default()
                }),
                spec: Some(pod),
            },
            ..JobSpec::default()
        }),
        ..Job::default()
    }
}

/// Egress from the migration pods to the database server itself (`serverNetwork` where a
/// pooler stands in front, else `network`); no ingress. DNS is the namespace's `allow-dns`,
/// which selects every pod.
fn policy(ctx: &Context<'_>, tenant: &Tenant<'_>) -> NetworkPolicy {
    let server = tenant
        .server
        .server_network
        .as_ref()
        .unwrap_or(&tenant.server.network);
    NetworkPolicy {
        metadata: ctx.tenant_meta(format!("{}-migrate", ctx.name())),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector {
                match_labels: Some(pod_labels(ctx)),
                ..LabelSelector::default()
            }),
            policy_types: Some(vec!["Ingress".to_owned(), "Egress".to_owned()]),
            ingress: None,
            egress: Some(vec![egress_rule(server)]),
        }),
    }
}
