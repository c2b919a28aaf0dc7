//! Environment profiles: the model, the built-ins (data files compiled in), and loading a
//! user's profile through the same diagnostics machinery as contracts.

mod findings;
pub mod grammar;
pub mod model;
mod peers;
mod policy;
mod reserved;
mod values;

pub use model::Profile;
pub use policy::{apply as apply_policy, server};
pub use reserved::{check_tenant, reserved_namespaces, reserved_selector_values};
pub use values::{NAME_PLACEHOLDER, worst_case_name};

use std::sync::OnceLock;

use serde_json::Value as Json;

use crate::diagnostic::{self, Code, Diagnostic, Diagnostics, Severity};
use crate::document::{self, Node, Path};
use crate::schema::{self, CompiledSchema, Hints};

/// The built-in profiles: name and YAML source, in the order `zave profile list` shows them.
pub const BUILTIN_PROFILES: &[(&str, &str)] = &[
    ("kind", include_str!("../../profiles/kind.yaml")),
    ("linode", include_str!("../../profiles/linode.yaml")),
    ("aws", include_str!("../../profiles/aws.yaml")),
];

/// The profile a render uses when none is named: local work on Kind.
pub const DEFAULT_PROFILE: &str = "kind";

/// The names of the built-in profiles, in the order `zave profile list` shows them.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN_PROFILES.iter().map(|(name, _)| *name)
}

/// A profile name that is none of the built-ins; every surface reports it with this text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile \"{name}\"; the built-in profiles are {}", builtin_names().collect::<Vec<_>>().join(", "))]
pub struct UnknownProfile {
    /// The name that was asked for.
    pub name: String,
}

/// The JSON Schema of a profile, as published in `schemas/profile.schema.json`.
pub fn profile_schema() -> &'static Json {
    compiled_schema().json()
}

fn compiled_schema() -> &'static CompiledSchema {
    static SCHEMA: OnceLock<CompiledSchema> = OnceLock::new();
    SCHEMA.get_or_init(CompiledSchema::of::<Profile>)
}

/// No profile-specific help beyond what the schema gives.
struct ProfileHints;
impl Hints for ProfileHints {}

impl Profile {
    /// A built-in profile by name (`kind`, `linode`, `aws`), parsed on first use. The built-ins
    /// are constants that the test suite proves pass every check of [`Profile::from_yaml`], so a
    /// process does not pay for checking them again.
    pub fn builtin(name: &str) -> Option<&'static Profile> {
        static LOADED: [OnceLock<Option<Profile>>; BUILTIN_PROFILES.len()] =
            [const { OnceLock::new() }; BUILTIN_PROFILES.len()];
        let index = BUILTIN_PROFILES
            .iter()
            .position(|(builtin, _)| *builtin == name)?;
        let (_, source) = BUILTIN_PROFILES[index];
        LOADED
            .get(index)?
            .get_or_init(|| {
                let document = document::load(source.as_bytes()).ok()?;
                model(&document).ok()
            })
            .as_ref()
    }

    /// The built-in profile `name`, or an error that lists the built-in ones.
    pub fn named(name: &str) -> Result<&'static Profile, UnknownProfile> {
        Profile::builtin(name).ok_or_else(|| UnknownProfile {
            name: name.to_owned(),
        })
    }

    /// The YAML source of a built-in profile, as `zave profile show` prints it.
    pub fn builtin_source(name: &str) -> Option<&'static str> {
        BUILTIN_PROFILES
            .iter()
            .find(|(builtin, _)| *builtin == name)
            .map(|(_, source)| *source)
    }

    /// Reads and checks a profile document: the schema, then the consistency of its settings,
    /// then Kubernetes' grammar for every value it carries into objects. Warnings are dropped;
    /// [`Profile::load`] returns them, or refuses them when strict.
    pub fn from_yaml(source: &[u8]) -> Result<Profile, Diagnostics> {
        Profile::load(source, false).map(|loaded| loaded.profile)
    }

    /// Reads and checks a profile document, returning its warnings (such as Z309); `strict`
    /// turns them into errors, as `--strict` does for contracts.
    pub fn load(source: &[u8], strict: bool) -> Result<LoadedProfile, Diagnostics> {
        let document = document::load(source).map_err(|d| Diagnostics(vec![d]))?;
        Profile::load_document(&document, strict)
    }

    /// Checks an already loaded profile document, dropping warnings.
    pub fn from_document(document: &Node) -> Result<Profile, Diagnostics> {
        Profile::load_document(document, false).map(|loaded| loaded.profile)
    }

    /// Checks an already loaded profile document, returning its warnings; `strict` turns them
    /// into errors.
    pub fn load_document(document: &Node, strict: bool) -> Result<LoadedProfile, Diagnostics> {
        let mut findings = schema::check(compiled_schema(), document, &ProfileHints).findings;
        if findings.is_empty() {
            match model(document) {
                Ok(profile) => {
                    findings = consistency(&profile, document);
                    findings.extend(grammar_findings(&profile, document));
                    if strict {
                        for finding in &mut findings {
                            finding.severity = Severity::Error;
                        }
                    }
                    diagnostic::sort(&mut findings);
                    if !findings.iter().any(Diagnostic::is_error) {
                        return Ok(LoadedProfile { profile, findings });
                    }
                }
                Err(error) => findings.push(Diagnostic::new(
                    Code::WrongType,
                    &Path::root(),
                    Some(document.span),
                    format!("the profile does not fit its model: {error}"),
                )),
            }
        }
        diagnostic::sort(&mut findings);
        Err(Diagnostics(findings))
    }

    /// The name recorded on every object as `zave.io/profile`.
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
}

