//! The `zave.io/v1` `Profile`: an environment as data. Its JSON Schema is derived from here.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::contract::model::{
    ApiVersion, CapabilityName, Engine, Exposure, NAME_MAX_LENGTH, NAME_PATTERN, Tier,
};

/// An environment profile: everything a render needs to know about where a workload runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "zave.io/v1 Profile")]
pub struct Profile {
    /// The profile language version.
    pub api_version: ApiVersion,
    /// The kind of document.
    pub kind: ProfileKind,
    /// Identity of the profile.
    pub metadata: ProfileMetadata,
    /// The environment.
    pub spec: ProfileSpec,
}

/// The kind of document; only `Profile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ProfileKind {
    /// An environment profile.
    Profile,
}

/// Identity of the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileMetadata {
    /// The profile's name, recorded on every object as `zave.io/profile`.
    #[schemars(regex(pattern = NAME_PATTERN), length(min = 1, max = NAME_MAX_LENGTH))]
    pub name: String,
}

/// The environment a profile describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProfileSpec {
    /// What the environment is for.
    pub classification: Classification,
    /// The Kubernetes minor version of the cluster, such as `"1.33"`.
    #[schemars(regex(pattern = r"^1\.[0-9]{2}$"))]
    pub kubernetes_version: String,
    /// The namespace of a tenant; `{name}` stands for the contract's name (Z307, Z310).
    #[schemars(regex(pattern = r"^[^{}]*\{name\}[^{}]*$"))]
    pub namespace_pattern: String,
    /// The user and group id every container runs as (non-root).
    #[schemars(range(min = 1000, max = 2147483647))]
    pub run_as_user: u32,
    /// How HTTP workloads are reached from outside.
    pub ingress: IngressSettings,
    /// Where images come from.
    pub registry: RegistrySettings,
    /// Where secrets are kept.
    pub secrets: SecretSettings,
    /// The database servers tenants are provisioned on.
    pub databases: DatabaseSettings,
    /// The storage class for volumes.
    pub storage_class: String,
    /// Requests, limits, replicas and connection limits per tier.
    pub tiers: TierTable,
    /// The tier a contract without one gets (W002).
    pub default_tier: Tier,
    /// Replica policy, autoscaling and disruption budgets.
    pub availability: Availability,
    /// Metrics and traces.
    pub telemetry: Telemetry,
    /// Where the rendered tree lives and who syncs it.
    pub gitops: GitOps,
    /// Where cluster DNS runs, for the egress rule every namespace gets.
    pub dns: Peer,
    /// What the environment allows and requires.
    pub policy: Policy,
    /// The flagd sidecar workloads with `feature-flags` get; without it the profile does not
    /// offer the capability (Z312). `policy.requiredCapabilities` makes it required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_flags: Option<FeatureFlagsSettings>,
    /// The CI binding `zave init` writes into tenant repositories; without it, init needs the
    /// pin as flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<CiBinding>,
}

/// What an environment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Classification {
    /// A developer's machine.
    Local,
    /// A shared environment for trying things.
    Sandbox,
    /// Production.
    Production,
}

/// A network peer: pods in a namespace (optionally selected by labels), or an address block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Peer {
    /// The peer's namespace (matched by `kubernetes.io/metadata.name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Labels of the peer's pods within its namespace.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pod_labels: BTreeMap<String, String>,
    /// An address block in CIDR notation, for peers outside the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// The TCP port the peer listens on, for egress rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub port: Option<u16>,
    /// An egress peer without a port must say so: the rule then opens every port (Z308).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_ports: bool,
}

/// How HTTP workloads are reached from outside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressSettings {
    /// The routing API: a Kubernetes `Ingress`, or a Gateway API `HTTPRoute`.
    pub api: RoutingApi,
    /// The controller, as named in documentation and `explain` output.
    pub controller: String,
    /// The ingress class (for `Ingress`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    /// The parent Gateway (for `HTTPRoute`), as `namespace/name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// The public host; `{name}` stands for the contract's name (a DNS subdomain, Z307).
    pub host: String,
    /// How TLS is terminated.
    pub tls: TlsSettings,
    /// Annotations every Ingress gets, for the controller.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Where the controller's traffic comes from, for the tenant's network policy.
    pub from: Peer,
}

/// The routing API a profile uses for public HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RoutingApi {
    /// `networking.k8s.io/v1` Ingress.
    Ingress,
    /// `gateway.networking.k8s.io/v1` HTTPRoute.
    Gateway,
}

