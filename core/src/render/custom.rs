//! The custom resources zave renders, as small typed structs: Argo CD, Flux, External Secrets,
//! Prometheus Operator and Gateway API. Only the fields zave sets are modelled.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::Serialize;

/// A custom resource: `apiVersion`, `kind`, `metadata`, then its `spec`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomResource<Spec> {
    /// `group/version`.
    pub api_version: &'static str,
    /// The kind.
    pub kind: &'static str,
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// The resource's desired state.
    pub spec: Spec,
}

/// `argoproj.io/v1alpha1` Application spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSpec {
    /// The Argo CD project.
    pub project: String,
    /// Where the manifests are.
    pub source: ApplicationSource,
    /// Where they are applied.
    pub destination: ApplicationDestination,
    /// How Argo CD syncs.
    pub sync_policy: SyncPolicy,
}

/// A Git source of an Application.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSource {
    /// The repository.
    #[serde(rename = "repoURL")]
    pub repo_url: String,
    /// The branch, tag or commit.
    pub target_revision: String,
    /// The folder inside the repository.
    pub path: String,
}

/// The cluster and namespace of an Application.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationDestination {
    /// The API server.
    pub server: String,
    /// The namespace.
    pub namespace: String,
}

/// The sync policy of an Application.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncPolicy {
    /// Automated sync.
    pub automated: AutomatedSync,
    /// Sync options such as `ServerSideApply=true`.
    pub sync_options: Vec<String>,
}

/// Automated sync settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutomatedSync {
    /// Delete what is no longer in Git.
    pub prune: bool,
    /// Undo changes made in the cluster.
    pub self_heal: bool,
}

/// `kustomize.toolkit.fluxcd.io/v1` Kustomization spec: one folder of the GitOps repository,
/// applied and pruned by Flux.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FluxKustomizationSpec {
    /// Kustomizations (in the same namespace) that must be ready first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<FluxDependency>,
    /// How often Flux reconciles it.
    pub interval: String,
    /// The folder inside the repository, from its root (`./…`).
    pub path: String,
    /// Delete what the folder no longer holds.
    pub prune: bool,
    /// The source that fetches the repository.
    pub source_ref: FluxSourceReference,
}

/// A Kustomization another one waits for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FluxDependency {
    /// Its name.
    pub name: String,
}

/// The Flux source a Kustomization reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FluxSourceReference {
    /// Always `GitRepository`.
    pub kind: &'static str,
    /// Its name.
    pub name: String,
}

/// `external-secrets.io/v1` ExternalSecret spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSecretSpec {
    /// How often the secret is refreshed.
    pub refresh_interval: String,
    /// The store to read from.
    pub secret_store_ref: SecretStoreRef,
    /// The Secret to write.
    pub target: ExternalSecretTarget,
    /// Single keys read from the store.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<ExternalSecretData>,
    /// Whole entries extracted from the store.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_from: Vec<ExternalSecretDataFrom>,
}

/// A reference to a secret store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecretStoreRef {
    /// `ClusterSecretStore`.
    pub kind: &'static str,
    /// The store's name.
    pub name: String,
}

/// The Secret an ExternalSecret writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSecretTarget {
    /// The Secret's name.
    pub name: String,
    /// Who owns the Secret.
    pub creation_policy: &'static str,
    /// How the Secret's data is assembled from what was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<SecretTemplate>,
}

/// A template for a Secret's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretTemplate {
    /// The template engine version.
    pub engine_version: &'static str,
    /// Each key of the Secret and the template that produces it.
    pub data: BTreeMap<String, String>,
}

/// One key read from the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSecretData {
    /// The key inside the written Secret.
    pub secret_key: String,
    /// Where it is read from.
    pub remote_ref: RemoteRef,
}

/// A key (and optional property) in the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemoteRef {
    /// The store key.
    pub key: String,
    /// The property inside that key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
}

/// Entries extracted whole from the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExternalSecretDataFrom {
    /// The entry to extract.
    pub extract: RemoteRef,
}

/// `monitoring.coreos.com/v1` ServiceMonitor spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceMonitorSpec {
    /// The Services to scrape.
    pub selector: LabelSelector,
    /// The endpoints to scrape.
    pub endpoints: Vec<MetricsEndpoint>,
}

/// `monitoring.coreos.com/v1` PodMonitor spec, for workloads without a Service.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodMonitorSpec {
    /// The pods to scrape.
    pub selector: LabelSelector,
    /// The endpoints to scrape.
    pub pod_metrics_endpoints: Vec<MetricsEndpoint>,
}

/// One scrape endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricsEndpoint {
    /// The named port.
    pub port: String,
    /// The HTTP path.
    pub path: String,
    /// How often to scrape.
    pub interval: String,
}

/// `gateway.networking.k8s.io/v1` HTTPRoute spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRouteSpec {
    /// The Gateways this route attaches to.
    pub parent_refs: Vec<ParentRef>,
    /// The hosts it serves.
    pub hostnames: Vec<String>,
    /// Where requests go.
    pub rules: Vec<HttpRouteRule>,
}

/// A Gateway reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParentRef {
    /// The Gateway's name.
    pub name: String,
    /// The Gateway's namespace.
    pub namespace: String,
}

/// One HTTPRoute rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRouteRule {
    /// The Services requests go to.
    pub backend_refs: Vec<BackendRef>,
}

/// A Service and port.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackendRef {
    /// The Service's name.
    pub name: String,
    /// The Service port.
    pub port: u16,
}

/// `generators.external-secrets.io/v1alpha1` Password spec: a password generated in the
/// cluster, never by zave.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordSpec {
    /// Characters in the password.
    pub length: u32,
    /// How many of them are digits.
    pub digits: u32,
    /// How many of them are symbols (none: the password goes into URLs and shells).
    pub symbols: u32,
    /// Whether upper-case letters are left out.
    pub no_upper: bool,
    /// Whether a character may repeat.
    pub allow_repeat: bool,
}

/// `external-secrets.io/v1alpha1` PushSecret spec: writes a generated value to the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushSecretSpec {
    /// How often the push is reconciled.
    pub refresh_interval: String,
    /// `IfNotExists`: a password once in the store is never replaced by a new one.
    pub update_policy: &'static str,
    /// `None`: removing the PushSecret leaves the store entry in place.
    pub deletion_policy: &'static str,
    /// The stores to write to.
    pub secret_store_refs: Vec<SecretStoreRef>,
    /// What is pushed.
    pub selector: PushSecretSelector,
    /// Which key goes where.
    pub data: Vec<PushSecretData>,
}

/// The source of a PushSecret.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushSecretSelector {
    /// A generator whose output is pushed.
    pub generator_ref: GeneratorRef,
}

/// A reference to a generator.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneratorRef {
    /// The generator's API version.
    pub api_version: &'static str,
    /// The generator's kind.
    pub kind: &'static str,
    /// The generator's name.
    pub name: String,
}

/// One pushed key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushSecretData {
    /// The key and where it goes.
    #[serde(rename = "match")]
    pub matching: PushSecretMatch,
}

/// A key of the source and its place in the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushSecretMatch {
    /// The key of the generated data.
    pub secret_key: String,
    /// The store key and property.
    pub remote_ref: PushRemoteRef,
}

/// A store key and property to push to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PushRemoteRef {
    /// The store key.
    pub remote_key: String,
    /// The property inside it.
    pub property: String,
}
