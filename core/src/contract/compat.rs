//! Stage 2, compatibility: reserved values, structural capabilities, the static runtime's
//! limits, duplicate capabilities, dependencies on itself or listed twice, migrations without a
//! schema.

use super::model::{
    BuildMode, CapabilityName, Contract, Delivery, Engine, Exposure, Persistence, Runtime, Tier,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Node, Path};
use crate::render::environment::{
    dependency_host_variable, is_flags_variable, is_platform_variable,
};
use crate::render::persistence::names::{MYSQL_USER_MAX, unmappable};
use crate::suggest::quote;

/// Whether a value of an enumeration is implemented in `zave.io/v1`.
pub trait Implemented: Copy + 'static {
    /// Every value of the enumeration.
    const VALUES: &'static [Self];
    /// Whether zave.io/v1 implements it (the others are reserved).
    fn is_implemented(self) -> bool;
    /// The value as written in a contract.
    fn text(self) -> &'static str;
}

macro_rules! implemented {
    ($($name:ident: $($variant:ident)|+;)*) => {$(
        impl Implemented for $name {
            const VALUES: &'static [Self] = $name::ALL;
            fn is_implemented(self) -> bool {
                matches!(self, $($name::$variant)|+)
            }
            fn text(self) -> &'static str {
                self.as_str()
            }
        }
    )*};
}

implemented! {
    Runtime: Container | Static;
    Delivery: Rolling;
    BuildMode: Dockerfile;
    Tier: Small | Standard | Large;
    CapabilityName: Metrics | Tracing | FeatureFlags;
}

impl CapabilityName {
    /// Structural capabilities change what the workload is; v1 does not allow them.
    pub fn is_structural(self) -> bool {
        matches!(
            self,
            CapabilityName::JobRunner | CapabilityName::Cron | CapabilityName::QueueConsumer
        )
    }
}

/// Every compatibility finding of a contract that passed the schema.
pub fn check(contract: &Contract, document: &Node) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let spec = &contract.spec;
    let at = |path: &Path| Some(document.span_for(path));
    let root = Path::root().key("spec");
    let mut reserved = |path: Path, value: &dyn ReservedCheck| {
        if let Some(finding) = value.finding(&path, at(&path)) {
            findings.push(finding);
        }
    };
    reserved(root.key("runtime"), &spec.runtime);
    if let Some(delivery) = spec.delivery {
        reserved(root.key("delivery"), &delivery);
    }
    if let Some(mode) = spec.build.as_ref().and_then(|b| b.mode) {
        reserved(root.key("build").key("mode"), &mode);
    }
    if let Some(tier) = spec.resources.as_ref().and_then(|r| r.tier) {
        reserved(root.key("resources").key("tier"), &tier);
    }
    let capabilities = spec.capabilities.as_deref().unwrap_or_default();
    for (index, capability) in capabilities.iter().enumerate() {
        let path = root.key("capabilities").index(index).key("name");
        if capability.name.is_structural() {
            findings.push(
                Diagnostic::new(
                    Code::StructuralCapability,
                    &path,
                    at(&path),
                    format!(
                        "capability \"{}\" is structural and not allowed in zave.io/v1",
                        capability.name
                    ),
                )
                .with_help(format!(
                    "run it as a workload of its own; zave.io/v1 implements the capabilities: {}",
                    implemented_list::<CapabilityName>()
                )),
            );
        } else if let Some(finding) = capability.name.finding(&path, at(&path)) {
            findings.push(finding);
        }
        if let Some(first) = capabilities[..index]
            .iter()
            .position(|c| c.name == capability.name)
        {
            findings.push(
                Diagnostic::new(
                    Code::DuplicateCapability,
                    &path,
                    at(&path),
                    format!("capability \"{}\" is listed twice", capability.name),
                )
                .with_help(format!(
                    "it is already listed at spec.capabilities[{first}]; remove this entry"
                )),
            );
        }
    }
    check_dependencies(contract, document, &mut findings);
    check_tree_name(contract, document, &mut findings);
    if spec.runtime == Runtime::Static {
        check_static(contract, document, &mut findings);
    } else if let Some(persistence) = &spec.persistence {
        check_migrations(persistence, document, &mut findings);
        let name = &contract.metadata.name;
        if let Some(reason) = unmappable(name, persistence.engine) {
            let path = Path::root().key("metadata").key("name");
            findings.push(
                Diagnostic::new(
                    Code::UnmappableName,
                    &path,
                    at(&path),
                    format!(
                        "name \"{name}\" cannot be used with engine \"{}\": {reason}",
                        persistence.engine
                    ),
                )
                .with_help(match persistence.engine {
                    Engine::Postgres => "choose a name that does not start with \"pg-\"".to_owned(),
                    _ => format!(
                        "choose a name of at most {} characters",
                        MYSQL_USER_MAX - "_app".len()
                    ),
                }),
            );
        }
    }
    findings
}

/// Migrations need a schema: PostgreSQL's or MySQL's, not Redis' keys or no database at all.
fn check_migrations(persistence: &Persistence, document: &Node, findings: &mut Vec<Diagnostic>) {
    if persistence.migrations.is_none()
        || matches!(persistence.engine, Engine::Postgres | Engine::Mysql)
    {
        return;
    }
    let path = Path::root()
        .key("spec")
        .key("persistence")
        .key("migrations");
    findings.push(
        Diagnostic::new(
            Code::MigrationsWithoutSchema,
            &path,
            Some(document.span_for(&path)),
            format!("engine \"{}\" has no schema to migrate", persistence.engine),
        )
        .with_help("remove spec.persistence.migrations, or use engine \"postgres\" or \"mysql\""),
    );
}