/// How TLS is terminated for public hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TlsSettings {
    /// The mode.
    pub mode: TlsMode,
    /// The cert-manager ClusterIssuer (mode `cert-manager`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_issuer: Option<String>,
}

/// Who terminates TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// Plain HTTP (local clusters).
    None,
    /// cert-manager issues a certificate into a `<name>-tls` secret.
    CertManager,
    /// The load balancer terminates TLS with a certificate the cloud manages (ACM).
    LoadBalancer,
}

/// Where images come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RegistrySettings {
    /// The registry and repository prefix images are pushed to; a bootstrap image is
    /// `<prefix>/<name>:bootstrap`.
    pub prefix: String,
    /// The pull secret pods use, when the registry needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_secret: Option<String>,
}

/// Where secrets are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretSettings {
    /// The External Secrets ClusterSecretStore.
    pub store: String,
    /// The key prefix of a tenant's secrets; `{name}` stands for the contract's name.
    pub key_pattern: String,
    /// How often ExternalSecrets refresh: a Go duration such as `1h` or `1h30m` (Z307).
    pub refresh_interval: String,
    /// Annotations for the tenant's ServiceAccount (workload identity, such as IRSA);
    /// `{name}` stands for the contract's name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub service_account_annotations: BTreeMap<String, String>,
}

/// The database servers of an environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DatabaseSettings {
    /// PostgreSQL, when offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<DatabaseServer>,
    /// MySQL or MariaDB, when offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mysql: Option<DatabaseServer>,
    /// Redis, when offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<DatabaseServer>,
}

impl DatabaseSettings {
    /// Each server offered, under its key in the profile (`postgres`, `mysql`, `redis`).
    pub fn offered(&self) -> impl Iterator<Item = (&'static str, &DatabaseServer)> {
        [
            ("postgres", &self.postgres),
            ("mysql", &self.mysql),
            ("redis", &self.redis),
        ]
        .into_iter()
        .filter_map(|(key, server)| Some((key, server.as_ref()?)))
    }
}

/// One database server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DatabaseServer {
    /// The host the tenant connects to.
    pub host: String,
    /// The port the tenant connects to.
    #[schemars(range(min = 1))]
    pub port: u16,
    /// How tenants are isolated on the server.
    pub isolation: Isolation,
    /// The database all tenants share (isolation `schema-per-tenant`); the SQL quotes it as an
    /// identifier, so `-` is safe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[a-z_][a-z0-9_-]{0,62}$"))]
    pub shared_database: Option<String>,
    /// A connection pooler between tenants and the server (PgBouncer), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pooler: Option<Endpoint>,
    /// Where the server (or pooler) is on the network, for the egress rule.
    pub network: Peer,
    /// Where the server itself is when a pooler stands in front of it (`network` is then the
    /// pooler's): the provisioning Job connects to the server directly. Without it, `network`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_network: Option<Peer>,
    /// A short description, such as `RDS PostgreSQL`.
    pub description: String,
    // Provisioning: how the platform's Job creates each tenant on this server.
    /// The store key holding the server's admin credentials (properties `username` and
    /// `password`); read only by the provisioning Job, in the platform namespace.
    pub admin_secret_key: String,
    /// The image of the provisioning Job (with `psql`, `mariadb` or `redis-cli`), pinned by
    /// digest: `registry/repository@sha256:…`.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9.:/_-]*@sha256:[0-9a-f]{64}$"))]
    pub provisioning_image: String,
    /// The libraries the server preloads (`shared_preload_libraries`); with
    /// `pg_stat_statements`, provisioning lets each tenant read its own statements' statistics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preload_libraries: Vec<PreloadLibrary>,
    /// The database the provisioning Job connects to first (PostgreSQL), such as `postgres`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[a-z_][a-z0-9_]{0,62}$"))]
    pub maintenance_database: Option<String>,
}

/// A library a PostgreSQL server preloads that provisioning builds on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum PreloadLibrary {
    /// Statement statistics: the `pg_stat_statements` extension.
    #[serde(rename = "pg_stat_statements")]
    PgStatStatements,
}

/// A host and port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// The host name.
    pub host: String,
    /// The TCP port.
    #[schemars(range(min = 1))]
    pub port: u16,
}

/// How tenants share a database server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Isolation {
    /// One database per tenant.
    DatabasePerTenant,
    /// One schema per tenant in a shared database.
    SchemaPerTenant,
}

