//! The `zave.io/v1` `Workload` contract as typed data; its JSON Schema is derived from here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A tenant's workload contract: `apiVersion: zave.io/v1`, `kind: Workload`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "zave.io/v1 Workload contract")]
pub struct Contract {
    /// The contract language version.
    pub api_version: ApiVersion,
    /// The kind of contract.
    pub kind: ContractKind,
    /// Identity of the workload.
    pub metadata: Metadata,
    /// What the workload is and needs; the platform derives image, ports, environment, replicas
    /// and hosts from it.
    pub spec: Spec,
}

/// The contract language version; only `zave.io/v1` exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ApiVersion {
    /// Version 1 of the contract language.
    #[serde(rename = "zave.io/v1")]
    V1,
}

/// The kind of contract; only `Workload` exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ContractKind {
    /// A tenant workload.
    Workload,
}

/// The grammar of a name (of a workload or a profile): an RFC 1123 label.
pub const NAME_PATTERN: &str = r"^[a-z]([a-z0-9-]*[a-z0-9])?$";
/// The longest name: 40 characters leave room for derived names such as `ns-<name>`.
pub const NAME_MAX_LENGTH: u32 = 40;

/// Identity of the workload, as a mapping with one key: `{name: payments-api}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// The workload's name: an RFC 1123 label of 1 to 40 characters (lower-case letters, digits
    /// and `-`, starting with a letter), leaving room for derived names such as `ns-<name>`.
    #[schemars(regex(pattern = NAME_PATTERN), length(min = 1, max = NAME_MAX_LENGTH))]
    pub name: String,
}

/// What the workload is and needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Spec {
    /// How the workload runs.
    pub runtime: Runtime,
    /// How the workload is reached.
    pub exposure: Exposure,
    /// How new versions roll out. Required by the platform schema; when missing, zave uses
    /// `rolling` and reports W001.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// How the image is built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<Build>,
    /// The database the workload needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence: Option<Persistence>,
    /// Feature capabilities, as a list of `- name: metrics` entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Vec<Capability>>,
    /// Compute resources, by tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Tenants this workload calls, as a list of `- workload: ledger-grpc` entries; each gets
    /// an egress rule and a `<NAME>_HOST` variable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Vec<Dependency>>,
}

macro_rules! string_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($(#[doc = $vdoc:literal])* $variant:ident = $text:literal,)* }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $($(#[doc = $vdoc])* #[serde(rename = $text)] $variant,)*
        }

        impl $name {
            /// Every value, in schema order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The value as written in a contract.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// How the workload runs. `container` and `static` are implemented; the others are reserved.
    Runtime {
        /// A container image built from the tenant's Dockerfile.
        Container = "container",
        /// A static site served by an unprivileged web server.
        Static = "static",
        /// Reserved.
        Node = "node",
        /// Reserved.
        Python = "python",
        /// Reserved.
        Go = "go",
        /// Reserved.
        Java = "java",
        /// Reserved.
        AiTraining = "ai-training",
        /// Reserved.
        AiInference = "ai-inference",
        /// Reserved.
        AiBatch = "ai-batch",
    }
}

string_enum! {
    /// How the workload is reached.
    Exposure {
        /// Not reached over the network (a worker).
        None = "none",
        /// HTTP from other tenants inside the cluster.
        InternalHttp = "internal-http",
        /// HTTP from the internet through the ingress.
        PublicHttp = "public-http",
        /// gRPC from other tenants inside the cluster.
        Grpc = "grpc",
        /// Reached through messages only.
        Async = "async",
    }
}

string_enum! {
    /// How new versions roll out. `rolling` is implemented; the others are reserved.
    Delivery {
        /// A rolling update.
        Rolling = "rolling",
        /// Reserved.
        Recreate = "recreate",
        /// Reserved.
        BlueGreen = "blue-green",
        /// Reserved.
        Canary = "canary",
    }
}

string_enum! {
    /// How the image is built. `dockerfile` is implemented; `managed` is reserved.
    BuildMode {
        /// From a Dockerfile in the tenant repository.
        Dockerfile = "dockerfile",
        /// Reserved.
        Managed = "managed",
    }
}

string_enum! {
    /// The database engine; `none` is the same as no persistence section.
    Engine {
        /// PostgreSQL.
        Postgres = "postgres",
        /// MySQL or MariaDB.
        Mysql = "mysql",
        /// Redis.
        Redis = "redis",
        /// No database.
        None = "none",
    }
}

string_enum! {
    /// A capability. `metrics`, `tracing` and `feature-flags` are implemented; structural ones
    /// are not allowed in v1; AI ones are reserved.
    CapabilityName {
        /// Prometheus metrics on port 9090, scraped through a ServiceMonitor.
        Metrics = "metrics",
        /// OpenTelemetry traces sent to the profile's collector.
        Tracing = "tracing",
        /// OpenFeature flags served by a flagd sidecar from the tenant's `flags.json`.
        FeatureFlags = "feature-flags",
        /// Structural: not allowed in v1.
        JobRunner = "job-runner",
        /// Structural: not allowed in v1.
        Cron = "cron",
        /// Structural: not allowed in v1.
        QueueConsumer = "queue-consumer",
        /// Reserved.
        AiTraining = "ai-training",
        /// Reserved.
        AiInference = "ai-inference",
        /// Reserved.
        ModelRegistry = "model-registry",
    }
}

string_enum! {
    /// The resource tier. `small`, `standard` and `large` are implemented; GPU tiers are reserved.
    Tier {
        /// Small requests and limits.
        Small = "small",
        /// The usual tier.
        Standard = "standard",
        /// Large requests and limits.
        Large = "large",
        /// Reserved.
        GpuSmall = "gpu-small",
        /// Reserved.
        GpuStandard = "gpu-standard",
        /// Reserved.
        GpuLarge = "gpu-large",
    }
}

/// How the image is built, as a mapping such as `{mode: dockerfile, dockerfilePath: Dockerfile}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Build {
    /// The build mode; `dockerfile` when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<BuildMode>,
    /// The Dockerfile, relative to the repository root, without `..`; `Dockerfile` when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex(pattern = r"^(\.?[A-Za-z0-9_][A-Za-z0-9_.-]*/)*\.?[A-Za-z0-9_][A-Za-z0-9_.-]*$"),
        length(min = 1, max = 255)
    )]
    pub dockerfile_path: Option<String>,
}

/// The database the workload needs, as a mapping such as `{engine: postgres}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Persistence {
    /// The engine.
    pub engine: Engine,
    /// The workload's schema migrations, run before each sync (postgres, mysql; Z209).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrations: Option<Migrations>,
}

/// How the workload migrates its schema, as a mapping such as `{command: [./migrate, up]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Migrations {
    /// The program and its arguments, run in the workload's own image with the migrator's
    /// credentials (no shell: write `[sh, -c, "..."]` for one).
    #[schemars(length(min = 1, max = 32), inner(length(min = 1, max = 1024)))]
    pub command: Vec<String>,
}

/// One capability entry, written `- name: metrics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capability {
    /// The capability's name.
    pub name: CapabilityName,
}

/// Compute resources, as a mapping such as `{tier: standard}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// The tier; the profile's default tier when missing (W002).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
}

/// One dependency entry, written `- workload: ledger-grpc`: a tenant this workload calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    /// The called workload's `metadata.name` (same grammar), not this contract's own.
    #[schemars(regex(pattern = NAME_PATTERN), length(min = 1, max = NAME_MAX_LENGTH))]
    pub workload: String,
}