/// Names the tree's own files take: a tenant's Application and Flux Kustomization are
/// `<name>.yaml` beside their shard's index `kustomization.yaml`.
const TREE_NAMES: [&str; 1] = ["kustomization"];

/// A tenant may not take a name the tree's layout uses for itself.
fn check_tree_name(contract: &Contract, document: &Node, findings: &mut Vec<Diagnostic>) {
    let name = &contract.metadata.name;
    if !TREE_NAMES.contains(&name.as_str()) {
        return;
    }
    let path = Path::root().key("metadata").key("name");
    let at = Some(document.span_for(&path));
    findings.push(
        Diagnostic::new(
            Code::TreeReservedName,
            &path,
            at,
            format!(
                "name \"{name}\" is taken by the GitOps tree: the tenant's files in its shard \
                 folders would be their index kustomization.yaml"
            ),
        )
        .with_help("choose another name"),
    );
}

/// Whether the contract lists `feature-flags`.
fn serves_flags(contract: &Contract) -> bool {
    contract
        .spec
        .capabilities
        .iter()
        .flatten()
        .any(|capability| capability.name == CapabilityName::FeatureFlags)
}

/// A contract may not call itself, nor list a tenant twice.
fn check_dependencies(contract: &Contract, document: &Node, findings: &mut Vec<Diagnostic>) {
    let dependencies = contract.spec.dependencies.as_deref().unwrap_or_default();
    let name = &contract.metadata.name;
    for (index, dependency) in dependencies.iter().enumerate() {
        let path = Path::root()
            .key("spec")
            .key("dependencies")
            .index(index)
            .key("workload");
        let span = Some(document.span_for(&path));
        if &dependency.workload == name {
            findings.push(
                Diagnostic::new(
                    Code::SelfDependency,
                    &path,
                    span,
                    format!("workload \"{name}\" cannot depend on itself"),
                )
                .with_help("remove this entry: a workload reaches itself without a dependency"),
            );
        } else if is_platform_variable(&dependency_host_variable(&dependency.workload))
            || (serves_flags(contract) && is_flags_variable(&dependency.workload))
        {
            let variable = dependency_host_variable(&dependency.workload);
            findings.push(
                Diagnostic::new(
                    Code::DuplicateDependency,
                    &path,
                    span,
                    format!(
                        "dependency \"{}\" would be {variable}, a variable the platform already sets",
                        dependency.workload
                    ),
                )
                .with_help("the called workload needs another name: its host variable must be its own"),
            );
        } else if let Some(first) = dependencies[..index]
            .iter()
            .position(|d| d.workload == dependency.workload)
        {
            findings.push(
                Diagnostic::new(
                    Code::DuplicateDependency,
                    &path,
                    span,
                    format!("dependency \"{}\" is listed twice", dependency.workload),
                )
                .with_help(format!(
                    "it is already listed at spec.dependencies[{first}]; remove this entry"
                )),
            );
        }
    }
}

fn check_static(contract: &Contract, document: &Node, findings: &mut Vec<Diagnostic>) {
    let spec = &contract.spec;
    let root = Path::root().key("spec");
    let mut refuse = |path: Path, message: String, help: &str| {
        let span = document.span_for(&path);
        findings
            .push(Diagnostic::new(Code::StaticRuntime, &path, Some(span), message).with_help(help));
    };
    if !matches!(spec.exposure, Exposure::PublicHttp | Exposure::InternalHttp) {
        refuse(
            root.key("exposure"),
            format!(
                "runtime \"static\" serves HTTP; exposure \"{}\" cannot reach it",
                spec.exposure
            ),
            "use exposure \"public-http\" or \"internal-http\", or runtime \"container\"",
        );
    }
    if let Some(persistence) = spec
        .persistence
        .as_ref()
        .filter(|p| p.engine != Engine::None)
    {
        refuse(
            root.key("persistence").key("engine"),
            format!(
                "runtime \"static\" cannot use a database, found engine \"{}\"",
                persistence.engine
            ),
            "remove spec.persistence, or use runtime \"container\"",
        );
    }
    if spec.capabilities.as_ref().is_some_and(|c| !c.is_empty()) {
        refuse(
            root.key("capabilities"),
            "runtime \"static\" takes no capabilities".to_owned(),
            "remove spec.capabilities, or use runtime \"container\"",
        );
    }
}

/// A value that may be reserved: gives the Z201 finding when it is.
trait ReservedCheck {
    fn finding(&self, path: &Path, span: Option<crate::document::Span>) -> Option<Diagnostic>;
}

impl<T: Implemented> ReservedCheck for T {
    fn finding(&self, path: &Path, span: Option<crate::document::Span>) -> Option<Diagnostic> {
        (!self.is_implemented()).then(|| {
            Diagnostic::new(
                Code::Reserved,
                path,
                span,
                format!(
                    "value {} is reserved and not supported in zave.io/v1",
                    quote(self.text())
                ),
            )
            .with_help(format!(
                "zave.io/v1 implements: {}",
                implemented_list::<T>()
            ))
        })
    }
}

fn implemented_list<T: Implemented>() -> String {
    T::VALUES
        .iter()
        .filter(|v| v.is_implemented())
        .map(|v| v.text())
        .collect::<Vec<_>>()
        .join(", ")
}