/// Requests, limits and scaling per tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierTable {
    /// The `small` tier.
    pub small: TierSettings,
    /// The `standard` tier.
    pub standard: TierSettings,
    /// The `large` tier.
    pub large: TierSettings,
}

impl TierTable {
    /// The settings of `tier` (a reserved tier, refused before any render, reads `standard`).
    pub fn settings(&self, tier: Tier) -> &TierSettings {
        match tier {
            Tier::Small => &self.small,
            Tier::Large => &self.large,
            _ => &self.standard,
        }
    }
}

/// The resources of one tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TierSettings {
    /// Container requests.
    pub requests: Quantities,
    /// Container limits.
    pub limits: Quantities,
    /// Replicas when no autoscaler owns them.
    #[schemars(range(min = 1, max = 100))]
    pub replicas: u32,
    /// Autoscaler bounds, used where the profile enables autoscaling.
    pub autoscaling: Autoscaling,
    /// The most database connections the tenant may open.
    #[schemars(range(min = 1, max = 10000))]
    pub db_connection_limit: u32,
    /// The timeouts every database session of the tenant starts with.
    pub db_timeouts: DatabaseTimeouts,
    /// The tenant's pool on the server's pooler (PgBouncer); without it, both limits are
    /// `dbConnectionLimit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_pool: Option<DatabasePool>,
    /// The namespace quota: total CPU and memory limits of all pods, and the pod count.
    pub quota: Quota,
}

/// A tenant's limits on the pooler, its `[databases]` entry's `pool_size` and
/// `max_db_connections` (Z120 when above `dbConnectionLimit`, which the server enforces too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DatabasePool {
    /// Server connections the pooler keeps for the tenant's application role.
    #[schemars(range(min = 1, max = 10000))]
    pub size: u32,
    /// Server connections the pooler opens to the tenant's database at most, for every role.
    #[schemars(range(min = 1, max = 10000))]
    pub max_db_connections: u32,
}

impl TierSettings {
    /// The pool limits of the tier: its `dbPool`, or the connection limit for both.
    pub fn pool(&self) -> DatabasePool {
        self.db_pool.unwrap_or(DatabasePool {
            size: self.db_connection_limit,
            max_db_connections: self.db_connection_limit,
        })
    }
}

/// The timeouts a tenant's database sessions start with, in seconds (PostgreSQL role settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DatabaseTimeouts {
    /// The longest a statement may run.
    #[schemars(range(min = 1, max = 86400))]
    pub statement_seconds: u32,
    /// The longest a statement may wait for a lock.
    #[schemars(range(min = 1, max = 86400))]
    pub lock_seconds: u32,
    /// The longest a transaction may sit idle before its session is closed.
    #[schemars(range(min = 1, max = 86400))]
    pub idle_in_transaction_seconds: u32,
}

/// CPU and memory, as Kubernetes quantities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quantities {
    /// CPU, a Kubernetes quantity such as `250m` (Z307).
    pub cpu: String,
    /// Memory, a Kubernetes quantity such as `256Mi` or `1.5Gi` (Z307).
    pub memory: String,
}

/// Horizontal autoscaling bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Autoscaling {
    /// Fewest replicas.
    #[schemars(range(min = 1, max = 100))]
    pub min_replicas: u32,
    /// Most replicas.
    #[schemars(range(min = 1, max = 1000))]
    pub max_replicas: u32,
    /// Target average CPU utilisation, in percent of requests.
    #[schemars(range(min = 10, max = 100))]
    pub cpu_utilization: u32,
}

/// A namespace's resource quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    /// Total CPU limits, a Kubernetes quantity (Z307).
    pub cpu: String,
    /// Total memory limits, a Kubernetes quantity (Z307).
    pub memory: String,
    /// Most pods.
    #[schemars(range(min = 1, max = 1000))]
    pub pods: u32,
}

/// Replica policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Availability {
    /// A replica count for every tier, overriding the tier table (local clusters run one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub replicas: Option<u32>,
    /// Whether a HorizontalPodAutoscaler owns the replica count.
    pub autoscaling: bool,
    /// Whether a PodDisruptionBudget keeps one replica up during voluntary disruptions.
    pub disruption_budget: bool,
    /// Whether replicas spread across zones.
    pub zone_spread: bool,
}