/// A profile that passed its checks, with the warnings it raised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedProfile {
    /// The profile.
    pub profile: Profile,
    /// Its warnings, sorted by position (none when the load was strict).
    pub findings: Vec<Diagnostic>,
}

/// Values that break Kubernetes' grammar (Z307), peers that do not say what they open (Z308,
/// Z309), and namespace patterns that reach reserved namespaces (Z310).
fn grammar_findings(profile: &Profile, document: &Node) -> Vec<Diagnostic> {
    let mut found = findings::Findings::new(document);
    values::check(profile, &mut found);
    peers::check(profile, &mut found);
    reserved::check_pattern(profile, &mut found);
    found.list
}

/// The profile a document describes, without the checks.
fn model(document: &Node) -> Result<Profile, serde_json::Error> {
    serde_json::from_value(document.to_json())
}

/// Settings that each pass the schema but contradict one another.
fn consistency(profile: &Profile, document: &Node) -> Vec<Diagnostic> {
    use model::{RoutingApi, TlsMode};
    let spec = &profile.spec;
    let mut findings = Vec::new();
    let mut refuse = |path: Path, message: String| {
        let span = document.span_for(&path);
        findings.push(Diagnostic::new(
            Code::ProfileInconsistent,
            &path,
            Some(span),
            message,
        ));
    };
    let root = Path::root().key("spec");
    let ingress = root.key("ingress");
    match spec.ingress.api {
        RoutingApi::Ingress if spec.ingress.class_name.is_none() => refuse(
            ingress.key("className"),
            "routing api \"ingress\" needs an ingress className".to_owned(),
        ),
        RoutingApi::Gateway
            if spec
                .ingress
                .gateway
                .as_deref()
                .is_none_or(|g| !g.contains('/')) =>
        {
            refuse(
                ingress.key("gateway"),
                "routing api \"gateway\" needs a parent gateway written namespace/name".to_owned(),
            )
        }
        _ => {}
    }
    if spec.ingress.tls.mode == TlsMode::CertManager && spec.ingress.tls.cluster_issuer.is_none() {
        refuse(
            ingress.key("tls").key("clusterIssuer"),
            "tls mode \"cert-manager\" needs a clusterIssuer".to_owned(),
        );
    }
    if !spec.ingress.host.contains("{name}") {
        refuse(
            ingress.key("host"),
            "the host must contain {name}, so every tenant gets its own".to_owned(),
        );
    }
    if !spec.policy.tiers.contains(&spec.default_tier) {
        refuse(
            root.key("defaultTier"),
            format!(
                "the default tier \"{}\" is not among the tiers the policy allows",
                spec.default_tier
            ),
        );
    }
    for (tier, settings) in [
        ("small", &spec.tiers.small),
        ("standard", &spec.tiers.standard),
        ("large", &spec.tiers.large),
    ] {
        let timeouts = &settings.db_timeouts;
        if timeouts.lock_seconds > timeouts.statement_seconds {
            refuse(
                root.key("tiers")
                    .key(tier)
                    .key("dbTimeouts")
                    .key("lockSeconds"),
                format!(
                    "lockSeconds {} is above statementSeconds {}: the statement timeout would fire first",
                    timeouts.lock_seconds, timeouts.statement_seconds
                ),
            );
        }
        if let Some(pool) = settings.db_pool {
            let at = root.key("tiers").key(tier).key("dbPool");
            if pool.max_db_connections > settings.db_connection_limit {
                refuse(
                    at.key("maxDbConnections"),
                    format!(
                        "maxDbConnections {} is above dbConnectionLimit {}: the server would refuse the pooler's connections",
                        pool.max_db_connections, settings.db_connection_limit
                    ),
                );
            }
            if pool.size > pool.max_db_connections {
                refuse(
                    at.key("size"),
                    format!(
                        "size {} is above maxDbConnections {}: the pool could never fill",
                        pool.size, pool.max_db_connections
                    ),
                );
            }
        }
        if settings.autoscaling.min_replicas > settings.autoscaling.max_replicas {
            refuse(
                root.key("tiers").key(tier).key("autoscaling"),
                format!(
                    "minReplicas {} is above maxReplicas {}",
                    settings.autoscaling.min_replicas, settings.autoscaling.max_replicas
                ),
            );
        }
    }
    for (engine, server) in spec.databases.offered() {
        let path = root.key("databases").key(engine);
        if engine == "postgres"
            && server.isolation == model::Isolation::SchemaPerTenant
            && server.shared_database.is_none()
        {
            refuse(
                path.key("sharedDatabase"),
                "isolation \"schema-per-tenant\" needs the sharedDatabase tenants live in"
                    .to_owned(),
            );
        }
        if engine == "postgres"
            && server.isolation == model::Isolation::SchemaPerTenant
            && server.pooler.is_some()
        {
            refuse(
                path.key("pooler"),
                "a pooler needs isolation \"database-per-tenant\": its entries, limits and logins are per database"
                    .to_owned(),
            );
        }
        if engine != "postgres" {
            let only_postgres = [
                (
                    "isolation",
                    server.isolation == model::Isolation::SchemaPerTenant,
                ),
                ("pooler", server.pooler.is_some()),
                ("preloadLibraries", !server.preload_libraries.is_empty()),
                ("maintenanceDatabase", server.maintenance_database.is_some()),
            ];
            for (key, set) in only_postgres {
                if set {
                    let what = match key {
                        "isolation" => "isolation \"schema-per-tenant\"",
                        "pooler" => "a pooler (PgBouncer)",
                        "preloadLibraries" => "preloaded libraries",
                        _ => "a maintenance database",
                    };
                    refuse(
                        path.key(key),
                        format!("{what} is for PostgreSQL only, not {engine}"),
                    );
                }
            }
        }
        let itself = server.server_network.as_ref();
        for (key, peer) in [
            ("network", Some(&server.network)),
            ("serverNetwork", itself),
        ] {
            if peer.is_some_and(|peer| peer.namespace.is_none() && peer.cidr.is_none()) {
                refuse(
                    path.key(key),
                    "a network peer needs a namespace or a cidr".to_owned(),
                );
            }
        }
    }
    let telemetry = root.key("telemetry");
    let peers = [
        (root.key("dns"), &spec.dns),
        (ingress.key("from"), &spec.ingress.from),
        (telemetry.key("collector"), &spec.telemetry.collector),
        (telemetry.key("prometheus"), &spec.telemetry.prometheus),
    ];
    for (path, peer) in peers {
        if peer.namespace.is_none() && peer.cidr.is_none() {
            refuse(
                path,
                "a network peer needs a namespace or a cidr".to_owned(),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_a_built_in_profile_or_an_error_listing_them() {
        assert_eq!(Profile::named("aws").map(Profile::name), Ok("aws"));
        let unknown = Profile::named("gcp").expect_err("no such built-in");
        assert_eq!(
            unknown.to_string(),
            "unknown profile \"gcp\"; the built-in profiles are kind, linode, aws"
        );
    }
}