/// Metrics and traces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Telemetry {
    /// The OTLP endpoint traces go to.
    pub otlp_endpoint: String,
    /// Where the collector is, for the egress rule.
    pub collector: Peer,
    /// Where Prometheus scrapes from, for the ingress rule.
    pub prometheus: Peer,
    /// Labels a ServiceMonitor needs for Prometheus to select it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub service_monitor_labels: BTreeMap<String, String>,
}

/// Where the rendered tree lives and who syncs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GitOps {
    /// The GitOps repository.
    pub repo_url: String,
    /// The branch or tag Argo CD follows.
    pub revision: String,
    /// A folder inside the repository that holds the tree (empty for the root).
    #[serde(default)]
    #[schemars(regex(pattern = r"^([A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*)?$"))]
    pub path_prefix: String,
    /// The namespace Argo CD runs in.
    pub argocd_namespace: String,
    /// The Argo CD project tenants belong to.
    pub argocd_project: String,
    /// The namespace platform jobs (database provisioning) run in.
    pub platform_namespace: String,
    /// How Flux applies each tenant's platform folder; Flux's usual names when not given.
    #[serde(default)]
    pub flux: FluxSettings,
}

/// The Flux side of the tree: the per-tenant and per-shard `Kustomization` objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FluxSettings {
    /// The namespace Flux runs in, where zave's `Kustomization` objects live.
    #[serde(default = "FluxSettings::default_namespace")]
    pub namespace: String,
    /// The `GitRepository` (in that namespace) that fetches the GitOps repository.
    #[serde(default = "FluxSettings::default_source")]
    pub source: String,
    /// How often Flux reconciles each tenant and shard, as Flux writes it (`10m`, `1h30m`).
    #[serde(default = "FluxSettings::default_interval")]
    #[schemars(regex(pattern = r"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$"))]
    pub interval: String,
    /// A `Kustomization` (in that namespace) that installs the platform base (CRDs, External
    /// Secrets, ingress): every tenant waits for it to be ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<String>,
}

impl FluxSettings {
    fn default_namespace() -> String {
        "flux-system".to_owned()
    }

    fn default_source() -> String {
        "flux-system".to_owned()
    }

    fn default_interval() -> String {
        "10m".to_owned()
    }
}

impl Default for FluxSettings {
    fn default() -> FluxSettings {
        FluxSettings {
            namespace: FluxSettings::default_namespace(),
            source: FluxSettings::default_source(),
            interval: FluxSettings::default_interval(),
            depends_on: None,
        }
    }
}

/// What an environment allows and requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Policy {
    /// The exposures it allows.
    pub exposures: Vec<Exposure>,
    /// The engines it allows.
    pub engines: Vec<Engine>,
    /// The tiers it allows.
    pub tiers: Vec<Tier>,
    /// The registries images may come from (prefixes of the image reference).
    pub registries: Vec<String>,
    /// Capabilities every workload gets, injected when missing (W003).
    #[serde(default)]
    pub required_capabilities: Vec<CapabilityName>,
}

/// The OpenFeature flag evaluator injected beside a workload with `feature-flags`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FeatureFlagsSettings {
    /// The flagd image, pinned by digest: `registry/repository@sha256:…`.
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9.:/_-]*@sha256:[0-9a-f]{64}$"))]
    pub image: String,
    /// The sidecar's requests.
    pub requests: Quantities,
    /// The sidecar's limits.
    pub limits: Quantities,
}

/// The platform's shared build workflow that a tenant repository's only workflow calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CiBinding {
    /// The shared workflow, as `owner/repository/.github/workflows/file.yml`.
    #[schemars(regex(
        pattern = r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/\.github/workflows/[A-Za-z0-9_.-]+\.ya?ml$"
    ))]
    pub shared_workflow: String,
    /// The commit of the shared workflow's repository the binding is pinned to (40 hex digits:
    /// a tag can move, a commit cannot).
    #[schemars(regex(pattern = r"^[0-9a-f]{40}$"))]
    pub commit: String,
    /// The release that commit is, written beside the pin for people and update bots.
    #[schemars(regex(pattern = r"^v[0-9]+\.[0-9]+\.[0-9]+$"))]
    pub release: String,
    /// The owner images are published under: a workload's image is `<owner>/<name>`.
    #[schemars(regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"), length(max = 39))]
    pub image_owner: String,
    /// The GitOps repository (`owner/name`) told about each published image.
    #[schemars(regex(pattern = r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"))]
    pub dispatch_repository: String,
}
